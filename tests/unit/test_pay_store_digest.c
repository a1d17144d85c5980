/* test_pay_store_digest.c - what incremental runs keep (store/pay_store.h, "payee digests"):
 * a run's digests saved and read back in person order, its origin (full or incremental, base,
 * recomputed), finding the base run (same period, months and payees as a set, done, with
 * digests; the latest), the errors (a run not running, no such run, a payee given twice, no
 * global digest), and schema version 6 reached from version 5: a run made before has no
 * digests and is never a base, and the upgraded database has the shape of a new one. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "store/pay_store.h"
#include "test_store_util.h"

#define SHA "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

typedef struct fixture {
    char *path;
    at_store *s;
} fixture;

static fixture F;

static int setup(void **state)
{
    (void)state;
    F.path = util_db_path("digest");
    at_store_options opt = {.create = true};
    at_error err;
    return at_store_open(F.path, &opt, &F.s, &err) == AT_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    at_store_close(F.s);
    util_remove_db(F.path);
    free(F.path);
    return 0;
}

static int64_t begin(const char *period, const char *first, const char *last,
                     const char *const *payees, size_t payee_count)
{
    at_store_run_info info = {.period = period, .first_month = first, .last_month = last,
                              .payees = payees, .payee_count = payee_count,
                              .input_sha256 = SHA, .actor = "ana"};
    int64_t id = 0;
    at_error err;
    if (at_store_run_begin(F.s, &info, &id, &err) != AT_OK)
        fail_msg("begin: %s", err.message);
    return id;
}

static void finish(int64_t id, bool ok)
{
    at_error err;
    if (at_store_run_finish(F.s, id, ok, ok ? NULL : "failed", NULL, &err) != AT_OK)
        fail_msg("finish: %s", err.message);
}

static void digest_of(uint8_t out[AT_STORE_DIGEST_SIZE], int seed)
{
    for (int i = 0; i < AT_STORE_DIGEST_SIZE; i++)
        out[i] = (uint8_t)(seed * 31 + i);
}

/* A run with digests for people 7, 3, 5 (given out of order), global digest from seed g. */
static int64_t run_with_digests(const char *period, const char *const *payees,
                                size_t payee_count, int g, int64_t base, bool ok)
{
    int64_t id = begin(period, "2026-01", "2026-03", payees, payee_count);
    at_store_payee_digest rows[3] = {{.person_id = 7, .lines = 4},
                                     {.person_id = 3, .lines = 0},
                                     {.person_id = 5, .lines = 12}};
    for (int i = 0; i < 3; i++)
        digest_of(rows[i].digest, (int)rows[i].person_id);
    uint8_t global[AT_STORE_DIGEST_SIZE];
    digest_of(global, g);
    at_store_run_digests d = {.global = global, .base_run_id = base, .recomputed = base ? 2 : 0,
                              .payees = rows, .payee_count = 3};
    at_error err;
    if (at_store_run_digests_save(F.s, id, &d, &err) != AT_OK)
        fail_msg("digests: %s", err.message);
    finish(id, ok);
    return id;
}

static void digests_saved_and_read_back(void **state)
{
    (void)state;
    int64_t run = run_with_digests("2026-Q1", NULL, 0, 1, 0, true);
    at_arena arena;
    at_arena_init(&arena, 0);
    at_store_payee_digest *d = NULL;
    size_t n = 0;
    at_error err;
    assert_int_equal(at_store_run_digests_load(F.s, run, &arena, &d, &n, &err), AT_OK);
    assert_int_equal(n, 3);
    assert_int_equal(d[0].person_id, 3);
    assert_int_equal(d[1].person_id, 5);
    assert_int_equal(d[2].person_id, 7);
    assert_int_equal(d[1].lines, 12);
    assert_int_equal(d[2].lines, 4);
    uint8_t want[AT_STORE_DIGEST_SIZE];
    digest_of(want, 5);
    assert_memory_equal(d[1].digest, want, AT_STORE_DIGEST_SIZE);
    /* a full run's origin */
    at_store_run_origin o;
    bool found = false;
    assert_int_equal(at_store_run_origin_get(F.s, run, &o, &found, &err), AT_OK);
    assert_true(found);
    assert_true(o.has_digests);
    assert_false(o.incremental);
    /* an incremental one's */
    int64_t inc = run_with_digests("2026-Q1", NULL, 0, 1, run, true);
    assert_int_equal(at_store_run_origin_get(F.s, inc, &o, &found, &err), AT_OK);
    assert_true(o.incremental);
    assert_int_equal(o.base_run_id, run);
    assert_int_equal(o.recomputed, 2);
    assert_int_equal(util_int(F.path, "SELECT count(*) FROM audit WHERE entity = 'calc_runs' "
                                      "AND after LIKE '%\"recomputed\":2%'"),
                     1);
    /* a run without digests; no run */
    int64_t bare = begin("2026-Q1", "2026-01", "2026-03", NULL, 0);
    finish(bare, true);
    assert_int_equal(at_store_run_origin_get(F.s, bare, &o, &found, &err), AT_OK);
    assert_true(found);
    assert_false(o.has_digests);
    assert_int_equal(at_store_run_digests_load(F.s, bare, &arena, &d, &n, &err), AT_OK);
    assert_int_equal(n, 0);
    assert_int_equal(at_store_run_origin_get(F.s, 9999, &o, &found, &err), AT_OK);
    assert_false(found);
    at_arena_free(&arena);
}

