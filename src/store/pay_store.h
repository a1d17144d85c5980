/* pay_store.h - what the store keeps for pay: plan document versions, calculation runs and
 * their results, closed periods. Only the store speaks SQL; this header speaks plan and
 * engine types (plan/plan.h, calc/calc.h), which are plain data.
 *
 * Tables (schema version 3, added by a migration from version 2; SQL in store/schema.c):
 *   plan_versions  (id, name, version, effective_from, effective_to, source, sha256,
 *                   loaded_at, loaded_by, reason); UNIQUE(name, version)
 *   calc_runs      (id, period, first_month, last_month, payees JSON or NULL for everyone,
 *                   started_at, finished_at, status running|done|failed, actor, reason,
 *                   input_sha256, plan_versions JSON [{name, version, sha256}], people,
 *                   transactions, credits, lines, seconds JSON {phase: s}, message)
 *   calc_measures  (run_id, person_id, month, seq, assignment_id, plan, plan_version, measure,
 *                   month_value, value, credit_count, quota NULL when none, attainment)
 *   calc_lines     (run_id, person_id, month, seq, assignment_id, plan, plan_version,
 *                   component, kind, line_key, earned_to_date, earned, amount, currency,
 *                   fx_rate, adjusts_month, gated, capped, explain)
 *   calc_payouts   (run_id, person_id, month, currency, earned, amount, earned_ytd, paid_ytd,
 *                   draw_balance)
 *   calc_credits   (run_id, person_id, month, count, credits BLOB: see "credits, packed")
 *   closed_periods (month, closed_at, closed_by, run_id, reason)
 *   closed_lines   (month, person_id, line_key, amount, currency)
 * person_id and assignment_id are the internal ids of people and plan_assignments (no foreign
 * key: a run is a record of what was paid), months are fiscal month labels ("2026-03", which
 * sort in time order), money INTEGER at 1e-4, rates INTEGER at 1e-9. Version 3 also adds the
 * entity metrics (metrics.csv: person_id, metric, period, value), imported like the others.
 *
 * Everything here is for the SQLite store (pay_store_*.c); reads run in one read transaction
 * (a consistent snapshot), writes in their own transaction unless said otherwise, audited. */
#ifndef ATTAIN_STORE_PAY_STORE_H
#define ATTAIN_STORE_PAY_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "calc/calc.h"
#include "core/arena.h"
#include "core/date.h"
#include "core/error.h"
#include "core/fiscal.h"
#include "core/fx.h"
#include "store/store.h"

/* ---- plan versions ------------------------------------------------------------------------ */

typedef struct at_store_plan_version {
    int64_t id;
    const char *name;
    int version;              /* 1, 2, ... per name */
    at_day effective_from;    /* AT_DAY_MIN when open */
    at_day effective_to;      /* AT_DAY_MAX when open */
    const char *source;       /* the document as loaded (NULL when not asked for) */
    size_t source_length;
    const char *sha256;       /* of source, lower-case hex */
    at_time loaded_at;
    const char *loaded_by;
    const char *reason;       /* may be NULL */
} at_store_plan_version;

/* Stores a new version of the plan `name` (in its own transaction, audited as an insert of
 * plan_versions with actor and reason). When the latest version has the same sha256 and
 * effective dates nothing is written and *unchanged is true. *version is the version number
 * stored (or the latest, when unchanged). */
at_code at_store_plan_save(at_store *store, const char *name, const char *source,
                           size_t source_length, const char *sha256, at_day effective_from,
                           at_day effective_to, const char *actor, const char *reason,
                           int *version, bool *unchanged, at_error *err);

/* Calls fn for every version (name NULL: of every plan), by name then version. with_source
 * false leaves source NULL. Strings are valid during the call only. */
typedef at_code (*at_store_plan_fn)(void *ctx, const at_store_plan_version *version,
                                    at_error *err);
