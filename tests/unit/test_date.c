/* test_date.c - civil days, weekdays, month arithmetic, date and timestamp parsing/formatting.
 * Every expected value below is worked out by hand (the arithmetic is in the comments). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "core/date.h"

/* 1970-01-01 .. 2026-01-01: 56 years, of which 14 leap (1972, 1976, ..., 2024; 2000 is one),
 * so 56 * 365 + 14 = 20454 days. */
#define DAY_2026_01_01 20454

static void leap_years(void **state)
{
    (void)state;
    assert_false(at_is_leap_year(1900)); /* divisible by 100, not by 400 */
    assert_true(at_is_leap_year(2000));  /* divisible by 400 */
    assert_true(at_is_leap_year(2024));
    assert_false(at_is_leap_year(2023));
    assert_false(at_is_leap_year(2100));
    assert_true(at_is_leap_year(2400));
    assert_true(at_is_leap_year(4));
    assert_false(at_is_leap_year(1));
    assert_int_equal(at_days_in_month(1900, 2), 28);
    assert_int_equal(at_days_in_month(2000, 2), 29);
    assert_int_equal(at_days_in_month(2024, 2), 29);
    assert_int_equal(at_days_in_month(2023, 2), 28);
    assert_int_equal(at_days_in_month(2026, 4), 30);
    assert_int_equal(at_days_in_month(2026, 12), 31);
    assert_int_equal(at_days_in_month(2026, 0), 0);
    assert_int_equal(at_days_in_month(2026, 13), 0);
}

static void ymd_validity(void **state)
{
    (void)state;
    assert_true(at_ymd_valid(2024, 2, 29));
    assert_false(at_ymd_valid(2023, 2, 29));
    assert_false(at_ymd_valid(1900, 2, 29));
    assert_true(at_ymd_valid(1, 1, 1));
    assert_true(at_ymd_valid(9999, 12, 31));
    assert_false(at_ymd_valid(0, 12, 31));
    assert_false(at_ymd_valid(10000, 1, 1));
    assert_false(at_ymd_valid(2026, 4, 31));
    assert_false(at_ymd_valid(2026, 0, 1));
    assert_false(at_ymd_valid(2026, 13, 1));
    assert_false(at_ymd_valid(2026, 1, 0));
    assert_false(at_ymd_valid(2026, 1, 32));
}

static void known_days(void **state)
{
    (void)state;
    assert_int_equal(at_day_from_ymd(1970, 1, 1), 0);
    assert_int_equal(at_day_from_ymd(1969, 12, 31), -1);
    assert_int_equal(at_day_from_ymd(1970, 1, 2), 1);
    /* 1970..1999: 30 years, 7 leap (1972..1996) -> 10957; + Jan 31 + Feb 29 */
    assert_int_equal(at_day_from_ymd(2000, 3, 1), 10957 + 31 + 29);
    assert_int_equal(at_day_from_ymd(2026, 1, 1), DAY_2026_01_01);
    /* + Jan 31 + Feb 28 + Mar 30 more days */
    assert_int_equal(at_day_from_ymd(2026, 3, 31), DAY_2026_01_01 + 31 + 28 + 30);
    /* 2^31 - 1 seconds = 24855 days + 11647 s: 2038-01-19T03:14:07Z */
    assert_int_equal(at_day_from_ymd(2038, 1, 19), 24855);
    /* 0001-01-01 .. 1970-01-01: 1969 years, 492 - 19 + 4 = 477 leap: 1969 * 365 + 477 */
    assert_int_equal(at_day_from_ymd(1, 1, 1), -(1969 * 365 + 477));
    assert_int_equal(AT_DAY_MIN, -(1969 * 365 + 477));
    /* 1970 .. 9999: 8030 years, (2499 - 99 + 24) - 477 = 1947 leap; minus one day */
    assert_int_equal(at_day_from_ymd(9999, 12, 31), 8030 * 365 + 1947 - 1);
    assert_int_equal(AT_DAY_MAX, 8030 * 365 + 1947 - 1);

    int y, m, d;
    at_day_to_ymd(-1, &y, &m, &d);
    assert_int_equal(y, 1969);
    assert_int_equal(m, 12);
    assert_int_equal(d, 31);
    at_day_to_ymd(10957 + 31 + 28, &y, &m, &d); /* the leap day of 2000 */
    assert_int_equal(y, 2000);
    assert_int_equal(m, 2);
    assert_int_equal(d, 29);
    /* outside the supported range it still answers: the day before 0001-01-01 */
    at_day_to_ymd(AT_DAY_MIN - 1, &y, &m, &d);
    assert_int_equal(y, 0);
    assert_int_equal(m, 12);
    assert_int_equal(d, 31);
    at_day_to_ymd(AT_DAY_MAX + 1, &y, &m, &d);
    assert_int_equal(y, 10000);
    assert_int_equal(m, 1);
    assert_int_equal(d, 1);
    at_day_to_ymd(0, NULL, NULL, &d); /* NULL outputs are allowed */
    assert_int_equal(d, 1);
}

