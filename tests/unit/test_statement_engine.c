/* test_statement_engine.c - statements and the estimator on the real engine: plans read from
 * YAML, data built with tests/unit/calc_fixtures.h, at_calc_run, then at_statement_build and
 * at_estimate. Expected amounts are worked out by hand in the comments. The drill-down must
 * add up to the engine's own measure values (credits_match) for every measure. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calc_fixtures.h"
#include "pay/estimate.h"
#include "pay/statement.h"

static void check_all_credits_match(const at_statement *st)
{
    for (size_t i = 0; i < st->measure_count; i++)
        if (!st->measures[i].credits_match)
            fail_msg("measure %s of %s: credits add up to %lld, the engine says %lld",
                     st->measures[i].def->id, st->payee_id,
                     (long long)st->measures[i].credits_total,
                     (long long)st->measures[i].value);
}

static const at_statement_line *line_named(const at_statement *st, const char *key)
{
    for (size_t i = 0; i < st->line_count; i++)
        if (st->lines[i].key && strcmp(st->lines[i].key, key) == 0)
            return &st->lines[i];
    fail_msg("no line %s", key);
    return NULL;
}

/* ---- multi-currency, clawback at 50%, units, splits, roll-up -------------------------------- */

static const char *EMEA =
    "plan: EMEA 2026\n"
    "effective: {from: 2026-01-01, to: 2026-12-31}\n"
    "currency: EUR\n"
    "fx_date: period_end\n"
    "rounding: half-up\n"
    "clawback: {within_days: 90, share: 50%}\n"
    "measures:\n"
    "  - id: bookings\n"
    "    name: Bookings\n"
    "    sum: amount\n"
    "    window: quarter_to_date\n"
    "  - id: units\n"
    "    sum: quantity\n"
    "    quota: none\n"
    "components:\n"
    "  - id: commission\n"
    "    name: Commission\n"
    "    kind: rate\n"
    "    measure: bookings\n"
    "    rate: 5%\n"
    "  - id: per_unit\n"
    "    kind: per_unit\n"
    "    measure: units\n"
    "    amount: 10\n";

static const char *MGR =
    "plan: Mgr 2026\n"
    "effective: {from: 2026-01-01, to: 2026-12-31}\n"
    "measures:\n"
    "  - id: team_sales\n"
    "    sum: amount\n"
    "    credit: [rollup]\n"
    "    quota: none\n"
    "components:\n"
    "  - id: override\n"
    "    kind: rate\n"
    "    measure: team_sales\n"
    "    rate: 1%\n";

/* R1 (paid in USD) on EMEA 2026 (EUR, rates of the month's last day, cancellations within 90
 * days claw back 50%); R2 (paid in EUR) takes 40% of T2; M1 manages R1.
 *   USD->EUR 0.90 from 2026-01-01, 0.95 from 2026-02-15; EUR->USD 1.1.
 *   T1 booking 2026-01-10 10,000.00 USD, 4 units, R1
 *   T2 booking 2026-03-05  5,000.00 EUR, 10 units, R1 60% / R2 40%
 *   T3 cancellation 2026-03-20 -2,000.00 USD of T1 (69 days later: within 90)
 * R1 bookings, 2026-Q1 to date, EUR: T1 10,000 x 0.90 (Jan 31) = 9,000.00; T2 3,000.00;
 * T3 -2,000 x 0.95 (Mar 31) = -1,900.00 x 50% = -950.00; total 11,050.00, March 2,050.00.
 * Quota 20,000.00 USD x 0.95 = 19,000.00 EUR; attainment 58.16% (0.581578947).
 * Commission March: 2,050.00 x 5% = 102.50 EUR x 1.1 = 112.75 USD.
 * Units March: T2 6 (60% of 10); T3 -(4 x 2,000 / 10,000) = -0.8 x 50% = -0.4; total 5.6
 * x 10.00 = 56.00 EUR x 1.1 = 61.60 USD.
 * M1 team_sales March (roll-up of R1's credits, USD): T2 3,000 EUR x 1.1 = 3,300.00;
 * T3 -2,000.00 (Mgr 2026 claws back in full); 1,300.00 x 1% = 13.00. */
