/* payroll_csv.c - the finance files as CSV (payroll, accruals, cost of sales): the layouts of
 * docs/payroll.md, written through core/csv.h for `attain payroll` and the API alike. */
#include "core/money.h"
#include "pay/payroll_csv.h"

static at_code put_money(at_csv_writer *w, at_money v, at_error *err)
{
    char buf[AT_MONEY_TEXT_MAX];
    size_t n = at_money_format(v, buf, sizeof buf);
    return at_csv_write_number(w, buf, n, err);
}

/* A text column; NULL is written as an empty field. */
static at_code put_text(at_csv_writer *w, const char *text, at_error *err)
{
    return at_csv_write_cstr(w, text ? text : "", err);
}

at_code at_pay_payroll_csv(at_csv_writer *w, const char *month, const at_store_payroll_row *rows,
                           size_t count, at_error *err)
{
    static const char *const head[] = {"period", "person_id", "name", "currency",
                                       "line",   "kind",      "amount"};
    at_code c = at_csv_write_cstrs(w, head, 7, err);
    for (size_t i = 0; c == AT_OK && i < count; i++)
        for (size_t j = 0; c == AT_OK && j < rows[i].line_count; j++) {
            const at_store_payroll_line *l = &rows[i].lines[j];
            const char *f[] = {month, rows[i].person_id, rows[i].name, rows[i].currency, l->key,
                               l->kind};
            for (size_t k = 0; c == AT_OK && k < 6; k++)
                c = put_text(w, f[k], err);
            if (c == AT_OK)
                c = put_money(w, l->amount, err);
            if (c == AT_OK)
                c = at_csv_end_record(w, err);
        }
    return c;
}

at_code at_pay_accruals_csv(at_csv_writer *w, const char *month, const at_store_accrual_row *rows,
                            size_t count, at_error *err)
{
    static const char *const head[] = {"period",     "person_id", "name",    "currency",
                                       "earned_ytd", "paid_ytd",  "accrued", "draw_balance"};
    at_code c = at_csv_write_cstrs(w, head, 8, err);
    for (size_t i = 0; c == AT_OK && i < count; i++) {
        const char *f[] = {month, rows[i].person_id, rows[i].name, rows[i].currency};
        for (size_t k = 0; c == AT_OK && k < 4; k++)
            c = put_text(w, f[k], err);
        at_money m[] = {rows[i].earned_ytd, rows[i].paid_ytd, rows[i].accrued,
                        rows[i].draw_balance};
        for (size_t k = 0; c == AT_OK && k < 4; k++)
            c = put_money(w, m[k], err);
        if (c == AT_OK)
            c = at_csv_end_record(w, err);
    }
    return c;
}

at_code at_pay_cost_csv(at_csv_writer *w, const at_store_cost_row *rows, size_t count,
                        at_error *err)
{
    static const char *const head[] = {"period",   "plan", "component", "kind",
                                       "currency", "paid", "earned",    "people"};
    at_code c = at_csv_write_cstrs(w, head, 8, err);
    for (size_t i = 0; c == AT_OK && i < count; i++) {
        const char *f[] = {rows[i].month, rows[i].plan, rows[i].component, rows[i].kind,
                           rows[i].currency};
        for (size_t k = 0; c == AT_OK && k < 5; k++)
            c = put_text(w, f[k], err);
        if (c == AT_OK)
            c = put_money(w, rows[i].amount, err);
        if (c == AT_OK)
            c = put_money(w, rows[i].earned, err);
        if (c == AT_OK)
            c = at_csv_write_int64(w, rows[i].people, err);
        if (c == AT_OK)
            c = at_csv_end_record(w, err);
    }
    return c;
}
