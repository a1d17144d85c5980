/* test_pay_store_credits_zstd.c - credits packed as a run saves them (pay_store_impl.h,
 * version 2: the version 1 records compressed with zstd): the header worked out by hand, round
 * trips of edge values (negative amounts, INT64 extremes, dates far apart), the cases kept in
 * version 1 (no credit, one credit, credits that do not shrink), packing in pieces and from a
 * run's columns, a version 1
 * blob written by hand still read, and every way a damaged version 2 blob is refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "plan/plan.h"
#include "store/pay_store.h"
#include "store/pay_store_impl.h"

/* flag bit 7 of a version 2 record: repeat (pay_store_impl.h) */
#define FLAG_REPEAT_BIT 0x80

static void same(const at_store_credit *a, const at_store_credit *b)
{
    assert_int_equal(a->transaction, b->transaction);
    assert_int_equal(a->kind, b->kind);
    assert_int_equal(a->level, b->level);
    assert_int_equal(a->from_person, b->from_person);
    assert_int_equal(a->share, b->share);
    assert_int_equal(a->amount, b->amount);
    assert_int_equal(a->margin, b->margin);
    assert_int_equal(a->date, b->date);
}

/* Decodes blob and compares with want[0..count). */
static void reads_back(const uint8_t *blob, size_t size, const at_store_credit *want,
                       size_t count)
{
    at_arena arena;
    at_arena_init(&arena, 0);
    at_store_credit *out = NULL;
    size_t n = 0;
    at_error err;
    assert_int_equal(at_store_credits_decode(blob, size, &arena, &out, &n, &err), AT_OK);
    assert_int_equal(n, count);
    for (size_t i = 0; i < count; i++)
        same(&out[i], &want[i]);
    at_arena_free(&arena);
}

/* 100 owner credits of transactions 1..100, amount 1.0000, day 20000. Records: the first is
 * flags 00, tx +1 -> 02, day 20000 -> c0 b8 02, amount 10000 -> a0 9c 01: 8 bytes; the other
 * 99 are 00 02 00 a0 9c 01: 6 bytes. 8 + 594 = 602 -> varint da 04. */
static at_store_credit *hundred(void)
{
    at_store_credit *c = calloc(100, sizeof *c);
    assert_non_null(c);
    for (size_t i = 0; i < 100; i++)
        c[i] = (at_store_credit){.transaction = (int64_t)i + 1, .kind = AT_CREDIT_OWNER,
                                 .share = AT_RATE_SCALE, .amount = 10000, .date = 20000};
    return c;
}

static void header_is_as_documented(void **state)
{
    (void)state;
    at_store_credit *c = hundred();
    uint8_t *blob = NULL;
    size_t size = 0;
    at_error err;
    assert_int_equal(at_pay_credits_encode_compressed(c, 100, &blob, &size, &err), AT_OK);
    /* version 2, count 100, 602 bytes of records, then the zstd frame's magic 28 b5 2f fd */
    const uint8_t head[] = {0x02, 0x64, 0xda, 0x04, 0x28, 0xb5, 0x2f, 0xfd};
    assert_true(size > sizeof head);
    assert_memory_equal(blob, head, sizeof head);
    /* the repeated records shrink well below the 604 bytes of version 1 */
    assert_true(size < 100);
    reads_back(blob, size, c, 100);
    free(blob);
    free(c);
}

