/* sqlite_store.c - the SQLite backend of the store (store.h): opening (WAL, foreign keys on,
 * busy timeout), creating and upgrading the schema, transactions, upsert with audit, reads for
 * the importer and the exporter, the audit and imports records, and SQLite's errors in words
 * for people.
 *
 * Writes: every write is inside BEGIN IMMEDIATE ... COMMIT (the write lock is taken at begin, so
 * a second writer waits up to the busy timeout and then hears that another attain is writing).
 * Upsert tries a plain INSERT ... ON CONFLICT (key) DO NOTHING first: a new row costs one
 * statement. Only when the key exists does it read the row, compare every column in C, and
 * UPDATE when something differs, writing an audit row with the changed fields before and after.
 * Statements are prepared once per entity and kept.
 *
 * Durability: WAL with synchronous=NORMAL: a committed transaction survives a crash of attain;
 * a power cut may lose the last transactions but never corrupts the file (SQLite's guarantee). */
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "store/sqlite_impl.h"

#define BACKEND(s) ((sq_store *)(s)->backend)

static const char LOCKED_HINT[] =
    "another attain (an import or a calculation) is writing to this database: wait for it to "
    "finish and retry";

/* ---- errors --------------------------------------------------------------------------- */

/* The text after "...failed: " in SQLite's constraint messages ("people.email"). */
static const char *after_colon(const char *msg)
{
    const char *p = strstr(msg, ": ");
    return p ? p + 2 : msg;
}

at_code at_sqlite_fail(at_store *store, int rc, const char *doing, at_error *err)
{
    sq_store *q = BACKEND(store);
    const char *msg = q && q->db ? sqlite3_errmsg(q->db) : sqlite3_errstr(rc);
    const char *path = store->path;
    switch (rc) {
    case SQLITE_CONSTRAINT_NOTNULL:
        return at_fail(err, AT_ERR_CONFLICT, path, "give the field a value",
                       "%s: %s is required but has no value", doing, after_colon(msg));
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
        return at_fail(err, AT_ERR_CONFLICT, path,
                       "each value of that column must be unique: change one of the two rows",
                       "%s: another row already has the same %s", doing, after_colon(msg));
    case SQLITE_CONSTRAINT_CHECK:
        return at_fail(err, AT_ERR_CONFLICT, path, "fix the value so that it obeys the rule",
                       "%s: a value breaks the rule %s", doing, after_colon(msg));
    case SQLITE_CONSTRAINT_FOREIGNKEY:
        return at_fail(err, AT_ERR_CONFLICT, path,
                       "add the row referred to first, or fix the reference",
                       "%s: a reference points at a row that does not exist", doing);
    default:
        break;
    }
    switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return at_fail(err, AT_ERR_LOCKED, path, LOCKED_HINT,
                       "the database is locked (%s)", doing);
    case SQLITE_CONSTRAINT:
        return at_fail(err, AT_ERR_CONFLICT, path, NULL, "%s: %s", doing, msg);
    case SQLITE_NOTADB:
        return at_fail(err, AT_ERR_STORE, path,
                       "check --db: it must name an attain database (made by `attain db init` "
                       "or `attain import`)",
                       "this file is not a SQLite database");
    case SQLITE_CORRUPT:
        return at_fail(err, AT_ERR_STORE, path,
                       "run `attain db check`; restore the file from a backup",
                       "the database file is damaged (%s)", doing);
    case SQLITE_CANTOPEN:
        return at_fail(err, AT_ERR_IO, path,
                       "check that the directory exists and that you may write to it",
                       "cannot open the database file: %s", msg);
    case SQLITE_READONLY:
        return at_fail(err, AT_ERR_IO, path,
                       "check the permissions of the file, its -wal file and the directory",
                       "the database cannot be written (%s): %s", doing, msg);
    case SQLITE_FULL:
        return at_fail(err, AT_ERR_IO, path, "free some disk space and retry",
                       "the disk is full (%s)", doing);
    case SQLITE_IOERR:
        return at_fail(err, AT_ERR_IO, path, "check the disk and the file system",
                       "input/output error (%s): %s", doing, msg);
    case SQLITE_NOMEM:
        return at_fail(err, AT_ERR_NOMEM, path, NULL, "out of memory (%s)", doing);
    default:
        return at_fail(err, AT_ERR_STORE, path, NULL, "database error (%s): %s", doing, msg);
    }
}

static at_code nomem(at_store *s, at_error *err)
{
    return at_fail(err, AT_ERR_NOMEM, s->path, NULL, "out of memory");
}

