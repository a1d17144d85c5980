/* test_plan_read.c - the plan reader: every key read into plan.h's structure, every default,
 * JSON, the formula slot table, the source's sha256, the canonical form (its exact text for a
 * small plan, and read -> canonical -> read -> canonical giving the same text for every
 * example plan), at_plan_find_*, the names, reading files. Errors: test_plan_errors.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "plan/plan.h"

#define PCT(x) ((at_rate)((x) * 10000000LL)) /* whole percent -> at_rate */
#define MONEY(x) ((at_money)((x) * 10000LL))

static at_day day(int y, int m, int d)
{
    return at_day_from_ymd(y, m, d);
}

/* Reads text as "p.yaml"; fails the test on any problem. */
static at_plan *read_ok(const char *text, at_arena *arena)
{
    at_error_list problems;
    at_error_list_init(&problems, 0);
    at_error err;
    at_plan *plan = NULL;
    at_code code = at_plan_read(text, strlen(text), "p.yaml", arena, &plan, &problems, &err);
    if (code != AT_OK) {
        char buf[1024];
        for (size_t i = 0; i < problems.count; i++) {
            at_error_format(&problems.items[i], buf, sizeof buf);
            fprintf(stderr, "%s", buf);
        }
        at_error_list_free(&problems);
        fail_msg("plan did not read: %s", err.message);
    }
    assert_int_equal(problems.total, 0);
    at_error_list_free(&problems);
    assert_non_null(plan);
    return plan;
}

static const char MINIMAL[] = "plan: P\n"
                              "measures:\n"
                              "  - id: bookings\n"
                              "components:\n"
                              "  - id: c\n"
                              "    kind: rate\n"
                              "    measure: bookings\n"
                              "    rate: 5%\n";

static void defaults(void **state)
{
    (void)state;
    at_arena arena;
    at_arena_init(&arena, 0);
    at_plan *p = read_ok(MINIMAL, &arena);
    assert_string_equal(p->name, "P");
    assert_int_equal(p->version, 0);
    assert_null(p->description);
    assert_int_equal(p->pos.line, 1);
    assert_int_equal(p->pos.column, 7);
    assert_string_equal(p->pos.file, "p.yaml");
    assert_int_equal(p->effective_from, AT_DAY_MIN);
    assert_int_equal(p->effective_to, AT_DAY_MAX);
    assert_null(p->currency);
    assert_int_equal(p->fx_date, AT_FX_TRANSACTION_DATE);
    assert_int_equal(p->rounding, AT_ROUND_HALF_EVEN);
    assert_int_equal(p->frequency, AT_PAY_MONTHLY);
    assert_int_equal(p->proration, AT_PRORATE_DAYS);
    assert_int_equal(p->clawback.within_days, -1);
    assert_int_equal(p->clawback.share, AT_RATE_SCALE);
    assert_int_equal(p->metric_count, 0);
    assert_false(p->draw.present);
    assert_int_equal(p->slot_count, 0);

    assert_int_equal(p->measure_count, 1);
    const at_plan_measure *m = &p->measures[0];
    assert_string_equal(m->id, "bookings");
    assert_string_equal(m->name, "bookings");
    assert_int_equal(m->pos.line, 3);
    assert_int_equal(m->pos.column, 5);
    assert_int_equal(m->basis, AT_BASIS_BOOKING);
    assert_int_equal(m->sum, AT_SUM_AMOUNT);
    assert_null(m->sum_formula);
    assert_int_equal(m->window, AT_WINDOW_MONTH);
    assert_int_equal(m->credit_kinds, (1u << AT_CREDIT_OWNER) | (1u << AT_CREDIT_SPLIT));
    assert_int_equal(m->rollup_levels, 0);
    assert_int_equal(m->territory_roles, 0);
    assert_int_equal(m->product_family_count, 0);
    assert_int_equal(m->product_count, 0);
    assert_int_equal(m->from, AT_DAY_MIN);
    assert_int_equal(m->to, AT_DAY_MAX);
    assert_string_equal(m->quota, "bookings");

    assert_int_equal(p->component_count, 1);
    const at_plan_component *c = &p->components[0];
    assert_string_equal(c->id, "c");
    assert_string_equal(c->name, "c");
    assert_int_equal(c->pos.line, 5);
    assert_int_equal(c->kind, AT_COMPONENT_RATE);
    assert_int_equal(c->measure, 0);
    assert_int_equal(c->rate, PCT(5));
    assert_int_equal(c->product_rate_count, 0);
    assert_null(c->gate);
    assert_false(c->caps.has_per_deal);
    assert_false(c->caps.has_per_period);
    assert_false(c->caps.has_per_year);
    assert_true(c->clawback);
    assert_int_equal(p->source_length, strlen(MINIMAL));
    assert_memory_equal(p->source, MINIMAL, strlen(MINIMAL));
    /* sha256sum of the same bytes */
    assert_string_equal(p->sha256,
                        "387d109c38c894196bbe3a8a8eeb57f73b46347c036dfe25e243a07ba9c1c523");
    at_arena_free(&arena);
}

