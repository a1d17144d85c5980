/* import_run.c - one import from start to end: the plan, one store transaction, each entity in
 * dependency order (its files streamed row by row, its waiting rows, its checks), the company's
 * fiscal calendar once settings are in, then commit when nothing went wrong and roll back
 * otherwise. Also the result's bookkeeping. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/fiscal.h"
#include "import/import_impl.h"

void at_import_result_init(at_import_result *result)
{
    memset(result, 0, sizeof *result);
    at_error_list_init(&result->errors, AT_IMPORT_DEFAULT_MAX_ERRORS);
}

void at_import_result_free(at_import_result *result)
{
    if (!result)
        return;
    free(result->tallies);
    at_error_list_free(&result->errors);
    for (size_t i = 0; i < result->note_count; i++)
        free(result->notes[i]);
    free(result->notes);
    memset(result, 0, sizeof *result);
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- the calendar ---------------------------------------------------------------------------- */

typedef struct settings_rows {
    at_str keys[64];
    at_str values[64];
    size_t count;
    at_arena *arena;
} settings_rows;

static at_code collect_setting(void *vctx, int64_t id, const at_row *row, at_error *err)
{
    (void)id;
    settings_rows *s = vctx;
    if (s->count >= 64)
        return AT_OK;
    char *k = at_str_dup(s->arena, row->values[0].text);
    char *v = at_str_dup(s->arena, row->values[1].text);
    if (!k || !v)
        return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory");
    s->keys[s->count] = at_str_make(k, row->values[0].text.len);
    s->values[s->count] = at_str_make(v, row->values[1].text.len);
    s->count++;
    return AT_OK;
}

static at_code load_calendar(import_ctx *ctx, entity_state *settings)
{
    settings_rows rows = {.arena = &ctx->run_arena};
    at_code code = at_store_each_row(ctx->store, settings->entity, collect_setting, &rows,
                                     ctx->err);
    if (code != AT_OK)
        return code;
    at_error cerr;
    if (at_fiscal_calendar_from_settings(rows.keys, rows.values, rows.count, &ctx->calendar,
                                         &cerr) != AT_OK) {
        if (!cerr.where[0])
            snprintf(cerr.where, sizeof cerr.where, "%s", settings->entity->file);
        return import_problem_err(ctx, &cerr);
    }
    ctx->have_calendar = true;
    return AT_OK;
}

/* ---- reading one source ----------------------------------------------------------------------- */

static uint64_t hash_texts(const at_str *texts, size_t n)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++) {
        for (size_t k = 0; k < texts[i].len; k++) {
            h ^= (unsigned char)texts[i].ptr[k];
            h *= 1099511628211ULL;
        }
        h ^= 0x1f;
        h *= 1099511628211ULL;
    }
    return h;
}

static at_code import_inline(import_ctx *ctx, entity_state *es, const import_item *item)
{
    row_source src = {.item = item};
    for (size_t r = 0; r < item->group->row_count; r++) {
        src.inline_row = r;
        src.line = item->group->rows[r].place.line;
        const at_str *texts = item->group->rows[r].texts;
        at_code code = import_row(ctx, es, &src, texts, hash_texts(texts, es->entity->field_count));
        if (code != AT_OK)
            return code;
    }
    return AT_OK;
}

static void expected_columns(const at_entity *e, char *buf, size_t size)
{
    size_t o = (size_t)snprintf(buf, size, "the columns of %s are (* required):", e->file);
    for (size_t i = 0; i < e->field_count && o < size; i++)
        o += (size_t)snprintf(buf + o, size - o, "%s %s%s", i ? "," : "", e->fields[i].name,
                              e->fields[i].required && !e->fields[i].default_value ? "*" : "");
}

