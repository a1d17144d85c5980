/* import_plan.c - what an import reads, in what order: the paths given (files, and the files
 * of directories) matched to entities by their names, or to a mapping's file entries; the
 * mapping's inline rows; then everything sorted into dependency order (at_entities[] order),
 * keeping the order found among the sources of one entity. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "import/import_impl.h"

typedef struct candidate {
    char *path;
    const char *base;
    bool explicit_file; /* named on the command line (not found in a directory) */
    bool used;
} candidate;

typedef struct candidates {
    candidate *items;
    size_t count, capacity;
} candidates;

static at_code nomem(import_ctx *ctx)
{
    return at_fail(ctx->err, AT_ERR_NOMEM, NULL, NULL, "out of memory planning the import");
}

static at_code add_candidate(import_ctx *ctx, candidates *c, const char *path, bool explicit_file)
{
    if (c->count == c->capacity) {
        size_t cap = c->capacity ? c->capacity * 2 : 32;
        candidate *items = realloc(c->items, cap * sizeof *items);
        if (!items)
            return nomem(ctx);
        c->items = items;
        c->capacity = cap;
    }
    char *copy = at_arena_strdup(&ctx->run_arena, path);
    if (!copy)
        return nomem(ctx);
    const char *slash = strrchr(copy, '/');
    c->items[c->count++] = (candidate){copy, slash ? slash + 1 : copy, explicit_file, false};
    return AT_OK;
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static at_code add_directory(import_ctx *ctx, candidates *c, const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return at_fail_errno(ctx->err, AT_ERR_IO, dir, "read the directory");
    char **names = NULL;
    size_t n = 0, cap = 0;
    at_code code = AT_OK;
    struct dirent *ent;
    while (code == AT_OK && (ent = readdir(d)) != NULL) {
        if (ent->d_name[0] == '.')
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 32;
            char **nn = realloc(names, cap * sizeof *nn);
            if (!nn) {
                code = nomem(ctx);
                break;
            }
            names = nn;
        }
        names[n] = at_arena_strdup(&ctx->run_arena, ent->d_name);
        if (!names[n])
            code = nomem(ctx);
        else
            n++;
    }
    closedir(d);
    if (code == AT_OK && n)
        qsort(names, n, sizeof *names, compare_names);
    size_t dlen = strlen(dir);
    while (dlen > 1 && dir[dlen - 1] == '/')
        dlen--;
    for (size_t i = 0; code == AT_OK && i < n; i++) {
        char *path = at_arena_printf(&ctx->run_arena, "%.*s/%s", (int)dlen, dir, names[i]);
        if (!path) {
            code = nomem(ctx);
            break;
        }
        struct stat st;
        if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
            continue;
        code = add_candidate(ctx, c, path, false);
    }
    free(names);
    return code;
}

static at_code add_source(import_ctx *ctx, const char *name, uint16_t *index)
{
    for (size_t i = 0; i < ctx->source_count; i++)
        if (strcmp(ctx->sources[i], name) == 0) {
            *index = (uint16_t)i;
            return AT_OK;
        }
    if (ctx->source_count >= UINT16_MAX)
        return at_fail(ctx->err, AT_ERR_USAGE, NULL, "import fewer files at a time",
                       "too many files in one import");
    if (ctx->source_count == ctx->source_capacity) {
        size_t cap = ctx->source_capacity ? ctx->source_capacity * 2 : 16;
        char **s = realloc(ctx->sources, cap * sizeof *s);
        if (!s)
            return nomem(ctx);
        ctx->sources = s;
        ctx->source_capacity = cap;
    }
    char *copy = at_arena_strdup(&ctx->run_arena, name);
    if (!copy)
        return nomem(ctx);
    ctx->sources[ctx->source_count] = copy;
    *index = (uint16_t)ctx->source_count++;
    return AT_OK;
}

