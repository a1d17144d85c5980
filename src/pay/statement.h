/* statement.h - a pay statement: what one payee earned and was paid for one fiscal month and
 * the fiscal year to date, with each earnings line's explanation and, behind it, the measures,
 * the credits and the transactions, so that a rep can check every cent without a spreadsheet.
 *
 * at_statement_build (statement_build.c) reads any at_calc_result (a fresh run or one the
 * store read back) together with the at_calc_input it was computed from; the renderers
 * (statement_text.c, statement_json.c, statement_html.c, statement_pdf.c) write it as a
 * fixed-width text for terminals, JSON (the shape is documented in docs/statements.md), one
 * self-contained HTML page, or an A4 PDF. The statement holds no copies of the input's
 * strings: it is valid while the input, the result and the arena it was built in live.
 *
 * Units as in calc.h: money at 1e-4, rates (shares, fx rates, attainment) at 1e-9. */
#ifndef ATTAIN_PAY_STATEMENT_H
#define ATTAIN_PAY_STATEMENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "calc/calc.h"
#include "core/arena.h"
#include "core/date.h"
#include "core/error.h"
#include "core/fiscal.h"
#include "core/money.h"
#include "plan/plan.h"

/* One credit behind a measure: the transaction, what the payee was credited and how it
 * converts into the plan's currency. */
typedef struct at_statement_credit {
    const char *transaction;      /* the transaction's external id */
    uint8_t type;                 /* at_tx_type */
    at_day date;                  /* the credit's (= the transaction's) date */
    int32_t month;                /* its calendar month index */
    bool in_month;                /* dated in the statement's month (else earlier in the
                                     measure's window) */
    const char *product;          /* product id; NULL when none */
    at_money transaction_amount;  /* the whole transaction, in its currency */
    const char *currency;         /* the transaction's currency code */
    uint8_t kind;                 /* at_credit_kind */
    uint8_t level;                /* roll-up level (1 = the seller's manager); 0 otherwise */
    const char *from_person;      /* roll-up: the seller's name; NULL otherwise */
    int32_t from;                 /* ... the seller's index in input->people; -1 otherwise */
    at_rate share;                /* the share credited */
    at_rate scale;                /* the share it counts with: the plan's clawback share for
                                     a cancellation, 1.0 otherwise */
    at_money amount;              /* credited, in the transaction's currency */
    at_money margin;              /* credited margin (0 without) */
    bool has_margin;
    at_rate fx_rate;              /* transaction currency -> plan currency (1.0 when same) */
    at_day fx_date;               /* the day of that rate: the transaction's date, or the last
                                     day of the credit's month (the plan's fx_date) */
    bool fx_missing;              /* no rate in force: converted and value are 0 */
    at_money converted;           /* amount x fx_rate, half-even to 1e-4, plan currency */
    /* what the credit adds to the measure, at 1e-4 like measure values: the converted amount
       or margin, 1.0000 (-1.0000 for a cancellation) for a count, the units credited for a
       quantity (quantity x amount / transaction amount), the formula's value for a formula
       sum; then x scale (half-even) */
    at_money value;
    bool has_value;               /* false when it could not be worked out (see fx_missing) */
    const char *original;         /* a cancellation: the original transaction's id; else NULL */
    at_day original_date;         /* ... and its date */
} at_statement_credit;

/* Where a measure's credits come from, summed: one row per credit kind, roll-up level and
 * seller ("Roll-up 1 from Ana Lima: 340 credits, 120,000.00"), for managers' statements and for
 * lists too long to print in full. */
typedef struct at_statement_source {
    uint8_t kind;                 /* at_credit_kind */
    uint8_t level;                /* roll-up level; 0 otherwise */
    const char *from_person;      /* roll-up: the seller's name; NULL otherwise */
    size_t credits;
    at_money value;               /* the credits' values summed */
} at_statement_source;

