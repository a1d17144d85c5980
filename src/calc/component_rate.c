/* component_rate.c - rate and per-unit components.
 *
 * Rate: the month's counted credits x the rate of their product (a product's own rate wins
 * over its family's, else the component's rate): exact products summed, rounded half-even to
 * 0.0001 once. Cancellation credits count negative (x the clawback share). With a per-deal
 * cap the component is paid credit by credit instead (component_deal.c), so that the cap
 * applies to each deal and a cancellation reverses what its deal actually earned.
 *
 * Per unit: each counted credit's units (quantity, shared like the amount) x the amount per
 * unit of its product; a product's quantity tiers pick the amount from the transaction's
 * whole quantity (the tier reached: from <= quantity), for all its units (retroactive within
 * the line: 12 units at the "10 or more" tier all get that tier's amount). */
#include <string.h>

#include "calc/calc_internal.h"

static at_rate rate_of(const calc_comp_env *env, int c, size_t i)
{
    const at_plan_component *comp = &env->plan->components[c];
    const calc_ctx *ctx = env->w->ctx;
    int32_t p = calc_credit_product(&ctx->in->transactions, env->w->credits->transaction[i]);
    size_t np = ctx->in->product_count;
    int r = env->pi->component_product_rate[c][p >= 0 && (size_t)p < np ? (size_t)p : np];
    return r >= 0 ? comp->product_rates[r].rate : comp->rate;
}

static bool earn_rate(const calc_comp_env *env, int c, size_t i, at_money value, int64_t units,
                      at_money *out)
{
    (void)units;
    return calc_muldiv(value, rate_of(env, c, i), AT_RATE_SCALE, out);
}

/* Whether credit i counts toward rate component c (its measure's rule; a cancellation only
 * with clawback), its value *v and its rate *r. Inlined: a run calls it for every credit. */
static inline __attribute__((always_inline)) bool rate_credit(const calc_comp_env *env, int c,
                                                              size_t i, at_money *v, at_rate *r)
{
    const at_plan_component *comp = &env->plan->components[c];
    const calc_ctx *ctx = env->w->ctx;
    const at_calc_credits *cr = env->w->credits;
    int j = comp->measure;
    at_rate scale;
    if (!calc_counts(ctx, env->pi, j, env->asg, cr, i, &scale))
        return false;
    if (!comp->clawback && calc_is_cancellation(&ctx->in->transactions, cr->transaction[i]))
        return false;
    calc_credit_value(env->w, env->plan, j, env->plan_cur, cr, i, scale, v);
    *r = rate_of(env, c, i);
    return true;
}

bool calc_rate_credit_term(const calc_comp_env *env, int c, size_t i, calc_i128 *term)
{
    at_money v;
    at_rate r;
    if (!rate_credit(env, c, i, &v, &r))
        return false;
    *term = (calc_i128)v * r;
    return true;
}

