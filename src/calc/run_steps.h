/* run_steps.h - a calculation run in two steps: first the credit table, then the payees
 * computed over it. at_calc_run is the two together; an incremental run (pay/run.h) looks
 * between them, choosing the payees by their digests (calc/payee_digest.h). */
#ifndef ATTAIN_CALC_RUN_STEPS_H
#define ATTAIN_CALC_RUN_STEPS_H

#include "calc/calc.h"

/* Step 1: out gets the credit table (options: threads; only_people: only those payees'
 * credits, NULL: everyone's) and seconds_credit; no measures, lines or payouts yet. out is zeroed first and
 * owned by the caller (at_calc_result_free) whatever happens. */
at_code at_calc_run_credits(const at_calc_input *input, const at_calc_options *options,
                            at_calc_result *out, at_error *err);

/* Step 2: computes options->only_people (sorted; NULL: everyone) over out->credits (step 1's,
 * for the same input) into out's measures, lines and payouts (replacing any), and
 * seconds_calculate; the problems found are added for those payees only. */
at_code at_calc_run_payees(const at_calc_input *input, const at_calc_options *options,
                           at_calc_result *out, at_error_list *problems, at_error *err);

#endif