static at_code exec(at_store *s, const char *sql, const char *doing, at_error *err)
{
    int rc = sqlite3_exec(BACKEND(s)->db, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK ? AT_OK : at_sqlite_fail(s, rc, doing, err);
}

static at_code prepare(at_store *s, const char *sql, bool keep, sqlite3_stmt **out,
                       const char *doing, at_error *err)
{
    int rc = sqlite3_prepare_v3(BACKEND(s)->db, sql, -1, keep ? SQLITE_PREPARE_PERSISTENT : 0,
                                out, NULL);
    if (rc != SQLITE_OK) {
        *out = NULL;
        return at_sqlite_fail(s, rc, doing, err);
    }
    return AT_OK;
}

/* Runs a statement that returns one integer (or NULL: *out = dflt). */
static at_code query_int(at_store *s, const char *sql, int64_t dflt, int64_t *out,
                         const char *doing, at_error *err)
{
    sqlite3_stmt *st;
    at_code rc = prepare(s, sql, false, &st, doing, err);
    if (rc != AT_OK)
        return rc;
    int r = sqlite3_step(st);
    if (r == SQLITE_ROW) {
        *out = sqlite3_column_type(st, 0) == SQLITE_NULL ? dflt : sqlite3_column_int64(st, 0);
        r = SQLITE_DONE;
    } else if (r == SQLITE_DONE) {
        *out = dflt;
    }
    if (r != SQLITE_DONE)
        rc = at_sqlite_fail(s, r, doing, err);
    sqlite3_finalize(st);
    return rc;
}

static at_code bind_text_cstr(at_store *s, sqlite3_stmt *st, int idx, const char *text,
                              at_error *err)
{
    int r = text ? sqlite3_bind_text(st, idx, text, -1, SQLITE_STATIC) : sqlite3_bind_null(st, idx);
    return r == SQLITE_OK ? AT_OK : at_sqlite_fail(s, r, "binding a value", err);
}

/* ---- opening, creating, upgrading ----------------------------------------------------- */

static at_code read_version(at_store *s, int *version, at_error *err)
{
    int64_t tables = 0, has = 0, v = 0;
    at_code rc = query_int(s, "SELECT count(*) FROM sqlite_master", 0, &tables,
                           "reading the schema", err);
    if (rc == AT_OK)
        rc = query_int(s,
                       "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND "
                       "name = 'schema_version'",
                       0, &has, "reading the schema version", err);
    if (rc != AT_OK)
        return rc;
    if (!has) {
        if (tables)
            return at_fail(err, AT_ERR_STORE, s->path,
                           "check --db: it must name an attain database, or a new file",
                           "this SQLite database was not made by attain (it has no "
                           "schema_version table)");
        *version = 0;
        return AT_OK;
    }
    rc = query_int(s, "SELECT max(version) FROM schema_version", 0, &v,
                   "reading the schema version", err);
    if (rc == AT_OK && (v < 1 || v > 1000000))
        return at_fail(err, AT_ERR_STORE, s->path, "run `attain db check`",
                       "the schema_version table holds no valid version (%" PRId64 ")", v);
    *version = (int)v;
    return rc;
}

static at_code sq_version(at_store *s, int *version, at_error *err)
{
    *version = 0;
    return read_version(s, version, err);
}

static at_code record_version(at_store *s, int version, const char *description, at_error *err)
{
    sqlite3_stmt *st;
    at_code rc = prepare(s,
                         "INSERT INTO schema_version (version, applied_at, description) "
                         "VALUES (?1, ?2, ?3)",
                         false, &st, "recording the schema version", err);
    if (rc != AT_OK)
        return rc;
    sqlite3_bind_int(st, 1, version);
    sqlite3_bind_int64(st, 2, (int64_t)time(NULL));
    sqlite3_bind_text(st, 3, description, -1, SQLITE_STATIC);
    int r = sqlite3_step(st);
    sqlite3_finalize(st);
    return r == SQLITE_DONE ? AT_OK : at_sqlite_fail(s, r, "recording the schema version", err);
}

/* An audit row outside any transaction of the caller (schema creation and upgrades). */
static at_code audit_schema(at_store *s, const char *actor, const char *action, int from, int to,
                            at_error *err)
{
    char after[64];
    snprintf(after, sizeof after, "{\"from\":%d,\"to\":%d}", from, to);
    sqlite3_stmt *st;
    at_code rc = prepare(s,
                         "INSERT INTO audit (at, actor, action, after) VALUES (?1, ?2, ?3, ?4)",
                         false, &st, "writing the audit trail", err);
    if (rc != AT_OK)
        return rc;
    sqlite3_bind_int64(st, 1, (int64_t)time(NULL));
    sqlite3_bind_text(st, 2, actor, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, action, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, after, -1, SQLITE_STATIC);
    int r = sqlite3_step(st);
    sqlite3_finalize(st);
    return r == SQLITE_DONE ? AT_OK : at_sqlite_fail(s, r, "writing the audit trail", err);
}

static void rollback_quietly(at_store *s)
{
    if (!sqlite3_get_autocommit(BACKEND(s)->db))
        sqlite3_exec(BACKEND(s)->db, "ROLLBACK", NULL, NULL, NULL);
}

static at_code create_schema(at_store *s, at_error *err)
{
    at_code rc = exec(s, "BEGIN IMMEDIATE", "creating the database", err);
    if (rc != AT_OK)
        return rc;
    int v = 0;
    rc = read_version(s, &v, err);
    if (rc == AT_OK && v != 0) { /* another attain created it meanwhile */
        rollback_quietly(s);
        return AT_OK;
    }
    if (rc == AT_OK)
        rc = exec(s, at_schema_v1_support_sql, "creating the database", err);
    at_text sql;
    at_text_init(&sql);
    for (size_t i = 0; rc == AT_OK && i < s->entity_count; i++) {
        at_text_clear(&sql);
        rc = at_schema_entity_sql(s->entities[i], s->entities, s->entity_count, &sql, err);
        if (rc == AT_OK)
            rc = exec(s, at_text_cstr(&sql), "creating the entity tables", err);
    }
    at_text_free(&sql);
    if (rc == AT_OK)
        rc = record_version(s, 1, "first schema", err);
    for (size_t i = 0; rc == AT_OK && i < at_migration_count; i++) {
        const at_migration *m = &at_migrations[i];
        if (m->support_sql)
            rc = exec(s, m->support_sql, "creating the database", err);
        if (rc == AT_OK)
            rc = record_version(s, m->version, m->description, err);
    }
    if (rc == AT_OK)
        rc = audit_schema(s, "attain", "init", 0, AT_STORE_SCHEMA_VERSION, err);
    if (rc == AT_OK)
        rc = exec(s, "COMMIT", "creating the database", err);
    if (rc != AT_OK) {
        rollback_quietly(s);
        return rc;
    }
    s->created = true;
    return AT_OK;
}

static at_code newer_schema(at_store *s, int v, at_error *err)
{
    return at_fail(err, AT_ERR_CONFLICT, s->path,
                   "use an attain at least as new as the one that wrote this database",
                   "this database has schema version %d, newer than this attain knows (%d)", v,
                   AT_STORE_SCHEMA_VERSION);
}

/* The step's new entity tables and columns, made from the descriptors. */
static at_code upgrade_entities(at_store *s, const at_migration *m, const char *doing,
                                at_error *err)
{
    at_text sql;
    at_text_init(&sql);
    at_code rc = AT_OK;
    for (size_t i = 0; rc == AT_OK && m->add_entities && m->add_entities[i]; i++) {
        long slot = at_store_slot_named(s, m->add_entities[i]);
        if (slot < 0)
            continue;
        at_text_clear(&sql);
        rc = at_schema_entity_sql(s->entities[slot], s->entities, s->entity_count, &sql, err);
        if (rc == AT_OK)
            rc = exec(s, at_text_cstr(&sql), doing, err);
    }
    for (size_t i = 0; rc == AT_OK && m->add_fields && m->add_fields[i]; i++) {
        const char *name = m->add_fields[i];
        const char *dot = strchr(name, '.');
        char entity[128];
        if (!dot || (size_t)(dot - name) >= sizeof entity) {
            rc = at_fail(err, AT_ERR_INTERNAL, s->path, NULL,
                         "migration %d: '%s' is not entity.field", m->version, name);
            break;
        }
        memcpy(entity, name, (size_t)(dot - name));
        entity[dot - name] = '\0';
        long slot = at_store_slot_named(s, entity);
        if (slot < 0)
            continue;
        at_text_clear(&sql);
        rc = at_schema_add_field_sql(s->entities[slot], dot + 1, s->entities, s->entity_count,
                                     &sql, err);
        if (rc == AT_OK)
            rc = exec(s, at_text_cstr(&sql), doing, err);
    }
    at_text_free(&sql);
    return rc;
}

static at_code upgrade(at_store *s, const char *actor, int *from, at_error *err)
{
    at_code rc = exec(s, "BEGIN IMMEDIATE", "upgrading the database", err);
    if (rc != AT_OK)
        return rc;
    int v = 0;
    rc = read_version(s, &v, err);
    *from = v;
    if (rc == AT_OK && v > AT_STORE_SCHEMA_VERSION)
        rc = newer_schema(s, v, err);
    if (rc == AT_OK && v == 0)
        rc = at_fail(err, AT_ERR_STORE, s->path, "create it with `attain db init`",
                     "the database is empty: there is nothing to upgrade");
    if (rc == AT_OK)
        rc = exec(s, "PRAGMA defer_foreign_keys = ON", "upgrading the database", err);
    for (size_t i = 0; rc == AT_OK && i < at_migration_count; i++) {
        const at_migration *m = &at_migrations[i];
        if (m->version <= v)
            continue;
        char doing[96];
        snprintf(doing, sizeof doing, "upgrading the schema to version %d", m->version);
        if (m->entity_sql)
            rc = exec(s, m->entity_sql, doing, err);
        if (rc == AT_OK)
            rc = upgrade_entities(s, m, doing, err);
        if (rc == AT_OK && m->support_sql)
            rc = exec(s, m->support_sql, doing, err);
        if (rc == AT_OK)
            rc = record_version(s, m->version, m->description, err);
    }
    int64_t broken = 0;
    if (rc == AT_OK && v < AT_STORE_SCHEMA_VERSION)
        rc = query_int(s, "SELECT count(*) FROM pragma_foreign_key_check", 0, &broken,
                       "checking references after the upgrade", err);
    if (rc == AT_OK && broken)
        rc = at_fail(err, AT_ERR_STORE, s->path, "run `attain db check` to see them",
                     "after the upgrade %" PRId64 " rows refer to rows that do not exist", broken);
    if (rc == AT_OK && v < AT_STORE_SCHEMA_VERSION)
        rc = audit_schema(s, actor, "migrate", v, AT_STORE_SCHEMA_VERSION, err);
    if (rc == AT_OK)
        rc = exec(s, "COMMIT", "upgrading the database", err);
    if (rc != AT_OK)
        rollback_quietly(s); /* the database stays as it was */
    return rc;
}

static at_code sq_migrate(at_store *s, const char *actor, int *from, int *to, at_error *err)
{
    at_code rc = upgrade(s, actor, from, err);
    *to = rc == AT_OK ? AT_STORE_SCHEMA_VERSION : *from;
    return rc;
}

static at_code pragma(at_store *s, const char *sql, at_error *err)
{
    return exec(s, sql, "setting up the connection", err);
}

static at_code sq_open(at_store *s, at_error *err)
{
    sq_store *q = calloc(1, sizeof *q);
    if (!q)
        return nomem(s, err);
    s->backend = q;
    at_text_init(&q->before);
    at_text_init(&q->after);
    at_text_init(&q->key);
    q->entities = calloc(s->entity_count ? s->entity_count : 1, sizeof *q->entities);
    if (!q->entities)
        return nomem(s, err);

    bool memory = strcmp(s->path, ":memory:") == 0 || strncmp(s->path, "file:", 5) == 0;
    struct stat st;
    if (!memory && stat(s->path, &st) != 0 && (!s->create || s->read_only))
        return at_fail(err, AT_ERR_NOT_FOUND, s->path,
                       "create it with `attain db init --db FILE`, or load data with "
                       "`attain import --db FILE DIR`",
                       "there is no database here");
    int flags = s->read_only ? SQLITE_OPEN_READONLY
                             : SQLITE_OPEN_READWRITE | (s->create ? SQLITE_OPEN_CREATE : 0);
    flags |= SQLITE_OPEN_NOMUTEX | (memory ? SQLITE_OPEN_URI : 0);
    int r = sqlite3_open_v2(s->path, &q->db, flags, NULL);
    if (r != SQLITE_OK)
        return at_sqlite_fail(s, r, "opening the database", err);
    sqlite3_extended_result_codes(q->db, 1);
    sqlite3_busy_timeout(q->db, s->busy_timeout_ms);

    at_code rc = pragma(s, "PRAGMA foreign_keys = ON", err);
    if (rc == AT_OK && !s->read_only) {
        /* WAL is a property of the file: set once, kept. It needs the file writable. */
        rc = pragma(s, "PRAGMA journal_mode = WAL", err);
        if (rc == AT_OK)
            rc = pragma(s, "PRAGMA synchronous = NORMAL", err);
    }
    if (rc == AT_OK)
        rc = pragma(s, "PRAGMA cache_size = -65536", err); /* 64 MiB: index-heavy imports */
    if (rc == AT_OK)
        rc = pragma(s, "PRAGMA temp_store = MEMORY", err);
    int v = 0;
    if (rc == AT_OK)
        rc = read_version(s, &v, err);
    if (rc != AT_OK)
        return rc;
    if (v > AT_STORE_SCHEMA_VERSION)
        return newer_schema(s, v, err);
    if (v == 0) {
        if (s->read_only || !s->create)
            return at_fail(err, AT_ERR_NOT_FOUND, s->path,
                           "create it with `attain db init --db FILE`, or load data with "
                           "`attain import --db FILE DIR`",
                           "the database is empty");
        return create_schema(s, err);
    }
    if (v < AT_STORE_SCHEMA_VERSION) {
        if (s->read_only)
            return at_fail(err, AT_ERR_CONFLICT, s->path, "run `attain db migrate --db FILE`",
                           "this database has the older schema version %d (this attain uses "
                           "%d)",
                           v, AT_STORE_SCHEMA_VERSION);
        if (!s->no_upgrade) {
            int from = 0;
            rc = upgrade(s, "attain", &from, err);
            if (rc == AT_OK && from < AT_STORE_SCHEMA_VERSION)
                s->upgraded_from = from;
        }
    }
    return rc;
}

static void finalize_entity(sq_entity *e)
{
    sqlite3_finalize(e->insert);
    sqlite3_finalize(e->select_key);
    sqlite3_finalize(e->select_id);
    sqlite3_finalize(e->update);
    for (size_t i = 0; i < sizeof e->partial / sizeof e->partial[0]; i++)
        sqlite3_finalize(e->partial[i].st);
    sqlite3_finalize(e->remove);
    sqlite3_finalize(e->find_id);
    sqlite3_finalize(e->ext_of_id);
    memset(e, 0, sizeof *e);
}

static void sq_close(at_store *s)
{
    sq_store *q = BACKEND(s);
    if (!q)
        return;
    if (q->db)
        rollback_quietly(s);
    for (size_t i = 0; q->entities && i < s->entity_count; i++)
        finalize_entity(&q->entities[i]);
    sqlite3_finalize(q->audit_insert);
    if (q->db)
        sqlite3_close(q->db);
    at_text_free(&q->before);
    at_text_free(&q->after);
    at_text_free(&q->key);
    free(q->ref_ids);
    free(q->entities);
    free(q);
    s->backend = NULL;
}

/* ---- per-entity statements ------------------------------------------------------------ */

static void add_columns(at_text *sql, const at_entity *e, const char *prefix)
{
    for (size_t i = 0; i < e->field_count; i++) {
        if (i)
            at_text_add(sql, ", ");
        at_text_add(sql, prefix);
        at_text_ident(sql, at_schema_column(&e->fields[i]));
    }
}

static void add_key_match(at_text *sql, const at_entity *e, const sq_entity *qe)
{
    for (size_t k = 0; k < qe->key_count; k++) {
        at_text_add(sql, k ? " AND " : " WHERE ");
        at_text_ident(sql, at_schema_column(&e->fields[qe->key[k]]));
        at_text_addf(sql, " = ?%zu", k + 1);
    }
}

static at_code ready(at_store *s, size_t slot, at_error *err)
{
    sq_entity *qe = &BACKEND(s)->entities[slot];
    if (qe->ready)
        return AT_OK;
    const at_entity *e = s->entities[slot];
    at_code rc = at_schema_key_fields(e, qe->key, &qe->key_count, err);
    if (rc != AT_OK)
        return rc;
    qe->by_id = at_schema_keyed_by_id(e);
    qe->id_field = qe->by_id ? qe->key[0] : -1;
    size_t n = e->field_count;
    char doing[128];
    snprintf(doing, sizeof doing, "preparing the statements of %s", e->name);
    at_text sql;
    at_text_init(&sql);

    at_text_add(&sql, "INSERT INTO ");
    at_text_ident(&sql, e->name);
    at_text_add(&sql, " (");
    add_columns(&sql, e, "");
    at_text_add(&sql, ", \"import_id\") VALUES (");
    for (size_t i = 0; i <= n; i++)
        at_text_addf(&sql, "%s?%zu", i ? ", " : "", i + 1);
    at_text_add(&sql, ") ON CONFLICT (");
    for (size_t k = 0; k < qe->key_count; k++) {
        if (k)
            at_text_add(&sql, ", ");
        at_text_ident(&sql, at_schema_column(&e->fields[qe->key[k]]));
    }
    at_text_add(&sql, ") DO NOTHING");
    rc = prepare(s, at_text_cstr(&sql), true, &qe->insert, doing, err);

    if (rc == AT_OK) {
        at_text_clear(&sql);
        at_text_add(&sql, "SELECT \"id\", ");
        add_columns(&sql, e, "");
        at_text_add(&sql, " FROM ");
        at_text_ident(&sql, e->name);
        add_key_match(&sql, e, qe);
        rc = prepare(s, at_text_cstr(&sql), true, &qe->select_key, doing, err);
    }
    if (rc == AT_OK) {
        at_text_clear(&sql);
        at_text_add(&sql, "SELECT \"id\", ");
        add_columns(&sql, e, "");
        at_text_add(&sql, " FROM ");
        at_text_ident(&sql, e->name);
        at_text_add(&sql, " WHERE \"id\" = ?1");
        rc = prepare(s, at_text_cstr(&sql), true, &qe->select_id, doing, err);
    }
    if (rc == AT_OK) {
        at_text_clear(&sql);
        at_text_add(&sql, "UPDATE ");
        at_text_ident(&sql, e->name);
        at_text_add(&sql, " SET ");
        for (size_t i = 0; i < n; i++) {
            at_text_ident(&sql, at_schema_column(&e->fields[i]));
            at_text_addf(&sql, " = ?%zu, ", i + 1);
        }
        at_text_addf(&sql, "\"import_id\" = ?%zu WHERE \"id\" = ?%zu", n + 1, n + 2);
        rc = prepare(s, at_text_cstr(&sql), true, &qe->update, doing, err);
    }
    if (rc == AT_OK) {
        at_text_clear(&sql);
        at_text_add(&sql, "DELETE FROM ");
        at_text_ident(&sql, e->name);
        at_text_add(&sql, " WHERE \"id\" = ?1");
        rc = prepare(s, at_text_cstr(&sql), true, &qe->remove, doing, err);
    }
    if (rc == AT_OK && qe->by_id) {
        at_text_clear(&sql);
        at_text_add(&sql, "SELECT \"id\" FROM ");
        at_text_ident(&sql, e->name);
        at_text_add(&sql, " WHERE \"ext_id\" = ?1");
        rc = prepare(s, at_text_cstr(&sql), true, &qe->find_id, doing, err);
        if (rc == AT_OK) {
            at_text_clear(&sql);
            at_text_add(&sql, "SELECT \"ext_id\" FROM ");
            at_text_ident(&sql, e->name);
            at_text_add(&sql, " WHERE \"id\" = ?1");
            rc = prepare(s, at_text_cstr(&sql), true, &qe->ext_of_id, doing, err);
        }
    }
    if (rc == AT_OK && sql.failed)
        rc = nomem(s, err);
    at_text_free(&sql);
    if (rc != AT_OK) {
        finalize_entity(qe);
        return rc;
    }
    qe->ready = true;
    return AT_OK;
}

static at_code ready_audit(at_store *s, at_error *err)
{
    sq_store *q = BACKEND(s);
    if (q->audit_insert)
        return AT_OK;
    return prepare(s,
                   "INSERT INTO audit (at, actor, action, entity, row_key, before, after, reason,"
                   " import_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                   true, &q->audit_insert, "preparing the audit trail", err);
}

static at_code write_audit(at_store *s, const char *action, const char *entity, at_str key,
                           const char *before, const char *after, at_error *err)
{
    at_code rc = ready_audit(s, err);
    if (rc != AT_OK)
        return rc;
    sqlite3_stmt *st = BACKEND(s)->audit_insert;
    sqlite3_bind_int64(st, 1, s->tx_time);
    sqlite3_bind_text(st, 2, s->actor, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, action, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, entity, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, key.len ? key.ptr : "", (int)key.len, SQLITE_STATIC);
    bind_text_cstr(s, st, 6, before, NULL);
    bind_text_cstr(s, st, 7, after, NULL);
    bind_text_cstr(s, st, 8, s->reason, NULL);
    if (s->import_id)
        sqlite3_bind_int64(st, 9, s->import_id);
    else
        sqlite3_bind_null(st, 9);
    int r = sqlite3_step(st);
    sqlite3_reset(st);
    return r == SQLITE_DONE ? AT_OK : at_sqlite_fail(s, r, "writing the audit trail", err);
}

/* ---- transactions --------------------------------------------------------------------- */

static void reset_counts(at_store *s)
{
    for (size_t i = 0; i < s->entity_count; i++) {
        sq_entity *qe = &BACKEND(s)->entities[i];
        qe->inserted = qe->updated = qe->unchanged = 0;
        qe->indexes_dropped = false;
    }
}

static at_code sq_begin(at_store *s, bool import, at_error *err)
{
    reset_counts(s);
    at_code rc = exec(s, "BEGIN IMMEDIATE", "starting a write", err);
    if (rc != AT_OK || !import)
        return rc;
    sqlite3_stmt *st;
    rc = prepare(s,
                 "INSERT INTO imports (started, actor, reason, status) "
                 "VALUES (?1, ?2, ?3, 'running')",
                 false, &st, "starting an import", err);
    if (rc == AT_OK) {
        sqlite3_bind_int64(st, 1, s->tx_time);
        sqlite3_bind_text(st, 2, s->actor, -1, SQLITE_STATIC);
        bind_text_cstr(s, st, 3, s->reason, NULL);
        int r = sqlite3_step(st);
        sqlite3_finalize(st);
        if (r == SQLITE_DONE)
            s->import_id = sqlite3_last_insert_rowid(BACKEND(s)->db);
        else
            rc = at_sqlite_fail(s, r, "starting an import", err);
    }
    if (rc != AT_OK)
        rollback_quietly(s);
    return rc;
}

static at_code sq_import_file(at_store *s, const char *name, int64_t size, const char *sha256,
                              at_error *err)
{
    sqlite3_stmt *st;
    at_code rc = prepare(s,
                         "UPDATE imports SET files = json_insert(files, '$[#]', "
                         "json_object('name', ?1, 'size', ?2, 'sha256', ?3)) WHERE id = ?4",
                         false, &st, "recording an import file", err);
    if (rc != AT_OK)
        return rc;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, size);
    bind_text_cstr(s, st, 3, sha256, NULL);
    sqlite3_bind_int64(st, 4, s->import_id);
    int r = sqlite3_step(st);
    sqlite3_finalize(st);
    return r == SQLITE_DONE ? AT_OK : at_sqlite_fail(s, r, "recording an import file", err);
}

static at_code sq_import_expect(at_store *s, size_t slot, int64_t rows, at_error *err)
{
    sq_entity *qe = &BACKEND(s)->entities[slot];
    if (qe->indexes_dropped)
        return AT_OK;
    int64_t have = 0;
    at_code rc = s->ops->count(s, slot, &have, err);
    if (rc != AT_OK || rows < have)
        return rc;
    at_text sql;
    at_text_init(&sql);
    at_schema_index_sql(s->entities[slot], true, &sql);
    bool any = sql.len > 0;
    if (sql.failed)
        rc = nomem(s, err);
    else if (any)
        rc = exec(s, at_text_cstr(&sql), "preparing a bulk import", err);
    at_text_free(&sql);
    qe->indexes_dropped = rc == AT_OK && any;
    return rc;
}

/* The secondary indexes a bulk import dropped, built again (sorted once). */
static at_code rebuild_indexes(at_store *s, at_error *err)
{
    at_code rc = AT_OK;
    for (size_t i = 0; rc == AT_OK && i < s->entity_count; i++) {
        sq_entity *qe = &BACKEND(s)->entities[i];
        if (!qe->indexes_dropped)
            continue;
        at_text sql;
        at_text_init(&sql);
        at_schema_index_sql(s->entities[i], false, &sql);
        rc = sql.failed ? nomem(s, err)
                        : exec(s, at_text_cstr(&sql), "building the indexes again", err);
        at_text_free(&sql);
    }
    return rc;
}

/* The import's record: finish time, status, per-entity counts, one summary audit row each. */
static at_code finish_import(at_store *s, at_error *err)
{
    sqlite3_stmt *st = NULL, *counts = NULL;
    at_code rc = prepare(s,
                         "UPDATE imports SET finished = ?1, status = 'committed' WHERE id = ?2",
                         false, &st, "finishing the import", err);
    if (rc == AT_OK) {
        sqlite3_bind_int64(st, 1, (int64_t)time(NULL));
        sqlite3_bind_int64(st, 2, s->import_id);
        int r = sqlite3_step(st);
        if (r != SQLITE_DONE)
            rc = at_sqlite_fail(s, r, "finishing the import", err);
    }
    if (rc == AT_OK)
        rc = prepare(s,
                     "INSERT INTO import_counts (import_id, entity, inserted, updated, unchanged)"
                     " VALUES (?1, ?2, ?3, ?4, ?5)",
                     false, &counts, "recording the import counts", err);
    for (size_t i = 0; rc == AT_OK && i < s->entity_count; i++) {
        const sq_entity *qe = &BACKEND(s)->entities[i];
        if (!qe->inserted && !qe->updated && !qe->unchanged)
            continue;
        sqlite3_bind_int64(counts, 1, s->import_id);
        sqlite3_bind_text(counts, 2, s->entities[i]->name, -1, SQLITE_STATIC);
        sqlite3_bind_int64(counts, 3, qe->inserted);
        sqlite3_bind_int64(counts, 4, qe->updated);
        sqlite3_bind_int64(counts, 5, qe->unchanged);
        int r = sqlite3_step(counts);
        sqlite3_reset(counts);
        if (r != SQLITE_DONE) {
            rc = at_sqlite_fail(s, r, "recording the import counts", err);
            break;
        }
        char after[128];
        snprintf(after, sizeof after,
                 "{\"inserted\":%" PRId64 ",\"updated\":%" PRId64 ",\"unchanged\":%" PRId64 "}",
                 qe->inserted, qe->updated, qe->unchanged);
        rc = write_audit(s, "import", s->entities[i]->name, at_str_make("", 0), NULL, after, err);
    }
    sqlite3_finalize(st);
    sqlite3_finalize(counts);
    return rc;
}

static at_code sq_commit(at_store *s, at_error *err)
{
    at_code rc = rebuild_indexes(s, err);
    if (rc == AT_OK && s->import_id)
        rc = finish_import(s, err);
    if (rc == AT_OK)
        rc = exec(s, "COMMIT", "committing", err);
    if (rc != AT_OK)
        rollback_quietly(s);
    reset_counts(s);
    return rc;
}

static at_code sq_rollback(at_store *s, at_error *err)
{
    reset_counts(s);
    if (sqlite3_get_autocommit(BACKEND(s)->db))
        return AT_OK; /* SQLite already rolled back (after a disk-full or similar error) */
    return exec(s, "ROLLBACK", "rolling back", err);
}

/* ---- writing rows --------------------------------------------------------------------- */

static int bind_value(sqlite3_stmt *st, int idx, const at_field *f, const at_value *v,
                      int64_t ref_id)
{
    if (!v->present)
        return sqlite3_bind_null(st, idx);
    if (f->type == AT_FIELD_REF)
        return sqlite3_bind_int64(st, idx, ref_id);
    if (at_schema_is_text(f->type)) {
        if (v->text.len > (size_t)INT32_MAX)
            return SQLITE_TOOBIG;
        return sqlite3_bind_text(st, idx, v->text.len ? v->text.ptr : "", (int)v->text.len,
                                 SQLITE_STATIC);
    }
    return sqlite3_bind_int64(st, idx, v->number);
}

/* Whether column col of the current row of st holds the value v. */
static bool same_value(sqlite3_stmt *st, int col, const at_field *f, const at_value *v,
                       int64_t ref_id)
{
    int type = sqlite3_column_type(st, col);
    if (!v->present || type == SQLITE_NULL)
        return !v->present && type == SQLITE_NULL;
    if (f->type == AT_FIELD_REF)
        return sqlite3_column_int64(st, col) == ref_id;
    if (at_schema_is_text(f->type)) {
        const unsigned char *p = sqlite3_column_text(st, col);
        size_t n = (size_t)sqlite3_column_bytes(st, col);
        return n == v->text.len && (n == 0 || memcmp(p, v->text.ptr, n) == 0);
    }
    return sqlite3_column_int64(st, col) == v->number;
}

/* The external id of row `id` of the entity in slot, appended to out (as JSON when json). */
static at_code append_ext_id(at_store *s, size_t slot, int64_t id, bool json, at_text *out,
                             at_error *err)
{
    at_code rc = ready(s, slot, err);
    if (rc != AT_OK)
        return rc;
    sqlite3_stmt *st = BACKEND(s)->entities[slot].ext_of_id;
    sqlite3_bind_int64(st, 1, id);
    int r = sqlite3_step(st);
    if (r == SQLITE_ROW) {
        at_str text = at_str_make((const char *)sqlite3_column_text(st, 0),
                                  (size_t)sqlite3_column_bytes(st, 0));
        if (json)
            at_text_json_string(out, text);
        else
            at_text_addn(out, text.ptr, text.len);
        r = SQLITE_DONE;
    } else if (r == SQLITE_DONE) {
        at_text_addf(out, json ? "\"#%" PRId64 "\"" : "#%" PRId64, id);
    }
    sqlite3_reset(st);
    return r == SQLITE_DONE ? AT_OK : at_sqlite_fail(s, r, "reading a reference", err);
}

static long ref_slot(at_store *s, const at_field *f)
{
    return f->ref_entity ? at_store_slot_named(s, f->ref_entity) : -1;
}

/* Appends the JSON of the new value of field i of row (REF: the referenced external id). */
static at_code append_new_value(at_store *s, const at_row *row, size_t i, at_text *out,
                                at_error *err)
{
    const at_field *f = &row->entity->fields[i];
    const at_value *v = &row->values[i];
    if (f->type == AT_FIELD_REF && v->present && v->text.len == 0) {
        long slot = ref_slot(s, f);
        return slot < 0 ? AT_OK
                        : append_ext_id(s, (size_t)slot, BACKEND(s)->ref_ids[i], true, out, err);
    }
    at_audit_json_value(out, f, v->present, v->text, v->number);
    return AT_OK;
}

/* Appends the JSON of column col (field i) of the current row of st. */
static at_code append_old_value(at_store *s, sqlite3_stmt *st, int col, const at_field *f,
                                at_text *out, at_error *err)
{
    bool present = sqlite3_column_type(st, col) != SQLITE_NULL;
    if (f->type == AT_FIELD_REF && present) {
        long slot = ref_slot(s, f);
        if (slot >= 0)
            return append_ext_id(s, (size_t)slot, sqlite3_column_int64(st, col), true, out, err);
    }
    at_str text = {0};
    int64_t number = 0;
    if (present && at_schema_is_text(f->type))
        text = at_str_make((const char *)sqlite3_column_text(st, col),
                           (size_t)sqlite3_column_bytes(st, col));
    else if (present)
        number = sqlite3_column_int64(st, col);
    at_audit_json_value(out, f, present, text, number);
    return AT_OK;
}

static void json_key(at_text *t, bool *first, const char *name)
{
    at_text_add(t, *first ? "{" : ",");
    *first = false;
    at_text_json_string(t, at_str_from(name));
    at_text_add(t, ":");
}

/* The row's key as text for the audit: its external id, or the key fields joined by '|'. */
static at_code build_key(at_store *s, size_t slot, const at_row *row, at_error *err)
{
    sq_store *q = BACKEND(s);
    sq_entity *qe = &q->entities[slot];
    at_text_clear(&q->key);
    for (size_t k = 0; k < qe->key_count; k++) {
        int i = qe->key[k];
        const at_field *f = &row->entity->fields[i];
        const at_value *v = &row->values[i];
        if (k)
            at_text_add(&q->key, "|");
        if (f->type == AT_FIELD_REF && v->text.len == 0) {
            long rs = ref_slot(s, f);
            if (rs >= 0) {
                at_code rc = append_ext_id(s, (size_t)rs, q->ref_ids[i], false, &q->key, err);
                if (rc != AT_OK)
                    return rc;
            }
        } else if (at_schema_is_text(f->type) || f->type == AT_FIELD_REF) {
            at_text_addn(&q->key, v->text.ptr, v->text.len);
        } else {
            at_text tmp;
            at_text_init(&tmp);
            at_audit_json_value(&tmp, f, v->present, v->text, v->number);
            const char *j = at_text_cstr(&tmp);
            size_t n = strlen(j);
            if (n >= 2 && j[0] == '"')
                at_text_addn(&q->key, j + 1, n - 2);
            else
                at_text_add(&q->key, j);
            at_text_free(&tmp);
        }
    }
    return q->key.failed ? nomem(s, err) : AT_OK;
}

static void where_row(at_store *s, const at_entity *e, const at_text *key, char *buf, size_t size)
{
    snprintf(buf, size, "%s (%s %s)", s->path, e->name, at_text_cstr(key));
}

/* Resolves the REF values of row into q->ref_ids: given ids are kept, external ids looked up. */
static at_code resolve_refs(at_store *s, const at_row *row, at_error *err)
{
    sq_store *q = BACKEND(s);
    const at_entity *e = row->entity;
    if (q->ref_cap < e->field_count) {
        int64_t *p = realloc(q->ref_ids, e->field_count * sizeof *p);
        if (!p)
            return nomem(s, err);
        q->ref_ids = p;
        q->ref_cap = e->field_count;
    }
    for (size_t i = 0; i < e->field_count; i++) {
        const at_field *f = &e->fields[i];
        const at_value *v = &row->values[i];
        q->ref_ids[i] = 0;
        if (f->type != AT_FIELD_REF || !v->present)
            continue;
        if (v->ref_id > 0) {
            q->ref_ids[i] = v->ref_id;
            continue;
        }
        long slot = ref_slot(s, f);
        if (slot < 0)
            return at_fail(err, AT_ERR_INTERNAL, s->path, NULL,
                           "%s.%s refers to '%s', which this store does not hold", e->name,
                           f->name, f->ref_entity ? f->ref_entity : "?");
        int64_t id = 0;
        bool found = false;
        at_code rc = ready(s, (size_t)slot, err);
        if (rc != AT_OK)
            return rc;
        sqlite3_stmt *st = q->entities[slot].find_id;
        sqlite3_bind_text(st, 1, v->text.len ? v->text.ptr : "", (int)v->text.len, SQLITE_STATIC);
        int r = sqlite3_step(st);
        if (r == SQLITE_ROW) {
            id = sqlite3_column_int64(st, 0);
            found = true;
            r = SQLITE_DONE;
        }
        sqlite3_reset(st);
        if (r != SQLITE_DONE)
            return at_sqlite_fail(s, r, "looking a reference up", err);
        if (!found)
            return at_fail(err, AT_ERR_NOT_FOUND, s->path,
                           "import the row referred to first, or fix the reference",
                           "%s.%s refers to %s '%.*s', which does not exist", e->name, f->name,
                           f->ref_entity, (int)(v->text.len > 128 ? 128 : v->text.len),
                           v->text.len ? v->text.ptr : "");
        q->ref_ids[i] = id;
    }
    return AT_OK;
}

/* After a foreign key failure: which reference of the row points nowhere. */
static at_code explain_missing_ref(at_store *s, const at_row *row, const char *where,
                                   at_error *err)
{
    sq_store *q = BACKEND(s);
    const at_entity *e = row->entity;
    for (size_t i = 0; i < e->field_count; i++) {
        const at_field *f = &e->fields[i];
        if (f->type != AT_FIELD_REF || !row->values[i].present)
            continue;
        long slot = ref_slot(s, f);
        if (slot < 0 || ready(s, (size_t)slot, NULL) != AT_OK)
            continue;
        sqlite3_stmt *st = q->entities[slot].ext_of_id;
        sqlite3_bind_int64(st, 1, q->ref_ids[i]);
        int r = sqlite3_step(st);
        sqlite3_reset(st);
        if (r == SQLITE_DONE)
            return at_fail(err, AT_ERR_NOT_FOUND, where,
                           "import the row referred to first, or fix the reference",
                           "%s.%s refers to %s row #%" PRId64 " ('%.*s'), which does not exist",
                           e->name, f->name, f->ref_entity, q->ref_ids[i],
                           (int)(row->values[i].text.len > 128 ? 128 : row->values[i].text.len),
                           row->values[i].text.len ? row->values[i].text.ptr : "");
    }
    return at_fail(err, AT_ERR_CONFLICT, where, NULL,
                   "writing %s: a reference points at a row that does not exist", e->name);
}

static at_code write_failed(at_store *s, int r, const at_row *row, size_t slot, at_error *err)
{
    char where[AT_ERROR_WHERE_MAX];
    build_key(s, slot, row, NULL);
    where_row(s, row->entity, &BACKEND(s)->key, where, sizeof where);
    if (r == SQLITE_CONSTRAINT_FOREIGNKEY)
        return explain_missing_ref(s, row, where, err);
    char doing[96];
    snprintf(doing, sizeof doing, "writing %s", row->entity->name);
    at_code rc = at_sqlite_fail(s, r, doing, err);
    if (err)
        snprintf(err->where, sizeof err->where, "%s", where);
    return rc;
}

static at_code bind_row(at_store *s, sqlite3_stmt *st, const at_row *row, at_error *err)
{
    const at_entity *e = row->entity;
    for (size_t i = 0; i < e->field_count; i++) {
        int r = bind_value(st, (int)i + 1, &e->fields[i], &row->values[i],
                           BACKEND(s)->ref_ids[i]);
        if (r != SQLITE_OK)
            return at_fail(err, r == SQLITE_TOOBIG ? AT_ERR_INVALID : AT_ERR_STORE, s->path,
                           NULL, "%s.%s: cannot store the value (%s)", e->name,
                           e->fields[i].name, sqlite3_errstr(r));
    }
    if (s->import_id)
        sqlite3_bind_int64(st, (int)e->field_count + 1, s->import_id);
    else
        sqlite3_bind_null(st, (int)e->field_count + 1);
    return AT_OK;
}

static at_code bind_key(at_store *s, sqlite3_stmt *st, const sq_entity *qe, const at_row *row)
{
    for (size_t k = 0; k < qe->key_count; k++) {
        int i = qe->key[k];
        bind_value(st, (int)k + 1, &row->entity->fields[i], &row->values[i],
                   BACKEND(s)->ref_ids[i]);
    }
    (void)s;
    return AT_OK;
}

static at_code check_key_present(at_store *s, const sq_entity *qe, const at_row *row,
                                 at_error *err)
{
    for (size_t k = 0; k < qe->key_count; k++) {
        const at_field *f = &row->entity->fields[qe->key[k]];
        const at_value *v = &row->values[qe->key[k]];
        if (!v->present || (at_schema_is_text(f->type) && v->text.len == 0))
            return at_fail(err, AT_ERR_INVALID, s->path,
                           "every row needs its key: give the field a value",
                           "%s: the key field %s is empty", row->entity->name, f->name);
    }
    return AT_OK;
}

/* The whole row (after) as a JSON object. */
static at_code row_json(at_store *s, const at_row *row, at_text *out, at_error *err)
{
    bool first = true;
    at_text_clear(out);
    for (size_t i = 0; i < row->entity->field_count; i++) {
        json_key(out, &first, row->entity->fields[i].name);
        at_code rc = append_new_value(s, row, i, out, err);
        if (rc != AT_OK)
            return rc;
    }
    at_text_add(out, first ? "{}" : "}");
    return out->failed ? nomem(s, err) : AT_OK;
}

/* The current row of select_key (column 0 the id) as a JSON object. */
static at_code stored_json(at_store *s, sqlite3_stmt *st, const at_entity *e, at_text *out,
                           at_error *err)
{
    bool first = true;
    at_text_clear(out);
    for (size_t i = 0; i < e->field_count; i++) {
        json_key(out, &first, e->fields[i].name);
        at_code rc = append_old_value(s, st, (int)i + 1, &e->fields[i], out, err);
        if (rc != AT_OK)
            return rc;
    }
    at_text_add(out, first ? "{}" : "}");
    return out->failed ? nomem(s, err) : AT_OK;
}

/* The UPDATE that sets only the fields in mask (and import_id), numbered as the full one. */
static at_code partial_update(at_store *s, size_t slot, uint64_t mask, sqlite3_stmt **out,
                              at_error *err)
{
    sq_entity *qe = &BACKEND(s)->entities[slot];
    const at_entity *e = s->entities[slot];
    size_t n = e->field_count;
    *out = qe->update;
    if (n > 64)
        return AT_OK;
    size_t slots = sizeof qe->partial / sizeof qe->partial[0];
    for (size_t i = 0; i < slots; i++)
        if (qe->partial[i].st && qe->partial[i].mask == mask) {
            *out = qe->partial[i].st;
            return AT_OK;
        }
    at_text sql;
    at_text_init(&sql);
    at_text_add(&sql, "UPDATE ");
    at_text_ident(&sql, e->name);
    at_text_add(&sql, " SET ");
    for (size_t i = 0; i < n; i++)
        if (mask & (UINT64_C(1) << i)) {
            at_text_ident(&sql, at_schema_column(&e->fields[i]));
            at_text_addf(&sql, " = ?%zu, ", i + 1);
        }
    at_text_addf(&sql, "\"import_id\" = ?%zu WHERE \"id\" = ?%zu", n + 1, n + 2);
    sqlite3_stmt *st = NULL;
    at_code rc = sql.failed ? nomem(s, err)
                            : prepare(s, at_text_cstr(&sql), true, &st, "preparing an update", err);
    at_text_free(&sql);
    if (rc != AT_OK)
        return rc;
    unsigned k = qe->partial_next++ % (unsigned)slots;
    sqlite3_finalize(qe->partial[k].st);
    qe->partial[k].mask = mask;
    qe->partial[k].st = st;
    *out = st;
    return AT_OK;
}

static at_code sq_upsert(at_store *s, size_t slot, const at_row *row, at_upsert_result *result,
                         int64_t *id, at_error *err)
{
    sq_store *q = BACKEND(s);
    at_code rc = ready(s, slot, err);
    if (rc != AT_OK)
        return rc;
    sq_entity *qe = &q->entities[slot];
    const at_entity *e = row->entity;
    if ((rc = check_key_present(s, qe, row, err)) != AT_OK ||
        (rc = resolve_refs(s, row, err)) != AT_OK)
        return rc;

    /* 0. the caller knows the row's internal id (the importer, from at_store_each_id): read
     * it by id; when it is not that row after all, go the usual way */
    sqlite3_stmt *st = NULL;
    int r;
    int64_t known = qe->by_id ? row->values[qe->id_field].ref_id : 0;
    if (known > 0) {
        st = qe->select_id;
        sqlite3_bind_int64(st, 1, known);
        r = sqlite3_step(st);
        if (r != SQLITE_ROW || !same_value(st, qe->id_field + 1, &e->fields[qe->id_field],
                                           &row->values[qe->id_field], 0)) {
            sqlite3_reset(st);
            if (r != SQLITE_ROW && r != SQLITE_DONE)
                return at_sqlite_fail(s, r, "reading a row", err);
            st = NULL;
        }
    }
    if (st)
        goto compare;

    /* 1. a new row: one INSERT */
    st = qe->insert;
    if ((rc = bind_row(s, st, row, err)) != AT_OK) {
        sqlite3_reset(st);
        return rc;
    }
    r = sqlite3_step(st);
    sqlite3_reset(st);
    if (r != SQLITE_DONE)
        return write_failed(s, r, row, slot, err);
    if (sqlite3_changes(q->db) == 1) {
        *id = sqlite3_last_insert_rowid(q->db);
        *result = AT_UPSERT_INSERTED;
        qe->inserted++;
        if (s->import_id)
            return AT_OK; /* summarised once per import at commit */
        if ((rc = build_key(s, slot, row, err)) != AT_OK ||
            (rc = row_json(s, row, &q->after, err)) != AT_OK)
            return rc;
        return write_audit(s, "insert", e->name, at_str_make(q->key.ptr, q->key.len), NULL,
                           at_text_cstr(&q->after), err);
    }

    /* 2. the key exists: compare, update when something differs */
    st = qe->select_key;
    bind_key(s, st, qe, row);
    r = sqlite3_step(st);
    if (r != SQLITE_ROW) {
        sqlite3_reset(st);
        if (r == SQLITE_DONE)
            return at_fail(err, AT_ERR_INTERNAL, s->path, NULL,
                           "%s: the row conflicted on its key but cannot be found", e->name);
        return at_sqlite_fail(s, r, "reading a row", err);
    }
compare:
    *id = sqlite3_column_int64(st, 0);
    bool first = true;
    uint64_t changed = 0;
    at_text_clear(&q->before);
    at_text_clear(&q->after);
    for (size_t i = 0; rc == AT_OK && i < e->field_count; i++) {
        const at_field *f = &e->fields[i];
        if (same_value(st, (int)i + 1, f, &row->values[i], q->ref_ids[i]))
            continue;
        if (i < 64)
            changed |= UINT64_C(1) << i;
        bool was_first = first;
        json_key(&q->before, &first, f->name);
        first = was_first;
        json_key(&q->after, &first, f->name);
        rc = append_old_value(s, st, (int)i + 1, f, &q->before, err);
        if (rc == AT_OK)
            rc = append_new_value(s, row, i, &q->after, err);
    }
    sqlite3_reset(st);
    if (rc != AT_OK)
        return rc;
    if (first) {
        *result = AT_UPSERT_UNCHANGED;
        qe->unchanged++;
        return AT_OK;
    }
    at_text_add(&q->before, "}");
    at_text_add(&q->after, "}");
    if (q->before.failed || q->after.failed)
        return nomem(s, err);

    if ((rc = partial_update(s, slot, changed, &st, err)) != AT_OK)
        return rc;
    if ((rc = bind_row(s, st, row, err)) != AT_OK) {
        sqlite3_reset(st);
        return rc;
    }
    sqlite3_bind_int64(st, (int)e->field_count + 2, *id);
    r = sqlite3_step(st);
    sqlite3_reset(st);
    if (r != SQLITE_DONE)
        return write_failed(s, r, row, slot, err);
    *result = AT_UPSERT_UPDATED;
    qe->updated++;
    if ((rc = build_key(s, slot, row, err)) != AT_OK)
        return rc;
    return write_audit(s, "update", e->name, at_str_make(q->key.ptr, q->key.len),
                       at_text_cstr(&q->before), at_text_cstr(&q->after), err);
}

/* After a failed delete: which table still refers to the row. */
static at_code explain_referred(at_store *s, size_t slot, int64_t id, const char *where,
                                at_error *err)
{
    const at_entity *target = s->entities[slot];
    for (size_t t = 0; t < s->entity_count; t++) {
        const at_entity *e = s->entities[t];
        for (size_t i = 0; i < e->field_count; i++) {
            const at_field *f = &e->fields[i];
            if (f->type != AT_FIELD_REF || !f->ref_entity ||
                strcmp(f->ref_entity, target->name) != 0)
                continue;
            at_text sql;
            at_text_init(&sql);
            at_text_add(&sql, "SELECT count(*) FROM ");
            at_text_ident(&sql, e->name);
            at_text_add(&sql, " WHERE ");
            at_text_ident(&sql, at_schema_column(f));
            at_text_addf(&sql, " = %" PRId64, id);
            int64_t n = 0;
            at_code rc = query_int(s, at_text_cstr(&sql), 0, &n, "finding references", NULL);
            at_text_free(&sql);
            if (rc == AT_OK && n > 0)
                return at_fail(err, AT_ERR_CONFLICT, where,
                               "delete those rows first, or point them at another row",
                               "%s is still referred to by %" PRId64 " row%s of %s (column %s)",
                               target->name, n, n == 1 ? "" : "s", e->name, f->name);
        }
    }
    return at_fail(err, AT_ERR_CONFLICT, where, NULL,
                   "%s cannot be deleted: other rows refer to it", target->name);
}

static at_code sq_remove(at_store *s, size_t slot, const at_row *key, bool *deleted,
                         at_error *err)
{
    sq_store *q = BACKEND(s);
    at_code rc = ready(s, slot, err);
    if (rc != AT_OK)
        return rc;
    sq_entity *qe = &q->entities[slot];
    const at_entity *e = s->entities[slot];
    if ((rc = check_key_present(s, qe, key, err)) != AT_OK)
        return rc;
    /* the key's references must resolve; a reference that does not exist means no row */
    rc = resolve_refs(s, key, err);
    if (rc == AT_ERR_NOT_FOUND)
        return AT_OK;
    if (rc != AT_OK || (rc = build_key(s, slot, key, err)) != AT_OK)
        return rc;
    sqlite3_stmt *st = qe->select_key;
    bind_key(s, st, qe, key);
    int r = sqlite3_step(st);
    if (r == SQLITE_DONE) {
        sqlite3_reset(st);
        return AT_OK;
    }
    if (r != SQLITE_ROW) {
        sqlite3_reset(st);
        return at_sqlite_fail(s, r, "reading a row", err);
    }
    int64_t id = sqlite3_column_int64(st, 0);
    rc = stored_json(s, st, e, &q->before, err);
    sqlite3_reset(st);
    if (rc != AT_OK)
        return rc;
    sqlite3_bind_int64(qe->remove, 1, id);
    r = sqlite3_step(qe->remove);
    sqlite3_reset(qe->remove);
    if (r != SQLITE_DONE) {
        char where[AT_ERROR_WHERE_MAX];
        where_row(s, e, &q->key, where, sizeof where);
        if (r == SQLITE_CONSTRAINT_FOREIGNKEY)
            return explain_referred(s, slot, id, where, err);
        char doing[96];
        snprintf(doing, sizeof doing, "deleting from %s", e->name);
        rc = at_sqlite_fail(s, r, doing, err);
        if (err)
            snprintf(err->where, sizeof err->where, "%s", where);
        return rc;
    }
    *deleted = true;
    return write_audit(s, "delete", e->name, at_str_make(q->key.ptr, q->key.len),
                       at_text_cstr(&q->before), NULL, err);
}

/* ---- reads ---------------------------------------------------------------------------- */

static at_code sq_count(at_store *s, size_t slot, int64_t *count, at_error *err)
{
    at_text sql;
    at_text_init(&sql);
    at_text_add(&sql, "SELECT count(*) FROM ");
    at_text_ident(&sql, s->entities[slot]->name);
    at_code rc = sql.failed ? nomem(s, err)
                            : query_int(s, at_text_cstr(&sql), 0, count, "counting rows", err);
    at_text_free(&sql);
    return rc;
}

static at_code sq_find_id(at_store *s, size_t slot, at_str ext_id, int64_t *id, bool *found,
                          at_error *err)
{
    at_code rc = ready(s, slot, err);
    if (rc != AT_OK)
        return rc;
    if (ext_id.len > (size_t)INT32_MAX)
        return AT_OK;
    sqlite3_stmt *st = BACKEND(s)->entities[slot].find_id;
    sqlite3_bind_text(st, 1, ext_id.len ? ext_id.ptr : "", (int)ext_id.len, SQLITE_STATIC);
    int r = sqlite3_step(st);
    if (r == SQLITE_ROW) {
        *id = sqlite3_column_int64(st, 0);
        *found = true;
        r = SQLITE_DONE;
    }
    sqlite3_reset(st);
    return r == SQLITE_DONE ? AT_OK : at_sqlite_fail(s, r, "looking an id up", err);
}

static at_code sq_each_id(at_store *s, size_t slot, at_store_id_fn fn, void *ctx, at_error *err)
{
    at_text sql;
    at_text_init(&sql);
    at_text_add(&sql, "SELECT \"ext_id\", \"id\" FROM ");
    at_text_ident(&sql, s->entities[slot]->name);
    sqlite3_stmt *st = NULL;
    at_code rc = sql.failed ? nomem(s, err)
                            : prepare(s, at_text_cstr(&sql), false, &st, "reading ids", err);
    at_text_free(&sql);
    int r = SQLITE_DONE;
    while (rc == AT_OK && (r = sqlite3_step(st)) == SQLITE_ROW)
        rc = fn(ctx,
                at_str_make((const char *)sqlite3_column_text(st, 0),
                            (size_t)sqlite3_column_bytes(st, 0)),
                sqlite3_column_int64(st, 1), err);
    if (rc == AT_OK && r != SQLITE_DONE)
        rc = at_sqlite_fail(s, r, "reading ids", err);
    sqlite3_finalize(st);
    return rc;
}

static at_code sq_each_row(at_store *s, size_t slot, at_store_row_fn fn, void *ctx,
                           at_error *err)
{
    const at_entity *e = s->entities[slot];
    int key[AT_SCHEMA_KEY_MAX];
    size_t key_count = 0;
    at_code rc = at_schema_key_fields(e, key, &key_count, err);
    if (rc != AT_OK)
        return rc;
    size_t n = e->field_count;
    /* SELECT t.id, t.<every column>, then r<i>.ext_id for every REF i, joined */
    at_text sql;
    at_text_init(&sql);
    at_text_add(&sql, "SELECT t.\"id\", ");
    add_columns(&sql, e, "t.");
    for (size_t i = 0; i < n; i++)
        if (e->fields[i].type == AT_FIELD_REF)
            at_text_addf(&sql, ", r%zu.\"ext_id\"", i);
    at_text_add(&sql, " FROM ");
    at_text_ident(&sql, e->name);
    at_text_add(&sql, " AS t");
    for (size_t i = 0; i < n; i++) {
        const at_field *f = &e->fields[i];
        if (f->type != AT_FIELD_REF)
            continue;
        at_text_add(&sql, " LEFT JOIN ");
        at_text_ident(&sql, f->ref_entity ? f->ref_entity : "?");
        at_text_addf(&sql, " AS r%zu ON r%zu.\"id\" = t.", i, i);
        at_text_ident(&sql, f->name);
    }
    at_text_add(&sql, " ORDER BY ");
    for (size_t k = 0; k < key_count; k++) {
        const at_field *f = &e->fields[key[k]];
        if (f->type == AT_FIELD_REF) {
            at_text_addf(&sql, "r%d.\"ext_id\", ", key[k]);
        } else {
            at_text_add(&sql, "t.");
            at_text_ident(&sql, at_schema_column(f));
            at_text_add(&sql, ", ");
        }
    }
    at_text_add(&sql, "t.\"id\"");
    sqlite3_stmt *st = NULL;
    char doing[96];
    snprintf(doing, sizeof doing, "reading %s", e->name);
    rc = sql.failed ? nomem(s, err) : prepare(s, at_text_cstr(&sql), false, &st, doing, err);
    at_text_free(&sql);
    if (rc != AT_OK)
        return rc;
    at_value *values = calloc(n ? n : 1, sizeof *values);
    int *ref_col = calloc(n ? n : 1, sizeof *ref_col);
    if (!values || !ref_col) {
        free(values);
        free(ref_col);
        sqlite3_finalize(st);
        return nomem(s, err);
    }
    int next = (int)n + 1;
    for (size_t i = 0; i < n; i++)
        ref_col[i] = e->fields[i].type == AT_FIELD_REF ? next++ : -1;
    at_row row = {e, values};
    int r = SQLITE_DONE;
    while (rc == AT_OK && (r = sqlite3_step(st)) == SQLITE_ROW) {
        for (size_t i = 0; i < n; i++) {
            const at_field *f = &e->fields[i];
            int col = (int)i + 1;
            at_value *v = &values[i];
            memset(v, 0, sizeof *v);
            v->present = sqlite3_column_type(st, col) != SQLITE_NULL;
            if (!v->present)
                continue;
            if (f->type == AT_FIELD_REF) {
                v->ref_id = sqlite3_column_int64(st, col);
                v->text = at_str_make((const char *)sqlite3_column_text(st, ref_col[i]),
                                      (size_t)sqlite3_column_bytes(st, ref_col[i]));
            } else if (at_schema_is_text(f->type)) {
                v->text = at_str_make((const char *)sqlite3_column_text(st, col),
                                      (size_t)sqlite3_column_bytes(st, col));
            } else {
                v->number = sqlite3_column_int64(st, col);
            }
        }
        rc = fn(ctx, sqlite3_column_int64(st, 0), &row, err);
    }
    if (rc == AT_OK && r != SQLITE_DONE)
        rc = at_sqlite_fail(s, r, doing, err);
    sqlite3_finalize(st);
    free(values);
    free(ref_col);
    return rc;
}

/* ---- audit and imports ---------------------------------------------------------------- */

static const char *column_cstr(sqlite3_stmt *st, int col)
{
    return sqlite3_column_type(st, col) == SQLITE_NULL ? NULL
                                                        : (const char *)sqlite3_column_text(st, col);
}

static at_code sq_audit_each(at_store *s, const at_audit_filter *f, at_audit_fn fn, void *ctx,
                             at_error *err)
{
    at_text sql;
    at_text_init(&sql);
    at_text_add(&sql, "SELECT id, at, actor, action, entity, row_key, before, after, reason, "
                      "coalesce(import_id, 0) FROM audit WHERE 1 = 1");
    if (f->entity)
        at_text_add(&sql, " AND entity = :entity");
    if (f->key)
        at_text_add(&sql, " AND row_key = :key");
    if (f->actor)
        at_text_add(&sql, " AND actor = :actor");
    if (f->action)
        at_text_add(&sql, " AND action = :action");
    if (f->to > f->from)
        at_text_add(&sql, " AND at >= :from AND at < :to");
    if (f->import_id)
        at_text_add(&sql, " AND import_id = :import");
    if (f->after_id)
        at_text_add(&sql, " AND id > :after");
    at_text_add(&sql, " ORDER BY id");
    if (f->limit)
        at_text_add(&sql, " LIMIT :limit");
    sqlite3_stmt *st = NULL;
    at_code rc = sql.failed ? nomem(s, err)
                            : prepare(s, at_text_cstr(&sql), false, &st, "reading the audit", err);
    at_text_free(&sql);
    if (rc != AT_OK)
        return rc;
#define BIND_TEXT(name, value)                                                                   \
    if (value)                                                                                   \
    sqlite3_bind_text(st, sqlite3_bind_parameter_index(st, name), value, -1, SQLITE_STATIC)
#define BIND_INT(name, cond, value)                                                              \
    if (cond)                                                                                    \
    sqlite3_bind_int64(st, sqlite3_bind_parameter_index(st, name), (int64_t)(value))
    BIND_TEXT(":entity", f->entity);
    BIND_TEXT(":key", f->key);
    BIND_TEXT(":actor", f->actor);
    BIND_TEXT(":action", f->action);
    BIND_INT(":from", f->to > f->from, f->from);
    BIND_INT(":to", f->to > f->from, f->to);
    BIND_INT(":import", f->import_id, f->import_id);
    BIND_INT(":after", f->after_id, f->after_id);
    BIND_INT(":limit", f->limit, f->limit > INT64_MAX ? INT64_MAX : f->limit);
#undef BIND_TEXT
#undef BIND_INT
    int r = SQLITE_DONE;
    while (rc == AT_OK && (r = sqlite3_step(st)) == SQLITE_ROW) {
        at_audit_entry a = {
            .id = sqlite3_column_int64(st, 0),
            .at = sqlite3_column_int64(st, 1),
            .actor = (const char *)sqlite3_column_text(st, 2),
            .action = (const char *)sqlite3_column_text(st, 3),
            .entity = (const char *)sqlite3_column_text(st, 4),
            .key = (const char *)sqlite3_column_text(st, 5),
            .before = column_cstr(st, 6),
            .after = column_cstr(st, 7),
            .reason = column_cstr(st, 8),
            .import_id = sqlite3_column_int64(st, 9),
        };
        rc = fn(ctx, &a, err);
    }
    if (rc == AT_OK && r != SQLITE_DONE)
        rc = at_sqlite_fail(s, r, "reading the audit", err);
    sqlite3_finalize(st);
    return rc;
}

static int count_order(const void *a, const void *b, void *store)
{
    const at_import_count *x = a, *y = b;
    long i = at_store_slot_named(store, x->entity), j = at_store_slot_named(store, y->entity);
    if (i < 0)
        i = LONG_MAX;
    if (j < 0)
        j = LONG_MAX;
    return i < j ? -1 : i > j ? 1 : strcmp(x->entity, y->entity);
}

/* Insertion sort (few entities): qsort has no context argument in C17. */
static void sort_counts(at_import_count *c, size_t n, at_store *s)
{
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && count_order(&c[j - 1], &c[j], s) > 0; j--) {
            at_import_count t = c[j];
            c[j] = c[j - 1];
            c[j - 1] = t;
        }
}

