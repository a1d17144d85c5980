/* statement_format.c - formatting shared by the statement and estimate renderers: the names
 * of the engine's enums, money with thousands separators in a currency's decimals,
 * percentages, dates, terminal widths of UTF-8 text, and UTF-8 to WinAnsi (Windows-1252) for
 * the PDF's standard fonts. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/currency.h"
#include "core/utf8.h"
#include "pay/statement.h"
#include "pay/statement_impl.h"

/* ---- names -------------------------------------------------------------------------------- */

#define NAME_AT(table, i) ((i) < sizeof(table) / sizeof(table[0]) ? table[i] : "unknown")

static const char *const CREDIT_KINDS[] = {"owner",   "split",  "overlay",  "sdr",
                                           "manager", "rollup", "territory"};
static const char *const CREDIT_KIND_LABELS[] = {"Owner",   "Split",   "Overlay",  "SDR",
                                                 "Manager", "Roll-up", "Territory"};
static const char *const TX_TYPES[] = {"booking", "invoice", "payment", "cancellation"};
static const char *const TX_TYPE_LABELS[] = {"Booking", "Invoice", "Payment", "Cancellation"};
static const char *const LINE_KINDS[] = {"component", "draw", "draw_recovery", "adjustment",
                                         "deferred"};
static const char *const WINDOWS[] = {"month", "quarter_to_date", "half_to_date",
                                      "year_to_date"};
static const char *const SUMS[] = {"amount", "margin", "count", "quantity", "formula"};
static const char *const FREQUENCIES[] = {"monthly", "quarterly", "annually"};
static const char *const FREQUENCY_LABELS[] = {"paid monthly", "paid quarterly",
                                               "paid annually"};
static const char *const COMPONENT_KINDS[] = {"rate",  "per_unit", "tiers", "bonus",
                                              "metric", "spiff",   "formula"};
static const char *const BASES[] = {"booking", "invoice", "payment"};

const char *at_st_credit_kind(unsigned kind) { return NAME_AT(CREDIT_KINDS, kind); }
const char *at_st_tx_type(unsigned type) { return NAME_AT(TX_TYPES, type); }
const char *at_st_line_kind(unsigned kind) { return NAME_AT(LINE_KINDS, kind); }
const char *at_st_window(unsigned window) { return NAME_AT(WINDOWS, window); }
const char *at_st_sum(unsigned sum) { return NAME_AT(SUMS, sum); }
const char *at_st_frequency(unsigned frequency) { return NAME_AT(FREQUENCIES, frequency); }
const char *at_st_component_kind(unsigned kind) { return NAME_AT(COMPONENT_KINDS, kind); }
const char *at_st_basis(unsigned basis) { return NAME_AT(BASES, basis); }
const char *at_st_credit_kind_label(unsigned kind) { return NAME_AT(CREDIT_KIND_LABELS, kind); }
const char *at_st_tx_type_label(unsigned type) { return NAME_AT(TX_TYPE_LABELS, type); }
const char *at_st_frequency_label(unsigned frequency)
{
    return NAME_AT(FREQUENCY_LABELS, frequency);
}

static const char *const FORMAT_NAMES[] = {"text", "json", "html", "pdf"};

const char *at_statement_format_name(at_statement_format format)
{
    return NAME_AT(FORMAT_NAMES, (unsigned)format);
}

at_code at_statement_format_parse(const char *text, at_statement_format *out, at_error *err)
{
    for (unsigned i = 0; i < sizeof FORMAT_NAMES / sizeof FORMAT_NAMES[0]; i++) {
        if (text && strcasecmp(text, FORMAT_NAMES[i]) == 0) {
            *out = (at_statement_format)i;
            return AT_OK;
        }
    }
    return at_fail(err, AT_ERR_USAGE, "--format", "use one of text, json, html, pdf",
                   "unknown statement format '%s'", text ? text : "");
}

/* ---- numbers ------------------------------------------------------------------------------ */

static const int64_t POW10[] = {1, 10, 100, 1000, 10000};

static void put(char *buf, size_t size, const char *text)
{
    if (!size)
        return;
    size_t n = strlen(text);
    if (n >= size)
        n = size - 1;
    memcpy(buf, text, n);
    buf[n] = '\0';
}