static void edge_values_round_trip(void **state)
{
    (void)state;
    enum { N = 64 };
    const at_store_credit edges[] = {
        {.transaction = INT64_MAX, .kind = AT_CREDIT_TERRITORY, .level = 255,
         .from_person = INT64_MIN, .share = INT64_MIN, .amount = INT64_MAX,
         .margin = INT64_MIN, .date = AT_DAY_MAX},
        {.transaction = 1, .kind = AT_CREDIT_SPLIT, .share = 0, .amount = INT64_MIN,
         .margin = INT64_MAX, .date = AT_DAY_MIN},
        {.transaction = INT64_MIN, .kind = AT_CREDIT_SDR, .share = 1000000001, .amount = 0,
         .date = 0},
        {.transaction = -1, .kind = AT_CREDIT_MANAGER, .share = -1, .amount = -1, .date = -1},
        {.transaction = 7, .kind = AT_CREDIT_ROLLUP, .level = 1, .from_person = 3,
         .share = AT_RATE_SCALE, .amount = -123456789, .margin = -5, .date = AT_DAY_MAX},
    };
    at_store_credit c[N];
    for (size_t i = 0; i < N; i++)
        c[i] = edges[i % (sizeof edges / sizeof edges[0])];
    uint8_t *blob = NULL;
    size_t size = 0;
    at_error err;
    assert_int_equal(at_pay_credits_encode_compressed(c, N, &blob, &size, &err), AT_OK);
    assert_int_equal(blob[0], 2);
    reads_back(blob, size, c, N);
    free(blob);
}

static void few_credits_stay_version_1(void **state)
{
    (void)state;
    at_error err;
    uint8_t *blob = NULL, *plain = NULL;
    size_t size = 0, plain_size = 0;
    /* no credit: version 1, count 0 */
    assert_int_equal(at_pay_credits_encode_compressed(NULL, 0, &blob, &size, &err), AT_OK);
    assert_int_equal(size, 2);
    assert_int_equal(blob[0], 1);
    assert_int_equal(blob[1], 0);
    reads_back(blob, size, NULL, 0);
    free(blob);
    /* one credit (and up to 7): exactly what at_store_credits_encode writes */
    at_store_credit *c = hundred();
    for (size_t n = 1; n < AT_PAY_PACK_MIN_ZSTD; n++) {
        assert_int_equal(at_pay_credits_encode_compressed(c, n, &blob, &size, &err), AT_OK);
        assert_int_equal(at_store_credits_encode(c, n, &plain, &plain_size, &err), AT_OK);
        assert_int_equal(size, plain_size);
        assert_memory_equal(blob, plain, size);
        assert_int_equal(blob[0], 1);
        reads_back(blob, size, c, n);
        free(blob);
        free(plain);
    }
    free(c);
}

static void credits_that_do_not_shrink_stay_version_1(void **state)
{
    (void)state;
    enum { N = 8 };
    at_store_credit c[N];
    uint64_t x = 0x9E3779B97F4A7C15u;
    for (size_t i = 0; i < N; i++) { /* random 64-bit values: nothing to squeeze */
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        c[i] = (at_store_credit){.transaction = (int64_t)x, .kind = AT_CREDIT_OWNER,
                                 .share = (int64_t)(x * 3), .amount = (int64_t)(x * 5),
                                 .margin = (int64_t)(x * 7), .from_person = (int64_t)(x * 11),
                                 .date = 20000};
    }
    uint8_t *blob = NULL;
    size_t size = 0;
    at_error err;
    assert_int_equal(at_pay_credits_encode_compressed(c, N, &blob, &size, &err), AT_OK);
    assert_int_equal(blob[0], 1);
    reads_back(blob, size, c, N);
    free(blob);
}

