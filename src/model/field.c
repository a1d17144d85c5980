/* field.c - one cell of one column: converting CSV text into a typed value (at_field_parse),
 * writing it back as canonical text (at_field_format), type names and labels for docs, and
 * finding entities and fields by name. Every error names the column, quotes the bad value and
 * says how to write it instead. */
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/currency.h"
#include "core/date.h"
#include "core/fiscal.h"
#include "core/money.h"
#include "core/utf8.h"
#include "model/entity.h"

#define DEFAULT_TEXT_LIMIT 256
#define ID_LIMIT 128
#define QUOTE_MAX 200 /* room for 40 shown bytes, each possibly written \xNN, and "..." */
#define COORD_DECIMALS 6

/* ---- names -------------------------------------------------------------------------------- */

const char *at_field_type_name(at_field_type type)
{
    switch (type) {
    case AT_FIELD_ID: return "id";
    case AT_FIELD_REF: return "ref";
    case AT_FIELD_TEXT: return "text";
    case AT_FIELD_EMAIL: return "email";
    case AT_FIELD_ENUM: return "enum";
    case AT_FIELD_INT: return "int";
    case AT_FIELD_MONEY: return "money";
    case AT_FIELD_RATE: return "rate";
    case AT_FIELD_DAY: return "day";
    case AT_FIELD_TIME: return "time";
    case AT_FIELD_BOOL: return "bool";
    case AT_FIELD_CURRENCY: return "currency";
    case AT_FIELD_COORD: return "coord";
    case AT_FIELD_PERIOD: return "period";
    }
    return "unknown";
}

int64_t at_field_text_limit(const at_field *field)
{
    return field->max > 0 ? field->max : DEFAULT_TEXT_LIMIT;
}

static bool is_bounded(const at_field *field)
{
    return field->min != 0 || field->max != 0;
}

/* A scaled integer as a short decimal: 250000000 at 9 decimals -> "0.25", 1e9 -> "1". */
static void format_scaled(int64_t value, int decimals, char *buf, size_t size)
{
    uint64_t mag = value < 0 ? (uint64_t)0 - (uint64_t)value : (uint64_t)value;
    uint64_t scale = 1;
    for (int i = 0; i < decimals; i++)
        scale *= 10;
    uint64_t whole = mag / scale, frac = mag % scale;
    int n = snprintf(buf, size, "%s%" PRIu64, value < 0 ? "-" : "", whole);
    if (frac == 0 || n < 0 || (size_t)n >= size)
        return;
    char digits[24];
    snprintf(digits, sizeof digits, "%0*" PRIu64, decimals, frac);
    size_t len = strlen(digits);
    while (len > 0 && digits[len - 1] == '0')
        digits[--len] = '\0';
    snprintf(buf + n, size - (size_t)n, ".%s", digits);
}

/* A bound as people write it, in the field's own unit. */
static void format_bound(const at_field *field, int64_t value, char *buf, size_t size)
{
    switch (field->type) {
    case AT_FIELD_MONEY: format_scaled(value, AT_MONEY_DECIMALS, buf, size); break;
    case AT_FIELD_RATE: format_scaled(value, AT_RATE_DECIMALS, buf, size); break;
    case AT_FIELD_COORD: format_scaled(value, COORD_DECIMALS, buf, size); break;
    default: snprintf(buf, size, "%" PRId64, value); break;
    }
}

/* "[0..10]", "[1..]", " (>= 0)", " (> 0)" after the type name. */
static void format_bounds(const at_field *field, char *buf, size_t size)
{
    char lo[48], hi[48];
    format_bound(field, field->min, lo, sizeof lo);
    format_bound(field, field->max, hi, sizeof hi);
    bool open_top = field->max == INT64_MAX;
    bool scaled = field->type == AT_FIELD_MONEY || field->type == AT_FIELD_RATE;
    if (scaled && open_top && field->min == 1)
        snprintf(buf, size, " (> 0)"); /* the smallest unit above zero: "greater than 0" */
    else if (scaled && open_top)
        snprintf(buf, size, " (>= %s)", lo);
    else if (open_top)
        snprintf(buf, size, "[%s..]", lo);
    else
        snprintf(buf, size, "[%s..%s]", lo, hi);
}