static void multi_currency_statement(void **state)
{
    (void)state;
    fw_world *w = fw_new();
    at_calc_currency eur = fw_currency(w, "EUR");
    fw_rate(w, "USD", "EUR", "2026-01-01", "0.90");
    fw_rate(w, "USD", "EUR", "2026-02-15", "0.95");
    fw_rate(w, "EUR", "USD", "2026-01-01", "1.1");
    int32_t r1 = fw_person(w, "R1"), r2 = fw_person(w, "R2"), m1 = fw_person(w, "M1");
    w->people[r2].pay_currency = eur;
    fw_reports(w, r1, m1, NULL, NULL);
    fw_plan(w, EMEA, 1);
    fw_plan(w, MGR, 3);
    fw_assign(w, "A1", r1, "EMEA 2026", "2026-01-01", NULL, NULL);
    fw_assign(w, "A2", r2, "EMEA 2026", "2026-01-01", NULL, NULL);
    fw_assign(w, "A3", m1, "Mgr 2026", "2026-01-01", NULL, NULL);
    fw_quota(w, r1, "bookings", "2026-Q1", "20000");
    int32_t t1 = fw_booking(w, "T1", "2026-01-10", "10000", r1);
    w->tx_quantity[t1] = 4;
    int32_t t2 = fw_booking(w, "T2", "2026-03-05", "5000", r1);
    w->tx_currency[t2] = eur;
    w->tx_quantity[t2] = 10;
    fw_share(w, t2, r2, AT_TX_ROLE_SPLIT, "0.4");
    fw_cancel(w, "T3", "2026-03-20", "-2000", t1);
    at_calc_result res;
    fw_run(w, "2026-01", "2026-03", &res);
    at_arena arena;
    at_arena_init(&arena, 0);
    at_error err;
    at_statement st;
    int32_t march = fw_month(w, "2026-03");

    assert_int_equal(at_statement_build(&w->in, &res, r1, march, &arena, &st, &err), AT_OK);
    check_all_credits_match(&st);
    assert_int_equal(st.measure_count, 2);
    const at_statement_measure *b = &st.measures[0];
    assert_string_equal(b->def->id, "bookings");
    assert_string_equal(b->currency, "EUR");
    assert_int_equal(b->value, M("11050"));
    assert_int_equal(b->month_value, M("2050"));
    assert_int_equal(b->quota, M("19000"));
    assert_int_equal(b->credits_listed, 3);
    assert_int_equal(b->credits[0].fx_rate, R("0.90"));
    assert_int_equal(b->credits[0].fx_date, D("2026-01-31"));
    assert_int_equal(b->credits[0].value, M("9000"));
    assert_int_equal(b->credits[1].share, R("0.6"));
    assert_int_equal(b->credits[1].value, M("3000"));
    assert_string_equal(b->credits[2].original, "T1");
    assert_int_equal(b->credits[2].fx_date, D("2026-03-31"));
    assert_int_equal(b->credits[2].converted, M("-1900"));
    assert_int_equal(b->credits[2].scale, R("0.5"));
    assert_int_equal(b->credits[2].value, M("-950"));
    const at_statement_measure *u = &st.measures[1];
    assert_false(u->money);
    assert_int_equal(u->value, M("5.6"));
    assert_int_equal(u->credits[1].value, M("-0.4"));
    const at_statement_line *c = line_named(&st, "EMEA 2026/commission");
    assert_int_equal(c->earned, M("102.50"));
    assert_int_equal(c->fx_rate, R("1.1"));
    assert_int_equal(c->amount, M("112.75"));
    assert_int_equal(c->rounding, 0);
    assert_string_equal(c->plan_currency, "EUR");
    assert_int_equal(line_named(&st, "EMEA 2026/per_unit")->amount, M("61.60"));
    assert_int_equal(st.paid, M("174.35"));
    char *text = NULL;
    size_t len;
    assert_int_equal(at_statement_render(&st, AT_STATEMENT_TEXT, &text, &len, &err), AT_OK);
    assert_non_null(strstr(text, "Cancellation of T1 (2026-01-10), clawed back at 50%"));
    assert_non_null(strstr(text, "174.35 USD")); /* the total, marked: lines earn in EUR */
    assert_null(strstr(text, "do not add up"));
    free(text);

    assert_int_equal(at_statement_build(&w->in, &res, r2, march, &arena, &st, &err), AT_OK);
    check_all_credits_match(&st);
    assert_string_equal(st.currency, "EUR");
    assert_int_equal(st.measures[0].credits[0].kind, AT_CREDIT_SPLIT);
    assert_int_equal(st.measures[0].value, M("2000"));

    assert_int_equal(at_statement_build(&w->in, &res, m1, march, &arena, &st, &err), AT_OK);
    check_all_credits_match(&st);
    const at_statement_measure *t = &st.measures[0];
    assert_int_equal(t->credits_listed, 2);
    assert_int_equal(t->credits[0].kind, AT_CREDIT_ROLLUP);
    assert_int_equal(t->credits[0].level, 1);
    assert_string_equal(t->credits[0].from_person, "R1");
    assert_int_equal(t->credits[0].value, M("3300"));
    assert_int_equal(t->value, M("1300"));
    assert_int_equal(st.paid, M("13"));
    assert_true(t->has_rollups);
    assert_int_equal(t->source_count, 1);
    assert_int_equal(t->sources[0].kind, AT_CREDIT_ROLLUP);
    assert_int_equal(t->sources[0].level, 1);
    assert_string_equal(t->sources[0].from_person, "R1");
    assert_int_equal(t->sources[0].credits, 2);
    assert_int_equal(t->sources[0].value, M("1300"));

    at_arena_free(&arena);
    at_calc_result_free(&res);
    fw_free(w);
}

