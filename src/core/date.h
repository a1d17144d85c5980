/* date.h - civil days and timestamps.
 *
 * Business dates are civil days: an int32 count of days since 1970-01-01 in the proleptic
 * Gregorian calendar, with no time zone. Moments (activities, stage changes) are int64 seconds
 * since 1970-01-01T00:00:00Z. Fiscal periods live in fiscal.h. */
#ifndef ATTAIN_CORE_DATE_H
#define ATTAIN_CORE_DATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "core/str.h"

typedef int32_t at_day;
typedef int64_t at_time;

/* years 0001..9999 are accepted */
#define AT_DAY_MIN (-719162) /* 0001-01-01 */
#define AT_DAY_MAX 2932896   /* 9999-12-31 */
#define AT_DATE_TEXT_MAX 11      /* "YYYY-MM-DD" + NUL */
#define AT_TIME_TEXT_MAX 21      /* "YYYY-MM-DDTHH:MM:SSZ" + NUL */
#define AT_SECONDS_PER_DAY 86400

bool at_is_leap_year(int year);
/* 28..31; 0 when month is not 1..12. */
int at_days_in_month(int year, int month);
/* year 1..9999, month 1..12, day 1..days in that month. */
bool at_ymd_valid(int year, int month, int day);
/* The day of a valid y-m-d (callers check at_ymd_valid first). */
at_day at_day_from_ymd(int year, int month, int day);
/* Works for every at_day, also outside AT_DAY_MIN..AT_DAY_MAX (years 0 and below, 10000 up). */
void at_day_to_ymd(at_day day, int *year, int *month, int *dayofmonth);
/* ISO weekday: 1 = Monday .. 7 = Sunday. */
int at_day_weekday(at_day day);
/* Adds months, clamping the day to the target month's length (Jan 31 + 1 month = Feb 28/29).
 * A result before 0001-01-01 or after 9999-12-31 is clamped to that end. */
at_day at_day_add_months(at_day day, int months);

/* "January".."December" for 1..12, "" otherwise. */
const char *at_month_name(int month);
/* "Monday".."Sunday" for ISO weekdays 1..7, "" otherwise. */
const char *at_weekday_name(int weekday);

/* Strict "YYYY-MM-DD": exactly 4-2-2 digits with '-', no spaces, no time. Errors say which part
 * is wrong and show the expected shape, e.g.
 *   "2026-02-30: day 30 does not exist in February 2026"  (hint: use YYYY-MM-DD ...)
 * The text is quoted at the start of the message (cut after 40 bytes, control bytes shown as
 * \xNN); where is left empty for the caller to fill (file:line:column). AT_ERR_INVALID. */
at_code at_day_parse(at_str text, at_day *out, at_error *err);
/* "YYYY-MM-DD". Returns the length of the full text, like snprintf (10 for years 1..9999). */
size_t at_day_format(at_day day, char *buf, size_t size);

/* "YYYY-MM-DDTHH:MM:SS" with optional ".fff", optional "Z" or "+hh:mm"/"-hh:mm" (converted to
 * UTC); a space may stand for the T; a date alone means 00:00:00Z.
 * Details: seconds are required; no offset means UTC; lowercase 't' and 'z' are accepted (as in
 * RFC 3339); hours 00..23, minutes and seconds 00..59 (no leap second 60); offsets -23:59..+23:59.
 * A fraction of 1..9 digits is dropped (truncated, never rounded), so 23:59:59.999 stays on its
 * day. A moment that falls before 0001-01-01T00:00:00Z or after 9999-12-31T23:59:59Z once in UTC
 * is an error. AT_ERR_INVALID. */
at_code at_time_parse(at_str text, at_time *out, at_error *err);
/* "YYYY-MM-DDTHH:MM:SSZ". Returns the length of the full text, like snprintf. */
size_t at_time_format(at_time t, char *buf, size_t size);
at_time at_time_from_day(at_day day);
at_day at_time_day(at_time t); /* the UTC civil day of a moment (clamped to the int32 range) */

#endif
