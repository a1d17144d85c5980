/* calc.h - the calculation engine: transactions and plans in, credits, measures, attainment,
 * earnings lines and payouts out. Pure C over arrays: no SQL, no files, no sockets. The store
 * (store/pay_store.h) loads an at_calc_input from the database and saves an at_calc_result;
 * the CLI, the API and the benchmarks call the engine the same way.
 *
 * What a run computes, for every payee and every fiscal month from input->first_month to
 * input->last_month (months are indexes into input->calendar->periods[AT_PERIOD_MONTH]):
 *  1. credits (calc/credit.c): each transaction gives credits to people by kind (owner,
 *     split, overlay, sdr, manager, rollup, territory; plan.h at_credit_kind). The owner and
 *     the split partners share the amount: it is allocated exactly to the 1/10,000 with
 *     at_money_allocate in proportion to the shares (owner first, then partners by person id,
 *     so the spare 0.0001 goes to the largest remainder, ties to the owner): credits of one
 *     transaction add up to its amount exactly. Overlays, SDRs, named managers are credited
 *     amount x share (rounded half-even to 0.0001) on top; roll-up and territory credits repeat
 *     the credit they come from. A cancellation mirrors its original's credits (scaled by the
 *     cancelled fraction), dated on its own date, marked with the original.
 *  2. measures: per payee, plan assignment, measure and month, the credits the measure counts
 *     (kinds, filters, the assignment's days), converted to the plan's currency (per credit,
 *     half-even to 0.0001, at the rate of the plan's fx date), summed for the month and for
 *     the measure's window to date; the quota for the window (prorated by days when the plan
 *     says so) and attainment = value / quota (half-even to 1e-9).
 *  3. earnings: each component's line for the month, in the plan's currency, then in the pay
 *     currency (at the month's last day's rate), rounded once to the pay currency's minor unit
 *     with the plan's rounding mode; caps; gates; the draw; payouts on the plan's frequency
 *     (pay = earned to date - paid to date); prior-period adjustments for closed months.
 *
 * Results never depend on the order of the input arrays: every sum is exact integer
 * arithmetic, and every choice that needs an order (allocation, ties) uses external ids.
 * Payees are independent once credits exist, so the engine may compute them on several
 * threads (options.threads) with identical results. */
#ifndef ATTAIN_CALC_CALC_H
#define ATTAIN_CALC_CALC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/date.h"
#include "core/error.h"
#include "core/fiscal.h"
#include "core/fx.h"
#include "core/money.h"
#include "plan/plan.h"

/* ---- input -------------------------------------------------------------------------------- */

typedef enum at_tx_type {
    AT_TX_BOOKING = 0,
    AT_TX_INVOICE,
    AT_TX_PAYMENT,
    AT_TX_CANCELLATION,
} at_tx_type;

typedef enum at_tx_role {   /* transaction_people.role */
    AT_TX_ROLE_SPLIT = 0,
    AT_TX_ROLE_OVERLAY,
    AT_TX_ROLE_SDR,
    AT_TX_ROLE_MANAGER,
} at_tx_role;

typedef enum at_coverage_role { /* territory_people.role */
    AT_COVER_OWNER = 0,
    AT_COVER_OVERLAY,
    AT_COVER_MANAGER,
} at_coverage_role;

/* A currency as the engine refers to it: an index into input->currencies. */
typedef int16_t at_calc_currency;

typedef struct at_calc_person {
    const char *id;           /* external id: sorts and ties use it */
    const char *name;
    at_day hire;              /* AT_DAY_MIN when not given */
    at_day exit;              /* AT_DAY_MAX while employed */
    at_calc_currency pay_currency;
} at_calc_person;

typedef struct at_calc_reporting_line {
    int32_t person, manager;
    at_day start, end;        /* inclusive; AT_DAY_MAX when open */
} at_calc_reporting_line;

/* A leave of absence (employment_events leave_start .. the next leave_end, inclusive;
 * AT_DAY_MAX while on leave): excluded from days on plan for proration. */
