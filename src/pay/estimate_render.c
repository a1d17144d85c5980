/* estimate_render.c - an estimate (estimate.h) as text for a terminal or as JSON (the shape
 * in docs/statements.md, "The estimator"). */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "pay/estimate.h"
#include "pay/statement_impl.h"

#define WIDTH 100

static void pad(FILE *out, const char *text, size_t width, bool right)
{
    size_t w = at_st_width(text);
    if (right)
        for (size_t i = w; i < width; i++)
            fputc(' ', out);
    fputs(text, out);
    if (!right)
        for (size_t i = w; i < width; i++)
            fputc(' ', out);
}

/* Wraps at WIDTH with an indent. */
static void wrap(FILE *out, const char *text, size_t indent)
{
    size_t col = indent;
    for (size_t i = 0; i < indent; i++)
        fputc(' ', out);
    const char *p = text;
    while (*p) {
        size_t wl = strcspn(p, " ");
        char word[512];
        size_t n = wl < sizeof word - 1 ? wl : sizeof word - 1;
        memcpy(word, p, n);
        word[n] = '\0';
        size_t w = at_st_width(word);
        if (col > indent && col + 1 + w > WIDTH) {
            fputc('\n', out);
            for (size_t i = 0; i < indent; i++)
                fputc(' ', out);
            col = indent;
        } else if (col > indent) {
            fputc(' ', out);
            col++;
        }
        fwrite(p, 1, wl, out);
        col += w;
        p += wl;
        while (*p == ' ')
            p++;
    }
    fputc('\n', out);
}

static void row(FILE *out, const char *name, const char *a, const char *b, const char *c,
                const char *d, const char *e)
{
    if (at_st_width(name) > 33) {
        fprintf(out, "%s\n", name);
        name = "";
    }
    pad(out, name, 34, false);
    pad(out, a, 13, true);
    pad(out, b, 13, true);
    pad(out, c, 13, true);
    pad(out, d, 13, true);
    pad(out, e, 14, true);
    fputc('\n', out);
}

static at_code write_text(const void *subject, FILE *out, at_error *err)
{
    const at_estimate_result *es = subject;
    char a[AT_ST_TEXT_MAX], b[AT_ST_TEXT_MAX], c[AT_ST_TEXT_MAX], d[AT_ST_TEXT_MAX],
        e[AT_ST_TEXT_MAX];
    fprintf(out, "ESTIMATE: one more deal for %s (%s), %s\n", es->payee_name, es->payee_id,
            es->period->label);
    for (int i = 0; i < WIDTH; i++)
        fputc('=', out);
    fputc('\n', out);
    wrap(out, es->explain ? es->explain : "", 0);
    fputc('\n', out);
    char paid_head[32];
    snprintf(paid_head, sizeof paid_head, "Paid %s", es->currency);
    row(out, "Line", "Earned now", "with deal", paid_head, "with deal", "Difference");
    for (int i = 0; i < WIDTH; i++)
        fputc('-', out);
    fputc('\n', out);
    for (size_t i = 0; i < es->line_count; i++) {
        const at_estimate_line *l = &es->lines[i];
        int pd = at_st_currency_decimals(l->plan_currency);
        row(out, l->name, at_st_money(l->earned_before, pd, true, true, a, sizeof a),
            at_st_money(l->earned_after, pd, true, true, b, sizeof b),
            at_st_money(l->paid_before, es->decimals, false, true, c, sizeof c),
            at_st_money(l->paid_after, es->decimals, false, true, d, sizeof d),
            at_st_money_signed(l->paid_after - l->paid_before, es->decimals, false, e,
                               sizeof e));
        if (l->to_date_after != l->earned_after || l->to_date_before != l->earned_before) {
            char text[256];
            snprintf(text, sizeof text, "earned in the window to date: %s -> %s %s",
                     at_st_money(l->to_date_before, pd, true, true, a, sizeof a),
                     at_st_money(l->to_date_after, pd, true, true, b, sizeof b),
                     l->plan_currency);
            wrap(out, text, 2);
        }
        if (l->paid_later) {
            char text[256];
            snprintf(text, sizeof text, "paid later in the fiscal year: %s %s",
                     at_st_money_signed(l->paid_later, es->decimals, false, a, sizeof a),
                     es->currency);
            wrap(out, text, 2);
        }
    }
    if (!es->line_count)
        fprintf(out, "No earnings lines.\n");
    for (int i = 0; i < WIDTH; i++)
        fputc('-', out);
    fputc('\n', out);
    row(out, "Difference paid this month", "", "", "", "",
        at_st_money_signed(es->paid_month, es->decimals, false, a, sizeof a));
    if (es->paid_later)
        row(out, "Difference paid later", "", "", "", "",
            at_st_money_signed(es->paid_later, es->decimals, false, a, sizeof a));
    fputc('\n', out);
    if (es->measure_count) {
        fprintf(out, "MEASURES\n");
        for (size_t i = 0; i < es->measure_count; i++) {
            const at_estimate_measure *m = &es->measures[i];
            at_statement_measure sm = {0};
            sm.money = m->money;
            sm.currency = m->currency;
            char text[512];
            int n = snprintf(text, sizeof text, "%s (%s, %s): %s -> %s",
                             m->def->name ? m->def->name : m->def->id, m->plan->name,
                             m->window, at_st_measure_value(&sm, m->value_before, a, sizeof a),
                             at_st_measure_value(&sm, m->value_after, b, sizeof b));
            if (m->has_quota && n > 0 && (size_t)n < sizeof text)
                snprintf(text + n, sizeof text - (size_t)n, "; quota %s, attainment %s -> %s",
                         at_st_measure_value(&sm, m->quota, c, sizeof c),
                         at_st_percent(m->attainment_before, 2, 0, d, sizeof d),
                         at_st_percent(m->attainment_after, 2, 0, e, sizeof e));
            wrap(out, text, 2);
        }
        fputc('\n', out);
    }
    if (es->crossing_count) {
        fprintf(out, "TIERS, CURVES, GATES AND CAPS CROSSED\n");
        for (size_t i = 0; i < es->crossing_count; i++)
            wrap(out, es->crossings[i].text, 2);
        fputc('\n', out);
    }
    return at_st_check_stream(out, "estimate", err);
}