/* ---- a recoverable draw and a prior-period adjustment --------------------------------------- */

static const char *DRAW =
    "plan: Draw 2026\n"
    "effective: {from: 2026-01-01, to: 2026-12-31}\n"
    "measures:\n"
    "  - id: bookings\n"
    "    sum: amount\n"
    "    quota: none\n"
    "components:\n"
    "  - id: commission\n"
    "    name: Commission\n"
    "    kind: rate\n"
    "    measure: bookings\n"
    "    rate: 10%\n"
    "draw:\n"
    "  amount: 1500\n"
    "  recoverable: true\n";

/* January: 5,000 x 10% = 500 earned; the draw pays 1,000 more; 1,000 owed.
 * January was closed having paid commission 400.00 (locked); recomputed it is 500.00, so
 * February carries an adjustment of +100.00.
 * February: 30,000 x 10% = 3,000 earned (+ the adjustment 100 = 3,100 for the plan);
 * recovery: min(3,100 - 1,500, 1,000 owed) = 1,000 (as a -1,000 line), nothing owed after. */
static void draw_and_adjustment_statement(void **state)
{
    (void)state;
    fw_world *w = fw_new();
    int32_t r1 = fw_person(w, "R1");
    fw_plan(w, DRAW, 1);
    fw_assign(w, "A1", r1, "Draw 2026", "2026-01-01", NULL, NULL);
    fw_booking(w, "T1", "2026-01-15", "5000", r1);
    fw_booking(w, "T2", "2026-02-10", "30000", r1);
    int32_t jan = fw_month(w, "2026-01"), feb = fw_month(w, "2026-02");
    w->closed[w->closed_count++] = jan;
    w->locked[w->locked_count++] = (at_calc_locked_line){r1, jan, "Draw 2026/commission",
                                                         M("400")};
    w->locked[w->locked_count++] = (at_calc_locked_line){r1, jan, "Draw 2026/draw", M("1000")};
    at_calc_result res;
    fw_run(w, "2026-01", "2026-02", &res);
    at_arena arena;
    at_arena_init(&arena, 0);
    at_error err;
    at_statement st;

    assert_int_equal(at_statement_build(&w->in, &res, r1, jan, &arena, &st, &err), AT_OK);
    check_all_credits_match(&st);
    assert_true(st.draw.present);
    assert_true(st.draw.recoverable);
    assert_int_equal(st.draw.balance_before, 0);
    assert_int_equal(st.draw.advance, M("1000"));
    assert_int_equal(st.draw.balance_after, M("1000"));

    assert_int_equal(at_statement_build(&w->in, &res, r1, feb, &arena, &st, &err), AT_OK);
    check_all_credits_match(&st);
    assert_int_equal(st.adjustment_count, 1);
    const at_statement_adjustment *adj = &st.adjustments[0];
    assert_string_equal(adj->corrects, "Draw 2026/commission");
    assert_string_equal(adj->name, "Commission");
    assert_string_equal(adj->period, "2026-01");
    assert_int_equal(adj->amount, M("100"));
    assert_string_equal(st.lines[adj->line].name, "Adjustment: Commission");
    assert_int_equal(st.draw.balance_before, M("1000"));
    assert_int_equal(st.draw.recovered, M("1000"));
    assert_int_equal(st.draw.advance, 0);
    assert_int_equal(st.draw.balance_after, 0);
    char *text = NULL;
    size_t len;
    assert_int_equal(at_statement_render(&st, AT_STATEMENT_TEXT, &text, &len, &err), AT_OK);
    assert_non_null(strstr(text, "Draw recovery"));
    assert_non_null(strstr(text, "Corrects 2026-01: Commission"));
    free(text);

    at_arena_free(&arena);
    at_calc_result_free(&res);
    fw_free(w);
}

