/* fiscal.c - fiscal calendars: settings, fiscal-year bounds, period tables and the lookups on
 * them (by day, by label, by offset, parents and children). See fiscal.h for the rules. */
#include "core/fiscal.h"
#include "core/str.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PERIODS_PER_YEAR 19 /* 12 months + 4 quarters + 2 halves + 1 year */

static const char LABEL_HINT[] = "write 2026 for a fiscal year, 2026-H1 for a half, 2026-Q1 for "
                                 "a quarter, 2026-03 for fiscal month 3";
static const char EXTEND_HINT[] = "build the fiscal calendar for more fiscal years";


#define SHOWN_MAX 40
#define SHOWN_SIZE (SHOWN_MAX * 4 + 8)

/* ---- calendars ---------------------------------------------------------------------------- */

static const char *const SETTING_KEYS[AT_FISCAL_SETTING_COUNT] = {
    "fiscal_year_start_month", "fiscal_year_named_by", "fiscal_calendar", "fiscal_week_ends_on",
    "fiscal_year_end_rule",
};
enum { KEY_START_MONTH, KEY_NAMED_BY, KEY_CALENDAR, KEY_WEEK_ENDS_ON, KEY_END_RULE };

static const char *const WEEKDAY_SHORT[7] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
static const char *const PATTERN_NAMES[4] = {"months", "4-4-5", "4-5-4", "5-4-4"};

void at_fiscal_calendar_default(at_fiscal_calendar *cal)
{
    cal->start_month = 1;
    cal->named_by = AT_FISCAL_NAMED_BY_END;
    cal->pattern = AT_FISCAL_MONTHS;
    cal->week_ends_on = 6; /* Saturday */
    cal->end_rule = AT_FISCAL_END_LAST;
}

static bool is_week_pattern(const at_fiscal_calendar *cal)
{
    return cal->pattern != AT_FISCAL_MONTHS;
}

at_code at_fiscal_calendar_check(const at_fiscal_calendar *cal, at_error *err)
{
    if (cal->start_month < 1 || cal->start_month > 12)
        return at_fail(err, AT_ERR_INVALID, NULL, "use a month number 1..12",
                       "fiscal_year_start_month is %d, which is not a month", cal->start_month);
    if (cal->named_by != AT_FISCAL_NAMED_BY_END && cal->named_by != AT_FISCAL_NAMED_BY_START)
        return at_fail(err, AT_ERR_INVALID, NULL, "use start or end",
                       "fiscal_year_named_by has no meaning (%d)", (int)cal->named_by);
    if ((int)cal->pattern < 0 || (int)cal->pattern > (int)AT_FISCAL_544)
        return at_fail(err, AT_ERR_INVALID, NULL, "use months, 4-4-5, 4-5-4 or 5-4-4",
                       "fiscal_calendar has no meaning (%d)", (int)cal->pattern);
    if (!is_week_pattern(cal))
        return AT_OK;
    if (cal->week_ends_on < 1 || cal->week_ends_on > 7)
        return at_fail(err, AT_ERR_INVALID, NULL, "use mon, tue, wed, thu, fri, sat or sun",
                       "fiscal_week_ends_on is %d, which is not a weekday (1 = Monday .. "
                       "7 = Sunday)", cal->week_ends_on);
    if (cal->end_rule != AT_FISCAL_END_LAST && cal->end_rule != AT_FISCAL_END_NEAREST)
        return at_fail(err, AT_ERR_INVALID, NULL, "use last or nearest",
                       "fiscal_year_end_rule has no meaning (%d)", (int)cal->end_rule);
    return AT_OK;
}

const char *at_fiscal_setting_key(size_t index)
{
    return index < AT_FISCAL_SETTING_COUNT ? SETTING_KEYS[index] : NULL;
}

bool at_fiscal_is_setting(at_str key)
{
    return at_str_starts_with(at_str_trim(key), AT_STR("fiscal_"));
}

static int setting_index(at_str key)
{
    key = at_str_trim(key);
    for (int i = 0; i < AT_FISCAL_SETTING_COUNT; i++)
        if (at_str_eq_nocase(key, at_str_from(SETTING_KEYS[i])))
            return i;
    return -1;
}

static at_code bad_value(at_error *err, int key, at_str value, const char *hint,
                         const char *what)
{
    char shown[SHOWN_SIZE];
    at_str_show(value.ptr, value.len, SHOWN_MAX, shown, sizeof shown);
    if (value.len == 0)
        return at_fail(err, AT_ERR_INVALID, NULL, hint, "%s is empty", SETTING_KEYS[key]);
    return at_fail(err, AT_ERR_INVALID, NULL, hint, "%s is '%s', which is not %s",
                   SETTING_KEYS[key], shown, what);
}