size_t at_field_type_label(const at_field *field, char *buf, size_t size)
{
    char tmp[1024];
    const char *name = at_field_type_name(field->type);
    int n = 0;
    switch (field->type) {
    case AT_FIELD_TEXT:
        if (field->max > 0)
            n = snprintf(tmp, sizeof tmp, "text(%" PRId64 ")", field->max);
        else
            n = snprintf(tmp, sizeof tmp, "text");
        break;
    case AT_FIELD_REF:
        n = snprintf(tmp, sizeof tmp, "ref:%s", field->ref_entity ? field->ref_entity : "?");
        break;
    case AT_FIELD_ENUM: {
        size_t k = (size_t)snprintf(tmp, sizeof tmp, "enum(");
        for (size_t i = 0; field->values && field->values[i] && k < sizeof tmp; i++)
            k += (size_t)snprintf(tmp + k, sizeof tmp - k, "%s%s", i ? "|" : "",
                                  field->values[i]);
        if (k < sizeof tmp)
            k += (size_t)snprintf(tmp + k, sizeof tmp - k, ")");
        n = (int)(k < sizeof tmp ? k : sizeof tmp - 1);
        break;
    }
    case AT_FIELD_INT:
    case AT_FIELD_MONEY:
    case AT_FIELD_RATE:
    case AT_FIELD_COORD:
        if (is_bounded(field)) {
            char bounds[128];
            format_bounds(field, bounds, sizeof bounds);
            n = snprintf(tmp, sizeof tmp, "%s%s", name, bounds);
        } else {
            n = snprintf(tmp, sizeof tmp, "%s", name);
        }
        break;
    default:
        n = snprintf(tmp, sizeof tmp, "%s", name);
        break;
    }
    if (n < 0)
        n = 0;
    if (size > 0)
        snprintf(buf, size, "%s", tmp);
    return (size_t)n;
}

/* ---- lookups ------------------------------------------------------------------------------ */

const at_entity *at_entity_find(at_str name)
{
    for (size_t i = 0; i < at_entity_count; i++) {
        const at_entity *e = at_entities[i];
        if (at_str_eq_cstr(name, e->name) || at_str_eq_cstr(name, e->file))
            return e;
    }
    return NULL;
}

int at_entity_field_index(const at_entity *entity, at_str name)
{
    if (!entity)
        return -1;
    for (size_t i = 0; i < entity->field_count; i++)
        if (at_str_eq_cstr(name, entity->fields[i].name))
            return (int)i;
    return -1;
}

/* ---- errors ------------------------------------------------------------------------------- */

/* The value for a message: at most 40 bytes, cut on a character boundary (then "..."),
 * control and non-UTF-8 bytes written \xNN. */
static const char *quote(at_str text, char out[QUOTE_MAX])
{
    size_t k = 0, i = 0;
    while (i < text.len && i < 40) {
        const unsigned char *p = (const unsigned char *)text.ptr + i;
        size_t len = 1;
        if (p[0] >= 0x80 && at_utf8_check_sequence(p, text.len - i, &len) == AT_UTF8_OK) {
            if (i + len > 40)
                break;
            memcpy(out + k, p, len);
            k += len;
            i += len;
            continue;
        }
        if (p[0] < 0x20 || p[0] >= 0x7f) {
            k += (size_t)snprintf(out + k, QUOTE_MAX - k, "\\x%02X", p[0]);
        } else {
            out[k++] = (char)p[0];
        }
        i++;
    }
    if (i < text.len) {
        memcpy(out + k, "...", 3);
        k += 3;
    }
    out[k] = '\0';
    return out;
}

static void set_where(const at_field *field, at_error *err)
{
    if (err)
        snprintf(err->where, sizeof err->where, "column %s", field->name);
}

