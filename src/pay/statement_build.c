/* statement_build.c - builds the statement of one payee and one fiscal month from a
 * calculation's input and result: the header, the month's earnings lines with the rounding
 * each applied, the measures behind them and the credits behind each measure (found with the
 * engine's own rule, at_calc_credit_counts), prior-period adjustments, the draw, and the
 * month's and the fiscal year's totals. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "calc/calc.h"
#include "core/fx.h"
#include "pay/statement.h"
#include "pay/statement_impl.h"

typedef struct builder {
    const at_calc_input *in;
    const at_calc_result *res;
    at_arena *arena;
    at_statement *st;
    at_error *err;
} builder;

static at_code nomem(at_error *err)
{
    return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory building the statement");
}

static const char *person_name(const at_calc_input *in, int32_t p)
{
    if (p < 0 || (size_t)p >= in->person_count)
        return NULL;
    const at_calc_person *person = &in->people[p];
    return person->name && person->name[0] ? person->name : person->id;
}

static const char *currency_code(const at_calc_input *in, int c)
{
    if (c < 0 || (size_t)c >= in->currency_count || !in->currencies)
        return NULL;
    return in->currencies[c];
}

/* The plan's currency: its own, or the payee's pay currency. */
static const char *plan_currency(const at_plan *plan, const at_statement *st)
{
    return plan && plan->currency ? plan->currency : st->currency;
}

/* First index i in [0, n) with (person, month) of row i >= (person, month); rows sorted. */
#define LOWER_BOUND(rows, n, p, m, out)                                                      \
    do {                                                                                     \
        size_t lo_ = 0, hi_ = (n);                                                           \
        while (lo_ < hi_) {                                                                  \
            size_t mid_ = lo_ + (hi_ - lo_) / 2;                                             \
            if ((rows)[mid_].person < (p) ||                                                 \
                ((rows)[mid_].person == (p) && (rows)[mid_].month < (m)))                    \
                lo_ = mid_ + 1;                                                              \
            else                                                                             \
                hi_ = mid_;                                                                  \
        }                                                                                    \
        (out) = lo_;                                                                         \
    } while (0)

static const at_calc_payout *find_payout(const at_calc_result *res, int32_t person,
                                         int32_t month)
{
    size_t i;
    LOWER_BOUND(res->payouts, res->payout_count, person, month, i);
    if (i < res->payout_count && res->payouts[i].person == person &&
        res->payouts[i].month == month)
        return &res->payouts[i];
    return NULL;
}

/* The calendar month index where a window ending in `month` starts. */
static int32_t window_start(const at_period *months, int32_t month, at_plan_window window)
{
    int n = months[month].number; /* 1..12 */
    int first = n;
    switch (window) {
    case AT_WINDOW_MONTH: first = n; break;
    case AT_WINDOW_QUARTER_TO_DATE: first = n - (n - 1) % 3; break;
    case AT_WINDOW_HALF_TO_DATE: first = n - (n - 1) % 6; break;
    case AT_WINDOW_YEAR_TO_DATE: first = 1; break;
    }
    int32_t start = month - (n - first);
    return start < 0 ? 0 : start;
}

static const char *window_label(builder *b, at_plan_window window)
{
    const at_fiscal_table *cal = b->in->calendar;
    const at_period *p = b->st->period, *parent = NULL;
    at_period_kind kind;
    switch (window) {
    case AT_WINDOW_QUARTER_TO_DATE: kind = AT_PERIOD_QUARTER; break;
    case AT_WINDOW_HALF_TO_DATE: kind = AT_PERIOD_HALF; break;
    case AT_WINDOW_YEAR_TO_DATE: kind = AT_PERIOD_YEAR; break;
    default: return p->label;
    }
    if (at_fiscal_parent(cal, p, kind, &parent, NULL) != AT_OK)
        return p->label;
    return at_arena_printf(b->arena, "%s to date", parent->label);
}

/* ---- credits ------------------------------------------------------------------------------ */

