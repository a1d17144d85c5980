/* statement_json.c - the statement as JSON (jansson): the shape documented in
 * docs/statements.md. Money is a decimal string ("12500.00": paid amounts in the pay
 * currency's decimals, exact amounts with more decimals when they have them), rates and
 * attainment are exact decimal strings ("0.05", "1.0425"), dates "YYYY-MM-DD", counts
 * integers; keys always present (null when there is nothing to say). */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "core/utf8.h"
#include "pay/statement.h"
#include "pay/statement_impl.h"

/* The version of the JSON shape: raised when a key changes meaning or goes away. */
#define STATEMENT_JSON_VERSION 1

typedef struct jctx {
    bool failed; /* out of memory somewhere */
} jctx;

static void set(jctx *c, json_t *obj, const char *key, json_t *value)
{
    if (!obj || !value || json_object_set_new(obj, key, value) != 0)
        c->failed = true;
}

static void push(jctx *c, json_t *arr, json_t *value)
{
    if (!arr || !value || json_array_append_new(arr, value) != 0)
        c->failed = true;
}

/* A string, null for NULL; bytes that are not UTF-8 become U+FFFD. */
static json_t *jstr(const char *s)
{
    if (!s)
        return json_null();
    size_t len = strlen(s), bad = 0;
    if (at_utf8_validate(s, len, &bad) == AT_UTF8_OK)
        return json_stringn(s, len);
    char *clean = malloc(len * 3 + 1);
    if (!clean)
        return NULL;
    size_t n = 0;
    const unsigned char *p = (const unsigned char *)s;
    size_t avail = len;
    while (avail) {
        size_t l;
        if (at_utf8_check_sequence(p, avail, &l) == AT_UTF8_OK && l <= avail) {
            memcpy(clean + n, p, l);
            n += l;
        } else {
            memcpy(clean + n, "\xEF\xBF\xBD", 3);
            n += 3;
            l = 1;
        }
        p += l;
        avail -= l;
    }
    json_t *j = json_stringn(clean, n);
    free(clean);
    return j;
}

static json_t *jmoney(at_money v, int decimals, bool exact)
{
    char buf[AT_ST_TEXT_MAX];
    return json_string(at_st_money(v, decimals, exact, false, buf, sizeof buf));
}

static json_t *jrate(at_rate v)
{
    char buf[AT_ST_TEXT_MAX];
    return json_string(at_st_rate(v, buf, sizeof buf));
}

static json_t *jday(at_day d)
{
    char buf[AT_ST_TEXT_MAX];
    if (d == AT_DAY_MIN || d == AT_DAY_MAX)
        return json_null();
    return json_string(at_st_day(d, buf, sizeof buf));
}

static json_t *jvalue(const at_statement_measure *m, at_money v)
{
    return jmoney(v, m->money ? at_st_currency_decimals(m->currency) : 0, true);
}

static json_t *header(jctx *c, const at_statement *st)
{
    json_t *root = json_object();
    set(c, root, "statement_version", json_integer(STATEMENT_JSON_VERSION));
    set(c, root, "company", jstr(st->company));
    set(c, root, "issued", st->issued == AT_DAY_MIN ? json_null() : jday(st->issued));
    json_t *payee = json_object();
    set(c, payee, "id", jstr(st->payee_id));
    set(c, payee, "name", jstr(st->payee_name));
    set(c, payee, "currency", jstr(st->currency));
    set(c, root, "payee", payee);
    json_t *period = json_object();
    set(c, period, "label", jstr(st->period->label));
    set(c, period, "first", jday(st->period->first));
    set(c, period, "last", jday(st->period->last));
    set(c, period, "fiscal_year", jstr(st->year->label));
    set(c, period, "year_first", jday(st->year->first));
    set(c, root, "period", period);
    json_t *plans = json_array();
    for (size_t i = 0; i < st->plan_count; i++) {
        const at_statement_plan *p = &st->plans[i];
        json_t *o = json_object();
        set(c, o, "name", jstr(p->plan->name));
        set(c, o, "version", json_integer(p->plan->version));
        set(c, o, "assignment", jstr(p->assignment));
        set(c, o, "currency", jstr(p->currency));
        set(c, o, "frequency", json_string(at_st_frequency(p->plan->frequency)));
        set(c, o, "rounding", json_string(at_rounding_name(p->plan->rounding)));
        set(c, o, "start", jday(p->start));
        set(c, o, "end", jday(p->end));
        set(c, o, "target_incentive",
            p->target_currency ? jmoney(p->target_incentive,
                                        at_st_currency_decimals(p->target_currency), true)
                               : json_null());
        set(c, o, "target_currency", jstr(p->target_currency));
        push(c, plans, o);
    }
    set(c, root, "plans", plans);
    return root;
}