/* Inserts ',' every three digits of the integer part of a plain decimal ("-12500.00"). */
static void group(const char *plain, char *out, size_t size)
{
    at_money_group_digits(plain, out, size);
}

char *at_st_money(at_money value, int decimals, bool exact, bool grouped, char *buf,
                  size_t size)
{
    if (decimals < 0)
        decimals = 0;
    if (decimals > AT_MONEY_DECIMALS)
        decimals = AT_MONEY_DECIMALS;
    if (exact) {
        while (decimals < AT_MONEY_DECIMALS && value % POW10[AT_MONEY_DECIMALS - decimals] != 0)
            decimals++;
    }
    char plain[AT_ST_TEXT_MAX];
    at_money_format_fixed(value, decimals, AT_ROUND_HALF_EVEN, plain, sizeof plain);
    if (grouped)
        group(plain, buf, size);
    else
        put(buf, size, plain);
    return buf;
}

char *at_st_money_signed(at_money value, int decimals, bool exact, char *buf, size_t size)
{
    char text[AT_ST_TEXT_MAX];
    at_st_money(value, decimals, exact, true, text, sizeof text);
    if (value > 0 && text[0] != '-') {
        char signed_text[AT_ST_TEXT_MAX + 1];
        snprintf(signed_text, sizeof signed_text, "+%s", text);
        put(buf, size, signed_text);
    } else {
        put(buf, size, text);
    }
    return buf;
}

char *at_st_measure_value(const at_statement_measure *m, at_money value, char *buf,
                          size_t size)
{
    if (m->money)
        return at_st_money(value, at_st_currency_decimals(m->currency), true, true, buf, size);
    return at_st_money(value, 0, true, true, buf, size);
}

char *at_st_count(size_t n, char *buf, size_t size)
{
    char plain[AT_ST_TEXT_MAX];
    snprintf(plain, sizeof plain, "%zu", n);
    group(plain, buf, size);
    return buf;
}

char *at_st_percent(at_rate value, int decimals, int min_decimals, char *buf, size_t size)
{
    char text[AT_ST_TEXT_MAX];
    at_rate_format_percent(value, decimals, text, sizeof text);
    char *point = strchr(text, '.');
    if (point) {
        char *pct = strchr(point, '%');
        char *end = pct;
        while (end > point + 1 + min_decimals && end[-1] == '0')
            end--;
        if (end == point + 1)
            end = point;
        memmove(end, pct, strlen(pct) + 1);
    }
    put(buf, size, text);
    return buf;
}

char *at_st_rate(at_rate value, char *buf, size_t size)
{
    at_rate_format(value, buf, size);
    return buf;
}

char *at_st_day(at_day day, char *buf, size_t size)
{
    at_day_format(day, buf, size);
    return buf;
}

char *at_st_day_long(at_day day, char *buf, size_t size)
{
    int y, m, d;
    at_day_to_ymd(day, &y, &m, &d);
    snprintf(buf, size, "%d %s %d", d, at_month_name(m), y);
    return buf;
}

const char *at_st_value_header(const at_statement_measure *m)
{
    if (m->money)
        return m->currency;
    return m->def->sum == AT_SUM_COUNT ? "Deals" : "Units";
}

bool at_st_mixed_currencies(const at_statement *st)
{
    for (size_t i = 0; i < st->line_count; i++)
        if (st->lines[i].kind == AT_LINE_COMPONENT && st->lines[i].plan_currency &&
            strcmp(st->lines[i].plan_currency, st->currency) != 0)
            return true;
    return false;
}

size_t at_st_listed(const at_statement *st, const at_statement_measure *m)
{
    if (st->credit_limit && m->credits_listed > st->credit_limit)
        return st->credit_limit;
    return m->credits_listed;
}

bool at_st_show_sources(const at_statement *st, const at_statement_measure *m)
{
    return m->source_count > 1 && (m->has_rollups || at_st_listed(st, m) < m->credits_listed);
}

char *at_st_source_label(const at_statement_source *s, char *buf, size_t size)
{
    if (s->kind == AT_CREDIT_ROLLUP && s->from_person)
        snprintf(buf, size, "Roll-up %u from %s", (unsigned)s->level, s->from_person);
    else if (s->kind == AT_CREDIT_ROLLUP)
        snprintf(buf, size, "Roll-up %u", (unsigned)s->level);
    else
        snprintf(buf, size, "%s", at_st_credit_kind_label(s->kind));
    return buf;
}

