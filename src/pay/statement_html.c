/* statement_html.c - the statement as one self-contained HTML page: no external assets, a
 * stylesheet that prints well on A4 or Letter, the month's lines and totals up front, and the
 * way down (explanations, measures, credits, transactions) in <details> elements, which a
 * small inline script opens before printing. */
#include <stdio.h>
#include <string.h>

#include "pay/statement.h"
#include "pay/statement_impl.h"

static const char STYLE[] =
    "body{font:14px/1.45 -apple-system,'Segoe UI',Helvetica,Arial,sans-serif;color:#1d2330;"
    "max-width:960px;margin:2em auto;padding:0 1.5em}\n"
    "header{display:flex;justify-content:space-between;align-items:flex-end;"
    "border-bottom:2px solid #1d2330;padding-bottom:.5em;margin-bottom:1em}\n"
    ".company{font-size:1.5em;font-weight:700}\n"
    "h1{font-size:1.2em;margin:0;text-transform:uppercase;letter-spacing:.08em;color:#4a5468}\n"
    "h2{font-size:1.05em;margin:1.6em 0 .5em;text-transform:uppercase;letter-spacing:.05em;"
    "color:#4a5468}\n"
    "dl.facts{display:grid;grid-template-columns:9em 1fr;gap:.15em 1em;margin:0}\n"
    "dl.facts dt{color:#4a5468}dl.facts dd{margin:0}\n"
    ".top{display:flex;justify-content:space-between;align-items:flex-start;gap:2em}\n"
    ".paid{background:#f0f2f6;padding:.7em 1.2em;text-align:right;color:#4a5468;"
    "white-space:nowrap}\n"
    ".paid strong{display:block;font-size:1.6em;color:#1d2330}\n"
    "table{border-collapse:collapse;width:100%}\n"
    "th,td{padding:.3em .5em;text-align:left;vertical-align:top}\n"
    "thead th{border-bottom:1px solid #1d2330;font-weight:600;color:#4a5468}\n"
    "tbody tr{border-bottom:1px solid #e2e5eb}\n"
    ".num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}\n"
    "tfoot th,tfoot td{font-weight:700}tfoot tr.total{border-top:2px solid #1d2330}\n"
    "tfoot tr.ytd th,tfoot tr.ytd td{font-weight:400;color:#4a5468}\n"
    ".flag{display:inline-block;font-size:.78em;padding:0 .4em;margin-left:.4em;"
    "border:1px solid #b54708;color:#b54708;border-radius:3px}\n"
    ".muted{color:#6b7385}.note{color:#b54708}\n"
    "details{border:1px solid #e2e5eb;border-radius:4px;padding:.4em .8em;margin:.5em 0}\n"
    "details details{margin-left:1em}\n"
    "summary{cursor:pointer;font-weight:600}\n"
    "summary .num{float:right;font-weight:600}\n"
    ".explain{white-space:pre-wrap;margin:.4em 0}\n"
    "table.credits,table.sources{font-size:.88em}table.credits td,table.credits th,"
    "table.sources td,table.sources th{padding:.2em .4em}table.sources{width:auto;"
    "margin-bottom:.8em}\n"
    "@media print{body{margin:0;max-width:none;font-size:11px}"
    "details{border:none;padding:0}summary{list-style:none}"
    "summary::-webkit-details-marker{display:none}"
    "tr,details{break-inside:avoid}h2{break-after:avoid}}\n";

static const char SCRIPT[] =
    "window.addEventListener('beforeprint',function(){"
    "document.querySelectorAll('details').forEach(function(d){d.open=true;});});";

static void esc(FILE *out, const char *s)
{
    if (!s)
        return;
    for (; *s; s++) {
        switch (*s) {
        case '&': fputs("&amp;", out); break;
        case '<': fputs("&lt;", out); break;
        case '>': fputs("&gt;", out); break;
        case '"': fputs("&quot;", out); break;
        case '\'': fputs("&#39;", out); break;
        default: fputc(*s, out); break;
        }
    }
}