static void packing_in_pieces_is_the_same(void **state)
{
    (void)state;
    enum { N = 10000 };
    at_store_credit *c = calloc(N, sizeof *c);
    assert_non_null(c);
    uint64_t x = 88172645463325252u;
    for (size_t i = 0; i < N; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        c[i] = (at_store_credit){.transaction = (int64_t)(i * 3 + x % 5),
                                 .kind = (uint8_t)(x % AT_CREDIT_KIND_COUNT),
                                 .level = (uint8_t)(x % 3), .from_person = (int64_t)(x % 40),
                                 .share = x % 4 ? AT_RATE_SCALE : 250000000,
                                 .amount = (int64_t)(x % 2000) * 100 - 50000,
                                 .margin = (int64_t)(x % 7) * 100,
                                 .date = (at_day)(20000 + i / 300)};
    }
    at_error err;
    uint8_t *whole = NULL;
    size_t whole_size = 0;
    assert_int_equal(at_pay_credits_encode_compressed(c, N, &whole, &whole_size, &err), AT_OK);
    assert_int_equal(whole[0], 2);
    at_pay_packer pk = {0};
    for (int round = 0; round < 2; round++) { /* the packer is reused from blob to blob */
        at_pay_packer_begin(&pk);
        for (size_t i = 0; i < N; i += 777) {
            size_t n = N - i < 777 ? N - i : 777;
            assert_int_equal(at_pay_packer_add(&pk, c + i, n, &err), AT_OK);
        }
        const uint8_t *blob = NULL;
        size_t size = 0;
        assert_int_equal(at_pay_packer_finish(&pk, &blob, &size, &err), AT_OK);
        assert_int_equal(size, whole_size);
        assert_memory_equal(blob, whole, size);
    }
    reads_back(whole, whole_size, c, N);
    /* a bad kind in a later piece names its place in the blob */
    at_pay_packer_begin(&pk);
    assert_int_equal(at_pay_packer_add(&pk, c, 5, &err), AT_OK);
    at_store_credit bad = {.transaction = 9, .kind = AT_CREDIT_KIND_COUNT};
    assert_int_equal(at_pay_packer_add(&pk, &bad, 1, &err), AT_ERR_INVALID);
    assert_string_equal(err.message,
                        "credit 5 of transaction #9 has kind 7, which is not a credit kind");
    at_pay_packer_free(&pk);
    at_pay_packer_free(&pk); /* freeing twice is harmless */
    free(whole);
    free(c);
}

/* Packing from a run's columns (dense indexes and the ids they stand for) makes the same blob
 * as packing the credits; an index outside the input is refused. */
