/* plan.h - a compensation plan as attain holds it in memory: the checked, compiled form of a
 * plan document (YAML or JSON, see docs/plans.md and examples/plans/).
 *
 * A plan names its measures (which credits count and how they add up), how a cancellation
 * claws back, its components (what is paid on the measures), an optional draw, and the rules
 * for currency, rounding and proration. The calculation engine (calc/calc.h) reads only this
 * structure; the reader (plan_read.c) builds it from a document and keeps every node's
 * file:line:column so that errors found later (a formula's units, a quota missing for a
 * measure) can still point into the document.
 *
 * Units: money is at_money (1e-4) in the plan's currency; rates, shares and attainment are
 * at_rate (1e-9): 5% = 50,000,000, 100% attainment = 1,000,000,000. Counts are plain int64.
 *
 * Memory: a plan and everything it points to live in the arena given to at_plan_read; free
 * the arena to free the plan. A compiled plan is read-only and may be shared by threads. */
#ifndef ATTAIN_PLAN_PLAN_H
#define ATTAIN_PLAN_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/date.h"
#include "core/error.h"
#include "core/money.h"
#include "core/str.h"
#include "plan/formula.h"

/* Where a node was written: "plans/ae.yaml", line and column, 1-based (0 when unknown). */
typedef struct at_plan_pos {
    const char *file;
    int line;
    int column;
} at_plan_pos;

/* ---- measures ----------------------------------------------------------------------------- */

/* Which transactions a measure counts, by transaction type. A measure over bookings also sees
 * the cancellations of bookings (see at_plan_clawback), and the same for invoices/payments. */
typedef enum at_plan_basis {
    AT_BASIS_BOOKING = 0, /* transactions of type booking */
    AT_BASIS_INVOICE,     /* type invoice */
    AT_BASIS_PAYMENT,     /* type payment */
} at_plan_basis;

/* What a measure adds up over its credits. */
typedef enum at_plan_sum {
    AT_SUM_AMOUNT = 0, /* the credited amount (money) */
    AT_SUM_MARGIN,     /* the credited margin (money; a credit without margin adds 0) */
    AT_SUM_COUNT,      /* one per credited transaction (a cancellation counts -1) */
    AT_SUM_QUANTITY,   /* the transaction's quantity (units; a credit without quantity adds 0) */
    AT_SUM_FORMULA,    /* a formula per credit (money), e.g. "amount - 0.5 * margin" */
} at_plan_sum;

/* How a measure accumulates over the fiscal calendar. The engine computes every fiscal month;
 * a to-date measure is the sum from the start of the quarter (year) to the month's end. */
typedef enum at_plan_window {
    AT_WINDOW_MONTH = 0,       /* the month alone */
    AT_WINDOW_QUARTER_TO_DATE, /* quarter to date */
    AT_WINDOW_HALF_TO_DATE,    /* half to date */
    AT_WINDOW_YEAR_TO_DATE,    /* fiscal year to date */
} at_plan_window;

/* The kinds of credit a transaction gives (calc/credit.c makes them). A measure counts the
 * kinds it lists; default: owner and split. */
typedef enum at_credit_kind {
    AT_CREDIT_OWNER = 0, /* the transaction's owner: amount x (1 - the split shares) */
    AT_CREDIT_SPLIT,     /* a split partner (transaction_people role split): amount x share */
    AT_CREDIT_OVERLAY,   /* an overlay specialist (role overlay): amount x share, on top */
    AT_CREDIT_SDR,       /* the SDR named on the transaction (role sdr): amount x share */
    AT_CREDIT_MANAGER,   /* a manager named on the transaction (role manager): amount x share */
    AT_CREDIT_ROLLUP,    /* a manager above an owner or split partner in the effective-dated
                            hierarchy on the transaction's date: the report's credit, in full */
    AT_CREDIT_TERRITORY, /* a person covering the account's territory on the transaction's date
                            (territory_people), in full */
} at_credit_kind;
#define AT_CREDIT_KIND_COUNT 7
/* "owner", "split", "overlay", "sdr", "manager", "rollup", "territory". */
const char *at_credit_kind_name(at_credit_kind kind);