static void the_base_is_the_latest_done_run_of_the_same_scope(void **state)
{
    (void)state;
    const char *const ab[] = {"P-A", "P-B"}, *const ba[] = {"P-B", "P-A"}, *const a[] = {"P-A"},
                      *const ac[] = {"P-A", "P-C"};
    int64_t everyone = run_with_digests("2026-H1", NULL, 0, 2, 0, true);
    int64_t some = run_with_digests("2026-H1", ab, 2, 3, 0, true);
    run_with_digests("2026-H1", NULL, 0, 4, 0, false); /* failed: never a base */
    int64_t bare = begin("2026-H1", "2026-01", "2026-03", NULL, 0); /* no digests */
    finish(bare, true);
    int64_t id = 0;
    bool found = false;
    uint8_t global[AT_STORE_DIGEST_SIZE], want[AT_STORE_DIGEST_SIZE];
    at_error err;
    assert_int_equal(at_store_run_base(F.s, "2026-H1", "2026-01", "2026-03", NULL, 0, &id,
                                       global, &found, &err),
                     AT_OK);
    assert_true(found);
    assert_int_equal(id, everyone);
    digest_of(want, 2);
    assert_memory_equal(global, want, AT_STORE_DIGEST_SIZE);
    /* the same payees in another order */
    assert_int_equal(at_store_run_base(F.s, "2026-H1", "2026-01", "2026-03", ba, 2, &id, global,
                                       &found, &err),
                     AT_OK);
    assert_true(found);
    assert_int_equal(id, some);
    /* fewer, other payees, other months, another period: none */
    assert_int_equal(at_store_run_base(F.s, "2026-H1", "2026-01", "2026-03", a, 1, &id, NULL,
                                       &found, &err),
                     AT_OK);
    assert_false(found);
    assert_int_equal(at_store_run_base(F.s, "2026-H1", "2026-01", "2026-03", ac, 2, &id, NULL,
                                       &found, &err),
                     AT_OK);
    assert_false(found);
    assert_int_equal(at_store_run_base(F.s, "2026-H1", "2026-02", "2026-03", NULL, 0, &id, NULL,
                                       &found, &err),
                     AT_OK);
    assert_false(found);
    assert_int_equal(at_store_run_base(F.s, "2026-Q2", "2026-01", "2026-03", NULL, 0, &id, NULL,
                                       &found, &err),
                     AT_OK);
    assert_false(found);
    /* a later run for everyone is the base then */
    int64_t later = run_with_digests("2026-H1", NULL, 0, 5, everyone, true);
    assert_int_equal(at_store_run_base(F.s, "2026-H1", "2026-01", "2026-03", NULL, 0, &id, NULL,
                                       &found, &err),
                     AT_OK);
    assert_int_equal(id, later);
    assert_int_equal(at_store_run_base(F.s, NULL, "2026-01", "2026-03", NULL, 0, &id, NULL,
                                       &found, &err),
                     AT_ERR_INTERNAL);
}

static void errors(void **state)
{
    (void)state;
    uint8_t global[AT_STORE_DIGEST_SIZE];
    digest_of(global, 9);
    at_store_payee_digest twice[2] = {{.person_id = 4}, {.person_id = 4}};
    at_store_run_digests d = {.global = global, .payees = twice, .payee_count = 2};
    at_error err;
    int64_t run = begin("2026-03", "2026-03", "2026-03", NULL, 0);
    assert_int_equal(at_store_run_digests_save(F.s, run, &d, &err), AT_ERR_INTERNAL);
    assert_non_null(strstr(err.message, "person 4 has two digests"));
    /* nothing was written */
    assert_int_equal(util_int(F.path, "SELECT count(*) FROM calc_payee_digests WHERE run_id = "
                                      "(SELECT max(id) FROM calc_runs)"),
                     0);
    at_store_run_digests none = {.global = NULL};
    assert_int_equal(at_store_run_digests_save(F.s, run, &none, &err), AT_ERR_INTERNAL);
    assert_int_equal(at_store_run_digests_save(F.s, run, NULL, &err), AT_ERR_INTERNAL);
    d.payee_count = 1;
    assert_int_equal(at_store_run_digests_save(F.s, 9999, &d, &err), AT_ERR_NOT_FOUND);
    finish(run, true);
    assert_int_equal(at_store_run_digests_save(F.s, run, &d, &err), AT_ERR_CONFLICT);
    assert_non_null(strstr(err.message, "is done"));
}

