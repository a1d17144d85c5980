/* money.c - exact money and rates (see money.h): parsing and formatting decimal text, the
 * arithmetic with overflow checks, the seven rounding modes, and splitting an amount into
 * parts. Everything is integer arithmetic on int64 values with 128-bit intermediates; there is
 * no floating point in this file. */
#include "core/money.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef __int128 i128;
typedef unsigned __int128 u128;

#define U63 ((u128)1 << 63) /* |INT64_MIN| */

static const int64_t POW10[19] = {
    INT64_C(1),
    INT64_C(10),
    INT64_C(100),
    INT64_C(1000),
    INT64_C(10000),
    INT64_C(100000),
    INT64_C(1000000),
    INT64_C(10000000),
    INT64_C(100000000),
    INT64_C(1000000000),
    INT64_C(10000000000),
    INT64_C(100000000000),
    INT64_C(1000000000000),
    INT64_C(10000000000000),
    INT64_C(100000000000000),
    INT64_C(1000000000000000),
    INT64_C(10000000000000000),
    INT64_C(100000000000000000),
    INT64_C(1000000000000000000),
};

static const char *const ROUNDING_NAMES[] = {
    "half-even", "half-up", "half-down", "down", "up", "floor", "ceiling",
};
#define ROUNDING_COUNT (sizeof ROUNDING_NAMES / sizeof ROUNDING_NAMES[0])
#define ROUNDING_HINT "use one of: half-even, half-up, half-down, down, up, floor, ceiling"

#define LIMIT_HINT                                                                              \
    "amounts are limited to +-922337203685477.5807; a value this large is almost certainly a " \
    "data error: check for a misplaced decimal point or a wrong unit"

static bool mode_ok(at_rounding mode)
{
    return (unsigned)mode < ROUNDING_COUNT;
}

static at_code bad_mode(at_error *err, at_rounding mode)
{
    return at_fail(err, AT_ERR_INVALID, NULL, ROUNDING_HINT, "unknown rounding mode %d",
                   (int)mode);
}

/* Whether an inexact magnitude q must move one step away from zero. half tells where the
 * dropped part lies: below one half (-1), exactly one half (0) or above it (1). */
static bool round_away(at_rounding mode, bool negative, bool q_odd, int half)
{
    switch (mode) {
    case AT_ROUND_HALF_EVEN:
        return half > 0 || (half == 0 && q_odd);
    case AT_ROUND_HALF_UP:
        return half >= 0;
    case AT_ROUND_HALF_DOWN:
        return half > 0;
    case AT_ROUND_DOWN:
        return false;
    case AT_ROUND_UP:
        return true;
    case AT_ROUND_FLOOR:
        return negative;
    case AT_ROUND_CEILING:
        return !negative;
    }
    return half > 0 || (half == 0 && q_odd); /* not reached: modes are checked first */
}

/* |num / den| rounded with mode (den != 0); *negative tells the sign of a non-zero result. */
static u128 div_round_mag(i128 num, i128 den, at_rounding mode, bool *negative)
{
    u128 un = num < 0 ? -(u128)num : (u128)num;
    u128 ud = den < 0 ? -(u128)den : (u128)den;
    u128 q = un / ud;
    u128 r = un % ud;
    bool neg = (num < 0) != (den < 0);
    if (r) {
        u128 rest = ud - r;
        int half = r < rest ? -1 : (r > rest ? 1 : 0);
        if (round_away(mode, neg, (q & 1) != 0, half))
            q++;
    }
    *negative = neg && q != 0;
    return q;
}

/* Stores a sign and magnitude as an int64; false when it does not fit. */
static bool mag_to_i64(u128 mag, bool negative, int64_t *out)
{
    if (negative) {
        if (mag > U63)
            return false;
        *out = mag == U63 ? INT64_MIN : -(int64_t)mag;
        return true;
    }
    if (mag > (u128)INT64_MAX)
        return false;
    *out = (int64_t)mag;
    return true;
}

/* Decimal text of a 128-bit integer, for messages. */
static const char *i128_text(i128 v, char buf[48])
{
    char tmp[48];
    size_t n = 0;
    u128 m = v < 0 ? -(u128)v : (u128)v;
    do {
        tmp[n++] = (char)('0' + (int)(m % 10));
        m /= 10;
    } while (m);
    size_t k = 0;
    if (v < 0)
        buf[k++] = '-';
    while (n)
        buf[k++] = tmp[--n];
    buf[k] = '\0';
    return buf;
}

