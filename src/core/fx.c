/* fx.c - the exchange-rate table (see fx.h): adding rows, sorting them once, finding the rate
 * in force on a day by binary search (falling back to the inverse of the reverse pair), and
 * converting money with one rounding to the target currency's minor units. */
#include "core/fx.h"

#include "core/date.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RATE_ONE AT_RATE_SCALE
#define DAY_TEXT_MAX 48

static uint32_t pack_code(const char *code)
{
    return (uint32_t)(unsigned char)code[0] << 16 | (uint32_t)(unsigned char)code[1] << 8 |
           (uint32_t)(unsigned char)code[2];
}

static void unpack_code(uint32_t packed, char out[4])
{
    out[0] = (char)(packed >> 16 & 0xff);
    out[1] = (char)(packed >> 8 & 0xff);
    out[2] = (char)(packed & 0xff);
    out[3] = '\0';
}

/* Three upper-case ASCII letters, packed; false otherwise. */
static bool pack_str(at_str code, uint32_t *out)
{
    if (code.len != 3 || !code.ptr)
        return false;
    for (size_t i = 0; i < 3; i++)
        if (code.ptr[i] < 'A' || code.ptr[i] > 'Z')
            return false;
    *out = pack_code(code.ptr);
    return true;
}

/* YYYY-MM-DD of a day, for messages. */
static const char *day_text(at_day day, char out[DAY_TEXT_MAX])
{
    at_day_format(day, out, DAY_TEXT_MAX);
    return out;
}

static const char *rate_text(at_rate r, char out[AT_MONEY_TEXT_MAX])
{
    at_rate_format(r, out, AT_MONEY_TEXT_MAX);
    return out;
}

void at_fx_init(at_fx_table *table)
{
    table->rows = NULL;
    table->count = table->capacity = 0;
    table->finished = true; /* an empty table is trivially sorted */
    table->base = 0;
}

void at_fx_free(at_fx_table *table)
{
    free(table->rows);
    at_fx_init(table);
}

at_code at_fx_add(at_fx_table *table, at_str from, at_str to, at_day effective, at_rate rate,
                  at_error *err)
{
    const at_currency *cf, *ct;
    at_code c = at_currency_lookup(from, &cf, err);
    if (c != AT_OK) {
        at_error_prefix_where(err, "from currency");
        return c;
    }
    c = at_currency_lookup(to, &ct, err);
    if (c != AT_OK) {
        at_error_prefix_where(err, "to currency");
        return c;
    }
    char tr[AT_MONEY_TEXT_MAX], td[DAY_TEXT_MAX];
    if (effective < AT_DAY_MIN || effective > AT_DAY_MAX)
        return at_fail(err, AT_ERR_INVALID, NULL,
                       "use an effective date between 0001-01-01 and 9999-12-31",
                       "%s to %s rate has an effective day out of range (%ld)", cf->code,
                       ct->code, (long)effective);
    if (rate <= 0)
        return at_fail(err, AT_ERR_INVALID, NULL,
                       "an exchange rate is how many units of the second currency one unit of "
                       "the first buys: write a number above 0, e.g. 0.92",
                       "%s to %s rate effective %s is %s; it must be above 0", cf->code,
                       ct->code, day_text(effective, td), rate_text(rate, tr));
    if (cf == ct) {
        if (rate == RATE_ONE)
            return AT_OK; /* harmless: the same currency always converts at exactly 1 */
        return at_fail(err, AT_ERR_INVALID, NULL,
                       "remove this row: a currency always converts to itself at exactly 1",
                       "%s to %s rate effective %s is %s, not 1", cf->code, ct->code,
                       day_text(effective, td), rate_text(rate, tr));
    }
    if (table->count == table->capacity) {
        size_t cap = table->capacity ? table->capacity * 2 : 64;
        if (cap > SIZE_MAX / sizeof *table->rows)
            return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "too many exchange rates");
        at_fx_row *rows = realloc(table->rows, cap * sizeof *rows);
        if (!rows)
            return at_fail(err, AT_ERR_NOMEM, NULL, NULL,
                           "out of memory adding exchange rate %zu", table->count + 1);
        table->rows = rows;
        table->capacity = cap;
    }
    table->rows[table->count++] = (at_fx_row){pack_code(cf->code), pack_code(ct->code),
                                              effective, rate};
    table->finished = false;
    return AT_OK;
}

static int row_order(const void *pa, const void *pb)
{
    const at_fx_row *a = pa, *b = pb;
    if (a->from != b->from)
        return a->from < b->from ? -1 : 1;
    if (a->to != b->to)
        return a->to < b->to ? -1 : 1;
    if (a->effective != b->effective)
        return a->effective < b->effective ? -1 : 1;
    return a->rate < b->rate ? -1 : (a->rate > b->rate ? 1 : 0);
}

