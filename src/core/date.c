/* date.c - civil days (days since 1970-01-01, proleptic Gregorian), weekdays, month arithmetic,
 * and strict parsing and formatting of dates and timestamps (see date.h). */
#include "core/date.h"
#include "core/str.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Days from 0000-03-01 to 1970-01-01: the conversions below count from a March 1st so that the
 * leap day is the last day of the counting year. */
#define DAYS_0000_03_01_TO_EPOCH 719468
#define DAYS_PER_400_YEARS 146097 /* 400 * 365 + 97 leap days */

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    if (a % b != 0 && ((a < 0) != (b < 0)))
        q--;
    return q;
}

static int64_t floor_mod(int64_t a, int64_t b)
{
    return a - floor_div(a, b) * b;
}

/* Day count since 1970-01-01 for any year (month 1..12, day 1..31).
 *
 * The year is taken to start on March 1st, so January and February belong to the previous
 * year and February 29th, when there is one, is the last day of a year. Then:
 *  - whole 400-year cycles ("eras") have exactly 146097 days;
 *  - within an era, year k (0..399) starts after 365k + k/4 - k/100 days (a leap day every 4
 *    years, none at the turn of a century other than the era's start, which is divisible by
 *    400 and falls at the end of the previous era's last year);
 *  - within a March-based year the months March..January have lengths 31,30,31,30,31,31,30,
 *    31,30,31,31 whose running totals 0,31,61,92,122,153,184,214,245,275,306,337 are exactly
 *    (153 m + 2) / 5 for m = 0 (March) .. 11 (February), in integer division. */
static int64_t days_from_civil(int64_t year, int month, int day)
{
    int64_t y = month <= 2 ? year - 1 : year;
    int64_t era = floor_div(y, 400);
    int64_t year_of_era = y - era * 400;               /* 0..399 */
    int64_t m = month > 2 ? month - 3 : month + 9;     /* March = 0 .. February = 11 */
    int64_t day_of_year = (153 * m + 2) / 5 + day - 1; /* 0..365 */
    int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    return era * DAYS_PER_400_YEARS + day_of_era - DAYS_0000_03_01_TO_EPOCH;
}

/* The inverse of days_from_civil, for any day count. The year within the era is found by
 * removing the leap days that precede day_of_era (one per 1460 days, given back every 36524
 * days, taken again at the era's last day 146096) and dividing by 365; the month by inverting
 * (153 m + 2) / 5, which (5 d + 2) / 153 does for d = 0..365. */
static void civil_from_days(int64_t days, int64_t *year, int *month, int *day)
{
    int64_t z = days + DAYS_0000_03_01_TO_EPOCH;
    int64_t era = floor_div(z, DAYS_PER_400_YEARS);
    int64_t day_of_era = z - era * DAYS_PER_400_YEARS; /* 0..146096 */
    int64_t year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
    int64_t day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    int64_t m = (5 * day_of_year + 2) / 153; /* March = 0 .. February = 11 */
    *day = (int)(day_of_year - (153 * m + 2) / 5 + 1);
    *month = (int)(m < 10 ? m + 3 : m - 9);
    *year = year_of_era + era * 400 + (*month <= 2 ? 1 : 0);
}

static at_day clamp_day(int64_t d)
{
    if (d < INT32_MIN)
        return INT32_MIN;
    if (d > INT32_MAX)
        return INT32_MAX;
    return (at_day)d;
}

bool at_is_leap_year(int year)
{
    return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
}

int at_days_in_month(int year, int month)
{
    static const int lengths[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month < 1 || month > 12)
        return 0;
    if (month == 2 && at_is_leap_year(year))
        return 29;
    return lengths[month - 1];
}

bool at_ymd_valid(int year, int month, int day)
{
    return year >= 1 && year <= 9999 && month >= 1 && month <= 12 && day >= 1 &&
           day <= at_days_in_month(year, month);
}

at_day at_day_from_ymd(int year, int month, int day)
{
    return clamp_day(days_from_civil(year, month, day));
}

