/* calc_fixtures.h - a small world for the engine's tests: people, transactions, plans (read
 * from YAML text by the plan reader), quotas and assignments, built with a few calls and
 * turned into an at_calc_input. Header-only (static inline) so that each test_calc_*.c stays
 * one executable. Amounts and days are written as text: M("1,600.00" without commas) and
 * D("2026-03-31"). */
#ifndef ATTAIN_TESTS_CALC_FIXTURES_H
#define ATTAIN_TESTS_CALC_FIXTURES_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calc/calc.h"
#include "core/arena.h"
#include "core/date.h"
#include "core/fiscal.h"
#include "core/fx.h"
#include "core/money.h"
#include "plan/plan.h"

#define FW_MAX_TX 20000
#define FW_MAX 512

static inline at_money M(const char *s)
{
    at_money v = 0;
    if (at_money_parse(at_str_from(s), &v, NULL) != AT_OK) {
        fprintf(stderr, "bad money in test: %s\n", s);
        abort();
    }
    return v;
}

static inline at_rate R(const char *s)
{
    at_rate v = 0;
    if (at_rate_parse(at_str_from(s), &v, NULL) != AT_OK) {
        fprintf(stderr, "bad rate in test: %s\n", s);
        abort();
    }
    return v;
}

static inline at_day D(const char *s)
{
    at_day v = 0;
    if (at_day_parse(at_str_from(s), &v, NULL) != AT_OK) {
        fprintf(stderr, "bad day in test: %s\n", s);
        abort();
    }
    return v;
}

typedef struct fw_world {
    at_fiscal_table cal;
    at_fx_table fx;
    at_arena arena;
    const char *currencies[8];
    size_t currency_count;
    at_calc_person people[FW_MAX];
    size_t person_count;
    at_calc_reporting_line lines[FW_MAX];
    size_t line_count;
    at_calc_leave leaves[FW_MAX];
    size_t leave_count;
    at_calc_product products[FW_MAX];
    size_t product_count;
    size_t account_count;
    /* transactions */
    size_t tx_count;
    const char **tx_id;
    uint8_t *tx_type;
    at_day *tx_date;
    at_money *tx_amount;
    at_calc_currency *tx_currency;
    at_money *tx_margin;
    uint8_t *tx_has_margin;
    int64_t *tx_quantity;
    int32_t *tx_product, *tx_account, *tx_owner, *tx_original;
    at_calc_tx_person *tx_people;
    size_t tx_person_count;
    at_calc_territory_account territory_accounts[FW_MAX];
    size_t territory_account_count;
    at_calc_territory_person territory_people[FW_MAX];
    size_t territory_person_count;
    at_calc_quota quotas[FW_MAX];
    size_t quota_count;
    at_calc_assignment assignments[FW_MAX];
    size_t assignment_count;
    const at_plan *plans[32];
    size_t plan_count;
    at_calc_metric metrics[FW_MAX];
    size_t metric_count;
    at_calc_activity activities[FW_MAX];
    size_t activity_count;
    at_calc_locked_line locked[FW_MAX];
    size_t locked_count;
    int32_t closed[64];
    size_t closed_count;
    at_money draw_before[FW_MAX];
    at_calc_input in;
} fw_world;

static inline fw_world *fw_new(void)
{
    fw_world *w = calloc(1, sizeof *w);
    at_fiscal_calendar cal;
    at_fiscal_calendar_default(&cal);
    if (at_fiscal_table_build(&cal, 2025, 2027, &w->cal, NULL) != AT_OK)
        abort();
    at_fx_init(&w->fx);
    at_arena_init(&w->arena, 0);
    w->tx_id = calloc(FW_MAX_TX, sizeof *w->tx_id);
    w->tx_type = calloc(FW_MAX_TX, sizeof *w->tx_type);
    w->tx_date = calloc(FW_MAX_TX, sizeof *w->tx_date);
    w->tx_amount = calloc(FW_MAX_TX, sizeof *w->tx_amount);
    w->tx_currency = calloc(FW_MAX_TX, sizeof *w->tx_currency);
    w->tx_margin = calloc(FW_MAX_TX, sizeof *w->tx_margin);
    w->tx_has_margin = calloc(FW_MAX_TX, sizeof *w->tx_has_margin);
    w->tx_quantity = calloc(FW_MAX_TX, sizeof *w->tx_quantity);
    w->tx_product = calloc(FW_MAX_TX, sizeof *w->tx_product);
    w->tx_account = calloc(FW_MAX_TX, sizeof *w->tx_account);
    w->tx_owner = calloc(FW_MAX_TX, sizeof *w->tx_owner);
    w->tx_original = calloc(FW_MAX_TX, sizeof *w->tx_original);
    w->tx_people = calloc(FW_MAX_TX * 2, sizeof *w->tx_people);
    w->currencies[w->currency_count++] = "USD";
    return w;
}

