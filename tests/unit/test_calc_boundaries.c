/* test_calc_boundaries.c - the edges the issue names, each worked out by hand: exactly at a
 * tier edge with both edge rules, exactly at a cap, a cancellation one day inside and one day
 * outside the clawback window, a hire on the last day of a period, a 1/3 split of 100.00,
 * several currencies at the rate of a stated date; and gates, quarterly pay, activity
 * SPIFFs, metrics, prior-period adjustments, problems and errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "calc_fixtures.h"

static void tier_edge_both_rules(void **state)
{
    (void)state;
    fw_world *w = fw_new();
    int32_t lo = fw_person(w, "LO"), up = fw_person(w, "UP"), mg = fw_person(w, "MG");
    const char *body = "currency: USD\nmeasures: [{id: s}]\n"
                       "components:\n  - {id: c, kind: tiers, measure: s, method: %s, on: attainment,\n"
                       "     edges: %s, tiers: [{from: 0, to: 100%%, rate: 5%%}, {from: 100%%, rate: 8%%}]}\n";
    char p[3][1024];
    const char *names[] = {"Lo", "Up", "Mg"}, *methods[] = {"retroactive", "retroactive", "marginal"};
    const char *edges[] = {"lower_inclusive", "upper_inclusive", "upper_inclusive"};
    int32_t who[] = {lo, up, mg};
    for (int i = 0; i < 3; i++) {
        snprintf(p[i], sizeof p[i], "plan: %s\n", names[i]);
        snprintf(p[i] + strlen(p[i]), sizeof p[i] - strlen(p[i]), body, methods[i], edges[i]);
        fw_plan(w, p[i], 1);
        fw_assign(w, names[i], who[i], names[i], NULL, NULL, NULL);
        fw_quota(w, who[i], "s", "2026-02", "10000");
    }
    fw_booking(w, "T1", "2026-02-02", "10000", lo);
    fw_booking(w, "T2", "2026-02-02", "10000", up);
    fw_booking(w, "T3", "2026-02-02", "10000", mg);
    at_calc_result r;
    fw_run(w, "2026-02", "2026-02", &r);
    /* exactly 100%: lower-inclusive puts it in [100%, ...): 10,000 x 8% = 800.00;
       upper-inclusive keeps it in (0, 100%]: 10,000 x 5% = 500.00; marginal either way:
       100% x 10,000 x 5% = 500.00 and an empty slice above */
    assert_int_equal(fw_paid(w, &r, lo, "2026-02", "Lo/c"), M("800"));
    assert_int_equal(fw_paid(w, &r, up, "2026-02", "Up/c"), M("500"));
    assert_int_equal(fw_paid(w, &r, mg, "2026-02", "Mg/c"), M("500"));
    at_calc_result_free(&r);
    fw_free(w);
}

static void exactly_at_a_cap(void **state)
{
    (void)state;
    fw_world *w = fw_new();
    int32_t a = fw_person(w, "A"), b = fw_person(w, "B"), c = fw_person(w, "C");
    fw_plan(w,
            "plan: Cap\ncurrency: USD\nmeasures: [{id: s, quota: none}]\n"
            "components: [{id: c, kind: rate, measure: s, rate: 10%,\n"
            "              cap: {per_period: 1000, per_year: 1500}}]\n",
            1);
    fw_plan(w,
            "plan: Deal\ncurrency: USD\nmeasures: [{id: s, quota: none}]\n"
            "components: [{id: c, kind: rate, measure: s, rate: 10%, cap: {per_deal: 300}}]\n",
            1);
    fw_assign(w, "A", a, "Cap", NULL, NULL, NULL);
    fw_assign(w, "B", b, "Cap", NULL, NULL, NULL);
    fw_assign(w, "C", c, "Deal", NULL, NULL, NULL);
    fw_booking(w, "A1", "2026-01-10", "10000", a);    /* 1,000.00: exactly the cap */
    fw_booking(w, "B1", "2026-01-10", "10000.10", b); /* 1,000.01: cut to 1,000.00 */
    fw_booking(w, "B2", "2026-02-10", "10000", b);    /* 1,000.00, but the year has 500 left */
    fw_booking(w, "C1", "2026-01-10", "3000", c);     /* 300.00: exactly the deal cap */
    fw_booking(w, "C2", "2026-01-11", "5000", c);     /* 500.00 -> 300.00 */
    at_calc_result r;
    fw_run(w, "2026-01", "2026-02", &r);
    const at_calc_line *la = fw_line(w, &r, a, "2026-01", "Cap/c");
    assert_int_equal(la->amount, M("1000"));
    assert_false(la->capped);
    const at_calc_line *lb = fw_line(w, &r, b, "2026-01", "Cap/c");
    assert_int_equal(lb->amount, M("1000"));
    assert_true(lb->capped);
    /* February: 1,000.00 earned, the year cap 1,500 - 1,000 already paid = 500.00 */
    assert_int_equal(fw_paid(w, &r, b, "2026-02", "Cap/c"), M("500"));
    /* per deal: 300 + 300 = 600.00 */
    assert_int_equal(fw_paid(w, &r, c, "2026-01", "Deal/c"), M("600"));
    at_calc_result_free(&r);
    fw_free(w);
}

