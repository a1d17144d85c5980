/* calc_internal.h - what the engine's files share (private to src/calc): the run's index of
 * the input (per-person groupings, the day -> month table, plans prepared for lookups), the
 * credit generator, the per-payee worker and the helpers for exact arithmetic and for
 * explanations. Nothing here is part of the public contract (calc/calc.h is). */
#ifndef ATTAIN_CALC_CALC_INTERNAL_H
#define ATTAIN_CALC_CALC_INTERNAL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "calc/calc.h"
#include "core/currency.h"

typedef __int128 calc_i128;

/* An explanation being written. */
typedef struct calc_text {
    char buf[1536];
    size_t len;
} calc_text;

/* ---- ids --------------------------------------------------------------------------------- */

/* Sorts n external ids (strcmp order, NULL as "") into order[] (indexes): an MSD radix sort
 * on 8-byte prefixes, fast for millions of ids. */
at_code calc_sort_ids(const char *const *ids, size_t n, int32_t *order, at_error *err);
int calc_strcmp(const char *a, const char *b); /* NULL sorts as "" */

/* ---- a plan prepared for the engine ------------------------------------------------------ */

typedef struct calc_plan_info {
    const at_plan *plan;
    /* [measure][product] 1 when the product passes the measure's product filters; the
       entry at product_count is for credits without a product */
    uint8_t **measure_product_ok;
    /* [component][product] index into the component's product_rates, -1 for the default */
    int16_t **component_product_rate;
    const char **component_keys;       /* "<plan>/<component id>" */
    const char *draw_key, *recovery_key, *deferred_key;
} calc_plan_info;

/* ---- the run's index --------------------------------------------------------------------- */

/* Compressed groupings: the rows of group g are idx[start[g] .. start[g + 1]). */
typedef struct calc_group {
    size_t *start;
    int32_t *idx;
} calc_group;

typedef struct calc_ctx {
    const at_calc_input *in;
    bool explain;
    const at_period *months;
    int32_t month_count;
    int32_t m_first, m_last;   /* the months asked for */
    int32_t m_start;           /* the first month computed: the fiscal year's start */
    /* per month: index of its quarter, half and year in calendar->periods[kind] */
    int32_t *month_parent[AT_PERIOD_KIND_COUNT];
    at_day day_base;           /* day_month[d - day_base]: month of day d, or -1 */
    size_t day_span;
    int32_t *day_month;
    int32_t *person_rank;      /* rank of each person's external id */
    calc_group reporting;      /* by person, sorted by start */
    calc_group leaves;         /* by person */
    calc_group assignments;    /* by person, sorted by (start, id) */
    calc_group quotas;         /* by person */
    calc_group metrics;        /* by person */
    calc_group activities;     /* by person, sorted by day */
    calc_group locked;         /* by person, sorted by (month, key) */
    uint8_t *closed;           /* per month */
    calc_plan_info *plans;     /* parallel to in->plans */
    uint32_t *currency_code;   /* packed code of each input currency */
    const at_currency **currency;
    at_arena *arena;           /* the result's: keys */
    /* sessions: the running sums of credits per assignment and month (session_sums.c);
       NULL in runs */
    struct calc_month_sums *sums;
} calc_ctx;

at_code calc_ctx_build(calc_ctx *ctx, const at_calc_input *in, const at_calc_options *opt,
                       at_arena *arena, at_error *err);
void calc_ctx_free(calc_ctx *ctx);
int32_t calc_day_month(const calc_ctx *ctx, at_day day);
/* The period of a kind containing month m. */
const at_period *calc_month_parent(const calc_ctx *ctx, int32_t m, at_period_kind kind);
/* Index of a plan in in->plans, the highest version of `name` in force on day; -1 when none
 * is; *named (may be NULL) says whether any plan has that name. */
int calc_plan_version(const calc_ctx *ctx, const char *name, at_day day, bool *named);
/* Days of [first, last] the person is on the assignment, employed and not on leave. */
int calc_days_on_plan(const calc_ctx *ctx, int32_t assignment, at_day first, at_day last);

