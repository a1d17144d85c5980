/* estimate.c - what one more deal would pay: the payee's calculation run twice, without and
 * with a hypothetical booking (a copy of the input's transaction columns plus one row), and
 * the difference per earnings line, the attainment before and after, and the tiers, curve
 * points, gates and caps the deal crosses. */
#include <stdlib.h>
#include <string.h>

#include "calc/calc.h"
#include "pay/estimate.h"
#include "pay/statement_impl.h"

static at_code nomem(at_error *err)
{
    return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory estimating the deal");
}

/* The input's transaction columns plus one row: the hypothetical booking. The columns are
 * malloc'ed in one block (freed with free(cols->id)... see free_columns). */
typedef struct columns {
    at_calc_transactions tx;
    void *blocks[12];
} columns;

static void free_columns(columns *c)
{
    for (size_t i = 0; i < sizeof c->blocks / sizeof c->blocks[0]; i++)
        free(c->blocks[i]);
    memset(c, 0, sizeof *c);
}

#define COPY_COLUMN(field, index)                                                            \
    do {                                                                                     \
        size_t sz_ = sizeof *src->field;                                                     \
        void *b_ = malloc((n + 1) * sz_);                                                    \
        if (!b_)                                                                             \
            return false;                                                                    \
        c->blocks[index] = b_;                                                               \
        if (n && src->field)                                                                 \
            memcpy(b_, src->field, n * sz_);                                                 \
        else if (n)                                                                          \
            memset(b_, 0, n * sz_);                                                          \
        c->tx.field = b_;                                                                    \
    } while (0)

static bool copy_columns(const at_calc_transactions *src, columns *c)
{
    size_t n = src->count;
    memset(c, 0, sizeof *c);
    COPY_COLUMN(id, 0);
    COPY_COLUMN(type, 1);
    COPY_COLUMN(date, 2);
    COPY_COLUMN(amount, 3);
    COPY_COLUMN(currency, 4);
    COPY_COLUMN(margin, 5);
    COPY_COLUMN(has_margin, 6);
    COPY_COLUMN(quantity, 7);
    COPY_COLUMN(product, 8);
    COPY_COLUMN(account, 9);
    COPY_COLUMN(owner, 10);
    COPY_COLUMN(original, 11);
    if (n && !src->product)
        for (size_t i = 0; i < n; i++)
            c->tx.product[i] = -1;
    if (n && !src->account)
        for (size_t i = 0; i < n; i++)
            c->tx.account[i] = -1;
    if (n && !src->original)
        for (size_t i = 0; i < n; i++)
            c->tx.original[i] = -1;
    c->tx.count = n + 1;
    return true;
}

/* ---- lines -------------------------------------------------------------------------------- */

typedef struct collect {
    at_estimate_line *lines;
    size_t count, capacity;
    bool in_month[256];
} collect;

static at_estimate_line *line_for(collect *c, at_arena *arena, const at_calc_line *l,
                                  const char *pay_currency, bool *nomem_flag)
{
    const char *key = l->key ? l->key : "";
    for (size_t i = 0; i < c->count; i++)
        if (strcmp(c->lines[i].key, key) == 0)
            return &c->lines[i];
    if (c->count == c->capacity) {
        size_t cap = c->capacity ? c->capacity * 2 : 16;
        at_estimate_line *grown = at_arena_calloc(arena, cap, sizeof *grown);
        if (!grown) {
            *nomem_flag = true;
            return NULL;
        }
        if (c->count)
            memcpy(grown, c->lines, c->count * sizeof *grown);
        c->lines = grown;
        c->capacity = cap;
    }
    at_estimate_line *e = &c->lines[c->count++];
    memset(e, 0, sizeof *e);
    e->key = at_arena_strdup(arena, key);
    e->kind = l->kind;
    e->plan_currency = l->plan && l->plan->currency ? l->plan->currency : pay_currency;
    const at_plan_component *comp = NULL;
    if (l->plan && l->component >= 0 && (size_t)l->component < l->plan->component_count)
        comp = &l->plan->components[l->component];
    if (comp)
        e->name = comp->name ? comp->name : comp->id;
    else
        e->name = l->kind == AT_LINE_DRAW ? "Draw"
                  : l->kind == AT_LINE_DRAW_RECOVERY ? "Draw recovery"
                  : l->kind == AT_LINE_ADJUSTMENT ? "Adjustment"
                  : l->kind == AT_LINE_DEFERRED ? "Deferred"
                                                : e->key;
    if (!e->key)
        *nomem_flag = true;
    return e;
}