static void packing_columns_is_the_same(void **state)
{
    (void)state;
    enum { N = 20 };
    const int64_t tx_ids[] = {101, 205, 999, INT64_MAX};
    const int64_t person_ids[] = {7, 8, 9};
    int32_t transaction[N], from_person[N];
    uint8_t kind[N], level[N];
    at_rate share[N];
    at_money amount[N], margin[N];
    at_day date[N];
    at_store_credit want[N];
    for (int i = 0; i < N; i++) {
        transaction[i] = i % 4;
        from_person[i] = i % 5 - 1; /* -1 (none), 0, 1, 2, 3 (outside: none) */
        kind[i] = (uint8_t)(i % AT_CREDIT_KIND_COUNT);
        level[i] = (uint8_t)(i % 3);
        share[i] = i % 2 ? AT_RATE_SCALE : 300000000;
        amount[i] = (i - 10) * 12345;
        margin[i] = i % 3 ? 0 : -i;
        date[i] = 20000 + i / 4;
        want[i] = (at_store_credit){.transaction = tx_ids[i % 4], .kind = kind[i],
                                    .level = level[i],
                                    .from_person = from_person[i] >= 0 && from_person[i] < 3
                                                       ? person_ids[from_person[i]]
                                                       : 0,
                                    .share = share[i], .amount = amount[i], .margin = margin[i],
                                    .date = date[i]};
    }
    at_pay_credit_columns cols = {.transaction = transaction, .kind = kind, .level = level,
                                  .from_person = from_person, .share = share, .amount = amount,
                                  .margin = margin, .date = date, .transaction_ids = tx_ids,
                                  .person_ids = person_ids, .transaction_count = 4,
                                  .person_count = 3};
    at_error err;
    uint8_t *whole = NULL;
    size_t whole_size = 0;
    assert_int_equal(at_pay_credits_encode_compressed(want, N, &whole, &whole_size, &err), AT_OK);
    at_pay_packer pk = {0};
    at_pay_packer_begin(&pk);
    assert_int_equal(at_pay_packer_add_columns(&pk, &cols, 0, 7, &err), AT_OK);
    assert_int_equal(at_pay_packer_add_columns(&pk, &cols, 7, N, &err), AT_OK);
    const uint8_t *blob = NULL;
    size_t size = 0;
    assert_int_equal(at_pay_packer_finish(&pk, &blob, &size, &err), AT_OK);
    assert_int_equal(size, whole_size);
    assert_memory_equal(blob, whole, size);
    reads_back(blob, size, want, N);
    /* the optional columns left out: level 0, no seller, share 1.0, margin 0 */
    at_pay_credit_columns bare = cols;
    bare.level = NULL;
    bare.from_person = NULL;
    bare.share = NULL;
    bare.margin = NULL;
    at_pay_packer_begin(&pk);
    assert_int_equal(at_pay_packer_add_columns(&pk, &bare, 0, 2, &err), AT_OK);
    assert_int_equal(at_pay_packer_finish(&pk, &blob, &size, &err), AT_OK);
    const at_store_credit two[] = {
        {.transaction = 101, .kind = kind[0], .share = AT_RATE_SCALE, .amount = amount[0],
         .date = date[0]},
        {.transaction = 205, .kind = kind[1], .share = AT_RATE_SCALE, .amount = amount[1],
         .date = date[1]},
    };
    reads_back(blob, size, two, 2);
    /* dense ids: index t stands for first + t */
    const int64_t dense_ids[] = {100, 101, 102, 103};
    at_pay_credit_columns by_index = cols;
    by_index.transaction_ids = dense_ids;
    uint8_t *listed = NULL;
    size_t listed_size = 0;
    at_pay_packer_begin(&pk);
    assert_int_equal(at_pay_packer_add_columns(&pk, &by_index, 0, N, &err), AT_OK);
    assert_int_equal(at_pay_packer_finish(&pk, &blob, &size, &err), AT_OK);
    listed = malloc(size);
    assert_non_null(listed);
    memcpy(listed, blob, size);
    listed_size = size;
    by_index.transaction_ids = NULL;
    by_index.first_transaction_id = 100;
    at_pay_packer_begin(&pk);
    assert_int_equal(at_pay_packer_add_columns(&pk, &by_index, 0, N, &err), AT_OK);
    assert_int_equal(at_pay_packer_finish(&pk, &blob, &size, &err), AT_OK);
    assert_int_equal(size, listed_size);
    assert_memory_equal(blob, listed, size);
    free(listed);
    /* a transaction index the input does not have; a kind that is none */
    transaction[3] = 4;
    at_pay_packer_begin(&pk);
    assert_int_equal(at_pay_packer_add_columns(&pk, &cols, 0, N, &err), AT_ERR_INTERNAL);
    assert_string_equal(err.message,
                        "a credit names transaction 4, which the input does not have");
    transaction[3] = 3;
    kind[2] = AT_CREDIT_KIND_COUNT;
    at_pay_packer_begin(&pk);
    assert_int_equal(at_pay_packer_add_columns(&pk, &cols, 0, N, &err), AT_ERR_INVALID);
    assert_string_equal(err.message,
                        "credit 2 of transaction #999 has kind 7, which is not a credit kind");
    at_pay_packer_free(&pk);
    free(whole);
}

/* A version 1 blob as the runs before version 2 wrote it (worked out in
 * test_pay_store_credits.c): still read. */