/* ---- credits ----------------------------------------------------------------------------- */

/* The columns of a credit table, allocated for capacity credits (NULL columns on failure). */
at_code calc_credits_alloc(at_calc_credits *c, size_t capacity, size_t person_count,
                           at_error *err);
void calc_credits_free(at_calc_credits *c);

/* One credit before it is placed in the table. */
typedef struct calc_credit {
    int32_t transaction, person, from_person;
    uint8_t kind, level, role;
    at_rate share;
    at_money amount, margin;
    at_day date;
} calc_credit;

/* Grouped input the credit generator needs (built once per run or session). */
typedef struct calc_credit_index {
    const at_calc_tx_person *tx_person_rows;
    calc_group tx_people;      /* rows of tx_person_rows by transaction */
    /* sessions: a transaction's rows given apart (NULL, or per transaction: rows and count;
       used instead of the grouping when ovr_rows[t] is not NULL) */
    const at_calc_tx_person **ovr_rows;
    uint32_t *ovr_count;
    calc_group account_territories; /* territory_accounts rows by account */
    calc_group territory_people;    /* territory_people rows by territory */
    int32_t territory_count;
} calc_credit_index;

at_code calc_credit_index_build(const at_calc_input *in, calc_credit_index *ix, at_error *err);
void calc_credit_index_free(calc_credit_index *ix);

/* Scratch for one transaction's credits. */
typedef struct calc_credit_buf {
    calc_credit *items;
    size_t count, capacity;
    int64_t *weights;
    at_money *parts;
    int32_t *partners;
    size_t partner_capacity;
} calc_credit_buf;
void calc_credit_buf_free(calc_credit_buf *b);

/* The credits of transaction t, in the order they take within one person's credits of t
 * (kind, level, from_person rank, role, amount, share). */
at_code calc_transaction_credits(const calc_ctx *ctx, const calc_credit_index *ix,
                                 const at_calc_transactions *tx, int32_t t,
                                 calc_credit_buf *buf, at_error *err);

/* The same credits in the order they are made: enough to count who gets how many. */
at_code calc_transaction_credits_unsorted(const calc_ctx *ctx, const calc_credit_index *ix,
                                          const at_calc_transactions *tx, int32_t t,
                                          calc_credit_buf *buf, at_error *err);

/* Builds the whole sorted credit table (at_calc_result.credits) over ctx->in's transactions
 * (credit_table.c), on `threads` threads (< 2: one) with the same table whatever the number. */
at_code calc_make_credits(const calc_ctx *ctx, const calc_credit_index *ix, int threads,
                          at_calc_credits *out, at_error *err);
/* The same table holding only the credits of the people with keep[p] set (keep NULL: all):
 * a run for some payees needs no one else's credits, and memory follows the credits kept. */
at_code calc_make_credits_for(const calc_ctx *ctx, const calc_credit_index *ix, int threads,
                              const uint8_t *keep, at_calc_credits *out, at_error *err);
/* Counts the credits of each person (per_person, person_count entries, zeroed first) in one
 * pass over the transactions, keeping none. */
at_code calc_count_credits(const calc_ctx *ctx, const calc_credit_index *ix, int threads,
                           int64_t *per_person, at_error *err);
/* Writes credit c at row i of the table. */
void calc_credit_put(const calc_ctx *ctx, at_calc_credits *out, size_t i, const calc_credit *c);

/* The end of person p's credits: person_start[p + 1], or person_end[p] in a session's
 * working table (session_credits.c). */
static inline size_t calc_person_end(const at_calc_credits *c, int32_t p)
{
    return c->person_end ? c->person_end[p] : c->person_start[p + 1];
}

/* A session's working credit table (session_credits.c): person p's credits are rows
 * [t.person_start[p], t.person_end[p]), in the table's order, and the block may grow up to
 * room_end[p]; the rows between blocks are unused. */
typedef struct calc_credit_blocks {
    at_calc_credits t;         /* count: rows laid out (blocks and room) */
    size_t *room_end;
    size_t capacity;           /* rows allocated */
    size_t laid_out;           /* t.count after the last layout */
    size_t live;               /* credits in the blocks */
    size_t person_count;
} calc_credit_blocks;