static bool all_digits(at_str s)
{
    if (s.len == 0)
        return false;
    for (size_t i = 0; i < s.len; i++)
        if (s.ptr[i] < '0' || s.ptr[i] > '9')
            return false;
    return true;
}

/* "2", "02", "February", "feb" -> 2; 0 when none. */
static int parse_month(at_str v)
{
    if (all_digits(v)) {
        if (v.len > 2)
            return 0;
        int m = 0;
        for (size_t i = 0; i < v.len; i++)
            m = m * 10 + (v.ptr[i] - '0');
        return m >= 1 && m <= 12 ? m : 0;
    }
    for (int m = 1; m <= 12; m++) {
        at_str name = at_str_from(at_month_name(m));
        bool short_name = v.len == 3 && at_str_eq_nocase(v, at_str_make(name.ptr, 3));
        if (short_name || at_str_eq_nocase(v, name))
            return m;
    }
    return 0;
}

/* "sat", "Saturday" -> 6; 0 when none. */
static int parse_weekday(at_str v)
{
    for (int d = 1; d <= 7; d++)
        if (at_str_eq_nocase(v, at_str_from(WEEKDAY_SHORT[d - 1])) ||
            at_str_eq_nocase(v, at_str_from(at_weekday_name(d))))
            return d;
    return 0;
}

at_code at_fiscal_calendar_set(at_fiscal_calendar *cal, at_str key, at_str value, at_error *err)
{
    int k = setting_index(key);
    if (k < 0) {
        char shown[SHOWN_SIZE];
        at_str trimmed = at_str_trim(key);
        at_str_show(trimmed.ptr, trimmed.len, SHOWN_MAX, shown, sizeof shown);
        return at_fail(err, AT_ERR_NOT_FOUND, NULL,
                       "the fiscal settings are fiscal_year_start_month, fiscal_year_named_by, "
                       "fiscal_calendar, fiscal_week_ends_on and fiscal_year_end_rule",
                       "unknown fiscal setting '%s'", shown);
    }
    at_str v = at_str_trim(value);
    switch (k) {
    case KEY_START_MONTH: {
        int m = parse_month(v);
        if (!m)
            return bad_value(err, k, v, "use a month number 1..12 or a name such as February",
                             "a month");
        cal->start_month = m;
        return AT_OK;
    }
    case KEY_NAMED_BY:
        if (at_str_eq_nocase(v, AT_STR("end")))
            cal->named_by = AT_FISCAL_NAMED_BY_END;
        else if (at_str_eq_nocase(v, AT_STR("start")))
            cal->named_by = AT_FISCAL_NAMED_BY_START;
        else
            return bad_value(err, k, v,
                             "use end (FY2026 ends in 2026, the common convention) or start "
                             "(FY2026 starts in 2026)",
                             "start or end");
        return AT_OK;
    case KEY_CALENDAR:
        for (int p = 0; p < 4; p++) {
            if (at_str_eq_nocase(v, at_str_from(PATTERN_NAMES[p]))) {
                cal->pattern = (at_fiscal_pattern)p;
                return AT_OK;
            }
        }
        return bad_value(err, k, v,
                         "use months for calendar months, or 4-4-5, 4-5-4 or 5-4-4 for weeks "
                         "per month within each quarter",
                         "a known fiscal calendar");
    case KEY_WEEK_ENDS_ON: {
        int d = parse_weekday(v);
        if (!d)
            return bad_value(err, k, v, "use mon, tue, wed, thu, fri, sat or sun", "a weekday");
        cal->week_ends_on = d;
        return AT_OK;
    }
    case KEY_END_RULE:
        if (at_str_eq_nocase(v, AT_STR("last")))
            cal->end_rule = AT_FISCAL_END_LAST;
        else if (at_str_eq_nocase(v, AT_STR("nearest")))
            cal->end_rule = AT_FISCAL_END_NEAREST;
        else
            return bad_value(err, k, v,
                             "use last (the last such weekday of the year-end month) or nearest "
                             "(the one nearest the month's last day)",
                             "last or nearest");
        return AT_OK;
    default:
        return at_fail(err, AT_ERR_INTERNAL, NULL, NULL, "fiscal setting %d unhandled", k);
    }
}