/* The rate from one currency to another on a day; false when there is none. */
static bool fx_rate(const at_calc_input *in, const char *from, const char *to, at_day day,
                    at_rate *rate)
{
    if (!from || !to) {
        *rate = 0;
        return false;
    }
    if (strcmp(from, to) == 0) {
        *rate = AT_RATE_SCALE;
        return true;
    }
    at_fx_quote q;
    if (!in->fx || at_fx_lookup(in->fx, at_str_from(from), at_str_from(to), day, &q, NULL) !=
                       AT_OK) {
        *rate = 0;
        return false;
    }
    *rate = q.rate;
    return true;
}

/* The units a credit carries: the transaction's quantity (a cancellation without one takes
 * its original's) x credited amount / transaction amount, half-even at 1e-4; negative for a
 * cancellation. The engine's rule (calc/measure.c). */
static bool credit_units(const at_calc_transactions *tx, int32_t t, at_money credited,
                         at_money *out)
{
    int64_t q = tx->quantity ? tx->quantity[t] : 0;
    at_money a = tx->amount[t];
    bool cancel = tx->type[t] == AT_TX_CANCELLATION;
    if (q == 0 && cancel) {
        int32_t o = tx->original ? tx->original[t] : -1;
        if (o < 0 || (size_t)o >= tx->count) {
            *out = 0;
            return true;
        }
        q = tx->quantity[o];
        a = tx->amount[o];
    }
    int64_t units = 0;
    if (q != 0) {
        __int128 num = (__int128)q * AT_MONEY_SCALE;
        if (a != 0)
            num *= credited;
        if (at_div_round_i128(num, a != 0 ? a : 1, AT_ROUND_HALF_EVEN, &units, NULL) != AT_OK)
            return false;
    }
    if (cancel && units > 0)
        units = -units;
    *out = units;
    return true;
}

/* What one credit adds to a measure, before the clawback share. */
static bool credit_value(const at_plan *plan, const at_plan_measure *def,
                         const at_calc_input *in, at_statement_credit *c, int32_t t,
                         at_money converted_margin, at_money *out)
{
    const at_calc_transactions *tx = &in->transactions;
    switch (def->sum) {
    case AT_SUM_AMOUNT:
        *out = c->converted;
        return true;
    case AT_SUM_MARGIN:
        *out = converted_margin;
        return true;
    case AT_SUM_COUNT:
        *out = c->type == AT_TX_CANCELLATION ? -AT_MONEY_SCALE : AT_MONEY_SCALE;
        return true;
    case AT_SUM_QUANTITY:
        return credit_units(tx, t, c->amount, out);
    case AT_SUM_FORMULA: {
        if (!def->sum_formula || plan->slot_count > AT_FORMULA_SLOTS_MAX)
            return false;
        int64_t slots[AT_FORMULA_SLOTS_MAX] = {0};
        at_money units = 0;
        if (!credit_units(tx, t, c->amount, &units))
            return false;
        for (size_t s = 0; s < plan->slot_count; s++) {
            switch (plan->slots[s].kind) {
            case AT_SLOT_CREDIT_AMOUNT: slots[s] = c->converted; break;
            case AT_SLOT_CREDIT_MARGIN: slots[s] = converted_margin; break;
            case AT_SLOT_CREDIT_QUANTITY: slots[s] = units / AT_MONEY_SCALE; break;
            default: break;
            }
        }
        return at_formula_eval(def->sum_formula, slots, out, NULL) == AT_OK;
    }
    }
    return false;
}

