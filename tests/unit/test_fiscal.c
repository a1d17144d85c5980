/* test_fiscal.c - fiscal calendars: settings, year bounds, period tables, labels, lookups and
 * period arithmetic. Every date below is worked out by hand; the arithmetic is in the comments.
 *
 * Weekdays used below (from 2022-01-01, a Saturday, adding 365 days = 1 weekday, 366 = 2):
 *   2022-01-01 Sat, 2023-01-01 Sun, 2024-01-01 Mon, 2025-01-01 Wed, 2026-01-01 Thu,
 *   2027-01-01 Fri. January 31 is 30 days after January 1st, 30 = 4 * 7 + 2: two weekdays on:
 *   2022-01-31 Mon, 2023-01-31 Tue, 2024-01-31 Wed, 2025-01-31 Fri, 2026-01-31 Sat,
 *   2027-01-31 Sun. December 31 is 364 days after January 1st (1 day later in a leap year):
 *   2019-12-31 Tue, 2020-12-31 Thu, 2021-12-31 Fri, 2022-12-31 Sat. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <limits.h>
#include <string.h>

#include "core/fiscal.h"

static at_day D(int y, int m, int d)
{
    return at_day_from_ymd(y, m, d);
}

static at_fiscal_calendar months_calendar(int start_month, at_fiscal_naming named_by)
{
    at_fiscal_calendar c;
    at_fiscal_calendar_default(&c);
    c.start_month = start_month;
    c.named_by = named_by;
    return c;
}

static at_fiscal_calendar weeks_calendar(int start_month, at_fiscal_naming named_by,
                                         at_fiscal_pattern pattern, at_fiscal_end_rule rule)
{
    at_fiscal_calendar c = months_calendar(start_month, named_by);
    c.pattern = pattern;
    c.week_ends_on = 6; /* Saturday */
    c.end_rule = rule;
    return c;
}

static void build(const at_fiscal_calendar *cal, int first, int last, at_fiscal_table *t)
{
    at_error e;
    if (at_fiscal_table_build(cal, first, last, t, &e) != AT_OK)
        fail_msg("build: %s", e.message);
}

static const at_period *label(const at_fiscal_table *t, const char *text)
{
    at_error e;
    const at_period *p = NULL;
    if (at_fiscal_parse_label(t, at_str_from(text), &p, &e) != AT_OK)
        fail_msg("%s: %s", text, e.message);
    assert_string_equal(p->label, text);
    return p;
}

static void expect_period(const at_period *p, at_period_kind kind, int fy, int number,
                          at_day first, at_day last, const char *text)
{
    assert_int_equal(p->kind, kind);
    assert_int_equal(p->fiscal_year, fy);
    assert_int_equal(p->number, number);
    assert_int_equal(p->first, first);
    assert_int_equal(p->last, last);
    assert_string_equal(p->label, text);
}

/* The period of `kind` containing day has this label. */
static void expect_find(const at_fiscal_table *t, at_period_kind kind, at_day day,
                        const char *text)
{
    at_error e;
    const at_period *p = NULL;
    if (at_fiscal_find(t, kind, day, &p, &e) != AT_OK)
        fail_msg("find %s: %s", text, e.message);
    assert_string_equal(p->label, text);
    assert_true(at_period_contains(p, day));
}

/* ---- calendar months ------------------------------------------------------------------------ */

static void months_starting_in_january(void **state)
{
    (void)state;
    at_fiscal_calendar c = months_calendar(1, AT_FISCAL_NAMED_BY_END);
    at_fiscal_table t;
    build(&c, 2025, 2027, &t);
    assert_int_equal(t.counts[AT_PERIOD_MONTH], 36);
    assert_int_equal(t.counts[AT_PERIOD_QUARTER], 12);
    assert_int_equal(t.counts[AT_PERIOD_HALF], 6);
    assert_int_equal(t.counts[AT_PERIOD_YEAR], 3);
    expect_period(label(&t, "2026"), AT_PERIOD_YEAR, 2026, 1, D(2026, 1, 1), D(2026, 12, 31),
                  "2026");
    expect_period(label(&t, "2026-03"), AT_PERIOD_MONTH, 2026, 3, D(2026, 3, 1), D(2026, 3, 31),
                  "2026-03");
    expect_period(label(&t, "2026-02"), AT_PERIOD_MONTH, 2026, 2, D(2026, 2, 1), D(2026, 2, 28),
                  "2026-02");
    expect_period(label(&t, "2026-Q1"), AT_PERIOD_QUARTER, 2026, 1, D(2026, 1, 1),
                  D(2026, 3, 31), "2026-Q1");
    expect_period(label(&t, "2026-Q4"), AT_PERIOD_QUARTER, 2026, 4, D(2026, 10, 1),
                  D(2026, 12, 31), "2026-Q4");
    expect_period(label(&t, "2026-H2"), AT_PERIOD_HALF, 2026, 2, D(2026, 7, 1), D(2026, 12, 31),
                  "2026-H2");
    assert_int_equal(at_period_days(label(&t, "2026")), 365);
    assert_int_equal(at_period_days(label(&t, "2026-Q1")), 31 + 28 + 31);
    assert_int_equal(at_period_days(label(&t, "2026-H2")), 31 + 31 + 30 + 31 + 30 + 31);
    assert_int_equal(at_period_days(label(&t, "2025-02")), 28);
    expect_find(&t, AT_PERIOD_MONTH, D(2026, 2, 14), "2026-02");
    expect_find(&t, AT_PERIOD_QUARTER, D(2026, 6, 30), "2026-Q2");
    expect_find(&t, AT_PERIOD_QUARTER, D(2026, 7, 1), "2026-Q3");
    expect_find(&t, AT_PERIOD_HALF, D(2026, 6, 30), "2026-H1");
    expect_find(&t, AT_PERIOD_YEAR, D(2027, 12, 31), "2027");
    expect_find(&t, AT_PERIOD_MONTH, D(2025, 1, 1), "2025-01");
    at_fiscal_table_free(&t);

    /* with January as the start month, naming by start gives the same names */
    c.named_by = AT_FISCAL_NAMED_BY_START;
    build(&c, 2026, 2026, &t);
    expect_period(label(&t, "2026"), AT_PERIOD_YEAR, 2026, 1, D(2026, 1, 1), D(2026, 12, 31),
                  "2026");
    at_fiscal_table_free(&t);
}