/* Every day 0001-01-01..9999-12-31: days count up by one, weekdays cycle, and formatting then
 * parsing gives the day back. The expected values come from the loop, not from the code. */
static void round_trip_every_day(void **state)
{
    (void)state;
    at_day expected = AT_DAY_MIN;
    int weekday = 1; /* 0001-01-01 is a Monday in the proleptic Gregorian calendar */
    char want[AT_DATE_TEXT_MAX] = "YYYY-MM-DD", got[AT_DATE_TEXT_MAX];
    long failures = 0;
    for (int y = 1; y <= 9999; y++) {
        for (int m = 1; m <= 12; m++) {
            int dim = (m == 2) ? ((y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)) ? 29 : 28)
                      : (m == 4 || m == 6 || m == 9 || m == 11) ? 30
                                                                : 31;
            for (int d = 1; d <= dim; d++, expected++, weekday = weekday % 7 + 1) {
                int yy, mm, dd;
                at_day_to_ymd(expected, &yy, &mm, &dd);
                if (at_day_from_ymd(y, m, d) != expected || yy != y || mm != m || dd != d ||
                    at_day_weekday(expected) != weekday)
                    failures++;
                want[0] = (char)('0' + y / 1000);
                want[1] = (char)('0' + y / 100 % 10);
                want[2] = (char)('0' + y / 10 % 10);
                want[3] = (char)('0' + y % 10);
                want[5] = (char)('0' + m / 10);
                want[6] = (char)('0' + m % 10);
                want[8] = (char)('0' + d / 10);
                want[9] = (char)('0' + d % 10);
                at_day parsed = 0;
                if (at_day_format(expected, got, sizeof got) != 10 || strcmp(got, want) != 0 ||
                    at_day_parse(at_str_from(want), &parsed, NULL) != AT_OK || parsed != expected)
                    failures++;
            }
        }
    }
    assert_int_equal(failures, 0);
    assert_int_equal(expected - 1, AT_DAY_MAX);
}

static void weekdays(void **state)
{
    (void)state;
    assert_int_equal(at_day_weekday(0), 4);                             /* 1970-01-01 Thu */
    assert_int_equal(at_day_weekday(-1), 3);                            /* 1969-12-31 Wed */
    assert_int_equal(at_day_weekday(at_day_from_ymd(2000, 1, 1)), 6);   /* Saturday */
    assert_int_equal(at_day_weekday(at_day_from_ymd(1900, 1, 1)), 1);   /* Monday */
    assert_int_equal(at_day_weekday(at_day_from_ymd(2024, 2, 29)), 4);  /* Thursday */
    assert_int_equal(at_day_weekday(at_day_from_ymd(1969, 7, 20)), 7);  /* Moon landing, Sun */
    assert_int_equal(at_day_weekday(at_day_from_ymd(2026, 1, 1)), 4);   /* Thursday */
    /* 2026-03-31 is 89 days after a Thursday; 89 = 12 * 7 + 5: Thu + 5 = Tuesday */
    assert_int_equal(at_day_weekday(at_day_from_ymd(2026, 3, 31)), 2);
    assert_int_equal(at_day_weekday(AT_DAY_MIN), 1);                    /* Monday */
    assert_int_equal(at_day_weekday(AT_DAY_MAX), 5);                    /* Friday */
    assert_int_equal(at_day_weekday(INT32_MIN), at_day_weekday(INT32_MIN + 7));
    assert_string_equal(at_weekday_name(1), "Monday");
    assert_string_equal(at_weekday_name(7), "Sunday");
    assert_string_equal(at_weekday_name(0), "");
    assert_string_equal(at_month_name(2), "February");
    assert_string_equal(at_month_name(12), "December");
    assert_string_equal(at_month_name(13), "");
}