static void fill_credit(builder *b, const at_statement_measure *m, size_t i, at_rate scale,
                        at_statement_credit *c)
{
    const at_calc_input *in = b->in;
    const at_calc_credits *cr = &b->res->credits;
    const at_calc_transactions *tx = &in->transactions;
    const at_period *months = in->calendar->periods[AT_PERIOD_MONTH];
    int32_t t = cr->transaction[i];
    memset(c, 0, sizeof *c);
    c->transaction = tx->id[t];
    c->type = tx->type[t];
    c->date = cr->date[i];
    c->month = cr->month[i];
    c->in_month = c->month == b->st->month;
    c->product = tx->product && tx->product[t] >= 0 &&
                         (size_t)tx->product[t] < in->product_count
                     ? in->products[tx->product[t]].id
                     : NULL;
    c->transaction_amount = tx->amount[t];
    c->currency = currency_code(in, tx->currency[t]);
    c->kind = cr->kind[i];
    c->level = cr->level ? cr->level[i] : 0;
    c->from = cr->from_person && cr->from_person[i] >= 0 ? cr->from_person[i] : -1;
    c->from_person = c->from >= 0 ? person_name(in, c->from) : NULL;
    c->share = cr->share[i];
    c->scale = scale;
    c->amount = cr->amount[i];
    c->has_margin = tx->has_margin && tx->has_margin[t];
    c->margin = c->has_margin && cr->margin ? cr->margin[i] : 0;
    c->fx_date = m->plan->fx_date == AT_FX_PERIOD_END && c->month >= 0
                     ? months[c->month].last
                     : c->date;
    at_money converted_margin = 0;
    if (fx_rate(in, c->currency, m->currency, c->fx_date, &c->fx_rate)) {
        if (at_money_mul_rate(c->amount, c->fx_rate, AT_ROUND_HALF_EVEN, &c->converted,
                              NULL) != AT_OK ||
            at_money_mul_rate(c->margin, c->fx_rate, AT_ROUND_HALF_EVEN, &converted_margin,
                              NULL) != AT_OK) {
            c->converted = 0;
            c->fx_missing = true;
        }
    } else {
        c->fx_missing = true;
    }
    at_money v = 0;
    c->has_value = !c->fx_missing && credit_value(m->plan, m->def, in, c, t, converted_margin,
                                                  &v);
    if (c->has_value && scale != AT_RATE_SCALE &&
        at_money_mul_rate(v, scale, AT_ROUND_HALF_EVEN, &v, NULL) != AT_OK)
        c->has_value = false;
    c->value = c->has_value ? v : 0;
    int32_t o = tx->original ? tx->original[t] : -1;
    if (o >= 0 && (size_t)o < tx->count) {
        c->original = tx->id[o];
        c->original_date = tx->date[o];
    }
}

/* ---- sources ------------------------------------------------------------------------------ */

static int compare_sources(const void *pa, const void *pb)
{
    const at_statement_source *a = pa, *b = pb;
    if (a->kind != b->kind)
        return a->kind < b->kind ? -1 : 1;
    if (a->level != b->level)
        return a->level < b->level ? -1 : 1;
    if (!a->from_person || !b->from_person)
        return a->from_person ? 1 : b->from_person ? -1 : 0;
    return strcmp(a->from_person, b->from_person);
}

static int compare_keys(const void *pa, const void *pb)
{
    uint64_t a = *(const uint64_t *)pa, b = *(const uint64_t *)pb;
    return a < b ? -1 : a > b;
}

/* Sums a measure's credits per kind, level and seller. */
static at_code measure_sources(builder *b, at_statement_measure *m)
{
    size_t n = m->credits_listed;
    if (!n)
        return AT_OK;
    uint64_t *keys = at_arena_alloc(b->arena, n * sizeof *keys);
    if (!keys)
        return nomem(b->err);
    for (size_t i = 0; i < n; i++) {
        const at_statement_credit *c = &m->credits[i];
        keys[i] = (uint64_t)c->kind << 48 | (uint64_t)c->level << 40 |
                  (uint64_t)(uint32_t)(c->from + 1) << 8;
        m->has_rollups = m->has_rollups || c->kind == AT_CREDIT_ROLLUP;
    }
    /* distinct keys first, then sums per key (binary search) */
    uint64_t *sorted = at_arena_alloc(b->arena, n * sizeof *sorted);
    if (!sorted)
        return nomem(b->err);
    memcpy(sorted, keys, n * sizeof *sorted);
    qsort(sorted, n, sizeof *sorted, compare_keys);
    size_t distinct = 0;
    for (size_t i = 0; i < n; i++)
        if (i == 0 || sorted[i] != sorted[i - 1])
            sorted[distinct++] = sorted[i];
    at_statement_source *src = at_arena_calloc(b->arena, distinct, sizeof *src);
    if (!src)
        return nomem(b->err);
    for (size_t i = 0; i < n; i++) {
        const at_statement_credit *c = &m->credits[i];
        size_t lo = 0, hi = distinct;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (sorted[mid] < keys[i])
                lo = mid + 1;
            else
                hi = mid;
        }
        at_statement_source *s = &src[lo];
        s->kind = c->kind;
        s->level = c->level;
        s->from_person = c->from_person;
        s->credits++;
        s->value += c->value;
    }
    qsort(src, distinct, sizeof *src, compare_sources);
    m->sources = src;
    m->source_count = distinct;
    return AT_OK;
}

