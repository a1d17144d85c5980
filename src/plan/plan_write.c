/* plan_write.c - a plan written back as canonical YAML: keys in one fixed order, every default
 * spelled out, amounts with their decimals, rates as exact percentages, formulas as written.
 * `attain plan diff` compares these, so two documents that mean the same thing (other key
 * order, other spacing, 0.05 against 5%, comments) compare equal. Reading the canonical text
 * gives the same plan again. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan/plan_impl.h"

/* ---- scalars ------------------------------------------------------------------------------ */

static bool word_is(const char *s, const char *w)
{
    return at_str_eq_nocase(at_str_from(s), at_str_from(w));
}

/* Safe to write without quotes: starts with a letter or digit, holds only letters, digits,
 * space, _ . - / ( ) + &, does not end in a space and is no YAML keyword. */
static bool plain_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 0)
        return false;
    unsigned char c0 = (unsigned char)s[0];
    bool alnum0 = (c0 >= 'a' && c0 <= 'z') || (c0 >= 'A' && c0 <= 'Z') || (c0 >= '0' && c0 <= '9');
    if (!alnum0 || s[n - 1] == ' ')
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  strchr(" _.-/()+&", c) != NULL;
        if (!ok || c == 0)
            return false;
    }
    static const char *const keywords[] = {"null", "true", "false", "yes", "no", "on", "off",
                                           "y", "n", NULL};
    for (size_t i = 0; keywords[i]; i++)
        if (word_is(s, keywords[i]))
            return false;
    return true;
}

static void put_str(FILE *f, const char *s)
{
    if (plain_ok(s)) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"': fputs("\\\"", f); break;
        case '\\': fputs("\\\\", f); break;
        case '\n': fputs("\\n", f); break;
        case '\t': fputs("\\t", f); break;
        case '\r': fputs("\\r", f); break;
        default:
            if (*p < 0x20 || *p == 0x7f)
                fprintf(f, "\\x%02x", *p);
            else
                fputc(*p, f);
        }
    }
    fputc('"', f);
}

static void put_money(FILE *f, at_money v)
{
    char buf[AT_MONEY_TEXT_MAX];
    at_money_format(v, buf, sizeof buf);
    fputs(buf, f);
}

/* An exact percentage: 50,000,000 -> "5%", 125,000,000 -> "12.5%". */
static void put_percent(FILE *f, at_rate v)
{
    const int64_t unit = AT_RATE_SCALE / 100; /* 1% */
    uint64_t a = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    uint64_t whole = a / (uint64_t)unit, frac = a % (uint64_t)unit;
    fprintf(f, "%s%llu", v < 0 ? "-" : "", (unsigned long long)whole);
    if (frac) {
        char digits[8];
        snprintf(digits, sizeof digits, "%07llu", (unsigned long long)frac);
        size_t n = 7;
        while (n > 0 && digits[n - 1] == '0')
            n--;
        digits[n] = '\0';
        fprintf(f, ".%s", digits);
    }
    fputc('%', f);
}

/* A number at 1e-9 written as a decimal (a money metric's curve point). */
static void put_decimal(FILE *f, int64_t v)
{
    char buf[48];
    at_rate_format(v, buf, sizeof buf);
    fputs(buf, f);
}

static void put_day(FILE *f, at_day d)
{
    char buf[AT_DATE_TEXT_MAX];
    at_day_format(d, buf, sizeof buf);
    fputs(buf, f);
}

static void put_bool(FILE *f, bool b)
{
    fputs(b ? "true" : "false", f);
}

static void put_list(FILE *f, const char *const *items, size_t count)
{
    fputc('[', f);
    for (size_t i = 0; i < count; i++) {
        if (i)
            fputs(", ", f);
        put_str(f, items[i]);
    }
    fputc(']', f);
}

static void put_bits(FILE *f, uint32_t bits, const char *const *names)
{
    fputc('[', f);
    bool first = true;
    for (int i = 0; names[i]; i++) {
        if (bits & (1u << i)) {
            fprintf(f, "%s%s", first ? "" : ", ", names[i]);
            first = false;
        }
    }
    fputc(']', f);
}

static void put_formula(FILE *f, const at_formula *formula)
{
    put_str(f, formula ? at_formula_text(formula) : "");
}

/* ---- parts -------------------------------------------------------------------------------- */

static void put_span(FILE *f, const char *indent, at_day from, at_day to)
{
    if (from != AT_DAY_MIN) {
        fprintf(f, "%sfrom: ", indent);
        put_day(f, from);
        fputc('\n', f);
    }
    if (to != AT_DAY_MAX) {
        fprintf(f, "%sto: ", indent);
        put_day(f, to);
        fputc('\n', f);
    }
}

