/* store.h - the system of record: one interface over the database (SQLite today, PostgreSQL
 * later). Only the store speaks SQL; everything else works with entity descriptors
 * (model/entity.h), rows (at_row) and plain C values.
 *
 * What it owns:
 * - opening a database, creating it, upgrading an older schema in place (one transaction),
 *   refusing a database written by a newer attain;
 * - one table per entity, built from the descriptors: an internal `id INTEGER PRIMARY KEY`, the
 *   external key (`ext_id`, or the natural key fields) unique, one column per field, REF columns
 *   pointing at the referenced table's internal id, and `import_id` (the import that last wrote
 *   the row);
 * - writes inside explicit transactions: begin (actor, reason) ... commit | rollback; nothing is
 *   visible before commit; a failed or crashed import leaves the database as it was;
 * - idempotent upsert by key, telling inserted / updated / unchanged;
 * - the audit trail (every update and delete with before/after JSON; inserts made by an import
 *   summarised once per import and entity, other inserts per row) and the imports record;
 * - read access for the importer (ext id -> internal id), the exporter (every row in key order,
 *   references as external ids) and `attain summary`.
 *
 * Errors are translated for people: constraint failures name the table and column, a busy
 * database says another attain is writing and to retry; where is the database path.
 *
 * A store handle is used by one thread at a time. */
#ifndef ATTAIN_STORE_STORE_H
#define ATTAIN_STORE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/date.h"
#include "core/error.h"
#include "core/money.h"
#include "core/str.h"
#include "model/entity.h"

/* The schema version this attain writes. A database with a lower version is upgraded when
 * opened (unless options say otherwise); a higher one is refused. */
#define AT_STORE_SCHEMA_VERSION 6

typedef struct at_store at_store;

typedef struct at_store_options {
    bool create;         /* create the database when the file does not exist (else: error
                            telling to run `attain db init` or `attain import`) */
    bool read_only;      /* no writes; an older schema is an error (run `attain db migrate`) */
    bool no_upgrade;     /* open an older schema without upgrading it (only version queries
                            and at_store_migrate are then meaningful) */
    int busy_timeout_ms; /* how long to wait for another writer; 0 means 5000 */
    /* The entities to store; NULL means every entity of model/entity.h (at_entities).
     * Tests pass a small table of their own. Must outlive the store. */
    const at_entity *const *entities;
    size_t entity_count;
} at_store_options;

/* Opens (options NULL: defaults, all false) the database at path. Paths starting with
 * "postgres://" or "postgresql://" are for the PostgreSQL store (not built yet: an error says
 * so). On failure *out is NULL and err says why. */
at_code at_store_open(const char *path, const at_store_options *options, at_store **out,
                      at_error *err);
/* Closes the database; an open transaction is rolled back. NULL is allowed. */
void at_store_close(at_store *store);

const char *at_store_path(const at_store *store);
/* "sqlite" or "postgres". */
const char *at_store_backend(const at_store *store);
/* True when this call of at_store_open created the database. */
bool at_store_created(const at_store *store);
/* The schema version this call of at_store_open upgraded from; 0 when it upgraded nothing. */
int at_store_upgraded_from(const at_store *store);
/* The entities this store holds (options.entities, or at_entities). */
size_t at_store_entity_count(const at_store *store);
const at_entity *at_store_entity_at(const at_store *store, size_t index); /* NULL past the end */

/* ---- schema versions ---------------------------------------------------------------- */

/* The version recorded in the database (0 for an empty file). */
at_code at_store_version(at_store *store, int *version, at_error *err);
/* Upgrades an older schema to AT_STORE_SCHEMA_VERSION in one transaction (nothing to do:
 * *from == *to). Either pointer may be NULL. */
at_code at_store_migrate(at_store *store, const char *actor, int *from, int *to, at_error *err);

/* Checks the database: SQLite's integrity check, foreign keys, the schema version, and that
 * every entity's table has the columns its descriptor names. Each problem found is added to
 * problems (a list the caller initialised); the return value is AT_OK when the check could
 * run, whatever it found. */
at_code at_store_check(at_store *store, at_error_list *problems, at_error *err);

/* The SQL a new SQLite database gets for these entities (NULL: at_entities), as one text the
 * caller frees with free(): the entity tables and indexes, then the other tables. For
 * `attain db schema` and for reviewing a descriptor change. */
at_code at_store_schema_sql(const at_entity *const *entities, size_t entity_count, char **sql,
                            at_error *err);

/* ---- transactions ------------------------------------------------------------------- */

/* Starts a write transaction. actor (who: a user name, "generate", "api:ana") and reason (why,
 * may be NULL) go into every audit row written inside it. One transaction at a time: begin
 * while one is open is AT_ERR_CONFLICT. A busy database (another writer) waits up to
 * busy_timeout_ms, then fails with AT_ERR_LOCKED. */