static const char *const CROSSING_KINDS[] = {"tier", "curve", "gate", "cap"};

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

static json_t *jstr(const char *s)
{
    return s ? json_string(s) : json_null();
}

static bool set(json_t *o, const char *key, json_t *v)
{
    return o && v && json_object_set_new(o, key, v) == 0;
}

static at_code write_json(const void *subject, FILE *out, at_error *err)
{
    const at_estimate_result *es = subject;
    char day[AT_ST_TEXT_MAX];
    bool ok = true;
    json_t *root = json_object();
    json_t *deal = json_object();
    ok &= set(deal, "payee", jstr(es->payee_id));
    ok &= set(deal, "payee_name", jstr(es->payee_name));
    ok &= set(deal, "amount", jmoney(es->amount, at_st_currency_decimals(es->deal_currency),
                                     true));
    ok &= set(deal, "currency", jstr(es->deal_currency));
    ok &= set(deal, "product", jstr(es->product));
    ok &= set(deal, "date", json_string(at_st_day(es->date, day, sizeof day)));
    ok &= set(deal, "period", jstr(es->period->label));
    ok &= set(root, "deal", deal);
    ok &= set(root, "currency", jstr(es->currency));
    ok &= set(root, "paid_month", jmoney(es->paid_month, es->decimals, true));
    ok &= set(root, "paid_later", jmoney(es->paid_later, es->decimals, true));
    ok &= set(root, "earned_month", jmoney(es->earned_month, es->decimals, true));
    ok &= set(root, "explain", jstr(es->explain));
    json_t *lines = json_array();
    for (size_t i = 0; lines && i < es->line_count; i++) {
        const at_estimate_line *l = &es->lines[i];
        int pd = at_st_currency_decimals(l->plan_currency);
        json_t *o = json_object();
        ok &= set(o, "key", jstr(l->key));
        ok &= set(o, "name", jstr(l->name));
        ok &= set(o, "kind", json_string(at_st_line_kind(l->kind)));
        ok &= set(o, "currency", jstr(l->plan_currency));
        ok &= set(o, "earned_before", jmoney(l->earned_before, pd, true));
        ok &= set(o, "earned_after", jmoney(l->earned_after, pd, true));
        ok &= set(o, "to_date_before", jmoney(l->to_date_before, pd, true));
        ok &= set(o, "to_date_after", jmoney(l->to_date_after, pd, true));
        ok &= set(o, "paid_before", jmoney(l->paid_before, es->decimals, true));
        ok &= set(o, "paid_after", jmoney(l->paid_after, es->decimals, true));
        ok &= set(o, "paid_later", jmoney(l->paid_later, es->decimals, true));
        ok &= set(o, "gated_before", json_boolean(l->gated_before));
        ok &= set(o, "gated_after", json_boolean(l->gated_after));
        ok &= set(o, "capped_before", json_boolean(l->capped_before));
        ok &= set(o, "capped_after", json_boolean(l->capped_after));
        ok &= o && json_array_append_new(lines, o) == 0;
    }
    ok &= set(root, "lines", lines);
    json_t *measures = json_array();
    for (size_t i = 0; measures && i < es->measure_count; i++) {
        const at_estimate_measure *m = &es->measures[i];
        int d = m->money ? at_st_currency_decimals(m->currency) : 0;
        json_t *o = json_object();
        ok &= set(o, "plan", jstr(m->plan->name));
        ok &= set(o, "id", jstr(m->def->id));
        ok &= set(o, "name", jstr(m->def->name ? m->def->name : m->def->id));
        ok &= set(o, "window_label", jstr(m->window));
        ok &= set(o, "unit", m->money ? jstr(m->currency)
                                      : json_string(m->def->sum == AT_SUM_COUNT ? "count"
                                                                                : "units"));
        ok &= set(o, "value_before", jmoney(m->value_before, d, true));
        ok &= set(o, "value_after", jmoney(m->value_after, d, true));
        ok &= set(o, "quota", m->has_quota ? jmoney(m->quota, d, true) : json_null());
        ok &= set(o, "attainment_before", m->has_quota ? jrate(m->attainment_before)
                                                       : json_null());
        ok &= set(o, "attainment_after", m->has_quota ? jrate(m->attainment_after)
                                                      : json_null());
        ok &= o && json_array_append_new(measures, o) == 0;
    }
    ok &= set(root, "measures", measures);
    json_t *crossings = json_array();
    for (size_t i = 0; crossings && i < es->crossing_count; i++) {
        const at_estimate_crossing *x = &es->crossings[i];
        json_t *o = json_object();
        ok &= set(o, "kind", json_string(CROSSING_KINDS[x->kind]));
        ok &= set(o, "component", x->component ? jstr(x->component->id) : json_null());
        ok &= set(o, "from", x->kind <= AT_CROSS_CURVE ? json_integer(x->from) : json_null());
        ok &= set(o, "to", x->kind <= AT_CROSS_CURVE ? json_integer(x->to) : json_null());
        ok &= set(o, "rate_before", x->kind == AT_CROSS_TIER ? jrate(x->rate_before)
                                                             : json_null());
        ok &= set(o, "rate_after", x->kind == AT_CROSS_TIER ? jrate(x->rate_after)
                                                            : json_null());
        ok &= set(o, "text", jstr(x->text));
        ok &= o && json_array_append_new(crossings, o) == 0;
    }
    ok &= set(root, "crossings", crossings);
    if (!ok || !root) {
        json_decref(root);
        return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory writing the estimate as "
                       "JSON");
    }
    int rc = json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(root);
    if (rc != 0)
        return at_fail(err, AT_ERR_IO, NULL, NULL, "writing the estimate as JSON failed");
    fputc('\n', out);
    return at_st_check_stream(out, "estimate", err);
}

