/* test_web_statement_cache.c - the server's cache of rendered statements: a hit returns a copy
 * of exactly what was put under the same run, payee, month and format; any other key misses;
 * a slot holds one entry; the byte bound is kept. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "web/statement_cache.h"

static void hit_and_misses(void **state)
{
    (void)state;
    at_statement_cache *c;
    at_error err;
    assert_int_equal(at_statement_cache_create(64, 1 << 20, &c, &err), AT_OK);
    char *data;
    size_t length;
    assert_false(at_statement_cache_get(c, 7, "P-1", "2026-03", 1, &data, &length));
    assert_null(data);
    at_statement_cache_put(c, 7, "P-1", "2026-03", 1, "{\"paid\":\"1.00\"}", 15);
    assert_true(at_statement_cache_get(c, 7, "P-1", "2026-03", 1, &data, &length));
    assert_int_equal(length, 15);
    assert_memory_equal(data, "{\"paid\":\"1.00\"}", 15);
    free(data);
    /* another run, payee, month or format is another statement */
    assert_false(at_statement_cache_get(c, 8, "P-1", "2026-03", 1, &data, &length));
    assert_false(at_statement_cache_get(c, 7, "P-2", "2026-03", 1, &data, &length));
    assert_false(at_statement_cache_get(c, 7, "P-1", "2026-04", 1, &data, &length));
    assert_false(at_statement_cache_get(c, 7, "P-1", "2026-03", 3, &data, &length));
    uint64_t hits, misses;
    at_statement_cache_counts(c, &hits, &misses);
    assert_int_equal(hits, 1);
    assert_int_equal(misses, 5);
    at_statement_cache_free(c);
}

static void one_slot_replaces_and_bytes_are_bounded(void **state)
{
    (void)state;
    at_statement_cache *c;
    at_error err;
    /* one slot: every key shares it */
    assert_int_equal(at_statement_cache_create(1, 10, &c, &err), AT_OK);
    char *data;
    size_t length;
    at_statement_cache_put(c, 1, "A", "2026-01", 0, "aaaa", 4);
    at_statement_cache_put(c, 2, "B", "2026-01", 0, "bbbbbb", 6);
    assert_false(at_statement_cache_get(c, 1, "A", "2026-01", 0, &data, &length));
    assert_true(at_statement_cache_get(c, 2, "B", "2026-01", 0, &data, &length));
    assert_memory_equal(data, "bbbbbb", 6);
    free(data);
    /* 11 bytes would pass the bound of 10: not kept, the old entry stays */
    at_statement_cache_put(c, 3, "C", "2026-01", 0, "ccccccccccc", 11);
    assert_false(at_statement_cache_get(c, 3, "C", "2026-01", 0, &data, &length));
    assert_true(at_statement_cache_get(c, 2, "B", "2026-01", 0, &data, &length));
    free(data);
    /* exactly at the bound is kept */
    at_statement_cache_put(c, 4, "D", "2026-01", 0, "dddddddddd", 10);
    assert_true(at_statement_cache_get(c, 4, "D", "2026-01", 0, &data, &length));
    assert_int_equal(length, 10);
    free(data);
    at_statement_cache_free(c);
    at_statement_cache_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(hit_and_misses),
        cmocka_unit_test(one_slot_replaces_and_bytes_are_bounded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
