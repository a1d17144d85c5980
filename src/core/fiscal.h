/* fiscal.h - fiscal calendars as explicit period tables.
 *
 * A fiscal calendar says when fiscal years start and how they split into 12 fiscal months,
 * 4 quarters and 2 halves. Two patterns:
 *  - calendar months: fiscal month 1 is the start month, each fiscal month a calendar month;
 *  - weeks (4-4-5, 4-5-4, 5-4-4): every fiscal year ends on a given weekday (e.g. Saturday), the
 *    LAST such weekday of the year-end month or the one NEAREST the end of that month. Years are
 *    52 or 53 weeks (364 or 371 days); each quarter's 13 weeks split into months as the pattern
 *    says, and in a 53-week year the extra week goes to fiscal month 12 (so to Q4 and H2), as
 *    the NRF 4-5-4 retail calendar does.
 * The year-end month is the month before the start month (December when years start in January).
 * For week calendars the start month is nominal: the year really starts the day after the
 * previous year's end, which can fall a few days into the month before.
 *
 * Fiscal years are named by the calendar year of their nominal start or end month (default:
 * end). With start month 2, FY2026 named by end is Feb 2025..Jan 2026; named by start it is
 * Feb 2026..Jan 2027. With start month 1 both agree. Naming by the nominal month, not the actual
 * first/last day, keeps a week year that ends on 2022-01-01 named after 2021.
 *
 * A table holds every period of a range of fiscal years, in date order per kind, with labels
 * "2026" (the year), "2026-H1", "2026-Q1" and "2026-03" (fiscal month 3, not March: with a start
 * month other than 1 they differ). Lookups by day, by label and by offset use the table only. */
#ifndef ATTAIN_CORE_FISCAL_H
#define ATTAIN_CORE_FISCAL_H

#include <stdbool.h>
#include <stddef.h>

#include "core/date.h"
#include "core/error.h"
#include "core/str.h"

typedef enum at_fiscal_pattern {
    AT_FISCAL_MONTHS = 0, /* calendar months */
    AT_FISCAL_445,        /* weeks per month within each quarter: 4, 4, 5 */
    AT_FISCAL_454,        /* 4, 5, 4 (the NRF retail calendar) */
    AT_FISCAL_544,        /* 5, 4, 4 */
} at_fiscal_pattern;

typedef enum at_fiscal_naming {
    AT_FISCAL_NAMED_BY_END = 0, /* FY2026 ends in 2026 (the default) */
    AT_FISCAL_NAMED_BY_START,   /* FY2026 starts in 2026 */
} at_fiscal_naming;

typedef enum at_fiscal_end_rule {
    AT_FISCAL_END_LAST = 0, /* the last week_ends_on weekday of the year-end month */
    AT_FISCAL_END_NEAREST,  /* the week_ends_on weekday nearest the year-end month's last day
                               (up to 3 days before or after it) */
} at_fiscal_end_rule;

typedef struct at_fiscal_calendar {
    int start_month;              /* 1..12 */
    at_fiscal_naming named_by;
    at_fiscal_pattern pattern;
    int week_ends_on;             /* ISO weekday 1 = Monday .. 7 = Sunday; week patterns only */
    at_fiscal_end_rule end_rule;  /* week patterns only */
} at_fiscal_calendar;

/* Start month 1, named by end, calendar months; week_ends_on Saturday and end rule "last" for
 * when the pattern is switched to weeks. */
void at_fiscal_calendar_default(at_fiscal_calendar *cal);
/* Checks every field's range. AT_ERR_INVALID naming the setting that is wrong. */
at_code at_fiscal_calendar_check(const at_fiscal_calendar *cal, at_error *err);

