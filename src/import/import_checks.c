/* import_checks.c - the checks that need other rows (model/checks.h), run by the importer.
 *
 * Rows are upserted as they come, inside the import's one transaction, so once an entity is
 * complete the store holds exactly what the database will hold after commit: the checks that
 * look at a whole entity (spans that must not overlap, hierarchies that must not loop, unique
 * values, split shares, cancellations) read it back from the store and place any problem at the
 * row of this import involved (its file and line), or say "the database". Checks of a row
 * against rows of an earlier entity (an opportunity's stage, a response's question) run per
 * row, with lookups loaded from the store when first needed. Leads' opportunity ids are
 * checked at the end, once opportunities are in. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import/import_impl.h"
#include "import/quote.h"
#include "model/checks.h"
#include "model/fields.h"

typedef struct point_rec {
    at_str type, choices, template_id;
} point_rec;

typedef struct lead_ref {
    char *opportunity_id;
    char *where;
} lead_ref;

typedef struct checks {
    at_arena arena;        /* lookups and copies for the whole run */
    at_idmap stages;       /* stage id -> aux: index in outcomes */
    bool stages_loaded;
    at_idmap points;       /* point id -> aux: index in point_recs */
    point_rec *point_recs;
    size_t point_count, point_capacity;
    at_idmap templates;    /* template id -> aux: 1 lead, 2 opportunity */
    bool points_loaded;
    lead_ref *leads;
    size_t lead_count, lead_capacity;
    bool cancellations;    /* this import has cancellations */
} checks;

static const char *const outcomes[] = {"open", "won", "lost"};

static checks *C(import_ctx *ctx)
{
    return ctx->checks;
}

static at_code nomem(import_ctx *ctx)
{
    return at_fail(ctx->err, AT_ERR_NOMEM, NULL, NULL, "out of memory checking the import");
}

at_code import_checks_init(import_ctx *ctx)
{
    checks *c = calloc(1, sizeof *c);
    if (!c)
        return nomem(ctx);
    at_arena_init(&c->arena, 0);
    at_idmap_init(&c->stages);
    at_idmap_init(&c->points);
    at_idmap_init(&c->templates);
    ctx->checks = c;
    return AT_OK;
}

void import_checks_free(import_ctx *ctx)
{
    checks *c = C(ctx);
    if (!c)
        return;
    at_idmap_free(&c->stages);
    at_idmap_free(&c->points);
    at_idmap_free(&c->templates);
    free(c->point_recs);
    free(c->leads);
    at_arena_free(&c->arena);
    free(c);
    ctx->checks = NULL;
}

static at_str keep(checks *c, at_str s)
{
    char *p = at_str_dup(&c->arena, s);
    return p ? at_str_make(p, s.len) : at_str_make(NULL, 0);
}

/* Where a row of the store is: its place in this import, or the database. */
static void row_place(import_ctx *ctx, entity_state *es, at_str key, const char *column,
                      char *buf, size_t size)
{
    at_idmap_entry *e = at_idmap_find(&es->keys, key);
    if (e && e->in_import)
        snprintf(buf, size, "%s:%u%s%s%s", ctx->sources[e->source], (unsigned)e->line,
                 column ? " (column " : "", column ? column : "", column ? ")" : "");
    else
        snprintf(buf, size, "the database (%s '%.*s')", es->entity->name,
                 (int)(key.len > 80 ? 80 : key.len), key.ptr);
}

static bool in_import(entity_state *es, at_str key)
{
    at_idmap_entry *e = at_idmap_find(&es->keys, key);
    return e && e->in_import;
}

/* ---- lookups loaded from the store -------------------------------------------------------- */

static at_code load_stage(void *vctx, int64_t id, const at_row *row, at_error *err)
{
    (void)id;
    checks *c = vctx;
    at_idmap_entry *e;
    if (at_idmap_put(&c->stages, row->values[0].text, &e, NULL, err) != AT_OK)
        return AT_ERR_NOMEM;
    e->aux = -1; /* by the text: the store gives enums back as text */
    for (int64_t i = 0; i < 3; i++)
        if (at_str_eq_cstr(row->values[AT_STAGES_OUTCOME].text, outcomes[i]))
            e->aux = i;
    return AT_OK;
}

static bool stage_outcome(void *vctx, at_str stage_id, at_str *outcome)
{
    checks *c = vctx;
    at_idmap_entry *e = at_idmap_find(&c->stages, stage_id);
    if (!e || e->aux < 0 || e->aux > 2)
        return false;
    *outcome = at_str_from(outcomes[e->aux]);
    return true;
}