/* Copies text like snprintf: as much as fits, always NUL-terminated when size > 0; returns
 * the full length. */
static size_t put_text(const char *text, size_t len, char *buf, size_t size)
{
    if (buf && size) {
        size_t n = len < size - 1 ? len : size - 1;
        memcpy(buf, text, n);
        buf[n] = '\0';
    }
    return len;
}

/* Writes sign and magnitude as a decimal with `scale` decimals of which trailing zeros are
 * dropped down to `min_decimals`; a zero magnitude never gets a sign. suffix may be "". */
static size_t format_scaled(bool negative, u128 mag, int scale, int min_decimals,
                            const char *suffix, char *buf, size_t size)
{
    char text[80];
    char digits[48];
    size_t n = 0;
    u128 unit = 1;
    for (int i = 0; i < scale; i++)
        unit *= 10;
    u128 whole = mag / unit;
    u128 frac = mag % unit;
    if (negative && mag)
        text[n++] = '-';
    i128_text((i128)whole, digits);
    size_t dl = strlen(digits);
    memcpy(text + n, digits, dl);
    n += dl;
    int keep = scale;
    char fd[40];
    for (int i = scale - 1; i >= 0; i--) {
        fd[i] = (char)('0' + (int)(frac % 10));
        frac /= 10;
    }
    while (keep > min_decimals && fd[keep - 1] == '0')
        keep--;
    if (keep > 0) {
        text[n++] = '.';
        memcpy(text + n, fd, (size_t)keep);
        n += (size_t)keep;
    }
    size_t sl = strlen(suffix);
    memcpy(text + n, suffix, sl);
    n += sl;
    text[n] = '\0';
    return put_text(text, n, buf, size);
}

static const char *money_text(at_money v, char buf[AT_MONEY_TEXT_MAX])
{
    at_money_format(v, buf, AT_MONEY_TEXT_MAX);
    return buf;
}

static const char *rate_text(at_rate v, char buf[AT_MONEY_TEXT_MAX])
{
    at_rate_format(v, buf, AT_MONEY_TEXT_MAX);
    return buf;
}

/* ---- parsing ------------------------------------------------------------------------------ */

/* What a number is called in messages, and the shape it should take. */
typedef struct number_kind {
    const char *noun;    /* "amount" */
    const char *example; /* "1234.50" */
    int decimals;        /* decimals the scale holds */
    const char *decimals_hint;
    const char *largest;  /* the limits as text, for the overflow message */
    const char *smallest;
} number_kind;

static const number_kind KIND_MONEY = {
    "amount",
    "1234.50",
    AT_MONEY_DECIMALS,
    "write at most 4 decimals, e.g. 12.3456 (round the value in the source data first)",
    "922337203685477.5807",
    "-922337203685477.5808",
};
static const number_kind KIND_RATE = {
    "rate",
    "0.05",
    AT_RATE_DECIMALS,
    "write at most 9 decimals, e.g. 0.123456789",
    "9223372036.854775807",
    "-9223372036.854775808",
};
static const number_kind KIND_PERCENT = {
    "percentage",
    "5%",
    AT_RATE_DECIMALS - 2,
    "write at most 7 decimals before the %, e.g. 12.1234567%",
    "922337203685.4775807%",
    "-922337203685.4775808%",
};

/* The text quoted for a message: at most 40 bytes, non-printable bytes as \xNN. */
static const char *quote(at_str text, char out[200])
{
    size_t k = 0;
    size_t n = text.len < 40 ? text.len : 40;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)text.ptr[i];
        if (c >= 0x20 && c < 0x7f && c != '\\') {
            out[k++] = (char)c;
        } else {
            static const char hex[] = "0123456789ABCDEF";
            out[k++] = '\\';
            out[k++] = 'x';
            out[k++] = hex[c >> 4];
            out[k++] = hex[c & 15];
        }
    }
    if (text.len > n) {
        memcpy(out + k, "...", 3);
        k += 3;
    }
    out[k] = '\0';
    return out;
}

/* The syntax of a decimal: [+-]digits[.digits] */
typedef struct decimal_parts {
    bool negative;
    size_t int_start, int_end;   /* integer digits: text[int_start, int_end) */
    size_t frac_start, frac_end; /* decimals (empty when there is no point) */
} decimal_parts;