static void month_arithmetic_clamps(void **state)
{
    (void)state;
    at_day jan31_2024 = at_day_from_ymd(2024, 1, 31);
    assert_int_equal(at_day_add_months(jan31_2024, 1), at_day_from_ymd(2024, 2, 29));
    assert_int_equal(at_day_add_months(at_day_from_ymd(2023, 1, 31), 1),
                     at_day_from_ymd(2023, 2, 28));
    assert_int_equal(at_day_add_months(at_day_from_ymd(2024, 3, 31), -1),
                     at_day_from_ymd(2024, 2, 29));
    assert_int_equal(at_day_add_months(at_day_from_ymd(2024, 2, 29), 12),
                     at_day_from_ymd(2025, 2, 28));
    assert_int_equal(at_day_add_months(at_day_from_ymd(2024, 2, 29), 48),
                     at_day_from_ymd(2028, 2, 29));
    assert_int_equal(at_day_add_months(at_day_from_ymd(2025, 12, 15), 1),
                     at_day_from_ymd(2026, 1, 15));
    assert_int_equal(at_day_add_months(at_day_from_ymd(2026, 1, 15), -1),
                     at_day_from_ymd(2025, 12, 15));
    /* May 2026 - 15 months = February 2025, which has 28 days */
    assert_int_equal(at_day_add_months(at_day_from_ymd(2026, 5, 31), -15),
                     at_day_from_ymd(2025, 2, 28));
    assert_int_equal(at_day_add_months(at_day_from_ymd(2026, 8, 31), 1),
                     at_day_from_ymd(2026, 9, 30));
    assert_int_equal(at_day_add_months(jan31_2024, 0), jan31_2024);
    /* clamped to the supported range */
    assert_int_equal(at_day_add_months(AT_DAY_MAX, 1), AT_DAY_MAX);
    assert_int_equal(at_day_add_months(AT_DAY_MIN, -1), AT_DAY_MIN);
    assert_int_equal(at_day_add_months(0, INT_MAX), AT_DAY_MAX);
    assert_int_equal(at_day_add_months(0, INT_MIN), AT_DAY_MIN);
    assert_int_equal(at_day_add_months(at_day_from_ymd(9999, 11, 30), 1), AT_DAY_MAX - 1);
    assert_int_equal(at_day_add_months(at_day_from_ymd(9999, 11, 30), 2), AT_DAY_MAX); /* clamp */
}

static void date_format(void **state)
{
    (void)state;
    char buf[AT_DATE_TEXT_MAX];
    assert_int_equal(at_day_format(0, buf, sizeof buf), 10);
    assert_string_equal(buf, "1970-01-01");
    at_day_format(AT_DAY_MIN, buf, sizeof buf);
    assert_string_equal(buf, "0001-01-01");
    at_day_format(AT_DAY_MAX, buf, sizeof buf);
    assert_string_equal(buf, "9999-12-31");
    char small[5];
    assert_int_equal(at_day_format(DAY_2026_01_01, small, sizeof small), 10); /* cut, not overrun */
    assert_string_equal(small, "2026");
}

static void date_parse_ok(void **state)
{
    (void)state;
    at_day d = 123;
    assert_int_equal(at_day_parse(AT_STR("2024-02-29"), &d, NULL), AT_OK);
    assert_int_equal(d, 19782); /* 2024-01-01 = 20454 - 365 - 366 = 19723; + 31 + 28 */
    assert_int_equal(d, at_day_from_ymd(2024, 2, 29));
    /* a view that is not NUL-terminated: only its 10 bytes are read */
    const char text[] = "2026-01-01XYZ";
    assert_int_equal(at_day_parse(at_str_make(text, 10), &d, NULL), AT_OK);
    assert_int_equal(d, DAY_2026_01_01);
}

