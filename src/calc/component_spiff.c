/* component_spiff.c - SPIFFs: time-boxed incentives.
 *
 * On products: each counted credit of the measure dated within [from, to] earns the amount
 * per unit of its product x its units plus the product's rate x its value (a product not
 * listed gets the component's defaults, often 0), credit by credit (component_deal.c), so a
 * cancellation reverses what its deal earned. On activities: the payee's activities of the
 * type (meaningful ones only, when the plan says so) dated within [from, to], within the
 * month and the assignment's days, x the amount per activity. */
#include <string.h>

#include "calc/calc_internal.h"

static const char *const ACTIVITY_TYPES[] = {"call", "email", "meeting", "conversation"};

static bool in_window(const calc_comp_env *env, int c, size_t i)
{
    const at_plan_component *comp = &env->plan->components[c];
    at_day d = env->w->credits->date[i];
    return d >= comp->spiff_from && d <= comp->spiff_to;
}

static bool earn_spiff(const calc_comp_env *env, int c, size_t i, at_money value,
                       int64_t units, at_money *out)
{
    at_rate rate = 0;
    at_money per_unit = calc_unit_amount(env, c, i, &rate);
    int64_t a = 0, b = 0;
    if (!calc_muldiv(per_unit, units, AT_MONEY_SCALE, &a) ||
        !calc_muldiv(value, rate, AT_RATE_SCALE, &b))
        return false;
    *out = a + b;
    return true;
}

at_code calc_component_spiff(const calc_comp_env *env, int c, calc_comp_out *out, at_error *err)
{
    const at_plan_component *comp = &env->plan->components[c];
    const calc_ctx *ctx = env->w->ctx;
    char f[AT_DATE_TEXT_MAX], t[AT_DATE_TEXT_MAX];
    at_day_format(comp->spiff_from, f, sizeof f);
    at_day_format(comp->spiff_to, t, sizeof t);
    memset(out, 0, sizeof *out);
    if (!comp->activity_type) {
        if (env->text)
            calc_text_add(env->text, "SPIFF on credits dated %s to %s: ",
                          comp->spiff_from <= AT_DAY_MIN ? "any day" : f,
                          comp->spiff_to >= AT_DAY_MAX ? "any day" : t);
        return calc_per_credit(env, c, earn_spiff, in_window, out, err);
    }
    int type = -1;
    for (int k = 0; k < 4; k++)
        if (strcmp(comp->activity_type, ACTIVITY_TYPES[k]) == 0)
            type = k;
    const at_calc_assignment *a = &ctx->in->assignments[env->asg];
    at_day lo = ctx->months[env->m].first, hi = ctx->months[env->m].last;
    if (comp->spiff_from > lo)
        lo = comp->spiff_from;
    if (a->start > lo)
        lo = a->start;
    if (comp->spiff_to < hi)
        hi = comp->spiff_to;
    if (a->end < hi)
        hi = a->end;
    int64_t n = 0;
    const calc_group *g = &ctx->activities;
    for (size_t i = g->start[env->person]; i < g->start[env->person + 1]; i++) {
        const at_calc_activity *act = &ctx->in->activities[g->idx[i]];
        if (act->day < lo || act->day > hi || act->type != type)
            continue;
        if (comp->activity_meaningful_only && !act->meaningful)
            continue;
        n++;
    }
    int64_t earned = 0;
    if (!calc_muldiv(comp->per_activity, n, 1, &earned))
        return at_fail(err, AT_ERR_OVERFLOW, env->plan->name, NULL, "component '%s' overflows",
                       comp->id);
    out->earned = earned;
    if (env->text) {
        char pa[48], m[48];
        calc_text_add(env->text, "SPIFF on %s%ss dated %s to %s: %lld x %s = %s",
                      comp->activity_meaningful_only ? "meaningful " : "", comp->activity_type,
                      comp->spiff_from <= AT_DAY_MIN ? "any day" : f,
                      comp->spiff_to >= AT_DAY_MAX ? "any day" : t, (long long)n,
                      calc_fmt_money(comp->per_activity, pa), calc_fmt_money(earned, m));
    }
    return AT_OK;
}
