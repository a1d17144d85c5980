/* pay_store_credits.c - a run's credits packed into BLOBs (one per run, person and month) and
 * unpacked again: the layout is documented in pay_store.h ("credits, packed") and, for the
 * compressed version 2, in pay_store_impl.h. Varints keep a credit at about a dozen bytes: ids
 * and dates are deltas from the previous credit (credits come sorted by date), a share of 1.0,
 * a zero margin and the absent level and seller cost only a flag bit. Version 2 is the same
 * records squeezed by zstd (level 1): a manager's credits repeat (a roll-up and a team credit
 * of the same deal have the same amount and margin, amounts come from a price list), so a
 * run's credits take about a fifth of the bytes, and writing them is what a save waits for. */
#include <stdlib.h>
#include <string.h>
#include <zstd.h>

#include "plan/plan.h"
#include "store/pay_store.h"
#include "store/pay_store_impl.h"

enum {
    FLAG_KIND = 0x07,
    FLAG_LEVEL = 0x08,
    FLAG_FROM = 0x10,
    FLAG_SHARE = 0x20,
    FLAG_MARGIN = 0x40,
    FLAG_UNKNOWN = 0x80, /* version 1: never set */
    FLAG_REPEAT = 0x80,  /* version 2: the transaction, date, amount and margin of the credit
                            before (none of them follow; FLAG_MARGIN is 0) */
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
/* The fewest bytes one credit takes: a flag, the id and date deltas, the amount. */
#define CREDIT_MIN 4
/* A header: version, count (and, version 2, the records' size). */
#define HEADER_MAX (1 + 10 + 10)
/* The most bytes of records a version 2 blob may say it unpacks to (a damaged size must not
 * make the reader allocate without bound; SQLite keeps blobs under 1 GB, and no run's
 * credits compress a thousandfold). */
#define RECORDS_MAX (UINT64_C(1) << 40)

/* Differences of ids and days that do not fit int64 wrap; decoding wraps them back. */
static int64_t wrapping_sub(int64_t a, int64_t b)
{
    return (int64_t)((uint64_t)a - (uint64_t)b);
}

static int64_t wrapping_add(int64_t a, int64_t b)
{
    return (int64_t)((uint64_t)a + (uint64_t)b);
}

static bool grow_bytes(uint8_t **buf, size_t *cap, size_t need)
{
    if (*cap >= need)
        return true;
    uint8_t *p = realloc(*buf, need);
    if (!p)
        return false;
    *buf = p;
    *cap = need;
    return true;
}

/* Where a run of records left off: the previous credit's transaction, date, amount and
 * margin (any: there was one). */
typedef struct record_state {
    int64_t prev_tx, prev_day, prev_amount, prev_margin;
    bool any;
} record_state;

/* Writes one credit's record at p (kind already checked), going on from *state: the bytes
 * written (at most CREDIT_MAX). repeats: version 2 records, where a credit with the previous
 * one's transaction, date, amount and margin says so with FLAG_REPEAT instead. */
static inline size_t put_one(record_state *state, const at_store_credit *c, uint8_t *p,
                             bool repeats)
{
    size_t n = 0;
    uint8_t flags = c->kind;
    if (c->level)
        flags |= FLAG_LEVEL;
    if (c->from_person)
        flags |= FLAG_FROM;
    if (c->share != AT_RATE_SCALE)
        flags |= FLAG_SHARE;
    bool repeat = repeats && state->any && c->transaction == state->prev_tx &&
                  c->date == state->prev_day && c->amount == state->prev_amount &&
                  c->margin == state->prev_margin;
    if (repeat) {
        p[n++] = flags | FLAG_REPEAT;
    } else {
        if (c->margin)
            flags |= FLAG_MARGIN;
        p[n++] = flags;
        n += put_varint(p + n, zigzag(wrapping_sub(c->transaction, state->prev_tx)));
        n += put_varint(p + n, zigzag(wrapping_sub(c->date, state->prev_day)));
    }
    state->prev_tx = c->transaction;
    state->prev_day = c->date;
    state->prev_amount = c->amount;
    state->prev_margin = c->margin;
    state->any = true;
    if (c->level)
        p[n++] = c->level;
    if (c->from_person)
        n += put_varint(p + n, zigzag(c->from_person));
    if (c->share != AT_RATE_SCALE)
        n += put_varint(p + n, zigzag(c->share));
    if (!repeat) {
        n += put_varint(p + n, zigzag(c->amount));
        if (c->margin)
            n += put_varint(p + n, zigzag(c->margin));
    }
    return n;
}

static at_code bad_kind(size_t at, int64_t transaction, unsigned kind, at_error *err)
{
    return at_fail(err, AT_ERR_INVALID, NULL, NULL,
                   "credit %zu of transaction #%lld has kind %u, which is not a credit kind", at,
                   (long long)transaction, kind);
}

/* Writes the records of credits (no header) at p, going on from *state; *size is the bytes
 * written. p holds at least count * CREDIT_MAX bytes. first: how many credits of the blob came
 * before (for messages). */
static at_code put_records(record_state *state, const at_store_credit *credits, size_t count,
                           size_t first, bool repeats, uint8_t *p, size_t *size, at_error *err)
{
    size_t n = 0;
    for (size_t i = 0; i < count; i++) {
        const at_store_credit *c = &credits[i];
        if (c->kind >= AT_CREDIT_KIND_COUNT)
            return bad_kind(first + i, c->transaction, c->kind, err);
        n += put_one(state, c, p + n, repeats);
    }
    *size = n;
    return AT_OK;
}

static at_code too_many(size_t count, at_error *err)
{
    return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "too many credits to pack (%zu)", count);
}

