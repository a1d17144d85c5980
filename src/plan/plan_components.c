/* plan_components.c - reading a plan's components: the keys each kind takes (rate, per_unit,
 * tiers, bonus, metric, spiff, formula, and gate/cap/clawback for every kind), product rate
 * lists, tier tables (contiguous, from 0, only the last open), payout curves (x increasing),
 * spans of days and caps, with a problem for each thing that is wrong. */
#include <stdio.h>
#include <string.h>

#include "plan/plan_impl.h"

#define COMMON_KEYS "id", "name", "kind", "gate", "cap", "clawback"

static const char *const rate_keys[] = {COMMON_KEYS, "measure", "rate", "products", NULL};
static const char *const per_unit_keys[] = {COMMON_KEYS, "measure", "amount", "products", NULL};
static const char *const tiers_keys[] = {COMMON_KEYS, "measure", "method", "on",
                                         "scope",     "edges",   "tiers", NULL};
static const char *const bonus_keys[] = {COMMON_KEYS, "measure", "weight", "curve",
                                         "extrapolate", NULL};
static const char *const metric_keys[] = {COMMON_KEYS, "metric", "metric_window", "weight",
                                          "curve",     "extrapolate", NULL};
static const char *const spiff_keys[] = {COMMON_KEYS, "measure",  "from",            "to",
                                         "products",  "rate",     "amount",          "activity",
                                         "meaningful_only", "per_activity", NULL};
static const char *const formula_keys[] = {COMMON_KEYS, "measure", "formula", NULL};
static const char *const all_keys[] = {
    COMMON_KEYS, "measure", "rate",   "products", "amount",   "method",          "on",
    "scope",     "edges",   "tiers",  "weight",   "curve",    "extrapolate",     "metric",
    "metric_window", "from", "to",    "activity", "meaningful_only", "per_activity", "formula",
    NULL,
};
static const char *const *const kind_keys[] = {rate_keys,   per_unit_keys, tiers_keys,
                                               bonus_keys,  metric_keys,   spiff_keys,
                                               formula_keys};

static const char *const cap_keys[] = {"per_deal", "per_period", "per_year", NULL};
static const char *const tier_keys[] = {"from", "to", "rate", NULL};
static const char *const quantity_tier_keys[] = {"from", "amount", NULL};
static const char *const rate_product_keys[] = {"product", "family", "rate", NULL};
static const char *const unit_product_keys[] = {"product", "family", "amount", "quantity_tiers",
                                                NULL};
static const char *const spiff_product_keys[] = {"product", "family", "amount", "rate", NULL};

typedef struct comp_ctx {
    at_plan_reader *R;
    const at_yaml_node *node;
    at_plan_component *c;
    size_t index;
    char what[96];      /* "component 'commission'" */
} comp_ctx;

/* ---- small pieces ------------------------------------------------------------------------- */

static void list_measures(const at_plan_reader *R, char *buf, size_t size)
{
    size_t o = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < R->measure_count && o < size; i++) {
        const char *id = R->measures[i].id;
        bool seen = !id;
        for (size_t j = 0; j < i && !seen; j++)
            seen = R->measures[j].id && strcmp(R->measures[j].id, id) == 0;
        if (!seen)
            o += (size_t)snprintf(buf + o, size - o, "%s%s", o ? ", " : "", id);
    }
}

/* The measure named at n, or -1 (reported). */
static int find_measure(comp_ctx *x, const at_yaml_node *n)
{
    const char *id;
    if (!at_plan_read_text(x->R, n, "measure", 64, &id))
        return -1;
    for (size_t i = 0; i < x->R->measure_count; i++)
        if (x->R->measures[i].id && strcmp(x->R->measures[i].id, id) == 0)
            return (int)i;
    char list[200], hint[AT_ERROR_HINT_MAX];
    list_measures(x->R, list, sizeof list);
    if (list[0])
        snprintf(hint, sizeof hint, "name one of the measures: %s", list);
    else
        snprintf(hint, sizeof hint, "define it under `measures:` (the plan has none yet)");
    at_plan_problem(x->R, n, AT_ERR_NOT_FOUND, hint, "%s pays on measure '%s', which is not defined",
                    x->what, id);
    return -1;
}

static void no_key(comp_ctx *x, const char *key, const char *why)
{
    const at_yaml_node *v = at_plan_get(x->node, key);
    if (v)
        at_plan_problem(x->R, at_plan_get(x->node, key) ? v : x->node, AT_ERR_INVALID, why,
                        "%s: `%s` does not apply here", x->what, key);
}

static bool need_quota(comp_ctx *x, const at_yaml_node *at, const char *why)
{
    if (x->c->measure < 0)
        return false;
    const at_plan_measure *m = &x->R->measures[x->c->measure];
    if (m->quota)
        return true;
    char hint[AT_ERROR_HINT_MAX];
    snprintf(hint, sizeof hint,
             "give measure '%s' a quota (remove `quota: none`, or name the quotas.csv measure)",
             m->id);
    at_plan_problem(x->R, at, AT_ERR_INVALID, hint, "%s %s, but measure '%s' has no quota", x->what,
                    why, m->id);
    return false;
}