static inline void fw_free(fw_world *w)
{
    at_fiscal_table_free(&w->cal);
    at_fx_free(&w->fx);
    at_arena_free(&w->arena);
    free(w->tx_id);
    free(w->tx_type);
    free(w->tx_date);
    free(w->tx_amount);
    free(w->tx_currency);
    free(w->tx_margin);
    free(w->tx_has_margin);
    free(w->tx_quantity);
    free(w->tx_product);
    free(w->tx_account);
    free(w->tx_owner);
    free(w->tx_original);
    free(w->tx_people);
    free(w);
}

/* The calendar month index of a label such as "2026-03". */
static inline int32_t fw_month(const fw_world *w, const char *label)
{
    const at_period *p;
    if (at_fiscal_parse_label(&w->cal, at_str_from(label), &p, NULL) != AT_OK)
        abort();
    return (int32_t)(p - w->cal.periods[AT_PERIOD_MONTH]);
}

static inline at_calc_currency fw_currency(fw_world *w, const char *code)
{
    for (size_t i = 0; i < w->currency_count; i++)
        if (strcmp(w->currencies[i], code) == 0)
            return (at_calc_currency)i;
    w->currencies[w->currency_count] = code;
    return (at_calc_currency)w->currency_count++;
}

static inline void fw_rate(fw_world *w, const char *from, const char *to, const char *day,
                           const char *rate)
{
    if (at_fx_add(&w->fx, at_str_from(from), at_str_from(to), D(day), R(rate), NULL) != AT_OK ||
        at_fx_finish(&w->fx, NULL) != AT_OK)
        abort();
}

static inline int32_t fw_person(fw_world *w, const char *id)
{
    w->people[w->person_count] = (at_calc_person){.id = id, .name = id, .hire = AT_DAY_MIN,
                                                  .exit = AT_DAY_MAX, .pay_currency = 0};
    return (int32_t)w->person_count++;
}

static inline void fw_reports(fw_world *w, int32_t person, int32_t manager, const char *from,
                              const char *to)
{
    w->lines[w->line_count++] = (at_calc_reporting_line){
        person, manager, from ? D(from) : AT_DAY_MIN, to ? D(to) : AT_DAY_MAX};
}

static inline int32_t fw_product(fw_world *w, const char *id, const char *family)
{
    w->products[w->product_count] = (at_calc_product){id, family};
    return (int32_t)w->product_count++;
}

static inline int32_t fw_tx(fw_world *w, const char *id, at_tx_type type, const char *day,
                            const char *amount, int32_t owner)
{
    size_t i = w->tx_count++;
    w->tx_id[i] = id;
    w->tx_type[i] = (uint8_t)type;
    w->tx_date[i] = D(day);
    w->tx_amount[i] = M(amount);
    w->tx_currency[i] = 0;
    w->tx_margin[i] = 0;
    w->tx_has_margin[i] = 0;
    w->tx_quantity[i] = 0;
    w->tx_product[i] = -1;
    w->tx_account[i] = -1;
    w->tx_owner[i] = owner;
    w->tx_original[i] = -1;
    return (int32_t)i;
}

static inline int32_t fw_booking(fw_world *w, const char *id, const char *day,
                                 const char *amount, int32_t owner)
{
    return fw_tx(w, id, AT_TX_BOOKING, day, amount, owner);
}

static inline int32_t fw_cancel(fw_world *w, const char *id, const char *day,
                                const char *amount, int32_t original)
{
    int32_t t = fw_tx(w, id, AT_TX_CANCELLATION, day, amount, w->tx_owner[original]);
    w->tx_original[t] = original;
    return t;
}

static inline void fw_share(fw_world *w, int32_t tx, int32_t person, at_tx_role role,
                            const char *share)
{
    w->tx_people[w->tx_person_count++] =
        (at_calc_tx_person){.transaction = tx, .person = person, .role = (uint8_t)role,
                            .share = R(share)};
}

static inline const at_plan *fw_plan(fw_world *w, const char *yaml, int version)
{
    at_plan *p = NULL;
    at_error_list problems;
    at_error_list_init(&problems, 10);
    at_error err;
    if (at_plan_read(yaml, strlen(yaml), "test.yaml", &w->arena, &p, &problems, &err) != AT_OK) {
        for (size_t i = 0; i < problems.count; i++) {
            char buf[1024];
            at_error_format(&problems.items[i], buf, sizeof buf);
            fprintf(stderr, "%s", buf);
        }
        char buf[1024];
        at_error_format(&err, buf, sizeof buf);
        fprintf(stderr, "%s", buf);
        abort();
    }
    at_error_list_free(&problems);
    p->version = version;
    w->plans[w->plan_count++] = p;
    return p;
}

static inline int32_t fw_assign(fw_world *w, const char *id, int32_t person, const char *plan,
                                const char *from, const char *to, const char *target)
{
    w->assignments[w->assignment_count] = (at_calc_assignment){
        .id = id, .person = person, .plan = plan, .start = from ? D(from) : AT_DAY_MIN,
        .end = to ? D(to) : AT_DAY_MAX, .target_incentive = target ? M(target) : 0,
        .currency = -1};
    return (int32_t)w->assignment_count++;
}

