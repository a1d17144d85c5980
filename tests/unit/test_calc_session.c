/* test_calc_session.c - incremental recalculation on a small company whose numbers can be
 * worked out by hand: a session keeps running sums of credits per assignment and month
 * (session_sums.c) and recomputes a touched payee from them; after each change the session's
 * results must be a full run's over the changed data, bit for bit (with explanations, where
 * components read their credits for the text, and without, where they read only the sums),
 * and the figures the change moves must be the ones worked out below.
 *
 * The company: CEO <- VP <- managers M1, M2 <- reps R1 (under M1), R2 (under M2); months
 * 2026-01 .. 2026-06 (calendar fiscal year). Reps: quarter-to-date bookings, marginal tiers on
 * attainment 5% to 100%, 10% above (quota 100,000 a quarter). Managers, VP and CEO: team
 * bookings quarter to date on marginal tiers 1% to 100%, 2% above; a 0.5% override on the
 * month's team bookings; and 1% of each deal capped at 300 per deal (a cancellation reverses
 * what its deal earned, in proportion). Base deals: T1 R1 2026-01-15 40,000; T2 R2 2026-02-10
 * 50,000; T3 R1 2026-03-05 30,000; T4 R2 2026-04-02 20,000. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "calc_fixtures.h"

static const char *REP_PLAN =
    "plan: Rep\n"
    "currency: USD\n"
    "measures:\n"
    "  - {id: bookings, window: quarter_to_date}\n"
    "components:\n"
    "  - {id: commission, kind: tiers, measure: bookings, method: marginal, on: attainment,\n"
    "     tiers: [{from: 0, to: 100%, rate: 5%}, {from: 100%, rate: 10%}]}\n";

/* The rep plan again, from February at 6% below quota (a version change inside Q1). */
static const char *REP_PLAN_V1_JAN =
    "plan: Rep\n"
    "effective: {from: 2025-01-01, to: 2026-01-31}\n"
    "currency: USD\n"
    "measures:\n"
    "  - {id: bookings, window: quarter_to_date}\n"
    "components:\n"
    "  - {id: commission, kind: tiers, measure: bookings, method: marginal, on: attainment,\n"
    "     tiers: [{from: 0, to: 100%, rate: 5%}, {from: 100%, rate: 10%}]}\n";

static const char *REP_PLAN_V2_FEB =
    "plan: Rep\n"
    "effective: {from: 2026-02-01}\n"
    "currency: USD\n"
    "measures:\n"
    "  - {id: bookings, window: quarter_to_date}\n"
    "components:\n"
    "  - {id: commission, kind: tiers, measure: bookings, method: marginal, on: attainment,\n"
    "     tiers: [{from: 0, to: 100%, rate: 6%}, {from: 100%, rate: 10%}]}\n";

static const char *MGR_PLAN =
    "plan: Mgr\n"
    "currency: USD\n"
    "measures:\n"
    "  - {id: team, credit: [rollup], window: quarter_to_date}\n"
    "  - {id: team_month, credit: [rollup], window: month, quota: none}\n"
    "components:\n"
    "  - {id: accel, kind: tiers, measure: team, method: marginal, on: attainment,\n"
    "     tiers: [{from: 0, to: 100%, rate: 1%}, {from: 100%, rate: 2%}]}\n"
    "  - {id: override, kind: rate, measure: team_month, rate: 0.5%}\n"
    "  - {id: per_deal, kind: rate, measure: team_month, rate: 1%, cap: {per_deal: 300}}\n";

typedef struct company {
    fw_world *w;
    int32_t ceo, vp, m1, m2, r1, r2;
    int32_t t1, t2, t3, t4;
} company;

