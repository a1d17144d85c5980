/* payee.c - one payee's months: measures, earnings lines, deferrals, draws, adjustments and
 * payouts. Payees are independent once credits exist, so this runs on any thread.
 *
 * Months are computed from the start of the fiscal year of the first month asked for (so
 * that year-to-date windows, per-year caps, deferred pay and year-to-date payouts are whole);
 * only the months asked for are written out. For each month and each plan assignment active
 * in it (the plan version in force on the first day the assignment covers in the month):
 *  - every measure of the plan: month value, window to date, quota, attainment;
 *  - every component in document order: its earnings (component_*.c); a to-date component's
 *    line is its earnings to date minus what earlier months of the window earned (a gated
 *    month earned nothing, so a later month catches up); the gate; the per-period cap (the
 *    line); the per-year cap (the year's lines so far count first); then the line converted
 *    to the pay currency at the rate of the month's last day and rounded once to the pay
 *    currency's minor unit with the plan's rounding mode;
 *  - a quarterly or annual plan defers the month's lines (a negative deferred line) and pays
 *    them in the period's last month (or the assignment's or employment's last month): pay =
 *    earned to date - paid to date;
 *  - a draw: when the assignment's lines for the month are below the draw, the difference is
 *    paid (non-recoverable: forgiven; recoverable: added to the balance owed); above it, a
 *    recoverable balance is recovered from the excess (never taking the month below the
 *    draw); after the draw's months, from anything earned. A balance still owed when the
 *    person leaves is written off.
 * Manual lines (input->manual: approved adjustments) are added to their month after the plans'
 * lines, as adjustment lines in the pay currency: paid in the month, not earned, no draw.
 * Closed months are recomputed and compared with their locked lines: each difference (less
 * what earlier adjustments already corrected) becomes an adjustment line in the first open
 * month computed. A closed month's payout is what was paid (its locked lines). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calc/calc_internal.h"

/* ---- worker ------------------------------------------------------------------------------ */

typedef struct comp_state {
    const char *id;            /* the component's id (matched across plan versions) */
    const at_period *window;   /* the window earlier months' earnings belong to */
    at_money earlier;          /* what the window earned so far (to date) */
    int year;
    at_money year_lines;       /* the year's lines so far (per-year cap) */
} comp_state;

typedef struct asg_state {
    int32_t asg;
    comp_state *comps;
    size_t comp_count, comp_capacity;
    at_money deferred;         /* pay currency, earned but not paid yet */
} asg_state;

typedef struct mv_cell {
    const at_plan *plan;       /* the plan the values were computed under; NULL: not yet */
    at_money *value;
    int64_t *count;
    uint8_t *fx_missing;
} mv_cell;

typedef struct payee_scratch {
    at_arena arena;            /* reset for each payee */
} payee_scratch;

void calc_worker_init(calc_worker *w, const calc_ctx *ctx, const at_calc_credits *credits)
{
    memset(w, 0, sizeof *w);
    w->ctx = ctx;
    w->credits = credits;
    at_arena_init(&w->arena, 256 * 1024);
    payee_scratch *s = calloc(1, sizeof *s);
    if (s)
        at_arena_init(&s->arena, 64 * 1024);
    w->scratch = s;
}

void calc_worker_free(calc_worker *w)
{
    at_arena_free(&w->arena);
    free(w->measures);
    free(w->lines);
    free(w->payouts);
    free(w->problems);
    payee_scratch *s = w->scratch;
    if (s) {
        at_arena_free(&s->arena);
        free(s);
    }
    memset(w, 0, sizeof *w);
}

static bool grow(void **items, size_t *capacity, size_t need, size_t size)
{
    if (need <= *capacity)
        return true;
    size_t cap = *capacity ? *capacity * 2 : 64;
    while (cap < need)
        cap *= 2;
    void *p = realloc(*items, cap * size);
    if (!p)
        return false;
    *items = p;
    *capacity = cap;
    return true;
}

void calc_problem(calc_worker *w, const char *where, const char *hint, const char *fmt, ...)
{
    if (!grow((void **)&w->problems, &w->problem_capacity, w->problem_count + 1,
              sizeof *w->problems))
        return;
    at_error *e = &w->problems[w->problem_count++];
    va_list ap;
    va_start(ap, fmt);
    at_vfail(e, AT_ERR_INVALID, where, hint, fmt, ap);
    va_end(ap);
}

static at_code nomem(at_error *err)
{
    return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory computing payees");
}

static at_calc_line *push_line(calc_worker *w, at_error *err)
{
    if (!grow((void **)&w->lines, &w->line_capacity, w->line_count + 1, sizeof *w->lines)) {
        nomem(err);
        return NULL;
    }
    at_calc_line *l = &w->lines[w->line_count++];
    memset(l, 0, sizeof *l);
    l->adjusts_month = -1;
    l->fx_rate = AT_RATE_SCALE;
    return l;
}

static const char *keep_text(calc_worker *w, const calc_text *t)
{
    return at_arena_strndup(&w->arena, t->buf, t->len);
}