/* Canonical header: each column names a field; every required field has a column. */
static at_code bind_canonical(import_ctx *ctx, const at_entity *e, at_csv_reader *r,
                              size_t *column_of, bool *ok)
{
    *ok = true;
    char hint[AT_ERROR_HINT_MAX], where[AT_ERROR_WHERE_MAX];
    for (size_t f = 0; f < e->field_count; f++)
        column_of[f] = SIZE_MAX;
    size_t n = at_csv_header_count(r);
    at_code code;
    for (size_t h = 0; h < n; h++) {
        at_str name = at_csv_header_name(r, h);
        int f = at_entity_field_index(e, name);
        if (f >= 0) {
            column_of[f] = h;
            continue;
        }
        *ok = false;
        expected_columns(e, hint, sizeof hint);
        snprintf(where, sizeof where, "%s:1 (column %zu)", at_csv_name(r), h + 1);
        if ((code = import_problem(ctx, AT_ERR_INVALID, where, hint,
                                   "unknown column '%.*s' in %s (a mapping file can drop or "
                                   "rename columns: --map)",
                                   (int)(name.len > 100 ? 100 : name.len), name.ptr, e->file)) !=
            AT_OK)
            return code;
    }
    for (size_t f = 0; f < e->field_count; f++) {
        const at_field *field = &e->fields[f];
        if (column_of[f] != SIZE_MAX || !field->required || field->default_value)
            continue;
        *ok = false;
        expected_columns(e, hint, sizeof hint);
        snprintf(where, sizeof where, "%s:1", at_csv_name(r));
        if ((code = import_problem(ctx, AT_ERR_INVALID, where, hint,
                                   "missing required column '%s'", field->name)) != AT_OK)
            return code;
    }
    return AT_OK;
}

static bool csv_fatal(at_code code)
{
    return code == AT_ERR_NOMEM || code == AT_ERR_IO || code == AT_ERR_USAGE;
}

static at_code import_file(import_ctx *ctx, entity_state *es, const import_item *item,
                           bool *counted)
{
    const at_entity *e = es->entity;
    const char *name = ctx->sources[item->source];
    int fd = open(item->path, O_RDONLY);
    if (fd < 0)
        return at_fail_errno(ctx->err, AT_ERR_IO, item->path, "open");
    at_csv_options opts = {.chunk_size = ctx->options->chunk_size,
                           .delimiter = item->mfile ? item->mfile->delimiter : 0};
    at_csv_reader *r = NULL;
    at_code code = at_csv_open_fd(&r, fd, name, &opts, ctx->err);
    if (code != AT_OK) {
        close(fd);
        return code;
    }
    size_t *column_of = at_arena_alloc(&ctx->run_arena, e->field_count * sizeof *column_of);
    at_str *texts = at_arena_alloc(&ctx->run_arena, e->field_count * sizeof *texts);
    at_arena map_arena;
    at_arena_init(&map_arena, 0);
    if (!column_of || !texts) {
        code = at_fail(ctx->err, AT_ERR_NOMEM, NULL, NULL, "out of memory");
        goto done;
    }
    at_error cerr;
    if ((code = at_csv_read_header(r, &cerr)) != AT_OK) {
        code = csv_fatal(code) ? (*ctx->err = cerr, code) : import_problem_err(ctx, &cerr);
        goto done;
    }
    bool mapped = item->feed && !item->feed->canonical;
    bool ok = true;
    if (mapped) {
        if (at_map_feed_bind(ctx->mapping, item->feed, r, &cerr) != AT_OK) {
            ok = false;
            code = import_problem_err(ctx, &cerr);
        }
    } else {
        code = bind_canonical(ctx, e, r, column_of, &ok);
    }
    if (code != AT_OK || !ok)
        goto done;
    size_t header_count = at_csv_header_count(r);
    row_source src = {.item = item, .reader = r, .column_of = mapped ? NULL : column_of};
    char last_where[AT_ERROR_WHERE_MAX] = "";
    for (;;) {
        const at_csv_record *rec;
        code = at_csv_next(r, &rec, &cerr);
        if (code != AT_OK) {
            if (csv_fatal(code)) {
                *ctx->err = cerr;
                goto done;
            }
            bool again = strcmp(cerr.where, last_where) == 0;
            snprintf(last_where, sizeof last_where, "%s", cerr.where);
            if (again)
                break; /* the reader cannot go on past this one */
            if ((code = import_problem_err(ctx, &cerr)) != AT_OK)
                goto done;
            continue;
        }
        if (!rec)
            break;
        if (rec->count != header_count) {
            if (mapped && item->mfile->end_at_short_row && rec->count < header_count)
                break;
            char where[AT_ERROR_WHERE_MAX];
            at_csv_where(r, SIZE_MAX, where, sizeof where);
            if ((code = import_problem(ctx, AT_ERR_INVALID, where,
                                       "every row needs one value per column of the header: "
                                       "quote values that hold the delimiter",
                                       "the row has %zu fields, the header has %zu", rec->count,
                                       header_count)) != AT_OK)
                goto done;
            continue;
        }
        src.line = (uint32_t)rec->line;
        uint64_t row_hash = 0;
        if (mapped) {
            at_arena_reset(&map_arena);
            bool keep;
            if (at_map_feed_apply(ctx->mapping, item->feed, r, rec, &map_arena, texts, &keep,
                                  &cerr) != AT_OK) {
                if (cerr.code == AT_ERR_NOMEM) {
                    *ctx->err = cerr;
                    code = cerr.code;
                    goto done;
                }
                es->tally->rows++;
                if ((code = import_problem_err(ctx, &cerr)) != AT_OK)
                    goto done;
                continue;
            }
            if (!keep)
                continue;
            row_hash = hash_texts(texts, e->field_count);
        } else {
            for (size_t f = 0; f < e->field_count; f++)
                texts[f] = column_of[f] != SIZE_MAX ? rec->fields[column_of[f]]
                                                    : at_str_make("", 0);
        }
        if ((code = import_row(ctx, es, &src, texts, row_hash)) != AT_OK)
            goto done;
    }
    code = AT_OK;
done:
    if (!counted[item->source]) {
        counted[item->source] = true;
        ctx->result->bytes += at_csv_bytes_read(r);
    }
    at_arena_free(&map_arena);
    at_csv_close(r);
    close(fd);
    return code;
}