static bool gather_lines(collect *c, at_arena *arena, const at_calc_result *res, int32_t person,
                         int32_t month, int32_t last, bool after, const char *pay_currency)
{
    bool failed = false;
    for (size_t i = 0; i < res->line_count; i++) {
        const at_calc_line *l = &res->lines[i];
        if (l->person != person || l->month < month || l->month > last)
            continue;
        at_estimate_line *e = line_for(c, arena, l, pay_currency, &failed);
        if (!e)
            return false;
        size_t idx = (size_t)(e - c->lines);
        if (l->month == month) {
            if (idx < sizeof c->in_month)
                c->in_month[idx] = true;
            if (after) {
                e->earned_after = l->earned;
                e->to_date_after = l->earned_to_date;
                e->paid_after = l->amount;
                e->gated_after = l->gated;
                e->capped_after = l->capped;
            } else {
                e->earned_before = l->earned;
                e->to_date_before = l->earned_to_date;
                e->paid_before = l->amount;
                e->gated_before = l->gated;
                e->capped_before = l->capped;
            }
        } else {
            e->paid_later += after ? l->amount : -l->amount;
        }
    }
    return !failed;
}

/* ---- measures and crossings --------------------------------------------------------------- */

/* The 0-based tier a value falls in, with the table's edge rule. */
static int tier_of(const at_plan_component *comp, int64_t v)
{
    int found = 0;
    for (size_t i = 0; i < comp->tier_count; i++) {
        const at_plan_tier *t = &comp->tiers[i];
        bool above_from = comp->edges == AT_EDGES_LOWER_INCLUSIVE ? v >= t->from
                                                                   : (v > t->from || i == 0);
        if (above_from)
            found = (int)i;
    }
    return found;
}

/* How many curve points lie at or below x. */
static int curve_segment(const at_plan_curve *curve, int64_t x)
{
    int n = 0;
    for (size_t i = 0; i < curve->count; i++)
        if (curve->points[i].x <= x)
            n++;
    return n;
}

static char *tier_text(at_arena *arena, const at_plan_component *comp, int t,
                       const at_estimate_measure *m)
{
    const at_plan_tier *tier = &comp->tiers[t];
    char a[AT_ST_TEXT_MAX], b[AT_ST_TEXT_MAX], r[AT_ST_TEXT_MAX];
    bool att = comp->tier_basis == AT_TIER_ON_ATTAINMENT;
    if (att) {
        at_st_percent(tier->from, 2, 0, a, sizeof a);
        if (tier->has_to)
            at_st_percent(tier->to, 2, 0, b, sizeof b);
    } else {
        at_statement_measure sm = {0};
        sm.money = m->money;
        sm.currency = m->currency;
        at_st_measure_value(&sm, tier->from, a, sizeof a);
        if (tier->has_to)
            at_st_measure_value(&sm, tier->to, b, sizeof b);
    }
    at_st_percent(tier->rate, 4, 0, r, sizeof r);
    if (tier->has_to)
        return at_arena_printf(arena, "tier %d (%s to %s, %s)", t + 1, a, b, r);
    return at_arena_printf(arena, "tier %d (%s and above, %s)", t + 1, a, r);
}

