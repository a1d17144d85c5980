/* bench_store_upsert.c - how fast the store writes rows: transactions-shaped rows through
 * at_store_upsert in one import (new rows, then the same rows again: unchanged, then changed:
 * updated with an audit row each), a narrow entity, and plain SQLite inserts into the same
 * tables as the baseline the store's overhead is measured against.
 *
 *   bench_store_upsert [ROWS] [DIR]     ROWS default 1000000; DIR default $TMPDIR or /tmp
 *
 * References are resolved before the upsert (ref_id set), as the importer does. The files are
 * removed at the end. */
#include <inttypes.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "model/entity.h"
#include "model/fields.h"
#include "store/store.h"

#define PEOPLE 1000
#define ACCOUNTS 5000
#define OPPORTUNITIES 10000
#define PRODUCTS 50

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what, const at_error *err)
{
    fprintf(stderr, "bench_store_upsert: %s: %s: %s\n", what, err->where, err->message);
    exit(1);
}

static void remove_db(const char *path)
{
    char buf[1100];
    unlink(path);
    snprintf(buf, sizeof buf, "%s-wal", path);
    unlink(buf);
    snprintf(buf, sizeof buf, "%s-shm", path);
    unlink(buf);
}

static const at_entity *entity(const char *name)
{
    const at_entity *e = at_entity_find(at_str_from(name));
    if (!e) {
        fprintf(stderr, "bench_store_upsert: no entity %s\n", name);
        exit(1);
    }
    return e;
}

static at_value T(const char *s)
{
    return (at_value){.present = true, .text = at_str_from(s)};
}

static at_value N(int64_t n)
{
    return (at_value){.present = true, .number = n};
}

static at_value R(const char *ext, int64_t id)
{
    return (at_value){.present = true, .text = at_str_from(ext), .ref_id = id};
}

static void put(at_store *s, const char *name, at_value *values)
{
    at_row row = {entity(name), values};
    at_error err;
    if (at_store_upsert(s, &row, NULL, NULL, &err) != AT_OK)
        die(name, &err);
}

/* The rows transactions refer to: people, accounts, products, stages, opportunities. */
static void setup_references(at_store *s)
{
    at_error err;
    if (at_store_begin(s, "bench", "references", &err) != AT_OK)
        die("begin", &err);
    char id[32], id2[32];
    for (int i = 1; i <= PEOPLE; i++) {
        at_value v[AT_PEOPLE_FIELD_COUNT] = {0};
        snprintf(id, sizeof id, "P%05d", i);
        v[AT_PEOPLE_ID] = T(id);
        v[AT_PEOPLE_NAME] = T(id);
        v[AT_PEOPLE_ROLE] = T("rep");
        v[AT_PEOPLE_PAY_CURRENCY] = T("USD");
        put(s, "people", v);
    }
    for (int i = 1; i <= ACCOUNTS; i++) {
        at_value v[AT_ACCOUNTS_FIELD_COUNT] = {0};
        snprintf(id, sizeof id, "A%05d", i);
        v[AT_ACCOUNTS_ID] = T(id);
        v[AT_ACCOUNTS_NAME] = T(id);
        put(s, "accounts", v);
    }
    for (int i = 1; i <= PRODUCTS; i++) {
        at_value v[AT_PRODUCTS_FIELD_COUNT] = {0};
        snprintf(id, sizeof id, "SKU%03d", i);
        v[AT_PRODUCTS_ID] = T(id);
        v[AT_PRODUCTS_NAME] = T(id);
        v[AT_PRODUCTS_FAMILY] = T("licence");
        v[AT_PRODUCTS_LIST_PRICE] = N(1000000);
        v[AT_PRODUCTS_CURRENCY] = T("USD");
        put(s, "products", v);
    }
    at_value st[AT_STAGES_FIELD_COUNT] = {0};
    st[AT_STAGES_ID] = T("S1");
    st[AT_STAGES_NAME] = T("Qualify");
    st[AT_STAGES_POSITION] = N(1);
    st[AT_STAGES_OUTCOME] = T("open");
    put(s, "stages", st);
    for (int i = 1; i <= OPPORTUNITIES; i++) {
        at_value v[AT_OPPORTUNITIES_FIELD_COUNT] = {0};
        snprintf(id, sizeof id, "O%05d", i);
        snprintf(id2, sizeof id2, "P%05d", 1 + i % PEOPLE);
        v[AT_OPPORTUNITIES_ID] = T(id);
        v[AT_OPPORTUNITIES_NAME] = T(id);
        v[AT_OPPORTUNITIES_OWNER_ID] = R(id2, 1 + i % PEOPLE);
        v[AT_OPPORTUNITIES_STAGE_ID] = R("S1", 1);
        v[AT_OPPORTUNITIES_STATUS] = T("open");
        v[AT_OPPORTUNITIES_FORECAST_CATEGORY] = T("pipeline");
        put(s, "opportunities", v);
    }
    if (at_store_commit(s, &err) != AT_OK)
        die("commit", &err);
}