/* Every key of the format, with values other than the defaults. */
static const char FULL[] =
    "plan: AE 2026\n"                                                  /* 1 */
    "description: Account executives, FY2026\n"                        /* 2 */
    "effective: {from: 2025-02-01, to: 2026-01-31}\n"                  /* 3 */
    "currency: EUR\n"                                                  /* 4 */
    "fx_date: period_end\n"                                            /* 5 */
    "rounding: half-up\n"                                              /* 6 */
    "frequency: quarterly\n"                                           /* 7 */
    "proration: none\n"                                                /* 8 */
    "clawback: {within_days: 90, share: 50%}\n"                        /* 9 */
    "metrics:\n"                                                       /* 10 */
    "  - {name: avg_margin, unit: number}\n"                           /* 11 */
    "  - {name: pipeline, unit: money}\n"                              /* 12 */
    "  - {name: calls, unit: count}\n"                                 /* 13 */
    "measures:\n"                                                      /* 14 */
    "  - id: bookings\n"                                               /* 15 */
    "    name: Bookings\n"                                             /* 16 */
    "    basis: invoice\n"                                             /* 17 */
    "    sum: margin\n"                                                /* 18 */
    "    window: quarter_to_date\n"                                    /* 19 */
    "    credit: [owner, rollup, territory]\n"                         /* 20 */
    "    rollup_levels: 2\n"                                           /* 21 */
    "    territory_roles: [overlay, manager]\n"                        /* 22 */
    "    product_families: [GTX, SVC]\n"                               /* 23 */
    "    products: [PRD-GTX-PRO]\n"                                    /* 24 */
    "    from: 2026-01-01\n"                                           /* 25 */
    "    to: 2026-03-31\n"                                             /* 26 */
    "    quota: new_bookings\n"                                        /* 27 */
    "  - id: adjusted\n"                                               /* 28 */
    "    basis: payment\n"                                             /* 29 */
    "    sum: \"amount - 0.5 * margin\"\n"                             /* 30 */
    "    window: year_to_date\n"                                       /* 31 */
    "    credit: [overlay, sdr, manager, split]\n"                     /* 32 */
    "    quota: none\n"                                                /* 33 */
    "  - id: units\n"                                                  /* 34 */
    "    sum: quantity\n"                                              /* 35 */
    "    window: half_to_date\n"                                       /* 36 */
    "components:\n"                                                    /* 37 */
    "  - id: commission\n"                                             /* 38 */
    "    name: Commission\n"                                           /* 39 */
    "    kind: rate\n"                                                 /* 40 */
    "    measure: bookings\n"                                          /* 41 */
    "    rate: 0.05\n"                                                 /* 42 */
    "    products:\n"                                                  /* 43 */
    "      - {product: PRD-GTX-PRO, rate: 8%}\n"                       /* 44 */
    "      - {family: SVC, rate: 2.5%}\n"                              /* 45 */
    "    cap: {per_deal: 10000, per_period: 20000.5, per_year: 100000}\n" /* 46 */
    "    clawback: false\n"                                            /* 47 */
    "  - id: units_paid\n"                                             /* 48 */
    "    kind: per_unit\n"                                             /* 49 */
    "    measure: units\n"                                             /* 50 */
    "    amount: 25\n"                                                 /* 51 */
    "    products:\n"                                                  /* 52 */
    "      - {product: PRD-A, amount: 500, quantity_tiers: [{from: 10, amount: 400}, {from: 20, amount: 350}]}\n"
    "  - id: accel\n"                                                  /* 54 */
    "    kind: tiers\n"                                                /* 55 */
    "    measure: bookings\n"                                          /* 56 */
    "    method: retroactive\n"                                        /* 57 */
    "    on: attainment\n"                                             /* 58 */
    "    scope: period\n"                                              /* 59 */
    "    edges: upper_inclusive\n"                                     /* 60 */
    "    tiers:\n"                                                     /* 61 */
    "      - {from: 0, to: 100%, rate: 5%}\n"                          /* 62 */
    "      - {from: 100%, to: 1.5, rate: 8%}\n"                        /* 63 */
    "      - {from: 150%, rate: 10%}\n"                                /* 64 */
    "    gate: \"bookings.attainment >= 50%\"\n"                       /* 65 */
    "  - id: per_deal\n"                                               /* 66 */
    "    kind: tiers\n"                                                /* 67 */
    "    measure: adjusted\n"                                          /* 68 */
    "    method: marginal\n"                                           /* 69 */
    "    on: amount\n"                                                 /* 70 */
    "    scope: transaction\n"                                         /* 71 */
    "    tiers:\n"                                                     /* 72 */
    "      - {from: 0, to: 1000.25, rate: 1%}\n"                       /* 73 */
    "      - {from: 1000.25, rate: 2%}\n"                              /* 74 */
    "  - id: bonus\n"                                                  /* 75 */
    "    kind: bonus\n"                                                /* 76 */
    "    measure: bookings\n"                                          /* 77 */
    "    weight: 40%\n"                                                /* 78 */
    "    curve:\n"                                                     /* 79 */
    "      - [0%, 0%]\n"                                               /* 80 */
    "      - [50%, 25%]\n"                                             /* 81 */
    "      - [1.5, 200%]\n"                                            /* 82 */
    "    extrapolate: true\n"                                          /* 83 */
    "  - id: mbo\n"                                                    /* 84 */
    "    kind: metric\n"                                               /* 85 */
    "    metric: pipeline\n"                                           /* 86 */
    "    metric_window: half\n"                                        /* 87 */
    "    weight: 10%\n"                                                /* 88 */
    "    curve: [[100000, 0%], [250000.5, 100%]]\n"                    /* 89 */
    "  - id: calls_kpi\n"                                              /* 90 */
    "    kind: metric\n"                                               /* 91 */
    "    metric: calls\n"                                              /* 92 */
    "    weight: 5%\n"                                                 /* 93 */
    "    curve: [[10, 0%], [40, 100%]]\n"                              /* 94 */
    "  - id: launch\n"                                                 /* 95 */
    "    kind: spiff\n"                                                /* 96 */
    "    measure: bookings\n"                                          /* 97 */
    "    from: 2025-03-01\n"                                           /* 98 */
    "    to: 2025-03-31\n"                                             /* 99 */
    "    rate: 1%\n"                                                   /* 100 */
    "    amount: 5\n"                                                  /* 101 */
    "    products: [{product: PRD-NEW, amount: 1000}, {family: NEW, rate: 3%}]\n" /* 102 */
    "  - id: meetings\n"                                               /* 103 */
    "    kind: spiff\n"                                                /* 104 */
    "    activity: meeting\n"                                          /* 105 */
    "    meaningful_only: yes\n"                                       /* 106 */
    "    per_activity: 50\n"                                           /* 107 */
    "  - id: kicker\n"                                                 /* 108 */
    "    kind: formula\n"                                              /* 109 */
    "    measure: bookings\n"                                          /* 110 */
    "    formula: \"if(attainment >= 100%, 0.01 * bookings, 0) + min(commission, 5000)\"\n"
    "    gate: \"metric.avg_margin >= 30% and days_on_plan > 0 and target_incentive > 0\"\n"
    "draw: {amount: 1500, recoverable: true, months: 6}\n";            /* 113 */

