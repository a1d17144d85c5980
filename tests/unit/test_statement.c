/* test_statement.c - pay statements: the formatting helpers, building a statement from a
 * hand-made calculation (statement_fixtures.c), the text, JSON and HTML renderers against
 * golden files (tests/golden/statement_*), and the PDF read back with pdftotext and pdfinfo.
 *
 * A golden file that differs fails the test, which prints the first differing line and how
 * to accept the new output: ATTAIN_UPDATE_GOLDEN=1 ctest -R test_statement (then review the
 * diff with git diff tests/golden). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "pay/statement.h"
#include "pay/statement_impl.h"
#include "statement_fixtures.c"

/* ---- helpers ------------------------------------------------------------------------------ */

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        fclose(f);
        return NULL;
    }
    buf[n] = '\0';
    fclose(f);
    if (len)
        *len = (size_t)n;
    return buf;
}

static void write_file(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

static const char *tmp_dir(void)
{
    const char *t = getenv("ATTAIN_TEST_TMP");
    if (!t || !t[0])
        t = "/tmp";
    char cmd[1100];
    snprintf(cmd, sizeof cmd, "mkdir -p '%s'", t);
    if (system(cmd) != 0)
        fail_msg("cannot create %s", t);
    return t;
}

/* Compares text with tests/golden/<name>; ATTAIN_UPDATE_GOLDEN=1 writes it instead. */
static void check_golden(const char *name, const char *text, size_t len)
{
    const char *src = getenv("ATTAIN_SOURCE_DIR");
    assert_non_null(src);
    char path[1024];
    snprintf(path, sizeof path, "%s/tests/golden/%s", src, name);
    const char *update = getenv("ATTAIN_UPDATE_GOLDEN");
    if (update && strcmp(update, "1") == 0) {
        write_file(path, text, len);
        return;
    }
    size_t glen = 0;
    char *golden = read_file(path, &glen);
    if (!golden)
        fail_msg("golden file %s is missing; create it with ATTAIN_UPDATE_GOLDEN=1 ctest -R "
                 "test_statement and review it", path);
    if (glen != len || memcmp(golden, text, len) != 0) {
        size_t line = 1, i = 0;
        while (i < len && i < glen && golden[i] == text[i]) {
            if (text[i] == '\n')
                line++;
            i++;
        }
        char out[1024];
        snprintf(out, sizeof out, "%s/%s.new", tmp_dir(), name);
        write_file(out, text, len);
        fprintf(stderr, "%s differs from the output at line %zu (new output in %s).\n"
                        "If the change is intended: ATTAIN_UPDATE_GOLDEN=1 ctest -R "
                        "test_statement, then review git diff tests/golden\n",
                path, line, out);
        free(golden);
        fail();
    }
    free(golden);
}

typedef struct ctx {
    fixture f;
    at_arena arena;
    at_statement st;
} ctx;

static int setup(void **state)
{
    ctx *c = calloc(1, sizeof *c);
    if (!c || fixture_init(&c->f) != 0)
        return -1;
    at_arena_init(&c->arena, 0);
    at_error err;
    if (at_statement_build(&c->f.in, &c->f.res, 0, 14, &c->arena, &c->st, &err) != AT_OK) {
        fprintf(stderr, "build: %s\n", err.message);
        return -1;
    }
    c->st.company = "Northwind Analytics GmbH";
    c->st.issued = at_day_from_ymd(2026, 4, 3);
    *state = c;
    return 0;
}

static int teardown(void **state)
{
    ctx *c = *state;
    at_arena_free(&c->arena);
    fixture_free(&c->f);
    free(c);
    return 0;
}

static char *render(const at_statement *st, at_statement_format format, size_t *len)
{
    char *data = NULL;
    at_error err;
    at_code rc = at_statement_render(st, format, &data, len, &err);
    if (rc != AT_OK)
        fail_msg("render: %s", err.message);
    return data;
}

/* ---- formatting --------------------------------------------------------------------------- */

static void money_formats(void **state)
{
    (void)state;
    char b[AT_ST_TEXT_MAX];
    assert_string_equal(at_st_money(12345678912, 2, false, true, b, sizeof b), "1,234,567.89");
    assert_string_equal(at_st_money(12345678912, 2, true, true, b, sizeof b), "1,234,567.8912");
    assert_string_equal(at_st_money(12345678912, 2, true, false, b, sizeof b), "1234567.8912");
    assert_string_equal(at_st_money(-12345000, 2, false, true, b, sizeof b), "-1,234.50");
    assert_string_equal(at_st_money(0, 2, false, true, b, sizeof b), "0.00");
    assert_string_equal(at_st_money(9990000, 2, false, true, b, sizeof b), "999.00");
    assert_string_equal(at_st_money(10000000, 2, false, true, b, sizeof b), "1,000.00");
    assert_string_equal(at_st_money(1234567890000, 0, false, true, b, sizeof b), "123,456,789");
    /* JPY: no decimals; an exact amount with a fraction keeps it */
    assert_string_equal(at_st_money(12345000, 0, true, true, b, sizeof b), "1,234.5");
    /* half-even when not exact: 0.005 -> 0.00, 0.015 -> 0.02 */
    assert_string_equal(at_st_money(50, 2, false, true, b, sizeof b), "0.00");
    assert_string_equal(at_st_money(150, 2, false, true, b, sizeof b), "0.02");
    assert_string_equal(at_st_money_signed(20, 2, true, b, sizeof b), "+0.002");
    assert_string_equal(at_st_money_signed(-100, 2, true, b, sizeof b), "-0.01");
    assert_string_equal(at_st_money_signed(0, 2, true, b, sizeof b), "0.00");
    assert_string_equal(at_st_money(INT64_MIN, 2, true, true, b, sizeof b),
                        "-922,337,203,685,477.5808");
}

static void percent_and_rate_formats(void **state)
{
    (void)state;
    char b[AT_ST_TEXT_MAX];
    assert_string_equal(at_st_percent(390691200, 2, 0, b, sizeof b), "39.07%");
    assert_string_equal(at_st_percent(1000000000, 2, 0, b, sizeof b), "100%");
    assert_string_equal(at_st_percent(1000000000, 2, 1, b, sizeof b), "100.0%");
    assert_string_equal(at_st_percent(333333333, 2, 0, b, sizeof b), "33.33%");
    assert_string_equal(at_st_percent(500000000, 2, 0, b, sizeof b), "50%");
    assert_string_equal(at_st_percent(125000000, 2, 0, b, sizeof b), "12.5%");
    assert_string_equal(at_st_percent(-50000000, 2, 0, b, sizeof b), "-5%");
    assert_string_equal(at_st_rate(1080000000, b, sizeof b), "1.08");
    assert_string_equal(at_st_rate(AT_RATE_SCALE, b, sizeof b), "1.0");
    assert_string_equal(at_st_day(at_day_from_ymd(2026, 3, 4), b, sizeof b), "2026-03-04");
    assert_string_equal(at_st_day_long(at_day_from_ymd(2026, 3, 4), b, sizeof b),
                        "4 March 2026");
    assert_int_equal(at_st_currency_decimals("USD"), 2);
    assert_int_equal(at_st_currency_decimals("JPY"), 0);
    assert_int_equal(at_st_currency_decimals("BHD"), 3);
    assert_int_equal(at_st_currency_decimals("XAU"), 4);
    assert_int_equal(at_st_currency_decimals("ZZZ"), 2);
    assert_int_equal(at_st_currency_decimals(NULL), 2);
}

static void names_and_formats(void **state)
{
    (void)state;
    assert_string_equal(at_st_credit_kind(AT_CREDIT_ROLLUP), "rollup");
    assert_string_equal(at_st_credit_kind(99), "unknown");
    assert_string_equal(at_st_line_kind(AT_LINE_DRAW_RECOVERY), "draw_recovery");
    assert_string_equal(at_st_window(AT_WINDOW_QUARTER_TO_DATE), "quarter_to_date");
    assert_string_equal(at_st_tx_type_label(AT_TX_CANCELLATION), "Cancellation");
    at_statement_format f;
    at_error err;
    assert_int_equal(at_statement_format_parse("PDF", &f, &err), AT_OK);
    assert_int_equal(f, AT_STATEMENT_PDF);
    assert_int_equal(at_statement_format_parse("html", &f, &err), AT_OK);
    assert_int_equal(f, AT_STATEMENT_HTML);
    assert_int_equal(at_statement_format_parse("doc", &f, &err), AT_ERR_USAGE);
    assert_non_null(strstr(err.message, "'doc'"));
    assert_non_null(strstr(err.hint, "text, json, html, pdf"));
    assert_int_equal(at_statement_format_parse(NULL, &f, &err), AT_ERR_USAGE);
    assert_string_equal(at_statement_format_name(AT_STATEMENT_JSON), "json");
}

static void widths_count_characters(void **state)
{
    (void)state;
    assert_int_equal(at_st_width("Zo\xC3\xAB"), 3);
    assert_int_equal(at_st_width("\xE6\x97\xA5\xE6\x9C\xAC"), 4); /* 日本: wide */
    assert_int_equal(at_st_width("e\xCC\x81"), 1);                /* e + combining acute */
    assert_int_equal(at_st_width("\xFF" "a"), 2);                 /* a stray byte counts 1 */
    assert_int_equal(at_st_width(NULL), 0);
}

static void winansi_keeps_replaces_and_transliterates(void **state)
{
    (void)state;
    char b[128];
    /* Latin-1 kept, Latin Extended-A loses its mark */
    at_st_winansi("Zo\xC3\xAB \xC5\x81ukasiewicz", b, sizeof b);
    assert_string_equal(b, "Zo\xEB Lukasiewicz");
    /* Windows-1252's own 0x80..0x9F: euro, en dash, curly quotes, S caron */
    at_st_winansi("\xE2\x82\xAC" "5 \xE2\x80\x93 \xE2\x80\x9Cok\xE2\x80\x9D \xC5\xA0", b,
                  sizeof b);
    assert_string_equal(b, "\x80" "5 \x96 \x93ok\x94 \x8A");
    /* Cyrillic and Greek are transliterated */
    at_st_winansi("\xD0\x98\xD0\xB2\xD0\xB0\xD0\xBD \xD0\xA9\xD1\x83\xD0\xBA\xD0\xB8\xD0\xBD",
                  b, sizeof b);
    assert_string_equal(b, "Ivan Shchukin");
    at_st_winansi("\xCE\x9D\xCE\xAF\xCE\xBA\xCE\xBF\xCF\x82 \xCE\xB8", b, sizeof b);
    assert_string_equal(b, "Nikos th");
    /* Romanian comma-below, a combining mark dropped, math signs spelled out */
    at_st_winansi("\xC8\x98tef\xC4\x83nescu e\xCC\x81 \xE2\x89\xA5 \xE2\x86\x92", b, sizeof b);
    assert_string_equal(b, "Stefanescu e >= ->");
    /* what cannot be written: CJK, bytes that are not UTF-8, control characters */
    at_st_winansi("\xE6\x97\xA5 \xFF\xC3 a\tb", b, sizeof b);
    assert_string_equal(b, "? ?? a b");
    /* cut: whole characters only */
    at_st_winansi("\xD0\xA9\xD1\x83", b, 4); /* "Shch" does not fit in 3 bytes */
    assert_string_equal(b, "");
    at_st_winansi("abcdef", b, 4);
    assert_string_equal(b, "abc");
    assert_int_equal(at_st_winansi(NULL, b, sizeof b), 0);
}

/* ---- building ----------------------------------------------------------------------------- */

static void build_reads_the_result(void **state)
{
    ctx *c = *state;
    const at_statement *st = &c->st;
    assert_string_equal(st->payee_id, "P001");
    assert_string_equal(st->payee_name, "Zo\xC3\xAB \xC5\x81ukasiewicz");
    assert_string_equal(st->currency, "USD");
    assert_int_equal(st->decimals, 2);
    assert_string_equal(st->period->label, "2026-03");
    assert_string_equal(st->year->label, "2026");
    assert_int_equal(st->plan_count, 1);
    assert_string_equal(st->plans[0].assignment, "A001");
    assert_string_equal(st->plans[0].currency, "USD");
    /* totals come from the payout */
    assert_int_equal(st->earned, 4767300);
    assert_int_equal(st->paid, 10000000);
    assert_int_equal(st->earned_ytd, 21015000);
    assert_int_equal(st->paid_ytd, 30250000);
    /* lines in the engine's order, with names and rounding */
    assert_int_equal(st->line_count, 5);
    assert_string_equal(st->lines[0].name, "Commission on bookings");
    assert_string_equal(st->lines[0].component_kind, "rate");
    assert_int_equal(st->lines[0].earned_converted, 4767280);
    assert_int_equal(st->lines[0].rounding, 20); /* 476.73 - 476.728 */
    assert_int_equal(st->lines[0].measure, 0);
    assert_true(st->lines[2].gated);
    assert_string_equal(st->lines[3].name, "Adjustment: Commission on bookings");
    assert_string_equal(st->lines[3].adjusts_period, "2026-02");
    assert_int_equal(st->lines[3].rounding, 0);
    assert_int_equal(st->lines[3].measure, -1);
    assert_string_equal(st->lines[4].name, "Draw advance");
    /* the adjustment */
    assert_int_equal(st->adjustment_count, 1);
    assert_int_equal(st->adjustments[0].line, 3);
    assert_string_equal(st->adjustments[0].corrects, "AE 2026/commission");
    assert_string_equal(st->adjustments[0].period, "2026-02");
    assert_int_equal(st->adjustments[0].amount, 250000);
    /* the draw: 1,200.00 owed after February, 498.27 advanced, 1,698.27 owed */
    assert_true(st->draw.present);
    assert_true(st->draw.recoverable);
    assert_int_equal(st->draw.guarantee, 10000000);
    assert_int_equal(st->draw.balance_before, 12000000);
    assert_int_equal(st->draw.advance, 4982700);
    assert_int_equal(st->draw.recovered, 0);
    assert_int_equal(st->draw.balance_after, 16982700);
}

static void build_lists_the_credits_behind_a_measure(void **state)
{
    ctx *c = *state;
    const at_statement *st = &c->st;
    assert_int_equal(st->measure_count, 1);
    const at_statement_measure *m = &st->measures[0];
    assert_string_equal(m->def->id, "bookings");
    assert_string_equal(m->window, "2026-Q1 to date");
    assert_int_equal(m->window_first_month, 12);
    assert_true(m->money);
    assert_int_equal(m->value, 195345600);
    assert_int_equal(m->attainment, 390691200);
    /* P001's four credits; P002's split credit is not listed */
    assert_int_equal(m->credits_listed, 4);
    assert_string_equal(m->credits[0].transaction, "T100");
    assert_false(m->credits[0].in_month);
    assert_string_equal(m->credits[1].transaction, "T200");
    assert_true(m->credits[1].in_month);
    assert_string_equal(m->credits[1].currency, "EUR");
    assert_int_equal(m->credits[1].share, 500000000);
    assert_int_equal(m->credits[1].fx_rate, 1080000000);
    assert_int_equal(m->credits[1].converted, 108000000); /* 10,000.00 EUR x 1.08 */
    assert_int_equal(m->credits[1].value, 108000000);
    assert_int_equal(m->credits[1].transaction_amount, 200000000);
    assert_string_equal(m->credits[2].transaction, "T300");
    assert_string_equal(m->credits[2].original, "T100");
    assert_int_equal(m->credits[2].original_date, at_day_from_ymd(2026, 1, 20));
    assert_int_equal(m->credits[2].value, -25000000);
    assert_int_equal(m->credits[2].scale, AT_RATE_SCALE);
    assert_string_equal(m->credits[3].product, "PRO-1");
    assert_int_equal(m->credits_total, 195345600);
    assert_true(m->credits_match);
    /* all four are the owner's: one source */
    assert_int_equal(m->source_count, 1);
    assert_int_equal(m->sources[0].kind, AT_CREDIT_OWNER);
    assert_int_equal(m->sources[0].credits, 4);
    assert_int_equal(m->sources[0].value, 195345600);
    assert_false(m->has_rollups);
}

static void build_notes_credits_that_do_not_add_up(void **state)
{
    ctx *c = *state;
    /* a measure value the credits do not explain (e.g. a result from another run) */
    c->f.measure_values[0].value += 10000;
    at_statement st;
    at_error err;
    assert_int_equal(at_statement_build(&c->f.in, &c->f.res, 0, 14, &c->arena, &st, &err),
                     AT_OK);
    c->f.measure_values[0].value -= 10000;
    assert_false(st.measures[0].credits_match);
    size_t len;
    char *text = render(&st, AT_STATEMENT_TEXT, &len);
    assert_non_null(strstr(text, "the credits listed add up to 19,534.56; the measure is "
                                 "19,535.56"));
    free(text);
}

static void build_notes_credits_without_a_rate(void **state)
{
    ctx *c = *state;
    /* no EUR rate at all: T200's credit counts 0, and so does the measure (as the engine
       would have it) */
    at_fx_table empty;
    at_fx_init(&empty);
    assert_int_equal(at_fx_finish(&empty, NULL), AT_OK);
    c->f.in.fx = &empty;
    c->f.measure_values[0].value -= 108000000;
    at_statement st;
    at_error err;
    assert_int_equal(at_statement_build(&c->f.in, &c->f.res, 0, 14, &c->arena, &st, &err),
                     AT_OK);
    c->f.measure_values[0].value += 108000000;
    c->f.in.fx = &c->f.fx;
    at_fx_free(&empty);
    const at_statement_measure *m = &st.measures[0];
    assert_true(m->credits[1].fx_missing);
    assert_false(m->credits[1].has_value);
    assert_int_equal(m->credits[1].value, 0);
    assert_int_equal(m->credits_without_value, 1);
    assert_int_equal(m->credits_total, 87345600); /* 19,534.56 - 10,800.00 */
    assert_true(m->credits_match);
    size_t len;
    char *text = render(&st, AT_STATEMENT_TEXT, &len);
    assert_non_null(strstr(text, "missing"));
    assert_non_null(strstr(text, "Note: 1 credit has no exchange rate into USD on its rate day "
                                 "and counts 0"));
    free(text);
}

static void build_payee_without_lines(void **state)
{
    ctx *c = *state;
    at_statement st;
    at_error err;
    assert_int_equal(at_statement_build(&c->f.in, &c->f.res, 1, 14, &c->arena, &st, &err),
                     AT_OK);
    assert_string_equal(st.payee_name, "Ana Lima");
    assert_int_equal(st.line_count, 0);
    assert_int_equal(st.measure_count, 0);
    assert_int_equal(st.plan_count, 0);
    assert_false(st.draw.present);
    size_t len;
    char *text = render(&st, AT_STATEMENT_TEXT, &len);
    assert_non_null(strstr(text, "No earnings lines this month."));
    assert_non_null(strstr(text, "none in force this month"));
    free(text);
    char *pdf = render(&st, AT_STATEMENT_PDF, &len);
    assert_true(len > 100 && memcmp(pdf, "%PDF-", 5) == 0);
    free(pdf);
}

static void build_errors(void **state)
{
    ctx *c = *state;
    at_statement st;
    at_error err;
    assert_int_equal(at_statement_build(NULL, &c->f.res, 0, 14, &c->arena, &st, &err),
                     AT_ERR_INVALID);
    assert_int_equal(at_statement_build(&c->f.in, &c->f.res, -1, 14, &c->arena, &st, &err),
                     AT_ERR_NOT_FOUND);
    assert_non_null(strstr(err.message, "payee number -1"));
    assert_int_equal(at_statement_build(&c->f.in, &c->f.res, 2, 14, &c->arena, &st, &err),
                     AT_ERR_NOT_FOUND);
    assert_int_equal(at_statement_build(&c->f.in, &c->f.res, 0, 36, &c->arena, &st, &err),
                     AT_ERR_NOT_FOUND);
    assert_non_null(strstr(err.message, "fiscal years 2025 to 2027"));
    /* no payout for P002 in January: P002 has no plan assignment */
    assert_int_equal(at_statement_build(&c->f.in, &c->f.res, 1, 12, &c->arena, &st, &err),
                     AT_ERR_NOT_FOUND);
    assert_non_null(strstr(err.message, "P002 (Ana Lima) has no plan assignment in 2026-01"));
    assert_non_null(strstr(err.hint, "attain plan assign"));
    /* P001 is assigned from 2026-01-01, but the result holds nothing for 2026-04 */
    assert_int_equal(at_statement_build(&c->f.in, &c->f.res, 0, 15, &c->arena, &st, &err),
                     AT_ERR_NOT_FOUND);
    assert_non_null(strstr(err.message, "no results for payee P001"));
    assert_non_null(strstr(err.hint, "attain calc --period"));
    /* a payout naming a currency the input does not have */
    c->f.payouts[2].currency = 7;
    assert_int_equal(at_statement_build(&c->f.in, &c->f.res, 0, 14, &c->arena, &st, &err),
                     AT_ERR_INVALID);
    c->f.payouts[2].currency = 0;
    /* a measure value naming a measure the plan does not have */
    c->f.measure_values[0].measure = 3;
    assert_int_equal(at_statement_build(&c->f.in, &c->f.res, 0, 14, &c->arena, &st, &err),
                     AT_ERR_INVALID);
    c->f.measure_values[0].measure = 0;
    /* a credit naming a transaction that is not there */
    c->f.cr_transaction[1] = 9;
    assert_int_equal(at_statement_build(&c->f.in, &c->f.res, 0, 14, &c->arena, &st, &err),
                     AT_ERR_INVALID);
    assert_non_null(strstr(err.message, "transaction 9"));
    c->f.cr_transaction[1] = 1;
}

/* ---- rendering ---------------------------------------------------------------------------- */

static void text_matches_golden(void **state)
{
    ctx *c = *state;
    size_t len;
    char *text = render(&c->st, AT_STATEMENT_TEXT, &len);
    assert_int_equal(strlen(text), len);
    /* what a rep checks first, worked out in statement_fixtures.c */
    assert_non_null(strstr(text, "Commission on bookings"));
    assert_non_null(strstr(text, "476.728"));
    assert_non_null(strstr(text, "+0.002"));
    assert_non_null(strstr(text, "476.73"));
    assert_non_null(strstr(text, "Quarterly quota bonus [gate not met]"));
    assert_non_null(strstr(text, "1,000.00"));
    assert_non_null(strstr(text, "1,698.27"));
    assert_non_null(strstr(text, "Corrects 2026-02: Commission on bookings"));
    assert_non_null(strstr(text, "Cancellation of T100 (2026-01-20)"));
    assert_non_null(strstr(text, "2026-03-25 T400           PRO-1"));
    assert_non_null(strstr(text, "10,800.00"));
    assert_non_null(strstr(text, "Bookings (USD)              2026-Q1 to date         9,534.56     "
                                 "19,534.56     50,000.00      39.07%"));
    /* no line is wider than 100 characters */
    for (const char *p = text; *p;) {
        const char *nl = strchr(p, '\n');
        assert_non_null(nl);
        char line[512];
        size_t n = (size_t)(nl - p) < sizeof line - 1 ? (size_t)(nl - p) : sizeof line - 1;
        memcpy(line, p, n);
        line[n] = '\0';
        if (at_st_width(line) > 100)
            fail_msg("line wider than 100: %s", line);
        p = nl + 1;
    }
    check_golden("statement_p001_2026-03.txt", text, len);
    free(text);
}

static void json_matches_golden_and_parses(void **state)
{
    ctx *c = *state;
    size_t len;
    char *text = render(&c->st, AT_STATEMENT_JSON, &len);
    json_error_t jerr;
    json_t *root = json_loads(text, 0, &jerr);
    if (!root)
        fail_msg("JSON does not parse: %s at line %d", jerr.text, jerr.line);
    assert_int_equal(json_integer_value(json_object_get(root, "statement_version")), 1);
    json_t *payee = json_object_get(root, "payee");
    assert_string_equal(json_string_value(json_object_get(payee, "name")),
                        "Zo\xC3\xAB \xC5\x81ukasiewicz");
    json_t *lines = json_object_get(root, "lines");
    assert_int_equal(json_array_size(lines), 5);
    json_t *l0 = json_array_get(lines, 0);
    assert_string_equal(json_string_value(json_object_get(l0, "earned")), "476.728");
    assert_string_equal(json_string_value(json_object_get(l0, "paid")), "476.73");
    assert_string_equal(json_string_value(json_object_get(l0, "rounding")), "0.002");
    assert_int_equal(json_integer_value(json_object_get(l0, "measure")), 0);
    json_t *totals = json_object_get(root, "totals");
    assert_string_equal(json_string_value(json_object_get(totals, "paid")), "1000.00");
    assert_string_equal(json_string_value(json_object_get(totals, "paid_ytd")), "3025.00");
    json_t *draw = json_object_get(root, "draw");
    assert_string_equal(json_string_value(json_object_get(draw, "balance_after")), "1698.27");
    json_t *m0 = json_array_get(json_object_get(root, "measures"), 0);
    assert_string_equal(json_string_value(json_object_get(m0, "attainment")), "0.3906912");
    json_t *s0 = json_array_get(json_object_get(m0, "sources"), 0);
    assert_string_equal(json_string_value(json_object_get(s0, "kind")), "owner");
    assert_int_equal(json_integer_value(json_object_get(s0, "credits")), 4);
    assert_string_equal(json_string_value(json_object_get(s0, "value")), "19534.56");
    json_t *credits = json_object_get(m0, "credits");
    assert_int_equal(json_array_size(credits), 4);
    json_t *c1 = json_array_get(credits, 1);
    assert_string_equal(json_string_value(json_object_get(c1, "converted")), "10800.00");
    assert_string_equal(json_string_value(json_object_get(c1, "fx_rate")), "1.08");
    assert_string_equal(json_string_value(json_object_get(c1, "share")), "0.5");
    json_t *c2 = json_array_get(credits, 2);
    assert_string_equal(json_string_value(json_object_get(json_object_get(c2, "cancels"),
                                                          "transaction")),
                        "T100");
    json_t *adj = json_array_get(json_object_get(root, "adjustments"), 0);
    assert_string_equal(json_string_value(json_object_get(adj, "period")), "2026-02");
    assert_string_equal(json_string_value(json_object_get(adj, "amount")), "25.00");
    json_decref(root);
    check_golden("statement_p001_2026-03.json", text, len);
    free(text);
}

static void json_replaces_bytes_that_are_not_utf8(void **state)
{
    ctx *c = *state;
    at_statement st = c->st;
    st.payee_name = "Bad \xFF name";
    size_t len;
    char *text = render(&st, AT_STATEMENT_JSON, &len);
    json_t *root = json_loads(text, 0, NULL);
    assert_non_null(root);
    assert_string_equal(json_string_value(json_object_get(json_object_get(root, "payee"),
                                                          "name")),
                        "Bad \xEF\xBF\xBD name");
    json_decref(root);
    free(text);
}

static void html_matches_golden_and_stands_alone(void **state)
{
    ctx *c = *state;
    at_statement st = c->st;
    size_t len;
    char *text = render(&st, AT_STATEMENT_HTML, &len);
    assert_non_null(strstr(text, "<!DOCTYPE html>"));
    assert_non_null(strstr(text, "<details"));
    assert_non_null(strstr(text, "@media print"));
    /* self-contained: nothing fetched from elsewhere */
    assert_null(strstr(text, "http://"));
    assert_null(strstr(text, "https://"));
    assert_null(strstr(text, "<link"));
    assert_null(strstr(text, " src="));
    assert_null(strstr(text, "url("));
    check_golden("statement_p001_2026-03.html", text, len);
    free(text);
    /* text is escaped */
    st.payee_name = "<script>alert(1)</script> & \"Co\"";
    text = render(&st, AT_STATEMENT_HTML, &len);
    assert_null(strstr(text, "<script>alert"));
    assert_non_null(strstr(text, "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Co&quot;"));
    free(text);
}

static void write_reports_a_failing_stream(void **state)
{
    ctx *c = *state;
    FILE *full = fopen("/dev/full", "w");
    if (!full)
        skip();
    at_error err;
    assert_int_equal(at_statement_write(&c->st, AT_STATEMENT_TEXT, full, &err), AT_ERR_IO);
    assert_non_null(strstr(err.message, "writing the statement failed"));
    fclose(full);
    char *data = (char *)1;
    size_t len = 1;
    assert_int_equal(at_statement_render(&c->st, (at_statement_format)9, &data, &len, &err),
                     AT_ERR_INVALID);
    assert_null(data);
    assert_int_equal(len, 0);
    assert_int_equal(at_statement_write(&c->st, (at_statement_format)9, stdout, &err),
                     AT_ERR_INVALID);
    assert_int_equal(at_statement_write(NULL, AT_STATEMENT_TEXT, stdout, &err), AT_ERR_INVALID);
    assert_int_equal(at_statement_render(NULL, AT_STATEMENT_TEXT, &data, &len, &err),
                     AT_ERR_INVALID);
}

/* ---- PDF ---------------------------------------------------------------------------------- */

/* Runs a command and returns its standard output (malloc'ed), or NULL when it failed. */
static char *run(const char *cmd)
{
    FILE *p = popen(cmd, "r");
    if (!p)
        return NULL;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    size_t got;
    while (buf && (got = fread(buf + n, 1, cap - n - 1, p)) > 0) {
        n += got;
        if (cap - n < 2) {
            cap *= 2;
            char *grown = realloc(buf, cap);
            if (!grown) {
                free(buf);
                buf = NULL;
            }
            buf = grown;
        }
    }
    int status = pclose(p);
    if (!buf || status != 0) {
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    return buf;
}

static bool have(const char *tool)
{
    char cmd[256];
    snprintf(cmd, sizeof cmd, "command -v %s >/dev/null 2>&1", tool);
    return system(cmd) == 0;
}

static int pdf_pages(const char *path)
{
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "pdfinfo '%s'", path);
    char *info = run(cmd);
    assert_non_null(info);
    const char *p = strstr(info, "Pages:");
    assert_non_null(p);
    int pages = atoi(p + 6);
    free(info);
    return pages;
}

static void pdf_reads_back(void **state)
{
    ctx *c = *state;
    if (!have("pdftotext") || !have("pdfinfo"))
        skip();
    size_t len;
    char *pdf = render(&c->st, AT_STATEMENT_PDF, &len);
    assert_true(len > 1000);
    assert_memory_equal(pdf, "%PDF-", 5);
    char path[1024];
    snprintf(path, sizeof path, "%s/statement_p001.pdf", tmp_dir());
    write_file(path, pdf, len);
    free(pdf);
    /* page 1: the statement; page 2: the credits */
    assert_int_equal(pdf_pages(path), 2);
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "pdftotext -enc UTF-8 -layout '%s' -", path);
    char *text = run(cmd);
    assert_non_null(text);
    const char *want[] = {
        "Northwind Analytics GmbH",
        "PAY STATEMENT",
        "Zo\xC3\xAB Lukasiewicz (P001)", /* Ł has no WinAnsi glyph: L */
        "2026-03: 1 March 2026 to 31 March 2026",
        "AE 2026, version 2, paid monthly",
        "Commission on bookings",
        "476.728",
        "+0.002",
        "476.73",
        "Accelerator above quota",
        "Quarterly quota bonus",
        "gate not met",
        "Adjustment: Commission on bookings",
        "25.00",
        "Draw advance",
        "498.27",
        "Total this month",
        "1,000.00",
        "Fiscal year 2026 to date",
        "2,101.50",
        "3,025.00",
        "1,200.00",
        "1,698.27",
        "How each line was calculated",
        "bookings 9,534.56 x 5% = 476.728",
        "Credits behind the measures",
        "T100",
        "T200",
        "T300",
        "T400",
        "10,800.00",
        "-2,500.00",
        "Cancellation of T100 dated 2026-01-20",
        "PRO-1",
        "Measures",
        "39.07%",
        "Paid this month",
        "19,534.56",
        "Page 1 of 2",
        "Page 2 of 2",
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        if (!strstr(text, want[i]))
            fail_msg("the PDF's text lacks \"%s\":\n%s", want[i], text);
    /* the credits are on page 2 (after the form feed), under the explanations that ran over */
    const char *ff = strchr(text, '\f');
    assert_non_null(ff);
    assert_non_null(strstr(ff, "T200"));
    assert_null(strstr(ff + 1, "Page 1 of 2"));
    free(text);
    /* page 1 as an image, to look at (see the report in docs/statements.md) */
    snprintf(cmd, sizeof cmd, "command -v pdftoppm >/dev/null && pdftoppm -png -r 80 -f 1 -l 1 "
             "'%s' '%s/statement_p001' >/dev/null 2>&1 || true", path, tmp_dir());
    if (system(cmd) != 0)
        fail_msg("pdftoppm failed");
}

/* Many credits: the table runs over pages, its header repeats, every page is numbered. */
static void pdf_long_credit_table(void **state)
{
    ctx *c = *state;
    if (!have("pdftotext") || !have("pdfinfo"))
        skip();
    at_statement st = c->st;
    at_statement_measure m = st.measures[0];
    enum { N = 150 };
    at_statement_credit *many = calloc(N, sizeof *many);
    assert_non_null(many);
    char (*ids)[16] = calloc(N, 16);
    assert_non_null(ids);
    for (int i = 0; i < N; i++) {
        many[i] = m.credits[i % 4];
        snprintf(ids[i], 16, "TX%05d", i);
        many[i].transaction = ids[i];
    }
    m.credits = many;
    m.credits_listed = N;
    st.measures = &m;
    /* Иван 日本 and a byte that is not UTF-8 */
    st.payee_name = "\xD0\x98\xD0\xB2\xD0\xB0\xD0\xBD \xE6\x97\xA5\xE6\x9C\xAC \xFF";
    size_t len;
    char *pdf = render(&st, AT_STATEMENT_PDF, &len);
    char path[1024];
    snprintf(path, sizeof path, "%s/statement_long.pdf", tmp_dir());
    write_file(path, pdf, len);
    free(pdf);
    int pages = pdf_pages(path);
    /* 150 credits (a quarter of them with a note line) at about 60 rows a page */
    assert_true(pages >= 4);
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "pdftotext -enc UTF-8 -layout '%s' -", path);
    char *text = run(cmd);
    assert_non_null(text);
    assert_non_null(strstr(text, "Ivan ?? ?"));
    assert_non_null(strstr(text, "TX00000"));
    assert_non_null(strstr(text, "TX00149"));
    char last[64];
    snprintf(last, sizeof last, "Page %d of %d", pages, pages);
    assert_non_null(strstr(text, last));
    /* the table's header repeats on the last page */
    const char *ff = text, *next;
    while ((next = strchr(ff, '\f')) && next[1])
        ff = next + 1;
    assert_non_null(strstr(ff, "Transaction"));
    free(text);
    free(ids);
    free(many);
}

