/* test_calc_manual.c - the engine's manual lines (calc.h at_calc_manual_line: approved manual
 * adjustments): added to their month as adjustment lines after the plan's, in key order, paid
 * but not earned; ignored outside the months computed; a payee without a plan gets a problem,
 * not a line; a manual line of a closed month that its locked lines lack is paid as a
 * prior-period adjustment in the first open month. Amounts worked by hand in the comments. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "calc_fixtures.h"

static const char PLAN[] = "plan: Flat\ncurrency: USD\nmeasures: [{id: s, quota: none}]\n"
                           "components: [{id: c, kind: rate, measure: s, rate: 10%}]\n";

/* Runs with manual lines; returns the problems' count. */
static size_t run_manual(fw_world *w, const char *first, const char *last,
                         const at_calc_manual_line *manual, size_t count, at_calc_result *out)
{
    at_calc_input *in = (at_calc_input *)fw_input(w, first, last);
    in->manual = manual;
    in->manual_count = count;
    at_calc_options opt = {.threads = 1, .keep_explanations = true};
    at_error_list problems;
    at_error_list_init(&problems, 50);
    at_error err;
    assert_int_equal(at_calc_run(in, &opt, out, &problems, &err), AT_OK);
    size_t n = problems.total;
    for (size_t i = 0; i < problems.count; i++)
        if (strstr(problems.items[i].message, "manual adjustment"))
            n += 100; /* the problem about a manual line counts 101 */
    at_error_list_free(&problems);
    return n;
}

static void manual_lines_are_paid_not_earned(void **state)
{
    (void)state;
    fw_world *w = fw_new();
    int32_t a = fw_person(w, "A"), b = fw_person(w, "B");
    fw_plan(w, PLAN, 1);
    fw_assign(w, "A", a, "Flat", NULL, NULL, NULL);
    fw_booking(w, "A1", "2026-01-10", "10000", a); /* 10% of 10,000 = 1,000.00 in January */
    int32_t jan = fw_month(w, "2026-01"), feb = fw_month(w, "2026-02");
    int32_t jun = fw_month(w, "2026-06");
    const at_calc_manual_line manual[] = {
        {a, feb, "manual/2", -M("100"), "a clawback typed by hand"},
        {a, jan, "manual/10", M("50"), "rounding of a SPIFF"},
        {a, jan, "manual/1", M("250"), "the Acme dispute"},
        {a, jun, "manual/3", M("999"), "a month not computed"},
    };
    at_calc_result r;
    assert_int_equal(run_manual(w, "2026-01", "2026-02", manual, 4, &r), 0);
    const at_calc_line *l1 = fw_line(w, &r, a, "2026-01", "manual/1");
    assert_non_null(l1);
    assert_int_equal(l1->kind, AT_LINE_ADJUSTMENT);
    assert_int_equal(l1->amount, M("250"));
    assert_int_equal(l1->adjusts_month, -1);
    assert_int_equal(l1->component, -1);
    assert_null(l1->plan);
    assert_string_equal(l1->explain, "the Acme dispute");
    assert_int_equal(fw_paid(w, &r, a, "2026-01", "manual/10"), M("50"));
    assert_int_equal(fw_paid(w, &r, a, "2026-02", "manual/2"), -M("100"));
    assert_null(fw_line(w, &r, a, "2026-01", "manual/3"));
    assert_null(fw_line(w, &r, a, "2026-02", "manual/3"));
    /* January: the plan's line first, then manual/1 before manual/10 (key order) */
    size_t i = 0;
    while (i < r.line_count && !(r.lines[i].person == a && r.lines[i].month == jan))
        i++;
    assert_string_equal(r.lines[i].key, "Flat/c");
    assert_string_equal(r.lines[i + 1].key, "manual/1");
    assert_string_equal(r.lines[i + 2].key, "manual/10");
    /* January pays 1,000 + 250 + 50 = 1,300.00 but earned 1,000.00; February pays -100.00:
       paid to date 1,200.00, earned to date 1,000.00 */
    const at_calc_payout *pj = fw_payout(w, &r, a, "2026-01");
    assert_int_equal(pj->amount, M("1300"));
    assert_int_equal(pj->earned, M("1000"));
    const at_calc_payout *pf = fw_payout(w, &r, a, "2026-02");
    assert_int_equal(pf->amount, -M("100"));
    assert_int_equal(pf->earned, 0);
    assert_int_equal(pf->paid_ytd, M("1200"));
    assert_int_equal(pf->earned_ytd, M("1000"));
    at_calc_result_free(&r);

    /* B has no plan: the manual line is reported, not paid */
    const at_calc_manual_line lost[] = {{b, jan, "manual/7", M("10"), NULL}};
    assert_int_equal(run_manual(w, "2026-01", "2026-01", lost, 1, &r), 101);
    assert_null(fw_line(w, &r, b, "2026-01", "manual/7"));
    assert_null(fw_payout(w, &r, b, "2026-01"));
    at_calc_result_free(&r);
    fw_free(w);
}

static void a_manual_line_of_a_closed_month_is_paid_late(void **state)
{
    (void)state;
    fw_world *w = fw_new();
    int32_t a = fw_person(w, "A");
    fw_plan(w, PLAN, 1);
    fw_assign(w, "A", a, "Flat", NULL, NULL, NULL);
    fw_booking(w, "A1", "2026-01-10", "10000", a);
    int32_t jan = fw_month(w, "2026-01");
    /* January closed paying its 1,000.00 commission; an adjustment of 250.00 for January was
       approved afterwards: recomputed January has it, the locked lines do not, so February
       pays the difference, 250.00, as a prior-period adjustment */
    w->closed[w->closed_count++] = jan;
    w->locked[w->locked_count++] = (at_calc_locked_line){a, jan, "Flat/c", M("1000")};
    const at_calc_manual_line manual[] = {{a, jan, "manual/1", M("250"), "late"}};
    at_calc_result r;
    assert_int_equal(run_manual(w, "2026-01", "2026-02", manual, 1, &r), 0);
    const at_calc_line *l = fw_line(w, &r, a, "2026-02", "adjust/manual/1/2026-01");
    assert_non_null(l);
    assert_int_equal(l->amount, M("250"));
    assert_int_equal(l->adjusts_month, jan);
    assert_int_equal(fw_payout(w, &r, a, "2026-01")->amount, M("1000")); /* as paid */
    assert_int_equal(fw_payout(w, &r, a, "2026-02")->amount, M("250"));
    at_calc_result_free(&r);

    /* locked with it already: nothing more to pay */
    w->locked[w->locked_count++] = (at_calc_locked_line){a, jan, "manual/1", M("250")};
    assert_int_equal(run_manual(w, "2026-01", "2026-02", manual, 1, &r), 0);
    assert_null(fw_line(w, &r, a, "2026-02", "adjust/manual/1/2026-01"));
    at_calc_result_free(&r);
    fw_free(w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(manual_lines_are_paid_not_earned),
        cmocka_unit_test(a_manual_line_of_a_closed_month_is_paid_late),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