static void every_key(void **state)
{
    (void)state;
    at_arena arena;
    at_arena_init(&arena, 0);
    at_plan *p = read_ok(FULL, &arena);
    assert_string_equal(p->name, "AE 2026");
    assert_string_equal(p->description, "Account executives, FY2026");
    assert_int_equal(p->effective_from, day(2025, 2, 1));
    assert_int_equal(p->effective_to, day(2026, 1, 31));
    assert_string_equal(p->currency, "EUR");
    assert_int_equal(p->fx_date, AT_FX_PERIOD_END);
    assert_int_equal(p->rounding, AT_ROUND_HALF_UP);
    assert_int_equal(p->frequency, AT_PAY_QUARTERLY);
    assert_int_equal(p->proration, AT_PRORATE_NONE);
    assert_int_equal(p->clawback.within_days, 90);
    assert_int_equal(p->clawback.share, PCT(50));
    assert_int_equal(p->clawback.pos.line, 9);
    assert_int_equal(p->clawback.pos.column, 11);

    assert_int_equal(p->metric_count, 3);
    assert_string_equal(p->metrics[0].name, "avg_margin");
    assert_int_equal(p->metrics[0].unit, AT_UNIT_NUMBER);
    assert_int_equal(p->metrics[1].unit, AT_UNIT_MONEY);
    assert_int_equal(p->metrics[2].unit, AT_UNIT_COUNT);
    assert_int_equal(p->metrics[2].pos.line, 13);

    assert_int_equal(p->measure_count, 3);
    const at_plan_measure *m = &p->measures[0];
    assert_string_equal(m->name, "Bookings");
    assert_int_equal(m->basis, AT_BASIS_INVOICE);
    assert_int_equal(m->sum, AT_SUM_MARGIN);
    assert_int_equal(m->window, AT_WINDOW_QUARTER_TO_DATE);
    assert_int_equal(m->credit_kinds, (1u << AT_CREDIT_OWNER) | (1u << AT_CREDIT_ROLLUP) |
                                          (1u << AT_CREDIT_TERRITORY));
    assert_int_equal(m->rollup_levels, 2);
    assert_int_equal(m->territory_roles, (1u << 1) | (1u << 2));
    assert_int_equal(m->product_family_count, 2);
    assert_string_equal(m->product_families[0], "GTX");
    assert_string_equal(m->product_families[1], "SVC");
    assert_int_equal(m->product_count, 1);
    assert_string_equal(m->products[0], "PRD-GTX-PRO");
    assert_int_equal(m->from, day(2026, 1, 1));
    assert_int_equal(m->to, day(2026, 3, 31));
    assert_string_equal(m->quota, "new_bookings");
    m = &p->measures[1];
    assert_int_equal(m->basis, AT_BASIS_PAYMENT);
    assert_int_equal(m->sum, AT_SUM_FORMULA);
    assert_non_null(m->sum_formula);
    assert_string_equal(at_formula_text(m->sum_formula), "amount - 0.5 * margin");
    assert_int_equal(at_formula_unit(m->sum_formula), AT_UNIT_MONEY);
    assert_int_equal(m->window, AT_WINDOW_YEAR_TO_DATE);
    assert_int_equal(m->credit_kinds, (1u << AT_CREDIT_OVERLAY) | (1u << AT_CREDIT_SDR) |
                                          (1u << AT_CREDIT_MANAGER) | (1u << AT_CREDIT_SPLIT));
    assert_null(m->quota);
    m = &p->measures[2];
    assert_int_equal(m->sum, AT_SUM_QUANTITY);
    assert_int_equal(m->window, AT_WINDOW_HALF_TO_DATE);

    assert_int_equal(p->component_count, 10);
    const at_plan_component *c = &p->components[0];
    assert_string_equal(c->name, "Commission");
    assert_int_equal(c->rate, PCT(5));
    assert_int_equal(c->product_rate_count, 2);
    assert_string_equal(c->product_rates[0].product, "PRD-GTX-PRO");
    assert_null(c->product_rates[0].family);
    assert_int_equal(c->product_rates[0].rate, PCT(8));
    assert_int_equal(c->product_rates[0].pos.line, 44);
    assert_int_equal(c->product_rates[0].pos.column, 9);
    assert_string_equal(c->product_rates[1].family, "SVC");
    assert_int_equal(c->product_rates[1].rate, 25000000);
    assert_true(c->caps.has_per_deal && c->caps.has_per_period && c->caps.has_per_year);
    assert_int_equal(c->caps.per_deal, MONEY(10000));
    assert_int_equal(c->caps.per_period, 200005000);
    assert_int_equal(c->caps.per_year, MONEY(100000));
    assert_false(c->clawback);

    c = &p->components[1];
    assert_int_equal(c->kind, AT_COMPONENT_PER_UNIT);
    assert_int_equal(c->measure, 2);
    assert_int_equal(c->default_amount, MONEY(25));
    assert_int_equal(c->product_rate_count, 1);
    const at_plan_product_rate *pr = &c->product_rates[0];
    assert_int_equal(pr->amount, MONEY(500));
    assert_int_equal(pr->quantity_tier_count, 2);
    assert_int_equal(pr->quantity_tiers[0].from, 10);
    assert_int_equal(pr->quantity_tiers[0].to, 20);
    assert_true(pr->quantity_tiers[0].has_to);
    assert_int_equal(pr->quantity_tiers[0].amount, MONEY(400));
    assert_int_equal(pr->quantity_tiers[1].from, 20);
    assert_false(pr->quantity_tiers[1].has_to);
    assert_int_equal(pr->quantity_tiers[1].to, INT64_MAX);
    assert_true(c->clawback);
    assert_true(p->components[1].clawback);

    c = &p->components[2];
    assert_int_equal(c->kind, AT_COMPONENT_TIERS);
    assert_int_equal(c->method, AT_TIERS_RETROACTIVE);
    assert_int_equal(c->tier_basis, AT_TIER_ON_ATTAINMENT);
    assert_int_equal(c->scope, AT_TIERS_ON_PERIOD);
    assert_int_equal(c->edges, AT_EDGES_UPPER_INCLUSIVE);
    assert_int_equal(c->tier_count, 3);
    assert_int_equal(c->tiers[0].from, 0);
    assert_int_equal(c->tiers[0].to, AT_RATE_SCALE);
    assert_int_equal(c->tiers[1].from, AT_RATE_SCALE);
    assert_int_equal(c->tiers[1].to, 1500000000);
    assert_int_equal(c->tiers[1].rate, PCT(8));
    assert_int_equal(c->tiers[2].from, 1500000000);
    assert_false(c->tiers[2].has_to);
    assert_int_equal(c->tiers[2].to, INT64_MAX);
    assert_int_equal(c->tiers[2].pos.line, 64);
    assert_non_null(c->gate);
    assert_int_equal(at_formula_unit(c->gate), AT_UNIT_BOOL);

    c = &p->components[3];
    assert_int_equal(c->method, AT_TIERS_MARGINAL);
    assert_int_equal(c->tier_basis, AT_TIER_ON_AMOUNT);
    assert_int_equal(c->scope, AT_TIERS_ON_TRANSACTION);
    assert_int_equal(c->edges, AT_EDGES_LOWER_INCLUSIVE);
    assert_int_equal(c->tiers[0].to, 10002500);
    assert_int_equal(c->tiers[1].from, 10002500);

    c = &p->components[4];
    assert_int_equal(c->kind, AT_COMPONENT_BONUS);
    assert_int_equal(c->weight, PCT(40));
    assert_int_equal(c->curve.count, 3);
    assert_int_equal(c->curve.points[1].x, PCT(50));
    assert_int_equal(c->curve.points[1].payout, PCT(25));
    assert_int_equal(c->curve.points[2].x, 1500000000);
    assert_int_equal(c->curve.points[2].payout, PCT(200));
    assert_true(c->curve.extrapolate);

    c = &p->components[5];
    assert_int_equal(c->kind, AT_COMPONENT_METRIC);
    assert_int_equal(c->measure, -1);
    assert_string_equal(c->metric, "pipeline");
    assert_int_equal(c->metric_window, AT_WINDOW_HALF_TO_DATE);
    assert_int_equal(c->weight, PCT(10));
    /* a money metric's curve is at 1e-9, like at_calc_metric.value */
    assert_int_equal(c->curve.points[0].x, 100000 * AT_RATE_SCALE);
    assert_int_equal(c->curve.points[1].x, 250000500000000LL);
    assert_false(c->curve.extrapolate);
    c = &p->components[6];
    assert_int_equal(c->metric_window, AT_WINDOW_MONTH);
    assert_int_equal(c->curve.points[1].x, 40 * AT_RATE_SCALE);

    c = &p->components[7];
    assert_int_equal(c->kind, AT_COMPONENT_SPIFF);
    assert_int_equal(c->spiff_from, day(2025, 3, 1));
    assert_int_equal(c->spiff_to, day(2025, 3, 31));
    assert_null(c->activity_type);
    assert_int_equal(c->rate, PCT(1));
    assert_int_equal(c->default_amount, MONEY(5));
    assert_int_equal(c->product_rate_count, 2);
    assert_int_equal(c->product_rates[0].amount, MONEY(1000));
    assert_int_equal(c->product_rates[0].rate, 0);
    assert_int_equal(c->product_rates[1].rate, PCT(3));

    c = &p->components[8];
    assert_string_equal(c->id, "meetings");
    assert_string_equal(c->activity_type, "meeting");
    assert_true(c->activity_meaningful_only);
    assert_int_equal(c->per_activity, MONEY(50));
    assert_int_equal(c->spiff_from, day(2025, 2, 1)); /* the plan's effective dates */
    assert_int_equal(c->spiff_to, day(2026, 1, 31));
    c = &p->components[9];
    assert_int_equal(c->kind, AT_COMPONENT_FORMULA);
    assert_string_equal(c->id, "kicker");
    assert_int_equal(c->measure, 0);
    assert_non_null(c->formula);
    assert_int_equal(at_formula_unit(c->formula), AT_UNIT_MONEY);

    assert_true(p->draw.present);
    assert_int_equal(p->draw.amount, MONEY(1500));
    assert_true(p->draw.recoverable);
    assert_int_equal(p->draw.months, 6);
    assert_int_equal(p->draw.pos.line, 113);
    at_arena_free(&arena);
}