/* text is what is parsed; shown is what the person wrote (text plus a '%' for percentages). */
static at_code bad_char(at_str text, at_str shown, size_t pos, const number_kind *k,
                        at_error *err)
{
    char q[200];
    char hint[AT_ERROR_HINT_MAX];
    unsigned char c = (unsigned char)text.ptr[pos];
    size_t at = pos + 1;
    if (c == ' ' || c == '\t') {
        snprintf(hint, sizeof hint, "remove the spaces: write the number alone, e.g. %s",
                 k->example);
        return at_fail(err, AT_ERR_INVALID, NULL, hint, "%s '%s' has a space at character %zu",
                       k->noun, quote(shown, q), at);
    }
    if (c == ',' || c == '\'' || c == '_')
        return at_fail(err, AT_ERR_INVALID, NULL,
                       "remove the thousands separator (write 1234567.50, not 1,234,567.50); "
                       "decimals take a '.', not a ','",
                       "%s '%s' has a '%c' at character %zu", k->noun, quote(shown, q), c, at);
    if (c == 'e' || c == 'E')
        return at_fail(err, AT_ERR_INVALID, NULL,
                       "write the number out in full, e.g. 100000 instead of 1e5",
                       "%s '%s' has an exponent at character %zu", k->noun, quote(shown, q), at);
    if (c == '+' || c == '-') {
        snprintf(hint, sizeof hint, "write one sign at most, in front, e.g. -%s", k->example);
        return at_fail(err, AT_ERR_INVALID, NULL, hint,
                       "%s '%s' has a misplaced '%c' at character %zu", k->noun, quote(shown, q),
                       c, at);
    }
    if (c == '.')
        return at_fail(err, AT_ERR_INVALID, NULL,
                       "write one '.' for the decimals and no thousands separators, e.g. "
                       "1234567.50",
                       "%s '%s' has a second decimal point at character %zu", k->noun,
                       quote(shown, q), at);
    snprintf(hint, sizeof hint,
             "write only digits, one '.' and an optional sign in front, e.g. %s (no currency "
             "signs, letters or spaces)",
             k->example);
    if (c >= 0x20 && c < 0x7f)
        return at_fail(err, AT_ERR_INVALID, NULL, hint,
                       "%s '%s' has an unexpected '%c' at character %zu", k->noun,
                       quote(shown, q), c, at);
    return at_fail(err, AT_ERR_INVALID, NULL, hint,
                   "%s '%s' has an unexpected byte 0x%02X at character %zu%s", k->noun,
                   quote(shown, q), c, at, c >= 0x80 ? " (a currency sign or other symbol?)" : "");
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static at_code scan_decimal(at_str text, at_str shown, const number_kind *k, decimal_parts *p,
                           at_error *err)
{
    char q[200];
    char hint[AT_ERROR_HINT_MAX];
    if (text.len == 0) {
        snprintf(hint, sizeof hint, "write a number such as %s", k->example);
        return at_fail(err, AT_ERR_INVALID, NULL, hint, "empty %s", k->noun);
    }
    size_t i = 0;
    p->negative = false;
    if (text.ptr[0] == '+' || text.ptr[0] == '-') {
        p->negative = text.ptr[0] == '-';
        i = 1;
    }
    if (i == text.len) {
        snprintf(hint, sizeof hint, "write digits after the sign, e.g. -%s", k->example);
        return at_fail(err, AT_ERR_INVALID, NULL, hint, "%s '%s' has a sign but no digits",
                       k->noun, quote(shown, q));
    }
    if (text.ptr[i] == '.')
        return at_fail(err, AT_ERR_INVALID, NULL, "write a 0 before the point, e.g. 0.5",
                       "%s '%s' has no digit before the decimal point (character %zu)", k->noun,
                       quote(shown, q), i + 1);
    p->int_start = i;
    while (i < text.len && is_digit(text.ptr[i]))
        i++;
    if (i == p->int_start)
        return bad_char(text, shown, i, k, err);
    p->int_end = i;
    p->frac_start = p->frac_end = i;
    if (i < text.len && text.ptr[i] == '.') {
        size_t point = i++;
        p->frac_start = i;
        while (i < text.len && is_digit(text.ptr[i]))
            i++;
        p->frac_end = i;
        if (i == p->frac_start && i == text.len)
            return at_fail(err, AT_ERR_INVALID, NULL,
                           "write a digit after the point or leave the point out, e.g. 1.0 or 1",
                           "%s '%s' has no digit after the decimal point (character %zu)",
                           k->noun, quote(shown, q), point + 1);
    }
    if (i < text.len)
        return bad_char(text, shown, i, k, err);
    return AT_OK;
}

/* Parses text at k's scale. strict: decimals beyond the scale must be zeros; otherwise they
 * are rounded with mode. */
static at_code parse_number(at_str text, at_str shown, const number_kind *k, bool strict,
                            at_rounding mode, int64_t *out, at_error *err)
{
    if (!mode_ok(mode))
        return bad_mode(err, mode);
    if (!text.ptr && text.len)
        return at_fail(err, AT_ERR_INVALID, NULL, NULL, "no text given for the %s", k->noun);
    decimal_parts p = {false, 0, 0, 0, 0};
    at_code c = scan_decimal(text, shown, k, &p, err);
    if (c != AT_OK)
        return c;
    char q[200];
    size_t s = p.int_start;
    while (s + 1 < p.int_end && text.ptr[s] == '0')
        s++; /* leading zeros say nothing */
    bool too_big = p.int_end - s > 19;
    u128 mag = 0;
    if (!too_big)
        for (size_t i = s; i < p.int_end; i++)
            mag = mag * 10 + (u128)(text.ptr[i] - '0');
    size_t nfrac = p.frac_end - p.frac_start;
    for (int d = 0; d < k->decimals; d++) {
        int digit = (size_t)d < nfrac ? text.ptr[p.frac_start + (size_t)d] - '0' : 0;
        mag = mag * 10 + (u128)digit;
    }
    if (nfrac > (size_t)k->decimals) {
        size_t extra = p.frac_start + (size_t)k->decimals;
        int first = text.ptr[extra] - '0';
        bool sticky = false;
        for (size_t i = extra + 1; i < p.frac_end; i++)
            sticky = sticky || text.ptr[i] != '0';
        if (first || sticky) {
            if (strict)
                return at_fail(err, AT_ERR_INVALID, NULL, k->decimals_hint,
                               "%s '%s' has %zu decimals; %s %s holds at most %d", k->noun,
                               quote(shown, q), nfrac, k->noun[0] == 'a' ? "an" : "a", k->noun,
                               k->decimals);
            int half = first < 5 ? -1 : (first > 5 || sticky ? 1 : 0);
            if (round_away(mode, p.negative, (mag & 1) != 0, half))
                mag++;
        }
    }
    int64_t v;
    if (too_big || !mag_to_i64(mag, p.negative, &v))
        return at_fail(err, AT_ERR_OVERFLOW, NULL,
                       "check for a misplaced decimal point, extra digits or a wrong unit",
                       "%s '%s' is too %s: the %s is %s", k->noun, quote(shown, q),
                       p.negative ? "small" : "large", p.negative ? "smallest" : "largest",
                       p.negative ? k->smallest : k->largest);
    *out = v;
    return AT_OK;
}

at_code at_money_parse(at_str text, at_money *out, at_error *err)
{
    return parse_number(text, text, &KIND_MONEY, true, AT_ROUND_HALF_EVEN, out, err);
}

at_code at_money_parse_rounded(at_str text, at_rounding mode, at_money *out, at_error *err)
{
    return parse_number(text, text, &KIND_MONEY, false, mode, out, err);
}

at_code at_rate_parse(at_str text, at_rate *out, at_error *err)
{
    if (text.len && text.ptr && text.ptr[text.len - 1] == '%') {
        if (text.len == 1)
            return at_fail(err, AT_ERR_INVALID, NULL, "write a number such as 5% or 0.05",
                           "rate '%%' has no digits before the %%");
        /* 12.5% is 12.5 at 7 decimals, which is 0.125 at 9 */
        return parse_number(at_str_make(text.ptr, text.len - 1), text, &KIND_PERCENT, true,
                            AT_ROUND_HALF_EVEN, out, err);
    }
    return parse_number(text, text, &KIND_RATE, true, AT_ROUND_HALF_EVEN, out, err);
}

/* ---- formatting --------------------------------------------------------------------------- */

static u128 abs_i64(int64_t v)
{
    return v < 0 ? -(u128)v : (u128)v;
}

size_t at_money_format(at_money value, char *buf, size_t size)
{
    return format_scaled(value < 0, abs_i64(value), AT_MONEY_DECIMALS, 2, "", buf, size);
}

size_t at_money_format_fixed(at_money value, int decimals, at_rounding mode, char *buf,
                             size_t size)
{
    if (decimals < 0)
        decimals = 0;
    if (decimals > AT_MONEY_DECIMALS)
        decimals = AT_MONEY_DECIMALS;
    if (!mode_ok(mode))
        mode = AT_ROUND_HALF_EVEN;
    bool neg;
    u128 mag = div_round_mag(value, POW10[AT_MONEY_DECIMALS - decimals], mode, &neg);
    return format_scaled(neg, mag, decimals, decimals, "", buf, size);
}

size_t at_rate_format(at_rate value, char *buf, size_t size)
{
    return format_scaled(value < 0, abs_i64(value), AT_RATE_DECIMALS, 1, "", buf, size);
}

size_t at_rate_format_percent(at_rate value, int decimals, char *buf, size_t size)
{
    if (decimals < 0)
        decimals = 0;
    if (decimals > AT_RATE_DECIMALS - 2)
        decimals = AT_RATE_DECIMALS - 2;
    bool neg;
    /* a rate at 9 decimals is a percentage at 7 */
    u128 mag = div_round_mag(value, POW10[AT_RATE_DECIMALS - 2 - decimals], AT_ROUND_HALF_EVEN,
                             &neg);
    return format_scaled(neg, mag, decimals, decimals, "%", buf, size);
}

/* ---- arithmetic --------------------------------------------------------------------------- */

at_code at_money_add(at_money a, at_money b, at_money *out, at_error *err)
{
    at_money r;
    if (__builtin_add_overflow(a, b, &r)) {
        char ta[AT_MONEY_TEXT_MAX], tb[AT_MONEY_TEXT_MAX];
        return at_fail(err, AT_ERR_OVERFLOW, NULL, LIMIT_HINT,
                       "%s + %s does not fit in an amount", money_text(a, ta), money_text(b, tb));
    }
    *out = r;
    return AT_OK;
}

at_code at_money_sub(at_money a, at_money b, at_money *out, at_error *err)
{
    at_money r;
    if (__builtin_sub_overflow(a, b, &r)) {
        char ta[AT_MONEY_TEXT_MAX], tb[AT_MONEY_TEXT_MAX];
        return at_fail(err, AT_ERR_OVERFLOW, NULL, LIMIT_HINT,
                       "%s - %s does not fit in an amount", money_text(a, ta), money_text(b, tb));
    }
    *out = r;
    return AT_OK;
}

at_code at_money_mul_int(at_money a, int64_t n, at_money *out, at_error *err)
{
    at_money r;
    if (__builtin_mul_overflow(a, n, &r)) {
        char ta[AT_MONEY_TEXT_MAX];
        return at_fail(err, AT_ERR_OVERFLOW, NULL, LIMIT_HINT,
                       "%s x %lld does not fit in an amount", money_text(a, ta), (long long)n);
    }
    *out = r;
    return AT_OK;
}

at_code at_money_mul_rate(at_money a, at_rate r, at_rounding mode, at_money *out, at_error *err)
{
    if (!mode_ok(mode))
        return bad_mode(err, mode);
    bool neg;
    u128 mag = div_round_mag((i128)a * r, AT_RATE_SCALE, mode, &neg);
    if (!mag_to_i64(mag, neg, out)) {
        char ta[AT_MONEY_TEXT_MAX], tr[AT_MONEY_TEXT_MAX];
        return at_fail(err, AT_ERR_OVERFLOW, NULL, LIMIT_HINT,
                       "%s x %s does not fit in an amount", money_text(a, ta), rate_text(r, tr));
    }
    return AT_OK;
}

at_code at_money_div_int(at_money a, int64_t n, at_rounding mode, at_money *out, at_error *err)
{
    char ta[AT_MONEY_TEXT_MAX];
    if (!mode_ok(mode))
        return bad_mode(err, mode);
    if (n == 0)
        return at_fail(err, AT_ERR_INVALID, NULL,
                       "check the divisor: a count of zero people or periods cannot share an "
                       "amount",
                       "cannot divide %s by zero", money_text(a, ta));
    bool neg;
    u128 mag = div_round_mag(a, n, mode, &neg);
    if (!mag_to_i64(mag, neg, out))
        return at_fail(err, AT_ERR_OVERFLOW, NULL, LIMIT_HINT,
                       "%s / %lld does not fit in an amount", money_text(a, ta), (long long)n);
    return AT_OK;
}

at_code at_money_ratio(at_money a, at_money b, at_rounding mode, at_rate *out, at_error *err)
{
    char ta[AT_MONEY_TEXT_MAX], tb[AT_MONEY_TEXT_MAX];
    if (!mode_ok(mode))
        return bad_mode(err, mode);
    if (b == 0)
        return at_fail(err, AT_ERR_INVALID, NULL,
                       "a ratio over zero is undefined: give the quota or base a value other "
                       "than 0, or leave it out",
                       "cannot compute %s / %s: the divisor is zero", money_text(a, ta),
                       money_text(b, tb));
    bool neg;
    u128 mag = div_round_mag((i128)a * AT_RATE_SCALE, b, mode, &neg);
    if (!mag_to_i64(mag, neg, out))
        return at_fail(err, AT_ERR_OVERFLOW, NULL,
                       "rates are limited to +-9223372036.854775807; check that the divisor is "
                       "not a tiny amount by mistake",
                       "%s / %s does not fit in a rate", money_text(a, ta), money_text(b, tb));
    return AT_OK;
}

at_code at_money_round(at_money a, int decimals, at_rounding mode, at_money *out, at_error *err)
{
    char ta[AT_MONEY_TEXT_MAX];
    if (!mode_ok(mode))
        return bad_mode(err, mode);
    if (decimals < 0 || decimals > AT_MONEY_DECIMALS)
        return at_fail(err, AT_ERR_INVALID, NULL, "use 0 to 4 decimals (2 for cents)",
                       "cannot round %s to %d decimals", money_text(a, ta), decimals);
    int64_t unit = POW10[AT_MONEY_DECIMALS - decimals];
    bool neg;
    u128 mag = div_round_mag(a, unit, mode, &neg) * (u128)unit;
    if (!mag_to_i64(mag, neg, out))
        return at_fail(err, AT_ERR_OVERFLOW, NULL, LIMIT_HINT,
                       "%s rounded to %d decimals (%s) does not fit in an amount",
                       money_text(a, ta), decimals, at_rounding_name(mode));
    return AT_OK;
}

at_code at_rate_mul(at_rate a, at_rate b, at_rounding mode, at_rate *out, at_error *err)
{
    if (!mode_ok(mode))
        return bad_mode(err, mode);
    bool neg;
    u128 mag = div_round_mag((i128)a * b, AT_RATE_SCALE, mode, &neg);
    if (!mag_to_i64(mag, neg, out)) {
        char ta[AT_MONEY_TEXT_MAX], tb[AT_MONEY_TEXT_MAX];
        return at_fail(err, AT_ERR_OVERFLOW, NULL,
                       "rates are limited to +-9223372036.854775807; check the inputs",
                       "%s x %s does not fit in a rate", rate_text(a, ta), rate_text(b, tb));
    }
    return AT_OK;
}

at_code at_div_round_i128(__int128 num, __int128 den, at_rounding mode, int64_t *out,
                          at_error *err)
{
    char tn[48], td[48];
    if (!mode_ok(mode))
        return bad_mode(err, mode);
    if (den == 0)
        return at_fail(err, AT_ERR_INVALID, NULL, "check the divisor before dividing",
                       "cannot divide %s by zero", i128_text(num, tn));
    bool neg;
    u128 mag = div_round_mag(num, den, mode, &neg);
    if (!mag_to_i64(mag, neg, out))
        return at_fail(err, AT_ERR_OVERFLOW, NULL,
                       "the result is beyond +-9223372036854775807; check the inputs",
                       "%s / %s (%s) does not fit in 64 bits", i128_text(num, tn),
                       i128_text(den, td), at_rounding_name(mode));
    return AT_OK;
}

/* ---- allocation --------------------------------------------------------------------------- */

typedef struct leftover {
    u128 remainder;
    size_t index;
} leftover;

static int leftover_order(const void *pa, const void *pb)
{
    const leftover *a = pa, *b = pb;
    if (a->remainder != b->remainder)
        return a->remainder > b->remainder ? -1 : 1; /* largest remainder first */
    return a->index < b->index ? -1 : (a->index > b->index ? 1 : 0); /* then lower index */
}

at_code at_money_allocate(at_money total, const int64_t *weights, size_t n, int decimals,
                          at_money *parts, at_error *err)
{
    char tt[AT_MONEY_TEXT_MAX];
    if (n == 0 || !weights || !parts)
        return at_fail(err, AT_ERR_INVALID, NULL, "give at least one part to split into",
                       "cannot split %s into no parts", money_text(total, tt));
    if (decimals < 0 || decimals > AT_MONEY_DECIMALS)
        return at_fail(err, AT_ERR_INVALID, NULL, "use 0 to 4 decimals (2 for cents)",
                       "cannot split %s into parts of %d decimals", money_text(total, tt),
                       decimals);
    u128 wsum = 0;
    for (size_t i = 0; i < n; i++) {
        if (weights[i] < 0)
            return at_fail(err, AT_ERR_INVALID, NULL,
                           "weights are shares: use 0 or more for every part",
                           "cannot split %s: weight %zu is negative (%lld)",
                           money_text(total, tt), i + 1, (long long)weights[i]);
        wsum += (u128)weights[i];
    }
    if (wsum == 0)
        return at_fail(err, AT_ERR_INVALID, NULL, "give at least one part a weight above 0",
                       "cannot split %s: every weight is 0", money_text(total, tt));
    at_money rounded;
    at_code c = at_money_round(total, decimals, AT_ROUND_HALF_EVEN, &rounded, err);
    if (c != AT_OK)
        return c;
    int64_t unit = POW10[AT_MONEY_DECIMALS - decimals];
    bool neg = rounded < 0;
    u128 units = abs_i64(rounded) / (u128)unit; /* e.g. cents; exact after rounding */
    u128 given = 0;
    size_t inexact = 0;
    for (size_t i = 0; i < n; i++) {
        /* units <= 2^63 and weight < 2^63: the product fits in 126 bits */
        u128 share = units * (u128)weights[i];
        u128 q = share / wsum;
        given += q;
        if (share % wsum)
            inexact++;
        mag_to_i64(q * (u128)unit, neg, &parts[i]); /* q <= units: always fits */
    }
    u128 left = units - given; /* < n, and at most the number of inexact parts */
    if (left == 0)
        return AT_OK;
    leftover *order = malloc(inexact * sizeof *order);
    if (!order)
        return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory splitting %s into %zu parts",
                       money_text(total, tt), n);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        u128 r = (units * (u128)weights[i]) % wsum;
        if (r)
            order[k++] = (leftover){r, i};
    }
    qsort(order, k, sizeof *order, leftover_order);
    for (size_t j = 0; j < k && (u128)j < left; j++)
        parts[order[j].index] += neg ? -unit : unit;
    free(order);
    return AT_OK;
}