at_code at_fiscal_calendar_from_settings(const at_str *keys, const at_str *values, size_t count,
                                         at_fiscal_calendar *out, at_error *err)
{
    at_fiscal_calendar cal;
    at_fiscal_calendar_default(&cal);
    size_t seen_at[AT_FISCAL_SETTING_COUNT] = {0};
    bool seen[AT_FISCAL_SETTING_COUNT] = {false};
    for (size_t i = 0; i < count; i++) {
        if (!at_fiscal_is_setting(keys[i]))
            continue;
        int k = setting_index(keys[i]);
        if (k >= 0 && seen[k])
            return at_fail(err, AT_ERR_CONFLICT, NULL, "keep one row for each setting",
                           "%s is given twice (entries %zu and %zu)", SETTING_KEYS[k],
                           seen_at[k] + 1, i + 1);
        at_code c = at_fiscal_calendar_set(&cal, keys[i], values[i], err);
        if (c != AT_OK)
            return c;
        if (k >= 0) { /* always: an unknown key failed above */
            seen[k] = true;
            seen_at[k] = i;
        }
    }
    at_code c = at_fiscal_calendar_check(&cal, err);
    if (c == AT_OK)
        *out = cal;
    return c;
}

size_t at_fiscal_setting_format(const at_fiscal_calendar *cal, at_str key, char *buf,
                                size_t size)
{
    int n = -1;
    switch (setting_index(key)) {
    case KEY_START_MONTH:
        n = snprintf(buf, size, "%d", cal->start_month);
        break;
    case KEY_NAMED_BY:
        n = snprintf(buf, size, "%s", cal->named_by == AT_FISCAL_NAMED_BY_START ? "start" : "end");
        break;
    case KEY_CALENDAR:
        n = snprintf(buf, size, "%s",
                     (int)cal->pattern >= 0 && (int)cal->pattern < 4 ? PATTERN_NAMES[cal->pattern]
                                                                     : "");
        break;
    case KEY_WEEK_ENDS_ON:
        n = snprintf(buf, size, "%s",
                     cal->week_ends_on >= 1 && cal->week_ends_on <= 7
                         ? WEEKDAY_SHORT[cal->week_ends_on - 1]
                         : "");
        break;
    case KEY_END_RULE:
        n = snprintf(buf, size, "%s", cal->end_rule == AT_FISCAL_END_NEAREST ? "nearest" : "last");
        break;
    default:
        if (size)
            buf[0] = '\0';
        return 0;
    }
    return n < 0 ? 0 : (size_t)n;
}

static int year_end_month(const at_fiscal_calendar *cal)
{
    return cal->start_month == 1 ? 12 : cal->start_month - 1;
}

size_t at_fiscal_calendar_describe(const at_fiscal_calendar *cal, char *buf, size_t size)
{
    int n;
    if (at_fiscal_calendar_check(cal, NULL) != AT_OK) {
        n = snprintf(buf, size, "The fiscal calendar is not valid.");
        return n < 0 ? 0 : (size_t)n;
    }
    const char *start = at_month_name(cal->start_month);
    const char *end = at_month_name(year_end_month(cal));
    char example[96];
    if (cal->start_month == 1)
        snprintf(example, sizeof example, "FY2026 is January to December 2026");
    else if (cal->named_by == AT_FISCAL_NAMED_BY_END)
        snprintf(example, sizeof example, "FY2026 is %s 2025 to %s 2026", start, end);
    else
        snprintf(example, sizeof example, "FY2026 is %s 2026 to %s 2027", start, end);
    const char *naming = cal->named_by == AT_FISCAL_NAMED_BY_END ? "end" : "start";
    if (!is_week_pattern(cal))
        n = snprintf(buf, size,
                     "Fiscal years start in %s and are named by the calendar year in which they "
                     "%s (%s); fiscal months are calendar months.",
                     start, naming, example);
    else if (cal->end_rule == AT_FISCAL_END_LAST)
        n = snprintf(buf, size,
                     "Fiscal years start in %s and are named by the calendar year in which they "
                     "%s (%s); %s weeks per quarter; each year ends on the last %s of %s "
                     "(52 or 53 weeks; a 53rd week goes to fiscal month 12).",
                     start, naming, example, PATTERN_NAMES[cal->pattern],
                     at_weekday_name(cal->week_ends_on), end);
    else
        n = snprintf(buf, size,
                     "Fiscal years start in %s and are named by the calendar year in which they "
                     "%s (%s); %s weeks per quarter; each year ends on the %s nearest the end of "
                     "%s (52 or 53 weeks; a 53rd week goes to fiscal month 12).",
                     start, naming, example, PATTERN_NAMES[cal->pattern],
                     at_weekday_name(cal->week_ends_on), end);
    return n < 0 ? 0 : (size_t)n;
}

/* ---- fiscal years ------------------------------------------------------------------------- */

/* The calendar year in which fiscal year fy's nominal end month falls. */
static int end_calendar_year(const at_fiscal_calendar *cal, int fy)
{
    return (cal->named_by == AT_FISCAL_NAMED_BY_START && cal->start_month != 1) ? fy + 1 : fy;
}

/* The last day of the week-based fiscal year whose year-end month falls in calendar year
 * `year` (1..9999). back = days from the month's last day back to the last week_ends_on day
 * (0..6); "nearest" goes forward instead when that is closer (back 4..6 -> 3..1 days on). */