static void read_span(comp_ctx *x, at_day *from, at_day *to)
{
    at_plan_reader *R = x->R;
    const at_plan *p = R->plan;
    *from = p->effective_from;
    *to = p->effective_to;
    const at_yaml_node *f = at_plan_get(x->node, "from"), *t = at_plan_get(x->node, "to");
    bool okf = f && at_plan_read_day(R, f, "from", from);
    bool okt = t && at_plan_read_day(R, t, "to", to);
    if (okf && okt && *to < *from) {
        at_plan_problem(R, t, AT_ERR_INVALID, "make `to` the same day as `from` or later",
                        "%s: `to` is before `from`", x->what);
        return;
    }
    if ((okf || okt) && (*to < p->effective_from || *from > p->effective_to)) {
        char a[AT_DATE_TEXT_MAX], b[AT_DATE_TEXT_MAX];
        at_day_format(p->effective_from, a, sizeof a);
        at_day_format(p->effective_to, b, sizeof b);
        at_plan_problem(R, okf ? f : t, AT_ERR_INVALID,
                        "move the dates into the plan's effective span, or change `effective:`",
                        "%s runs outside the plan's effective dates (%s to %s): it would never pay",
                        x->what, p->effective_from == AT_DAY_MIN ? "open" : a,
                        p->effective_to == AT_DAY_MAX ? "open" : b);
    }
}

static void read_caps(comp_ctx *x, const at_yaml_node *n, bool per_credit)
{
    at_plan_reader *R = x->R;
    at_plan_caps *caps = &x->c->caps;
    caps->pos = at_plan_pos_of(R, n);
    if (!at_plan_want_map(R, n, "cap", "write {per_deal: 10000, per_period: 20000, per_year: 100000}"))
        return;
    at_plan_check_keys(R, n, cap_keys, "cap", "cap");
    if (n->count == 0)
        at_plan_problem(R, n, AT_ERR_INVALID, "give per_deal, per_period or per_year, or remove cap",
                        "%s: cap is empty", x->what);
    const at_yaml_node *d = at_plan_get(n, "per_deal"), *pp = at_plan_get(n, "per_period"),
                       *y = at_plan_get(n, "per_year");
    struct {
        const at_yaml_node *node;
        const char *name;
        bool *has;
        at_money *value;
    } parts[] = {{d, "cap per_deal", &caps->has_per_deal, &caps->per_deal},
                 {pp, "cap per_period", &caps->has_per_period, &caps->per_period},
                 {y, "cap per_year", &caps->has_per_year, &caps->per_year}};
    for (size_t i = 0; i < 3; i++) {
        if (!parts[i].node)
            continue;
        at_money v;
        if (!at_plan_read_money(R, parts[i].node, parts[i].name, &v))
            continue;
        if (v < 0) {
            at_plan_problem(R, parts[i].node, AT_ERR_INVALID, "write a cap of 0 or more",
                            "%s is negative", parts[i].name);
            continue;
        }
        *parts[i].has = true;
        *parts[i].value = v;
    }
    if (d && !per_credit)
        at_plan_problem(R, d, AT_ERR_INVALID,
                        "per_deal caps what one credit earns: it applies to rate, per_unit, "
                        "product spiff and `scope: transaction` tiers components; use per_period",
                        "%s does not pay per deal, so `per_deal` has no meaning", x->what);
}

/* ---- tier tables -------------------------------------------------------------------------- */

static void format_bound(int64_t v, bool attainment, char *buf, size_t size)
{
    if (attainment) {
        at_rate_format_percent(v, 7, buf, size);
        /* trim zeros: "100.0000000%" -> "100%" */
        char *pct = strchr(buf, '%');
        char *dot = strchr(buf, '.');
        if (pct && dot) {
            char *e = pct;
            while (e > dot + 1 && e[-1] == '0')
                e--;
            if (e == dot + 1)
                e = dot;
            memmove(e, pct, strlen(pct) + 1);
        }
    } else {
        at_money_format(v, buf, size);
    }
}