void at_day_to_ymd(at_day day, int *year, int *month, int *dayofmonth)
{
    int64_t y;
    int m, d;
    civil_from_days(day, &y, &m, &d);
    if (year)
        *year = (int)y; /* |y| < 6 million for any int32 day */
    if (month)
        *month = m;
    if (dayofmonth)
        *dayofmonth = d;
}

int at_day_weekday(at_day day)
{
    /* 1970-01-01 was a Thursday (4) */
    return (int)floor_mod((int64_t)day + 3, 7) + 1;
}

at_day at_day_add_months(at_day day, int months)
{
    int64_t y;
    int m, d;
    civil_from_days(day, &y, &m, &d);
    int64_t total = y * 12 + (m - 1) + months;
    int64_t ny = floor_div(total, 12);
    int nm = (int)floor_mod(total, 12) + 1;
    if (ny < 1)
        return AT_DAY_MIN;
    if (ny > 9999)
        return AT_DAY_MAX;
    int last = at_days_in_month((int)ny, nm);
    return clamp_day(days_from_civil(ny, nm, d > last ? last : d));
}

const char *at_month_name(int month)
{
    static const char *const names[12] = {"January", "February", "March",     "April",
                                          "May",     "June",     "July",      "August",
                                          "September", "October", "November", "December"};
    return month >= 1 && month <= 12 ? names[month - 1] : "";
}

const char *at_weekday_name(int weekday)
{
    static const char *const names[7] = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                                         "Friday", "Saturday", "Sunday"};
    return weekday >= 1 && weekday <= 7 ? names[weekday - 1] : "";
}

size_t at_day_format(at_day day, char *buf, size_t size)
{
    int y = 0, m = 0, d = 0;
    at_day_to_ymd(day, &y, &m, &d);
    int n = snprintf(buf, size, "%04d-%02d-%02d", y, m, d);
    return n < 0 ? 0 : (size_t)n;
}

at_time at_time_from_day(at_day day)
{
    return (at_time)day * AT_SECONDS_PER_DAY;
}

at_day at_time_day(at_time t)
{
    return clamp_day(floor_div(t, AT_SECONDS_PER_DAY));
}

size_t at_time_format(at_time t, char *buf, size_t size)
{
    at_day day = at_time_day(t);
    int64_t secs = t - at_time_from_day(day);
    if (secs < 0 || secs >= AT_SECONDS_PER_DAY) /* only for moments beyond the int32 day range */
        secs = secs < 0 ? 0 : AT_SECONDS_PER_DAY - 1;
    int y = 0, m = 0, d = 0;
    at_day_to_ymd(day, &y, &m, &d);
    int n = snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02dZ", y, m, d, (int)(secs / 3600),
                     (int)(secs / 60 % 60), (int)(secs % 60));
    return n < 0 ? 0 : (size_t)n;
}

/* ---- parsing ---------------------------------------------------------------------------- */

#define SHOWN_MAX 40 /* bytes of the input quoted in a message */

static const char DATE_HINT[] = "use YYYY-MM-DD, e.g. 2026-03-31";
static const char TIME_HINT[] =
    "use YYYY-MM-DDTHH:MM:SS, optionally followed by Z or an offset such as +02:00 "
    "(e.g. 2026-03-31T14:05:00Z), or a date alone";

typedef struct scanner {
    at_str text;
    size_t pos;
    const char *hint;
    at_error *err;
} scanner;