at_code at_store_plan_each(at_store *store, const char *name, bool with_source,
                           at_store_plan_fn fn, void *ctx, at_error *err);

/* One version (version 0: the latest), with its source, strings in arena. *found false when
 * there is none. */
at_code at_store_plan_get(at_store *store, const char *name, int version, at_arena *arena,
                          at_store_plan_version *out, bool *found, at_error *err);

/* ---- loading the engine's input -----------------------------------------------------------
 * at_store_calc_load reads, in one read transaction (a consistent snapshot), everything the
 * engine needs for the days [from, to] into an at_calc_input:
 *   people (all), reporting lines (all), leaves (employment_events leave_start .. the next
 *   leave_end), products (all), accounts (their count; indexes follow internal ids),
 *   transactions dated in [from, to] as columns, plus the originals of the cancellations among
 *   them (whatever their date: a cancellation mirrors its original's credits), the
 *   transaction_people rows of those, territory accounts and people (all), the quotas of people
 *   (territory quotas are not the engine's), plan assignments (all), metrics (all), activities
 *   dated in [from, to] when asked, the exchange rates, the currencies used anywhere (sorted),
 *   the fiscal calendar from settings as a table of the fiscal years around [from, to] (one
 *   before, one after), the closed months and their locked lines.
 * input->first_month and last_month are the months of from and to; plans are left for the
 * caller (parse data->plans with at_plan_read, then set input->plans) and so is
 * draw_balance_before. Indexes in the arrays are dense (0..n-1) in internal id order, never
 * internal ids; data keeps the way back (person_ids[i] is the internal id of people[i], ...).
 * Strings are interned in the arena (one copy of "USD", of each measure name, ...). */

typedef struct at_store_calc_load_options {
    bool activities;      /* load activities too (SPIFFs paid on activities) */
    /* Load only what these people's results need (external ids; statements, estimates):
     * every person still, but only the transactions that can credit one of them or someone
     * who reports to one of them (at any time, directly or not): owned or named on
     * (transaction_people) by one of those, or on an account of a territory one of them
     * covers at any time, and the cancellations of those (with the originals, as always).
     * data->only_people lists them for at_calc_options.only_people.
     * An unknown id is AT_ERR_NOT_FOUND. person_count 0: everyone. */
    const char *const *people;
    size_t person_count;
} at_store_calc_load_options;

typedef struct at_store_calc_data {
    /* the internal ids behind the dense indexes of the input */
    const int64_t *person_ids;       size_t person_count;
    const int64_t *transaction_ids;  size_t transaction_count;
    const int64_t *product_ids;      size_t product_count;
    const int64_t *account_ids;      size_t account_count;
    const int64_t *territory_ids;    size_t territory_count;
    const int64_t *assignment_ids;   size_t assignment_count;
    /* every version of every plan the assignments name, by name then version, with source;
       a plan named by an assignment but never loaded is simply absent (the engine reports it) */
    const at_store_plan_version *plans; size_t plan_count;
    /* with options.people: their dense indexes, sorted (else NULL, 0) */
    const int32_t *only_people;      size_t only_people_count;
    /* what input->calendar and input->fx point at: keep data where it is while the input is
       used, and free them with at_store_calc_data_free */
    at_fiscal_table calendar;
    at_fx_table fx;
    double seconds;                  /* the load's wall time */
    void *index;                     /* private: internal id -> dense index maps */
} at_store_calc_data;

/* Loads the input for the days [from, to] (see above). Memory is in arena and data (free data
 * with at_store_calc_data_free, then the arena). Errors: AT_ERR_INVALID when from > to or a
 * setting of the fiscal calendar is wrong (names the setting), AT_ERR_NOT_FOUND for an unknown
 * person of options.people, the store's errors. On error data is freed and input zeroed. */
at_code at_store_calc_load(at_store *store, at_day from, at_day to,
                           const at_store_calc_load_options *options, at_arena *arena,
                           at_calc_input *input, at_store_calc_data *data, at_error *err);
