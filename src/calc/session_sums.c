/* session_sums.c - a session's running sums of credits: for every plan assignment and month
 * the session computes, what the month's credits add up to for each measure (value, count,
 * credits without an exchange rate) and for each component paid on credits (a rate: the exact
 * sum of value x rate; per deal: the earnings and the credits the cap cut).
 *
 * Why: a late transaction touches its seller and every manager above them up to the CEO,
 * whose credits number in the millions. Recomputing a payee reads every credit of every
 * month it computes, several times (each measure, each rate component), with random reads of
 * the transaction columns per credit: at size M that was most of half a second per change.
 * With the sums kept, a payee's months read only the sums, and a change costs what its own
 * credits add and take away.
 *
 * Exact: every sum is of int64 (measures, per-deal earnings) or int128 (value x rate) terms,
 * the same in any order, and each term is computed by the function a run's scan calls for
 * that credit (calc_measure_credit_term, calc_rate_credit_term, calc_per_credit_term). The
 * first computation of a cell scans the credits as a run does and keeps the sums; a change
 * subtracts the terms of the credits it takes out, computed before anything changes (the
 * table and the transaction columns as they were), and adds the terms of the credits it puts
 * in, computed after (a cancellation's per-deal term reads its original's credit, so both
 * sides must see one consistent table). A cell belongs to the plan version that first asks
 * for it; another version (a plan changed inside a window) reads the credits as a run does. */
#include <stdlib.h>
#include <string.h>

#include "calc/calc_internal.h"

struct calc_month_sums {
    int32_t m_start, n_months;
    size_t max_measures, max_components;
    size_t cell_count;
    calc_sums_cell *cells;           /* [assignment * n_months + (m - m_start)] */
    calc_measure_sum *measures;      /* max_measures per cell */
    calc_component_sum *components;  /* max_components per cell */
    /* per person: credits other than roll-ups per month ([person * n_months + m - m_start]),
       counted the first time a payee with no plan asks (seller_counted) */
    int64_t *seller;
    uint8_t *seller_counted;
    size_t person_count;
};

at_code calc_sums_open(calc_ctx *ctx, at_error *err)
{
    calc_sums_close(ctx);
    const at_calc_input *in = ctx->in;
    calc_month_sums *s = calloc(1, sizeof *s);
    if (!s)
        return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory for the session's sums");
    s->m_start = ctx->m_start;
    s->n_months = ctx->m_last >= ctx->m_start ? ctx->m_last - ctx->m_start + 1 : 0;
    for (size_t p = 0; p < in->plan_count; p++) {
        if (in->plans[p]->measure_count > s->max_measures)
            s->max_measures = in->plans[p]->measure_count;
        if (in->plans[p]->component_count > s->max_components)
            s->max_components = in->plans[p]->component_count;
    }
    s->cell_count = in->assignment_count * (size_t)s->n_months;
    size_t nc = s->cell_count ? s->cell_count : 1;
    s->cells = calloc(nc, sizeof *s->cells);
    s->measures = calloc(nc * (s->max_measures ? s->max_measures : 1), sizeof *s->measures);
    s->components = calloc(nc * (s->max_components ? s->max_components : 1),
                           sizeof *s->components);
    s->person_count = in->person_count;
    s->seller = calloc((s->person_count ? s->person_count : 1) * (size_t)(s->n_months + 1),
                       sizeof *s->seller);
    s->seller_counted = calloc(s->person_count + 1, 1);
    if (!s->cells || !s->measures || !s->components || !s->seller || !s->seller_counted) {
        ctx->sums = s;
        calc_sums_close(ctx);
        return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory for the session's sums");
    }
    for (size_t i = 0; i < s->cell_count; i++) {
        s->cells[i].measures = s->measures + i * s->max_measures;
        s->cells[i].components = s->components + i * s->max_components;
    }
    ctx->sums = s;
    return AT_OK;
}

void calc_sums_close(calc_ctx *ctx)
{
    calc_month_sums *s = ctx->sums;
    if (!s)
        return;
    free(s->cells);
    free(s->measures);
    free(s->components);
    free(s->seller);
    free(s->seller_counted);
    free(s);
    ctx->sums = NULL;
}

static calc_sums_cell *cell_at(const calc_month_sums *s, int32_t asg, int32_t m)
{
    if (asg < 0 || m < s->m_start || m - s->m_start >= s->n_months)
        return NULL;
    size_t i = (size_t)asg * (size_t)s->n_months + (size_t)(m - s->m_start);
    return i < s->cell_count ? &s->cells[i] : NULL;
}

calc_sums_cell *calc_sums_cell_of(const calc_ctx *ctx, int32_t asg, int32_t m,
                                  const calc_plan_info *pi, uint32_t plan_cur)
{
    if (!ctx->sums)
        return NULL;
    calc_sums_cell *cell = cell_at(ctx->sums, asg, m);
    if (!cell)
        return NULL;
    if (!cell->pi) {
        /* claimed by the first version that asks (one payee's cells are only ever touched
           by the thread computing that payee) */
        cell->pi = pi;
        cell->plan_cur = plan_cur;
        cell->measures_valid = false;
        memset(cell->measures, 0, ctx->sums->max_measures * sizeof *cell->measures);
        memset(cell->components, 0, ctx->sums->max_components * sizeof *cell->components);
    }
    return cell->pi == pi && cell->plan_cur == plan_cur ? cell : NULL;
}

calc_component_sum *calc_sums_component_of(const calc_comp_env *env, int c)
{
    calc_sums_cell *cell =
        calc_sums_cell_of(env->w->ctx, env->asg, env->m, env->pi, env->plan_cur);
    return cell ? &cell->components[c] : NULL;
}