/* ---- version 5 -> 6 -------------------------------------------------------------------- */

static char *shape(const char *path)
{
    sqlite3 *db;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
        return NULL;
    util_text t = {0};
    util_add(&t, "", 0);
    sqlite3_stmt *st;
    sqlite3_prepare_v2(db,
                       "SELECT m.name, (SELECT group_concat(c.name || ' ' || c.type || ' ' || "
                       "c.\"notnull\" || ' ' || c.pk, ', ') FROM pragma_table_xinfo(m.name) c) "
                       "FROM sqlite_master m WHERE m.type = 'table' AND m.name LIKE 'calc_%' "
                       "ORDER BY m.name",
                       -1, &st, NULL);
    while (sqlite3_step(st) == SQLITE_ROW)
        for (int c = 0; c < 2; c++) {
            const char *v = (const char *)sqlite3_column_text(st, c);
            util_add(&t, v ? v : "", v ? strlen(v) : 0);
            util_add(&t, "\n", 1);
        }
    sqlite3_finalize(st);
    sqlite3_close(db);
    return t.p;
}

static void version_5_upgrades_to_6(void **state)
{
    (void)state;
    /* a version-5 database with a done run: made new, then version 6 taken away */
    char *path = util_db_path("v5");
    at_store *s = NULL;
    at_store_options opt = {.create = true};
    at_error err;
    assert_int_equal(at_store_open(path, &opt, &s, &err), AT_OK);
    at_store_run_info info = {.period = "2026-03", .first_month = "2026-03",
                              .last_month = "2026-03", .input_sha256 = SHA, .actor = "ana"};
    int64_t old = 0;
    assert_int_equal(at_store_run_begin(s, &info, &old, &err), AT_OK);
    assert_int_equal(at_store_run_finish(s, old, true, NULL, NULL, &err), AT_OK);
    at_store_close(s);
    char *fresh = shape(path);
    assert_int_equal(util_exec(path, "DROP TABLE calc_payee_digests; "
                                     "ALTER TABLE calc_runs DROP COLUMN global_digest; "
                                     "ALTER TABLE calc_runs DROP COLUMN base_run_id; "
                                     "ALTER TABLE calc_runs DROP COLUMN recomputed; "
                                     "DELETE FROM schema_version WHERE version = 6"),
                     SQLITE_OK);
    assert_int_equal(util_int(path, "SELECT max(version) FROM schema_version"), 5);
    /* opening upgrades it */
    assert_int_equal(at_store_open(path, NULL, &s, &err), AT_OK);
    assert_int_equal(at_store_upgraded_from(s), 5);
    int v = 0;
    assert_int_equal(at_store_version(s, &v, &err), AT_OK);
    assert_int_equal(v, 6);
    assert_int_equal(util_int(path, "SELECT count(*) FROM schema_version WHERE version = 6 AND "
                                    "description LIKE 'incremental runs%'"),
                     1);
    /* the old run is there, without digests: never a base */
    at_store_run_origin o;
    bool found = false;
    assert_int_equal(at_store_run_origin_get(s, old, &o, &found, &err), AT_OK);
    assert_true(found);
    assert_false(o.has_digests);
    int64_t id = 0;
    assert_int_equal(at_store_run_base(s, "2026-03", "2026-03", "2026-03", NULL, 0, &id, NULL,
                                       &found, &err),
                     AT_OK);
    assert_false(found);
    /* a new run keeps its digests */
    int64_t run = 0;
    assert_int_equal(at_store_run_begin(s, &info, &run, &err), AT_OK);
    uint8_t global[AT_STORE_DIGEST_SIZE];
    digest_of(global, 1);
    at_store_payee_digest one = {.person_id = 1, .lines = 2};
    at_store_run_digests d = {.global = global, .payees = &one, .payee_count = 1};
    assert_int_equal(at_store_run_digests_save(s, run, &d, &err), AT_OK);
    assert_int_equal(at_store_run_finish(s, run, true, NULL, NULL, &err), AT_OK);
    assert_int_equal(at_store_run_base(s, "2026-03", "2026-03", "2026-03", NULL, 0, &id, NULL,
                                       &found, &err),
                     AT_OK);
    assert_true(found);
    assert_int_equal(id, run);
    at_store_close(s);
    /* the same tables as a new database */
    char *upgraded = shape(path);
    assert_non_null(strstr(upgraded, "calc_payee_digests"));
    assert_string_equal(upgraded, fresh);
    free(fresh);
    free(upgraded);
    util_remove_db(path);
    free(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(digests_saved_and_read_back),
        cmocka_unit_test(the_base_is_the_latest_done_run_of_the_same_scope),
        cmocka_unit_test(errors),
        cmocka_unit_test(version_5_upgrades_to_6),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