/* ---- the run ---------------------------------------------------------------------------------- */

static at_code setup_states(import_ctx *ctx)
{
    size_t n = at_store_entity_count(ctx->store);
    ctx->states = calloc(n ? n : 1, sizeof *ctx->states);
    ctx->result->tallies = calloc(n ? n : 1, sizeof *ctx->result->tallies);
    if (!ctx->states || !ctx->result->tallies)
        return at_fail(ctx->err, AT_ERR_NOMEM, NULL, NULL, "out of memory");
    ctx->state_count = n;
    ctx->result->tally_count = n;
    for (size_t i = 0; i < n; i++) {
        entity_state *es = &ctx->states[i];
        const at_entity *e = at_store_entity_at(ctx->store, i);
        es->entity = e;
        es->index = i;
        es->tally = &ctx->result->tallies[i];
        es->tally->entity = e;
        at_idmap_init(&es->keys);
        at_arena_init(&es->deferred_arena, 0);
        for (size_t k = 0; e->key[k]; k++) {
            if (es->key_count >= sizeof es->key_fields / sizeof es->key_fields[0])
                return at_fail(ctx->err, AT_ERR_INTERNAL, NULL, NULL, "%s: key too long",
                               e->name);
            int f = at_entity_field_index(e, at_str_from(e->key[k]));
            if (f < 0)
                return at_fail(ctx->err, AT_ERR_INTERNAL, NULL, NULL,
                               "%s: key field %s is not a field", e->name, e->key[k]);
            es->key_fields[es->key_count++] = f;
        }
        es->by_id = es->key_count == 1 && e->fields[es->key_fields[0]].type == AT_FIELD_ID;
        es->id_field = es->by_id ? es->key_fields[0] : -1;
    }
    for (size_t i = 0; i < n; i++) {
        entity_state *es = &ctx->states[i];
        const at_entity *e = es->entity;
        es->targets = at_arena_calloc(&ctx->run_arena, e->field_count, sizeof *es->targets);
        if (!es->targets)
            return at_fail(ctx->err, AT_ERR_NOMEM, NULL, NULL, "out of memory");
        for (size_t f = 0; f < e->field_count; f++) {
            if (e->fields[f].type != AT_FIELD_REF)
                continue;
            es->targets[f] = import_state_of(ctx, e->fields[f].ref_entity);
            if (!es->targets[f])
                return at_fail(ctx->err, AT_ERR_INTERNAL, NULL, NULL,
                               "%s.%s refers to %s, which the store does not hold", e->name,
                               e->fields[f].name, e->fields[f].ref_entity);
        }
    }
    return AT_OK;
}

static void free_states(import_ctx *ctx)
{
    for (size_t i = 0; i < ctx->state_count; i++) {
        at_idmap_free(&ctx->states[i].keys);
        at_arena_free(&ctx->states[i].deferred_arena);
    }
    free(ctx->states);
    ctx->states = NULL;
}