at_code at_estimate_write(const at_estimate_result *estimate, at_statement_format format,
                          FILE *out, at_error *err)
{
    if (!estimate || !out)
        return at_fail(err, AT_ERR_INVALID, NULL, NULL, "no estimate or no output to write");
    if (format == AT_STATEMENT_TEXT)
        return write_text(estimate, out, err);
    if (format == AT_STATEMENT_JSON)
        return write_json(estimate, out, err);
    return at_fail(err, AT_ERR_INVALID, "--format", "use text or json",
                   "an estimate is written as text or json, not %s",
                   at_statement_format_name(format));
}

at_code at_estimate_render(const at_estimate_result *estimate, at_statement_format format,
                           char **data, size_t *length, at_error *err)
{
    *data = NULL;
    *length = 0;
    if (!estimate)
        return at_fail(err, AT_ERR_INVALID, NULL, NULL, "no estimate to render");
    if (format == AT_STATEMENT_TEXT)
        return at_st_render_memory(write_text, estimate, data, length, err);
    if (format == AT_STATEMENT_JSON)
        return at_st_render_memory(write_json, estimate, data, length, err);
    return at_fail(err, AT_ERR_INVALID, "--format", "use text or json",
                   "an estimate is written as text or json, not %s",
                   at_statement_format_name(format));
}
