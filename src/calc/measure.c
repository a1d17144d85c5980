/* measure.c - measures: which credits count toward a measure, what each counts for in the
 * plan's currency, and the quota and attainment of the measure's window.
 *
 * A credit counts toward a measure of a plan assignment when: its kind is one the measure
 * lists (a roll-up within rollup_levels, a territory credit of a listed coverage role); its
 * basis (the type of its transaction, or of a cancellation's original) is the measure's; its
 * product (a cancellation's original's, when the cancellation names none) passes the product
 * and family filters; it is dated within the measure's from/to and the assignment's days;
 * and, for a cancellation credit, the cancellation is dated at most clawback.within_days
 * after its original (within_days < 0: always). A cancellation credit counts at the plan's
 * clawback share.
 *
 * What a credit adds (at 1e-4 whatever the measure sums): amount or margin converted to the
 * plan's currency (half-even to 0.0001, at the rate of the transaction's date or of the
 * month's last day, as the plan says), a count of 1 (-1 for a cancellation), or the units
 * credited (quantity x credited amount / transaction amount: a half split gets half the
 * units); then x the clawback share (half-even).
 *
 * The quota of a window (the month, or the quarter / half / year the window runs in):
 *  1. the payee's quota rows (quotas.measure = the measure's quota) for exactly that period,
 *     summed;
 *  2. else the rows of the finest shorter periods inside it (months, else quarters, else
 *     halves), summed;
 *  3. else the rows of the shortest longer period containing it, x days of the window / days
 *     of that period (half-even);
 * converted to the plan's currency at the window's last day; then, when the plan prorates by
 * days, x days on plan / days of the window (half-even), where days on plan are the days of
 * the window on the assignment, employed (hire to exit) and not on leave, first and last day
 * included. Attainment = window value / quota (half-even to 1e-9); 0 without a quota. */
#include <stdio.h>
#include <string.h>

#include "calc/calc_internal.h"

/* The transaction whose type, product and date describe credit i's deal (the original for a
 * cancellation). */
static int32_t source_tx(const at_calc_transactions *tx, int32_t t)
{
    if (tx->type[t] == AT_TX_CANCELLATION && tx->original[t] >= 0 &&
        (size_t)tx->original[t] < tx->count)
        return tx->original[t];
    return t;
}

int32_t calc_credit_product(const at_calc_transactions *tx, int32_t t)
{
    if (tx->product[t] >= 0)
        return tx->product[t];
    return tx->product[source_tx(tx, t)];
}

bool calc_is_cancellation(const at_calc_transactions *tx, int32_t t)
{
    return tx->type[t] == AT_TX_CANCELLATION;
}

static bool kind_counts(const at_plan_measure *m, const at_calc_credits *cr, size_t i)
{
    uint8_t kind = cr->kind[i];
    uint32_t kinds = m->credit_kinds ? m->credit_kinds
                                     : (1u << AT_CREDIT_OWNER) | (1u << AT_CREDIT_SPLIT);
    if (!(kinds & (1u << kind)))
        return false;
    if (kind == AT_CREDIT_ROLLUP && m->rollup_levels > 0 && cr->level[i] > m->rollup_levels)
        return false;
    if (kind == AT_CREDIT_TERRITORY && m->territory_roles &&
        !(m->territory_roles & (1u << cr->role[i])))
        return false;
    return true;
}

static bool basis_counts(const at_plan_measure *m, const at_calc_transactions *tx, int32_t t)
{
    int32_t s = source_tx(tx, t);
    uint8_t type = tx->type[s];
    if (type == AT_TX_CANCELLATION)
        type = AT_TX_BOOKING; /* a cancellation without its original: of a booking */
    return type == (uint8_t)m->basis;
}

static bool product_counts_slow(const at_plan_measure *m, const at_calc_input *in, int32_t p)
{
    if (m->product_count == 0 && m->product_family_count == 0)
        return true;
    if (p < 0 || (size_t)p >= in->product_count)
        return false;
    bool ok = true;
    if (m->product_count) {
        ok = false;
        for (size_t i = 0; i < m->product_count && !ok; i++)
            ok = calc_strcmp(m->products[i], in->products[p].id) == 0;
    }
    if (ok && m->product_family_count) {
        ok = false;
        for (size_t i = 0; i < m->product_family_count && !ok; i++)
            ok = in->products[p].family && calc_strcmp(m->product_families[i],
                                                       in->products[p].family) == 0;
    }
    return ok;
}

