/* import_row.c - one row's way into the store: every cell through at_field_parse, the row
 * through its entity's rule, fiscal periods against the company's calendar, its key against
 * the keys already seen in this import, its references resolved (or the row set aside until
 * the later row of the same entity it refers to is stored), the checks that need other rows,
 * then the upsert. Problems are recorded with their place and the import goes on. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/fiscal.h"
#include "import/import_impl.h"
#include "import/quote.h"
#include "model/checks.h"

/* ---- problems ------------------------------------------------------------------------------ */

at_code import_problem(import_ctx *ctx, at_code code, const char *where, const char *hint,
                       const char *fmt, ...)
{
    at_error e;
    va_list ap;
    va_start(ap, fmt);
    at_vfail(&e, code, where, hint, fmt, ap);
    va_end(ap);
    return import_problem_err(ctx, &e);
}

at_code import_problem_err(import_ctx *ctx, const at_error *e)
{
    if (at_error_list_add(&ctx->result->errors, e) != AT_OK)
        return at_fail(ctx->err, AT_ERR_NOMEM, NULL, NULL, "out of memory listing problems");
    return AT_OK;
}

void import_where(import_ctx *ctx, const row_source *src, int field, char *buf, size_t size)
{
    const import_item *item = src->item;
    if (item->group) {
        at_map_inline_where(ctx->mapping, item->group, src->inline_row, field, buf, size);
        return;
    }
    if (item->feed && !item->feed->canonical) {
        if (field >= 0)
            at_map_feed_where(ctx->mapping, item->feed, src->reader, field, buf, size);
        else
            at_csv_where(src->reader, SIZE_MAX, buf, size);
        return;
    }
    size_t column = field >= 0 && src->column_of ? src->column_of[field] : SIZE_MAX;
    at_csv_where(src->reader, column, buf, size);
}

/* A problem a model function reported with where = "column NAME": placed at that column. */
static at_code report_at_column(import_ctx *ctx, entity_state *es, const row_source *src,
                                int field, at_error *e)
{
    if (field < 0 && strncmp(e->where, "column ", 7) == 0)
        field = at_entity_field_index(es->entity, at_str_from(e->where + 7));
    import_where(ctx, src, field, e->where, sizeof e->where);
    return import_problem_err(ctx, e);
}

static bool fatal(at_code code)
{
    return code == AT_ERR_NOMEM || code == AT_ERR_IO || code == AT_ERR_STORE ||
           code == AT_ERR_LOCKED || code == AT_ERR_INTERNAL;
}

/* ---- storing -------------------------------------------------------------------------------- */

/* where is the row's place, or NULL to work it out from src (only when something fails). */
static at_code store_row(import_ctx *ctx, entity_state *es, const at_row *row, size_t entry_index,
                         const row_source *src, const char *where)
{
    at_upsert_result result = AT_UPSERT_INSERTED;
    int64_t id = 0;
    at_error serr;
    at_code code = AT_OK;
    if (ctx->options->parse_only)
        id = ++ctx->made_up_ids;
    else
        code = at_store_upsert(ctx->store, row, &result, &id, &serr);
    at_idmap_entry *entry = &es->keys.entries[entry_index];
    if (code != AT_OK) {
        entry->id = AT_IDMAP_BROKEN;
        if (fatal(code)) {
            if (ctx->err)
                *ctx->err = serr;
            return code;
        }
        char place[AT_ERROR_WHERE_MAX];
        if (!where) {
            import_where(ctx, src, -1, place, sizeof place);
            where = place;
        }
        at_str_copy(at_str_from(where), serr.where, sizeof serr.where); /* the row, not the db */
        return import_problem_err(ctx, &serr);
    }
    entry->id = id;
    switch (result) {
    case AT_UPSERT_INSERTED: es->tally->inserted++; break;
    case AT_UPSERT_UPDATED: es->tally->updated++; break;
    case AT_UPSERT_UNCHANGED: es->tally->unchanged++; break;
    }
    ctx->result->rows_written++;
    return AT_OK;
}

