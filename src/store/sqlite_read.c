/* sqlite_read.c - reading from SQLite: counts, ext id -> id for the importer, every row in
 * key order for the export (references as external ids), the audit with its filters, and the
 * imports record; the rows whose field holds given values, for the importer's checks. */
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/sqlite_impl.h"

/* ---- reads ---------------------------------------------------------------------------- */

at_code at_sqlite_count(at_store *s, size_t slot, int64_t *count, at_error *err)
{
    at_text sql;
    at_text_init(&sql);
    at_text_add(&sql, "SELECT count(*) FROM ");
    at_text_ident(&sql, s->entities[slot]->name);
    at_code rc = sql.failed ? at_sqlite_nomem(s, err)
                            : at_sqlite_query_int(s, at_text_cstr(&sql), 0, count, "counting rows", err);
    at_text_free(&sql);
    return rc;
}

at_code at_sqlite_find_id(at_store *s, size_t slot, at_str ext_id, int64_t *id, bool *found,
                          at_error *err)
{
    at_code rc = at_sqlite_ready(s, slot, err);
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

at_code at_sqlite_each_id(at_store *s, size_t slot, at_store_id_fn fn, void *ctx, at_error *err)
{
    at_text sql;
    at_text_init(&sql);
    at_text_add(&sql, "SELECT \"ext_id\", \"id\" FROM ");
    at_text_ident(&sql, s->entities[slot]->name);
    sqlite3_stmt *st = NULL;
    at_code rc = sql.failed ? at_sqlite_nomem(s, err)
                            : at_sqlite_prepare(s, at_text_cstr(&sql), false, &st, "reading ids", err);
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

at_code at_sqlite_each_row(at_store *s, size_t slot, int field, const at_str *values,
                           size_t value_count, at_store_row_fn fn, void *ctx, at_error *err)
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
    at_sqlite_add_columns(&sql, e, "t.");
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
    if (field >= 0) {
        /* only the rows whose field holds the value bound, found by the field's own index
         * when it has one; the few rows found are sorted, not walked in key order */
        const at_field *f = &e->fields[field];
        if (f->type == AT_FIELD_REF)
            at_text_addf(&sql, " WHERE r%d.\"ext_id\" = ?1", field);
        else {
            at_text_add(&sql, " WHERE t.");
            at_text_ident(&sql, at_schema_column(f));
            at_text_add(&sql, " = ?1");
        }
    }
    at_text_add(&sql, " ORDER BY ");
    for (size_t k = 0; k < key_count; k++) {
        const at_field *f = &e->fields[key[k]];
        const char *plus = field >= 0 ? "+" : "";
        if (f->type == AT_FIELD_REF) {
            at_text_addf(&sql, "%sr%d.\"ext_id\", ", plus, key[k]);
        } else {
            at_text_addf(&sql, "%st.", plus);
            at_text_ident(&sql, at_schema_column(f));
            at_text_add(&sql, ", ");
        }
    }
    at_text_add(&sql, "t.\"id\"");
    sqlite3_stmt *st = NULL;
    char doing[96];
    snprintf(doing, sizeof doing, "reading %s", e->name);
    rc = sql.failed ? at_sqlite_nomem(s, err) : at_sqlite_prepare(s, at_text_cstr(&sql), false, &st, doing, err);
    at_text_free(&sql);
    if (rc != AT_OK)
        return rc;
    at_value *row_values = calloc(n ? n : 1, sizeof *row_values);
    int *ref_col = calloc(n ? n : 1, sizeof *ref_col);
    if (!row_values || !ref_col) {
        free(row_values);
        free(ref_col);
        sqlite3_finalize(st);
        return at_sqlite_nomem(s, err);
    }
    int next = (int)n + 1;
    for (size_t i = 0; i < n; i++)
        ref_col[i] = e->fields[i].type == AT_FIELD_REF ? next++ : -1;
    at_row row = {e, row_values};
    int r = SQLITE_DONE;
    size_t rounds = field >= 0 ? value_count : 1;
    for (size_t round = 0; rc == AT_OK && r == SQLITE_DONE && round < rounds; round++) {
        if (field >= 0) {
            sqlite3_reset(st);
            at_str v = values[round];
            if (v.len > (size_t)INT32_MAX)
                continue;
            sqlite3_bind_text(st, 1, v.len ? v.ptr : "", (int)v.len, SQLITE_STATIC);
        }
        while (rc == AT_OK && (r = sqlite3_step(st)) == SQLITE_ROW) {
            for (size_t i = 0; i < n; i++) {
                const at_field *f = &e->fields[i];
                int col = (int)i + 1;
                at_value *v = &row_values[i];
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
    }
    if (rc == AT_OK && r != SQLITE_DONE)
        rc = at_sqlite_fail(s, r, doing, err);
    sqlite3_finalize(st);
    free(row_values);
    free(ref_col);
    return rc;
}

/* ---- audit and imports ---------------------------------------------------------------- */

static const char *column_cstr(sqlite3_stmt *st, int col)
{
    return sqlite3_column_type(st, col) == SQLITE_NULL ? NULL
                                                        : (const char *)sqlite3_column_text(st, col);
}

at_code at_sqlite_audit_each(at_store *s, const at_audit_filter *f, at_audit_fn fn, void *ctx,
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
    at_code rc = sql.failed ? at_sqlite_nomem(s, err)
                            : at_sqlite_prepare(s, at_text_cstr(&sql), false, &st, "reading the audit", err);
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

at_code at_sqlite_imports_each(at_store *s, size_t limit, at_import_fn fn, void *ctx,
                               at_error *err)
{
    sqlite3_stmt *st = NULL, *cs = NULL;
    at_code rc = at_sqlite_prepare(s,
                         "SELECT id, started, coalesce(finished, 0), actor, reason, status, files"
                         " FROM imports WHERE status <> 'running' ORDER BY id DESC LIMIT ?1",
                         false, &st, "reading the imports", err);
    if (rc == AT_OK)
        rc = at_sqlite_prepare(s,
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
            rc = cr == SQLITE_NOMEM ? at_sqlite_nomem(s, err)
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

at_code at_sqlite_import_counts(at_store *s, size_t slot, at_import_count *out, at_error *err)
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

