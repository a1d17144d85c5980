/* test_store.c - the store over a small set of entities defined here: creating and opening,
 * refusing what it must refuse, upsert (inserted / updated / unchanged) with its audit rows,
 * imports, rollback, references, deletes, iteration order, counts, the schema check and the
 * errors people see. Expected values are worked out by hand. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sys/wait.h>
#include <time.h>

#include "store/store.h"
#include "model/fields.h"
#include "store/store_impl.h" /* the migration helpers */
#include "test_store_util.h"

/* ---- the entities of these tests --------------------------------------------------------- */

static const char *const id_key[] = {"id", NULL};
static const char *const kinds[] = {"direct", "channel", NULL};

enum { T_ID, T_NAME, T_KIND, T_COUNT };
static const at_field team_fields[] = {
    [T_ID] = {.name = "id", .type = AT_FIELD_ID, .required = true},
    [T_NAME] = {.name = "name", .type = AT_FIELD_TEXT, .required = true},
    [T_KIND] = {.name = "kind", .type = AT_FIELD_ENUM, .values = kinds},
};
static const at_entity teams = {.name = "teams", .file = "teams.csv", .fields = team_fields,
                                .field_count = T_COUNT, .key = id_key};

enum { P_ID, P_NAME, P_EMAIL, P_TEAM, P_HIRED, P_ACTIVE, P_SCORE, P_COUNT };
static const at_field people_fields[] = {
    [P_ID] = {.name = "id", .type = AT_FIELD_ID, .required = true},
    [P_NAME] = {.name = "name", .type = AT_FIELD_TEXT, .required = true},
    [P_EMAIL] = {.name = "email", .type = AT_FIELD_EMAIL, .unique = true},
    [P_TEAM] = {.name = "team_id", .type = AT_FIELD_REF, .ref_entity = "teams"},
    [P_HIRED] = {.name = "hire_date", .type = AT_FIELD_DAY},
    [P_ACTIVE] = {.name = "active", .type = AT_FIELD_BOOL},
    [P_SCORE] = {.name = "score", .type = AT_FIELD_INT, .min = 0, .max = 10},
};
static const at_entity people = {.name = "people", .file = "people.csv", .fields = people_fields,
                                 .field_count = P_COUNT, .key = id_key};

enum { D_ID, D_OWNER, D_AMOUNT, D_SHARE, D_LAT, D_AT, D_COUNT };
static const at_field deal_fields[] = {
    [D_ID] = {.name = "id", .type = AT_FIELD_ID, .required = true},
    [D_OWNER] = {.name = "owner_id", .type = AT_FIELD_REF, .required = true,
                 .ref_entity = "people"},
    [D_AMOUNT] = {.name = "amount", .type = AT_FIELD_MONEY, .min = 0, .max = INT64_MAX},
    [D_SHARE] = {.name = "share", .type = AT_FIELD_RATE, .min = 0, .max = AT_RATE_SCALE},
    [D_LAT] = {.name = "latitude", .type = AT_FIELD_COORD, .min = -90000000, .max = 90000000},
    [D_AT] = {.name = "closed_at", .type = AT_FIELD_TIME},
};
static const at_entity deals = {.name = "deals", .file = "deals.csv", .fields = deal_fields,
                                .field_count = D_COUNT, .key = id_key};

static const char *const link_key[] = {"person_id", "start_date", NULL};
enum { L_PERSON, L_START, L_NOTE, L_COUNT };
static const at_field link_fields[] = {
    [L_PERSON] = {.name = "person_id", .type = AT_FIELD_REF, .required = true,
                  .ref_entity = "people"},
    [L_START] = {.name = "start_date", .type = AT_FIELD_DAY, .required = true},
    [L_NOTE] = {.name = "note", .type = AT_FIELD_TEXT},
};
static const at_entity links = {.name = "links", .file = "links.csv", .fields = link_fields,
                                .field_count = L_COUNT, .key = link_key};

static const at_entity *const entities[] = {&teams, &people, &deals, &links};
#define ENTITY_COUNT 4

/* people with one more field: a database made without it lacks the column */
static at_field people_plus_fields[P_COUNT + 1];
static at_entity people_plus;
static const at_entity *entities_plus[ENTITY_COUNT];

/* ---- helpers ---------------------------------------------------------------------------- */

typedef struct trow {
    at_value v[8];
    at_row row;
} trow;

static const at_row *mk(trow *t, const at_entity *e)
{
    memset(t, 0, sizeof *t);
    t->row.entity = e;
    t->row.values = t->v;
    return &t->row;
}

static void txt(trow *t, int i, const char *s)
{
    t->v[i].present = true;
    t->v[i].text = at_str_from(s);
}

static void num(trow *t, int i, int64_t n)
{
    t->v[i].present = true;
    t->v[i].number = n;
}

static at_store *open_new(char **path)
{
    *path = util_db_path("store");
    at_store_options opt = {.create = true, .entities = entities, .entity_count = ENTITY_COUNT};
    at_store *s = NULL;
    at_error err;
    at_code rc = at_store_open(*path, &opt, &s, &err);
    if (rc != AT_OK)
        fail_msg("open: %s", err.message);
    return s;
}

static at_store *reopen(const char *path, int busy_ms)
{
    at_store_options opt = {.entities = entities, .entity_count = ENTITY_COUNT,
                            .busy_timeout_ms = busy_ms};
    at_store *s = NULL;
    at_error err;
    if (at_store_open(path, &opt, &s, &err) != AT_OK)
        fail_msg("reopen: %s", err.message);
    return s;
}

static void done(at_store *s, char *path)
{
    at_store_close(s);
    util_remove_db(path);
    free(path);
}

static at_upsert_result put(at_store *s, const at_row *row)
{
    at_upsert_result r = AT_UPSERT_UNCHANGED;
    at_error err;
    at_code rc = at_store_upsert(s, row, &r, NULL, &err);
    if (rc != AT_OK)
        fail_msg("upsert: %s: %s", err.where, err.message);
    return r;
}

static void begin(at_store *s)
{
    at_error err;
    if (at_store_begin(s, "ana", "testing", &err) != AT_OK)
        fail_msg("begin: %s", err.message);
}

static void commit(at_store *s)
{
    at_error err;
    if (at_store_commit(s, &err) != AT_OK)
        fail_msg("commit: %s", err.message);
}

static void team(at_store *s, const char *id, const char *name)
{
    trow t;
    mk(&t, &teams);
    txt(&t, T_ID, id);
    txt(&t, T_NAME, name);
    put(s, &t.row);
}

static void person(at_store *s, const char *id, const char *team_id)
{
    trow t;
    mk(&t, &people);
    txt(&t, P_ID, id);
    txt(&t, P_NAME, id);
    if (team_id)
        txt(&t, P_TEAM, team_id);
    put(s, &t.row);
}

/* the audit, collected */
typedef struct audit_copy {
    char action[16], entity[32], key[64], actor[32], reason[32];
    char before[512], after[512];
    int64_t import_id, at;
} audit_copy;

typedef struct audit_list {
    audit_copy items[32];
    size_t count;
} audit_list;

static at_code collect_audit(void *ctx, const at_audit_entry *e, at_error *err)
{
    (void)err;
    audit_list *l = ctx;
    if (l->count == 32)
        return AT_OK;
    audit_copy *c = &l->items[l->count++];
    snprintf(c->action, sizeof c->action, "%s", e->action);
    snprintf(c->entity, sizeof c->entity, "%s", e->entity);
    snprintf(c->key, sizeof c->key, "%s", e->key);
    snprintf(c->actor, sizeof c->actor, "%s", e->actor);
    snprintf(c->reason, sizeof c->reason, "%s", e->reason ? e->reason : "(null)");
    snprintf(c->before, sizeof c->before, "%s", e->before ? e->before : "(null)");
    snprintf(c->after, sizeof c->after, "%s", e->after ? e->after : "(null)");
    c->import_id = e->import_id;
    c->at = e->at;
    return AT_OK;
}

static audit_list *read_audit(at_store *s, const at_audit_filter *f)
{
    static audit_list l;
    memset(&l, 0, sizeof l);
    at_error err;
    if (at_store_audit_each(s, f, collect_audit, &l, &err) != AT_OK)
        fail_msg("audit: %s", err.message);
    return &l;
}

static int64_t count(at_store *s, const at_entity *e)
{
    int64_t n = -1;
    at_error err;
    if (at_store_count(s, e, &n, &err) != AT_OK)
        fail_msg("count: %s", err.message);
    return n;
}

/* ---- opening ----------------------------------------------------------------------------- */