int at_st_currency_decimals(const char *code)
{
    if (!code)
        return 2;
    const at_currency *c = at_currency_find(at_str_from(code));
    return c ? at_currency_decimals(c) : 2;
}

/* ---- text --------------------------------------------------------------------------------- */

/* Decodes one character at p (avail bytes); *cp is -1 for a byte that is not UTF-8. Returns
 * the bytes used (at least 1). */
static size_t decode(const unsigned char *p, size_t avail, int32_t *cp)
{
    size_t len;
    if (at_utf8_check_sequence(p, avail, &len) != AT_UTF8_OK) {
        *cp = -1;
        return 1;
    }
    switch (len) {
    case 1:
        *cp = p[0];
        break;
    case 2:
        *cp = (int32_t)(p[0] & 0x1F) << 6 | (p[1] & 0x3F);
        break;
    case 3:
        *cp = (int32_t)(p[0] & 0x0F) << 12 | (int32_t)(p[1] & 0x3F) << 6 | (p[2] & 0x3F);
        break;
    default:
        *cp = (int32_t)(p[0] & 0x07) << 18 | (int32_t)(p[1] & 0x3F) << 12 |
              (int32_t)(p[2] & 0x3F) << 6 | (p[3] & 0x3F);
        break;
    }
    return len;
}

static bool combining(int32_t cp)
{
    return (cp >= 0x0300 && cp <= 0x036F) || (cp >= 0x1AB0 && cp <= 0x1AFF) ||
           (cp >= 0x1DC0 && cp <= 0x1DFF) || (cp >= 0x20D0 && cp <= 0x20FF) ||
           (cp >= 0xFE20 && cp <= 0xFE2F) || cp == 0x200B || cp == 0x200D || cp == 0xFEFF;
}