/* ---- helpers ----------------------------------------------------------------------------- */

static comp_state *comp_state_of(at_arena *a, asg_state *s, const char *id)
{
    for (size_t i = 0; i < s->comp_count; i++)
        if (strcmp(s->comps[i].id, id) == 0)
            return &s->comps[i];
    if (s->comp_count == s->comp_capacity) {
        size_t cap = s->comp_capacity ? s->comp_capacity * 2 : 8;
        comp_state *c = at_arena_alloc(a, cap * sizeof *c);
        if (!c)
            return NULL;
        if (s->comp_count)
            memcpy(c, s->comps, s->comp_count * sizeof *c);
        s->comps = c;
        s->comp_capacity = cap;
    }
    comp_state *c = &s->comps[s->comp_count++];
    memset(c, 0, sizeof *c);
    c->id = id;
    c->year = -1;
    return c;
}

/* Rounds plan-currency money x rate to the pay currency's minor unit, once. */
static bool to_pay(at_money v, at_rate rate, const at_currency *cur, at_rounding mode,
                   at_money *out)
{
    int dec = at_currency_decimals(cur);
    int64_t unit = 1;
    for (int i = dec; i < AT_MONEY_DECIMALS; i++)
        unit *= 10;
    int64_t q = 0;
    if (!calc_div((calc_i128)v * rate, (calc_i128)AT_RATE_SCALE * unit, mode, &q))
        return false;
    *out = q * unit;
    return true;
}

static void rounding_text(calc_text *t, at_money before, at_money after, at_rate rate,
                          const char *plan_code, const at_currency *pay, at_day rate_day,
                          at_rounding mode)
{
    char a[48], b[48];
    if (rate != AT_RATE_SCALE) {
        char r[48], d[AT_DATE_TEXT_MAX];
        at_rate_format(rate, r, sizeof r);
        at_day_format(rate_day, d, sizeof d);
        calc_text_add(t, "; %s %s x %s %s per %s (rate of %s)", calc_fmt_money(before, a),
                      plan_code, r, pay->code, plan_code, d);
    }
    calc_text_add(t, "; rounded %s to %s %s", at_rounding_name(mode), calc_fmt_money(after, b),
                  pay->code);
}

/* ---- one assignment's month -------------------------------------------------------------- */

typedef struct payee_run {
    calc_worker *w;
    const calc_ctx *ctx;
    int32_t person;
    uint32_t pay_cur;
    const at_currency *pay_currency;
    asg_state *states;
    size_t asg_count;
    int32_t n_months;
    mv_cell *mv;               /* [k * n_months + (m - m_start)] */
    size_t max_measures;
    at_money balance;          /* recoverable draw owed */
    at_arena *scratch;
} payee_run;

static mv_cell *mv_get(payee_run *r, size_t k, int32_t m, const calc_plan_info *pi,
                       uint32_t plan_cur, at_error *err)
{
    mv_cell *cell = &r->mv[k * (size_t)r->n_months + (size_t)(m - r->ctx->m_start)];
    if (cell->plan == pi->plan)
        return cell;
    size_t n = pi->plan->measure_count;
    if (!cell->value || n > r->max_measures) {
        cell->value = at_arena_calloc(r->scratch, n + 1, sizeof *cell->value);
        cell->count = at_arena_calloc(r->scratch, n + 1, sizeof *cell->count);
        cell->fx_missing = at_arena_calloc(r->scratch, n + 1, 1);
        if (!cell->value || !cell->count || !cell->fx_missing) {
            nomem(err);
            return NULL;
        }
    }
    /* a session keeps the month's sums (session_sums.c): read them, or scan and keep them */
    calc_sums_cell *sums = calc_sums_cell_of(r->ctx, r->states[k].asg, m, pi, plan_cur);
    for (size_t j = 0; j < n; j++) {
        int64_t missing;
        if (sums && sums->measures_valid) {
            cell->value[j] = sums->measures[j].value;
            cell->count[j] = sums->measures[j].count;
            missing = sums->measures[j].missing;
        } else {
            calc_measure_month(r->w, pi, (int)j, r->states[k].asg, r->person, m, plan_cur,
                               &cell->value[j], &cell->count[j], &missing);
            if (sums)
                sums->measures[j] = (calc_measure_sum){cell->value[j], cell->count[j], missing};
        }
        cell->fx_missing[j] = missing != 0;
    }
    if (sums)
        sums->measures_valid = true;
    cell->plan = pi->plan;
    return cell;
}

