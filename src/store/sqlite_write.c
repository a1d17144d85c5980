/* sqlite_write.c - writing rows in SQLite: upsert (insert, or update what changed, or leave
 * alone), delete, the audit rows they write, and errors that name the table, the column and
 * the reference that points nowhere.
 *
 * Upsert tries a plain INSERT ... ON CONFLICT (key) DO NOTHING first: a new row costs one
 * statement. Only when the key exists does it read the row, compare every column in C, and
 * UPDATE the changed columns (an index is rewritten only when its column is set), writing an
 * audit row with the changed fields before and after. When the caller knows the internal id
 * (the importer's map), the row is read by id without trying the INSERT. */
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/sqlite_impl.h"

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
    at_code rc = at_sqlite_ready(s, slot, err);
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
    return q->key.failed ? at_sqlite_nomem(s, err) : AT_OK;
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
            return at_sqlite_nomem(s, err);
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
        at_code rc = at_sqlite_ready(s, (size_t)slot, err);
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
        if (slot < 0 || at_sqlite_ready(s, (size_t)slot, NULL) != AT_OK)
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

/* With SQLite's foreign keys off (an import) and the entity not in bulk: every reference
 * written (fields: a mask; fields past 64 always) given by internal id looked up, as SQLite
 * would (the same error when one is missing). */
static at_code verify_refs(at_store *s, size_t slot, const at_row *row, uint64_t fields,
                           at_error *err)
{
    sq_store *q = BACKEND(s);
    const at_entity *e = row->entity;
    for (size_t i = 0; i < e->field_count; i++) {
        const at_field *f = &e->fields[i];
        if (f->type != AT_FIELD_REF || !row->values[i].present || row->values[i].ref_id <= 0)
            continue; /* looked up by external id in resolve_refs: it exists */
        if (i < 64 && !(fields & (UINT64_C(1) << i)))
            continue; /* not written */
        long rs = ref_slot(s, f);
        at_code rc = rs < 0 ? AT_OK : at_sqlite_ready(s, (size_t)rs, err);
        if (rs < 0 || rc != AT_OK)
            return rc;
        sqlite3_stmt *st = q->entities[rs].ext_of_id;
        sqlite3_bind_int64(st, 1, q->ref_ids[i]);
        int r = sqlite3_step(st);
        sqlite3_reset(st);
        if (r == SQLITE_DONE)
            return write_failed(s, SQLITE_CONSTRAINT_FOREIGNKEY, row, slot, err);
        if (r != SQLITE_ROW)
            return at_sqlite_fail(s, r, "looking a reference up", err);
    }
    return AT_OK;
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
    return out->failed ? at_sqlite_nomem(s, err) : AT_OK;
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
    return out->failed ? at_sqlite_nomem(s, err) : AT_OK;
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
    at_code rc = sql.failed ? at_sqlite_nomem(s, err)
                            : at_sqlite_prepare(s, at_text_cstr(&sql), true, &st, "preparing an update", err);
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

at_code at_sqlite_upsert(at_store *s, size_t slot, const at_row *row, at_upsert_result *result,
                         int64_t *id, at_error *err)
{
    sq_store *q = BACKEND(s);
    at_code rc = at_sqlite_ready(s, slot, err);
    if (rc != AT_OK)
        return rc;
    sq_entity *qe = &q->entities[slot];
    const at_entity *e = row->entity;
    if ((rc = check_key_present(s, qe, row, err)) != AT_OK ||
        (rc = resolve_refs(s, row, err)) != AT_OK)
        return rc;
    /* foreign keys off (an import) and not in bulk: the references written looked up (a new
     * row's after its INSERT, which is undone when one is missing; an update's before) */
    bool verify = q->checks_off && !qe->bulk;

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
        if (verify && (rc = verify_refs(s, slot, row, UINT64_MAX, err)) != AT_OK) {
            /* as SQLite would: the row is not kept */
            sqlite3_bind_int64(qe->remove, 1, *id);
            r = sqlite3_step(qe->remove);
            sqlite3_reset(qe->remove);
            return r == SQLITE_DONE ? rc : at_sqlite_fail(s, r, "undoing a write", err);
        }
        *result = AT_UPSERT_INSERTED;
        qe->inserted++;
        if (s->import_id)
            return AT_OK; /* summarised once per import at commit */
        if ((rc = build_key(s, slot, row, err)) != AT_OK ||
            (rc = row_json(s, row, &q->after, err)) != AT_OK)
            return rc;
        return at_sqlite_write_audit(s, "insert", e->name, at_str_make(q->key.ptr, q->key.len), NULL,
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
        return at_sqlite_nomem(s, err);

    if ((verify && (rc = verify_refs(s, slot, row, e->field_count > 64 ? UINT64_MAX : changed,
                                     err)) != AT_OK) ||
        (rc = partial_update(s, slot, changed, &st, err)) != AT_OK)
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
    return at_sqlite_write_audit(s, "update", e->name, at_str_make(q->key.ptr, q->key.len),
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
            at_code rc = at_sqlite_query_int(s, at_text_cstr(&sql), 0, &n, "finding references", NULL);
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

at_code at_sqlite_remove(at_store *s, size_t slot, const at_row *key, bool *deleted,
                         at_error *err)
{
    sq_store *q = BACKEND(s);
    at_code rc = at_sqlite_ready(s, slot, err);
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
    qe->deleted = true;
    return at_sqlite_write_audit(s, "delete", e->name, at_str_make(q->key.ptr, q->key.len),
                       at_text_cstr(&q->before), NULL, err);
}