/* ---- the estimator -------------------------------------------------------------------------- */

static const char *ACCEL =
    "plan: Accelerated 2026\n"
    "effective: {from: 2026-01-01, to: 2026-12-31}\n"
    "measures:\n"
    "  - id: bookings\n"
    "    sum: amount\n"
    "components:\n"
    "  - id: commission\n"
    "    kind: tiers\n"
    "    measure: bookings\n"
    "    method: marginal\n"
    "    on: attainment\n"
    "    tiers:\n"
    "      - {from: 0%, to: 100%, rate: 9%}\n"
    "      - {from: 100%, to: 200%, rate: 12%}\n"
    "      - {from: 200%, rate: 6%}\n"
    "  - id: new_logo\n"
    "    name: New-logo bonus\n"
    "    kind: rate\n"
    "    measure: bookings\n"
    "    rate: 1%\n"
    "    gate: \"bookings.attainment >= 100%\"\n";

/* Quota 4,000 for 2026-03; 3,500 booked (87.5%): 3,500 x 9% = 315.00, the gated 1% pays 0.
 * One more deal of 1,000: 4,500 (112.5%): 4,000 x 9% + 500 x 12% = 420.00 (+105.00), and the
 * gate opens: 4,500 x 1% = 45.00. The deal pays 150.00 more in March. */
static void estimate_crosses_a_tier_and_a_gate(void **state)
{
    (void)state;
    fw_world *w = fw_new();
    int32_t r1 = fw_person(w, "R1");
    fw_plan(w, ACCEL, 1);
    fw_assign(w, "A1", r1, "Accelerated 2026", "2026-01-01", NULL, NULL);
    fw_quota(w, r1, "bookings", "2026-03", "4000");
    fw_booking(w, "T1", "2026-03-05", "3500", r1);
    const at_calc_input *in = fw_input(w, "2026-01", "2026-03");
    at_arena arena;
    at_arena_init(&arena, 0);
    at_estimate_result es;
    at_error err;
    assert_int_equal(at_estimate(in, r1, M("1000"), 0, -1, D("2026-03-20"), &arena, &es, &err),
                     AT_OK);
    assert_string_equal(es.period->label, "2026-03");
    assert_int_equal(es.paid_month, M("150"));
    assert_int_equal(es.paid_later, 0);
    assert_int_equal(es.earned_month, M("150"));
    assert_int_equal(es.line_count, 2);
    assert_string_equal(es.lines[0].key, "Accelerated 2026/commission");
    assert_int_equal(es.lines[0].earned_before, M("315"));
    assert_int_equal(es.lines[0].earned_after, M("420"));
    assert_int_equal(es.lines[0].paid_after - es.lines[0].paid_before, M("105"));
    assert_string_equal(es.lines[1].name, "New-logo bonus");
    assert_true(es.lines[1].gated_before);
    assert_false(es.lines[1].gated_after);
    assert_int_equal(es.lines[1].paid_after, M("45"));
    assert_int_equal(es.measure_count, 1);
    assert_int_equal(es.measures[0].attainment_before, R("0.875"));
    assert_int_equal(es.measures[0].attainment_after, R("1.125"));
    assert_int_equal(es.crossing_count, 2);
    assert_int_equal(es.crossings[0].kind, AT_CROSS_TIER);
    assert_int_equal(es.crossings[0].from, 1);
    assert_int_equal(es.crossings[0].to, 2);
    assert_int_equal(es.crossings[0].rate_before, R("0.09"));
    assert_int_equal(es.crossings[0].rate_after, R("0.12"));
    assert_non_null(strstr(es.crossings[0].text, "an accelerator"));
    assert_int_equal(es.crossings[1].kind, AT_CROSS_GATE);
    assert_non_null(strstr(es.explain, "would pay 150.00 USD more in 2026-03"));
    assert_non_null(strstr(es.explain, "attainment 87.5% -> 112.5%"));

    char *text = NULL;
    size_t len;
    assert_int_equal(at_estimate_render(&es, AT_STATEMENT_TEXT, &text, &len, &err), AT_OK);
    assert_non_null(strstr(text, "ESTIMATE: one more deal for R1 (R1), 2026-03"));
    assert_non_null(strstr(text, "+105.00"));
    assert_non_null(strstr(text, "TIERS, CURVES, GATES AND CAPS CROSSED"));
    free(text);
    assert_int_equal(at_estimate_render(&es, AT_STATEMENT_JSON, &text, &len, &err), AT_OK);
    json_t *root = json_loads(text, 0, NULL);
    assert_non_null(root);
    assert_string_equal(json_string_value(json_object_get(root, "paid_month")), "150.00");
    json_t *x0 = json_array_get(json_object_get(root, "crossings"), 0);
    assert_string_equal(json_string_value(json_object_get(x0, "kind")), "tier");
    assert_string_equal(json_string_value(json_object_get(x0, "rate_after")), "0.12");
    json_decref(root);
    free(text);
    assert_int_equal(at_estimate_render(&es, AT_STATEMENT_PDF, &text, &len, &err),
                     AT_ERR_INVALID);
    assert_null(text);
    at_arena_free(&arena);
    fw_free(w);
}