/* Parses, expects AT_ERR_INVALID with exactly this message and hint; *out untouched. */
static void expect_date_error(const char *text, const char *message, const char *hint)
{
    at_error e;
    at_day d = 777;
    assert_int_equal(at_day_parse(at_str_from(text), &d, &e), AT_ERR_INVALID);
    assert_int_equal(e.code, AT_ERR_INVALID);
    assert_string_equal(e.message, message);
    assert_string_equal(e.hint, hint);
    assert_string_equal(e.where, "");
    assert_int_equal(d, 777);
    assert_int_equal(at_day_parse(at_str_from(text), &d, NULL), AT_ERR_INVALID);
}

static void date_parse_errors(void **state)
{
    (void)state;
    const char *h = "use YYYY-MM-DD, e.g. 2026-03-31";
    expect_date_error("2026-02-30", "2026-02-30: day 30 does not exist in February 2026 (it has "
                      "28 days)", h);
    expect_date_error("2023-02-29", "2023-02-29: day 29 does not exist in February 2023 (it has "
                      "28 days)", h);
    expect_date_error("1900-02-29", "1900-02-29: day 29 does not exist in February 1900 (it has "
                      "28 days)", h);
    expect_date_error("2026-04-31", "2026-04-31: day 31 does not exist in April 2026 (it has "
                      "30 days)", h);
    expect_date_error("2026-13-01", "2026-13-01: month 13 does not exist (months are 01..12)", h);
    expect_date_error("2026-00-10", "2026-00-10: month 00 does not exist (months are 01..12)", h);
    expect_date_error("2026-01-00", "2026-01-00: day 00 does not exist (days start at 01)", h);
    expect_date_error("0000-01-01", "0000-01-01: year 0000 is outside 0001..9999", h);
    expect_date_error("", "the date is empty", h);
    expect_date_error("26-01-01", "26-01-01: the year must have 4 digits, found 2 ('26')", h);
    expect_date_error("20260-01-01", "20260-01-01: the year must have 4 digits, found 5 "
                      "('20260')", h);
    expect_date_error("2026/01/01", "2026/01/01: expected '-' after the year at character 5, "
                      "found '/'", h);
    expect_date_error("2026-01/01", "2026-01/01: expected '-' after the month at character 8, "
                      "found '/'", h);
    expect_date_error("2026-1-01", "2026-1-01: the month must have 2 digits, found 1 ('1')", h);
    expect_date_error("2026-01-1", "2026-01-1: the day must have 2 digits, found 1 ('1')", h);
    expect_date_error("2026-0a-01", "2026-0a-01: expected a digit of the month at character 7, "
                      "found 'a'", h);
    expect_date_error("2026-01-", "2026-01-: expected the day (2 digits) at character 9, found "
                      "the end of the text", h);
    expect_date_error("2026", "2026: expected '-' after the year at character 5, found the end "
                      "of the text", h);
    expect_date_error(" 2026-01-01", " 2026-01-01: expected the year (4 digits) at character 1, "
                      "found ' '", h);
    expect_date_error("Jan 1 2026", "Jan 1 2026: expected the year (4 digits) at character 1, "
                      "found 'J'", h);
    expect_date_error("01/02/2026", "01/02/2026: the year must have 4 digits, found 2 ('01')", h);
    expect_date_error("-2026-01-01", "-2026-01-01: expected the year (4 digits) at character 1, "
                      "found '-'", h);
    const char *after = "use YYYY-MM-DD, without a time or anything else";
    expect_date_error("2026-01-01 ", "2026-01-01 : unexpected ' ' after the date at character "
                      "11", after);
    expect_date_error("2026-01-01T00:00:00", "2026-01-01T00:00:00: unexpected 'T00:00:00' after "
                      "the date at character 11", after);
    expect_date_error("2026-01-01\n", "2026-01-01\\x0A: unexpected '\\x0A' after the date at "
                      "character 11", after);
    /* bytes outside printable ASCII are shown escaped; long text is cut */
    expect_date_error("\xEF\xBC\x92", "\\xEF\\xBC\\x92: expected the year (4 digits) at "
                      "character 1, found '\\xEF'", h);
    char longer[120];
    memset(longer, 'x', sizeof longer - 1);
    longer[sizeof longer - 1] = '\0';
    expect_date_error(longer, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...: expected the year "
                      "(4 digits) at character 1, found 'x'", h);
    /* an embedded NUL is a byte like any other */
    at_error e;
    at_day d;
    assert_int_equal(at_day_parse(at_str_make("2026-01-01\0", 11), &d, &e), AT_ERR_INVALID);
    assert_string_equal(e.message, "2026-01-01\\x00: unexpected '\\x00' after the date at "
                        "character 11");
}