static at_code add_crossing(at_estimate_result *out, at_arena *arena, size_t *capacity,
                            at_estimate_crossing x, at_error *err)
{
    if (!x.text)
        return nomem(err);
    if (out->crossing_count == *capacity) {
        size_t cap = *capacity ? *capacity * 2 : 8;
        at_estimate_crossing *grown = at_arena_calloc(arena, cap, sizeof *grown);
        if (!grown)
            return nomem(err);
        if (out->crossing_count)
            memcpy(grown, out->crossings, out->crossing_count * sizeof *grown);
        out->crossings = grown;
        *capacity = cap;
    }
    out->crossings[out->crossing_count++] = x;
    return AT_OK;
}

static at_code measure_crossings(at_estimate_result *out, at_arena *arena, size_t *capacity,
                                 const at_estimate_measure *m, at_error *err)
{
    const at_plan *plan = m->plan;
    int mi = (int)(m->def - plan->measures);
    char a[AT_ST_TEXT_MAX], b[AT_ST_TEXT_MAX];
    for (size_t c = 0; c < plan->component_count; c++) {
        const at_plan_component *comp = &plan->components[c];
        if (comp->measure != mi)
            continue;
        const char *cname = comp->name ? comp->name : comp->id;
        if (comp->kind == AT_COMPONENT_TIERS && comp->scope == AT_TIERS_ON_PERIOD &&
            comp->tier_count) {
            bool att = comp->tier_basis == AT_TIER_ON_ATTAINMENT;
            if (att && !m->has_quota)
                continue;
            int64_t vb = att ? m->attainment_before : m->value_before;
            int64_t va = att ? m->attainment_after : m->value_after;
            int tb = tier_of(comp, vb), ta = tier_of(comp, va);
            if (tb == ta)
                continue;
            const at_plan_tier *from = &comp->tiers[tb], *to = &comp->tiers[ta];
            const char *kind = to->rate > from->rate   ? "an accelerator"
                               : to->rate < from->rate ? "a decelerator"
                                                       : "a tier boundary";
            at_estimate_crossing x = {AT_CROSS_TIER, plan, comp, tb + 1, ta + 1, from->rate,
                                      to->rate, NULL};
            x.text = at_arena_printf(arena, "%s: moves from %s into %s, %s%s", cname,
                                     tier_text(arena, comp, tb, m),
                                     tier_text(arena, comp, ta, m), kind,
                                     comp->method == AT_TIERS_RETROACTIVE
                                         ? " (retroactive: the new rate applies to the whole "
                                           "window)"
                                         : " (marginal: the new rate applies above the "
                                           "boundary)");
            at_code rc = add_crossing(out, arena, capacity, x, err);
            if (rc != AT_OK)
                return rc;
        } else if (comp->kind == AT_COMPONENT_BONUS && comp->curve.count && m->has_quota) {
            int sb = curve_segment(&comp->curve, m->attainment_before);
            int sa = curve_segment(&comp->curve, m->attainment_after);
            if (sb == sa)
                continue;
            const at_plan_curve_point *pt = &comp->curve.points[(sa > sb ? sa : sb) - 1];
            at_estimate_crossing x = {AT_CROSS_CURVE, plan, comp, sb, sa, 0, 0, NULL};
            x.text = at_arena_printf(arena, "%s: %s the payout curve's point at %s attainment "
                                     "(payout %s of target)",
                                     cname, sa > sb ? "passes" : "falls below",
                                     at_st_percent(pt->x, 2, 0, a, sizeof a),
                                     at_st_percent(pt->payout, 2, 0, b, sizeof b));
            at_code rc = add_crossing(out, arena, capacity, x, err);
            if (rc != AT_OK)
                return rc;
        }
    }
    return AT_OK;
}

static const at_plan_component *component_of_key(const at_calc_input *in, const char *key)
{
    const char *slash = key ? strrchr(key, '/') : NULL;
    if (!slash)
        return NULL;
    size_t plen = (size_t)(slash - key);
    for (size_t i = 0; i < in->plan_count; i++) {
        const at_plan *plan = in->plans[i];
        if (!plan || !plan->name || strlen(plan->name) != plen ||
            strncmp(plan->name, key, plen) != 0)
            continue;
        int c = at_plan_find_component(plan, slash + 1);
        if (c >= 0)
            return &plan->components[c];
    }
    return NULL;
}