static void a_version_1_blob_still_reads(void **state)
{
    (void)state;
    const uint8_t old[] = {0x01, 0x02, 0x00, 0x0a, 0xc0, 0xb8, 0x02, 0xa0, 0x9c, 0x01, 0x7d, 0x03,
                           0x00, 0x02, 0x0e, 0x80, 0x94, 0xeb, 0xdc, 0x03, 0x87, 0x27, 0x02};
    const at_store_credit want[] = {
        {.transaction = 5, .kind = AT_CREDIT_OWNER, .share = 1000000000, .amount = 10000,
         .date = 20000},
        {.transaction = 3, .kind = AT_CREDIT_ROLLUP, .level = 2, .from_person = 7,
         .share = 500000000, .amount = -2500, .margin = 1, .date = 20000},
    };
    reads_back(old, sizeof old, want, 2);
}

static void expect_damaged(const uint8_t *blob, size_t size, const char *message)
{
    at_arena arena;
    at_arena_init(&arena, 0);
    at_store_credit *out = (at_store_credit *)1;
    size_t n = 7;
    at_error err;
    assert_int_equal(at_store_credits_decode(blob, size, &arena, &out, &n, &err), AT_ERR_STORE);
    assert_string_equal(err.message, message);
    assert_null(out);
    assert_int_equal(n, 0);
    at_arena_free(&arena);
}

static void damaged_version_2_blobs_are_refused(void **state)
{
    (void)state;
    at_store_credit *c = hundred();
    uint8_t *blob = NULL;
    size_t size = 0;
    at_error err;
    assert_int_equal(at_pay_credits_encode_compressed(c, 100, &blob, &size, &err), AT_OK);
    free(c);
    uint8_t *copy = malloc(size + 1);
    assert_non_null(copy);

    expect_damaged((const uint8_t[]){2, 100}, 2,
                   "a credits blob is damaged at byte 2: the size of its credits is cut short");
    /* 100 credits cannot be 3 bytes, nor 100000 bytes */
    expect_damaged((const uint8_t[]){2, 100, 3, 0}, 4,
                   "a credits blob is damaged at byte 2: the size of its credits does not fit "
                   "their count");
    expect_damaged((const uint8_t[]){2, 100, 0xa0, 0x8d, 0x06, 0}, 6,
                   "a credits blob is damaged at byte 2: the size of its credits does not fit "
                   "their count");
    /* the frame cut short: its end is missing */
    expect_damaged(blob, size - 1,
                   "a credits blob is damaged at byte 4: its compressed credits do not unpack");
    /* a byte after the frame */
    memcpy(copy, blob, size);
    copy[size] = 0;
    expect_damaged(copy, size + 1,
                   "a credits blob is damaged at byte 4: its compressed credits do not unpack");
    /* the header says 603 bytes of records, the frame holds 602 */
    memcpy(copy, blob, size);
    copy[2] = 0xdb;
    expect_damaged(copy, size,
                   "a credits blob is damaged at byte 4: its compressed credits are not a zstd "
                   "frame of the size given");
    /* not a zstd frame at all */
    memcpy(copy, blob, size);
    copy[4] = 0;
    expect_damaged(copy, size,
                   "a credits blob is damaged at byte 4: its compressed credits are not a zstd "
                   "frame of the size given");
    free(copy);
    free(blob);

    /* frames that unpack to bad records: the place is in the unpacked records */
    struct {
        size_t at;
        uint8_t flags;
        const char *message;
    } bad[] = {
        {8, 0x07, "a compressed credits blob is damaged at byte 8 of its unpacked credits: a "
                  "credit's flags are not valid"},
        {8, FLAG_REPEAT_BIT | 0x40, "a compressed credits blob is damaged at byte 8 of its "
                                    "unpacked credits: a credit's flags are not valid"},
        {0, FLAG_REPEAT_BIT, "a compressed credits blob is damaged at byte 0 of its unpacked "
                             "credits: the first credit repeats one before it"},
    };
    c = hundred();
    at_pay_packer pk = {0};
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        const uint8_t *p = NULL;
        assert_int_equal(at_pay_packer_pack(&pk, c, 100, &p, &size, &err), AT_OK);
        assert_int_equal(p[0], 2);
        /* edit the unpacked records (record 1 starts at byte 8), compress them again */
        pk.records[bad[k].at] = bad[k].flags;
        size_t records = pk.records_size;
        at_pay_packer_begin(&pk);
        pk.records_size = records;
        pk.count = 100;
        assert_int_equal(at_pay_packer_finish(&pk, &p, &size, &err), AT_OK);
        assert_int_equal(p[0], 2);
        expect_damaged(p, size, bad[k].message);
    }
    at_pay_packer_free(&pk);
    free(c);
}