static void time_format_and_days(void **state)
{
    (void)state;
    char buf[AT_TIME_TEXT_MAX];
    assert_int_equal(at_time_format(0, buf, sizeof buf), 20);
    assert_string_equal(buf, "1970-01-01T00:00:00Z");
    at_time_format(-1, buf, sizeof buf);
    assert_string_equal(buf, "1969-12-31T23:59:59Z");
    at_time_format(INT64_C(2147483647), buf, sizeof buf);
    assert_string_equal(buf, "2038-01-19T03:14:07Z");
    /* 9999-12-31 is day 2932896: 2932896 * 86400 + 86399 */
    at_time_format(INT64_C(253402300799), buf, sizeof buf);
    assert_string_equal(buf, "9999-12-31T23:59:59Z");
    at_time_format(INT64_C(-62135596800), buf, sizeof buf); /* -719162 * 86400 */
    assert_string_equal(buf, "0001-01-01T00:00:00Z");
    char small[8];
    assert_int_equal(at_time_format(0, small, sizeof small), 20);
    assert_string_equal(small, "1970-01");
    /* far outside any real date the text is still well formed and bounded */
    char wide[64];
    at_time_format(INT64_MAX, wide, sizeof wide);
    assert_true(strlen(wide) < sizeof wide);
    at_time_format(INT64_MIN, wide, sizeof wide);
    assert_true(strlen(wide) < sizeof wide);

    assert_int_equal(at_time_day(-1), -1);
    assert_int_equal(at_time_day(0), 0);
    assert_int_equal(at_time_day(86399), 0);
    assert_int_equal(at_time_day(86400), 1);
    assert_int_equal(at_time_day(-86400), -1);
    assert_int_equal(at_time_day(-86401), -2);
    assert_int_equal(at_time_day(INT64_MAX), INT32_MAX);
    assert_int_equal(at_time_day(INT64_MIN), INT32_MIN);
    assert_int_equal(at_time_from_day(DAY_2026_01_01), INT64_C(1767225600)); /* 20454 * 86400 */
    assert_int_equal(at_time_from_day(AT_DAY_MIN), INT64_C(-62135596800));
}

static at_time parse_time_ok(const char *text)
{
    at_error e;
    at_time t = -42;
    at_code c = at_time_parse(at_str_from(text), &t, &e);
    if (c != AT_OK)
        fail_msg("%s: %s", text, e.message);
    return t;
}