static at_code record_files(import_ctx *ctx)
{
    bool *done = calloc(ctx->source_count ? ctx->source_count : 1, sizeof *done);
    if (!done)
        return at_fail(ctx->err, AT_ERR_NOMEM, NULL, NULL, "out of memory");
    at_code code = AT_OK;
    for (size_t i = 0; code == AT_OK && i < ctx->plan.count; i++) {
        const import_item *item = &ctx->plan.items[i];
        if (!item->path || done[item->source])
            continue;
        done[item->source] = true;
        struct stat st;
        int64_t size = stat(item->path, &st) == 0 ? (int64_t)st.st_size : 0;
        code = at_store_import_file(ctx->store, item->path, size, NULL, ctx->err);
    }
    if (code == AT_OK && ctx->mapping) {
        struct stat st;
        int64_t size = stat(ctx->mapping->path, &st) == 0 ? (int64_t)st.st_size : 0;
        code = at_store_import_file(ctx->store, ctx->mapping->path, size, NULL, ctx->err);
    }
    free(done);
    return code;
}

/* About how many rows a file holds: its size over the mean line length of 64 KiB at its start,
 * middle and end (a month's transactions get shorter towards its end: the start alone was 14%
 * short at size M, and a key map grown past its reserve costs time and, for a moment, memory). */
static int64_t estimate_rows(const char *path)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return 0;
    static char sample[65536];
    struct stat st;
    int64_t size = fstat(fd, &st) == 0 ? (int64_t)st.st_size : 0;
    const int64_t step = (int64_t)sizeof sample;
    int64_t at[3] = {0, size / 2, size - step};
    int places = size > 3 * step ? 3 : 1;
    int64_t lines = 0, bytes = 0;
    for (int k = 0; k < places; k++) {
        ssize_t got = pread(fd, sample, sizeof sample, (off_t)at[k]);
        if (got <= 0)
            continue;
        bytes += got;
        for (ssize_t i = 0; i < got; i++)
            lines += sample[i] == '\n';
    }
    close(fd);
    if (bytes == 0)
        return 0;
    if (lines == 0)
        return 1;
    return (int64_t)((double)size * (double)lines / (double)bytes);
}

/* Before an entity's rows: the ids it holds already (so that upserts of known rows go straight
 * to them) and a hint of how many rows are coming (so that a bulk load builds indexes once). */
static at_code prepare_entity(import_ctx *ctx, entity_state *es, size_t first)
{
    at_code code = import_refs_load(ctx, es);
    if (code != AT_OK)
        return code;
    int64_t rows = 0;
    for (size_t k = first; k < ctx->plan.count && ctx->plan.items[k].entity_index == es->index;
         k++)
        if (ctx->plan.items[k].path)
            rows += estimate_rows(ctx->plan.items[k].path);
    if (rows > 0 && !ctx->options->parse_only)
        code = at_store_import_expect(ctx->store, es->entity, rows, ctx->err);
    if (code == AT_OK && rows > 0)
        code = at_idmap_reserve(&es->keys, es->keys.count + (size_t)rows + rows / 8, ctx->err);
    return code;
}

/* The last entity (in import order) that refers to each entity: once it is done, nothing
 * looks the entity's keys up any more. Opportunities stay: leads are checked against them at
 * the end (import_checks_finish). */
static size_t *last_uses(import_ctx *ctx)
{
    size_t *last = calloc(ctx->state_count ? ctx->state_count : 1, sizeof *last);
    if (!last)
        return NULL;
    for (size_t i = 0; i < ctx->state_count; i++)
        last[i] = strcmp(ctx->states[i].entity->name, "opportunities") == 0 ? SIZE_MAX : i;
    for (size_t j = 0; j < ctx->state_count; j++) {
        const entity_state *es = &ctx->states[j];
        for (size_t f = 0; f < es->entity->field_count; f++) {
            const entity_state *t = es->targets[f];
            if (t && last[t->index] != SIZE_MAX && last[t->index] < j)
                last[t->index] = j;
        }
    }
    return last;
}

/* After entity done: the key maps nothing will look at again are freed (emptied, and loaded
 * again from the store should anything ask), so an import holds the maps of the entities still
 * referred to rather than of every entity read (activities and scorecard responses need not
 * stay through the transactions). */
