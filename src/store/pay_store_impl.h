/* pay_store_impl.h - inside the pay store (pay_store_*.c): what its files share. The pay store
 * is written for the SQLite backend (sqlite_impl.h); a PostgreSQL backend brings its own. */
#ifndef ATTAIN_STORE_PAY_STORE_IMPL_H
#define ATTAIN_STORE_PAY_STORE_IMPL_H

#include "store/pay_store.h"
#include "store/sqlite_impl.h"

/* AT_OK when the store is a SQLite store (and, for a write, not opened read-only). */
static inline at_code at_pay_store_check(at_store *store, bool write, at_error *err)
{
    if (!store || store->ops != &at_sqlite_ops)
        return at_fail(err, AT_ERR_STORE, store ? store->path : NULL,
                       "use a SQLite database (--db FILE)",
                       "this store keeps no pay data (only SQLite stores do so far)");
    if (write && store->read_only)
        return at_fail(err, AT_ERR_INTERNAL, store->path, NULL,
                       "cannot write pay data: the database was opened read-only");
    return AT_OK;
}

/* Packs credits (layout in pay_store.h, version 1) into *buf, grown with realloc when *cap is
 * too small; *size is the bytes written. */
at_code at_pay_credits_pack(const at_store_credit *credits, size_t count, uint8_t **buf,
                            size_t *cap, size_t *size, at_error *err);

/* Credits, packed, version 2: records much as version 1's, compressed with zstd.
 *   u8       version (2)
 *   varint   count
 *   varint   the size of the records in bytes, unpacked
 *   ...      one zstd frame (its header says the same size) of count records laid out as in
 *            version 1 (pay_store.h "credits, packed") but for flag bit 7, "repeat": the credit
 *            has the transaction, date, amount and margin of the credit before it (a roll-up
 *            and a team credit of one deal, say), so only the flags, [level], [from_person]
 *            and [share] follow, and the margin bit is 0. The first credit never repeats.
 * at_store_credits_decode reads both versions. A run saves version 2 unless the credits are
 * fewer than AT_PAY_PACK_MIN_ZSTD or do not shrink, then version 1. */
#define AT_STORE_CREDITS_VERSION_ZSTD 2
#define AT_PAY_PACK_MIN_ZSTD 8
#define AT_PAY_PACK_ZSTD_LEVEL 1

/* What one thread reuses from blob to blob: the compression context and two buffers. Start
 * zeroed; free with at_pay_packer_free. */
typedef struct at_pay_packer {
    struct ZSTD_CCtx_s *zstd;
    uint8_t *records, *out;
    size_t records_cap, out_cap;
    size_t records_size, count;   /* the blob being packed */
    int64_t prev_tx, prev_day, prev_amount, prev_margin; /* its last credit (any: one) */
    bool any;
} at_pay_packer;

/* One blob in pieces: begin, add the credits in order (as many calls as wanted), finish:
 * *blob (version 2, or 1 as above) lives in the packer until the next begin. add fails with
 * AT_ERR_INVALID for a kind >= AT_CREDIT_KIND_COUNT. */
void at_pay_packer_begin(at_pay_packer *packer);
at_code at_pay_packer_add(at_pay_packer *packer, const at_store_credit *credits, size_t count,
                          at_error *err);
at_code at_pay_packer_finish(at_pay_packer *packer, const uint8_t **blob, size_t *size,
                             at_error *err);

/* A run's credit columns (at_calc_credits) and the internal ids their dense indexes stand
 * for: what a save packs without copying every credit into an at_store_credit first. */
typedef struct at_pay_credit_columns {
    const int32_t *transaction;   /* dense transaction indexes */
    const uint8_t *kind, *level;  /* level may be NULL (0) */
    const int32_t *from_person;   /* may be NULL (none) */
    const at_rate *share;         /* may be NULL (1.0) */
    const at_money *amount, *margin; /* margin may be NULL (0) */
    const at_day *date;
    const int64_t *transaction_ids, *person_ids; /* transaction_ids NULL: the ids are dense, */
    int64_t first_transaction_id;                /* index t stands for first + t */
    size_t transaction_count, person_count;
} at_pay_credit_columns;

/* As at_pay_packer_add for the credits [from, to) of the columns. AT_ERR_INTERNAL for a
 * transaction index outside the input; a from_person outside it packs as none. */
at_code at_pay_packer_add_columns(at_pay_packer *packer, const at_pay_credit_columns *columns,
                                  size_t from, size_t to, at_error *err);
/* begin, add, finish in one. */
at_code at_pay_packer_pack(at_pay_packer *packer, const at_store_credit *credits, size_t count,
                           const uint8_t **blob, size_t *size, at_error *err);
void at_pay_packer_free(at_pay_packer *packer);

/* As at_store_credits_encode, in the version a run saves (*blob malloc'ed). */
at_code at_pay_credits_encode_compressed(const at_store_credit *credits, size_t count,
                                         uint8_t **blob, size_t *size, at_error *err);

/* What the loader reads (pay_store_load.c): at_store_calc_load's request, or (run_read) the
 * transactions with these internal ids instead of a date range. */
typedef struct at_pay_load_request {
    at_day from, to;                 /* the days: transactions (unless by id), activities,
                                        the calendar's years */
    const at_store_calc_load_options *options; /* may be NULL */
    const int64_t *transaction_ids;  /* when by_id: exactly these (sorted, unique) and their
                                        originals */
    size_t transaction_id_count;
    bool by_id;
} at_pay_load_request;

at_code at_pay_load(at_store *store, const at_pay_load_request *request, at_arena *arena,
                    at_calc_input *input, at_store_calc_data *data, at_error *err);

/* The run's status, months and payees; AT_ERR_NOT_FOUND when there is no such run. */
at_code at_pay_run_status(at_store *store, int64_t run_id, char status[16], at_error *err);
/* The run's status and actor (copied); AT_ERR_NOT_FOUND when there is no such run. */
at_code at_pay_run_get(at_store *s, int64_t run_id, char status[16], char actor[128],
                       at_error *err);

/* The names of the line kinds as calc_lines stores them (at_line_kind order). */
extern const char *const at_pay_line_kinds[5];

/* Opens a read transaction (a consistent snapshot) unless a transaction is open already;
 * *opened says whether one was opened (end it with at_pay_read_end). */
at_code at_pay_read_begin(at_store *store, bool *opened, at_error *err);
void at_pay_read_end(at_store *store, bool opened);

#endif
