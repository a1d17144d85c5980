/* run.h - a calculation run: load the data and plan versions from the store, run the engine,
 * save the results as a run. The one path `attain calc`, the API and bench/calc take.
 *
 * A run for period P (a month, quarter, half or year label) computes every month from the
 * first month of P's fiscal year (or of `from`, when given, for late changes to an earlier
 * closed year) to P's last month: to-date windows, caps per year and draw balances need the
 * year's earlier months. Closed months inside that range are recomputed and compared with
 * what they locked; differences are paid as prior-period adjustments in the first open month.
 * Results are stored for the months from the first open month to P's last; a run whose range
 * is all closed changes nothing and says so.
 *
 * The input fingerprint (calc_runs.input_sha256) is a SHA-256 over the loaded data in a
 * canonical order (sorted by external ids) and the plan versions' hashes: the same data
 * imported in any order gives the same fingerprint and bit-identical results. */
#ifndef ATTAIN_PAY_RUN_H
#define ATTAIN_PAY_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "store/store.h"

typedef struct at_pay_run_options {
    const char *period;       /* "2026-03", "2026-Q1", ... (required) */
    const char *from;         /* an earlier period to start from, or NULL */
    const char *const *payees; size_t payee_count; /* external ids; none: everyone */
    int threads;              /* 0: as many as the machine has cores */
    const char *actor;        /* who runs it (audit), default "cli" */
    bool keep_explanations;   /* default true for stored runs */
} at_pay_run_options;

typedef struct at_pay_run_report {
    int64_t run_id;
    char first_month[16], last_month[16];
    char input_sha256[65];
    size_t people, payees, transactions, credits, lines, touched;
    double seconds_load, seconds_plans, seconds_credit, seconds_calculate, seconds_save,
        seconds_total;
    size_t peak_rss_kb;       /* of the process, after the run */
} at_pay_run_report;

at_code at_pay_run(at_store *store, const at_pay_run_options *options,
                   at_pay_run_report *report, at_error_list *problems, at_error *err);

#endif
