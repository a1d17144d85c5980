/* pay_store_credits.c - a run's credits packed into BLOBs (one per run, person and month) and
 * unpacked again: the layout is documented in pay_store.h ("credits, packed"). Varints keep a
 * credit at about a dozen bytes: ids and dates are deltas from the previous credit (credits
 * come sorted by date), a share of 1.0, a zero margin and the absent level and seller cost
 * only a flag bit. */
#include <stdlib.h>
#include <string.h>

#include "plan/plan.h"
#include "store/pay_store.h"
#include "store/pay_store_impl.h"

enum {
    FLAG_KIND = 0x07,
    FLAG_LEVEL = 0x08,
    FLAG_FROM = 0x10,
    FLAG_SHARE = 0x20,
    FLAG_MARGIN = 0x40,
    FLAG_UNKNOWN = 0x80,
};

static uint64_t zigzag(int64_t v)
{
    return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63);
}

static int64_t unzigzag(uint64_t u)
{
    return (int64_t)(u >> 1) ^ -(int64_t)(u & 1);
}

static size_t put_varint(uint8_t *p, uint64_t v)
{
    size_t n = 0;
    while (v >= 0x80) {
        p[n++] = (uint8_t)(v | 0x80);
        v >>= 7;
    }
    p[n++] = (uint8_t)v;
    return n;
}

/* The most one credit takes: a flag, a level, six varints of at most 10 bytes. */
#define CREDIT_MAX (2 + 6 * 10)

/* Differences of ids and days that do not fit int64 wrap; decoding wraps them back. */
static int64_t wrapping_sub(int64_t a, int64_t b)
{
    return (int64_t)((uint64_t)a - (uint64_t)b);
}

static int64_t wrapping_add(int64_t a, int64_t b)
{
    return (int64_t)((uint64_t)a + (uint64_t)b);
}

at_code at_pay_credits_pack(const at_store_credit *credits, size_t count, uint8_t **buf,
                            size_t *cap, size_t *size, at_error *err)
{
    size_t need = 1 + 10 + count * CREDIT_MAX;
    if (count > (SIZE_MAX - 16) / CREDIT_MAX)
        return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "too many credits to pack (%zu)", count);
    if (*cap < need) {
        uint8_t *p = realloc(*buf, need);
        if (!p)
            return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory packing credits");
        *buf = p;
        *cap = need;
    }
    uint8_t *p = *buf;
    size_t n = 0;
    p[n++] = AT_STORE_CREDITS_VERSION;
    n += put_varint(p + n, count);
    int64_t prev_tx = 0, prev_day = 0;
    for (size_t i = 0; i < count; i++) {
        const at_store_credit *c = &credits[i];
        if (c->kind >= AT_CREDIT_KIND_COUNT)
            return at_fail(err, AT_ERR_INVALID, NULL, NULL,
                           "credit %zu of transaction #%lld has kind %u, which is not a credit "
                           "kind",
                           i, (long long)c->transaction, (unsigned)c->kind);
        uint8_t flags = c->kind;
        if (c->level)
            flags |= FLAG_LEVEL;
        if (c->from_person)
            flags |= FLAG_FROM;
        if (c->share != AT_RATE_SCALE)
            flags |= FLAG_SHARE;
        if (c->margin)
            flags |= FLAG_MARGIN;
        p[n++] = flags;
        n += put_varint(p + n, zigzag(wrapping_sub(c->transaction, prev_tx)));
        n += put_varint(p + n, zigzag(wrapping_sub(c->date, prev_day)));
        prev_tx = c->transaction;
        prev_day = c->date;
        if (c->level)
            p[n++] = c->level;
        if (c->from_person)
            n += put_varint(p + n, zigzag(c->from_person));
        if (c->share != AT_RATE_SCALE)
            n += put_varint(p + n, zigzag(c->share));
        n += put_varint(p + n, zigzag(c->amount));
        if (c->margin)
            n += put_varint(p + n, zigzag(c->margin));
    }
    *size = n;
    return AT_OK;
}

