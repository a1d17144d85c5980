/* component_bonus.c - quota bonuses and MBO/KPI components: a share of the target incentive
 * on a payout curve.
 *
 * target = the assignment's annual target incentive (converted to the plan's currency at the
 * month's last day) x weight, prorated to the window (1/12 for a month, 1/4 for a quarter,
 * 1/2 for a half, all for a year) and, when the plan prorates by days, x days on plan / days
 * of the window. Bonus: x the curve's payout at the measure's attainment for its window (to
 * date). Metric: x the curve's payout at the metric's value for the period of metric_window
 * containing the month. Both are earnings to date of their window: the month's line is that
 * minus what earlier months of the window earned. Computed exactly (128-bit) and rounded
 * half-even to 0.0001 once; the curve's payout is interpolated half-even to 1e-9. */
#include <string.h>

#include "calc/calc_internal.h"

static const char *const WINDOW_TEXT[] = {"month", "quarter to date", "half to date",
                                          "year to date"};
static const char *const PERIOD_TEXT[] = {"month", "quarter", "half", "year"};

/* The target incentive in the plan's currency; false when an exchange rate is missing. */
static bool target_incentive(const calc_comp_env *env, at_money *out)
{
    const calc_ctx *ctx = env->w->ctx;
    const at_calc_assignment *a = &ctx->in->assignments[env->asg];
    *out = a->target_incentive;
    if (a->currency < 0 || (size_t)a->currency >= ctx->in->currency_count ||
        ctx->currency_code[a->currency] == env->plan_cur)
        return true;
    at_rate rate;
    if (!calc_fx_rate(env->w, ctx->currency_code[a->currency], env->plan_cur,
                      ctx->months[env->m].last, &rate))
        return false;
    return calc_muldiv(a->target_incentive, rate, AT_RATE_SCALE, out);
}

/* target x weight x payout / per-year x days on plan / days, rounded once; explains. */
static at_code target_times(const calc_comp_env *env, int c, const at_period *win,
                            at_rate payout, calc_comp_out *out, at_error *err)
{
    const at_plan_component *comp = &env->plan->components[c];
    at_money ti;
    if (!target_incentive(env, &ti)) {
        if (env->text)
            calc_text_add(env->text, "; the target incentive's exchange rate is missing: 0.00");
        return AT_OK;
    }
    int per_year = at_period_kind_per_year(win->kind);
    int wd = at_period_days(win);
    int dop = wd;
    if (env->plan->proration == AT_PRORATE_DAYS)
        dop = calc_days_on_plan(env->w->ctx, env->asg, win->first, win->last);
    calc_i128 num = (calc_i128)ti * comp->weight * payout * dop;
    calc_i128 den = (calc_i128)per_year * wd * AT_RATE_SCALE * AT_RATE_SCALE;
    int64_t etd = 0;
    if (!calc_div(num, den, AT_ROUND_HALF_EVEN, &etd))
        return at_fail(err, AT_ERR_OVERFLOW, env->plan->name, NULL, "component '%s' overflows",
                       comp->id);
    int64_t target = 0;
    calc_div((calc_i128)ti * comp->weight * dop,
             (calc_i128)per_year * wd * AT_RATE_SCALE, AT_ROUND_HALF_EVEN, &target);
    if (env->text) {
        char a[48], b[48], p[48], m[48];
        calc_text_add(env->text, "; target incentive %s x %s", calc_fmt_money(ti, a),
                      calc_fmt_pct(comp->weight, -1, b));
        if (per_year != 1)
            calc_text_add(env->text, " / %d", per_year);
        if (dop != wd)
            calc_text_add(env->text, " x %d/%d days on plan", dop, wd);
        calc_text_add(env->text, " = %s; x payout %s = %s", calc_fmt_money(target, m),
                      calc_fmt_pct(payout, 2, p), calc_fmt_money(etd, a));
    }
    out->is_to_date = true;
    out->to_date = etd;
    out->window = win;
    return AT_OK;
}

at_code calc_component_bonus(const calc_comp_env *env, int c, calc_comp_out *out, at_error *err)
{
    const at_plan_component *comp = &env->plan->components[c];
    memset(out, 0, sizeof *out);
    int j = comp->measure;
    if (j < 0)
        return AT_OK;
    const at_plan_measure *meas = &env->plan->measures[j];
    const calc_measure_state *ms = &env->ms[j];
    const char *mname = meas->name ? meas->name : meas->id;
    if (env->text)
        calc_text_add(env->text, "Bonus on attainment of %s (%s)", mname,
                      WINDOW_TEXT[meas->window]);
    if (!ms->has_quota || ms->quota <= 0) {
        if (env->text)
            calc_text_add(env->text, ": no quota for %s this period, so no attainment: 0.00",
                          meas->quota ? meas->quota : mname);
        return AT_OK;
    }
    at_rate payout = calc_curve(&comp->curve, ms->attainment);
    if (env->text) {
        char v[48], q[48], a[48], p[48];
        calc_text_add(env->text, ": attainment %s / %s (%s) = %s pays %s on the curve",
                      calc_fmt_money(ms->value, v), calc_fmt_money(ms->quota, q),
                      ms->quota_note, calc_fmt_pct(ms->attainment, 2, a),
                      calc_fmt_pct(payout, 2, p));
    }
    return target_times(env, c, ms->window, payout, out, err);
}

at_code calc_component_metric(const calc_comp_env *env, int c, calc_comp_out *out,
                              at_error *err)
{
    const at_plan_component *comp = &env->plan->components[c];
    const calc_ctx *ctx = env->w->ctx;
    memset(out, 0, sizeof *out);
    at_period_kind kind = (at_period_kind)comp->metric_window;
    const at_period *win = calc_month_parent(ctx, env->m, kind);
    const calc_group *g = &ctx->metrics;
    bool found = false;
    int64_t value = 0;
    for (size_t i = g->start[env->person]; i < g->start[env->person + 1]; i++) {
        const at_calc_metric *mt = &ctx->in->metrics[g->idx[i]];
        if (mt->kind != kind || mt->fiscal_year != win->fiscal_year ||
            mt->number != win->number || calc_strcmp(mt->metric, comp->metric) != 0)
            continue;
        if (!found || mt->value > value) /* duplicates: the highest, whatever the order */
            value = mt->value;
        found = true;
    }
    if (env->text)
        calc_text_add(env->text, "Metric %s for %s %s", comp->metric ? comp->metric : "",
                      PERIOD_TEXT[kind], win->label);
    if (!found) {
        if (env->text)
            calc_text_add(env->text, ": no value in the metrics table yet: 0.00");
        return AT_OK;
    }
    at_rate payout = calc_curve(&comp->curve, value);
    if (env->text) {
        char v[48], p[48];
        at_rate_format(value, v, sizeof v);
        calc_text_add(env->text, ": %s pays %s on the curve", v, calc_fmt_pct(payout, 2, p));
    }
    return target_times(env, c, win, payout, out, err);
}