at_code at_store_begin(at_store *store, const char *actor, const char *reason, at_error *err);
/* Starts a write transaction that is an import: also creates its row in `imports` and returns
 * its id (which every row written goes into `import_id`). Commit records the files, the
 * per-entity counts, the finish time and one summary audit row per entity.
 * An import runs without SQLite's per-row foreign key checks (the importer resolves every
 * reference itself; the store still looks each reference up, except for entities in bulk, see
 * at_store_import_expect). */
at_code at_store_begin_import(at_store *store, const char *actor, const char *reason,
                              int64_t *import_id, at_error *err);
/* Tells the store that the current import is about to write about `rows` rows of an entity (a
 * hint; optional). When that is many compared with what the table holds (at least
 * AT_STORE_BULK_ROWS and at least as many as it has), the store drops the entity's secondary
 * indexes now and builds them again at commit: sorting once is several times faster than
 * inserting into each index row by row. A rollback brings them back with everything else.
 * An entity in bulk also skips the per-row reference lookups, and from then on the import
 * skips SQLite's CHECK rules (the importer checks every value first): commit checks the
 * entity's table for references to rows that do not exist, and every table written for
 * values that break a rule; one fails the commit (AT_ERR_CONFLICT naming the table, row and
 * field; nothing is kept). */
#define AT_STORE_BULK_ROWS 100000
at_code at_store_import_expect(at_store *store, const at_entity *entity, int64_t rows,
                               at_error *err);
/* Records one input file of the current import: its name, size in bytes and sha256 (lower-case
 * hex, or NULL when not computed). */
at_code at_store_import_file(at_store *store, const char *name, int64_t size,
                             const char *sha256, at_error *err);
at_code at_store_commit(at_store *store, at_error *err);
/* Undoes everything since begin (also the import's own record). Safe to call when no
 * transaction is open. */
at_code at_store_rollback(at_store *store, at_error *err);
bool at_store_in_transaction(const at_store *store);

/* ---- writes ------------------------------------------------------------------------- */

typedef enum at_upsert_result {
    AT_UPSERT_INSERTED = 0,
    AT_UPSERT_UPDATED,
    AT_UPSERT_UNCHANGED,
} at_upsert_result;

const char *at_upsert_result_name(at_upsert_result result); /* "inserted", ... */

/* Inserts the row, or updates the row with the same key when any value differs, or leaves it
 * untouched when every value is the same; *result (may be NULL) says which, *id (may be NULL)
 * is the row's internal id. Needs an open transaction.
 *
 * The row has one value per field of row->entity (value.present false: NULL). Key fields must
 * be present. When the caller knows the row exists (the importer's map from at_store_each_id),
 * it may put the internal id in the id field's ref_id: the store then reads that row directly
 * instead of trying an INSERT first (a wrong id is harmless: the usual way is taken). A REF value is stored by its ref_id when ref_id > 0 (the importer resolves them
 * with at_store_each_id); with ref_id 0 the store looks the external id in value.text up
 * itself (slower), AT_ERR_NOT_FOUND naming the reference when it does not exist.
 * Updates write an audit row with the changed fields before and after. */
at_code at_store_upsert(at_store *store, const at_row *row, at_upsert_result *result,
                        int64_t *id, at_error *err);

/* Deletes the row with the key found in row (only the key fields are read); *deleted (may be
 * NULL) says whether one existed. Writes an audit row with the whole row before. A row that
 * others still refer to is AT_ERR_CONFLICT naming the referring table. */
at_code at_store_delete(at_store *store, const at_row *key, bool *deleted, at_error *err);

/* ---- reads -------------------------------------------------------------------------- */

at_code at_store_count(at_store *store, const at_entity *entity, int64_t *count, at_error *err);

/* The internal id of the row with this external id (entities keyed by id), or *found false. */
at_code at_store_find_id(at_store *store, const at_entity *entity, at_str ext_id, int64_t *id,
                         bool *found, at_error *err);

/* Calls fn for every row of an entity keyed by id, in no particular order, with its external
 * and internal id (to fill the importer's hash map). ext_id is valid only during the call.
 * A non-AT_OK return from fn stops the walk and is returned. */
typedef at_code (*at_store_id_fn)(void *ctx, at_str ext_id, int64_t id, at_error *err);
at_code at_store_each_id(at_store *store, const at_entity *entity, at_store_id_fn fn, void *ctx,
                         at_error *err);

/* Calls fn for every row of an entity in key order (external id, or the natural key fields,
 * references compared by their external ids; byte order), so exports are deterministic.
 * REF values carry the referenced row's external id in text and its internal id in ref_id.
 * The row and its text are valid only during the call. */
