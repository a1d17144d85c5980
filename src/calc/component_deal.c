/* component_deal.c - components paid credit by credit (per-transaction tiers, per-unit
 * amounts, product SPIFFs, rates capped per deal): each counted credit of the month earns on
 * its own, capped per deal, rounded half-even to 0.0001; the month's line is the sum.
 *
 * A cancellation credit reverses what its original credit (same person, kind, level, seller
 * and role, on the original transaction) earned on the component, after the per-deal cap:
 * original earnings x cancelled amount / original amount x the clawback share, half-even.
 * An original that did not count toward the component earned nothing, so nothing is
 * reversed. A cancellation whose original is not among the credits reverses what its own
 * amount would have earned. A component with clawback: false ignores cancellations. */
#include <string.h>

#include "calc/calc_internal.h"

/* The credit of the cancelled transaction that credit i (of a cancellation) mirrors. */
static bool find_original(const calc_comp_env *env, size_t i, size_t *out)
{
    const at_calc_credits *cr = env->w->credits;
    const at_calc_transactions *tx = &env->w->ctx->in->transactions;
    int32_t o = tx->original[cr->transaction[i]];
    if (o < 0 || (size_t)o >= tx->count)
        return false;
    at_day d = tx->date[o];
    size_t a = cr->person_start[env->person], b = calc_person_end(cr, env->person);
    while (a < b) {
        size_t mid = a + (b - a) / 2;
        if (cr->date[mid] < d)
            a = mid + 1;
        else
            b = mid;
    }
    for (size_t k = a; k < calc_person_end(cr, env->person) && cr->date[k] == d; k++)
        if (cr->transaction[k] == o && cr->kind[k] == cr->kind[i] &&
            cr->level[k] == cr->level[i] && cr->from_person[k] == cr->from_person[i] &&
            cr->role[k] == cr->role[i]) {
            *out = k;
            return true;
        }
    return false;
}

static bool earn_capped(const calc_comp_env *env, int c, calc_credit_earn_fn earn, size_t i,
                        at_money value, int64_t units, at_money *out, bool *capped)
{
    const at_plan_component *comp = &env->plan->components[c];
    at_money e = 0;
    if (!earn(env, c, i, value, units, &e))
        return false;
    if (comp->caps.has_per_deal && e > comp->caps.per_deal) {
        e = comp->caps.per_deal;
        *capped = true;
    }
    *out = e;
    return true;
}

/* Credit i's earnings on component c (*earned; *capped when the per-deal cap cut it), false
 * when it does not count. With env->text, the credit's part of the explanation (the first 8
 * credits: shown < 8; n > 0 after the first) is added. */