/* The quotas of the cell's measures (per-transaction tiers on attainment read them: they do
 * not depend on credits), as assignment_month finds them. */
static void cell_quotas(calc_worker *w, const calc_sums_cell *cell, int32_t asg, int32_t m,
                        calc_measure_state *ms)
{
    const at_plan *plan = cell->pi->plan;
    for (size_t j = 0; j < plan->measure_count; j++) {
        memset(&ms[j], 0, sizeof ms[j]);
        ms[j].window = calc_month_parent(w->ctx, m, (at_period_kind)plan->measures[j].window);
        calc_measure_quota(w, cell->pi, (int)j, asg, m, cell->plan_cur, &ms[j]);
    }
}

static bool needs_quotas(const calc_sums_cell *cell)
{
    const at_plan *plan = cell->pi->plan;
    for (size_t c = 0; c < plan->component_count; c++)
        if (cell->components[c].kind == CALC_SUM_PER_CREDIT &&
            plan->components[c].kind == AT_COMPONENT_TIERS)
            return true;
    return false;
}

/* Adds sign x credit i's terms to one cell. */
static at_code add_to_cell(calc_worker *w, calc_sums_cell *cell, int32_t person, int32_t asg,
                           int32_t m, size_t i, int sign, at_error *err)
{
    const calc_plan_info *pi = cell->pi;
    const at_plan *plan = pi->plan;
    const at_calc_credits *cr = w->credits;
    if (cell->measures_valid)
        for (size_t j = 0; j < plan->measure_count; j++) {
            at_money v = 0;
            bool missing = false;
            if (!calc_measure_credit_term(w, pi, (int)j, asg, cell->plan_cur, cr, i, &v,
                                          &missing))
                continue;
            cell->measures[j].value += sign * v;
            cell->measures[j].count += sign;
            cell->measures[j].missing += sign * (int64_t)missing;
        }
    bool any = false;
    for (size_t c = 0; c < plan->component_count; c++)
        any |= cell->components[c].kind != CALC_SUM_NONE;
    if (!any)
        return AT_OK;
    calc_measure_state *ms = calloc(plan->measure_count + 1, sizeof *ms);
    if (!ms)
        return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory for the session's sums");
    if (needs_quotas(cell))
        cell_quotas(w, cell, asg, m, ms);
    calc_comp_env env = {
        .w = w, .person = person, .m = m, .asg = asg, .pi = pi, .plan = plan,
        .plan_cur = cell->plan_cur, .ms = ms, .slots = NULL, .text = NULL,
    };
    for (size_t c = 0; c < plan->component_count; c++) {
        calc_component_sum *k = &cell->components[c];
        if (k->kind == CALC_SUM_RATE) {
            calc_i128 term = 0;
            if (calc_rate_credit_term(&env, (int)c, i, &term))
                k->total += sign * term;
        } else if (k->kind == CALC_SUM_PER_CREDIT) {
            at_money earned = 0;
            bool capped = false;
            if (calc_per_credit_term(&env, (int)c, k->earn, k->in_scope, i, &earned, &capped)) {
                k->earned += sign * earned;
                k->capped += sign * (int64_t)capped;
                k->n += sign;
            }
        }
    }
    free(ms);
    return AT_OK;
}

bool calc_sums_first_seller_month(calc_worker *w, int32_t person, int32_t *month)
{
    const calc_ctx *ctx = w->ctx;
    calc_month_sums *s = ctx->sums;
    if (!s || person < 0 || (size_t)person >= s->person_count)
        return false;
    int64_t *count = s->seller + (size_t)person * (size_t)s->n_months;
    if (!s->seller_counted[person]) {
        /* one pass (a person's credits are only ever read by the thread computing them) */
        const at_calc_credits *cr = w->credits;
        for (size_t i = cr->person_start[person]; i < calc_person_end(cr, person); i++) {
            int32_t m = cr->month[i];
            if (cr->kind[i] != AT_CREDIT_ROLLUP && m >= s->m_start &&
                m - s->m_start < s->n_months)
                count[m - s->m_start]++;
        }
        s->seller_counted[person] = 1;
    }
    *month = -1;
    for (int32_t m = ctx->m_first; m <= ctx->m_last && *month < 0; m++)
        if (m >= s->m_start && m - s->m_start < s->n_months && count[m - s->m_start] > 0)
            *month = m;
    return true;
}

at_code calc_sums_add(calc_worker *w, int32_t person, const size_t *rows, size_t n, int sign,
                      at_error *err)
{
    const calc_ctx *ctx = w->ctx;
    const calc_month_sums *s = ctx->sums;
    if (!s)
        return AT_OK;
    const calc_group *g = &ctx->assignments;
    const at_calc_credits *cr = w->credits;
    for (size_t x = 0; x < n; x++) {
        size_t i = rows[x];
        int32_t m = cr->month[i];
        if (s->seller_counted[person] && cr->kind[i] != AT_CREDIT_ROLLUP && m >= s->m_start &&
            m - s->m_start < s->n_months)
            s->seller[(size_t)person * (size_t)s->n_months + (size_t)(m - s->m_start)] += sign;
        for (size_t a = g->start[person]; a < g->start[person + 1]; a++) {
            int32_t asg = g->idx[a];
            calc_sums_cell *cell = cell_at(s, asg, m);
            if (!cell || !cell->pi)
                continue;
            at_code c = add_to_cell(w, cell, person, asg, m, i, sign, err);
            if (c != AT_OK)
                return c;
        }
    }
    return AT_OK;
}