static company make_company_with(bool ceo_on_plan, bool rep_plan_changes)
{
    company c;
    fw_world *w = c.w = fw_new();
    if (rep_plan_changes) {
        fw_plan(w, REP_PLAN_V1_JAN, 1);
        fw_plan(w, REP_PLAN_V2_FEB, 2);
    } else {
        fw_plan(w, REP_PLAN, 1);
    }
    fw_plan(w, MGR_PLAN, 1);
    c.ceo = fw_person(w, "CEO");
    c.vp = fw_person(w, "VP");
    c.m1 = fw_person(w, "M1");
    c.m2 = fw_person(w, "M2");
    c.r1 = fw_person(w, "R1");
    c.r2 = fw_person(w, "R2");
    fw_reports(w, c.vp, c.ceo, NULL, NULL);
    fw_reports(w, c.m1, c.vp, NULL, NULL);
    fw_reports(w, c.m2, c.vp, NULL, NULL);
    fw_reports(w, c.r1, c.m1, NULL, NULL);
    fw_reports(w, c.r2, c.m2, NULL, NULL);
    fw_assign(w, "A-R1", c.r1, "Rep", NULL, NULL, NULL);
    fw_assign(w, "A-R2", c.r2, "Rep", NULL, NULL, NULL);
    fw_assign(w, "A-M1", c.m1, "Mgr", NULL, NULL, NULL);
    fw_assign(w, "A-M2", c.m2, "Mgr", NULL, NULL, NULL);
    fw_assign(w, "A-VP", c.vp, "Mgr", NULL, NULL, NULL);
    if (ceo_on_plan)
        fw_assign(w, "A-CEO", c.ceo, "Mgr", NULL, NULL, NULL);
    const int32_t reps[] = {c.r1, c.r2};
    for (int i = 0; i < 2; i++) {
        fw_quota(w, reps[i], "bookings", "2026-Q1", "100000");
        fw_quota(w, reps[i], "bookings", "2026-Q2", "100000");
    }
    const int32_t mgrs[] = {c.m1, c.m2, c.vp, c.ceo};
    for (int i = 0; i < 4; i++) {
        fw_quota(w, mgrs[i], "team", "2026-Q1", "150000");
        fw_quota(w, mgrs[i], "team", "2026-Q2", "150000");
    }
    c.t1 = fw_booking(w, "T1", "2026-01-15", "40000", c.r1);
    c.t2 = fw_booking(w, "T2", "2026-02-10", "50000", c.r2);
    c.t3 = fw_booking(w, "T3", "2026-03-05", "30000", c.r1);
    c.t4 = fw_booking(w, "T4", "2026-04-02", "20000", c.r2);
    return c;
}

static company make_company(void)
{
    return make_company_with(true, false);
}

static void run_full(const at_calc_input *in, bool explain, at_calc_result *out)
{
    at_calc_options opt = {.threads = 1, .keep_explanations = explain};
    at_error err;
    assert_int_equal(at_calc_run(in, &opt, out, NULL, &err), AT_OK);
}

static at_calc_session *open_session(company *c, bool explain)
{
    const at_calc_input *in = fw_input(c->w, "2026-01", "2026-06");
    at_calc_options opt = {.threads = 1, .keep_explanations = explain};
    at_calc_session *s = NULL;
    at_error err;
    assert_int_equal(at_calc_session_open(in, &opt, &s, NULL, &err), AT_OK);
    return s;
}

static void apply(at_calc_session *s, const at_calc_change *ch, size_t expect_touched)
{
    size_t touched = 0;
    at_error err;
    at_code c = at_calc_session_apply(s, ch, 1, &touched, NULL, &err);
    if (c != AT_OK) {
        char buf[1024];
        at_error_format(&err, buf, sizeof buf);
        fprintf(stderr, "%s", buf);
    }
    assert_int_equal(c, AT_OK);
    assert_int_equal(touched, expect_touched);
}