static at_code add_item(import_ctx *ctx, import_item item)
{
    import_plan *p = &ctx->plan;
    if (p->count == p->capacity) {
        size_t cap = p->capacity ? p->capacity * 2 : 32;
        import_item *items = realloc(p->items, cap * sizeof *items);
        if (!items)
            return nomem(ctx);
        p->items = items;
        p->capacity = cap;
    }
    item.order = p->count;
    p->items[p->count++] = item;
    return AT_OK;
}

static bool entity_index(import_ctx *ctx, const at_entity *e, size_t *index)
{
    for (size_t i = 0; i < ctx->state_count; i++)
        if (ctx->states[i].entity == e) {
            *index = i;
            return true;
        }
    return false;
}

static at_code add_note(import_ctx *ctx, const char *fmt, const char *a, const char *b)
{
    at_import_result *r = ctx->result;
    char **notes = realloc(r->notes, (r->note_count + 1) * sizeof *notes);
    if (!notes)
        return nomem(ctx);
    r->notes = notes;
    size_t len = (size_t)snprintf(NULL, 0, fmt, a, b) + 1;
    char *note = malloc(len);
    if (!note)
        return nomem(ctx);
    snprintf(note, len, fmt, a, b);
    r->notes[r->note_count++] = note;
    return AT_OK;
}

static void entity_files(import_ctx *ctx, char *buf, size_t size)
{
    size_t o = (size_t)snprintf(buf, size, "name each file after its entity:");
    for (size_t i = 0; i < ctx->state_count && o < size; i++)
        o += (size_t)snprintf(buf + o, size - o, "%s %s", i ? "," : "",
                              ctx->states[i].entity->file);
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcmp(s + a - b, suffix) == 0;
}

static at_code plan_canonical(import_ctx *ctx, candidates *c)
{
    char hint[AT_ERROR_HINT_MAX];
    for (size_t i = 0; i < c->count; i++) {
        candidate *cand = &c->items[i];
        const at_entity *e = at_entity_find(at_str_from(cand->base));
        size_t index;
        if (!e || strcmp(e->file, cand->base) != 0 || !entity_index(ctx, e, &index)) {
            if (cand->explicit_file) {
                entity_files(ctx, hint, sizeof hint);
                return at_fail(ctx->err, AT_ERR_USAGE, cand->path, hint,
                               "%s is not the name of an attain file (to import another "
                               "system's files, give a mapping with --map)",
                               cand->base);
            }
            if (ends_with(cand->base, ".csv")) {
                at_code code = add_note(ctx, "skipped %s: %s is not the file of an attain entity "
                                             "(see docs/import.md)",
                                        cand->path, cand->base);
                if (code != AT_OK)
                    return code;
            }
            continue;
        }
        cand->used = true;
        import_item item = {.entity = e, .entity_index = index, .path = cand->path};
        at_code code = add_source(ctx, cand->base, &item.source);
        if (code != AT_OK || (code = add_item(ctx, item)) != AT_OK)
            return code;
    }
    return AT_OK;
}