static at_day week_year_end(const at_fiscal_calendar *cal, int year)
{
    int m = year_end_month(cal);
    at_day last = at_day_from_ymd(year, m, at_days_in_month(year, m));
    int back = (at_day_weekday(last) - cal->week_ends_on + 7) % 7;
    if (cal->end_rule == AT_FISCAL_END_NEAREST && back > 3)
        return last + (7 - back);
    return last - back;
}

static at_code outside_dates(at_error *err, int fy)
{
    return at_fail(err, AT_ERR_INVALID, NULL,
                   "pick fiscal years whose days fall within 0001-01-01..9999-12-31",
                   "FY%d runs outside the supported dates 0001-01-01..9999-12-31", fy);
}

at_code at_fiscal_year_bounds(const at_fiscal_calendar *cal, int fiscal_year, at_day *first,
                              at_day *last, at_error *err)
{
    at_code c = at_fiscal_calendar_check(cal, err);
    if (c != AT_OK)
        return c;
    if (fiscal_year < 1 || fiscal_year > 9999)
        return at_fail(err, AT_ERR_INVALID, NULL, "fiscal years are 4-digit years",
                       "fiscal year %d is outside 1..9999", fiscal_year);
    int e = end_calendar_year(cal, fiscal_year);
    at_day f = 0, l = 0;
    if (!is_week_pattern(cal)) {
        int s = cal->start_month == 1 ? e : e - 1;
        if (s < 1 || e > 9999)
            return outside_dates(err, fiscal_year);
        int em = year_end_month(cal);
        f = at_day_from_ymd(s, cal->start_month, 1);
        l = at_day_from_ymd(e, em, at_days_in_month(e, em));
    } else {
        if (e - 1 < 1 || e > 9999)
            return outside_dates(err, fiscal_year);
        f = week_year_end(cal, e - 1) + 1;
        l = week_year_end(cal, e);
        if (l > AT_DAY_MAX)
            return outside_dates(err, fiscal_year);
    }
    if (first)
        *first = f;
    if (last)
        *last = l;
    return AT_OK;
}

at_code at_fiscal_year_of_day(const at_fiscal_calendar *cal, at_day day, int *fiscal_year,
                              at_error *err)
{
    at_code c = at_fiscal_calendar_check(cal, err);
    if (c != AT_OK)
        return c;
    if (day < AT_DAY_MIN || day > AT_DAY_MAX)
        return at_fail(err, AT_ERR_INVALID, NULL, NULL,
                       "day %ld is outside 0001-01-01..9999-12-31", (long)day);
    int y, m;
    at_day_to_ymd(day, &y, &m, NULL);
    int start_year = m >= cal->start_month ? y : y - 1; /* of the nominal start month */
    int fy = start_year;
    if (cal->named_by == AT_FISCAL_NAMED_BY_END && cal->start_month != 1)
        fy = start_year + 1;
    /* week years may start or end up to 6 days off the nominal month boundary */
    for (int attempt = 0; attempt < 3; attempt++) {
        at_day f = 0, l = 0;
        char date[AT_DATE_TEXT_MAX];
        if ((c = at_fiscal_year_bounds(cal, fy, &f, &l, NULL)) != AT_OK) {
            at_day_format(day, date, sizeof date);
            return at_fail(err, AT_ERR_INVALID, NULL,
                           "fiscal years must fall within 0001-01-01..9999-12-31",
                           "%s falls in a fiscal year that runs outside the supported dates",
                           date);
        }
        if (day < f)
            fy--;
        else if (day > l)
            fy++;
        else {
            *fiscal_year = fy;
            return AT_OK;
        }
    }
    return at_fail(err, AT_ERR_INTERNAL, NULL, NULL, "no fiscal year contains day %ld",
                   (long)day);
}

/* ---- periods ------------------------------------------------------------------------------ */

static const int PER_YEAR[AT_PERIOD_KIND_COUNT] = {12, 4, 2, 1};
static const char *const KIND_NAMES[AT_PERIOD_KIND_COUNT] = {"month", "quarter", "half", "year"};
static const char *const KIND_PLURALS[AT_PERIOD_KIND_COUNT] = {"months", "quarters", "halves",
                                                               "years"};

static bool kind_valid(at_period_kind kind)
{
    return (int)kind >= 0 && (int)kind < AT_PERIOD_KIND_COUNT;
}

const char *at_period_kind_name(at_period_kind kind)
{
    return kind_valid(kind) ? KIND_NAMES[kind] : "";
}

int at_period_kind_per_year(at_period_kind kind)
{
    return kind_valid(kind) ? PER_YEAR[kind] : 0;
}

