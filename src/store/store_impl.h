/* store_impl.h - inside the store: the handle every backend shares, the table of backend
 * functions (so that postgres.c can sit beside sqlite_store.c), the schema built from the
 * entity descriptors, the migration list, and the text buffers used for SQL and audit JSON.
 * Nothing outside src/store includes this file. */
#ifndef ATTAIN_STORE_STORE_IMPL_H
#define ATTAIN_STORE_STORE_IMPL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/date.h"
#include "core/error.h"
#include "model/entity.h"
#include "store/store.h"

/* ---- the backend table -------------------------------------------------------------- */

typedef struct at_store_ops {
    const char *name; /* "sqlite" */
    /* Opens store->path per the options already copied into store (create, read_only,
     * no_upgrade, busy timeout), creating or upgrading the schema as asked. */
    at_code (*open)(at_store *store, at_error *err);
    void (*close)(at_store *store);
    at_code (*version)(at_store *store, int *version, at_error *err);
    at_code (*migrate)(at_store *store, const char *actor, int *from, int *to, at_error *err);
    at_code (*check)(at_store *store, at_error_list *problems, at_error *err);
    /* store->actor, reason, tx_time are set; import: also create the imports row and set
     * store->import_id */
    at_code (*begin)(at_store *store, bool import, at_error *err);
    at_code (*import_file)(at_store *store, const char *name, int64_t size, const char *sha256,
                           at_error *err);
    at_code (*import_expect)(at_store *store, size_t slot, int64_t rows, at_error *err);
    at_code (*commit)(at_store *store, at_error *err);
    at_code (*rollback)(at_store *store, at_error *err);
    at_code (*upsert)(at_store *store, size_t slot, const at_row *row, at_upsert_result *result,
                      int64_t *id, at_error *err);
    at_code (*remove)(at_store *store, size_t slot, const at_row *key, bool *deleted,
                      at_error *err);
    at_code (*count)(at_store *store, size_t slot, int64_t *count, at_error *err);
    at_code (*find_id)(at_store *store, size_t slot, at_str ext_id, int64_t *id, bool *found,
                       at_error *err);
    at_code (*each_id)(at_store *store, size_t slot, at_store_id_fn fn, void *ctx,
                       at_error *err);
    /* field < 0: every row; else the rows whose field holds one of values (text-like fields
     * and REFs by external id), value by value */
    at_code (*each_row)(at_store *store, size_t slot, int field, const at_str *values,
                        size_t value_count, at_store_row_fn fn, void *ctx, at_error *err);
    at_code (*audit_each)(at_store *store, const at_audit_filter *filter, at_audit_fn fn,
                          void *ctx, at_error *err);
    at_code (*imports_each)(at_store *store, size_t limit, at_import_fn fn, void *ctx,
                            at_error *err);
    at_code (*import_counts)(at_store *store, size_t slot, at_import_count *out, at_error *err);
    at_code (*summarize)(at_store *store, const at_day *as_of, at_arena *arena,
                         at_store_summary *out, at_error *err);
} at_store_ops;

extern const at_store_ops at_sqlite_ops;

/* The handle: what every backend needs; the backend keeps its own state in `backend`. */
struct at_store {
    const at_store_ops *ops;
    char *path;
    bool created;          /* this open created the database */
    int upgraded_from;     /* the version this open upgraded from; 0 when none */
    bool read_only, no_upgrade, create;
    int busy_timeout_ms;
    const at_entity *const *entities;
    size_t entity_count;
    /* the open transaction */
    bool in_tx;
    char *actor;
    char *reason;          /* NULL when none was given */
    at_time tx_time;       /* when the transaction began: the `at` of its audit rows */
    int64_t import_id;     /* 0 when the transaction is not an import */
    void *backend;
};

/* The position of entity in store->entities (by pointer, else by name), or -1. */
long at_store_slot(const at_store *store, const at_entity *entity);
/* The slot of the entity named name, or -1. */
long at_store_slot_named(const at_store *store, const char *name);
/* The index of the field named name in entity, or -1. */
int at_store_field_index(const at_entity *entity, const char *name);

/* ---- growable text (SQL, JSON) ------------------------------------------------------ */

typedef struct at_text {
    char *ptr;   /* NUL-terminated while not failed */
    size_t len;
    size_t cap;
    bool failed; /* memory ran out: every later append is ignored */
} at_text;