static void clawback_window_one_day_inside_and_outside(void **state)
{
    (void)state;
    fw_world *w = fw_new();
    int32_t in = fw_person(w, "IN"), out = fw_person(w, "OUT");
    fw_plan(w,
            "plan: Claw\ncurrency: USD\nclawback: {within_days: 90}\n"
            "measures: [{id: s, quota: none}]\n"
            "components: [{id: c, kind: rate, measure: s, rate: 10%}]\n",
            1);
    fw_assign(w, "IN", in, "Claw", NULL, NULL, NULL);
    fw_assign(w, "OUT", out, "Claw", NULL, NULL, NULL);
    int32_t t1 = fw_booking(w, "S-IN", "2026-01-01", "5000", in);
    int32_t t2 = fw_booking(w, "S-OUT", "2026-01-01", "5000", out);
    /* 2026-01-01 + 90 days = 2026-04-01 (inside); + 91 = 2026-04-02 (outside) */
    fw_cancel(w, "X-IN", "2026-04-01", "-5000", t1);
    fw_cancel(w, "X-OUT", "2026-04-02", "-5000", t2);
    at_calc_result r;
    fw_run(w, "2026-04", "2026-04", &r);
    assert_int_equal(fw_paid(w, &r, in, "2026-04", "Claw/c"), -M("500"));
    assert_int_equal(fw_paid(w, &r, out, "2026-04", "Claw/c"), 0);
    at_calc_result_free(&r);
    fw_free(w);
}

static void hire_on_the_last_day_of_a_period(void **state)
{
    (void)state;
    fw_world *w = fw_new();
    int32_t a = fw_person(w, "A");
    w->people[a].hire = D("2026-03-31");
    fw_plan(w,
            "plan: Bonus\ncurrency: USD\nmeasures: [{id: s}]\n"
            "components: [{id: b, kind: bonus, measure: s, weight: 100%,\n"
            "              curve: [[0%, 100%], [100%, 100%]]}]\n",
            1);
    fw_assign(w, "A", a, "Bonus", "2026-01-01", NULL, "120000");
    fw_quota(w, a, "s", "2026-03", "31000");
    at_calc_result r;
    fw_run(w, "2026-03", "2026-03", &r);
    /* 1 day of 31 on plan: quota 31,000 x 1/31 = 1,000.00; target 120,000 / 12 x 1/31 =
       322.580645 -> 322.58 (the curve pays 100% everywhere) */
    assert_int_equal(fw_measure(w, &r, a, "2026-03", "s")->quota, M("1000"));
    assert_int_equal(fw_paid(w, &r, a, "2026-03", "Bonus/b"), M("322.58"));
    at_calc_result_free(&r);
    fw_free(w);
}