size_t at_period_label_format(at_period_kind kind, int fiscal_year, int number, char *buf,
                              size_t size)
{
    int n;
    switch (kind) {
    case AT_PERIOD_MONTH: n = snprintf(buf, size, "%04d-%02d", fiscal_year, number); break;
    case AT_PERIOD_QUARTER: n = snprintf(buf, size, "%04d-Q%d", fiscal_year, number); break;
    case AT_PERIOD_HALF: n = snprintf(buf, size, "%04d-H%d", fiscal_year, number); break;
    case AT_PERIOD_YEAR: n = snprintf(buf, size, "%04d", fiscal_year); break;
    default: n = snprintf(buf, size, "%s", ""); break;
    }
    return n < 0 ? 0 : (size_t)n;
}

static at_code label_fail(at_error *err, at_str text, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static at_code label_fail(at_error *err, at_str text, const char *fmt, ...)
{
    char shown[SHOWN_SIZE];
    char problem[AT_ERROR_MESSAGE_MAX];
    at_str_show(text.ptr, text.len, SHOWN_MAX, shown, sizeof shown);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(problem, sizeof problem, fmt, ap);
    va_end(ap);
    return at_fail(err, AT_ERR_INVALID, NULL, LABEL_HINT, "%s: %s", shown, problem);
}

static size_t count_digits(at_str s, size_t from)
{
    size_t n = 0;
    while (from + n < s.len && s.ptr[from + n] >= '0' && s.ptr[from + n] <= '9')
        n++;
    return n;
}

/* The value of n digits, capped at 100000 (enough to say "no quarter 12345..."). */
static int digits_value(at_str s, size_t from, size_t n)
{
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        v = v * 10 + (s.ptr[from + i] - '0');
        if (v > 100000)
            return 100000;
    }
    return v;
}

at_code at_period_label_parse(at_str text, at_period_kind *kind, int *fiscal_year, int *number,
                              at_error *err)
{
    if (text.len == 0)
        return at_fail(err, AT_ERR_INVALID, NULL, LABEL_HINT, "the period is empty");
    if (text.len >= 2 && (text.ptr[0] == 'F' || text.ptr[0] == 'f') &&
        (text.ptr[1] == 'Y' || text.ptr[1] == 'y'))
        return label_fail(err, text, "leave out 'FY': a fiscal year is written 2026");
    size_t n = count_digits(text, 0);
    if (n != 4)
        return label_fail(err, text, "the fiscal year must have 4 digits, as in 2026-Q1");
    int fy = digits_value(text, 0, 4);
    if (fy < 1)
        return label_fail(err, text, "there is no fiscal year 0000");
    size_t pos = 4;
    at_period_kind k = AT_PERIOD_YEAR;
    int num = 1;
    if (pos < text.len) {
        if (text.ptr[pos] != '-')
            return label_fail(err, text, "expected '-' after the fiscal year at character 5");
        pos++;
        char c = pos < text.len ? text.ptr[pos] : '\0';
        if (c == 'Q' || c == 'q' || c == 'H' || c == 'h') {
            bool quarter = c == 'Q' || c == 'q';
            k = quarter ? AT_PERIOD_QUARTER : AT_PERIOD_HALF;
            pos++;
            size_t d = count_digits(text, pos);
            if (d == 0)
                return label_fail(err, text, "expected a %s after '%c'",
                                  quarter ? "quarter number (1..4)" : "half number (1 or 2)", c);
            num = digits_value(text, pos, d);
            if (num < 1 || num > PER_YEAR[k])
                return label_fail(err, text, "there is no %s %d; %s", KIND_NAMES[k], num,
                                  quarter ? "quarters are Q1..Q4" : "halves are H1 and H2");
            pos += d;
        } else if (c >= '0' && c <= '9') {
            k = AT_PERIOD_MONTH;
            size_t d = count_digits(text, pos);
            num = digits_value(text, pos, d);
            if (d != 2)
                return label_fail(err, text, "fiscal months have 2 digits, as in 2026-%02d",
                                  num >= 1 && num <= 12 ? num : 3);
            if (num < 1 || num > 12)
                return label_fail(err, text, "there is no fiscal month %02d; fiscal months are "
                                  "01..12", num);
            pos += d;
        } else {
            return label_fail(err, text, "expected a fiscal month (01..12), a quarter (Q1..Q4) "
                              "or a half (H1, H2) after '-'");
        }
        if (pos < text.len) {
            char shown[SHOWN_SIZE];
            at_str_show(text.ptr + pos, text.len - pos, 20, shown, sizeof shown);
            return label_fail(err, text, "unexpected '%s' after the period", shown);
        }
    }
    *kind = k;
    *fiscal_year = fy;
    *number = num;
    return AT_OK;
}