static at_code plan_mapped(import_ctx *ctx, candidates *c)
{
    at_mapping *m = ctx->mapping;
    char where[AT_ERROR_WHERE_MAX];
    for (size_t f = 0; f < m->file_count; f++) {
        at_map_file *mf = &m->files[f];
        snprintf(where, sizeof where, "%s:%u:%u", m->name, mf->place.line, mf->place.column);
        candidate *found = NULL;
        for (size_t i = 0; i < c->count; i++) {
            if (strcmp(c->items[i].base, mf->file) != 0)
                continue;
            if (found)
                return at_fail(ctx->err, AT_ERR_USAGE, where,
                               "give only one of them to attain import",
                               "%s is given twice: %s and %s", mf->file, found->path,
                               c->items[i].path);
            found = &c->items[i];
        }
        if (!found) {
            if (mf->optional)
                continue;
            return at_fail(ctx->err, AT_ERR_IO, where,
                           "give attain import the directory that holds it, or the file itself "
                           "(or mark the entry optional: true)",
                           "the mapping reads %s, which is not among the files given", mf->file);
        }
        found->used = true;
        for (size_t k = 0; k < mf->feed_count; k++) {
            size_t index;
            if (!entity_index(ctx, mf->feeds[k].entity, &index))
                return at_fail(ctx->err, AT_ERR_INVALID, where, NULL,
                               "this database does not hold %s", mf->feeds[k].entity->name);
            import_item item = {.entity = mf->feeds[k].entity, .entity_index = index,
                                .path = found->path, .mfile = mf, .feed = &mf->feeds[k]};
            at_code code = add_source(ctx, found->base, &item.source);
            if (code != AT_OK || (code = add_item(ctx, item)) != AT_OK)
                return code;
        }
    }
    for (size_t i = 0; i < c->count; i++) {
        candidate *cand = &c->items[i];
        if (cand->used)
            continue;
        if (cand->explicit_file)
            return at_fail(ctx->err, AT_ERR_USAGE, cand->path,
                           "add an entry for it under files: in the mapping, or leave it out",
                           "the mapping %s does not read %s", m->name, cand->base);
        if (ends_with(cand->base, ".csv")) {
            at_code code = add_note(ctx, "skipped %s: the mapping %s does not read it", cand->path,
                                    m->name);
            if (code != AT_OK)
                return code;
        }
    }
    for (size_t g = 0; g < m->row_group_count; g++) {
        size_t index;
        if (!entity_index(ctx, m->rows[g].entity, &index))
            return at_fail(ctx->err, AT_ERR_INVALID, m->name, NULL,
                           "this database does not hold %s", m->rows[g].entity->name);
        import_item item = {.entity = m->rows[g].entity, .entity_index = index,
                            .group = &m->rows[g]};
        at_code code = add_source(ctx, m->name, &item.source);
        if (code != AT_OK || (code = add_item(ctx, item)) != AT_OK)
            return code;
    }
    return AT_OK;
}

static int compare_items(const void *a, const void *b)
{
    const import_item *x = a, *y = b;
    if (x->entity_index != y->entity_index)
        return x->entity_index < y->entity_index ? -1 : 1;
    /* the mapping's inline rows come first: they hold what the files lack (stages) */
    if ((x->group != NULL) != (y->group != NULL))
        return x->group ? -1 : 1;
    return x->order < y->order ? -1 : x->order > y->order;
}

at_code import_plan_build(import_ctx *ctx, const char *const *paths, size_t path_count)
{
    candidates c = {0};
    at_code code = AT_OK;
    for (size_t i = 0; code == AT_OK && i < path_count; i++) {
        struct stat st;
        if (stat(paths[i], &st) != 0) {
            code = at_fail_errno(ctx->err, AT_ERR_IO, paths[i], "read");
            break;
        }
        if (S_ISDIR(st.st_mode))
            code = add_directory(ctx, &c, paths[i]);
        else
            code = add_candidate(ctx, &c, paths[i], true);
    }
    if (code == AT_OK)
        code = ctx->mapping ? plan_mapped(ctx, &c) : plan_canonical(ctx, &c);
    free(c.items);
    if (code != AT_OK)
        return code;
    if (ctx->plan.count == 0) {
        char hint[AT_ERROR_HINT_MAX];
        entity_files(ctx, hint, sizeof hint);
        return at_fail(ctx->err, AT_ERR_USAGE, path_count ? paths[0] : NULL, hint,
                       "nothing to import: no file here is the file of an attain entity");
    }
    qsort(ctx->plan.items, ctx->plan.count, sizeof *ctx->plan.items, compare_items);
    return AT_OK;
}

void import_plan_free(import_ctx *ctx)
{
    free(ctx->plan.items);
    free(ctx->sources);
    memset(&ctx->plan, 0, sizeof ctx->plan);
    ctx->sources = NULL;
    ctx->source_count = ctx->source_capacity = 0;
}