static void months_starting_in_february(void **state)
{
    (void)state;
    /* named by end: FY2026 = February 2025 .. January 2026 */
    at_fiscal_calendar c = months_calendar(2, AT_FISCAL_NAMED_BY_END);
    at_fiscal_table t;
    build(&c, 2025, 2027, &t);
    expect_period(label(&t, "2026"), AT_PERIOD_YEAR, 2026, 1, D(2025, 2, 1), D(2026, 1, 31),
                  "2026");
    expect_period(label(&t, "2026-01"), AT_PERIOD_MONTH, 2026, 1, D(2025, 2, 1), D(2025, 2, 28),
                  "2026-01");
    expect_period(label(&t, "2026-12"), AT_PERIOD_MONTH, 2026, 12, D(2026, 1, 1),
                  D(2026, 1, 31), "2026-12");
    expect_period(label(&t, "2026-Q1"), AT_PERIOD_QUARTER, 2026, 1, D(2025, 2, 1),
                  D(2025, 4, 30), "2026-Q1");
    expect_period(label(&t, "2026-Q4"), AT_PERIOD_QUARTER, 2026, 4, D(2025, 11, 1),
                  D(2026, 1, 31), "2026-Q4");
    expect_period(label(&t, "2026-H1"), AT_PERIOD_HALF, 2026, 1, D(2025, 2, 1), D(2025, 7, 31),
                  "2026-H1");
    expect_period(label(&t, "2026-H2"), AT_PERIOD_HALF, 2026, 2, D(2025, 8, 1), D(2026, 1, 31),
                  "2026-H2");
    assert_int_equal(at_period_days(label(&t, "2026-Q1")), 28 + 31 + 30);
    assert_int_equal(at_period_days(label(&t, "2026-Q4")), 30 + 31 + 31);
    /* FY2025 = Feb 2024 .. Jan 2025 holds 2024-02-29 */
    assert_int_equal(at_period_days(label(&t, "2025")), 366);
    expect_period(label(&t, "2025-01"), AT_PERIOD_MONTH, 2025, 1, D(2024, 2, 1), D(2024, 2, 29),
                  "2025-01");
    /* 2025-12-15: December is the 11th month from February */
    expect_find(&t, AT_PERIOD_MONTH, D(2025, 12, 15), "2026-11");
    expect_find(&t, AT_PERIOD_QUARTER, D(2025, 12, 15), "2026-Q4");
    expect_find(&t, AT_PERIOD_HALF, D(2025, 12, 15), "2026-H2");
    expect_find(&t, AT_PERIOD_YEAR, D(2025, 12, 15), "2026");
    /* the year boundary */
    expect_find(&t, AT_PERIOD_MONTH, D(2025, 1, 31), "2025-12");
    expect_find(&t, AT_PERIOD_MONTH, D(2025, 2, 1), "2026-01");
    expect_find(&t, AT_PERIOD_YEAR, D(2025, 1, 31), "2025");
    expect_find(&t, AT_PERIOD_YEAR, D(2025, 2, 1), "2026");
    /* the table's edges: it covers 2024-02-01 .. 2027-01-31 */
    expect_find(&t, AT_PERIOD_MONTH, D(2024, 2, 1), "2025-01");
    expect_find(&t, AT_PERIOD_MONTH, D(2027, 1, 31), "2027-12");
    at_error e;
    const at_period *p = NULL;
    assert_int_equal(at_fiscal_find(&t, AT_PERIOD_MONTH, D(2024, 1, 31), &p, &e),
                     AT_ERR_NOT_FOUND);
    assert_string_equal(e.message, "2024-01-31 is before FY2025, the first fiscal year of the "
                                   "calendar (it starts 2024-02-01)");
    assert_string_equal(e.hint, "build the fiscal calendar for more fiscal years");
    assert_int_equal(at_fiscal_find(&t, AT_PERIOD_QUARTER, D(2027, 2, 1), &p, &e),
                     AT_ERR_NOT_FOUND);
    assert_string_equal(e.message, "2027-02-01 is after FY2027, the last fiscal year of the "
                                   "calendar (it ends 2027-01-31)");
    assert_null(p);
    at_fiscal_table_free(&t);

    /* named by start: the same days are FY2025 */
    c.named_by = AT_FISCAL_NAMED_BY_START;
    build(&c, 2025, 2025, &t);
    expect_period(label(&t, "2025"), AT_PERIOD_YEAR, 2025, 1, D(2025, 2, 1), D(2026, 1, 31),
                  "2025");
    expect_period(label(&t, "2025-01"), AT_PERIOD_MONTH, 2025, 1, D(2025, 2, 1), D(2025, 2, 28),
                  "2025-01");
    at_fiscal_table_free(&t);

    /* start month 7, named by end: FY2026 = 2025-07-01 .. 2026-06-30 */
    c = months_calendar(7, AT_FISCAL_NAMED_BY_END);
    at_day first, last;
    assert_int_equal(at_fiscal_year_bounds(&c, 2026, &first, &last, &e), AT_OK);
    assert_int_equal(first, D(2025, 7, 1));
    assert_int_equal(last, D(2026, 6, 30));
}

/* ---- week calendars ----------------------------------------------------------------------- */

/* 4-4-5, years end on the LAST Saturday of January, start month February, named by end.
 *
 * Is the year that ends in January 2024 over on 2024-02-03? No: 2024-01-31 is a Wednesday, so
 * the last Saturday of January 2024 is 3 + 1 = 4 days earlier, 2024-01-27. (2024-02-03 is the
 * Saturday NEAREST the end of January -- 3 days after Wednesday the 31st, against 4 days before
 * -- which is the NRF rule tested in nrf_454_nearest below.)
 *
 * Year ends (last Saturday of January): 2023-01-28 (31st Tue, 3 back), 2024-01-27 (31st Wed, 4
 * back), 2025-01-25 (31st Fri, 6 back), 2026-01-31 (31st is a Saturday), 2027-01-30 (31st Sun,
 * 1 back). So:
 *   FY2024 = 2023-01-29 .. 2024-01-27: 364 days, 52 weeks
 *   FY2025 = 2024-01-28 .. 2025-01-25: 364 days (366 from Jan 28 to Jan 28, less 3), 52 weeks
 *   FY2026 = 2025-01-26 .. 2026-01-31: 371 days (365 + 6), 53 weeks
 *   FY2027 = 2026-02-01 .. 2027-01-30: 364 days (365 less 1), 52 weeks
 * FY2026 month by month, 4-4-5 weeks, the 53rd week in month 12:
 *   01 Jan 26 - Feb 22 (4w)  02 Feb 23 - Mar 22 (4w)  03 Mar 23 - Apr 26 (5w)
 *   04 Apr 27 - May 24 (4w)  05 May 25 - Jun 21 (4w)  06 Jun 22 - Jul 26 (5w)
 *   07 Jul 27 - Aug 23 (4w)  08 Aug 24 - Sep 20 (4w)  09 Sep 21 - Oct 25 (5w)
 *   10 Oct 26 - Nov 22 (4w)  11 Nov 23 - Dec 20 (4w)  12 Dec 21 - 2026-01-31 (5w + 1 = 42 d) */
static void weeks_445_last_saturday(void **state)
{
    (void)state;
    at_fiscal_calendar c =
        weeks_calendar(2, AT_FISCAL_NAMED_BY_END, AT_FISCAL_445, AT_FISCAL_END_LAST);
    at_fiscal_table t;
    build(&c, 2024, 2027, &t);
    expect_period(label(&t, "2024"), AT_PERIOD_YEAR, 2024, 1, D(2023, 1, 29), D(2024, 1, 27),
                  "2024");
    expect_period(label(&t, "2025"), AT_PERIOD_YEAR, 2025, 1, D(2024, 1, 28), D(2025, 1, 25),
                  "2025");
    expect_period(label(&t, "2026"), AT_PERIOD_YEAR, 2026, 1, D(2025, 1, 26), D(2026, 1, 31),
                  "2026");
    expect_period(label(&t, "2027"), AT_PERIOD_YEAR, 2027, 1, D(2026, 2, 1), D(2027, 1, 30),
                  "2027");
    assert_int_equal(at_period_days(label(&t, "2024")), 364);
    assert_int_equal(at_period_days(label(&t, "2025")), 364);
    assert_int_equal(at_period_days(label(&t, "2026")), 371);
    assert_int_equal(at_period_days(label(&t, "2027")), 364);

    static const int ends[12][2] = {{2, 22}, {3, 22}, {4, 26}, {5, 24},  {6, 21},  {7, 26},
                                    {8, 23}, {9, 20}, {10, 25}, {11, 22}, {12, 20}, {1, 31}};
    at_day first = D(2025, 1, 26);
    for (int i = 0; i < 12; i++) {
        const at_period *m = NULL;
        assert_int_equal(at_fiscal_get(&t, AT_PERIOD_MONTH, 2026, i + 1, &m, NULL), AT_OK);
        at_day last = D(i == 11 ? 2026 : 2025, ends[i][0], ends[i][1]);
        assert_int_equal(m->first, first);
        assert_int_equal(m->last, last);
        assert_int_equal(at_day_weekday(m->last), 6); /* every period ends on a Saturday */
        first = last + 1;
    }
    assert_int_equal(at_period_days(label(&t, "2026-03")), 35);
    assert_int_equal(at_period_days(label(&t, "2026-12")), 42);
    /* quarters are 13 weeks, Q4 14 in the 53-week year; halves 26 and 27 */
    expect_period(label(&t, "2026-Q1"), AT_PERIOD_QUARTER, 2026, 1, D(2025, 1, 26),
                  D(2025, 4, 26), "2026-Q1");
    assert_int_equal(at_period_days(label(&t, "2026-Q1")), 91);
    assert_int_equal(at_period_days(label(&t, "2026-Q4")), 98);
    assert_int_equal(at_period_days(label(&t, "2026-H1")), 182);
    assert_int_equal(at_period_days(label(&t, "2026-H2")), 189);
    assert_int_equal(at_period_days(label(&t, "2027-Q4")), 91);
    /* the days around the 53-week year's end */
    expect_find(&t, AT_PERIOD_MONTH, D(2026, 1, 31), "2026-12");
    expect_find(&t, AT_PERIOD_MONTH, D(2026, 2, 1), "2027-01");
    expect_find(&t, AT_PERIOD_YEAR, D(2025, 1, 25), "2025");
    expect_find(&t, AT_PERIOD_YEAR, D(2025, 1, 26), "2026");

    int fy = 0;
    assert_int_equal(at_fiscal_year_of_day(&c, D(2026, 1, 31), &fy, NULL), AT_OK);
    assert_int_equal(fy, 2026);
    assert_int_equal(at_fiscal_year_of_day(&c, D(2026, 2, 1), &fy, NULL), AT_OK);
    assert_int_equal(fy, 2027);
    /* January 26..31 2025 are nominally January (FY2025) but belong to FY2026 */
    assert_int_equal(at_fiscal_year_of_day(&c, D(2025, 1, 27), &fy, NULL), AT_OK);
    assert_int_equal(fy, 2026);
    at_fiscal_table_free(&t);
}