static at_code assignment_month(payee_run *r, size_t k, int32_t m, int pidx, bool emit,
                                at_money *month_earned, at_money *month_amount, at_error *err)
{
    calc_worker *w = r->w;
    const calc_ctx *ctx = r->ctx;
    asg_state *st = &r->states[k];
    const at_calc_assignment *a = &ctx->in->assignments[st->asg];
    const calc_plan_info *pi = &ctx->plans[pidx];
    const at_plan *plan = pi->plan;
    const at_period *month = &ctx->months[m];
    uint32_t plan_cur = plan->currency ? calc_pack_code(plan->currency) : r->pay_cur;
    char plan_code[4];
    calc_unpack_code(plan_cur, plan_code);
    bool explain = emit && ctx->explain;
    char where[160];
    snprintf(where, sizeof where, "%s / %s / %s", ctx->in->people[r->person].id, plan->name,
             month->label);

    /* measures */
    size_t nm = plan->measure_count;
    calc_measure_state *ms = at_arena_calloc(r->scratch, nm + 1, sizeof *ms);
    if (!ms)
        return nomem(err);
    for (size_t j = 0; j < nm; j++) {
        const at_plan_measure *meas = &plan->measures[j];
        calc_measure_state *s = &ms[j];
        s->window = calc_month_parent(ctx, m, (at_period_kind)meas->window);
        int32_t wf = calc_day_month(ctx, s->window->first);
        if (wf < 0)
            wf = 0;
        s->window_first = wf;
        for (int32_t mm = wf; mm <= m; mm++) {
            at_money v;
            int64_t n;
            int64_t missing;
            if (mm >= ctx->m_start) {
                mv_cell *cell = mv_get(r, k, mm, pi, plan_cur, err);
                if (!cell)
                    return AT_ERR_NOMEM;
                v = cell->value[j];
                n = cell->count[j];
                missing = cell->fx_missing[j];
            } else {
                calc_measure_month(w, pi, (int)j, st->asg, r->person, mm, plan_cur, &v, &n,
                                   &missing);
            }
            s->value += v;
            s->count += n;
            s->fx_missing |= missing != 0;
            if (mm == m)
                s->month_value = v;
        }
        s->prior = s->value - s->month_value;
        calc_measure_quota(w, pi, (int)j, st->asg, m, plan_cur, s);
        if (emit && s->fx_missing)
            calc_problem(w, where, "add the rate to " AT_FX_FILE,
                         "an exchange rate into %s is missing for a credit of measure '%s'; "
                         "the credit counts 0",
                         plan_code, meas->id);
        if (emit) {
            if (!grow((void **)&w->measures, &w->measure_capacity, w->measure_count + 1,
                      sizeof *w->measures))
                return nomem(err);
            w->measures[w->measure_count++] = (at_calc_measure_value){
                .person = r->person,
                .month = m,
                .assignment = st->asg,
                .plan = plan,
                .measure = (int16_t)j,
                .month_value = s->month_value,
                .value = s->value,
                .credit_count = s->count,
                .has_quota = s->has_quota,
                .quota = s->quota,
                .attainment = s->attainment,
            };
        }
    }

    /* components */
    size_t nc = plan->component_count;
    at_money *earned_c = at_arena_calloc(r->scratch, nc + 1, sizeof *earned_c);
    int64_t *slots = at_arena_calloc(r->scratch, plan->slot_count + 1, sizeof *slots);
    if (!earned_c || !slots)
        return nomem(err);
    calc_text text;
    calc_comp_env env = {
        .w = w, .person = r->person, .m = m, .asg = st->asg, .pi = pi, .plan = plan,
        .plan_cur = plan_cur, .ms = ms, .slots = slots, .text = explain ? &text : NULL,
    };
    if (plan->slot_count)
        calc_formula_slots(&env, earned_c, slots);
    at_rate fx = AT_RATE_SCALE;
    bool fx_ok = calc_fx_rate(w, plan_cur, r->pay_cur, month->last, &fx);
    if (!fx_ok && emit)
        calc_problem(w, where, "add the rate to " AT_FX_FILE,
                     "no exchange rate %s -> %s on the month's last day; the plan's lines "
                     "pay 0",
                     plan_code, r->pay_currency->code);
    at_money asg_amount = 0;
    for (size_t c = 0; c < nc; c++) {
        const at_plan_component *comp = &plan->components[c];
        calc_text_reset(&text);
        calc_comp_out out;
        at_code rc;
        switch (comp->kind) {
        case AT_COMPONENT_RATE: rc = calc_component_rate(&env, (int)c, &out, err); break;
        case AT_COMPONENT_PER_UNIT: rc = calc_component_per_unit(&env, (int)c, &out, err); break;
        case AT_COMPONENT_TIERS: rc = calc_component_tiers(&env, (int)c, &out, err); break;
        case AT_COMPONENT_BONUS: rc = calc_component_bonus(&env, (int)c, &out, err); break;
        case AT_COMPONENT_METRIC: rc = calc_component_metric(&env, (int)c, &out, err); break;
        case AT_COMPONENT_SPIFF: rc = calc_component_spiff(&env, (int)c, &out, err); break;
        case AT_COMPONENT_FORMULA: rc = calc_component_formula(&env, (int)c, &out, err); break;
        default:
            rc = at_fail(err, AT_ERR_INVALID, plan->name, NULL, "unknown component kind %d",
                         (int)comp->kind);
        }
        if (rc != AT_OK)
            return rc;
        if (emit && comp->measure >= 0 && ms[comp->measure].quota_missing &&
            (comp->kind == AT_COMPONENT_BONUS ||
             (comp->kind == AT_COMPONENT_TIERS && comp->tier_basis == AT_TIER_ON_ATTAINMENT)))
            calc_problem(w, where, "add a row to quotas.csv for the payee, the measure's quota "
                                   "and the period",
                         "no quota '%s' for %s: component '%s' needs attainment and pays 0",
                         plan->measures[comp->measure].quota, ms[comp->measure].window->label,
                         comp->id);
        comp_state *cs = comp_state_of(r->scratch, st, comp->id);
        if (!cs)
            return nomem(err);
        const at_period *win = out.is_to_date ? out.window
                               : comp->measure >= 0 ? ms[comp->measure].window
                                                    : month;
        if (cs->window != win) {
            cs->window = win;
            cs->earlier = 0;
        }
        bool open = true;
        if ((rc = calc_gate(&env, (int)c, &open, err)) != AT_OK)
            return rc;
        at_money earned = out.is_to_date ? out.to_date - cs->earlier : out.earned;
        if (out.is_to_date && explain && cs->earlier != 0) {
            char ta[48], tb[48], td[48];
            calc_text_add(&text, "; earned to date %s - earlier months %s = %s",
                          calc_fmt_money(out.to_date, ta), calc_fmt_money(cs->earlier, tb),
                          calc_fmt_money(earned, td));
        }
        if (!open) {
            earned = 0;
        } else {
            cs->earlier = out.is_to_date ? out.to_date : cs->earlier + earned;
        }
        bool capped = out.capped;
        if (comp->caps.has_per_period && earned > comp->caps.per_period) {
            if (explain) {
                char ca[48], cb[48];
                calc_text_add(&text, "; capped at %s a month (was %s)",
                              calc_fmt_money(comp->caps.per_period, ca),
                              calc_fmt_money(earned, cb));
            }
            earned = comp->caps.per_period;
            capped = true;
        }
        if (cs->year != month->fiscal_year) {
            cs->year = month->fiscal_year;
            cs->year_lines = 0;
        }
        if (comp->caps.has_per_year && cs->year_lines + earned > comp->caps.per_year) {
            at_money room = comp->caps.per_year - cs->year_lines;
            if (explain) {
                char ca[48], cb[48], cd[48];
                calc_text_add(&text, "; capped at %s a year (%s paid earlier this year, "
                                     "room %s)",
                              calc_fmt_money(comp->caps.per_year, ca),
                              calc_fmt_money(cs->year_lines, cb), calc_fmt_money(room, cd));
            }
            earned = room;
            capped = true;
        }
        cs->year_lines += earned;
        earned_c[c] = earned;
        for (size_t s = 0; s < plan->slot_count; s++)
            if (plan->slots[s].kind == AT_SLOT_COMPONENT && plan->slots[s].index == (int)c)
                slots[s] = earned;
        at_money amount = 0;
        if (fx_ok && !to_pay(earned, fx, r->pay_currency, plan->rounding, &amount))
            return at_fail(err, AT_ERR_OVERFLOW, where, NULL,
                           "component '%s' overflows in the pay currency", comp->id);
        if (explain) {
            if (fx_ok)
                rounding_text(&text, earned, amount, fx, plan_code, r->pay_currency,
                              month->last, plan->rounding);
            else
                calc_text_add(&text, "; no exchange rate %s -> %s: paid 0", plan_code,
                              r->pay_currency->code);
        }
        at_calc_line *l = push_line(w, err);
        if (!l)
            return AT_ERR_NOMEM;
        l->person = r->person;
        l->month = m;
        l->assignment = st->asg;
        l->plan = plan;
        l->component = (int16_t)c;
        l->kind = AT_LINE_COMPONENT;
        l->key = pi->component_keys[c];
        l->earned_to_date = out.is_to_date ? out.to_date : cs->earlier;
        l->earned = earned;
        l->amount = amount;
        l->fx_rate = fx;
        l->gated = !open;
        l->capped = capped;
        l->explain = explain ? keep_text(w, &text) : NULL;
        if (explain && !l->explain)
            return nomem(err);
        asg_amount += amount;
        *month_earned += amount;
    }

    /* frequency: quarterly and annual plans pay in the period's last month */
    const at_calc_person *person = &ctx->in->people[r->person];
    if (plan->frequency != AT_PAY_MONTHLY) {
        at_period_kind pk = plan->frequency == AT_PAY_QUARTERLY ? AT_PERIOD_QUARTER : AT_PERIOD_YEAR;
        const at_period *pp = calc_month_parent(ctx, m, pk);
        bool paying = pp->last == month->last || a->end <= month->last ||
                      person->exit <= month->last;
        at_money amt;
        if (paying) {
            amt = st->deferred;
            st->deferred = 0;
        } else {
            amt = -asg_amount;
            st->deferred += asg_amount;
        }
        if (amt != 0) {
            at_calc_line *l = push_line(w, err);
            if (!l)
                return AT_ERR_NOMEM;
            l->person = r->person;
            l->month = m;
            l->assignment = st->asg;
            l->plan = plan;
            l->component = -1;
            l->kind = AT_LINE_DEFERRED;
            l->key = pi->deferred_key;
            l->amount = amt;
            if (explain) {
                char x[48];
                calc_text_reset(&text);
                if (paying)
                    calc_text_add(&text, "%s plan: pays in %s what earlier months of %s "
                                         "earned and deferred: %s %s (earned to date - paid "
                                         "to date)",
                                  pk == AT_PERIOD_QUARTER ? "Quarterly" : "Annual", month->label,
                                  pp->label, calc_fmt_money(amt, x), r->pay_currency->code);
                else
                    calc_text_add(&text, "%s plan: this month's %s %s is paid in %s",
                                  pk == AT_PERIOD_QUARTER ? "Quarterly" : "Annual",
                                  calc_fmt_money(-amt, x), r->pay_currency->code, pp->label);
                l->explain = keep_text(w, &text);
            }
            asg_amount += amt;
        }
    }

    /* the draw */
    if (plan->draw.present) {
        int32_t start_m = calc_day_month(ctx, a->start);
        bool active = plan->draw.months == 0 ||
                      (start_m >= 0 && m - start_m < plan->draw.months && m >= start_m);
        at_money draw = 0;
        if (fx_ok && !to_pay(plan->draw.amount, fx, r->pay_currency, plan->rounding, &draw))
            return at_fail(err, AT_ERR_OVERFLOW, where, NULL, "the draw overflows");
        char x[48], y[48], z[48];
        if (active && asg_amount < draw) {
            at_money paid = draw - asg_amount;
            at_calc_line *l = push_line(w, err);
            if (!l)
                return AT_ERR_NOMEM;
            l->person = r->person;
            l->month = m;
            l->assignment = st->asg;
            l->plan = plan;
            l->component = -1;
            l->kind = AT_LINE_DRAW;
            l->key = pi->draw_key;
            l->amount = paid;
            if (plan->draw.recoverable)
                r->balance += paid;
            if (explain) {
                calc_text_reset(&text);
                calc_text_add(&text, "%s draw of %s: earned %s, draw pays %s",
                              plan->draw.recoverable ? "Recoverable" : "Non-recoverable",
                              calc_fmt_money(draw, x), calc_fmt_money(asg_amount, y),
                              calc_fmt_money(paid, z));
                if (plan->draw.recoverable)
                    calc_text_add(&text, "; balance owed %s", calc_fmt_money(r->balance, x));
                else
                    calc_text_add(&text, " (forgiven)");
                l->explain = keep_text(w, &text);
            }
            asg_amount += paid;
        } else if (plan->draw.recoverable && r->balance > 0) {
            at_money room = active ? asg_amount - draw : asg_amount;
            at_money rec = room < r->balance ? room : r->balance;
            if (rec > 0) {
                at_calc_line *l = push_line(w, err);
                if (!l)
                    return AT_ERR_NOMEM;
                l->person = r->person;
                l->month = m;
                l->assignment = st->asg;
                l->plan = plan;
                l->component = -1;
                l->kind = AT_LINE_DRAW_RECOVERY;
                l->key = pi->recovery_key;
                l->amount = -rec;
                r->balance -= rec;
                if (explain) {
                    calc_text_reset(&text);
                    calc_text_add(&text, "Recovers %s of the draw balance from earnings of %s",
                                  calc_fmt_money(rec, x), calc_fmt_money(asg_amount, y));
                    if (active)
                        calc_text_add(&text, " above the draw of %s", calc_fmt_money(draw, z));
                    calc_text_add(&text, "; balance owed %s", calc_fmt_money(r->balance, x));
                    l->explain = keep_text(w, &text);
                }
                asg_amount -= rec;
            }
        }
    }
    *month_amount += asg_amount;
    return AT_OK;
}