static void split_of_a_third(void **state)
{
    (void)state;
    fw_world *w = fw_new();
    int32_t a = fw_person(w, "A"), b = fw_person(w, "B"), c = fw_person(w, "C");
    fw_plan(w,
            "plan: All\ncurrency: USD\nmeasures: [{id: s, quota: none}]\n"
            "components: [{id: c, kind: rate, measure: s, rate: 100%}]\n",
            1);
    fw_assign(w, "A", a, "All", NULL, NULL, NULL);
    fw_assign(w, "B", b, "All", NULL, NULL, NULL);
    fw_assign(w, "C", c, "All", NULL, NULL, NULL);
    /* owner A, partners C and B at 33.3333333% each: the owner's share is what is left,
       33.3333334%. Allocation of 100.0000: floors 33.3333 each (99.9999), the spare 0.0001 to
       the largest remainder, the owner's. Each payee's line is then rounded to the cent on
       its own: 33.3334 -> 33.33 and 33.3333 -> 33.33, so 99.99 is paid in all: the last cent
       stays unpaid because nobody was credited half a cent or more of it. */
    int32_t t = fw_booking(w, "T", "2026-05-05", "100", a);
    fw_share(w, t, c, AT_TX_ROLE_SPLIT, "33.3333333%");
    fw_share(w, t, b, AT_TX_ROLE_SPLIT, "33.3333333%");
    at_calc_result r;
    fw_run(w, "2026-05", "2026-05", &r);
    const at_calc_credits *cr = &r.credits;
    assert_int_equal(cr->amount[cr->person_start[a]], M("33.3334"));
    assert_int_equal(cr->amount[cr->person_start[b]], M("33.3333"));
    assert_int_equal(cr->amount[cr->person_start[c]], M("33.3333"));
    assert_int_equal(fw_paid(w, &r, a, "2026-05", "All/c"), M("33.33"));
    assert_int_equal(fw_paid(w, &r, b, "2026-05", "All/c"), M("33.33"));
    assert_int_equal(fw_paid(w, &r, c, "2026-05", "All/c"), M("33.33"));
    at_calc_result_free(&r);
    fw_free(w);
}

static void currencies_at_stated_dates(void **state)
{
    (void)state;
    fw_world *w = fw_new();
    at_calc_currency eur = fw_currency(w, "EUR");
    fw_rate(w, "EUR", "USD", "2026-02-01", "1.10");
    fw_rate(w, "EUR", "USD", "2026-02-15", "1.20");
    int32_t a = fw_person(w, "A"), b = fw_person(w, "B");
    w->people[a].pay_currency = eur;
    fw_plan(w,
            "plan: Tx\ncurrency: USD\nfx_date: transaction\nmeasures: [{id: s, quota: none}]\n"
            "components: [{id: c, kind: rate, measure: s, rate: 10%}]\n",
            1);
    fw_plan(w,
            "plan: End\ncurrency: USD\nfx_date: period_end\nmeasures: [{id: s, quota: none}]\n"
            "components: [{id: c, kind: rate, measure: s, rate: 10%}]\n",
            1);
    fw_assign(w, "A", a, "Tx", NULL, NULL, NULL);
    fw_assign(w, "B", b, "End", NULL, NULL, NULL);
    int32_t t1 = fw_booking(w, "T1", "2026-02-10", "1000", a);
    int32_t t2 = fw_booking(w, "T2", "2026-02-10", "1000", b);
    w->tx_currency[t1] = eur;
    w->tx_currency[t2] = eur;
    at_calc_result r;
    fw_run(w, "2026-02", "2026-02", &r);
    /* A: 1,000 EUR at the rate of 2026-02-10 (1.10) = 1,100 USD; x 10% = 110.00 USD; paid in
       EUR at the month's last day: only EUR->USD is given, so USD->EUR = 1 / 1.20 =
       0.833333333; 110 x 0.833333333 = 91.66666663 -> 91.67 EUR */
    const at_calc_line *la = fw_line(w, &r, a, "2026-02", "Tx/c");
    assert_int_equal(la->earned, M("110"));
    assert_int_equal(la->fx_rate, R("0.833333333"));
    assert_int_equal(la->amount, M("91.67"));
    /* B: at the month's last day (1.20): 1,200 USD x 10% = 120.00 USD */
    assert_int_equal(fw_paid(w, &r, b, "2026-02", "End/c"), M("120"));
    at_calc_result_free(&r);
    fw_free(w);
}