static void cell(FILE *out, const char *tag, const char *cls, const char *text)
{
    fprintf(out, "<%s%s%s%s>", tag, cls ? " class=\"" : "", cls ? cls : "", cls ? "\"" : "");
    esc(out, text);
    fprintf(out, "</%s>", tag);
}

static void fact(FILE *out, const char *name, const char *value)
{
    fputs("<dt>", out);
    esc(out, name);
    fputs("</dt><dd>", out);
    esc(out, value);
    fputs("</dd>\n", out);
}

static void header(const at_statement *st, FILE *out)
{
    char a[AT_ST_TEXT_MAX], b[AT_ST_TEXT_MAX], text[512];
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>",
          out);
    fputs("Pay statement: ", out);
    esc(out, st->payee_name);
    fputs(", ", out);
    esc(out, st->period->label);
    fprintf(out, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<header>\n", STYLE);
    fputs("<div class=\"company\">", out);
    esc(out, st->company ? st->company : "");
    fputs("</div>\n<h1>Pay statement</h1>\n</header>\n<div class=\"top\">\n"
          "<dl class=\"facts\">\n", out);
    snprintf(text, sizeof text, "%s (%s)", st->payee_name, st->payee_id);
    fact(out, "Payee", text);
    snprintf(text, sizeof text, "%s: %s to %s", st->period->label,
             at_st_day_long(st->period->first, a, sizeof a),
             at_st_day_long(st->period->last, b, sizeof b));
    fact(out, "Period", text);
    fact(out, "Pay currency", st->currency);
    for (size_t i = 0; i < st->plan_count; i++) {
        const at_statement_plan *p = &st->plans[i];
        int n = snprintf(text, sizeof text, "%s, version %d, %s, amounts in %s, rounding %s",
                         p->plan->name, p->plan->version,
                         at_st_frequency_label(p->plan->frequency), p->currency,
                         at_rounding_name(p->plan->rounding));
        if (p->target_incentive && p->target_currency && n > 0 && (size_t)n < sizeof text)
            snprintf(text + n, sizeof text - (size_t)n, ", target incentive %s %s a year",
                     at_st_money(p->target_incentive,
                                 at_st_currency_decimals(p->target_currency), true, true, a,
                                 sizeof a),
                     p->target_currency);
        fact(out, i ? "" : "Plan", text);
    }
    if (!st->plan_count)
        fact(out, "Plan", "none in force this month");
    if (st->issued != AT_DAY_MIN)
        fact(out, "Issued", at_st_day_long(st->issued, a, sizeof a));
    fputs("</dl>\n<div class=\"paid\">Paid this month<strong>", out);
    snprintf(text, sizeof text, "%s %s", at_st_money(st->paid, st->decimals, false, true, a,
                                                     sizeof a),
             st->currency);
    esc(out, text);
    fputs("</strong></div>\n</div>\n", out);
}

