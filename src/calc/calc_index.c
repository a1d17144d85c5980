/* calc_index.c - the run's index of its input: which rows belong to which person (reporting
 * lines, leaves, assignments, quotas, metrics, activities, locked lines), the day -> fiscal
 * month table, each month's quarter, half and year, the rank of people's external ids, and
 * the plans prepared for fast lookups (product filters, per-product rates, line keys). Built
 * once; read by every payee thread. Also: plan versions in force, and days on plan. */
#include <stdlib.h>
#include <string.h>

#include "calc/calc_internal.h"

/* ---- groups ------------------------------------------------------------------------------ */

typedef int (*row_cmp_fn)(const calc_ctx *ctx, int32_t a, int32_t b);

/* Builds a grouping of n rows by key(row) (-1: left out), each group sorted with cmp. */
static at_code group_build(calc_group *g, size_t groups, size_t n, const int32_t *keys,
                           const calc_ctx *ctx, row_cmp_fn cmp, at_error *err)
{
    g->start = calloc(groups + 1, sizeof *g->start);
    g->idx = malloc((n ? n : 1) * sizeof *g->idx);
    if (!g->start || !g->idx)
        return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory indexing %zu rows", n);
    for (size_t i = 0; i < n; i++)
        if (keys[i] >= 0 && (size_t)keys[i] < groups)
            g->start[keys[i] + 1]++;
    for (size_t k = 0; k < groups; k++)
        g->start[k + 1] += g->start[k];
    size_t *pos = malloc((groups ? groups : 1) * sizeof *pos);
    if (!pos)
        return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory indexing %zu rows", n);
    memcpy(pos, g->start, groups * sizeof *pos);
    for (size_t i = 0; i < n; i++)
        if (keys[i] >= 0 && (size_t)keys[i] < groups)
            g->idx[pos[keys[i]]++] = (int32_t)i;
    free(pos);
    if (cmp)
        for (size_t k = 0; k < groups; k++) {
            int32_t *a = g->idx + g->start[k];
            size_t m = g->start[k + 1] - g->start[k];
            for (size_t i = 1; i < m; i++) { /* insertion sort: groups are small */
                int32_t x = a[i];
                size_t j = i;
                while (j > 0 && cmp(ctx, a[j - 1], x) > 0) {
                    a[j] = a[j - 1];
                    j--;
                }
                a[j] = x;
            }
        }
    return AT_OK;
}

static void group_free(calc_group *g)
{
    free(g->start);
    free(g->idx);
    g->start = NULL;
    g->idx = NULL;
}

static int cmp_int(long long a, long long b)
{
    return a < b ? -1 : a > b;
}

static int cmp_reporting(const calc_ctx *ctx, int32_t a, int32_t b)
{
    const at_calc_reporting_line *x = &ctx->in->reporting_lines[a],
                                 *y = &ctx->in->reporting_lines[b];
    int c = cmp_int(x->start, y->start);
    if (!c)
        c = cmp_int(x->end, y->end);
    if (!c)
        c = cmp_int(x->manager >= 0 ? ctx->person_rank[x->manager] : -1,
                    y->manager >= 0 ? ctx->person_rank[y->manager] : -1);
    return c;
}

static int cmp_assignment(const calc_ctx *ctx, int32_t a, int32_t b)
{
    const at_calc_assignment *x = &ctx->in->assignments[a], *y = &ctx->in->assignments[b];
    int c = cmp_int(x->start, y->start);
    if (!c)
        c = calc_strcmp(x->id, y->id);
    return c;
}

static int cmp_activity(const calc_ctx *ctx, int32_t a, int32_t b)
{
    const at_calc_activity *x = &ctx->in->activities[a], *y = &ctx->in->activities[b];
    int c = cmp_int(x->day, y->day);
    if (!c)
        c = cmp_int(x->type, y->type);
    if (!c)
        c = cmp_int(x->meaningful, y->meaningful);
    return c;
}

static int cmp_locked(const calc_ctx *ctx, int32_t a, int32_t b)
{
    const at_calc_locked_line *x = &ctx->in->locked[a], *y = &ctx->in->locked[b];
    int c = cmp_int(x->month, y->month);
    if (!c)
        c = calc_strcmp(x->key, y->key);
    if (!c)
        c = cmp_int(x->amount, y->amount);
    return c;
}

/* ---- plans ------------------------------------------------------------------------------- */

static bool in_list(const char *s, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s && list[i] && strcmp(s, list[i]) == 0)
            return true;
    return false;
}