/* The NRF 4-5-4 retail calendar: years end on the Saturday NEAREST the end of January and are
 * named by the year they start in. Its fiscal 2023 was a 53-week year:
 *   end of FY2022: 2023-01-31 is a Tuesday; Saturday 28th is 3 back, Saturday Feb 4th 4 on:
 *                  2023-01-28
 *   end of FY2023: 2024-01-31 is a Wednesday; Saturday 27th is 4 back, Saturday Feb 3rd 3 on:
 *                  2024-02-03
 *   end of FY2024: 2025-01-31 is a Friday; Saturday Feb 1st is 1 on: 2025-02-01
 *   end of FY2021: 2022-01-31 is a Monday; Saturday 29th is 2 back: 2022-01-29
 *   FY2023 = 2023-01-29 .. 2024-02-03 = 365 (to 2024-01-29) + 5 + 1 = 371 days, 53 weeks.
 * Its months, 4-5-4 weeks, the 53rd week in month 12 (January), as NRF publishes them:
 *   Feb Jan 29-Feb 25, Mar Feb 26-Apr 1, Apr Apr 2-Apr 29, May Apr 30-May 27, Jun May 28-Jul 1,
 *   Jul Jul 2-Jul 29, Aug Jul 30-Aug 26, Sep Aug 27-Sep 30, Oct Oct 1-Oct 28, Nov Oct 29-Nov 25,
 *   Dec Nov 26-Dec 30, Jan Dec 31-2024-02-03 (4w + 1 = 35 days). */
static void nrf_454_nearest(void **state)
{
    (void)state;
    at_fiscal_calendar c =
        weeks_calendar(2, AT_FISCAL_NAMED_BY_START, AT_FISCAL_454, AT_FISCAL_END_NEAREST);
    at_fiscal_table t;
    build(&c, 2022, 2024, &t);
    expect_period(label(&t, "2022"), AT_PERIOD_YEAR, 2022, 1, D(2022, 1, 30), D(2023, 1, 28),
                  "2022");
    expect_period(label(&t, "2023"), AT_PERIOD_YEAR, 2023, 1, D(2023, 1, 29), D(2024, 2, 3),
                  "2023");
    expect_period(label(&t, "2024"), AT_PERIOD_YEAR, 2024, 1, D(2024, 2, 4), D(2025, 2, 1),
                  "2024");
    assert_int_equal(at_period_days(label(&t, "2022")), 364);
    assert_int_equal(at_period_days(label(&t, "2023")), 371);
    assert_int_equal(at_period_days(label(&t, "2024")), 364);

    static const int spans[12][4] = {{1, 29, 2, 25},  {2, 26, 4, 1},   {4, 2, 4, 29},
                                     {4, 30, 5, 27},  {5, 28, 7, 1},   {7, 2, 7, 29},
                                     {7, 30, 8, 26},  {8, 27, 9, 30},  {10, 1, 10, 28},
                                     {10, 29, 11, 25}, {11, 26, 12, 30}, {12, 31, 2, 3}};
    for (int i = 0; i < 12; i++) {
        const at_period *m = NULL;
        assert_int_equal(at_fiscal_get(&t, AT_PERIOD_MONTH, 2023, i + 1, &m, NULL), AT_OK);
        assert_int_equal(m->first, D(2023, spans[i][0], spans[i][1]));
        assert_int_equal(m->last, D(i == 11 ? 2024 : 2023, spans[i][2], spans[i][3]));
    }
    expect_period(label(&t, "2023-12"), AT_PERIOD_MONTH, 2023, 12, D(2023, 12, 31),
                  D(2024, 2, 3), "2023-12");
    expect_period(label(&t, "2023-Q1"), AT_PERIOD_QUARTER, 2023, 1, D(2023, 1, 29),
                  D(2023, 4, 29), "2023-Q1");
    expect_period(label(&t, "2023-Q4"), AT_PERIOD_QUARTER, 2023, 4, D(2023, 10, 29),
                  D(2024, 2, 3), "2023-Q4");
    expect_period(label(&t, "2023-H2"), AT_PERIOD_HALF, 2023, 2, D(2023, 7, 30), D(2024, 2, 3),
                  "2023-H2");
    assert_int_equal(at_period_days(label(&t, "2023-Q4")), 14 * 7);
    assert_int_equal(at_period_days(label(&t, "2023-H2")), 27 * 7);
    expect_find(&t, AT_PERIOD_MONTH, D(2024, 2, 3), "2023-12");
    expect_find(&t, AT_PERIOD_MONTH, D(2024, 2, 4), "2024-01");
    expect_find(&t, AT_PERIOD_YEAR, D(2023, 1, 28), "2022");
    expect_find(&t, AT_PERIOD_YEAR, D(2023, 1, 29), "2023");
    at_fiscal_table_free(&t);

    /* named by end, the same 53 weeks are FY2024 */
    c.named_by = AT_FISCAL_NAMED_BY_END;
    at_day first, last;
    assert_int_equal(at_fiscal_year_bounds(&c, 2024, &first, &last, NULL), AT_OK);
    assert_int_equal(first, D(2023, 1, 29));
    assert_int_equal(last, D(2024, 2, 3));
}

/* 5-4-4, years start in January and end on the Saturday nearest December 31st, named by end.
 *   end of FY2019: 2019-12-31 Tue, Saturday 28th 3 back: 2019-12-28
 *   end of FY2020: 2020-12-31 Thu, Saturday 26th 5 back, Saturday Jan 2nd 2 on: 2021-01-02
 *   end of FY2021: 2021-12-31 Fri, Saturday Jan 1st 1 on: 2022-01-01
 *   end of FY2022: 2022-12-31 is a Saturday
 *   FY2020 = 2019-12-29 .. 2021-01-02: 371 days (53 weeks), starting in the previous December
 *   FY2021 = 2021-01-03 .. 2022-01-01: 364 days, ending in the next January
 *   FY2022 = 2022-01-02 .. 2022-12-31: 364 days
 * FY2022 months: 01 Jan 2 - Feb 5 (5w), 02 Feb 6 - Mar 5 (4w), 03 Mar 6 - Apr 2 (4w).
 * FY2020 month 12: 4w + 1 = 35 days ending 2021-01-02, so from 2020-11-29. */