static void read_tiers(comp_ctx *x, const at_yaml_node *n)
{
    at_plan_reader *R = x->R;
    at_plan_component *c = x->c;
    bool att = c->tier_basis == AT_TIER_ON_ATTAINMENT;
    const char *eg = att ? "- {from: 0, to: 100%, rate: 5%}" : "- {from: 0, to: 300000, rate: 3%}";
    if (!at_plan_want_list(R, n, "tiers", eg))
        return;
    if (n->count == 0) {
        at_plan_problem(R, n, AT_ERR_INVALID, eg, "%s: the tier table is empty", x->what);
        return;
    }
    at_plan_tier *tiers = at_arena_calloc(R->arena, n->count, sizeof *tiers);
    if (!tiers) {
        at_plan_nomem(R);
        return;
    }
    bool all_ok = true;
    for (size_t i = 0; i < n->count; i++) {
        const at_yaml_node *it = n->items[i];
        at_plan_tier *t = &tiers[i];
        t->pos = at_plan_pos_of(R, it);
        t->to = INT64_MAX;
        if (!at_plan_want_map(R, it, "a tier", eg)) {
            all_ok = false;
            continue;
        }
        at_plan_check_keys(R, it, tier_keys, "a tier", "a tier");
        const at_yaml_node *f = at_plan_get(it, "from"), *to = at_plan_get(it, "to"),
                           *r = at_plan_get(it, "rate");
        bool ok = true;
        if (!f) {
            at_plan_problem(R, it, AT_ERR_INVALID, eg, "tier %zu has no `from`", i + 1);
            ok = false;
        } else if (att) {
            ok = at_plan_read_rate(R, f, "tier from", false, &t->from);
        } else if (!at_plan_read_money(R, f, "tier from", &t->from)) {
            ok = false;
        }
        if (to) {
            t->has_to = true;
            if (att ? !at_plan_read_rate(R, to, "tier to", false, &t->to)
                    : !at_plan_read_money(R, to, "tier to", &t->to))
                ok = false;
        }
        if (!r) {
            at_plan_problem(R, it, AT_ERR_INVALID, "add `rate: 5%`", "tier %zu has no rate",
                            i + 1);
            ok = false;
        } else if (at_plan_read_rate(R, r, "tier rate", true, &t->rate) && t->rate < 0) {
            at_plan_problem(R, r, AT_ERR_INVALID, "write a rate of 0% or more",
                            "tier %zu has a negative rate", i + 1);
        }
        if (ok && t->has_to && t->to <= t->from) {
            char a[48], b[48];
            format_bound(t->from, att, a, sizeof a);
            format_bound(t->to, att, b, sizeof b);
            at_plan_problem(R, to, AT_ERR_INVALID, "make `to` larger than `from`",
                            "tier %zu ends at %s, which is not after its start %s", i + 1, b, a);
            ok = false;
        }
        all_ok &= ok;
    }
    c->tiers = tiers;
    c->tier_count = n->count;
    if (!all_ok)
        return;
    /* the table as a whole: from 0, contiguous, only the last open (a closed last tier is
       allowed: marginal tiers pay nothing on what lies above its `to`) */
    char a[48], b[48], hint[AT_ERROR_HINT_MAX];
    if (tiers[0].from != 0) {
        format_bound(tiers[0].from, att, a, sizeof a);
        snprintf(hint, sizeof hint, "add a first tier {from: 0, to: %s, rate: 0%%} for the part below",
                 a);
        at_plan_problem(R, n->items[0], AT_ERR_INVALID, hint,
                        "%s: the first tier starts at %s; a tier table starts at 0", x->what, a);
    }
    for (size_t i = 1; i < n->count; i++) {
        const at_plan_tier *p = &tiers[i - 1], *t = &tiers[i];
        if (!p->has_to) {
            at_plan_problem(R, n->items[i - 1], AT_ERR_INVALID,
                            "give every tier but the last a `to`: where the next one starts",
                            "tier %zu has no `to`, but tier %zu follows it", i, i + 1);
            continue;
        }
        if (t->from != p->to) {
            format_bound(p->to, att, a, sizeof a);
            format_bound(t->from, att, b, sizeof b);
            snprintf(hint, sizeof hint, "make tier %zu start where tier %zu ends (%s)", i + 1, i,
                     a);
            at_plan_problem(R, n->items[i], AT_ERR_INVALID, hint,
                            "tier %zu starts at %s but tier %zu ends at %s: the tiers %s", i + 1,
                            b, i, a, t->from > p->to ? "leave a gap" : "overlap");
        }
    }
}

/* Quantity tiers of a per-unit product: {from: 10, amount: 400}, from increasing. */
static void read_quantity_tiers(comp_ctx *x, const at_yaml_node *n, at_plan_product_rate *pr)
{
    at_plan_reader *R = x->R;
    const char *eg = "write [{from: 10, amount: 400}]: from 10 units on, 400 per unit";
    if (!at_plan_want_list(R, n, "quantity_tiers", eg) || n->count == 0) {
        if (n->type == AT_YAML_LIST)
            at_plan_problem(R, n, AT_ERR_INVALID, eg, "quantity_tiers is empty");
        return;
    }
    at_plan_tier *tiers = at_arena_calloc(R->arena, n->count, sizeof *tiers);
    if (!tiers) {
        at_plan_nomem(R);
        return;
    }
    for (size_t i = 0; i < n->count; i++) {
        const at_yaml_node *it = n->items[i];
        at_plan_tier *t = &tiers[i];
        t->pos = at_plan_pos_of(R, it);
        t->to = INT64_MAX;
        if (!at_plan_want_map(R, it, "a quantity tier", eg))
            continue;
        at_plan_check_keys(R, it, quantity_tier_keys, "a quantity tier", "a quantity tier");
        const at_yaml_node *f = at_plan_get(it, "from"), *a = at_plan_get(it, "amount");
        if (!f)
            at_plan_problem(R, it, AT_ERR_INVALID, eg, "quantity tier %zu has no `from`", i + 1);
        else if (at_plan_read_int(R, f, "quantity tier from", 1, 1000000000, &t->from) && i > 0 &&
                 t->from <= tiers[i - 1].from)
            at_plan_problem(R, f, AT_ERR_INVALID, "list quantity tiers by increasing `from`",
                            "quantity tier %zu starts at %lld units, not above tier %zu's %lld",
                            i + 1, (long long)t->from, i, (long long)tiers[i - 1].from);
        if (!a)
            at_plan_problem(R, it, AT_ERR_INVALID, eg, "quantity tier %zu has no amount", i + 1);
        else if (at_plan_read_money(R, a, "quantity tier amount", &t->amount) && t->amount < 0)
            at_plan_problem(R, a, AT_ERR_INVALID, "write an amount of 0 or more",
                            "quantity tier %zu has a negative amount", i + 1);
    }
    for (size_t i = 0; i + 1 < n->count; i++) {
        tiers[i].to = tiers[i + 1].from;
        tiers[i].has_to = true;
    }
    pr->quantity_tiers = tiers;
    pr->quantity_tier_count = n->count;
}