/* A long list is cut at st->credit_limit in text, HTML and PDF; JSON lists every credit. */
static void long_lists_are_cut_except_in_json(void **state)
{
    ctx *c = *state;
    at_statement st = c->st;
    at_statement_measure m = st.measures[0];
    enum { N = 60 };
    at_statement_credit many[N];
    for (int i = 0; i < N; i++)
        many[i] = m.credits[i % 4];
    m.credits = many;
    m.credits_listed = N;
    st.measures = &m;
    assert_int_equal(c->st.credit_limit, AT_STATEMENT_CREDIT_LIMIT);
    st.credit_limit = 20;
    size_t len;
    char *text = render(&st, AT_STATEMENT_TEXT, &len);
    assert_non_null(strstr(text, "60 credits"));
    assert_non_null(strstr(text, "The latest 20 credits, by date; the 40 before them are"));
    size_t rows = 0;
    for (const char *p = text; (p = strstr(p, "\n  2026-0")); p++)
        rows++;
    assert_int_equal(rows, 20);
    free(text);
    text = render(&st, AT_STATEMENT_HTML, &len);
    assert_non_null(strstr(text, "The latest 20 credits, by date; the 40 before them are"));
    free(text);
    text = render(&st, AT_STATEMENT_JSON, &len);
    json_t *root = json_loads(text, 0, NULL);
    assert_non_null(root);
    json_t *m0 = json_array_get(json_object_get(root, "measures"), 0);
    assert_int_equal(json_array_size(json_object_get(m0, "credits")), N);
    json_decref(root);
    free(text);
    /* 0: no limit */
    st.credit_limit = 0;
    text = render(&st, AT_STATEMENT_TEXT, &len);
    assert_null(strstr(text, "The latest"));
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(money_formats),
        cmocka_unit_test(percent_and_rate_formats),
        cmocka_unit_test(names_and_formats),
        cmocka_unit_test(widths_count_characters),
        cmocka_unit_test(winansi_keeps_replaces_and_transliterates),
        cmocka_unit_test_setup_teardown(build_reads_the_result, setup, teardown),
        cmocka_unit_test_setup_teardown(build_lists_the_credits_behind_a_measure, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(build_notes_credits_that_do_not_add_up, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(build_notes_credits_without_a_rate, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(build_payee_without_lines, setup, teardown),
        cmocka_unit_test_setup_teardown(build_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(text_matches_golden, setup, teardown),
        cmocka_unit_test_setup_teardown(json_matches_golden_and_parses, setup, teardown),
        cmocka_unit_test_setup_teardown(json_replaces_bytes_that_are_not_utf8, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(html_matches_golden_and_stands_alone, setup, teardown),
        cmocka_unit_test_setup_teardown(write_reports_a_failing_stream, setup, teardown),
        cmocka_unit_test_setup_teardown(long_lists_are_cut_except_in_json, setup, teardown),
        cmocka_unit_test_setup_teardown(pdf_reads_back, setup, teardown),
        cmocka_unit_test_setup_teardown(pdf_long_credit_table, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