typedef struct at_plan_measure {
    const char *id;          /* "bookings": how components, formulas and quotas name it */
    const char *name;        /* "Bookings" (for statements); defaults to id */
    at_plan_pos pos;
    at_plan_basis basis;
    at_plan_sum sum;
    at_formula *sum_formula; /* AT_SUM_FORMULA only: per credit, result unit money */
    at_plan_window window;
    /* the credit kinds counted: bit (1u << at_credit_kind) */
    uint32_t credit_kinds;
    /* for AT_CREDIT_ROLLUP: how many levels above the seller count (1 = direct manager
       only); 0 = any level */
    int rollup_levels;
    /* for AT_CREDIT_TERRITORY: the coverage roles counted ("owner", "overlay", "manager"),
       bit (1u << index in that order); 0 = all */
    uint32_t territory_roles;
    /* filters; an empty list means any */
    const char *const *product_families; size_t product_family_count;
    const char *const *products;         size_t product_count;   /* product ext ids */
    /* credits dated in [from, to] only (a crediting window); AT_DAY_MIN/AT_DAY_MAX when open */
    at_day from, to;
    /* the quota this measure is measured against: quotas.csv `measure` value; defaults to id.
       NULL when the measure has no quota (quota: none): attainment is then undefined and a
       component that needs it is an error at check time. */
    const char *quota;
} at_plan_measure;

/* ---- cancellations ------------------------------------------------------------------------ */

/* A cancellation (transaction type cancellation, pointing at its original) dated within
 * within_days days after the original's date gives negative credits mirroring the original's
 * credits (same people, kinds and shares), dated on the cancellation's own date, so that the
 * reversal lands in the period the cancellation happens and points at the original. Their
 * value is scaled by share (100% reverses in full; 50% claws back half). A cancellation later
 * than within_days days gives no credit: the seller keeps what was earned, and the statement
 * says so. within_days < 0: every cancellation claws back, however late. */
typedef struct at_plan_clawback {
    int within_days;  /* default -1 (always) */
    at_rate share;    /* default 100% */
    at_plan_pos pos;
} at_plan_clawback;

/* ---- components --------------------------------------------------------------------------- */

typedef enum at_component_kind {
    AT_COMPONENT_RATE = 0,  /* a rate on a measure: flat, or per product / product family */
    AT_COMPONENT_PER_UNIT,  /* a fixed amount per unit sold, per product, with quantity tiers */
    AT_COMPONENT_TIERS,     /* a rate table on a measure or on attainment */
    AT_COMPONENT_BONUS,     /* a share of the target incentive on a payout curve of attainment */
    AT_COMPONENT_METRIC,    /* MBO/KPI: a share of the target incentive on a curve of a metric */
    AT_COMPONENT_SPIFF,     /* time-boxed: per unit or rate on products, or per activity */
    AT_COMPONENT_FORMULA,   /* whatever a formula says, in money */
} at_component_kind;
/* "rate", "per_unit", "tiers", "bonus", "metric", "spiff", "formula". */
const char *at_component_kind_name(at_component_kind kind);

/* How a rate table applies its tiers. */
typedef enum at_tier_method {
    AT_TIERS_MARGINAL = 0, /* each slice of the base at its own tier's rate (graduated) */
    AT_TIERS_RETROACTIVE,  /* the rate of the tier the base reaches, on the whole base */
} at_tier_method;

/* What the tier boundaries are written in. */
typedef enum at_tier_basis {
    AT_TIER_ON_AMOUNT = 0, /* the measure's value itself: money, count or units */
    AT_TIER_ON_ATTAINMENT, /* attainment (measure / quota), as rates: 100% = 1.0 */
} at_tier_basis;

/* What a rate table is applied to. */
typedef enum at_tier_scope {
    AT_TIERS_ON_PERIOD = 0,  /* the measure's window total (month, or quarter/year to date):
                                earnings to date, minus what earlier months of the window
                                earned, is this month's line */
    AT_TIERS_ON_TRANSACTION, /* each credit on its own: tiers restart at 0 for every credit
                                (Oracle's per-transaction rate tables) */
} at_tier_scope;