static void weeks_544_nearest_december(void **state)
{
    (void)state;
    at_fiscal_calendar c =
        weeks_calendar(1, AT_FISCAL_NAMED_BY_END, AT_FISCAL_544, AT_FISCAL_END_NEAREST);
    at_fiscal_table t;
    build(&c, 2020, 2022, &t);
    expect_period(label(&t, "2020"), AT_PERIOD_YEAR, 2020, 1, D(2019, 12, 29), D(2021, 1, 2),
                  "2020");
    expect_period(label(&t, "2021"), AT_PERIOD_YEAR, 2021, 1, D(2021, 1, 3), D(2022, 1, 1),
                  "2021");
    expect_period(label(&t, "2022"), AT_PERIOD_YEAR, 2022, 1, D(2022, 1, 2), D(2022, 12, 31),
                  "2022");
    expect_period(label(&t, "2022-01"), AT_PERIOD_MONTH, 2022, 1, D(2022, 1, 2), D(2022, 2, 5),
                  "2022-01");
    expect_period(label(&t, "2022-02"), AT_PERIOD_MONTH, 2022, 2, D(2022, 2, 6), D(2022, 3, 5),
                  "2022-02");
    expect_period(label(&t, "2022-03"), AT_PERIOD_MONTH, 2022, 3, D(2022, 3, 6), D(2022, 4, 2),
                  "2022-03");
    expect_period(label(&t, "2020-12"), AT_PERIOD_MONTH, 2020, 12, D(2020, 11, 29),
                  D(2021, 1, 2), "2020-12");
    expect_find(&t, AT_PERIOD_YEAR, D(2022, 1, 1), "2021");
    expect_find(&t, AT_PERIOD_YEAR, D(2019, 12, 29), "2020");
    at_fiscal_table_free(&t);

    int fy = 0;
    assert_int_equal(at_fiscal_year_of_day(&c, D(2022, 1, 1), &fy, NULL), AT_OK);
    assert_int_equal(fy, 2021); /* a calendar-2022 day in FY2021 */
    assert_int_equal(at_fiscal_year_of_day(&c, D(2019, 12, 30), &fy, NULL), AT_OK);
    assert_int_equal(fy, 2020); /* a calendar-2019 day in FY2020 */
    assert_int_equal(at_fiscal_year_of_day(&c, D(2021, 1, 2), &fy, NULL), AT_OK);
    assert_int_equal(fy, 2020);
}

/* 400 calendar years are 146097 days = 20871 weeks exactly, and 400 * 52 = 20800 weeks, so any
 * week calendar has 71 years of 53 weeks in every 400 consecutive fiscal years. */
static void week_years_over_400_years(void **state)
{
    (void)state;
    for (int rule = 0; rule < 2; rule++) {
        at_fiscal_calendar c = weeks_calendar(2, AT_FISCAL_NAMED_BY_END, AT_FISCAL_445,
                                              (at_fiscal_end_rule)rule);
        at_fiscal_table t;
        build(&c, 2001, 2400, &t);
        int long_years = 0;
        long total = 0;
        for (size_t i = 0; i < t.counts[AT_PERIOD_YEAR]; i++) {
            const at_period *y = &t.periods[AT_PERIOD_YEAR][i];
            int days = at_period_days(y);
            assert_true(days == 364 || days == 371);
            assert_int_equal(at_day_weekday(y->last), 6);
            if (i > 0)
                assert_int_equal(y->first, t.periods[AT_PERIOD_YEAR][i - 1].last + 1);
            long_years += days == 371;
            total += days;
        }
        assert_int_equal(long_years, 71);
        assert_int_equal(total, 146097);
        /* months tile the years with no gap or overlap */
        for (size_t i = 1; i < t.counts[AT_PERIOD_MONTH]; i++)
            assert_int_equal(t.periods[AT_PERIOD_MONTH][i].first,
                             t.periods[AT_PERIOD_MONTH][i - 1].last + 1);
        at_fiscal_table_free(&t);
    }
}

/* ---- labels ------------------------------------------------------------------------------- */

static void expect_label_error(const char *text, const char *message)
{
    at_error e;
    at_period_kind k = AT_PERIOD_MONTH;
    int fy = -1, n = -1;
    assert_int_equal(at_period_label_parse(at_str_from(text), &k, &fy, &n, &e), AT_ERR_INVALID);
    assert_string_equal(e.message, message);
    assert_string_equal(e.hint, "write 2026 for a fiscal year, 2026-H1 for a half, 2026-Q1 for "
                                "a quarter, 2026-03 for fiscal month 3");
    assert_int_equal(fy, -1);
    assert_int_equal(at_period_label_parse(at_str_from(text), &k, &fy, &n, NULL),
                     AT_ERR_INVALID);
}

static void label_parsing(void **state)
{
    (void)state;
    at_period_kind k;
    int fy, n;
    assert_int_equal(at_period_label_parse(AT_STR("2026-03"), &k, &fy, &n, NULL), AT_OK);
    assert_int_equal(k, AT_PERIOD_MONTH);
    assert_int_equal(fy, 2026);
    assert_int_equal(n, 3);
    assert_int_equal(at_period_label_parse(AT_STR("2026-q4"), &k, &fy, &n, NULL), AT_OK);
    assert_int_equal(k, AT_PERIOD_QUARTER);
    assert_int_equal(n, 4);
    assert_int_equal(at_period_label_parse(AT_STR("2026-h2"), &k, &fy, &n, NULL), AT_OK);
    assert_int_equal(k, AT_PERIOD_HALF);
    assert_int_equal(n, 2);
    assert_int_equal(at_period_label_parse(AT_STR("2026"), &k, &fy, &n, NULL), AT_OK);
    assert_int_equal(k, AT_PERIOD_YEAR);
    assert_int_equal(n, 1);
    assert_int_equal(at_period_label_parse(AT_STR("0001-12"), &k, &fy, &n, NULL), AT_OK);
    assert_int_equal(fy, 1);

    expect_label_error("2026-13", "2026-13: there is no fiscal month 13; fiscal months are "
                                  "01..12");
    expect_label_error("2026-00", "2026-00: there is no fiscal month 00; fiscal months are "
                                  "01..12");
    expect_label_error("2026-Q5", "2026-Q5: there is no quarter 5; quarters are Q1..Q4");
    expect_label_error("2026-Q0", "2026-Q0: there is no quarter 0; quarters are Q1..Q4");
    expect_label_error("2026-Q12", "2026-Q12: there is no quarter 12; quarters are Q1..Q4");
    expect_label_error("2026-H3", "2026-H3: there is no half 3; halves are H1 and H2");
    expect_label_error("26-Q1", "26-Q1: the fiscal year must have 4 digits, as in 2026-Q1");
    expect_label_error("20266", "20266: the fiscal year must have 4 digits, as in 2026-Q1");
    expect_label_error("Q1-2026", "Q1-2026: the fiscal year must have 4 digits, as in 2026-Q1");
    expect_label_error("FY2026", "FY2026: leave out 'FY': a fiscal year is written 2026");
    expect_label_error("fy2026-Q1", "fy2026-Q1: leave out 'FY': a fiscal year is written 2026");
    expect_label_error("2026-3", "2026-3: fiscal months have 2 digits, as in 2026-03");
    expect_label_error("2026-003", "2026-003: fiscal months have 2 digits, as in 2026-03");
    expect_label_error("2026-Q", "2026-Q: expected a quarter number (1..4) after 'Q'");
    expect_label_error("2026-H", "2026-H: expected a half number (1 or 2) after 'H'");
    expect_label_error("2026-X1", "2026-X1: expected a fiscal month (01..12), a quarter (Q1..Q4) "
                                  "or a half (H1, H2) after '-'");
    expect_label_error("2026-", "2026-: expected a fiscal month (01..12), a quarter (Q1..Q4) or "
                                "a half (H1, H2) after '-'");
    expect_label_error("2026/Q1", "2026/Q1: expected '-' after the fiscal year at character 5");
    expect_label_error("2026-Q1x", "2026-Q1x: unexpected 'x' after the period");
    expect_label_error("2026-03 ", "2026-03 : unexpected ' ' after the period");
    expect_label_error("0000", "0000: there is no fiscal year 0000");

    at_error e;
    assert_int_equal(at_period_label_parse(AT_STR(""), &k, &fy, &n, &e), AT_ERR_INVALID);
    assert_string_equal(e.message, "the period is empty");

    char buf[AT_PERIOD_LABEL_MAX];
    assert_int_equal(at_period_label_format(AT_PERIOD_MONTH, 2026, 3, buf, sizeof buf), 7);
    assert_string_equal(buf, "2026-03");
    at_period_label_format(AT_PERIOD_QUARTER, 2026, 1, buf, sizeof buf);
    assert_string_equal(buf, "2026-Q1");
    at_period_label_format(AT_PERIOD_HALF, 2026, 2, buf, sizeof buf);
    assert_string_equal(buf, "2026-H2");
    assert_int_equal(at_period_label_format(AT_PERIOD_YEAR, 2026, 1, buf, sizeof buf), 4);
    assert_string_equal(buf, "2026");
    assert_int_equal(at_period_label_format((at_period_kind)9, 2026, 1, buf, sizeof buf), 0);
    assert_string_equal(buf, "");
    assert_string_equal(at_period_kind_name(AT_PERIOD_HALF), "half");
    assert_string_equal(at_period_kind_name((at_period_kind)-1), "");
    assert_int_equal(at_period_kind_per_year(AT_PERIOD_QUARTER), 4);
    assert_int_equal(at_period_kind_per_year((at_period_kind)4), 0);
}