void at_store_calc_data_free(at_store_calc_data *data);

/* The dense index of an internal id in data (people, transactions), or -1. */
int32_t at_store_calc_person_index(const at_store_calc_data *data, int64_t person_id);
int32_t at_store_calc_transaction_index(const at_store_calc_data *data, int64_t transaction_id);

/* The fiscal calendar the settings describe (at_fiscal_calendar_from_settings over the
 * settings table), as a table of fiscal years first_year..last_year. */
at_code at_store_fiscal_table(at_store *store, int first_year, int last_year,
                              at_fiscal_table *table, at_error *err);

/* ---- credits, packed ----------------------------------------------------------------------
 * A run keeps its credits as one BLOB per (run, person, month) in calc_credits: tens of
 * millions of rows would take minutes to write, a few bytes per credit in a BLOB take
 * seconds. A run saves version 2: the records below compressed with zstd (layout in
 * pay_store_impl.h; a fifth of the bytes); version 1 stays readable and is what a blob of a
 * few credits is. Layout, version 1 (all integers little-endian base-128 varints, "s" ones
 * zigzag-encoded first: 0, -1, 1, -2 ... -> 0, 1, 2, 3 ...):
 *   u8       version (1)
 *   varint   count
 *   count times, in the run's credit order (date, then transaction external id, then kind):
 *     u8       flags: bits 0-2 kind (at_credit_kind), bit 3 a level byte follows, bit 4 a
 *              from_person follows, bit 5 a share follows (else the share is 1.0), bit 6 a
 *              margin follows (else 0); bit 7 is 0
 *     svarint  transaction id minus the previous credit's (the first: minus 0)
 *     svarint  date minus the previous credit's (the first: minus 0, i.e. the at_day)
 *     [u8      level]
 *     [svarint from_person: the seller's people.id]
 *     [svarint share, 1e-9]
 *     svarint  amount, 1e-4, in the transaction's currency
 *     [svarint margin, 1e-4]
 * Internal ids, not dense indexes: a stored run outlives the arrays it was computed from. */

#define AT_STORE_CREDITS_VERSION 1

typedef struct at_store_credit {
    int64_t transaction;      /* transactions.id */
    uint8_t kind;             /* at_credit_kind */
    uint8_t level;            /* roll-up level; 0 otherwise */
    int64_t from_person;      /* people.id of the seller (roll-up); 0 when none */
    at_rate share;
    at_money amount;
    at_money margin;
    at_day date;
} at_store_credit;

/* Packs credits into *blob (malloc'ed, the caller frees it) of *size bytes. AT_ERR_INVALID
 * for a kind >= AT_CREDIT_KIND_COUNT. */
at_code at_store_credits_encode(const at_store_credit *credits, size_t count, uint8_t **blob,
                                size_t *size, at_error *err);
/* Unpacks a blob (version 1 or 2) into *credits (in arena). AT_ERR_STORE for a blob that is
 * not a credits blob of either version or is cut short (the message says at which byte). */
at_code at_store_credits_decode(const uint8_t *blob, size_t size, at_arena *arena,
                                at_store_credit **credits, size_t *count, at_error *err);

/* ---- runs ---------------------------------------------------------------------------------- */

typedef struct at_store_run_info {
    const char *period;                 /* as asked: "2026-Q1" */
    const char *first_month, *last_month; /* the months the run stores: "2026-01", "2026-03" */
    const char *const *payees;          /* external ids; payee_count 0: everyone */
    size_t payee_count;
    const char *input_sha256;           /* the caller's fingerprint of data and plans */
    const at_store_plan_version *plans; /* the versions used (name, version, sha256) */
    size_t plan_count;
    const char *actor;                  /* required */
    const char *reason;                 /* may be NULL */
} at_store_run_info;

/* Creates the calc_runs row (status running) in its own transaction, audited as an insert of
 * calc_runs keyed by the run id. */