static void open_missing_without_create_fails(void **state)
{
    (void)state;
    char *path = util_db_path("missing");
    at_store_options opt = {.entities = entities, .entity_count = ENTITY_COUNT};
    at_store *s = (at_store *)1;
    at_error err;
    assert_int_equal(at_store_open(path, &opt, &s, &err), AT_ERR_NOT_FOUND);
    assert_null(s);
    assert_string_equal(err.where, path);
    assert_string_equal(err.message, "there is no database here");
    assert_non_null(strstr(err.hint, "attain db init"));
    assert_int_equal(access(path, F_OK), -1); /* nothing was created */
    free(path);
}

static void open_empty_path_and_postgres_are_errors(void **state)
{
    (void)state;
    at_store *s;
    at_error err;
    assert_int_equal(at_store_open("", NULL, &s, &err), AT_ERR_USAGE);
    assert_int_equal(at_store_open("postgres://db/attain", NULL, &s, &err), AT_ERR_STORE);
    assert_non_null(strstr(err.message, "PostgreSQL"));
}

static void create_then_reopen(void **state)
{
    (void)state;
    char *path;
    at_store *s = open_new(&path);
    assert_true(at_store_created(s));
    assert_string_equal(at_store_backend(s), "sqlite");
    assert_string_equal(at_store_path(s), path);
    int v = 0;
    at_error err;
    assert_int_equal(at_store_version(s, &v, &err), AT_OK);
    assert_int_equal(v, AT_STORE_SCHEMA_VERSION);
    audit_list *a = read_audit(s, NULL);
    assert_int_equal(a->count, 1);
    assert_string_equal(a->items[0].action, "init");
    assert_string_equal(a->items[0].after, "{\"from\":0,\"to\":6}");
    at_store_close(s);

    /* WAL mode and foreign keys are on; the tables are STRICT */
    assert_int_equal(util_int(path, "SELECT count(*) FROM pragma_journal_mode WHERE "
                                    "journal_mode = 'wal'"),
                     1);
    assert_int_equal(util_int(path, "SELECT count(*) FROM sqlite_master WHERE type = 'table' "
                                    "AND sql LIKE '%STRICT%'"),
                     4 + 4 + 8 + 3 + 7 + 1); /* 4 entities + schema_version, audit, imports,
                                        import_counts + the 8 pay tables of version 3 + users,
                                        sessions, api_tokens of version 4 + the 7 workflow
                                        tables of version 5 + calc_payee_digests of version 6 */
    assert_int_equal(util_int(path, "SELECT count(*) FROM schema_version"), 6);

    s = reopen(path, 0);
    assert_false(at_store_created(s));
    assert_int_equal(at_store_upgraded_from(s), 0);
    assert_int_equal(count(s, &people), 0);
    done(s, path);
}

static void refuses_newer_schema(void **state)
{
    (void)state;
    char *path;
    at_store *s = open_new(&path);
    at_store_close(s);
    assert_int_equal(util_exec(path, "INSERT INTO schema_version VALUES (7, 0, 'future')"),
                     SQLITE_OK);
    char *before = util_dump(path);
    at_store_options opt = {.entities = entities, .entity_count = ENTITY_COUNT};
    at_error err;
    assert_int_equal(at_store_open(path, &opt, &s, &err), AT_ERR_CONFLICT);
    assert_null(s);
    assert_string_equal(err.message,
                        "this database has schema version 7, newer than this attain knows (6)");
    assert_non_null(strstr(err.hint, "at least as new"));
    char *after = util_dump(path);
    assert_string_equal(before, after);
    free(before);
    free(after);
    util_remove_db(path);
    free(path);
}

static void refuses_files_that_are_not_attain_databases(void **state)
{
    (void)state;
    char *path = util_db_path("notdb");
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("id,name\nP1,Ana\nthis is a CSV file, not a database, and long enough to show it\n",
          f);
    fclose(f);
    at_store_options opt = {.create = true, .entities = entities, .entity_count = ENTITY_COUNT};
    at_store *s;
    at_error err;
    assert_int_equal(at_store_open(path, &opt, &s, &err), AT_ERR_STORE);
    assert_string_equal(err.message, "this file is not a SQLite database");
    util_remove_db(path);

    /* a SQLite database made by something else */
    assert_int_equal(util_exec(path, "SELECT 1"), SQLITE_CANTOPEN);
    sqlite3 *db;
    sqlite3_open(path, &db);
    sqlite3_exec(db, "CREATE TABLE crm (x)", NULL, NULL, NULL);
    sqlite3_close(db);
    assert_int_equal(at_store_open(path, &opt, &s, &err), AT_ERR_STORE);
    assert_non_null(strstr(err.message, "not made by attain"));
    util_remove_db(path);
    free(path);
}

/* ---- upsert and audit ---------------------------------------------------------------------- */

static void upsert_insert_update_unchanged(void **state)
{
    (void)state;
    char *path;
    at_store *s = open_new(&path);
    at_error err;
    trow t;
    mk(&t, &teams);
    txt(&t, T_ID, "T1");
    txt(&t, T_NAME, "Enterprise");
    txt(&t, T_KIND, "direct");

    begin(s);
    at_upsert_result r;
    int64_t id1 = 0, id2 = 0;
    assert_int_equal(at_store_upsert(s, &t.row, &r, &id1, &err), AT_OK);
    assert_int_equal(r, AT_UPSERT_INSERTED);
    assert_true(id1 > 0);
    commit(s);

    begin(s);
    assert_int_equal(at_store_upsert(s, &t.row, &r, &id2, &err), AT_OK);
    assert_int_equal(r, AT_UPSERT_UNCHANGED);
    assert_int_equal(id2, id1);
    txt(&t, T_NAME, "Enterprise \"East\"\n");
    t.v[T_KIND].present = false;
    assert_int_equal(at_store_upsert(s, &t.row, &r, &id2, &err), AT_OK);
    assert_int_equal(r, AT_UPSERT_UPDATED);
    assert_int_equal(id2, id1);
    commit(s);
    assert_string_equal(at_upsert_result_name(AT_UPSERT_UPDATED), "updated");

    audit_list *a = read_audit(s, &(at_audit_filter){.entity = "teams"});
    assert_int_equal(a->count, 2); /* the insert (not an import: one row) and the update */
    assert_string_equal(a->items[0].action, "insert");
    assert_string_equal(a->items[0].key, "T1");
    assert_string_equal(a->items[0].actor, "ana");
    assert_string_equal(a->items[0].reason, "testing");
    assert_string_equal(a->items[0].before, "(null)");
    assert_string_equal(a->items[0].after,
                        "{\"id\":\"T1\",\"name\":\"Enterprise\",\"kind\":\"direct\"}");
    assert_int_equal(a->items[0].import_id, 0);
    assert_string_equal(a->items[1].action, "update");
    assert_string_equal(a->items[1].before, "{\"name\":\"Enterprise\",\"kind\":\"direct\"}");
    assert_string_equal(a->items[1].after,
                        "{\"name\":\"Enterprise \\\"East\\\"\\n\",\"kind\":null}");
    assert_true(a->items[1].at >= a->items[0].at);
    done(s, path);
}

static void values_round_trip_and_audit_as_text(void **state)
{
    (void)state;
    char *path;
    at_store *s = open_new(&path);
    begin(s);
    team(s, "T1", "Sales");
    trow p;
    mk(&p, &people);
    txt(&p, P_ID, "P1");
    txt(&p, P_NAME, "Ana Lima");
    txt(&p, P_EMAIL, "ana@example.com");
    txt(&p, P_TEAM, "T1");
    num(&p, P_HIRED, 20542); /* 2026-03-30: Jan 1 is 20454, + 31 + 28 + 29 */
    num(&p, P_ACTIVE, 1);
    num(&p, P_SCORE, 0);
    assert_int_equal(put(s, &p.row), AT_UPSERT_INSERTED);
    trow d;
    mk(&d, &deals);
    txt(&d, D_ID, "D1");
    txt(&d, D_OWNER, "P1");
    num(&d, D_AMOUNT, 125000);       /* 12.50 */
    num(&d, D_SHARE, 250000000);     /* 0.25 */
    num(&d, D_LAT, -33868800);       /* -33.8688 */
    num(&d, D_AT, 1774965900);       /* 2026-03-31T14:05:00Z */
    assert_int_equal(put(s, &d.row), AT_UPSERT_INSERTED);
    commit(s);

    audit_list *a = read_audit(s, &(at_audit_filter){.key = "D1"});
    assert_int_equal(a->count, 1);
    assert_string_equal(a->items[0].after,
                        "{\"id\":\"D1\",\"owner_id\":\"P1\",\"amount\":\"12.50\",\"share\":"
                        "\"0.25\",\"latitude\":\"-33.868800\",\"closed_at\":"
                        "\"2026-03-31T14:05:00Z\"}");
    a = read_audit(s, &(at_audit_filter){.key = "P1"});
    assert_string_equal(a->items[0].after,
                        "{\"id\":\"P1\",\"name\":\"Ana Lima\",\"email\":\"ana@example.com\","
                        "\"team_id\":\"T1\",\"hire_date\":\"2026-03-30\",\"active\":true,"
                        "\"score\":0}");

    /* a change of reference is audited by external id */
    begin(s);
    team(s, "T2", "Channel");
    txt(&p, P_TEAM, "T2");
    p.v[P_ACTIVE].number = 0;
    assert_int_equal(put(s, &p.row), AT_UPSERT_UPDATED);
    commit(s);
    a = read_audit(s, &(at_audit_filter){.key = "P1", .action = "update"});
    assert_int_equal(a->count, 1);
    assert_string_equal(a->items[0].before, "{\"team_id\":\"T1\",\"active\":true}");
    assert_string_equal(a->items[0].after, "{\"team_id\":\"T2\",\"active\":false}");
    done(s, path);
}