static void labels_outside_the_table(void **state)
{
    (void)state;
    at_fiscal_calendar c = months_calendar(2, AT_FISCAL_NAMED_BY_END);
    at_fiscal_table t;
    build(&c, 2025, 2027, &t);
    at_error e;
    const at_period *p = NULL;
    assert_int_equal(at_fiscal_parse_label(&t, AT_STR("2031-Q1"), &p, &e), AT_ERR_NOT_FOUND);
    assert_string_equal(e.message, "2031-Q1: FY2031 is outside the fiscal calendar, which covers "
                                   "FY2025..FY2027");
    assert_string_equal(e.hint, "build the fiscal calendar for more fiscal years");
    assert_int_equal(at_fiscal_parse_label(&t, AT_STR("2024"), &p, &e), AT_ERR_NOT_FOUND);
    assert_string_equal(e.message, "2024: FY2024 is outside the fiscal calendar, which covers "
                                   "FY2025..FY2027");
    assert_int_equal(at_fiscal_parse_label(&t, AT_STR("2024"), &p, NULL), AT_ERR_NOT_FOUND);
    assert_int_equal(at_fiscal_parse_label(&t, AT_STR("2026-13"), &p, &e), AT_ERR_INVALID);
    assert_null(p);

    assert_int_equal(at_fiscal_get(&t, AT_PERIOD_MONTH, 2026, 13, &p, &e), AT_ERR_INVALID);
    assert_string_equal(e.message, "there is no month 13 in a fiscal year (1..12)");
    assert_int_equal(at_fiscal_get(&t, (at_period_kind)7, 2026, 1, &p, &e), AT_ERR_INVALID);
    assert_string_equal(e.message, "unknown kind of period (7)");
    assert_int_equal(at_fiscal_find(&t, (at_period_kind)7, 0, &p, &e), AT_ERR_INVALID);
    at_fiscal_table_free(&t);

    /* a table that was never built (or failed to build) */
    at_fiscal_table empty;
    memset(&empty, 0, sizeof empty);
    assert_int_equal(at_fiscal_find(&empty, AT_PERIOD_MONTH, 0, &p, &e), AT_ERR_INVALID);
    assert_string_equal(e.message, "the fiscal calendar table is empty");
    assert_int_equal(at_fiscal_parse_label(&empty, AT_STR("2026"), &p, &e), AT_ERR_INVALID);
    at_fiscal_table_free(&empty);
}

/* ---- period arithmetic -------------------------------------------------------------------- */

static const at_period *add(const at_fiscal_table *t, const char *from, long long n)
{
    const at_period *p = NULL;
    at_error e;
    if (at_fiscal_add(t, label(t, from), n, &p, &e) != AT_OK)
        fail_msg("%s %+lld: %s", from, n, e.message);
    return p;
}

static void period_arithmetic(void **state)
{
    (void)state;
    at_fiscal_calendar c = months_calendar(2, AT_FISCAL_NAMED_BY_END);
    at_fiscal_table t;
    build(&c, 2025, 2027, &t);
    const at_period *p = NULL;
    at_error e;
    /* across fiscal year ends */
    assert_int_equal(at_fiscal_next(&t, label(&t, "2026-12"), &p, &e), AT_OK);
    expect_period(p, AT_PERIOD_MONTH, 2027, 1, D(2026, 2, 1), D(2026, 2, 28), "2027-01");
    assert_int_equal(at_fiscal_prev(&t, label(&t, "2026-01"), &p, &e), AT_OK);
    expect_period(p, AT_PERIOD_MONTH, 2025, 12, D(2025, 1, 1), D(2025, 1, 31), "2025-12");
    assert_string_equal(add(&t, "2026-Q4", 1)->label, "2027-Q1");
    assert_string_equal(add(&t, "2026-Q3", -5)->label, "2025-Q2");
    assert_string_equal(add(&t, "2026-H2", 1)->label, "2027-H1");
    assert_string_equal(add(&t, "2025", 2)->label, "2027");
    assert_string_equal(add(&t, "2025-01", 35)->label, "2027-12");
    assert_string_equal(add(&t, "2027-12", -35)->label, "2025-01");
    assert_string_equal(add(&t, "2026-05", 0)->label, "2026-05");
    assert_string_equal(add(&t, "2026-05", 12)->label, "2027-05");

    /* running off the table */
    assert_int_equal(at_fiscal_add(&t, label(&t, "2025-01"), 36, &p, &e), AT_ERR_NOT_FOUND);
    assert_string_equal(e.message, "2025-01 + 36 months runs past 2027-12, the last month of "
                                   "the fiscal calendar");
    assert_int_equal(at_fiscal_add(&t, label(&t, "2025-01"), -1, &p, &e), AT_ERR_NOT_FOUND);
    assert_string_equal(e.message, "2025-01 - 1 month runs before 2025-01, the first month of "
                                   "the fiscal calendar");
    assert_int_equal(at_fiscal_next(&t, label(&t, "2027"), &p, &e), AT_ERR_NOT_FOUND);
    assert_string_equal(e.message, "2027 + 1 year runs past 2027, the last year of the fiscal "
                                   "calendar");
    assert_int_equal(at_fiscal_add(&t, label(&t, "2026-H1"), LLONG_MAX, &p, &e),
                     AT_ERR_NOT_FOUND);
    assert_int_equal(at_fiscal_add(&t, label(&t, "2026-H1"), LLONG_MIN, &p, &e),
                     AT_ERR_NOT_FOUND);
    assert_string_equal(e.message, "2026-H1 - 9223372036854775808 halves runs before 2025-H1, "
                                   "the first half of the fiscal calendar");
    assert_string_equal(p->label, "2025-12"); /* from the prev above: failures leave it */

    /* a period that is not from this table */
    at_period stranger = *label(&t, "2026-Q1");
    stranger.fiscal_year = 2030;
    assert_int_equal(at_fiscal_next(&t, &stranger, &p, &e), AT_ERR_INVALID);
    assert_string_equal(e.message, "period 2026-Q1 (FY2030, quarter 1) is not in the fiscal "
                                   "calendar FY2025..FY2027");
    stranger.fiscal_year = 2026;
    stranger.number = 5;
    assert_int_equal(at_fiscal_next(&t, &stranger, &p, &e), AT_ERR_INVALID);
    at_fiscal_table_free(&t);
}