static void put_measure(FILE *f, const at_plan_measure *m)
{
    fprintf(f, "  - id: %s\n    name: ", m->id);
    put_str(f, m->name ? m->name : m->id);
    fprintf(f, "\n    basis: %s\n    sum: ", at_plan_basis_names[m->basis]);
    if (m->sum == AT_SUM_FORMULA)
        put_formula(f, m->sum_formula);
    else
        fputs(at_plan_sum_names[m->sum], f);
    fprintf(f, "\n    window: %s\n    credit: ", at_plan_window_names[m->window]);
    put_bits(f, m->credit_kinds, at_plan_credit_names);
    fputc('\n', f);
    if (m->credit_kinds & (1u << AT_CREDIT_ROLLUP))
        fprintf(f, "    rollup_levels: %d\n", m->rollup_levels);
    if (m->credit_kinds & (1u << AT_CREDIT_TERRITORY)) {
        fputs("    territory_roles: ", f);
        put_bits(f, m->territory_roles ? m->territory_roles : 7u, at_plan_territory_role_names);
        fputc('\n', f);
    }
    if (m->product_family_count) {
        fputs("    product_families: ", f);
        put_list(f, m->product_families, m->product_family_count);
        fputc('\n', f);
    }
    if (m->product_count) {
        fputs("    products: ", f);
        put_list(f, m->products, m->product_count);
        fputc('\n', f);
    }
    put_span(f, "    ", m->from, m->to);
    fputs("    quota: ", f);
    put_str(f, m->quota ? m->quota : "none");
    fputc('\n', f);
}

static void put_tier_bound(FILE *f, int64_t v, bool attainment)
{
    if (attainment)
        put_percent(f, v);
    else
        put_money(f, v);
}

static void put_products(FILE *f, const at_plan_component *c)
{
    if (!c->product_rate_count)
        return;
    fputs("    products:\n", f);
    for (size_t i = 0; i < c->product_rate_count; i++) {
        const at_plan_product_rate *p = &c->product_rates[i];
        fprintf(f, "      - {%s: ", p->product ? "product" : "family");
        put_str(f, p->product ? p->product : p->family);
        if (c->kind == AT_COMPONENT_RATE || c->kind == AT_COMPONENT_SPIFF) {
            fputs(", rate: ", f);
            put_percent(f, p->rate);
        }
        if (c->kind == AT_COMPONENT_PER_UNIT || c->kind == AT_COMPONENT_SPIFF) {
            fputs(", amount: ", f);
            put_money(f, p->amount);
        }
        if (p->quantity_tier_count) {
            fputs(", quantity_tiers: [", f);
            for (size_t j = 0; j < p->quantity_tier_count; j++) {
                fprintf(f, "%s{from: %lld, amount: ", j ? ", " : "",
                        (long long)p->quantity_tiers[j].from);
                put_money(f, p->quantity_tiers[j].amount);
                fputc('}', f);
            }
            fputc(']', f);
        }
        fputs("}\n", f);
    }
}

static void put_curve(FILE *f, const at_plan_curve *curve, at_unit x_unit, bool metric)
{
    fputs("    curve:\n", f);
    for (size_t i = 0; i < curve->count; i++) {
        const at_plan_curve_point *p = &curve->points[i];
        fputs("      - [", f);
        if (!metric || x_unit == AT_UNIT_NUMBER)
            put_percent(f, p->x);
        else if (x_unit == AT_UNIT_COUNT)
            fprintf(f, "%lld", (long long)(p->x / AT_RATE_SCALE));
        else
            put_decimal(f, p->x);
        fputs(", ", f);
        put_percent(f, p->payout);
        fputs("]\n", f);
    }
    fputs("    extrapolate: ", f);
    put_bool(f, curve->extrapolate);
    fputc('\n', f);
}

