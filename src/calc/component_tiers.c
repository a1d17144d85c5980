/* component_tiers.c - rate tables (tiers.c does the arithmetic).
 *
 * Scope period: the table applies to the measure's window to date (the month, or the quarter,
 * half or year so far); the month's line is earnings to date minus what earlier months of the
 * window earned (the payee loop subtracts). Scope transaction: each counted credit on its own
 * (tiers restart at 0 for every credit), credit by credit (component_deal.c). Attainment
 * tables need the measure's quota: without one the line is 0 and says so. */
#include <string.h>

#include "calc/calc_internal.h"

static const char *const WINDOW_TEXT[] = {"month", "quarter to date", "half to date",
                                          "year to date"};

static bool earn_tiers(const calc_comp_env *env, int c, size_t i, at_money value,
                       int64_t units, at_money *out)
{
    (void)i;
    (void)units;
    const at_plan_component *comp = &env->plan->components[c];
    at_money quota = env->ms[comp->measure].quota;
    if (comp->tier_basis == AT_TIER_ON_ATTAINMENT && quota <= 0) {
        *out = 0;
        return true;
    }
    calc_i128 v = calc_tiers_apply(comp, value, quota, NULL);
    return calc_div(v, (calc_i128)AT_RATE_SCALE * AT_RATE_SCALE, AT_ROUND_HALF_EVEN, out);
}

at_code calc_component_tiers(const calc_comp_env *env, int c, calc_comp_out *out, at_error *err)
{
    const at_plan_component *comp = &env->plan->components[c];
    memset(out, 0, sizeof *out);
    int j = comp->measure;
    if (j < 0)
        return AT_OK;
    const at_plan_measure *meas = &env->plan->measures[j];
    const calc_measure_state *ms = &env->ms[j];
    const char *mname = meas->name ? meas->name : meas->id;
    bool att = comp->tier_basis == AT_TIER_ON_ATTAINMENT;
    if (env->text)
        calc_text_add(env->text, "%s tiers on %s%s", 
                      comp->method == AT_TIERS_MARGINAL ? "Marginal" : "Retroactive",
                      att ? "attainment of " : "", mname);
    if (att && (!ms->has_quota || ms->quota <= 0)) {
        if (env->text)
            calc_text_add(env->text, ": no quota for %s this period, so no attainment: 0.00",
                          meas->quota ? meas->quota : mname);
        return AT_OK;
    }
    if (comp->scope == AT_TIERS_ON_TRANSACTION) {
        if (env->text)
            calc_text_add(env->text, ", each credit on its own: ");
        return calc_per_credit(env, c, earn_tiers, NULL, out, err);
    }
    if (env->text) {
        char v[48];
        calc_text_add(env->text, " (%s, %s): ", WINDOW_TEXT[meas->window],
                      calc_fmt_money(ms->value, v));
        if (att) {
            char q[48], a[48];
            calc_text_add(env->text, "attainment %s / %s (%s) = %s; ", v,
                          calc_fmt_money(ms->quota, q), ms->quota_note,
                          calc_fmt_pct(ms->attainment, 2, a));
        }
    }
    calc_i128 v = calc_tiers_apply(comp, ms->value, ms->quota, env->text);
    int64_t etd = 0;
    if (!calc_div(v, (calc_i128)AT_RATE_SCALE * AT_RATE_SCALE, AT_ROUND_HALF_EVEN, &etd))
        return at_fail(err, AT_ERR_OVERFLOW, env->plan->name, NULL, "component '%s' overflows",
                       comp->id);
    out->is_to_date = true;
    out->to_date = etd;
    out->window = ms->window;
    return AT_OK;
}