static void parents_and_children(void **state)
{
    (void)state;
    at_fiscal_calendar c = months_calendar(2, AT_FISCAL_NAMED_BY_END);
    at_fiscal_table t;
    build(&c, 2025, 2027, &t);
    const at_period *first = NULL, *p = NULL;
    size_t count = 0;
    at_error e;
    /* FY2026 Q4 = November 2025, December 2025, January 2026 */
    assert_int_equal(at_fiscal_quarter_months(&t, label(&t, "2026-Q4"), &first, &e), AT_OK);
    expect_period(&first[0], AT_PERIOD_MONTH, 2026, 10, D(2025, 11, 1), D(2025, 11, 30),
                  "2026-10");
    expect_period(&first[1], AT_PERIOD_MONTH, 2026, 11, D(2025, 12, 1), D(2025, 12, 31),
                  "2026-11");
    expect_period(&first[2], AT_PERIOD_MONTH, 2026, 12, D(2026, 1, 1), D(2026, 1, 31),
                  "2026-12");
    assert_int_equal(at_fiscal_within(&t, label(&t, "2026-H2"), AT_PERIOD_MONTH, &first, &count,
                                      &e), AT_OK);
    assert_int_equal(count, 6);
    assert_string_equal(first[0].label, "2026-07");
    assert_string_equal(first[5].label, "2026-12");
    assert_int_equal(at_fiscal_within(&t, label(&t, "2027"), AT_PERIOD_QUARTER, &first, &count,
                                      &e), AT_OK);
    assert_int_equal(count, 4);
    assert_string_equal(first[0].label, "2027-Q1");
    assert_string_equal(first[3].label, "2027-Q4");
    assert_int_equal(at_fiscal_within(&t, label(&t, "2026-Q2"), AT_PERIOD_QUARTER, &first,
                                      &count, &e), AT_OK);
    assert_int_equal(count, 1);
    assert_string_equal(first[0].label, "2026-Q2");
    assert_int_equal(at_fiscal_within(&t, label(&t, "2026-03"), AT_PERIOD_QUARTER, &first,
                                      &count, &e), AT_ERR_INVALID);
    assert_string_equal(e.message, "a month has no quarters");
    assert_int_equal(at_fiscal_quarter_months(&t, label(&t, "2026-03"), &first, &e),
                     AT_ERR_INVALID);
    assert_string_equal(e.message, "2026-03 is a month, not a quarter");

    assert_int_equal(at_fiscal_parent(&t, label(&t, "2026-11"), AT_PERIOD_QUARTER, &p, &e),
                     AT_OK);
    assert_string_equal(p->label, "2026-Q4");
    assert_int_equal(at_fiscal_parent(&t, label(&t, "2026-06"), AT_PERIOD_HALF, &p, &e), AT_OK);
    assert_string_equal(p->label, "2026-H1");
    assert_int_equal(at_fiscal_parent(&t, label(&t, "2026-07"), AT_PERIOD_HALF, &p, &e), AT_OK);
    assert_string_equal(p->label, "2026-H2");
    assert_int_equal(at_fiscal_parent(&t, label(&t, "2026-Q3"), AT_PERIOD_YEAR, &p, &e), AT_OK);
    assert_string_equal(p->label, "2026");
    assert_int_equal(at_fiscal_parent(&t, label(&t, "2026-Q3"), AT_PERIOD_MONTH, &p, &e),
                     AT_ERR_INVALID);
    assert_string_equal(e.message, "a quarter is not inside a month");

    /* contains, days, compare */
    const at_period *q1 = label(&t, "2026-Q1");
    assert_true(at_period_contains(q1, D(2025, 2, 1)));
    assert_true(at_period_contains(q1, D(2025, 4, 30)));
    assert_false(at_period_contains(q1, D(2025, 5, 1)));
    assert_false(at_period_contains(q1, D(2025, 1, 31)));
    const at_period *m1 = label(&t, "2026-01"), *h1 = label(&t, "2026-H1");
    const at_period *y = label(&t, "2026"), *m2 = label(&t, "2026-02");
    assert_int_equal(at_period_compare(m1, q1), -1); /* same first day, shorter first */
    assert_int_equal(at_period_compare(q1, h1), -1);
    assert_int_equal(at_period_compare(h1, y), -1);
    assert_int_equal(at_period_compare(y, m1), 1);
    assert_int_equal(at_period_compare(m2, q1), 1); /* starts later */
    assert_int_equal(at_period_compare(q1, q1), 0);
    assert_int_equal(at_period_compare(label(&t, "2026-12"), label(&t, "2027-01")), -1);
    at_fiscal_table_free(&t);
}

/* ---- building: ranges and errors ---------------------------------------------------------- */

static void build_ranges_and_errors(void **state)
{
    (void)state;
    at_fiscal_calendar c = months_calendar(2, AT_FISCAL_NAMED_BY_END);
    at_fiscal_table t;
    at_error e;
    assert_int_equal(at_fiscal_table_build(&c, 2027, 2025, &t, &e), AT_ERR_INVALID);
    assert_string_equal(e.message, "the fiscal years run backwards: 2027..2025");
    assert_null(t.storage);
    at_fiscal_table_free(&t); /* harmless after a failure */
    /* FY1 named by end would be February 0000 .. January 0001 */
    assert_int_equal(at_fiscal_table_build(&c, 1, 3, &t, &e), AT_ERR_INVALID);
    assert_string_equal(e.message, "FY1 runs outside the supported dates "
                                   "0001-01-01..9999-12-31");
    assert_int_equal(at_fiscal_table_build(&c, 0, 3, &t, &e), AT_ERR_INVALID);
    assert_string_equal(e.message, "fiscal year 0 is outside 1..9999");
    assert_int_equal(at_fiscal_table_build(&c, 2020, 10000, &t, &e), AT_ERR_INVALID);
    assert_string_equal(e.message, "fiscal year 10000 is outside 1..9999");
    /* the widest table: FY2 (Feb 0001 .. Jan 0002) .. FY9999 (Feb 9998 .. Jan 9999) */
    build(&c, 2, 9999, &t);
    assert_int_equal(t.counts[AT_PERIOD_MONTH], 9998 * 12);
    assert_int_equal(t.periods[AT_PERIOD_MONTH][0].first, D(1, 2, 1));
    assert_string_equal(t.periods[AT_PERIOD_YEAR][9997].label, "9999");
    at_fiscal_table_free(&t);
    /* named by start, FY9999 would end in January 10000 */
    c.named_by = AT_FISCAL_NAMED_BY_START;
    assert_int_equal(at_fiscal_table_build(&c, 9998, 9999, &t, &e), AT_ERR_INVALID);
    assert_string_equal(e.message, "FY9999 runs outside the supported dates "
                                   "0001-01-01..9999-12-31");
    /* a week year ending nearest 9999-12-31 (a Friday) would end on 10000-01-01 */
    c = weeks_calendar(1, AT_FISCAL_NAMED_BY_END, AT_FISCAL_445, AT_FISCAL_END_NEAREST);
    assert_int_equal(at_fiscal_year_bounds(&c, 9999, NULL, NULL, &e), AT_ERR_INVALID);
    c.end_rule = AT_FISCAL_END_LAST; /* the last Saturday of December 9999 is the 25th */
    at_day last;
    assert_int_equal(at_fiscal_year_bounds(&c, 9999, NULL, &last, &e), AT_OK);
    assert_int_equal(last, D(9999, 12, 25));
    /* week FY1 needs the end of a year-0 December */
    assert_int_equal(at_fiscal_year_bounds(&c, 1, NULL, NULL, &e), AT_ERR_INVALID);

    int fy;
    c = months_calendar(2, AT_FISCAL_NAMED_BY_END);
    assert_int_equal(at_fiscal_year_of_day(&c, D(1, 1, 15), &fy, &e), AT_ERR_INVALID);
    assert_string_equal(e.message, "0001-01-15 falls in a fiscal year that runs outside the "
                                   "supported dates");
    assert_int_equal(at_fiscal_year_of_day(&c, AT_DAY_MAX + 1, &fy, &e), AT_ERR_INVALID);
    assert_int_equal(at_fiscal_year_of_day(&c, D(2025, 1, 31), &fy, &e), AT_OK);
    assert_int_equal(fy, 2025);
    assert_int_equal(at_fiscal_year_of_day(&c, D(2025, 2, 1), &fy, &e), AT_OK);
    assert_int_equal(fy, 2026);
    c.named_by = AT_FISCAL_NAMED_BY_START;
    assert_int_equal(at_fiscal_year_of_day(&c, D(2025, 2, 1), &fy, &e), AT_OK);
    assert_int_equal(fy, 2025);
    assert_int_equal(at_fiscal_year_of_day(&c, D(2025, 1, 31), &fy, &e), AT_OK);
    assert_int_equal(fy, 2024);
}