/* ---- rows that wait for a later row of the same entity -------------------------------------- */

static bool is_self_ref(const entity_state *es, int f)
{
    const at_field *field = &es->entity->fields[f];
    return field->type == AT_FIELD_REF && strcmp(field->ref_entity, es->entity->name) == 0;
}

static at_code defer_row(import_ctx *ctx, entity_state *es, const row_source *src,
                         const at_row *row, size_t entry_index)
{
    if (es->deferred_count == es->deferred_capacity) {
        size_t cap = es->deferred_capacity ? es->deferred_capacity * 2 : 64;
        deferred_row *d = at_arena_alloc(&es->deferred_arena, cap * sizeof *d);
        if (!d)
            return at_fail(ctx->err, AT_ERR_NOMEM, NULL, NULL, "out of memory");
        if (es->deferred_count)
            memcpy(d, es->deferred, es->deferred_count * sizeof *d);
        es->deferred = d;
        es->deferred_capacity = cap;
    }
    const at_entity *e = es->entity;
    deferred_row *d = &es->deferred[es->deferred_count];
    memset(d, 0, sizeof *d);
    d->values = at_arena_alloc(&es->deferred_arena, e->field_count * sizeof *d->values);
    d->ref_where = at_arena_calloc(&es->deferred_arena, e->field_count, sizeof *d->ref_where);
    char where[AT_ERROR_WHERE_MAX];
    import_where(ctx, src, -1, where, sizeof where);
    d->where = at_arena_strdup(&es->deferred_arena, where);
    if (!d->values || !d->ref_where || !d->where)
        return at_fail(ctx->err, AT_ERR_NOMEM, NULL, NULL, "out of memory");
    for (size_t f = 0; f < e->field_count; f++) {
        d->values[f] = row->values[f];
        if (row->values[f].text.len) {
            char *t = at_arena_strndup(&es->deferred_arena, row->values[f].text.ptr,
                                       row->values[f].text.len);
            if (!t)
                return at_fail(ctx->err, AT_ERR_NOMEM, NULL, NULL, "out of memory");
            d->values[f].text.ptr = t;
        }
        if (is_self_ref(es, (int)f) && row->values[f].present && row->values[f].ref_id == 0) {
            import_where(ctx, src, (int)f, where, sizeof where);
            d->ref_where[f] = at_arena_strdup(&es->deferred_arena, where);
            if (!d->ref_where[f])
                return at_fail(ctx->err, AT_ERR_NOMEM, NULL, NULL, "out of memory");
        }
    }
    d->entry_index = entry_index;
    es->keys.entries[entry_index].deferred = true;
    es->keys.entries[entry_index].aux = (int64_t)es->deferred_count + 1;
    es->deferred_count++;
    return AT_OK;
}

typedef struct loop_ctx {
    entity_state *es;
} loop_ctx;

/* The parent of a waiting row: the first reference to its own entity that is still waiting. */
static bool waiting_parent(void *vctx, at_str node, at_str *parent)
{
    entity_state *es = ((loop_ctx *)vctx)->es;
    at_idmap_entry *e = at_idmap_find(&es->keys, node);
    if (!e || !e->deferred || e->aux <= 0)
        return false;
    deferred_row *d = &es->deferred[e->aux - 1];
    for (size_t f = 0; f < es->entity->field_count; f++)
        if (d->ref_where[f] && d->values[f].ref_id == 0) {
            *parent = d->values[f].text;
            return true;
        }
    return false;
}