/* ---- adjustments ------------------------------------------------------------------------- */

static int line_key_cmp(const at_calc_line *lines, size_t a, size_t b)
{
    return calc_strcmp(lines[a].key, lines[b].key);
}

/* What locked adjustment lines already corrected of key in closed month c. */
static at_money already_adjusted(const calc_ctx *ctx, int32_t person, const char *key,
                                 const char *label)
{
    const calc_group *g = &ctx->locked;
    size_t kl = strlen(key), ll = strlen(label);
    at_money sum = 0;
    for (size_t i = g->start[person]; i < g->start[person + 1]; i++) {
        const char *k = ctx->in->locked[g->idx[i]].key;
        if (!k || strncmp(k, "adjust/", 7) != 0)
            continue;
        size_t n = strlen(k);
        if (n == 7 + kl + 1 + ll && strncmp(k + 7, key, kl) == 0 && k[7 + kl] == '/' &&
            strcmp(k + 8 + kl, label) == 0)
            sum += ctx->in->locked[g->idx[i]].amount;
    }
    return sum;
}

static at_code adjustments(payee_run *r, size_t *line_begin, size_t *line_end,
                           at_money *month_amount, at_error *err)
{
    calc_worker *w = r->w;
    const calc_ctx *ctx = r->ctx;
    int32_t open_m = -1;
    bool any_closed = false;
    for (int32_t m = ctx->m_first; m <= ctx->m_last; m++) {
        if (!ctx->closed[m] && open_m < 0)
            open_m = m;
        any_closed |= ctx->closed[m];
    }
    if (!any_closed)
        return AT_OK;
    size_t first_new = w->line_count;
    const calc_group *g = &ctx->locked;
    for (int32_t m = ctx->m_first; m <= ctx->m_last; m++) {
        if (!ctx->closed[m])
            continue;
        size_t o = (size_t)(m - ctx->m_start);
        size_t lb = line_begin[o], le = line_end[o];
        size_t n = le - lb;
        size_t *ord = at_arena_alloc(r->scratch, (n + 1) * sizeof *ord);
        if (!ord)
            return nomem(err);
        for (size_t i = 0; i < n; i++) {
            size_t x = lb + i, j = i;
            while (j > 0 && line_key_cmp(w->lines, ord[j - 1], x) > 0) {
                ord[j] = ord[j - 1];
                j--;
            }
            ord[j] = x;
        }
        /* locked lines of month m, sorted by key (the group is sorted by month, key) */
        size_t ls = g->start[r->person], lend = g->start[r->person + 1];
        while (ls < lend && ctx->in->locked[g->idx[ls]].month < m)
            ls++;
        size_t lx = ls;
        while (lx < lend && ctx->in->locked[g->idx[lx]].month == m)
            lx++;
        size_t i = 0, k = ls;
        while (i < n || k < lx) {
            const at_calc_locked_line *lk = k < lx ? &ctx->in->locked[g->idx[k]] : NULL;
            if (lk && lk->key && strncmp(lk->key, "adjust/", 7) == 0) {
                k++;
                continue;
            }
            const char *key;
            at_money rec = 0, paid = 0;
            const at_calc_line *src = NULL;
            int c = i < n && lk ? calc_strcmp(w->lines[ord[i]].key, lk->key) : (i < n ? -1 : 1);
            if (c <= 0) {
                src = &w->lines[ord[i]];
                key = src->key;
                /* lines of one key in a month (two assignments of one plan) add up */
                while (i < n && calc_strcmp(w->lines[ord[i]].key, key) == 0)
                    rec += w->lines[ord[i++]].amount;
            } else {
                key = lk->key;
            }
            while (k < lx && calc_strcmp(ctx->in->locked[g->idx[k]].key, key) == 0)
                paid += ctx->in->locked[g->idx[k++]].amount;
            at_money diff = rec - paid - already_adjusted(ctx, r->person, key,
                                                          ctx->months[m].label);
            if (diff == 0)
                continue;
            if (open_m < 0) {
                calc_problem(w, ctx->in->people[r->person].id,
                             "open a later month and compute it to pay the difference",
                             "closed month %s changed (%s) but no open month is computed",
                             ctx->months[m].label, key);
                continue;
            }
            at_calc_line *l = push_line(w, err);
            if (!l)
                return AT_ERR_NOMEM;
            l->person = r->person;
            l->month = open_m;
            l->assignment = src ? src->assignment : -1;
            l->plan = src ? src->plan : NULL;
            l->component = -1;
            l->kind = AT_LINE_ADJUSTMENT;
            l->key = at_arena_printf(&w->arena, "adjust/%s/%s", key, ctx->months[m].label);
            l->amount = diff;
            l->adjusts_month = m;
            if (!l->key)
                return nomem(err);
            if (ctx->explain) {
                char a[48], b[48], d[48];
                l->explain = at_arena_printf(
                    &w->arena,
                    "Adjustment for closed month %s, %s: recomputed %s, paid %s: %s%s "
                    "(data that changed after the month closed)",
                    ctx->months[m].label, key, calc_fmt_money(rec, a), calc_fmt_money(paid, b),
                    diff > 0 ? "+" : "", calc_fmt_money(diff, d));
            }
            month_amount[open_m - ctx->m_start] += diff;
        }
    }
    size_t added = w->line_count - first_new;
    if (added == 0)
        return AT_OK;
    /* move the adjustment lines to the end of the open month's lines */
    size_t at = line_end[open_m - ctx->m_start];
    size_t tail = first_new - at;
    if (tail > 0) {
        at_calc_line *tmp = at_arena_alloc(r->scratch, added * sizeof *tmp);
        if (!tmp)
            return nomem(err);
        memcpy(tmp, w->lines + first_new, added * sizeof *tmp);
        memmove(w->lines + at + added, w->lines + at, tail * sizeof *tmp);
        memcpy(w->lines + at, tmp, added * sizeof *tmp);
    }
    return AT_OK;
}

