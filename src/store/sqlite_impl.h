/* sqlite_impl.h - inside the SQLite backend: its state and the helpers its files share:
 * sqlite_store.c (errors, opening, schema and upgrades, statements, transactions, the table of
 * functions), sqlite_write.c (upsert, delete, audit rows), sqlite_read.c (counts, ids, rows,
 * audit and imports), sqlite_check.c (db check) and sqlite_summary.c (the headline figures). */
#ifndef ATTAIN_STORE_SQLITE_IMPL_H
#define ATTAIN_STORE_SQLITE_IMPL_H

#include <sqlite3.h>

#include "store/store_impl.h"

/* The prepared statements and import counts of one entity; prepared on first use. */
typedef struct sq_entity {
    bool ready;
    bool by_id;      /* keyed by its id field (ext_id) */
    int id_field;    /* the index of the id field, or -1 */
    int key[AT_SCHEMA_KEY_MAX];
    size_t key_count;
    sqlite3_stmt *insert;     /* INSERT ... ON CONFLICT (key) DO NOTHING */
    sqlite3_stmt *select_key; /* id and every column, by key */
    sqlite3_stmt *select_id;  /* id and every column, by internal id */
    sqlite3_stmt *update;     /* every column and import_id, by id */
    /* UPDATEs of only the changed columns (an index is rewritten only when its column is
     * set), by the mask of changed fields; entities with more than 64 fields use update */
    struct {
        uint64_t mask;
        sqlite3_stmt *st;
    } partial[8];
    unsigned partial_next;
    sqlite3_stmt *remove;     /* by id */
    sqlite3_stmt *find_id;    /* id by ext_id (by_id only) */
    sqlite3_stmt *ext_of_id;  /* ext_id by id (by_id only) */
    int64_t inserted, updated, unchanged; /* in the import in progress */
    bool indexes_dropped; /* for a bulk import: rebuilt at commit */
    bool deleted;         /* a row was deleted in the transaction in progress */
    bool bulk;            /* the import said it brings at least as many rows as the table has */
} sq_entity;

typedef struct sq_store {
    sqlite3 *db;
    sq_entity *entities; /* one per store->entities */
    sqlite3_stmt *audit_insert;
    at_text before, after, key; /* audit scratch */
    int64_t *ref_ids;           /* resolved REF ids of the row being written */
    size_t ref_cap;
    /* An import runs with SQLite's foreign keys off: the store looks each reference up itself
     * except for an entity in bulk, whose table commit checks at once (PRAGMA
     * foreign_key_check). From the first entity in bulk on, CHECK rules are off too and
     * commit checks the rules of every table written with one query each. */
    bool checks_off;
    bool rules_off;
} sq_store;

#define BACKEND(store) ((sq_store *)(store)->backend)

/* Fills err from SQLite's result code rc (and the connection's message), in words for people;
 * doing says what attain was doing ("writing people"). Returns the at_code. */
at_code at_sqlite_fail(at_store *store, int rc, const char *doing, at_error *err);

/* ---- shared helpers (sqlite_store.c) ---- */
at_code at_sqlite_nomem(at_store *store, at_error *err);
at_code at_sqlite_exec(at_store *store, const char *sql, const char *doing, at_error *err);
/* keep: a statement used again and again (SQLITE_PREPARE_PERSISTENT) */
at_code at_sqlite_prepare(at_store *store, const char *sql, bool keep, sqlite3_stmt **out,
                          const char *doing, at_error *err);
/* Runs a statement that returns one integer (NULL or no row: *out = dflt). */
at_code at_sqlite_query_int(at_store *store, const char *sql, int64_t dflt, int64_t *out,
                            const char *doing, at_error *err);
/* Binds text (NULL: SQL NULL), static: it must live until the statement is reset. */
at_code at_sqlite_bind_text(at_store *store, sqlite3_stmt *st, int idx, const char *text,
                            at_error *err);
/* The schema version (0: an empty database); an error for a SQLite file not made by attain. */
at_code at_sqlite_read_version(at_store *store, int *version, at_error *err);
/* Appends the entity's columns, comma-separated, each with prefix ("t."). */
void at_sqlite_add_columns(at_text *sql, const at_entity *entity, const char *prefix);
/* Prepares the per-entity statements on first use. */
at_code at_sqlite_ready(at_store *store, size_t slot, at_error *err);
/* One audit row with the transaction's time, actor, reason and import. */
at_code at_sqlite_write_audit(at_store *store, const char *action, const char *entity, at_str key,
                              const char *before, const char *after, at_error *err);

/* ---- the backend's functions (see at_store_ops) ---- */
at_code at_sqlite_upsert(at_store *store, size_t slot, const at_row *row,
                         at_upsert_result *result, int64_t *id, at_error *err);
at_code at_sqlite_remove(at_store *store, size_t slot, const at_row *key, bool *deleted,
                         at_error *err);
at_code at_sqlite_count(at_store *store, size_t slot, int64_t *count, at_error *err);
at_code at_sqlite_find_id(at_store *store, size_t slot, at_str ext_id, int64_t *id, bool *found,
                          at_error *err);
at_code at_sqlite_each_id(at_store *store, size_t slot, at_store_id_fn fn, void *ctx,
                          at_error *err);
at_code at_sqlite_each_row(at_store *store, size_t slot, int field, const at_str *values,
                           size_t value_count, at_store_row_fn fn, void *ctx, at_error *err);
at_code at_sqlite_audit_each(at_store *store, const at_audit_filter *filter, at_audit_fn fn,
                             void *ctx, at_error *err);
at_code at_sqlite_imports_each(at_store *store, size_t limit, at_import_fn fn, void *ctx,
                               at_error *err);
at_code at_sqlite_import_counts(at_store *store, size_t slot, at_import_count *out,
                                at_error *err);
at_code at_sqlite_check(at_store *store, at_error_list *problems, at_error *err);
at_code at_sqlite_summarize(at_store *store, const at_day *as_of, at_arena *arena,
                            at_store_summary *out, at_error *err);

#endif