/* Takes a run's table (made is emptied) and lays it out with room after every block. */
at_code calc_blocks_init(calc_credit_blocks *b, at_calc_credits *made, size_t person_count,
                         at_error *err);
void calc_blocks_free(calc_credit_blocks *b);
/* Removes person p's credits of a transaction (found by its current date and id). */
void calc_blocks_remove(calc_credit_blocks *b, const at_calc_transactions *tx, int32_t p,
                        int32_t transaction);
/* Places n credits of person p in its block, each at its place in the table's order. */
at_code calc_blocks_insert(calc_credit_blocks *b, const calc_ctx *ctx,
                           const at_calc_transactions *tx, int32_t p, const calc_credit *items,
                           size_t n, at_error *err);
/* The table without room (as runs hand it out), into out. */
at_code calc_blocks_compact(const calc_credit_blocks *b, at_calc_credits *out, at_error *err);

/* Orders two credits as the table does (for sessions: small sets). */
int calc_credit_compare(const calc_ctx *ctx, const at_calc_transactions *tx,
                        const calc_credit *a, const calc_credit *b);

/* ---- per-payee work ---------------------------------------------------------------------- */

typedef struct calc_fx_cache_entry {
    uint32_t from, to;
    at_day day;
    int8_t state;              /* 0 empty, 1 found, -1 missing */
    at_rate rate;
} calc_fx_cache_entry;
#define CALC_FX_CACHE 256

/* One thread's output and scratch. Results of one payee are appended to the vectors. */
typedef struct calc_worker {
    const calc_ctx *ctx;
    const at_calc_credits *credits;
    at_arena arena;            /* explanations and adjustment keys */
    at_calc_measure_value *measures; size_t measure_count, measure_capacity;
    at_calc_line *lines;             size_t line_count, line_capacity;
    at_calc_payout *payouts;         size_t payout_count, payout_capacity;
    at_error *problems;              size_t problem_count, problem_capacity;
    calc_fx_cache_entry fx[CALC_FX_CACHE];
    void *scratch;             /* payee.c's reusable state */
} calc_worker;

