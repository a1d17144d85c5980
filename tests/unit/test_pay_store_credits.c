/* test_pay_store_credits.c - the packed credits BLOB (pay_store.h "credits, packed"): the exact
 * bytes of a small blob worked out by hand from the documented layout, round trips of plain
 * and extreme values, and every way a damaged blob is refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "plan/plan.h"
#include "store/pay_store.h"

/* Credit 1: transaction 5, owner, share 1.0, amount 1.0000, no margin, day 20000:
 *   flags 0x00; tx delta +5 -> zigzag 10 -> 0a; day delta 20000 -> zigzag 40000 -> c0 b8 02;
 *   amount 10000 -> zigzag 20000 -> a0 9c 01.
 * Credit 2: transaction 3, rollup (5) at level 2 from person 7, share 0.5, amount -0.2500,
 * margin 0.0001, the same day:
 *   flags 5 | 0x08 | 0x10 | 0x20 | 0x40 = 0x7d; tx delta -2 -> zigzag 3 -> 03; day delta 0 ->
 *   00; level 02; from 7 -> zigzag 14 -> 0e; share 500000000 -> zigzag 1e9 -> 80 94 eb dc 03;
 *   amount -2500 -> zigzag 4999 -> 87 27; margin 1 -> zigzag 2 -> 02. */
static const uint8_t EXPECTED[] = {
    0x01, 0x02,                                           /* version, count */
    0x00, 0x0a, 0xc0, 0xb8, 0x02, 0xa0, 0x9c, 0x01,       /* credit 1 */
    0x7d, 0x03, 0x00, 0x02, 0x0e, 0x80, 0x94, 0xeb, 0xdc, /* credit 2 ... */
    0x03, 0x87, 0x27, 0x02,
};

static const at_store_credit TWO[] = {
    {.transaction = 5, .kind = AT_CREDIT_OWNER, .share = 1000000000, .amount = 10000,
     .date = 20000},
    {.transaction = 3, .kind = AT_CREDIT_ROLLUP, .level = 2, .from_person = 7,
     .share = 500000000, .amount = -2500, .margin = 1, .date = 20000},
};

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

static void bytes_are_as_documented(void **state)
{
    (void)state;
    uint8_t *blob = NULL;
    size_t size = 0;
    at_error err;
    assert_int_equal(at_store_credits_encode(TWO, 2, &blob, &size, &err), AT_OK);
    assert_int_equal(size, sizeof EXPECTED);
    assert_memory_equal(blob, EXPECTED, sizeof EXPECTED);
    free(blob);

    at_arena arena;
    at_arena_init(&arena, 0);
    at_store_credit *out = NULL;
    size_t n = 0;
    assert_int_equal(at_store_credits_decode(EXPECTED, sizeof EXPECTED, &arena, &out, &n, &err),
                     AT_OK);
    assert_int_equal(n, 2);
    same(&out[0], &TWO[0]);
    same(&out[1], &TWO[1]);
    at_arena_free(&arena);
}

static void nothing_packs_to_two_bytes(void **state)
{
    (void)state;
    uint8_t *blob = NULL;
    size_t size = 0;
    at_error err;
    assert_int_equal(at_store_credits_encode(NULL, 0, &blob, &size, &err), AT_OK);
    assert_int_equal(size, 2);
    assert_int_equal(blob[0], 1);
    assert_int_equal(blob[1], 0);
    at_arena arena;
    at_arena_init(&arena, 0);
    at_store_credit *out = NULL;
    size_t n = 9;
    assert_int_equal(at_store_credits_decode(blob, size, &arena, &out, &n, &err), AT_OK);
    assert_int_equal(n, 0);
    free(blob);
    at_arena_free(&arena);
}

static void extremes_round_trip(void **state)
{
    (void)state;
    at_store_credit c[] = {
        {.transaction = INT64_MAX, .kind = AT_CREDIT_TERRITORY, .level = 255,
         .from_person = INT64_MIN, .share = INT64_MIN, .amount = INT64_MAX,
         .margin = INT64_MIN, .date = AT_DAY_MAX},
        {.transaction = 1, .kind = AT_CREDIT_SPLIT, .share = 0, .amount = INT64_MIN,
         .margin = INT64_MAX, .date = AT_DAY_MIN},
        {.transaction = INT64_MIN, .kind = AT_CREDIT_SDR, .share = 1000000001, .amount = 0,
         .date = 0},
        {.transaction = -1, .kind = AT_CREDIT_MANAGER, .share = -1, .amount = -1, .date = -1},
    };
    size_t count = sizeof c / sizeof c[0];
    uint8_t *blob = NULL;
    size_t size = 0;
    at_error err;
    assert_int_equal(at_store_credits_encode(c, count, &blob, &size, &err), AT_OK);
    at_arena arena;
    at_arena_init(&arena, 0);
    at_store_credit *out = NULL;
    size_t n = 0;
    assert_int_equal(at_store_credits_decode(blob, size, &arena, &out, &n, &err), AT_OK);
    assert_int_equal(n, count);
    for (size_t i = 0; i < count; i++)
        same(&out[i], &c[i]);
    free(blob);
    at_arena_free(&arena);
}