static void activity_spiff_and_dates_default(void **state)
{
    (void)state;
    at_arena arena;
    at_arena_init(&arena, 0);
    at_plan *p = read_ok("plan: S\n"
                         "effective: {from: 2026-01-01}\n"
                         "measures: [{id: sales}]\n"
                         "components:\n"
                         "  - {id: m, kind: spiff, activity: meeting, meaningful_only: true, "
                         "per_activity: 50}\n"
                         "  - {id: p, kind: spiff, measure: sales, amount: 10, to: 2026-06-30}\n",
                         &arena);
    const at_plan_component *c = &p->components[0];
    assert_string_equal(c->activity_type, "meeting");
    assert_true(c->activity_meaningful_only);
    assert_int_equal(c->per_activity, MONEY(50));
    assert_int_equal(c->measure, -1);
    /* no dates: the plan's effective span (open at the end) */
    assert_int_equal(c->spiff_from, day(2026, 1, 1));
    assert_int_equal(c->spiff_to, AT_DAY_MAX);
    c = &p->components[1];
    assert_int_equal(c->spiff_from, day(2026, 1, 1));
    assert_int_equal(c->spiff_to, day(2026, 6, 30));
    assert_int_equal(c->default_amount, MONEY(10));
    at_arena_free(&arena);
}

