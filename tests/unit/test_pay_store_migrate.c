/* test_pay_store_migrate.c - schema version 3 (pay): a database made by version 2
 * (tests/data/attain-v2.db, made from attain-v2.sql) and one made by version 1
 * (attain-v1.db) are upgraded in place: the data survives, the pay tables and the metrics
 * table exist and work, the upgraded schema is the one a new database gets, and a failed
 * upgrade leaves the file as it was. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "model/fields.h"
#include "store/pay_store.h"
#include "test_store_util.h"

static char v1_db[1024], v2_db[1024], v2_sql[1024];

#define SHA_A "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static int setup(void **state)
{
    (void)state;
    const char *src = getenv("ATTAIN_SOURCE_DIR");
    if (!src)
        src = ".";
    snprintf(v1_db, sizeof v1_db, "%s/tests/data/attain-v1.db", src);
    snprintf(v2_db, sizeof v2_db, "%s/tests/data/attain-v2.db", src);
    snprintf(v2_sql, sizeof v2_sql, "%s/tests/data/attain-v2.sql", src);
    return access(v2_db, R_OK) == 0 && access(v1_db, R_OK) == 0 ? 0 : -1;
}

static char *copy_of(const char *from, const char *name)
{
    char *path = util_db_path(name);
    if (util_copy_file(from, path) != 0)
        fail_msg("cannot copy %s", from);
    return path;
}

static int64_t rows(at_store *s, const char *name)
{
    int64_t n = -1;
    at_error err;
    if (at_store_count(s, at_entity_find(at_str_from(name)), &n, &err) != AT_OK)
        fail_msg("count %s: %s", name, err.message);
    return n;
}

/* The shape of a database: every table's columns (by name) and every index with its SQL. */
static char *shape(const char *path)
{
    sqlite3 *db;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
        return NULL;
    util_text t = {0};
    util_add(&t, "", 0);
    sqlite3_stmt *st;
    sqlite3_prepare_v2(
        db,
        "SELECT m.type, m.name, coalesce(m.tbl_name, ''), "
        "  coalesce((SELECT group_concat(d, ', ') FROM (SELECT c.name || ' ' || c.type || ' ' || "
        "c.\"notnull\" || ' ' || c.pk || ' ' || coalesce(c.dflt_value, '') AS d "
        "FROM pragma_table_xinfo(m.name) c ORDER BY c.name)), ''), "
        "  coalesce(m.sql, '') "
        "FROM sqlite_master m WHERE m.name NOT LIKE 'sqlite_%' ORDER BY m.type, m.name",
        -1, &st, NULL);
    while (sqlite3_step(st) == SQLITE_ROW) {
        for (int c = 0; c < 5; c++) {
            const char *v = (const char *)sqlite3_column_text(st, c);
            /* a table's SQL: the columns are compared above (an added column comes last);
               only the table options are compared here */
            if (c == 4 && strcmp((const char *)sqlite3_column_text(st, 0), "table") == 0) {
                const char *end = strrchr(v, ')');
                v = end ? end : v;
            }
            util_add(&t, v, strlen(v));
            util_add(&t, c == 4 ? "\n" : " | ", c == 4 ? 1 : 3);
        }
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    return t.p;
}

static char *fresh_shape(void)
{
    char *fresh = util_db_path("fresh");
    at_store *s = NULL;
    at_error err;
    at_store_options opt = {.create = true};
    assert_int_equal(at_store_open(fresh, &opt, &s, &err), AT_OK);
    at_store_close(s);
    char *b = shape(fresh);
    util_remove_db(fresh);
    free(fresh);
    return b;
}

typedef struct audit_seen {
    size_t n;
    char last_action[16], last_after[64];
} audit_seen;

static at_code collect_audit(void *ctx, const at_audit_entry *e, at_error *err)
{
    (void)err;
    audit_seen *a = ctx;
    a->n++;
    snprintf(a->last_action, sizeof a->last_action, "%s", e->action);
    snprintf(a->last_after, sizeof a->last_after, "%s", e->after ? e->after : "");
    return AT_OK;
}

static void v2_db_is_made_from_v2_sql(void **state)
{
    (void)state;
    FILE *f = fopen(v2_sql, "rb");
    assert_non_null(f);
    util_text sql = {0};
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        util_add(&sql, buf, n);
    fclose(f);
    char *path = util_db_path("fromsql");
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, sql.p, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    char *a = util_dump(path), *b = util_dump(v2_db);
    assert_non_null(a);
    assert_string_equal(a, b);
    assert_int_equal(util_int(v2_db, "SELECT max(version) FROM schema_version"), 2);
    free(a);
    free(b);
    free(sql.p);
    util_remove_db(path);
    free(path);
}

/* Saves a plan version and a metric row: the new tables work. */
static void pay_tables_work(at_store *s, const char *path)
{
    int version = 0;
    bool unchanged = true;
    at_error err;
    assert_int_equal(at_store_plan_save(s, "AE", "x: 1\n", 5, SHA_A, AT_DAY_MIN, AT_DAY_MAX,
                                        "ana", NULL, &version, &unchanged, &err),
                     AT_OK);
    assert_int_equal(version, 1);
    assert_false(unchanged);
    assert_int_equal(rows(s, "metrics"), 0);
    assert_int_equal(util_exec(path, "INSERT INTO metrics (person_id, metric, period, value) "
                                     "SELECT id, 'avg_margin', '2026-Q1', 350000000 FROM people "
                                     "ORDER BY id LIMIT 1"),
                     SQLITE_OK);
    assert_int_equal(rows(s, "metrics"), 1);
    for (const char *const *t = (const char *const[]){"calc_runs", "calc_measures", "calc_lines",
                                                        "calc_payouts", "calc_credits",
                                                        "closed_periods", "closed_lines", NULL};
         *t; t++) {
        char q[128];
        snprintf(q, sizeof q, "SELECT count(*) FROM %s", *t);
        assert_int_equal(util_int(path, q), 0);
    }
}

static void opening_v2_upgrades_it_and_keeps_the_data(void **state)
{
    (void)state;
    char *path = copy_of(v2_db, "v2");
    at_store *s = NULL;
    at_error err;
    if (at_store_open(path, NULL, &s, &err) != AT_OK)
        fail_msg("open: %s: %s", err.where, err.message);
    assert_int_equal(at_store_upgraded_from(s), 2);
    int v = 0;
    assert_int_equal(at_store_version(s, &v, &err), AT_OK);
    assert_int_equal(v, AT_STORE_SCHEMA_VERSION);
    /* the rows of tests/data/import/small */
    assert_int_equal(rows(s, "settings"), 3);
    assert_int_equal(rows(s, "people"), 3);
    assert_int_equal(rows(s, "transactions"), 2);
    assert_int_equal(rows(s, "quotas"), 2);
    assert_int_equal(rows(s, "activities"), 2);
    audit_seen a = {0};
    assert_int_equal(at_store_audit_each(s, NULL, collect_audit, &a, &err), AT_OK);
    assert_int_equal(a.n, 15); /* init, 13 import summaries, the upgrade */
    assert_string_equal(a.last_action, "migrate");
    assert_string_equal(a.last_after, "{\"from\":2,\"to\":6}");
    assert_int_equal(util_int(path, "SELECT count(*) FROM schema_version WHERE version = 3 AND "
                                    "description LIKE 'pay: plan versions%'"),
                     1);
    pay_tables_work(s, path);
    at_error_list problems;
    at_error_list_init(&problems, 0);
    assert_int_equal(at_store_check(s, &problems, &err), AT_OK);
    assert_int_equal(problems.total, 0);
    at_error_list_free(&problems);
    at_store_close(s);

    char *a_shape = shape(path), *b_shape = fresh_shape();
    assert_non_null(strstr(a_shape, "table | plan_versions | plan_versions"));
    assert_non_null(strstr(a_shape, "table | metrics | metrics"));
    /* metrics is keyed by (person_id, metric, period): person_id leads the key, no index */
    assert_null(strstr(a_shape, "index | metrics_by_person_id"));
    assert_string_equal(a_shape, b_shape);
    free(a_shape);
    free(b_shape);
    util_remove_db(path);
    free(path);
}

static void opening_v1_upgrades_it_all_the_way(void **state)
{
    (void)state;
    char *path = copy_of(v1_db, "v1");
    at_store *s = NULL;
    at_error err;
    if (at_store_open(path, NULL, &s, &err) != AT_OK)
        fail_msg("open: %s: %s", err.where, err.message);
    assert_int_equal(at_store_upgraded_from(s), 1);
    assert_int_equal(util_int(path, "SELECT count(*) FROM schema_version"), 6);
    assert_int_equal(util_int(path, "SELECT sum(version) FROM schema_version"), 1 + 2 + 3 + 4 + 5 + 6);
    assert_int_equal(rows(s, "people"), 2);
    assert_int_equal(rows(s, "transactions"), 2);
    pay_tables_work(s, path);
    at_store_close(s);
    char *a_shape = shape(path), *b_shape = fresh_shape();
    assert_string_equal(a_shape, b_shape);
    free(a_shape);
    free(b_shape);
    util_remove_db(path);
    free(path);
}

static void a_failed_upgrade_from_v2_leaves_the_file_as_it_was(void **state)
{
    (void)state;
    char *path = copy_of(v2_db, "v2fail");
    /* a table in the way of version 3's */
    assert_int_equal(util_exec(path, "CREATE TABLE calc_runs (x INTEGER)"), SQLITE_OK);
    char *before = util_dump(path);
    at_store *s = NULL;
    at_error err;
    assert_int_equal(at_store_open(path, NULL, &s, &err), AT_ERR_STORE);
    assert_null(s);
    assert_non_null(strstr(err.message, "upgrading the schema to version 3"));
    assert_non_null(strstr(err.message, "calc_runs already exists"));
    char *after = util_dump(path);
    assert_string_equal(before, after);
    assert_int_equal(util_int(path, "SELECT max(version) FROM schema_version"), 2);
    assert_int_equal(util_int(path, "SELECT count(*) FROM sqlite_master WHERE name IN "
                                    "('plan_versions', 'metrics')"),
                     0);
    free(before);
    free(after);
    util_remove_db(path);
    free(path);
}

static void read_only_v2_asks_for_a_migration(void **state)
{
    (void)state;
    char *path = copy_of(v2_db, "v2ro");
    at_store *s = NULL;
    at_error err;
    at_store_options ro = {.read_only = true};
    assert_int_equal(at_store_open(path, &ro, &s, &err), AT_ERR_CONFLICT);
    assert_string_equal(err.message,
                        "this database has the older schema version 2 (this attain uses 6)");
    at_store_options keep = {.no_upgrade = true};
    assert_int_equal(at_store_open(path, &keep, &s, &err), AT_OK);
    /* without the upgrade the pay tables are not there: the error says what failed */
    at_arena arena;
    at_arena_init(&arena, 0);
    at_store_plan_version v;
    bool found = true;
    assert_int_equal(at_store_plan_get(s, "AE", 0, &arena, &v, &found, &err), AT_ERR_STORE);
    assert_non_null(strstr(err.message, "no such table: plan_versions"));
    int from = 0, to = 0;
    assert_int_equal(at_store_migrate(s, "ops", &from, &to, &err), AT_OK);
    assert_int_equal(from, 2);
    assert_int_equal(to, 6);
    assert_int_equal(at_store_plan_get(s, "AE", 0, &arena, &v, &found, &err), AT_OK);
    assert_false(found);
    at_arena_free(&arena);
    at_store_close(s);
    util_remove_db(path);
    free(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(v2_db_is_made_from_v2_sql),
        cmocka_unit_test(opening_v2_upgrades_it_and_keeps_the_data),
        cmocka_unit_test(opening_v1_upgrades_it_all_the_way),
        cmocka_unit_test(a_failed_upgrade_from_v2_leaves_the_file_as_it_was),
        cmocka_unit_test(read_only_v2_asks_for_a_migration),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
