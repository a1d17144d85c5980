/* convert.h - the value conversions of mapping files (docs/mapping.md): a CRM export's way of
 * writing a value turned into attain's canonical text, the text at_field_parse accepts.
 *
 *   date    "3/14/2024" with pattern M/D/YYYY       -> "2024-03-14"
 *   time    "3/14/2024, 2:05 PM" (M/D/YYYY, h:mm a)  -> "2024-03-14T14:05:00Z" (with an offset)
 *   number  "1,234,567.5" "(1,200)" "1.234,5"        -> "1234567.5" "-1200" "1234.5"
 *   money   "$1,234.50" "USD 1,234.50" "-€12"        -> "1234.50" "1234.50" "-12"
 *   percent "25" "12.5 %"                            -> "25%" "12.5%"
 *   scale   "1100.04" x 1000000                      -> "1100040000" (exact decimal arithmetic)
 *   trim, lower, upper (ASCII letters only)
 *
 * An empty value stays empty through every conversion, so optional columns stay optional.
 * Errors (AT_ERR_INVALID) quote the value and say what was expected; where is left for the
 * caller (the source file's place and the mapping's). */
#ifndef ATTAIN_IMPORT_CONVERT_H
#define ATTAIN_IMPORT_CONVERT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/error.h"
#include "core/str.h"

typedef enum at_convert_kind {
    AT_CONVERT_TRIM = 0,
    AT_CONVERT_LOWER,
    AT_CONVERT_UPPER,
    AT_CONVERT_DATE,
    AT_CONVERT_TIME,
    AT_CONVERT_NUMBER,
    AT_CONVERT_MONEY,
    AT_CONVERT_PERCENT,
    AT_CONVERT_SCALE,
} at_convert_kind;

/* One piece of a date pattern: a literal to match or a part of the date to read. */
typedef enum at_date_token {
    AT_DATE_LITERAL = 0,
    AT_DATE_YEAR4,      /* YYYY */
    AT_DATE_YEAR2,      /* YY: 00..68 -> 2000..2068, 69..99 -> 1969..1999 (as POSIX strptime) */
    AT_DATE_MONTH,      /* M: 1 or 2 digits */
    AT_DATE_MONTH2,     /* MM: 2 digits */
    AT_DATE_MONTH_ABBR, /* MMM: Jan..Dec, any case */
    AT_DATE_MONTH_NAME, /* MMMM: January..December, any case (or the 3-letter abbreviation) */
    AT_DATE_DAY,        /* D */
    AT_DATE_DAY2,       /* DD */
    AT_DATE_HOUR24,     /* H: 0..23, 1 or 2 digits */
    AT_DATE_HOUR24_2,   /* HH */
    AT_DATE_HOUR12,     /* h: 1..12, 1 or 2 digits (with a) */
    AT_DATE_HOUR12_2,   /* hh */
    AT_DATE_MINUTE,     /* mm: 2 digits (m: 1 or 2) */
    AT_DATE_MINUTE1,
    AT_DATE_SECOND,     /* ss (s: 1 or 2) */
    AT_DATE_SECOND1,
    AT_DATE_AMPM,       /* a or A: AM / PM, any case, also a.m. / p.m. */
} at_date_token;

#define AT_DATE_PATTERN_MAX 24

typedef struct at_date_pattern {
    char text[64];   /* the pattern as written, for messages */
    size_t count;
    struct {
        at_date_token token;
        char literal[8]; /* AT_DATE_LITERAL: the bytes to match */
        size_t literal_len;
    } parts[AT_DATE_PATTERN_MAX];
    bool has_time;   /* the pattern reads an hour */
    bool has_ampm;
} at_date_pattern;

/* Compiles a pattern ("M/D/YYYY", "DD.MM.YYYY", "YYYY-MM-DD HH:mm:ss", "M/D/YYYY, h:mm a",
 * "D MMM YYYY"). Letters Y M D H h m s a A are parts; every other byte is matched as written.
 * AT_ERR_INVALID for a pattern without a year, month and day, an unknown run ("YYY"), a part
 * given twice, h without a, or a pattern too long. */
at_code at_date_pattern_compile(const char *pattern, at_date_pattern *out, at_error *err);

/* Reads text with the pattern: the civil date, and the seconds since midnight (0 when the
 * pattern has no time). Leading and trailing spaces are ignored. */
at_code at_date_pattern_read(const at_date_pattern *pattern, at_str text, int *year, int *month,
                             int *day, int *seconds, at_error *err);

typedef struct at_convert {
    at_convert_kind kind;
    at_date_pattern date;    /* DATE, TIME */
    int offset_minutes;      /* TIME: the source's UTC offset (-08:00 -> -480) */
    char thousands;          /* NUMBER, MONEY: the grouping separator (',' default; 0: none) */
    char decimal;            /* NUMBER, MONEY: '.' (default) or ',' */
    char currency[4];        /* MONEY: when set, a currency code in the value must be this one */
    /* SCALE: the factor as an exact decimal, factor_digits x 10^-factor_exp */
    int64_t factor_digits;
    int factor_exp;
} at_convert;

/* Fills c with the defaults of a kind (thousands ',', decimal '.', offset 0). */
void at_convert_init(at_convert *c, at_convert_kind kind);

/* The kind named name ("date", "money", ...): AT_ERR_NOT_FOUND listing the names. */
at_code at_convert_kind_parse(at_str name, at_convert_kind *out, at_error *err);
const char *at_convert_kind_name(at_convert_kind kind);

/* "+05:30", "-08:00", "Z", "UTC" -> minutes east of UTC. */
at_code at_convert_parse_offset(at_str text, int *minutes, at_error *err);
/* A scale factor: a plain decimal, not zero ("1000000", "0.01", "-1"). */
at_code at_convert_parse_factor(at_str text, at_convert *c, at_error *err);

/* Converts in into *out (text in the arena, or a view of in when nothing changes). */
at_code at_convert_apply(const at_convert *c, at_str in, at_arena *arena, at_str *out,
                         at_error *err);

#endif
