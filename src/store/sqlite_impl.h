/* sqlite_impl.h - inside the SQLite backend: its state, shared by sqlite_store.c (opening,
 * schema, transactions, writes, reads, audit) and sqlite_summary.c (the headline figures). */
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
} sq_entity;

typedef struct sq_store {
    sqlite3 *db;
    sq_entity *entities; /* one per store->entities */
    sqlite3_stmt *audit_insert;
    at_text before, after, key; /* audit scratch */
    int64_t *ref_ids;           /* resolved REF ids of the row being written */
    size_t ref_cap;
} sq_store;

/* Fills err from SQLite's result code rc (and the connection's message), in words for people;
 * doing says what attain was doing ("writing people"). Returns the at_code. */
at_code at_sqlite_fail(at_store *store, int rc, const char *doing, at_error *err);

at_code at_sqlite_summarize(at_store *store, const at_day *as_of, at_arena *arena,
                            at_store_summary *out, at_error *err);

#endif