at_code calc_component_rate(const calc_comp_env *env, int c, calc_comp_out *out, at_error *err)
{
    const at_plan_component *comp = &env->plan->components[c];
    memset(out, 0, sizeof *out);
    int j = comp->measure;
    if (j < 0)
        return AT_OK;
    const char *mname = env->plan->measures[j].name ? env->plan->measures[j].name
                                                    : env->plan->measures[j].id;
    if (comp->caps.has_per_deal) {
        if (env->text)
            calc_text_add(env->text, "Rate on each credit of %s: ", mname);
        return calc_per_credit(env, c, earn_rate, NULL, out, err);
    }
    /* the sum by rate, for the explanation */
    enum { BUCKETS = 8 };
    at_rate rates[BUCKETS];
    at_money sums[BUCKETS];
    int nb = 0;
    bool more = false;
    calc_i128 total = 0;
    /* a session keeps the month's sum (session_sums.c); the explanation needs the credits */
    calc_component_sum *kept = calc_sums_component_of(env, c);
    if (kept && kept->kind == CALC_SUM_RATE && !env->text) {
        total = kept->total;
    } else {
        size_t s, e;
        calc_month_credits(env->w, env->person, env->m, &s, &e);
        for (size_t i = s; i < e; i++) {
            at_money v;
            at_rate r;
            if (!rate_credit(env, c, i, &v, &r))
                continue;
            total += (calc_i128)v * r;
            int k = 0;
            while (k < nb && rates[k] != r)
                k++;
            if (k == nb && nb < BUCKETS) {
                rates[nb] = r;
                sums[nb++] = 0;
            }
            if (k < nb)
                sums[k] += v;
            else
                more = true;
        }
        if (kept) {
            kept->kind = CALC_SUM_RATE;
            kept->total = total;
        }
    }
    int64_t earned = 0;
    if (!calc_div(total, AT_RATE_SCALE, AT_ROUND_HALF_EVEN, &earned))
        return at_fail(err, AT_ERR_OVERFLOW, env->plan->name, NULL,
                       "component '%s' overflows", comp->id);
    out->earned = earned;
    if (env->text) {
        char a[48], b[48], m[48];
        calc_text_add(env->text, "Rate on %s: ", mname);
        if (nb == 0)
            calc_text_add(env->text, "no credits this month");
        for (int k = 0; k < nb; k++) {
            int64_t part = 0;
            calc_muldiv(sums[k], rates[k], AT_RATE_SCALE, &part);
            calc_text_add(env->text, "%s%s x %s = %s", k ? " + " : "",
                          calc_fmt_money(sums[k], a), calc_fmt_pct(rates[k], -1, b),
                          calc_fmt_money(part, m));
        }
        if (more)
            calc_text_add(env->text, " + more rates");
        if (nb > 1 || more)
            calc_text_add(env->text, " = %s", calc_fmt_money(earned, m));
    }
    return AT_OK;
}

/* The amount per unit of credit i's product (quantity tiers on the transaction's quantity). */
at_money calc_unit_amount(const calc_comp_env *env, int c, size_t i, at_rate *rate)
{
    const at_plan_component *comp = &env->plan->components[c];
    const calc_ctx *ctx = env->w->ctx;
    const at_calc_transactions *tx = &ctx->in->transactions;
    int32_t t = env->w->credits->transaction[i];
    int32_t p = calc_credit_product(tx, t);
    size_t np = ctx->in->product_count;
    int r = env->pi->component_product_rate[c][p >= 0 && (size_t)p < np ? (size_t)p : np];
    if (r < 0) {
        if (rate)
            *rate = comp->rate;
        return comp->default_amount;
    }
    const at_plan_product_rate *pr = &comp->product_rates[r];
    if (rate)
        *rate = pr->rate;
    at_money amount = pr->amount;
    if (pr->quantity_tier_count) {
        int32_t src = t;
        if (calc_is_cancellation(tx, t) && tx->original[t] >= 0)
            src = tx->original[t];
        int64_t q = tx->quantity[src] < 0 ? -tx->quantity[src] : tx->quantity[src];
        for (size_t k = 0; k < pr->quantity_tier_count; k++)
            if (q >= pr->quantity_tiers[k].from)
                amount = pr->quantity_tiers[k].amount;
    }
    return amount;
}

static bool earn_per_unit(const calc_comp_env *env, int c, size_t i, at_money value,
                          int64_t units, at_money *out)
{
    (void)value;
    return calc_muldiv(calc_unit_amount(env, c, i, NULL), units, AT_MONEY_SCALE, out);
}

at_code calc_component_per_unit(const calc_comp_env *env, int c, calc_comp_out *out,
                                at_error *err)
{
    const at_plan_component *comp = &env->plan->components[c];
    if (env->text && comp->measure >= 0) {
        const at_plan_measure *m = &env->plan->measures[comp->measure];
        calc_text_add(env->text, "Amount per unit on each credit of %s (units x amount): ",
                      m->name ? m->name : m->id);
    }
    return calc_per_credit(env, c, earn_per_unit, NULL, out, err);
}