/* Credits of one deal that differ only in kind, level, seller or share are written once and
 * repeated. 50 deals (transactions 1..50, amount 1.0000, day 20000), each an owner credit and a
 * roll-up at level 1 from person 7. Records: the first owner credit 8 bytes (as in
 * header_is_as_documented), each other owner credit 6 (00 02 00 a0 9c 01), each roll-up 3
 * (flags 0x80 | 0x10 | 0x08 | 5 = 0x9d, level 01, from 7 -> 0e): 8 + 3 + 49 * 9 = 452 -> c4 03. */
static void repeats_are_written_once(void **state)
{
    (void)state;
    at_store_credit c[100];
    for (size_t i = 0; i < 100; i++)
        c[i] = i % 2 ? (at_store_credit){.transaction = (int64_t)i / 2 + 1,
                                         .kind = AT_CREDIT_ROLLUP, .level = 1, .from_person = 7,
                                         .share = AT_RATE_SCALE, .amount = 10000, .date = 20000}
                     : (at_store_credit){.transaction = (int64_t)i / 2 + 1,
                                         .kind = AT_CREDIT_OWNER, .share = AT_RATE_SCALE,
                                         .amount = 10000, .date = 20000};
    at_pay_packer pk = {0};
    const uint8_t *p = NULL;
    size_t size = 0;
    at_error err;
    assert_int_equal(at_pay_packer_pack(&pk, c, 100, &p, &size, &err), AT_OK);
    assert_int_equal(pk.records_size, 452);
    const uint8_t second[] = {0x9d, 0x01, 0x0e, 0x00, 0x02, 0x00, 0xa0, 0x9c, 0x01};
    assert_memory_equal(pk.records + 8, second, sizeof second);
    const uint8_t head[] = {0x02, 0x64, 0xc4, 0x03};
    assert_memory_equal(p, head, sizeof head);
    reads_back(p, size, c, 100);
    /* a repeat with its own share, and a margin */
    c[1].share = 250000000;
    c[2].margin = -300;
    c[3].margin = -300;
    assert_int_equal(at_pay_packer_pack(&pk, c, 100, &p, &size, &err), AT_OK);
    assert_int_equal(p[0], 2);
    reads_back(p, size, c, 100);
    /* kept in version 1 (too few to compress), the repeats are written out in full: the bytes
       at_store_credits_encode writes */
    uint8_t *plain = NULL;
    size_t plain_size = 0;
    assert_int_equal(at_pay_packer_pack(&pk, c, 4, &p, &size, &err), AT_OK);
    assert_int_equal(at_store_credits_encode(c, 4, &plain, &plain_size, &err), AT_OK);
    assert_int_equal(size, plain_size);
    assert_memory_equal(p, plain, size);
    reads_back(p, size, c, 4);
    free(plain);
    at_pay_packer_free(&pk);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(header_is_as_documented),
        cmocka_unit_test(edge_values_round_trip),
        cmocka_unit_test(few_credits_stay_version_1),
        cmocka_unit_test(credits_that_do_not_shrink_stay_version_1),
        cmocka_unit_test(packing_in_pieces_is_the_same),
        cmocka_unit_test(packing_columns_is_the_same),
        cmocka_unit_test(a_version_1_blob_still_reads),
        cmocka_unit_test(damaged_version_2_blobs_are_refused),
        cmocka_unit_test(repeats_are_written_once),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