static const char *const types[] = {"booking", "invoice", "payment", "cancellation"};

/* Fills v with transaction i (amount_bump changes the amount: an update). */
static void transaction(at_value *v, long i, char id[24], int64_t amount_bump)
{
    snprintf(id, 24, "X%08ld", i);
    memset(v, 0, sizeof(at_value) * AT_TRANSACTIONS_FIELD_COUNT);
    v[AT_TRANSACTIONS_ID] = T(id);
    v[AT_TRANSACTIONS_TYPE] = T(types[i % 3]);
    v[AT_TRANSACTIONS_DATE] = N(20000 + i % 730);
    v[AT_TRANSACTIONS_AMOUNT] = N((i % 100000) * 100 + amount_bump);
    v[AT_TRANSACTIONS_CURRENCY] = T(i % 5 ? "USD" : "EUR");
    v[AT_TRANSACTIONS_MARGIN] = N((i % 100000) * 30);
    v[AT_TRANSACTIONS_QUANTITY] = N(1 + i % 7);
    v[AT_TRANSACTIONS_OPPORTUNITY_ID] = R("", 1 + i % OPPORTUNITIES);
    v[AT_TRANSACTIONS_ACCOUNT_ID] = R("", 1 + i % ACCOUNTS);
    v[AT_TRANSACTIONS_PRODUCT_ID] = R("", 1 + i % PRODUCTS);
    v[AT_TRANSACTIONS_OWNER_ID] = R("", 1 + i % PEOPLE);
}

/* One import of `rows` transactions; returns rows per second; checks every result. */
static double import_transactions(at_store *s, long rows, int64_t bump, at_upsert_result want,
                                  bool bulk_hint, bool known_id)
{
    const at_entity *e = entity("transactions");
    at_value v[AT_TRANSACTIONS_FIELD_COUNT];
    at_row row = {e, v};
    char id[24];
    at_error err;
    int64_t import_id;
    double t0 = now();
    if (at_store_begin_import(s, "bench", NULL, &import_id, &err) != AT_OK)
        die("begin", &err);
    if (bulk_hint && at_store_import_expect(s, e, rows, &err) != AT_OK)
        die("expect", &err);
    for (long i = 0; i < rows; i++) {
        transaction(v, i, id, bump);
        if (known_id) /* rows were inserted in order: internal id = i + 1 */
            v[AT_TRANSACTIONS_ID].ref_id = i + 1;
        at_upsert_result r;
        if (at_store_upsert(s, &row, &r, NULL, &err) != AT_OK)
            die("upsert", &err);
        if (r != want) {
            fprintf(stderr, "bench_store_upsert: row %ld %s, expected %s\n", i,
                    at_upsert_result_name(r), at_upsert_result_name(want));
            exit(1);
        }
    }
    if (at_store_commit(s, &err) != AT_OK)
        die("commit", &err);
    return (double)rows / (now() - t0);
}