static bool wide(int32_t cp)
{
    return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
           (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
           (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
           (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x1F300 && cp <= 0x1FAFF) ||
           (cp >= 0x20000 && cp <= 0x3FFFD);
}

size_t at_st_width(const char *text)
{
    size_t width = 0;
    if (!text)
        return 0;
    const unsigned char *p = (const unsigned char *)text;
    size_t avail = strlen(text);
    while (avail) {
        int32_t cp;
        size_t n = decode(p, avail, &cp);
        p += n;
        avail -= n;
        if (cp < 0)
            width++;
        else if (!combining(cp))
            width += wide(cp) ? 2 : 1;
    }
    return width;
}

/* Windows-1252 bytes 0x80..0x9F and the characters they stand for (0x81, 0x8D, 0x8F, 0x90
 * and 0x9D are unassigned). */
static const struct {
    uint16_t cp;
    unsigned char byte;
} CP1252_HIGH[] = {
    {0x20AC, 0x80}, {0x201A, 0x82}, {0x0192, 0x83}, {0x201E, 0x84}, {0x2026, 0x85},
    {0x2020, 0x86}, {0x2021, 0x87}, {0x02C6, 0x88}, {0x2030, 0x89}, {0x0160, 0x8A},
    {0x2039, 0x8B}, {0x0152, 0x8C}, {0x017D, 0x8E}, {0x2018, 0x91}, {0x2019, 0x92},
    {0x201C, 0x93}, {0x201D, 0x94}, {0x2022, 0x95}, {0x2013, 0x96}, {0x2014, 0x97},
    {0x02DC, 0x98}, {0x2122, 0x99}, {0x0161, 0x9A}, {0x203A, 0x9B}, {0x0153, 0x9C},
    {0x017E, 0x9E}, {0x0178, 0x9F},
};

/* Latin Extended-A (U+0100..U+017F) without their marks; '*' marks the few that need more
 * than one letter or are in Windows-1252 already (handled before this table). */
static const char LATIN_EXT_A[] = "AaAaAaCcCcCcCcDd"  /* 0100 */
                                  "DdEeEeEeEeEeGgGg"  /* 0110 */
                                  "GgGgHhHhIiIiIiIi"  /* 0120 */
                                  "Ii**JjKkkLlLlLlL"  /* 0130: IJ ij */
                                  "lLlNnNnNn*NnOoOo"  /* 0140: 'n */
                                  "Oo**RrRrRrSsSsSs"  /* 0150: OE oe (cp1252) */
                                  "**TtTtTtUuUuUuUu"  /* 0160: S s (cp1252) */
                                  "UuUuWwYy*ZzZz**s"; /* 0170: Y: Z z (cp1252) */

static const char *const CYRILLIC[64] = {
    "A", "B", "V", "G", "D", "E", "Zh", "Z", "I", "Y", "K", "L", "M", "N", "O", "P",
    "R", "S", "T", "U", "F", "Kh", "Ts", "Ch", "Sh", "Shch", "", "Y", "", "E", "Yu", "Ya",
    "a", "b", "v", "g", "d", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p",
    "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya",
};

/* Greek U+0391..U+03A9 (capitals; 0x03A2 is unassigned) and U+03B1..U+03C9. */
static const char *const GREEK[25] = {
    "A", "V", "G", "D", "E", "Z", "I", "Th", "I", "K", "L", "M", "N",
    "X", "O", "P", "R", "S", "S", "T", "Y", "F", "Ch", "Ps", "O",
};

static const char *transliterate(int32_t cp, char one[2])
{
    one[1] = '\0';
    if (cp >= 0x0100 && cp <= 0x017F) {
        char c = LATIN_EXT_A[cp - 0x0100];
        if (c != '*') {
            one[0] = c;
            return one;
        }
        switch (cp) {
        case 0x0132: return "IJ";
        case 0x0133: return "ij";
        case 0x0149: return "'n";
        default: return "?";
        }
    }
    if (cp >= 0x0410 && cp <= 0x044F)
        return CYRILLIC[cp - 0x0410];
    if (cp >= 0x0391 && cp <= 0x03A9)
        return GREEK[cp - 0x0391];
    if (cp >= 0x03B1 && cp <= 0x03C9) {
        const char *g = GREEK[cp - 0x03B1];
        one[0] = (char)(g[0] | 0x20);
        if (!g[1])
            return one;
        return cp == 0x03B8 ? "th" : cp == 0x03C7 ? "ch" : "ps";
    }
    switch (cp) {
    case 0x0401: return "Yo";
    case 0x0451: return "yo";
    case 0x0404: return "Ye";
    case 0x0454: return "ye";
    case 0x0406: return "I";
    case 0x0456: return "i";
    case 0x0407: return "Yi";
    case 0x0457: return "yi";
    case 0x0490: return "G";
    case 0x0491: return "g";
    case 0x0218: return "S";
    case 0x0219: return "s";
    case 0x021A: return "T";
    case 0x021B: return "t";
    case 0x0386: return "A";
    case 0x0388: return "E";
    case 0x0389: return "I";
    case 0x038A: return "I";
    case 0x038C: return "O";
    case 0x038E: return "Y";
    case 0x038F: return "O";
    case 0x03AC: return "a";
    case 0x03AD: return "e";
    case 0x03AE: return "i";
    case 0x03AF: return "i";
    case 0x03CC: return "o";
    case 0x03CD: return "y";
    case 0x03CE: return "o";
    case 0x2010: case 0x2011: case 0x2012: case 0x2212: return "-";
    case 0x2015: return "-";
    case 0x2032: return "'";
    case 0x2033: return "\"";
    case 0x2002: case 0x2003: case 0x2007: case 0x2009: case 0x200A: case 0x202F:
    case 0x205F: case 0x3000: return " ";
    case 0x2190: return "<-";
    case 0x2192: return "->";
    case 0x21D2: return "=>";
    case 0x2248: return "~";
    case 0x2260: return "!=";
    case 0x2264: return "<=";
    case 0x2265: return ">=";
    case 0x221E: return "inf";
    case 0x2044: return "/";
    case 0x2215: return "/";
    case 0x22C5: case 0x2219: return "\xB7"; /* dot operator -> middle dot */
    default: return "?";
    }
}

size_t at_st_winansi(const char *utf8, char *buf, size_t size)
{
    size_t n = 0;
    if (!size)
        return 0;
    const unsigned char *p = (const unsigned char *)(utf8 ? utf8 : "");
    size_t avail = strlen((const char *)p);
    while (avail) {
        int32_t cp;
        size_t used = decode(p, avail, &cp);
        p += used;
        avail -= used;
        char one[2];
        const char *out = one;
        one[1] = '\0';
        if (cp < 0) {
            out = "?";
        } else if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0)) {
            out = " ";
        } else if (cp < 0x100) {
            one[0] = (char)cp;
        } else if (combining(cp)) {
            out = "";
        } else {
            out = NULL;
            for (size_t i = 0; i < sizeof CP1252_HIGH / sizeof CP1252_HIGH[0]; i++) {
                if (CP1252_HIGH[i].cp == cp) {
                    one[0] = (char)CP1252_HIGH[i].byte;
                    out = one;
                    break;
                }
            }
            if (!out)
                out = transliterate(cp, one);
        }
        size_t len = strlen(out);
        if (n + len >= size)
            break;
        memcpy(buf + n, out, len);
        n += len;
    }
    buf[n] = '\0';
    return n;
}