typedef struct at_calc_leave {
    int32_t person;
    at_day start, end;
} at_calc_leave;

typedef struct at_calc_product {
    const char *id;
    const char *family;
} at_calc_product;

/* Transactions as columns (structure of arrays): row i of every column is transaction i. */
typedef struct at_calc_transactions {
    size_t count;
    const char **id;              /* external ids */
    uint8_t *type;                /* at_tx_type */
    at_day *date;
    at_money *amount;             /* negative for a cancellation */
    at_calc_currency *currency;
    at_money *margin;             /* 0 when not given (has_margin says) */
    uint8_t *has_margin;
    int64_t *quantity;            /* 0 when not given */
    int32_t *product;             /* index into products, -1 when none */
    int32_t *account;             /* index into accounts (territory crediting), -1 when none */
    int32_t *owner;               /* index into people */
    int32_t *original;            /* a cancellation's original, -1 otherwise */
} at_calc_transactions;

typedef struct at_calc_tx_person {
    int32_t transaction, person;
    uint8_t role;                 /* at_tx_role */
    at_rate share;                /* 0..1 */
} at_calc_tx_person;

typedef struct at_calc_territory_account {
    int32_t territory, account;
    at_day start, end;
} at_calc_territory_account;

typedef struct at_calc_territory_person {
    int32_t territory, person;
    uint8_t role;                 /* at_coverage_role */
    at_day start, end;
} at_calc_territory_person;

typedef struct at_calc_quota {
    int32_t person;
    const char *measure;          /* quotas.csv measure: matched with at_plan_measure.quota */
    at_period_kind kind;
    int fiscal_year, number;      /* the period, as in at_period */
    at_money amount;              /* at 1e-4 for every measure: money, or a count/units x
                                     10,000 (quotas.csv stores counts as whole amounts) */
    at_calc_currency currency;    /* -1 for counts */
} at_calc_quota;

typedef struct at_calc_assignment {
    const char *id;               /* plan_assignments.csv id */
    int32_t person;
    const char *plan;             /* the plan's name; versions in input->plans */
    at_day start, end;            /* inclusive; AT_DAY_MAX when open */
    at_money target_incentive;    /* per year; 0 when not given */
    at_calc_currency currency;    /* of target_incentive; -1 when not given */
} at_calc_assignment;

typedef struct at_calc_metric {
    int32_t person;
    const char *metric;
    at_period_kind kind;
    int fiscal_year, number;
    int64_t value;                /* at 1e-9 (as at_rate); the plan's declared unit says what
                                     it means: money = value / 1e5 in money units */
} at_calc_metric;

typedef struct at_calc_activity {
    int32_t person;
    uint8_t type;                 /* index into the activity type names: call, email,
                                     meeting, conversation */
    uint8_t meaningful;
    at_day day;
} at_calc_activity;

/* What a closed month paid: the locked lines (one per payee, month and line key) that
 * recomputation is compared with; differences become prior-period adjustments in the first
 * open month computed. */
typedef struct at_calc_locked_line {
    int32_t person;
    int32_t month;                /* index into calendar months */
    const char *key;              /* the line's stable key (at_calc_line.key) */
    at_money amount;              /* in the pay currency, as paid */
} at_calc_locked_line;

/* A manual line: an amount paid to a person in a month outside any plan (an approved manual
 * adjustment, store/workflow_store.h). The engine adds it to the month as a line of kind
 * adjustment (adjusts_month -1, component -1, no plan), after the plan's lines and draws, in the
 * pay currency as given: it counts in the month's payout (amount, paid to date) but not in
 * earnings (payout.earned) nor toward a draw. Lines of a month come in key order. */
typedef struct at_calc_manual_line {
    int32_t person;
    int32_t month;                /* index into calendar months */
    const char *key;              /* unique per person: "manual/<adjustment id>" */
    at_money amount;              /* pay currency, at its minor unit */
    const char *explain;          /* why, for the statement (NULL: none) */
} at_calc_manual_line;