static at_code out_of_memory(at_error *err)
{
    return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory packing credits");
}

at_code at_pay_credits_pack(const at_store_credit *credits, size_t count, uint8_t **buf,
                            size_t *cap, size_t *size, at_error *err)
{
    if (count > (SIZE_MAX - HEADER_MAX) / CREDIT_MAX)
        return too_many(count, err);
    if (!grow_bytes(buf, cap, HEADER_MAX + count * CREDIT_MAX))
        return out_of_memory(err);
    uint8_t *p = *buf;
    size_t n = 0, body = 0;
    p[n++] = AT_STORE_CREDITS_VERSION;
    n += put_varint(p + n, count);
    record_state state = {0};
    at_code rc = put_records(&state, credits, count, 0, false, p + n, &body, err);
    if (rc != AT_OK)
        return rc;
    *size = n + body;
    return AT_OK;
}

/* ---- version 2: the records, compressed --------------------------------------------------- */

static at_code expand_records(const uint8_t *records, size_t size, size_t count, uint8_t *out,
                              size_t *written, at_error *err);

void at_pay_packer_free(at_pay_packer *pk)
{
    if (!pk)
        return;
    ZSTD_freeCCtx(pk->zstd);
    free(pk->records);
    free(pk->out);
    memset(pk, 0, sizeof *pk);
}

void at_pay_packer_begin(at_pay_packer *pk)
{
    pk->count = 0;
    pk->records_size = 0;
    pk->prev_tx = pk->prev_day = pk->prev_amount = pk->prev_margin = 0;
    pk->any = false;
}

static record_state packer_state(const at_pay_packer *pk)
{
    return (record_state){pk->prev_tx, pk->prev_day, pk->prev_amount, pk->prev_margin, pk->any};
}

static void packer_keep(at_pay_packer *pk, const record_state *state)
{
    pk->prev_tx = state->prev_tx;
    pk->prev_day = state->prev_day;
    pk->prev_amount = state->prev_amount;
    pk->prev_margin = state->prev_margin;
    pk->any = state->any;
}

at_code at_pay_packer_add(at_pay_packer *pk, const at_store_credit *credits, size_t count,
                          at_error *err)
{
    if (count > (SIZE_MAX - HEADER_MAX) / CREDIT_MAX - pk->records_size / CREDIT_MAX - 1)
        return too_many(pk->count + count, err);
    size_t need = pk->records_size + count * CREDIT_MAX + 1;
    if (need > pk->records_cap) {
        size_t cap = pk->records_cap ? pk->records_cap : 4096;
        while (cap < need)
            cap = cap > SIZE_MAX / 2 ? need : 2 * cap;
        if (!grow_bytes(&pk->records, &pk->records_cap, cap))
            return out_of_memory(err);
    }
    record_state state = packer_state(pk);
    size_t n = 0;
    at_code rc = put_records(&state, credits, count, pk->count, true,
                             pk->records + pk->records_size, &n, err);
    if (rc != AT_OK)
        return rc;
    packer_keep(pk, &state);
    pk->records_size += n;
    pk->count += count;
    return AT_OK;
}