static at_code load_template(void *vctx, int64_t id, const at_row *row, at_error *err)
{
    (void)id;
    checks *c = vctx;
    at_idmap_entry *e;
    if (at_idmap_put(&c->templates, row->values[0].text, &e, NULL, err) != AT_OK)
        return AT_ERR_NOMEM;
    e->aux = at_str_eq_cstr(row->values[AT_SCORECARD_TEMPLATES_APPLIES_TO].text, "lead") ? 1 : 2;
    return AT_OK;
}

static at_code load_point(void *vctx, int64_t id, const at_row *row, at_error *err)
{
    (void)id;
    checks *c = vctx;
    if (c->point_count == c->point_capacity) {
        size_t cap = c->point_capacity ? c->point_capacity * 2 : 64;
        point_rec *p = realloc(c->point_recs, cap * sizeof *p);
        if (!p)
            return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory");
        c->point_recs = p;
        c->point_capacity = cap;
    }
    point_rec *p = &c->point_recs[c->point_count];
    p->type = keep(c, row->values[AT_SCORECARD_POINTS_TYPE].text);
    p->choices = keep(c, row->values[AT_SCORECARD_POINTS_CHOICES].text);
    p->template_id = keep(c, row->values[AT_SCORECARD_POINTS_TEMPLATE_ID].text);
    at_idmap_entry *e;
    if (at_idmap_put(&c->points, row->values[AT_SCORECARD_POINTS_ID].text, &e, NULL, err) !=
        AT_OK)
        return AT_ERR_NOMEM;
    e->aux = (int64_t)c->point_count++;
    return AT_OK;
}

static bool point_info(void *vctx, at_str point_id, at_point_info *out)
{
    checks *c = vctx;
    at_idmap_entry *e = at_idmap_find(&c->points, point_id);
    if (!e)
        return false;
    point_rec *p = &c->point_recs[e->aux];
    out->type = p->type;
    out->choices = p->choices;
    at_idmap_entry *t = at_idmap_find(&c->templates, p->template_id);
    out->applies_to = at_str_from(t && t->aux == 1 ? "lead" : "opportunity");
    return true;
}

/* ---- per row -------------------------------------------------------------------------------- */

static at_code row_failed(import_ctx *ctx, entity_state *es, const row_source *src, at_error *e)
{
    int field = -1;
    if (strncmp(e->where, "column ", 7) == 0)
        field = at_entity_field_index(es->entity, at_str_from(e->where + 7));
    import_where(ctx, src, field, e->where, sizeof e->where);
    return import_problem_err(ctx, e);
}

at_code import_checks_row(import_ctx *ctx, entity_state *es, const row_source *src,
                          const at_row *row, bool *bad)
{
    checks *c = C(ctx);
    const at_entity *e = es->entity;
    at_error cerr;
    at_code code;
    *bad = false;
    if (e == &at_entity_opportunities) {
        if (!c->stages_loaded) {
            c->stages_loaded = true;
            if ((code = at_store_each_row(ctx->store, &at_entity_stages, load_stage, c,
                                          ctx->err)) != AT_OK)
                return code;
        }
        if (at_check_opportunity_stage(row, stage_outcome, c, &cerr) != AT_OK) {
            *bad = true;
            return row_failed(ctx, es, src, &cerr);
        }
    } else if (e == &at_entity_scorecard_responses) {
        if (!c->points_loaded) {
            c->points_loaded = true;
            if ((code = at_store_each_row(ctx->store, &at_entity_scorecard_templates,
                                          load_template, c, ctx->err)) != AT_OK ||
                (code = at_store_each_row(ctx->store, &at_entity_scorecard_points, load_point, c,
                                          ctx->err)) != AT_OK)
                return code;
        }
        if (at_check_scorecard_response(row, point_info, c, &cerr) != AT_OK) {
            *bad = true;
            return row_failed(ctx, es, src, &cerr);
        }
    } else if (e == &at_entity_leads && row->values[AT_LEADS_OPPORTUNITY_ID].present) {
        if (c->lead_count == c->lead_capacity) {
            size_t cap = c->lead_capacity ? c->lead_capacity * 2 : 256;
            lead_ref *l = realloc(c->leads, cap * sizeof *l);
            if (!l)
                return nomem(ctx);
            c->leads = l;
            c->lead_capacity = cap;
        }
        char where[AT_ERROR_WHERE_MAX];
        import_where(ctx, src, AT_LEADS_OPPORTUNITY_ID, where, sizeof where);
        lead_ref *l = &c->leads[c->lead_count];
        l->opportunity_id = at_str_dup(&c->arena, row->values[AT_LEADS_OPPORTUNITY_ID].text);
        l->where = at_arena_strdup(&c->arena, where);
        if (!l->opportunity_id || !l->where)
            return nomem(ctx);
        c->lead_count++;
    } else if (e == &at_entity_transactions &&
               at_str_eq_cstr(row->values[AT_TRANSACTIONS_TYPE].text, "cancellation")) {
        c->cancellations = true;
    }
    return AT_OK;
}