static bool credit_earned(const calc_comp_env *env, int c, calc_credit_earn_fn earn,
                          calc_in_scope_fn in_scope, size_t i, int shown, int n,
                          at_money *earned_out, bool *capped_out)
{
    const at_plan_component *comp = &env->plan->components[c];
    const calc_ctx *ctx = env->w->ctx;
    const at_calc_credits *cr = env->w->credits;
    const at_calc_transactions *tx = &ctx->in->transactions;
    int j = comp->measure;
    char a[48], b[48];
    at_rate scale;
    if (!calc_counts(ctx, env->pi, j, env->asg, cr, i, &scale))
        return false;
    if (in_scope && !in_scope(env, c, i))
        return false;
    int32_t t = cr->transaction[i];
    at_money earned = 0;
    bool capped = false;
    if (calc_is_cancellation(tx, t)) {
        if (!comp->clawback)
            return false;
        size_t o;
        if (find_original(env, i, &o)) {
            at_money ov, oe = 0;
            if (cr->amount[o] != 0 && calc_counts(ctx, env->pi, j, -1, cr, o, NULL) &&
                (!in_scope || in_scope(env, c, o)) &&
                calc_credit_value(env->w, env->plan, j, env->plan_cur, cr, o, AT_RATE_SCALE,
                                  &ov) &&
                earn_capped(env, c, earn, o, ov, calc_credit_units(tx, cr, o), &oe, &capped)) {
                calc_div((calc_i128)oe * cr->amount[i] * scale,
                         (calc_i128)cr->amount[o] * AT_RATE_SCALE, AT_ROUND_HALF_EVEN, &earned);
            }
            capped = false;
            if (env->text && shown < 8)
                calc_text_add(env->text, "%s%s cancels %s (which earned %s): %s", n ? "; " : "",
                              tx->id[t], tx->id[cr->transaction[o]], calc_fmt_money(oe, a),
                              calc_fmt_money(earned, b));
        } else {
            at_money v;
            calc_credit_value(env->w, env->plan, j, env->plan_cur, cr, i, AT_RATE_SCALE, &v);
            at_money pe = 0;
            earn_capped(env, c, earn, i, -v, -calc_credit_units(tx, cr, i), &pe, &capped);
            calc_div(-(calc_i128)pe * scale, AT_RATE_SCALE, AT_ROUND_HALF_EVEN, &earned);
            if (env->text && shown < 8)
                calc_text_add(env->text, "%s%s cancels %s: %s", n ? "; " : "", tx->id[t],
                              tx->original[t] >= 0 ? tx->id[tx->original[t]] : "?",
                              calc_fmt_money(earned, b));
        }
    } else {
        at_money v;
        calc_credit_value(env->w, env->plan, j, env->plan_cur, cr, i, AT_RATE_SCALE, &v);
        earn_capped(env, c, earn, i, v, calc_credit_units(tx, cr, i), &earned, &capped);
        if (env->text && shown < 8)
            calc_text_add(env->text, "%s%s %s -> %s%s", n ? "; " : "", tx->id[t],
                          calc_fmt_money(v, a), calc_fmt_money(earned, b),
                          capped ? " (capped per deal)" : "");
    }
    *earned_out = earned;
    *capped_out = capped;
    return true;
}

bool calc_per_credit_term(const calc_comp_env *env, int c, calc_credit_earn_fn earn,
                          calc_in_scope_fn in_scope, size_t i, at_money *earned, bool *capped)
{
    return credit_earned(env, c, earn, in_scope, i, 8, 1, earned, capped);
}

at_code calc_per_credit(const calc_comp_env *env, int c, calc_credit_earn_fn earn,
                        bool (*in_scope)(const calc_comp_env *env, int c, size_t i),
                        calc_comp_out *out, at_error *err)
{
    (void)err;
    const at_plan_component *comp = &env->plan->components[c];
    memset(out, 0, sizeof *out);
    if (comp->measure < 0)
        return AT_OK;
    /* a session keeps the month's sums (session_sums.c); the explanation needs the credits */
    calc_component_sum *kept = calc_sums_component_of(env, c);
    if (kept && kept->kind == CALC_SUM_PER_CREDIT && !env->text) {
        out->earned = kept->earned;
        out->capped = kept->capped != 0;
        return AT_OK;
    }
    size_t s, e;
    calc_month_credits(env->w, env->person, env->m, &s, &e);
    at_money sum = 0;
    int64_t capped_n = 0;
    int shown = 0, n = 0;
    char d[48];
    for (size_t i = s; i < e; i++) {
        at_money earned;
        bool capped;
        if (!credit_earned(env, c, earn, in_scope, i, shown, n, &earned, &capped))
            continue;
        if (capped) {
            out->capped = true;
            capped_n++;
        }
        if (env->text && shown == 8)
            calc_text_add(env->text, "; ...");
        shown++;
        n++;
        sum += earned;
    }
    if (env->text) {
        if (n == 0)
            calc_text_add(env->text, "no credits this month");
        else
            calc_text_add(env->text, "; %d credit%s, total %s", n, n == 1 ? "" : "s",
                          calc_fmt_money(sum, d));
    }
    out->earned = sum;
    if (kept) {
        kept->kind = CALC_SUM_PER_CREDIT;
        kept->earned = sum;
        kept->capped = capped_n;
        kept->n = n;
        kept->earn = earn;
        kept->in_scope = in_scope;
    }
    return AT_OK;
}