bool at_calc_measure_counts(const at_plan_measure *measure, const at_calc_input *input,
                            const at_calc_credits *credits, size_t credit)
{
    const at_calc_transactions *tx = &input->transactions;
    int32_t t = credits->transaction[credit];
    if (!kind_counts(measure, credits, credit) || !basis_counts(measure, tx, t))
        return false;
    at_day d = credits->date[credit];
    if (d < measure->from || d > measure->to)
        return false;
    return product_counts_slow(measure, input, calc_credit_product(tx, t));
}

/* The clawback rule of a plan for cancellation credit i: whether it counts and at what share. */
static bool clawback_counts(const at_plan *plan, const at_calc_transactions *tx,
                            const at_calc_credits *cr, size_t i, at_rate *scale)
{
    int32_t t = cr->transaction[i];
    *scale = AT_RATE_SCALE;
    if (!calc_is_cancellation(tx, t))
        return true;
    int32_t o = source_tx(tx, t);
    if (plan->clawback.within_days >= 0 && o != t &&
        (int64_t)tx->date[t] - tx->date[o] > plan->clawback.within_days)
        return false;
    *scale = plan->clawback.share;
    return true;
}

bool at_calc_credit_counts(const at_plan *plan, int measure,
                           const at_calc_assignment *assignment, const at_calc_input *input,
                           const at_calc_credits *credits, size_t credit, at_rate *scale)
{
    at_rate s = AT_RATE_SCALE;
    bool ok = measure >= 0 && (size_t)measure < plan->measure_count &&
              at_calc_measure_counts(&plan->measures[measure], input, credits, credit) &&
              (!assignment || (credits->date[credit] >= assignment->start &&
                               credits->date[credit] <= assignment->end)) &&
              clawback_counts(plan, &input->transactions, credits, credit, &s);
    if (scale)
        *scale = ok ? s : 0;
    return ok;
}

bool calc_counts(const calc_ctx *ctx, const calc_plan_info *pi, int j, int32_t asg,
                 const at_calc_credits *cr, size_t i, at_rate *scale)
{
    const at_plan_measure *m = &pi->plan->measures[j];
    const at_calc_transactions *tx = &ctx->in->transactions;
    int32_t t = cr->transaction[i];
    at_day d = cr->date[i];
    if (!kind_counts(m, cr, i) || !basis_counts(m, tx, t) || d < m->from || d > m->to)
        return false;
    if (asg >= 0) {
        const at_calc_assignment *a = &ctx->in->assignments[asg];
        if (d < a->start || d > a->end)
            return false;
    }
    int32_t p = calc_credit_product(tx, t);
    size_t np = ctx->in->product_count;
    if (!pi->measure_product_ok[j][p >= 0 && (size_t)p < np ? (size_t)p : np])
        return false;
    at_rate ignored;
    return clawback_counts(pi->plan, tx, cr, i, scale ? scale : &ignored);
}

int64_t calc_credit_units(const at_calc_transactions *tx, const at_calc_credits *cr, size_t i)
{
    int32_t t = cr->transaction[i];
    int64_t q = tx->quantity[t];
    at_money a = tx->amount[t];
    if (q == 0 && calc_is_cancellation(tx, t)) {
        int32_t o = source_tx(tx, t);
        q = tx->quantity[o];
        a = tx->amount[o];
        if (o == t)
            return 0;
    }
    if (q == 0)
        return 0;
    int64_t units = 0;
    if (a == 0)
        calc_div((calc_i128)q * AT_MONEY_SCALE, 1, AT_ROUND_HALF_EVEN, &units);
    else
        calc_div((calc_i128)q * AT_MONEY_SCALE * cr->amount[i], a, AT_ROUND_HALF_EVEN, &units);
    /* a cancellation takes units away, whichever sign its quantity was written with */
    if (calc_is_cancellation(tx, t) && units > 0)
        units = -units;
    return units;
}

at_day calc_fx_day(const calc_ctx *ctx, const at_plan *plan, const at_calc_credits *cr, size_t i)
{
    if (plan->fx_date == AT_FX_PERIOD_END && cr->month[i] >= 0)
        return ctx->months[cr->month[i]].last;
    return cr->date[i];
}

bool calc_to_plan_currency(calc_worker *w, const at_plan *plan, uint32_t plan_cur,
                           const at_calc_credits *cr, size_t i, at_money v, at_money *out)
{
    const calc_ctx *ctx = w->ctx;
    int16_t cur = ctx->in->transactions.currency[cr->transaction[i]];
    uint32_t from = cur >= 0 && (size_t)cur < ctx->in->currency_count ? ctx->currency_code[cur]
                                                                      : plan_cur;
    if (from == plan_cur) {
        *out = v;
        return true;
    }
    at_rate rate;
    if (!calc_fx_rate(w, from, plan_cur, calc_fx_day(ctx, plan, cr, i), &rate)) {
        *out = 0;
        return false;
    }
    return calc_muldiv(v, rate, AT_RATE_SCALE, out);
}