static at_code line_crossings(const at_calc_input *in, at_estimate_result *out,
                              at_arena *arena, size_t *capacity, at_error *err)
{
    for (size_t i = 0; i < out->line_count; i++) {
        const at_estimate_line *l = &out->lines[i];
        if (l->kind != AT_LINE_COMPONENT)
            continue;
        const at_plan_component *comp = component_of_key(in, l->key);
        at_estimate_crossing x = {AT_CROSS_GATE, NULL, comp, 0, 0, 0, 0, NULL};
        if (l->gated_before != l->gated_after) {
            x.text = at_arena_printf(arena, "%s: %s", l->name,
                                     l->gated_before ? "the deal meets the gate, so the line "
                                                       "pays"
                                                     : "the line's gate is no longer met");
        } else if (!l->capped_before && l->capped_after) {
            x.kind = AT_CROSS_CAP;
            x.text = at_arena_printf(arena, "%s: the deal reaches a cap, which cuts the line",
                                     l->name);
        } else {
            continue;
        }
        at_code rc = add_crossing(out, arena, capacity, x, err);
        if (rc != AT_OK)
            return rc;
    }
    return AT_OK;
}

static at_code measures(const at_calc_input *in, const at_calc_result *before,
                        const at_calc_result *after, at_estimate_result *out, at_arena *arena,
                        at_error *err)
{
    size_t n = 0;
    for (size_t i = 0; i < after->measure_count; i++)
        if (after->measures[i].person == out->person && after->measures[i].month == out->month)
            n++;
    out->measures = n ? at_arena_calloc(arena, n, sizeof *out->measures) : NULL;
    if (n && !out->measures)
        return nomem(err);
    const at_fiscal_table *cal = in->calendar;
    for (size_t i = 0; i < after->measure_count; i++) {
        const at_calc_measure_value *mv = &after->measures[i];
        if (mv->person != out->person || mv->month != out->month || !mv->plan ||
            mv->measure < 0 || (size_t)mv->measure >= mv->plan->measure_count)
            continue;
        at_estimate_measure *m = &out->measures[out->measure_count++];
        m->plan = mv->plan;
        m->def = &mv->plan->measures[mv->measure];
        m->money = m->def->sum == AT_SUM_AMOUNT || m->def->sum == AT_SUM_MARGIN ||
                   m->def->sum == AT_SUM_FORMULA;
        m->currency = mv->plan->currency ? mv->plan->currency : out->currency;
        m->value_after = mv->value;
        m->has_quota = mv->has_quota;
        m->quota = mv->quota;
        m->attainment_after = mv->attainment;
        m->window = out->period->label;
        at_period_kind kind = AT_PERIOD_MONTH;
        if (m->def->window == AT_WINDOW_QUARTER_TO_DATE)
            kind = AT_PERIOD_QUARTER;
        else if (m->def->window == AT_WINDOW_HALF_TO_DATE)
            kind = AT_PERIOD_HALF;
        else if (m->def->window == AT_WINDOW_YEAR_TO_DATE)
            kind = AT_PERIOD_YEAR;
        const at_period *parent;
        if (kind != AT_PERIOD_MONTH &&
            at_fiscal_parent(cal, out->period, kind, &parent, NULL) == AT_OK) {
            m->window = at_arena_printf(arena, "%s to date", parent->label);
            if (!m->window)
                return nomem(err);
        }
        for (size_t k = 0; k < before->measure_count; k++) {
            const at_calc_measure_value *b = &before->measures[k];
            if (b->person == mv->person && b->month == mv->month &&
                b->assignment == mv->assignment && b->plan == mv->plan &&
                b->measure == mv->measure) {
                m->value_before = b->value;
                m->attainment_before = b->attainment;
                break;
            }
        }
    }
    return AT_OK;
}