static void json_document(void **state)
{
    (void)state;
    at_arena arena;
    at_arena_init(&arena, 0);
    at_plan *p = read_ok(
        "{\"plan\":\"J\",\"measures\":[{\"id\":\"bookings\",\"quota\":\"none\"}],\n"
        " \"components\":[{\"id\":\"c\",\"kind\":\"tiers\",\"measure\":\"bookings\","
        "\"method\":\"marginal\",\n"
        "   \"tiers\":[{\"from\":0,\"to\":10000,\"rate\":\"0%\"},{\"from\":10000,\"rate\":0.07}]}],\n"
        " \"draw\":{\"amount\":1500,\"recoverable\":false}}\n",
        &arena);
    assert_string_equal(p->name, "J");
    assert_null(p->measures[0].quota);
    assert_int_equal(p->components[0].tiers[1].from, MONEY(10000));
    assert_int_equal(p->components[0].tiers[1].rate, PCT(7));
    assert_int_equal(p->components[0].pos.line, 2);
    assert_false(p->draw.recoverable);
    assert_int_equal(p->draw.months, 0);
    at_arena_free(&arena);
}

static void formula_slots(void **state)
{
    (void)state;
    at_arena arena;
    at_arena_init(&arena, 0);
    at_plan *p = read_ok(FULL, &arena);
    /* in the order formulas first name them: the sum of `adjusted` (amount, margin), the gate
       of accel (bookings.attainment), kicker's formula (bare attainment is its measure's,
       bookings, commission), kicker's gate (metric, days, target incentive) */
    assert_int_equal(p->slot_count, 8);
    struct {
        at_plan_slot_kind kind;
        int index;
        at_unit unit;
        const char *name;
    } want[] = {
        {AT_SLOT_CREDIT_AMOUNT, -1, AT_UNIT_MONEY, "amount"},
        {AT_SLOT_CREDIT_MARGIN, -1, AT_UNIT_MONEY, "margin"},
        {AT_SLOT_ATTAINMENT, 0, AT_UNIT_NUMBER, "bookings.attainment"},
        {AT_SLOT_MEASURE, 0, AT_UNIT_MONEY, "bookings"},
        {AT_SLOT_COMPONENT, 0, AT_UNIT_MONEY, "commission"},
        {AT_SLOT_METRIC, 0, AT_UNIT_NUMBER, "metric.avg_margin"},
        {AT_SLOT_DAYS_ON_PLAN, -1, AT_UNIT_COUNT, "days_on_plan"},
        {AT_SLOT_TARGET_INCENTIVE, -1, AT_UNIT_MONEY, "target_incentive"},
    };
    for (size_t i = 0; i < 8; i++) {
        assert_int_equal(p->slots[i].kind, want[i].kind);
        assert_int_equal(p->slots[i].index, want[i].index);
        assert_int_equal(p->slots[i].unit, want[i].unit);
        assert_string_equal(p->slots[i].name, want[i].name);
    }
    /* a formula's slots are indexes into this table */
    const at_formula *kicker = p->components[9].formula;
    assert_int_equal(at_formula_slot_count(kicker), 3);
    assert_int_equal(at_formula_slot_at(kicker, 0), 2);
    assert_int_equal(at_formula_slot_at(kicker, 1), 3);
    assert_int_equal(at_formula_slot_at(kicker, 2), 4);
    at_arena_free(&arena);
}