typedef struct at_calc_input {
    const at_fiscal_table *calendar;
    int32_t first_month, last_month;      /* the months to compute (inclusive) */
    const char *const *currencies;        /* "USD", ...: at_calc_currency indexes these */
    size_t currency_count;
    const at_fx_table *fx;                /* finished */

    const at_calc_person *people;                   size_t person_count;
    const at_calc_reporting_line *reporting_lines;  size_t reporting_line_count;
    const at_calc_leave *leaves;                    size_t leave_count;
    const at_calc_product *products;                size_t product_count;
    size_t account_count;
    at_calc_transactions transactions;
    const at_calc_tx_person *tx_people;             size_t tx_person_count;
    const at_calc_territory_account *territory_accounts; size_t territory_account_count;
    const at_calc_territory_person *territory_people;    size_t territory_person_count;
    const at_calc_quota *quotas;                    size_t quota_count;
    const at_calc_assignment *assignments;          size_t assignment_count;
    /* every version of every plan assigned: the version used for a month is the highest
       version in force on the first day the assignment covers in that month */
    const at_plan *const *plans;                    size_t plan_count;
    const at_calc_metric *metrics;                  size_t metric_count;
    const at_calc_activity *activities;             size_t activity_count;
    const at_calc_locked_line *locked;              size_t locked_count;
    /* the months that are closed (sorted); their lines are locked */
    const int32_t *closed_months;                   size_t closed_month_count;
    /* a recoverable draw's balance owed at the start of first_month, per person (NULL: 0) */
    const at_money *draw_balance_before;
    /* manual lines (approved adjustments) of the months computed; others are ignored */
    const at_calc_manual_line *manual;              size_t manual_count;
} at_calc_input;

typedef struct at_calc_options {
    int threads;              /* 0 or 1: one thread */
    const int32_t *only_people; /* compute these payees only (sorted); NULL: everyone; the
                                   result's credits are then theirs only */
    size_t only_people_count;
    bool keep_explanations;   /* fill at_calc_line.explain (statements); false for benchmarks */
} at_calc_options;

/* ---- output ------------------------------------------------------------------------------- */

/* Credits as columns, sorted by (person, date, transaction external id, kind, level), then
 * (for credits that tie on all of these) by the external id of from_person, the coverage
 * role, the amount and the share: a total order, so the table never depends on input order. */
typedef struct at_calc_credits {
    size_t count;
    int32_t *transaction;
    int32_t *person;
    uint8_t *kind;            /* at_credit_kind */
    uint8_t *level;           /* roll-up level (1 = the seller's manager); 0 otherwise */
    int32_t *from_person;     /* roll-up: the seller; -1 otherwise */
    at_rate *share;           /* the share credited (1.0 for roll-up and territory) */
    at_money *amount;         /* in the transaction's currency */
    at_money *margin;
    at_day *date;
    int32_t *month;           /* calendar month index of date; -1 outside the calendar */
    uint8_t *role;            /* territory credits: the coverage role (at_coverage_role);
                                 0 for the other kinds */
    /* first credit of each person: credits of person p are [person_start[p],
       person_start[p + 1]) */
    size_t *person_start;     /* person_count + 1 entries */
    /* NULL in every table the engine hands out. Set only in a session's working table, where
       person p's credits end at person_end[p] and rows up to the next block are room */
    size_t *person_end;
} at_calc_credits;

typedef struct at_calc_measure_value {
    int32_t person, month;
    int32_t assignment;       /* index into input->assignments */
    const at_plan *plan;
    int16_t measure;          /* index into plan->measures */
    /* measure values are at 1e-4 whatever they sum: money as money, a count of 3 deals or
       3 units as 3.0000 (30,000), so that value / quota and amount tiers read alike */
    at_money month_value;     /* this month's credits */
    at_money value;           /* the window to date */
    int64_t credit_count;     /* credits counted in the window */
    bool has_quota;
    at_money quota;           /* for the window, after proration */
    at_rate attainment;       /* value / quota; 0 without a quota */
} at_calc_measure_value;