static at_code sq_imports_each(at_store *s, size_t limit, at_import_fn fn, void *ctx,
                               at_error *err)
{
    sqlite3_stmt *st = NULL, *cs = NULL;
    at_code rc = prepare(s,
                         "SELECT id, started, coalesce(finished, 0), actor, reason, status, files"
                         " FROM imports WHERE status <> 'running' ORDER BY id DESC LIMIT ?1",
                         false, &st, "reading the imports", err);
    if (rc == AT_OK)
        rc = prepare(s,
                     "SELECT entity, inserted, updated, unchanged FROM import_counts "
                     "WHERE import_id = ?1",
                     false, &cs, "reading the imports", err);
    if (rc != AT_OK) {
        sqlite3_finalize(st);
        return rc;
    }
    sqlite3_bind_int64(st, 1, limit && limit < INT64_MAX ? (int64_t)limit : -1);
    at_arena arena;
    at_arena_init(&arena, 0);
    int r = SQLITE_DONE;
    while (rc == AT_OK && (r = sqlite3_step(st)) == SQLITE_ROW) {
        at_arena_reset(&arena);
        at_import_record rec = {
            .id = sqlite3_column_int64(st, 0),
            .started = sqlite3_column_int64(st, 1),
            .finished = sqlite3_column_int64(st, 2),
            .actor = (const char *)sqlite3_column_text(st, 3),
            .reason = column_cstr(st, 4),
            .status = (const char *)sqlite3_column_text(st, 5),
            .files = (const char *)sqlite3_column_text(st, 6),
        };
        size_t cap = 0, n = 0;
        at_import_count *counts = NULL;
        sqlite3_bind_int64(cs, 1, rec.id);
        int cr;
        while ((cr = sqlite3_step(cs)) == SQLITE_ROW) {
            if (n == cap) {
                size_t ncap = cap ? cap * 2 : 16;
                at_import_count *p = at_arena_alloc(&arena, ncap * sizeof *p);
                if (!p) {
                    cr = SQLITE_NOMEM;
                    break;
                }
                if (n)
                    memcpy(p, counts, n * sizeof *p);
                counts = p;
                cap = ncap;
            }
            const char *name = at_arena_strdup(&arena, (const char *)sqlite3_column_text(cs, 0));
            if (!name) {
                cr = SQLITE_NOMEM;
                break;
            }
            counts[n++] = (at_import_count){name, sqlite3_column_int64(cs, 1),
                                            sqlite3_column_int64(cs, 2),
                                            sqlite3_column_int64(cs, 3)};
        }
        sqlite3_reset(cs);
        if (cr != SQLITE_DONE) {
            rc = cr == SQLITE_NOMEM ? nomem(s, err)
                                    : at_sqlite_fail(s, cr, "reading the imports", err);
            break;
        }
        sort_counts(counts, n, s);
        rec.counts = counts;
        rec.count_count = n;
        rc = fn(ctx, &rec, err);
    }
    if (rc == AT_OK && r != SQLITE_DONE && r != SQLITE_ROW)
        rc = at_sqlite_fail(s, r, "reading the imports", err);
    at_arena_free(&arena);
    sqlite3_finalize(st);
    sqlite3_finalize(cs);
    return rc;
}