/* ---- manual lines ------------------------------------------------------------------------ */

/* The person's manual lines (approved adjustments) of the months computed, by month then key,
 * into scratch. Manual lines are few (people type them), so a scan of all of them per payee
 * costs less than an index. */
static size_t manual_of(const calc_ctx *ctx, int32_t person, at_arena *scratch,
                        const at_calc_manual_line ***out, at_error *err, at_code *rc)
{
    const at_calc_input *in = ctx->in;
    *out = NULL;
    *rc = AT_OK;
    size_t n = 0;
    for (size_t i = 0; i < in->manual_count; i++)
        n += in->manual[i].person == person && in->manual[i].month >= ctx->m_start &&
             in->manual[i].month <= ctx->m_last;
    if (n == 0)
        return 0;
    const at_calc_manual_line **v = at_arena_alloc(scratch, n * sizeof *v);
    if (!v) {
        *rc = nomem(err);
        return 0;
    }
    size_t k = 0;
    for (size_t i = 0; i < in->manual_count; i++) {
        const at_calc_manual_line *x = &in->manual[i];
        if (x->person != person || x->month < ctx->m_start || x->month > ctx->m_last)
            continue;
        size_t j = k++;
        while (j > 0 && (v[j - 1]->month > x->month ||
                         (v[j - 1]->month == x->month && calc_strcmp(v[j - 1]->key, x->key) > 0))) {
            v[j] = v[j - 1];
            j--;
        }
        v[j] = x;
    }
    *out = v;
    return n;
}