static void lines(const at_statement *st, FILE *out)
{
    char e[AT_ST_TEXT_MAX], r[AT_ST_TEXT_MAX], p[AT_ST_TEXT_MAX], text[128];
    fputs("<section>\n<h2>Earnings this month</h2>\n<table class=\"lines\">\n<thead><tr>"
          "<th>Line</th><th class=\"num\">Earned</th><th class=\"num\">Rounding</th>",
          out);
    snprintf(text, sizeof text, "Paid (%s)", st->currency);
    cell(out, "th", "num", text);
    fputs("</tr></thead>\n<tbody>\n", out);
    for (size_t i = 0; i < st->line_count; i++) {
        const at_statement_line *l = &st->lines[i];
        fputs("<tr><td>", out);
        esc(out, l->name);
        if (l->gated)
            fputs("<span class=\"flag\">gate not met</span>", out);
        if (l->capped)
            fputs("<span class=\"flag\">capped</span>", out);
        fputs("</td>", out);
        if (l->kind == AT_LINE_COMPONENT) {
            at_st_money(l->earned, at_st_currency_decimals(l->plan_currency), true, true, e,
                        sizeof e);
            if (l->plan_currency && strcmp(l->plan_currency, st->currency) != 0) {
                snprintf(text, sizeof text, "%s %s", e, l->plan_currency);
                cell(out, "td", "num", text);
            } else {
                cell(out, "td", "num", e);
            }
            cell(out, "td", "num", at_st_money_signed(l->rounding, st->decimals, true, r,
                                                       sizeof r));
        } else {
            fputs("<td></td><td></td>", out);
        }
        cell(out, "td", "num", at_st_money(l->amount, st->decimals, false, true, p, sizeof p));
        fputs("</tr>\n", out);
    }
    if (!st->line_count)
        fputs("<tr><td colspan=\"4\" class=\"muted\">No earnings lines this month.</td></tr>\n",
              out);
    bool mixed = at_st_mixed_currencies(st);
    fputs("</tbody>\n<tfoot>\n<tr class=\"total\"><th>Total this month</th>", out);
    at_st_money(st->earned, st->decimals, false, true, e, sizeof e);
    if (mixed) {
        snprintf(text, sizeof text, "%s %s", e, st->currency);
        cell(out, "td", "num", text);
    } else {
        cell(out, "td", "num", e);
    }
    fputs("<td></td>", out);
    cell(out, "td", "num", at_st_money(st->paid, st->decimals, false, true, p, sizeof p));
    fputs("</tr>\n<tr class=\"ytd\">", out);
    snprintf(text, sizeof text, "Fiscal year %s to date", st->year->label);
    cell(out, "th", NULL, text);
    at_st_money(st->earned_ytd, st->decimals, false, true, e, sizeof e);
    if (mixed) {
        char t2[128];
        snprintf(t2, sizeof t2, "%s %s", e, st->currency);
        cell(out, "td", "num", t2);
    } else {
        cell(out, "td", "num", e);
    }
    fputs("<td></td>", out);
    cell(out, "td", "num", at_st_money(st->paid_ytd, st->decimals, false, true, p, sizeof p));
    fputs("</tr>\n</tfoot>\n</table>\n</section>\n", out);
}

static void measures(const at_statement *st, FILE *out)
{
    if (!st->measure_count)
        return;
    char a[AT_ST_TEXT_MAX], text[256];
    fputs("<section>\n<h2>Measures</h2>\n<table class=\"measures\"><thead><tr><th>Measure</th>"
          "<th>Window</th><th class=\"num\">This month</th><th class=\"num\">To date</th>"
          "<th class=\"num\">Quota</th><th class=\"num\">Attainment</th></tr></thead>\n"
          "<tbody>\n",
          out);
    for (size_t i = 0; i < st->measure_count; i++) {
        const at_statement_measure *m = &st->measures[i];
        const char *unit = m->money ? m->currency
                                    : (m->def->sum == AT_SUM_COUNT ? "deals" : "units");
        snprintf(text, sizeof text, "%s (%s)", m->def->name ? m->def->name : m->def->id, unit);
        fputs("<tr>", out);
        cell(out, "td", NULL, text);
        cell(out, "td", NULL, m->window);
        cell(out, "td", "num", at_st_measure_value(m, m->month_value, a, sizeof a));
        cell(out, "td", "num", at_st_measure_value(m, m->value, a, sizeof a));
        cell(out, "td", "num", m->has_quota ? at_st_measure_value(m, m->quota, a, sizeof a)
                                            : "none");
        cell(out, "th", "num", m->has_quota ? at_st_percent(m->attainment, 2, 0, a, sizeof a)
                                            : "");
        fputs("</tr>\n", out);
    }
    fputs("</tbody></table>\n</section>\n", out);
}