static void many_credits_round_trip(void **state)
{
    (void)state;
    enum { N = 5000 };
    at_store_credit *c = calloc(N, sizeof *c);
    assert_non_null(c);
    uint64_t x = 88172645463325252u;
    for (size_t i = 0; i < N; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        c[i].transaction = (int64_t)(x % 1000000) + 1;
        c[i].kind = (uint8_t)(x % AT_CREDIT_KIND_COUNT);
        c[i].level = c[i].kind == AT_CREDIT_ROLLUP ? (uint8_t)(1 + x % 4) : 0;
        c[i].from_person = c[i].kind == AT_CREDIT_ROLLUP ? (int64_t)(x % 10000) + 1 : 0;
        c[i].share = x % 3 ? 1000000000 : (int64_t)(x % 1000000000);
        c[i].amount = (int64_t)(x % 2000000000) - 1000000000;
        c[i].margin = x % 5 ? 0 : (int64_t)(x % 700000);
        c[i].date = 20000 + (at_day)(i / 100);
    }
    uint8_t *blob = NULL;
    size_t size = 0;
    at_error err;
    assert_int_equal(at_store_credits_encode(c, N, &blob, &size, &err), AT_OK);
    /* far smaller than the 50 bytes a credit takes as fixed-width fields */
    assert_true(size < (size_t)N * 25);
    at_arena arena;
    at_arena_init(&arena, 0);
    at_store_credit *out = NULL;
    size_t n = 0;
    assert_int_equal(at_store_credits_decode(blob, size, &arena, &out, &n, &err), AT_OK);
    assert_int_equal(n, N);
    for (size_t i = 0; i < N; i++)
        same(&out[i], &c[i]);
    free(blob);
    free(c);
    at_arena_free(&arena);
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
    assert_string_equal(err.where, "calc_credits");
    assert_null(out);
    assert_int_equal(n, 0);
    at_arena_free(&arena);
}

static void damaged_blobs_are_refused(void **state)
{
    (void)state;
    expect_damaged(NULL, 0, "a credits blob is damaged at byte 0: it is shorter than its header");
    expect_damaged((const uint8_t[]){1}, 1,
                   "a credits blob is damaged at byte 0: it is shorter than its header");
    expect_damaged((const uint8_t[]){3, 0}, 2,
                   "a credits blob is damaged at byte 0: it was written by a newer attain "
                   "(unknown version)");
    expect_damaged((const uint8_t[]){0, 0}, 2,
                   "a credits blob is damaged at byte 0: it has no valid version");
    expect_damaged((const uint8_t[]){1, 0x80}, 2,
                   "a credits blob is damaged at byte 2: the count is cut short");
    /* 100 credits cannot fit in 8 bytes */
    expect_damaged((const uint8_t[]){1, 100, 0, 0, 0, 0, 0, 0}, 8,
                   "a credits blob is damaged at byte 1: the count is larger than the blob can "
                   "hold");
    /* every prefix of a good blob is cut short somewhere */
    for (size_t cut = 2; cut < sizeof EXPECTED; cut++) {
        at_arena arena;
        at_arena_init(&arena, 0);
        at_store_credit *out;
        size_t n;
        at_error err;
        assert_int_equal(at_store_credits_decode(EXPECTED, cut, &arena, &out, &n, &err),
                         AT_ERR_STORE);
        at_arena_free(&arena);
    }
    uint8_t longer[sizeof EXPECTED + 1];
    memcpy(longer, EXPECTED, sizeof EXPECTED);
    longer[sizeof EXPECTED] = 0;
    expect_damaged(longer, sizeof longer,
                   "a credits blob is damaged at byte 23: there are bytes after the last credit");
    uint8_t bad_kind[sizeof EXPECTED];
    memcpy(bad_kind, EXPECTED, sizeof EXPECTED);
    bad_kind[2] = 0x07; /* kind 7: none */
    expect_damaged(bad_kind, sizeof bad_kind,
                   "a credits blob is damaged at byte 2: a credit's flags are not valid");
    bad_kind[2] = 0x80; /* the reserved bit */
    expect_damaged(bad_kind, sizeof bad_kind,
                   "a credits blob is damaged at byte 2: a credit's flags are not valid");
    /* a day beyond 9999-12-31 */
    const uint8_t far[] = {1, 1, 0, 0x02, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x00};
    expect_damaged(far, sizeof far,
                   "a credits blob is damaged at byte 2: a credit's date is out of range");
    /* a varint longer than 64 bits */
    const uint8_t wide[] = {1, 1, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f,
                            0, 0, 0};
    expect_damaged(wide, sizeof wide, "a credits blob is damaged at byte 13: a credit is cut short");
}

static void an_unknown_kind_is_not_packed(void **state)
{
    (void)state;
    at_store_credit c = {.transaction = 9, .kind = AT_CREDIT_KIND_COUNT, .share = 1000000000};
    uint8_t *blob = (uint8_t *)1;
    size_t size = 5;
    at_error err;
    assert_int_equal(at_store_credits_encode(&c, 1, &blob, &size, &err), AT_ERR_INVALID);
    assert_string_equal(err.message,
                        "credit 0 of transaction #9 has kind 7, which is not a credit kind");
    assert_null(blob);
    assert_int_equal(size, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(bytes_are_as_documented),
        cmocka_unit_test(nothing_packs_to_two_bytes),
        cmocka_unit_test(extremes_round_trip),
        cmocka_unit_test(many_credits_round_trip),
        cmocka_unit_test(damaged_blobs_are_refused),
        cmocka_unit_test(an_unknown_kind_is_not_packed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
