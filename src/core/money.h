/* money.h - exact money and rates: int64 fixed point, never double.
 *
 * Money is an int64 count of 1/10,000 of a currency's major unit (AT_MONEY_SCALE): four
 * decimals cover every ISO 4217 minor unit (at most 3 decimals) with one digit to spare for
 * per-unit prices, and leave +-922 trillion major units of headroom. Rates and percentages
 * are int64 at 1e-9 (AT_RATE_SCALE): 5% = 0.05 = 50,000,000. Products and quotients go
 * through 128-bit intermediates and are rounded once, at the end; every operation that can
 * overflow reports it (AT_ERR_OVERFLOW, naming the values); rounding is half-even unless the
 * caller names another mode. Unknown modes are AT_ERR_INVALID. See docs/design.md for why. */
#ifndef ATTAIN_CORE_MONEY_H
#define ATTAIN_CORE_MONEY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "core/str.h"

typedef int64_t at_money;
typedef int64_t at_rate;

#define AT_MONEY_SCALE INT64_C(10000)
#define AT_MONEY_DECIMALS 4
#define AT_RATE_SCALE INT64_C(1000000000)
#define AT_RATE_DECIMALS 9

typedef enum at_rounding {
    AT_ROUND_HALF_EVEN = 0, /* banker's rounding: the default */
    AT_ROUND_HALF_UP,       /* ties away from zero */
    AT_ROUND_HALF_DOWN,     /* ties toward zero */
    AT_ROUND_DOWN,          /* toward zero (truncate) */
    AT_ROUND_UP,            /* away from zero */
    AT_ROUND_FLOOR,         /* toward -infinity */
    AT_ROUND_CEILING,       /* toward +infinity */
} at_rounding;

/* Longest text at_money_format / at_rate_format write, with the NUL. */
#define AT_MONEY_TEXT_MAX 32

/* Parses "-1234.5", "1234.5678", "+0.1", "12", "007.50" (no thousands separators, no exponent,
 * no currency sign, no spaces: callers trim). A digit is required on both sides of a point:
 * "1." and ".5" are refused, with a hint showing "1.0" / "0.5". Zeros past the 4th decimal
 * are accepted ("2.500000" loses nothing); any other 5th decimal is an error whose hint says
 * to write at most 4 decimals (callers that want rounding use at_money_parse_rounded). So are
 * empty text, stray characters and overflow (AT_ERR_OVERFLOW). Messages quote the text (its
 * first 40 bytes) and give the 1-based position of the bad character; `where` is left empty
 * for the caller to fill with file:line:column. *out is untouched on failure. */
at_code at_money_parse(at_str text, at_money *out, at_error *err);
/* The same, rounding extra decimals (any number of them) with the given mode instead of
 * failing: "1.23455" half-even -> 1.2346. */
at_code at_money_parse_rounded(at_str text, at_rounding mode, at_money *out, at_error *err);
/* Writes the exact value with at least 2 decimals and more only when they are not zero:
 * 12 -> "12.00", 12.3 -> "12.30", 12.345 -> "12.345", -0.0001 -> "-0.0001". Returns length.
 * at_money_parse(at_money_format(x)) == x for every x. */
size_t at_money_format(at_money value, char *buf, size_t size);
/* Writes with exactly `decimals` decimals (0..4; others are clamped), rounding with mode
 * (an unknown mode counts as half-even). Never overflows: 922337203685477.5807 at 0 decimals
 * is "922337203685478". Zero is never written with a minus sign. */
size_t at_money_format_fixed(at_money value, int decimals, at_rounding mode, char *buf,
                             size_t size);

/* Copies a decimal text ("-1234567.50", "+12", "1234") with a ',' between every three digits
 * of its whole part ("-1,234,567.50") into out, for tables people read. The text is cut to fit
 * size (always NUL-terminated when size > 0). Returns the length it would have written, like
 * snprintf. */
size_t at_money_group_digits(const char *plain, char *out, size_t size);

at_code at_money_add(at_money a, at_money b, at_money *out, at_error *err);
at_code at_money_sub(at_money a, at_money b, at_money *out, at_error *err);
at_code at_money_mul_int(at_money a, int64_t n, at_money *out, at_error *err);
/* money x rate = money, rounded to the money scale with mode. */
at_code at_money_mul_rate(at_money a, at_rate r, at_rounding mode, at_money *out, at_error *err);
/* a / n rounded with mode (n != 0). */
at_code at_money_div_int(at_money a, int64_t n, at_rounding mode, at_money *out, at_error *err);
/* a / b as a rate (b != 0), rounded with mode: attainment = credit / quota. */
at_code at_money_ratio(at_money a, at_money b, at_rounding mode, at_rate *out, at_error *err);
/* Rounds to `decimals` (0..4) decimals, e.g. 2 for cents. */
at_code at_money_round(at_money a, int decimals, at_rounding mode, at_money *out, at_error *err);

/* Splits total into n parts in proportion to weights (non-negative, not all zero), each part
 * rounded to `decimals` decimals, with the parts summing exactly to total rounded half-even
 * to `decimals` (10.005 at 2 decimals is 10.00). Each part first gets the floor of its exact
 * share; the leftover minor units go, one each, to the parts with the largest remainders,
 * ties to the lower index: 100.00 in three equal parts is 33.34, 33.33, 33.33 (the spare cent
 * to the first part). A part with weight 0 gets 0. Negative totals mirror positive ones
 * (-33.34, -33.33, -33.33). Weights may be as large as INT64_MAX. May allocate scratch memory
 * (AT_ERR_NOMEM). */
at_code at_money_allocate(at_money total, const int64_t *weights, size_t n, int decimals,
                          at_money *parts, at_error *err);

/* Rates: "0.05", "5%", "-1.25", "12.5%". Up to 9 decimals (after applying %, so at most 7
 * before a %), with the same syntax rules and messages as at_money_parse. */
at_code at_rate_parse(at_str text, at_rate *out, at_error *err);
/* Exact, at least 1 decimal: 0.05 -> "0.05", 1 -> "1.0". */
size_t at_rate_format(at_rate value, char *buf, size_t size);
/* As a percentage with `decimals` decimals (0..7, others clamped), rounded half-even:
 * 0.05 -> "5.00%" (decimals = 2); 0.125 -> "12%" (decimals = 0). */
size_t at_rate_format_percent(at_rate value, int decimals, char *buf, size_t size);
at_code at_rate_mul(at_rate a, at_rate b, at_rounding mode, at_rate *out, at_error *err);

/* Rounds the exact quotient num / den (den != 0) to an integer with mode. The building
 * block of everything above; exposed for the engines. AT_ERR_OVERFLOW when the result does
 * not fit in int64; AT_ERR_INVALID for den == 0 or an unknown mode. */
at_code at_div_round_i128(__int128 num, __int128 den, at_rounding mode, int64_t *out,
                          at_error *err);

/* "half-even", "half-up", "half-down", "down", "up", "floor", "ceiling"; "unknown" for
 * values outside the enum. Parsing ignores case and takes '_' or ' ' for '-'. */
const char *at_rounding_name(at_rounding mode);
at_code at_rounding_parse(at_str text, at_rounding *out, at_error *err);

#endif