static void draw(const at_statement *st, FILE *out)
{
    const at_statement_draw *d = &st->draw;
    if (!d->present)
        return;
    char a[AT_ST_TEXT_MAX], text[256];
    fputs("<section>\n<h2>Draw</h2>\n", out);
    if (d->guarantee_currency) {
        snprintf(text, sizeof text, "%s draw of %s %s a month.",
                 d->recoverable ? "A recoverable" : "A non-recoverable",
                 at_st_money(d->guarantee, at_st_currency_decimals(d->guarantee_currency), true,
                             true, a, sizeof a),
                 d->guarantee_currency);
        cell(out, "p", NULL, text);
    }
    fputs("<table class=\"draw\"><tbody>\n", out);
    struct {
        const char *label;
        at_money value;
    } rows[] = {
        {"Owed at the start of the month", d->balance_before},
        {"Advanced this month", d->advance},
        {"Recovered this month", d->recovered},
        {"Owed after this month", d->balance_after},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        fputs("<tr>", out);
        cell(out, "td", NULL, rows[i].label);
        cell(out, "td", "num", at_st_money(rows[i].value, st->decimals, false, true, a,
                                           sizeof a));
        fputs("</tr>\n", out);
    }
    fputs("</tbody></table>\n</section>\n", out);
}

static void adjustments(const at_statement *st, FILE *out)
{
    if (!st->adjustment_count)
        return;
    char a[AT_ST_TEXT_MAX], text[512];
    fputs("<section>\n<h2>Prior-period adjustments</h2>\n<table><thead><tr><th>Corrects</th>"
          "<th>Why</th><th class=\"num\">Amount</th></tr></thead><tbody>\n",
          out);
    for (size_t i = 0; i < st->adjustment_count; i++) {
        const at_statement_adjustment *adj = &st->adjustments[i];
        snprintf(text, sizeof text, "%s: %s", adj->period ? adj->period : "?",
                 adj->name ? adj->name : (adj->corrects ? adj->corrects : ""));
        fputs("<tr>", out);
        cell(out, "td", NULL, text);
        cell(out, "td", "explain", adj->why);
        cell(out, "td", "num", at_st_money_signed(adj->amount, st->decimals, false, a,
                                                  sizeof a));
        fputs("</tr>\n", out);
    }
    fputs("</tbody></table>\n</section>\n", out);
}

static void sources_table(const at_statement_measure *m, FILE *out)
{
    char a[AT_ST_TEXT_MAX], label[256];
    fputs("<table class=\"sources\"><thead><tr><th>By source</th><th class=\"num\">Credits"
          "</th>", out);
    cell(out, "th", "num", at_st_value_header(m));
    fputs("</tr></thead>\n<tbody>\n", out);
    for (size_t k = 0; k < m->source_count; k++) {
        const at_statement_source *src = &m->sources[k];
        fputs("<tr>", out);
        cell(out, "td", NULL, at_st_source_label(src, label, sizeof label));
        cell(out, "td", "num", at_st_count(src->credits, a, sizeof a));
        cell(out, "td", "num", at_st_measure_value(m, src->value, a, sizeof a));
        fputs("</tr>\n", out);
    }
    fputs("</tbody></table>\n", out);
}