typedef struct seen_rows {
    char keys[16][64];
    int64_t numbers[16][8];
    int64_t ids[16];
    size_t count;
} seen_rows;

static at_code collect_row(void *ctx, int64_t id, const at_row *row, at_error *err)
{
    (void)err;
    seen_rows *s = ctx;
    if (s->count == 16)
        return AT_OK;
    char *k = s->keys[s->count];
    k[0] = '\0';
    for (size_t i = 0; i < row->entity->field_count; i++) {
        const at_value *v = &row->values[i];
        char part[48];
        if (!v->present)
            snprintf(part, sizeof part, "-");
        else if (v->text.ptr)
            snprintf(part, sizeof part, "%.*s", (int)v->text.len, v->text.ptr);
        else
            snprintf(part, sizeof part, "%lld", (long long)v->number);
        if (i)
            strcat(k, ",");
        strncat(k, part, 63 - strlen(k));
        s->numbers[s->count][i] = row->entity->fields[i].type == AT_FIELD_REF ? v->ref_id
                                                                              : v->number;
    }
    s->ids[s->count++] = id;
    return AT_OK;
}

static void iteration_is_in_key_order(void **state)
{
    (void)state;
    char *path;
    at_store *s = open_new(&path);
    begin(s);
    team(s, "T1", "Sales");
    team(s, "T0", "Ops");
    const char *ids[] = {"P3", "P1", "P10", "P2"};
    for (size_t i = 0; i < 4; i++)
        person(s, ids[i], i % 2 ? "T1" : "T0");
    /* natural key: by person's external id, then start date */
    const struct {
        const char *person;
        int64_t start;
        const char *note;
    } l[] = {{"P2", 20000, "b"}, {"P10", 20001, "c"}, {"P2", 19000, "a"}, {"P1", 30000, NULL}};
    for (size_t i = 0; i < 4; i++) {
        trow t;
        mk(&t, &links);
        txt(&t, L_PERSON, l[i].person);
        num(&t, L_START, l[i].start);
        if (l[i].note)
            txt(&t, L_NOTE, l[i].note);
        assert_int_equal(put(s, &t.row), AT_UPSERT_INSERTED);
    }
    commit(s);

    seen_rows seen = {0};
    at_error err;
    assert_int_equal(at_store_each_row(s, &people, collect_row, &seen, &err), AT_OK);
    assert_int_equal(seen.count, 4);
    assert_string_equal(seen.keys[0], "P1,P1,-,T1,-,-,-");
    assert_string_equal(seen.keys[1], "P10,P10,-,T0,-,-,-");
    assert_string_equal(seen.keys[2], "P2,P2,-,T1,-,-,-");
    assert_string_equal(seen.keys[3], "P3,P3,-,T0,-,-,-");
    /* the REF carries the internal id too: T1 was inserted first */
    assert_int_equal(seen.numbers[0][P_TEAM], 1);
    assert_int_equal(seen.numbers[1][P_TEAM], 2);
    /* internal ids are in insertion order: P3 first */
    assert_int_equal(seen.ids[3], 1);

    memset(&seen, 0, sizeof seen);
    assert_int_equal(at_store_each_row(s, &links, collect_row, &seen, &err), AT_OK);
    assert_int_equal(seen.count, 4);
    assert_string_equal(seen.keys[0], "P1,30000,-");
    assert_string_equal(seen.keys[1], "P10,20001,c");
    assert_string_equal(seen.keys[2], "P2,19000,a");
    assert_string_equal(seen.keys[3], "P2,20000,b");
    assert_int_equal(count(s, &links), 4);
    assert_int_equal(count(s, &people), 4);
    assert_int_equal(count(s, &teams), 2);
    assert_int_equal(count(s, &deals), 0);
    done(s, path);
}

/* The rows whose field holds one of some values: value by value, each in key order; a REF
 * matched by the referenced row's external id; nothing for no values; other fields refused. */
static void rows_where_a_field_holds_values(void **state)
{
    (void)state;
    char *path;
    at_store *s = open_new(&path);
    begin(s);
    team(s, "T1", "Sales");
    team(s, "T0", "Ops");
    person(s, "P3", "T0");
    person(s, "P1", "T1");
    person(s, "P2", "T0");
    person(s, "P4", NULL);
    commit(s);

    seen_rows seen = {0};
    at_error err;
    const at_str teams_wanted[] = {at_str_from("T0"), at_str_from("T9"), at_str_from("T1")};
    assert_int_equal(
        at_store_each_row_where(s, &people, "team_id", teams_wanted, 3, collect_row, &seen, &err),
        AT_OK);
    assert_int_equal(seen.count, 3);
    assert_string_equal(seen.keys[0], "P2,P2,-,T0,-,-,-");
    assert_string_equal(seen.keys[1], "P3,P3,-,T0,-,-,-");
    assert_string_equal(seen.keys[2], "P1,P1,-,T1,-,-,-");
    assert_int_equal(seen.ids[1], 1); /* P3 was the first person */
    assert_int_equal(seen.numbers[2][P_TEAM], 1); /* T1 was the first team */

    memset(&seen, 0, sizeof seen);
    const at_str ids_wanted[] = {at_str_from("P4"), at_str_from("P1")};
    assert_int_equal(
        at_store_each_row_where(s, &people, "id", ids_wanted, 2, collect_row, &seen, &err), AT_OK);
    assert_int_equal(seen.count, 2);
    assert_string_equal(seen.keys[0], "P4,P4,-,-,-,-,-");
    assert_string_equal(seen.keys[1], "P1,P1,-,T1,-,-,-");

    memset(&seen, 0, sizeof seen);
    assert_int_equal(at_store_each_row_where(s, &people, "id", NULL, 0, collect_row, &seen, &err),
                     AT_OK);
    assert_int_equal(seen.count, 0);
    assert_int_equal(
        at_store_each_row_where(s, &people, "score", ids_wanted, 1, collect_row, &seen, &err),
        AT_ERR_INTERNAL);
    assert_non_null(strstr(err.message, "people.score is not a text field or a reference"));
    assert_int_equal(
        at_store_each_row_where(s, &people, "nope", ids_wanted, 1, collect_row, &seen, &err),
        AT_ERR_INTERNAL);
    assert_int_equal(seen.count, 0);
    done(s, path);
}

typedef struct id_map {
    char ext[8][16];
    int64_t id[8];
    size_t count;
} id_map;

static at_code collect_id(void *ctx, at_str ext_id, int64_t id, at_error *err)
{
    (void)err;
    id_map *m = ctx;
    snprintf(m->ext[m->count], sizeof m->ext[0], "%.*s", (int)ext_id.len, ext_id.ptr);
    m->id[m->count++] = id;
    return m->count == 8 ? AT_ERR_CONFLICT : AT_OK;
}