int at_period_days(const at_period *p)
{
    return (int)(p->last - p->first) + 1;
}

bool at_period_contains(const at_period *p, at_day day)
{
    return day >= p->first && day <= p->last;
}

int at_period_compare(const at_period *a, const at_period *b)
{
    if (a->first != b->first)
        return a->first < b->first ? -1 : 1;
    if (a->last != b->last)
        return a->last < b->last ? -1 : 1;
    if (a->kind != b->kind)
        return a->kind < b->kind ? -1 : 1;
    int c = strcmp(a->label, b->label);
    return c < 0 ? -1 : c > 0;
}

/* ---- tables ------------------------------------------------------------------------------- */

static void set_period(at_period *p, at_period_kind kind, int fy, int number, at_day first,
                       at_day last)
{
    p->kind = kind;
    p->fiscal_year = fy;
    p->number = number;
    p->first = first;
    p->last = last;
    at_period_label_format(kind, fy, number, p->label, sizeof p->label);
}

static at_code build_months(const at_fiscal_calendar *cal, int fy, at_day first, at_day last,
                            at_period *months, at_error *err)
{
    static const int WEEKS[3][3] = {{4, 4, 5}, {4, 5, 4}, {5, 4, 4}};
    at_day next = first;
    if (!is_week_pattern(cal)) {
        for (int i = 0; i < 12; i++) {
            int y, m;
            at_day_to_ymd(next, &y, &m, NULL);
            at_day end = next + at_days_in_month(y, m) - 1;
            set_period(&months[i], AT_PERIOD_MONTH, fy, i + 1, next, end);
            next = end + 1;
        }
    } else {
        int days = (int)(last - first) + 1;
        if (days != 364 && days != 371)
            return at_fail(err, AT_ERR_INTERNAL, NULL, NULL, "FY%d has %d days", fy, days);
        const int *weeks = WEEKS[cal->pattern - AT_FISCAL_445];
        for (int i = 0; i < 12; i++) {
            int w = weeks[i % 3] + (i == 11 && days == 371 ? 1 : 0);
            set_period(&months[i], AT_PERIOD_MONTH, fy, i + 1, next, next + 7 * w - 1);
            next += 7 * w;
        }
    }
    if (next != last + 1)
        return at_fail(err, AT_ERR_INTERNAL, NULL, NULL, "FY%d months do not add up", fy);
    return AT_OK;
}

at_code at_fiscal_table_build(const at_fiscal_calendar *cal, int first_year, int last_year,
                              at_fiscal_table *table, at_error *err)
{
    memset(table, 0, sizeof *table);
    at_code c = at_fiscal_calendar_check(cal, err);
    if (c != AT_OK)
        return c;
    if (first_year > last_year)
        return at_fail(err, AT_ERR_INVALID, NULL, "give the earlier fiscal year first",
                       "the fiscal years run backwards: %d..%d", first_year, last_year);
    if ((c = at_fiscal_year_bounds(cal, first_year, NULL, NULL, err)) != AT_OK ||
        (c = at_fiscal_year_bounds(cal, last_year, NULL, NULL, err)) != AT_OK)
        return c;
    size_t years = (size_t)(last_year - first_year) + 1;
    at_period *all = calloc(years * PERIODS_PER_YEAR, sizeof *all);
    if (!all)
        return at_fail(err, AT_ERR_NOMEM, NULL, NULL,
                       "out of memory building %zu fiscal years", years);
    at_period *by_kind[AT_PERIOD_KIND_COUNT] = {all, all + years * 12, all + years * 16,
                                                all + years * 18};
    for (size_t i = 0; i < years; i++) {
        int fy = first_year + (int)i;
        at_day f = 0, l = 0;
        if ((c = at_fiscal_year_bounds(cal, fy, &f, &l, err)) != AT_OK ||
            (c = build_months(cal, fy, f, l, by_kind[AT_PERIOD_MONTH] + i * 12, err)) != AT_OK) {
            free(all);
            return c;
        }
        const at_period *m = by_kind[AT_PERIOD_MONTH] + i * 12;
        at_period *q = by_kind[AT_PERIOD_QUARTER] + i * 4;
        for (int j = 0; j < 4; j++)
            set_period(&q[j], AT_PERIOD_QUARTER, fy, j + 1, m[3 * j].first, m[3 * j + 2].last);
        at_period *h = by_kind[AT_PERIOD_HALF] + i * 2;
        for (int j = 0; j < 2; j++)
            set_period(&h[j], AT_PERIOD_HALF, fy, j + 1, q[2 * j].first, q[2 * j + 1].last);
        set_period(by_kind[AT_PERIOD_YEAR] + i, AT_PERIOD_YEAR, fy, 1, f, l);
    }
    table->calendar = *cal;
    table->first_year = first_year;
    table->last_year = last_year;
    table->storage = all;
    for (int k = 0; k < AT_PERIOD_KIND_COUNT; k++) {
        table->periods[k] = by_kind[k];
        table->counts[k] = years * (size_t)PER_YEAR[k];
    }
    return AT_OK;
}