static void calendar_checks(void **state)
{
    (void)state;
    at_fiscal_calendar c;
    at_error e;
    at_fiscal_calendar_default(&c);
    assert_int_equal(at_fiscal_calendar_check(&c, &e), AT_OK);
    c.start_month = 13;
    assert_int_equal(at_fiscal_calendar_check(&c, &e), AT_ERR_INVALID);
    assert_string_equal(e.message, "fiscal_year_start_month is 13, which is not a month");
    at_fiscal_table t;
    assert_int_equal(at_fiscal_table_build(&c, 2026, 2026, &t, &e), AT_ERR_INVALID);
    assert_int_equal(at_fiscal_year_bounds(&c, 2026, NULL, NULL, &e), AT_ERR_INVALID);
    int fy;
    assert_int_equal(at_fiscal_year_of_day(&c, 0, &fy, &e), AT_ERR_INVALID);
    at_fiscal_calendar_default(&c);
    c.named_by = (at_fiscal_naming)5;
    assert_int_equal(at_fiscal_calendar_check(&c, &e), AT_ERR_INVALID);
    assert_string_equal(e.message, "fiscal_year_named_by has no meaning (5)");
    at_fiscal_calendar_default(&c);
    c.pattern = (at_fiscal_pattern)9;
    assert_int_equal(at_fiscal_calendar_check(&c, &e), AT_ERR_INVALID);
    assert_string_equal(e.message, "fiscal_calendar has no meaning (9)");
    /* the week fields matter only to week patterns */
    at_fiscal_calendar_default(&c);
    c.week_ends_on = 0;
    c.end_rule = (at_fiscal_end_rule)7;
    assert_int_equal(at_fiscal_calendar_check(&c, &e), AT_OK);
    c.pattern = AT_FISCAL_445;
    assert_int_equal(at_fiscal_calendar_check(&c, &e), AT_ERR_INVALID);
    assert_string_equal(e.message, "fiscal_week_ends_on is 0, which is not a weekday "
                                   "(1 = Monday .. 7 = Sunday)");
    c.week_ends_on = 7;
    assert_int_equal(at_fiscal_calendar_check(&c, &e), AT_ERR_INVALID);
    assert_string_equal(e.message, "fiscal_year_end_rule has no meaning (7)");
}

/* ---- settings ----------------------------------------------------------------------------- */

static void settings_build_a_calendar(void **state)
{
    (void)state;
    at_fiscal_calendar c;
    at_error e;
    assert_int_equal(at_fiscal_calendar_from_settings(NULL, NULL, 0, &c, &e), AT_OK);
    assert_int_equal(c.start_month, 1);
    assert_int_equal(c.named_by, AT_FISCAL_NAMED_BY_END);
    assert_int_equal(c.pattern, AT_FISCAL_MONTHS);
    assert_int_equal(c.week_ends_on, 6);
    assert_int_equal(c.end_rule, AT_FISCAL_END_LAST);

    const at_str keys[] = {AT_STR("currency"), AT_STR("fiscal_year_start_month"),
                           AT_STR("fiscal_year_named_by"), AT_STR("fiscal_calendar"),
                           AT_STR(" fiscal_week_ends_on "), AT_STR("fiscal_year_end_rule")};
    const at_str values[] = {AT_STR("EUR"), AT_STR(" February "), AT_STR("START"),
                             AT_STR("4-5-4"), AT_STR("Sat"), AT_STR("nearest")};
    assert_int_equal(at_fiscal_calendar_from_settings(keys, values, 6, &c, &e), AT_OK);
    assert_int_equal(c.start_month, 2);
    assert_int_equal(c.named_by, AT_FISCAL_NAMED_BY_START);
    assert_int_equal(c.pattern, AT_FISCAL_454);
    assert_int_equal(c.week_ends_on, 6);
    assert_int_equal(c.end_rule, AT_FISCAL_END_NEAREST);

    char buf[400];
    size_t len = at_fiscal_calendar_describe(&c, buf, sizeof buf);
    assert_int_equal(len, strlen(buf));
    assert_string_equal(buf, "Fiscal years start in February and are named by the calendar "
                             "year in which they start (FY2026 is February 2026 to January "
                             "2027); 4-5-4 weeks per quarter; each year ends on the Saturday "
                             "nearest the end of January (52 or 53 weeks; a 53rd week goes to "
                             "fiscal month 12).");
    c.end_rule = AT_FISCAL_END_LAST;
    c.named_by = AT_FISCAL_NAMED_BY_END;
    c.week_ends_on = 7;
    at_fiscal_calendar_describe(&c, buf, sizeof buf);
    assert_string_equal(buf, "Fiscal years start in February and are named by the calendar "
                             "year in which they end (FY2026 is February 2025 to January 2026); "
                             "4-5-4 weeks per quarter; each year ends on the last Sunday of "
                             "January (52 or 53 weeks; a 53rd week goes to fiscal month 12).");
    at_fiscal_calendar_default(&c);
    at_fiscal_calendar_describe(&c, buf, sizeof buf);
    assert_string_equal(buf, "Fiscal years start in January and are named by the calendar year "
                             "in which they end (FY2026 is January to December 2026); fiscal "
                             "months are calendar months.");
    c.start_month = 0;
    at_fiscal_calendar_describe(&c, buf, sizeof buf);
    assert_string_equal(buf, "The fiscal calendar is not valid.");

    /* each setting writes back a value it accepts */
    c = weeks_calendar(11, AT_FISCAL_NAMED_BY_START, AT_FISCAL_544, AT_FISCAL_END_NEAREST);
    c.week_ends_on = 3;
    static const char *const want[AT_FISCAL_SETTING_COUNT] = {"11", "start", "5-4-4", "wed",
                                                              "nearest"};
    at_fiscal_calendar back;
    at_fiscal_calendar_default(&back);
    for (size_t i = 0; i < AT_FISCAL_SETTING_COUNT; i++) {
        char v[32];
        at_str key = at_str_from(at_fiscal_setting_key(i));
        size_t len_v = at_fiscal_setting_format(&c, key, v, sizeof v);
        assert_int_equal(len_v, strlen(want[i]));
        assert_string_equal(v, want[i]);
        assert_int_equal(at_fiscal_calendar_set(&back, key, at_str_from(v), &e), AT_OK);
    }
    assert_memory_equal(&back, &c, sizeof c);
    assert_null(at_fiscal_setting_key(AT_FISCAL_SETTING_COUNT));
    char v[8] = "x";
    assert_int_equal(at_fiscal_setting_format(&c, AT_STR("currency"), v, sizeof v), 0);
    assert_string_equal(v, "");
    at_fiscal_calendar_default(&c);
    at_fiscal_setting_format(&c, AT_STR("fiscal_year_named_by"), v, sizeof v);
    assert_string_equal(v, "end");
    at_fiscal_setting_format(&c, AT_STR("fiscal_calendar"), v, sizeof v);
    assert_string_equal(v, "months");
    at_fiscal_setting_format(&c, AT_STR("fiscal_year_end_rule"), v, sizeof v);
    assert_string_equal(v, "last");

    assert_true(at_fiscal_is_setting(AT_STR("fiscal_anything")));
    assert_false(at_fiscal_is_setting(AT_STR("currency")));
    assert_false(at_fiscal_is_setting(AT_STR("fiscal")));
}