/* Which end of a tier's span belongs to it. Lower-inclusive (the default) reads
 * [from, to): at exactly 100% attainment the tier starting at 100% applies. Upper-inclusive
 * reads (from, to]: exactly 100% still belongs to the tier ending at 100%. Marginal tiers give
 * the same money either way (the slice at the edge is empty); retroactive tiers do not. */
typedef enum at_tier_edges {
    AT_EDGES_LOWER_INCLUSIVE = 0,
    AT_EDGES_UPPER_INCLUSIVE,
} at_tier_edges;

typedef struct at_plan_tier {
    int64_t from;     /* in the table's basis: an amount at 1e-4 (money, and counts and units
                         x 10,000 as measure values are), or attainment as a rate (1e-9);
                         for quantity tiers a whole number of units */
    int64_t to;       /* INT64_MAX when open-ended (the last tier). The last tier may also
                         be closed: marginal tables pay nothing above its `to`, retroactive
                         ones keep its rate (calc/tiers.c) */
    bool has_to;
    at_rate rate;     /* the rate paid in this tier */
    at_money amount;  /* for per-unit quantity tiers: the amount per unit (else 0) */
    at_plan_pos pos;
} at_plan_tier;

/* A payout curve: points (x, payout) in increasing x, linear between points. Below the first
 * point the payout is the first point's; above the last, the last point's (a cap) unless
 * extrapolate is set, which continues the last segment's slope. x is attainment (or the
 * metric, in its unit); payout is a rate of the component's target (100% = the target).
 * x is at 1e-9 whatever it is: attainment as a rate, and a metric's value as
 * at_calc_metric.value holds it (money 250000 = 250000 x 1e9, a count of 4 = 4 x 1e9). */
typedef struct at_plan_curve_point {
    int64_t x;
    at_rate payout;
    at_plan_pos pos;
} at_plan_curve_point;

typedef struct at_plan_curve {
    const at_plan_curve_point *points;
    size_t count;
    bool extrapolate;
} at_plan_curve;

/* A rate, or an amount per unit, for one product or product family (the rate component's and
 * the per-unit component's lists; the SPIFF's products). A product id wins over its family;
 * a credit whose product matches none gets the component's default (rate / amount), which may
 * be 0. */
typedef struct at_plan_product_rate {
    const char *product;  /* a product ext id, or NULL */
    const char *family;   /* a product family, or NULL (exactly one of the two is set) */
    at_rate rate;
    at_money amount;      /* per unit, for per-unit components and SPIFFs */
    /* quantity tiers for per-unit components: the tier the credit's quantity reaches sets the
       amount per unit for all its units (retroactive within the line: 12 units at the
       "10 or more" tier all get that tier's amount); tiers[i].from is a quantity */
    const at_plan_tier *quantity_tiers;
    size_t quantity_tier_count;
    at_plan_pos pos;
} at_plan_product_rate;

/* Caps: 0 / has_ false = none. per_deal caps each credit's earnings (per-transaction
 * components and per-product rates); per_period caps a month's line; per_year caps the sum of
 * the component's lines over the fiscal year (earlier months count first). Cancellation
 * credits reverse what the original actually earned after the per-deal cap. */
typedef struct at_plan_caps {
    bool has_per_deal, has_per_period, has_per_year;
    at_money per_deal, per_period, per_year;
    at_plan_pos pos;
} at_plan_caps;