/* Lists the credits a measure counted: the payee's credits in the window's months, within
 * the assignment's days, that the engine's rule says the measure counts. */
static at_code measure_credits(builder *b, at_statement_measure *m, int measure,
                               const at_calc_assignment *a)
{
    const at_calc_credits *cr = &b->res->credits;
    int32_t p = b->st->person;
    size_t from = 0, to = 0;
    if (cr->person_start) {
        from = cr->person_start[p];
        to = cr->person_start[p + 1];
    } else {
        to = cr->count;
    }
    if (to > cr->count || from > to)
        return at_fail(b->err, AT_ERR_INVALID, "result.credits.person_start", NULL,
                       "the result's credit index for payee %s is out of range",
                       b->st->payee_id);
    size_t n = 0;
    for (int pass = 0; pass < 2; pass++) {
        at_statement_credit *list = NULL;
        if (pass == 1) {
            if (!n)
                break;
            list = at_arena_calloc(b->arena, n, sizeof *list);
            if (!list)
                return nomem(b->err);
            m->credits = list;
        }
        size_t k = 0;
        for (size_t i = from; i < to; i++) {
            if (cr->person[i] != p || cr->month[i] < m->window_first_month ||
                cr->month[i] > b->st->month)
                continue;
            if (cr->transaction[i] < 0 ||
                (size_t)cr->transaction[i] >= b->in->transactions.count)
                return at_fail(b->err, AT_ERR_INVALID, "result.credits", NULL,
                               "credit %zu names transaction %d, which is not in the input", i,
                               (int)cr->transaction[i]);
            at_rate scale;
            if (!at_calc_credit_counts(m->plan, measure, a, b->in, cr, i, &scale))
                continue;
            if (pass == 1) {
                fill_credit(b, m, i, scale, &list[k]);
                m->credits_total += list[k].value;
            }
            k++;
        }
        n = k;
    }
    m->credits_listed = n;
    for (size_t i = 0; i < n; i++)
        if (!m->credits[i].has_value)
            m->credits_without_value++;
    m->credits_match = m->credits_total == m->value;
    return measure_sources(b, m);
}

/* ---- plans, measures, lines --------------------------------------------------------------- */

static at_code add_plan(builder *b, int32_t assignment, const at_plan *plan)
{
    at_statement *st = b->st;
    if (!plan || assignment < 0 || (size_t)assignment >= b->in->assignment_count)
        return AT_OK;
    for (size_t i = 0; i < st->plan_count; i++)
        if (st->plans[i].plan == plan &&
            st->plans[i].assignment == b->in->assignments[assignment].id)
            return AT_OK;
    const at_calc_assignment *a = &b->in->assignments[assignment];
    at_statement_plan *sp = &st->plans[st->plan_count++];
    sp->plan = plan;
    sp->assignment = a->id;
    sp->currency = plan_currency(plan, st);
    sp->start = a->start;
    sp->end = a->end;
    sp->target_incentive = a->target_incentive;
    sp->target_currency = currency_code(b->in, a->currency);
    return AT_OK;
}

static at_code build_measures(builder *b, size_t first, size_t count)
{
    at_statement *st = b->st;
    const at_period *months = b->in->calendar->periods[AT_PERIOD_MONTH];
    st->measures = count ? at_arena_calloc(b->arena, count, sizeof *st->measures) : NULL;
    if (count && !st->measures)
        return nomem(b->err);
    st->measure_count = count;
    for (size_t k = 0; k < count; k++) {
        const at_calc_measure_value *mv = &b->res->measures[first + k];
        at_statement_measure *m = &st->measures[k];
        if (!mv->plan || mv->measure < 0 || (size_t)mv->measure >= mv->plan->measure_count ||
            mv->assignment < 0 || (size_t)mv->assignment >= b->in->assignment_count)
            return at_fail(b->err, AT_ERR_INVALID, "result.measures", NULL,
                           "a measure value of payee %s names a plan measure or assignment "
                           "that is not in the input", st->payee_id);
        const at_calc_assignment *a = &b->in->assignments[mv->assignment];
        m->plan = mv->plan;
        m->def = &mv->plan->measures[mv->measure];
        m->assignment = a->id;
        m->currency = plan_currency(mv->plan, st);
        m->money = m->def->sum == AT_SUM_AMOUNT || m->def->sum == AT_SUM_MARGIN ||
                   m->def->sum == AT_SUM_FORMULA;
        m->window = window_label(b, m->def->window);
        if (!m->window)
            return nomem(b->err);
        m->window_first_month = window_start(months, st->month, m->def->window);
        m->month_value = mv->month_value;
        m->value = mv->value;
        m->credit_count = mv->credit_count;
        m->has_quota = mv->has_quota;
        m->quota = mv->quota;
        m->attainment = mv->attainment;
        at_code rc = add_plan(b, mv->assignment, mv->plan);
        if (rc == AT_OK)
            rc = measure_credits(b, m, mv->measure, a);
        if (rc != AT_OK)
            return rc;
    }
    return AT_OK;
}

