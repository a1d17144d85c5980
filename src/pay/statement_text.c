/* statement_text.c - the statement as fixed-width text for a terminal or an e-mail (100
 * columns): the header, the month's lines with earned, rounding and paid, the totals, the
 * draw, prior-period adjustments, how each line was calculated, and the credits behind each
 * measure. Widths count characters, not bytes, so UTF-8 names line up. */
#include <stdio.h>
#include <string.h>

#include "pay/statement.h"
#include "pay/statement_impl.h"

#define WIDTH 100
#define NAME_W 48  /* the line's name */
#define EARNED_W 16
#define CUR_W 4    /* " EUR" after an earned amount in another currency */
#define ROUND_W 12
#define PAID_W 20

static void spaces(FILE *out, size_t n)
{
    for (size_t i = 0; i < n; i++)
        fputc(' ', out);
}

static void rule(FILE *out, char c)
{
    for (int i = 0; i < WIDTH; i++)
        fputc(c, out);
    fputc('\n', out);
}

static void left(FILE *out, const char *text, size_t width)
{
    fputs(text, out);
    size_t w = at_st_width(text);
    if (w < width)
        spaces(out, width - w);
}

static void right(FILE *out, const char *text, size_t width)
{
    size_t w = at_st_width(text);
    /* a value wider than its column still gets a space before it, never runs into the
       previous one (the row grows instead) */
    spaces(out, w < width ? width - w : 1);
    fputs(text, out);
}

/* Writes text wrapped at WIDTH, every line indented (the first one starting with label,
 * padded to the indent, when label is not NULL); keeps the text's own line breaks. */
static void wrap_labeled(FILE *out, const char *label, const char *text, size_t indent)
{
    size_t avail = WIDTH > indent + 20 ? WIDTH - indent : 20;
    const char *p = text;
    while (*p) {
        size_t line_len = strcspn(p, "\n");
        const char *end = p + line_len;
        const char *q = p;
        if (q == end) {
            fputc('\n', out);
        }
        while (q < end) {
            /* take words while they fit */
            const char *stop = q, *last_break = NULL;
            size_t w = 0;
            while (stop < end) {
                const char *word_end = stop;
                while (word_end < end && *word_end != ' ')
                    word_end++;
                char word[512];
                size_t wl = (size_t)(word_end - stop);
                if (wl >= sizeof word)
                    wl = sizeof word - 1;
                memcpy(word, stop, wl);
                word[wl] = '\0';
                size_t ww = at_st_width(word);
                if (last_break && w + ww > avail)
                    break;
                w += ww;
                last_break = word_end;
                stop = word_end;
                if (stop < end && *stop == ' ') {
                    w++;
                    stop++;
                }
            }
            if (!last_break)
                last_break = end;
            if (label) {
                left(out, label, indent);
                label = NULL;
            } else {
                spaces(out, indent);
            }
            const char *trim = last_break;
            while (trim > q && trim[-1] == ' ')
                trim--;
            fwrite(q, 1, (size_t)(trim - q), out);
            fputc('\n', out);
            q = last_break;
            while (q < end && *q == ' ')
                q++;
        }
        p = *end ? end + 1 : end;
    }
}

static void wrap(FILE *out, const char *text, size_t indent)
{
    wrap_labeled(out, NULL, text, indent);
}

/* Cuts text to a width (whole characters of UTF-8), marking the cut with '~'. */
static const char *cut_to(const char *text, size_t width, char *buf, size_t size)
{
    if (!text)
        return "";
    if (at_st_width(text) <= width)
        return text;
    size_t n = 0, w = 0;
    const unsigned char *p = (const unsigned char *)text;
    while (p[n] && w + 1 < width && n + 5 < size) {
        size_t len = 1;
        while ((p[n + len] & 0xC0) == 0x80)
            len++;
        n += len;
        w++;
    }
    memcpy(buf, text, n);
    buf[n] = '~';
    buf[n + 1] = '\0';
    return buf;
}