at_code at_fx_finish(at_fx_table *table, at_error *err)
{
    if (table->count > 1)
        qsort(table->rows, table->count, sizeof *table->rows, row_order);
    size_t kept = 0;
    for (size_t i = 0; i < table->count; i++) {
        const at_fx_row *r = &table->rows[i];
        if (kept) {
            const at_fx_row *prev = &table->rows[kept - 1];
            if (prev->from == r->from && prev->to == r->to && prev->effective == r->effective) {
                if (prev->rate == r->rate)
                    continue; /* the same row twice */
                char f[4], t[4], td[DAY_TEXT_MAX], r1[AT_MONEY_TEXT_MAX], r2[AT_MONEY_TEXT_MAX];
                char hint[AT_ERROR_HINT_MAX];
                unpack_code(r->from, f);
                unpack_code(r->to, t);
                day_text(r->effective, td);
                snprintf(hint, sizeof hint,
                         "keep one %s to %s rate per effective date in %s: remove %s or %s", f,
                         t, AT_FX_FILE, rate_text(prev->rate, r1), rate_text(r->rate, r2));
                return at_fail(err, AT_ERR_CONFLICT, AT_FX_FILE, hint,
                               "two different %s to %s rates take effect on %s: %s and %s", f, t,
                               td, r1, r2);
            }
        }
        table->rows[kept++] = *r;
    }
    table->count = kept;
    table->finished = true;
    return AT_OK;
}

/* Index of the row of (from, to) in force on day, or SIZE_MAX. *first gets the index of the
 * pair's first row, or SIZE_MAX when the pair has no rows at all. */
static size_t find_row(const at_fx_table *t, uint32_t from, uint32_t to, at_day day,
                       size_t *first)
{
    /* upper bound: the first row after (from, to, day) */
    size_t lo = 0, hi = t->count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const at_fx_row *r = &t->rows[mid];
        bool after = r->from != from   ? r->from > from
                     : r->to != to     ? r->to > to
                                       : r->effective > day;
        if (after)
            hi = mid;
        else
            lo = mid + 1;
    }
    size_t found = SIZE_MAX;
    if (lo > 0 && t->rows[lo - 1].from == from && t->rows[lo - 1].to == to)
        found = lo - 1;
    if (first) {
        /* lower bound of the pair, only needed on the error path */
        size_t a = 0, b = t->count;
        while (a < b) {
            size_t mid = a + (b - a) / 2;
            const at_fx_row *r = &t->rows[mid];
            bool before = r->from != from ? r->from < from : r->to < to;
            if (before)
                a = mid + 1;
            else
                b = mid;
        }
        *first = (a < t->count && t->rows[a].from == from && t->rows[a].to == to) ? a : SIZE_MAX;
    }
    return found;
}

static at_code bad_code(at_str code, const char *side, at_error *err)
{
    const at_currency *c;
    at_code rc = at_currency_lookup(code, &c, err);
    if (rc == AT_OK) /* not reached: only called for codes that do not pack */
        rc = at_fail(err, AT_ERR_INTERNAL, NULL, NULL, "currency code check disagrees");
    at_error_prefix_where(err, side);
    return rc;
}

static at_code missing_rate(const at_fx_table *t, at_str from, at_str to, uint32_t pf,
                            uint32_t pt, at_day day, at_error *err)
{
    /* a well-formed code that is not a currency at all deserves that message instead */
    if (!at_currency_find(from))
        return bad_code(from, "from currency", err);
    if (!at_currency_find(to))
        return bad_code(to, "to currency", err);
    char f[4], tt[4], td[DAY_TEXT_MAX], first_day[DAY_TEXT_MAX];
    char hint[AT_ERROR_HINT_MAX];
    unpack_code(pf, f);
    unpack_code(pt, tt);
    day_text(day, td);
    size_t first;
    find_row(t, pf, pt, day, &first);
    if (first != SIZE_MAX)
        snprintf(hint, sizeof hint,
                 "add a rate from %s to %s effective on or before %s to %s (the first %s to %s rate "
                 "takes effect on %s)",
                 f, tt, td, AT_FX_FILE, f, tt, day_text(t->rows[first].effective, first_day));
    else
        snprintf(hint, sizeof hint, "add a rate from %s to %s effective on or before %s to %s", f,
                 tt, td, AT_FX_FILE);
    return at_fail(err, AT_ERR_NOT_FOUND, AT_FX_FILE, hint,
                   "no %s to %s exchange rate (nor %s to %s) is in force on %s", f, tt, tt, f,
                   td);
}