static at_code plan_info_build(calc_ctx *ctx, const at_plan *p, calc_plan_info *pi,
                               at_error *err)
{
    const at_calc_input *in = ctx->in;
    size_t np = in->product_count;
    pi->plan = p;
    pi->measure_product_ok = at_arena_calloc(ctx->arena, p->measure_count + 1, sizeof(uint8_t *));
    pi->component_product_rate =
        at_arena_calloc(ctx->arena, p->component_count + 1, sizeof(int16_t *));
    pi->component_keys = at_arena_calloc(ctx->arena, p->component_count + 1, sizeof(char *));
    if (!pi->measure_product_ok || !pi->component_product_rate || !pi->component_keys)
        goto nomem;
    for (size_t j = 0; j < p->measure_count; j++) {
        const at_plan_measure *m = &p->measures[j];
        uint8_t *ok = at_arena_alloc(ctx->arena, np + 1);
        if (!ok)
            goto nomem;
        for (size_t k = 0; k < np; k++) {
            bool pass = true;
            if (m->product_count && !in_list(in->products[k].id, m->products, m->product_count))
                pass = false;
            if (m->product_family_count &&
                !in_list(in->products[k].family, m->product_families, m->product_family_count))
                pass = false;
            ok[k] = pass;
        }
        ok[np] = m->product_count == 0 && m->product_family_count == 0;
        pi->measure_product_ok[j] = ok;
    }
    for (size_t c = 0; c < p->component_count; c++) {
        const at_plan_component *comp = &p->components[c];
        int16_t *r = at_arena_alloc(ctx->arena, (np + 1) * sizeof *r);
        if (!r)
            goto nomem;
        for (size_t k = 0; k <= np; k++) {
            int by_product = -1, by_family = -1;
            for (size_t i = 0; k < np && i < comp->product_rate_count; i++) {
                const at_plan_product_rate *pr = &comp->product_rates[i];
                if (pr->product && by_product < 0 && calc_strcmp(pr->product, in->products[k].id) == 0)
                    by_product = (int)i;
                if (pr->family && by_family < 0 && in->products[k].family &&
                    strcmp(pr->family, in->products[k].family) == 0)
                    by_family = (int)i;
            }
            r[k] = (int16_t)(by_product >= 0 ? by_product : by_family);
        }
        pi->component_product_rate[c] = r;
        pi->component_keys[c] = at_arena_printf(ctx->arena, "%s/%s", p->name, comp->id);
        if (!pi->component_keys[c])
            goto nomem;
    }
    pi->draw_key = at_arena_printf(ctx->arena, "%s/draw", p->name);
    pi->recovery_key = at_arena_printf(ctx->arena, "%s/draw-recovery", p->name);
    pi->deferred_key = at_arena_printf(ctx->arena, "%s/deferred", p->name);
    if (!pi->draw_key || !pi->recovery_key || !pi->deferred_key)
        goto nomem;
    return AT_OK;
nomem:
    return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory preparing plan '%s'", p->name);
}

/* ---- the context ------------------------------------------------------------------------- */

uint32_t calc_pack_code(const char *code)
{
    if (!code)
        return 0;
    uint32_t v = 0;
    for (int i = 0; i < 3 && code[i]; i++)
        v = v << 8 | (unsigned char)code[i];
    return v;
}

void calc_unpack_code(uint32_t code, char out[4])
{
    out[0] = (char)(code >> 16 & 0xff);
    out[1] = (char)(code >> 8 & 0xff);
    out[2] = (char)(code & 0xff);
    out[3] = '\0';
}