static void time_parse_offsets(void **state)
{
    (void)state;
    /* 2026-02-28 is day 20454 + 31 + 27 = 20512; 23:30 = 84600 s */
    const at_time feb28_2330 = INT64_C(20512) * 86400 + 84600;
    assert_int_equal(parse_time_ok("2026-02-28T23:30:00Z"), feb28_2330);
    /* 01:30 at +02:00 is 23:30 UTC the day before (across midnight and a month end) */
    assert_int_equal(parse_time_ok("2026-03-01T01:30:00+02:00"), feb28_2330);
    assert_int_equal(parse_time_ok("2026-03-01 01:30:00+02:00"), feb28_2330);
    assert_int_equal(parse_time_ok("2026-03-01t01:30:00+02:00"), feb28_2330);
    assert_int_equal(parse_time_ok("2026-02-28T23:30:00"), feb28_2330); /* no offset: UTC */
    assert_int_equal(parse_time_ok("2026-02-28T23:30:00z"), feb28_2330);
    assert_int_equal(parse_time_ok("2026-02-28T23:30:00-00:00"), feb28_2330);
    assert_int_equal(parse_time_ok("2026-02-28T23:30:00+00:00"), feb28_2330);
    /* 22:00 at -03:00 is 01:00 UTC the next day, across a year end:
     * 2025-01-01 = day 20454 - 365 = 20089 */
    assert_int_equal(parse_time_ok("2024-12-31T22:00:00-03:00"), INT64_C(20089) * 86400 + 3600);
    /* across a leap day: 2024-02-29 = day 20089 - 366 + 31 + 28 = 19782 */
    assert_int_equal(parse_time_ok("2024-02-28T23:30:00-01:00"), INT64_C(19782) * 86400 + 1800);
    /* half-hour and odd offsets: 05:30 at +05:30 is midnight UTC */
    assert_int_equal(parse_time_ok("2026-01-01T05:30:00+05:30"), INT64_C(1767225600));
    assert_int_equal(parse_time_ok("2026-01-01T00:00:00+14:00"), INT64_C(1767225600) - 14 * 3600);
    assert_int_equal(parse_time_ok("2026-01-01T00:00:00-23:59"),
                     INT64_C(1767225600) + 23 * 3600 + 59 * 60);
    /* a date alone is midnight UTC */
    assert_int_equal(parse_time_ok("2026-01-01"), INT64_C(1767225600));
    assert_int_equal(parse_time_ok("1970-01-01T00:00:00Z"), 0);
    assert_int_equal(parse_time_ok("1969-12-31T23:59:59Z"), -1);
    assert_int_equal(parse_time_ok("2038-01-19T03:14:07Z"), INT64_C(2147483647));
    assert_int_equal(parse_time_ok("2038-01-19T03:14:08Z"), INT64_C(2147483648));
    /* fractions are dropped, never rounded: the moment stays in its second and day */
    assert_int_equal(parse_time_ok("1970-01-01T00:00:00.999999999Z"), 0);
    assert_int_equal(parse_time_ok("1969-12-31T23:59:59.5Z"), -1);
    assert_int_equal(parse_time_ok("2026-02-28T23:30:00.1+00:00"), feb28_2330);
    /* the ends of the range */
    assert_int_equal(parse_time_ok("0001-01-01T00:00:00Z"), INT64_C(-62135596800));
    assert_int_equal(parse_time_ok("0001-01-01T00:30:00-01:00"), INT64_C(-62135596800) + 5400);
    assert_int_equal(parse_time_ok("9999-12-31T23:59:59Z"), INT64_C(253402300799));
    assert_int_equal(parse_time_ok("9999-12-31T23:30:00+01:00"),
                     INT64_C(253402300799) - 86399 + 23 * 3600 + 30 * 60 - 3600);

    char buf[AT_TIME_TEXT_MAX];
    at_time_format(parse_time_ok("2024-12-31T22:00:00-03:00"), buf, sizeof buf);
    assert_string_equal(buf, "2025-01-01T01:00:00Z");
    at_time_format(parse_time_ok("2026-03-01T01:30:00+02:00"), buf, sizeof buf);
    assert_string_equal(buf, "2026-02-28T23:30:00Z");
    assert_int_equal(at_time_day(parse_time_ok("2026-03-01T01:30:00+02:00")), 20512);
}

static void expect_time_error(const char *text, const char *message)
{
    at_error e;
    at_time t = 777;
    assert_int_equal(at_time_parse(at_str_from(text), &t, &e), AT_ERR_INVALID);
    assert_string_equal(e.message, message);
    assert_true(strstr(e.hint, "YYYY-MM-DD") != NULL);
    assert_int_equal(t, 777);
    assert_int_equal(at_time_parse(at_str_from(text), &t, NULL), AT_ERR_INVALID);
}

