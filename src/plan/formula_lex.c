/* formula_lex.c - a formula's text cut into tokens (numbers, names, operators), and the
 * positions and quotes that every formula error message uses. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/str.h"
#include "plan/formula_impl.h"

/* ---- positions and messages ----------------------------------------------------------------- */

void formula_where(const at_formula_origin *origin, const char *text, size_t offset, char *buf,
                   size_t size)
{
    int line = origin->line > 0 ? origin->line : 1;
    int column = origin->column > 0 ? origin->column : 1;
    for (size_t i = 0; i < offset; i++) {
        unsigned char ch = (unsigned char)text[i];
        if (ch == '\n') {
            line++;
            column = 1;
        } else if ((ch & 0xC0) != 0x80) { /* count characters, not UTF-8 continuation bytes */
            column++;
        }
    }
    if (origin->file && origin->file[0])
        snprintf(buf, size, "%s:%d:%d", origin->file, line, column);
    else
        snprintf(buf, size, "%d:%d", line, column);
}

void formula_quote(const char *p, size_t len, char *buf, size_t size)
{
    at_str_show(p, len, FORMULA_QUOTE_MAX, buf, size);
}

static at_code vfail_at(formula_ctx *c, size_t offset, at_code code, const char *hint,
                        const char *fmt, va_list ap) __attribute__((format(printf, 5, 0)));

static at_code vfail_at(formula_ctx *c, size_t offset, at_code code, const char *hint,
                        const char *fmt, va_list ap)
{
    char where[AT_ERROR_WHERE_MAX];
    formula_where(&c->origin, c->text, offset, where, sizeof where);
    return at_vfail(c->err, code, where, hint, fmt, ap);
}

at_code formula_fail_at(formula_ctx *c, size_t offset, at_code code, const char *hint,
                        const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    at_code r = vfail_at(c, offset, code, hint, fmt, ap);
    va_end(ap);
    return r;
}

void formula_token_text(const formula_ctx *c, size_t token, char *buf, size_t size)
{
    const formula_token *t = &c->tokens[token];
    formula_quote(c->text + t->offset, t->length, buf, size);
}

