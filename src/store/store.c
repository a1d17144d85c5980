/* store.c - the store's public functions (store.h): argument and state checks shared by every
 * backend, then a call through the backend's table of functions (store_impl.h). SQLite is the
 * only backend today; a PostgreSQL backend adds its table here, chosen by the path's scheme. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/store_impl.h"

static const char POSTGRES_HINT[] =
    "give the path of a SQLite file (e.g. --db attain.db); PostgreSQL comes later";

static bool starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

static char *dup_cstr(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (p)
        memcpy(p, s, n);
    return p;
}

at_code at_store_open(const char *path, const at_store_options *options, at_store **out,
                      at_error *err)
{
    *out = NULL;
    if (!path || !path[0])
        return at_fail(err, AT_ERR_USAGE, NULL, "give a database file with --db FILE",
                       "no database path given");
    if (starts_with(path, "postgres://") || starts_with(path, "postgresql://"))
        return at_fail(err, AT_ERR_STORE, path, POSTGRES_HINT,
                       "this attain has no PostgreSQL store yet");
    at_store_options defaults = {0};
    if (!options)
        options = &defaults;
    at_store *s = calloc(1, sizeof *s);
    if (!s || !(s->path = dup_cstr(path))) {
        free(s);
        return at_fail(err, AT_ERR_NOMEM, path, NULL, "out of memory opening the database");
    }
    s->ops = &at_sqlite_ops;
    s->create = options->create;
    s->read_only = options->read_only;
    s->no_upgrade = options->no_upgrade || options->read_only;
    s->busy_timeout_ms = options->busy_timeout_ms > 0 ? options->busy_timeout_ms : 5000;
    if (options->entities) {
        s->entities = options->entities;
        s->entity_count = options->entity_count;
    } else {
        s->entities = at_entities;
        s->entity_count = at_entity_count;
    }
    at_code rc = s->ops->open(s, err);
    if (rc != AT_OK) {
        at_store_close(s);
        return rc;
    }
    *out = s;
    return AT_OK;
}

void at_store_close(at_store *store)
{
    if (!store)
        return;
    if (store->ops)
        store->ops->close(store);
    free(store->actor);
    free(store->reason);
    free(store->path);
    free(store);
}

const char *at_store_path(const at_store *store)
{
    return store->path;
}

const char *at_store_backend(const at_store *store)
{
    return store->ops->name;
}

bool at_store_created(const at_store *store)
{
    return store->created;
}

int at_store_upgraded_from(const at_store *store)
{
    return store->upgraded_from;
}

size_t at_store_entity_count(const at_store *store)
{
    return store->entity_count;
}

const at_entity *at_store_entity_at(const at_store *store, size_t index)
{
    return index < store->entity_count ? store->entities[index] : NULL;
}

long at_store_slot(const at_store *store, const at_entity *entity)
{
    if (!entity)
        return -1;
    for (size_t i = 0; i < store->entity_count; i++)
        if (store->entities[i] == entity)
            return (long)i;
    return entity->name ? at_store_slot_named(store, entity->name) : -1;
}

long at_store_slot_named(const at_store *store, const char *name)
{
    for (size_t i = 0; i < store->entity_count; i++)
        if (strcmp(store->entities[i]->name, name) == 0)
            return (long)i;
    return -1;
}

static at_code unknown_entity(const at_store *store, const at_entity *entity, at_error *err)
{
    return at_fail(err, AT_ERR_INTERNAL, store->path, NULL,
                   "the store holds no entity '%s'", entity && entity->name ? entity->name : "?");
}

static at_code need_write(const at_store *store, const char *doing, at_error *err)
{
    if (store->read_only)
        return at_fail(err, AT_ERR_INTERNAL, store->path, NULL,
                       "cannot %s: the database was opened read-only", doing);
    if (!store->in_tx)
        return at_fail(err, AT_ERR_INTERNAL, store->path,
                       "call at_store_begin before writing",
                       "cannot %s outside a transaction", doing);
    return AT_OK;
}

/* ---- schema versions ------------------------------------------------------------------ */

at_code at_store_version(at_store *store, int *version, at_error *err)
{
    return store->ops->version(store, version, err);
}

at_code at_store_migrate(at_store *store, const char *actor, int *from, int *to, at_error *err)
{
    int f = 0, t = 0;
    if (store->read_only)
        return at_fail(err, AT_ERR_USAGE, store->path, "open the database for writing",
                       "cannot upgrade a database opened read-only");
    if (store->in_tx)
        return at_fail(err, AT_ERR_INTERNAL, store->path, NULL,
                       "cannot upgrade the schema inside a transaction");
    at_code rc = store->ops->migrate(store, actor && actor[0] ? actor : "attain", &f, &t, err);
    if (from)
        *from = f;
    if (to)
        *to = t;
    return rc;
}