/* The session's results are the full run's over its input, bit for bit. */
static void assert_full_run(at_calc_session *s, bool explain)
{
    const at_calc_input *in = at_calc_session_input(s);
    const at_calc_result *inc = at_calc_session_result(s);
    assert_non_null(in);
    assert_non_null(inc);
    at_calc_result full;
    run_full(in, explain, &full);
    assert_int_equal(full.credits.count, inc->credits.count);
    for (size_t i = 0; i < full.credits.count; i++) {
        assert_int_equal(full.credits.transaction[i], inc->credits.transaction[i]);
        assert_int_equal(full.credits.person[i], inc->credits.person[i]);
        assert_int_equal(full.credits.kind[i], inc->credits.kind[i]);
        assert_int_equal(full.credits.amount[i], inc->credits.amount[i]);
    }
    assert_int_equal(full.measure_count, inc->measure_count);
    for (size_t i = 0; i < full.measure_count; i++) {
        const at_calc_measure_value *a = &full.measures[i], *b = &inc->measures[i];
        assert_int_equal(a->person, b->person);
        assert_int_equal(a->month, b->month);
        assert_int_equal(a->measure, b->measure);
        assert_int_equal(a->month_value, b->month_value);
        assert_int_equal(a->value, b->value);
        assert_int_equal(a->credit_count, b->credit_count);
        assert_int_equal(a->quota, b->quota);
        assert_int_equal(a->attainment, b->attainment);
    }
    assert_int_equal(full.line_count, inc->line_count);
    for (size_t i = 0; i < full.line_count; i++) {
        const at_calc_line *a = &full.lines[i], *b = &inc->lines[i];
        assert_int_equal(a->person, b->person);
        assert_int_equal(a->month, b->month);
        assert_string_equal(a->key, b->key);
        assert_int_equal(a->kind, b->kind);
        assert_int_equal(a->earned_to_date, b->earned_to_date);
        assert_int_equal(a->earned, b->earned);
        assert_int_equal(a->amount, b->amount);
        assert_int_equal(a->adjusts_month, b->adjusts_month);
        assert_int_equal(a->capped, b->capped);
        assert_string_equal(a->explain ? a->explain : "", b->explain ? b->explain : "");
    }
    assert_int_equal(full.payout_count, inc->payout_count);
    for (size_t i = 0; i < full.payout_count; i++) {
        const at_calc_payout *a = &full.payouts[i], *b = &inc->payouts[i];
        assert_int_equal(a->person, b->person);
        assert_int_equal(a->month, b->month);
        assert_int_equal(a->earned, b->earned);
        assert_int_equal(a->amount, b->amount);
        assert_int_equal(a->paid_ytd, b->paid_ytd);
    }
    at_calc_result_free(&full);
}

static const at_calc_line *line_of(company *c, at_calc_session *s, int32_t person,
                                   const char *month, const char *key)
{
    const at_calc_line *l = fw_line(c->w, at_calc_session_result(s), person, month, key);
    assert_non_null(l);
    return l;
}

static const at_calc_measure_value *measure_of(company *c, at_calc_session *s, int32_t person,
                                               const char *month, const char *measure)
{
    const at_calc_measure_value *v =
        fw_measure(c->w, at_calc_session_result(s), person, month, measure);
    assert_non_null(v);
    return v;
}

static at_calc_change booking(const char *id, const char *day, const char *amount,
                              int32_t owner)
{
    return (at_calc_change){.kind = AT_CHANGE_ADD, .id = id, .type = AT_TX_BOOKING,
                            .date = D(day), .amount = M(amount), .product = -1, .account = -1,
                            .owner = owner};
}

/* A deal in the first month of the quarter: the month's value and every later month's value
 * to date move. R1: Jan 40,000 + 10,000 = 50,000 (50%: commission to date 5% = 2,500, was
 * 2,000); Feb to date 50,000 (earned 0); Mar to date 80,000 (80%: 4,000 to date, Mar earns
 * 4,000 - 2,500 = 1,500, as before: 3,500 - 2,000). */
