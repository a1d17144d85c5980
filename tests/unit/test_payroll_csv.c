/* test_payroll_csv.c - the finance files' CSV (pay/payroll_csv.h): the exact bytes of each
 * layout, worked out by hand from docs/payroll.md, with names that need quoting, empty plan and
 * component columns, negative and sub-cent money, and a full disk. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pay/payroll_csv.h"

typedef enum { PAYROLL, ACCRUALS, COST } which_file;

/* Writes one file to memory and returns it (malloc'ed; the caller frees it). */
static char *write_to_memory(which_file which, const char *month, const void *rows, size_t count,
                             at_code *code)
{
    char *data = NULL;
    size_t length = 0;
    FILE *fp = open_memstream(&data, &length);
    assert_non_null(fp);
    at_csv_writer *w = NULL;
    at_error err;
    assert_int_equal(at_csv_writer_open_file(&w, fp, "memory", NULL, &err), AT_OK);
    at_code c = which == PAYROLL    ? at_pay_payroll_csv(w, month, rows, count, &err)
                : which == ACCRUALS ? at_pay_accruals_csv(w, month, rows, count, &err)
                                    : at_pay_cost_csv(w, rows, count, &err);
    at_code cc = at_csv_writer_close(w, &err);
    *code = c != AT_OK ? c : cc;
    assert_int_equal(fclose(fp), 0);
    return data;
}

static void payroll_rows_per_line_with_quoting(void **state)
{
    (void)state;
    const at_store_payroll_line a_lines[] = {
        {"AE 2026/commission", "component", 60000000},      /* 6000.00 */
        {"AE 2026/draw", "draw", -12345},                    /* -1.2345 */
    };
    const at_store_payroll_line b_lines[] = {
        {"SE, \"Lead\"/bonus", "adjustment", 5000},         /* 0.50, a key with , and " */
    };
    const at_store_payroll_row rows[] = {
        {"P-A", "Doe, Jane \"JD\"", "USD", 59987655, 60000000, a_lines, 2},
        {"P-B", " Bo", "EUR", 5000, 0, b_lines, 1},
        {"P-C", "Nobody Paid", "USD", 0, 0, NULL, 0}, /* no lines: no rows */
    };
    at_code c;
    char *got = write_to_memory(PAYROLL, "2026-01", rows, 3, &c);
    assert_int_equal(c, AT_OK);
    assert_string_equal(got,
                        "period,person_id,name,currency,line,kind,amount\n"
                        "2026-01,P-A,\"Doe, Jane \"\"JD\"\"\",USD,AE 2026/commission,component,6000.00\n"
                        "2026-01,P-A,\"Doe, Jane \"\"JD\"\"\",USD,AE 2026/draw,draw,-1.2345\n"
                        "2026-01,P-B,\" Bo\",EUR,\"SE, \"\"Lead\"\"/bonus\",adjustment,0.50\n");
    free(got);
}

static void payroll_without_rows_is_the_header(void **state)
{
    (void)state;
    at_code c;
    char *got = write_to_memory(PAYROLL, "2026-02", NULL, 0, &c);
    assert_int_equal(c, AT_OK);
    assert_string_equal(got, "period,person_id,name,currency,line,kind,amount\n");
    free(got);
}

static void accruals_one_row_per_payee(void **state)
{
    (void)state;
    const at_store_accrual_row rows[] = {
        {"P-A", "Ana\nLine", "USD", 120000000, 100000000, 20000000, -5000000},
        {"P-B", "Bo", "GBP", 0, 0, 0, 0},
    };
    at_code c;
    char *got = write_to_memory(ACCRUALS, "2026-03", rows, 2, &c);
    assert_int_equal(c, AT_OK);
    assert_string_equal(got,
                        "period,person_id,name,currency,earned_ytd,paid_ytd,accrued,draw_balance\n"
                        "2026-03,P-A,\"Ana\nLine\",USD,12000.00,10000.00,2000.00,-500.00\n"
                        "2026-03,P-B,Bo,GBP,0.00,0.00,0.00,0.00\n");
    free(got);
}

static void cost_rows_carry_their_month_and_empty_plan(void **state)
{
    (void)state;
    const at_store_cost_row rows[] = {
        {"2026-01", "Case 10 Rep", "commission", "component", "USD", 100000000, 100000000, 4},
        {"2026-01", NULL, NULL, "adjustment", "USD", -2500000, 0, 1},
        {"2026-02", "Plan, \"B\"", "spiff", "component", "EUR", 12345, 12300, 0},
    };
    at_code c;
    char *got = write_to_memory(COST, NULL, rows, 3, &c);
    assert_int_equal(c, AT_OK);
    assert_string_equal(got,
                        "period,plan,component,kind,currency,paid,earned,people\n"
                        "2026-01,Case 10 Rep,commission,component,USD,10000.00,10000.00,4\n"
                        "2026-01,,,adjustment,USD,-250.00,0.00,1\n"
                        "2026-02,\"Plan, \"\"B\"\"\",spiff,component,EUR,1.2345,1.23,0\n");
    free(got);
}

/* /dev/full takes nothing: the writer's I/O error comes back (from the write or the close). */
static void a_full_disk_is_an_io_error(void **state)
{
    (void)state;
    FILE *fp = fopen("/dev/full", "w");
    if (!fp)
        skip();
    setvbuf(fp, NULL, _IONBF, 0);
    at_store_accrual_row many[200];
    for (size_t i = 0; i < 200; i++)
        many[i] = (at_store_accrual_row){"P-X", "A Long Enough Name", "USD", 1, 2, 3, 4};
    at_csv_writer *w = NULL;
    at_error err;
    at_csv_writer_options opts = {.buffer_size = 64};
    assert_int_equal(at_csv_writer_open_file(&w, fp, "payroll.csv", &opts, &err), AT_OK);
    at_code c = at_pay_accruals_csv(w, "2026-01", many, 200, &err);
    assert_int_equal(c, AT_ERR_IO);
    assert_non_null(strstr(err.where, "payroll.csv"));
    at_error close_err;
    assert_int_equal(at_csv_writer_close(w, &close_err), AT_ERR_IO);
    fclose(fp);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(payroll_rows_per_line_with_quoting),
        cmocka_unit_test(payroll_without_rows_is_the_header),
        cmocka_unit_test(accruals_one_row_per_payee),
        cmocka_unit_test(cost_rows_carry_their_month_and_empty_plan),
        cmocka_unit_test(a_full_disk_is_an_io_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
