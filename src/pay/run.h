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
 * imported in any order gives the same fingerprint and bit-identical results.
 *
 * Every run also keeps digests (calc/payee_digest.h, store/pay_store.h "payee digests"): one of
 * what every payee depends on, and one per payee of what that payee's calculation read. An
 * incremental run (options.incremental) starts from the latest done run of the same period,
 * months and payees (its base): when there is none, or the global digest differs, it is a full
 * run and full_reason says why; otherwise it makes the credit table (every payee's digest
 * needs it), computes and saves only the payees whose digest differs or who are new, and
 * carries the other payees' stored results over from the base (at_store_run_carry), so that
 * the run holds exactly what a full run would have stored, row for row.
 *
 * A full run too big for memory (options.credits_per_pass) counts each payee's credits first,
 * cuts the payees into passes and computes and saves one pass at a time into the same run:
 * payees depend only on their own credits, so the run stores what one pass would have. */
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
    bool incremental;         /* recompute only the payees whose inputs changed (see above) */
    /* Memory: a run whose credit table may not fit computes its payees in passes, each
     * holding only its payees' credits (every pass walks every transaction again). 0: passes
     * only when the transactions x 10 credits would take more than 60% of the memory
     * available, each pass then sized to that share; N > 0: passes of at most N credits. */
    int64_t credits_per_pass;
    /* Called as each phase starts ("load", "credit", "calculate", "save"; with passes, each
     * pass's credit, calculate and save), for progress; may be NULL. */
    void (*on_phase)(void *context, const char *phase);
    void *phase_context;
} at_pay_run_options;

typedef struct at_pay_run_report {
    int64_t run_id;
    char first_month[16], last_month[16];
    char input_sha256[65];
    size_t people, payees, transactions, credits, lines, touched;
    double seconds_load, seconds_plans, seconds_credit, seconds_calculate, seconds_save,
        seconds_total;
    size_t peak_rss_kb;       /* of the process, after the run */
    /* incremental runs */
    bool incremental;         /* the run carried payees over from base_run_id */
    int64_t base_run_id;
    size_t recomputed;        /* payees computed (changed, new) */
    size_t gone;              /* payees of the base run no longer in the data */
    int64_t rows_carried;     /* result rows copied from the base run */
    char full_reason[160];    /* asked for incremental but ran in full: why ("" otherwise) */
    double seconds_digest, seconds_carry;
    size_t passes;            /* 1, or the passes the payees were computed in (memory) */
    int64_t credits_per_pass; /* the most a pass held, when passes > 1 */
} at_pay_run_report;

at_code at_pay_run(at_store *store, const at_pay_run_options *options,
                   at_pay_run_report *report, at_error_list *problems, at_error *err);

#endif
