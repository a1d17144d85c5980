/* plan_impl.h - what the plan reader's files share (private to src/plan): the reader's state,
 * reporting a problem at a node, reading typed values from nodes, the names of the document's
 * words, and the formula slot table. */
#ifndef ATTAIN_PLAN_PLAN_IMPL_H
#define ATTAIN_PLAN_PLAN_IMPL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "plan/plan.h"
#include "plan/plan_yaml.h"

/* ---- the reader --------------------------------------------------------------------------- */

typedef struct at_plan_reader {
    const char *file;          /* as given (errors) */
    const char *file_copy;     /* in the arena (positions) */
    at_arena *arena;
    at_error_list *problems;
    size_t problem_count;      /* problems this reader found */
    bool nomem;                /* memory ran out: stop */
    at_error first;            /* the first problem (for err) */
    at_plan *plan;
    /* the measures and components as they are read (arena arrays of the final size) */
    at_plan_measure *measures;
    size_t measure_count;
    at_plan_component *components;
    size_t component_count;
    const char **component_ids; /* every component's id (NULL when not an identifier), read
                                   before the components so formulas can name later ones */
    size_t component_total;
    at_plan_metric *metrics;
    size_t metric_count;
    /* formula slots */
    at_plan_slot slots[AT_FORMULA_SLOTS_MAX];
    size_t slot_count;
    bool slots_full_reported;
} at_plan_reader;

/* Adds a problem at node n (NULL: the document's start). */
void at_plan_problem(at_plan_reader *R, const at_yaml_node *n, at_code code, const char *hint,
                     const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* Adds an error already filled (its where is kept when set, else n's place is put in). */
void at_plan_problem_error(at_plan_reader *R, const at_yaml_node *n, const at_error *e);
void at_plan_nomem(at_plan_reader *R);
at_plan_pos at_plan_pos_of(const at_plan_reader *R, const at_yaml_node *n);

/* ---- mappings ----------------------------------------------------------------------------- */

/* The value of key in map, or NULL. */
const at_yaml_node *at_plan_get(const at_yaml_node *map, const char *key);
/* Reports keys given twice and keys not in allowed (NULL-terminated), naming what (e.g.
 * "component 'commission'") and, in the hint, a near key ("did you mean") and the keys of
 * allowed_label (e.g. "a rate component"). */
void at_plan_check_keys(at_plan_reader *R, const at_yaml_node *map, const char *const *allowed,
                        const char *what, const char *allowed_label);
/* True when n is a mapping; else reports "<what> must be a mapping". */
bool at_plan_want_map(at_plan_reader *R, const at_yaml_node *n, const char *what,
                      const char *hint);
bool at_plan_want_list(at_plan_reader *R, const at_yaml_node *n, const char *what,
                       const char *hint);

/* ---- values: each reports its problem and returns false when the value is wrong ----------- */

/* A non-empty single value, copied into the arena. */
bool at_plan_read_text(at_plan_reader *R, const at_yaml_node *n, const char *what,
                       size_t max_len, const char **out);
/* [a-z][a-z0-9_]*, at most 64 characters. */
bool at_plan_read_ident(at_plan_reader *R, const at_yaml_node *n, const char *what,
                        const char **out);
/* One of names (NULL-terminated); *out is its index. */
bool at_plan_read_enum(at_plan_reader *R, const at_yaml_node *n, const char *what,
                       const char *const *names, int *out);
bool at_plan_read_bool(at_plan_reader *R, const at_yaml_node *n, const char *what, bool *out);
/* A whole number in [min, max]. */
bool at_plan_read_int(at_plan_reader *R, const at_yaml_node *n, const char *what, int64_t min,
                      int64_t max, int64_t *out);
bool at_plan_read_money(at_plan_reader *R, const at_yaml_node *n, const char *what,
                        at_money *out);
/* A rate: 5% or 0.05. When max_one, a rate above 100% is refused (it is nearly always a
 * percent sign left out: `rate: 5` is 500%). */
bool at_plan_read_rate(at_plan_reader *R, const at_yaml_node *n, const char *what,
                       bool max_one, at_rate *out);
bool at_plan_read_day(at_plan_reader *R, const at_yaml_node *n, const char *what, at_day *out);
/* A list of non-empty texts, none repeated; *count may be 0. */
bool at_plan_read_text_list(at_plan_reader *R, const at_yaml_node *n, const char *what,
                            const char *const **out, size_t *count);

/* ---- the document's words ------------------------------------------------------------------ */

extern const char *const at_plan_basis_names[];       /* booking, invoice, payment */
extern const char *const at_plan_sum_names[];         /* amount, margin, count, quantity */
extern const char *const at_plan_window_names[];      /* month, quarter_to_date, ... */
extern const char *const at_plan_metric_window_names[]; /* month, quarter, half, year */
extern const char *const at_plan_credit_names[];      /* owner, split, ... */
extern const char *const at_plan_territory_role_names[]; /* owner, overlay, manager */
extern const char *const at_plan_component_names[];   /* rate, per_unit, ... */
extern const char *const at_plan_method_names[];      /* marginal, retroactive */
extern const char *const at_plan_tier_basis_names[];  /* amount, attainment */
extern const char *const at_plan_scope_names[];       /* period, transaction */
extern const char *const at_plan_edges_names[];       /* lower_inclusive, upper_inclusive */
extern const char *const at_plan_frequency_names[];   /* monthly, quarterly, annually */
extern const char *const at_plan_proration_names[];   /* days, none */
extern const char *const at_plan_fx_date_names[];     /* transaction, period_end */
extern const char *const at_plan_unit_names[];        /* money, number, count (at_unit order) */
extern const char *const at_plan_activity_names[];    /* call, email, meeting, conversation */

/* Names a measure or component may not take: the words formulas give a meaning of their own
 * (quota, attainment, metric, target_incentive, amount, min, if, ...). */
bool at_plan_reserved_name(const char *name);

/* ---- reading the parts (plan_read.c, plan_components.c) ----------------------------------- */

void at_plan_read_components(at_plan_reader *R, const at_yaml_node *list);

/* ---- formulas (plan_formulas.c) ------------------------------------------------------------ */

typedef enum at_plan_formula_use {
    AT_FORMULA_USE_MEASURE_SUM = 0, /* a measure's sum: the credit's amount, margin, quantity */
    AT_FORMULA_USE_COMPONENT,       /* a formula component: money */
    AT_FORMULA_USE_GATE,            /* a gate: bool */
} at_plan_formula_use;

/* Compiles the formula written at node n for measure `measure` (sum formulas) or component
 * `component`; reports its problems. NULL when it does not compile. */
at_formula *at_plan_compile(at_plan_reader *R, const at_yaml_node *n, at_plan_formula_use use,
                            int measure, int component);

#endif