/* The pair's own rate, or the inverse of its reverse; *found false when neither is in force. */
static at_code pair_rate(const at_fx_table *table, uint32_t pf, uint32_t pt, at_day day,
                         at_fx_quote *out, bool *found, at_error *err)
{
    *found = true;
    size_t i = find_row(table, pf, pt, day, NULL);
    if (i != SIZE_MAX) {
        *out = (at_fx_quote){table->rows[i].rate, table->rows[i].effective, false, false, false};
        return AT_OK;
    }
    i = find_row(table, pt, pf, day, NULL);
    if (i == SIZE_MAX) {
        *found = false;
        return AT_OK;
    }
    const at_fx_row *r = &table->rows[i];
    int64_t inverse;
    at_code c = at_div_round_i128((__int128)RATE_ONE * RATE_ONE, r->rate, AT_ROUND_HALF_EVEN,
                                  &inverse, NULL);
    if (c != AT_OK || inverse == 0) {
        char f[4], tt[4], td[DAY_TEXT_MAX], tr[AT_MONEY_TEXT_MAX], hint[AT_ERROR_HINT_MAX];
        unpack_code(pf, f);
        unpack_code(pt, tt);
        snprintf(hint, sizeof hint, "add a rate from %s to %s to %s", f, tt, AT_FX_FILE);
        return at_fail(err, AT_ERR_INVALID, AT_FX_FILE, hint,
                       "the inverse of the %s to %s rate %s (effective %s) is too small for 9 "
                       "decimals",
                       tt, f, rate_text(r->rate, tr), day_text(r->effective, td));
    }
    *out = (at_fx_quote){inverse, r->effective, true, false, false};
    return AT_OK;
}

at_code at_fx_set_base(at_fx_table *table, at_str base, at_error *err)
{
    uint32_t pb;
    if (!pack_str(base, &pb) || !at_currency_find(base))
        return bad_code(base, "base currency", err);
    table->base = pb;
    return AT_OK;
}

at_code at_fx_lookup(const at_fx_table *table, at_str from, at_str to, at_day day,
                     at_fx_quote *out, at_error *err)
{
    uint32_t pf, pt;
    if (!pack_str(from, &pf))
        return bad_code(from, "from currency", err);
    if (!pack_str(to, &pt))
        return bad_code(to, "to currency", err);
    if (!table->finished)
        return at_fail(err, AT_ERR_INTERNAL, NULL, "this is a bug in attain: please report it",
                       "exchange rates were looked up before the table was finished");
    if (pf == pt) {
        if (!at_currency_find(from))
            return bad_code(from, "from currency", err);
        *out = (at_fx_quote){RATE_ONE, day, false, true, false};
        return AT_OK;
    }
    bool found;
    at_code c = pair_rate(table, pf, pt, day, out, &found, err);
    if (c != AT_OK || found)
        return c;
    if (table->base && table->base != pf && table->base != pt) {
        at_fx_quote a, b;
        bool found_a, found_b;
        c = pair_rate(table, pf, table->base, day, &a, &found_a, err);
        if (c == AT_OK && found_a)
            c = pair_rate(table, table->base, pt, day, &b, &found_b, err);
        if (c != AT_OK)
            return c;
        if (found_a && found_b) {
            int64_t rate;
            c = at_div_round_i128((__int128)a.rate * b.rate, RATE_ONE, AT_ROUND_HALF_EVEN, &rate,
                                  NULL);
            if (c == AT_OK && rate > 0) {
                *out = (at_fx_quote){rate, a.effective > b.effective ? a.effective : b.effective,
                                     false, false, true};
                return AT_OK;
            }
        }
    }
    return missing_rate(table, from, to, pf, pt, day, err);
}

at_code at_fx_convert(const at_fx_table *table, at_money amount, at_str from, at_str to,
                      at_day day, at_rounding mode, at_money *out, at_fx_quote *quote,
                      at_error *err)
{
    at_fx_quote q;
    at_code c = at_fx_lookup(table, from, to, day, &q, err);
    if (c != AT_OK)
        return c;
    const at_currency *target = at_currency_find(to); /* lookup succeeded: it exists */
    int decimals = at_currency_decimals(target);
    int64_t unit = 1;
    for (int i = decimals; i < AT_MONEY_DECIMALS; i++)
        unit *= 10;
    /* one rounding: amount x rate / (1e9 x unit) in target minor units, then back */
    int64_t minor;
    c = at_div_round_i128((__int128)amount * q.rate, (__int128)RATE_ONE * unit, mode, &minor,
                          err);
    if (c == AT_ERR_INVALID) /* an unknown mode: the only invalid case here */
        return c;
    at_money result;
    if (c != AT_OK || __builtin_mul_overflow(minor, unit, &result)) {
        char ta[AT_MONEY_TEXT_MAX], tr[AT_MONEY_TEXT_MAX], td[DAY_TEXT_MAX], f[4];
        at_money_format(amount, ta, sizeof ta);
        unpack_code(pack_code(from.ptr), f); /* lookup succeeded: three letters */
        return at_fail(err, AT_ERR_OVERFLOW, NULL,
                       "amounts are limited to +-922337203685477.5807; check the amount and the "
                       "rate for a misplaced decimal point",
                       "%s %s converted to %s at %s on %s does not fit in an amount", ta, f,
                       target->code, rate_text(q.rate, tr),
                       day_text(day, td));
    }
    *out = result;
    if (quote)
        *quote = q;
    return AT_OK;
}