static json_t *line_json(jctx *c, const at_statement *st, const at_statement_line *l)
{
    int d = at_st_currency_decimals(l->plan_currency);
    json_t *o = json_object();
    set(c, o, "key", jstr(l->key));
    set(c, o, "kind", json_string(at_st_line_kind(l->kind)));
    set(c, o, "name", jstr(l->name));
    set(c, o, "component", jstr(l->component));
    set(c, o, "component_kind", jstr(l->component_kind));
    set(c, o, "plan", l->plan ? jstr(l->plan->name) : json_null());
    set(c, o, "plan_version", l->plan ? json_integer(l->plan->version) : json_null());
    set(c, o, "currency", jstr(l->plan_currency));
    set(c, o, "earned", jmoney(l->earned, d, true));
    set(c, o, "earned_to_date", jmoney(l->earned_to_date, d, true));
    set(c, o, "fx_rate", jrate(l->fx_rate));
    set(c, o, "earned_converted", jmoney(l->earned_converted, st->decimals, true));
    set(c, o, "rounding", jmoney(l->rounding, st->decimals, true));
    set(c, o, "paid", jmoney(l->amount, st->decimals, true));
    set(c, o, "gated", json_boolean(l->gated));
    set(c, o, "capped", json_boolean(l->capped));
    set(c, o, "explain", jstr(l->explain));
    set(c, o, "measure", l->measure >= 0 ? json_integer(l->measure) : json_null());
    set(c, o, "adjusts", jstr(l->adjusts_period));
    return o;
}

static json_t *credit_json(jctx *c, const at_statement_measure *m, const at_statement_credit *cr)
{
    json_t *o = json_object();
    int cd = at_st_currency_decimals(cr->currency);
    set(c, o, "transaction", jstr(cr->transaction));
    set(c, o, "type", json_string(at_st_tx_type(cr->type)));
    set(c, o, "date", jday(cr->date));
    set(c, o, "in_month", json_boolean(cr->in_month));
    set(c, o, "product", jstr(cr->product));
    set(c, o, "transaction_amount", jmoney(cr->transaction_amount, cd, true));
    set(c, o, "currency", jstr(cr->currency));
    set(c, o, "kind", json_string(at_st_credit_kind(cr->kind)));
    set(c, o, "level", json_integer(cr->level));
    set(c, o, "from", jstr(cr->from_person));
    set(c, o, "share", jrate(cr->share));
    set(c, o, "scale", jrate(cr->scale));
    set(c, o, "amount", jmoney(cr->amount, cd, true));
    set(c, o, "margin", cr->has_margin ? jmoney(cr->margin, cd, true) : json_null());
    set(c, o, "fx_rate", cr->fx_missing ? json_null() : jrate(cr->fx_rate));
    set(c, o, "fx_date", jday(cr->fx_date));
    set(c, o, "converted", cr->fx_missing ? json_null()
                                          : jmoney(cr->converted,
                                                   at_st_currency_decimals(m->currency), true));
    set(c, o, "value", cr->has_value ? jvalue(m, cr->value) : json_null());
    if (cr->original) {
        json_t *orig = json_object();
        set(c, orig, "transaction", jstr(cr->original));
        set(c, orig, "date", jday(cr->original_date));
        set(c, o, "cancels", orig);
    } else {
        set(c, o, "cancels", json_null());
    }
    return o;
}