/* ---- spans ---------------------------------------------------------------------------------- */

typedef struct span_scan {
    import_ctx *ctx;
    entity_state *es;
    int owner, start, end;
    at_span *spans;
    size_t count, capacity;
    at_arena *arena;
} span_scan;

static at_code collect_span(void *vctx, int64_t id, const at_row *row, at_error *err)
{
    (void)id;
    span_scan *s = vctx;
    if (s->count == s->capacity) {
        size_t cap = s->capacity ? s->capacity * 2 : 1024;
        at_span *p = realloc(s->spans, cap * sizeof *p);
        if (!p)
            return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory");
        s->spans = p;
        s->capacity = cap;
    }
    at_str key;
    at_code code = import_row_key(s->ctx, s->es, row, &key, false);
    if (code != AT_OK)
        return code;
    char where[AT_ERROR_WHERE_MAX];
    char shown[AT_ERROR_WHERE_MAX];
    at_str_copy(key, shown, sizeof shown);
    row_place(s->ctx, s->es, key, NULL, where, sizeof where);
    if (!in_import(s->es, key)) {
        /* the natural key, readable */
        import_row_key(s->ctx, s->es, row, &key, true);
        snprintf(where, sizeof where, "the database (%.*s)", (int)(key.len > 100 ? 100 : key.len),
                 key.ptr);
    }
    at_span sp = at_span_of_row(row, s->owner, s->start, s->end, NULL);
    sp.owner = at_str_make(at_str_dup(s->arena, sp.owner), sp.owner.len);
    sp.where = at_arena_strdup(s->arena, where);
    if (!sp.owner.ptr || !sp.where)
        return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory");
    s->spans[s->count++] = sp;
    return AT_OK;
}

static at_code check_spans(import_ctx *ctx, entity_state *es, int owner, int start, int end,
                           const char *what, const char *owner_column)
{
    at_arena arena;
    at_arena_init(&arena, 0);
    span_scan s = {ctx, es, owner, start, end, NULL, 0, 0, &arena};
    at_code code = at_store_each_row(ctx->store, es->entity, collect_span, &s, ctx->err);
    size_t found = 0;
    if (code == AT_OK && s.count)
        code = at_check_spans_disjoint(s.spans, s.count, what, owner_column,
                                       &ctx->result->errors, &found);
    free(s.spans);
    at_arena_free(&arena);
    return code;
}

/* ---- hierarchies ------------------------------------------------------------------------------ */

typedef struct tree_scan {
    import_ctx *ctx;
    entity_state *es;
    int child, parent;    /* the fields: id and parent_id, or person_id and manager_id */
    int start, end;       /* reporting lines: the span of each line */
    at_idmap nodes;       /* child -> aux: first index in links */
    struct link {
        at_str child, parent;
        at_day start, end;
    } *links;
    size_t count, capacity;
    at_arena arena;
} tree_scan;

static at_code collect_link(void *vctx, int64_t id, const at_row *row, at_error *err)
{
    (void)id;
    tree_scan *t = vctx;
    if (!row->values[t->parent].present)
        return AT_OK;
    if (t->count == t->capacity) {
        size_t cap = t->capacity ? t->capacity * 2 : 1024;
        struct link *p = realloc(t->links, cap * sizeof *p);
        if (!p)
            return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory");
        t->links = p;
        t->capacity = cap;
    }
    struct link *l = &t->links[t->count++];
    char *cp = at_str_dup(&t->arena, row->values[t->child].text);
    char *pp = at_str_dup(&t->arena, row->values[t->parent].text);
    if (!cp || !pp)
        return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory");
    l->child = at_str_make(cp, row->values[t->child].text.len);
    l->parent = at_str_make(pp, row->values[t->parent].text.len);
    l->start = t->start >= 0 && row->values[t->start].present
                   ? (at_day)row->values[t->start].number : AT_DAY_MIN;
    l->end = t->end >= 0 && row->values[t->end].present ? (at_day)row->values[t->end].number
                                                        : AT_DAY_MAX;
    return AT_OK;
}