/* Adds month m's manual lines (from *next on) as adjustment lines; their amounts to
 * *month_amount. */
static at_code manual_lines(payee_run *r, int32_t m, const at_calc_manual_line *const *man,
                            size_t count, size_t *next, at_money *month_amount, at_error *err)
{
    calc_worker *w = r->w;
    while (*next < count && man[*next]->month < m)
        (*next)++;
    for (; *next < count && man[*next]->month == m; (*next)++) {
        const at_calc_manual_line *x = man[*next];
        at_calc_line *l = push_line(w, err);
        if (!l)
            return AT_ERR_NOMEM;
        l->person = r->person;
        l->month = m;
        l->assignment = -1;
        l->plan = NULL;
        l->component = -1;
        l->kind = AT_LINE_ADJUSTMENT;
        l->key = at_arena_strdup(&w->arena, x->key ? x->key : "manual");
        l->earned_to_date = x->amount;
        l->earned = x->amount;
        l->amount = x->amount;
        if (r->ctx->explain && x->explain)
            l->explain = at_arena_strdup(&w->arena, x->explain);
        if (!l->key || (r->ctx->explain && x->explain && !l->explain))
            return nomem(err);
        *month_amount += x->amount;
    }
    return AT_OK;
}

/* ---- the payee --------------------------------------------------------------------------- */

