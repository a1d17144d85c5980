/* test_formula_explain.c - formulas with their numbers put in, as statements show them:
 * names followed by their values, money with thousands separators, literals that stand for
 * money written as money, others as written, line breaks folded, the result after " = ", and
 * snprintf-like cutting. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "test_formula_util.h"

static void explains(const char *text, at_unit want, const int64_t *slots, const char *expect)
{
    at_arena arena;
    at_arena_init(&arena, 0);
    at_formula *f;
    at_error err;
    if (test_compile(&arena, text, want, &f, &err) != AT_OK)
        fail_msg("'%s' does not compile: %s", text, err.message);
    char buf[512];
    size_t n = at_formula_explain(f, slots, buf, sizeof buf);
    if (strcmp(buf, expect) != 0)
        fail_msg("'%s' explained as\n  %s\nexpected\n  %s", text, buf, expect);
    assert_int_equal(n, strlen(expect));
    at_arena_free(&arena);
}

static int64_t *slots(void)
{
    static int64_t s[S_COUNT];
    memset(s, 0, sizeof s);
    s[S_COMMISSION] = 61255000;    /* 6,125.50 */
    s[S_BOOKINGS] = 1250000000;    /* 125,000.00 */
    s[S_QUOTA] = 1000000000;       /* 100,000.00 */
    s[S_ATTAINMENT] = 1052300000;  /* 1.0523 */
    s[S_DEALS] = 1250;
    s[S_FLAG] = 1;
    s[S_RATE] = 50000000;          /* 0.05 */
    s[S_AMOUNT] = -2505000;        /* -250.50 */
    return s;
}

static void the_header_example(void **state)
{
    (void)state;
    explains("min(commission, 5000)", AT_UNIT_MONEY, slots(),
             "min(commission 6,125.50, 5,000.00) = 5,000.00");
    explains("min(commission, 5000)", AT_UNIT_ANY, slots(),
             "min(commission 6,125.50, 5,000.00) = 5,000.00");
}

static void values_by_unit(void **state)
{
    (void)state;
    int64_t *s = slots();
    explains("if(bookings.attainment >= 100%, 0.02 * bookings, 0)", AT_UNIT_MONEY, s,
             "if(bookings.attainment 1.0523 >= 100%, 0.02 * bookings 125,000.00, 0.00) = "
             "2,500.00");
    /* counts as integers with separators; the literal 100 stands for money */
    explains("100 * deals", AT_UNIT_MONEY, s, "100.00 * deals 1,250 = 125,000.00");
    explains("deals * 100", AT_UNIT_ANY, s, "deals 1,250 * 100 = 125,000");
    explains("deals", AT_UNIT_COUNT, s, "deals 1,250 = 1,250");
    /* bools */
    explains("flag and deals > 3", AT_UNIT_BOOL, s, "flag true and deals 1,250 > 3 = true");
    explains("not flag", AT_UNIT_BOOL, s, "not flag true = false");
    /* negative money, literals as money */
    explains("amount - 1500", AT_UNIT_MONEY, s, "amount -250.50 - 1,500.00 = -1,750.50");
    explains("-1500", AT_UNIT_MONEY, s, "-1,500.00 = -1,500.00");
    /* numbers from slots: at most 4 decimals, half-even, trailing zeros dropped */
    explains("bookings / quota", AT_UNIT_ANY, s, "bookings 125,000.00 / quota 100,000.00 = 1.25");
    s[S_ATTAINMENT] = 1052350000; /* 1.05235 -> 1.0524 (tie, 4 is even) */
    explains("bookings.attainment", AT_UNIT_ANY, s, "bookings.attainment 1.0524 = 1.0524");
    s[S_ATTAINMENT] = 1052250000; /* 1.05225 -> 1.0522 */
    explains("bookings.attainment", AT_UNIT_ANY, s, "bookings.attainment 1.0522 = 1.0522");
    s[S_ATTAINMENT] = 1000000000;
    explains("bookings.attainment", AT_UNIT_ANY, s, "bookings.attainment 1 = 1");
    s[S_ATTAINMENT] = -50000; /* -0.00005 -> 0, never "-0" */
    explains("bookings.attainment", AT_UNIT_ANY, s, "bookings.attainment 0 = 0");
    s[S_ATTAINMENT] = INT64_C(1234567000000); /* 1,234.567 */
    explains("bookings.attainment", AT_UNIT_ANY, s, "bookings.attainment 1,234.567 = 1,234.567");
    /* percentages and decimals as written */
    explains("rate + 12.5% + 0.50", AT_UNIT_ANY, s, "rate 0.05 + 12.5% + 0.50 = 0.675");
    /* money with more than 2 decimals keeps them; large amounts get separators */
    s[S_BOOKINGS] = 1234;  /* 0.1234 */
    s[S_QUOTA] = INT64_C(12345678912345); /* 1,234,567,891.2345 */
    explains("bookings + quota", AT_UNIT_MONEY, s,
             "bookings 0.1234 + quota 1,234,567,891.2345 = 1,234,567,891.3579");
    s[S_BOOKINGS] = INT64_MIN;
    explains("bookings", AT_UNIT_MONEY, s,
             "bookings -922,337,203,685,477.5808 = -922,337,203,685,477.5808");
    explains("round(commission, 0)", AT_UNIT_MONEY, slots(),
             "round(commission 6,125.50, 0) = 6,126.00"); /* half-even: 6,125.5 -> 6,126 */
    explains("1234.5", AT_UNIT_MONEY, s, "1,234.50 = 1,234.50");
    explains("1234.5", AT_UNIT_ANY, s, "1234.5 = 1,234.5");
}