at_code import_resolve_deferred(import_ctx *ctx, entity_state *es)
{
    const at_entity *e = es->entity;
    bool progress = true;
    at_code code;
    while (progress) {
        progress = false;
        for (size_t i = 0; i < es->deferred_count; i++) {
            deferred_row *d = &es->deferred[i];
            if (d->done)
                continue;
            bool ready = true, silent = false;
            for (size_t f = 0; f < e->field_count; f++) {
                if (!d->ref_where[f] || d->values[f].ref_id > 0)
                    continue;
                at_idmap_entry *t = at_idmap_find(&es->keys, d->values[f].text);
                if (t && t->id > 0)
                    d->values[f].ref_id = t->id;
                else if (t && t->id == AT_IDMAP_BROKEN)
                    silent = true;
                else
                    ready = false;
            }
            if (!silent && !ready)
                continue;
            d->done = true;
            progress = true;
            es->keys.entries[d->entry_index].deferred = false;
            if (silent) {
                es->keys.entries[d->entry_index].id = AT_IDMAP_BROKEN;
                continue;
            }
            at_row row = {e, d->values};
            if ((code = store_row(ctx, es, &row, d->entry_index, NULL, d->where)) != AT_OK)
                return code;
        }
    }
    /* what is left waits for a row that is missing, or for itself round a loop */
    char last[AT_ERROR_MESSAGE_MAX] = "";
    at_idmap reported; /* the rows of loops already reported */
    at_idmap_init(&reported);
    for (size_t i = 0; i < es->deferred_count; i++) {
        deferred_row *d = &es->deferred[i];
        if (d->done)
            continue;
        for (size_t f = 0; f < e->field_count; f++) {
            if (!d->ref_where[f] || d->values[f].ref_id > 0)
                continue;
            at_idmap_entry *t = at_idmap_find(&es->keys, d->values[f].text);
            char q[AT_QUOTE_MAX];
            if (!t) {
                code = import_problem(ctx, AT_ERR_NOT_FOUND, d->ref_where[f],
                                      "add it to the file, or correct the id (ids are compared "
                                      "exactly: case and spaces count)",
                                      "no %s with id '%s' in the database or in this import",
                                      import_entity_noun(e), at_import_quote(d->values[f].text, q));
            } else {
                at_error lerr;
                loop_ctx lc = {es};
                at_str start = es->by_id ? d->values[es->id_field].text : d->values[f].text;
                if (at_check_no_cycle(start, waiting_parent, &lc, e->name, &lerr) == AT_OK)
                    at_fail(&lerr, AT_ERR_CONFLICT, NULL, NULL, "%s '%s' waits for a row that "
                            "waits for it", e->fields[f].name, at_import_quote(d->values[f].text, q));
                if (strcmp(lerr.message, last) == 0 || at_idmap_find(&reported, start))
                    break; /* the same loop, already reported */
                at_str node = start; /* mark the loop's rows: they would report it turned round */
                for (size_t steps = 0; steps <= es->deferred_count; steps++) {
                    at_idmap_entry *seen;
                    bool created;
                    if ((code = at_idmap_put(&reported, node, &seen, &created, ctx->err)) !=
                        AT_OK) {
                        at_idmap_free(&reported);
                        return code;
                    }
                    if (!created || !waiting_parent(&lc, node, &node))
                        break;
                }
                snprintf(last, sizeof last, "%s", lerr.message);
                at_str_copy(at_str_from(d->ref_where[f]), lerr.where, sizeof lerr.where);
                if (!lerr.hint[0])
                    snprintf(lerr.hint, sizeof lerr.hint,
                             "a row cannot be its own ancestor: correct one %s of the loop",
                             e->fields[f].name);
                code = import_problem_err(ctx, &lerr);
            }
            if (code != AT_OK) {
                at_idmap_free(&reported);
                return code;
            }
            break;
        }
        es->keys.entries[d->entry_index].id = AT_IDMAP_BROKEN;
        es->keys.entries[d->entry_index].deferred = false;
        d->done = true;
    }
    at_idmap_free(&reported);
    es->deferred_count = 0;
    return AT_OK;
}

/* ---- one row -------------------------------------------------------------------------------- */