/* A measure's values for the month (per plan assignment), and its credits. */
typedef struct at_statement_measure {
    const at_plan *plan;
    const at_plan_measure *def;   /* id, name, basis, sum, window */
    const char *assignment;       /* the plan assignment's id */
    const char *currency;         /* the plan's currency (of money measures) */
    bool money;                   /* amount, margin or formula: money; count or quantity: not */
    const char *window;           /* "2026-03", "2026-Q1 to date", "2026 to date" */
    int32_t window_first_month;   /* calendar month index where the window starts */
    at_money month_value;         /* this month's credits */
    at_money value;               /* the window to date */
    int64_t credit_count;         /* as the engine counted them */
    bool has_quota;
    at_money quota;               /* for the window, after proration */
    at_rate attainment;           /* value / quota; 0 without a quota */
    const at_statement_credit *credits; /* the credits counted, by date */
    size_t credits_listed;
    at_money credits_total;       /* the sum of the credits' values */
    bool credits_match;           /* credits_total == value (false: see docs/statements.md) */
    const at_statement_source *sources; /* by kind, level and seller's name */
    size_t source_count;
    bool has_rollups;             /* some credit is a roll-up */
    size_t credits_without_value; /* credits with no exchange rate into the plan's currency
                                     (or a value that could not be worked out): they count 0,
                                     as they did in the engine */
} at_statement_measure;

/* One earnings line of the month. */
typedef struct at_statement_line {
    const char *key;              /* at_calc_line.key */
    uint8_t kind;                 /* at_line_kind */
    const char *name;             /* the component's name, or "Draw", "Draw recovery", ... */
    const char *component;        /* the component's id; NULL for other kinds */
    const char *component_kind;   /* "rate", "tiers", ... (at_component_kind); NULL */
    const at_plan *plan;          /* NULL when the line has none */
    const char *plan_currency;    /* currency of earned and earned_to_date */
    at_money earned_to_date;      /* the window to date, plan currency, exact */
    at_money earned;              /* this month, plan currency, exact */
    at_rate fx_rate;              /* plan currency -> pay currency */
    at_money earned_converted;    /* earned x fx_rate, exact (half-even to 1e-4) */
    at_money rounding;            /* amount - earned_converted (component lines; else 0) */
    at_money amount;              /* paid this month, pay currency */
    bool gated;                   /* the gate was not met: paid 0 */
    bool capped;                  /* a cap cut the line */
    const char *explain;          /* the formula with the numbers put in; "" when none */
    int32_t measure;              /* index into at_statement.measures of the component's
                                     measure; -1 when none */
    int32_t adjusts_month;        /* adjustment lines: the closed month corrected; else -1 */
    const char *adjusts_period;   /* ... its label ("2026-02"); NULL otherwise */
} at_statement_line;

/* A prior-period adjustment: a closed month's line recomputed after the month was closed. */
typedef struct at_statement_adjustment {
    size_t line;                  /* index into at_statement.lines */
    const char *corrects;         /* the line key it corrects (the key without "adjust/" and
                                     the month) */
    const char *name;             /* the corrected line's name ("Commission on bookings") */
    int32_t month;                /* the closed month */
    const char *period;           /* its label */
    at_money amount;              /* paid now, pay currency */
    const char *why;              /* the line's explanation */
} at_statement_adjustment;

typedef struct at_statement_draw {
    bool present;                 /* a plan with a draw, or a balance owed */
    bool recoverable;
    at_money guarantee;           /* per month, in the plan's currency */
    const char *guarantee_currency;
    at_money balance_before;      /* owed at the start of the month (pay currency) */
    at_money advance;             /* paid this month up to the guarantee */
    at_money recovered;           /* recovered this month (a positive amount) */
    at_money balance_after;       /* owed after the month */
} at_statement_draw;

