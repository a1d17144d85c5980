/* estimate.h - what one more deal would pay (`attain estimate`): a hypothetical booking owned
 * by the payee is added to a copy of the input's transactions, the engine runs for that
 * payee alone before and after, and the difference is reported per earnings line (this
 * month, the window to date, and what later months of the fiscal year pay for it when the
 * plan pays quarterly or annually), with the attainment before and after and every tier,
 * payout-curve point or gate the deal crosses. estimate.c computes it, estimate_render.c
 * writes it as text or JSON. Nothing is stored. */
#ifndef ATTAIN_PAY_ESTIMATE_H
#define ATTAIN_PAY_ESTIMATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "calc/calc.h"
#include "core/arena.h"
#include "core/error.h"
#include "core/fiscal.h"
#include "core/money.h"
#include "pay/statement.h"

/* The id the hypothetical booking gets (never a real transaction's: ids are checked). */
#define AT_ESTIMATE_TRANSACTION_ID "(estimate)"

/* One earnings line (matched by key) before and after the deal. Money in the line's plan
 * currency (earned) or the pay currency (paid). */
typedef struct at_estimate_line {
    const char *key;
    const char *name;
    uint8_t kind;                 /* at_line_kind */
    const char *plan_currency;
    at_money earned_before, earned_after;     /* the deal's month */
    at_money to_date_before, to_date_after;   /* the window to date, in the deal's month */
    at_money paid_before, paid_after;         /* the deal's month, pay currency */
    at_money paid_later;          /* the difference paid in the later months computed (the
                                     plan's payment month, recoveries), pay currency */
    bool gated_before, gated_after;
    bool capped_before, capped_after;
} at_estimate_line;

/* A measure (per plan assignment) in the deal's month, before and after. */
typedef struct at_estimate_measure {
    const at_plan *plan;
    const at_plan_measure *def;
    const char *window;           /* "2026-Q1 to date" */
    bool money;
    const char *currency;         /* the plan's currency */
    at_money value_before, value_after;
    bool has_quota;
    at_money quota;
    at_rate attainment_before, attainment_after;
} at_estimate_measure;

typedef enum at_estimate_crossing_kind {
    AT_CROSS_TIER = 0,            /* a rate table's tier (an accelerator or decelerator) */
    AT_CROSS_CURVE,               /* a payout curve's point (a bonus or metric threshold) */
    AT_CROSS_GATE,                /* the gate opens (or closes) */
    AT_CROSS_CAP,                 /* a cap starts to cut the line */
} at_estimate_crossing_kind;

typedef struct at_estimate_crossing {
    at_estimate_crossing_kind kind;
    const at_plan *plan;
    const at_plan_component *component;
    int from, to;                 /* tiers / curve segments: 1-based index before and after */
    at_rate rate_before, rate_after; /* tiers: the rates of those tiers */
    const char *text;             /* a sentence for people */
} at_estimate_crossing;

typedef struct at_estimate_result {
    /* the deal */
    int32_t person;
    const char *payee_id, *payee_name;
    at_money amount;
    const char *deal_currency;
    const char *product;          /* NULL when none */
    at_day date;
    int32_t month;                /* calendar month index of date */
    const at_period *period;      /* its fiscal month */
    int32_t last_month;           /* the last month computed (the fiscal year's end, within
                                     the calendar) */
    const char *currency;         /* the pay currency */
    int decimals;

    at_estimate_line *lines;          size_t line_count;
    at_estimate_measure *measures;    size_t measure_count;
    at_estimate_crossing *crossings;  size_t crossing_count;

    /* totals in the pay currency */
    at_money paid_month;          /* the difference paid in the deal's month */
    at_money paid_later;          /* ... in the later months computed */
    at_money earned_month;        /* the difference in the month's component lines */
    const char *explain;          /* a paragraph for people */
} at_estimate_result;

/* Estimates what a booking of `amount` in `currency` (an index into input->currencies),
 * dated `date`, on `product` (an index into input->products, or -1), owned by
 * input->people[person], would pay. The engine runs from input->first_month to the end of
 * the fiscal year of `date` (within the calendar), for the payee alone, once without the
 * deal and once with it; the booking has quantity 1 when a product is given (0 otherwise),
 * no margin, no account, no split partners. The result lives in arena (it points into the
 * input as well). Errors: AT_ERR_INVALID for an argument out of range (a negative or zero
 * amount, a currency, product or person not in the input, a date outside the calendar or
 * before input->first_month); anything at_calc_run returns. */
at_code at_estimate(const at_calc_input *input, int32_t person, at_money amount,
                    at_calc_currency currency, int32_t product, at_day date, at_arena *arena,
                    at_estimate_result *out, at_error *err);

/* Writes the estimate as text (AT_STATEMENT_TEXT) or JSON (AT_STATEMENT_JSON); other formats
 * are AT_ERR_INVALID. */
at_code at_estimate_write(const at_estimate_result *estimate, at_statement_format format,
                          FILE *out, at_error *err);
at_code at_estimate_render(const at_estimate_result *estimate, at_statement_format format,
                           char **data, size_t *length, at_error *err);

#endif