/* ---- settings ----------------------------------------------------------------------------
 * Users describe a calendar with these settings (settings.csv, the settings page):
 *   fiscal_year_start_month  1..12, or a month name ("February", "feb")      default 1
 *   fiscal_year_named_by     start | end                                      default end
 *   fiscal_calendar          months | 4-4-5 | 4-5-4 | 5-4-4                   default months
 *   fiscal_week_ends_on      mon..sun (or monday..sunday)                     default sat
 *   fiscal_year_end_rule     last | nearest                                   default last
 * Values are trimmed of spaces and tabs and compared without regard to case. The two week
 * settings are accepted but unused with fiscal_calendar = months. */
#define AT_FISCAL_SETTING_COUNT 5
/* The setting keys in the order above; NULL past the end. */
const char *at_fiscal_setting_key(size_t index);
/* True for keys that start with "fiscal_" (known or not): the settings this module owns. */
bool at_fiscal_is_setting(at_str key);
/* Sets one field from a key and its text value. Errors name the key and the accepted values:
 * AT_ERR_INVALID for a bad value, AT_ERR_NOT_FOUND for an unknown fiscal_ key. */
at_code at_fiscal_calendar_set(at_fiscal_calendar *cal, at_str key, at_str value, at_error *err);
/* Builds a calendar from key/value pairs (e.g. every row of settings.csv): starts from the
 * defaults, applies each fiscal_ key, skips keys that are not fiscal_ keys. A fiscal key given
 * twice is AT_ERR_CONFLICT. On error *out is left untouched. */
at_code at_fiscal_calendar_from_settings(const at_str *keys, const at_str *values, size_t count,
                                         at_fiscal_calendar *out, at_error *err);
/* The text value of one setting, as at_fiscal_calendar_set accepts it ("2", "end", "4-4-5",
 * "sat", "last"). Returns the length like snprintf; 0 and "" for an unknown key. */
size_t at_fiscal_setting_format(const at_fiscal_calendar *cal, at_str key, char *buf,
                                size_t size);
/* A sentence for people, e.g. "Fiscal years start in February and are named by the calendar
 * year in which they end; 4-4-5 weeks per quarter; each year ends on the last Saturday of
 * January." Returns the length like snprintf. */
size_t at_fiscal_calendar_describe(const at_fiscal_calendar *cal, char *buf, size_t size);

/* ---- fiscal years without a table --------------------------------------------------------- */

/* The first and last day (inclusive) of a fiscal year. AT_ERR_INVALID when the year or its days
 * fall outside 0001-01-01..9999-12-31 or the calendar is invalid. */
at_code at_fiscal_year_bounds(const at_fiscal_calendar *cal, int fiscal_year, at_day *first,
                              at_day *last, at_error *err);
/* The fiscal year that contains a day (e.g. to size a table for the dates in some data). */
at_code at_fiscal_year_of_day(const at_fiscal_calendar *cal, at_day day, int *fiscal_year,
                              at_error *err);

/* ---- periods ------------------------------------------------------------------------------ */

typedef enum at_period_kind {
    AT_PERIOD_MONTH = 0, /* 12 a year */
    AT_PERIOD_QUARTER,   /* 4 a year */
    AT_PERIOD_HALF,      /* 2 a year */
    AT_PERIOD_YEAR,      /* 1 a year */
} at_period_kind;
#define AT_PERIOD_KIND_COUNT 4

#define AT_PERIOD_LABEL_MAX 16 /* "2026-Q1" + NUL, with room to spare */

typedef struct at_period {
    at_period_kind kind;
    int fiscal_year;
    int number;  /* within the fiscal year: month 1..12, quarter 1..4, half 1..2, year 1 */
    at_day first;
    at_day last; /* inclusive */
    char label[AT_PERIOD_LABEL_MAX];
} at_period;

/* "month", "quarter", "half", "year". */
const char *at_period_kind_name(at_period_kind kind);
/* How many periods of a kind make a fiscal year: 12, 4, 2, 1. */
int at_period_kind_per_year(at_period_kind kind);
/* "2026-03", "2026-Q1", "2026-H1", "2026". Returns the length like snprintf. */
size_t at_period_label_format(at_period_kind kind, int fiscal_year, int number, char *buf,
                              size_t size);