at_code at_pay_packer_add_columns(at_pay_packer *pk, const at_pay_credit_columns *cols,
                                  size_t from, size_t to, at_error *err)
{
    size_t count = to > from ? to - from : 0;
    if (count > (SIZE_MAX - HEADER_MAX) / CREDIT_MAX - pk->records_size / CREDIT_MAX - 1)
        return too_many(pk->count + count, err);
    size_t need = pk->records_size + count * CREDIT_MAX + 1;
    if (need > pk->records_cap) {
        size_t cap = pk->records_cap ? pk->records_cap : 4096;
        while (cap < need)
            cap = cap > SIZE_MAX / 2 ? need : 2 * cap;
        if (!grow_bytes(&pk->records, &pk->records_cap, cap))
            return out_of_memory(err);
    }
    record_state state = packer_state(pk);
    uint8_t *p = pk->records + pk->records_size;
    size_t n = 0;
    for (size_t k = from; k < to; k++) {
        int32_t t = cols->transaction[k], fp = cols->from_person ? cols->from_person[k] : -1;
        if (t < 0 || (size_t)t >= cols->transaction_count)
            return at_fail(err, AT_ERR_INTERNAL, NULL, NULL,
                           "a credit names transaction %d, which the input does not have", t);
        at_store_credit c = {
            .transaction = cols->transaction_ids ? cols->transaction_ids[t]
                                                 : cols->first_transaction_id + t,
            .kind = cols->kind[k],
            .level = cols->level ? cols->level[k] : 0,
            .from_person = fp >= 0 && (size_t)fp < cols->person_count ? cols->person_ids[fp] : 0,
            .share = cols->share ? cols->share[k] : AT_RATE_SCALE,
            .amount = cols->amount[k],
            .margin = cols->margin ? cols->margin[k] : 0,
            .date = cols->date[k],
        };
        if (c.kind >= AT_CREDIT_KIND_COUNT)
            return bad_kind(pk->count + (k - from), c.transaction, c.kind, err);
        n += put_one(&state, &c, p + n, true);
    }
    packer_keep(pk, &state);
    pk->records_size += n;
    pk->count += count;
    return AT_OK;
}

at_code at_pay_packer_finish(at_pay_packer *pk, const uint8_t **blob, size_t *size,
                             at_error *err)
{
    *blob = NULL;
    *size = 0;
    size_t records = pk->records_size, count = pk->count;
    size_t bound = ZSTD_compressBound(records);
    if (bound < records || bound > SIZE_MAX - 2 * HEADER_MAX)
        return too_many(count, err);
    /* room for a version 1 blob too: the records after a short header */
    size_t need = HEADER_MAX + (bound > records ? bound : records);
    if (!grow_bytes(&pk->out, &pk->out_cap, need))
        return out_of_memory(err);
    uint8_t *p = pk->out;
    size_t head = 0;
    p[head++] = AT_STORE_CREDITS_VERSION_ZSTD;
    head += put_varint(p + head, count);
    head += put_varint(p + head, records);
    size_t packed = 0;
    if (count >= AT_PAY_PACK_MIN_ZSTD) {
        if (!pk->zstd && !(pk->zstd = ZSTD_createCCtx()))
            return out_of_memory(err);
        packed = ZSTD_compressCCtx(pk->zstd, p + head, pk->out_cap - head, pk->records, records,
                                   AT_PAY_PACK_ZSTD_LEVEL);
        if (ZSTD_isError(packed))
            return at_fail(err, AT_ERR_INTERNAL, NULL, NULL, "compressing credits failed: %s",
                           ZSTD_getErrorName(packed));
    }
    uint8_t count_bytes[10];
    size_t plain_size = 1 + put_varint(count_bytes, count) + records;
    if (packed && head + packed < plain_size) {
        *size = head + packed;
    } else { /* too few credits, or they do not shrink: version 1 (repeats written out) */
        if (count > (SIZE_MAX - HEADER_MAX) / CREDIT_MAX ||
            !grow_bytes(&pk->out, &pk->out_cap, HEADER_MAX + count * CREDIT_MAX))
            return out_of_memory(err);
        p = pk->out;
        head = 0;
        p[head++] = AT_STORE_CREDITS_VERSION;
        head += put_varint(p + head, count);
        size_t body = 0;
        at_code rc = expand_records(pk->records, records, count, p + head, &body, err);
        if (rc != AT_OK)
            return rc;
        *size = head + body;
    }
    *blob = p;
    return AT_OK;
}

