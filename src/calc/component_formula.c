/* component_formula.c - what plan formulas read and pay: the slot values of a payee's month
 * (measures, quotas, attainment, earlier components, metrics, target incentive, days), formula
 * components, gates, and measures summed by a per-credit formula.
 *
 * Slot units: money at 1e-4; counts at 1 (a count or quantity measure's value at 1e-4 is
 * rounded half-even to whole units); numbers at 1e-9 (attainment; a metric of unit number);
 * a metric of unit money is its value / 1e5. A formula component with a to-date measure pays
 * the formula's value as earnings to date of that window (minus what earlier months of the
 * window earned), otherwise the value is the month's earnings. A formula that fails (division
 * by zero, overflow) pays 0 and the run reports it as a problem. */
#include <stdio.h>
#include <string.h>

#include "calc/calc_internal.h"

static int64_t to_count(int64_t v)
{
    int64_t out = 0;
    calc_div(v, AT_MONEY_SCALE, AT_ROUND_HALF_EVEN, &out);
    return out;
}

static int64_t metric_value(const calc_comp_env *env, const at_plan_metric *pm)
{
    const calc_ctx *ctx = env->w->ctx;
    const at_period *p = &ctx->months[env->m];
    const calc_group *g = &ctx->metrics;
    bool found = false;
    int64_t v = 0;
    for (size_t i = g->start[env->person]; i < g->start[env->person + 1]; i++) {
        const at_calc_metric *mt = &ctx->in->metrics[g->idx[i]];
        if (mt->kind == AT_PERIOD_MONTH && mt->fiscal_year == p->fiscal_year &&
            mt->number == p->number && calc_strcmp(mt->metric, pm->name) == 0 &&
            (!found || mt->value > v)) {
            v = mt->value;
            found = true;
        }
    }
    int64_t out = v;
    if (pm->unit == AT_UNIT_MONEY)
        calc_div(v, 100000, AT_ROUND_HALF_EVEN, &out);
    else if (pm->unit == AT_UNIT_COUNT)
        calc_div(v, AT_RATE_SCALE, AT_ROUND_HALF_EVEN, &out);
    return out;
}

void calc_formula_slots(const calc_comp_env *env, const at_money *component_earned,
                        int64_t *slots)
{
    const at_plan *plan = env->plan;
    const calc_ctx *ctx = env->w->ctx;
    for (size_t s = 0; s < plan->slot_count; s++) {
        const at_plan_slot *sl = &plan->slots[s];
        int64_t v = 0;
        int idx = sl->index;
        switch (sl->kind) {
        case AT_SLOT_MEASURE:
            if (idx >= 0 && (size_t)idx < plan->measure_count)
                v = sl->unit == AT_UNIT_COUNT ? to_count(env->ms[idx].value) : env->ms[idx].value;
            break;
        case AT_SLOT_QUOTA:
            if (idx >= 0 && (size_t)idx < plan->measure_count)
                v = sl->unit == AT_UNIT_COUNT ? to_count(env->ms[idx].quota) : env->ms[idx].quota;
            break;
        case AT_SLOT_ATTAINMENT:
            if (idx >= 0 && (size_t)idx < plan->measure_count)
                v = env->ms[idx].attainment;
            break;
        case AT_SLOT_COMPONENT:
            if (idx >= 0 && (size_t)idx < plan->component_count && component_earned)
                v = component_earned[idx];
            break;
        case AT_SLOT_METRIC:
            if (idx >= 0 && (size_t)idx < plan->metric_count)
                v = metric_value(env, &plan->metrics[idx]);
            break;
        case AT_SLOT_TARGET_INCENTIVE: {
            const at_calc_assignment *a = &ctx->in->assignments[env->asg];
            v = a->target_incentive;
            if (a->currency >= 0 && (size_t)a->currency < ctx->in->currency_count &&
                ctx->currency_code[a->currency] != env->plan_cur) {
                at_rate rate;
                if (calc_fx_rate(env->w, ctx->currency_code[a->currency], env->plan_cur,
                                 ctx->months[env->m].last, &rate))
                    calc_muldiv(a->target_incentive, rate, AT_RATE_SCALE, &v);
                else
                    v = 0;
            }
            break;
        }
        case AT_SLOT_DAYS_IN_PERIOD:
            v = at_period_days(&ctx->months[env->m]);
            break;
        case AT_SLOT_DAYS_ON_PLAN:
            v = calc_days_on_plan(ctx, env->asg, ctx->months[env->m].first,
                                  ctx->months[env->m].last);
            break;
        default:
            break;
        }
        slots[s] = v;
    }
}