static at_code sq_import_counts(at_store *s, size_t slot, at_import_count *out, at_error *err)
{
    (void)err;
    const sq_entity *qe = &BACKEND(s)->entities[slot];
    if (s->in_tx && s->import_id) {
        out->inserted = qe->inserted;
        out->updated = qe->updated;
        out->unchanged = qe->unchanged;
    }
    return AT_OK;
}

/* ---- check ---------------------------------------------------------------------------- */

static at_code add_problem(at_error_list *problems, at_store *s, const char *hint,
                           const char *fmt, const char *a, const char *b, at_error *err)
{
    if (at_error_list_addf(problems, AT_ERR_STORE, s->path, hint, fmt, a, b) != AT_OK)
        return nomem(s, err);
    return AT_OK;
}

static at_code check_table(at_store *s, const at_entity *e, at_error_list *problems,
                           at_error *err)
{
    at_text sql;
    at_text_init(&sql);
    at_text_add(&sql, "SELECT name, type, \"notnull\" FROM pragma_table_info(");
    at_text_sql_string(&sql, e->name);
    at_text_add(&sql, ")");
    sqlite3_stmt *st = NULL;
    at_code rc = sql.failed ? nomem(s, err)
                            : prepare(s, at_text_cstr(&sql), false, &st, "checking tables", err);
    at_text_free(&sql);
    if (rc != AT_OK)
        return rc;
    bool *seen = calloc(e->field_count + 1, sizeof *seen);
    if (!seen) {
        sqlite3_finalize(st);
        return nomem(s, err);
    }
    size_t columns = 0;
    int r;
    static const char HINT[] =
        "every change to entities.c needs a migration in src/store/schema.c; run `attain db "
        "migrate`, or report this";
    while (rc == AT_OK && (r = sqlite3_step(st)) == SQLITE_ROW) {
        columns++;
        const char *name = (const char *)sqlite3_column_text(st, 0);
        const char *type = (const char *)sqlite3_column_text(st, 1);
        if (strcmp(name, "id") == 0 || strcmp(name, "import_id") == 0)
            continue;
        size_t i = 0;
        while (i < e->field_count && strcmp(at_schema_column(&e->fields[i]), name) != 0)
            i++;
        if (i == e->field_count) {
            char where[160];
            snprintf(where, sizeof where, "%s.%s", e->name, name);
            rc = add_problem(problems, s, HINT,
                             "column %s is in the database but no field describes it (%s)",
                             where, "extra column", err);
            continue;
        }
        seen[i] = true;
        const char *want = at_schema_sql_type(e->fields[i].type);
        if (strcmp(type, want) != 0) {
            char what[160];
            snprintf(what, sizeof what, "%s.%s", e->name, name);
            rc = add_problem(problems, s, HINT, "column %s has type %s", what, type, err);
        }
    }
    sqlite3_finalize(st);
    if (rc == AT_OK && columns == 0)
        rc = add_problem(problems, s, HINT, "table %s is missing%s", e->name, "", err);
    for (size_t i = 0; rc == AT_OK && columns && i < e->field_count; i++)
        if (!seen[i]) {
            char what[160];
            snprintf(what, sizeof what, "%s.%s", e->name, at_schema_column(&e->fields[i]));
            rc = add_problem(problems, s, HINT, "column %s is missing%s", what, "", err);
        }
    free(seen);
    return rc;
}

