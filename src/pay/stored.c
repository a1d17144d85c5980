/* stored.c - statements and estimates from the store (stored.h). */
#include "pay/stored.h"

#include <stdio.h>
#include <string.h>

#include "core/fiscal.h"
#include "model/fields.h"
#include "plan/plan.h"

typedef struct plan_list {
    at_arena *arena;
    const at_plan **items;
    size_t count, capacity;
    at_code failed;
    at_error *err;
} plan_list;

static at_code collect_plan(void *ctx, const at_store_plan_version *v, at_error *err)
{
    plan_list *l = ctx;
    if (l->count == l->capacity) {
        size_t cap = l->capacity ? l->capacity * 2 : 16;
        const at_plan **items = at_arena_calloc(l->arena, cap, sizeof *items);
        if (!items)
            return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory reading plans");
        if (l->count)
            memcpy(items, l->items, l->count * sizeof *items);
        l->items = items;
        l->capacity = cap;
    }
    char file[256];
    snprintf(file, sizeof file, "%s@%d", v->name, v->version);
    /* the source is valid during the call only: at_plan_read copies what it keeps */
    at_error_list problems;
    at_error_list_init(&problems, 1);
    at_plan *plan = NULL;
    at_code c = at_plan_read(v->source, v->source_length, file, l->arena, &plan, &problems, err);
    if (c == AT_ERR_INVALID && problems.count)
        *err = problems.items[0];
    at_error_list_free(&problems);
    if (c != AT_OK)
        return c;
    plan->version = v->version;
    l->items[l->count++] = plan;
    return AT_OK;
}

at_code at_pay_read_stored_plans(at_store *store, at_arena *arena, const at_plan ***plans,
                                 size_t *count, at_error *err)
{
    plan_list l = {0};
    l.arena = arena;
    at_code c = at_store_plan_each(store, NULL, true, collect_plan, &l, err);
    if (c != AT_OK)
        return c;
    *plans = l.items;
    *count = l.count;
    return AT_OK;
}

typedef struct company_ctx {
    at_arena *arena;
    const char *name;
} company_ctx;

static at_code note_company(void *ctx, int64_t id, const at_row *row, at_error *err)
{
    (void)id;
    (void)err;
    company_ctx *c = ctx;
    const at_value *key = at_row_value(row, AT_SETTINGS_KEY);
    const at_value *value = at_row_value(row, AT_SETTINGS_VALUE);
    if (key->present && at_str_eq_cstr(key->text, "company_name") && value->present) {
        char *s = at_arena_alloc(c->arena, value->text.len + 1);
        if (s) {
            memcpy(s, value->text.ptr, value->text.len);
            s[value->text.len] = '\0';
            c->name = s;
        }
    }
    return AT_OK;
}

static const char *company_name(at_store *store, at_arena *arena)
{
    company_ctx c = {arena, NULL};
    at_error ignored;
    if (at_store_each_row(store, &at_entity_settings, note_company, &c, &ignored) != AT_OK)
        return NULL;
    return c.name;
}

/* The fiscal year start month label of a month label ("2026-03" -> "2026-01"). */
static at_code year_start_label(at_store *store, const char *month, char *out, size_t size,
                                int32_t *offset, at_error *err)
{
    at_period_kind kind;
    int year, number;
    at_code c = at_period_label_parse(at_str_from(month), &kind, &year, &number, err);
    if (c != AT_OK)
        return c;
    if (kind != AT_PERIOD_MONTH)
        return at_fail(err, AT_ERR_INVALID, "--period", "give a fiscal month such as 2026-03",
                       "a statement is for one month; '%s' is a %s", month,
                       at_period_kind_name(kind));
    at_period_label_format(AT_PERIOD_MONTH, year, 1, out, size);
    *offset = number - 1;
    (void)store;
    return AT_OK;
}