void calc_worker_init(calc_worker *w, const calc_ctx *ctx, const at_calc_credits *credits);
void calc_worker_free(calc_worker *w);
/* Computes one payee's measures, lines and payouts, appended to the worker's vectors. */
at_code calc_payee(calc_worker *w, int32_t person, at_error *err);
/* Records a problem (a data issue that does not stop the run). */
void calc_problem(calc_worker *w, const char *where, const char *hint, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* The rate from -> to on day (1.0 when equal); false when there is none. */
bool calc_fx_rate(calc_worker *w, uint32_t from, uint32_t to, at_day day, at_rate *rate);
uint32_t calc_pack_code(const char *code);
void calc_unpack_code(uint32_t code, char out[4]);

/* ---- measures (measure.c) ---------------------------------------------------------------- */

/* A measure of one plan assignment in one month. */
typedef struct calc_measure_state {
    const at_period *window;   /* the period the window runs in (month, quarter, half, year) */
    int32_t window_first;      /* its first month */
    at_money month_value;      /* this month's credits */
    at_money value;            /* the window to date */
    at_money prior;            /* the window to the end of last month (value - month_value) */
    int64_t count;             /* credits counted in the window */
    bool fx_missing;           /* a credit's exchange rate was missing (counted as 0) */
    bool has_quota, quota_missing;
    at_money quota, quota_full;
    int days_on_plan, window_days;
    at_rate attainment;
    char quota_note[128];      /* how the quota was found, for explanations */
} calc_measure_state;

int32_t calc_credit_product(const at_calc_transactions *tx, int32_t t);
bool calc_is_cancellation(const at_calc_transactions *tx, int32_t t);
/* Whether credit i counts toward measure j of the plan for assignment asg (-1: any days),
 * and at what share (*scale). */
bool calc_counts(const calc_ctx *ctx, const calc_plan_info *pi, int j, int32_t asg,
                 const at_calc_credits *cr, size_t i, at_rate *scale);
/* Units credited (quantity x credited / transaction amount) at 1e-4. */
int64_t calc_credit_units(const at_calc_transactions *tx, const at_calc_credits *cr, size_t i);
at_day calc_fx_day(const calc_ctx *ctx, const at_plan *plan, const at_calc_credits *cr,
                   size_t i);
/* Credit i's money v (in its transaction's currency) in the plan's currency. */
bool calc_to_plan_currency(calc_worker *w, const at_plan *plan, uint32_t plan_cur,
                           const at_calc_credits *cr, size_t i, at_money v, at_money *out);
/* What credit i adds to measure j (scaled); false when an exchange rate was missing. */
bool calc_credit_value(calc_worker *w, const at_plan *plan, int j, uint32_t plan_cur,
                       const at_calc_credits *cr, size_t i, at_rate scale, at_money *out);
/* The credits of a person dated in month m: rows [*first, *end). */
void calc_month_credits(const calc_worker *w, int32_t person, int32_t m, size_t *first,
                        size_t *end);
/* Whether credit i counts toward measure j for assignment asg, and what it adds (*value);
 * *missing when its exchange rate was missing (it adds 0). */
bool calc_measure_credit_term(calc_worker *w, const calc_plan_info *pi, int j, int32_t asg,
                              uint32_t plan_cur, const at_calc_credits *cr, size_t i,
                              at_money *value, bool *missing);
/* Measure j's month m: the sum of its counted credits, how many, how many without a rate. */
void calc_measure_month(calc_worker *w, const calc_plan_info *pi, int j, int32_t asg,
                        int32_t person, int32_t m, uint32_t plan_cur, at_money *value,
                        int64_t *count, int64_t *missing);
/* Fills the quota fields and attainment of st (st->window and st->value set). */
void calc_measure_quota(calc_worker *w, const calc_plan_info *pi, int j, int32_t asg,
                        int32_t m, uint32_t plan_cur, calc_measure_state *st);

/* ---- components ------------------------------------------------------------------------- */

typedef struct calc_comp_env {
    calc_worker *w;
    int32_t person, m, asg;
    const calc_plan_info *pi;
    const at_plan *plan;
    uint32_t plan_cur;
    const calc_measure_state *ms;  /* the plan's measures this month */
    const int64_t *slots;          /* formula slot values this month */
    calc_text *text;               /* the explanation, or NULL */
} calc_comp_env;

typedef struct calc_comp_out {
    at_money earned;           /* additive components: this month */
    at_money to_date;          /* to-date components: the window to date */
    bool is_to_date;           /* earned = to_date - what earlier months of window earned */
    const at_period *window;   /* to-date components: the window */
    bool capped;               /* a per-deal cap cut a credit */
} calc_comp_out;

at_code calc_component_rate(const calc_comp_env *env, int c, calc_comp_out *out, at_error *err);
at_code calc_component_per_unit(const calc_comp_env *env, int c, calc_comp_out *out,
                                at_error *err);
at_code calc_component_tiers(const calc_comp_env *env, int c, calc_comp_out *out,
                             at_error *err);
at_code calc_component_bonus(const calc_comp_env *env, int c, calc_comp_out *out,
                             at_error *err);
at_code calc_component_metric(const calc_comp_env *env, int c, calc_comp_out *out,
                              at_error *err);
at_code calc_component_spiff(const calc_comp_env *env, int c, calc_comp_out *out,
                             at_error *err);
at_code calc_component_formula(const calc_comp_env *env, int c, calc_comp_out *out,
                               at_error *err);
/* Fills a plan's formula slots for a payee's month (component values from
 * component_earned, NULL: 0). */
void calc_formula_slots(const calc_comp_env *env, const at_money *component_earned,
                        int64_t *slots);
/* A gate: *open false when the condition is false (or cannot be evaluated: *why says). */
at_code calc_gate(const calc_comp_env *env, int c, bool *open, at_error *err);
/* A measure's per-credit formula (AT_SUM_FORMULA). */
bool calc_formula_credit_value(calc_worker *w, const at_plan *plan, int j, uint32_t plan_cur,
                               const at_calc_credits *cr, size_t i, at_money *out);

/* Per-credit earnings for per-transaction components: earn(credit) -> money (exact to
 * 0.0001, before the per-deal cap). */
typedef bool (*calc_credit_earn_fn)(const calc_comp_env *env, int c, size_t i, at_money value,
                                    int64_t units, at_money *out);
/* Sums earn over the component's counted credits of the month, each capped per deal; a
 * cancellation credit reverses what its original credit earned (x cancelled / original
 * amount x the clawback share). label names the basis in the explanation. */
at_code calc_per_credit(const calc_comp_env *env, int c, calc_credit_earn_fn earn,
                        bool (*in_scope)(const calc_comp_env *env, int c, size_t i),
                        calc_comp_out *out, at_error *err);

/* The amount per unit of credit i's product for component c (its quantity tiers applied);
 * *rate (may be NULL) gets the product's rate. */
at_money calc_unit_amount(const calc_comp_env *env, int c, size_t i, at_rate *rate);

/* ---- tiers and curves (tiers.c) ---------------------------------------------------------- */

/* Earnings of base on a table, exact at 1e-22 (divide by 1e18 for money). quota > 0 for
 * attainment tables (edges x quota). text (may be NULL) gets the slices. */
calc_i128 calc_tiers_apply(const at_plan_component *c, at_money base, at_money quota,
                           calc_text *text);
/* The payout of a curve at x (half-even to 1e-9). */
at_rate calc_curve(const at_plan_curve *curve, int64_t x);

/* ---- computing payees (run.c) ------------------------------------------------------------ */

typedef struct calc_payee_start {
    size_t measure, line, payout;
} calc_payee_start;

/* The results of a list of payees, in payee order; payee_start[i] is where payee i's rows
 * begin (count + 1 entries). Strings are copied into the arena given. */
typedef struct calc_payee_results {
    at_calc_measure_value *measures; size_t measure_count;
    at_calc_line *lines;             size_t line_count;
    at_calc_payout *payouts;         size_t payout_count;
    at_error *problems;              size_t problem_count;
    calc_payee_start *payee_start;
} calc_payee_results;

at_code calc_compute_payees(const calc_ctx *ctx, const at_calc_credits *credits,
                            const int32_t *payees, size_t count, int threads,
                            calc_payee_results *out, at_arena *arena, at_error *err);
void calc_payee_results_free(calc_payee_results *r);
/* The payees a run computes: options->only_people (checked: sorted, in range) or all. */
at_code calc_payee_list(const at_calc_input *in, const at_calc_options *opt, int32_t **out,
                        size_t *count, at_error *err);
at_code calc_add_problems(at_error_list *problems, const calc_payee_results *r,
                          const calc_payee_start *from, const calc_payee_start *to);

/* ---- exact arithmetic -------------------------------------------------------------------- */

/* num / den rounded with mode; false on overflow or den == 0. */
bool calc_div(calc_i128 num, calc_i128 den, at_rounding mode, int64_t *out);
/* a x b / den half-even (128-bit intermediate); saturates never: false on overflow. */
bool calc_muldiv(int64_t a, int64_t b, int64_t den, int64_t *out);

/* ---- explanations ------------------------------------------------------------------------ */

void calc_text_reset(calc_text *t);
void calc_text_add(calc_text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* "12,500.00" (2 decimals, more when not zero). */
const char *calc_fmt_money(at_money v, char buf[48]);
/* "5%", "12.5%", "100.00%" (decimals: -1 trims zeros, else exactly that many). */
const char *calc_fmt_pct(at_rate v, int decimals, char buf[48]);
/* a count or units value at 1e-4: "18", "2.5" */
const char *calc_fmt_units(int64_t v, char buf[48]);

/* ---- a session's running sums (session_sums.c; the session helper's block) --------------
 * A session keeps, for every plan assignment and month it computes, what the month's credits
 * add up to for each measure and for each component paid on credits, and keeps the sums up to
 * date as changes take credits out and put credits in: a payee is then recomputed without
 * reading its credits. The sums are of int64 and int128 terms, exact in any order, and each
 * term is computed by the same function a run's scan uses, so results stay a run's, bit for
 * bit. A cell belongs to the first plan version that asks for it; another version asking for
 * the same month (a version change inside a window) scans the credits as a run does. */

typedef struct calc_measure_sum {
    at_money value;            /* the counted credits' values */
    int64_t count;             /* credits counted */
    int64_t missing;           /* of them, credits without an exchange rate (counted as 0) */
} calc_measure_sum;

typedef enum calc_sum_kind {
    CALC_SUM_NONE = 0,         /* not computed yet */
    CALC_SUM_RATE,             /* a rate component: sum of value x rate */
    CALC_SUM_PER_CREDIT,       /* a component paid credit by credit (component_deal.c) */
} calc_sum_kind;

typedef bool (*calc_in_scope_fn)(const calc_comp_env *env, int c, size_t i);

typedef struct calc_component_sum {
    uint8_t kind;              /* calc_sum_kind */
    calc_i128 total;           /* RATE: the exact sum of value x rate (scale 1e-13) */
    at_money earned;           /* PER_CREDIT: the credits' earnings, each capped per deal */
    int64_t capped;            /* PER_CREDIT: credits the per-deal cap cut */
    int64_t n;                 /* PER_CREDIT: credits that count */
    calc_credit_earn_fn earn;  /* PER_CREDIT: what the component passed to calc_per_credit */
    calc_in_scope_fn in_scope;
} calc_component_sum;

typedef struct calc_sums_cell {
    const calc_plan_info *pi;  /* the plan version the sums are for; NULL: none yet */
    uint32_t plan_cur;
    bool measures_valid;       /* measures[] hold the month's sums */
    calc_measure_sum *measures;       /* [the plan's measures] */
    calc_component_sum *components;   /* [the plan's components] */
} calc_sums_cell;

typedef struct calc_month_sums calc_month_sums;

/* Makes ctx->sums (empty cells for every assignment and month ctx computes). */
at_code calc_sums_open(calc_ctx *ctx, at_error *err);
void calc_sums_close(calc_ctx *ctx);
/* The cell of assignment asg's month m for plan version pi (claimed for pi when free); NULL
 * in runs, outside the months kept, or when another version holds it. */
calc_sums_cell *calc_sums_cell_of(const calc_ctx *ctx, int32_t asg, int32_t m,
                                  const calc_plan_info *pi, uint32_t plan_cur);
/* The sums of component c in env's month (NULL: none, scan). */
calc_component_sum *calc_sums_component_of(const calc_comp_env *env, int c);
/* Adds sign (+1 or -1) x what rows[0 .. n) of person's credits (w->credits) add to the
 * person's cells that hold sums. */
at_code calc_sums_add(calc_worker *w, int32_t person, const size_t *rows, size_t n, int sign,
                      at_error *err);
/* The first month in [m_first, m_last] in which person has a credit other than a roll-up
 * (*month -1: none), from the session's counts of such credits per person and month (made by
 * one pass over the person's credits the first time); false in runs: read the credits. */
bool calc_sums_first_seller_month(calc_worker *w, int32_t person, int32_t *month);
/* What credit i adds to a rate component (value x rate), false when it does not count
 * (component_rate.c). */
bool calc_rate_credit_term(const calc_comp_env *env, int c, size_t i, calc_i128 *term);
/* What credit i earns in a component paid credit by credit (component_deal.c): false when it
 * does not count; *capped when the per-deal cap cut it. */
bool calc_per_credit_term(const calc_comp_env *env, int c, calc_credit_earn_fn earn,
                          calc_in_scope_fn in_scope, size_t i, at_money *earned,
                          bool *capped);
/* The rows of person p's credits with transaction t's date and id: [*first, *end) (other
 * transactions' rows may be among them; session_credits.c). */
void calc_blocks_find(const calc_credit_blocks *b, const at_calc_transactions *tx, int32_t p,
                      int32_t t, size_t *first, size_t *end);

#endif