bool calc_credit_value(calc_worker *w, const at_plan *plan, int j, uint32_t plan_cur,
                       const at_calc_credits *cr, size_t i, at_rate scale, at_money *out)
{
    const at_plan_measure *m = &plan->measures[j];
    const at_calc_transactions *tx = &w->ctx->in->transactions;
    at_money v = 0;
    bool ok = true;
    switch (m->sum) {
    case AT_SUM_AMOUNT:
        ok = calc_to_plan_currency(w, plan, plan_cur, cr, i, cr->amount[i], &v);
        break;
    case AT_SUM_MARGIN:
        ok = calc_to_plan_currency(w, plan, plan_cur, cr, i, cr->margin[i], &v);
        break;
    case AT_SUM_COUNT:
        v = calc_is_cancellation(tx, cr->transaction[i]) ? -AT_MONEY_SCALE : AT_MONEY_SCALE;
        break;
    case AT_SUM_QUANTITY:
        v = calc_credit_units(tx, cr, i);
        break;
    case AT_SUM_FORMULA:
        ok = calc_formula_credit_value(w, plan, j, plan_cur, cr, i, &v);
        break;
    }
    if (scale != AT_RATE_SCALE)
        calc_muldiv(v, scale, AT_RATE_SCALE, &v);
    *out = v;
    return ok;
}

void calc_month_credits(const calc_worker *w, int32_t person, int32_t m, size_t *first,
                        size_t *end)
{
    const at_calc_credits *cr = w->credits;
    size_t lo = cr->person_start[person], hi = calc_person_end(cr, person);
    at_day d0 = w->ctx->months[m].first, d1 = w->ctx->months[m].last;
    size_t a = lo, b = hi;
    while (a < b) { /* first credit dated >= d0 */
        size_t mid = a + (b - a) / 2;
        if (cr->date[mid] < d0)
            a = mid + 1;
        else
            b = mid;
    }
    *first = a;
    b = hi;
    while (a < b) { /* first credit dated > d1 */
        size_t mid = a + (b - a) / 2;
        if (cr->date[mid] <= d1)
            a = mid + 1;
        else
            b = mid;
    }
    *end = a;
}

bool calc_measure_credit_term(calc_worker *w, const calc_plan_info *pi, int j, int32_t asg,
                              uint32_t plan_cur, const at_calc_credits *cr, size_t i,
                              at_money *value, bool *missing)
{
    at_rate scale;
    if (!calc_counts(w->ctx, pi, j, asg, cr, i, &scale))
        return false;
    *missing = !calc_credit_value(w, pi->plan, j, plan_cur, cr, i, scale, value);
    return true;
}

void calc_measure_month(calc_worker *w, const calc_plan_info *pi, int j, int32_t asg,
                        int32_t person, int32_t m, uint32_t plan_cur, at_money *value,
                        int64_t *count, int64_t *missing)
{
    size_t s, e;
    calc_month_credits(w, person, m, &s, &e);
    at_money sum = 0;
    int64_t n = 0, nm = 0;
    for (size_t i = s; i < e; i++) {
        at_money v;
        bool miss;
        if (!calc_measure_credit_term(w, pi, j, asg, plan_cur, w->credits, i, &v, &miss))
            continue;
        sum += v;
        n++;
        nm += miss;
    }
    *value = sum;
    *count = n;
    *missing = nm;
}

/* ---- quotas ------------------------------------------------------------------------------ */

static const char *const KIND_ADJ[] = {"monthly", "quarterly", "half-year", "yearly"};

/* Converts a quota row's amount to the plan's currency at day; false when no rate. */
static bool quota_amount(calc_worker *w, const at_calc_quota *q, uint32_t plan_cur, at_day day,
                         at_money *out)
{
    const calc_ctx *ctx = w->ctx;
    if (q->currency < 0 || (size_t)q->currency >= ctx->in->currency_count ||
        ctx->currency_code[q->currency] == plan_cur) {
        *out = q->amount;
        return true;
    }
    at_rate rate;
    if (!calc_fx_rate(w, ctx->currency_code[q->currency], plan_cur, day, &rate))
        return false;
    return calc_muldiv(q->amount, rate, AT_RATE_SCALE, out);
}