at_code calc_ctx_build(calc_ctx *ctx, const at_calc_input *in, const at_calc_options *opt,
                       at_arena *arena, at_error *err)
{
    memset(ctx, 0, sizeof *ctx);
    ctx->in = in;
    ctx->explain = opt && opt->keep_explanations;
    ctx->arena = arena;
    if (!in->calendar || in->calendar->counts[AT_PERIOD_MONTH] == 0)
        return at_fail(err, AT_ERR_INVALID, "calc input", "build the fiscal table first",
                       "the calculation needs a fiscal calendar with months");
    ctx->months = in->calendar->periods[AT_PERIOD_MONTH];
    ctx->month_count = (int32_t)in->calendar->counts[AT_PERIOD_MONTH];
    if (in->first_month < 0 || in->last_month < in->first_month ||
        in->last_month >= ctx->month_count)
        return at_fail(err, AT_ERR_INVALID, "calc input",
                       "give months inside the fiscal table, first <= last",
                       "months %d..%d are not inside the fiscal table's %d months",
                       (int)in->first_month, (int)in->last_month, (int)ctx->month_count);
    ctx->m_first = in->first_month;
    ctx->m_last = in->last_month;
    ctx->m_start = ctx->m_first - (ctx->months[ctx->m_first].number - 1);
    if (ctx->m_start < 0)
        ctx->m_start = 0;

    /* each month's parents */
    for (int k = 0; k < AT_PERIOD_KIND_COUNT; k++) {
        ctx->month_parent[k] = malloc((size_t)ctx->month_count * sizeof(int32_t));
        if (!ctx->month_parent[k])
            return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory");
        size_t pi = 0;
        const at_period *ps = in->calendar->periods[k];
        size_t pn = in->calendar->counts[k];
        for (int32_t m = 0; m < ctx->month_count; m++) {
            while (pi + 1 < pn && ps[pi].last < ctx->months[m].first)
                pi++;
            ctx->month_parent[k][m] = (int32_t)pi;
        }
    }
    ctx->day_base = ctx->months[0].first;
    ctx->day_span = (size_t)(ctx->months[ctx->month_count - 1].last - ctx->day_base + 1);
    ctx->day_month = malloc(ctx->day_span * sizeof *ctx->day_month);
    if (!ctx->day_month)
        return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory");
    for (int32_t m = 0; m < ctx->month_count; m++)
        for (at_day d = ctx->months[m].first; d <= ctx->months[m].last; d++)
            ctx->day_month[d - ctx->day_base] = m;

    /* people's ranks */
    size_t np = in->person_count;
    ctx->person_rank = malloc((np ? np : 1) * sizeof *ctx->person_rank);
    int32_t *order = malloc((np ? np : 1) * sizeof *order);
    const char **ids = malloc((np ? np : 1) * sizeof *ids);
    if (!ctx->person_rank || !order || !ids) {
        free(order);
        free(ids);
        return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory");
    }
    ids[0] = NULL;
    for (size_t i = 0; i < np; i++)
        ids[i] = in->people[i].id;
    at_code c = calc_sort_ids(ids, np, order, err);
    for (size_t i = 0; c == AT_OK && i < np; i++)
        ctx->person_rank[order[i]] = (int32_t)i;
    free(order);
    free(ids);
    if (c != AT_OK)
        return c;

    /* groupings by person */
    size_t most = in->reporting_line_count;
    size_t sizes[] = {in->leave_count, in->assignment_count, in->quota_count, in->metric_count,
                      in->activity_count, in->locked_count};
    for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++)
        if (sizes[i] > most)
            most = sizes[i];
    int32_t *keys = malloc((most ? most : 1) * sizeof *keys);
    if (!keys)
        return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory");
#define GROUP(field, arr, n, cmp)                                                            \
    do {                                                                                     \
        for (size_t i = 0; i < (n); i++)                                                     \
            keys[i] = in->arr[i].person;                                                     \
        if ((c = group_build(&ctx->field, np, (n), keys, ctx, cmp, err)) != AT_OK) {        \
            free(keys);                                                                      \
            return c;                                                                        \
        }                                                                                    \
    } while (0)
    GROUP(reporting, reporting_lines, in->reporting_line_count, cmp_reporting);
    GROUP(leaves, leaves, in->leave_count, NULL);
    GROUP(assignments, assignments, in->assignment_count, cmp_assignment);
    GROUP(quotas, quotas, in->quota_count, NULL);
    GROUP(metrics, metrics, in->metric_count, NULL);
    GROUP(activities, activities, in->activity_count, cmp_activity);
    GROUP(locked, locked, in->locked_count, cmp_locked);
#undef GROUP
    free(keys);

    ctx->closed = calloc((size_t)ctx->month_count, 1);
    if (!ctx->closed)
        return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory");
    for (size_t i = 0; i < in->closed_month_count; i++)
        if (in->closed_months[i] >= 0 && in->closed_months[i] < ctx->month_count)
            ctx->closed[in->closed_months[i]] = 1;

    ctx->currency_code = calloc(in->currency_count + 1, sizeof *ctx->currency_code);
    ctx->currency = calloc(in->currency_count + 1, sizeof *ctx->currency);
    if (!ctx->currency_code || !ctx->currency)
        return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory");
    for (size_t i = 0; i < in->currency_count; i++) {
        ctx->currency_code[i] = calc_pack_code(in->currencies[i]);
        ctx->currency[i] = at_currency_find(at_str_from(in->currencies[i]));
        if (!ctx->currency[i])
            return at_fail(err, AT_ERR_INVALID, "calc input currencies",
                           "use active ISO 4217 codes", "'%s' is not a currency",
                           in->currencies[i] ? in->currencies[i] : "");
    }

    ctx->plans = calloc(in->plan_count + 1, sizeof *ctx->plans);
    if (!ctx->plans)
        return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory");
    for (size_t i = 0; i < in->plan_count; i++) {
        const at_plan *p = in->plans[i];
        if (p->currency && !at_currency_find(at_str_from(p->currency)))
            return at_fail(err, AT_ERR_INVALID, p->name, "use an active ISO 4217 code",
                           "plan '%s' names currency '%s', which is not a currency", p->name,
                           p->currency);
        if ((c = plan_info_build(ctx, p, &ctx->plans[i], err)) != AT_OK)
            return c;
    }
    return AT_OK;
}