void at_fiscal_table_free(at_fiscal_table *table)
{
    free(table->storage);
    memset(table, 0, sizeof *table);
}

static at_code check_table(const at_fiscal_table *t, at_period_kind kind, at_error *err)
{
    if (!t->storage)
        return at_fail(err, AT_ERR_INVALID, NULL, "build it with at_fiscal_table_build",
                       "the fiscal calendar table is empty");
    if (!kind_valid(kind))
        return at_fail(err, AT_ERR_INVALID, NULL, "use month, quarter, half or year",
                       "unknown kind of period (%d)", (int)kind);
    return AT_OK;
}

at_code at_fiscal_find(const at_fiscal_table *table, at_period_kind kind, at_day day,
                       const at_period **out, at_error *err)
{
    at_code c = check_table(table, kind, err);
    if (c != AT_OK)
        return c;
    const at_period *arr = table->periods[kind];
    size_t lo = 0, hi = table->counts[kind]; /* find the first period starting after day */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (arr[mid].first <= day)
            lo = mid + 1;
        else
            hi = mid;
    }
    char date[AT_DATE_TEXT_MAX + 8], edge[AT_DATE_TEXT_MAX + 8];
    if (lo == 0) {
        at_day_format(day, date, sizeof date);
        at_day_format(arr[0].first, edge, sizeof edge);
        return at_fail(err, AT_ERR_NOT_FOUND, NULL, EXTEND_HINT,
                       "%s is before FY%d, the first fiscal year of the calendar (it starts %s)",
                       date, table->first_year, edge);
    }
    if (day > arr[lo - 1].last) {
        at_day_format(day, date, sizeof date);
        at_day_format(arr[lo - 1].last, edge, sizeof edge);
        return at_fail(err, AT_ERR_NOT_FOUND, NULL, EXTEND_HINT,
                       "%s is after FY%d, the last fiscal year of the calendar (it ends %s)",
                       date, table->last_year, edge);
    }
    *out = &arr[lo - 1];
    return AT_OK;
}

static at_code year_outside(const at_fiscal_table *t, int fy, at_error *err)
{
    return at_fail(err, AT_ERR_NOT_FOUND, NULL, EXTEND_HINT,
                   "FY%d is outside the fiscal calendar, which covers FY%d..FY%d", fy,
                   t->first_year, t->last_year);
}

at_code at_fiscal_get(const at_fiscal_table *table, at_period_kind kind, int fiscal_year,
                      int number, const at_period **out, at_error *err)
{
    at_code c = check_table(table, kind, err);
    if (c != AT_OK)
        return c;
    if (number < 1 || number > PER_YEAR[kind])
        return at_fail(err, AT_ERR_INVALID, NULL, NULL, "there is no %s %d in a fiscal year "
                       "(1..%d)", KIND_NAMES[kind], number, PER_YEAR[kind]);
    if (fiscal_year < table->first_year || fiscal_year > table->last_year)
        return year_outside(table, fiscal_year, err);
    size_t idx = (size_t)(fiscal_year - table->first_year) * (size_t)PER_YEAR[kind] +
                 (size_t)(number - 1);
    *out = &table->periods[kind][idx];
    return AT_OK;
}

at_code at_fiscal_parse_label(const at_fiscal_table *table, at_str label, const at_period **out,
                              at_error *err)
{
    at_period_kind kind;
    int fy, number;
    at_code c = at_period_label_parse(label, &kind, &fy, &number, err);
    if (c != AT_OK)
        return c;
    c = at_fiscal_get(table, kind, fy, number, out, err);
    if (c == AT_ERR_NOT_FOUND && err) {
        char shown[SHOWN_SIZE];
        char message[AT_ERROR_MESSAGE_MAX];
        char hint[AT_ERROR_HINT_MAX];
        at_str_show(label.ptr, label.len, SHOWN_MAX, shown, sizeof shown);
        snprintf(message, sizeof message, "%s", err->message);
        snprintf(hint, sizeof hint, "%s", err->hint);
        at_fail(err, c, NULL, hint, "%s: %s", shown, message);
    }
    return c;
}