/* 200% of quota: a decelerator. Booked 7,500 on a 4,000 quota (187.5%); a deal of 1,000 takes
 * it to 8,500 (212.5%): tier 2 -> tier 3 at 6%. */
static void estimate_names_a_decelerator(void **state)
{
    (void)state;
    fw_world *w = fw_new();
    int32_t r1 = fw_person(w, "R1");
    fw_plan(w, ACCEL, 1);
    fw_assign(w, "A1", r1, "Accelerated 2026", "2026-01-01", NULL, NULL);
    fw_quota(w, r1, "bookings", "2026-03", "4000");
    fw_booking(w, "T1", "2026-03-05", "7500", r1);
    const at_calc_input *in = fw_input(w, "2026-01", "2026-03");
    at_arena arena;
    at_arena_init(&arena, 0);
    at_estimate_result es;
    at_error err;
    assert_int_equal(at_estimate(in, r1, M("1000"), 0, -1, D("2026-03-20"), &arena, &es, &err),
                     AT_OK);
    /* before 360 + 3,500 x 12% = 780; after 360 + 480 + 500 x 6% = 870: +90; the gate was
       open already: 1% of 1,000 = +10 */
    assert_int_equal(es.paid_month, M("100"));
    assert_int_equal(es.crossing_count, 1);
    assert_int_equal(es.crossings[0].from, 2);
    assert_int_equal(es.crossings[0].to, 3);
    assert_non_null(strstr(es.crossings[0].text, "a decelerator"));
    at_arena_free(&arena);
    fw_free(w);
}

static const char *QUARTERLY =
    "plan: Quarterly 2026\n"
    "effective: {from: 2026-01-01, to: 2026-12-31}\n"
    "frequency: quarterly\n"
    "measures:\n"
    "  - id: bookings\n"
    "    sum: amount\n"
    "    window: quarter_to_date\n"
    "components:\n"
    "  - id: commission\n"
    "    kind: rate\n"
    "    measure: bookings\n"
    "    rate: 10%\n";

/* Paid quarterly on a quarter-to-date measure. January booked 2,000 (200.00 earned, held). A
 * deal of 3,000 on 2026-02-10 earns 300.00 in February, held too (the February lines change
 * by +300.00 and -300.00: nothing more paid now), and March, the quarter's last month, pays
 * 300.00 more. Attainment on the quarter's 10,000 quota: 20% -> 50%. */
