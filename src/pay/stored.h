/* stored.h - statements and estimates read from the store: the glue between the store's
 * stored runs (store/pay_store.h), the plan reader and the statement builder / estimator
 * (pay/statement.h, pay/estimate.h), shared by the CLI and the API.
 *
 * A statement is read from a stored run: by default the latest done run that covers the month
 * for everyone or for the payee; closed months show what they locked (the run they were
 * closed with). An estimate loads the payee's data for the fiscal year of the deal's date and
 * runs the engine twice (pay/estimate.h); nothing is stored. */
#ifndef ATTAIN_PAY_STORED_H
#define ATTAIN_PAY_STORED_H

#include <stdint.h>

#include "core/arena.h"
#include "core/error.h"
#include "pay/estimate.h"
#include "pay/statement.h"
#include "store/pay_store.h"
#include "store/store.h"

/* What a stored statement or estimate keeps alive until at_pay_stored_free. */
typedef struct at_pay_stored {
    at_arena arena;
    at_store_run_view view;
    bool has_view;
    at_calc_input input;
    at_store_calc_data data;
    bool has_data;
    int64_t run_id;
} at_pay_stored;

/* The statement of payee (external id) for month (a fiscal month label, "2026-03"), from run
 * run_id (0: the latest done run covering the month). Company name from settings. Errors:
 * AT_ERR_NOT_FOUND naming the payee, or the month when no run covers it (hint: run `attain
 * calc --period ...`); AT_ERR_INVALID for a label that is not a month. */
at_code at_pay_statement(at_store *store, const char *payee, const char *month, int64_t run_id,
                         at_pay_stored *keep, at_statement *out, at_error *err);

/* What one more booking would pay payee: amount in currency (NULL: the payee's pay currency),
 * on product (external id, or NULL), dated date. */
at_code at_pay_estimate(at_store *store, const char *payee, at_money amount,
                        const char *currency, const char *product, at_day date,
                        at_pay_stored *keep, at_estimate_result *out, at_error *err);

void at_pay_stored_free(at_pay_stored *keep);

/* Parses every stored version of every plan (for reading runs back), in arena. */
at_code at_pay_read_stored_plans(at_store *store, at_arena *arena, const at_plan ***plans,
                                 size_t *count, at_error *err);

#endif