at_code at_store_run_begin(at_store *store, const at_store_run_info *info, int64_t *run_id,
                           at_error *err);

/* Which part of a result at_store_run_save writes: the months [first_month, last_month]
 * (calendar month indexes of input->calendar; the run's months: only the open ones are
 * stored) and, when people is not NULL, only those payees (dense indexes). */
typedef struct at_store_run_scope {
    int32_t first_month, last_month;
    const int32_t *people;
    size_t person_count;
} at_store_run_scope;

/* Writes a result's measure values, lines, payouts and credits (packed) for the scope, in one
 * transaction: everything or, on any error, nothing. The run must be running. input and data
 * are those the result was computed from (at_store_calc_load's). scope NULL: every month of
 * input->first_month..last_month, everyone. Lines of kind AT_LINE_DRAW etc. without a plan
 * component get component NULL. */
at_code at_store_run_save(at_store *store, int64_t run_id, const at_calc_input *input,
                          const at_store_calc_data *data, const at_calc_result *result,
                          const at_store_run_scope *scope, at_error *err);

/* Copies the results of run from_run (done) for the months [first_month, last_month] (labels)
 * into run_id (running): measure values, lines, payouts and credits of everyone but the people
 * given (internal ids, data->person_ids[i]). An incremental run recomputes the payees a change
 * touches, saves them with at_store_run_save (scope.people) and carries the others over. One
 * transaction; *rows (may be NULL) is the number of rows copied. */
at_code at_store_run_carry(at_store *store, int64_t run_id, int64_t from_run,
                           const char *first_month, const char *last_month,
                           const int64_t *except_people, size_t except_count, int64_t *rows,
                           at_error *err);

typedef struct at_store_run_phase {
    const char *name;                   /* "load", "credit", "calculate", "save" */
    double seconds;
} at_store_run_phase;

typedef struct at_store_run_stats {
    int64_t people, transactions, credits, lines;
    const at_store_run_phase *phases;   /* written as {"load": 1.25, ...} */
    size_t phase_count;
} at_store_run_stats;

/* Ends a running run: done (ok true) or failed (message says why), with its counts and
 * timings, in its own transaction, audited as an update of calc_runs. A failed run keeps
 * whatever was saved (nothing, when its save failed). AT_ERR_CONFLICT when the run is not
 * running; AT_ERR_NOT_FOUND when there is no such run. */
at_code at_store_run_finish(at_store *store, int64_t run_id, bool ok, const char *message,
                            const at_store_run_stats *stats, at_error *err);

/* The latest (highest id) run with status done whose months include month (a label): for
 * person NULL only runs for everyone, else also runs for a list of payees naming person (an
 * external id). *found false when there is none. */
at_code at_store_run_latest(at_store *store, const char *month, const char *person,
                            int64_t *run_id, bool *found, at_error *err);

typedef struct at_store_run_record {
    int64_t id;
    const char *period, *first_month, *last_month;
    const char *payees;               /* JSON array, or NULL for everyone */
    at_time started_at, finished_at;  /* finished_at 0 while running */
    const char *status, *actor, *reason, *input_sha256, *plan_versions, *seconds, *message;
    int64_t people, transactions, credits, lines;
} at_store_run_record;

/* One run's record (strings in arena). *found false when there is no such run. */
at_code at_store_run_get(at_store *store, int64_t run_id, at_arena *arena,
                         at_store_run_record *out, bool *found, at_error *err);

/* ---- payee digests: incremental runs (pay_store_digest.c) -----------------------------------
 * Schema version 6 keeps, per run, what its results were computed from (calc/payee_digest.h):
 *   calc_runs.global_digest  BLOB: what every payee depends on (NULL for runs made before)
 *   calc_runs.base_run_id    an incremental run: the run it carried untouched payees from
 *   calc_runs.recomputed     an incremental run: how many payees it computed again
 *   calc_payee_digests       (run_id, person_id, digest BLOB, lines): per payee of the run,
 *                            the digest of what its calculation read and how many earnings
 *                            lines it had (the run's line count is their sum)
 * An incremental run (pay/run.h) finds its base with at_store_run_base, compares digests,
 * computes and saves the payees whose digest differs (and the new ones), carries the others
 * over (at_store_run_carry) and records its digests with at_store_run_digests_save. */