/* ---- product lists ------------------------------------------------------------------------ */

static void read_products(comp_ctx *x, const at_yaml_node *n, const char *const *keys)
{
    at_plan_reader *R = x->R;
    at_plan_component *c = x->c;
    bool unit = keys == unit_product_keys, spiff = keys == spiff_product_keys;
    const char *eg = unit    ? "- {product: PRD-A, amount: 500}"
                     : spiff ? "- {product: PRD-NEW, amount: 1000}"
                             : "- {product: PRD-GTX-PRO, rate: 8%} or - {family: SVC, rate: 2%}";
    if (!at_plan_want_list(R, n, "products", eg))
        return;
    at_plan_product_rate *list = at_arena_calloc(R->arena, n->count ? n->count : 1, sizeof *list);
    if (!list) {
        at_plan_nomem(R);
        return;
    }
    size_t k = 0;
    for (size_t i = 0; i < n->count; i++) {
        const at_yaml_node *it = n->items[i];
        if (!at_plan_want_map(R, it, "a product entry", eg))
            continue;
        at_plan_check_keys(R, it, keys, "a product entry",
                           unit ? "a per_unit product" : spiff ? "a spiff product" : "a rate product");
        at_plan_product_rate *pr = &list[k];
        *pr = (at_plan_product_rate){.pos = at_plan_pos_of(R, it)};
        const at_yaml_node *prod = at_plan_get(it, "product"), *fam = at_plan_get(it, "family"),
                           *rate = at_plan_get(it, "rate"), *amount = at_plan_get(it, "amount"),
                           *qt = at_plan_get(it, "quantity_tiers");
        bool ok = true;
        if ((prod != NULL) == (fam != NULL)) {
            at_plan_problem(R, it, AT_ERR_INVALID, eg,
                            prod ? "a product entry names a product or a family, not both"
                                 : "a product entry names no product and no family");
            ok = false;
        } else if (prod ? !at_plan_read_text(R, prod, "product", 128, &pr->product)
                        : !at_plan_read_text(R, fam, "family", 128, &pr->family)) {
            ok = false;
        }
        if (rate && at_plan_read_rate(R, rate, "product rate", true, &pr->rate) && pr->rate < 0)
            at_plan_problem(R, rate, AT_ERR_INVALID, "write a rate of 0% or more",
                            "the product rate is negative");
        if (amount && at_plan_read_money(R, amount, "product amount", &pr->amount) &&
            pr->amount < 0)
            at_plan_problem(R, amount, AT_ERR_INVALID, "write an amount of 0 or more",
                            "the product amount is negative");
        if (qt)
            read_quantity_tiers(x, qt, pr);
        if (!unit && !spiff && !rate)
            at_plan_problem(R, it, AT_ERR_INVALID, eg, "the product entry has no rate");
        if (unit && !amount)
            at_plan_problem(R, it, AT_ERR_INVALID, eg, "the product entry has no amount");
        if (spiff && !amount && !rate)
            at_plan_problem(R, it, AT_ERR_INVALID,
                            "give `amount` (per unit sold) and/or `rate` (of the credited amount)",
                            "the spiff product entry has neither amount nor rate");
        if (!ok)
            continue;
        bool dup = false;
        for (size_t j = 0; j < k && !dup; j++) {
            const at_plan_product_rate *o = &list[j];
            dup = (pr->product && o->product && strcmp(pr->product, o->product) == 0) ||
                  (pr->family && o->family && strcmp(pr->family, o->family) == 0);
        }
        if (dup) {
            at_plan_problem(R, it, AT_ERR_CONFLICT, "list each product and family once",
                            "%s '%s' is listed twice", pr->product ? "product" : "family",
                            pr->product ? pr->product : pr->family);
            continue;
        }
        k++;
    }
    c->product_rates = list;
    c->product_rate_count = k;
}

/* ---- curves ------------------------------------------------------------------------------- */

typedef enum curve_x { CURVE_RATE, CURVE_MONEY, CURVE_COUNT } curve_x;