typedef enum at_line_kind {
    AT_LINE_COMPONENT = 0,    /* a plan component's earnings for the month */
    AT_LINE_DRAW,             /* a draw paid up to the guarantee (advance or forgiven) */
    AT_LINE_DRAW_RECOVERY,    /* a recoverable draw's balance recovered (negative) */
    AT_LINE_ADJUSTMENT,       /* a closed month's line recomputed: the difference */
    AT_LINE_DEFERRED,         /* earned now, paid at the plan's frequency (negative now,
                                 positive in the paying month) */
} at_line_kind;
const char *at_line_kind_name(at_line_kind kind); /* "component", "draw", ... */

typedef struct at_calc_line {
    int32_t person, month;
    int32_t assignment;
    const at_plan *plan;
    int16_t component;        /* index into plan->components; -1 for draw and adjustments */
    uint8_t kind;             /* at_line_kind */
    /* a stable key: "<plan name>/<component id>", "<plan>/draw", "adjust/<key>/<month label>" */
    const char *key;
    at_money earned_to_date;  /* the window to date, plan currency, exact (1e-4) */
    at_money earned;          /* this month, plan currency, exact: to date - earlier months */
    at_money amount;          /* paid this month, pay currency, rounded to its minor unit */
    at_rate fx_rate;          /* plan currency -> pay currency (1.0 when the same) */
    int32_t adjusts_month;    /* AT_LINE_ADJUSTMENT: the closed month corrected; else -1 */
    bool gated;               /* the gate was false: paid 0 */
    bool capped;              /* a cap cut the line */
    /* for people: the formula with the numbers put in, the rounding applied, why it is 0 */
    const char *explain;
} at_calc_line;

typedef struct at_calc_payout {
    int32_t person, month;
    at_calc_currency currency; /* the pay currency */
    at_money earned;           /* the month's component lines (rounded, pay currency) */
    at_money amount;           /* paid: every line of the month */
    at_money earned_ytd, paid_ytd;
    at_money draw_balance;     /* a recoverable draw's balance owed after the month (>= 0) */
} at_calc_payout;

typedef struct at_calc_result {
    at_calc_credits credits;
    at_calc_measure_value *measures; size_t measure_count; /* by person, month, assignment,
                                                              measure */
    at_calc_line *lines;             size_t line_count;    /* by person, month, line order */
    at_calc_payout *payouts;         size_t payout_count;  /* by person, month */
    /* counts and timings (seconds) of the phases, for `attain calc` and bench/calc */
    double seconds_credit, seconds_calculate;
    at_arena arena;                  /* explanations and keys */
} at_calc_result;

/* Runs the calculation. Problems in the data that do not stop the run (a payee with no plan
 * assignment but credits, a quota missing for a measure whose components need attainment, an
 * exchange rate missing) are added to problems with where = the payee / plan / month and a
 * hint, and the affected lines are 0 with an explanation; errors that stop it (a plan
 * version missing for an assignment, overflow) return an error. out is zeroed first and
 * owned by the caller (at_calc_result_free) whatever happens. */
at_code at_calc_run(const at_calc_input *input, const at_calc_options *options,
                    at_calc_result *out, at_error_list *problems, at_error *err);

void at_calc_result_free(at_calc_result *result);

/* How many credits each person gets over the input's transactions (per_person has
 * input->person_count entries), without keeping any: the first half of making the credit
 * table. A caller short of memory cuts the payees into passes with at_calc_plan_passes and
 * runs each with only_people, which keeps only that pass's credits. */
at_code at_calc_credits_per_person(const at_calc_input *input,
                                   const at_calc_options *options, int64_t *per_person,
                                   at_error *err);