static void header(const at_statement *st, FILE *out)
{
    char a[AT_ST_TEXT_MAX], b[AT_ST_TEXT_MAX];
    const char *title = "PAY STATEMENT";
    if (st->company) {
        left(out, st->company, WIDTH - strlen(title));
        fputs(title, out);
        fputc('\n', out);
    } else {
        fprintf(out, "%s\n", title);
    }
    rule(out, '=');
    fprintf(out, "Payee         %s (%s)\n", st->payee_name, st->payee_id);
    fprintf(out, "Period        %s: %s to %s\n", st->period->label,
            at_st_day_long(st->period->first, a, sizeof a),
            at_st_day_long(st->period->last, b, sizeof b));
    fprintf(out, "Pay currency  %s\n", st->currency);
    for (size_t i = 0; i < st->plan_count; i++) {
        const at_statement_plan *p = &st->plans[i];
        char text[512];
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
        wrap_labeled(out, i ? "" : (st->plan_count > 1 ? "Plans" : "Plan"), text, 14);
    }
    if (!st->plan_count)
        fprintf(out, "Plan          none in force this month\n");
    if (st->issued != AT_DAY_MIN)
        fprintf(out, "Issued        %s\n", at_st_day_long(st->issued, a, sizeof a));
    fputc('\n', out);
}

static void money_row(FILE *out, const char *name, const char *earned, const char *cur,
                      const char *rounding, const char *paid)
{
    size_t w = at_st_width(name);
    if (w > NAME_W - 1) {
        fprintf(out, "%s\n", name);
        name = "";
    }
    left(out, name, NAME_W);
    right(out, earned, EARNED_W);
    left(out, cur, CUR_W);
    right(out, rounding, ROUND_W);
    right(out, paid, PAID_W);
    fputc('\n', out);
}

static void lines(const at_statement *st, FILE *out)
{
    char e[AT_ST_TEXT_MAX], r[AT_ST_TEXT_MAX], p[AT_ST_TEXT_MAX], head[AT_ST_TEXT_MAX];
    fprintf(out, "EARNINGS THIS MONTH\n");
    snprintf(head, sizeof head, "Paid %s", st->currency);
    money_row(out, "", "Earned", "", "Rounding", head);
    rule(out, '-');
    for (size_t i = 0; i < st->line_count; i++) {
        const at_statement_line *l = &st->lines[i];
        char name[512];
        snprintf(name, sizeof name, "%s%s%s", l->name, l->gated ? " [gate not met]" : "",
                 l->capped ? " [capped]" : "");
        char cur[8] = "";
        if (l->kind == AT_LINE_COMPONENT) {
            int d = at_st_currency_decimals(l->plan_currency);
            at_st_money(l->earned, d, true, true, e, sizeof e);
            at_st_money_signed(l->rounding, st->decimals, true, r, sizeof r);
            if (l->plan_currency && strcmp(l->plan_currency, st->currency) != 0)
                snprintf(cur, sizeof cur, " %s", l->plan_currency);
        } else {
            e[0] = r[0] = '\0';
        }
        money_row(out, name, e, cur, r, at_st_money(l->amount, st->decimals, false, true, p,
                                                    sizeof p));
    }
    if (!st->line_count)
        fprintf(out, "No earnings lines this month.\n");
    rule(out, '-');
    /* the totals are in the pay currency: say so when the lines above earn in another */
    char cur[8] = "";
    if (at_st_mixed_currencies(st))
        snprintf(cur, sizeof cur, " %s", st->currency);
    money_row(out, "Total this month", at_st_money(st->earned, st->decimals, false, true, e,
                                                   sizeof e),
              cur, "", at_st_money(st->paid, st->decimals, false, true, p, sizeof p));
    char label[96];
    snprintf(label, sizeof label, "Fiscal year %s to date", st->year->label);
    money_row(out, label, at_st_money(st->earned_ytd, st->decimals, false, true, e, sizeof e),
              cur, "", at_st_money(st->paid_ytd, st->decimals, false, true, p, sizeof p));
    fputc('\n', out);
}