static bool read_curve_x(comp_ctx *x, const at_yaml_node *n, curve_x kind, int64_t *out)
{
    at_plan_reader *R = x->R;
    if (kind == CURVE_RATE)
        return at_plan_read_rate(R, n, "curve point", false, out);
    if (n->type == AT_YAML_SCALAR && n->len && n->text[n->len - 1] == '%') {
        at_plan_problem(R, n, AT_ERR_INVALID,
                        kind == CURVE_MONEY ? "write the metric's amount, e.g. 25000"
                                            : "write the metric's count, e.g. 12",
                        "curve point '%s' is a percentage, but the metric is %s", n->text,
                        kind == CURVE_MONEY ? "money" : "a count");
        return false;
    }
    if (kind == CURVE_COUNT) {
        int64_t v;
        if (!at_plan_read_int(R, n, "curve point", -1000000000, 1000000000, &v))
            return false;
        *out = v * AT_RATE_SCALE;
        return true;
    }
    return at_plan_read_rate(R, n, "curve point", false, out); /* money, at 1e-9 */
}

static void read_curve(comp_ctx *x, const at_yaml_node *n, curve_x kind)
{
    at_plan_reader *R = x->R;
    const char *eg = "write a list of [x, payout] points, e.g. [[0%, 0%], [100%, 100%], [150%, 200%]]";
    if (!at_plan_want_list(R, n, "curve", eg))
        return;
    if (n->count == 0) {
        at_plan_problem(R, n, AT_ERR_INVALID, eg, "%s: the curve has no points", x->what);
        return;
    }
    at_plan_curve_point *pts = at_arena_calloc(R->arena, n->count, sizeof *pts);
    if (!pts) {
        at_plan_nomem(R);
        return;
    }
    bool ok_all = true;
    for (size_t i = 0; i < n->count; i++) {
        const at_yaml_node *it = n->items[i];
        pts[i].pos = at_plan_pos_of(R, it);
        if (it->type != AT_YAML_LIST || it->count != 2) {
            at_plan_problem(R, it, AT_ERR_INVALID, eg,
                            "curve point %zu must be a pair [x, payout]", i + 1);
            ok_all = false;
            continue;
        }
        bool ok = read_curve_x(x, it->items[0], kind, &pts[i].x);
        if (at_plan_read_rate(R, it->items[1], "curve payout", false, &pts[i].payout) &&
            pts[i].payout < 0) {
            at_plan_problem(R, it->items[1], AT_ERR_INVALID, "write a payout of 0% or more",
                            "curve point %zu has a negative payout", i + 1);
        }
        if (ok && i > 0 && ok_all && pts[i].x <= pts[i - 1].x) {
            at_plan_problem(R, it->items[0], AT_ERR_INVALID,
                            "list the points by increasing x, each x once",
                            "curve point %zu is not above point %zu", i + 1, i);
        }
        ok_all &= ok;
    }
    x->c->curve.points = pts;
    x->c->curve.count = n->count;
}

/* ---- kinds -------------------------------------------------------------------------------- */

static void read_weight_and_curve(comp_ctx *x, curve_x kind)
{
    at_plan_reader *R = x->R;
    const at_yaml_node *w = at_plan_get(x->node, "weight"), *cv = at_plan_get(x->node, "curve"),
                       *ex = at_plan_get(x->node, "extrapolate");
    if (!w)
        at_plan_problem(R, x->node, AT_ERR_INVALID,
                        "add `weight: 40%`: the share of the target incentive this component pays "
                        "at 100% of its curve",
                        "%s has no weight", x->what);
    else if (at_plan_read_rate(R, w, "weight", true, &x->c->weight) && x->c->weight < 0)
        at_plan_problem(R, w, AT_ERR_INVALID, "write a weight from 0% to 100%",
                        "weight is negative");
    if (!cv)
        at_plan_problem(R, x->node, AT_ERR_INVALID,
                        "add `curve: [[0%, 0%], [100%, 100%]]`: the payout at each point",
                        "%s has no curve", x->what);
    else
        read_curve(x, cv, kind);
    if (ex && at_plan_read_bool(R, ex, "extrapolate", &x->c->curve.extrapolate) &&
        x->c->curve.extrapolate && x->c->curve.count == 1)
        at_plan_problem(R, ex, AT_ERR_INVALID, "add a second point to give the curve a slope",
                        "extrapolate needs at least two curve points");
}