static void count_measures_and_quota_slots(void **state)
{
    (void)state;
    at_arena arena;
    at_arena_init(&arena, 0);
    at_plan *p = read_ok("plan: C\n"
                         "measures:\n"
                         "  - {id: deals, sum: count}\n"
                         "  - {id: units, sum: quantity, quota: none}\n"
                         "components:\n"
                         "  - id: f\n"
                         "    kind: formula\n"
                         "    formula: \"if(deals >= deals.quota, 100 * units, 0)\"\n"
                         "    gate: \"days_in_period > 0\"\n",
                         &arena);
    assert_int_equal(p->slot_count, 4);
    assert_int_equal(p->slots[0].kind, AT_SLOT_MEASURE);
    assert_int_equal(p->slots[0].unit, AT_UNIT_COUNT);
    assert_int_equal(p->slots[1].kind, AT_SLOT_QUOTA);
    assert_int_equal(p->slots[1].unit, AT_UNIT_COUNT);
    assert_string_equal(p->slots[1].name, "deals.quota");
    assert_int_equal(p->slots[2].kind, AT_SLOT_MEASURE);
    assert_int_equal(p->slots[2].index, 1);
    assert_int_equal(p->slots[3].kind, AT_SLOT_DAYS_IN_PERIOD);
    at_arena_free(&arena);
}