static void first_month_of_a_quarter(void **state)
{
    (void)state;
    for (int explain = 0; explain < 2; explain++) {
        company c = make_company();
        at_calc_session *s = open_session(&c, explain);
        assert_int_equal(line_of(&c, s, c.r1, "2026-01", "Rep/commission")->amount, M("2000"));
        at_calc_change ch = booking("T5", "2026-01-20", "10000", c.r1);
        apply(s, &ch, 4); /* R1, M1, the VP, the CEO */
        assert_full_run(s, explain);
        assert_int_equal(measure_of(&c, s, c.r1, "2026-01", "bookings")->month_value,
                         M("50000"));
        assert_int_equal(measure_of(&c, s, c.r1, "2026-02", "bookings")->value, M("50000"));
        assert_int_equal(measure_of(&c, s, c.r1, "2026-03", "bookings")->value, M("80000"));
        assert_int_equal(line_of(&c, s, c.r1, "2026-01", "Rep/commission")->amount, M("2500"));
        assert_int_equal(line_of(&c, s, c.r1, "2026-02", "Rep/commission")->amount, 0);
        assert_int_equal(line_of(&c, s, c.r1, "2026-03", "Rep/commission")->amount, M("1500"));
        /* the CEO's team, January: 50,000 */
        assert_int_equal(measure_of(&c, s, c.ceo, "2026-01", "team_month")->month_value,
                         M("50000"));
        at_calc_session_close(s);
        fw_free(c.w);
    }
}

/* The CEO's quarter crosses 100%: Q1 team bookings 120,000 of 150,000 (80%) before; a deal
 * of 60,000 in March makes 180,000 (120%): accel to date 1% x 150,000 + 2% x 30,000 = 2,100;
 * to the end of February 90,000 earned 900, so March earns 1,200 (was 1,200 - 900 = 300).
 * The per-deal component: T3 30,000 x 1% = 300 (at the cap, not over it) and the new deal
 * 600 capped at 300: March 600, capped. The override: 0.5% x 90,000 = 450. */
static void top_manager_crosses_a_tier_edge(void **state)
{
    (void)state;
    for (int explain = 0; explain < 2; explain++) {
        company c = make_company();
        at_calc_session *s = open_session(&c, explain);
        assert_int_equal(line_of(&c, s, c.ceo, "2026-03", "Mgr/accel")->amount, M("300"));
        at_calc_change ch = booking("T6", "2026-03-20", "60000", c.r2);
        apply(s, &ch, 4); /* R2, M2, VP, CEO */
        assert_full_run(s, explain);
        const at_calc_measure_value *v = measure_of(&c, s, c.ceo, "2026-03", "team");
        assert_int_equal(v->value, M("180000"));
        assert_int_equal(v->attainment, R("120%"));
        const at_calc_line *accel = line_of(&c, s, c.ceo, "2026-03", "Mgr/accel");
        assert_int_equal(accel->earned_to_date, M("2100"));
        assert_int_equal(accel->amount, M("1200"));
        const at_calc_line *deal = line_of(&c, s, c.ceo, "2026-03", "Mgr/per_deal");
        assert_int_equal(deal->amount, M("600"));
        assert_true(deal->capped);
        assert_int_equal(line_of(&c, s, c.ceo, "2026-03", "Mgr/override")->amount, M("450"));
        /* and back under the edge: the deal deleted */
        at_calc_change del = {.kind = AT_CHANGE_DELETE, .id = "T6"};
        apply(s, &del, 4);
        assert_full_run(s, explain);
        assert_int_equal(line_of(&c, s, c.ceo, "2026-03", "Mgr/accel")->amount, M("300"));
        deal = line_of(&c, s, c.ceo, "2026-03", "Mgr/per_deal");
        assert_int_equal(deal->amount, M("300"));
        assert_false(deal->capped);
        at_calc_session_close(s);
        fw_free(c.w);
    }
}

/* Half of T2 cancelled in February: R2's February bookings 50,000 - 25,000 = 25,000; M2's
 * per-deal line: T2 earned 500, capped at 300; the cancellation reverses 300 x 25,000 /
 * 50,000 = 150: February 150. The override: 0.5% x 25,000 = 125. */
