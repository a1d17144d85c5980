/* test_import_idmap.c - the importer's key map (src/import/idmap.h): keys found again, keys
 * that differ only after a long common start or only in length, the empty key, and what the
 * entries hold surviving growth past the size where the tables come from mmap (4 MiB: 87,382
 * entries of 48 bytes), with and without a reserve. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "import/idmap.h"

static at_idmap_entry *put(at_idmap *map, const char *key, bool *created)
{
    at_idmap_entry *e = NULL;
    at_error err;
    if (at_idmap_put(map, at_str_from(key), &e, created, &err) != AT_OK)
        fail_msg("%s", err.message);
    return e;
}

static void an_entry_is_48_bytes(void **state)
{
    (void)state;
    assert_int_equal(sizeof(at_idmap_entry), 48);
}

static void keys_alike_at_the_start_are_told_apart(void **state)
{
    (void)state;
    at_idmap map;
    at_idmap_init(&map);
    bool created;
    const char *keys[] = {
        "TX00000000001\x1fP005994\x1fsplit", /* 27 bytes */
        "TX00000000001\x1fP005994\x1fsdr",   /* the same first 23 */
        "TX00000000001\x1fP005994\x1fsplit2",
        "TX00000000001",
        "",
    };
    for (int64_t i = 0; i < 5; i++) {
        at_idmap_entry *e = put(&map, keys[i], &created);
        assert_true(created);
        e->id = i + 1;
    }
    assert_int_equal(map.count, 5);
    for (int64_t i = 0; i < 5; i++) {
        at_idmap_entry *e = at_idmap_find(&map, at_str_from(keys[i]));
        assert_non_null(e);
        assert_int_equal(e->id, i + 1);
        assert_int_equal(e->len, strlen(keys[i]));
        assert_string_equal(e->key, keys[i]);
    }
    assert_null(at_idmap_find(&map, at_str_from("TX00000000001\x1fP005994\x1fspli")));
    assert_null(at_idmap_find(&map, at_str_from("TX0000000000")));
    /* a second put finds the entry with its facts */
    at_idmap_entry *e = put(&map, keys[1], &created);
    assert_false(created);
    assert_int_equal(e->id, 2);
    assert_int_equal(map.count, 5);
    at_idmap_free(&map);
}

/* 300,000 keys: the entries grow from 512 by doubling through the mmap'd sizes (87,382
 * entries and up), with or without a reserve too small; every entry keeps its facts. */
static void growth(size_t reserve)
{
    enum { N = 300000 };
    at_idmap map;
    at_idmap_init(&map);
    at_error err;
    if (reserve)
        assert_int_equal(at_idmap_reserve(&map, reserve, &err), AT_OK);
    char key[32];
    bool created;
    for (int64_t i = 0; i < N; i++) {
        snprintf(key, sizeof key, "TX%011lld", (long long)i);
        at_idmap_entry *e = put(&map, key, &created);
        assert_true(created);
        e->id = i + 1;
        e->aux = -i;
        e->row_hash = (uint64_t)i * 3;
        e->line = (uint32_t)i + 2;
        e->source = (uint16_t)(i % 7);
        e->in_import = i % 2 == 0;
    }
    assert_int_equal(map.count, N);
    assert_true(map.capacity >= N);
    assert_true(map.slot_count >= 2 * (size_t)N);
    for (int64_t i = 0; i < N; i++) {
        snprintf(key, sizeof key, "TX%011lld", (long long)i);
        at_idmap_entry *e = at_idmap_find(&map, at_str_from(key));
        if (!e || e->id != i + 1 || e->aux != -i || e->row_hash != (uint64_t)i * 3 ||
            e->line != (uint32_t)i + 2 || e->source != i % 7 || e->in_import != (i % 2 == 0) ||
            e->deferred)
            fail_msg("key %s lost its facts", key);
    }
    snprintf(key, sizeof key, "TX%011d", N);
    assert_null(at_idmap_find(&map, at_str_from(key)));
    at_idmap_free(&map);
}

static void entries_survive_growth_without_a_reserve(void **state)
{
    (void)state;
    growth(0);
}

static void entries_survive_growth_past_a_short_reserve(void **state)
{
    (void)state;
    growth(100000); /* 100,000 entries are mmap'd (4.8 MB): grown in place from there */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(an_entry_is_48_bytes),
        cmocka_unit_test(keys_alike_at_the_start_are_told_apart),
        cmocka_unit_test(entries_survive_growth_without_a_reserve),
        cmocka_unit_test(entries_survive_growth_past_a_short_reserve),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