static void layout(void **state)
{
    (void)state;
    int64_t *s = slots();
    /* line breaks and tabs fold into one space; runs of spaces stay as written */
    explains("min(commission,\n    5000)", AT_UNIT_MONEY, s,
             "min(commission 6,125.50, 5,000.00) = 5,000.00");
    explains("  bookings  *\t5%  ", AT_UNIT_MONEY, s, "bookings 125,000.00  * 5% = 6,250.00");
    explains("(bookings*5%)", AT_UNIT_MONEY, s, "(bookings 125,000.00*5%) = 6,250.00");
}

static void errors_and_missing_values(void **state)
{
    (void)state;
    int64_t *s = slots();
    s[S_QUOTA] = 0;
    explains("bookings / quota", AT_UNIT_ANY, s,
             "bookings 125,000.00 / quota 0.00 = error: division by zero");
    s[S_BOOKINGS] = INT64_MAX;
    explains("bookings * 2", AT_UNIT_ANY, s,
             "bookings 922,337,203,685,477.5807 * 2 = error: overflow");
    /* no values: the names alone, and no result; a constant still has one */
    explains("bookings * 5%", AT_UNIT_ANY, NULL, "bookings * 5%");
    explains("1 + 2", AT_UNIT_ANY, NULL, "1 + 2 = 3");
}

static void cutting(void **state)
{
    (void)state;
    at_arena arena;
    at_arena_init(&arena, 0);
    at_formula *f;
    at_error err;
    assert_int_equal(test_compile(&arena, "min(commission, 5000)", AT_UNIT_MONEY, &f, &err),
                     AT_OK);
    const char *full = "min(commission 6,125.50, 5,000.00) = 5,000.00";
    char buf[16];
    memset(buf, 'x', sizeof buf);
    assert_int_equal(at_formula_explain(f, slots(), buf, 10), strlen(full));
    assert_string_equal(buf, "min(commi");
    assert_int_equal(buf[10], 'x'); /* nothing written past size */
    assert_int_equal(at_formula_explain(f, slots(), NULL, 0), strlen(full));
    assert_int_equal(at_formula_explain(f, slots(), buf, 1), strlen(full));
    assert_string_equal(buf, "");
    char exact[64];
    assert_int_equal(at_formula_explain(f, slots(), exact, strlen(full) + 1), strlen(full));
    assert_string_equal(exact, full);
    assert_int_equal(at_formula_explain(f, slots(), exact, strlen(full)), strlen(full));
    assert_int_equal(strlen(exact), strlen(full) - 1);
    assert_int_equal(at_formula_explain(NULL, slots(), exact, sizeof exact), 0);
    assert_string_equal(exact, "");
    at_arena_free(&arena);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_header_example),
        cmocka_unit_test(values_by_unit),
        cmocka_unit_test(layout),
        cmocka_unit_test(errors_and_missing_values),
        cmocka_unit_test(cutting),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
