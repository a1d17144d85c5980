/* test_mapping_convert.c - the value conversions of mapping files: date and time patterns,
 * grouped numbers, money with currency markers, percentages, exact scaling, case and spaces,
 * with the errors of each. Expected texts are worked out by hand. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "import/convert.h"

static at_arena arena;

static int setup(void **state)
{
    (void)state;
    at_arena_init(&arena, 0);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    at_arena_free(&arena);
    return 0;
}

/* Converts and returns the result as a C string in the arena, or NULL with *err filled. */
static const char *run(const at_convert *c, const char *in, at_error *err)
{
    at_str out;
    if (at_convert_apply(c, at_str_from(in), &arena, &out, err) != AT_OK)
        return NULL;
    return at_str_dup(&arena, out);
}

static const char *ok(const at_convert *c, const char *in)
{
    at_error err;
    const char *s = run(c, in, &err);
    if (!s)
        fail_msg("'%s': %s", in, err.message);
    return s;
}

static void expect_error(const at_convert *c, const char *in, const char *message_part)
{
    at_error err;
    const char *s = run(c, in, &err);
    if (s)
        fail_msg("'%s' converted to '%s', expected an error", in, s);
    assert_int_equal(err.code, AT_ERR_INVALID);
    if (!strstr(err.message, message_part))
        fail_msg("message '%s' lacks '%s'", err.message, message_part);
    assert_true(err.hint[0] != '\0');
}

static at_convert date_conv(at_convert_kind kind, const char *pattern)
{
    at_convert c;
    at_convert_init(&c, kind);
    at_error err;
    if (at_date_pattern_compile(pattern, &c.date, &err) != AT_OK)
        fail_msg("pattern '%s': %s", pattern, err.message);
    return c;
}

static void dates_in_us_and_european_forms(void **state)
{
    (void)state;
    at_convert us = date_conv(AT_CONVERT_DATE, "M/D/YYYY");
    assert_string_equal(ok(&us, "3/14/2024"), "2024-03-14");
    assert_string_equal(ok(&us, "12/1/2016"), "2016-12-01");
    assert_string_equal(ok(&us, " 02/29/2024 "), "2024-02-29"); /* spaces around are ignored */
    assert_string_equal(ok(&us, ""), "");                       /* empty stays empty */
    at_convert eu = date_conv(AT_CONVERT_DATE, "DD.MM.YYYY");
    assert_string_equal(ok(&eu, "31.01.2025"), "2025-01-31");
    at_convert yy = date_conv(AT_CONVERT_DATE, "D/M/YY");
    assert_string_equal(ok(&yy, "5/6/68"), "2068-06-05");
    assert_string_equal(ok(&yy, "5/6/69"), "1969-06-05");
    at_convert names = date_conv(AT_CONVERT_DATE, "D MMM YYYY");
    assert_string_equal(ok(&names, "7 sep 2023"), "2023-09-07");
    at_convert full = date_conv(AT_CONVERT_DATE, "MMMM D, YYYY");
    assert_string_equal(ok(&full, "September 7, 2023"), "2023-09-07");
    /* a date column fed from a date-time value keeps the day */
    at_convert dt = date_conv(AT_CONVERT_DATE, "M/D/YYYY h:mm a");
    assert_string_equal(ok(&dt, "3/14/2024 11:59 PM"), "2024-03-14");
}

static void date_errors_say_what_is_wrong(void **state)
{
    (void)state;
    at_convert us = date_conv(AT_CONVERT_DATE, "M/D/YYYY");
    expect_error(&us, "2024-03-14", "expected '/' at character 3");
    expect_error(&us, "x/1/2024", "expected a month number (M) at character 1");
    expect_error(&us, "3/14/24", "expected a 4-digit year (YYYY) at character 6");
    expect_error(&us, "13/1/2024", "there is no month 13");
    expect_error(&us, "2/30/2024", "day 30 does not exist in February 2024");
    expect_error(&us, "3/14/2024x", "unexpected text at character 10");
    expect_error(&us, "3-14-2024", "expected '/' at character 2");
}

