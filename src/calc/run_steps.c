/* run_steps.c - a run in two steps (run_steps.h): the credit table, then the payees chosen,
 * with the engine's own parts (calc_internal.h) as at_calc_run uses them. */
#include "calc/run_steps.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "calc/calc_internal.h"

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

at_code at_calc_run_credits(const at_calc_input *input, const at_calc_options *options,
                            at_calc_result *out, at_error *err)
{
    memset(out, 0, sizeof *out);
    at_arena_init(&out->arena, 0);
    if (!input)
        return at_fail(err, AT_ERR_INVALID, NULL, NULL, "at_calc_run_credits needs an input");
    calc_ctx ctx;
    calc_credit_index ix = {0};
    at_code c = calc_ctx_build(&ctx, input, options, &out->arena, err);
    if (c != AT_OK) {
        at_calc_result_free(out);
        return c;
    }
    c = calc_credit_index_build(input, &ix, err);
    /* a run for some payees makes only their credits */
    uint8_t *keep = NULL;
    if (c == AT_OK && options && options->only_people) {
        int32_t *payees = NULL;
        size_t np = 0;
        c = calc_payee_list(input, options, &payees, &np, err);
        if (c == AT_OK && !(keep = calloc(input->person_count + 1, 1)))
            c = at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory choosing the payees");
        for (size_t i = 0; keep && i < np; i++)
            keep[payees[i]] = 1;
        free(payees);
    }
    double t0 = now_seconds();
    if (c == AT_OK)
        c = calc_make_credits_for(&ctx, &ix, options ? options->threads : 1, keep,
                                  &out->credits, err);
    out->seconds_credit = now_seconds() - t0;
    free(keep);
    calc_credit_index_free(&ix);
    calc_ctx_free(&ctx);
    if (c != AT_OK)
        at_calc_result_free(out);
    return c;
}

at_code at_calc_run_payees(const at_calc_input *input, const at_calc_options *options,
                           at_calc_result *out, at_error_list *problems, at_error *err)
{
    if (!input || !out || (!out->credits.person_start && input->person_count))
        return at_fail(err, AT_ERR_INVALID, NULL, "make the credits first (at_calc_run_credits)",
                       "at_calc_run_payees needs an input and its credit table");
    free(out->measures);
    free(out->lines);
    free(out->payouts);
    out->measures = NULL;
    out->lines = NULL;
    out->payouts = NULL;
    out->measure_count = out->line_count = out->payout_count = 0;
    calc_ctx ctx;
    at_code c = calc_ctx_build(&ctx, input, options, &out->arena, err);
    if (c != AT_OK)
        return c;
    int32_t *payees = NULL;
    size_t np = 0;
    calc_payee_results res = {0};
    double t0 = now_seconds();
    c = calc_payee_list(input, options, &payees, &np, err);
    if (c == AT_OK)
        c = calc_compute_payees(&ctx, &out->credits, payees, np, options ? options->threads : 1,
                                &res, &out->arena, err);
    if (c == AT_OK) {
        out->measures = res.measures;
        out->measure_count = res.measure_count;
        out->lines = res.lines;
        out->line_count = res.line_count;
        out->payouts = res.payouts;
        out->payout_count = res.payout_count;
        if (calc_add_problems(problems, &res, NULL, NULL) != AT_OK)
            c = at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory recording problems");
        free(res.problems);
        free(res.payee_start);
    }
    out->seconds_calculate = now_seconds() - t0;
    free(payees);
    calc_ctx_free(&ctx);
    return c;
}
