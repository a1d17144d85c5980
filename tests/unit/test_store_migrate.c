/* test_store_migrate.c - upgrading a database made by schema version 1 (tests/data/attain-v1.db,
 * made from attain-v1.sql): the data survives, the version is current, the upgraded schema is
 * the one a new database gets, and a failed upgrade leaves the file as it was. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "model/fields.h"
#include "store/store.h"
#include "test_store_util.h"

static char v1_db[1024], v1_sql[1024];

static int setup(void **state)
{
    (void)state;
    const char *src = getenv("ATTAIN_SOURCE_DIR");
    if (!src)
        src = ".";
    snprintf(v1_db, sizeof v1_db, "%s/tests/data/attain-v1.db", src);
    snprintf(v1_sql, sizeof v1_sql, "%s/tests/data/attain-v1.sql", src);
    return access(v1_db, R_OK) == 0 ? 0 : -1;
}

/* A private copy of attain-v1.db. */
static char *copy_v1(void)
{
    char *path = util_db_path("v1");
    if (util_copy_file(v1_db, path) != 0)
        fail_msg("cannot copy %s", v1_db);
    return path;
}

static const at_entity *entity(const char *name)
{
    return at_entity_find(at_str_from(name));
}

static int64_t rows(at_store *s, const char *name)
{
    int64_t n = -1;
    at_error err;
    if (at_store_count(s, entity(name), &n, &err) != AT_OK)
        fail_msg("count %s: %s", name, err.message);
    return n;
}

/* The shape of a database: every table's columns (by name: a column added by a migration comes
 * last, where a new table has it in descriptor order) and every index with its SQL, as text. */
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
        "  coalesce((SELECT group_concat(i.name, ', ') FROM pragma_index_info(m.name) i), '') "
        "  || CASE WHEN m.type = 'index' THEN ' | ' || coalesce(m.sql, '') ELSE '' END "
        "FROM sqlite_master m WHERE m.name NOT LIKE 'sqlite_%' ORDER BY m.type, m.name",
        -1, &st, NULL);
    while (sqlite3_step(st) == SQLITE_ROW) {
        for (int c = 0; c < 5; c++) {
            const char *v = (const char *)sqlite3_column_text(st, c);
            util_add(&t, v, strlen(v));
            util_add(&t, c == 4 ? "\n" : " | ", c == 4 ? 1 : 3);
        }
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    return t.p;
}

typedef struct tx_seen {
    char text[4][200];
    size_t n;
} tx_seen;

static at_code collect_tx(void *ctx, int64_t id, const at_row *row, at_error *err)
{
    (void)err;
    tx_seen *s = ctx;
    char *o = s->text[s->n++];
    const at_value *id_ = &row->values[AT_TRANSACTIONS_ID];
    const at_value *type = &row->values[AT_TRANSACTIONS_TYPE];
    const at_value *amount = &row->values[AT_TRANSACTIONS_AMOUNT];
    const at_value *owner = &row->values[AT_TRANSACTIONS_OWNER_ID];
    const at_value *original = &row->values[AT_TRANSACTIONS_ORIGINAL_ID];
    snprintf(o, 200, "%lld %.*s %.*s %lld %.*s %.*s", (long long)id, (int)id_->text.len,
             id_->text.ptr, (int)type->text.len, type->text.ptr, (long long)amount->number,
             (int)owner->text.len, owner->text.ptr, original->present ? (int)original->text.len : 1,
             original->present ? original->text.ptr : "-");
    return AT_OK;
}

static at_code collect_counts(void *ctx, const at_import_record *r, at_error *err)
{
    (void)err;
    char *o = ctx;
    for (size_t k = 0; k < r->count_count; k++) {
        char part[64];
        snprintf(part, sizeof part, "%s%s:%lld/%lld/%lld", k ? " " : "", r->counts[k].entity,
                 (long long)r->counts[k].inserted, (long long)r->counts[k].updated,
                 (long long)r->counts[k].unchanged);
        strcat(o, part);
    }
    return AT_OK;
}

typedef struct audit_seen {
    size_t n;
    char last_action[16], last_after[64], last_actor[16];
} audit_seen;

static at_code collect_audit(void *ctx, const at_audit_entry *e, at_error *err)
{
    (void)err;
    audit_seen *a = ctx;
    a->n++;
    snprintf(a->last_action, sizeof a->last_action, "%s", e->action);
    snprintf(a->last_after, sizeof a->last_after, "%s", e->after ? e->after : "");
    snprintf(a->last_actor, sizeof a->last_actor, "%s", e->actor);
    return AT_OK;
}