static void ids_for_the_importer(void **state)
{
    (void)state;
    char *path;
    at_store *s = open_new(&path);
    begin(s);
    team(s, "T1", "Sales");
    team(s, "T2", "Ops");
    commit(s);
    id_map m = {0};
    at_error err;
    assert_int_equal(at_store_each_id(s, &teams, collect_id, &m, &err), AT_OK);
    assert_int_equal(m.count, 2);
    for (size_t i = 0; i < 2; i++)
        assert_int_equal(m.id[i], strcmp(m.ext[i], "T1") == 0 ? 1 : 2);
    int64_t id = 0;
    bool found = false;
    assert_int_equal(at_store_find_id(s, &teams, AT_STR("T2"), &id, &found, &err), AT_OK);
    assert_true(found);
    assert_int_equal(id, 2);
    assert_int_equal(at_store_find_id(s, &teams, AT_STR("T9"), &id, &found, &err), AT_OK);
    assert_false(found);
    /* the importer may pass the internal id it knows: read directly, or the usual way when it
     * is wrong */
    begin(s);
    trow t;
    mk(&t, &teams);
    txt(&t, T_ID, "T1");
    txt(&t, T_NAME, "Sales");
    at_upsert_result r;
    t.v[T_ID].ref_id = 1;
    assert_int_equal(at_store_upsert(s, &t.row, &r, &id, &err), AT_OK);
    assert_int_equal(r, AT_UPSERT_UNCHANGED);
    assert_int_equal(id, 1);
    txt(&t, T_NAME, "Sales East");
    assert_int_equal(at_store_upsert(s, &t.row, &r, &id, &err), AT_OK);
    assert_int_equal(r, AT_UPSERT_UPDATED);
    t.v[T_ID].ref_id = 2; /* T2's id: not this row */
    txt(&t, T_NAME, "Sales West");
    assert_int_equal(at_store_upsert(s, &t.row, &r, &id, &err), AT_OK);
    assert_int_equal(r, AT_UPSERT_UPDATED);
    assert_int_equal(id, 1);
    t.v[T_ID].ref_id = 999; /* no such row */
    assert_int_equal(at_store_upsert(s, &t.row, &r, &id, &err), AT_OK);
    assert_int_equal(r, AT_UPSERT_UNCHANGED);
    txt(&t, T_ID, "T3");
    txt(&t, T_NAME, "New");
    t.v[T_ID].ref_id = 1; /* a new row with a stale id */
    assert_int_equal(at_store_upsert(s, &t.row, &r, &id, &err), AT_OK);
    assert_int_equal(r, AT_UPSERT_INSERTED);
    assert_int_equal(id, 3);
    commit(s);
    seen_rows seen = {0};
    assert_int_equal(at_store_each_row(s, &teams, collect_row, &seen, &err), AT_OK);
    assert_int_equal(seen.count, 3);
    assert_string_equal(seen.keys[0], "T1,Sales West,-");
    assert_string_equal(seen.keys[1], "T2,Ops,-");
    assert_string_equal(seen.keys[2], "T3,New,-");

    /* natural-key entities have no ext ids */
    assert_int_equal(at_store_each_id(s, &links, collect_id, &m, &err), AT_ERR_INTERNAL);
    assert_int_equal(at_store_find_id(s, &links, AT_STR("x"), &id, &found, &err),
                     AT_ERR_INTERNAL);

    /* a callback's error stops the walk and comes back */
    begin(s);
    for (int i = 3; i <= 12; i++) {
        char tid[8];
        snprintf(tid, sizeof tid, "T%d", i);
        team(s, tid, "x");
    }
    commit(s);
    memset(&m, 0, sizeof m);
    assert_int_equal(at_store_each_id(s, &teams, collect_id, &m, &err), AT_ERR_CONFLICT);
    assert_int_equal(m.count, 8);
    done(s, path);
}

static void import_audits_once_per_entity(void **state)
{
    (void)state;
    char *path;
    at_store *s = open_new(&path);
    begin(s);
    team(s, "T1", "Sales");
    commit(s);

    at_error err;
    int64_t import_id = 0;
    assert_int_equal(at_store_begin_import(s, "importer", "load March", &import_id, &err), AT_OK);
    assert_true(import_id > 0);
    assert_int_equal(at_store_import_file(s, "people.csv", 120, "ab12", &err), AT_OK);
    assert_int_equal(at_store_import_file(s, "teams.csv", 40, NULL, &err), AT_OK);
    team(s, "T1", "Sales");      /* unchanged */
    team(s, "T2", "Channel");    /* inserted */
    person(s, "P1", "T1");
    person(s, "P2", "T2");
    person(s, "P3", NULL);
    trow t;
    mk(&t, &teams);
    txt(&t, T_ID, "T1");
    txt(&t, T_NAME, "Sales East");
    assert_int_equal(put(s, &t.row), AT_UPSERT_UPDATED);
    at_import_count c;
    assert_int_equal(at_store_import_counts(s, &teams, &c, &err), AT_OK);
    assert_string_equal(c.entity, "teams");
    assert_int_equal(c.inserted, 1);
    assert_int_equal(c.updated, 1);
    assert_int_equal(c.unchanged, 1);
    commit(s);

    audit_list *a = read_audit(s, &(at_audit_filter){.import_id = import_id});
    assert_int_equal(a->count, 3); /* the update, then one summary per entity */
    assert_string_equal(a->items[0].action, "update");
    assert_string_equal(a->items[0].key, "T1");
    assert_string_equal(a->items[1].action, "import");
    assert_string_equal(a->items[1].entity, "teams");
    assert_string_equal(a->items[1].after, "{\"inserted\":1,\"updated\":1,\"unchanged\":1}");
    assert_string_equal(a->items[2].entity, "people");
    assert_string_equal(a->items[2].after, "{\"inserted\":3,\"updated\":0,\"unchanged\":0}");
    assert_string_equal(a->items[2].actor, "importer");
    assert_string_equal(a->items[2].reason, "load March");
    /* no per-row insert audit for the import's rows; they carry its id */
    assert_int_equal(read_audit(s, &(at_audit_filter){.action = "insert", .entity = "people"})
                         ->count,
                     0);
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM people WHERE import_id = %lld",
             (long long)import_id);
    assert_int_equal(util_int(path, sql), 3);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM teams WHERE import_id = %lld",
             (long long)import_id);
    assert_int_equal(util_int(path, sql), 2); /* T2 inserted, T1 updated */

    assert_int_equal(at_store_import_counts(s, &teams, &c, &err), AT_OK);
    assert_int_equal(c.inserted, 0); /* no import in progress */
    done(s, path);
}

typedef struct import_seen {
    size_t n;
    int64_t id[4];
    char status[4][16], actor[4][16], files[4][256], counts[4][128];
    int64_t started[4], finished[4];
} import_seen;

static at_code collect_import(void *ctx, const at_import_record *r, at_error *err)
{
    (void)err;
    import_seen *s = ctx;
    size_t i = s->n++;
    s->id[i] = r->id;
    s->started[i] = r->started;
    s->finished[i] = r->finished;
    snprintf(s->status[i], sizeof s->status[i], "%s", r->status);
    snprintf(s->actor[i], sizeof s->actor[i], "%s", r->actor);
    snprintf(s->files[i], sizeof s->files[i], "%s", r->files);
    s->counts[i][0] = '\0';
    for (size_t k = 0; k < r->count_count; k++) {
        char part[64];
        snprintf(part, sizeof part, "%s%s:%lld/%lld/%lld", k ? " " : "", r->counts[k].entity,
                 (long long)r->counts[k].inserted, (long long)r->counts[k].updated,
                 (long long)r->counts[k].unchanged);
        strncat(s->counts[i], part, sizeof s->counts[i] - 1 - strlen(s->counts[i]));
    }
    return AT_OK;
}

static void imports_are_recorded(void **state)
{
    (void)state;
    char *path;
    at_store *s = open_new(&path);
    at_error err;
    int64_t first = 0, second = 0;
    assert_int_equal(at_store_begin_import(s, "ana", NULL, &first, &err), AT_OK);
    assert_int_equal(at_store_import_file(s, "people.csv", 120, "ab12", &err), AT_OK);
    person(s, "P1", NULL);
    team(s, "T1", "Sales");
    commit(s);
    assert_int_equal(at_store_begin_import(s, "bo", "again", &second, &err), AT_OK);
    person(s, "P1", NULL);
    commit(s);
    /* an import that was rolled back leaves no record */
    int64_t third = 0;
    assert_int_equal(at_store_begin_import(s, "cy", NULL, &third, &err), AT_OK);
    person(s, "P9", NULL);
    assert_int_equal(at_store_rollback(s, &err), AT_OK);

    import_seen seen = {0};
    assert_int_equal(at_store_imports_each(s, 0, collect_import, &seen, &err), AT_OK);
    assert_int_equal(seen.n, 2);
    assert_int_equal(seen.id[0], second); /* newest first */
    assert_int_equal(seen.id[1], first);
    assert_string_equal(seen.status[1], "committed");
    assert_string_equal(seen.actor[1], "ana");
    assert_true(seen.finished[1] >= seen.started[1] && seen.started[1] > 0);
    assert_string_equal(seen.files[1], "[{\"name\":\"people.csv\",\"size\":120,\"sha256\":\"ab12\"}]");
    assert_string_equal(seen.files[0], "[]");
    /* counts in entity order (teams before people), whatever order they were written */
    assert_string_equal(seen.counts[1], "teams:1/0/0 people:1/0/0");
    assert_string_equal(seen.counts[0], "people:0/0/1");
    memset(&seen, 0, sizeof seen);
    assert_int_equal(at_store_imports_each(s, 1, collect_import, &seen, &err), AT_OK);
    assert_int_equal(seen.n, 1);

    /* import files need an import */
    begin(s);
    assert_int_equal(at_store_import_file(s, "x.csv", 1, NULL, &err), AT_ERR_INTERNAL);
    assert_int_equal(at_store_rollback(s, &err), AT_OK);
    done(s, path);
}

/* ---- transactions ------------------------------------------------------------------------- */