typedef at_code (*at_store_row_fn)(void *ctx, int64_t id, const at_row *row, at_error *err);
at_code at_store_each_row(at_store *store, const at_entity *entity, at_store_row_fn fn,
                          void *ctx, at_error *err);

/* Calls fn, as at_store_each_row does, for the rows whose field (a text-like field, or a REF
 * compared by the referenced row's external id) equals one of values: the rows of values[0]
 * in key order, then those of values[1], and so on. Reads only those rows when the field has
 * an index (the id), and skips the others' references otherwise. An unknown field, or one of
 * another type, is AT_ERR_INTERNAL. */
at_code at_store_each_row_where(at_store *store, const at_entity *entity, const char *field,
                                const at_str *values, size_t value_count, at_store_row_fn fn,
                                void *ctx, at_error *err);

/* ---- audit and imports -------------------------------------------------------------- */

typedef struct at_audit_entry {
    int64_t id;
    at_time at;          /* UTC seconds */
    const char *actor;
    const char *action;  /* insert | update | delete | import | migrate | init */
    const char *entity;  /* "" for actions not about one entity */
    const char *key;     /* the row's external id, or its natural key "USD|EUR|2026-01-01";
                            "" for summary rows */
    const char *before;  /* JSON object, or NULL */
    const char *after;   /* JSON object, or NULL */
    const char *reason;  /* may be NULL */
    int64_t import_id;   /* 0 when not written by an import */
} at_audit_entry;

/* Every condition given narrows the result (NULL / 0: any). */
typedef struct at_audit_filter {
    const char *entity;
    const char *key;
    const char *actor;
    const char *action;
    at_time from, to;    /* at within [from, to) when to > from; 0, 0: any time */
    int64_t import_id;
    int64_t after_id;    /* only entries with id > after_id (paging) */
    size_t limit;        /* 0: no limit */
} at_audit_filter;

/* Calls fn for each matching audit entry, oldest first (by id). Strings valid during the call. */
typedef at_code (*at_audit_fn)(void *ctx, const at_audit_entry *entry, at_error *err);
at_code at_store_audit_each(at_store *store, const at_audit_filter *filter, at_audit_fn fn,
                            void *ctx, at_error *err);

typedef struct at_import_count {
    const char *entity;
    int64_t inserted, updated, unchanged;
} at_import_count;

typedef struct at_import_record {
    int64_t id;
    at_time started, finished;  /* finished 0 while running */
    const char *actor;
    const char *reason;
    const char *status;         /* "running" inside the transaction, "committed" after */
    const char *files;          /* JSON array of {"name","size","sha256"} */
    const at_import_count *counts; /* one per entity written, in entity order */
    size_t count_count;
} at_import_record;

/* Calls fn for every committed import, newest first; limit 0: all. */
typedef at_code (*at_import_fn)(void *ctx, const at_import_record *record, at_error *err);
at_code at_store_imports_each(at_store *store, size_t limit, at_import_fn fn, void *ctx,
                              at_error *err);

/* The counts of the import in progress for one entity (zeros when none written). */
at_code at_store_import_counts(at_store *store, const at_entity *entity, at_import_count *out,
                               at_error *err);

/* ---- summary (attain summary) ------------------------------------------------------- */

typedef struct at_store_figure {
    const char *label;    /* entity name, role, transaction type, ... */
    const char *currency; /* "" when not money */
    int64_t count;
    at_money amount;      /* 0 when not money */
} at_store_figure;

typedef struct at_store_summary {
    at_store_figure *entities;       size_t entity_count;    /* rows per entity, entity order */
    at_store_figure *people_by_role; size_t role_count;      /* by role name */
    at_store_figure *open_pipeline;  size_t open_count;      /* open opportunities by currency */
    at_store_figure *won;            size_t won_count;       /* won opportunities by currency */
    /* transactions in [transactions_from, transactions_to]: the 12 months up to the latest
     * transaction date (or as_of), starting no earlier than the first transaction, by type and
     * currency, sorted by type then currency; has_transactions false when there are none */
    at_store_figure *transactions;   size_t transaction_count;
    at_day transactions_from, transactions_to;
    bool has_transactions;
    int64_t opportunities_won, opportunities_lost;
    at_rate win_rate;                /* won / (won + lost); has_win_rate false when none closed */
    bool has_win_rate;
    at_day first_day, last_day;      /* earliest and latest business date (transactions,
                                        opportunities, activities, leads) */
    bool has_dates;
} at_store_summary;

/* Fills *out (memory from arena) with the headline figures. as_of NULL: the 12 months of
 * transactions end on the latest transaction date. Figures whose entity is not in the store
 * are left empty. */
at_code at_store_summarize(at_store *store, const at_day *as_of, at_arena *arena,
                           at_store_summary *out, at_error *err);

#endif
