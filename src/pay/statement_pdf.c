/* statement_pdf.c - the statement as an A4 PDF (libharu): a header with the company, the
 * payee and the period; the month's lines in a table with right-aligned amounts; the totals,
 * the draw and prior-period adjustments; how each line was calculated; then, from a new
 * page, the credits behind each measure (the table's header repeats on every page). Every
 * page ends with "Page i of n". Text uses the built-in Helvetica in WinAnsi (Windows-1252):
 * UTF-8 is converted with at_st_winansi, so any name prints and none can break the file. */
#include <hpdf.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "pay/statement.h"
#include "pay/statement_impl.h"

/* A4 in points, margins, and the page's furniture */
#define PAGE_W 595.276f
#define PAGE_H 841.89f
#define LEFT 50.0f
#define RIGHT (PAGE_W - 50.0f)
#define TOP (PAGE_H - 48.0f)
#define BOTTOM 62.0f
#define FOOTER_Y 34.0f

typedef struct rgb {
    float r, g, b;
} rgb;

static const rgb INK = {0.11f, 0.14f, 0.19f};
static const rgb GREY = {0.36f, 0.40f, 0.48f};
static const rgb RULE = {0.80f, 0.82f, 0.86f};
static const rgb SHADE = {0.94f, 0.95f, 0.97f};
static const rgb ACCENT = {0.71f, 0.28f, 0.03f};

typedef struct pdf {
    const at_statement *st;
    HPDF_Doc doc;
    HPDF_Font font, bold;
    HPDF_Page *pages;
    size_t page_count, page_capacity;
    HPDF_Page page;
    float y;                /* the baseline of the next line */
    at_arena arena;         /* converted text */
    HPDF_STATUS error, detail; /* the first error libharu reported */
    bool nomem;
    /* the credits table being drawn, to repeat its header on a new page */
    const at_statement_measure *table;
} pdf;

static void HPDF_STDCALL on_error(HPDF_STATUS error_no, HPDF_STATUS detail_no, void *user)
{
    pdf *p = user;
    if (!p->error) {
        p->error = error_no;
        p->detail = detail_no;
    }
}

/* UTF-8 -> WinAnsi, in the render's arena. */
static const char *win(pdf *p, const char *utf8)
{
    if (!utf8)
        return "";
    size_t size = strlen(utf8) * 2 + 1;
    char *buf = at_arena_alloc(&p->arena, size);
    if (!buf) {
        p->nomem = true;
        return "";
    }
    at_st_winansi(utf8, buf, size);
    return buf;
}

static float width_of(HPDF_Font font, float size, const char *win_text)
{
    HPDF_TextWidth tw = HPDF_Font_TextWidth(font, (const HPDF_BYTE *)win_text,
                                            (HPDF_UINT)strlen(win_text));
    return (float)tw.width * size / 1000.0f;
}

static void color(pdf *p, rgb c)
{
    HPDF_Page_SetRGBFill(p->page, c.r, c.g, c.b);
}

/* Draws already converted text. */
static void put(pdf *p, HPDF_Font font, float size, rgb c, float x, float y, const char *text)
{
    if (!text[0])
        return;
    HPDF_Page_BeginText(p->page);
    HPDF_Page_SetFontAndSize(p->page, font, size);
    color(p, c);
    HPDF_Page_TextOut(p->page, x, y, text);
    HPDF_Page_EndText(p->page);
}

/* Cuts converted text to a width, ending with "...". */
static const char *fit(pdf *p, HPDF_Font font, float size, float maxw, const char *text)
{
    if (width_of(font, size, text) <= maxw)
        return text;
    size_t n = strlen(text);
    char *buf = at_arena_alloc(&p->arena, n + 4);
    if (!buf) {
        p->nomem = true;
        return "";
    }
    while (n > 0) {
        n--;
        memcpy(buf, text, n);
        memcpy(buf + n, "...", 4);
        if (width_of(font, size, buf) <= maxw)
            return buf;
    }
    return "";
}

static void text_at(pdf *p, HPDF_Font font, float size, rgb c, float x, float y,
                    const char *utf8, float maxw)
{
    put(p, font, size, c, x, y, fit(p, font, size, maxw, win(p, utf8)));
}

static void text_right(pdf *p, HPDF_Font font, float size, rgb c, float right, float y,
                       const char *utf8)
{
    const char *t = win(p, utf8);
    put(p, font, size, c, right - width_of(font, size, t), y, t);
}

static void hline(pdf *p, float x0, float x1, float y, float w, rgb c)
{
    HPDF_Page_SetLineWidth(p->page, w);
    HPDF_Page_SetRGBStroke(p->page, c.r, c.g, c.b);
    HPDF_Page_MoveTo(p->page, x0, y);
    HPDF_Page_LineTo(p->page, x1, y);
    HPDF_Page_Stroke(p->page);
}