static void read_kind(comp_ctx *x)
{
    at_plan_reader *R = x->R;
    at_plan_component *c = x->c;
    const at_yaml_node *n = x->node, *v;
    switch (c->kind) {
    case AT_COMPONENT_RATE:
        if ((v = at_plan_get(n, "rate")) != NULL &&
            at_plan_read_rate(R, v, "rate", true, &c->rate) && c->rate < 0)
            at_plan_problem(R, v, AT_ERR_INVALID, "write a rate of 0% or more", "rate is negative");
        if ((v = at_plan_get(n, "products")) != NULL)
            read_products(x, v, rate_product_keys);
        if (!at_plan_get(n, "rate") && !at_plan_get(n, "products"))
            at_plan_problem(R, n, AT_ERR_INVALID,
                            "add `rate: 5%`, or `products:` with a rate per product",
                            "%s has no rate", x->what);
        break;
    case AT_COMPONENT_PER_UNIT:
        if ((v = at_plan_get(n, "amount")) != NULL &&
            at_plan_read_money(R, v, "amount", &c->default_amount) && c->default_amount < 0)
            at_plan_problem(R, v, AT_ERR_INVALID, "write an amount of 0 or more",
                            "amount is negative");
        if ((v = at_plan_get(n, "products")) != NULL)
            read_products(x, v, unit_product_keys);
        if (!at_plan_get(n, "amount") && !at_plan_get(n, "products"))
            at_plan_problem(R, n, AT_ERR_INVALID,
                            "add `amount: 500` (per unit), or `products:` with an amount per product",
                            "%s has no amount", x->what);
        break;
    case AT_COMPONENT_TIERS: {
        int k;
        if ((v = at_plan_get(n, "method")) == NULL)
            at_plan_problem(R, n, AT_ERR_INVALID,
                            "add `method: marginal` (each slice at its tier's rate) or "
                            "`method: retroactive` (the reached tier's rate on everything)",
                            "%s has no method", x->what);
        else if (at_plan_read_enum(R, v, "method", at_plan_method_names, &k))
            c->method = (at_tier_method)k;
        if ((v = at_plan_get(n, "on")) != NULL &&
            at_plan_read_enum(R, v, "on", at_plan_tier_basis_names, &k)) {
            c->tier_basis = (at_tier_basis)k;
            if (c->tier_basis == AT_TIER_ON_ATTAINMENT)
                need_quota(x, v, "has tiers on attainment");
        }
        if ((v = at_plan_get(n, "scope")) != NULL &&
            at_plan_read_enum(R, v, "scope", at_plan_scope_names, &k)) {
            c->scope = (at_tier_scope)k;
            if (c->scope == AT_TIERS_ON_TRANSACTION && c->tier_basis == AT_TIER_ON_ATTAINMENT)
                at_plan_problem(R, v, AT_ERR_INVALID,
                                "use `on: amount` with `scope: transaction`, or `scope: period`",
                                "%s: tiers on attainment cannot restart for each transaction",
                                x->what);
        }
        if ((v = at_plan_get(n, "edges")) != NULL &&
            at_plan_read_enum(R, v, "edges", at_plan_edges_names, &k))
            c->edges = (at_tier_edges)k;
        if ((v = at_plan_get(n, "tiers")) != NULL)
            read_tiers(x, v);
        else
            at_plan_problem(R, n, AT_ERR_INVALID, "add `tiers:` with the rate table",
                            "%s has no tiers", x->what);
        break;
    }
    case AT_COMPONENT_BONUS:
        if (c->measure >= 0)
            need_quota(x, at_plan_get(n, "measure"), "pays on attainment");
        read_weight_and_curve(x, CURVE_RATE);
        break;
    case AT_COMPONENT_METRIC: {
        curve_x kind = CURVE_RATE;
        if ((v = at_plan_get(n, "metric")) == NULL) {
            at_plan_problem(R, n, AT_ERR_INVALID,
                            "add `metric: NAME`, a metric declared under `metrics:`",
                            "%s names no metric", x->what);
        } else if (at_plan_read_text(R, v, "metric", 64, &c->metric)) {
            size_t i = 0;
            while (i < R->metric_count && strcmp(R->metrics[i].name, c->metric) != 0)
                i++;
            if (i == R->metric_count) {
                char list[200] = "", hint[AT_ERROR_HINT_MAX];
                size_t o = 0;
                for (size_t j = 0; j < R->metric_count && o < sizeof list; j++)
                    o += (size_t)snprintf(list + o, sizeof list - o, "%s%s", j ? ", " : "",
                                          R->metrics[j].name);
                snprintf(hint, sizeof hint,
                         "declare it under `metrics:` as {name: %s, unit: number}%s%s", c->metric,
                         list[0] ? "; declared: " : "", list);
                at_plan_problem(R, v, AT_ERR_NOT_FOUND, hint, "metric '%s' is not declared",
                                c->metric);
            } else {
                kind = R->metrics[i].unit == AT_UNIT_MONEY   ? CURVE_MONEY
                       : R->metrics[i].unit == AT_UNIT_COUNT ? CURVE_COUNT
                                                             : CURVE_RATE;
            }
        }
        int k;
        if ((v = at_plan_get(n, "metric_window")) != NULL &&
            at_plan_read_enum(R, v, "metric_window", at_plan_metric_window_names, &k))
            c->metric_window = (at_plan_window)k;
        read_weight_and_curve(x, kind);
        break;
    }
    case AT_COMPONENT_SPIFF: {
        read_span(x, &c->spiff_from, &c->spiff_to);
        const at_yaml_node *act = at_plan_get(n, "activity");
        if (act) {
            int k;
            if (at_plan_read_enum(R, act, "activity", at_plan_activity_names, &k))
                c->activity_type = at_plan_activity_names[k];
            const char *why = "an activity spiff pays per activity; remove this key, or pay "
                              "on products in a spiff of its own";
            no_key(x, "measure", why);
            no_key(x, "products", why);
            no_key(x, "rate", why);
            no_key(x, "amount", why);
            if ((v = at_plan_get(n, "meaningful_only")) != NULL)
                at_plan_read_bool(R, v, "meaningful_only", &c->activity_meaningful_only);
            if ((v = at_plan_get(n, "per_activity")) == NULL)
                at_plan_problem(R, n, AT_ERR_INVALID, "add `per_activity: 50` (paid per activity)",
                                "%s has no per_activity amount", x->what);
            else if (at_plan_read_money(R, v, "per_activity", &c->per_activity) &&
                     c->per_activity <= 0)
                at_plan_problem(R, v, AT_ERR_INVALID, "write an amount above 0",
                                "per_activity must be more than 0");
        } else {
            const char *why = "meaningful_only and per_activity belong to activity spiffs: add "
                              "`activity: meeting`, or remove them";
            no_key(x, "meaningful_only", why);
            no_key(x, "per_activity", why);
            if ((v = at_plan_get(n, "rate")) != NULL &&
                at_plan_read_rate(R, v, "rate", true, &c->rate) && c->rate < 0)
                at_plan_problem(R, v, AT_ERR_INVALID, "write a rate of 0% or more",
                                "rate is negative");
            if ((v = at_plan_get(n, "amount")) != NULL &&
                at_plan_read_money(R, v, "amount", &c->default_amount) && c->default_amount < 0)
                at_plan_problem(R, v, AT_ERR_INVALID, "write an amount of 0 or more",
                                "amount is negative");
            if ((v = at_plan_get(n, "products")) != NULL)
                read_products(x, v, spiff_product_keys);
            if (!at_plan_get(n, "products") && !at_plan_get(n, "rate") &&
                !at_plan_get(n, "amount"))
                at_plan_problem(R, n, AT_ERR_INVALID,
                                "add `products:` with an amount per unit or a rate, or "
                                "`activity:` with `per_activity:`",
                                "%s pays nothing: it has no products, rate, amount or activity",
                                x->what);
        }
        break;
    }
    case AT_COMPONENT_FORMULA:
        if ((v = at_plan_get(n, "formula")) == NULL)
            at_plan_problem(R, n, AT_ERR_INVALID,
                            "add `formula: \"...\"` giving the component's earnings in money",
                            "%s has no formula", x->what);
        else if (v->type != AT_YAML_SCALAR || at_yaml_is_null(v)) {
            const char *dummy;
            at_plan_read_text(R, v, "formula", AT_FORMULA_TEXT_MAX, &dummy);
        } else {
            c->formula = at_plan_compile(R, v, AT_FORMULA_USE_COMPONENT, c->measure,
                                         (int)x->index);
        }
        break;
    }
}