static const char MINIMAL_CANONICAL[] = "plan: P\n"
                                        "fx_date: transaction\n"
                                        "rounding: half-even\n"
                                        "frequency: monthly\n"
                                        "proration: days\n"
                                        "clawback: {share: 100%}\n"
                                        "measures:\n"
                                        "  - id: bookings\n"
                                        "    name: bookings\n"
                                        "    basis: booking\n"
                                        "    sum: amount\n"
                                        "    window: month\n"
                                        "    credit: [owner, split]\n"
                                        "    quota: bookings\n"
                                        "components:\n"
                                        "  - id: c\n"
                                        "    name: c\n"
                                        "    kind: rate\n"
                                        "    measure: bookings\n"
                                        "    rate: 5%\n"
                                        "    clawback: true\n";

static void canonical_text(void **state)
{
    (void)state;
    at_arena arena;
    at_arena_init(&arena, 0);
    at_plan *p = read_ok(MINIMAL, &arena);
    char *text = NULL;
    size_t len = 0;
    at_error err;
    assert_int_equal(at_plan_write_canonical(p, &text, &len, &err), AT_OK);
    assert_string_equal(text, MINIMAL_CANONICAL);
    assert_int_equal(len, strlen(MINIMAL_CANONICAL));
    free(text);
    /* the same plan written differently is the same canonical text */
    at_plan *q = read_ok("# a comment\n"
                         "components: [{kind: rate, rate: 0.05, id: c, measure: bookings}]\n"
                         "measures: [{quota: bookings, id: bookings, credit: [split, owner]}]\n"
                         "plan: \"P\"\n",
                         &arena);
    assert_int_equal(at_plan_write_canonical(q, &text, &len, &err), AT_OK);
    assert_string_equal(text, MINIMAL_CANONICAL);
    free(text);
    at_arena_free(&arena);
}

/* read -> canonical -> read -> canonical gives the same text */
static void round_trip_text(const char *text, const char *label)
{
    at_arena arena;
    at_arena_init(&arena, 0);
    at_plan *p1 = read_ok(text, &arena);
    char *c1 = NULL, *c2 = NULL;
    size_t l1 = 0, l2 = 0;
    at_error err;
    assert_int_equal(at_plan_write_canonical(p1, &c1, &l1, &err), AT_OK);
    at_plan *p2 = read_ok(c1, &arena);
    assert_int_equal(at_plan_write_canonical(p2, &c2, &l2, &err), AT_OK);
    if (strcmp(c1, c2) != 0)
        fail_msg("%s: canonical forms differ:\n%s\n---\n%s", label, c1, c2);
    /* and the meaning survived */
    assert_int_equal(p1->measure_count, p2->measure_count);
    assert_int_equal(p1->component_count, p2->component_count);
    assert_int_equal(p1->slot_count, p2->slot_count);
    free(c1);
    free(c2);
    at_arena_free(&arena);
}

static void round_trip(void **state)
{
    (void)state;
    round_trip_text(FULL, "FULL");
    round_trip_text(MINIMAL, "MINIMAL");
    round_trip_text("plan: \"Tricky: name, with # and 'quotes' and \\\"more\\\"\"\n"
                    "description: \"line one\\nline two\\ttab\"\n"
                    "measures: [{id: b, name: \"yes\", products: [\"a, b\", \"null\"]}]\n"
                    "components: [{id: c, kind: rate, measure: b, rate: 0.0000001%, "
                    "name: \"–unicode ✓\"}]\n",
                    "tricky");
}

static void round_trip_examples(void **state)
{
    (void)state;
    const char *src = getenv("ATTAIN_SOURCE_DIR");
    if (!src)
        fail_msg("run under ctest: ATTAIN_SOURCE_DIR must be set");
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/examples/plans", src);
    DIR *d = opendir(dir);
    assert_non_null(d);
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        if (len < 5 || strcmp(e->d_name + len - 5, ".yaml") != 0)
            continue;
        char path[2048];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        at_arena arena;
        at_arena_init(&arena, 0);
        at_plan *p = NULL;
        at_error err;
        at_error_list problems;
        at_error_list_init(&problems, 0);
        if (at_plan_read_file(path, &arena, &p, &problems, &err) != AT_OK)
            fail_msg("%s: %s: %s", path, err.where, err.message);
        at_error_list_free(&problems);
        round_trip_text(p->source, e->d_name);
        at_arena_free(&arena);
        n++;
    }
    closedir(d);
    assert_true(n >= 22); /* one per kind of plan in the issue */
}