/* ---- the explanation ---------------------------------------------------------------------- */

static const char *explain(const at_estimate_result *out, at_arena *arena)
{
    char a[AT_ST_TEXT_MAX], b[AT_ST_TEXT_MAX], c[AT_ST_TEXT_MAX], d[AT_ST_TEXT_MAX];
    char *s = at_arena_printf(arena, "A booking of %s %s on %s%s%s would pay %s %s %s in %s",
                              at_st_money(out->amount, at_st_currency_decimals(out->deal_currency),
                                          true, true, a, sizeof a),
                              out->deal_currency, at_st_day_long(out->date, b, sizeof b),
                              out->product ? " for " : "", out->product ? out->product : "",
                              at_st_money(out->paid_month < 0 ? -out->paid_month
                                                              : out->paid_month,
                                          out->decimals, false, true, c, sizeof c),
                              out->currency, out->paid_month < 0 ? "less" : "more",
                              out->period->label);
    if (s && out->paid_later)
        s = at_arena_printf(arena, "%s and %s %s %s later in the fiscal year", s,
                            at_st_money(out->paid_later < 0 ? -out->paid_later : out->paid_later,
                                        out->decimals, false, true, c, sizeof c),
                            out->currency, out->paid_later < 0 ? "less" : "more");
    if (s)
        s = at_arena_printf(arena, "%s.", s);
    for (size_t i = 0; s && i < out->measure_count; i++) {
        const at_estimate_measure *m = &out->measures[i];
        if (m->value_before == m->value_after)
            continue;
        if (m->has_quota)
            s = at_arena_printf(arena, "%s %s (%s): attainment %s -> %s.", s,
                                m->def->name ? m->def->name : m->def->id, m->window,
                                at_st_percent(m->attainment_before, 2, 0, c, sizeof c),
                                at_st_percent(m->attainment_after, 2, 0, d, sizeof d));
        else {
            at_statement_measure sm = {0};
            sm.money = m->money;
            sm.currency = m->currency;
            s = at_arena_printf(arena, "%s %s (%s): %s -> %s.", s,
                                m->def->name ? m->def->name : m->def->id, m->window,
                                at_st_measure_value(&sm, m->value_before, c, sizeof c),
                                at_st_measure_value(&sm, m->value_after, d, sizeof d));
        }
    }
    for (size_t i = 0; s && i < out->crossing_count; i++)
        s = at_arena_printf(arena, "%s %s.", s, out->crossings[i].text);
    /* why a line does not move: a curve past its last point, a cap reached already */
    for (size_t i = 0; s && i < out->measure_count; i++) {
        const at_estimate_measure *m = &out->measures[i];
        int mi = (int)(m->def - m->plan->measures);
        for (size_t k = 0; s && k < m->plan->component_count; k++) {
            const at_plan_component *comp = &m->plan->components[k];
            if (comp->measure != mi || comp->kind != AT_COMPONENT_BONUS || !m->has_quota ||
                !comp->curve.count || comp->curve.extrapolate)
                continue;
            const at_plan_curve_point *last = &comp->curve.points[comp->curve.count - 1];
            if (m->attainment_before >= last->x)
                s = at_arena_printf(arena, "%s %s: attainment is past the payout curve's last "
                                    "point (%s attainment pays %s of target), so more bookings "
                                    "do not raise it.",
                                    s, comp->name ? comp->name : comp->id,
                                    at_st_percent(last->x, 2, 0, c, sizeof c),
                                    at_st_percent(last->payout, 2, 0, d, sizeof d));
        }
    }
    for (size_t i = 0; s && i < out->line_count; i++)
        if (out->lines[i].capped_before && out->lines[i].capped_after)
            s = at_arena_printf(arena, "%s %s: capped already, so the deal adds nothing to it.",
                                s, out->lines[i].name);
    if (s && !out->crossing_count && out->measure_count)
        s = at_arena_printf(arena, "%s It crosses no tier, curve point, gate or cap.", s);
    if (s && !out->measure_count && !out->line_count)
        s = at_arena_printf(arena, "%s No plan assignment covers that month, so the deal "
                            "pays nothing.", s);
    return s;
}

