/* formula_explain.c - a formula with its numbers put in, for statements:
 *   min(commission, 5000)  ->  min(commission 6,125.50, 5,000.00) = 5,000.00
 * The text is kept as written (line breaks become spaces); each name is followed by its value,
 * literals that stand for money are written as money, other literals as written (5% stays
 * 5%), and the result follows " = ". Also the value formatting every formula message uses. */
#include <stdio.h>
#include <string.h>

#include "core/money.h"
#include "plan/formula_impl.h"

/* ---- values ---------------------------------------------------------------------------------- */

static size_t u128_digits(unsigned __int128 v, char *out)
{
    char rev[48];
    size_t n = 0;
    do {
        rev[n++] = (char)('0' + (int)(v % 10));
        v /= 10;
    } while (v);
    for (size_t i = 0; i < n; i++)
        out[i] = rev[n - 1 - i];
    out[n] = '\0';
    return n;
}

static void format_money(int64_t value, char *out)
{
    char plain[AT_MONEY_TEXT_MAX];
    at_money_format(value, plain, sizeof plain);
    at_money_group_digits(plain, out, AT_MONEY_TEXT_MAX + AT_MONEY_TEXT_MAX / 3);
}

static void format_number(int64_t value, int decimals, char *out)
{
    if (decimals < 0)
        decimals = 0;
    if (decimals > AT_RATE_DECIMALS)
        decimals = AT_RATE_DECIMALS;
    bool neg = value < 0;
    unsigned __int128 mag = neg ? (unsigned __int128)(-(__int128)value) : (unsigned __int128)value;
    unsigned __int128 step = 1, unit = 1;
    for (int i = decimals; i < AT_RATE_DECIMALS; i++)
        step *= 10;
    for (int i = 0; i < decimals; i++)
        unit *= 10;
    unsigned __int128 q = mag / step, r = mag % step;
    if (r * 2 > step || (r * 2 == step && (q & 1)))
        q++;
    char digits[48];
    size_t k = 0;
    if (neg && q != 0)
        out[k++] = '-';
    u128_digits(q / unit, digits);
    /* an int64 has at most 19 digits: with separators, 25 characters */
    k += at_money_group_digits(digits, out + k, 32);
    unsigned __int128 frac = q % unit;
    if (frac != 0) {
        char fd[16];
        int n = decimals;
        for (int i = n - 1; i >= 0; i--) {
            fd[i] = (char)('0' + (int)(frac % 10));
            frac /= 10;
        }
        while (n > 0 && fd[n - 1] == '0')
            n--;
        out[k++] = '.';
        memcpy(out + k, fd, (size_t)n);
        k += (size_t)n;
    }
    out[k] = '\0';
}

size_t formula_format_value(at_unit unit, int64_t value, int number_decimals, char *buf,
                            size_t size)
{
    char text[96];
    switch (unit) {
    case AT_UNIT_MONEY:
        format_money(value, text);
        break;
    case AT_UNIT_NUMBER:
        format_number(value, number_decimals, text);
        break;
    case AT_UNIT_BOOL:
        strcpy(text, value ? "true" : "false");
        break;
    default: { /* count */
        char digits[48];
        bool neg = value < 0;
        unsigned __int128 mag =
            neg ? (unsigned __int128)(-(__int128)value) : (unsigned __int128)value;
        size_t k = 0;
        u128_digits(mag, digits);
        if (neg)
            text[k++] = '-';
        at_money_group_digits(digits, text + k, sizeof text - k);
        break;
    }
    }
    return (size_t)snprintf(buf, size, "%s", text);
}

/* ---- explanations ---------------------------------------------------------------------------- */

typedef struct writer {
    char *buf;
    size_t size;
    size_t len; /* would-be length */
} writer;

static void put(writer *w, const char *s, size_t n)
{
    if (w->len < w->size) {
        size_t room = w->size - 1 - w->len;
        memcpy(w->buf + w->len, s, n < room ? n : room);
        w->buf[w->len + (n < room ? n : room)] = '\0';
    }
    w->len += n;
}

static void puts_(writer *w, const char *s)
{
    put(w, s, strlen(s));
}

size_t at_formula_explain(const at_formula *formula, const int64_t *slots, char *buf,
                          size_t size)
{
    writer w = {buf, buf ? size : 0, 0};
    if (w.size)
        buf[0] = '\0';
    if (!formula)
        return 0;
    const at_formula *f = formula;
    bool have_values = slots || f->slot_count == 0;
    char value[96];
    for (size_t i = 0; i < f->piece_count; i++) {
        const formula_piece *p = &f->pieces[i];
        if (i > 0) {
            size_t gap_start = f->pieces[i - 1].offset + f->pieces[i - 1].length;
            size_t gap = p->offset - gap_start;
            bool plain = true;
            for (size_t k = 0; k < gap; k++)
                plain &= f->text[gap_start + k] == ' ';
            if (plain)
                put(&w, f->text + gap_start, gap);
            else
                put(&w, " ", 1);
        }
        const char *tok = f->text + p->offset;
        at_money m;
        switch ((formula_role)p->role) {
        case ROLE_NAME:
            put(&w, tok, p->length);
            if (slots) {
                formula_format_value(p->unit, slots[p->slot], 4, value, sizeof value);
                put(&w, " ", 1);
                puts_(&w, value);
            }
            break;
        case ROLE_MONEY:
            if (at_money_parse(at_str_make(tok, p->length), &m, NULL) == AT_OK) {
                formula_format_value(AT_UNIT_MONEY, m, 4, value, sizeof value);
                puts_(&w, value);
            } else {
                put(&w, tok, p->length);
            }
            break;
        default:
            put(&w, tok, p->length);
            break;
        }
    }
    if (have_values) {
        int64_t result;
        at_error err;
        at_code rc = at_formula_eval(f, slots, &result, &err);
        if (rc == AT_OK) {
            formula_format_value(f->unit, result, 4, value, sizeof value);
            puts_(&w, " = ");
            puts_(&w, value);
        } else {
            puts_(&w, rc == AT_ERR_OVERFLOW ? " = error: overflow"
                      : rc == AT_ERR_INVALID ? " = error: division by zero"
                                             : " = error");
        }
    }
    return w.len;
}