static void rollback_leaves_nothing(void **state)
{
    (void)state;
    char *path;
    at_store *s = open_new(&path);
    at_error err;
    begin(s);
    team(s, "T1", "Sales");
    assert_true(at_store_in_transaction(s));
    assert_int_equal(count(s, &teams), 1); /* visible to the writer itself */
    assert_int_equal(at_store_rollback(s, &err), AT_OK);
    assert_false(at_store_in_transaction(s));
    assert_int_equal(count(s, &teams), 0);
    assert_int_equal(read_audit(s, &(at_audit_filter){.entity = "teams"})->count, 0);
    assert_int_equal(at_store_rollback(s, &err), AT_OK); /* nothing open: fine */
    done(s, path);
}

static void writes_need_a_transaction(void **state)
{
    (void)state;
    char *path;
    at_store *s = open_new(&path);
    at_error err;
    trow t;
    mk(&t, &teams);
    txt(&t, T_ID, "T1");
    txt(&t, T_NAME, "x");
    assert_int_equal(at_store_upsert(s, &t.row, NULL, NULL, &err), AT_ERR_INTERNAL);
    assert_int_equal(at_store_delete(s, &t.row, NULL, &err), AT_ERR_INTERNAL);
    assert_int_equal(at_store_commit(s, &err), AT_ERR_INTERNAL);
    assert_int_equal(at_store_begin(s, "", NULL, &err), AT_ERR_USAGE);
    assert_int_equal(at_store_begin(s, NULL, NULL, &err), AT_ERR_USAGE);
    begin(s);
    assert_int_equal(at_store_begin(s, "ana", NULL, &err), AT_ERR_CONFLICT);
    int from, to;
    assert_int_equal(at_store_migrate(s, "ana", &from, &to, &err), AT_ERR_INTERNAL);
    /* an entity the store does not hold */
    static const at_entity stranger = {.name = "strangers", .fields = team_fields,
                                       .field_count = T_COUNT, .key = id_key};
    t.row.entity = &stranger;
    assert_int_equal(at_store_upsert(s, &t.row, NULL, NULL, &err), AT_ERR_INTERNAL);
    assert_non_null(strstr(err.message, "strangers"));
    int64_t n;
    assert_int_equal(at_store_count(s, &stranger, &n, &err), AT_ERR_INTERNAL);
    /* a row without its key */
    mk(&t, &teams);
    txt(&t, T_NAME, "no id");
    assert_int_equal(at_store_upsert(s, &t.row, NULL, NULL, &err), AT_ERR_INVALID);
    assert_string_equal(err.message, "teams: the key field id is empty");
    txt(&t, T_ID, "");
    assert_int_equal(at_store_upsert(s, &t.row, NULL, NULL, &err), AT_ERR_INVALID);
    assert_int_equal(at_store_rollback(s, &err), AT_OK);
    done(s, path);
}

/* An import that fails half way, and one whose process dies half way, leave every table as it
 * was. */
static void failed_import_leaves_the_database_as_it_was(void **state)
{
    (void)state;
    char *path;
    at_store *s = open_new(&path);
    begin(s);
    team(s, "T1", "Sales");
    person(s, "P1", "T1");
    commit(s);
    at_store_close(s);
    char *before = util_dump(path);
    assert_non_null(before);

    s = reopen(path, 0);
    at_error err;
    int64_t import_id;
    assert_int_equal(at_store_begin_import(s, "ana", NULL, &import_id, &err), AT_OK);
    for (int i = 2; i < 200; i++) {
        char id[16];
        snprintf(id, sizeof id, "P%d", i);
        person(s, id, "T1");
    }
    trow t;
    mk(&t, &people);
    txt(&t, P_ID, "P1");
    txt(&t, P_NAME, "changed");
    put(s, &t.row);
    mk(&t, &deals);
    txt(&t, D_ID, "D1");
    txt(&t, D_OWNER, "P404");
    assert_int_equal(at_store_upsert(s, &t.row, NULL, NULL, &err), AT_ERR_NOT_FOUND);
    assert_int_equal(at_store_rollback(s, &err), AT_OK);
    at_store_close(s);
    char *after = util_dump(path);
    assert_string_equal(before, after);
    free(after);

    /* a crash: the writer dies before commit */
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        at_store *c = reopen(path, 0);
        if (at_store_begin_import(c, "ana", NULL, &import_id, NULL) != AT_OK)
            _exit(3);
        for (int i = 2; i < 2000; i++) {
            char id[16];
            snprintf(id, sizeof id, "P%d", i);
            person(c, id, "T1");
        }
        _exit(0); /* no commit, no close */
    }
    int status = 0;
    waitpid(pid, &status, 0);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    after = util_dump(path);
    assert_string_equal(before, after);
    s = reopen(path, 0);
    assert_int_equal(count(s, &people), 1);
    free(after);
    free(before);
    done(s, path);
}

static void a_second_writer_hears_the_database_is_locked(void **state)
{
    (void)state;
    char *path;
    at_store *s = open_new(&path);
    at_store *other = reopen(path, 50);
    begin(s);
    team(s, "T1", "Sales");
    at_error err;
    assert_int_equal(at_store_begin(other, "bo", NULL, &err), AT_ERR_LOCKED);
    assert_string_equal(err.where, path);
    assert_string_equal(err.message, "the database is locked (starting a write)");
    assert_non_null(strstr(err.hint, "another attain"));
    assert_false(at_store_in_transaction(other));
    /* readers still see the last commit, also one that opens now */
    assert_int_equal(count(other, &teams), 0);
    at_store *reader = reopen(path, 50);
    assert_int_equal(count(reader, &teams), 0);
    at_store_close(reader);
    commit(s);
    assert_int_equal(count(other, &teams), 1);
    begin(other);
    commit(other);
    at_store_close(other);
    done(s, path);
}

/* ---- constraints, references, deletes ----------------------------------------------------- */

static void constraint_errors_name_table_and_column(void **state)
{
    (void)state;
    char *path;
    at_store *s = open_new(&path);
    at_error err;
    begin(s);
    team(s, "T1", "Sales");
    trow t;
    mk(&t, &people);
    txt(&t, P_ID, "P1");
    txt(&t, P_NAME, "Ana");
    txt(&t, P_EMAIL, "ana@example.com");
    put(s, &t.row);
    txt(&t, P_ID, "P2");
    assert_int_equal(at_store_upsert(s, &t.row, NULL, NULL, &err), AT_ERR_CONFLICT);
    char where[1200];
    snprintf(where, sizeof where, "%s (people P2)", path);
    assert_string_equal(err.where, where);
    assert_string_equal(err.message, "writing people: another row already has the same "
                                     "people.email");
    /* required */
    mk(&t, &teams);
    txt(&t, T_ID, "T2");
    assert_int_equal(at_store_upsert(s, &t.row, NULL, NULL, &err), AT_ERR_CONFLICT);
    assert_string_equal(err.message, "writing teams: teams.name is required but has no value");
    /* enum */
    txt(&t, T_NAME, "x");
    txt(&t, T_KIND, "partner");
    assert_int_equal(at_store_upsert(s, &t.row, NULL, NULL, &err), AT_ERR_CONFLICT);
    assert_non_null(strstr(err.message, "writing teams: a value breaks the rule"));
    assert_non_null(strstr(err.message, "kind"));
    /* bounds */
    mk(&t, &people);
    txt(&t, P_ID, "P3");
    txt(&t, P_NAME, "Bo");
    num(&t, P_SCORE, 11);
    assert_int_equal(at_store_upsert(s, &t.row, NULL, NULL, &err), AT_ERR_CONFLICT);
    assert_non_null(strstr(err.message, "score"));
    num(&t, P_SCORE, 10);
    num(&t, P_ACTIVE, 2);
    assert_int_equal(at_store_upsert(s, &t.row, NULL, NULL, &err), AT_ERR_CONFLICT);
    assert_non_null(strstr(err.message, "active"));
    /* the failed statements left nothing behind; the transaction goes on */
    commit(s);
    assert_int_equal(count(s, &people), 1);
    assert_int_equal(count(s, &teams), 1);
    done(s, path);
}