void calc_ctx_free(calc_ctx *ctx)
{
    for (int k = 0; k < AT_PERIOD_KIND_COUNT; k++)
        free(ctx->month_parent[k]);
    free(ctx->day_month);
    free(ctx->person_rank);
    group_free(&ctx->reporting);
    group_free(&ctx->leaves);
    group_free(&ctx->assignments);
    group_free(&ctx->quotas);
    group_free(&ctx->metrics);
    group_free(&ctx->activities);
    group_free(&ctx->locked);
    free(ctx->closed);
    free(ctx->currency_code);
    free(ctx->currency);
    free(ctx->plans);
    memset(ctx, 0, sizeof *ctx);
}

int32_t calc_day_month(const calc_ctx *ctx, at_day day)
{
    if (day < ctx->day_base || (size_t)(day - ctx->day_base) >= ctx->day_span)
        return -1;
    return ctx->day_month[day - ctx->day_base];
}

const at_period *calc_month_parent(const calc_ctx *ctx, int32_t m, at_period_kind kind)
{
    return &ctx->in->calendar->periods[kind][ctx->month_parent[kind][m]];
}

int calc_plan_version(const calc_ctx *ctx, const char *name, at_day day, bool *named)
{
    int best = -1;
    if (named)
        *named = false;
    for (size_t i = 0; i < ctx->in->plan_count; i++) {
        const at_plan *p = ctx->in->plans[i];
        if (calc_strcmp(p->name, name) != 0)
            continue;
        if (named)
            *named = true;
        if (day < p->effective_from || day > p->effective_to)
            continue;
        if (best < 0 || p->version > ctx->in->plans[best]->version ||
            (p->version == ctx->in->plans[best]->version &&
             strcmp(p->sha256, ctx->in->plans[best]->sha256) < 0))
            best = (int)i;
    }
    return best;
}

typedef struct day_span {
    at_day a, b;
} day_span;

int calc_days_on_plan(const calc_ctx *ctx, int32_t assignment, at_day first, at_day last)
{
    const at_calc_assignment *asg = &ctx->in->assignments[assignment];
    const at_calc_person *p = &ctx->in->people[asg->person];
    at_day lo = first, hi = last;
    if (asg->start > lo)
        lo = asg->start;
    if (p->hire > lo)
        lo = p->hire;
    if (asg->end < hi)
        hi = asg->end;
    if (p->exit < hi)
        hi = p->exit;
    if (hi < lo)
        return 0;
    int days = hi - lo + 1;
    /* leave days inside [lo, hi], overlapping leaves counted once */
    const calc_group *g = &ctx->leaves;
    size_t s = g->start[asg->person], e = g->start[asg->person + 1];
    if (s == e)
        return days;
    day_span local[32];
    day_span *sp = e - s <= 32 ? local : malloc((e - s) * sizeof *sp);
    if (!sp)
        return days;
    size_t n = 0;
    for (size_t i = s; i < e; i++) {
        const at_calc_leave *l = &ctx->in->leaves[g->idx[i]];
        at_day a = l->start > lo ? l->start : lo, b = l->end < hi ? l->end : hi;
        if (a <= b)
            sp[n++] = (day_span){a, b};
    }
    for (size_t i = 1; i < n; i++) {
        day_span x = sp[i];
        size_t j = i;
        while (j > 0 && sp[j - 1].a > x.a) {
            sp[j] = sp[j - 1];
            j--;
        }
        sp[j] = x;
    }
    at_day covered_to = lo - 1;
    for (size_t i = 0; i < n; i++) {
        at_day a = sp[i].a > covered_to + 1 ? sp[i].a : covered_to + 1;
        if (sp[i].b >= a) {
            days -= sp[i].b - a + 1;
            covered_to = sp[i].b;
        }
    }
    if (sp != local)
        free(sp);
    return days;
}