static void v1_db_is_made_from_v1_sql(void **state)
{
    (void)state;
    FILE *f = fopen(v1_sql, "rb");
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
    char *a = util_dump(path), *b = util_dump(v1_db);
    assert_non_null(a);
    assert_string_equal(a, b);
    free(a);
    free(b);
    free(sql.p);
    util_remove_db(path);
    free(path);
}

static void opening_v1_upgrades_it_and_keeps_the_data(void **state)
{
    (void)state;
    char *path = copy_v1();
    at_store *s = NULL;
    at_error err;
    at_code rc = at_store_open(path, NULL, &s, &err);
    if (rc != AT_OK)
        fail_msg("open: %s: %s", err.where, err.message);
    assert_int_equal(at_store_upgraded_from(s), 1);
    assert_false(at_store_created(s));
    int v = 0;
    assert_int_equal(at_store_version(s, &v, &err), AT_OK);
    assert_int_equal(v, AT_STORE_SCHEMA_VERSION);

    assert_int_equal(rows(s, "exchange_rates"), 1);
    assert_int_equal(rows(s, "teams"), 1);
    assert_int_equal(rows(s, "people"), 2);
    assert_int_equal(rows(s, "accounts"), 1);
    assert_int_equal(rows(s, "stages"), 2);
    assert_int_equal(rows(s, "opportunities"), 1);
    assert_int_equal(rows(s, "transactions"), 2);
    assert_int_equal(rows(s, "quotas"), 0);

    tx_seen seen = {0};
    assert_int_equal(at_store_each_row(s, entity("transactions"), collect_tx, &seen, &err), AT_OK);
    assert_int_equal(seen.n, 2);
    assert_string_equal(seen.text[0], "1 X1 booking 480000000 P2 -");
    assert_string_equal(seen.text[1], "2 X2 cancellation -50000000 P2 X1");

    /* version 1 kept import counts only in the audit: version 2 copied them over */
    char counts[512] = "";
    assert_int_equal(at_store_imports_each(s, 0, collect_counts, counts, &err), AT_OK);
    assert_string_equal(counts, "exchange_rates:1/0/0 teams:1/0/0 people:2/0/0 accounts:1/0/0 "
                                "stages:2/0/0 opportunities:1/0/0 transactions:1/0/0");

    audit_seen a = {0};
    assert_int_equal(at_store_audit_each(s, NULL, collect_audit, &a, &err), AT_OK);
    assert_int_equal(a.n, 10); /* the 9 of version 1 and the upgrade */
    assert_string_equal(a.last_action, "migrate");
    assert_string_equal(a.last_after, "{\"from\":1,\"to\":6}");

    /* it keeps working: an update of an old row */
    const at_entity *people = entity("people");
    at_value values[AT_PEOPLE_FIELD_COUNT] = {0};
    at_row row = {people, values};
    values[AT_PEOPLE_ID] = (at_value){.present = true, .text = AT_STR("P2")};
    values[AT_PEOPLE_NAME] = (at_value){.present = true, .text = AT_STR("Bo Chen")};
    values[AT_PEOPLE_ROLE] = (at_value){.present = true, .text = AT_STR("rep")};
    values[AT_PEOPLE_TEAM_ID] = (at_value){.present = true, .text = AT_STR("T1")};
    values[AT_PEOPLE_PAY_CURRENCY] = (at_value){.present = true, .text = AT_STR("EUR")};
    values[AT_PEOPLE_COUNTRY] = (at_value){.present = true, .text = AT_STR("DE")};
    at_upsert_result r;
    assert_int_equal(at_store_begin(s, "ana", NULL, &err), AT_OK);
    assert_int_equal(at_store_upsert(s, &row, &r, NULL, &err), AT_OK);
    assert_int_equal(r, AT_UPSERT_UNCHANGED);
    values[AT_PEOPLE_TITLE] = (at_value){.present = true, .text = AT_STR("Account Executive")};
    assert_int_equal(at_store_upsert(s, &row, &r, NULL, &err), AT_OK);
    assert_int_equal(r, AT_UPSERT_UPDATED);
    assert_int_equal(at_store_commit(s, &err), AT_OK);

    at_error_list problems;
    at_error_list_init(&problems, 0);
    assert_int_equal(at_store_check(s, &problems, &err), AT_OK);
    assert_int_equal(problems.total, 0);
    at_error_list_free(&problems);
    at_store_close(s);

    /* opening again upgrades nothing */
    assert_int_equal(at_store_open(path, NULL, &s, &err), AT_OK);
    assert_int_equal(at_store_upgraded_from(s), 0);
    at_store_close(s);
    util_remove_db(path);
    free(path);
}