static void foreign_keys_are_enforced(void **state)
{
    (void)state;
    char *path;
    at_store *s = open_new(&path);
    at_error err;
    begin(s);
    team(s, "T1", "Sales");
    trow t;
    mk(&t, &people);
    txt(&t, P_ID, "P1");
    txt(&t, P_NAME, "Ana");
    txt(&t, P_TEAM, "T9");
    assert_int_equal(at_store_upsert(s, &t.row, NULL, NULL, &err), AT_ERR_NOT_FOUND);
    assert_string_equal(err.message, "people.team_id refers to teams 'T9', which does not exist");
    /* an internal id the importer got wrong */
    t.v[P_TEAM].ref_id = 999;
    assert_int_equal(at_store_upsert(s, &t.row, NULL, NULL, &err), AT_ERR_NOT_FOUND);
    assert_string_equal(err.message,
                        "people.team_id refers to teams row #999 ('T9'), which does not exist");
    /* resolved by the importer: no lookup */
    t.v[P_TEAM].ref_id = 1;
    int64_t id;
    at_upsert_result r;
    assert_int_equal(at_store_upsert(s, &t.row, &r, &id, &err), AT_OK);
    assert_int_equal(r, AT_UPSERT_INSERTED);
    commit(s);

    /* deleting a row others refer to */
    begin(s);
    mk(&t, &teams);
    txt(&t, T_ID, "T1");
    bool deleted = true;
    assert_int_equal(at_store_delete(s, &t.row, &deleted, &err), AT_ERR_CONFLICT);
    assert_false(deleted);
    assert_string_equal(err.message,
                        "teams is still referred to by 1 row of people (column team_id)");
    assert_int_equal(at_store_rollback(s, &err), AT_OK);
    assert_int_equal(count(s, &teams), 1);
    done(s, path);
}

/* An import runs with foreign keys off (the importer resolves references itself): the store
 * looks references up itself, except for an entity in bulk, whose table (and the rules of
 * every table written) commit checks; tables referring to one deleted from too. */
static void import_references_are_checked_at_commit(void **state)
{
    (void)state;
    char *path;
    at_store *s = open_new(&path);
    at_error err;
    int64_t import_id = 0;
    begin(s);
    team(s, "T1", "Sales");
    commit(s);

    /* a reference by an internal id that does not exist: found by the write... */
    assert_int_equal(at_store_begin_import(s, "ana", NULL, &import_id, &err), AT_OK);
    trow t;
    mk(&t, &people);
    txt(&t, P_ID, "P1");
    txt(&t, P_NAME, "Ana");
    txt(&t, P_TEAM, "T9");
    t.v[P_TEAM].ref_id = 999;
    assert_int_equal(at_store_upsert(s, &t.row, NULL, NULL, &err), AT_ERR_NOT_FOUND);
    assert_string_equal(err.message,
                        "people.team_id refers to teams row #999 ('T9'), which does not exist");
    assert_int_equal(count(s, &people), 0); /* the row is not kept */
    assert_int_equal(at_store_rollback(s, &err), AT_OK);
    /* ...or, for an entity in bulk, at commit, and nothing is kept */
    assert_int_equal(at_store_begin_import(s, "ana", NULL, &import_id, &err), AT_OK);
    assert_int_equal(at_store_import_expect(s, &people, AT_STORE_BULK_ROWS, &err), AT_OK);
    assert_int_equal(at_store_upsert(s, &t.row, NULL, NULL, &err), AT_OK);
    assert_int_equal(at_store_commit(s, &err), AT_ERR_CONFLICT);
    assert_string_equal(err.message,
                        "row #1 of people refers to a row of teams that does not exist");
    assert_false(at_store_in_transaction(s));
    assert_int_equal(count(s, &people), 0);

    /* foreign keys are on again for other writes */
    begin(s);
    assert_int_equal(at_store_upsert(s, &t.row, NULL, NULL, &err), AT_ERR_NOT_FOUND);
    assert_string_equal(err.message,
                        "people.team_id refers to teams row #999 ('T9'), which does not exist");
    assert_int_equal(at_store_rollback(s, &err), AT_OK);

    /* a good import commits */
    assert_int_equal(at_store_begin_import(s, "ana", NULL, &import_id, &err), AT_OK);
    t.v[P_TEAM].ref_id = 1;
    assert_int_equal(at_store_upsert(s, &t.row, NULL, NULL, &err), AT_OK);
    assert_int_equal(at_store_commit(s, &err), AT_OK);
    assert_int_equal(count(s, &people), 1);
    /* an update (the row's id known) to a reference that does not exist: found by the write */
    assert_int_equal(at_store_begin_import(s, "ana", NULL, &import_id, &err), AT_OK);
    t.v[P_ID].ref_id = 1;
    t.v[P_TEAM].ref_id = 999;
    assert_int_equal(at_store_upsert(s, &t.row, NULL, NULL, &err), AT_ERR_NOT_FOUND);
    assert_string_equal(err.message,
                        "people.team_id refers to teams row #999 ('T9'), which does not exist");
    t.v[P_TEAM].ref_id = 1; /* unchanged: no lookup needed, no error */
    at_upsert_result same;
    assert_int_equal(at_store_upsert(s, &t.row, &same, NULL, &err), AT_OK);
    assert_int_equal(same, AT_UPSERT_UNCHANGED);
    assert_int_equal(at_store_rollback(s, &err), AT_OK);
    t.v[P_ID].ref_id = 0;

    /* deleting a referred-to row inside an import: the referring table is checked */
    assert_int_equal(at_store_begin_import(s, "ana", NULL, &import_id, &err), AT_OK);
    mk(&t, &teams);
    txt(&t, T_ID, "T1");
    bool deleted = false;
    assert_int_equal(at_store_delete(s, &t.row, &deleted, &err), AT_OK);
    assert_true(deleted);
    assert_int_equal(at_store_commit(s, &err), AT_ERR_CONFLICT);
    assert_string_equal(err.message,
                        "row #1 of people refers to a row of teams that does not exist");
    assert_int_equal(count(s, &teams), 1);

    /* a value that breaks a rule (the importer checks them; the store at commit) */
    assert_int_equal(at_store_begin_import(s, "ana", NULL, &import_id, &err), AT_OK);
    assert_int_equal(at_store_import_expect(s, &people, AT_STORE_BULK_ROWS, &err), AT_OK);
    mk(&t, &people);
    txt(&t, P_ID, "P2");
    txt(&t, P_NAME, "Bo");
    num(&t, P_SCORE, 11);
    assert_int_equal(at_store_upsert(s, &t.row, NULL, NULL, &err), AT_OK);
    assert_int_equal(at_store_commit(s, &err), AT_ERR_CONFLICT);
    assert_string_equal(err.message, "row #2 of people: the value of score breaks its rule");
    assert_int_equal(count(s, &people), 1);
    begin(s); /* outside an import, the write itself fails */
    assert_int_equal(at_store_upsert(s, &t.row, NULL, NULL, &err), AT_ERR_CONFLICT);
    assert_non_null(strstr(err.message, "a value breaks the rule"));
    assert_int_equal(at_store_rollback(s, &err), AT_OK);
    assert_int_equal(at_store_begin_import(s, "ana", NULL, &import_id, &err), AT_OK);
    num(&t, P_SCORE, 10); /* the bound itself is allowed */
    assert_int_equal(at_store_upsert(s, &t.row, NULL, NULL, &err), AT_OK);
    assert_int_equal(at_store_commit(s, &err), AT_OK);
    assert_int_equal(count(s, &people), 2);

    /* an enum's rule */
    assert_int_equal(at_store_begin_import(s, "ana", NULL, &import_id, &err), AT_OK);
    assert_int_equal(at_store_import_expect(s, &teams, AT_STORE_BULK_ROWS, &err), AT_OK);
    mk(&t, &teams);
    txt(&t, T_ID, "T3");
    txt(&t, T_NAME, "Partners");
    txt(&t, T_KIND, "partner");
    assert_int_equal(at_store_upsert(s, &t.row, NULL, NULL, &err), AT_OK);
    assert_int_equal(at_store_commit(s, &err), AT_ERR_CONFLICT);
    assert_string_equal(err.message, "row #2 of teams: the value of kind breaks its rule");
    assert_int_equal(count(s, &teams), 1);

    /* a rolled-back import leaves foreign keys on too */
    mk(&t, &teams);
    txt(&t, T_ID, "T1");
    assert_int_equal(at_store_begin_import(s, "ana", NULL, &import_id, &err), AT_OK);
    assert_int_equal(at_store_rollback(s, &err), AT_OK);
    begin(s);
    assert_int_equal(at_store_delete(s, &t.row, &deleted, &err), AT_ERR_CONFLICT);
    assert_int_equal(at_store_rollback(s, &err), AT_OK);
    done(s, path);
}