typedef struct at_statement_plan {
    const at_plan *plan;          /* name, version, currency, frequency, rounding */
    const char *assignment;       /* the plan assignment's id */
    const char *currency;         /* the plan's currency (its own or the payee's) */
    at_day start, end;            /* the assignment's days (AT_DAY_MAX when open) */
    at_money target_incentive;    /* per year, 0 when not given */
    const char *target_currency;  /* NULL when not given */
} at_statement_plan;

typedef struct at_statement {
    /* set by the caller after building (at_statement_build leaves them unset) */
    const char *company;          /* shown in the header; NULL: not shown */
    at_day issued;                /* the statement's date; AT_DAY_MIN: not shown */
    /* the credits text, HTML and PDF list per measure (JSON lists all); the rest are counted
       in the measure's sources. AT_STATEMENT_CREDIT_LIMIT after building; 0: all */
    size_t credit_limit;

    int32_t person;               /* index into input->people */
    const char *payee_id;
    const char *payee_name;
    const char *currency;         /* the pay currency's code */
    int decimals;                 /* its minor units (2 for USD, 0 for JPY) */

    int32_t month;                /* calendar month index */
    const at_period *period;      /* the fiscal month: label, first and last day */
    const at_period *year;        /* its fiscal year (year to date runs year->first..
                                     period->last) */

    at_statement_plan *plans;             size_t plan_count;
    at_statement_line *lines;             size_t line_count;
    at_statement_measure *measures;       size_t measure_count;
    at_statement_adjustment *adjustments; size_t adjustment_count;
    at_statement_draw draw;

    /* totals, pay currency (from the payout) */
    at_money earned;              /* the month's component lines */
    at_money paid;                /* every line of the month */
    at_money earned_ytd, paid_ytd;
} at_statement;

/* How many credits per measure the text, HTML and PDF formats list by default: a manager's
 * roll-ups can run to hundreds of thousands, and a statement of thousands of pages helps no
 * one; the sources table sums them all and JSON lists every one. */
#define AT_STATEMENT_CREDIT_LIMIT 250

/* Builds the statement of input->people[person] for calendar month `month` from a result.
 * Everything is allocated in arena; out points into input and result as well. Errors:
 * AT_ERR_INVALID for a NULL argument or a result that does not fit the input (an index out
 * of range); AT_ERR_NOT_FOUND for a person or month that is not there, or a payee and month
 * the result holds nothing for (the hint says which period to calculate); AT_ERR_NOMEM. */
at_code at_statement_build(const at_calc_input *input, const at_calc_result *result,
                           int32_t person, int32_t month, at_arena *arena, at_statement *out,
                           at_error *err);

/* ---- rendering ------------------------------------------------------------------------------ */

typedef enum at_statement_format {
    AT_STATEMENT_TEXT = 0, /* fixed width, for a terminal or an e-mail */
    AT_STATEMENT_JSON,     /* jansson, money as decimal strings; see docs/statements.md */
    AT_STATEMENT_HTML,     /* one self-contained page, print-friendly */
    AT_STATEMENT_PDF,      /* A4, libharu, Helvetica (WinAnsi) */
} at_statement_format;

/* "text", "json", "html", "pdf". */
const char *at_statement_format_name(at_statement_format format);
/* Parses those names (any case). AT_ERR_USAGE naming the formats otherwise. */
at_code at_statement_format_parse(const char *text, at_statement_format *out, at_error *err);

/* Writes the statement to out. AT_ERR_IO when writing fails; AT_ERR_INVALID for an unknown
 * format; AT_ERR_INTERNAL when the PDF library reports an error. */
at_code at_statement_write(const at_statement *statement, at_statement_format format,
                           FILE *out, at_error *err);

/* The same into memory: *data is malloc'ed (free it), NUL-terminated after *length bytes
 * (PDF is binary: use the length). On error *data is NULL. */
at_code at_statement_render(const at_statement *statement, at_statement_format format,
                            char **data, size_t *length, at_error *err);

#endif