static void settings_accepted_values(void **state)
{
    (void)state;
    at_fiscal_calendar c;
    at_fiscal_calendar_default(&c);
    static const struct {
        const char *value;
        int month;
    } months[] = {{"2", 2}, {"02", 2}, {"12", 12}, {"feb", 2}, {"FEB", 2}, {"september", 9},
                  {"Sep", 9}, {"\t7 ", 7}};
    for (size_t i = 0; i < sizeof months / sizeof months[0]; i++) {
        assert_int_equal(at_fiscal_calendar_set(&c, AT_STR("fiscal_year_start_month"),
                                                at_str_from(months[i].value), NULL),
                         AT_OK);
        assert_int_equal(c.start_month, months[i].month);
    }
    static const struct {
        const char *value;
        int weekday;
    } days[] = {{"mon", 1}, {"Tuesday", 2}, {"WED", 3}, {"thu", 4}, {"friday", 5},
                {"sat", 6}, {"Sunday", 7}};
    for (size_t i = 0; i < sizeof days / sizeof days[0]; i++) {
        assert_int_equal(at_fiscal_calendar_set(&c, AT_STR("fiscal_week_ends_on"),
                                                at_str_from(days[i].value), NULL),
                         AT_OK);
        assert_int_equal(c.week_ends_on, days[i].weekday);
    }
    assert_int_equal(at_fiscal_calendar_set(&c, AT_STR("fiscal_calendar"), AT_STR("4-4-5"), NULL),
                     AT_OK);
    assert_int_equal(c.pattern, AT_FISCAL_445);
    assert_int_equal(at_fiscal_calendar_set(&c, AT_STR("fiscal_calendar"), AT_STR("5-4-4"), NULL),
                     AT_OK);
    assert_int_equal(c.pattern, AT_FISCAL_544);
    assert_int_equal(at_fiscal_calendar_set(&c, AT_STR("fiscal_calendar"), AT_STR("Months"),
                                            NULL), AT_OK);
    assert_int_equal(c.pattern, AT_FISCAL_MONTHS);
    assert_int_equal(at_fiscal_calendar_set(&c, AT_STR("fiscal_year_named_by"), AT_STR("end"),
                                            NULL), AT_OK);
    assert_int_equal(c.named_by, AT_FISCAL_NAMED_BY_END);
    assert_int_equal(at_fiscal_calendar_set(&c, AT_STR("FISCAL_YEAR_END_RULE"), AT_STR("Last"),
                                            NULL), AT_OK);
    assert_int_equal(c.end_rule, AT_FISCAL_END_LAST);
}

static void expect_setting_error(const char *key, const char *value, at_code code,
                                 const char *message, const char *hint)
{
    at_fiscal_calendar c, before;
    at_fiscal_calendar_default(&c);
    before = c;
    at_error e;
    assert_int_equal(at_fiscal_calendar_set(&c, at_str_from(key), at_str_from(value), &e), code);
    assert_string_equal(e.message, message);
    assert_string_equal(e.hint, hint);
    assert_memory_equal(&c, &before, sizeof c);
}

static void settings_errors(void **state)
{
    (void)state;
    const char *month_hint = "use a month number 1..12 or a name such as February";
    expect_setting_error("fiscal_year_start_month", "13", AT_ERR_INVALID,
                         "fiscal_year_start_month is '13', which is not a month", month_hint);
    expect_setting_error("fiscal_year_start_month", "0", AT_ERR_INVALID,
                         "fiscal_year_start_month is '0', which is not a month", month_hint);
    expect_setting_error("fiscal_year_start_month", "002", AT_ERR_INVALID,
                         "fiscal_year_start_month is '002', which is not a month", month_hint);
    expect_setting_error("fiscal_year_start_month", "Febr", AT_ERR_INVALID,
                         "fiscal_year_start_month is 'Febr', which is not a month", month_hint);
    expect_setting_error("fiscal_year_start_month", "  ", AT_ERR_INVALID,
                         "fiscal_year_start_month is empty", month_hint);
    expect_setting_error("fiscal_year_named_by", "begin", AT_ERR_INVALID,
                         "fiscal_year_named_by is 'begin', which is not start or end",
                         "use end (FY2026 ends in 2026, the common convention) or start "
                         "(FY2026 starts in 2026)");
    expect_setting_error("fiscal_calendar", "445", AT_ERR_INVALID,
                         "fiscal_calendar is '445', which is not a known fiscal calendar",
                         "use months for calendar months, or 4-4-5, 4-5-4 or 5-4-4 for weeks "
                         "per month within each quarter");
    expect_setting_error("fiscal_week_ends_on", "Sa", AT_ERR_INVALID,
                         "fiscal_week_ends_on is 'Sa', which is not a weekday",
                         "use mon, tue, wed, thu, fri, sat or sun");
    expect_setting_error("fiscal_year_end_rule", "closest", AT_ERR_INVALID,
                         "fiscal_year_end_rule is 'closest', which is not last or nearest",
                         "use last (the last such weekday of the year-end month) or nearest "
                         "(the one nearest the month's last day)");
    const char *keys_hint = "the fiscal settings are fiscal_year_start_month, "
                            "fiscal_year_named_by, fiscal_calendar, fiscal_week_ends_on and "
                            "fiscal_year_end_rule";
    expect_setting_error("fiscal_year_start", "2", AT_ERR_NOT_FOUND,
                         "unknown fiscal setting 'fiscal_year_start'", keys_hint);
    expect_setting_error("currency", "EUR", AT_ERR_NOT_FOUND,
                         "unknown fiscal setting 'currency'", keys_hint);

    /* through from_settings: the first bad entry stops, *out is untouched */
    at_fiscal_calendar out;
    memset(&out, 0x5A, sizeof out);
    at_fiscal_calendar snapshot = out;
    at_error e;
    const at_str dup_keys[] = {AT_STR("fiscal_calendar"), AT_STR("region"),
                               AT_STR("fiscal_calendar")};
    const at_str dup_values[] = {AT_STR("4-4-5"), AT_STR("EMEA"), AT_STR("months")};
    assert_int_equal(at_fiscal_calendar_from_settings(dup_keys, dup_values, 3, &out, &e),
                     AT_ERR_CONFLICT);
    assert_string_equal(e.message, "fiscal_calendar is given twice (entries 1 and 3)");
    assert_string_equal(e.hint, "keep one row for each setting");
    assert_memory_equal(&out, &snapshot, sizeof out);
    const at_str bad_keys[] = {AT_STR("fiscal_year_start_month"), AT_STR("fiscal_year_ends")};
    const at_str bad_values[] = {AT_STR("2"), AT_STR("jan")};
    assert_int_equal(at_fiscal_calendar_from_settings(bad_keys, bad_values, 2, &out, &e),
                     AT_ERR_NOT_FOUND);
    assert_string_equal(e.message, "unknown fiscal setting 'fiscal_year_ends'");
    assert_int_equal(at_fiscal_calendar_from_settings(bad_keys, bad_values, 1, &out, &e), AT_OK);
    assert_int_equal(out.start_month, 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(months_starting_in_january),
        cmocka_unit_test(months_starting_in_february),
        cmocka_unit_test(weeks_445_last_saturday),
        cmocka_unit_test(nrf_454_nearest),
        cmocka_unit_test(weeks_544_nearest_december),
        cmocka_unit_test(week_years_over_400_years),
        cmocka_unit_test(label_parsing),
        cmocka_unit_test(labels_outside_the_table),
        cmocka_unit_test(period_arithmetic),
        cmocka_unit_test(parents_and_children),
        cmocka_unit_test(build_ranges_and_errors),
        cmocka_unit_test(calendar_checks),
        cmocka_unit_test(settings_build_a_calendar),
        cmocka_unit_test(settings_accepted_values),
        cmocka_unit_test(settings_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