static int compare_links(const void *a, const void *b)
{
    const struct link *x = a, *y = b;
    size_t n = x->child.len < y->child.len ? x->child.len : y->child.len;
    int c = memcmp(x->child.ptr, y->child.ptr, n);
    if (c)
        return c;
    if (x->child.len != y->child.len)
        return x->child.len < y->child.len ? -1 : 1;
    return x->start < y->start ? -1 : x->start > y->start;
}

static at_code index_links(tree_scan *t, at_error *err)
{
    if (t->count)
        qsort(t->links, t->count, sizeof *t->links, compare_links);
    for (size_t i = 0; i < t->count; i++) {
        at_idmap_entry *e;
        bool created;
        if (at_idmap_put(&t->nodes, t->links[i].child, &e, &created, err) != AT_OK)
            return AT_ERR_NOMEM;
        if (created)
            e->aux = (int64_t)i;
    }
    return AT_OK;
}

static bool parent_of(void *vctx, at_str node, at_str *parent)
{
    tree_scan *t = vctx;
    at_idmap_entry *e = at_idmap_find(&t->nodes, node);
    if (!e)
        return false;
    *parent = t->links[e->aux].parent;
    return true;
}

static bool manager_on(void *vctx, at_str person, at_day day, at_str *manager)
{
    tree_scan *t = vctx;
    at_idmap_entry *e = at_idmap_find(&t->nodes, person);
    if (!e)
        return false;
    for (size_t i = (size_t)e->aux; i < t->count && at_str_eq(t->links[i].child, person); i++)
        if (t->links[i].start <= day && day <= t->links[i].end) {
            *manager = t->links[i].parent;
            return true;
        }
    return false;
}

static at_code check_tree(import_ctx *ctx, entity_state *es, int child, int parent, int start,
                          int end)
{
    tree_scan t = {.ctx = ctx, .es = es, .child = child, .parent = parent, .start = start,
                   .end = end};
    at_idmap_init(&t.nodes);
    at_arena_init(&t.arena, 0);
    at_code code = at_store_each_row(ctx->store, es->entity, collect_link, &t, ctx->err);
    if (code == AT_OK)
        code = index_links(&t, ctx->err);
    char last[AT_ERROR_MESSAGE_MAX] = "";
    bool reporting = start >= 0;
    at_idmap reported; /* the rows of loops already reported */
    at_idmap_init(&reported);
    for (size_t i = 0; code == AT_OK && i < t.count; i++) {
        struct link *l = &t.links[i];
        at_row key_row; /* the key of a reporting line: person and start */
        at_str key = l->child;
        if (reporting) {
            at_value v[AT_REPORTING_LINES_FIELD_COUNT];
            memset(v, 0, sizeof v);
            v[AT_REPORTING_LINES_PERSON_ID] = (at_value){true, l->child, 0, 0};
            v[AT_REPORTING_LINES_START_DATE] = (at_value){true, {NULL, 0}, l->start, 0};
            key_row = (at_row){es->entity, v};
            if ((code = import_row_key(ctx, es, &key_row, &key, false)) != AT_OK)
                break;
        }
        if (!in_import(es, key) || (!reporting && at_idmap_find(&reported, l->child)))
            continue;
        at_error lerr;
        at_code found = reporting ? at_check_reporting_cycle(l->child, l->start, manager_on, &t,
                                                              &lerr)
                                  : at_check_no_cycle(l->child, parent_of, &t, es->entity->name,
                                                      &lerr);
        if (found == AT_OK || strcmp(lerr.message, last) == 0)
            continue;
        snprintf(last, sizeof last, "%s", lerr.message);
        row_place(ctx, es, key, es->entity->fields[parent].name, lerr.where, sizeof lerr.where);
        code = import_problem_err(ctx, &lerr);
        /* the other rows of the same loop would report it again, turned round */
        at_str node = l->child;
        for (size_t steps = 0; code == AT_OK && steps <= t.count; steps++) {
            at_idmap_entry *seen;
            bool created;
            if ((code = at_idmap_put(&reported, node, &seen, &created, ctx->err)) != AT_OK ||
                !created || !parent_of(&t, node, &node))
                break;
        }
    }
    at_idmap_free(&reported);
    free(t.links);
    at_idmap_free(&t.nodes);
    at_arena_free(&t.arena);
    return code;
}