#define AT_STORE_DIGEST_SIZE 32

typedef struct at_store_payee_digest {
    int64_t person_id;                     /* people.id */
    uint8_t digest[AT_STORE_DIGEST_SIZE];
    int64_t lines;                         /* the payee's earnings lines in the run */
} at_store_payee_digest;

typedef struct at_store_run_digests {
    const uint8_t *global;                 /* AT_STORE_DIGEST_SIZE bytes (required) */
    int64_t base_run_id;                   /* the run carried from; 0 for a full run */
    int64_t recomputed;                    /* incremental: the payees computed again */
    const at_store_payee_digest *payees;   /* every payee of the run, any order */
    size_t payee_count;
} at_store_run_digests;

/* Records a running run's digests, and for an incremental run its base and how many payees it
 * recomputed, in one transaction, audited as an update of calc_runs. AT_ERR_CONFLICT when the
 * run is not running, AT_ERR_NOT_FOUND when there is no such run, AT_ERR_INTERNAL for a
 * missing global digest or a payee given twice. */
at_code at_store_run_digests_save(at_store *store, int64_t run_id,
                                  const at_store_run_digests *digests, at_error *err);

/* The run an incremental run of `period` starts from: the latest (highest id) done run of the
 * same period, stored months (first_month..last_month labels) and payees (external ids, as a
 * set; none: a run for everyone) that has digests. *found false when there is none; *global
 * (may be NULL) gets its global digest. */
at_code at_store_run_base(at_store *store, const char *period, const char *first_month,
                          const char *last_month, const char *const *payees,
                          size_t payee_count, int64_t *run_id,
                          uint8_t global[AT_STORE_DIGEST_SIZE], bool *found, at_error *err);

/* A run's payee digests, by person_id (in arena); none for a run without digests. */
at_code at_store_run_digests_load(at_store *store, int64_t run_id, at_arena *arena,
                                  at_store_payee_digest **digests, size_t *count,
                                  at_error *err);

/* How a run was made. */
typedef struct at_store_run_origin {
    bool has_digests;          /* made by a version-6 attain: may be a base */
    bool incremental;          /* carried untouched payees from base_run_id */
    int64_t base_run_id, recomputed;
} at_store_run_origin;

at_code at_store_run_origin_get(at_store *store, int64_t run_id, at_store_run_origin *out,
                                bool *found, at_error *err);

/* ---- a stored result, read back --------------------------------------------------------------
 * One person's results of a run for a range of months, shaped as the engine's so that
 * statements read a stored run the way they read a fresh one. view->input holds what the
 * result refers to: every person (dense indexes in internal id order, as at_store_calc_load
 * makes them), every product and plan assignment, the currencies, calendar and exchange rates,
 * and as transactions only those the credits name plus their originals (current values: a
 * credit's own amount, share, margin and date are the run's). view->result has that person's
 * credits (in stored order, person_start over all people), measure values, lines and payouts
 * of the months (a credit whose transaction was deleted since the run has transaction -1).
 * Plans: a measure's or line's plan is matched by name and version in the plans
 * given (NULL when not given or not there; measure and component are then -1); the names are
 * in the parallel arrays. Everything is in arena, the calendar and fx in the view: free with
 * at_store_run_view_free (never at_calc_result_free). */
typedef struct at_store_run_view {
    int64_t run_id;
    int32_t person;                    /* the dense index of the person read */
    at_calc_input input;
    at_calc_result result;
    const char **measure_plan;  const int *measure_plan_version; const char **measure_id;
    const char **line_plan;     const int *line_plan_version;    const char **line_component;
    at_store_calc_data data;           /* the id maps, calendar and fx of input */
} at_store_run_view;