static void estimate_quarterly_payment_is_later(void **state)
{
    (void)state;
    fw_world *w = fw_new();
    int32_t r1 = fw_person(w, "R1");
    fw_plan(w, QUARTERLY, 1);
    fw_assign(w, "A1", r1, "Quarterly 2026", "2026-01-01", NULL, NULL);
    fw_quota(w, r1, "bookings", "2026-Q1", "10000");
    fw_booking(w, "T1", "2026-01-15", "2000", r1);
    const at_calc_input *in = fw_input(w, "2026-01", "2026-03");
    at_arena arena;
    at_arena_init(&arena, 0);
    at_estimate_result es;
    at_error err;
    assert_int_equal(at_estimate(in, r1, M("3000"), 0, -1, D("2026-02-10"), &arena, &es, &err),
                     AT_OK);
    assert_string_equal(es.period->label, "2026-02");
    assert_int_equal(es.paid_month, 0);
    assert_int_equal(es.paid_later, M("300"));
    const at_estimate_line *c = NULL;
    for (size_t i = 0; i < es.line_count; i++)
        if (strcmp(es.lines[i].key, "Quarterly 2026/commission") == 0)
            c = &es.lines[i];
    assert_non_null(c);
    assert_int_equal(c->earned_before, 0);
    assert_int_equal(c->earned_after, M("300"));
    assert_int_equal(c->to_date_before, M("200"));
    assert_int_equal(c->to_date_after, M("500"));
    assert_int_equal(es.measures[0].attainment_before, R("0.2"));
    assert_int_equal(es.measures[0].attainment_after, R("0.5"));
    assert_string_equal(es.measures[0].window, "2026-Q1 to date");
    assert_int_equal(es.crossing_count, 0);
    assert_non_null(strstr(es.explain, "300.00 USD more later in the fiscal year"));
    assert_non_null(strstr(es.explain, "crosses no tier"));
    at_arena_free(&arena);
    fw_free(w);
}

static const char *BONUS =
    "plan: Bonus 2026\n"
    "effective: {from: 2026-01-01, to: 2026-12-31}\n"
    "measures:\n"
    "  - id: bookings\n"
    "    sum: amount\n"
    "    window: quarter_to_date\n"
    "components:\n"
    "  - id: quota_bonus\n"
    "    kind: bonus\n"
    "    measure: bookings\n"
    "    weight: 40%\n"
    "    curve:\n"
    "      - [0%, 0%]\n"
    "      - [50%, 25%]\n"
    "      - [100%, 100%]\n";

/* Target incentive 12,000 a year x 40% = 4,800, a quarter to date 1,200. Quota 10,000 for Q1;
 * 4,000 booked in January: 40% attainment, payout 40/50 x 25% = 20% -> 240.00. A deal of 2,000
 * takes it to 60%: 25% + 10/50 x 75% = 40% -> 480.00 (+240.00), past the curve's 50% point. */
static void estimate_passes_a_curve_point(void **state)
{
    (void)state;
    fw_world *w = fw_new();
    int32_t r1 = fw_person(w, "R1");
    fw_plan(w, BONUS, 1);
    fw_assign(w, "A1", r1, "Bonus 2026", "2026-01-01", NULL, "12000");
    fw_quota(w, r1, "bookings", "2026-Q1", "10000");
    fw_booking(w, "T1", "2026-01-15", "4000", r1);
    const at_calc_input *in = fw_input(w, "2026-01", "2026-03");
    at_arena arena;
    at_arena_init(&arena, 0);
    at_estimate_result es;
    at_error err;
    assert_int_equal(at_estimate(in, r1, M("2000"), 0, -1, D("2026-01-25"), &arena, &es, &err),
                     AT_OK);
    assert_int_equal(es.lines[0].earned_before, M("240"));
    assert_int_equal(es.lines[0].earned_after, M("480"));
    assert_int_equal(es.paid_month, M("240"));
    assert_int_equal(es.crossing_count, 1);
    assert_int_equal(es.crossings[0].kind, AT_CROSS_CURVE);
    assert_non_null(strstr(es.crossings[0].text, "passes the payout curve's point at 50% "
                                                 "attainment (payout 25% of target)"));
    at_arena_free(&arena);
    fw_free(w);
}