/* Whether a kind pays on a measure: required, optional or not at all. */
typedef enum measure_need { MEASURE_REQUIRED, MEASURE_OPTIONAL, MEASURE_NONE } measure_need;

static measure_need measure_need_of(const at_plan_component *c, const at_yaml_node *n)
{
    switch (c->kind) {
    case AT_COMPONENT_METRIC: return MEASURE_NONE;
    case AT_COMPONENT_FORMULA: return MEASURE_OPTIONAL;
    case AT_COMPONENT_SPIFF: return at_plan_get(n, "activity") ? MEASURE_NONE : MEASURE_REQUIRED;
    default: return MEASURE_REQUIRED;
    }
}

static bool pays_per_credit(const at_plan_component *c)
{
    switch (c->kind) {
    case AT_COMPONENT_RATE:
    case AT_COMPONENT_PER_UNIT: return true;
    case AT_COMPONENT_TIERS: return c->scope == AT_TIERS_ON_TRANSACTION;
    case AT_COMPONENT_SPIFF: return c->activity_type == NULL;
    default: return false;
    }
}

static void read_component(at_plan_reader *R, const at_yaml_node *n, size_t index)
{
    at_plan_component *c = &R->components[index];
    *c = (at_plan_component){.measure = -1, .clawback = true, .pos = at_plan_pos_of(R, n)};
    comp_ctx x = {.R = R, .node = n, .c = c, .index = index};
    snprintf(x.what, sizeof x.what, "component %zu", index + 1);
    if (!at_plan_want_map(R, n, x.what, "write a component as `- id: commission` with its keys below"))
        return;
    const at_yaml_node *v;
    if ((v = at_plan_get(n, "id")) != NULL && at_plan_read_ident(R, v, "component id", &c->id))
        snprintf(x.what, sizeof x.what, "component '%s'", c->id);
    else if (!v)
        at_plan_problem(R, n, AT_ERR_INVALID,
                        "add `id: commission`: statements and formulas name a component by its id",
                        "%s has no id", x.what);
    int k = -1;
    if ((v = at_plan_get(n, "kind")) == NULL)
        at_plan_problem(R, n, AT_ERR_INVALID,
                        "add `kind:` with one of: rate, per_unit, tiers, bonus, metric, spiff, formula",
                        "%s has no kind", x.what);
    else
        at_plan_read_enum(R, v, "component kind", at_plan_component_names, &k);
    if (k < 0) {
        at_plan_check_keys(R, n, all_keys, x.what, "a component");
        return;
    }
    c->kind = (at_component_kind)k;
    char label[48];
    snprintf(label, sizeof label, "a %s component", at_plan_component_names[k]);
    at_plan_check_keys(R, n, kind_keys[k], x.what, label);
    if ((v = at_plan_get(n, "name")) != NULL)
        at_plan_read_text(R, v, "component name", 200, &c->name);
    if (!c->name)
        c->name = c->id;
    measure_need need = measure_need_of(c, n);
    if ((v = at_plan_get(n, "measure")) != NULL) {
        if (need != MEASURE_NONE || c->kind != AT_COMPONENT_SPIFF)
            c->measure = find_measure(&x, v); /* an activity spiff's measure is reported below */
    } else if (need == MEASURE_REQUIRED) {
        char list[200], hint[AT_ERROR_HINT_MAX];
        list_measures(R, list, sizeof list);
        snprintf(hint, sizeof hint, "add `measure: ID`%s%s", list[0] ? " with one of: " : "",
                 list[0] ? list : "; define the measure under `measures:`");
        at_plan_problem(R, n, AT_ERR_INVALID, hint, "%s names no measure to pay on", x.what);
    }
    read_kind(&x);
    if ((v = at_plan_get(n, "gate")) != NULL) {
        if (v->type != AT_YAML_SCALAR || at_yaml_is_null(v)) {
            const char *dummy;
            at_plan_read_text(R, v, "gate", AT_FORMULA_TEXT_MAX, &dummy);
        } else {
            c->gate = at_plan_compile(R, v, AT_FORMULA_USE_GATE, c->measure, (int)index);
        }
    }
    if ((v = at_plan_get(n, "cap")) != NULL)
        read_caps(&x, v, pays_per_credit(c));
    if ((v = at_plan_get(n, "clawback")) != NULL)
        at_plan_read_bool(R, v, "clawback", &c->clawback);
}