static void measures(const at_statement *st, FILE *out)
{
    if (!st->measure_count)
        return;
    char a[AT_ST_TEXT_MAX];
    fprintf(out, "MEASURES\n");
    left(out, "", 28);
    left(out, "Window", 18);
    right(out, "This month", 14);
    right(out, "To date", 14);
    right(out, "Quota", 14);
    right(out, "Attainment", 12);
    fputc('\n', out);
    rule(out, '-');
    for (size_t i = 0; i < st->measure_count; i++) {
        const at_statement_measure *m = &st->measures[i];
        const char *unit = m->money ? m->currency
                                    : (m->def->sum == AT_SUM_COUNT ? "deals" : "units");
        char name[256], t[64];
        snprintf(name, sizeof name, "%s (%s)", m->def->name ? m->def->name : m->def->id, unit);
        if (at_st_width(name) > 27) {
            fprintf(out, "%s\n", name);
            name[0] = '\0';
        }
        left(out, name, 28);
        left(out, cut_to(m->window, 17, t, sizeof t), 18);
        right(out, at_st_measure_value(m, m->month_value, a, sizeof a), 14);
        right(out, at_st_measure_value(m, m->value, a, sizeof a), 14);
        right(out, m->has_quota ? at_st_measure_value(m, m->quota, a, sizeof a) : "none", 14);
        right(out, m->has_quota ? at_st_percent(m->attainment, 2, 0, a, sizeof a) : "", 12);
        fputc('\n', out);
    }
    fputc('\n', out);
}

static void draw(const at_statement *st, FILE *out)
{
    const at_statement_draw *d = &st->draw;
    if (!d->present)
        return;
    char a[AT_ST_TEXT_MAX];
    fprintf(out, "DRAW");
    if (d->guarantee_currency)
        fprintf(out, " (%s, %s %s a month)", d->recoverable ? "recoverable" : "non-recoverable",
                at_st_money(d->guarantee, at_st_currency_decimals(d->guarantee_currency), true,
                            true, a, sizeof a),
                d->guarantee_currency);
    fputc('\n', out);
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
        spaces(out, 2);
        left(out, rows[i].label, NAME_W - 2);
        right(out, at_st_money(rows[i].value, st->decimals, false, true, a, sizeof a),
              EARNED_W);
        fputc('\n', out);
    }
    fputc('\n', out);
}

static void adjustments(const at_statement *st, FILE *out)
{
    if (!st->adjustment_count)
        return;
    char a[AT_ST_TEXT_MAX];
    fprintf(out, "PRIOR-PERIOD ADJUSTMENTS\n");
    for (size_t i = 0; i < st->adjustment_count; i++) {
        const at_statement_adjustment *adj = &st->adjustments[i];
        char label[512];
        snprintf(label, sizeof label, "  Corrects %s: %s", adj->period ? adj->period : "?",
                 adj->name ? adj->name : (adj->corrects ? adj->corrects : ""));
        left(out, label, WIDTH - PAID_W);
        right(out, at_st_money_signed(adj->amount, st->decimals, false, a, sizeof a), PAID_W);
        fputc('\n', out);
        if (adj->why && adj->why[0])
            wrap(out, adj->why, 4);
    }
    fputc('\n', out);
}