/* At 120% of quota the curve (last point 100% -> 100%) pays its most already: 1,200.00 a
 * quarter (12,000 x 40% / 4). One more deal adds nothing, and the estimate says why. */
static void estimate_explains_a_curve_at_its_top(void **state)
{
    (void)state;
    fw_world *w = fw_new();
    int32_t r1 = fw_person(w, "R1");
    fw_plan(w, BONUS, 1);
    fw_assign(w, "A1", r1, "Bonus 2026", "2026-01-01", NULL, "12000");
    fw_quota(w, r1, "bookings", "2026-Q1", "10000");
    fw_booking(w, "T1", "2026-01-15", "12000", r1);
    const at_calc_input *in = fw_input(w, "2026-01", "2026-03");
    at_arena arena;
    at_arena_init(&arena, 0);
    at_estimate_result es;
    at_error err;
    assert_int_equal(at_estimate(in, r1, M("2000"), 0, -1, D("2026-01-25"), &arena, &es, &err),
                     AT_OK);
    assert_int_equal(es.lines[0].earned_before, M("1200"));
    assert_int_equal(es.lines[0].earned_after, M("1200"));
    assert_int_equal(es.paid_month, 0);
    assert_int_equal(es.crossing_count, 0);
    assert_non_null(strstr(es.explain, "quota_bonus: attainment is past the payout curve's last "
                                       "point (100% attainment pays 100% of target)"));
    at_arena_free(&arena);
    fw_free(w);
}

static const char *CAPPED =
    "plan: Capped 2026\n"
    "effective: {from: 2026-01-01, to: 2026-12-31}\n"
    "measures:\n"
    "  - id: bookings\n"
    "    sum: amount\n"
    "    quota: none\n"
    "components:\n"
    "  - id: commission\n"
    "    kind: rate\n"
    "    measure: bookings\n"
    "    rate: 10%\n"
    "    cap: {per_period: 500}\n";

/* 10% of 4,000 = 400: a deal of 2,000 would earn 600, cut to the month's cap of 500 (+100.00,
 * "reaches a cap"); from 6,000 booked (capped at 500 already) the same deal adds nothing. */
static void estimate_reaches_a_cap(void **state)
{
    (void)state;
    fw_world *w = fw_new();
    int32_t r1 = fw_person(w, "R1"), r2 = fw_person(w, "R2");
    fw_plan(w, CAPPED, 1);
    fw_assign(w, "A1", r1, "Capped 2026", "2026-01-01", NULL, NULL);
    fw_assign(w, "A2", r2, "Capped 2026", "2026-01-01", NULL, NULL);
    fw_booking(w, "T1", "2026-01-15", "4000", r1);
    fw_booking(w, "T2", "2026-01-15", "6000", r2);
    const at_calc_input *in = fw_input(w, "2026-01", "2026-03");
    at_arena arena;
    at_arena_init(&arena, 0);
    at_estimate_result es;
    at_error err;
    assert_int_equal(at_estimate(in, r1, M("2000"), 0, -1, D("2026-01-25"), &arena, &es, &err),
                     AT_OK);
    assert_int_equal(es.paid_month, M("100"));
    assert_int_equal(es.crossing_count, 1);
    assert_int_equal(es.crossings[0].kind, AT_CROSS_CAP);
    assert_non_null(strstr(es.explain, "the deal reaches a cap"));
    assert_int_equal(at_estimate(in, r2, M("2000"), 0, -1, D("2026-01-25"), &arena, &es, &err),
                     AT_OK);
    assert_int_equal(es.paid_month, 0);
    assert_int_equal(es.crossing_count, 0);
    assert_non_null(strstr(es.explain, "commission: capped already"));
    at_arena_free(&arena);
    fw_free(w);
}

static void estimate_without_a_plan(void **state)
{
    (void)state;
    fw_world *w = fw_new();
    int32_t r1 = fw_person(w, "R1");
    fw_booking(w, "T1", "2026-01-15", "4000", r1);
    const at_calc_input *in = fw_input(w, "2026-01", "2026-03");
    at_arena arena;
    at_arena_init(&arena, 0);
    at_estimate_result es;
    at_error err;
    assert_int_equal(at_estimate(in, r1, M("2000"), 0, -1, D("2026-01-25"), &arena, &es, &err),
                     AT_OK);
    assert_int_equal(es.paid_month, 0);
    assert_int_equal(es.measure_count, 0);
    assert_non_null(strstr(es.explain, "No plan assignment covers that month"));
    at_arena_free(&arena);
    fw_free(w);
}