/* ---- unique values ------------------------------------------------------------------------------ */

typedef struct unique_scan {
    import_ctx *ctx;
    entity_state *es;
    int field;
    bool nocase;
    at_idmap values;      /* value -> aux: index in holders */
    at_str *holders;      /* the key of the first row holding each value */
    size_t count, capacity;
    at_str asking;        /* the row being checked */
    at_arena arena;
} unique_scan;

static at_str fold(unique_scan *u, at_str s)
{
    if (!u->nocase)
        return s;
    char *p = at_arena_alloc(&u->arena, s.len + 1);
    if (!p)
        return s;
    for (size_t i = 0; i < s.len; i++)
        p[i] = (s.ptr[i] >= 'A' && s.ptr[i] <= 'Z') ? (char)(s.ptr[i] - 'A' + 'a') : s.ptr[i];
    return at_str_make(p, s.len);
}

static bool holder_of(void *vctx, at_str value, at_str *row_id)
{
    unique_scan *u = vctx;
    at_idmap_entry *e = at_idmap_find(&u->values, fold(u, value));
    if (!e)
        return false;
    *row_id = u->holders[e->aux];
    return true;
}

static at_code collect_unique(void *vctx, int64_t id, const at_row *row, at_error *err)
{
    (void)id;
    unique_scan *u = vctx;
    const at_value *v = &row->values[u->field];
    if (!v->present)
        return AT_OK;
    at_str key;
    at_code code = import_row_key(u->ctx, u->es, row, &key, false);
    if (code != AT_OK)
        return code;
    char text[64];
    at_str value = v->text;
    if (!value.ptr) { /* a number (stages.position) */
        snprintf(text, sizeof text, "%lld", (long long)v->number);
        value = at_str_from(text);
    }
    at_idmap_entry *e;
    bool created;
    if (at_idmap_put(&u->values, fold(u, value), &e, &created, err) != AT_OK)
        return AT_ERR_NOMEM;
    if (created) {
        if (u->count == u->capacity) {
            size_t cap = u->capacity ? u->capacity * 2 : 256;
            at_str *h = realloc(u->holders, cap * sizeof *h);
            if (!h)
                return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory");
            u->holders = h;
            u->capacity = cap;
        }
        e->aux = (int64_t)u->count;
        u->holders[u->count++] = at_str_make(at_str_dup(&u->arena, key), key.len);
        return AT_OK;
    }
    /* a second holder: a problem when either row is in this import */
    at_str first = u->holders[e->aux];
    if (!in_import(u->es, key) && !in_import(u->es, first))
        return AT_OK;
    char key_copy[512];
    at_str_copy(key, key_copy, sizeof key_copy);
    at_error uerr;
    if (at_check_unique(u->es->entity, u->field, value, at_str_from(key_copy), holder_of, u,
                        &uerr) == AT_OK)
        return AT_OK;
    /* placed at the row of this import: this one, or else the first holder */
    row_place(u->ctx, u->es, in_import(u->es, key) ? at_str_from(key_copy) : first,
              u->es->entity->fields[u->field].name, uerr.where, sizeof uerr.where);
    return import_problem_err(u->ctx, &uerr);
}

static at_code check_unique(import_ctx *ctx, entity_state *es, int field)
{
    unique_scan u = {.ctx = ctx, .es = es, .field = field,
                     .nocase = es->entity->fields[field].type == AT_FIELD_EMAIL};
    at_idmap_init(&u.values);
    at_arena_init(&u.arena, 0);
    at_code code = at_store_each_row(ctx->store, es->entity, collect_unique, &u, ctx->err);
    free(u.holders);
    at_idmap_free(&u.values);
    at_arena_free(&u.arena);
    return code;
}

/* ---- transactions: cancellations and split shares ------------------------------------------------ */

typedef struct cancel_rec {
    at_row row;           /* a copy of the cancellation */
    at_str key, original;
} cancel_rec;