static void shade(pdf *p, float x, float y, float w, float h, rgb c)
{
    color(p, c);
    HPDF_Page_Rectangle(p->page, x, y, w, h);
    HPDF_Page_Fill(p->page);
}

static void credits_header(pdf *p);

static void new_page(pdf *p)
{
    if (p->page_count == p->page_capacity) {
        size_t cap = p->page_capacity ? p->page_capacity * 2 : 8;
        HPDF_Page *pages = realloc(p->pages, cap * sizeof *pages);
        if (!pages) {
            p->nomem = true;
            return;
        }
        p->pages = pages;
        p->page_capacity = cap;
    }
    HPDF_Page page = HPDF_AddPage(p->doc);
    if (!page) {
        p->nomem = true;
        return;
    }
    HPDF_Page_SetSize(page, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
    p->pages[p->page_count++] = page;
    p->page = page;
    p->y = TOP;
    if (p->page_count > 1) {
        /* a running head on continuation pages */
        char head[512];
        snprintf(head, sizeof head, "Pay statement %s: %s (%s)", p->st->period->label,
                 p->st->payee_name, p->st->payee_id);
        text_at(p, p->font, 8, GREY, LEFT, p->y, head, RIGHT - LEFT - 120);
        if (p->st->company)
            text_right(p, p->font, 8, GREY, RIGHT, p->y, p->st->company);
        hline(p, LEFT, RIGHT, p->y - 5, 0.5f, RULE);
        p->y -= 24;
        if (p->table)
            credits_header(p);
    }
}

/* Makes room for h points, starting a new page when the current one is full. */
static void need(pdf *p, float h)
{
    if (p->y - h < BOTTOM)
        new_page(p);
}

/* Draws text wrapped to maxw from x, line by line (new pages as needed). */
static void paragraph(pdf *p, HPDF_Font font, float size, rgb c, float x, float maxw,
                      const char *utf8)
{
    const char *text = win(p, utf8);
    float leading = size * 1.35f;
    size_t len = strlen(text);
    char *line = at_arena_alloc(&p->arena, len + 1);
    if (!line) {
        p->nomem = true;
        return;
    }
    const char *s = text;
    while (*s) {
        /* a line: as many words as fit; the text's own newlines end lines */
        size_t best = 0, i = 0;
        while (s[i] && s[i] != '\n') {
            size_t j = i;
            while (s[j] == ' ')
                j++;
            while (s[j] && s[j] != ' ' && s[j] != '\n')
                j++;
            memcpy(line, s, j);
            line[j] = '\0';
            if (best && width_of(font, size, line) > maxw)
                break;
            best = j;
            i = j;
        }
        if (!best && s[0] != '\n') {
            /* one word longer than the line: cut it by characters */
            best = 1;
            while (s[best] && s[best] != '\n') {
                memcpy(line, s, best + 1);
                line[best + 1] = '\0';
                if (width_of(font, size, line) > maxw)
                    break;
                best++;
            }
        }
        memcpy(line, s, best);
        line[best] = '\0';
        need(p, leading);
        put(p, font, size, c, x, p->y, line);
        p->y -= leading;
        s += best;
        while (*s == ' ')
            s++;
        if (*s == '\n')
            s++;
    }
}

static void section(pdf *p, const char *title)
{
    need(p, 44);
    p->y -= 10;
    text_at(p, p->bold, 10.5f, INK, LEFT, p->y, title, RIGHT - LEFT);
    hline(p, LEFT, RIGHT, p->y - 5, 0.8f, INK);
    p->y -= 20;
}

/* ---- page 1 ------------------------------------------------------------------------------- */

static void fact(pdf *p, const char *label, const char *value)
{
    text_at(p, p->font, 8.5f, GREY, LEFT, p->y, label, 80);
    const char *v = win(p, value);
    float maxw = RIGHT - LEFT - 90;
    if (width_of(p->font, 9.5f, v) <= maxw) {
        put(p, p->font, 9.5f, INK, LEFT + 90, p->y, v);
        p->y -= 14;
    } else {
        paragraph(p, p->font, 9.5f, INK, LEFT + 90, maxw, value);
        p->y -= 1;
    }
}

static void header(pdf *p)
{
    const at_statement *st = p->st;
    char a[AT_ST_TEXT_MAX], b[AT_ST_TEXT_MAX], text[512];
    text_at(p, p->bold, 17, INK, LEFT, p->y - 6, st->company ? st->company : "", 330);
    text_right(p, p->bold, 10, GREY, RIGHT, p->y - 6, "PAY STATEMENT");
    p->y -= 16;
    hline(p, LEFT, RIGHT, p->y, 1.5f, INK);
    p->y -= 22;
    /* the amount paid, boxed on the right */
    float box_w = 150, box_h = 44, box_top = p->y + 12;
    shade(p, RIGHT - box_w, box_top - box_h, box_w, box_h, SHADE);
    text_right(p, p->font, 8.5f, GREY, RIGHT - 10, box_top - 14, "Paid this month");
    snprintf(text, sizeof text, "%s %s",
             at_st_money(st->paid, st->decimals, false, true, a, sizeof a), st->currency);
    text_right(p, p->bold, 15, INK, RIGHT - 10, box_top - 34, text);
    snprintf(text, sizeof text, "%s (%s)", st->payee_name, st->payee_id);
    text_at(p, p->bold, 13, INK, LEFT, p->y, text, RIGHT - LEFT - box_w - 10);
    p->y -= 20;
    snprintf(text, sizeof text, "%s: %s to %s", st->period->label,
             at_st_day_long(st->period->first, a, sizeof a),
             at_st_day_long(st->period->last, b, sizeof b));
    fact(p, "Period", text);
    fact(p, "Pay currency", st->currency);
    for (size_t i = 0; i < st->plan_count; i++) {
        const at_statement_plan *pl = &st->plans[i];
        int n = snprintf(text, sizeof text, "%s, version %d, %s, amounts in %s, rounding %s",
                         pl->plan->name, pl->plan->version,
                         at_st_frequency_label(pl->plan->frequency), pl->currency,
                         at_rounding_name(pl->plan->rounding));
        if (pl->target_incentive && pl->target_currency && n > 0 && (size_t)n < sizeof text)
            snprintf(text + n, sizeof text - (size_t)n, "; target incentive %s %s a year",
                     at_st_money(pl->target_incentive,
                                 at_st_currency_decimals(pl->target_currency), true, true, a,
                                 sizeof a),
                     pl->target_currency);
        fact(p, i ? "" : (st->plan_count > 1 ? "Plans" : "Plan"), text);
    }
    if (!st->plan_count)
        fact(p, "Plan", "none in force this month");
    if (st->issued != AT_DAY_MIN)
        fact(p, "Issued", at_st_day_long(st->issued, a, sizeof a));
}

/* the columns of the lines table: right edges of the amounts */
#define COL_EARNED (LEFT + 330.0f)
#define COL_ROUNDING (LEFT + 410.0f)
#define COL_PAID RIGHT
#define NAME_MAX 250.0f

static void lines_table(pdf *p)
{
    const at_statement *st = p->st;
    char e[AT_ST_TEXT_MAX], r[AT_ST_TEXT_MAX], a[AT_ST_TEXT_MAX], text[128];
    section(p, "Earnings this month");
    shade(p, LEFT, p->y - 5, RIGHT - LEFT, 17, SHADE);
    text_at(p, p->bold, 8.5f, GREY, LEFT + 4, p->y, "Line", NAME_MAX);
    text_right(p, p->bold, 8.5f, GREY, COL_EARNED, p->y, "Earned");
    text_right(p, p->bold, 8.5f, GREY, COL_ROUNDING, p->y, "Rounding");
    snprintf(text, sizeof text, "Paid (%s)", st->currency);
    text_right(p, p->bold, 8.5f, GREY, COL_PAID - 4, p->y, text);
    p->y -= 20;
    for (size_t i = 0; i < st->line_count; i++) {
        const at_statement_line *l = &st->lines[i];
        bool flags = l->gated || l->capped;
        need(p, flags ? 28 : 17);
        text_at(p, p->font, 9.5f, INK, LEFT + 4, p->y, l->name, NAME_MAX);
        if (l->kind == AT_LINE_COMPONENT) {
            at_st_money(l->earned, at_st_currency_decimals(l->plan_currency), true, true, e,
                        sizeof e);
            if (l->plan_currency && strcmp(l->plan_currency, st->currency) != 0) {
                snprintf(text, sizeof text, "%s %s", e, l->plan_currency);
                text_right(p, p->font, 9.5f, INK, COL_EARNED, p->y, text);
            } else {
                text_right(p, p->font, 9.5f, INK, COL_EARNED, p->y, e);
            }
            text_right(p, p->font, 9.5f, GREY, COL_ROUNDING, p->y,
                       at_st_money_signed(l->rounding, st->decimals, true, r, sizeof r));
        }
        text_right(p, p->font, 9.5f, INK, COL_PAID - 4, p->y,
                   at_st_money(l->amount, st->decimals, false, true, a, sizeof a));
        if (flags) {
            p->y -= 11;
            snprintf(text, sizeof text, "%s%s%s", l->gated ? "gate not met" : "",
                     l->gated && l->capped ? ", " : "", l->capped ? "capped" : "");
            text_at(p, p->font, 7.5f, ACCENT, LEFT + 12, p->y, text, NAME_MAX);
        }
        hline(p, LEFT, RIGHT, p->y - 5, 0.4f, RULE);
        p->y -= 17;
    }
    if (!st->line_count) {
        text_at(p, p->font, 9.5f, GREY, LEFT + 4, p->y, "No earnings lines this month.",
                NAME_MAX);
        p->y -= 17;
    }
    need(p, 36);
    hline(p, LEFT, RIGHT, p->y + 11, 1.2f, INK);
    p->y -= 3;
    text_at(p, p->bold, 10, INK, LEFT + 4, p->y, "Total this month", NAME_MAX);
    bool mixed = at_st_mixed_currencies(st);
    at_st_money(st->earned, st->decimals, false, true, e, sizeof e);
    if (mixed) {
        snprintf(text, sizeof text, "%s %s", e, st->currency);
        text_right(p, p->bold, 10, INK, COL_EARNED, p->y, text);
    } else {
        text_right(p, p->bold, 10, INK, COL_EARNED, p->y, e);
    }
    text_right(p, p->bold, 10, INK, COL_PAID - 4, p->y,
               at_st_money(st->paid, st->decimals, false, true, a, sizeof a));
    p->y -= 16;
    snprintf(text, sizeof text, "Fiscal year %s to date", st->year->label);
    text_at(p, p->font, 9.5f, GREY, LEFT + 4, p->y, text, NAME_MAX);
    at_st_money(st->earned_ytd, st->decimals, false, true, e, sizeof e);
    if (mixed) {
        char t2[128];
        snprintf(t2, sizeof t2, "%s %s", e, st->currency);
        text_right(p, p->font, 9.5f, GREY, COL_EARNED, p->y, t2);
    } else {
        text_right(p, p->font, 9.5f, GREY, COL_EARNED, p->y, e);
    }
    text_right(p, p->font, 9.5f, GREY, COL_PAID - 4, p->y,
               at_st_money(st->paid_ytd, st->decimals, false, true, a, sizeof a));
    p->y -= 14;
}

/* the columns of the measures table */
#define M_WINDOW (LEFT + 150.0f)
#define M_MONTH (LEFT + 290.0f)
#define M_TODATE (LEFT + 362.0f)
#define M_QUOTA (LEFT + 428.0f)

static void measures_table(pdf *p)
{
    const at_statement *st = p->st;
    if (!st->measure_count)
        return;
    char a[AT_ST_TEXT_MAX], text[128];
    section(p, "Measures");
    shade(p, LEFT, p->y - 5, RIGHT - LEFT, 17, SHADE);
    text_at(p, p->bold, 8.5f, GREY, LEFT + 4, p->y, "Measure", M_WINDOW - LEFT - 8);
    text_at(p, p->bold, 8.5f, GREY, M_WINDOW, p->y, "Window", 80);
    text_right(p, p->bold, 8.5f, GREY, M_MONTH, p->y, "This month");
    text_right(p, p->bold, 8.5f, GREY, M_TODATE, p->y, "To date");
    text_right(p, p->bold, 8.5f, GREY, M_QUOTA, p->y, "Quota");
    text_right(p, p->bold, 8.5f, GREY, RIGHT - 4, p->y, "Attainment");
    p->y -= 20;
    for (size_t i = 0; i < st->measure_count; i++) {
        const at_statement_measure *m = &st->measures[i];
        need(p, 17);
        const char *unit = m->money ? m->currency
                                    : (m->def->sum == AT_SUM_COUNT ? "deals" : "units");
        snprintf(text, sizeof text, "%s (%s)", m->def->name ? m->def->name : m->def->id, unit);
        text_at(p, p->font, 9.5f, INK, LEFT + 4, p->y, text, M_WINDOW - LEFT - 8);
        text_at(p, p->font, 9.5f, INK, M_WINDOW, p->y, m->window, M_MONTH - M_WINDOW - 60);
        text_right(p, p->font, 9.5f, INK, M_MONTH, p->y,
                   at_st_measure_value(m, m->month_value, a, sizeof a));
        text_right(p, p->font, 9.5f, INK, M_TODATE, p->y,
                   at_st_measure_value(m, m->value, a, sizeof a));
        if (m->has_quota) {
            text_right(p, p->font, 9.5f, INK, M_QUOTA, p->y,
                       at_st_measure_value(m, m->quota, a, sizeof a));
            text_right(p, p->bold, 9.5f, INK, RIGHT - 4, p->y,
                       at_st_percent(m->attainment, 2, 0, a, sizeof a));
        } else {
            text_right(p, p->font, 9.5f, GREY, M_QUOTA, p->y, "none");
        }
        hline(p, LEFT, RIGHT, p->y - 5, 0.4f, RULE);
        p->y -= 17;
    }
}

static void draw_box(pdf *p)
{
    const at_statement *st = p->st;
    const at_statement_draw *d = &st->draw;
    if (!d->present)
        return;
    char a[AT_ST_TEXT_MAX], text[256];
    section(p, "Draw");
    if (d->guarantee_currency) {
        snprintf(text, sizeof text, "%s draw of %s %s a month.",
                 d->recoverable ? "A recoverable" : "A non-recoverable",
                 at_st_money(d->guarantee, at_st_currency_decimals(d->guarantee_currency), true,
                             true, a, sizeof a),
                 d->guarantee_currency);
        paragraph(p, p->font, 9, GREY, LEFT + 4, RIGHT - LEFT - 8, text);
        p->y -= 2;
    }
    struct {
        const char *label;
        at_money value;
    } cols[] = {
        {"Owed at the start", d->balance_before},
        {"Advanced this month", d->advance},
        {"Recovered this month", d->recovered},
        {"Owed after this month", d->balance_after},
    };
    need(p, 30);
    float colw = (RIGHT - LEFT) / 4;
    for (size_t i = 0; i < 4; i++) {
        float right = LEFT + colw * (float)(i + 1) - 4;
        text_right(p, p->font, 8.5f, GREY, right, p->y, cols[i].label);
        text_right(p, i == 3 ? p->bold : p->font, 10, INK, right, p->y - 14,
                   at_st_money(cols[i].value, st->decimals, false, true, a, sizeof a));
    }
    p->y -= 30;
}

static void adjustments(pdf *p)
{
    const at_statement *st = p->st;
    if (!st->adjustment_count)
        return;
    char a[AT_ST_TEXT_MAX], text[512];
    section(p, "Prior-period adjustments");
    for (size_t i = 0; i < st->adjustment_count; i++) {
        const at_statement_adjustment *adj = &st->adjustments[i];
        need(p, 28);
        snprintf(text, sizeof text, "Corrects %s: %s", adj->period ? adj->period : "?",
                 adj->name ? adj->name : st->lines[adj->line].name);
        text_at(p, p->font, 9.5f, INK, LEFT + 4, p->y, text, COL_ROUNDING - LEFT);
        text_right(p, p->font, 9.5f, INK, COL_PAID - 4, p->y,
                   at_st_money_signed(adj->amount, st->decimals, false, a, sizeof a));
        p->y -= 13;
        if (adj->why && adj->why[0])
            paragraph(p, p->font, 8.5f, GREY, LEFT + 14, RIGHT - LEFT - 24, adj->why);
        p->y -= 4;
    }
}

static void explanations(pdf *p)
{
    const at_statement *st = p->st;
    if (!st->line_count)
        return;
    char a[AT_ST_TEXT_MAX], b[AT_ST_TEXT_MAX], c[AT_ST_TEXT_MAX], r[AT_ST_TEXT_MAX],
        fx[AT_ST_TEXT_MAX], text[512];
    section(p, "How each line was calculated");
    float x = LEFT + 14, maxw = RIGHT - LEFT - 18;
    for (size_t i = 0; i < st->line_count; i++) {
        const at_statement_line *l = &st->lines[i];
        need(p, 40);
        snprintf(text, sizeof text, "%zu. %s", i + 1, l->name);
        text_at(p, p->bold, 9.5f, INK, LEFT + 4, p->y, text, 300);
        if (l->component_kind && l->plan) {
            snprintf(text, sizeof text, "%s, %s v%d", l->component_kind, l->plan->name,
                     l->plan->version);
            const char *t = win(p, text);
            float w = width_of(p->bold, 9.5f, fit(p, p->bold, 9.5f, 300, win(p, l->name))) +
                      width_of(p->bold, 9.5f, "0. ") + 10;
            put(p, p->font, 8, GREY, LEFT + 4 + w, p->y, fit(p, p->font, 8, 380 - w, t));
        }
        snprintf(text, sizeof text, "paid %s %s",
                 at_st_money(l->amount, st->decimals, false, true, a, sizeof a), st->currency);
        text_right(p, p->bold, 9.5f, INK, COL_PAID - 4, p->y, text);
        p->y -= 14;
        if (l->explain && l->explain[0])
            paragraph(p, p->font, 9, INK, x, maxw, l->explain);
        if (l->gated)
            paragraph(p, p->font, 9, ACCENT, x, maxw,
                      "The gate was not met this month, so the line pays nothing.");
        if (l->capped)
            paragraph(p, p->font, 9, ACCENT, x, maxw, "A cap cut this line.");
        bool other = l->plan_currency && strcmp(l->plan_currency, st->currency) != 0;
        int d = at_st_currency_decimals(l->plan_currency);
        if (l->kind == AT_LINE_COMPONENT && (other || l->rounding || l->earned != l->amount)) {
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
            paragraph(p, p->font, 8.5f, GREY, x, maxw, text);
        }
        if (l->kind == AT_LINE_COMPONENT && l->earned_to_date != l->earned) {
            snprintf(text, sizeof text, "Earned in the window to date: %s %s.",
                     at_st_money(l->earned_to_date, d, true, true, a, sizeof a),
                     l->plan_currency);
            paragraph(p, p->font, 8.5f, GREY, x, maxw, text);
        }
        if (l->measure >= 0) {
            const at_statement_measure *m = &st->measures[l->measure];
            snprintf(text, sizeof text, "On the measure %s, %s (see Measures).",
                     m->def->name ? m->def->name : m->def->id, m->window);
            paragraph(p, p->font, 8.5f, GREY, x, maxw, text);
        }
        p->y -= 8;
    }
}

/* ---- credits pages ------------------------------------------------------------------------ */

/* columns: x of each left edge; amounts are right-aligned at the next column's edge - 3 */
static const float CX[] = {LEFT,       LEFT + 48,  LEFT + 118, LEFT + 184, LEFT + 230,
                           LEFT + 292, LEFT + 326, LEFT + 390, LEFT + 412, LEFT + 448,
                           RIGHT};
enum { C_DATE, C_TX, C_PRODUCT, C_KIND, C_DEAL, C_SHARE, C_AMOUNT, C_CUR, C_RATE, C_VALUE };

static void cell_left(pdf *p, HPDF_Font f, float size, rgb c, int col, const char *text)
{
    text_at(p, f, size, c, CX[col] + 3, p->y, text, CX[col + 1] - CX[col] - 6);
}

static void cell_right(pdf *p, HPDF_Font f, float size, rgb c, int col, const char *text)
{
    text_right(p, f, size, c, CX[col + 1] - 3, p->y, text);
}

static void credits_header(pdf *p)
{
    const at_statement_measure *m = p->table;
    shade(p, LEFT, p->y - 4, RIGHT - LEFT, 14, SHADE);
    cell_left(p, p->bold, 7.5f, GREY, C_DATE, "Date");
    cell_left(p, p->bold, 7.5f, GREY, C_TX, "Transaction");
    cell_left(p, p->bold, 7.5f, GREY, C_PRODUCT, "Product");
    cell_left(p, p->bold, 7.5f, GREY, C_KIND, "Credit");
    cell_right(p, p->bold, 7.5f, GREY, C_DEAL, "Deal amount");
    cell_right(p, p->bold, 7.5f, GREY, C_SHARE, "Share");
    cell_right(p, p->bold, 7.5f, GREY, C_AMOUNT, "Credited");
    cell_left(p, p->bold, 7.5f, GREY, C_CUR, "Cur");
    cell_right(p, p->bold, 7.5f, GREY, C_RATE, "Rate");
    cell_right(p, p->bold, 7.5f, GREY, C_VALUE, at_st_value_header(m));
    p->y -= 15;
}

/* A measure's credits summed by kind, level and seller. */
static void sources_table(pdf *p, const at_statement_measure *m)
{
    char a[AT_ST_TEXT_MAX], label[256];
    float x_count = LEFT + 330, x_value = LEFT + 430;
    need(p, 40);
    shade(p, LEFT, p->y - 4, x_value - LEFT, 14, SHADE);
    text_at(p, p->bold, 7.5f, GREY, LEFT + 3, p->y, "By source", 250);
    text_right(p, p->bold, 7.5f, GREY, x_count - 3, p->y, "Credits");
    text_right(p, p->bold, 7.5f, GREY, x_value - 3, p->y, at_st_value_header(m));
    p->y -= 14;
    for (size_t k = 0; k < m->source_count; k++) {
        const at_statement_source *src = &m->sources[k];
        need(p, 12);
        text_at(p, p->font, 7.5f, INK, LEFT + 3, p->y,
                at_st_source_label(src, label, sizeof label), 260);
        text_right(p, p->font, 7.5f, INK, x_count - 3, p->y,
                   at_st_count(src->credits, label, sizeof label));
        text_right(p, p->font, 7.5f, INK, x_value - 3, p->y,
                   at_st_measure_value(m, src->value, a, sizeof a));
        p->y -= 11;
    }
    p->y -= 8;
}

static void credits_pages(pdf *p)
{
    const at_statement *st = p->st;
    bool any = false;
    for (size_t i = 0; i < st->measure_count; i++)
        any = any || st->measures[i].credits_listed;
    if (!any)
        return;
    char a[AT_ST_TEXT_MAX], b[AT_ST_TEXT_MAX], text[512];
    p->table = NULL;
    /* the credits follow the first page: on a page of their own, or after the explanations
       when those ran over and leave room */
    if (p->page_count == 1 || p->y < BOTTOM + 200)
        new_page(p);
    else
        p->y -= 16;
    section(p, "Credits behind the measures");
    for (size_t i = 0; i < st->measure_count; i++) {
        const at_statement_measure *m = &st->measures[i];
        p->table = NULL;
        need(p, 60);
        char cnt[AT_ST_TEXT_MAX];
        snprintf(text, sizeof text, "%s (%s), %s: %s credit%s",
                 m->def->name ? m->def->name : m->def->id, m->plan->name, m->window,
                 at_st_count(m->credits_listed, cnt, sizeof cnt),
                 m->credits_listed == 1 ? "" : "s");
        text_at(p, p->bold, 9.5f, INK, LEFT, p->y, text, RIGHT - LEFT);
        p->y -= 16;
        if (!m->credits_listed) {
            text_at(p, p->font, 8.5f, GREY, LEFT + 4, p->y, "No credits in the window.",
                    RIGHT - LEFT);
            p->y -= 18;
            continue;
        }
        size_t listed = at_st_listed(st, m);
        if (at_st_show_sources(st, m))
            sources_table(p, m);
        if (listed < m->credits_listed) {
            need(p, 40);
            char more[AT_ST_TEXT_MAX];
            snprintf(text, sizeof text, "The latest %zu credits, by date; the %s before them are "
                     "counted in the total%s, and the JSON format lists every one.",
                     listed, at_st_count(m->credits_listed - listed, more, sizeof more),
                     at_st_show_sources(st, m) ? " and by source above" : "");
            paragraph(p, p->font, 8, GREY, LEFT + 4, RIGHT - LEFT - 8, text);
            p->y -= 4;
        }
        p->table = m;
        credits_header(p);
        for (size_t k = m->credits_listed - listed; k < m->credits_listed; k++) {
            const at_statement_credit *cr = &m->credits[k];
            char note[512];
            int n = 0;
            note[0] = '\0';
            if (cr->original)
                n += snprintf(note + n, sizeof note - (size_t)n, "%s of %s dated %s",
                              at_st_tx_type_label(cr->type), cr->original,
                              at_st_day(cr->original_date, a, sizeof a));
            if (cr->original && cr->scale != AT_RATE_SCALE && n >= 0 && (size_t)n < sizeof note)
                n += snprintf(note + n, sizeof note - (size_t)n, ", clawed back at %s",
                              at_st_percent(cr->scale, 2, 0, b, sizeof b));
            if (cr->from_person && n >= 0 && (size_t)n < sizeof note)
                n += snprintf(note + n, sizeof note - (size_t)n, "%srolled up from %s",
                              n ? "; " : "", cr->from_person);
            bool has_note = note[0] != '\0';
            need(p, has_note ? 22 : 12);
            if (k % 2 == 1)
                shade(p, LEFT, p->y - 3.5f - (has_note ? 9.5f : 0), RIGHT - LEFT,
                      12 + (has_note ? 9.5f : 0), SHADE);
            int cd = at_st_currency_decimals(cr->currency);
            char kind[32];
            if (cr->kind == AT_CREDIT_ROLLUP && cr->level)
                snprintf(kind, sizeof kind, "Roll-up %u", (unsigned)cr->level);
            else
                snprintf(kind, sizeof kind, "%s", at_st_credit_kind_label(cr->kind));
            cell_left(p, p->font, 7.5f, INK, C_DATE, at_st_day(cr->date, a, sizeof a));
            cell_left(p, p->font, 7.5f, INK, C_TX, cr->transaction);
            cell_left(p, p->font, 7.5f, INK, C_PRODUCT, cr->product ? cr->product : "");
            cell_left(p, p->font, 7.5f, INK, C_KIND, kind);
            cell_right(p, p->font, 7.5f, INK, C_DEAL,
                       at_st_money(cr->transaction_amount, cd, true, true, a, sizeof a));
            cell_right(p, p->font, 7.5f, INK, C_SHARE, at_st_percent(cr->share, 2, 0, a,
                                                                     sizeof a));
            cell_right(p, p->font, 7.5f, INK, C_AMOUNT, at_st_money(cr->amount, cd, true, true,
                                                                    a, sizeof a));
            cell_left(p, p->font, 7.5f, INK, C_CUR, cr->currency ? cr->currency : "?");
            cell_right(p, p->font, 7.5f, INK, C_RATE,
                       cr->fx_missing ? "missing" : at_st_rate(cr->fx_rate, a, sizeof a));
            cell_right(p, p->font, 7.5f, INK, C_VALUE,
                       cr->has_value ? at_st_measure_value(m, cr->value, a, sizeof a) : "?");
            p->y -= 9.5f;
            if (has_note) {
                text_at(p, p->font, 7, cr->original ? ACCENT : GREY, CX[C_TX] + 3, p->y, note,
                        RIGHT - CX[C_TX] - 6);
                p->y -= 9.5f;
            }
            p->y -= 2.5f;
        }
        need(p, 16);
        hline(p, LEFT, RIGHT, p->y + 8, 0.8f, INK);
        text_at(p, p->bold, 8, INK, CX[C_DATE] + 3, p->y - 2, "Total of the credits", 200);
        text_right(p, p->bold, 8, INK, CX[C_VALUE + 1] - 3, p->y - 2,
                   at_st_measure_value(m, m->credits_total, a, sizeof a));
        p->y -= 16;
        p->table = NULL;
        if (m->credits_without_value) {
            char note[512];
            snprintf(note, sizeof note, "Note: %zu credit%s no exchange rate into %s on %s rate "
                     "day and count%s 0, as in the calculation; add the rate%s to "
                     "exchange_rates.csv and calculate again.",
                     m->credits_without_value, m->credits_without_value == 1 ? " has" : "s have",
                     m->currency, m->credits_without_value == 1 ? "its" : "their",
                     m->credits_without_value == 1 ? "s" : "",
                     m->credits_without_value == 1 ? "" : "s");
            paragraph(p, p->font, 8, ACCENT, LEFT + 4, RIGHT - LEFT - 8, note);
        }
        if (!m->credits_match) {
            snprintf(text, sizeof text, "The credits listed add up to %s; the measure is %s "
                     "(see docs/statements.md, credits that do not add up).",
                     at_st_measure_value(m, m->credits_total, a, sizeof a),
                     at_st_measure_value(m, m->value, b, sizeof b));
            paragraph(p, p->font, 8, ACCENT, LEFT + 4, RIGHT - LEFT - 8, text);
        }
        p->y -= 12;
    }
}

static void footers(pdf *p)
{
    const at_statement *st = p->st;
    char left[512], right[64];
    snprintf(left, sizeof left, "%s (%s), %s", st->payee_name, st->payee_id, st->period->label);
    for (size_t i = 0; i < p->page_count; i++) {
        p->page = p->pages[i];
        hline(p, LEFT, RIGHT, FOOTER_Y + 11, 0.5f, RULE);
        text_at(p, p->font, 7.5f, GREY, LEFT, FOOTER_Y, left, 360);
        snprintf(right, sizeof right, "Page %zu of %zu", i + 1, p->page_count);
        text_right(p, p->font, 7.5f, GREY, RIGHT, FOOTER_Y, right);
    }
}

static at_code save(pdf *p, FILE *out, at_error *err)
{
    if (HPDF_SaveToStream(p->doc) != HPDF_OK || p->error)
        return at_fail(err, AT_ERR_INTERNAL, NULL, "please report this with the statement's "
                       "payee and period", "the PDF library failed (error 0x%04X, detail %u)",
                       (unsigned)p->error, (unsigned)p->detail);
    HPDF_UINT32 size = HPDF_GetStreamSize(p->doc);
    HPDF_BYTE *buf = malloc(size ? size : 1);
    if (!buf)
        return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory writing the PDF");
    HPDF_UINT32 got = size;
    HPDF_STATUS st = HPDF_ReadFromStream(p->doc, buf, &got);
    if ((st != HPDF_OK && st != HPDF_STREAM_EOF) || got != size) {
        free(buf);
        return at_fail(err, AT_ERR_INTERNAL, NULL, NULL,
                       "the PDF library could not hand back the document (error 0x%04X)",
                       (unsigned)st);
    }
    size_t written = fwrite(buf, 1, size, out);
    free(buf);
    if (written != size)
        return at_fail(err, AT_ERR_IO, NULL, "check that the disk is not full",
                       "writing the PDF failed after %zu of %u bytes", written, (unsigned)size);
    return at_st_check_stream(out, "statement", err);
}

at_code at_st_write_pdf(const at_statement *st, FILE *out, at_error *err)
{
    pdf p;
    memset(&p, 0, sizeof p);
    p.st = st;
    at_arena_init(&p.arena, 0);
    p.doc = HPDF_New(on_error, &p);
    if (!p.doc)
        return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory starting the PDF");
    HPDF_SetCompressionMode(p.doc, HPDF_COMP_ALL);
    p.font = HPDF_GetFont(p.doc, "Helvetica", "WinAnsiEncoding");
    p.bold = HPDF_GetFont(p.doc, "Helvetica-Bold", "WinAnsiEncoding");
    char title[512];
    snprintf(title, sizeof title, "Pay statement %s: %s", st->period->label, st->payee_name);
    HPDF_SetInfoAttr(p.doc, HPDF_INFO_TITLE, win(&p, title));
    HPDF_SetInfoAttr(p.doc, HPDF_INFO_CREATOR, "attain");
    if (st->company)
        HPDF_SetInfoAttr(p.doc, HPDF_INFO_AUTHOR, win(&p, st->company));
    at_code rc = AT_OK;
    if (p.font && p.bold) {
        new_page(&p);
        if (p.page) {
            header(&p);
            lines_table(&p);
            measures_table(&p);
            draw_box(&p);
            adjustments(&p);
            explanations(&p);
            credits_pages(&p);
            footers(&p);
        }
    }
    if (p.nomem)
        rc = at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory drawing the PDF");
    else
        rc = save(&p, out, err);
    HPDF_Free(p.doc);
    free(p.pages);
    at_arena_free(&p.arena);
    return rc;
}