static void estimate_errors(void **state)
{
    (void)state;
    fw_world *w = fw_new();
    int32_t r1 = fw_person(w, "R1");
    fw_product(w, "PRD-A", "Platform");
    fw_plan(w, QUARTERLY, 1);
    fw_assign(w, "A1", r1, "Quarterly 2026", "2026-01-01", NULL, NULL);
    const at_calc_input *in = fw_input(w, "2026-01", "2026-03");
    at_arena arena;
    at_arena_init(&arena, 0);
    at_estimate_result es;
    at_error err;
    assert_int_equal(at_estimate(in, 5, M("1"), 0, -1, D("2026-01-25"), &arena, &es, &err),
                     AT_ERR_INVALID);
    assert_string_equal(err.where, "--payee");
    assert_int_equal(at_estimate(in, r1, 0, 0, -1, D("2026-01-25"), &arena, &es, &err),
                     AT_ERR_INVALID);
    assert_non_null(strstr(err.message, "above zero, not 0.00"));
    assert_int_equal(at_estimate(in, r1, M("-5"), 0, -1, D("2026-01-25"), &arena, &es, &err),
                     AT_ERR_INVALID);
    assert_int_equal(at_estimate(in, r1, M("1"), 3, -1, D("2026-01-25"), &arena, &es, &err),
                     AT_ERR_INVALID);
    assert_string_equal(err.where, "--currency");
    assert_int_equal(at_estimate(in, r1, M("1"), 0, 1, D("2026-01-25"), &arena, &es, &err),
                     AT_ERR_INVALID);
    assert_string_equal(err.where, "--product");
    assert_int_equal(at_estimate(in, r1, M("1"), 0, -2, D("2026-01-25"), &arena, &es, &err),
                     AT_ERR_INVALID);
    assert_int_equal(at_estimate(in, r1, M("1"), 0, -1, D("2031-01-25"), &arena, &es, &err),
                     AT_ERR_INVALID);
    assert_non_null(strstr(err.message, "2031-01-25 is outside the fiscal calendar"));
    assert_int_equal(at_estimate(in, r1, M("1"), 0, -1, D("2025-12-31"), &arena, &es, &err),
                     AT_ERR_INVALID);
    assert_non_null(strstr(err.message, "2025-12, before the first month loaded (2026-01)"));
    assert_int_equal(at_estimate(NULL, r1, M("1"), 0, -1, D("2026-01-25"), &arena, &es, &err),
                     AT_ERR_INVALID);
    assert_int_equal(at_estimate(in, r1, M("1"), 0, -1, D("2026-01-25"), NULL, &es, &err),
                     AT_ERR_INVALID);
    /* a real transaction that already has the estimate's id */
    fw_booking(w, AT_ESTIMATE_TRANSACTION_ID, "2026-01-15", "10", r1);
    in = fw_input(w, "2026-01", "2026-03");
    assert_int_equal(at_estimate(in, r1, M("1"), 0, 0, D("2026-01-25"), &arena, &es, &err),
                     AT_ERR_CONFLICT);
    at_estimate_result *none = NULL;
    assert_int_equal(at_estimate_write(none, AT_STATEMENT_TEXT, stdout, &err), AT_ERR_INVALID);
    at_arena_free(&arena);
    fw_free(w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(multi_currency_statement),
        cmocka_unit_test(draw_and_adjustment_statement),
        cmocka_unit_test(estimate_crosses_a_tier_and_a_gate),
        cmocka_unit_test(estimate_names_a_decelerator),
        cmocka_unit_test(estimate_quarterly_payment_is_later),
        cmocka_unit_test(estimate_passes_a_curve_point),
        cmocka_unit_test(estimate_explains_a_curve_at_its_top),
        cmocka_unit_test(estimate_reaches_a_cap),
        cmocka_unit_test(estimate_without_a_plan),
        cmocka_unit_test(estimate_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