static void a_cancellation(void **state)
{
    (void)state;
    for (int explain = 0; explain < 2; explain++) {
        company c = make_company();
        at_calc_session *s = open_session(&c, explain);
        assert_int_equal(line_of(&c, s, c.m2, "2026-02", "Mgr/per_deal")->amount, M("300"));
        at_calc_change ch = {.kind = AT_CHANGE_ADD, .id = "C2", .type = AT_TX_CANCELLATION,
                             .date = D("2026-02-20"), .amount = -M("25000"), .product = -1,
                             .account = -1, .owner = c.r2, .original_id = "T2"};
        apply(s, &ch, 4);
        assert_full_run(s, explain);
        assert_int_equal(measure_of(&c, s, c.r2, "2026-02", "bookings")->month_value,
                         M("25000"));
        assert_int_equal(measure_of(&c, s, c.r2, "2026-02", "bookings")->credit_count, 2);
        assert_int_equal(line_of(&c, s, c.m2, "2026-02", "Mgr/per_deal")->amount, M("150"));
        assert_int_equal(line_of(&c, s, c.m2, "2026-02", "Mgr/override")->amount, M("125"));
        /* the original changes: its cancellation's reversal follows (T2 now 20,000: earns
           200, not capped; the cancellation of 25,000 reverses 200 x 25,000 / 20,000 = 250:
           February -50) */
        at_calc_change up = {.kind = AT_CHANGE_UPDATE, .id = "T2", .type = AT_TX_BOOKING,
                             .date = D("2026-02-10"), .amount = M("20000"), .product = -1,
                             .account = -1, .owner = c.r2};
        apply(s, &up, 4);
        assert_full_run(s, explain);
        assert_int_equal(line_of(&c, s, c.m2, "2026-02", "Mgr/per_deal")->earned, -M("50"));
        at_calc_session_close(s);
        fw_free(c.w);
    }
}

/* T1 moves from R1 to R2: its credits leave M1's team for M2's. January team bookings: M1
 * 40,000 -> 0, M2 0 -> 40,000; the VP's and the CEO's stay 40,000. */
static void an_owner_change_moves_credits_between_teams(void **state)
{
    (void)state;
    for (int explain = 0; explain < 2; explain++) {
        company c = make_company();
        at_calc_session *s = open_session(&c, explain);
        at_calc_change ch = {.kind = AT_CHANGE_UPDATE, .id = "T1", .type = AT_TX_BOOKING,
                             .date = D("2026-01-15"), .amount = M("40000"), .product = -1,
                             .account = -1, .owner = c.r2};
        apply(s, &ch, 6); /* R1, R2, M1, M2, VP, CEO */
        assert_full_run(s, explain);
        assert_int_equal(measure_of(&c, s, c.m1, "2026-01", "team_month")->month_value, 0);
        assert_int_equal(measure_of(&c, s, c.m2, "2026-01", "team_month")->month_value,
                         M("40000"));
        assert_int_equal(measure_of(&c, s, c.vp, "2026-01", "team_month")->month_value,
                         M("40000"));
        assert_int_equal(measure_of(&c, s, c.r1, "2026-01", "bookings")->month_value, 0);
        /* R2: 40,000 in January (2,000), and February's 50,000 to date 90,000 (4,500) */
        assert_int_equal(line_of(&c, s, c.r2, "2026-01", "Rep/commission")->amount, M("2000"));
        assert_int_equal(line_of(&c, s, c.r2, "2026-02", "Rep/commission")->amount, M("2500"));
        assert_int_equal(line_of(&c, s, c.m1, "2026-01", "Mgr/per_deal")->amount, 0);
        assert_int_equal(line_of(&c, s, c.m2, "2026-01", "Mgr/per_deal")->amount, M("300"));
        at_calc_session_close(s);
        fw_free(c.w);
    }
}

/* The per-deal component on a manager, deal by deal: 10,000 earns 100 (under the cap), 45,000
 * earns 450 capped at 300; M1's April: 400, capped. Then the small deal grows to 35,000 (350,
 * capped at 300): April 600. */