static at_code scan_fail(scanner *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static at_code scan_fail(scanner *s, const char *fmt, ...)
{
    char shown[SHOWN_MAX * 4 + 8];
    char problem[AT_ERROR_MESSAGE_MAX];
    at_str_show(s->text.ptr, s->text.len, SHOWN_MAX, shown, sizeof shown);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(problem, sizeof problem, fmt, ap);
    va_end(ap);
    return at_fail(s->err, AT_ERR_INVALID, NULL, s->hint, "%s: %s", shown, problem);
}

/* "'/'" or "the end of the text", for "found ..." in messages. */
static void show_found(const scanner *s, char *buf, size_t size)
{
    if (s->pos >= s->text.len) {
        snprintf(buf, size, "the end of the text");
        return;
    }
    char one[8];
    at_str_show(s->text.ptr + s->pos, 1, 1, one, sizeof one);
    snprintf(buf, size, "'%s'", one);
}

static bool at_end(const scanner *s)
{
    return s->pos >= s->text.len;
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Reads exactly `digits` digits naming `part` ("year", "month", ...). */
static at_code scan_number(scanner *s, int digits, const char *part, int *out)
{
    size_t start = s->pos, n = 0;
    while (start + n < s->text.len && is_digit(s->text.ptr[start + n]))
        n++;
    if (n == 0) {
        char found[32];
        show_found(s, found, sizeof found);
        return scan_fail(s, "expected the %s (%d digits) at character %zu, found %s", part,
                         digits, start + 1, found);
    }
    if (n < (size_t)digits && start + n < s->text.len) {
        char next = s->text.ptr[start + n];
        if ((next >= 'a' && next <= 'z') || (next >= 'A' && next <= 'Z')) {
            s->pos = start + n;
            char found[32];
            show_found(s, found, sizeof found);
            return scan_fail(s, "expected a digit of the %s at character %zu, found %s", part,
                             start + n + 1, found);
        }
    }
    if (n != (size_t)digits) {
        char shown[SHOWN_MAX * 4 + 8];
        at_str_show(s->text.ptr + start, n, 12, shown, sizeof shown);
        return scan_fail(s, "the %s must have %d digits, found %zu ('%s')", part, digits, n,
                         shown);
    }
    int v = 0;
    for (size_t i = 0; i < n; i++)
        v = v * 10 + (s->text.ptr[start + i] - '0');
    s->pos += n;
    *out = v;
    return AT_OK;
}

static at_code scan_char(scanner *s, char c, const char *after)
{
    if (!at_end(s) && s->text.ptr[s->pos] == c) {
        s->pos++;
        return AT_OK;
    }
    char found[32];
    show_found(s, found, sizeof found);
    return scan_fail(s, "expected '%c' after the %s at character %zu, found %s", c, after,
                     s->pos + 1, found);
}

static at_code scan_trailing(scanner *s, const char *after)
{
    if (at_end(s))
        return AT_OK;
    char shown[SHOWN_MAX * 4 + 8];
    at_str_show(s->text.ptr + s->pos, s->text.len - s->pos, 20, shown, sizeof shown);
    return scan_fail(s, "unexpected '%s' after the %s at character %zu", shown, after,
                     s->pos + 1);
}

static at_code scan_date(scanner *s, at_day *out)
{
    int y = 0, m = 0, d = 0;
    at_code c;
    if ((c = scan_number(s, 4, "year", &y)) != AT_OK ||
        (c = scan_char(s, '-', "year")) != AT_OK ||
        (c = scan_number(s, 2, "month", &m)) != AT_OK ||
        (c = scan_char(s, '-', "month")) != AT_OK ||
        (c = scan_number(s, 2, "day", &d)) != AT_OK)
        return c;
    if (y < 1)
        return scan_fail(s, "year 0000 is outside 0001..9999");
    if (m < 1 || m > 12)
        return scan_fail(s, "month %02d does not exist (months are 01..12)", m);
    if (d < 1)
        return scan_fail(s, "day 00 does not exist (days start at 01)");
    if (d > at_days_in_month(y, m))
        return scan_fail(s, "day %d does not exist in %s %d (it has %d days)", d,
                         at_month_name(m), y, at_days_in_month(y, m));
    *out = at_day_from_ymd(y, m, d);
    return AT_OK;
}

at_code at_day_parse(at_str text, at_day *out, at_error *err)
{
    scanner s = {text, 0, DATE_HINT, err};
    if (text.len == 0)
        return at_fail(err, AT_ERR_INVALID, NULL, DATE_HINT, "the date is empty");
    at_day d = 0;
    at_code c = scan_date(&s, &d);
    if (c == AT_OK && !at_end(&s)) {
        s.hint = "use YYYY-MM-DD, without a time or anything else";
        c = scan_trailing(&s, "date");
    }
    if (c == AT_OK)
        *out = d;
    return c;
}

/* Reads 2 digits no greater than max, naming `part`. */
static at_code scan_clock_part(scanner *s, const char *part, int max, const char *note, int *out)
{
    at_code c = scan_number(s, 2, part, out);
    if (c != AT_OK)
        return c;
    if (*out > max)
        return scan_fail(s, "%s %02d is outside 00..%02d%s", part, *out, max, note);
    return AT_OK;
}

at_code at_time_parse(at_str text, at_time *out, at_error *err)
{
    scanner s = {text, 0, TIME_HINT, err};
    if (text.len == 0)
        return at_fail(err, AT_ERR_INVALID, NULL, TIME_HINT, "the timestamp is empty");
    at_day day = 0;
    at_code c = scan_date(&s, &day);
    if (c != AT_OK)
        return c;
    at_time t = at_time_from_day(day);
    if (at_end(&s)) {
        *out = t;
        return AT_OK;
    }
    char sep = s.text.ptr[s.pos];
    if (sep != 'T' && sep != 't' && sep != ' ') {
        char found[32];
        show_found(&s, found, sizeof found);
        return scan_fail(&s, "expected 'T' or a space between the date and the time at "
                             "character %zu, found %s", s.pos + 1, found);
    }
    s.pos++;
    int hh = 0, mm = 0, ss = 0;
    if ((c = scan_clock_part(&s, "hour", 23, "", &hh)) != AT_OK ||
        (c = scan_char(&s, ':', "hour")) != AT_OK ||
        (c = scan_clock_part(&s, "minute", 59, "", &mm)) != AT_OK ||
        (c = scan_char(&s, ':', "minute")) != AT_OK ||
        (c = scan_clock_part(&s, "second", 59, " (leap seconds are not supported)", &ss)) !=
            AT_OK)
        return c;
    t += hh * 3600 + mm * 60 + ss;
    if (!at_end(&s) && s.text.ptr[s.pos] == '.') {
        s.pos++;
        size_t n = 0;
        while (s.pos + n < s.text.len && is_digit(s.text.ptr[s.pos + n]))
            n++;
        if (n == 0) {
            char found[32];
            show_found(&s, found, sizeof found);
            return scan_fail(&s, "expected digits of a fraction of a second after '.' at "
                                 "character %zu, found %s", s.pos + 1, found);
        }
        if (n > 9)
            return scan_fail(&s, "the fraction of a second has %zu digits; at most 9 are "
                                 "accepted", n);
        s.pos += n; /* dropped: moments are whole seconds */
    }
    if (!at_end(&s)) {
        char z = s.text.ptr[s.pos];
        if (z == 'Z' || z == 'z') {
            s.pos++;
        } else if (z == '+' || z == '-') {
            s.pos++;
            int oh = 0, om = 0;
            if ((c = scan_clock_part(&s, "offset hour", 23, "", &oh)) != AT_OK ||
                (c = scan_char(&s, ':', "offset hour")) != AT_OK ||
                (c = scan_clock_part(&s, "offset minute", 59, "", &om)) != AT_OK)
                return c;
            int offset = oh * 3600 + om * 60;
            /* local = UTC + offset, so UTC = local - offset */
            t -= z == '+' ? offset : -offset;
        } else {
            return scan_trailing(&s, "time (expected Z, +hh:mm or -hh:mm, or nothing)");
        }
        if ((c = scan_trailing(&s, "time zone")) != AT_OK)
            return c;
    }
    if (t < at_time_from_day(AT_DAY_MIN))
        return scan_fail(&s, "in UTC this is before 0001-01-01T00:00:00Z, the first moment "
                             "supported");
    if (t > at_time_from_day(AT_DAY_MAX) + AT_SECONDS_PER_DAY - 1)
        return scan_fail(&s, "in UTC this is after 9999-12-31T23:59:59Z, the last moment "
                             "supported");
    *out = t;
    return AT_OK;
}