void calc_measure_quota(calc_worker *w, const calc_plan_info *pi, int j, int32_t asg,
                        int32_t m, uint32_t plan_cur, calc_measure_state *st)
{
    const calc_ctx *ctx = w->ctx;
    const at_plan_measure *meas = &pi->plan->measures[j];
    const at_period *win = st->window;
    st->has_quota = false;
    st->quota = 0;
    st->quota_note[0] = '\0';
    st->quota_missing = false;
    if (!meas->quota) {
        st->attainment = 0;
        return;
    }
    const at_calc_assignment *a = &ctx->in->assignments[asg];
    const calc_group *g = &ctx->quotas;
    int32_t person = a->person;
    size_t s = g->start[person], e = g->start[person + 1];
    const at_fiscal_table *cal = ctx->in->calendar;
    char mb[48];
    bool found = false, fx_ok = true;
    at_money total = 0;
    /* 1. exactly the window's period */
    for (size_t i = s; i < e; i++) {
        const at_calc_quota *q = &ctx->in->quotas[g->idx[i]];
        if (q->kind == win->kind && q->fiscal_year == win->fiscal_year &&
            q->number == win->number && calc_strcmp(q->measure, meas->quota) == 0) {
            at_money v;
            if (!quota_amount(w, q, plan_cur, win->last, &v))
                fx_ok = false;
            total += v;
            found = true;
        }
    }
    if (found)
        snprintf(st->quota_note, sizeof st->quota_note, "%s quota %s", KIND_ADJ[win->kind],
                 calc_fmt_money(total, mb));
    /* 2. the finest shorter periods inside it */
    for (int k = AT_PERIOD_MONTH; !found && k < (int)win->kind; k++) {
        int rows = 0;
        for (size_t i = s; i < e; i++) {
            const at_calc_quota *q = &ctx->in->quotas[g->idx[i]];
            if ((int)q->kind != k || calc_strcmp(q->measure, meas->quota) != 0)
                continue;
            const at_period *p;
            if (at_fiscal_get(cal, q->kind, q->fiscal_year, q->number, &p, NULL) != AT_OK)
                continue;
            if (p->first < win->first || p->last > win->last)
                continue;
            at_money v;
            if (!quota_amount(w, q, plan_cur, win->last, &v))
                fx_ok = false;
            total += v;
            rows++;
            found = true;
        }
        if (found)
            snprintf(st->quota_note, sizeof st->quota_note, "sum of %d %s quotas %s", rows,
                     KIND_ADJ[k], calc_fmt_money(total, mb));
    }
    /* 3. the shortest longer period containing it, scaled by days */
    for (int k = (int)win->kind + 1; !found && k < AT_PERIOD_KIND_COUNT; k++) {
        const at_period *outer = NULL;
        at_money sum = 0;
        for (size_t i = s; i < e; i++) {
            const at_calc_quota *q = &ctx->in->quotas[g->idx[i]];
            if ((int)q->kind != k || calc_strcmp(q->measure, meas->quota) != 0)
                continue;
            const at_period *p;
            if (at_fiscal_get(cal, q->kind, q->fiscal_year, q->number, &p, NULL) != AT_OK)
                continue;
            if (p->first > win->first || p->last < win->last)
                continue;
            at_money v;
            if (!quota_amount(w, q, plan_cur, win->last, &v))
                fx_ok = false;
            sum += v;
            outer = p;
        }
        if (outer) {
            int wd = at_period_days(win), od = at_period_days(outer);
            calc_muldiv(sum, wd, od, &total);
            found = true;
            char tb[48];
            snprintf(st->quota_note, sizeof st->quota_note, "%s quota %s x %d/%d days = %s",
                     KIND_ADJ[k], calc_fmt_money(sum, mb), wd, od, calc_fmt_money(total, tb));
        }
    }
    if (!found || !fx_ok) {
        st->quota_missing = true;
        st->attainment = 0;
        return;
    }
    st->quota_full = total;
    st->has_quota = true;
    st->window_days = at_period_days(win);
    st->days_on_plan = calc_days_on_plan(ctx, asg, win->first, win->last);
    st->quota = total;
    if (pi->plan->proration == AT_PRORATE_DAYS && st->days_on_plan < st->window_days) {
        calc_muldiv(total, st->days_on_plan, st->window_days, &st->quota);
        size_t l = strlen(st->quota_note);
        char qb[48];
        snprintf(st->quota_note + l, sizeof st->quota_note - l, ", prorated %d/%d days = %s",
                 st->days_on_plan, st->window_days, calc_fmt_money(st->quota, qb));
    }
    st->attainment = 0;
    if (st->quota != 0)
        calc_div((calc_i128)st->value * AT_RATE_SCALE, st->quota, AT_ROUND_HALF_EVEN,
                 &st->attainment);
    (void)m;
}