/* ---- output ------------------------------------------------------------------------------- */

at_code at_st_check_stream(FILE *out, const char *what, at_error *err)
{
    if (fflush(out) != 0 || ferror(out))
        return at_fail(err, AT_ERR_IO, NULL, "check that the disk is not full and the output "
                       "can be written", "writing the %s failed", what);
    return AT_OK;
}

at_code at_st_render_memory(at_st_writer write, const void *subject, char **data,
                            size_t *length, at_error *err)
{
    *data = NULL;
    *length = 0;
    char *buf = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&buf, &len);
    if (!mem)
        return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory for the output");
    at_code rc = write(subject, mem, err);
    if (fclose(mem) != 0 && rc == AT_OK)
        rc = at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory for the output");
    if (rc != AT_OK) {
        free(buf);
        return rc;
    }
    *data = buf;
    *length = len;
    return AT_OK;
}

static at_code write_any(const void *subject, FILE *out, at_error *err, at_statement_format f)
{
    const at_statement *st = subject;
    switch (f) {
    case AT_STATEMENT_TEXT: return at_st_write_text(st, out, err);
    case AT_STATEMENT_JSON: return at_st_write_json(st, out, err);
    case AT_STATEMENT_HTML: return at_st_write_html(st, out, err);
    case AT_STATEMENT_PDF: return at_st_write_pdf(st, out, err);
    }
    return at_fail(err, AT_ERR_INVALID, NULL, "use text, json, html or pdf",
                   "unknown statement format %d", (int)f);
}

static at_code write_text(const void *s, FILE *out, at_error *err)
{
    return write_any(s, out, err, AT_STATEMENT_TEXT);
}
static at_code write_json(const void *s, FILE *out, at_error *err)
{
    return write_any(s, out, err, AT_STATEMENT_JSON);
}
static at_code write_html(const void *s, FILE *out, at_error *err)
{
    return write_any(s, out, err, AT_STATEMENT_HTML);
}
static at_code write_pdf(const void *s, FILE *out, at_error *err)
{
    return write_any(s, out, err, AT_STATEMENT_PDF);
}

at_code at_statement_write(const at_statement *statement, at_statement_format format,
                           FILE *out, at_error *err)
{
    if (!statement || !out)
        return at_fail(err, AT_ERR_INVALID, NULL, NULL, "no statement or no output to write");
    at_code rc = write_any(statement, out, err, format);
    if (rc != AT_OK)
        return rc;
    return at_st_check_stream(out, "statement", err);
}

at_code at_statement_render(const at_statement *statement, at_statement_format format,
                            char **data, size_t *length, at_error *err)
{
    *data = NULL;
    *length = 0;
    if (!statement)
        return at_fail(err, AT_ERR_INVALID, NULL, NULL, "no statement to render");
    at_st_writer w;
    switch (format) {
    case AT_STATEMENT_TEXT: w = write_text; break;
    case AT_STATEMENT_JSON: w = write_json; break;
    case AT_STATEMENT_HTML: w = write_html; break;
    case AT_STATEMENT_PDF: w = write_pdf; break;
    default:
        return at_fail(err, AT_ERR_INVALID, NULL, "use text, json, html or pdf",
                       "unknown statement format %d", (int)format);
    }
    return at_st_render_memory(w, statement, data, length, err);
}
