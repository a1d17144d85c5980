/* convert.c - the value conversions of mapping files (see convert.h): date and time patterns,
 * grouped numbers, money with a currency marker, percentages, exact scaling, case and spaces. */
#include <stdio.h>
#include <string.h>

#include "core/currency.h"
#include "core/date.h"
#include "import/convert.h"
#include "import/quote.h"

/* ---- names -------------------------------------------------------------------------------- */

static const char *const kind_names[] = {
    [AT_CONVERT_TRIM] = "trim",       [AT_CONVERT_LOWER] = "lower",
    [AT_CONVERT_UPPER] = "upper",     [AT_CONVERT_DATE] = "date",
    [AT_CONVERT_TIME] = "time",       [AT_CONVERT_NUMBER] = "number",
    [AT_CONVERT_MONEY] = "money",     [AT_CONVERT_PERCENT] = "percent",
    [AT_CONVERT_SCALE] = "scale",
};
#define KIND_COUNT (sizeof kind_names / sizeof kind_names[0])

const char *at_convert_kind_name(at_convert_kind kind)
{
    return (size_t)kind < KIND_COUNT ? kind_names[kind] : "unknown";
}

at_code at_convert_kind_parse(at_str name, at_convert_kind *out, at_error *err)
{
    for (size_t i = 0; i < KIND_COUNT; i++)
        if (at_str_eq_cstr(name, kind_names[i])) {
            *out = (at_convert_kind)i;
            return AT_OK;
        }
    char q[AT_QUOTE_MAX];
    return at_fail(err, AT_ERR_NOT_FOUND, NULL,
                   "use one of: trim, lower, upper, date, time, number, money, percent, scale",
                   "unknown conversion '%s'", at_import_quote(name, q));
}

void at_convert_init(at_convert *c, at_convert_kind kind)
{
    memset(c, 0, sizeof *c);
    c->kind = kind;
    c->thousands = ',';
    c->decimal = '.';
    c->factor_digits = 1;
}

/* ---- date patterns ------------------------------------------------------------------------ */