/* The index of p within its kind's array, after checking p belongs to the table. */
static at_code locate(const at_fiscal_table *t, const at_period *p, size_t *index, at_error *err)
{
    at_code c = check_table(t, p->kind, err);
    if (c != AT_OK)
        return c;
    if (p->fiscal_year < t->first_year || p->fiscal_year > t->last_year ||
        p->number < 1 || p->number > PER_YEAR[p->kind])
        return at_fail(err, AT_ERR_INVALID, NULL, "take periods from the same fiscal calendar",
                       "period %s (FY%d, %s %d) is not in the fiscal calendar FY%d..FY%d",
                       p->label, p->fiscal_year, KIND_NAMES[p->kind], p->number, t->first_year,
                       t->last_year);
    *index = (size_t)(p->fiscal_year - t->first_year) * (size_t)PER_YEAR[p->kind] +
             (size_t)(p->number - 1);
    return AT_OK;
}

at_code at_fiscal_add(const at_fiscal_table *table, const at_period *p, long long n,
                      const at_period **out, at_error *err)
{
    size_t idx = 0;
    at_code c = locate(table, p, &idx, err);
    if (c != AT_OK)
        return c;
    size_t count = table->counts[p->kind];
    const at_period *arr = table->periods[p->kind];
    bool fits = n >= 0 ? (unsigned long long)n < count - idx
                       : (n != LLONG_MIN && (unsigned long long)(-n) <= idx);
    if (!fits) {
        unsigned long long mag = n >= 0 ? (unsigned long long)n : 0ULL - (unsigned long long)n;
        const char *unit = mag == 1 ? KIND_NAMES[p->kind] : KIND_PLURALS[p->kind];
        if (n >= 0)
            return at_fail(err, AT_ERR_NOT_FOUND, NULL, EXTEND_HINT,
                           "%s + %llu %s runs past %s, the last %s of the fiscal calendar",
                           arr[idx].label, mag, unit, arr[count - 1].label,
                           KIND_NAMES[p->kind]);
        return at_fail(err, AT_ERR_NOT_FOUND, NULL, EXTEND_HINT,
                       "%s - %llu %s runs before %s, the first %s of the fiscal calendar",
                       arr[idx].label, mag, unit, arr[0].label, KIND_NAMES[p->kind]);
    }
    *out = n >= 0 ? &arr[idx + (size_t)n] : &arr[idx - (size_t)(0ULL - (unsigned long long)n)];
    return AT_OK;
}

at_code at_fiscal_next(const at_fiscal_table *table, const at_period *p, const at_period **out,
                       at_error *err)
{
    return at_fiscal_add(table, p, 1, out, err);
}

at_code at_fiscal_prev(const at_fiscal_table *table, const at_period *p, const at_period **out,
                       at_error *err)
{
    return at_fiscal_add(table, p, -1, out, err);
}

at_code at_fiscal_within(const at_fiscal_table *table, const at_period *p, at_period_kind kind,
                         const at_period **first, size_t *count, at_error *err)
{
    size_t idx = 0;
    at_code c = locate(table, p, &idx, err);
    if (c == AT_OK)
        c = check_table(table, kind, err);
    if (c != AT_OK)
        return c;
    if (kind > p->kind)
        return at_fail(err, AT_ERR_INVALID, NULL, "ask for a finer kind of period",
                       "a %s has no %s", KIND_NAMES[p->kind], KIND_PLURALS[kind]);
    size_t ratio = (size_t)(PER_YEAR[kind] / PER_YEAR[p->kind]);
    size_t start = (size_t)(p->fiscal_year - table->first_year) * (size_t)PER_YEAR[kind] +
                   (size_t)(p->number - 1) * ratio;
    *first = &table->periods[kind][start];
    *count = ratio;
    return AT_OK;
}

at_code at_fiscal_quarter_months(const at_fiscal_table *table, const at_period *quarter,
                                 const at_period **first_month, at_error *err)
{
    if (quarter->kind != AT_PERIOD_QUARTER)
        return at_fail(err, AT_ERR_INVALID, NULL, "pass a quarter", "%s is a %s, not a quarter",
                       quarter->label, at_period_kind_name(quarter->kind));
    size_t count;
    return at_fiscal_within(table, quarter, AT_PERIOD_MONTH, first_month, &count, err);
}

at_code at_fiscal_parent(const at_fiscal_table *table, const at_period *p, at_period_kind kind,
                         const at_period **out, at_error *err)
{
    size_t idx = 0;
    at_code c = locate(table, p, &idx, err);
    if (c == AT_OK)
        c = check_table(table, kind, err);
    if (c != AT_OK)
        return c;
    if (kind < p->kind)
        return at_fail(err, AT_ERR_INVALID, NULL, "ask for a coarser kind of period",
                       "a %s is not inside a %s", KIND_NAMES[p->kind], KIND_NAMES[kind]);
    int ratio = PER_YEAR[p->kind] / PER_YEAR[kind];
    return at_fiscal_get(table, kind, p->fiscal_year, (p->number - 1) / ratio + 1, out, err);
}