at_code formula_fail_token(formula_ctx *c, size_t token, at_code code, const char *hint,
                           const char *fmt, ...)
{
    char quoted[FORMULA_QUOTE_MAX * 4 + 8];
    formula_token_text(c, token, quoted, sizeof quoted);
    char message[AT_ERROR_MESSAGE_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    if (c->tokens[token].kind == TOK_END)
        return formula_fail_at(c, c->tokens[token].offset, code, hint, "the formula ends: %s",
                               message);
    return formula_fail_at(c, c->tokens[token].offset, code, hint, "'%s' %s", quoted, message);
}

/* ---- characters ----------------------------------------------------------------------------- */

static bool is_digit(char ch)
{
    return ch >= '0' && ch <= '9';
}

static bool is_lower(char ch)
{
    return (ch >= 'a' && ch <= 'z') || ch == '_';
}

static bool is_upper(char ch)
{
    return ch >= 'A' && ch <= 'Z';
}

static bool is_name_char(char ch)
{
    return is_lower(ch) || is_upper(ch) || is_digit(ch);
}

static bool is_space(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r';
}

/* ---- tokens --------------------------------------------------------------------------------- */

static at_code push(formula_ctx *c, formula_tok kind, size_t offset, size_t length)
{
    formula_token *t = &c->tokens[c->ntokens++];
    memset(t, 0, sizeof *t);
    t->kind = (uint8_t)kind;
    t->offset = (uint32_t)offset;
    t->length = (uint32_t)length;
    t->slot = -1;
    return AT_OK;
}

/* The end of a run of characters that could belong to one number or name, for quoting
 * what was written ("1.5e3", "12abc"). */
static size_t word_end(const formula_ctx *c, size_t i)
{
    while (i < c->length && (is_name_char(c->text[i]) || c->text[i] == '.' || c->text[i] == '%'))
        i++;
    return i;
}

static at_code fail_word(formula_ctx *c, size_t start, const char *hint, const char *what)
{
    char quoted[FORMULA_QUOTE_MAX * 4 + 8];
    size_t end = word_end(c, start);
    if (end == start)
        end = start + 1;
    formula_quote(c->text + start, end - start, quoted, sizeof quoted);
    return formula_fail_at(c, start, AT_ERR_INVALID, hint, "'%s' %s", quoted, what);
}

static const __int128 POW10_9[10] = {1,      10,      100,      1000,      10000,
                                     100000, 1000000, 10000000, 100000000, 1000000000};

/* A number: digits, optionally '.' and digits, optionally '%'. Exact, at 1e-9. */
static at_code lex_number(formula_ctx *c, size_t *i)
{
    size_t start = *i, p = start;
    __int128 whole = 0;
    int whole_digits = 0;
    while (p < c->length && is_digit(c->text[p])) {
        if (whole_digits > 0 || c->text[p] != '0')
            whole_digits++;
        if (whole_digits > 20)
            return fail_word(c, start,
                             "amounts go up to 922,337,203,685,477 and numbers up to "
                             "9,223,372,036; check the number",
                             "is too large");
        whole = whole * 10 + (c->text[p] - '0');
        p++;
    }
    __int128 frac = 0;
    int decimals = 0;
    if (p < c->length && c->text[p] == '.') {
        p++;
        if (p >= c->length || !is_digit(c->text[p])) {
            char hint[96];
            snprintf(hint, sizeof hint, "write a digit after the point, as in %.*s.0",
                     (int)(p - 1 - start > 20 ? 20 : p - 1 - start), c->text + start);
            return fail_word(c, start, hint, "has no digit after its decimal point");
        }
        size_t dstart = p;
        while (p < c->length && is_digit(c->text[p]))
            p++;
        /* trailing zeros lose nothing */
        size_t dend = p;
        while (dend > dstart && c->text[dend - 1] == '0')
            dend--;
        decimals = (int)(dend - dstart);
        if (decimals > 9)
            return fail_word(c, start, "write at most 9 decimals (0.000000001 is the smallest "
                                       "step of a number)",
                             "has more than 9 decimals");
        for (size_t k = dstart; k < dend; k++)
            frac = frac * 10 + (c->text[k] - '0');
    }
    bool percent = false;
    if (p < c->length && c->text[p] == '%') {
        percent = true;
        p++;
        if (decimals > 7)
            return fail_word(c, start,
                             "write at most 7 decimals before % (0.0000001% is the smallest "
                             "step of a number)",
                             "has more than 7 decimals");
    }
    if (p < c->length && (is_name_char(c->text[p]) || c->text[p] == '.' || c->text[p] == '%')) {
        char ch = c->text[p];
        if ((ch == 'e' || ch == 'E') && !percent &&
            (p + 1 < c->length &&
             (is_digit(c->text[p + 1]) || c->text[p + 1] == '-' || c->text[p + 1] == '+'))) {
            size_t end = p + 2;
            while (end < c->length && is_digit(c->text[end]))
                end++;
            char quoted[FORMULA_QUOTE_MAX * 4 + 8];
            formula_quote(c->text + start, end - start, quoted, sizeof quoted);
            return formula_fail_at(c, start, AT_ERR_INVALID,
                                   "write the number in full, such as 1500000 for 1.5e6",
                                   "'%s' uses an exponent, which formulas do not accept",
                                   quoted);
        }
        if (ch == '.' || ch == '%')
            return fail_word(c, start, "write a number such as 1500, 0.05 or 12.5%",
                             "is not a number");
        return fail_word(c, start, "names start with a letter or '_'; put an operator "
                                   "between a number and a name, as in 2 * deals",
                         "is neither a number nor a name");
    }
    __int128 value = whole * POW10_9[9] + frac * POW10_9[9 - decimals];
    if (percent)
        value /= 100; /* exact: at most 7 decimals */
    push(c, TOK_NUMBER, start, p - start);
    c->tokens[c->ntokens - 1].value = value;
    c->tokens[c->ntokens - 1].percent = percent;
    *i = p;
    return AT_OK;
}

/* A name: [a-z_][a-z0-9_]* parts joined by '.'. */
static at_code lex_name(formula_ctx *c, size_t *i)
{
    size_t start = *i, p = start;
    bool upper = false;
    for (;;) {
        if (p >= c->length || !(is_lower(c->text[p]) || is_upper(c->text[p]))) {
            char quoted[FORMULA_QUOTE_MAX * 4 + 8];
            formula_quote(c->text + start, word_end(c, start) - start, quoted, sizeof quoted);
            return formula_fail_at(c, start, AT_ERR_INVALID,
                                   "write names as words joined by '.', each starting with a "
                                   "letter, such as bookings.attainment",
                                   "'%s' is not a name", quoted);
        }
        while (p < c->length && is_name_char(c->text[p])) {
            upper |= is_upper(c->text[p]);
            p++;
        }
        if (p < c->length && c->text[p] == '.') {
            p++;
            continue;
        }
        break;
    }
    if (upper) {
        char quoted[FORMULA_QUOTE_MAX * 4 + 8], lower[FORMULA_QUOTE_MAX + 8], hint[128];
        size_t n = p - start;
        formula_quote(c->text + start, n, quoted, sizeof quoted);
        size_t k = 0;
        for (; k < n && k < FORMULA_QUOTE_MAX; k++) {
            char ch = c->text[start + k];
            lower[k] = is_upper(ch) ? (char)(ch - 'A' + 'a') : ch;
        }
        lower[k] = '\0';
        snprintf(hint, sizeof hint, "names are lowercase: write %s", lower);
        return formula_fail_at(c, start, AT_ERR_INVALID, hint, "'%s' has capital letters",
                               quoted);
    }
    at_str word = at_str_make(c->text + start, p - start);
    formula_tok kind = TOK_NAME;
    if (at_str_eq_cstr(word, "and"))
        kind = TOK_AND;
    else if (at_str_eq_cstr(word, "or"))
        kind = TOK_OR;
    else if (at_str_eq_cstr(word, "not"))
        kind = TOK_NOT;
    else if (at_str_eq_cstr(word, "true"))
        kind = TOK_TRUE;
    else if (at_str_eq_cstr(word, "false"))
        kind = TOK_FALSE;
    push(c, kind, start, p - start);
    *i = p;
    return AT_OK;
}

static at_code bad_char(formula_ctx *c, size_t i)
{
    const char *hint = "formulas use numbers, names, + - * / ( ) , < <= > >= == != and, or, "
                       "not";
    size_t len = 1;
    unsigned char ch = (unsigned char)c->text[i];
    char next = i + 1 < c->length ? c->text[i + 1] : '\0';
    switch (ch) {
    case '=':
        hint = "write == to compare";
        break;
    case '!':
        hint = "write != for 'not equal', or not to negate a condition";
        break;
    case '&':
        hint = "write and";
        len = next == '&' ? 2 : 1;
        break;
    case '|':
        hint = "write or";
        len = next == '|' ? 2 : 1;
        break;
    case '%':
        hint = "'%' follows a number, as in 5%";
        break;
    case '^':
        hint = "formulas have no powers; multiply instead, as in rate * rate";
        break;
    case '[':
    case ']':
    case '{':
    case '}':
        hint = "group with ( and )";
        break;
    case '\'':
    case '"':
        hint = "formulas have no text values: write names and numbers without quotes";
        break;
    case '$':
        hint = "write amounts without a currency sign, such as 5000";
        break;
    case '.':
        hint = "write a digit before the point, as in 0.5";
        break;
    default:
        if (ch >= 0xC0) { /* quote the whole UTF-8 character */
            while (i + len < c->length && ((unsigned char)c->text[i + len] & 0xC0) == 0x80 &&
                   len < 4)
                len++;
        }
        break;
    }
    char quoted[FORMULA_QUOTE_MAX * 4 + 8];
    formula_quote(c->text + i, len, quoted, sizeof quoted);
    return formula_fail_at(c, i, AT_ERR_INVALID, hint, "unexpected '%s'", quoted);
}

at_code formula_lex(formula_ctx *c)
{
    c->tokens = at_arena_alloc(c->scratch, (c->length + 1) * sizeof *c->tokens);
    if (!c->tokens)
        return at_fail(c->err, AT_ERR_NOMEM, NULL, NULL, "out of memory compiling a formula");
    c->ntokens = 0;
    size_t i = 0;
    while (i < c->length) {
        char ch = c->text[i];
        char next = i + 1 < c->length ? c->text[i + 1] : '\0';
        at_code rc = AT_OK;
        if (is_space(ch)) {
            i++;
            continue;
        }
        if (is_digit(ch)) {
            rc = lex_number(c, &i);
        } else if (is_lower(ch) || is_upper(ch)) {
            rc = lex_name(c, &i);
        } else {
            formula_tok kind = TOK_END;
            size_t len = 1;
            switch (ch) {
            case '(': kind = TOK_LPAREN; break;
            case ')': kind = TOK_RPAREN; break;
            case ',': kind = TOK_COMMA; break;
            case '+': kind = TOK_PLUS; break;
            case '-': kind = TOK_MINUS; break;
            case '*': kind = TOK_STAR; break;
            case '/': kind = TOK_SLASH; break;
            case '<':
                if (next == '>')
                    return formula_fail_at(c, i, AT_ERR_INVALID, "write != for 'not equal'",
                                           "unexpected '<>'");
                kind = next == '=' ? TOK_LE : TOK_LT;
                len = next == '=' ? 2 : 1;
                break;
            case '>':
                kind = next == '=' ? TOK_GE : TOK_GT;
                len = next == '=' ? 2 : 1;
                break;
            case '=':
                if (next == '=') {
                    kind = TOK_EQ;
                    len = 2;
                }
                break;
            case '!':
                if (next == '=') {
                    kind = TOK_NE;
                    len = 2;
                }
                break;
            default:
                break;
            }
            if (kind == TOK_END)
                return bad_char(c, i);
            push(c, kind, i, len);
            i += len;
        }
        if (rc != AT_OK)
            return rc;
    }
    push(c, TOK_END, c->length, 0);
    return AT_OK;
}