static json_t *measure_json(jctx *c, const at_statement_measure *m)
{
    json_t *o = json_object();
    set(c, o, "id", jstr(m->def->id));
    set(c, o, "name", jstr(m->def->name ? m->def->name : m->def->id));
    set(c, o, "plan", jstr(m->plan->name));
    set(c, o, "plan_version", json_integer(m->plan->version));
    set(c, o, "assignment", jstr(m->assignment));
    set(c, o, "basis", json_string(at_st_basis(m->def->basis)));
    set(c, o, "sum", json_string(at_st_sum(m->def->sum)));
    set(c, o, "window", json_string(at_st_window(m->def->window)));
    set(c, o, "window_label", jstr(m->window));
    set(c, o, "unit", m->money ? jstr(m->currency)
                               : json_string(m->def->sum == AT_SUM_COUNT ? "count" : "units"));
    set(c, o, "month_value", jvalue(m, m->month_value));
    set(c, o, "value", jvalue(m, m->value));
    set(c, o, "quota", m->has_quota ? jvalue(m, m->quota) : json_null());
    set(c, o, "attainment", m->has_quota ? jrate(m->attainment) : json_null());
    set(c, o, "credit_count", json_integer(m->credit_count));
    set(c, o, "credits_total", jvalue(m, m->credits_total));
    set(c, o, "credits_match", json_boolean(m->credits_match));
    set(c, o, "credits_without_value", json_integer((json_int_t)m->credits_without_value));
    json_t *sources = json_array();
    for (size_t k = 0; k < m->source_count; k++) {
        const at_statement_source *src = &m->sources[k];
        json_t *so = json_object();
        set(c, so, "kind", json_string(at_st_credit_kind(src->kind)));
        set(c, so, "level", json_integer(src->level));
        set(c, so, "from", jstr(src->from_person));
        set(c, so, "credits", json_integer((json_int_t)src->credits));
        set(c, so, "value", jvalue(m, src->value));
        push(c, sources, so);
    }
    set(c, o, "sources", sources);
    json_t *list = json_array();
    for (size_t k = 0; k < m->credits_listed; k++)
        push(c, list, credit_json(c, m, &m->credits[k]));
    set(c, o, "credits", list);
    return o;
}

static json_t *statement_json(jctx *c, const at_statement *st)
{
    json_t *root = header(c, st);
    json_t *lines = json_array();
    for (size_t i = 0; i < st->line_count; i++)
        push(c, lines, line_json(c, st, &st->lines[i]));
    set(c, root, "lines", lines);
    json_t *totals = json_object();
    set(c, totals, "earned", jmoney(st->earned, st->decimals, true));
    set(c, totals, "paid", jmoney(st->paid, st->decimals, true));
    set(c, totals, "earned_ytd", jmoney(st->earned_ytd, st->decimals, true));
    set(c, totals, "paid_ytd", jmoney(st->paid_ytd, st->decimals, true));
    set(c, root, "totals", totals);
    if (st->draw.present) {
        const at_statement_draw *d = &st->draw;
        json_t *o = json_object();
        set(c, o, "recoverable", json_boolean(d->recoverable));
        set(c, o, "guarantee", d->guarantee_currency
                                   ? jmoney(d->guarantee,
                                            at_st_currency_decimals(d->guarantee_currency), true)
                                   : json_null());
        set(c, o, "guarantee_currency", jstr(d->guarantee_currency));
        set(c, o, "balance_before", jmoney(d->balance_before, st->decimals, true));
        set(c, o, "advance", jmoney(d->advance, st->decimals, true));
        set(c, o, "recovered", jmoney(d->recovered, st->decimals, true));
        set(c, o, "balance_after", jmoney(d->balance_after, st->decimals, true));
        set(c, root, "draw", o);
    } else {
        set(c, root, "draw", json_null());
    }
    json_t *adjustments = json_array();
    for (size_t i = 0; i < st->adjustment_count; i++) {
        const at_statement_adjustment *a = &st->adjustments[i];
        json_t *o = json_object();
        set(c, o, "line", json_integer((json_int_t)a->line));
        set(c, o, "corrects", jstr(a->corrects));
        set(c, o, "name", jstr(a->name));
        set(c, o, "period", jstr(a->period));
        set(c, o, "amount", jmoney(a->amount, st->decimals, true));
        set(c, o, "why", jstr(a->why));
        push(c, adjustments, o);
    }
    set(c, root, "adjustments", adjustments);
    json_t *measures = json_array();
    for (size_t i = 0; i < st->measure_count; i++)
        push(c, measures, measure_json(c, &st->measures[i]));
    set(c, root, "measures", measures);
    return root;
}

at_code at_st_write_json(const at_statement *st, FILE *out, at_error *err)
{
    jctx c = {false};
    json_t *root = statement_json(&c, st);
    if (c.failed || !root) {
        json_decref(root);
        return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory writing the statement "
                       "as JSON");
    }
    int rc = json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(root);
    if (rc != 0)
        return at_fail(err, AT_ERR_IO, NULL, NULL, "writing the statement as JSON failed");
    fputc('\n', out);
    return at_st_check_stream(out, "statement", err);
}