static void a_per_deal_component_on_a_manager(void **state)
{
    (void)state;
    for (int explain = 0; explain < 2; explain++) {
        company c = make_company();
        at_calc_session *s = open_session(&c, explain);
        assert_int_equal(line_of(&c, s, c.m1, "2026-04", "Mgr/per_deal")->amount, 0);
        at_calc_change a = booking("T7", "2026-04-10", "10000", c.r1);
        apply(s, &a, 4);
        assert_int_equal(line_of(&c, s, c.m1, "2026-04", "Mgr/per_deal")->amount, M("100"));
        assert_false(line_of(&c, s, c.m1, "2026-04", "Mgr/per_deal")->capped);
        at_calc_change b = booking("T8", "2026-04-11", "45000", c.r1);
        apply(s, &b, 4);
        assert_full_run(s, explain);
        const at_calc_line *l = line_of(&c, s, c.m1, "2026-04", "Mgr/per_deal");
        assert_int_equal(l->amount, M("400"));
        assert_true(l->capped);
        at_calc_change up = booking("T7", "2026-04-10", "35000", c.r1);
        up.kind = AT_CHANGE_UPDATE;
        apply(s, &up, 4);
        assert_full_run(s, explain);
        assert_int_equal(line_of(&c, s, c.m1, "2026-04", "Mgr/per_deal")->amount, M("600"));
        at_calc_session_close(s);
        fw_free(c.w);
    }
}

/* January is closed and paid (its lines locked as a full run computed them); a late deal of
 * 10,000 dated in January: R1's January commission is recomputed at 2,500 against 2,000 paid,
 * and the difference, 500, is an adjustment in February, the first open month; January's
 * payout stays what was paid. */
static void a_change_in_a_closed_month(void **state)
{
    (void)state;
    for (int explain = 0; explain < 2; explain++) {
        company c = make_company();
        fw_world *w = c.w;
        at_calc_result first;
        run_full(fw_input(w, "2026-01", "2026-06"), true, &first);
        int32_t jan = fw_month(w, "2026-01");
        for (size_t i = 0; i < first.line_count; i++)
            if (first.lines[i].month == jan && first.lines[i].kind == AT_LINE_COMPONENT)
                w->locked[w->locked_count++] = (at_calc_locked_line){
                    first.lines[i].person, jan,
                    at_arena_strdup(&w->arena, first.lines[i].key), first.lines[i].amount};
        at_calc_result_free(&first);
        w->closed[w->closed_count++] = jan;
        at_calc_session *s = open_session(&c, explain);
        assert_null(fw_line(w, at_calc_session_result(s), c.r1, "2026-02",
                            "adjust/Rep/commission/2026-01"));
        at_calc_change ch = booking("T9", "2026-01-25", "10000", c.r1);
        apply(s, &ch, 4);
        assert_full_run(s, explain);
        const at_calc_line *adj = line_of(&c, s, c.r1, "2026-02", "adjust/Rep/commission/2026-01");
        assert_int_equal(adj->amount, M("500"));
        assert_int_equal(adj->adjusts_month, jan);
        assert_int_equal(fw_payout(w, at_calc_session_result(s), c.r1, "2026-01")->amount,
                         M("2000"));
        /* M1's January override: 0.5% x 10,000 = 50 more */
        assert_int_equal(line_of(&c, s, c.m1, "2026-02", "adjust/Mgr/override/2026-01")->amount,
                         M("50"));
        at_calc_session_close(s);
        fw_free(c.w);
    }
}

/* How many problems say `text`. */
static size_t problems_saying(const at_error_list *problems, const char *text)
{
    size_t n = 0;
    for (size_t i = 0; i < problems->count; i++)
        n += strstr(problems->items[i].message, text) != NULL;
    return n;
}

/* A CEO on no plan: roll-up credits alone are no problem, a deal of their own is (the first
 * month with one named), and the session counts them without reading the CEO's roll-ups. */