/* ---- the estimate ------------------------------------------------------------------------- */

static at_code check_args(const at_calc_input *in, int32_t person, at_money amount,
                          at_calc_currency currency, int32_t product, at_day date,
                          const at_period **period, at_error *err)
{
    if (!in || !in->calendar)
        return at_fail(err, AT_ERR_INVALID, NULL, NULL, "at_estimate needs an input with a "
                       "fiscal calendar");
    if (person < 0 || (size_t)person >= in->person_count)
        return at_fail(err, AT_ERR_INVALID, "--payee", "choose a payee the database holds",
                       "payee number %d is not in the input", (int)person);
    if (amount <= 0) {
        char a[AT_ST_TEXT_MAX];
        return at_fail(err, AT_ERR_INVALID, "--amount", "give the deal's amount, e.g. 50000",
                       "the deal's amount must be above zero, not %s",
                       at_st_money(amount, 2, true, false, a, sizeof a));
    }
    if (currency < 0 || (size_t)currency >= in->currency_count)
        return at_fail(err, AT_ERR_INVALID, "--currency", "use a currency the database holds",
                       "currency number %d is not in the input", (int)currency);
    if (product < -1 || (product >= 0 && (size_t)product >= in->product_count))
        return at_fail(err, AT_ERR_INVALID, "--product", "use a product id from products.csv",
                       "product number %d is not in the input", (int)product);
    at_error e;
    if (at_fiscal_find(in->calendar, AT_PERIOD_MONTH, date, period, &e) != AT_OK) {
        char d[AT_DATE_TEXT_MAX];
        at_day_format(date, d, sizeof d);
        return at_fail(err, AT_ERR_INVALID, "--date", "choose a date within the fiscal years "
                       "the calendar covers", "the date %s is outside the fiscal calendar", d);
    }
    int32_t month = (int32_t)(*period - in->calendar->periods[AT_PERIOD_MONTH]);
    if (month < in->first_month) {
        const at_period *first = &in->calendar->periods[AT_PERIOD_MONTH][in->first_month];
        return at_fail(err, AT_ERR_INVALID, "--date", "choose a date in an open month, or load "
                       "earlier months", "the date falls in %s, before the first month loaded "
                       "(%s)", (*period)->label, first->label);
    }
    for (size_t i = 0; i < in->transactions.count; i++)
        if (in->transactions.id[i] && strcmp(in->transactions.id[i],
                                             AT_ESTIMATE_TRANSACTION_ID) == 0)
            return at_fail(err, AT_ERR_CONFLICT, "transactions", "rename that transaction",
                           "a transaction already has the id '%s' that the estimate uses",
                           AT_ESTIMATE_TRANSACTION_ID);
    return AT_OK;
}