static void gate_quarterly_spiff_metric(void **state)
{
    (void)state;
    fw_world *w = fw_new();
    int32_t a = fw_person(w, "A"), b = fw_person(w, "B"), c = fw_person(w, "C");
    fw_plan(w,
            "plan: Gate\ncurrency: USD\nmeasures: [{id: s}]\n"
            "components: [{id: c, kind: rate, measure: s, rate: 10%,\n"
            "              gate: \"s.attainment >= 50%\"}]\n",
            1);
    fw_plan(w,
            "plan: Quarterly\ncurrency: USD\nfrequency: quarterly\nmeasures: [{id: s, quota: none}]\n"
            "components: [{id: c, kind: rate, measure: s, rate: 10%}]\n",
            1);
    fw_plan(w,
            "plan: Kpi\ncurrency: USD\nmetrics: [{name: nps, unit: number}]\n"
            "measures: [{id: s, quota: none}]\n"
            "components:\n"
            "  - {id: meetings, kind: spiff, activity: meeting, meaningful_only: true,\n"
            "     per_activity: 25, from: 2026-01-10, to: 2026-12-31}\n"
            "  - {id: nps, kind: metric, metric: nps, metric_window: quarter, weight: 10%,\n"
            "     curve: [[0.5, 0%], [0.7, 100%]]}\n",
            1);
    fw_assign(w, "A", a, "Gate", NULL, NULL, NULL);
    fw_assign(w, "B", b, "Quarterly", NULL, NULL, NULL);
    fw_assign(w, "C", c, "Kpi", NULL, NULL, "48000");
    fw_quota(w, a, "s", "2026-01", "10000");
    fw_quota(w, a, "s", "2026-02", "10000");
    fw_booking(w, "A1", "2026-01-05", "4999", a);  /* 49.99%: gated */
    fw_booking(w, "A2", "2026-02-05", "5000", a);  /* 50%: open */
    fw_booking(w, "B1", "2026-01-05", "1000", b);
    fw_booking(w, "B2", "2026-02-05", "2000", b);
    fw_booking(w, "B3", "2026-03-05", "3000", b);
    const char *days[] = {"2026-01-09", "2026-01-10", "2026-01-20", "2026-01-25"};
    for (int i = 0; i < 4; i++)
        w->activities[w->activity_count++] = (at_calc_activity){c, 2, (uint8_t)(i != 3), D(days[i])};
    w->activities[w->activity_count++] = (at_calc_activity){c, 0, 1, D("2026-01-20")}; /* a call */
    w->metrics[w->metric_count++] = (at_calc_metric){c, "nps", AT_PERIOD_QUARTER, 2026, 1,
                                                     R("0.6")};
    at_calc_result r;
    fw_run(w, "2026-01", "2026-03", &r);
    const at_calc_line *g1 = fw_line(w, &r, a, "2026-01", "Gate/c");
    assert_true(g1->gated);
    assert_int_equal(g1->amount, 0);
    assert_non_null(strstr(g1->explain, "is false"));
    assert_int_equal(fw_paid(w, &r, a, "2026-02", "Gate/c"), M("500"));
    /* quarterly: 100, 200 deferred, paid with March's 300: 600.00 in March */
    assert_int_equal(fw_paid(w, &r, b, "2026-01", "Quarterly/deferred"), -M("100"));
    assert_int_equal(fw_payout(w, &r, b, "2026-01")->amount, 0);
    assert_int_equal(fw_payout(w, &r, b, "2026-02")->amount, 0);
    assert_int_equal(fw_paid(w, &r, b, "2026-03", "Quarterly/deferred"), M("300"));
    assert_int_equal(fw_payout(w, &r, b, "2026-03")->amount, M("600"));
    /* meetings: the 10th and the 20th count (the 9th is before the SPIFF, the 25th not
       meaningful, the call is no meeting): 2 x 25 = 50.00 */
    assert_int_equal(fw_paid(w, &r, c, "2026-01", "Kpi/meetings"), M("50"));
    /* nps 0.6 on the curve: 50% payout; target 48,000 x 10% / 4 = 1,200 a quarter; to date
       600.00, paid in January (earlier months of the quarter earned nothing) */
    assert_int_equal(fw_paid(w, &r, c, "2026-01", "Kpi/nps"), M("600"));
    assert_int_equal(fw_paid(w, &r, c, "2026-02", "Kpi/nps"), 0);
    at_calc_result_free(&r);
    fw_free(w);
}