typedef struct tx_scan {
    import_ctx *ctx;
    entity_state *es;
    at_idmap originals;   /* original id -> aux: index in infos (set when found) */
    struct tx_info {
        at_transaction_info info;
        bool found;
        at_money cancelled; /* sum of every cancellation of it in the store */
    } *infos;
    size_t info_count, info_capacity;
    cancel_rec *cancels;
    size_t cancel_count, cancel_capacity;
    at_arena arena;
    int pass;
} tx_scan;

static at_code tx_info_for(tx_scan *t, at_str id, struct tx_info **out, at_error *err)
{
    at_idmap_entry *e;
    bool created;
    if (at_idmap_put(&t->originals, id, &e, &created, err) != AT_OK)
        return AT_ERR_NOMEM;
    if (created) {
        if (t->info_count == t->info_capacity) {
            size_t cap = t->info_capacity ? t->info_capacity * 2 : 64;
            struct tx_info *p = realloc(t->infos, cap * sizeof *p);
            if (!p)
                return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory");
            t->infos = p;
            t->info_capacity = cap;
        }
        memset(&t->infos[t->info_count], 0, sizeof t->infos[0]);
        e->aux = (int64_t)t->info_count++;
    }
    *out = &t->infos[e->aux];
    return AT_OK;
}

/* Pass 1: every cancellation (its original's running total; a copy when in this import).
 * Pass 2: the originals' own type, amount and currency. */
static at_code scan_tx(void *vctx, int64_t id, const at_row *row, at_error *err)
{
    (void)id;
    tx_scan *t = vctx;
    const at_value *v = row->values;
    bool cancellation = at_str_eq_cstr(v[AT_TRANSACTIONS_TYPE].text, "cancellation");
    struct tx_info *info = NULL;
    if (t->pass == 1) {
        if (!cancellation || !v[AT_TRANSACTIONS_ORIGINAL_ID].present)
            return AT_OK;
        if (tx_info_for(t, v[AT_TRANSACTIONS_ORIGINAL_ID].text, &info, err) != AT_OK)
            return AT_ERR_NOMEM;
        info->cancelled += v[AT_TRANSACTIONS_AMOUNT].number;
        if (!in_import(t->es, v[AT_TRANSACTIONS_ID].text))
            return AT_OK;
        if (t->cancel_count == t->cancel_capacity) {
            size_t cap = t->cancel_capacity ? t->cancel_capacity * 2 : 64;
            cancel_rec *p = realloc(t->cancels, cap * sizeof *p);
            if (!p)
                return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory");
            t->cancels = p;
            t->cancel_capacity = cap;
        }
        cancel_rec *c = &t->cancels[t->cancel_count++];
        size_t n = row->entity->field_count;
        at_value *copy = at_arena_alloc(&t->arena, n * sizeof *copy);
        if (!copy)
            return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory");
        for (size_t f = 0; f < n; f++) {
            copy[f] = v[f];
            if (v[f].text.len)
                copy[f].text = keep(C(t->ctx), v[f].text);
        }
        c->row = (at_row){row->entity, copy};
        c->key = copy[AT_TRANSACTIONS_ID].text;
        c->original = copy[AT_TRANSACTIONS_ORIGINAL_ID].text;
        return AT_OK;
    }
    at_idmap_entry *e = at_idmap_find(&t->originals, v[AT_TRANSACTIONS_ID].text);
    if (!e)
        return AT_OK;
    info = &t->infos[e->aux];
    info->found = true;
    info->info.type = keep(C(t->ctx), v[AT_TRANSACTIONS_TYPE].text);
    info->info.amount = v[AT_TRANSACTIONS_AMOUNT].number;
    info->info.currency = keep(C(t->ctx), v[AT_TRANSACTIONS_CURRENCY].text);
    return AT_OK;
}

static bool original_info(void *vctx, at_str id, at_transaction_info *out)
{
    tx_scan *t = vctx;
    at_idmap_entry *e = at_idmap_find(&t->originals, id);
    if (!e || !t->infos[e->aux].found)
        return false;
    *out = t->infos[e->aux].info;
    return true;
}