/* A formula's result as money (a bare number stands for money). */
static int64_t as_money(const at_formula *f, int64_t v)
{
    if (at_formula_unit(f) == AT_UNIT_NUMBER) {
        int64_t out = 0;
        calc_div(v, 100000, AT_ROUND_HALF_EVEN, &out);
        return out;
    }
    return v;
}

at_code calc_component_formula(const calc_comp_env *env, int c, calc_comp_out *out,
                               at_error *err)
{
    (void)err;
    const at_plan_component *comp = &env->plan->components[c];
    memset(out, 0, sizeof *out);
    if (!comp->formula)
        return AT_OK;
    int64_t v = 0;
    at_error fe;
    if (at_formula_eval(comp->formula, env->slots, &v, &fe) != AT_OK) {
        char where[96];
        snprintf(where, sizeof where, "%s/%s %s", env->plan->name, comp->id,
                 env->w->ctx->months[env->m].label);
        calc_problem(env->w, where, fe.hint, "formula failed for %s: %s",
                     env->w->ctx->in->people[env->person].id, fe.message);
        if (env->text)
            calc_text_add(env->text, "Formula %s failed (%s): 0.00",
                          at_formula_text(comp->formula), fe.message);
        return AT_OK;
    }
    v = as_money(comp->formula, v);
    if (env->text) {
        char buf[1024];
        at_formula_explain(comp->formula, env->slots, buf, sizeof buf);
        calc_text_add(env->text, "Formula %s", buf);
    }
    int j = comp->measure;
    if (j >= 0 && env->plan->measures[j].window != AT_WINDOW_MONTH) {
        out->is_to_date = true;
        out->to_date = v;
        out->window = env->ms[j].window;
    } else {
        out->earned = v;
    }
    return AT_OK;
}

at_code calc_gate(const calc_comp_env *env, int c, bool *open, at_error *err)
{
    (void)err;
    const at_plan_component *comp = &env->plan->components[c];
    *open = true;
    if (!comp->gate)
        return AT_OK;
    int64_t v = 0;
    at_error fe;
    if (at_formula_eval(comp->gate, env->slots, &v, &fe) != AT_OK) {
        *open = false;
        if (env->text)
            calc_text_add(env->text, "; gate %s could not be evaluated (%s): paid 0.00",
                          at_formula_text(comp->gate), fe.message);
        return AT_OK;
    }
    *open = v != 0;
    if (!*open && env->text) {
        char buf[512];
        at_formula_explain(comp->gate, env->slots, buf, sizeof buf);
        calc_text_add(env->text, "; gate %s is false: paid 0.00", buf);
    }
    return AT_OK;
}

bool calc_formula_credit_value(calc_worker *w, const at_plan *plan, int j, uint32_t plan_cur,
                               const at_calc_credits *cr, size_t i, at_money *out)
{
    const at_plan_measure *m = &plan->measures[j];
    *out = 0;
    if (!m->sum_formula)
        return true;
    int64_t slots[AT_FORMULA_SLOTS_MAX];
    at_money amount = 0, margin = 0;
    bool ok = calc_to_plan_currency(w, plan, plan_cur, cr, i, cr->amount[i], &amount);
    if (!calc_to_plan_currency(w, plan, plan_cur, cr, i, cr->margin[i], &margin))
        ok = false;
    int64_t units = to_count(calc_credit_units(&w->ctx->in->transactions, cr, i));
    size_t n = plan->slot_count < AT_FORMULA_SLOTS_MAX ? plan->slot_count : AT_FORMULA_SLOTS_MAX;
    for (size_t s = 0; s < n; s++) {
        switch (plan->slots[s].kind) {
        case AT_SLOT_CREDIT_AMOUNT: slots[s] = amount; break;
        case AT_SLOT_CREDIT_MARGIN: slots[s] = margin; break;
        case AT_SLOT_CREDIT_QUANTITY: slots[s] = units; break;
        default: slots[s] = 0; break;
        }
    }
    int64_t v = 0;
    if (at_formula_eval(m->sum_formula, slots, &v, NULL) != AT_OK)
        return false;
    *out = as_money(m->sum_formula, v);
    return ok;
}