at_code at_estimate(const at_calc_input *input, int32_t person, at_money amount,
                    at_calc_currency currency, int32_t product, at_day date, at_arena *arena,
                    at_estimate_result *out, at_error *err)
{
    if (!out || !arena)
        return at_fail(err, AT_ERR_INVALID, NULL, NULL, "at_estimate needs an arena and a "
                       "result to fill");
    memset(out, 0, sizeof *out);
    const at_period *period = NULL;
    at_code rc = check_args(input, person, amount, currency, product, date, &period, err);
    if (rc != AT_OK)
        return rc;
    const at_fiscal_table *cal = input->calendar;
    int32_t month = (int32_t)(period - cal->periods[AT_PERIOD_MONTH]);
    int32_t last = month + (12 - period->number);
    if ((size_t)last >= cal->counts[AT_PERIOD_MONTH])
        last = (int32_t)cal->counts[AT_PERIOD_MONTH] - 1;

    const at_calc_person *who = &input->people[person];
    out->person = person;
    out->payee_id = who->id;
    out->payee_name = who->name && who->name[0] ? who->name : who->id;
    out->amount = amount;
    out->deal_currency = input->currencies[currency];
    out->product = product >= 0 ? input->products[product].id : NULL;
    out->date = date;
    out->month = month;
    out->period = period;
    out->last_month = last;
    out->currency = who->pay_currency >= 0 && (size_t)who->pay_currency < input->currency_count
                        ? input->currencies[who->pay_currency]
                        : out->deal_currency;
    out->decimals = at_st_currency_decimals(out->currency);

    at_calc_input base = *input;
    base.last_month = last;
    columns cols;
    if (!copy_columns(&input->transactions, &cols)) {
        free_columns(&cols);
        return nomem(err);
    }
    size_t row = input->transactions.count;
    cols.tx.id[row] = AT_ESTIMATE_TRANSACTION_ID;
    cols.tx.type[row] = AT_TX_BOOKING;
    cols.tx.date[row] = date;
    cols.tx.amount[row] = amount;
    cols.tx.currency[row] = currency;
    cols.tx.margin[row] = 0;
    cols.tx.has_margin[row] = 0;
    cols.tx.quantity[row] = product >= 0 ? 1 : 0;
    cols.tx.product[row] = product;
    cols.tx.account[row] = -1;
    cols.tx.owner[row] = person;
    cols.tx.original[row] = -1;
    at_calc_input with = base;
    with.transactions = cols.tx;

    int32_t only[1] = {person};
    at_calc_options opts = {0};
    opts.only_people = only;
    opts.only_people_count = 1;
    opts.keep_explanations = false;
    at_calc_result before, after;
    memset(&before, 0, sizeof before);
    memset(&after, 0, sizeof after);
    at_error_list problems;
    at_error_list_init(&problems, 10);
    rc = at_calc_run(&base, &opts, &before, &problems, err);
    if (rc == AT_OK)
        rc = at_calc_run(&with, &opts, &after, &problems, err);
    at_error_list_free(&problems);

    if (rc == AT_OK) {
        collect c;
        memset(&c, 0, sizeof c);
        if (!gather_lines(&c, arena, &before, person, month, last, false, out->currency) ||
            !gather_lines(&c, arena, &after, person, month, last, true, out->currency))
            rc = nomem(err);
        if (rc == AT_OK) {
            /* keep the month's lines and the later lines whose pay changes */
            size_t k = 0;
            for (size_t i = 0; i < c.count; i++) {
                bool in_month = i < sizeof c.in_month ? c.in_month[i] : true;
                if (in_month || c.lines[i].paid_later)
                    c.lines[k++] = c.lines[i];
            }
            out->lines = c.lines;
            out->line_count = k;
            for (size_t i = 0; i < k; i++) {
                out->paid_month += out->lines[i].paid_after - out->lines[i].paid_before;
                out->paid_later += out->lines[i].paid_later;
            }
        }
        for (size_t i = 0; rc == AT_OK && i < after.payout_count; i++) {
            const at_calc_payout *pa = &after.payouts[i];
            if (pa->person != person || pa->month != month)
                continue;
            for (size_t j = 0; j < before.payout_count; j++)
                if (before.payouts[j].person == person && before.payouts[j].month == month)
                    out->earned_month = pa->earned - before.payouts[j].earned;
        }
        if (rc == AT_OK)
            rc = measures(input, &before, &after, out, arena, err);
        size_t capacity = 0;
        for (size_t i = 0; rc == AT_OK && i < out->measure_count; i++)
            rc = measure_crossings(out, arena, &capacity, &out->measures[i], err);
        if (rc == AT_OK)
            rc = line_crossings(input, out, arena, &capacity, err);
        if (rc == AT_OK) {
            out->explain = explain(out, arena);
            if (!out->explain)
                rc = nomem(err);
        }
    }
    at_calc_result_free(&before);
    at_calc_result_free(&after);
    free_columns(&cols);
    return rc;
}