static at_code check_period(import_ctx *ctx, entity_state *es, const row_source *src, int f,
                            const at_value *v, bool *bad)
{
    at_period_kind kind;
    int year, number;
    at_error perr;
    at_code code = at_period_label_parse(v->text, &kind, &year, &number, &perr);
    if (code == AT_OK && ctx->have_calendar) {
        at_day first, last;
        code = at_fiscal_year_bounds(&ctx->calendar, year, &first, &last, &perr);
    }
    if (code == AT_OK)
        return AT_OK;
    *bad = true;
    char q[AT_QUOTE_MAX];
    char msg[AT_ERROR_MESSAGE_MAX];
    snprintf(msg, sizeof msg, "%s '%s' is not a fiscal period of this company: %.300s",
             es->entity->fields[f].name, at_import_quote(v->text, q), perr.message);
    at_str_copy(at_str_from(msg), perr.message, sizeof perr.message);
    if (!perr.hint[0])
        snprintf(perr.hint, sizeof perr.hint,
                 "write a fiscal month 2026-03, quarter 2026-Q1, half 2026-H1 or year 2026");
    return report_at_column(ctx, es, src, f, &perr);
}

at_code import_row(import_ctx *ctx, entity_state *es, const row_source *src, const at_str *texts,
                   uint64_t row_hash)
{
    at_arena_reset(&ctx->row_arena);
    const at_entity *e = es->entity;
    es->touched = true;
    es->tally->rows++;
    at_value *values = at_arena_alloc(&ctx->row_arena, e->field_count * sizeof *values);
    if (!values)
        return at_fail(ctx->err, AT_ERR_NOMEM, NULL, NULL, "out of memory");
    at_row row = {e, values};
    bool bad = false;
    at_error ferr;
    at_code code;
    /* start fetching the key map slots this row will look at, while its cells are parsed:
     * on big imports these lookups are cache misses, and this way they overlap */
    uint32_t hashes[AT_IMPORT_MAX_FIELDS];
    bool hashed = e->field_count <= AT_IMPORT_MAX_FIELDS;
    for (size_t f = 0; hashed && f < e->field_count; f++) {
        if (e->fields[f].type == AT_FIELD_REF && texts[f].len)
            hashes[f] = at_idmap_prefetch(&es->targets[f]->keys, texts[f]);
        else if ((int)f == es->id_field)
            hashes[f] = at_idmap_prefetch(&es->keys, texts[f]);
    }
    for (size_t f = 0; f < e->field_count; f++) {
        code = at_field_parse(&e->fields[f], texts[f], &ctx->row_arena, &values[f], &ferr);
        if (code == AT_OK)
            continue;
        if (code == AT_ERR_NOMEM)
            return at_fail(ctx->err, code, NULL, NULL, "out of memory");
        memset(&values[f], 0, sizeof values[f]);
        bad = true;
        if ((code = report_at_column(ctx, es, src, (int)f, &ferr)) != AT_OK)
            return code;
    }
    if (!bad && e->rule && e->rule(&row, &ferr) != AT_OK) {
        bad = true;
        if ((code = report_at_column(ctx, es, src, -1, &ferr)) != AT_OK)
            return code;
    }
    for (size_t f = 0; !bad && f < e->field_count; f++)
        if (e->fields[f].type == AT_FIELD_PERIOD && values[f].present &&
            (code = check_period(ctx, es, src, (int)f, &values[f], &bad)) != AT_OK)
            return code;

    /* the key: without every part of it, the row cannot even be told apart */
    for (size_t k = 0; k < es->key_count; k++)
        if (!values[es->key_fields[k]].present)
            return AT_OK;
    /* the maps of referred entities are loaded before this row's key goes in its own map */
    for (size_t f = 0; f < e->field_count; f++) {
        if (e->fields[f].type != AT_FIELD_REF || !values[f].present)
            continue;
        entity_state *target = es->targets[f];
        if (!target->loaded && (code = import_refs_load(ctx, target)) != AT_OK)
            return code;
    }
    if (hashed)
        for (size_t f = 0; f < e->field_count; f++)
            if (e->fields[f].type == AT_FIELD_REF && values[f].present)
                at_idmap_prefetch_entry(&es->targets[f]->keys, hashes[f]);
    at_str key;
    if ((code = import_row_key(ctx, es, &row, &key, false)) != AT_OK)
        return code;
    at_idmap_entry *entry;
    if ((code = at_idmap_put(&es->keys, key, &entry, NULL, ctx->err)) != AT_OK)
        return code;
    size_t entry_index = (size_t)(entry - es->keys.entries);
    if (entry->in_import) {
        if (!bad && src->item->feed && src->item->feed->distinct && entry->row_hash == row_hash) {
            es->tally->dropped++;
            es->tally->rows--;
            return AT_OK;
        }
        char where[AT_ERROR_WHERE_MAX], shown[AT_QUOTE_MAX], hint[AT_ERROR_HINT_MAX];
        uint16_t first_source = entry->source;
        uint32_t first_line = entry->line;
        import_where(ctx, src, es->by_id ? es->id_field : -1, where, sizeof where);
        if ((code = import_row_key(ctx, es, &row, &key, true)) != AT_OK)
            return code;
        at_import_quote(key, shown);
        bool distinct = src->item->feed && src->item->feed->distinct;
        snprintf(hint, sizeof hint,
                 distinct ? "the feed is distinct, but the rows it makes for this key differ: "
                            "make the columns agree, or key the rows differently"
                          : "each row of %s needs its own key: remove or merge one of the two",
                 e->file);
        return import_problem(ctx, AT_ERR_CONFLICT, where, hint,
                              "duplicate key: %s %s '%s' is already in this import at %s:%u",
                              e->name, es->by_id ? "id" : "key", shown,
                              ctx->sources[first_source], (unsigned)first_line);
    }
    entry->in_import = true;
    entry->source = src->item->source;
    entry->line = src->line;
    entry->row_hash = row_hash;
    if (bad) {
        entry->id = AT_IDMAP_BROKEN;
        return AT_OK;
    }

    /* references */
    bool wait = false, silent = false;
    for (size_t f = 0; f < e->field_count; f++) {
        if (e->fields[f].type != AT_FIELD_REF || !values[f].present)
            continue;
        entity_state *target = es->targets[f];
        /* the text parsed is the text read (ids are taken as they are), so is its hash */
        at_idmap_entry *t = hashed && at_str_eq(values[f].text, texts[f])
                                ? at_idmap_find_hashed(&target->keys, values[f].text, hashes[f])
                                : at_idmap_find(&target->keys, values[f].text);
        if (t && t->id > 0) {
            values[f].ref_id = t->id;
        } else if (t && t->id == AT_IDMAP_BROKEN) {
            silent = true; /* that row's own problem is reported already */
        } else if (target == es) {
            wait = true;   /* a later row of this entity, perhaps */
        } else {
            char where[AT_ERROR_WHERE_MAX], q[AT_QUOTE_MAX], hint[AT_ERROR_HINT_MAX];
            import_where(ctx, src, (int)f, where, sizeof where);
            snprintf(hint, sizeof hint,
                     "add the %s to %s, or correct the id (ids are compared exactly: case and "
                     "spaces count)",
                     import_entity_noun(target->entity), target->entity->file);
            bad = true;
            if ((code = import_problem(ctx, AT_ERR_NOT_FOUND, where, hint,
                                       "no %s with id '%s' in the database or in this import",
                                       import_entity_noun(target->entity),
                                       at_import_quote(values[f].text, q))) != AT_OK)
                return code;
        }
    }
    entry = &es->keys.entries[entry_index];
    if (bad || silent) {
        entry->id = AT_IDMAP_BROKEN;
        return AT_OK;
    }
    if ((code = import_checks_row(ctx, es, src, &row, &bad)) != AT_OK)
        return code;
    if (bad) {
        es->keys.entries[entry_index].id = AT_IDMAP_BROKEN;
        return AT_OK;
    }
    if (wait)
        return defer_row(ctx, es, src, &row, entry_index);
    entry = &es->keys.entries[entry_index];
    if (es->by_id && entry->id > 0)
        values[es->id_field].ref_id = entry->id; /* a stored row: the store goes straight to it */
    return store_row(ctx, es, &row, entry_index, src, NULL);
}