static void details(const at_statement *st, FILE *out)
{
    if (!st->line_count)
        return;
    char a[AT_ST_TEXT_MAX], b[AT_ST_TEXT_MAX], c[AT_ST_TEXT_MAX], r[AT_ST_TEXT_MAX],
        fx[AT_ST_TEXT_MAX];
    fprintf(out, "HOW EACH LINE WAS CALCULATED\n");
    rule(out, '-');
    for (size_t i = 0; i < st->line_count; i++) {
        const at_statement_line *l = &st->lines[i];
        char title[512];
        if (l->component_kind && l->plan)
            snprintf(title, sizeof title, "%zu. %s (%s, %s v%d)", i + 1, l->name,
                     l->component_kind, l->plan->name, l->plan->version);
        else
            snprintf(title, sizeof title, "%zu. %s", i + 1, l->name);
        char paid[96];
        snprintf(paid, sizeof paid, "paid %s %s",
                 at_st_money(l->amount, st->decimals, false, true, a, sizeof a), st->currency);
        if (at_st_width(title) + at_st_width(paid) + 2 > WIDTH) {
            fprintf(out, "%s\n", title);
            right(out, paid, WIDTH);
        } else {
            left(out, title, WIDTH - at_st_width(paid));
            fputs(paid, out);
        }
        fputc('\n', out);
        if (l->explain && l->explain[0])
            wrap(out, l->explain, 3);
        if (l->gated)
            wrap(out, "The gate was not met this month, so the line pays nothing.", 3);
        if (l->capped)
            wrap(out, "A cap cut this line.", 3);
        bool other = l->plan_currency && strcmp(l->plan_currency, st->currency) != 0;
        if (l->kind == AT_LINE_COMPONENT && (other || l->rounding || l->earned != l->amount)) {
            int d = at_st_currency_decimals(l->plan_currency);
            char text[512];
            if (other)
                snprintf(text, sizeof text, "Earned %s %s x %s (%s to %s) = %s %s; paid %s %s "
                         "(rounding %s).",
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
            wrap(out, text, 3);
        }
        if (l->kind == AT_LINE_COMPONENT && l->earned_to_date != l->earned) {
            char text[128];
            snprintf(text, sizeof text, "Earned in the window to date: %s %s.",
                     at_st_money(l->earned_to_date, at_st_currency_decimals(l->plan_currency),
                                 true, true, a, sizeof a),
                     l->plan_currency);
            wrap(out, text, 3);
        }
        if (l->measure >= 0) {
            const at_statement_measure *m = &st->measures[l->measure];
            char text[256];
            snprintf(text, sizeof text, "On the measure %s, %s (see MEASURES).",
                     m->def->name ? m->def->name : m->def->id, m->window);
            wrap(out, text, 3);
        }
        fputc('\n', out);
    }
}

#define C_DATE 10
#define C_TX 14
#define C_PRODUCT 12
#define C_KIND 10
#define C_SHARE 7
#define C_AMOUNT 13
#define C_CUR 3
#define C_RATE 9
#define C_VALUE 13

static void credit_row(FILE *out, const char *date, const char *tx, const char *product,
                       const char *kind, const char *share, const char *amount,
                       const char *cur, const char *rate, const char *value)
{
    spaces(out, 2);
    left(out, date, C_DATE + 1);
    left(out, tx, C_TX + 1);
    left(out, product, C_PRODUCT + 1);
    left(out, kind, C_KIND);
    right(out, share, C_SHARE);
    right(out, amount, C_AMOUNT + 1);
    fputc(' ', out);
    left(out, cur, C_CUR);
    right(out, rate, C_RATE + 1);
    right(out, value, C_VALUE + 1);
    fputc('\n', out);
}

static void credits(const at_statement *st, FILE *out)
{
    bool any = false;
    for (size_t i = 0; i < st->measure_count; i++)
        any = any || st->measures[i].credits_listed;
    if (!any)
        return;
    char a[AT_ST_TEXT_MAX], b[AT_ST_TEXT_MAX], c[AT_ST_TEXT_MAX], d[AT_ST_TEXT_MAX],
        e[AT_ST_TEXT_MAX], t1[256], t2[64];
    fprintf(out, "CREDITS BEHIND THE MEASURES\n");
    rule(out, '-');
    for (size_t i = 0; i < st->measure_count; i++) {
        const at_statement_measure *m = &st->measures[i];
        char title[512], cnt[AT_ST_TEXT_MAX];
        snprintf(title, sizeof title, "%s (%s), %s: %s credit%s",
                 m->def->name ? m->def->name : m->def->id, m->plan->name, m->window,
                 at_st_count(m->credits_listed, cnt, sizeof cnt),
                 m->credits_listed == 1 ? "" : "s");
        wrap(out, title, 0);
        if (!m->credits_listed) {
            fputc('\n', out);
            continue;
        }
        size_t listed = at_st_listed(st, m);
        if (at_st_show_sources(st, m)) {
            spaces(out, 2);
            left(out, "By source", 60);
            right(out, "Credits", 14);
            right(out, at_st_value_header(m), 22);
            fputc('\n', out);
            for (size_t k = 0; k < m->source_count; k++) {
                const at_statement_source *src = &m->sources[k];
                char label[256], count[AT_ST_TEXT_MAX];
                at_st_source_label(src, label, sizeof label);
                at_st_count(src->credits, count, sizeof count);
                spaces(out, 2);
                left(out, cut_to(label, 59, t1, sizeof t1), 60);
                right(out, count, 14);
                right(out, at_st_measure_value(m, src->value, a, sizeof a), 22);
                fputc('\n', out);
            }
            fputc('\n', out);
        }
        if (listed < m->credits_listed) {
            char head[256], before[AT_ST_TEXT_MAX];
            snprintf(head, sizeof head, "The latest %zu credits, by date; the %s before them are "
                     "counted in the total%s, and the JSON format lists every one.",
                     listed, at_st_count(m->credits_listed - listed, before, sizeof before),
                     at_st_show_sources(st, m) ? " and by source above" : "");
            wrap(out, head, 2);
        }
        credit_row(out, "Date", "Transaction", "Product", "Credit", "Share", "Credited", "Cur",
                   "Rate", at_st_value_header(m));
        for (size_t k = m->credits_listed - listed; k < m->credits_listed; k++) {
            const at_statement_credit *cr = &m->credits[k];
            char kind[24];
            if (cr->kind == AT_CREDIT_ROLLUP && cr->level)
                snprintf(kind, sizeof kind, "Roll-up %u", (unsigned)cr->level);
            else
                snprintf(kind, sizeof kind, "%s", at_st_credit_kind_label(cr->kind));
            int cd = at_st_currency_decimals(cr->currency);
            credit_row(out, at_st_day(cr->date, a, sizeof a),
                       cut_to(cr->transaction, C_TX, t1, sizeof t1),
                       cut_to(cr->product ? cr->product : "", C_PRODUCT, t2, sizeof t2), kind,
                       at_st_percent(cr->share, 2, 0, b, sizeof b),
                       at_st_money(cr->amount, cd, true, true, c, sizeof c),
                       cr->currency ? cr->currency : "?",
                       cr->fx_missing ? "missing" : at_st_rate(cr->fx_rate, d, sizeof d),
                       cr->has_value ? at_st_measure_value(m, cr->value, e, sizeof e) : "?");
            /* what the row cannot hold: a cancellation's original, the roll-up's seller */
            char note[512];
            int n = 0;
            note[0] = '\0';
            if (cr->original)
                n += snprintf(note + n, sizeof note - (size_t)n, "%s of %s (%s)",
                              at_st_tx_type_label(cr->type), cr->original,
                              at_st_day(cr->original_date, a, sizeof a));
            if (cr->original && cr->scale != AT_RATE_SCALE && n >= 0 && (size_t)n < sizeof note)
                n += snprintf(note + n, sizeof note - (size_t)n, ", clawed back at %s",
                              at_st_percent(cr->scale, 2, 0, b, sizeof b));
            if (cr->from_person && n >= 0 && (size_t)n < sizeof note)
                n += snprintf(note + n, sizeof note - (size_t)n, "%srolled up from %s",
                              n ? "; " : "", cr->from_person);
            if (note[0])
                wrap(out, note, 2 + C_DATE + 1);
        }
        char total[128];
        snprintf(total, sizeof total, "Total %s", at_st_measure_value(m, m->credits_total, a,
                                                                     sizeof a));
        right(out, total, WIDTH);
        fputc('\n', out);
        if (m->credits_without_value) {
            char note[512];
            snprintf(note, sizeof note, "Note: %zu credit%s no exchange rate into %s on %s rate "
                     "day and count%s 0, as in the calculation; add the rate%s to "
                     "exchange_rates.csv and calculate again.",
                     m->credits_without_value, m->credits_without_value == 1 ? " has" : "s have",
                     m->currency, m->credits_without_value == 1 ? "its" : "their",
                     m->credits_without_value == 1 ? "s" : "",
                     m->credits_without_value == 1 ? "" : "s");
            wrap(out, note, 2);
        }
        if (!m->credits_match) {
            char note[512];
            snprintf(note, sizeof note, "Note: the credits listed add up to %s; the measure is "
                     "%s. See docs/statements.md (credits that do not add up).",
                     at_st_measure_value(m, m->credits_total, a, sizeof a),
                     at_st_measure_value(m, m->value, b, sizeof b));
            wrap(out, note, 2);
        }
        fputc('\n', out);
    }
}

at_code at_st_write_text(const at_statement *st, FILE *out, at_error *err)
{
    header(st, out);
    lines(st, out);
    measures(st, out);
    draw(st, out);
    adjustments(st, out);
    details(st, out);
    credits(st, out);
    return at_st_check_stream(out, "statement", err);
}