at_code at_store_credits_encode(const at_store_credit *credits, size_t count, uint8_t **blob,
                                size_t *size, at_error *err)
{
    *blob = NULL;
    *size = 0;
    size_t cap = 0;
    at_code rc = at_pay_credits_pack(credits, count, blob, &cap, size, err);
    if (rc != AT_OK) {
        free(*blob);
        *blob = NULL;
        *size = 0;
    }
    return rc;
}

static at_code damaged(size_t at, const char *what, at_error *err)
{
    return at_fail(err, AT_ERR_STORE, "calc_credits",
                   "run `attain db check`; calculate the period again to replace the run",
                   "a credits blob is damaged at byte %zu: %s", at, what);
}

typedef struct reader {
    const uint8_t *p;
    size_t size, at;
} reader;

static bool get_varint(reader *r, uint64_t *out)
{
    uint64_t v = 0;
    for (unsigned shift = 0; shift < 64; shift += 7) {
        if (r->at >= r->size)
            return false;
        uint8_t b = r->p[r->at++];
        if (shift == 63 && b > 1)
            return false;
        v |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80)) {
            *out = v;
            return true;
        }
    }
    return false;
}

static bool get_svarint(reader *r, int64_t *out)
{
    uint64_t u;
    if (!get_varint(r, &u))
        return false;
    *out = unzigzag(u);
    return true;
}

at_code at_store_credits_decode(const uint8_t *blob, size_t size, at_arena *arena,
                                at_store_credit **credits, size_t *count, at_error *err)
{
    *credits = NULL;
    *count = 0;
    reader r = {blob, size, 0};
    if (!blob || size < 2)
        return damaged(0, "it is shorter than its header", err);
    if (blob[0] != AT_STORE_CREDITS_VERSION)
        return damaged(0, blob[0] > AT_STORE_CREDITS_VERSION
                              ? "it was written by a newer attain (unknown version)"
                              : "it has no valid version",
                       err);
    r.at = 1;
    uint64_t n;
    if (!get_varint(&r, &n))
        return damaged(r.at, "the count is cut short", err);
    /* every credit takes at least 4 bytes: a cheap bound before allocating */
    if (n > (size - r.at) / 4)
        return damaged(1, "the count is larger than the blob can hold", err);
    at_store_credit *out = at_arena_calloc(arena, n ? (size_t)n : 1, sizeof *out);
    if (!out)
        return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory reading credits");
    int64_t prev_tx = 0, prev_day = 0;
    for (size_t i = 0; i < n; i++) {
        at_store_credit *c = &out[i];
        if (r.at >= size)
            return damaged(r.at, "it ends before its last credit", err);
        size_t start = r.at;
        uint8_t flags = blob[r.at++];
        if ((flags & FLAG_UNKNOWN) || (flags & FLAG_KIND) >= AT_CREDIT_KIND_COUNT)
            return damaged(start, "a credit's flags are not valid", err);
        int64_t dtx, dday, v;
        if (!get_svarint(&r, &dtx) || !get_svarint(&r, &dday))
            return damaged(r.at, "a credit is cut short", err);
        c->kind = flags & FLAG_KIND;
        c->transaction = wrapping_add(prev_tx, dtx);
        int64_t day = wrapping_add(prev_day, dday);
        if (day < AT_DAY_MIN || day > AT_DAY_MAX)
            return damaged(start, "a credit's date is out of range", err);
        c->date = (at_day)day;
        prev_tx = c->transaction;
        prev_day = day;
        if (flags & FLAG_LEVEL) {
            if (r.at >= size)
                return damaged(r.at, "a credit is cut short", err);
            c->level = blob[r.at++];
        }
        if (flags & FLAG_FROM) {
            if (!get_svarint(&r, &v))
                return damaged(r.at, "a credit is cut short", err);
            c->from_person = v;
        }
        c->share = AT_RATE_SCALE;
        if ((flags & FLAG_SHARE) && !get_svarint(&r, &c->share))
            return damaged(r.at, "a credit is cut short", err);
        if (!get_svarint(&r, &c->amount))
            return damaged(r.at, "a credit is cut short", err);
        if ((flags & FLAG_MARGIN) && !get_svarint(&r, &c->margin))
            return damaged(r.at, "a credit is cut short", err);
    }
    if (r.at != size)
        return damaged(r.at, "there are bytes after the last credit", err);
    *credits = out;
    *count = (size_t)n;
    return AT_OK;
}