at_code at_store_run_read(at_store *store, int64_t run_id, const char *person,
                          const char *first_month, const char *last_month,
                          const at_plan *const *plans, size_t plan_count, at_arena *arena,
                          at_store_run_view *view, at_error *err);
void at_store_run_view_free(at_store_run_view *view);

/* ---- closing periods ------------------------------------------------------------------------ */

/* Closes a month: copies the lines of the latest done run for everyone covering it into
 * closed_lines (summed per person and line key) and records closed_periods, in one transaction,
 * audited as an insert of closed_periods. AT_ERR_CONFLICT when the month is closed already or
 * no done run for everyone covers it (the hint says to run `attain calc`); AT_ERR_INVALID for
 * a label that is not a month. *run_id (may be NULL) is the run whose lines were locked. */
at_code at_store_period_close(at_store *store, const char *month, const char *actor,
                              const char *reason, int64_t *run_id, at_error *err);

typedef struct at_store_closed_period {
    const char *month;
    at_time closed_at;
    const char *closed_by, *reason;
    int64_t run_id;
    int64_t lines;                    /* locked lines */
} at_store_closed_period;

/* Every closed month, in month order (strings in arena). */
at_code at_store_closed_list(at_store *store, at_arena *arena, at_store_closed_period **out,
                             size_t *count, at_error *err);

/* ---- payroll, accruals, cost of sales --------------------------------------------------------
 * Each reads, for a month, the run that holds what it pays: the run the month was closed with,
 * else the latest done run for everyone covering it (run_id 0), or the run given. */

typedef struct at_store_payroll_line {
    const char *key;                  /* line_key: "AE 2026/commission", "AE 2026/draw", ... */
    const char *kind;                 /* component, draw, draw_recovery, adjustment, deferred */
    at_money amount;
} at_store_payroll_line;

typedef struct at_store_payroll_row {
    const char *person_id, *name, *currency;
    at_money amount;                  /* paid this month (the payout) */
    at_money earned;                  /* the month's component lines */
    const at_store_payroll_line *lines; size_t line_count; /* in line order */
} at_store_payroll_row;

/* The month's payroll, one row per person with a payout, by person external id. *run_id is
 * the run read; *found false (and no rows) when no run holds the month. */
at_code at_store_payroll(at_store *store, const char *month, int64_t *run_id, bool *found,
                         at_arena *arena, at_store_payroll_row **rows, size_t *count,
                         at_error *err);

typedef struct at_store_accrual_row {
    const char *person_id, *name, *currency;
    at_money earned_ytd, paid_ytd;
    at_money accrued;                 /* earned_ytd - paid_ytd: earned, not yet paid */
    at_money draw_balance;
} at_store_accrual_row;

/* Accruals at the end of a month, one row per person, by external id (as at_store_payroll). */
at_code at_store_accruals(at_store *store, const char *month, int64_t *run_id, bool *found,
                          at_arena *arena, at_store_accrual_row **rows, size_t *count,
                          at_error *err);

typedef struct at_store_cost_row {
    const char *month;
    const char *plan;                 /* NULL for lines without a plan */
    const char *component;            /* component id; NULL for draws and adjustments */
    const char *kind;
    const char *currency;             /* the pay currency the amounts are in */
    at_money amount;                  /* paid */
    at_money earned;                  /* earned, in the plan's currency (exact) */
    int64_t people;
} at_store_cost_row;

/* Cost of sales per plan component and month for the months [first_month, last_month] (labels),
 * each month read from its run as above; months no run holds are left out. Ordered by month,
 * plan, component, kind, currency. */
at_code at_store_cost_of_sales(at_store *store, const char *first_month,
                               const char *last_month, at_arena *arena,
                               at_store_cost_row **rows, size_t *count, at_error *err);

#endif