static int32_t find_measure(const at_statement *st, const at_calc_input *in,
                            int32_t assignment, const at_plan *plan, int measure)
{
    if (measure < 0 || assignment < 0 || (size_t)assignment >= in->assignment_count)
        return -1;
    for (size_t i = 0; i < st->measure_count; i++)
        if (st->measures[i].plan == plan && st->measures[i].def == &plan->measures[measure] &&
            st->measures[i].assignment == in->assignments[assignment].id)
            return (int32_t)i;
    return -1;
}

/* "adjust/<key>/<month label>" -> "<key>". */
static const char *adjusted_key(at_arena *arena, const char *key)
{
    const char *prefix = "adjust/";
    size_t pl = strlen(prefix);
    if (!key || strncmp(key, prefix, pl) != 0)
        return key;
    const char *rest = key + pl;
    const char *slash = strrchr(rest, '/');
    return slash ? at_arena_strndup(arena, rest, (size_t)(slash - rest)) : rest;
}

/* A plan's component named by a key "<plan>/<component id>". */
static const at_plan_component *component_of_key(const at_calc_input *in, const char *key)
{
    if (!key)
        return NULL;
    const char *slash = strrchr(key, '/');
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

static const char *line_name(builder *b, const at_calc_line *l, const at_plan_component *comp,
                             const char *corrects)
{
    switch ((at_line_kind)l->kind) {
    case AT_LINE_COMPONENT:
        return comp ? (comp->name ? comp->name : comp->id) : (l->key ? l->key : "Component");
    case AT_LINE_DRAW:
        return l->plan && l->plan->draw.present && !l->plan->draw.recoverable
                   ? "Guaranteed draw"
                   : "Draw advance";
    case AT_LINE_DRAW_RECOVERY:
        return "Draw recovery";
    case AT_LINE_ADJUSTMENT: {
        const at_plan_component *orig = component_of_key(b->in, corrects);
        const char *what = orig ? (orig->name ? orig->name : orig->id) : corrects;
        return at_arena_printf(b->arena, "Adjustment: %s", what ? what : "earlier month");
    }
    case AT_LINE_DEFERRED: {
        /* held back now (negative) or paid in the plan's paying month (positive) */
        const at_period *pays = NULL;
        at_period_kind kind = l->plan && l->plan->frequency == AT_PAY_ANNUALLY
                                  ? AT_PERIOD_YEAR
                                  : AT_PERIOD_QUARTER;
        if (at_fiscal_parent(b->in->calendar, b->st->period, kind, &pays, NULL) != AT_OK)
            pays = NULL;
        if (l->amount < 0)
            return pays ? at_arena_printf(b->arena, "Deferred: paid at the end of %s",
                                          pays->label)
                        : "Deferred to the pay date";
        return pays ? at_arena_printf(b->arena, "Deferred earnings of %s paid", pays->label)
                    : "Deferred earnings paid";
    }
    }
    return l->key ? l->key : "Line";
}

static at_code build_lines(builder *b, size_t first, size_t count)
{
    at_statement *st = b->st;
    const at_fiscal_table *cal = b->in->calendar;
    st->lines = count ? at_arena_calloc(b->arena, count, sizeof *st->lines) : NULL;
    st->adjustments = count ? at_arena_calloc(b->arena, count, sizeof *st->adjustments) : NULL;
    if (count && (!st->lines || !st->adjustments))
        return nomem(b->err);
    st->line_count = count;
    for (size_t k = 0; k < count; k++) {
        const at_calc_line *l = &b->res->lines[first + k];
        at_statement_line *sl = &st->lines[k];
        const at_plan_component *comp = NULL;
        if (l->plan && l->component >= 0 && (size_t)l->component < l->plan->component_count)
            comp = &l->plan->components[l->component];
        sl->key = l->key;
        sl->kind = l->kind;
        sl->component = comp ? comp->id : NULL;
        sl->component_kind = comp ? at_st_component_kind(comp->kind) : NULL;
        sl->plan = l->plan;
        sl->plan_currency = plan_currency(l->plan, st);
        sl->earned_to_date = l->earned_to_date;
        sl->earned = l->earned;
        sl->fx_rate = l->fx_rate;
        sl->amount = l->amount;
        sl->gated = l->gated;
        sl->capped = l->capped;
        sl->explain = l->explain ? l->explain : "";
        sl->measure = comp ? find_measure(st, b->in, l->assignment, l->plan, comp->measure) : -1;
        sl->adjusts_month = -1;
        if (l->kind == AT_LINE_COMPONENT) {
            if (at_money_mul_rate(l->earned, l->fx_rate, AT_ROUND_HALF_EVEN,
                                  &sl->earned_converted, NULL) != AT_OK)
                sl->earned_converted = l->amount;
            sl->rounding = l->amount - sl->earned_converted;
        } else {
            sl->earned_converted = l->amount;
        }
        const char *corrects = NULL;
        if (l->kind == AT_LINE_ADJUSTMENT) {
            corrects = adjusted_key(b->arena, l->key);
            sl->adjusts_month = l->adjusts_month;
            if (l->adjusts_month >= 0 && (size_t)l->adjusts_month < cal->counts[AT_PERIOD_MONTH])
                sl->adjusts_period = cal->periods[AT_PERIOD_MONTH][l->adjusts_month].label;
            at_statement_adjustment *adj = &st->adjustments[st->adjustment_count++];
            adj->line = k;
            adj->corrects = corrects;
            adj->month = l->adjusts_month;
            adj->period = sl->adjusts_period;
            adj->amount = l->amount;
            adj->why = sl->explain;
        }
        sl->name = line_name(b, l, comp, corrects);
        if (!sl->name || (l->kind == AT_LINE_ADJUSTMENT && !corrects && l->key))
            return nomem(b->err);
        if (l->kind == AT_LINE_ADJUSTMENT) {
            const at_plan_component *orig = component_of_key(b->in, corrects);
            st->adjustments[st->adjustment_count - 1].name =
                orig ? (orig->name ? orig->name : orig->id) : (corrects ? corrects : sl->name);
        }
        at_code rc = add_plan(b, l->assignment, l->plan);
        if (rc != AT_OK)
            return rc;
    }
    return AT_OK;
}

static void build_draw(builder *b, const at_calc_payout *payout)
{
    at_statement *st = b->st;
    at_statement_draw *d = &st->draw;
    for (size_t i = 0; i < st->plan_count; i++) {
        const at_plan *plan = st->plans[i].plan;
        if (plan->draw.present && !d->present) {
            d->present = true;
            d->recoverable = plan->draw.recoverable;
            d->guarantee = plan->draw.amount;
            d->guarantee_currency = st->plans[i].currency;
        }
    }
    for (size_t i = 0; i < st->line_count; i++) {
        if (st->lines[i].kind == AT_LINE_DRAW)
            d->advance += st->lines[i].amount;
        else if (st->lines[i].kind == AT_LINE_DRAW_RECOVERY)
            d->recovered -= st->lines[i].amount;
    }
    const at_calc_payout *before = NULL;
    if (st->month > b->in->first_month)
        before = find_payout(b->res, st->person, st->month - 1);
    if (before)
        d->balance_before = before->draw_balance;
    else if (b->in->draw_balance_before)
        d->balance_before = b->in->draw_balance_before[st->person];
    d->balance_after = payout->draw_balance;
    if (d->advance || d->recovered || d->balance_before || d->balance_after)
        d->present = true;
}

at_code at_statement_build(const at_calc_input *input, const at_calc_result *result,
                           int32_t person, int32_t month, at_arena *arena, at_statement *out,
                           at_error *err)
{
    if (!input || !result || !arena || !out || !input->calendar)
        return at_fail(err, AT_ERR_INVALID, NULL, NULL,
                       "at_statement_build needs an input with a calendar, a result, an arena "
                       "and a statement to fill");
    memset(out, 0, sizeof *out);
    out->issued = AT_DAY_MIN;
    out->credit_limit = AT_STATEMENT_CREDIT_LIMIT;
    const at_fiscal_table *cal = input->calendar;
    if (person < 0 || (size_t)person >= input->person_count)
        return at_fail(err, AT_ERR_NOT_FOUND, "payee", "choose a payee that the input holds",
                       "payee number %d is not in the input (it has %zu people)", (int)person,
                       input->person_count);
    if (month < 0 || (size_t)month >= cal->counts[AT_PERIOD_MONTH])
        return at_fail(err, AT_ERR_NOT_FOUND, "period",
                       "choose a month within the fiscal years of the calendar",
                       "month number %d is not in the fiscal calendar (fiscal years %d to %d)",
                       (int)month, cal->first_year, cal->last_year);
    const at_calc_person *who = &input->people[person];
    const at_period *period = &cal->periods[AT_PERIOD_MONTH][month];
    const at_calc_payout *payout = find_payout(result, person, month);
    if (!payout) {
        bool assigned = false;
        for (size_t i = 0; i < input->assignment_count && !assigned; i++) {
            const at_calc_assignment *a = &input->assignments[i];
            assigned = a->person == person && a->start <= period->last &&
                       a->end >= period->first;
        }
        if (!assigned)
            return at_fail(err, AT_ERR_NOT_FOUND, "payee",
                           "choose a month in which the payee was on a plan (see "
                           "plan_assignments.csv), or assign one: attain plan assign",
                           "payee %s (%s) has no plan assignment in %s, so there is no "
                           "statement for that month", who->id, person_name(input, person),
                           period->label);
        return at_fail(err, AT_ERR_NOT_FOUND, "payee", "calculate the period first: attain "
                       "calc --period <that month>, with the payee included",
                       "the calculation holds no results for payee %s (%s) in %s", who->id,
                       person_name(input, person), period->label);
    }

    out->person = person;
    out->payee_id = who->id;
    out->payee_name = person_name(input, person);
    out->currency = currency_code(input, payout->currency);
    if (!out->currency)
        return at_fail(err, AT_ERR_INVALID, "result.payouts.currency", NULL,
                       "the payout of %s in %s names currency number %d, which is not in the "
                       "input", who->id, period->label, (int)payout->currency);
    out->decimals = at_st_currency_decimals(out->currency);
    out->month = month;
    out->period = period;
    at_code rc = at_fiscal_get(cal, AT_PERIOD_YEAR, period->fiscal_year, 1, &out->year, err);
    if (rc != AT_OK)
        return rc;
    out->earned = payout->earned;
    out->paid = payout->amount;
    out->earned_ytd = payout->earned_ytd;
    out->paid_ytd = payout->paid_ytd;

    builder b = {input, result, arena, out, err};
    size_t mfirst, lfirst, mcount = 0, lcount = 0;
    LOWER_BOUND(result->measures, result->measure_count, person, month, mfirst);
    while (mfirst + mcount < result->measure_count &&
           result->measures[mfirst + mcount].person == person &&
           result->measures[mfirst + mcount].month == month)
        mcount++;
    LOWER_BOUND(result->lines, result->line_count, person, month, lfirst);
    while (lfirst + lcount < result->line_count &&
           result->lines[lfirst + lcount].person == person &&
           result->lines[lfirst + lcount].month == month)
        lcount++;
    out->plans = at_arena_calloc(arena, mcount + lcount + 1, sizeof *out->plans);
    if (!out->plans)
        return nomem(err);
    rc = build_measures(&b, mfirst, mcount);
    if (rc == AT_OK)
        rc = build_lines(&b, lfirst, lcount);
    if (rc != AT_OK)
        return rc;
    build_draw(&b, payout);
    return AT_OK;
}