at_code at_pay_statement(at_store *store, const char *payee, const char *month, int64_t run_id,
                         at_pay_stored *keep, at_statement *out, at_error *err)
{
    memset(keep, 0, sizeof *keep);
    at_arena_init(&keep->arena, 1 << 16);
    char first[AT_PERIOD_LABEL_MAX];
    int32_t offset;
    at_code c = year_start_label(store, month, first, sizeof first, &offset, err);
    if (c != AT_OK)
        return c;
    if (run_id == 0) {
        bool found = false;
        c = at_store_run_latest(store, month, payee, &run_id, &found, err);
        if (c != AT_OK)
            return c;
        if (!found)
            return at_fail(err, AT_ERR_NOT_FOUND, month,
                           "calculate it first: attain calc --period <the month or its quarter>",
                           "no calculation run covers %s for %s", month, payee);
    }
    keep->run_id = run_id;
    const at_plan **plans = NULL;
    size_t plan_count = 0;
    c = at_pay_read_stored_plans(store, &keep->arena, &plans, &plan_count, err);
    if (c != AT_OK)
        return c;
    c = at_store_run_read(store, run_id, payee, first, month, plans, plan_count, &keep->arena,
                          &keep->view, err);
    if (c != AT_OK)
        return c;
    keep->has_view = true;
    const at_calc_input *in = &keep->view.input;
    /* the month's calendar index: the input's first month is the year's first */
    int32_t m = -1;
    const at_period *months = in->calendar->periods[AT_PERIOD_MONTH];
    for (size_t i = 0; i < in->calendar->counts[AT_PERIOD_MONTH]; i++)
        if (strcmp(months[i].label, month) == 0)
            m = (int32_t)i;
    if (m < 0)
        return at_fail(err, AT_ERR_NOT_FOUND, month, NULL, "month %s is not in the calendar",
                       month);
    c = at_statement_build(in, &keep->view.result, keep->view.person, m, &keep->arena, out, err);
    if (c != AT_OK)
        return c;
    out->company = company_name(store, &keep->arena);
    return AT_OK;
}

at_code at_pay_estimate(at_store *store, const char *payee, at_money amount,
                        const char *currency, const char *product, at_day date,
                        at_pay_stored *keep, at_estimate_result *out, at_error *err)
{
    memset(keep, 0, sizeof *keep);
    at_arena_init(&keep->arena, 1 << 16);
    /* the fiscal year of the deal */
    at_fiscal_table table;
    int year = 0;
    at_code c = at_store_fiscal_table(store, 2000, 2001, &table, err);
    if (c != AT_OK)
        return c;
    c = at_fiscal_year_of_day(&table.calendar, date, &year, err);
    at_day first = 0, last = 0;
    if (c == AT_OK)
        c = at_fiscal_year_bounds(&table.calendar, year, &first, &last, err);
    at_fiscal_table_free(&table);
    if (c != AT_OK)
        return c;

    at_store_calc_load_options lo = {0};
    lo.people = &payee;
    lo.person_count = 1;
    lo.activities = true;
    c = at_store_calc_load(store, first, last, &lo, &keep->arena, &keep->input, &keep->data,
                           err);
    if (c != AT_OK)
        return c;
    keep->has_data = true;
    at_calc_input *in = &keep->input;
    /* plans: parse the versions the load returned */
    const at_plan **plans = at_arena_calloc(&keep->arena, keep->data.plan_count + 1,
                                            sizeof *plans);
    if (!plans)
        return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory");
    for (size_t i = 0; i < keep->data.plan_count; i++) {
        const at_store_plan_version *v = &keep->data.plans[i];
        at_error_list problems;
        at_error_list_init(&problems, 1);
        at_plan *plan = NULL;
        char file[256];
        snprintf(file, sizeof file, "%s@%d", v->name, v->version);
        c = at_plan_read(v->source, v->source_length, file, &keep->arena, &plan, &problems, err);
        if (c == AT_ERR_INVALID && problems.count)
            *err = problems.items[0];
        at_error_list_free(&problems);
        if (c != AT_OK)
            return c;
        plan->version = v->version;
        plans[i] = plan;
    }
    in->plans = plans;
    in->plan_count = keep->data.plan_count;

    int32_t person = keep->data.only_people_count ? keep->data.only_people[0] : -1;
    if (person < 0)
        return at_fail(err, AT_ERR_NOT_FOUND, "--payee", "check the id in people.csv",
                       "no person '%s'", payee);
    at_calc_currency cur = in->people[person].pay_currency;
    if (currency) {
        cur = -1;
        for (size_t i = 0; i < in->currency_count; i++)
            if (strcmp(in->currencies[i], currency) == 0)
                cur = (at_calc_currency)i;
        if (cur < 0)
            return at_fail(err, AT_ERR_NOT_FOUND, "--currency",
                           "use a currency the data already has, or add its exchange rates",
                           "no exchange rates or amounts in %s in the database", currency);
    }
    int32_t prod = -1;
    if (product) {
        for (size_t i = 0; i < in->product_count; i++)
            if (strcmp(in->products[i].id, product) == 0)
                prod = (int32_t)i;
        if (prod < 0)
            return at_fail(err, AT_ERR_NOT_FOUND, "--product", "check the id in products.csv",
                           "no product '%s'", product);
    }
    return at_estimate(in, person, amount, cur, prod, date, &keep->arena, out, err);
}

void at_pay_stored_free(at_pay_stored *keep)
{
    if (!keep)
        return;
    if (keep->has_view)
        at_store_run_view_free(&keep->view);
    if (keep->has_data)
        at_store_calc_data_free(&keep->data);
    at_arena_free(&keep->arena);
    memset(keep, 0, sizeof *keep);
}