static const char *const month_names[12] = {
    "january", "february", "march",     "april",   "may",      "june",
    "july",    "august",   "september", "october", "november", "december",
};

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static char lower_ascii(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static at_code pattern_fail(at_error *err, const char *pattern, const char *what)
{
    return at_fail(err, AT_ERR_INVALID, NULL,
                   "write the pattern with YYYY (or YY), M or MM (MMM Jan, MMMM January), D or "
                   "DD, and for times H/HH (0-23) or h/hh with a (AM/PM), mm, ss; e.g. M/D/YYYY "
                   "or M/D/YYYY h:mm a",
                   "date pattern '%s': %s", pattern, what);
}

at_code at_date_pattern_compile(const char *pattern, at_date_pattern *out, at_error *err)
{
    memset(out, 0, sizeof *out);
    size_t plen = strlen(pattern);
    if (plen == 0)
        return pattern_fail(err, pattern, "it is empty");
    if (plen >= sizeof out->text)
        return pattern_fail(err, pattern, "it is longer than 63 characters");
    memcpy(out->text, pattern, plen + 1);
    int seen_year = 0, seen_month = 0, seen_day = 0, seen_hour = 0, seen_minute = 0,
        seen_second = 0, seen_ampm = 0;
    bool hour12 = false;
    for (size_t i = 0; i < plen;) {
        char c = pattern[i];
        if (out->count >= AT_DATE_PATTERN_MAX)
            return pattern_fail(err, pattern, "it has too many parts");
        if (strchr("YMDHhmsaA", c)) {
            size_t run = 1;
            while (i + run < plen && pattern[i + run] == c)
                run++;
            at_date_token t = AT_DATE_LITERAL;
            int *seen = NULL;
            switch (c) {
            case 'Y':
                t = run == 4 ? AT_DATE_YEAR4 : run == 2 ? AT_DATE_YEAR2 : AT_DATE_LITERAL;
                seen = &seen_year;
                break;
            case 'M':
                t = run == 1   ? AT_DATE_MONTH
                    : run == 2 ? AT_DATE_MONTH2
                    : run == 3 ? AT_DATE_MONTH_ABBR
                    : run == 4 ? AT_DATE_MONTH_NAME
                               : AT_DATE_LITERAL;
                seen = &seen_month;
                break;
            case 'D':
                t = run == 1 ? AT_DATE_DAY : run == 2 ? AT_DATE_DAY2 : AT_DATE_LITERAL;
                seen = &seen_day;
                break;
            case 'H':
                t = run == 1 ? AT_DATE_HOUR24 : run == 2 ? AT_DATE_HOUR24_2 : AT_DATE_LITERAL;
                seen = &seen_hour;
                break;
            case 'h':
                t = run == 1 ? AT_DATE_HOUR12 : run == 2 ? AT_DATE_HOUR12_2 : AT_DATE_LITERAL;
                seen = &seen_hour;
                hour12 = true;
                break;
            case 'm':
                t = run == 1 ? AT_DATE_MINUTE1 : run == 2 ? AT_DATE_MINUTE : AT_DATE_LITERAL;
                seen = &seen_minute;
                break;
            case 's':
                t = run == 1 ? AT_DATE_SECOND1 : run == 2 ? AT_DATE_SECOND : AT_DATE_LITERAL;
                seen = &seen_second;
                break;
            default: /* a, A */
                t = run == 1 ? AT_DATE_AMPM : AT_DATE_LITERAL;
                seen = &seen_ampm;
                break;
            }
            if (t == AT_DATE_LITERAL) {
                char what[96];
                snprintf(what, sizeof what, "'%.*s' is not a part (%zu %c in a row)", (int)run,
                         pattern + i, run, c);
                return pattern_fail(err, pattern, what);
            }
            if (++*seen > 1) {
                char what[96];
                snprintf(what, sizeof what, "the part '%c' is given twice", c);
                return pattern_fail(err, pattern, what);
            }
            out->parts[out->count++].token = t;
            i += run;
        } else {
            if (out->count > 0 && out->parts[out->count - 1].token == AT_DATE_LITERAL &&
                out->parts[out->count - 1].literal_len < sizeof out->parts[0].literal - 1) {
                size_t n = out->parts[out->count - 1].literal_len++;
                out->parts[out->count - 1].literal[n] = c;
            } else {
                out->parts[out->count].token = AT_DATE_LITERAL;
                out->parts[out->count].literal[0] = c;
                out->parts[out->count].literal_len = 1;
                out->count++;
            }
            i++;
        }
    }
    if (!seen_year || !seen_month || !seen_day)
        return pattern_fail(err, pattern, "it needs a year (YYYY or YY), a month (M, MM, MMM "
                                          "or MMMM) and a day (D or DD)");
    if ((seen_minute || seen_second || seen_ampm) && !seen_hour)
        return pattern_fail(err, pattern, "it has minutes, seconds or AM/PM but no hour");
    if (hour12 && !seen_ampm)
        return pattern_fail(err, pattern, "h (a 12-hour clock) needs a (AM/PM); use H for 0-23");
    if (!hour12 && seen_ampm)
        return pattern_fail(err, pattern, "a (AM/PM) goes with h, not H");
    out->has_time = seen_hour != 0;
    out->has_ampm = seen_ampm != 0;
    return AT_OK;
}

/* Reads min..max digits at text[*pos]. */
static bool read_digits(at_str text, size_t *pos, size_t min, size_t max, int *value)
{
    size_t n = 0;
    int v = 0;
    while (n < max && *pos + n < text.len && is_digit(text.ptr[*pos + n])) {
        v = v * 10 + (text.ptr[*pos + n] - '0');
        n++;
    }
    if (n < min)
        return false;
    *pos += n;
    *value = v;
    return true;
}

static bool match_nocase(at_str text, size_t pos, const char *word, size_t len)
{
    if (pos + len > text.len)
        return false;
    for (size_t i = 0; i < len; i++)
        if (lower_ascii(text.ptr[pos + i]) != word[i])
            return false;
    return true;
}

static bool read_month_name(at_str text, size_t *pos, bool full, int *month)
{
    if (full)
        for (int m = 0; m < 12; m++) {
            size_t len = strlen(month_names[m]);
            if (match_nocase(text, *pos, month_names[m], len)) {
                *pos += len;
                *month = m + 1;
                return true;
            }
        }
    for (int m = 0; m < 12; m++)
        if (match_nocase(text, *pos, month_names[m], 3)) {
            *pos += 3;
            *month = m + 1;
            return true;
        }
    return false;
}

static bool read_ampm(at_str text, size_t *pos, bool *pm)
{
    static const char *const forms[] = {"a.m.", "p.m.", "am", "pm"};
    for (size_t i = 0; i < 4; i++) {
        size_t len = strlen(forms[i]);
        if (match_nocase(text, *pos, forms[i], len)) {
            *pos += len;
            *pm = forms[i][0] == 'p';
            return true;
        }
    }
    return false;
}

static const char *token_words(at_date_token t)
{
    switch (t) {
    case AT_DATE_YEAR4: return "a 4-digit year (YYYY)";
    case AT_DATE_YEAR2: return "a 2-digit year (YY)";
    case AT_DATE_MONTH: return "a month number (M)";
    case AT_DATE_MONTH2: return "a 2-digit month (MM)";
    case AT_DATE_MONTH_ABBR: return "a month name such as Jan (MMM)";
    case AT_DATE_MONTH_NAME: return "a month name such as January (MMMM)";
    case AT_DATE_DAY: return "a day number (D)";
    case AT_DATE_DAY2: return "a 2-digit day (DD)";
    case AT_DATE_HOUR24: case AT_DATE_HOUR24_2: return "an hour 0-23 (H)";
    case AT_DATE_HOUR12: case AT_DATE_HOUR12_2: return "an hour 1-12 (h)";
    case AT_DATE_MINUTE: case AT_DATE_MINUTE1: return "minutes (mm)";
    case AT_DATE_SECOND: case AT_DATE_SECOND1: return "seconds (ss)";
    case AT_DATE_AMPM: return "AM or PM (a)";
    case AT_DATE_LITERAL: break;
    }
    return "text";
}

at_code at_date_pattern_read(const at_date_pattern *pattern, at_str text, int *year, int *month,
                             int *day, int *seconds, at_error *err)
{
    char q[AT_QUOTE_MAX];
    char hint[AT_ERROR_HINT_MAX];
    snprintf(hint, sizeof hint,
             "the mapping reads this column with the pattern '%s'; fix the value, or the pattern "
             "if the whole column is written another way",
             pattern->text);
    text = at_str_trim(text);
    size_t pos = 0;
    int y = -1, mo = -1, d = -1, h = 0, mi = 0, s = 0;
    bool pm = false;
    for (size_t i = 0; i < pattern->count; i++) {
        at_date_token t = pattern->parts[i].token;
        bool ok = true;
        int v = 0;
        switch (t) {
        case AT_DATE_LITERAL:
            ok = pos + pattern->parts[i].literal_len <= text.len &&
                 memcmp(text.ptr + pos, pattern->parts[i].literal,
                        pattern->parts[i].literal_len) == 0;
            if (ok)
                pos += pattern->parts[i].literal_len;
            else
                return at_fail(err, AT_ERR_INVALID, NULL, hint,
                               "'%s' does not match the date pattern '%s': expected '%s' at "
                               "character %zu",
                               at_import_quote(text, q), pattern->text,
                               pattern->parts[i].literal, pos + 1);
            continue;
        case AT_DATE_YEAR4: ok = read_digits(text, &pos, 4, 4, &y); break;
        case AT_DATE_YEAR2:
            ok = read_digits(text, &pos, 2, 2, &v);
            y = v < 69 ? 2000 + v : 1900 + v;
            break;
        case AT_DATE_MONTH: ok = read_digits(text, &pos, 1, 2, &mo); break;
        case AT_DATE_MONTH2: ok = read_digits(text, &pos, 2, 2, &mo); break;
        case AT_DATE_MONTH_ABBR: ok = read_month_name(text, &pos, false, &mo); break;
        case AT_DATE_MONTH_NAME: ok = read_month_name(text, &pos, true, &mo); break;
        case AT_DATE_DAY: ok = read_digits(text, &pos, 1, 2, &d); break;
        case AT_DATE_DAY2: ok = read_digits(text, &pos, 2, 2, &d); break;
        case AT_DATE_HOUR24: case AT_DATE_HOUR12: ok = read_digits(text, &pos, 1, 2, &h); break;
        case AT_DATE_HOUR24_2: case AT_DATE_HOUR12_2:
            ok = read_digits(text, &pos, 2, 2, &h);
            break;
        case AT_DATE_MINUTE: ok = read_digits(text, &pos, 2, 2, &mi); break;
        case AT_DATE_MINUTE1: ok = read_digits(text, &pos, 1, 2, &mi); break;
        case AT_DATE_SECOND: ok = read_digits(text, &pos, 2, 2, &s); break;
        case AT_DATE_SECOND1: ok = read_digits(text, &pos, 1, 2, &s); break;
        case AT_DATE_AMPM: ok = read_ampm(text, &pos, &pm); break;
        }
        if (!ok)
            return at_fail(err, AT_ERR_INVALID, NULL, hint,
                           "'%s' does not match the date pattern '%s': expected %s at "
                           "character %zu",
                           at_import_quote(text, q), pattern->text, token_words(t), pos + 1);
    }
    if (pos != text.len)
        return at_fail(err, AT_ERR_INVALID, NULL, hint,
                       "'%s' does not match the date pattern '%s': unexpected text at character "
                       "%zu",
                       at_import_quote(text, q), pattern->text, pos + 1);
    if (mo < 1 || mo > 12)
        return at_fail(err, AT_ERR_INVALID, NULL, hint, "'%s': there is no month %d",
                       at_import_quote(text, q), mo);
    if (!at_ymd_valid(y, mo, d))
        return at_fail(err, AT_ERR_INVALID, NULL, hint,
                       "'%s': day %d does not exist in %s %04d", at_import_quote(text, q), d,
                       at_month_name(mo), y);
    if (pattern->has_ampm) {
        if (h < 1 || h > 12)
            return at_fail(err, AT_ERR_INVALID, NULL, hint,
                           "'%s': hour %d is not 1-12 on a 12-hour clock",
                           at_import_quote(text, q), h);
        h = (h % 12) + (pm ? 12 : 0);
    } else if (h > 23) {
        return at_fail(err, AT_ERR_INVALID, NULL, hint, "'%s': hour %d is not 0-23",
                       at_import_quote(text, q), h);
    }
    if (mi > 59 || s > 59)
        return at_fail(err, AT_ERR_INVALID, NULL, hint, "'%s': %s %d is not 0-59",
                       at_import_quote(text, q), mi > 59 ? "minute" : "second",
                       mi > 59 ? mi : s);
    *year = y;
    *month = mo;
    *day = d;
    *seconds = h * 3600 + mi * 60 + s;
    return AT_OK;
}

at_code at_convert_parse_offset(at_str text, int *minutes, at_error *err)
{
    char q[AT_QUOTE_MAX];
    text = at_str_trim(text);
    if (at_str_eq_cstr(text, "Z") || at_str_eq_cstr(text, "UTC")) {
        *minutes = 0;
        return AT_OK;
    }
    const char *p = text.ptr;
    if (text.len == 6 && (p[0] == '+' || p[0] == '-') && is_digit(p[1]) && is_digit(p[2]) &&
        p[3] == ':' && is_digit(p[4]) && is_digit(p[5])) {
        int h = (p[1] - '0') * 10 + (p[2] - '0');
        int m = (p[4] - '0') * 10 + (p[5] - '0');
        if (h <= 23 && m <= 59) {
            *minutes = (p[0] == '-' ? -1 : 1) * (h * 60 + m);
            return AT_OK;
        }
    }
    return at_fail(err, AT_ERR_INVALID, NULL,
                   "write the source's offset from UTC as +hh:mm or -hh:mm (\"-05:00\"), or Z",
                   "bad UTC offset '%s'", at_import_quote(text, q));
}

/* ---- numbers ------------------------------------------------------------------------------ */

/* A plain decimal "[+-]digits[.digits]": the sign, the digits and where the point is. */
typedef struct plain_number {
    bool negative;
    char digits[48];
    size_t count;
    int decimals;
} plain_number;

static bool read_plain(at_str s, plain_number *n)
{
    memset(n, 0, sizeof *n);
    size_t i = 0;
    if (i < s.len && (s.ptr[i] == '+' || s.ptr[i] == '-'))
        n->negative = s.ptr[i++] == '-';
    size_t int_digits = 0;
    bool point = false;
    for (; i < s.len; i++) {
        char c = s.ptr[i];
        if (is_digit(c)) {
            if (n->count == 0 && c == '0' && !point)
                ; /* leading zeros carry nothing */
            else if (n->count < sizeof n->digits)
                n->digits[n->count++] = c;
            else
                return false;
            if (point)
                n->decimals++;
            else
                int_digits++;
        } else if (c == '.' && !point) {
            point = true;
        } else {
            return false;
        }
    }
    if (int_digits == 0 && n->decimals == 0)
        return false;
    if (point && n->decimals == 0)
        return false;
    return true;
}

/* Rewrites a grouped number in canonical form. s is trimmed, without parentheses or currency. */
static at_code canonical_number(at_str s, char thousands, char decimal, bool negate,
                                at_arena *arena, at_str *out, bool *ok)
{
    *ok = false;
    char *buf = at_arena_alloc(arena, s.len + 2);
    if (!buf)
        return AT_ERR_NOMEM;
    size_t o = 0, i = 0;
    bool negative = negate;
    if (i < s.len && (s.ptr[i] == '+' || s.ptr[i] == '-')) {
        if (negate)
            return AT_OK; /* two signs */
        negative = s.ptr[i] == '-';
        i++;
    }
    if (negative)
        buf[o++] = '-';
    /* the integer part: groups of 3 after the first when separators are used */
    size_t group = 0, groups = 0;
    bool grouped = false;
    size_t int_digits = 0;
    for (; i < s.len; i++) {
        char c = s.ptr[i];
        if (is_digit(c)) {
            buf[o++] = c;
            group++;
            int_digits++;
            if (grouped && group > 3)
                return AT_OK;
        } else if (thousands && c == thousands) {
            if (group == 0 || (groups == 0 && group > 3) || (groups > 0 && group != 3))
                return AT_OK;
            grouped = true;
            groups++;
            group = 0;
        } else {
            break;
        }
    }
    if (grouped && group != 3)
        return AT_OK;
    if (i < s.len && s.ptr[i] == decimal) {
        i++;
        buf[o++] = '.';
        size_t frac = 0;
        for (; i < s.len && is_digit(s.ptr[i]); i++, frac++)
            buf[o++] = s.ptr[i];
        if (frac == 0)
            return AT_OK;
    }
    if (i != s.len || int_digits == 0)
        return AT_OK;
    buf[o] = '\0';
    *out = at_str_make(buf, o);
    *ok = true;
    return AT_OK;
}

static void separator_words(char c, char *buf, size_t size)
{
    if (c == 0)
        snprintf(buf, size, "none");
    else if (c == ' ')
        snprintf(buf, size, "a space");
    else
        snprintf(buf, size, "'%c'", c);
}

static at_code number_fail(const at_convert *c, at_str in, const char *kind, at_error *err)
{
    char q[AT_QUOTE_MAX], th[16], hint[AT_ERROR_HINT_MAX];
    separator_words(c->thousands, th, sizeof th);
    snprintf(hint, sizeof hint,
             "the mapping reads this column as %s with thousands separator %s and decimal "
             "mark '%c' (e.g. %s); fix the value, or set thousands/decimal in the mapping",
             kind, th, c->decimal,
             c->decimal == ',' ? (c->thousands == '.' ? "1.234,50" : "1234,50")
                               : (c->thousands == ',' ? "1,234.50" : "1234.50"));
    return at_fail(err, AT_ERR_INVALID, NULL, hint, "'%s' is not a %s",
                   at_import_quote(in, q), kind);
}

static bool has_parentheses(at_str *s)
{
    if (s->len >= 2 && s->ptr[0] == '(' && s->ptr[s->len - 1] == ')') {
        *s = at_str_trim(at_str_make(s->ptr + 1, s->len - 2));
        return true;
    }
    return false;
}

static at_code convert_number(const at_convert *c, at_str in, at_arena *arena, at_str *out,
                              at_error *err)
{
    at_str s = at_str_trim(in);
    bool negate = has_parentheses(&s);
    bool ok = false;
    if (canonical_number(s, c->thousands, c->decimal, negate, arena, out, &ok) != AT_OK)
        return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory");
    return ok ? AT_OK : number_fail(c, in, "number", err);
}

/* A currency symbol at the start (prefix) or the end of s: its length, or 0. */
static size_t symbol_len(at_str s, bool at_end)
{
    static const char *const symbols[] = {"US$", "\xe2\x82\xac", "\xc2\xa3", "\xc2\xa5", "$"};
    for (size_t i = 0; i < sizeof symbols / sizeof symbols[0]; i++) {
        size_t len = strlen(symbols[i]);
        if (s.len >= len &&
            memcmp(at_end ? s.ptr + s.len - len : s.ptr, symbols[i], len) == 0)
            return len;
    }
    return 0;
}

static bool is_upper(char c)
{
    return c >= 'A' && c <= 'Z';
}

/* A 3-letter code at the start or end of s, standing apart from the number. */
static bool code_at(at_str s, bool at_end)
{
    if (s.len < 3)
        return false;
    const char *p = at_end ? s.ptr + s.len - 3 : s.ptr;
    if (!is_upper(p[0]) || !is_upper(p[1]) || !is_upper(p[2]))
        return false;
    if (s.len == 3)
        return true;
    char next = at_end ? s.ptr[s.len - 4] : s.ptr[3];
    return !is_upper(next);
}

static at_code convert_money(const at_convert *c, at_str in, at_arena *arena, at_str *out,
                             at_error *err)
{
    char q[AT_QUOTE_MAX];
    at_str s = at_str_trim(in);
    bool negate = has_parentheses(&s);
    if (!negate && s.len > 0 && s.ptr[0] == '-' && (symbol_len(at_str_make(s.ptr + 1, s.len - 1),
                                                                false) ||
                                                    code_at(at_str_make(s.ptr + 1, s.len - 1),
                                                            false))) {
        negate = true; /* -$12 */
        s = at_str_make(s.ptr + 1, s.len - 1);
    }
    at_str code = {NULL, 0};
    size_t len = symbol_len(s, false);
    if (len) {
        s = at_str_trim(at_str_make(s.ptr + len, s.len - len));
    } else if (code_at(s, false)) {
        code = at_str_make(s.ptr, 3);
        s = at_str_trim(at_str_make(s.ptr + 3, s.len - 3));
    } else if ((len = symbol_len(s, true)) != 0) {
        s = at_str_trim(at_str_make(s.ptr, s.len - len));
    } else if (code_at(s, true)) {
        code = at_str_make(s.ptr + s.len - 3, 3);
        s = at_str_trim(at_str_make(s.ptr, s.len - 3));
    }
    if (code.ptr) {
        if (!at_currency_find(code))
            return at_fail(err, AT_ERR_INVALID, NULL,
                           "write amounts with an ISO 4217 code (USD, EUR) or a symbol ($, €, £, "
                           "¥), or none",
                           "'%s': '%.3s' is not a currency code", at_import_quote(in, q),
                           code.ptr);
        if (c->currency[0] && memcmp(code.ptr, c->currency, 3) != 0)
            return at_fail(err, AT_ERR_INVALID, NULL,
                           "the mapping says this column's amounts are in the currency it names; "
                           "convert the amount, or import this file with another mapping",
                           "'%s' is in %.3s, not %s", at_import_quote(in, q), code.ptr,
                           c->currency);
    }
    bool ok = false;
    if (canonical_number(s, c->thousands, c->decimal, negate, arena, out, &ok) != AT_OK)
        return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory");
    return ok ? AT_OK : number_fail(c, in, "money amount", err);
}

static at_code convert_percent(at_str in, at_arena *arena, at_str *out, at_error *err)
{
    char q[AT_QUOTE_MAX];
    at_str s = at_str_trim(in);
    if (s.len > 0 && s.ptr[s.len - 1] == '%')
        s = at_str_trim(at_str_make(s.ptr, s.len - 1));
    plain_number n;
    if (!read_plain(s, &n))
        return at_fail(err, AT_ERR_INVALID, NULL,
                       "write a percentage as a number: 25, 12.5 or 12.5%",
                       "'%s' is not a percentage", at_import_quote(in, q));
    char *buf = at_arena_printf(arena, "%.*s%%", (int)s.len, s.ptr);
    if (!buf)
        return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory");
    *out = at_str_from(buf);
    return AT_OK;
}

/* ---- exact scaling ------------------------------------------------------------------------ */

#define SCALE_DIGITS_MAX 18 /* digits of the factor and of a value: the product fits 128 bits */

at_code at_convert_parse_factor(at_str text, at_convert *c, at_error *err)
{
    char q[AT_QUOTE_MAX];
    plain_number n;
    bool ok = read_plain(at_str_trim(text), &n) && n.count <= SCALE_DIGITS_MAX;
    int64_t digits = 0;
    for (size_t i = 0; ok && i < n.count; i++)
        digits = digits * 10 + (n.digits[i] - '0');
    if (!ok || digits == 0)
        return at_fail(err, AT_ERR_INVALID, NULL,
                       "write the factor as a plain decimal that is not 0: 1000000, 0.01, -1",
                       "bad scale factor '%s'", at_import_quote(text, q));
    c->factor_digits = n.negative ? -digits : digits;
    c->factor_exp = n.decimals;
    return AT_OK;
}

static at_code convert_scale(const at_convert *c, at_str in, at_arena *arena, at_str *out,
                             at_error *err)
{
    char q[AT_QUOTE_MAX];
    plain_number n;
    if (!read_plain(at_str_trim(in), &n) || n.count > SCALE_DIGITS_MAX)
        return at_fail(err, AT_ERR_INVALID, NULL,
                       "scale reads a plain decimal (1234.5); convert it with number or money "
                       "first, before scale",
                       "'%s' is not a number that can be scaled", at_import_quote(in, q));
    __int128 v = 0;
    for (size_t i = 0; i < n.count; i++)
        v = v * 10 + (n.digits[i] - '0');
    v *= c->factor_digits;
    bool negative = (v < 0) != n.negative && v != 0;
    if (v < 0)
        v = -v;
    int decimals = n.decimals + c->factor_exp;
    char digits[64];
    size_t count = 0;
    do {
        digits[count++] = (char)('0' + (int)(v % 10));
        v /= 10;
    } while (v > 0);
    /* digits are reversed: digits[0] is the last decimal. Drop trailing zero decimals. */
    size_t skip = 0;
    while (decimals > 0 && skip < count && digits[skip] == '0') {
        skip++;
        decimals--;
    }
    if (decimals > 0 && skip == count) /* the value was 0 */
        decimals = 0;
    char *buf = at_arena_alloc(arena, count + (size_t)decimals + 4);
    if (!buf)
        return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory");
    size_t o = 0;
    if (negative)
        buf[o++] = '-';
    size_t used = count - skip; /* significant digits, reversed from digits[skip] */
    if ((size_t)decimals >= used) {
        buf[o++] = '0';
        if (decimals > 0) {
            buf[o++] = '.';
            for (size_t z = used; z < (size_t)decimals; z++)
                buf[o++] = '0';
            for (size_t k = used; k-- > 0;)
                buf[o++] = digits[skip + k];
        }
    } else {
        for (size_t k = used; k-- > 0;) {
            buf[o++] = digits[skip + k];
            if (k == (size_t)decimals && decimals > 0)
                buf[o++] = '.';
        }
    }
    buf[o] = '\0';
    *out = at_str_make(buf, o);
    return AT_OK;
}

/* ---- dates and times ---------------------------------------------------------------------- */

static at_code convert_date(const at_convert *c, at_str in, at_arena *arena, at_str *out,
                            at_error *err)
{
    int y, m, d, secs;
    at_code code = at_date_pattern_read(&c->date, in, &y, &m, &d, &secs, err);
    if (code != AT_OK)
        return code;
    char *buf = at_arena_alloc(arena, AT_TIME_TEXT_MAX);
    if (!buf)
        return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory");
    if (c->kind == AT_CONVERT_DATE) {
        *out = at_str_make(buf, at_day_format(at_day_from_ymd(y, m, d), buf, AT_TIME_TEXT_MAX));
        return AT_OK;
    }
    at_time t = at_time_from_day(at_day_from_ymd(y, m, d)) + secs -
                (at_time)c->offset_minutes * 60;
    if (t < at_time_from_day(AT_DAY_MIN) || t >= at_time_from_day(AT_DAY_MAX) + 86400) {
        char q[AT_QUOTE_MAX];
        return at_fail(err, AT_ERR_INVALID, NULL, "use a moment within years 0001..9999",
                       "'%s' falls outside the years 0001..9999 in UTC", at_import_quote(in, q));
    }
    *out = at_str_make(buf, at_time_format(t, buf, AT_TIME_TEXT_MAX));
    return AT_OK;
}

/* ---- dispatch ----------------------------------------------------------------------------- */

static at_code convert_case(at_str in, bool upper, at_arena *arena, at_str *out, at_error *err)
{
    char *buf = at_arena_alloc(arena, in.len + 1);
    if (!buf)
        return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory");
    for (size_t i = 0; i < in.len; i++) {
        char ch = in.ptr[i];
        if (upper && ch >= 'a' && ch <= 'z')
            ch = (char)(ch - 'a' + 'A');
        else if (!upper)
            ch = lower_ascii(ch);
        buf[i] = ch;
    }
    buf[in.len] = '\0';
    *out = at_str_make(buf, in.len);
    return AT_OK;
}

at_code at_convert_apply(const at_convert *c, at_str in, at_arena *arena, at_str *out,
                         at_error *err)
{
    if (c->kind == AT_CONVERT_TRIM) {
        *out = at_str_trim(in);
        return AT_OK;
    }
    if (at_str_trim(in).len == 0) {
        *out = at_str_make(in.ptr, 0);
        return AT_OK;
    }
    switch (c->kind) {
    case AT_CONVERT_LOWER: return convert_case(in, false, arena, out, err);
    case AT_CONVERT_UPPER: return convert_case(in, true, arena, out, err);
    case AT_CONVERT_DATE:
    case AT_CONVERT_TIME: return convert_date(c, in, arena, out, err);
    case AT_CONVERT_NUMBER: return convert_number(c, in, arena, out, err);
    case AT_CONVERT_MONEY: return convert_money(c, in, arena, out, err);
    case AT_CONVERT_PERCENT: return convert_percent(in, arena, out, err);
    case AT_CONVERT_SCALE: return convert_scale(c, in, arena, out, err);
    case AT_CONVERT_TRIM: break;
    }
    return at_fail(err, AT_ERR_INTERNAL, NULL, NULL, "unknown conversion %d", (int)c->kind);
}