static at_code check_cancellations(import_ctx *ctx, entity_state *es)
{
    tx_scan t = {.ctx = ctx, .es = es, .pass = 1};
    at_idmap_init(&t.originals);
    at_arena_init(&t.arena, 0);
    /* only the cancellations, then only their originals (by id), not the whole table twice */
    const at_str cancellation = at_str_from("cancellation");
    at_code code = at_store_each_row_where(ctx->store, es->entity, "type", &cancellation, 1,
                                           scan_tx, &t, ctx->err);
    if (code == AT_OK && t.cancel_count) {
        t.pass = 2;
        size_t n = t.originals.count;
        at_str *ids = malloc((n ? n : 1) * sizeof *ids);
        if (!ids)
            code = nomem(ctx);
        for (size_t i = 0; code == AT_OK && i < n; i++)
            ids[i] = at_str_make(t.originals.entries[i].key, t.originals.entries[i].len);
        if (code == AT_OK)
            code = at_store_each_row_where(ctx->store, es->entity, "id", ids, n, scan_tx, &t,
                                           ctx->err);
        free(ids);
    }
    for (size_t i = 0; code == AT_OK && i < t.cancel_count; i++) {
        cancel_rec *c = &t.cancels[i];
        at_idmap_entry *e = at_idmap_find(&t.originals, c->original);
        /* what the other cancellations of the same original took already */
        at_money before = t.infos[e->aux].cancelled - c->row.values[AT_TRANSACTIONS_AMOUNT].number;
        at_error cerr;
        if (at_check_cancellation(&c->row, before, original_info, &t, &cerr) == AT_OK)
            continue;
        const char *column = strncmp(cerr.where, "column ", 7) == 0 ? cerr.where + 7 : NULL;
        char col[64];
        snprintf(col, sizeof col, "%.60s", column ? column : "original_id");
        row_place(ctx, es, c->key, col, cerr.where, sizeof cerr.where);
        code = import_problem_err(ctx, &cerr);
    }
    free(t.infos);
    free(t.cancels);
    at_idmap_free(&t.originals);
    at_arena_free(&t.arena);
    return code;
}

/* Split shares, streamed: the store gives transaction_people in key order, which starts with
 * the transaction's id, so each transaction's rows come together. Only the current group is
 * kept (its split shares and the first of its rows in this import, for the message's place);
 * it is checked when the next transaction starts, so the problems come in transaction order
 * and memory does not grow with the table. */
typedef struct split_scan {
    import_ctx *ctx;
    entity_state *es;
    bool started;         /* a group is open */
    bool touched;         /* the open group has a row of this import */
    char *transaction_id; /* the open group's transaction (a copy) */
    size_t id_len, id_capacity;
    char *some_key;       /* its first row of this import, for the message's place */
    size_t key_len, key_capacity;
    at_rate *shares;
    size_t count, capacity;
} split_scan;

static at_code keep_text(char **buf, size_t *len, size_t *capacity, at_str s, at_error *err)
{
    if (s.len + 1 > *capacity) {
        size_t cap = *capacity ? *capacity : 64;
        while (cap < s.len + 1)
            cap *= 2;
        char *p = realloc(*buf, cap);
        if (!p)
            return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory");
        *buf = p;
        *capacity = cap;
    }
    if (s.len)
        memcpy(*buf, s.ptr, s.len);
    (*buf)[s.len] = '\0';
    *len = s.len;
    return AT_OK;
}

/* The open group is complete: its problem, when this import touched it. */
static at_code end_split_group(split_scan *s)
{
    if (!s->started || !s->touched)
        return AT_OK;
    at_error serr;
    if (at_check_split_shares(at_str_make(s->transaction_id, s->id_len), s->shares, s->count,
                              &serr) == AT_OK)
        return AT_OK;
    row_place(s->ctx, s->es, at_str_make(s->some_key, s->key_len), "share", serr.where,
              sizeof serr.where);
    return import_problem_err(s->ctx, &serr);
}

static at_code scan_split(void *vctx, int64_t id, const at_row *row, at_error *err)
{
    (void)id;
    split_scan *s = vctx;
    const at_value *v = row->values;
    at_str tid = v[AT_TRANSACTION_PEOPLE_TRANSACTION_ID].text;
    at_code code;
    if (!s->started || !at_str_eq(tid, at_str_make(s->transaction_id, s->id_len))) {
        if ((code = end_split_group(s)) != AT_OK ||
            (code = keep_text(&s->transaction_id, &s->id_len, &s->id_capacity, tid, err)) !=
                AT_OK)
            return code;
        s->started = true;
        s->touched = false;
        s->count = 0;
    }
    if (!s->touched) {
        at_str key;
        if ((code = import_row_key(s->ctx, s->es, row, &key, false)) != AT_OK)
            return code;
        if (in_import(s->es, key)) {
            s->touched = true;
            if ((code = keep_text(&s->some_key, &s->key_len, &s->key_capacity, key, err)) !=
                AT_OK)
                return code;
        }
    }
    if (!at_str_eq_cstr(v[AT_TRANSACTION_PEOPLE_ROLE].text, "split"))
        return AT_OK;
    if (s->count == s->capacity) {
        size_t cap = s->capacity ? s->capacity * 2 : 8;
        at_rate *p = realloc(s->shares, cap * sizeof *p);
        if (!p)
            return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory");
        s->shares = p;
        s->capacity = cap;
    }
    s->shares[s->count++] = v[AT_TRANSACTION_PEOPLE_SHARE].number;
    return AT_OK;
}