typedef struct at_plan_component {
    const char *id;       /* "commission" */
    const char *name;     /* "Commission on bookings"; defaults to id */
    at_plan_pos pos;
    at_component_kind kind;
    int measure;          /* index into at_plan.measures; -1 when the kind needs none */

    /* AT_COMPONENT_RATE: earnings = sum over the measure's credits of value x rate, rounded
       once per month (exact products summed, then rounded) */
    at_rate rate;                              /* the default rate */
    const at_plan_product_rate *product_rates; /* overrides by product / family */
    size_t product_rate_count;

    /* AT_COMPONENT_PER_UNIT and unit SPIFFs: amount per unit by product (product_rates with
       amount and quantity tiers); default_amount for products not listed */
    at_money default_amount;

    /* AT_COMPONENT_TIERS */
    at_tier_method method;
    at_tier_basis tier_basis;
    at_tier_scope scope;
    at_tier_edges edges;
    const at_plan_tier *tiers; /* contiguous, increasing, first from 0 (checked) */
    size_t tier_count;

    /* AT_COMPONENT_BONUS and AT_COMPONENT_METRIC: target = target incentive (of the plan
       assignment, per year) x weight, prorated to the window (a month gets 1/12 of a year's,
       a quarter to date 1/4, ...), then x the curve's payout at attainment (bonus) or at the
       metric's value (metric) */
    at_rate weight;       /* share of the target incentive, e.g. 40% */
    at_plan_curve curve;
    const char *metric;   /* AT_COMPONENT_METRIC: the metric's name in the metrics table */
    at_plan_window metric_window; /* the period the metric value is read for: month, quarter
                                     (to date reads the quarter's value), half or year */

    /* AT_COMPONENT_SPIFF: active for credits (or activities) dated in [from, to] */
    at_day spiff_from, spiff_to;
    const char *activity_type;   /* per activity: "meeting", "call", ...; NULL for products */
    bool activity_meaningful_only;
    at_money per_activity;       /* amount per counted activity */
    /* for product SPIFFs: product_rates (rate and/or amount per unit) on the measure */

    /* AT_COMPONENT_FORMULA: money */
    at_formula *formula;

    /* every kind */
    at_formula *gate;    /* optional: a condition (e.g. "attainment >= 50%"); when false the
                            component pays 0 for the month, and the statement says why */
    at_plan_caps caps;
    bool clawback;       /* whether cancellation credits reduce this component (default true) */
} at_plan_component;

/* ---- draws -------------------------------------------------------------------------------- */

/* A draw guarantees `amount` per month. Non-recoverable: when the month's earnings are below
 * it, the difference is paid and forgiven. Recoverable: the difference is paid as an advance,
 * carried as a balance, and recovered from later months' earnings above the draw (never
 * taking a month's pay below the draw while the draw lasts); the balance carries across months
 * and fiscal years until recovered or written off when the person leaves (statement says
 * which). Active for months within [from, to] of the plan's effective dates. */
typedef struct at_plan_draw {
    bool present;
    at_money amount;
    bool recoverable;
    int months;          /* how many months from the assignment's start the draw lasts; 0 = all */
    at_plan_pos pos;
} at_plan_draw;

/* ---- formula slots ---------------------------------------------------------------------------
 * Every name a formula of the plan may use gets a slot; the engine fills slot values before it
 * evaluates a formula (one value per payee and month, or a column per credit for measure sum
 * formulas). Names, as written in formulas:
 *   <measure>                 the measure's value for its window (money, count or units)
 *   <measure>.quota           its quota for the window (money, or count)
 *   <measure>.attainment      value / quota (number; 1.0 = 100%)
 *   quota, attainment         the same, for the component's own measure
 *   <component>               an earlier component's earnings this month (money), so later
 *                             components may build on earlier ones (order = document order)
 *   metric.<name>             the metric's value for the month (unit as declared in metrics:)
 *   target_incentive          the assignment's annual target incentive (money)
 *   days_in_period, days_on_plan   the month's days, and those the payee was on the plan
 *   amount, margin, quantity  measure sum formulas only: the credit's values */
typedef enum at_plan_slot_kind {
    AT_SLOT_MEASURE = 0,
    AT_SLOT_QUOTA,
    AT_SLOT_ATTAINMENT,
    AT_SLOT_COMPONENT,
    AT_SLOT_METRIC,
    AT_SLOT_TARGET_INCENTIVE,
    AT_SLOT_DAYS_IN_PERIOD,
    AT_SLOT_DAYS_ON_PLAN,
    AT_SLOT_CREDIT_AMOUNT,
    AT_SLOT_CREDIT_MARGIN,
    AT_SLOT_CREDIT_QUANTITY,
} at_plan_slot_kind;