static void times_with_clock_and_offset(void **state)
{
    (void)state;
    at_convert sf = date_conv(AT_CONVERT_TIME, "M/D/YYYY, h:mm a");
    assert_string_equal(ok(&sf, "3/14/2024, 2:05 PM"), "2024-03-14T14:05:00Z");
    assert_string_equal(ok(&sf, "3/14/2024, 12:05 am"), "2024-03-14T00:05:00Z");
    assert_string_equal(ok(&sf, "3/14/2024, 12:05 p.m."), "2024-03-14T12:05:00Z");
    at_error err;
    assert_int_equal(at_convert_parse_offset(at_str_from("-05:00"), &sf.offset_minutes, &err),
                     AT_OK);
    assert_int_equal(sf.offset_minutes, -300);
    /* 9:30 PM at UTC-5 is 02:30 the next day in UTC */
    assert_string_equal(ok(&sf, "12/31/2023, 9:30 PM"), "2024-01-01T02:30:00Z");
    at_convert iso = date_conv(AT_CONVERT_TIME, "YYYY-MM-DD HH:mm:ss");
    assert_string_equal(ok(&iso, "2024-03-14 23:59:59"), "2024-03-14T23:59:59Z");
    expect_error(&sf, "3/14/2024, 13:05 PM", "hour 13 is not 1-12");
    expect_error(&iso, "2024-03-14 24:00:00", "hour 24 is not 0-23");
    expect_error(&iso, "2024-03-14 23:60:00", "minute 60 is not 0-59");
    expect_error(&sf, "3/14/2024, 2:05", "expected ' ' at character 16");
    expect_error(&sf, "3/14/2024, 2:05 XM", "expected AM or PM (a) at character 17");
    assert_int_equal(at_convert_parse_offset(at_str_from("+5"), &sf.offset_minutes, &err),
                     AT_ERR_INVALID);
    assert_int_equal(at_convert_parse_offset(at_str_from("+24:00"), &sf.offset_minutes, &err),
                     AT_ERR_INVALID);
    assert_int_equal(at_convert_parse_offset(at_str_from("Z"), &sf.offset_minutes, &err), AT_OK);
    assert_int_equal(sf.offset_minutes, 0);
}