static at_code fail(const at_field *field, at_error *err, at_code code, const char *hint,
                    const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static at_code fail(const at_field *field, at_error *err, at_code code, const char *hint,
                    const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    at_vfail(err, code, NULL, hint, fmt, ap);
    va_end(ap);
    set_where(field, err);
    return code;
}


/* An error from a parser of core (money, dates, currencies, periods): puts the column in
 * where and its name in front of the message. */
static at_code name_the_field(const at_field *field, at_code code, at_error *err)
{
    if (!err)
        return code;
    err->code = code;
    at_error_prefix_message(err, field->name, ": ");
    set_where(field, err);
    return code;
}

/* ---- text checks -------------------------------------------------------------------------- */

typedef enum text_kind {
    TEXT_FREE,  /* tab, LF and CRLF allowed */
    TEXT_ID,    /* no control characters at all, no space at either end */
} text_kind;

/* A C0 or C1 control character or DEL starting at p (a well-formed sequence of len bytes). */
static bool is_control(const unsigned char *p, size_t len)
{
    if (len == 1)
        return p[0] < 0x20 || p[0] == 0x7f;
    return len == 2 && p[0] == 0xC2 && p[1] < 0xA0; /* U+0080..U+009F */
}

static const char *control_name(unsigned char c)
{
    switch (c) {
    case '\t': return "a tab";
    case '\n': return "a line break";
    case '\r': return "a carriage return";
    case 0x7f: return "a DEL character";
    default: return "a control character";
    }
}

/* Checks well-formed UTF-8, control characters and length in characters (code points). */
static at_code check_text(const at_field *field, at_str text, text_kind kind, int64_t limit,
                          at_error *err)
{
    char q[QUOTE_MAX];
    const unsigned char *s = (const unsigned char *)text.ptr;
    int64_t chars = 0;
    for (size_t i = 0; i < text.len;) {
        size_t len = 1;
        at_utf8_status st = at_utf8_check_sequence(s + i, text.len - i, &len);
        if (st != AT_UTF8_OK) {
            char what[128];
            at_utf8_describe(st, s + i, text.len - i, what, sizeof what);
            return fail(field, err, AT_ERR_INVALID,
                        "save the file as UTF-8 (in a spreadsheet: CSV UTF-8)",
                        "%s '%s' is not valid UTF-8 at byte %zu: %s", field->name,
                        quote(text, q), i + 1, what);
        }
        if (is_control(s + i, len)) {
            bool allowed = kind == TEXT_FREE &&
                           (s[i] == '\t' || s[i] == '\n' ||
                            (s[i] == '\r' && i + 1 < text.len && s[i + 1] == '\n'));
            if (!allowed) {
                const char *what = len == 2 ? "a control character" : control_name(s[i]);
                const char *hint = kind == TEXT_ID
                                       ? "an id is one line of printable characters: remove the "
                                         "tabs, line breaks and control characters"
                                       : "remove the control character (text may hold tabs and "
                                         "line breaks, nothing else below a space)";
                return fail(field, err, AT_ERR_INVALID, hint,
                            "%s '%s' has %s (byte 0x%02X) at character %" PRId64, field->name,
                            quote(text, q), what, s[i + len - 1], chars + 1);
            }
        }
        chars++;
        i += len;
    }
    if (chars > limit) {
        char hint[AT_ERROR_HINT_MAX];
        snprintf(hint, sizeof hint, "shorten it to %" PRId64 " characters or fewer", limit);
        return fail(field, err, AT_ERR_INVALID, hint,
                    "%s '%s' is %" PRId64 " characters long; at most %" PRId64 " are allowed",
                    field->name, quote(text, q), chars, limit);
    }
    return AT_OK;
}

/* A space at the start or end: ASCII white space or a no-break space (U+00A0, C2 A0). */
static bool space_at_start(at_str t)
{
    unsigned char c = (unsigned char)t.ptr[0];
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f' ||
           (t.len >= 2 && c == 0xC2 && (unsigned char)t.ptr[1] == 0xA0);
}

static bool space_at_end(at_str t)
{
    unsigned char c = (unsigned char)t.ptr[t.len - 1];
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f' ||
           (t.len >= 2 && c == 0xA0 && (unsigned char)t.ptr[t.len - 2] == 0xC2);
}

static at_code check_id(const at_field *field, at_str text, at_error *err)
{
    char q[QUOTE_MAX];
    if (space_at_start(text) || space_at_end(text))
        return fail(field, err, AT_ERR_INVALID,
                    "remove the spaces around the id (ids are compared exactly)",
                    "%s '%s' has a space at its %s", field->name, quote(text, q),
                    space_at_start(text) ? "start" : "end");
    return check_text(field, text, TEXT_ID, ID_LIMIT, err);
}

static at_code check_email(const at_field *field, at_str text, at_error *err)
{
    char q[QUOTE_MAX];
    char hint[AT_ERROR_HINT_MAX];
    snprintf(hint, sizeof hint, "write one address such as %s",
             field->example && field->example[0] ? field->example : "ana@example.com");
    at_code c = check_text(field, text, TEXT_ID, at_field_text_limit(field), err);
    if (c != AT_OK)
        return c;
    size_t at = 0, ats = 0;
    for (size_t i = 0; i < text.len; i++) {
        char ch = text.ptr[i];
        if (ch == ' ')
            return fail(field, err, AT_ERR_INVALID, hint,
                        "%s '%s' has a space at character %zu: an email address has none",
                        field->name, quote(text, q), i + 1);
        if (ch == '@') {
            ats++;
            at = i;
        }
    }
    if (ats == 0)
        return fail(field, err, AT_ERR_INVALID, hint, "%s '%s' has no @", field->name,
                    quote(text, q));
    if (ats > 1)
        return fail(field, err, AT_ERR_INVALID, hint,
                    "%s '%s' has %zu @ signs; an address has exactly one (several addresses in "
                    "one cell?)",
                    field->name, quote(text, q), ats);
    if (at == 0)
        return fail(field, err, AT_ERR_INVALID, hint, "%s '%s' has nothing before the @",
                    field->name, quote(text, q));
    at_str domain = at_str_make(text.ptr + at + 1, text.len - at - 1);
    const char *dot = domain.len ? memchr(domain.ptr, '.', domain.len) : NULL;
    if (!dot)
        return fail(field, err, AT_ERR_INVALID, hint,
                    "%s '%s' has no dot in the domain after the @", field->name, quote(text, q));
    if (domain.ptr[0] == '.' || domain.ptr[domain.len - 1] == '.')
        return fail(field, err, AT_ERR_INVALID, hint,
                    "%s '%s' has a domain that starts or ends with a dot", field->name,
                    quote(text, q));
    return AT_OK;
}

/* ---- numbers ------------------------------------------------------------------------------ */

static at_code check_bounds(const at_field *field, at_str text, int64_t v, at_error *err)
{
    if (!is_bounded(field) || (v >= field->min && v <= field->max))
        return AT_OK;
    char q[QUOTE_MAX], lo[48], hi[48], hint[AT_ERROR_HINT_MAX];
    format_bound(field, field->min, lo, sizeof lo);
    format_bound(field, field->max, hi, sizeof hi);
    bool open_top = field->max == INT64_MAX;
    if (v < field->min) {
        bool scaled = field->type == AT_FIELD_MONEY || field->type == AT_FIELD_RATE;
        if (scaled && open_top && field->min == 1) {
            snprintf(hint, sizeof hint, "write a value greater than 0, e.g. %s",
                     field->example);
            return fail(field, err, AT_ERR_INVALID, hint, "%s '%s' must be greater than 0",
                        field->name, quote(text, q));
        }
        if (open_top)
            snprintf(hint, sizeof hint, "write %s or more, e.g. %s", lo, field->example);
        else
            snprintf(hint, sizeof hint, "write a value from %s to %s, e.g. %s", lo, hi,
                     field->example);
        return fail(field, err, AT_ERR_INVALID, hint, "%s '%s' is below the minimum %s",
                    field->name, quote(text, q), lo);
    }
    snprintf(hint, sizeof hint, "write a value from %s to %s, e.g. %s", lo, hi, field->example);
    return fail(field, err, AT_ERR_INVALID, hint, "%s '%s' is above the maximum %s",
                field->name, quote(text, q), hi);
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static at_code parse_int(const at_field *field, at_str text, int64_t *out, at_error *err)
{
    char q[QUOTE_MAX], hint[AT_ERROR_HINT_MAX];
    snprintf(hint, sizeof hint, "write a whole number with digits only, e.g. %s",
             field->example);
    size_t i = 0;
    bool negative = false;
    if (text.ptr[0] == '+' || text.ptr[0] == '-') {
        negative = text.ptr[0] == '-';
        i = 1;
    }
    if (i == text.len)
        return fail(field, err, AT_ERR_INVALID, hint, "%s '%s' has a sign but no digits",
                    field->name, quote(text, q));
    uint64_t mag = 0;
    bool too_big = false;
    for (size_t k = i; k < text.len; k++) {
        char c = text.ptr[k];
        if (!is_digit(c)) {
            if (c == '.' || c == ',')
                return fail(field, err, AT_ERR_INVALID, hint,
                            "%s '%s' is not a whole number ('%c' at character %zu)",
                            field->name, quote(text, q), c, k + 1);
            return fail(field, err, AT_ERR_INVALID, hint,
                        "%s '%s' is not a whole number (unexpected character at %zu)",
                        field->name, quote(text, q), k + 1);
        }
        unsigned d = (unsigned)(c - '0');
        if (mag > (UINT64_MAX - d) / 10)
            too_big = true;
        else
            mag = mag * 10 + d;
    }
    uint64_t limit = negative ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    if (too_big || mag > limit)
        return fail(field, err, AT_ERR_OVERFLOW, "check for extra digits or a wrong unit",
                    "%s '%s' is too %s for a 64-bit whole number", field->name,
                    quote(text, q), negative ? "small" : "large");
    *out = negative ? (int64_t)(0 - mag) : (int64_t)mag;
    return AT_OK;
}

/* Decimal degrees with up to 6 decimals -> micro-degrees. */
static at_code parse_coord(const at_field *field, at_str text, int64_t *out, at_error *err)
{
    char q[QUOTE_MAX], hint[AT_ERROR_HINT_MAX];
    snprintf(hint, sizeof hint,
             "write decimal degrees with at most 6 decimals, e.g. %s (not degrees, minutes and "
             "seconds)",
             field->example);
    size_t i = 0;
    bool negative = false;
    if (text.ptr[0] == '+' || text.ptr[0] == '-') {
        negative = text.ptr[0] == '-';
        i = 1;
    }
    size_t int_start = i;
    while (i < text.len && is_digit(text.ptr[i]))
        i++;
    size_t int_digits = i - int_start;
    size_t frac_start = i, frac_digits = 0;
    if (i < text.len && text.ptr[i] == '.') {
        frac_start = ++i;
        while (i < text.len && is_digit(text.ptr[i]))
            i++;
        frac_digits = i - frac_start;
    }
    if (i < text.len || int_digits == 0 || (frac_start > int_start + int_digits && !frac_digits))
        return fail(field, err, AT_ERR_INVALID, hint, "%s '%s' is not a decimal number of degrees",
                    field->name, quote(text, q));
    if (frac_digits > COORD_DECIMALS)
        return fail(field, err, AT_ERR_INVALID,
                    "round to 6 decimals (about 10 cm), e.g. 37.338207",
                    "%s '%s' has %zu decimals; at most 6 are kept", field->name, quote(text, q),
                    frac_digits);
    size_t s = int_start;
    while (s + 1 < int_start + int_digits && text.ptr[s] == '0')
        s++;
    if (int_start + int_digits - s > 9) /* far outside any bound; keeps the sum in range */
        return fail(field, err, AT_ERR_INVALID, hint, "%s '%s' is far too large for degrees",
                    field->name, quote(text, q));
    int64_t v = 0;
    for (size_t k = s; k < int_start + int_digits; k++)
        v = v * 10 + (text.ptr[k] - '0');
    for (size_t d = 0; d < COORD_DECIMALS; d++)
        v = v * 10 + (d < frac_digits ? text.ptr[frac_start + d] - '0' : 0);
    *out = negative ? -v : v;
    return check_bounds(field, text, *out, err);
}

/* ---- the rest ----------------------------------------------------------------------------- */

static at_code parse_enum(const at_field *field, at_str text, at_value *out, at_error *err)
{
    char q[QUOTE_MAX];
    const char *const *values = field->values;
    for (size_t i = 0; values && values[i]; i++)
        if (at_str_eq_cstr(text, values[i])) {
            out->text = at_str_from(values[i]);
            out->number = (int64_t)i;
            return AT_OK;
        }
    for (size_t i = 0; values && values[i]; i++)
        if (at_str_eq_nocase(text, at_str_from(values[i]))) {
            char hint[AT_ERROR_HINT_MAX];
            snprintf(hint, sizeof hint, "did you mean '%s'? values are written in lower case",
                     values[i]);
            return fail(field, err, AT_ERR_INVALID, hint,
                        "%s '%s' is not one of its values (they are case-sensitive)",
                        field->name, quote(text, q));
        }
    char list[AT_ERROR_HINT_MAX];
    size_t k = (size_t)snprintf(list, sizeof list, "write one of: ");
    for (size_t i = 0; values && values[i] && k < sizeof list; i++)
        k += (size_t)snprintf(list + k, sizeof list - k, "%s%s", i ? ", " : "", values[i]);
    return fail(field, err, AT_ERR_INVALID, list, "%s '%s' is not one of its values",
                field->name, quote(text, q));
}

static at_code parse_bool(const at_field *field, at_str text, int64_t *out, at_error *err)
{
    static const char *const yes[] = {"true", "yes", "1"};
    static const char *const no[] = {"false", "no", "0"};
    for (size_t i = 0; i < 3; i++) {
        if (at_str_eq_nocase(text, at_str_from(yes[i]))) {
            *out = 1;
            return AT_OK;
        }
        if (at_str_eq_nocase(text, at_str_from(no[i]))) {
            *out = 0;
            return AT_OK;
        }
    }
    char q[QUOTE_MAX];
    return fail(field, err, AT_ERR_INVALID, "write true or false (yes/no and 1/0 also work)",
                "%s '%s' is not true or false", field->name, quote(text, q));
}

static at_code parse_currency(const at_field *field, at_str text, at_value *out, at_arena *arena,
                              at_error *err)
{
    const at_currency *cur = NULL;
    at_code c = at_currency_lookup(text, &cur, err); /* the ISO 4217 table (core/currency.h) */
    if (c != AT_OK) /* a code ISO does not list is a bad cell, like any other (not NOT_FOUND) */
        return name_the_field(field, c == AT_ERR_NOT_FOUND ? AT_ERR_INVALID : c, err);
    char *copy = at_arena_strndup(arena, cur->code, 3);
    if (!copy)
        return fail(field, err, AT_ERR_NOMEM, NULL, "%s: out of memory", field->name);
    out->text = at_str_make(copy, 3);
    return AT_OK;
}

static at_code parse_period(const at_field *field, at_str text, at_value *out, at_arena *arena,
                            at_error *err)
{
    at_period_kind kind;
    int year, number;
    at_code c = at_period_label_parse(text, &kind, &year, &number, err);
    if (c != AT_OK)
        return name_the_field(field, c, err);
    char label[AT_PERIOD_LABEL_MAX];
    size_t n = at_period_label_format(kind, year, number, label, sizeof label);
    char *copy = at_arena_strndup(arena, label, n);
    if (!copy)
        return fail(field, err, AT_ERR_NOMEM, NULL, "%s: out of memory", field->name);
    out->text = at_str_make(copy, n);
    return AT_OK;
}

static at_code copy_text(const at_field *field, at_str text, at_arena *arena, at_value *out,
                         at_error *err)
{
    char *copy = at_arena_strndup(arena, text.ptr, text.len);
    if (!copy)
        return fail(field, err, AT_ERR_NOMEM, NULL, "%s: out of memory", field->name);
    out->text = at_str_make(copy, text.len);
    return AT_OK;
}

static at_code parse_present(const at_field *field, at_str text, at_arena *arena, at_value *out,
                             at_error *err)
{
    at_code c = AT_OK;
    switch (field->type) {
    case AT_FIELD_ID:
    case AT_FIELD_REF:
        c = check_id(field, text, err);
        return c != AT_OK ? c : copy_text(field, text, arena, out, err);
    case AT_FIELD_TEXT:
        c = check_text(field, text, TEXT_FREE, at_field_text_limit(field), err);
        return c != AT_OK ? c : copy_text(field, text, arena, out, err);
    case AT_FIELD_EMAIL:
        c = check_email(field, text, err);
        return c != AT_OK ? c : copy_text(field, text, arena, out, err);
    case AT_FIELD_ENUM:
        return parse_enum(field, text, out, err);
    case AT_FIELD_INT:
        c = parse_int(field, text, &out->number, err);
        return c != AT_OK ? c : check_bounds(field, text, out->number, err);
    case AT_FIELD_MONEY:
        c = at_money_parse(text, &out->number, err);
        if (c != AT_OK)
            return name_the_field(field, c, err);
        return check_bounds(field, text, out->number, err);
    case AT_FIELD_RATE:
        c = at_rate_parse(text, &out->number, err);
        if (c != AT_OK)
            return name_the_field(field, c, err);
        return check_bounds(field, text, out->number, err);
    case AT_FIELD_DAY: {
        at_day d;
        c = at_day_parse(text, &d, err);
        if (c != AT_OK)
            return name_the_field(field, c, err);
        out->number = d;
        return AT_OK;
    }
    case AT_FIELD_TIME:
        c = at_time_parse(text, &out->number, err);
        return c != AT_OK ? name_the_field(field, c, err) : AT_OK;
    case AT_FIELD_BOOL:
        return parse_bool(field, text, &out->number, err);
    case AT_FIELD_CURRENCY:
        return parse_currency(field, text, out, arena, err);
    case AT_FIELD_COORD:
        return parse_coord(field, text, &out->number, err);
    case AT_FIELD_PERIOD:
        return parse_period(field, text, out, arena, err);
    }
    return fail(field, err, AT_ERR_INTERNAL, "please report this bug",
                "%s has an unknown type %d", field->name, (int)field->type);
}

at_code at_field_parse(const at_field *field, at_str text, at_arena *arena, at_value *out,
                       at_error *err)
{
    *out = (at_value){0};
    if (text.len == 0 && field->default_value)
        text = at_str_from(field->default_value);
    if (text.len == 0) {
        if (!field->required)
            return AT_OK;
        char hint[AT_ERROR_HINT_MAX];
        snprintf(hint, sizeof hint, "give a value such as %s in every row", field->example);
        return fail(field, err, AT_ERR_INVALID, hint, "required column %s is empty",
                    field->name);
    }
    if (!text.ptr)
        return fail(field, err, AT_ERR_INTERNAL, "please report this bug",
                    "%s: no text given", field->name);
    at_value v = {0};
    at_code c = parse_present(field, text, arena, &v, err);
    if (c != AT_OK)
        return c;
    v.present = true;
    *out = v;
    return AT_OK;
}

/* ---- formatting --------------------------------------------------------------------------- */

static bool is_beginning_default(const at_field *field)
{
    return field->type == AT_FIELD_DAY && field->default_value &&
           strcmp(field->default_value, "0001-01-01") == 0;
}

static at_code put(const at_field *field, const char *text, size_t len, char *buf, size_t size,
                   at_str *out, at_error *err)
{
    if (len >= size)
        return fail(field, err, AT_ERR_OVERFLOW, "please report this bug",
                    "%s: %zu bytes of text do not fit a buffer of %zu", field->name, len, size);
    memcpy(buf, text, len);
    buf[len] = '\0';
    *out = at_str_make(buf, len);
    return AT_OK;
}

at_code at_field_format(const at_field *field, const at_value *value, char *buf, size_t size,
                        at_str *out, at_error *err)
{
    char tmp[64];
    size_t n = 0;
    *out = at_str_make(size ? buf : "", 0);
    if (size)
        buf[0] = '\0';
    if (!value->present)
        return AT_OK;
    switch (field->type) {
    case AT_FIELD_ID:
    case AT_FIELD_REF:
    case AT_FIELD_TEXT:
    case AT_FIELD_EMAIL:
    case AT_FIELD_ENUM:
    case AT_FIELD_CURRENCY:
    case AT_FIELD_PERIOD:
        *out = value->text;
        return AT_OK;
    case AT_FIELD_INT:
        n = (size_t)snprintf(tmp, sizeof tmp, "%" PRId64, value->number);
        break;
    case AT_FIELD_MONEY:
        n = at_money_format(value->number, tmp, sizeof tmp);
        break;
    case AT_FIELD_RATE:
        n = at_rate_format(value->number, tmp, sizeof tmp);
        break;
    case AT_FIELD_DAY:
        if (value->number < AT_DAY_MIN || value->number > AT_DAY_MAX)
            return fail(field, err, AT_ERR_INVALID, "please report this bug",
                        "%s: day %" PRId64 " is outside 0001-01-01..9999-12-31", field->name,
                        value->number);
        if (is_beginning_default(field) && value->number == AT_DAY_MIN)
            return AT_OK; /* "since the beginning" is written empty */
        n = at_day_format((at_day)value->number, tmp, sizeof tmp);
        break;
    case AT_FIELD_TIME:
        n = at_time_format(value->number, tmp, sizeof tmp);
        break;
    case AT_FIELD_BOOL:
        n = (size_t)snprintf(tmp, sizeof tmp, "%s", value->number ? "true" : "false");
        break;
    case AT_FIELD_COORD:
        format_scaled(value->number, COORD_DECIMALS, tmp, sizeof tmp);
        n = strlen(tmp);
        if (!memchr(tmp, '.', n) && n + 2 < sizeof tmp) {
            memcpy(tmp + n, ".0", 3); /* always a decimal point: 40.0, as degrees read */
            n += 2;
        }
        break;
    default:
        return fail(field, err, AT_ERR_INTERNAL, "please report this bug",
                    "%s has an unknown type %d", field->name, (int)field->type);
    }
    return put(field, tmp, n, buf, size, out, err);
}