static at_code check_splits(import_ctx *ctx, entity_state *es)
{
    split_scan s = {.ctx = ctx, .es = es};
    at_code code = at_store_each_row(ctx->store, es->entity, scan_split, &s, ctx->err);
    if (code == AT_OK)
        code = end_split_group(&s);
    free(s.transaction_id);
    free(s.some_key);
    free(s.shares);
    return code;
}

/* ---- after each entity, and at the end ------------------------------------------------------------ */

at_code import_checks_entity(import_ctx *ctx, entity_state *es)
{
    if (!es->touched)
        return AT_OK;
    const at_entity *e = es->entity;
    at_code code = AT_OK;
    for (size_t f = 0; code == AT_OK && f < e->field_count; f++)
        if (e->fields[f].unique)
            code = check_unique(ctx, es, (int)f);
    if (code != AT_OK)
        return code;
    if (e == &at_entity_teams)
        return check_tree(ctx, es, AT_TEAMS_ID, AT_TEAMS_PARENT_ID, -1, -1);
    if (e == &at_entity_territories)
        return check_tree(ctx, es, AT_TERRITORIES_ID, AT_TERRITORIES_PARENT_ID, -1, -1);
    if (e == &at_entity_accounts)
        return check_tree(ctx, es, AT_ACCOUNTS_ID, AT_ACCOUNTS_PARENT_ID, -1, -1);
    if (e == &at_entity_reporting_lines) {
        code = check_spans(ctx, es, AT_REPORTING_LINES_PERSON_ID, AT_REPORTING_LINES_START_DATE,
                           AT_REPORTING_LINES_END_DATE, "reporting lines", "person_id");
        if (code == AT_OK)
            code = check_tree(ctx, es, AT_REPORTING_LINES_PERSON_ID,
                              AT_REPORTING_LINES_MANAGER_ID, AT_REPORTING_LINES_START_DATE,
                              AT_REPORTING_LINES_END_DATE);
        return code;
    }
    if (e == &at_entity_territory_accounts)
        return check_spans(ctx, es, AT_TERRITORY_ACCOUNTS_ACCOUNT_ID,
                           AT_TERRITORY_ACCOUNTS_START_DATE, AT_TERRITORY_ACCOUNTS_END_DATE,
                           "territory assignments", "account_id");
    if (e == &at_entity_transactions && C(ctx)->cancellations)
        return check_cancellations(ctx, es);
    if (e == &at_entity_transaction_people)
        return check_splits(ctx, es);
    return AT_OK;
}

static bool opportunity_exists(void *vctx, at_str id)
{
    entity_state *es = vctx;
    at_idmap_entry *e = at_idmap_find(&es->keys, id);
    return e && (e->id > 0 || e->id == AT_IDMAP_BROKEN);
}

at_code import_checks_finish(import_ctx *ctx)
{
    checks *c = C(ctx);
    if (!c->lead_count)
        return AT_OK;
    entity_state *opp = import_state_of(ctx, "opportunities");
    if (!opp)
        return AT_OK;
    at_code code = import_refs_load(ctx, opp);
    at_value values[AT_LEADS_FIELD_COUNT];
    for (size_t i = 0; code == AT_OK && i < c->lead_count; i++) {
        memset(values, 0, sizeof values);
        values[AT_LEADS_OPPORTUNITY_ID] =
            (at_value){true, at_str_from(c->leads[i].opportunity_id), 0, 0};
        at_row row = {&at_entity_leads, values};
        at_error lerr;
        if (at_check_lead_opportunity(&row, opportunity_exists, opp, &lerr) == AT_OK)
            continue;
        at_str_copy(at_str_from(c->leads[i].where), lerr.where, sizeof lerr.where);
        code = import_problem_err(ctx, &lerr);
    }
    return code;
}