static void free_unused_keys(import_ctx *ctx, const size_t *last, size_t done)
{
    for (size_t i = 0; i <= done && i < ctx->state_count; i++) {
        entity_state *es = &ctx->states[i];
        if (last[i] > done || (es->keys.capacity == 0 && es->keys.slot_count == 0))
            continue;
        at_idmap_free(&es->keys);
        at_idmap_init(&es->keys);
        es->loaded = false;
    }
}

static at_code run_entities(import_ctx *ctx)
{
    at_code code;
    bool *counted = calloc(ctx->source_count ? ctx->source_count : 1, sizeof *counted);
    size_t *last = last_uses(ctx);
    if (!counted || !last) {
        free(counted);
        free(last);
        return at_fail(ctx->err, AT_ERR_NOMEM, NULL, NULL, "out of memory");
    }
    size_t next = 0;
    for (size_t i = 0; i < ctx->state_count; i++) {
        entity_state *es = &ctx->states[i];
        if (next < ctx->plan.count && ctx->plan.items[next].entity_index == i &&
            (code = prepare_entity(ctx, es, next)) != AT_OK)
            goto done;
        for (; next < ctx->plan.count && ctx->plan.items[next].entity_index == i; next++) {
            const import_item *item = &ctx->plan.items[next];
            code = item->group ? import_inline(ctx, es, item) : import_file(ctx, es, item, counted);
            if (code != AT_OK)
                goto done;
        }
        if ((code = import_resolve_deferred(ctx, es)) != AT_OK ||
            (!ctx->options->parse_only && (code = import_checks_entity(ctx, es)) != AT_OK))
            goto done;
        if (strcmp(es->entity->name, "settings") == 0 && (code = load_calendar(ctx, es)) != AT_OK)
            goto done;
        free_unused_keys(ctx, last, i);
    }
    code = import_checks_finish(ctx);
done:
    free(counted);
    free(last);
    return code;
}

at_code at_import_run(at_store *store, const char *const *paths, size_t path_count,
                      const at_import_options *options, at_import_result *result, at_error *err)
{
    double start = now_seconds();
    at_import_options defaults = {0};
    if (!options)
        options = &defaults;
    at_error_list_free(&result->errors);
    at_error_list_init(&result->errors,
                       options->max_errors ? options->max_errors : AT_IMPORT_DEFAULT_MAX_ERRORS);
    import_ctx *ctx = calloc(1, sizeof *ctx);
    if (!ctx)
        return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory");
    at_error local;
    ctx->store = store;
    ctx->options = options;
    ctx->mapping = options->mapping;
    ctx->result = result;
    ctx->err = err ? err : &local;
    at_fiscal_calendar_default(&ctx->calendar);
    ctx->have_calendar = true;
    at_arena_init(&ctx->row_arena, 0);
    at_arena_init(&ctx->run_arena, 0);
    at_code code = setup_states(ctx);
    if (code == AT_OK)
        code = import_checks_init(ctx);
    if (code == AT_OK)
        code = import_plan_build(ctx, paths, path_count);
    bool begun = false;
    if (code == AT_OK) {
        code = at_store_begin_import(store, options->actor ? options->actor : "import",
                                     options->reason, &result->import_id, ctx->err);
        begun = code == AT_OK;
    }
    if (code == AT_OK)
        code = record_files(ctx);
    if (code == AT_OK)
        code = run_entities(ctx);
    if (code == AT_OK && result->errors.total > 0) {
        size_t total = result->errors.total;
        code = at_fail(ctx->err, AT_ERR_INVALID, NULL,
                       "fix the problems listed and import again: nothing was written",
                       "%zu problem%s found; the import was rolled back", total,
                       total == 1 ? "" : "s");
    }
    if (begun) {
        if (code == AT_OK && !options->dry_run && !options->parse_only) {
            code = at_store_commit(store, ctx->err);
            result->committed = code == AT_OK;
        }
        if (!result->committed) {
            at_error rerr;
            at_store_rollback(store, &rerr);
            result->import_id = 0;
        }
    }
    result->seconds = now_seconds() - start;
    import_checks_free(ctx);
    import_plan_free(ctx);
    free_states(ctx);
    at_arena_free(&ctx->row_arena);
    at_arena_free(&ctx->run_arena);
    free(ctx);
    return code;
}