static void credits_table(const at_statement *st, const at_statement_measure *m, FILE *out)
{
    char a[AT_ST_TEXT_MAX], text[256];
    size_t listed = at_st_listed(st, m);
    if (at_st_show_sources(st, m))
        sources_table(m, out);
    if (listed < m->credits_listed) {
        char more[AT_ST_TEXT_MAX];
        snprintf(text, sizeof text, "The latest %zu credits, by date; the %s before them are "
                 "counted in the total%s, and the JSON format lists every one.",
                 listed, at_st_count(m->credits_listed - listed, more, sizeof more),
                 at_st_show_sources(st, m) ? " and by source above" : "");
        cell(out, "p", "muted", text);
    }
    fputs("<table class=\"credits\"><thead><tr><th>Date</th><th>Transaction</th><th>Type</th>"
          "<th>Product</th><th>Credit</th><th class=\"num\">Share</th>"
          "<th class=\"num\">Transaction amount</th><th class=\"num\">Credited</th>"
          "<th>Cur</th>",
          out);
    snprintf(text, sizeof text, "Rate to %s", m->currency);
    cell(out, "th", "num", text);
    cell(out, "th", "num", at_st_value_header(m));
    fputs("</tr></thead>\n<tbody>\n", out);
    for (size_t k = m->credits_listed - listed; k < m->credits_listed; k++) {
        const at_statement_credit *cr = &m->credits[k];
        int cd = at_st_currency_decimals(cr->currency);
        fputs("<tr>", out);
        cell(out, "td", "num", at_st_day(cr->date, a, sizeof a));
        cell(out, "td", NULL, cr->transaction);
        if (cr->original) {
            char d[AT_ST_TEXT_MAX];
            int n = snprintf(text, sizeof text, "%s of %s (%s)", at_st_tx_type_label(cr->type),
                             cr->original, at_st_day(cr->original_date, d, sizeof d));
            if (cr->scale != AT_RATE_SCALE && n > 0 && (size_t)n < sizeof text)
                snprintf(text + n, sizeof text - (size_t)n, ", clawed back at %s",
                         at_st_percent(cr->scale, 2, 0, d, sizeof d));
            cell(out, "td", "note", text);
        } else {
            cell(out, "td", NULL, at_st_tx_type_label(cr->type));
        }
        cell(out, "td", NULL, cr->product ? cr->product : "");
        if (cr->kind == AT_CREDIT_ROLLUP && cr->from_person)
            snprintf(text, sizeof text, "Roll-up %u from %s", (unsigned)cr->level,
                     cr->from_person);
        else
            snprintf(text, sizeof text, "%s", at_st_credit_kind_label(cr->kind));
        cell(out, "td", NULL, text);
        cell(out, "td", "num", at_st_percent(cr->share, 2, 0, a, sizeof a));
        cell(out, "td", "num", at_st_money(cr->transaction_amount, cd, true, true, a, sizeof a));
        cell(out, "td", "num", at_st_money(cr->amount, cd, true, true, a, sizeof a));
        cell(out, "td", NULL, cr->currency ? cr->currency : "?");
        cell(out, "td", "num", cr->fx_missing ? "missing" : at_st_rate(cr->fx_rate, a, sizeof a));
        cell(out, "td", "num", cr->has_value ? at_st_measure_value(m, cr->value, a, sizeof a)
                                             : "?");
        fputs("</tr>\n", out);
    }
    fputs("</tbody>\n<tfoot><tr><th colspan=\"10\">Total of the credits</th>", out);
    cell(out, "td", "num", at_st_measure_value(m, m->credits_total, a, sizeof a));
    fputs("</tr></tfoot>\n</table>\n", out);
    if (m->credits_without_value) {
        char note[512];
        snprintf(note, sizeof note, "Note: %zu credit%s no exchange rate into %s on %s rate "
                 "day and count%s 0, as in the calculation; add the rate%s to "
                 "exchange_rates.csv and calculate again.",
                 m->credits_without_value, m->credits_without_value == 1 ? " has" : "s have",
                 m->currency, m->credits_without_value == 1 ? "its" : "their",
                 m->credits_without_value == 1 ? "s" : "",
                 m->credits_without_value == 1 ? "" : "s");
        cell(out, "p", "note", note);
    }
    if (!m->credits_match) {
        char b[AT_ST_TEXT_MAX];
        snprintf(text, sizeof text, "The credits listed add up to %s; the measure is %s (see "
                 "docs/statements.md, credits that do not add up).",
                 at_st_measure_value(m, m->credits_total, a, sizeof a),
                 at_st_measure_value(m, m->value, b, sizeof b));
        cell(out, "p", "note", text);
    }
}

static void measure_block(const at_statement *st, const at_statement_measure *m, FILE *out)
{
    char text[512], cnt[AT_ST_TEXT_MAX];
    snprintf(text, sizeof text, "%s (%s), %s: %s credit%s",
             m->def->name ? m->def->name : m->def->id, m->plan->name, m->window,
             at_st_count(m->credits_listed, cnt, sizeof cnt), m->credits_listed == 1 ? "" : "s");
    fputs("<details>\n<summary>", out);
    esc(out, text);
    fputs("</summary>\n", out);
    if (m->credits_listed)
        credits_table(st, m, out);
    else
        fputs("<p class=\"muted\">No credits in the window.</p>\n", out);
    fputs("</details>\n", out);
}

