/* calc_text.c - the engine's small helpers: exact division with rounding (128-bit), and the
 * number formats of explanations ("12,500.00", "5%", "100.00%"). */
#include <stdio.h>
#include <string.h>

#include "calc/calc_internal.h"

bool calc_div(calc_i128 num, calc_i128 den, at_rounding mode, int64_t *out)
{
    if (den == 0)
        return false;
    return at_div_round_i128(num, den, mode, out, NULL) == AT_OK;
}

bool calc_muldiv(int64_t a, int64_t b, int64_t den, int64_t *out)
{
    return calc_div((calc_i128)a * b, den, AT_ROUND_HALF_EVEN, out);
}

void calc_text_reset(calc_text *t)
{
    t->len = 0;
    t->buf[0] = '\0';
}

void calc_text_add(calc_text *t, const char *fmt, ...)
{
    if (t->len >= sizeof t->buf - 1)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(t->buf + t->len, sizeof t->buf - t->len, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    t->len += (size_t)n;
    if (t->len >= sizeof t->buf)
        t->len = sizeof t->buf - 1;
}

/* Puts thousands separators into the integer part of a plain number text. */
static const char *group_thousands(const char *plain, char buf[48])
{
    const char *p = plain;
    size_t o = 0;
    if (*p == '-')
        buf[o++] = *p++;
    const char *dot = strchr(p, '.');
    size_t ilen = dot ? (size_t)(dot - p) : strlen(p);
    for (size_t i = 0; i < ilen && o < 40; i++) {
        if (i > 0 && (ilen - i) % 3 == 0)
            buf[o++] = ',';
        buf[o++] = p[i];
    }
    if (dot) {
        size_t rest = strlen(dot);
        if (o + rest > 47)
            rest = 47 - o;
        memcpy(buf + o, dot, rest);
        o += rest;
    }
    buf[o] = '\0';
    return buf;
}

const char *calc_fmt_money(at_money v, char buf[48])
{
    char plain[AT_MONEY_TEXT_MAX];
    at_money_format(v, plain, sizeof plain);
    return group_thousands(plain, buf);
}

const char *calc_fmt_pct(at_rate v, int decimals, char buf[48])
{
    if (decimals >= 0) {
        at_rate_format_percent(v, decimals, buf, 48);
        return buf;
    }
    at_rate_format_percent(v, 7, buf, 48);
    char *pct = strchr(buf, '%');
    char *dot = strchr(buf, '.');
    if (pct && dot) {
        char *e = pct;
        while (e > dot + 1 && e[-1] == '0')
            e--;
        if (e == dot + 1)
            e = dot;
        memmove(e, pct, strlen(pct) + 1);
    }
    return buf;
}

const char *calc_fmt_units(int64_t v, char buf[48])
{
    char plain[AT_MONEY_TEXT_MAX];
    at_money_format(v, plain, sizeof plain);
    /* at_money_format writes at least 2 decimals: drop zero decimals */
    char *dot = strchr(plain, '.');
    if (dot) {
        char *e = plain + strlen(plain);
        while (e > dot + 1 && e[-1] == '0')
            e--;
        if (e == dot + 1)
            e = dot;
        *e = '\0';
    }
    return group_thousands(plain, buf);
}