typedef struct at_plan_slot {
    at_plan_slot_kind kind;
    int index;           /* the measure or component index; the metric's index in metrics */
    at_unit unit;
    const char *name;    /* as written: "bookings.attainment" */
} at_plan_slot;

/* A metric the plan reads (MBO/KPI components, formulas): metrics.csv rows with this name. */
typedef struct at_plan_metric {
    const char *name;    /* "avg_margin" */
    at_unit unit;        /* money, number or count (declared in the document) */
    at_plan_pos pos;
} at_plan_metric;

/* ---- the plan ----------------------------------------------------------------------------- */

typedef enum at_plan_frequency {
    AT_PAY_MONTHLY = 0,  /* pay every month */
    AT_PAY_QUARTERLY,    /* pay in each quarter's last month what the quarter earned */
    AT_PAY_ANNUALLY,     /* pay in the year's last month */
} at_plan_frequency;

typedef enum at_plan_proration {
    AT_PRORATE_DAYS = 0, /* quotas and target incentives by days employed and on the plan
                            within the window (hire, exit, leave, a change of plan), first and
                            last day included */
    AT_PRORATE_NONE,
} at_plan_proration;

/* Which day's exchange rate converts a credit into the plan's currency. */
typedef enum at_plan_fx_date {
    AT_FX_TRANSACTION_DATE = 0,
    AT_FX_PERIOD_END,    /* the last day of the month computed */
} at_plan_fx_date;

typedef struct at_plan {
    const char *name;        /* "AE 2026": what plan_assignments.csv `plan` names */
    int version;             /* set by the store when loaded; 0 for a document not loaded */
    const char *description; /* may be NULL */
    at_plan_pos pos;
    /* the days the plan is in force; AT_DAY_MIN/AT_DAY_MAX when open */
    at_day effective_from, effective_to;
    /* the currency of every amount in the document and of the measures; NULL: each payee's
       pay currency (amounts in the document are then in that currency) */
    const char *currency;
    at_plan_fx_date fx_date;
    at_rounding rounding;    /* applied once per earnings line, to the pay currency's minor
                                unit; default half-even */
    at_plan_frequency frequency;
    at_plan_proration proration;
    at_plan_clawback clawback;
    const at_plan_measure *measures;     size_t measure_count;
    const at_plan_component *components; size_t component_count;
    at_plan_draw draw;
    const at_plan_metric *metrics;       size_t metric_count;
    const at_plan_slot *slots;           size_t slot_count;  /* <= AT_FORMULA_SLOTS_MAX */
    /* the document's text and its sha256 (lower-case hex), kept for runs' input hashes */
    const char *source;
    size_t source_length;
    char sha256[65];
} at_plan;

/* ---- reading and checking (plan_read.c, plan_check.c) -------------------------------------- */

/* Reads a plan document (YAML 1.1, of which JSON is a subset) from text; file names it in
 * errors. Checks everything that can be checked without data: required keys, unknown keys
 * (an error naming the key and the keys allowed there), types and ranges of every value,
 * tier tables (contiguous, increasing, starting at 0, only the last open-ended), curves
 * (x increasing), references between measures and components, formulas (syntax and units),
 * dates. Reports every problem found into problems (file:line:column, what, how to fix) and
 * returns AT_ERR_INVALID when there was any; on success *out is the plan (in arena). */
at_code at_plan_read(const char *text, size_t length, const char *file, at_arena *arena,
                     at_plan **out, at_error_list *problems, at_error *err);

/* Reads a file and calls at_plan_read. AT_ERR_IO when the file cannot be read. */
at_code at_plan_read_file(const char *path, at_arena *arena, at_plan **out,
                          at_error_list *problems, at_error *err);

/* Index of a measure / component by id, or -1. */
int at_plan_find_measure(const at_plan *plan, const char *id);
int at_plan_find_component(const at_plan *plan, const char *id);

/* Writes a plan as a canonical YAML document (keys in a fixed order, defaults spelled out),
 * the form `attain plan diff` compares. Returns a malloc'ed text the caller frees. */
at_code at_plan_write_canonical(const at_plan *plan, char **text, size_t *length,
                                at_error *err);

#endif