at_code at_store_check(at_store *store, at_error_list *problems, at_error *err)
{
    return store->ops->check(store, problems, err);
}

/* ---- transactions --------------------------------------------------------------------- */

static at_code begin(at_store *store, const char *actor, const char *reason, bool import,
                     at_error *err)
{
    if (store->read_only)
        return at_fail(err, AT_ERR_INTERNAL, store->path, NULL,
                       "cannot write: the database was opened read-only");
    if (store->in_tx)
        return at_fail(err, AT_ERR_CONFLICT, store->path, "commit or roll back the first",
                       "a transaction is already open on this database handle");
    if (!actor || !actor[0])
        return at_fail(err, AT_ERR_USAGE, store->path, "say who is writing (a user name)",
                       "a write needs an actor for the audit trail");
    free(store->actor);
    free(store->reason);
    store->reason = NULL;
    store->actor = dup_cstr(actor);
    if (!store->actor || (reason && !(store->reason = dup_cstr(reason))))
        return at_fail(err, AT_ERR_NOMEM, store->path, NULL, "out of memory");
    store->tx_time = (at_time)time(NULL);
    store->import_id = 0;
    at_code rc = store->ops->begin(store, import, err);
    if (rc == AT_OK)
        store->in_tx = true;
    return rc;
}

at_code at_store_begin(at_store *store, const char *actor, const char *reason, at_error *err)
{
    return begin(store, actor, reason, false, err);
}

at_code at_store_begin_import(at_store *store, const char *actor, const char *reason,
                              int64_t *import_id, at_error *err)
{
    at_code rc = begin(store, actor, reason, true, err);
    if (rc == AT_OK && import_id)
        *import_id = store->import_id;
    return rc;
}

at_code at_store_import_file(at_store *store, const char *name, int64_t size,
                             const char *sha256, at_error *err)
{
    at_code rc = need_write(store, "record an import file", err);
    if (rc != AT_OK)
        return rc;
    if (!store->import_id)
        return at_fail(err, AT_ERR_INTERNAL, store->path, "use at_store_begin_import",
                       "the open transaction is not an import");
    if (!name || !name[0] || size < 0)
        return at_fail(err, AT_ERR_INTERNAL, store->path, NULL, "an import file needs a name");
    return store->ops->import_file(store, name, size, sha256, err);
}

at_code at_store_import_expect(at_store *store, const at_entity *entity, int64_t rows,
                               at_error *err)
{
    at_code rc = need_write(store, "prepare an import", err);
    if (rc != AT_OK)
        return rc;
    long slot = at_store_slot(store, entity);
    if (slot < 0)
        return unknown_entity(store, entity, err);
    if (!store->import_id || rows < AT_STORE_BULK_ROWS)
        return AT_OK;
    return store->ops->import_expect(store, (size_t)slot, rows, err);
}

at_code at_store_commit(at_store *store, at_error *err)
{
    if (!store->in_tx)
        return at_fail(err, AT_ERR_INTERNAL, store->path, NULL, "no transaction to commit");
    at_code rc = store->ops->commit(store, err);
    /* a failed commit is rolled back by the backend: either way the transaction is over */
    store->in_tx = false;
    store->import_id = 0;
    return rc;
}

at_code at_store_rollback(at_store *store, at_error *err)
{
    if (!store->in_tx)
        return AT_OK;
    at_code rc = store->ops->rollback(store, err);
    store->in_tx = false;
    store->import_id = 0;
    return rc;
}

bool at_store_in_transaction(const at_store *store)
{
    return store->in_tx;
}

/* ---- writes --------------------------------------------------------------------------- */

const char *at_upsert_result_name(at_upsert_result result)
{
    switch (result) {
    case AT_UPSERT_INSERTED: return "inserted";
    case AT_UPSERT_UPDATED: return "updated";
    case AT_UPSERT_UNCHANGED: return "unchanged";
    }
    return "?";
}

at_code at_store_upsert(at_store *store, const at_row *row, at_upsert_result *result,
                        int64_t *id, at_error *err)
{
    at_code rc = need_write(store, "write a row", err);
    if (rc != AT_OK)
        return rc;
    long slot = row ? at_store_slot(store, row->entity) : -1;
    if (slot < 0)
        return unknown_entity(store, row ? row->entity : NULL, err);
    at_upsert_result r = AT_UPSERT_UNCHANGED;
    int64_t i = 0;
    rc = store->ops->upsert(store, (size_t)slot, row, &r, &i, err);
    if (result)
        *result = r;
    if (id)
        *id = i;
    return rc;
}

