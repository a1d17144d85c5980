/* sqlite_store.c - the SQLite backend of the store (store.h): opening (WAL, foreign keys on,
 * busy timeout), creating and upgrading the schema, the per-entity prepared statements,
 * transactions and the imports record, SQLite's errors in words for people, and the table of
 * functions store.c calls. Writing rows is in sqlite_write.c, reading in sqlite_read.c, the
 * check in sqlite_check.c, the summary in sqlite_summary.c.
 *
 * Writes: every write is inside BEGIN IMMEDIATE ... COMMIT (the write lock is taken at begin, so
 * a second writer waits up to the busy timeout and then hears that another attain is writing).
 * Statements are prepared once per entity and kept. An import's transaction runs with
 * foreign keys off (set before BEGIN: SQLite ignores the pragma inside a transaction): the
 * store looks each reference up itself, except for entities in bulk (at_store_import_expect),
 * whose tables commit checks with PRAGMA foreign_key_check: one pass instead of a lookup per
 * reference per row. From the first entity in bulk on, CHECK rules are off too (an enum's IN
 * list costs SQLite a temporary table per row) and commit checks the rules of the tables
 * written with one query each.
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

at_code at_sqlite_nomem(at_store *s, at_error *err)
{
    return at_fail(err, AT_ERR_NOMEM, s->path, NULL, "out of memory");
}

at_code at_sqlite_exec(at_store *s, const char *sql, const char *doing, at_error *err)
{
    int rc = sqlite3_exec(BACKEND(s)->db, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK ? AT_OK : at_sqlite_fail(s, rc, doing, err);
}

at_code at_sqlite_prepare(at_store *s, const char *sql, bool keep, sqlite3_stmt **out,
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
at_code at_sqlite_query_int(at_store *s, const char *sql, int64_t dflt, int64_t *out,
                         const char *doing, at_error *err)
{
    sqlite3_stmt *st;
    at_code rc = at_sqlite_prepare(s, sql, false, &st, doing, err);
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

at_code at_sqlite_bind_text(at_store *s, sqlite3_stmt *st, int idx, const char *text,
                              at_error *err)
{
    int r = text ? sqlite3_bind_text(st, idx, text, -1, SQLITE_STATIC) : sqlite3_bind_null(st, idx);
    return r == SQLITE_OK ? AT_OK : at_sqlite_fail(s, r, "binding a value", err);
}

/* ---- opening, creating, upgrading ----------------------------------------------------- */