static void delete_is_audited(void **state)
{
    (void)state;
    char *path;
    at_store *s = open_new(&path);
    at_error err;
    begin(s);
    team(s, "T1", "Sales");
    person(s, "P1", "T1");
    trow t;
    mk(&t, &links);
    txt(&t, L_PERSON, "P1");
    num(&t, L_START, 20454); /* 2026-01-01 */
    txt(&t, L_NOTE, "first");
    put(s, &t.row);
    commit(s);

    begin(s);
    trow k;
    mk(&k, &links);
    txt(&k, L_PERSON, "P1");
    num(&k, L_START, 20454);
    bool deleted = false;
    assert_int_equal(at_store_delete(s, &k.row, &deleted, &err), AT_OK);
    assert_true(deleted);
    assert_int_equal(at_store_delete(s, &k.row, &deleted, &err), AT_OK);
    assert_false(deleted);
    txt(&k, L_PERSON, "P404"); /* a reference to nothing: no such row */
    assert_int_equal(at_store_delete(s, &k.row, &deleted, &err), AT_OK);
    assert_false(deleted);
    commit(s);
    assert_int_equal(count(s, &links), 0);
    audit_list *a = read_audit(s, &(at_audit_filter){.action = "delete"});
    assert_int_equal(a->count, 1);
    assert_string_equal(a->items[0].entity, "links");
    assert_string_equal(a->items[0].key, "P1|2026-01-01");
    assert_string_equal(a->items[0].before,
                        "{\"person_id\":\"P1\",\"start_date\":\"2026-01-01\",\"note\":\"first\"}");
    assert_string_equal(a->items[0].after, "(null)");
    done(s, path);
}

static void audit_filters(void **state)
{
    (void)state;
    char *path;
    at_store *s = open_new(&path);
    at_error err;
    begin(s);
    team(s, "T1", "a");
    team(s, "T2", "b");
    commit(s);
    assert_int_equal(at_store_begin(s, "bo", NULL, &err), AT_OK);
    team(s, "T3", "c");
    person(s, "P1", NULL);
    commit(s);
    /* init + 4 inserts */
    assert_int_equal(read_audit(s, NULL)->count, 5);
    assert_int_equal(read_audit(s, &(at_audit_filter){.actor = "bo"})->count, 2);
    assert_int_equal(read_audit(s, &(at_audit_filter){.actor = "bo", .entity = "teams"})->count,
                     1);
    assert_int_equal(read_audit(s, &(at_audit_filter){.entity = "teams", .key = "T2"})->count, 1);
    audit_list *a = read_audit(s, &(at_audit_filter){.entity = "teams", .limit = 2});
    assert_int_equal(a->count, 2);
    assert_string_equal(a->items[1].key, "T2");
    /* paging: after the id of the 2nd entry overall */
    a = read_audit(s, &(at_audit_filter){.after_id = 2});
    assert_int_equal(a->count, 3);
    assert_string_equal(a->items[0].key, "T2");
    /* time range [from, to) */
    time_t now = time(NULL);
    assert_int_equal(read_audit(s, &(at_audit_filter){.from = now - 3600, .to = now + 3600})->count,
                     5);
    assert_int_equal(read_audit(s, &(at_audit_filter){.from = now + 3600, .to = now + 7200})->count,
                     0);
    assert_int_equal(read_audit(s, &(at_audit_filter){.key = "nope"})->count, 0);
    done(s, path);
}

/* ---- schema check ------------------------------------------------------------------------- */

static void check_finds_missing_columns(void **state)
{
    (void)state;
    char *path;
    at_store *s = open_new(&path);
    at_error_list problems;
    at_error_list_init(&problems, 0);
    at_error err;
    assert_int_equal(at_store_check(s, &problems, &err), AT_OK);
    assert_int_equal(problems.total, 0);
    at_store_close(s);

    /* the descriptors gained a field but no migration added the column */
    memcpy(people_plus_fields, people_fields, sizeof people_fields);
    people_plus_fields[P_COUNT] = (at_field){.name = "nickname", .type = AT_FIELD_TEXT};
    people_plus = people;
    people_plus.fields = people_plus_fields;
    people_plus.field_count = P_COUNT + 1;
    memcpy(entities_plus, entities, sizeof entities_plus);
    entities_plus[1] = &people_plus;
    at_store_options opt = {.entities = entities_plus, .entity_count = ENTITY_COUNT};
    assert_int_equal(at_store_open(path, &opt, &s, &err), AT_OK);
    assert_int_equal(at_store_check(s, &problems, &err), AT_OK);
    assert_int_equal(problems.total, 1);
    assert_string_equal(problems.items[0].message, "column people.nickname is missing");
    assert_non_null(strstr(problems.items[0].hint, "migration"));
    /* and writing to it fails with a message, not a crash */
    begin(s);
    trow t;
    mk(&t, &people_plus);
    txt(&t, P_ID, "P1");
    txt(&t, P_NAME, "Ana");
    assert_int_equal(at_store_upsert(s, &t.row, NULL, NULL, &err), AT_ERR_STORE);
    assert_non_null(strstr(err.message, "nickname"));
    assert_int_equal(at_store_rollback(s, &err), AT_OK);
    at_error_list_free(&problems);

    /* the migration step for it: one line, add_fields = {"people.nickname"} */
    at_text sql;
    at_text_init(&sql);
    assert_int_equal(at_schema_add_field_sql(&people_plus, "nickname", entities_plus,
                                             ENTITY_COUNT, &sql, &err),
                     AT_OK);
    assert_string_equal(at_text_cstr(&sql), "ALTER TABLE \"people\" ADD COLUMN \"nickname\" TEXT;\n");
    at_store_close(s);
    assert_int_equal(util_exec(path, at_text_cstr(&sql)), SQLITE_OK);
    assert_int_equal(at_store_open(path, &opt, &s, &err), AT_OK);
    at_error_list_init(&problems, 0);
    assert_int_equal(at_store_check(s, &problems, &err), AT_OK);
    assert_int_equal(problems.total, 0);
    at_error_list_free(&problems);
    /* a reference gets its index; what SQLite cannot add is refused */
    at_text_clear(&sql);
    assert_int_equal(at_schema_add_field_sql(&people, "team_id", entities, ENTITY_COUNT, &sql,
                                             &err),
                     AT_OK);
    assert_string_equal(at_text_cstr(&sql),
                        "ALTER TABLE \"people\" ADD COLUMN \"team_id\" INTEGER REFERENCES "
                        "\"teams\"(\"id\");\nCREATE INDEX \"people_by_team_id\" ON \"people\" "
                        "(\"team_id\") WHERE \"team_id\" IS NOT NULL;\n");
    assert_int_equal(at_schema_add_field_sql(&people, "name", entities, ENTITY_COUNT, &sql, &err),
                     AT_ERR_INTERNAL);
    assert_string_equal(err.message, "the migration cannot add people.name as a plain column");
    assert_int_equal(at_schema_add_field_sql(&people, "email", entities, ENTITY_COUNT, &sql,
                                             &err),
                     AT_ERR_INTERNAL);
    assert_int_equal(at_schema_add_field_sql(&people, "nope", entities, ENTITY_COUNT, &sql, &err),
                     AT_ERR_INTERNAL);
    at_text_free(&sql);

    /* a broken reference (written with foreign keys off) is found */
    at_store_close(s);
    assert_int_equal(util_exec(path, "PRAGMA foreign_keys = OFF; INSERT INTO people (ext_id, "
                                     "name, team_id) VALUES ('P7', 'x', 42)"),
                     SQLITE_OK);
    assert_int_equal(at_store_open(path, &opt, &s, &err), AT_OK);
    at_error_list_init(&problems, 0);
    assert_int_equal(at_store_check(s, &problems, &err), AT_OK);
    assert_int_equal(problems.total, 1);
    assert_string_equal(problems.items[0].message,
                        "row #1 of people refers to a row of teams that does not exist");
    at_error_list_free(&problems);
    done(s, path);
}

static void schema_sql_is_generated_from_descriptors(void **state)
{
    (void)state;
    char *sql = NULL;
    at_error err;
    assert_int_equal(at_store_schema_sql(entities, ENTITY_COUNT, &sql, &err), AT_OK);
    assert_non_null(strstr(sql, "CREATE TABLE \"links\" (\n"
                                "  \"id\" INTEGER PRIMARY KEY,\n"
                                "  \"person_id\" INTEGER NOT NULL REFERENCES \"people\"(\"id\"),\n"
                                "  \"start_date\" INTEGER NOT NULL,\n"
                                "  \"note\" TEXT,\n"
                                "  \"import_id\" INTEGER,\n"
                                "  UNIQUE (\"person_id\", \"start_date\")\n"
                                ") STRICT;\n"));
    assert_non_null(strstr(sql, "  \"ext_id\" TEXT NOT NULL UNIQUE,\n"));
    assert_non_null(strstr(sql, "  \"email\" TEXT UNIQUE,\n"));
    assert_non_null(strstr(sql, "  \"score\" INTEGER CHECK (\"score\" BETWEEN 0 AND 10),\n"));
    assert_non_null(strstr(sql, "  \"amount\" INTEGER CHECK (\"amount\" >= 0),\n"));
    assert_non_null(strstr(sql, "  \"active\" INTEGER CHECK (\"active\" IN (0, 1)),\n"));
    assert_non_null(
        strstr(sql, "CREATE INDEX \"deals_by_owner_id\" ON \"deals\" (\"owner_id\");\n"));
    /* the first key column is indexed by the key itself */
    assert_null(strstr(sql, "links_by_person_id"));
    assert_non_null(strstr(sql, "CREATE TABLE import_counts"));
    free(sql);

    /* a reference to an entity that is not there */
    static const at_field bad_fields[] = {
        {.name = "id", .type = AT_FIELD_ID, .required = true},
        {.name = "x_id", .type = AT_FIELD_REF, .ref_entity = "nowhere"},
    };
    static const at_entity bad = {.name = "bad", .fields = bad_fields, .field_count = 2,
                                  .key = id_key};
    static const at_entity *const bad_set[] = {&bad};
    assert_int_equal(at_store_schema_sql(bad_set, 1, &sql, &err), AT_ERR_INTERNAL);
    assert_null(sql);
    assert_string_equal(err.message,
                        "bad.x_id refers to 'nowhere', which is not an entity keyed by id");
    static const char *const bad_key[] = {"missing", NULL};
    static const at_entity bad2 = {.name = "bad2", .fields = bad_fields, .field_count = 1,
                                   .key = bad_key};
    static const at_entity *const bad_set2[] = {&bad2};
    assert_int_equal(at_store_schema_sql(bad_set2, 1, &sql, &err), AT_ERR_INTERNAL);
    assert_string_equal(err.message, "the key of bad2 names a field it does not have: missing");
}