at_code at_store_delete(at_store *store, const at_row *key, bool *deleted, at_error *err)
{
    bool d = false;
    at_code rc = need_write(store, "delete a row", err);
    if (rc == AT_OK) {
        long slot = key ? at_store_slot(store, key->entity) : -1;
        rc = slot < 0 ? unknown_entity(store, key ? key->entity : NULL, err)
                      : store->ops->remove(store, (size_t)slot, key, &d, err);
    }
    if (deleted)
        *deleted = d;
    return rc;
}

/* ---- reads ---------------------------------------------------------------------------- */

at_code at_store_count(at_store *store, const at_entity *entity, int64_t *count, at_error *err)
{
    long slot = at_store_slot(store, entity);
    *count = 0;
    if (slot < 0)
        return unknown_entity(store, entity, err);
    return store->ops->count(store, (size_t)slot, count, err);
}

at_code at_store_find_id(at_store *store, const at_entity *entity, at_str ext_id, int64_t *id,
                         bool *found, at_error *err)
{
    long slot = at_store_slot(store, entity);
    *id = 0;
    *found = false;
    if (slot < 0)
        return unknown_entity(store, entity, err);
    if (!at_schema_keyed_by_id(entity))
        return at_fail(err, AT_ERR_INTERNAL, store->path, NULL,
                       "%s is keyed by its natural key, not by an id", entity->name);
    return store->ops->find_id(store, (size_t)slot, ext_id, id, found, err);
}

at_code at_store_each_id(at_store *store, const at_entity *entity, at_store_id_fn fn, void *ctx,
                         at_error *err)
{
    long slot = at_store_slot(store, entity);
    if (slot < 0)
        return unknown_entity(store, entity, err);
    if (!at_schema_keyed_by_id(entity))
        return at_fail(err, AT_ERR_INTERNAL, store->path, NULL,
                       "%s is keyed by its natural key, not by an id", entity->name);
    return store->ops->each_id(store, (size_t)slot, fn, ctx, err);
}

at_code at_store_each_row(at_store *store, const at_entity *entity, at_store_row_fn fn,
                          void *ctx, at_error *err)
{
    long slot = at_store_slot(store, entity);
    if (slot < 0)
        return unknown_entity(store, entity, err);
    return store->ops->each_row(store, (size_t)slot, -1, NULL, 0, fn, ctx, err);
}

at_code at_store_each_row_where(at_store *store, const at_entity *entity, const char *field,
                                const at_str *values, size_t value_count, at_store_row_fn fn,
                                void *ctx, at_error *err)
{
    long slot = at_store_slot(store, entity);
    if (slot < 0)
        return unknown_entity(store, entity, err);
    int f = at_store_field_index(entity, field);
    if (f < 0 || (!at_schema_is_text(entity->fields[f].type) &&
                  entity->fields[f].type != AT_FIELD_REF))
        return at_fail(err, AT_ERR_INTERNAL, store->path, NULL,
                       "%s.%s is not a text field or a reference: rows cannot be looked up by "
                       "its text",
                       entity->name, field);
    if (value_count == 0)
        return AT_OK;
    return store->ops->each_row(store, (size_t)slot, f, values, value_count, fn, ctx, err);
}

/* ---- audit and imports ---------------------------------------------------------------- */

at_code at_store_audit_each(at_store *store, const at_audit_filter *filter, at_audit_fn fn,
                            void *ctx, at_error *err)
{
    at_audit_filter any = {0};
    return store->ops->audit_each(store, filter ? filter : &any, fn, ctx, err);
}

at_code at_store_imports_each(at_store *store, size_t limit, at_import_fn fn, void *ctx,
                              at_error *err)
{
    return store->ops->imports_each(store, limit, fn, ctx, err);
}

at_code at_store_import_counts(at_store *store, const at_entity *entity, at_import_count *out,
                               at_error *err)
{
    long slot = at_store_slot(store, entity);
    memset(out, 0, sizeof *out);
    if (slot < 0)
        return unknown_entity(store, entity, err);
    out->entity = store->entities[slot]->name;
    return store->ops->import_counts(store, (size_t)slot, out, err);
}

at_code at_store_summarize(at_store *store, const at_day *as_of, at_arena *arena,
                           at_store_summary *out, at_error *err)
{
    memset(out, 0, sizeof *out);
    return store->ops->summarize(store, as_of, arena, out, err);
}