at_code at_sqlite_read_version(at_store *s, int *version, at_error *err)
{
    int64_t tables = 0, has = 0, v = 0;
    at_code rc = at_sqlite_query_int(s, "SELECT count(*) FROM sqlite_master", 0, &tables,
                           "reading the schema", err);
    if (rc == AT_OK)
        rc = at_sqlite_query_int(s,
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
    rc = at_sqlite_query_int(s, "SELECT max(version) FROM schema_version", 0, &v,
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
    return at_sqlite_read_version(s, version, err);
}

static at_code record_version(at_store *s, int version, const char *description, at_error *err)
{
    sqlite3_stmt *st;
    at_code rc = at_sqlite_prepare(s,
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
    at_code rc = at_sqlite_prepare(s,
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
    at_code rc = at_sqlite_exec(s, "BEGIN IMMEDIATE", "creating the database", err);
    if (rc != AT_OK)
        return rc;
    int v = 0;
    rc = at_sqlite_read_version(s, &v, err);
    if (rc == AT_OK && v != 0) { /* another attain created it meanwhile */
        rollback_quietly(s);
        return AT_OK;
    }
    if (rc == AT_OK)
        rc = at_sqlite_exec(s, at_schema_v1_support_sql, "creating the database", err);
    at_text sql;
    at_text_init(&sql);
    for (size_t i = 0; rc == AT_OK && i < s->entity_count; i++) {
        at_text_clear(&sql);
        rc = at_schema_entity_sql(s->entities[i], s->entities, s->entity_count, &sql, err);
        if (rc == AT_OK)
            rc = at_sqlite_exec(s, at_text_cstr(&sql), "creating the entity tables", err);
    }
    at_text_free(&sql);
    if (rc == AT_OK)
        rc = record_version(s, 1, "first schema", err);
    for (size_t i = 0; rc == AT_OK && i < at_migration_count; i++) {
        const at_migration *m = &at_migrations[i];
        if (m->support_sql)
            rc = at_sqlite_exec(s, m->support_sql, "creating the database", err);
        if (rc == AT_OK)
            rc = record_version(s, m->version, m->description, err);
    }
    if (rc == AT_OK)
        rc = audit_schema(s, "attain", "init", 0, AT_STORE_SCHEMA_VERSION, err);
    if (rc == AT_OK)
        rc = at_sqlite_exec(s, "COMMIT", "creating the database", err);
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
            rc = at_sqlite_exec(s, at_text_cstr(&sql), doing, err);
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
            rc = at_sqlite_exec(s, at_text_cstr(&sql), doing, err);
    }
    at_text_free(&sql);
    return rc;
}

static at_code upgrade(at_store *s, const char *actor, int *from, at_error *err)
{
    at_code rc = at_sqlite_exec(s, "BEGIN IMMEDIATE", "upgrading the database", err);
    if (rc != AT_OK)
        return rc;
    int v = 0;
    rc = at_sqlite_read_version(s, &v, err);
    *from = v;
    if (rc == AT_OK && v > AT_STORE_SCHEMA_VERSION)
        rc = newer_schema(s, v, err);
    if (rc == AT_OK && v == 0)
        rc = at_fail(err, AT_ERR_STORE, s->path, "create it with `attain db init`",
                     "the database is empty: there is nothing to upgrade");
    if (rc == AT_OK)
        rc = at_sqlite_exec(s, "PRAGMA defer_foreign_keys = ON", "upgrading the database", err);
    for (size_t i = 0; rc == AT_OK && i < at_migration_count; i++) {
        const at_migration *m = &at_migrations[i];
        if (m->version <= v)
            continue;
        char doing[96];
        snprintf(doing, sizeof doing, "upgrading the schema to version %d", m->version);
        if (m->entity_sql)
            rc = at_sqlite_exec(s, m->entity_sql, doing, err);
        if (rc == AT_OK)
            rc = upgrade_entities(s, m, doing, err);
        if (rc == AT_OK && m->support_sql)
            rc = at_sqlite_exec(s, m->support_sql, doing, err);
        if (rc == AT_OK)
            rc = record_version(s, m->version, m->description, err);
    }
    int64_t broken = 0;
    if (rc == AT_OK && v < AT_STORE_SCHEMA_VERSION)
        rc = at_sqlite_query_int(s, "SELECT count(*) FROM pragma_foreign_key_check", 0, &broken,
                       "checking references after the upgrade", err);
    if (rc == AT_OK && broken)
        rc = at_fail(err, AT_ERR_STORE, s->path, "run `attain db check` to see them",
                     "after the upgrade %" PRId64 " rows refer to rows that do not exist", broken);
    if (rc == AT_OK && v < AT_STORE_SCHEMA_VERSION)
        rc = audit_schema(s, actor, "migrate", v, AT_STORE_SCHEMA_VERSION, err);
    if (rc == AT_OK)
        rc = at_sqlite_exec(s, "COMMIT", "upgrading the database", err);
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
    return at_sqlite_exec(s, sql, "setting up the connection", err);
}

static at_code sq_open(at_store *s, at_error *err)
{
    sq_store *q = calloc(1, sizeof *q);
    if (!q)
        return at_sqlite_nomem(s, err);
    s->backend = q;
    at_text_init(&q->before);
    at_text_init(&q->after);
    at_text_init(&q->key);
    q->entities = calloc(s->entity_count ? s->entity_count : 1, sizeof *q->entities);
    if (!q->entities)
        return at_sqlite_nomem(s, err);

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
        /* sorts for index builds spill to temporary files past the cache: in memory, a
           100M-row import's index rebuilds alone took gigabytes (size S: no slower) */
        rc = pragma(s, "PRAGMA temp_store = FILE", err);
    int v = 0;
    if (rc == AT_OK)
        rc = at_sqlite_read_version(s, &v, err);
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

void at_sqlite_add_columns(at_text *sql, const at_entity *e, const char *prefix)
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

at_code at_sqlite_ready(at_store *s, size_t slot, at_error *err)
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
    at_sqlite_add_columns(&sql, e, "");
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
    rc = at_sqlite_prepare(s, at_text_cstr(&sql), true, &qe->insert, doing, err);

    if (rc == AT_OK) {
        at_text_clear(&sql);
        at_text_add(&sql, "SELECT \"id\", ");
        at_sqlite_add_columns(&sql, e, "");
        at_text_add(&sql, " FROM ");
        at_text_ident(&sql, e->name);
        add_key_match(&sql, e, qe);
        rc = at_sqlite_prepare(s, at_text_cstr(&sql), true, &qe->select_key, doing, err);
    }
    if (rc == AT_OK) {
        at_text_clear(&sql);
        at_text_add(&sql, "SELECT \"id\", ");
        at_sqlite_add_columns(&sql, e, "");
        at_text_add(&sql, " FROM ");
        at_text_ident(&sql, e->name);
        at_text_add(&sql, " WHERE \"id\" = ?1");
        rc = at_sqlite_prepare(s, at_text_cstr(&sql), true, &qe->select_id, doing, err);
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
        rc = at_sqlite_prepare(s, at_text_cstr(&sql), true, &qe->update, doing, err);
    }
    if (rc == AT_OK) {
        at_text_clear(&sql);
        at_text_add(&sql, "DELETE FROM ");
        at_text_ident(&sql, e->name);
        at_text_add(&sql, " WHERE \"id\" = ?1");
        rc = at_sqlite_prepare(s, at_text_cstr(&sql), true, &qe->remove, doing, err);
    }
    if (rc == AT_OK && qe->by_id) {
        at_text_clear(&sql);
        at_text_add(&sql, "SELECT \"id\" FROM ");
        at_text_ident(&sql, e->name);
        at_text_add(&sql, " WHERE \"ext_id\" = ?1");
        rc = at_sqlite_prepare(s, at_text_cstr(&sql), true, &qe->find_id, doing, err);
        if (rc == AT_OK) {
            at_text_clear(&sql);
            at_text_add(&sql, "SELECT \"ext_id\" FROM ");
            at_text_ident(&sql, e->name);
            at_text_add(&sql, " WHERE \"id\" = ?1");
            rc = at_sqlite_prepare(s, at_text_cstr(&sql), true, &qe->ext_of_id, doing, err);
        }
    }
    if (rc == AT_OK && sql.failed)
        rc = at_sqlite_nomem(s, err);
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
    return at_sqlite_prepare(s,
                   "INSERT INTO audit (at, actor, action, entity, row_key, before, after, reason,"
                   " import_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                   true, &q->audit_insert, "preparing the audit trail", err);
}

at_code at_sqlite_write_audit(at_store *s, const char *action, const char *entity, at_str key,
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
    at_sqlite_bind_text(s, st, 6, before, NULL);
    at_sqlite_bind_text(s, st, 7, after, NULL);
    at_sqlite_bind_text(s, st, 8, s->reason, NULL);
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
        qe->deleted = false;
        qe->bulk = false;
    }
}

/* After an import's transaction ended (committed or rolled back): foreign keys and CHECK
 * rules on again. */
static void checks_back_on(at_store *s)
{
    sq_store *q = BACKEND(s);
    if ((q->checks_off || q->rules_off) && sqlite3_get_autocommit(q->db) &&
        sqlite3_exec(q->db, "PRAGMA foreign_keys = ON; PRAGMA ignore_check_constraints = OFF",
                     NULL, NULL, NULL) == SQLITE_OK)
        q->checks_off = q->rules_off = false;
}

static at_code sq_begin(at_store *s, bool import, at_error *err)
{
    reset_counts(s);
    sq_store *q = BACKEND(s);
    /* An import: SQLite's foreign keys off (they only change outside a transaction); the
     * store looks references up itself, or checks a bulk entity's table at commit. */
    if (import) {
        q->checks_off = true;
        at_code rc = at_sqlite_exec(s, "PRAGMA foreign_keys = OFF", "starting an import", err);
        if (rc != AT_OK) {
            checks_back_on(s);
            return rc;
        }
    }
    at_code rc = at_sqlite_exec(s, "BEGIN IMMEDIATE", "starting a write", err);
    if (rc != AT_OK)
        checks_back_on(s);
    if (rc != AT_OK || !import)
        return rc;
    sqlite3_stmt *st;
    rc = at_sqlite_prepare(s,
                 "INSERT INTO imports (started, actor, reason, status) "
                 "VALUES (?1, ?2, ?3, 'running')",
                 false, &st, "starting an import", err);
    if (rc == AT_OK) {
        sqlite3_bind_int64(st, 1, s->tx_time);
        sqlite3_bind_text(st, 2, s->actor, -1, SQLITE_STATIC);
        at_sqlite_bind_text(s, st, 3, s->reason, NULL);
        int r = sqlite3_step(st);
        sqlite3_finalize(st);
        if (r == SQLITE_DONE)
            s->import_id = sqlite3_last_insert_rowid(BACKEND(s)->db);
        else
            rc = at_sqlite_fail(s, r, "starting an import", err);
    }
    if (rc != AT_OK) {
        rollback_quietly(s);
        checks_back_on(s);
    }
    return rc;
}

static at_code sq_import_file(at_store *s, const char *name, int64_t size, const char *sha256,
                              at_error *err)
{
    sqlite3_stmt *st;
    at_code rc = at_sqlite_prepare(s,
                         "UPDATE imports SET files = json_insert(files, '$[#]', "
                         "json_object('name', ?1, 'size', ?2, 'sha256', ?3)) WHERE id = ?4",
                         false, &st, "recording an import file", err);
    if (rc != AT_OK)
        return rc;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, size);
    at_sqlite_bind_text(s, st, 3, sha256, NULL);
    sqlite3_bind_int64(st, 4, s->import_id);
    int r = sqlite3_step(st);
    sqlite3_finalize(st);
    return r == SQLITE_DONE ? AT_OK : at_sqlite_fail(s, r, "recording an import file", err);
}

static at_code sq_import_expect(at_store *s, size_t slot, int64_t rows, at_error *err)
{
    sq_store *q = BACKEND(s);
    sq_entity *qe = &q->entities[slot];
    if (qe->bulk)
        return AT_OK;
    int64_t have = 0;
    at_code rc = s->ops->count(s, slot, &have, err);
    if (rc != AT_OK || rows < have)
        return rc;
    /* in bulk: references and rules checked at commit, table by table (CHECK rules are
     * per connection: off for the rest of the import; SQLite prepares statements again) */
    qe->bulk = true;
    if (q->checks_off && !q->rules_off) {
        rc = at_sqlite_exec(s, "PRAGMA ignore_check_constraints = ON", "preparing a bulk import",
                            err);
        if (rc != AT_OK)
            return rc;
        q->rules_off = true;
    }
    at_text sql;
    at_text_init(&sql);
    at_schema_bulk_index_sql(s->entities[slot], true, &sql);
    bool any = sql.len > 0;
    if (sql.failed)
        rc = at_sqlite_nomem(s, err);
    else if (any)
        rc = at_sqlite_exec(s, at_text_cstr(&sql), "preparing a bulk import", err);
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
        at_schema_bulk_index_sql(s->entities[i], false, &sql);
        rc = sql.failed ? at_sqlite_nomem(s, err)
                        : at_sqlite_exec(s, at_text_cstr(&sql), "building the indexes again", err);
        at_text_free(&sql);
    }
    return rc;
}

/* The import's record: finish time, status, per-entity counts, one summary audit row each. */
static at_code finish_import(at_store *s, at_error *err)
{
    sqlite3_stmt *st = NULL, *counts = NULL;
    at_code rc = at_sqlite_prepare(s,
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
        rc = at_sqlite_prepare(s,
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
        rc = at_sqlite_write_audit(s, "import", s->entities[i]->name, at_str_make("", 0), NULL, after, err);
    }
    sqlite3_finalize(st);
    sqlite3_finalize(counts);
    return rc;
}

/* Whether an entity refers to the entity in slot. */
static bool refers_to(const at_entity *e, const at_entity *target)
{
    for (size_t i = 0; i < e->field_count; i++)
        if (e->fields[i].type == AT_FIELD_REF && e->fields[i].ref_entity &&
            strcmp(e->fields[i].ref_entity, target->name) == 0)
            return true;
    return false;
}

/* With CHECK rules off (an import): the first row of the entity's table that breaks one is
 * an error. */
static at_code check_rules(at_store *s, const at_entity *e, at_error *err)
{
    at_text sql;
    at_text_init(&sql);
    if (!at_schema_rule_check_sql(e, &sql) && !sql.failed) {
        at_text_free(&sql);
        return AT_OK;
    }
    sqlite3_stmt *st = NULL;
    at_code rc = sql.failed ? at_sqlite_nomem(s, err)
                            : at_sqlite_prepare(s, at_text_cstr(&sql), false, &st,
                                                "checking the rules", err);
    at_text_free(&sql);
    if (rc != AT_OK)
        return rc;
    int r = sqlite3_step(st);
    if (r == SQLITE_ROW) {
        const char *field = (const char *)sqlite3_column_text(st, 1);
        rc = at_fail(err, AT_ERR_CONFLICT, s->path,
                     "fix the value so that it obeys the rule; nothing was written",
                     "row #%" PRId64 " of %s: the value of %s breaks its rule",
                     (int64_t)sqlite3_column_int64(st, 0), e->name, field ? field : "?");
    } else if (r != SQLITE_DONE) {
        rc = at_sqlite_fail(s, r, "checking the rules", err);
    }
    sqlite3_finalize(st);
    return rc;
}

/* With foreign keys off (an import): every table written in bulk, and every table referring
 * to one deleted from, checked for references to rows that do not exist; with CHECK rules off
 * too, every table written checked for values that break its rules. One is an error (and the
 * caller rolls back). */
static at_code check_references(at_store *s, at_error *err)
{
    sq_store *q = BACKEND(s);
    if (!q->checks_off)
        return AT_OK;
    bool any_deleted = false;
    for (size_t i = 0; i < s->entity_count; i++)
        any_deleted = any_deleted || q->entities[i].deleted;
    at_code rc = AT_OK;
    for (size_t i = 0; rc == AT_OK && i < s->entity_count; i++) {
        const sq_entity *qe = &q->entities[i];
        const at_entity *e = s->entities[i];
        bool written = qe->inserted || qe->updated;
        bool check = written && qe->bulk;
        for (size_t t = 0; !check && any_deleted && t < s->entity_count; t++)
            check = q->entities[t].deleted && refers_to(e, s->entities[t]);
        if (q->rules_off && written && (rc = check_rules(s, e, err)) != AT_OK)
            break;
        if (!check)
            continue;
        at_text sql;
        at_text_init(&sql);
        at_text_add(&sql, "PRAGMA foreign_key_check(");
        at_text_ident(&sql, e->name);
        at_text_add(&sql, ")");
        sqlite3_stmt *st = NULL;
        rc = sql.failed ? at_sqlite_nomem(s, err)
                        : at_sqlite_prepare(s, at_text_cstr(&sql), false, &st,
                                            "checking references", err);
        at_text_free(&sql);
        if (rc != AT_OK)
            break;
        int r = sqlite3_step(st);
        if (r == SQLITE_ROW) {
            const char *parent = (const char *)sqlite3_column_text(st, 2);
            rc = at_fail(err, AT_ERR_CONFLICT, s->path,
                         "import the rows referred to first, or fix the references; nothing "
                         "was written",
                         "row #%" PRId64 " of %s refers to a row of %s that does not exist",
                         (int64_t)sqlite3_column_int64(st, 1), e->name, parent ? parent : "?");
        } else if (r != SQLITE_DONE) {
            rc = at_sqlite_fail(s, r, "checking references", err);
        }
        sqlite3_finalize(st);
    }
    return rc;
}

static at_code sq_commit(at_store *s, at_error *err)
{
    at_code rc = check_references(s, err);
    if (rc == AT_OK)
        rc = rebuild_indexes(s, err);
    if (rc == AT_OK && s->import_id)
        rc = finish_import(s, err);
    if (rc == AT_OK)
        rc = at_sqlite_exec(s, "COMMIT", "committing", err);
    if (rc != AT_OK)
        rollback_quietly(s);
    reset_counts(s);
    checks_back_on(s);
    return rc;
}

static at_code sq_rollback(at_store *s, at_error *err)
{
    reset_counts(s);
    at_code rc = AT_OK;
    if (!sqlite3_get_autocommit(BACKEND(s)->db)) /* else SQLite already rolled back (after a
                                                    disk-full or similar error) */
        rc = at_sqlite_exec(s, "ROLLBACK", "rolling back", err);
    checks_back_on(s);
    return rc;
}

const at_store_ops at_sqlite_ops = {
    .name = "sqlite",
    .open = sq_open,
    .close = sq_close,
    .version = sq_version,
    .migrate = sq_migrate,
    .check = at_sqlite_check,
    .begin = sq_begin,
    .import_file = sq_import_file,
    .import_expect = sq_import_expect,
    .commit = sq_commit,
    .rollback = sq_rollback,
    .upsert = at_sqlite_upsert,
    .remove = at_sqlite_remove,
    .count = at_sqlite_count,
    .find_id = at_sqlite_find_id,
    .each_id = at_sqlite_each_id,
    .each_row = at_sqlite_each_row,
    .audit_each = at_sqlite_audit_each,
    .imports_each = at_sqlite_imports_each,
    .import_counts = at_sqlite_import_counts,
    .summarize = at_sqlite_summarize,
};