/* The upgraded schema is exactly the one a new database gets: if this fails after a change to
 * entities.c, add a migration step in src/store/schema.c. */
static void upgraded_schema_equals_a_new_one(void **state)
{
    (void)state;
    char *old = copy_v1();
    char *fresh = util_db_path("fresh");
    at_store *s = NULL;
    at_error err;
    assert_int_equal(at_store_open(old, NULL, &s, &err), AT_OK);
    at_store_close(s);
    at_store_options opt = {.create = true};
    assert_int_equal(at_store_open(fresh, &opt, &s, &err), AT_OK);
    at_store_close(s);
    char *a = shape(old), *b = shape(fresh);
    assert_non_null(a);
    assert_non_null(strstr(a, "table | import_counts"));
    assert_non_null(strstr(a, "index | audit_by_entity_key | audit |  | entity, row_key | CREATE "
                              "INDEX audit_by_entity_key ON audit (entity, row_key)\n"));
    assert_string_equal(a, b);
    free(a);
    free(b);
    util_remove_db(old);
    util_remove_db(fresh);
    free(old);
    free(fresh);
}

static void a_failed_upgrade_leaves_the_file_as_it_was(void **state)
{
    (void)state;
    char *path = copy_v1();
    /* a table in the way of version 2's */
    assert_int_equal(util_exec(path, "CREATE TABLE import_counts (x INTEGER)"), SQLITE_OK);
    char *before = util_dump(path);
    at_store *s = NULL;
    at_error err;
    assert_int_equal(at_store_open(path, NULL, &s, &err), AT_ERR_STORE);
    assert_null(s);
    assert_non_null(strstr(err.message, "upgrading the schema to version 2"));
    assert_non_null(strstr(err.message, "import_counts already exists"));
    char *after = util_dump(path);
    assert_string_equal(before, after);
    assert_int_equal(util_int(path, "SELECT max(version) FROM schema_version"), 1);
    free(before);
    free(after);
    util_remove_db(path);
    free(path);
}

static void upgrade_on_request_only(void **state)
{
    (void)state;
    char *path = copy_v1();
    at_store *s = NULL;
    at_error err;
    /* read-only: an older schema is an error that says what to run */
    at_store_options ro = {.read_only = true};
    assert_int_equal(at_store_open(path, &ro, &s, &err), AT_ERR_CONFLICT);
    assert_string_equal(err.message,
                        "this database has the older schema version 1 (this attain uses 6)");
    assert_string_equal(err.hint, "run `attain db migrate --db FILE`");
    /* no_upgrade: opened as it is, upgraded by at_store_migrate */
    at_store_options keep = {.no_upgrade = true};
    assert_int_equal(at_store_open(path, &keep, &s, &err), AT_OK);
    int v = 0, from = 0, to = 0;
    assert_int_equal(at_store_version(s, &v, &err), AT_OK);
    assert_int_equal(v, 1);
    assert_int_equal(at_store_migrate(s, "ops", &from, &to, &err), AT_OK);
    assert_int_equal(from, 1);
    assert_int_equal(to, 6);
    assert_int_equal(at_store_migrate(s, "ops", &from, &to, &err), AT_OK);
    assert_int_equal(from, 6);
    assert_int_equal(to, 6);
    audit_seen a = {0};
    assert_int_equal(at_store_audit_each(s, &(at_audit_filter){.action = "migrate"},
                                         collect_audit, &a, &err),
                     AT_OK);
    assert_int_equal(a.n, 1);
    assert_string_equal(a.last_actor, "ops");
    at_store_close(s);
    /* read-only opening of a current database works, and refuses writes */
    assert_int_equal(at_store_open(path, &ro, &s, &err), AT_OK);
    assert_int_equal(rows(s, "people"), 2);
    assert_int_equal(at_store_begin(s, "ana", NULL, &err), AT_ERR_INTERNAL);
    assert_int_equal(at_store_migrate(s, "ana", &from, &to, &err), AT_ERR_USAGE);
    at_store_close(s);
    util_remove_db(path);
    free(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(v1_db_is_made_from_v1_sql),
        cmocka_unit_test(opening_v1_upgrades_it_and_keeps_the_data),
        cmocka_unit_test(upgraded_schema_equals_a_new_one),
        cmocka_unit_test(a_failed_upgrade_leaves_the_file_as_it_was),
        cmocka_unit_test(upgrade_on_request_only),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
