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

bool at_is_leap_year(int year);
int at_days_in_month(int year, int month);
bool at_ymd_valid(int year, int month, int day);
/* The day of a valid y-m-d (callers check at_ymd_valid first). */
at_day at_day_from_ymd(int year, int month, int day);
void at_day_to_ymd(at_day day, int *year, int *month, int *dayofmonth);
/* ISO weekday: 1 = Monday .. 7 = Sunday. */
int at_day_weekday(at_day day);
/* Adds months, clamping the day to the target month's length (Jan 31 + 1 month = Feb 28/29). */
at_day at_day_add_months(at_day day, int months);

/* Strict "YYYY-MM-DD". Errors say which part is wrong and show the expected shape. */
at_code at_day_parse(at_str text, at_day *out, at_error *err);
size_t at_day_format(at_day day, char *buf, size_t size);

/* "YYYY-MM-DDTHH:MM:SS" with optional ".fff", optional "Z" or "+hh:mm"/"-hh:mm" (converted to
 * UTC); a space may stand for the T; a date alone means 00:00:00Z. */
at_code at_time_parse(at_str text, at_time *out, at_error *err);
/* "YYYY-MM-DDTHH:MM:SSZ" */
size_t at_time_format(at_time t, char *buf, size_t size);
at_time at_time_from_day(at_day day);
at_day at_time_day(at_time t); /* the UTC civil day of a moment */

#endif