/* The id of component n if it is an identifier (no problem reported: read_component does). */
static const char *peek_id(at_plan_reader *R, const at_yaml_node *n)
{
    const at_yaml_node *v = at_plan_get(n, "id");
    if (!v || v->type != AT_YAML_SCALAR || v->len == 0 || v->len > 64 || v->text[0] < 'a' ||
        v->text[0] > 'z')
        return NULL;
    for (size_t i = 0; i < v->len; i++) {
        char ch = v->text[i];
        if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_'))
            return NULL;
    }
    const char *s = at_arena_strndup(R->arena, v->text, v->len);
    if (!s)
        at_plan_nomem(R);
    return s;
}

void at_plan_read_components(at_plan_reader *R, const at_yaml_node *n)
{
    if (!at_plan_want_list(R, n, "components", "write a list: - id: commission ..."))
        return;
    if (n->count == 0) {
        at_plan_problem(R, n, AT_ERR_INVALID, "add at least one component (see docs/plans.md)",
                        "the plan has no components");
        return;
    }
    R->components = at_arena_calloc(R->arena, n->count, sizeof *R->components);
    R->component_ids = at_arena_calloc(R->arena, n->count, sizeof *R->component_ids);
    if (!R->components || !R->component_ids) {
        at_plan_nomem(R);
        return;
    }
    R->component_total = n->count;
    for (size_t i = 0; i < n->count; i++)
        R->component_ids[i] = peek_id(R, n->items[i]);
    R->component_count = n->count;
    for (size_t i = 0; i < n->count && !R->nomem; i++)
        read_component(R, n->items[i], i);
    /* ids: unique, not a measure's, not reserved */
    for (size_t i = 0; i < n->count; i++) {
        const at_plan_component *c = &R->components[i];
        if (!c->id)
            continue;
        const at_yaml_node *idn = at_plan_get(n->items[i], "id");
        if (at_plan_reserved_name(c->id)) {
            at_plan_problem(R, idn, AT_ERR_INVALID,
                            "choose another id: formulas give this word a meaning of its own",
                            "component id '%s' is a reserved word", c->id);
            continue;
        }
        bool dup = false;
        for (size_t j = 0; j < i && !dup; j++) {
            if (R->components[j].id && strcmp(R->components[j].id, c->id) == 0) {
                at_plan_problem(R, idn, AT_ERR_CONFLICT, "give each component an id of its own",
                                "component id '%s' is used twice (first at line %d)", c->id,
                                R->components[j].pos.line);
                dup = true;
            }
        }
        for (size_t j = 0; j < R->measure_count && !dup; j++) {
            if (R->measures[j].id && strcmp(R->measures[j].id, c->id) == 0) {
                at_plan_problem(R, idn, AT_ERR_CONFLICT,
                                "give the component an id no measure has: formulas name both "
                                "by their ids",
                                "component id '%s' is also a measure's id (line %d)", c->id,
                                R->measures[j].pos.line);
                dup = true;
            }
        }
    }
    /* bonus and metric weights share the target incentive */
    at_rate total = 0;
    const at_yaml_node *last = NULL;
    for (size_t i = 0; i < n->count; i++) {
        const at_plan_component *c = &R->components[i];
        if (c->kind == AT_COMPONENT_BONUS || c->kind == AT_COMPONENT_METRIC) {
            total += c->weight;
            last = n->items[i];
        }
    }
    if (total > AT_RATE_SCALE) {
        char pct[32];
        format_bound(total, true, pct, sizeof pct);
        at_plan_problem(R, at_plan_get(last, "weight") ? at_plan_get(last, "weight") : last,
                        AT_ERR_INVALID,
                        "the weights split the target incentive between components: make them "
                        "add up to 100% or less",
                        "the weights of the bonus and metric components add up to %s", pct);
    }
}