static void time_parse_errors(void **state)
{
    (void)state;
    expect_time_error("", "the timestamp is empty");
    expect_time_error("2026-02-30T00:00:00Z", "2026-02-30T00:00:00Z: day 30 does not exist in "
                      "February 2026 (it has 28 days)");
    expect_time_error("2026-03-01T24:00:00", "2026-03-01T24:00:00: hour 24 is outside 00..23");
    expect_time_error("2026-03-01T10:60:00", "2026-03-01T10:60:00: minute 60 is outside 00..59");
    expect_time_error("2026-03-01T23:59:60Z", "2026-03-01T23:59:60Z: second 60 is outside "
                      "00..59 (leap seconds are not supported)");
    expect_time_error("2026-03-01T10:00", "2026-03-01T10:00: expected ':' after the minute at "
                      "character 17, found the end of the text");
    expect_time_error("2026-03-01T10", "2026-03-01T10: expected ':' after the hour at character "
                      "14, found the end of the text");
    expect_time_error("2026-03-01T", "2026-03-01T: expected the hour (2 digits) at character 12, "
                      "found the end of the text");
    expect_time_error("2026-03-01T9:00:00", "2026-03-01T9:00:00: the hour must have 2 digits, "
                      "found 1 ('9')");
    expect_time_error("2026-03-01X10:00:00", "2026-03-01X10:00:00: expected 'T' or a space "
                      "between the date and the time at character 11, found 'X'");
    expect_time_error("2026-03-01T10:00:00.", "2026-03-01T10:00:00.: expected digits of a "
                      "fraction of a second after '.' at character 21, found the end of the "
                      "text");
    expect_time_error("2026-03-01T10:00:00.1234567890", "2026-03-01T10:00:00.1234567890: the "
                      "fraction of a second has 10 digits; at most 9 are accepted");
    expect_time_error("2026-03-01T10:00:00+0200", "2026-03-01T10:00:00+0200: the offset hour "
                      "must have 2 digits, found 4 ('0200')");
    expect_time_error("2026-03-01T10:00:00+02", "2026-03-01T10:00:00+02: expected ':' after the "
                      "offset hour at character 23, found the end of the text");
    expect_time_error("2026-03-01T10:00:00+24:00", "2026-03-01T10:00:00+24:00: offset hour 24 "
                      "is outside 00..23");
    expect_time_error("2026-03-01T10:00:00+02:60", "2026-03-01T10:00:00+02:60: offset minute 60 "
                      "is outside 00..59");
    expect_time_error("2026-03-01T10:00:00+", "2026-03-01T10:00:00+: expected the offset hour "
                      "(2 digits) at character 21, found the end of the text");
    expect_time_error("2026-03-01T10:00:00Z ", "2026-03-01T10:00:00Z : unexpected ' ' after the "
                      "time zone at character 21");
    expect_time_error("2026-03-01T10:00:00+02:00Z", "2026-03-01T10:00:00+02:00Z: unexpected 'Z' "
                      "after the time zone at character 26");
    expect_time_error("2026-03-01T10:00:00 UTC", "2026-03-01T10:00:00 UTC: unexpected ' UTC' "
                      "after the time (expected Z, +hh:mm or -hh:mm, or nothing) at character "
                      "20");
    expect_time_error("0001-01-01T00:30:00+01:00", "0001-01-01T00:30:00+01:00: in UTC this is "
                      "before 0001-01-01T00:00:00Z, the first moment supported");
    expect_time_error("9999-12-31T23:30:00-01:00", "9999-12-31T23:30:00-01:00: in UTC this is "
                      "after 9999-12-31T23:59:59Z, the last moment supported");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(leap_years),
        cmocka_unit_test(ymd_validity),
        cmocka_unit_test(known_days),
        cmocka_unit_test(round_trip_every_day),
        cmocka_unit_test(weekdays),
        cmocka_unit_test(month_arithmetic_clamps),
        cmocka_unit_test(date_format),
        cmocka_unit_test(date_parse_ok),
        cmocka_unit_test(date_parse_errors),
        cmocka_unit_test(time_format_and_days),
        cmocka_unit_test(time_parse_offsets),
        cmocka_unit_test(time_parse_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