at_code calc_payee(calc_worker *w, int32_t person, at_error *err)
{
    const calc_ctx *ctx = w->ctx;
    const at_calc_input *in = ctx->in;
    payee_scratch *ps = w->scratch;
    if (!ps)
        return nomem(err);
    at_arena_reset(&ps->arena);
    const at_calc_person *P = &in->people[person];
    const calc_group *g = &ctx->assignments;
    size_t K = g->start[person + 1] - g->start[person];
    size_t cs = w->credits->person_start[person], ce = calc_person_end(w->credits, person);
    if (K == 0) {
        for (size_t i = 0; i < in->manual_count; i++)
            if (in->manual[i].person == person && in->manual[i].month >= ctx->m_first &&
                in->manual[i].month <= ctx->m_last) {
                calc_problem(w, P->id, "assign a plan (plan_assignments.csv) to pay it",
                             "%s has a manual adjustment (%s) in %s but no plan assignment: "
                             "not paid",
                             P->name ? P->name : P->id, in->manual[i].key ? in->manual[i].key : "",
                             ctx->months[in->manual[i].month].label);
                break;
            }
        /* credits in the months asked for, but no plan: a problem when the person was
           credited as a seller (owner, split, overlay, sdr, named manager, territory). Roll-up
           credits alone are expected: they reach everyone above a seller in the reporting
           lines, executives on no plan included (a CEO), and pay only through a plan. A
           session counts them per month (session_sums.c): a CEO's millions of roll-ups are
           not read again for each late deal. */
        int32_t seller_m = -1;
        if (!calc_sums_first_seller_month(w, person, &seller_m))
            for (size_t i = cs; i < ce; i++)
                if (w->credits->month[i] >= ctx->m_first && w->credits->month[i] <= ctx->m_last &&
                    w->credits->kind[i] != AT_CREDIT_ROLLUP) {
                    seller_m = w->credits->month[i];
                    break;
                }
        if (seller_m >= 0)
            calc_problem(w, P->id, "assign a plan (plan_assignments.csv) to pay them",
                         "%s has credits from %s on but no plan assignment",
                         P->name ? P->name : P->id, ctx->months[seller_m].label);
        return AT_OK;
    }
    if (P->pay_currency < 0 || (size_t)P->pay_currency >= in->currency_count) {
        calc_problem(w, P->id, "give the person a pay currency (people.csv)",
                     "%s has no pay currency; not computed", P->id);
        return AT_OK;
    }
    payee_run r = {
        .w = w, .ctx = ctx, .person = person,
        .pay_cur = ctx->currency_code[P->pay_currency],
        .pay_currency = ctx->currency[P->pay_currency],
        .asg_count = K,
        .n_months = ctx->m_last - ctx->m_start + 1,
        .balance = in->draw_balance_before ? in->draw_balance_before[person] : 0,
        .scratch = &ps->arena,
    };
    size_t nmo = (size_t)r.n_months;
    r.states = at_arena_calloc(&ps->arena, K, sizeof *r.states);
    r.mv = at_arena_calloc(&ps->arena, K * nmo, sizeof *r.mv);
    at_money *m_earned = at_arena_calloc(&ps->arena, nmo, sizeof *m_earned);
    at_money *m_amount = at_arena_calloc(&ps->arena, nmo, sizeof *m_amount);
    at_money *m_balance = at_arena_calloc(&ps->arena, nmo, sizeof *m_balance);
    bool *m_active = at_arena_calloc(&ps->arena, nmo, sizeof *m_active);
    size_t *l_begin = at_arena_calloc(&ps->arena, nmo, sizeof *l_begin);
    size_t *l_end = at_arena_calloc(&ps->arena, nmo, sizeof *l_end);
    if (!r.states || !r.mv || !m_earned || !m_amount || !m_balance || !m_active || !l_begin ||
        !l_end)
        return nomem(err);
    for (size_t k = 0; k < K; k++)
        r.states[k].asg = g->idx[g->start[person] + k];
    at_code mrc;
    const at_calc_manual_line **man = NULL;
    size_t man_count = manual_of(ctx, person, &ps->arena, &man, err, &mrc), man_next = 0;
    if (mrc != AT_OK)
        return mrc;
    size_t measure0 = w->measure_count, line0 = w->line_count;
    for (int32_t m = ctx->m_start; m <= ctx->m_last; m++) {
        size_t o = (size_t)(m - ctx->m_start);
        bool emit = m >= ctx->m_first;
        const at_period *month = &ctx->months[m];
        l_begin[o] = w->line_count;
        for (size_t k = 0; k < K; k++) {
            const at_calc_assignment *a = &in->assignments[r.states[k].asg];
            if (a->start > month->last || a->end < month->first)
                continue;
            at_day day0 = a->start > month->first ? a->start : month->first;
            bool named;
            int pidx = calc_plan_version(ctx, a->plan, day0, &named);
            if (pidx < 0) {
                if (!named)
                    return at_fail(err, AT_ERR_NOT_FOUND, a->id ? a->id : "plan assignment",
                                   "load the plan (attain plan load) or fix the assignment's "
                                   "plan name",
                                   "assignment '%s' of %s names plan '%s', which is not loaded",
                                   a->id ? a->id : "", P->id, a->plan ? a->plan : "");
                if (emit)
                    calc_problem(w, a->id ? a->id : P->id,
                                 "load a version of the plan in force then, or end the "
                                 "assignment",
                                 "no version of plan '%s' is in force on %s (%s)", a->plan,
                                 month->label, P->id);
                continue;
            }
            m_active[o] = true;
            at_code c = assignment_month(&r, k, m, pidx, emit, &m_earned[o], &m_amount[o], err);
            if (c != AT_OK)
                return c;
        }
        if (man_count) {
            at_code c = manual_lines(&r, m, man, man_count, &man_next, &m_amount[o], err);
            if (c != AT_OK)
                return c;
        }
        if (P->exit <= month->last && P->exit >= month->first && r.balance > 0)
            r.balance = 0; /* written off when the person leaves */
        m_balance[o] = r.balance;
        if (!emit)
            w->line_count = l_begin[o]; /* months before those asked for are not written */
        l_end[o] = w->line_count;
    }
    (void)measure0;
    at_code c = adjustments(&r, l_begin, l_end, m_amount, err);
    if (c != AT_OK)
        return c;
    (void)line0;

    /* payouts */
    at_money earned_ytd = 0, paid_ytd = 0;
    const calc_group *lg = &ctx->locked;
    for (int32_t m = ctx->m_start; m <= ctx->m_last; m++) {
        size_t o = (size_t)(m - ctx->m_start);
        const at_period *month = &ctx->months[m];
        if (month->number == 1) {
            earned_ytd = 0;
            paid_ytd = 0;
        }
        at_money amount = m_amount[o];
        if (ctx->closed[m] && m >= ctx->m_first) {
            amount = 0;
            for (size_t i = lg->start[person]; i < lg->start[person + 1]; i++)
                if (in->locked[lg->idx[i]].month == m)
                    amount += in->locked[lg->idx[i]].amount;
        }
        earned_ytd += m_earned[o];
        paid_ytd += amount;
        if (m < ctx->m_first || (!m_active[o] && amount == 0))
            continue;
        if (!grow((void **)&w->payouts, &w->payout_capacity, w->payout_count + 1,
                  sizeof *w->payouts))
            return nomem(err);
        w->payouts[w->payout_count++] = (at_calc_payout){
            .person = person,
            .month = m,
            .currency = P->pay_currency,
            .earned = m_earned[o],
            .amount = amount,
            .earned_ytd = earned_ytd,
            .paid_ytd = paid_ytd,
            .draw_balance = m_balance[o],
        };
    }
    return AT_OK;
}