static void a_payee_with_no_plan(void **state)
{
    (void)state;
    const char *said = "CEO has credits from 2026-03 on but no plan assignment";
    for (int explain = 0; explain < 2; explain++) {
        company c = make_company_with(false, false);
        const at_calc_input *in = fw_input(c.w, "2026-01", "2026-06");
        at_calc_options opt = {.threads = 1, .keep_explanations = explain};
        at_calc_session *s = NULL;
        at_error err;
        at_error_list problems;
        at_error_list_init(&problems, 100);
        assert_int_equal(at_calc_session_open(in, &opt, &s, &problems, &err), AT_OK);
        assert_int_equal(problems_saying(&problems, "CEO"), 0);
        /* the CEO's own deal in March, then a rep's deal in January: both name March */
        at_calc_change own = booking("T10", "2026-03-10", "5000", c.ceo);
        at_calc_change rep = booking("T11", "2026-01-10", "5000", c.r1);
        size_t touched = 0;
        assert_int_equal(at_calc_session_apply(s, &own, 1, &touched, &problems, &err), AT_OK);
        assert_int_equal(touched, 1); /* the CEO: no one above */
        assert_int_equal(problems_saying(&problems, said), 1);
        assert_int_equal(at_calc_session_apply(s, &rep, 1, &touched, &problems, &err), AT_OK);
        assert_int_equal(touched, 4);
        assert_int_equal(problems_saying(&problems, said), 2);
        assert_full_run(s, explain);
        /* an earlier deal of the CEO's own: from January on */
        at_calc_change jan = booking("T12", "2026-01-05", "1000", c.ceo);
        assert_int_equal(at_calc_session_apply(s, &jan, 1, &touched, &problems, &err), AT_OK);
        assert_int_equal(
            problems_saying(&problems, "CEO has credits from 2026-01 on but no plan assignment"),
            1);
        /* both deleted: roll-ups alone again */
        at_calc_change del[2] = {{.kind = AT_CHANGE_DELETE, .id = "T10"},
                                 {.kind = AT_CHANGE_DELETE, .id = "T12"}};
        size_t before = problems.count;
        assert_int_equal(at_calc_session_apply(s, del, 2, &touched, &problems, &err), AT_OK);
        assert_int_equal(problems.count, before);
        assert_full_run(s, explain);
        at_error_list_free(&problems);
        at_calc_session_close(s);
        fw_free(c.w);
    }
}

/* The rep plan changes version on February 1st, inside Q1: February and March read
 * January's bookings under the new version, whose running sums January's own version holds,
 * so those months read January's credits as a run does. R1 before: January 40,000 at 5%:
 * 2,000; February to date 40,000 at 6%: 2,400, less the 2,000 January earned: 400; March to
 * date 70,000: 4,200 - 2,400 = 1,800. A late 10,000 in January: January 2,500; February
 * 3,000 - 2,500 = 500; March 80,000: 4,800 - 3,000 = 1,800. */
static void a_plan_version_change_inside_a_window(void **state)
{
    (void)state;
    for (int explain = 0; explain < 2; explain++) {
        company c = make_company_with(true, true);
        at_calc_session *s = open_session(&c, explain);
        assert_int_equal(line_of(&c, s, c.r1, "2026-01", "Rep/commission")->amount, M("2000"));
        assert_int_equal(line_of(&c, s, c.r1, "2026-02", "Rep/commission")->amount, M("400"));
        assert_int_equal(line_of(&c, s, c.r1, "2026-03", "Rep/commission")->amount, M("1800"));
        at_calc_change ch = booking("T13", "2026-01-20", "10000", c.r1);
        apply(s, &ch, 4);
        assert_full_run(s, explain);
        assert_int_equal(line_of(&c, s, c.r1, "2026-01", "Rep/commission")->amount, M("2500"));
        assert_int_equal(line_of(&c, s, c.r1, "2026-02", "Rep/commission")->amount, M("500"));
        assert_int_equal(line_of(&c, s, c.r1, "2026-03", "Rep/commission")->amount, M("1800"));
        at_calc_session_close(s);
        fw_free(c.w);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(first_month_of_a_quarter),
        cmocka_unit_test(top_manager_crosses_a_tier_edge),
        cmocka_unit_test(a_cancellation),
        cmocka_unit_test(an_owner_change_moves_credits_between_teams),
        cmocka_unit_test(a_per_deal_component_on_a_manager),
        cmocka_unit_test(a_change_in_a_closed_month),
        cmocka_unit_test(a_payee_with_no_plan),
        cmocka_unit_test(a_plan_version_change_inside_a_window),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