static void closed_month_change_becomes_an_adjustment(void **state)
{
    (void)state;
    fw_world *w = fw_new();
    int32_t a = fw_person(w, "A");
    fw_plan(w,
            "plan: P\ncurrency: USD\nmeasures: [{id: s, quota: none}]\n"
            "components: [{id: c, kind: rate, measure: s, rate: 10%}]\n",
            1);
    fw_assign(w, "A", a, "P", NULL, NULL, NULL);
    fw_booking(w, "T1", "2026-01-10", "1000", a);
    /* January was paid 100.00 and closed; then a late deal of 500 dated in January arrives */
    w->locked[w->locked_count++] = (at_calc_locked_line){a, fw_month(w, "2026-01"), "P/c",
                                                         M("100")};
    w->closed[w->closed_count++] = fw_month(w, "2026-01");
    fw_booking(w, "T2", "2026-01-20", "500", a);
    fw_booking(w, "T3", "2026-02-03", "2000", a);
    at_calc_result r;
    fw_run(w, "2026-01", "2026-02", &r);
    /* January recomputed: 150.00, paid 100.00: +50.00 in February, the first open month */
    const at_calc_line *adj = fw_line(w, &r, a, "2026-02", "adjust/P/c/2026-01");
    assert_non_null(adj);
    assert_int_equal(adj->amount, M("50"));
    assert_int_equal(adj->kind, AT_LINE_ADJUSTMENT);
    assert_int_equal(adj->adjusts_month, fw_month(w, "2026-01"));
    assert_int_equal(fw_payout(w, &r, a, "2026-01")->amount, M("100"));
    assert_int_equal(fw_payout(w, &r, a, "2026-02")->amount, M("250"));
    at_calc_result_free(&r);
    fw_free(w);
}

static void problems_and_errors(void **state)
{
    (void)state;
    fw_world *w = fw_new();
    int32_t a = fw_person(w, "A"), b = fw_person(w, "B");
    fw_plan(w,
            "plan: P\ncurrency: USD\nmeasures: [{id: s}]\n"
            "components: [{id: b, kind: bonus, measure: s, weight: 10%, curve: [[0, 0], [1, 1]]}]\n",
            1);
    fw_assign(w, "A", a, "P", NULL, NULL, "1000");
    fw_booking(w, "T1", "2026-01-10", "1000", a);
    fw_booking(w, "T2", "2026-01-10", "1000", b); /* B has no plan */
    const at_calc_input *in = fw_input(w, "2026-01", "2026-01");
    at_calc_result r;
    at_error_list problems;
    at_error_list_init(&problems, 10);
    at_error err;
    assert_int_equal(at_calc_run(in, NULL, &r, &problems, &err), AT_OK);
    /* A has no quota for the bonus; B has credits but no plan */
    assert_int_equal(problems.count, 2);
    assert_non_null(strstr(problems.items[0].message, "no quota"));
    assert_non_null(strstr(problems.items[1].message, "no plan assignment"));
    assert_int_equal(fw_paid(w, &r, a, "2026-01", "P/b"), 0);
    at_calc_result_free(&r);
    at_error_list_free(&problems);
    /* errors that stop the run */
    at_calc_input bad = *in;
    bad.last_month = bad.first_month - 1;
    assert_int_equal(at_calc_run(&bad, NULL, &r, NULL, &err), AT_ERR_INVALID);
    int32_t unsorted[] = {1, 0};
    at_calc_options opt = {.only_people = unsorted, .only_people_count = 2};
    assert_int_equal(at_calc_run(in, &opt, &r, NULL, &err), AT_ERR_INVALID);
    w->assignments[0].plan = "No Such Plan";
    in = fw_input(w, "2026-01", "2026-01");
    assert_int_equal(at_calc_run(in, NULL, &r, NULL, &err), AT_ERR_NOT_FOUND);
    assert_non_null(strstr(err.message, "No Such Plan"));
    fw_free(w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(tier_edge_both_rules),
        cmocka_unit_test(exactly_at_a_cap),
        cmocka_unit_test(clawback_window_one_day_inside_and_outside),
        cmocka_unit_test(hire_on_the_last_day_of_a_period),
        cmocka_unit_test(split_of_a_third),
        cmocka_unit_test(currencies_at_stated_dates),
        cmocka_unit_test(gate_quarterly_spiff_metric),
        cmocka_unit_test(closed_month_change_becomes_an_adjustment),
        cmocka_unit_test(problems_and_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