static inline void fw_quota(fw_world *w, int32_t person, const char *measure, const char *period,
                            const char *amount)
{
    at_period_kind kind;
    int fy, number;
    if (at_period_label_parse(at_str_from(period), &kind, &fy, &number, NULL) != AT_OK)
        abort();
    w->quotas[w->quota_count++] = (at_calc_quota){person, measure, kind, fy, number, M(amount),
                                                  0};
}

/* The input for months first..last (labels). */
static inline const at_calc_input *fw_input(fw_world *w, const char *first, const char *last)
{
    at_calc_input *in = &w->in;
    *in = (at_calc_input){
        .calendar = &w->cal,
        .first_month = fw_month(w, first),
        .last_month = fw_month(w, last),
        .currencies = w->currencies,
        .currency_count = w->currency_count,
        .fx = &w->fx,
        .people = w->people, .person_count = w->person_count,
        .reporting_lines = w->lines, .reporting_line_count = w->line_count,
        .leaves = w->leaves, .leave_count = w->leave_count,
        .products = w->products, .product_count = w->product_count,
        .account_count = w->account_count,
        .transactions = {
            .count = w->tx_count, .id = w->tx_id, .type = w->tx_type, .date = w->tx_date,
            .amount = w->tx_amount, .currency = w->tx_currency, .margin = w->tx_margin,
            .has_margin = w->tx_has_margin, .quantity = w->tx_quantity,
            .product = w->tx_product, .account = w->tx_account, .owner = w->tx_owner,
            .original = w->tx_original},
        .tx_people = w->tx_people, .tx_person_count = w->tx_person_count,
        .territory_accounts = w->territory_accounts,
        .territory_account_count = w->territory_account_count,
        .territory_people = w->territory_people,
        .territory_person_count = w->territory_person_count,
        .quotas = w->quotas, .quota_count = w->quota_count,
        .assignments = w->assignments, .assignment_count = w->assignment_count,
        .plans = w->plans, .plan_count = w->plan_count,
        .metrics = w->metrics, .metric_count = w->metric_count,
        .activities = w->activities, .activity_count = w->activity_count,
        .locked = w->locked, .locked_count = w->locked_count,
        .closed_months = w->closed, .closed_month_count = w->closed_count,
        .draw_balance_before = w->draw_before,
    };
    return in;
}

/* Runs the calculation (explanations kept); aborts with the error on failure. */
static inline void fw_run(fw_world *w, const char *first, const char *last, at_calc_result *out)
{
    const at_calc_input *in = fw_input(w, first, last);
    at_calc_options opt = {.threads = 1, .keep_explanations = true};
    at_error_list problems;
    at_error_list_init(&problems, 50);
    at_error err;
    if (at_calc_run(in, &opt, out, &problems, &err) != AT_OK) {
        char buf[1024];
        at_error_format(&err, buf, sizeof buf);
        fprintf(stderr, "calc failed: %s", buf);
        abort();
    }
    if (getenv("FW_VERBOSE"))
        for (size_t i = 0; i < problems.count; i++) {
            char buf[1024];
            at_error_format(&problems.items[i], buf, sizeof buf);
            fprintf(stderr, "problem: %s", buf);
        }
    at_error_list_free(&problems);
}

/* The line of person, month and key (NULL when there is none). */
static inline const at_calc_line *fw_line(const fw_world *w, const at_calc_result *r,
                                          int32_t person, const char *month, const char *key)
{
    int32_t m = fw_month(w, month);
    for (size_t i = 0; i < r->line_count; i++)
        if (r->lines[i].person == person && r->lines[i].month == m &&
            strcmp(r->lines[i].key, key) == 0) {
            if (getenv("FW_VERBOSE") && r->lines[i].explain)
                fprintf(stderr, "%s %s: %s\n", month, key, r->lines[i].explain);
            return &r->lines[i];
        }
    return NULL;
}

/* The amount a line paid, or 0 when there is no such line. */
static inline at_money fw_paid(const fw_world *w, const at_calc_result *r, int32_t person,
                               const char *month, const char *key)
{
    const at_calc_line *l = fw_line(w, r, person, month, key);
    return l ? l->amount : 0;
}

static inline const at_calc_payout *fw_payout(const fw_world *w, const at_calc_result *r,
                                              int32_t person, const char *month)
{
    int32_t m = fw_month(w, month);
    for (size_t i = 0; i < r->payout_count; i++)
        if (r->payouts[i].person == person && r->payouts[i].month == m)
            return &r->payouts[i];
    return NULL;
}

static inline const at_calc_measure_value *fw_measure(const fw_world *w, const at_calc_result *r,
                                                      int32_t person, const char *month,
                                                      const char *measure)
{
    int32_t m = fw_month(w, month);
    for (size_t i = 0; i < r->measure_count; i++)
        if (r->measures[i].person == person && r->measures[i].month == m &&
            strcmp(r->measures[i].plan->measures[r->measures[i].measure].id, measure) == 0)
            return &r->measures[i];
    return NULL;
}

#endif