/* Cuts the payees 0..person_count-1 into consecutive passes of at most most_credits credits
 * each (a person with more is a pass alone): pass k is payees [starts[k], starts[k + 1]).
 * *starts has *pass_count + 1 entries (malloc'd, the caller frees). */
at_code at_calc_plan_passes(const int64_t *per_person, size_t person_count, int64_t most_credits,
                            size_t **starts, size_t *pass_count, at_error *err);

/* ---- incremental -------------------------------------------------------------------------
 * A session keeps a run's input (its own copy of the transaction columns and what they
 * credit) and results in memory, and takes changes: a transaction added, changed, or
 * cancelled (a cancellation is an added transaction). Applying a change recomputes only the
 * payees whose credits it touches (before and after: owner, partners, roll-up managers,
 * territory coverage) and replaces their results. The results after any sequence of changes
 * are identical, bit for bit, to a full at_calc_run over the changed data (tested on
 * generated data with many random changes). Meant for `attain serve` and bench/calc's
 * "one late transaction" figure (aim: under 100 ms at size M). */
typedef struct at_calc_session at_calc_session;

typedef enum at_calc_change_kind {
    AT_CHANGE_ADD = 0,     /* a new transaction (id not in the session) */
    AT_CHANGE_UPDATE,      /* new values for an existing transaction (matched by id) */
    AT_CHANGE_DELETE,      /* a transaction removed (matched by id) */
} at_calc_change_kind;

/* One transaction's values, as a row of at_calc_transactions (strings copied by the
 * session), plus its transaction_people rows. */
typedef struct at_calc_change {
    at_calc_change_kind kind;
    const char *id;
    at_tx_type type;
    at_day date;
    at_money amount;
    at_calc_currency currency;
    at_money margin;
    bool has_margin;
    int64_t quantity;
    int32_t product, account, owner;
    const char *original_id;      /* cancellations: the original's id; NULL otherwise */
    const at_calc_tx_person *people; size_t people_count; /* transaction field ignored */
} at_calc_change;

/* Runs the full calculation and keeps it. The input's other arrays (people, plans, ...) are
 * borrowed and must outlive the session; transactions and tx_people are copied. */
at_code at_calc_session_open(const at_calc_input *input, const at_calc_options *options,
                             at_calc_session **out, at_error_list *problems, at_error *err);
/* Applies changes in order and recomputes what they touch. *touched (may be NULL) is how many
 * payees were recomputed. On error the session is unchanged. */
at_code at_calc_session_apply(at_calc_session *session, const at_calc_change *changes,
                              size_t count, size_t *touched, at_error_list *problems,
                              at_error *err);
/* The session's current results (valid until the next apply or close); NULL when memory runs
 * out. The credit table is copied out of the session's working table on the first call after
 * a change (the session keeps room between people's credits so that changes stay cheap). */
const at_calc_result *at_calc_session_result(const at_calc_session *session);
/* The session's current input: the borrowed arrays, with the session's own transaction and
 * transaction_people copies (changes applied; a deleted transaction's row is taken by the
 * last row). A full at_calc_run over it gives the session's results (valid until the next
 * apply or close). */
const at_calc_input *at_calc_session_input(const at_calc_session *session);
void at_calc_session_close(at_calc_session *session);

/* Whether a credit counts toward a measure (kind, level, basis, product filters, dates): the
 * rule the engine applies, exposed for statements' drill-down. */
bool at_calc_measure_counts(const at_plan_measure *measure, const at_calc_input *input,
                            const at_calc_credits *credits, size_t credit);
/* The whole rule for one plan assignment: at_calc_measure_counts, the credit dated within the
 * assignment's days, and for a cancellation credit the plan's clawback window (dated at most
 * clawback.within_days after its original). *scale (may be NULL) is the share the credit
 * counts with: the plan's clawback share for a cancellation credit, 100% otherwise. */
bool at_calc_credit_counts(const at_plan *plan, int measure,
                           const at_calc_assignment *assignment, const at_calc_input *input,
                           const at_calc_credits *credits, size_t credit, at_rate *scale);

#endif