/* Parses a label without a table. Errors (AT_ERR_INVALID) quote the label and say what is
 * wrong: "2026-13" (no fiscal month 13), "2026-Q5", "2026-H3", "26-Q1" (4-digit years),
 * "2026-3" (2-digit months), "FY2026" (leave out FY); 'q' and 'h' may be lowercase. */
at_code at_period_label_parse(at_str text, at_period_kind *kind, int *fiscal_year, int *number,
                              at_error *err);

/* Days in a period, first and last included. */
int at_period_days(const at_period *p);
bool at_period_contains(const at_period *p, at_day day);
/* Orders by first day, then last day (shorter first), then kind, then label: so a year sorts
 * after its H1, Q1 and first month, which all start the same day. -1, 0 or 1. */
int at_period_compare(const at_period *a, const at_period *b);

/* ---- tables ------------------------------------------------------------------------------- */

typedef struct at_fiscal_table {
    at_fiscal_calendar calendar;
    int first_year; /* the fiscal years covered, inclusive */
    int last_year;
    at_period *periods[AT_PERIOD_KIND_COUNT]; /* per kind, in date order (borrowed from storage) */
    size_t counts[AT_PERIOD_KIND_COUNT];
    at_period *storage; /* one allocation for all periods */
} at_fiscal_table;

/* Builds every period of fiscal years first_year..last_year. AT_ERR_INVALID for a bad calendar
 * or years, AT_ERR_NOMEM. On error the table is left empty (freeing it is harmless). */
at_code at_fiscal_table_build(const at_fiscal_calendar *cal, int first_year, int last_year,
                              at_fiscal_table *table, at_error *err);
void at_fiscal_table_free(at_fiscal_table *table);

/* The period of a kind that contains a day. AT_ERR_NOT_FOUND outside the table's years. */
at_code at_fiscal_find(const at_fiscal_table *table, at_period_kind kind, at_day day,
                       const at_period **out, at_error *err);
/* A period by kind, fiscal year and number. AT_ERR_NOT_FOUND outside the table. */
at_code at_fiscal_get(const at_fiscal_table *table, at_period_kind kind, int fiscal_year,
                      int number, const at_period **out, at_error *err);
/* A period by label: at_period_label_parse, then AT_ERR_NOT_FOUND for a year outside the table. */
at_code at_fiscal_parse_label(const at_fiscal_table *table, at_str label, const at_period **out,
                              at_error *err);
/* The period n periods of the same kind after p (n < 0: before), across fiscal years.
 * AT_ERR_NOT_FOUND when that runs off the table; AT_ERR_INVALID when p's kind, year or number
 * are not the table's. */
at_code at_fiscal_add(const at_fiscal_table *table, const at_period *p, long long n,
                      const at_period **out, at_error *err);
at_code at_fiscal_next(const at_fiscal_table *table, const at_period *p, const at_period **out,
                       at_error *err);
at_code at_fiscal_prev(const at_fiscal_table *table, const at_period *p, const at_period **out,
                       at_error *err);
/* The periods of a kind that make up p, consecutive in the table: the 3 months of a quarter,
 * the 2 quarters of a half, the 12 months of a year; p itself for its own kind. AT_ERR_INVALID
 * when kind is coarser than p's (a month has no quarters). */
at_code at_fiscal_within(const at_fiscal_table *table, const at_period *p, at_period_kind kind,
                         const at_period **first, size_t *count, at_error *err);
/* The months of a quarter: at_fiscal_within(table, quarter, AT_PERIOD_MONTH, ...), count 3. */
at_code at_fiscal_quarter_months(const at_fiscal_table *table, const at_period *quarter,
                                 const at_period **first_month, at_error *err);
/* The period of a kind that contains p (the quarter of a month, the year of a quarter).
 * AT_ERR_INVALID when kind is finer than p's. */
at_code at_fiscal_parent(const at_fiscal_table *table, const at_period *p, at_period_kind kind,
                         const at_period **out, at_error *err);

#endif