/* Plain SQLite: one prepared INSERT per row into `table`, one transaction. */
static double raw_insert(const char *path, const char *table, long rows)
{
    sqlite3 *db;
    if (sqlite3_open(path, &db) != SQLITE_OK)
        exit(1);
    sqlite3_exec(db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; "
                     "PRAGMA foreign_keys = ON; PRAGMA cache_size = -65536",
                 NULL, NULL, NULL);
    char sql[512];
    snprintf(sql, sizeof sql,
             "INSERT INTO %s (ext_id, type, date, amount, currency, margin, quantity, "
             "opportunity_id, account_id, product_id, owner_id) "
             "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
             table);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
        fprintf(stderr, "bench_store_upsert: %s\n", sqlite3_errmsg(db));
        exit(1);
    }
    at_value v[AT_TRANSACTIONS_FIELD_COUNT];
    char id[24];
    double t0 = now();
    sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
    for (long i = 0; i < rows; i++) {
        transaction(v, i, id, 0);
        sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, v[AT_TRANSACTIONS_TYPE].text.ptr, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 3, v[AT_TRANSACTIONS_DATE].number);
        sqlite3_bind_int64(st, 4, v[AT_TRANSACTIONS_AMOUNT].number);
        sqlite3_bind_text(st, 5, v[AT_TRANSACTIONS_CURRENCY].text.ptr, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 6, v[AT_TRANSACTIONS_MARGIN].number);
        sqlite3_bind_int64(st, 7, v[AT_TRANSACTIONS_QUANTITY].number);
        sqlite3_bind_int64(st, 8, v[AT_TRANSACTIONS_OPPORTUNITY_ID].ref_id);
        sqlite3_bind_int64(st, 9, v[AT_TRANSACTIONS_ACCOUNT_ID].ref_id);
        sqlite3_bind_int64(st, 10, v[AT_TRANSACTIONS_PRODUCT_ID].ref_id);
        sqlite3_bind_int64(st, 11, v[AT_TRANSACTIONS_OWNER_ID].ref_id);
        if (sqlite3_step(st) != SQLITE_DONE) {
            fprintf(stderr, "bench_store_upsert: %s\n", sqlite3_errmsg(db));
            exit(1);
        }
        sqlite3_reset(st);
    }
    sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    double rate = (double)rows / (now() - t0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return rate;
}

/* A narrow entity: an id, a day, an amount and a reference. */
enum { NW_ID, NW_DAY, NW_AMOUNT, NW_OWNER, NW_COUNT };
static const at_field narrow_fields[] = {
    [NW_ID] = {.name = "id", .type = AT_FIELD_ID, .required = true},
    [NW_DAY] = {.name = "day", .type = AT_FIELD_DAY, .required = true},
    [NW_AMOUNT] = {.name = "amount", .type = AT_FIELD_MONEY, .required = true},
    [NW_OWNER] = {.name = "owner_id", .type = AT_FIELD_REF, .ref_entity = "owners"},
};
enum { OW_ID, OW_COUNT };
static const at_field owner_fields[] = {
    [OW_ID] = {.name = "id", .type = AT_FIELD_ID, .required = true},
};
static const char *const id_key[] = {"id", NULL};
static const at_entity owners = {.name = "owners", .fields = owner_fields,
                                 .field_count = OW_COUNT, .key = id_key};
static const at_entity narrow = {.name = "credits", .fields = narrow_fields,
                                 .field_count = NW_COUNT, .key = id_key};
static const at_entity *const narrow_set[] = {&owners, &narrow};

static double narrow_insert(const char *path, long rows, bool with_ref)
{
    at_store_options opt = {.create = true, .entities = narrow_set, .entity_count = 2};
    at_store *s;
    at_error err;
    if (at_store_open(path, &opt, &s, &err) != AT_OK)
        die("open", &err);
    at_value ov[OW_COUNT] = {T("O1")};
    at_row orow = {&owners, ov};
    if (at_store_begin(s, "bench", NULL, &err) != AT_OK ||
        at_store_upsert(s, &orow, NULL, NULL, &err) != AT_OK ||
        at_store_commit(s, &err) != AT_OK)
        die("owner", &err);
    at_value v[NW_COUNT];
    at_row row = {&narrow, v};
    char id[24];
    int64_t import_id;
    double t0 = now();
    if (at_store_begin_import(s, "bench", NULL, &import_id, &err) != AT_OK)
        die("begin", &err);
    for (long i = 0; i < rows; i++) {
        snprintf(id, sizeof id, "C%08ld", i);
        v[NW_ID] = T(id);
        v[NW_DAY] = N(20000 + i % 365);
        v[NW_AMOUNT] = N(i * 10);
        v[NW_OWNER] = with_ref ? R("O1", 1) : (at_value){0};
        if (at_store_upsert(s, &row, NULL, NULL, &err) != AT_OK)
            die("upsert", &err);
    }
    if (at_store_commit(s, &err) != AT_OK)
        die("commit", &err);
    double rate = (double)rows / (now() - t0);
    at_store_close(s);
    return rate;
}