/* ---- rounding modes ----------------------------------------------------------------------- */

const char *at_rounding_name(at_rounding mode)
{
    return mode_ok(mode) ? ROUNDING_NAMES[mode] : "unknown";
}

at_code at_rounding_parse(at_str text, at_rounding *out, at_error *err)
{
    char q[200];
    for (size_t m = 0; m < ROUNDING_COUNT; m++) {
        const char *name = ROUNDING_NAMES[m];
        size_t len = strlen(name);
        if (text.len != len)
            continue;
        bool same = true;
        for (size_t i = 0; i < len && same; i++) {
            char c = text.ptr[i];
            if (c >= 'A' && c <= 'Z')
                c = (char)(c - 'A' + 'a');
            if (c == '_' || c == ' ')
                c = '-';
            same = c == name[i];
        }
        if (same) {
            *out = (at_rounding)m;
            return AT_OK;
        }
    }
    return at_fail(err, AT_ERR_INVALID, NULL, ROUNDING_HINT, "unknown rounding mode '%s'",
                   quote(text, q));
}

size_t at_money_group_digits(const char *plain, char *out, size_t size)
{
    size_t n = 0;
#define PUT(c)                                                                                    \
    do {                                                                                          \
        if (n + 1 < size)                                                                         \
            out[n] = (c);                                                                         \
        n++;                                                                                      \
    } while (0)
    const char *p = plain;
    if (*p == '-' || *p == '+')
        PUT(*p++);
    size_t digits = strcspn(p, ".");
    for (size_t i = 0; i < digits; i++) {
        if (i && (digits - i) % 3 == 0)
            PUT(',');
        PUT(p[i]);
    }
    for (const char *q = p + digits; *q; q++)
        PUT(*q);
#undef PUT
    if (size)
        out[n < size ? n : size - 1] = '\0';
    return n;
}