static void put_component(FILE *f, const at_plan *plan, const at_plan_component *c)
{
    fprintf(f, "  - id: %s\n    name: ", c->id);
    put_str(f, c->name ? c->name : c->id);
    fprintf(f, "\n    kind: %s\n", at_component_kind_name(c->kind));
    if (c->measure >= 0 && (size_t)c->measure < plan->measure_count)
        fprintf(f, "    measure: %s\n", plan->measures[c->measure].id);
    switch (c->kind) {
    case AT_COMPONENT_RATE:
        fputs("    rate: ", f);
        put_percent(f, c->rate);
        fputc('\n', f);
        put_products(f, c);
        break;
    case AT_COMPONENT_PER_UNIT:
        fputs("    amount: ", f);
        put_money(f, c->default_amount);
        fputc('\n', f);
        put_products(f, c);
        break;
    case AT_COMPONENT_TIERS: {
        bool att = c->tier_basis == AT_TIER_ON_ATTAINMENT;
        fprintf(f, "    method: %s\n    on: %s\n    scope: %s\n    edges: %s\n    tiers:\n",
                at_plan_method_names[c->method], at_plan_tier_basis_names[c->tier_basis],
                at_plan_scope_names[c->scope], at_plan_edges_names[c->edges]);
        for (size_t i = 0; i < c->tier_count; i++) {
            const at_plan_tier *t = &c->tiers[i];
            fputs("      - {from: ", f);
            put_tier_bound(f, t->from, att);
            if (t->has_to) {
                fputs(", to: ", f);
                put_tier_bound(f, t->to, att);
            }
            fputs(", rate: ", f);
            put_percent(f, t->rate);
            fputs("}\n", f);
        }
        break;
    }
    case AT_COMPONENT_BONUS:
        fputs("    weight: ", f);
        put_percent(f, c->weight);
        fputc('\n', f);
        put_curve(f, &c->curve, AT_UNIT_NUMBER, false);
        break;
    case AT_COMPONENT_METRIC: {
        at_unit unit = AT_UNIT_NUMBER;
        for (size_t i = 0; i < plan->metric_count; i++)
            if (c->metric && strcmp(plan->metrics[i].name, c->metric) == 0)
                unit = plan->metrics[i].unit;
        fputs("    metric: ", f);
        put_str(f, c->metric ? c->metric : "");
        fprintf(f, "\n    metric_window: %s\n    weight: ",
                at_plan_metric_window_names[c->metric_window]);
        put_percent(f, c->weight);
        fputc('\n', f);
        put_curve(f, &c->curve, unit, true);
        break;
    }
    case AT_COMPONENT_SPIFF:
        put_span(f, "    ", c->spiff_from, c->spiff_to);
        if (c->activity_type) {
            fprintf(f, "    activity: %s\n    meaningful_only: ", c->activity_type);
            put_bool(f, c->activity_meaningful_only);
            fputs("\n    per_activity: ", f);
            put_money(f, c->per_activity);
            fputc('\n', f);
        } else {
            fputs("    rate: ", f);
            put_percent(f, c->rate);
            fputs("\n    amount: ", f);
            put_money(f, c->default_amount);
            fputc('\n', f);
            put_products(f, c);
        }
        break;
    case AT_COMPONENT_FORMULA:
        fputs("    formula: ", f);
        put_formula(f, c->formula);
        fputc('\n', f);
        break;
    }
    if (c->gate) {
        fputs("    gate: ", f);
        put_formula(f, c->gate);
        fputc('\n', f);
    }
    const at_plan_caps *cap = &c->caps;
    if (cap->has_per_deal || cap->has_per_period || cap->has_per_year) {
        fputs("    cap: {", f);
        const char *sep = "";
        if (cap->has_per_deal) {
            fputs("per_deal: ", f);
            put_money(f, cap->per_deal);
            sep = ", ";
        }
        if (cap->has_per_period) {
            fprintf(f, "%sper_period: ", sep);
            put_money(f, cap->per_period);
            sep = ", ";
        }
        if (cap->has_per_year) {
            fprintf(f, "%sper_year: ", sep);
            put_money(f, cap->per_year);
        }
        fputs("}\n", f);
    }
    fputs("    clawback: ", f);
    put_bool(f, c->clawback);
    fputc('\n', f);
}

static void put_plan(FILE *f, const at_plan *p)
{
    fputs("plan: ", f);
    put_str(f, p->name ? p->name : "");
    fputc('\n', f);
    if (p->description) {
        fputs("description: ", f);
        put_str(f, p->description);
        fputc('\n', f);
    }
    if (p->effective_from != AT_DAY_MIN || p->effective_to != AT_DAY_MAX) {
        fputs("effective:\n", f);
        put_span(f, "  ", p->effective_from, p->effective_to);
    }
    if (p->currency)
        fprintf(f, "currency: %s\n", p->currency);
    fprintf(f, "fx_date: %s\nrounding: %s\nfrequency: %s\nproration: %s\n",
            at_plan_fx_date_names[p->fx_date], at_rounding_name(p->rounding),
            at_plan_frequency_names[p->frequency], at_plan_proration_names[p->proration]);
    fputs("clawback: {", f);
    if (p->clawback.within_days >= 0)
        fprintf(f, "within_days: %d, ", p->clawback.within_days);
    fputs("share: ", f);
    put_percent(f, p->clawback.share);
    fputs("}\n", f);
    if (p->metric_count) {
        fputs("metrics:\n", f);
        for (size_t i = 0; i < p->metric_count; i++)
            fprintf(f, "  - {name: %s, unit: %s}\n", p->metrics[i].name,
                    at_plan_unit_names[p->metrics[i].unit]);
    }
    if (p->measure_count) {
        fputs("measures:\n", f);
        for (size_t i = 0; i < p->measure_count; i++)
            put_measure(f, &p->measures[i]);
    }
    fputs("components:\n", f);
    for (size_t i = 0; i < p->component_count; i++)
        put_component(f, p, &p->components[i]);
    if (p->draw.present) {
        fputs("draw: {amount: ", f);
        put_money(f, p->draw.amount);
        fputs(", recoverable: ", f);
        put_bool(f, p->draw.recoverable);
        fprintf(f, ", months: %d}\n", p->draw.months);
    }
}

at_code at_plan_write_canonical(const at_plan *plan, char **text, size_t *length,
                                at_error *err)
{
    *text = NULL;
    *length = 0;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory writing the plan");
    put_plan(f, plan);
    bool bad = ferror(f) != 0;
    if (fclose(f) != 0 || bad || !buf) {
        free(buf);
        return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory writing the plan");
    }
    *text = buf;
    *length = len;
    return AT_OK;
}
