/* test_web_progress.c - a running calculation's progress by phase (api_runs.c): estimated from
 * the previous run's seconds per phase until the run's row shows that saving has started; no
 * previous run, no estimate; the fraction never reaches 1; a phase the run reports is the phase,
 * the estimate placing the fraction within it. Expected values worked by hand from
 * a previous run of load 10 s (+ plans 2 s), credit 20 s, calculate 8 s, save 10 s: 50 s. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <string.h>

#include "web/api.h"

static json_t *previous_seconds(void)
{
    return json_pack("{s:f, s:f, s:f, s:f, s:f}", "load", 10.0, "plans", 2.0, "credit", 20.0,
                     "calculate", 8.0, "save", 10.0);
}

static const char *phase_of(json_t *p)
{
    json_t *v = json_object_get(p, "phase");
    return json_is_string(v) ? json_string_value(v) : NULL;
}

static double fraction_of(json_t *p)
{
    return json_real_value(json_object_get(p, "fraction"));
}

static void estimated_phases(void **state)
{
    (void)state;
    json_t *s = previous_seconds();
    struct {
        double elapsed;
        const char *phase;
        double fraction;
    } cases[] = {
        {0, "load", 0.0},          /* 0 of 50 s */
        {11.9, "load", 0.238},     /* load + plans end at 12 s */
        {12, "credit", 0.24},
        {31.9, "credit", 0.638},   /* credit ends at 32 s */
        {32, "calculate", 0.64},
        {45, "calculate", 0.8},    /* past the estimate: held at 40 of 50 s */
        {500, "calculate", 0.8},   /* never save without the run's row */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        json_t *p = at_api_run_progress(cases[i].elapsed, 0, 7, s, NULL);
        assert_string_equal(phase_of(p), cases[i].phase);
        assert_true(fabs(fraction_of(p) - cases[i].fraction) < 1e-9);
        assert_false(json_is_true(json_object_get(p, "observed")));
        assert_int_equal(json_integer_value(json_object_get(p, "based_on_run")), 7);
        assert_true(fabs(json_real_value(json_object_get(json_object_get(p, "expected"), "load")) -
                         12.0) < 1e-9);
        json_decref(p);
    }
    json_decref(s);
}

static void saving_is_observed(void **state)
{
    (void)state;
    json_t *s = previous_seconds();
    /* the row appeared early: saving has started, at least 40 of 50 s along */
    json_t *p = at_api_run_progress(5, 12, 7, s, NULL);
    assert_string_equal(phase_of(p), "save");
    assert_true(json_is_true(json_object_get(p, "observed")));
    assert_true(fabs(fraction_of(p) - 0.8) < 1e-9);
    json_decref(p);
    /* 45 s: 0.9; past the whole estimate: held under 1 */
    p = at_api_run_progress(45, 12, 7, s, NULL);
    assert_true(fabs(fraction_of(p) - 0.9) < 1e-9);
    json_decref(p);
    p = at_api_run_progress(80, 12, 7, s, NULL);
    assert_true(fabs(fraction_of(p) - 0.99) < 1e-9);
    json_decref(p);
    json_decref(s);
}

static void without_a_previous_run(void **state)
{
    (void)state;
    json_t *p = at_api_run_progress(3, 0, 0, NULL, NULL);
    assert_null(phase_of(p));
    assert_true(json_is_null(json_object_get(p, "fraction")));
    assert_true(json_is_null(json_object_get(p, "expected")));
    assert_true(json_is_null(json_object_get(p, "based_on_run")));
    assert_int_equal(json_integer_value(json_object_get(p, "elapsed")), 3);
    json_decref(p);
    /* the row is observed even without an estimate */
    p = at_api_run_progress(3, 4, 0, NULL, NULL);
    assert_string_equal(phase_of(p), "save");
    assert_true(json_is_null(json_object_get(p, "fraction")));
    json_decref(p);
    /* a previous run that recorded no time at all gives no estimate */
    json_t *zero = json_pack("{s:f}", "load", 0.0);
    p = at_api_run_progress(3, 0, 7, zero, NULL);
    assert_null(phase_of(p));
    json_decref(p);
    json_decref(zero);
}

/* the phase the run said it started is the phase; the estimate places the fraction within
 * it: credit is [12 s, 32 s] of 50 s */
static void reported_phases(void **state)
{
    (void)state;
    json_t *s = previous_seconds();
    json_t *p = at_api_run_progress(5, 0, 7, s, "credit");
    assert_string_equal(phase_of(p), "credit");
    assert_true(json_is_true(json_object_get(p, "observed")));
    assert_true(fabs(fraction_of(p) - 0.24) < 1e-9); /* 12 / 50: not before the phase */
    json_decref(p);
    p = at_api_run_progress(20, 0, 7, s, "credit");
    assert_true(fabs(fraction_of(p) - 0.40) < 1e-9);
    json_decref(p);
    p = at_api_run_progress(40, 0, 7, s, "credit");
    assert_true(fabs(fraction_of(p) - 0.64) < 1e-9); /* 32 / 50: not past the phase */
    json_decref(p);
    p = at_api_run_progress(49, 0, 7, s, "save");
    assert_string_equal(phase_of(p), "save");
    assert_true(fabs(fraction_of(p) - 0.98) < 1e-9);
    json_decref(p);
    /* a phase the page does not know: the estimate, as before */
    p = at_api_run_progress(5, 0, 7, s, "bogus");
    assert_string_equal(phase_of(p), "load");
    assert_true(json_is_false(json_object_get(p, "observed")));
    json_decref(p);
    json_decref(s);
    /* no previous run: the phase, no fraction */
    p = at_api_run_progress(3, 0, 0, NULL, "calculate");
    assert_string_equal(phase_of(p), "calculate");
    assert_true(json_is_true(json_object_get(p, "observed")));
    assert_true(json_is_null(json_object_get(p, "fraction")));
    json_decref(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(estimated_phases),
        cmocka_unit_test(saving_is_observed),
        cmocka_unit_test(without_a_previous_run),
        cmocka_unit_test(reported_phases),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