static void details(const at_statement *st, FILE *out)
{
    if (!st->line_count)
        return;
    char a[AT_ST_TEXT_MAX], b[AT_ST_TEXT_MAX], c[AT_ST_TEXT_MAX], r[AT_ST_TEXT_MAX],
        fx[AT_ST_TEXT_MAX], text[512];
    fputs("<section>\n<h2>How each line was calculated</h2>\n", out);
    for (size_t i = 0; i < st->line_count; i++) {
        const at_statement_line *l = &st->lines[i];
        fprintf(out, "<details open>\n<summary>%zu. ", i + 1);
        esc(out, l->name);
        if (l->component_kind && l->plan) {
            snprintf(text, sizeof text, " (%s, %s v%d)", l->component_kind, l->plan->name,
                     l->plan->version);
            fputs("<span class=\"muted\">", out);
            esc(out, text);
            fputs("</span>", out);
        }
        snprintf(text, sizeof text, "paid %s %s",
                 at_st_money(l->amount, st->decimals, false, true, a, sizeof a), st->currency);
        cell(out, "span", "num", text);
        fputs("</summary>\n", out);
        if (l->explain && l->explain[0])
            cell(out, "p", "explain", l->explain);
        if (l->gated)
            cell(out, "p", "note", "The gate was not met this month, so the line pays nothing.");
        if (l->capped)
            cell(out, "p", "note", "A cap cut this line.");
        bool other = l->plan_currency && strcmp(l->plan_currency, st->currency) != 0;
        int d = at_st_currency_decimals(l->plan_currency);
        if (l->kind == AT_LINE_COMPONENT && (other || l->rounding || l->earned != l->amount)) {
            if (other)
                snprintf(text, sizeof text, "Earned %s %s \xC3\x97 %s (%s to %s) = %s %s; paid "
                         "%s %s (rounding %s).",
                         at_st_money(l->earned, d, true, true, a, sizeof a), l->plan_currency,
                         at_st_rate(l->fx_rate, fx, sizeof fx), l->plan_currency, st->currency,
                         at_st_money(l->earned_converted, st->decimals, true, true, b, sizeof b),
                         st->currency,
                         at_st_money(l->amount, st->decimals, false, true, c, sizeof c),
                         st->currency,
                         at_st_money_signed(l->rounding, st->decimals, true, r, sizeof r));
            else
                snprintf(text, sizeof text, "Earned %s %s; paid %s %s (rounding %s).",
                         at_st_money(l->earned, d, true, true, a, sizeof a), l->plan_currency,
                         at_st_money(l->amount, st->decimals, false, true, c, sizeof c),
                         st->currency,
                         at_st_money_signed(l->rounding, st->decimals, true, r, sizeof r));
            cell(out, "p", NULL, text);
        }
        if (l->kind == AT_LINE_COMPONENT && l->earned_to_date != l->earned) {
            snprintf(text, sizeof text, "Earned in the window to date: %s %s.",
                     at_st_money(l->earned_to_date, d, true, true, a, sizeof a),
                     l->plan_currency);
            cell(out, "p", NULL, text);
        }
        if (l->measure >= 0) {
            const at_statement_measure *m = &st->measures[l->measure];
            snprintf(text, sizeof text, "On the measure %s, %s (see Measures; its credits "
                     "are listed below).", m->def->name ? m->def->name : m->def->id, m->window);
            cell(out, "p", "muted", text);
        }
        fputs("</details>\n", out);
    }
    fputs("</section>\n", out);
}

static void credits(const at_statement *st, FILE *out)
{
    if (!st->measure_count)
        return;
    fputs("<section>\n<h2>Credits behind the measures</h2>\n", out);
    for (size_t m = 0; m < st->measure_count; m++)
        measure_block(st, &st->measures[m], out);
    fputs("</section>\n", out);
}

at_code at_st_write_html(const at_statement *st, FILE *out, at_error *err)
{
    header(st, out);
    lines(st, out);
    measures(st, out);
    draw(st, out);
    adjustments(st, out);
    details(st, out);
    credits(st, out);
    fprintf(out, "<script>%s</script>\n</body>\n</html>\n", SCRIPT);
    return at_st_check_stream(out, "statement", err);
}