static void find_and_names(void **state)
{
    (void)state;
    at_arena arena;
    at_arena_init(&arena, 0);
    at_plan *p = read_ok(FULL, &arena);
    assert_int_equal(at_plan_find_measure(p, "bookings"), 0);
    assert_int_equal(at_plan_find_measure(p, "units"), 2);
    assert_int_equal(at_plan_find_measure(p, "commission"), -1);
    assert_int_equal(at_plan_find_measure(p, NULL), -1);
    assert_int_equal(at_plan_find_component(p, "commission"), 0);
    assert_int_equal(at_plan_find_component(p, "kicker"), 9);
    assert_int_equal(at_plan_find_component(p, "bookings"), -1);
    assert_int_equal(at_plan_find_component(NULL, "x"), -1);
    assert_string_equal(at_credit_kind_name(AT_CREDIT_OWNER), "owner");
    assert_string_equal(at_credit_kind_name(AT_CREDIT_SDR), "sdr");
    assert_string_equal(at_credit_kind_name(AT_CREDIT_TERRITORY), "territory");
    assert_string_equal(at_credit_kind_name((at_credit_kind)7), "unknown");
    assert_string_equal(at_component_kind_name(AT_COMPONENT_RATE), "rate");
    assert_string_equal(at_component_kind_name(AT_COMPONENT_PER_UNIT), "per_unit");
    assert_string_equal(at_component_kind_name(AT_COMPONENT_FORMULA), "formula");
    assert_string_equal(at_component_kind_name((at_component_kind)99), "unknown");
    at_arena_free(&arena);
}

static void read_file(void **state)
{
    (void)state;
    at_arena arena;
    at_arena_init(&arena, 0);
    at_plan *p = NULL;
    at_error err;
    at_error_list problems;
    at_error_list_init(&problems, 0);
    assert_int_equal(at_plan_read_file("/nonexistent/plan.yaml", &arena, &p, &problems, &err),
                     AT_ERR_IO);
    assert_null(p);
    assert_string_equal(err.where, "/nonexistent/plan.yaml");
    assert_int_equal(problems.total, 0);

    const char *tmp = getenv("ATTAIN_TEST_TMP");
    char path[1024];
    snprintf(path, sizeof path, "%s/plan-%d.yaml", tmp ? tmp : "/tmp", (int)getpid());
    char mk[1100];
    snprintf(mk, sizeof mk, "mkdir -p '%s'", tmp ? tmp : "/tmp");
    assert_int_equal(system(mk), 0);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(MINIMAL, f);
    fclose(f);
    assert_int_equal(at_plan_read_file(path, &arena, &p, &problems, &err), AT_OK);
    assert_string_equal(p->name, "P");
    assert_string_equal(p->pos.file, path);
    assert_int_equal(p->source_length, strlen(MINIMAL));
    /* a broken one: problems carry the path */
    f = fopen(path, "wb");
    fputs("plan: P\n", f);
    fclose(f);
    assert_int_equal(at_plan_read_file(path, &arena, &p, &problems, &err), AT_ERR_INVALID);
    assert_null(p);
    assert_int_equal(problems.total, 1);
    char where[1100];
    snprintf(where, sizeof where, "%s:1:1", path);
    assert_string_equal(problems.items[0].where, where);
    assert_string_equal(err.where, where);
    remove(path);
    at_error_list_free(&problems);
    at_arena_free(&arena);
}

static void without_problem_list(void **state)
{
    (void)state;
    at_arena arena;
    at_arena_init(&arena, 0);
    at_plan *p = NULL;
    at_error err;
    const char *doc = "plan: P\nfrequency: weekly\ncomponents: []\n";
    assert_int_equal(at_plan_read(doc, strlen(doc), NULL, &arena, &p, NULL, &err),
                     AT_ERR_INVALID);
    assert_null(p);
    /* err is the first problem, saying how many more there are */
    assert_string_equal(err.where, "plan:2:12");
    assert_non_null(strstr(err.message, "frequency 'weekly'"));
    assert_non_null(strstr(err.message, "(and 1 more problem)"));
    /* nor an error to fill: the code alone says it */
    assert_int_equal(at_plan_read(doc, strlen(doc), NULL, &arena, &p, NULL, NULL), AT_ERR_INVALID);
    assert_int_equal(at_plan_read("a: [", 4, NULL, &arena, &p, NULL, NULL), AT_ERR_INVALID);
    assert_int_equal(at_plan_read(MINIMAL, strlen(MINIMAL), NULL, &arena, &p, NULL, NULL), AT_OK);
    assert_non_null(p);
    at_arena_free(&arena);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(defaults),
        cmocka_unit_test(every_key),
        cmocka_unit_test(activity_spiff_and_dates_default),
        cmocka_unit_test(json_document),
        cmocka_unit_test(formula_slots),
        cmocka_unit_test(count_measures_and_quota_slots),
        cmocka_unit_test(canonical_text),
        cmocka_unit_test(round_trip),
        cmocka_unit_test(round_trip_examples),
        cmocka_unit_test(find_and_names),
        cmocka_unit_test(read_file),
        cmocka_unit_test(without_problem_list),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