void at_text_init(at_text *t);
void at_text_free(at_text *t);
void at_text_clear(at_text *t);
void at_text_add(at_text *t, const char *s);
void at_text_addn(at_text *t, const char *s, size_t n);
void at_text_addf(at_text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A double-quoted SQL identifier. */
void at_text_ident(at_text *t, const char *name);
/* A single-quoted SQL string literal. */
void at_text_sql_string(at_text *t, const char *s);
/* A JSON string literal (quotes, escapes, control characters as \u00XX). */
void at_text_json_string(at_text *t, at_str s);
/* "" when failed, so callers can always read it. */
const char *at_text_cstr(const at_text *t);

/* ---- audit JSON --------------------------------------------------------------------- */

/* Appends the value of a field as JSON: text-like as strings (a REF as the referenced row's
 * external id, given in ref_text), INT as a number, money/rate/coord as exact decimal strings,
 * day and time as ISO text, bool as true/false, not present as null. */
void at_audit_json_value(at_text *t, const at_field *field, bool present, at_str text,
                         int64_t number);

/* ---- schema ------------------------------------------------------------------------- */

/* The database column of a field: "ext_id" for the row's id, else the field's name. */
const char *at_schema_column(const at_field *field);
/* True for the field types stored as TEXT (id, text, email, enum, currency, period). */
bool at_schema_is_text(at_field_type type);
/* The SQL type of the column: "TEXT" or "INTEGER". */
const char *at_schema_sql_type(at_field_type type);
/* True when the entity is keyed by its id field (else by natural key fields). */
bool at_schema_keyed_by_id(const at_entity *entity);
/* The key fields as field indexes; fails (AT_ERR_INTERNAL) when the descriptor's key names
 * a field it does not have or has more than AT_SCHEMA_KEY_MAX fields. */
#define AT_SCHEMA_KEY_MAX 8
at_code at_schema_key_fields(const at_entity *entity, int *fields, size_t *count, at_error *err);
/* Appends the CREATE TABLE and CREATE INDEX statements of one entity (';'-separated). Fails
 * (AT_ERR_INTERNAL) when a REF names an entity that is not in the set or is not keyed by id. */
at_code at_schema_entity_sql(const at_entity *entity, const at_entity *const *entities,
                             size_t entity_count, at_text *sql, at_error *err);
/* Appends ALTER TABLE ... ADD COLUMN for one field of entity as its descriptor says (and its
 * index, when it gets one). Fails (AT_ERR_INTERNAL) for fields SQLite cannot add that way:
 * required, unique, key or id fields. */
at_code at_schema_add_field_sql(const at_entity *entity, const char *field,
                                const at_entity *const *entities, size_t entity_count,
                                at_text *sql, at_error *err);
/* Appends the CREATE INDEX statements of the entity's secondary indexes (drop: DROP INDEX IF
 * EXISTS statements for the same indexes instead). */
void at_schema_index_sql(const at_entity *entity, bool drop, at_text *sql);
/* The same for the indexes a bulk import drops and builds again at commit: all but the dates'
 * (rows come mostly in date order, over few distinct dates: each goes in at the end of its
 * date's run, cheaply, while SQLite's sorter is slowest on many equal values: building the
 * date index of 12M transactions took 23 s against 7 s kept up row by row). */
void at_schema_bulk_index_sql(const at_entity *entity, bool drop, at_text *sql);
/* A query for the first row of the entity's table that breaks one of its CHECK rules: it
 * returns the row's id and the field's name. False (nothing appended) when it has no rules. */
bool at_schema_rule_check_sql(const at_entity *entity, at_text *sql);
/* The tables that are not entities (schema_version, audit, imports) as version 1 made them. */
extern const char at_schema_v1_support_sql[];

/* One step of the schema's history. Steps run in order, in one transaction, each recorded in
 * schema_version. support_sql changes the tables that are not entities and runs both when a
 * database is created and when one is upgraded. The entity changes run only on upgrade,
 * because a new database's entity tables are made from the current descriptors: add_entities
 * creates the tables of new entities, add_fields ("people.nickname") adds columns, both from
 * the descriptors; entity_sql is hand-written SQL for anything else. Steps naming an entity
 * the store does not hold skip it. */
typedef struct at_migration {
    int version;
    const char *description;
    const char *support_sql;
    const char *entity_sql;
    const char *const *add_entities; /* NULL-terminated, or NULL */
    const char *const *add_fields;   /* "entity.field", NULL-terminated, or NULL */
} at_migration;

extern const at_migration at_migrations[];
extern const size_t at_migration_count;

#endif
