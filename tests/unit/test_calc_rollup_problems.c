/* test_calc_rollup_problems.c - the calculation's problem "credits but no plan assignment":
 * reported for a person credited as a seller (owner, split) with no plan, not for one who
 * only receives roll-up credits through the reporting lines (a CEO above everyone, on no
 * plan), and still reported when such a person also has a seller's credit. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "calc_fixtures.h"

static const char *const PLAN = "plan: P\ncurrency: USD\nmeasures: [{id: s}]\n"
                                "components: [{id: c, kind: rate, measure: s, rate: 10%}]\n";

/* Runs January 2026 and returns the problems (the caller frees them). */
static void run(fw_world *w, at_error_list *problems)
{
    const at_calc_input *in = fw_input(w, "2026-01", "2026-01");
    at_calc_result r;
    at_error err;
    at_error_list_init(problems, 10);
    assert_int_equal(at_calc_run(in, NULL, &r, problems, &err), AT_OK);
    at_calc_result_free(&r);
}

static void rollup_only_is_expected(void **state)
{
    (void)state;
    fw_world *w = fw_new();
    int32_t rep = fw_person(w, "REP"), vp = fw_person(w, "VP"), ceo = fw_person(w, "CEO");
    fw_plan(w, PLAN, 1);
    fw_assign(w, "A1", rep, "P", NULL, NULL, "1000");
    fw_reports(w, rep, vp, NULL, NULL);
    fw_reports(w, vp, ceo, NULL, NULL); /* VP and CEO: roll-up credits, no plan */
    fw_booking(w, "T1", "2026-01-10", "1000", rep);
    at_error_list problems;
    run(w, &problems);
    assert_int_equal(problems.total, 0);
    at_error_list_free(&problems);
    fw_free(w);
}

static void seller_without_plan_is_a_problem(void **state)
{
    (void)state;
    fw_world *w = fw_new();
    int32_t rep = fw_person(w, "REP"), ceo = fw_person(w, "CEO"), new_rep = fw_person(w, "NEW");
    fw_plan(w, PLAN, 1);
    fw_assign(w, "A1", rep, "P", NULL, NULL, "1000");
    fw_reports(w, rep, ceo, NULL, NULL);
    fw_reports(w, new_rep, ceo, NULL, NULL);
    fw_booking(w, "T1", "2026-01-10", "1000", rep);
    fw_booking(w, "T2", "2026-01-12", "500", new_rep); /* a seller on no plan */
    fw_booking(w, "T3", "2026-01-20", "700", ceo);     /* the CEO books a deal herself */
    at_error_list problems;
    run(w, &problems);
    /* the CEO (roll-ups from REP and NEW, and an owner credit) and NEW; REP is paid */
    assert_int_equal(problems.total, 2);
    bool ceo_seen = false, new_seen = false;
    for (size_t i = 0; i < problems.count; i++) {
        assert_non_null(strstr(problems.items[i].message, "no plan assignment"));
        ceo_seen |= strcmp(problems.items[i].where, "CEO") == 0;
        new_seen |= strcmp(problems.items[i].where, "NEW") == 0;
    }
    assert_true(ceo_seen);
    assert_true(new_seen);
    at_error_list_free(&problems);
    fw_free(w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rollup_only_is_expected),
        cmocka_unit_test(seller_without_plan_is_a_problem),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
