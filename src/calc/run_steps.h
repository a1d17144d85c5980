/* run_steps.h - a calculation run in two steps, for incremental runs (pay/run.h): first the
 * credit table of the whole input, then the payees chosen after looking at it (payee digests,
 * calc/payee_digest.h), computed over that same table. The two steps together give, for the
 * payees computed, exactly what at_calc_run gives them (the same code on the same table). */
#ifndef ATTAIN_CALC_RUN_STEPS_H
#define ATTAIN_CALC_RUN_STEPS_H

#include "calc/calc.h"

/* Step 1: out gets the credit table of every person (options: threads; only_people is
 * ignored) and seconds_credit; no measures, lines or payouts yet. out is zeroed first and
 * owned by the caller (at_calc_result_free) whatever happens. */
at_code at_calc_run_credits(const at_calc_input *input, const at_calc_options *options,
                            at_calc_result *out, at_error *err);

/* Step 2: computes options->only_people (sorted; NULL: everyone) over out->credits (step 1's,
 * for the same input) into out's measures, lines and payouts (replacing any), and
 * seconds_calculate; the problems found are added for those payees only. */
at_code at_calc_run_payees(const at_calc_input *input, const at_calc_options *options,
                           at_calc_result *out, at_error_list *problems, at_error *err);

#endif