static at_code sq_check(at_store *s, at_error_list *problems, at_error *err)
{
    int v = 0;
    at_code rc = read_version(s, &v, err);
    if (rc != AT_OK)
        return rc;
    if (v < AT_STORE_SCHEMA_VERSION) {
        char text[64];
        snprintf(text, sizeof text, "%d (this attain uses %d)", v, AT_STORE_SCHEMA_VERSION);
        rc = add_problem(problems, s, "run `attain db migrate`",
                         "the schema version is %s%s", text, "", err);
    }
    sqlite3_stmt *st = NULL;
    if (rc == AT_OK)
        rc = prepare(s, "PRAGMA integrity_check(100)", false, &st, "checking integrity", err);
    int r = SQLITE_DONE;
    while (rc == AT_OK && (r = sqlite3_step(st)) == SQLITE_ROW) {
        const char *line = (const char *)sqlite3_column_text(st, 0);
        if (strcmp(line, "ok") != 0)
            rc = add_problem(problems, s, "restore the database from a backup",
                             "integrity check: %s%s", line, "", err);
    }
    if (rc == AT_OK && r != SQLITE_DONE)
        rc = at_sqlite_fail(s, r, "checking integrity", err);
    sqlite3_finalize(st);
    st = NULL;
    if (rc == AT_OK)
        rc = prepare(s, "SELECT \"table\", rowid, parent FROM pragma_foreign_key_check", false,
                     &st, "checking references", err);
    r = SQLITE_DONE;
    while (rc == AT_OK && (r = sqlite3_step(st)) == SQLITE_ROW) {
        char what[200];
        snprintf(what, sizeof what, "row #%" PRId64 " of %s", (int64_t)sqlite3_column_int64(st, 1),
                 (const char *)sqlite3_column_text(st, 0));
        rc = add_problem(problems, s, "fix or delete the row",
                         "%s refers to a row of %s that does not exist", what,
                         (const char *)sqlite3_column_text(st, 2), err);
    }
    if (rc == AT_OK && r != SQLITE_DONE)
        rc = at_sqlite_fail(s, r, "checking references", err);
    sqlite3_finalize(st);
    for (size_t i = 0; rc == AT_OK && i < s->entity_count; i++)
        rc = check_table(s, s->entities[i], problems, err);
    return rc;
}

const at_store_ops at_sqlite_ops = {
    .name = "sqlite",
    .open = sq_open,
    .close = sq_close,
    .version = sq_version,
    .migrate = sq_migrate,
    .check = sq_check,
    .begin = sq_begin,
    .import_file = sq_import_file,
    .import_expect = sq_import_expect,
    .commit = sq_commit,
    .rollback = sq_rollback,
    .upsert = sq_upsert,
    .remove = sq_remove,
    .count = sq_count,
    .find_id = sq_find_id,
    .each_id = sq_each_id,
    .each_row = sq_each_row,
    .audit_each = sq_audit_each,
    .imports_each = sq_imports_each,
    .import_counts = sq_import_counts,
    .summarize = at_sqlite_summarize,
};