at_code at_pay_packer_pack(at_pay_packer *pk, const at_store_credit *credits, size_t count,
                           const uint8_t **blob, size_t *size, at_error *err)
{
    *blob = NULL;
    *size = 0;
    at_pay_packer_begin(pk);
    at_code rc = at_pay_packer_add(pk, credits, count, err);
    return rc == AT_OK ? at_pay_packer_finish(pk, blob, size, err) : rc;
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

at_code at_pay_credits_encode_compressed(const at_store_credit *credits, size_t count,
                                         uint8_t **blob, size_t *size, at_error *err)
{
    *blob = NULL;
    *size = 0;
    at_pay_packer pk = {0};
    const uint8_t *p = NULL;
    size_t n = 0;
    at_code rc = at_pay_packer_pack(&pk, credits, count, &p, &n, err);
    if (rc == AT_OK) {
        *blob = malloc(n ? n : 1);
        if (*blob) {
            memcpy(*blob, p, n);
            *size = n;
        } else {
            rc = out_of_memory(err);
        }
    }
    at_pay_packer_free(&pk);
    return rc;
}

/* ---- unpacking ------------------------------------------------------------------------------ */

static at_code damaged(size_t at, const char *what, at_error *err)
{
    return at_fail(err, AT_ERR_STORE, "calc_credits",
                   "run `attain db check`; calculate the period again to replace the run",
                   "a credits blob is damaged at byte %zu: %s", at, what);
}

static at_code damaged_unpacked(size_t at, const char *what, at_error *err)
{
    return at_fail(err, AT_ERR_STORE, "calc_credits",
                   "run `attain db check`; calculate the period again to replace the run",
                   "a compressed credits blob is damaged at byte %zu of its unpacked credits: %s",
                   at, what);
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

/* Reads n records from r (which ends where they must end) into out; repeats: version 2 records
 * (FLAG_REPEAT). Byte positions in the messages are r's, plus base (where the records start in
 * the blob: version 1), or say that they are in the unpacked records (version 2, base
 * SIZE_MAX). */
static at_code get_records(reader *r, size_t n, at_store_credit *out, size_t base, bool repeats,
                           at_error *err)
{
#define DAMAGED(at, what)                                                                         \
    (base == SIZE_MAX ? damaged_unpacked((at), (what), err) : damaged((at) + base, (what), err))
    int64_t prev_tx = 0, prev_day = 0;
    for (size_t i = 0; i < n; i++) {
        at_store_credit *c = &out[i];
        if (r->at >= r->size)
            return DAMAGED(r->at, "it ends before its last credit");
        size_t start = r->at;
        uint8_t flags = r->p[r->at++];
        bool repeat = repeats && (flags & FLAG_REPEAT);
        if ((!repeats && (flags & FLAG_UNKNOWN)) || (flags & FLAG_KIND) >= AT_CREDIT_KIND_COUNT ||
            (repeat && (flags & FLAG_MARGIN)))
            return DAMAGED(start, "a credit's flags are not valid");
        int64_t v;
        c->kind = flags & FLAG_KIND;
        if (repeat) {
            if (i == 0)
                return DAMAGED(start, "the first credit repeats one before it");
            c->transaction = out[i - 1].transaction;
            c->date = out[i - 1].date;
        } else {
            int64_t dtx, dday;
            if (!get_svarint(r, &dtx) || !get_svarint(r, &dday))
                return DAMAGED(r->at, "a credit is cut short");
            c->transaction = wrapping_add(prev_tx, dtx);
            int64_t day = wrapping_add(prev_day, dday);
            if (day < AT_DAY_MIN || day > AT_DAY_MAX)
                return DAMAGED(start, "a credit's date is out of range");
            c->date = (at_day)day;
        }
        prev_tx = c->transaction;
        prev_day = c->date;
        if (flags & FLAG_LEVEL) {
            if (r->at >= r->size)
                return DAMAGED(r->at, "a credit is cut short");
            c->level = r->p[r->at++];
        }
        if (flags & FLAG_FROM) {
            if (!get_svarint(r, &v))
                return DAMAGED(r->at, "a credit is cut short");
            c->from_person = v;
        }
        c->share = AT_RATE_SCALE;
        if ((flags & FLAG_SHARE) && !get_svarint(r, &c->share))
            return DAMAGED(r->at, "a credit is cut short");
        if (repeat) {
            c->amount = out[i - 1].amount;
            c->margin = out[i - 1].margin;
        } else {
            if (!get_svarint(r, &c->amount))
                return DAMAGED(r->at, "a credit is cut short");
            if ((flags & FLAG_MARGIN) && !get_svarint(r, &c->margin))
                return DAMAGED(r->at, "a credit is cut short");
        }
    }
    if (r->at != r->size)
        return DAMAGED(r->at, "there are bytes after the last credit");
    return AT_OK;
#undef DAMAGED
}

/* Rewrites count version 2 records (this packer's) as version 1 records at out (room for
 * count * CREDIT_MAX bytes): only for blobs kept in version 1, which are few credits or ones
 * that do not compress. */
static at_code expand_records(const uint8_t *records, size_t size, size_t count, uint8_t *out,
                              size_t *written, at_error *err)
{
    at_store_credit *c = calloc(count ? count : 1, sizeof *c);
    if (!c)
        return out_of_memory(err);
    reader r = {records, size, 0};
    at_code rc = get_records(&r, count, c, SIZE_MAX, true, err);
    record_state state = {0};
    if (rc == AT_OK)
        rc = put_records(&state, c, count, 0, false, out, written, err);
    free(c);
    return rc;
}

at_code at_store_credits_decode(const uint8_t *blob, size_t size, at_arena *arena,
                                at_store_credit **credits, size_t *count, at_error *err)
{
    *credits = NULL;
    *count = 0;
    reader r = {blob, size, 0};
    if (!blob || size < 2)
        return damaged(0, "it is shorter than its header", err);
    uint8_t version = blob[0];
    if (version != AT_STORE_CREDITS_VERSION && version != AT_STORE_CREDITS_VERSION_ZSTD)
        return damaged(0, version > AT_STORE_CREDITS_VERSION_ZSTD
                              ? "it was written by a newer attain (unknown version)"
                              : "it has no valid version",
                       err);
    r.at = 1;
    uint64_t n;
    if (!get_varint(&r, &n))
        return damaged(r.at, "the count is cut short", err);
    uint64_t records = 0;
    if (version == AT_STORE_CREDITS_VERSION_ZSTD) {
        size_t at = r.at;
        if (!get_varint(&r, &records))
            return damaged(r.at, "the size of its credits is cut short", err);
        if (records > RECORDS_MAX || n > records / CREDIT_MIN ||
            records > n * CREDIT_MAX)
            return damaged(at, "the size of its credits does not fit their count", err);
    } else if (n > (size - r.at) / CREDIT_MIN) {
        /* every credit takes at least 4 bytes: a cheap bound before allocating */
        return damaged(1, "the count is larger than the blob can hold", err);
    }
    at_store_credit *out = at_arena_calloc(arena, n ? (size_t)n : 1, sizeof *out);
    if (!out)
        return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory reading credits");
    at_code rc;
    if (version == AT_STORE_CREDITS_VERSION) {
        rc = get_records(&r, (size_t)n, out, 0, false, err);
    } else {
        size_t at = r.at;
        unsigned long long content = ZSTD_getFrameContentSize(blob + at, size - at);
        if (content != records)
            return damaged(at, "its compressed credits are not a zstd frame of the size given",
                           err);
        uint8_t *plain = malloc(records ? (size_t)records : 1);
        if (!plain)
            return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory reading credits");
        size_t got = ZSTD_decompress(plain, (size_t)records, blob + at, size - at);
        if (ZSTD_isError(got) || got != records) {
            free(plain);
            return damaged(at, "its compressed credits do not unpack", err);
        }
        reader u = {plain, (size_t)records, 0};
        rc = get_records(&u, (size_t)n, out, SIZE_MAX, true, err);
        free(plain);
    }
    if (rc != AT_OK)
        return rc;
    *credits = out;
    *count = (size_t)n;
    return AT_OK;
}