static void bad_patterns_are_refused(void **state)
{
    (void)state;
    at_date_pattern p;
    at_error err;
    struct {
        const char *pattern, *part;
    } cases[] = {
        {"", "it is empty"},
        {"M/D", "needs a year"},
        {"YYY-MM-DD", "'YYY' is not a part"},
        {"M/D/YYYY M", "given twice"},
        {"M/D/YYYY h:mm", "h (a 12-hour clock) needs a"},
        {"M/D/YYYY H:mm a", "a (AM/PM) goes with h"},
        {"M/D/YYYY :mm", "no hour"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_int_equal(at_date_pattern_compile(cases[i].pattern, &p, &err), AT_ERR_INVALID);
        if (!strstr(err.message, cases[i].part))
            fail_msg("'%s': message '%s' lacks '%s'", cases[i].pattern, err.message,
                     cases[i].part);
    }
}

static void numbers_with_separators(void **state)
{
    (void)state;
    at_convert n;
    at_convert_init(&n, AT_CONVERT_NUMBER);
    assert_string_equal(ok(&n, "1,234,567.5"), "1234567.5");
    assert_string_equal(ok(&n, "1234"), "1234");
    assert_string_equal(ok(&n, "-1,200"), "-1200");
    assert_string_equal(ok(&n, "(1,200.00)"), "-1200.00");
    assert_string_equal(ok(&n, "+12"), "12");
    assert_string_equal(ok(&n, "   "), ""); /* only spaces: empty */
    expect_error(&n, "1,23", "'1,23' is not a number");
    expect_error(&n, "1234,567", "is not a number");
    expect_error(&n, "1,2345", "is not a number");
    expect_error(&n, "12.", "is not a number");
    expect_error(&n, "(-5)", "is not a number");
    expect_error(&n, "abc", "is not a number");
    at_convert eu;
    at_convert_init(&eu, AT_CONVERT_NUMBER);
    eu.thousands = '.';
    eu.decimal = ',';
    assert_string_equal(ok(&eu, "1.234.567,89"), "1234567.89");
    expect_error(&eu, "1,234.5", "is not a number");
    at_convert none;
    at_convert_init(&none, AT_CONVERT_NUMBER);
    none.thousands = 0;
    expect_error(&none, "1,234", "is not a number");
}

static void money_with_currency_markers(void **state)
{
    (void)state;
    at_convert m;
    at_convert_init(&m, AT_CONVERT_MONEY);
    assert_string_equal(ok(&m, "$1,234.50"), "1234.50");
    assert_string_equal(ok(&m, "USD 1,234.50"), "1234.50");
    assert_string_equal(ok(&m, "1,234.50 EUR"), "1234.50");
    assert_string_equal(ok(&m, "-$12"), "-12");
    assert_string_equal(ok(&m, "$-12"), "-12");
    assert_string_equal(ok(&m, "($1,000)"), "-1000");
    assert_string_equal(ok(&m, "\xe2\x82\xac" "5"), "5"); /* €5 */
    assert_string_equal(ok(&m, "700"), "700");
    expect_error(&m, "ABC 12", "'ABC' is not a currency code");
    expect_error(&m, "$", "is not a money amount");
    expect_error(&m, "$1,2", "is not a money amount");
    memcpy(m.currency, "USD", 4);
    assert_string_equal(ok(&m, "USD 5"), "5");
    expect_error(&m, "EUR 5", "is in EUR, not USD");
}

static void percent_and_case_and_trim(void **state)
{
    (void)state;
    at_convert p;
    at_convert_init(&p, AT_CONVERT_PERCENT);
    assert_string_equal(ok(&p, "25"), "25%");
    assert_string_equal(ok(&p, "12.5 %"), "12.5%");
    assert_string_equal(ok(&p, "100%"), "100%");
    expect_error(&p, "ten", "is not a percentage");
    at_convert t, lo, up;
    at_convert_init(&t, AT_CONVERT_TRIM);
    at_convert_init(&lo, AT_CONVERT_LOWER);
    at_convert_init(&up, AT_CONVERT_UPPER);
    assert_string_equal(ok(&t, "  Closed Won \t"), "Closed Won");
    assert_string_equal(ok(&lo, "Closed Won \xc3\x89"), "closed won \xc3\x89");
    assert_string_equal(ok(&up, "us"), "US");
}

static void scale_is_exact(void **state)
{
    (void)state;
    at_convert s;
    at_convert_init(&s, AT_CONVERT_SCALE);
    at_error err;
    assert_int_equal(at_convert_parse_factor(at_str_from("1000000"), &s, &err), AT_OK);
    assert_string_equal(ok(&s, "1100.04"), "1100040000");
    assert_string_equal(ok(&s, "0.0000015"), "1.5");
    assert_string_equal(ok(&s, "-2.5"), "-2500000");
    assert_string_equal(ok(&s, "0"), "0");
    assert_string_equal(ok(&s, "0.00"), "0");
    assert_int_equal(at_convert_parse_factor(at_str_from("0.01"), &s, &err), AT_OK);
    assert_string_equal(ok(&s, "12345"), "123.45");
    assert_string_equal(ok(&s, "5"), "0.05");
    assert_string_equal(ok(&s, "100"), "1");
    assert_int_equal(at_convert_parse_factor(at_str_from("-1"), &s, &err), AT_OK);
    assert_string_equal(ok(&s, "-3.10"), "3.1");
    expect_error(&s, "1,000", "is not a number that can be scaled");
    assert_int_equal(at_convert_parse_factor(at_str_from("0"), &s, &err), AT_ERR_INVALID);
    assert_int_equal(at_convert_parse_factor(at_str_from("1e6"), &s, &err), AT_ERR_INVALID);
}

static void kinds_by_name(void **state)
{
    (void)state;
    at_convert_kind k;
    at_error err;
    assert_int_equal(at_convert_kind_parse(at_str_from("money"), &k, &err), AT_OK);
    assert_int_equal(k, AT_CONVERT_MONEY);
    assert_string_equal(at_convert_kind_name(AT_CONVERT_SCALE), "scale");
    assert_int_equal(at_convert_kind_parse(at_str_from("Money"), &k, &err), AT_ERR_NOT_FOUND);
    assert_non_null(strstr(err.hint, "percent"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(dates_in_us_and_european_forms),
        cmocka_unit_test(date_errors_say_what_is_wrong),
        cmocka_unit_test(times_with_clock_and_offset),
        cmocka_unit_test(bad_patterns_are_refused),
        cmocka_unit_test(numbers_with_separators),
        cmocka_unit_test(money_with_currency_markers),
        cmocka_unit_test(percent_and_case_and_trim),
        cmocka_unit_test(scale_is_exact),
        cmocka_unit_test(kinds_by_name),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