int main(int argc, char **argv)
{
    long rows = argc > 1 ? atol(argv[1]) : 1000000;
    const char *dir = argc > 2 ? argv[2] : getenv("TMPDIR");
    if (!dir || !dir[0])
        dir = "/tmp";
    if (rows <= 0) {
        fprintf(stderr, "usage: bench_store_upsert [ROWS] [DIR]\n");
        return 2;
    }
    char path[1024], raw[1024], plain[1024];
    snprintf(path, sizeof path, "%s/attain-bench-store-%d.db", dir, (int)getpid());
    snprintf(raw, sizeof raw, "%s/attain-bench-raw-%d.db", dir, (int)getpid());
    snprintf(plain, sizeof plain, "%s/attain-bench-plain-%d.db", dir, (int)getpid());
    remove_db(path);
    remove_db(raw);
    remove_db(plain);
    printf("sqlite %s; %ld rows; transactions: 11 columns given, 4 references checked, "
           "6 secondary indexes (1 partial) beside the key\n",
           sqlite3_libversion(), rows);

    /* baselines: plain SQLite into the same transactions table, and into a table with no
     * indexes, foreign keys or checks */
    at_store_options opt = {.create = true};
    at_store *s;
    at_error err;
    if (at_store_open(raw, &opt, &s, &err) != AT_OK)
        die("open", &err);
    setup_references(s);
    at_store_close(s);
    double r_raw = raw_insert(raw, "transactions", rows);
    sqlite3 *db;
    sqlite3_open(plain, &db);
    sqlite3_exec(db,
                 "CREATE TABLE bare (id INTEGER PRIMARY KEY, ext_id TEXT NOT NULL UNIQUE, type "
                 "TEXT, date INTEGER, amount INTEGER, currency TEXT, margin INTEGER, quantity "
                 "INTEGER, opportunity_id INTEGER, account_id INTEGER, product_id INTEGER, "
                 "owner_id INTEGER) STRICT",
                 NULL, NULL, NULL);
    sqlite3_close(db);
    double r_plain = raw_insert(plain, "bare", rows);
    printf("  plain SQLite insert, table without indexes/FKs:  %10.0f rows/s\n", r_plain);
    printf("  plain SQLite insert, attain's transactions table: %10.0f rows/s\n", r_raw);

    if (at_store_open(path, &opt, &s, &err) != AT_OK)
        die("open", &err);
    setup_references(s);
    double r_new = import_transactions(s, rows, 0, AT_UPSERT_INSERTED, false, false);
    printf("  store upsert, new rows (inserted):                %10.0f rows/s\n", r_new);
    double r_same = import_transactions(s, rows, 0, AT_UPSERT_UNCHANGED, false, false);
    printf("  store upsert, same rows again (unchanged):        %10.0f rows/s\n", r_same);
    double r_known = import_transactions(s, rows, 0, AT_UPSERT_UNCHANGED, false, true);
    printf("  store upsert, same rows, internal id known:       %10.0f rows/s\n", r_known);
    long changed = rows < 200000 ? rows : 200000;
    double r_upd = import_transactions(s, changed, 1, AT_UPSERT_UPDATED, false, true);
    printf("  store upsert, changed amount (updated + audit):   %10.0f rows/s (%ld rows)\n",
           r_upd, changed);
    at_store_close(s);
    remove_db(path);

    /* the same new rows with the bulk hint: indexes built once at commit */
    if (at_store_open(path, &opt, &s, &err) != AT_OK)
        die("open", &err);
    setup_references(s);
    double r_bulk = import_transactions(s, rows, 0, AT_UPSERT_INSERTED, true, false);
    printf("  store upsert, new rows, bulk hint (indexes at commit): %5.0f rows/s\n", r_bulk);
    at_store_close(s);
    remove_db(path);

    double r_narrow = narrow_insert(path, rows, false);
    printf("  store upsert, narrow entity (id, day, amount):    %10.0f rows/s\n", r_narrow);
    remove_db(path);
    double r_narrow_ref = narrow_insert(path, rows, true);
    printf("  store upsert, narrow entity + 1 indexed ref:      %10.0f rows/s\n", r_narrow_ref);
    remove_db(path);
    remove_db(raw);
    remove_db(plain);
    return 0;
}