/* A bulk import drops and rebuilds every secondary index but the dates': rows come mostly
 * in date order, and those indexes are cheaper kept up row by row. */
static void bulk_imports_keep_the_date_indexes(void **state)
{
    (void)state;
    at_text all, bulk;
    at_text_init(&all);
    at_text_init(&bulk);
    at_schema_index_sql(&at_entity_transactions, false, &all);
    at_schema_bulk_index_sql(&at_entity_transactions, false, &bulk);
    assert_non_null(strstr(at_text_cstr(&all), "\"transactions_by_date\""));
    assert_null(strstr(at_text_cstr(&bulk), "transactions_by_date"));
    assert_non_null(strstr(at_text_cstr(&all), "\"transactions_by_owner_id\""));
    assert_non_null(strstr(at_text_cstr(&bulk), "CREATE INDEX \"transactions_by_owner_id\" ON "
                                                "\"transactions\" (\"owner_id\");\n"));
    at_text_clear(&bulk);
    at_schema_bulk_index_sql(&at_entity_transactions, true, &bulk);
    assert_null(strstr(at_text_cstr(&bulk), "transactions_by_date"));
    assert_non_null(
        strstr(at_text_cstr(&bulk), "DROP INDEX IF EXISTS \"transactions_by_owner_id\";\n"));
    /* an entity without a dated column: the same indexes either way */
    at_text_clear(&all);
    at_text_clear(&bulk);
    at_schema_index_sql(&deals, false, &all);
    at_schema_bulk_index_sql(&deals, false, &bulk);
    assert_string_equal(at_text_cstr(&all), at_text_cstr(&bulk));
    assert_true(all.len > 0);
    at_text_free(&all);
    at_text_free(&bulk);
}

/* ---- speed paths: bulk imports and partial updates ---------------------------------------- */

static long long index_rowid(const char *path, const char *name)
{
    char sql[160];
    snprintf(sql, sizeof sql, "SELECT rowid FROM sqlite_master WHERE name = '%s'", name);
    return util_int(path, sql);
}

static void bulk_import_builds_indexes_at_commit(void **state)
{
    (void)state;
    char *path;
    at_store *s = open_new(&path);
    at_error err;
    begin(s);
    team(s, "T1", "Sales");
    /* outside an import the hint is ignored */
    assert_int_equal(at_store_import_expect(s, &people, AT_STORE_BULK_ROWS, &err), AT_OK);
    commit(s);
    long long before = index_rowid(path, "people_by_team_id");
    long long last = util_int(path, "SELECT max(rowid) FROM sqlite_master");
    assert_true(before > 0);

    /* too few rows: nothing happens */
    int64_t import_id;
    assert_int_equal(at_store_begin_import(s, "ana", NULL, &import_id, &err), AT_OK);
    assert_int_equal(at_store_import_expect(s, &people, AT_STORE_BULK_ROWS - 1, &err), AT_OK);
    person(s, "P1", "T1");
    commit(s);
    assert_int_equal(index_rowid(path, "people_by_team_id"), before);

    /* a rolled-back bulk import leaves the index as it was */
    assert_int_equal(at_store_begin_import(s, "ana", NULL, &import_id, &err), AT_OK);
    assert_int_equal(at_store_import_expect(s, &people, AT_STORE_BULK_ROWS, &err), AT_OK);
    person(s, "P2", "T1");
    assert_int_equal(at_store_rollback(s, &err), AT_OK);
    assert_int_equal(index_rowid(path, "people_by_team_id"), before);

    /* a committed one: the index was dropped and made again (a new sqlite_master entry) */
    assert_int_equal(at_store_begin_import(s, "ana", NULL, &import_id, &err), AT_OK);
    assert_int_equal(at_store_import_expect(s, &people, AT_STORE_BULK_ROWS, &err), AT_OK);
    assert_int_equal(at_store_import_expect(s, &people, AT_STORE_BULK_ROWS, &err), AT_OK);
    person(s, "P2", "T1");
    person(s, "P3", NULL);
    commit(s);
    assert_true(index_rowid(path, "people_by_team_id") > last);
    assert_int_equal(util_int(path, "SELECT count(*) FROM people INDEXED BY people_by_team_id "
                                    "WHERE team_id = 1"),
                     2);
    at_error_list problems;
    at_error_list_init(&problems, 0);
    assert_int_equal(at_store_check(s, &problems, &err), AT_OK);
    assert_int_equal(problems.total, 0);
    at_error_list_free(&problems);
    done(s, path);
}

static void updates_set_only_what_changed(void **state)
{
    (void)state;
    char *path;
    at_store *s = open_new(&path);
    begin(s);
    team(s, "T1", "Sales");
    team(s, "T2", "Ops");
    trow p;
    mk(&p, &people);
    txt(&p, P_ID, "P1");
    txt(&p, P_NAME, "Ana");
    put(s, &p.row);
    /* ten different sets of changed fields: more than the eight cached statements */
    for (int round = 0; round < 10; round++) {
        char name[16];
        snprintf(name, sizeof name, "Ana %d", round);
        txt(&p, P_NAME, name);
        if (round % 2)
            num(&p, P_SCORE, round);
        if (round % 3 == 0)
            txt(&p, P_TEAM, round % 2 ? "T1" : "T2");
        if (round >= 5)
            num(&p, P_HIRED, 20000 + round);
        if (round == 9)
            num(&p, P_ACTIVE, 1);
        assert_int_equal(put(s, &p.row), AT_UPSERT_UPDATED);
        assert_int_equal(put(s, &p.row), AT_UPSERT_UNCHANGED);
    }
    commit(s);
    seen_rows seen = {0};
    at_error err;
    assert_int_equal(at_store_each_row(s, &people, collect_row, &seen, &err), AT_OK);
    assert_string_equal(seen.keys[0], "P1,Ana 9,-,T1,20009,1,9"); /* round 9 set T1 */
    done(s, path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(open_missing_without_create_fails),
        cmocka_unit_test(open_empty_path_and_postgres_are_errors),
        cmocka_unit_test(create_then_reopen),
        cmocka_unit_test(refuses_newer_schema),
        cmocka_unit_test(refuses_files_that_are_not_attain_databases),
        cmocka_unit_test(upsert_insert_update_unchanged),
        cmocka_unit_test(values_round_trip_and_audit_as_text),
        cmocka_unit_test(iteration_is_in_key_order),
        cmocka_unit_test(rows_where_a_field_holds_values),
        cmocka_unit_test(ids_for_the_importer),
        cmocka_unit_test(import_audits_once_per_entity),
        cmocka_unit_test(imports_are_recorded),
        cmocka_unit_test(rollback_leaves_nothing),
        cmocka_unit_test(writes_need_a_transaction),
        cmocka_unit_test(failed_import_leaves_the_database_as_it_was),
        cmocka_unit_test(a_second_writer_hears_the_database_is_locked),
        cmocka_unit_test(constraint_errors_name_table_and_column),
        cmocka_unit_test(foreign_keys_are_enforced),
        cmocka_unit_test(import_references_are_checked_at_commit),
        cmocka_unit_test(delete_is_audited),
        cmocka_unit_test(audit_filters),
        cmocka_unit_test(check_finds_missing_columns),
        cmocka_unit_test(schema_sql_is_generated_from_descriptors),
        cmocka_unit_test(bulk_import_builds_indexes_at_commit),
        cmocka_unit_test(bulk_imports_keep_the_date_indexes),
        cmocka_unit_test(updates_set_only_what_changed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
