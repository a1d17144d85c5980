/* statement_fixtures.c - a calculation's input and result built by hand for the statement
 * tests (included by tests/unit/test_statement*.c, not a test of its own). Every number is
 * worked out here, in the comments, not by the engine.
 *
 * The company runs calendar fiscal years (FY2026 = January..December 2026); the statement is
 * for 2026-03 (calendar month index 2). Payee P001, "Zoë Łukasiewicz" (a UTF-8 name, paid in
 * USD), is on plan "AE 2026" version 2 (USD, monthly, half-even, a recoverable draw of
 * 1,000.00 a month) with one measure, bookings (amount, quarter to date, quota 50,000.00 for
 * 2026-Q1) and three components: a 5% commission on the month's bookings, an accelerator
 * (3% above 100% attainment) and a quarterly bonus (paid from 50% attainment, gated).
 *
 * Transactions (EUR -> USD is 1.08 from 2026-01-01):
 *   T100  booking       2026-01-20  10,000.00 USD  owner P001
 *   T200  booking       2026-03-04  20,000.00 EUR  owner P001, split 50% to P002
 *   T300  cancellation  2026-03-10  -2,500.00 USD  of T100, owner P001
 *   T400  booking       2026-03-25   1,234.56 USD  owner P001, product PRO-1
 * Credits of P001: T100 10,000.00 USD; T200 10,000.00 EUR (owner share 50%) = 10,800.00 USD;
 * T300 -2,500.00 USD; T400 1,234.56 USD. P002: T200 split 10,000.00 EUR.
 * Bookings in March: 10,800.00 - 2,500.00 + 1,234.56 = 9,534.56 USD; Q1 to date adds
 * January's 10,000.00: 19,534.56; attainment 19,534.56 / 50,000.00 = 39.06912%.
 *
 * Lines of P001 in March, in the engine's order:
 *   commission   9,534.56 x 5% = 476.728 earned, paid 476.73 (rounding +0.002)
 *   accelerator  0 (below 100%)
 *   bonus        gated (attainment below 50%): 0
 *   adjustment   of 2026-02's commission: +25.00 (a booking imported after the close)
 *   draw         recoverable draw 1,000.00: 1,000.00 - (476.73 + 25.00) = 498.27 advanced
 * Paid 476.73 + 25.00 + 498.27 = 1,000.00; earned (component lines) 476.73.
 * Draw balance owed: 1,200.00 after February, 1,200.00 + 498.27 = 1,698.27 after March.
 * Year to date: earned 2,101.50, paid 3,025.00 (January and February as the payouts say). */
#include <stdint.h>
#include <string.h>

#include "calc/calc.h"
#include "core/date.h"
#include "core/fiscal.h"
#include "core/fx.h"

#define FX_MONEY(units, hundredths) ((at_money)(units) * 10000 + (at_money)(hundredths) * 100)

typedef struct fixture {
    at_fiscal_table calendar;
    at_fx_table fx;
    const char *currencies[2];
    at_calc_person people[2];
    at_calc_product products[1];
    /* transaction columns */
    const char *tx_id[4];
    uint8_t tx_type[4];
    at_day tx_date[4];
    at_money tx_amount[4];
    at_calc_currency tx_currency[4];
    at_money tx_margin[4];
    uint8_t tx_has_margin[4];
    int64_t tx_quantity[4];
    int32_t tx_product[4];
    int32_t tx_account[4];
    int32_t tx_owner[4];
    int32_t tx_original[4];
    at_calc_tx_person tx_people[1];
    at_calc_quota quotas[1];
    at_calc_assignment assignments[1];
    at_plan_measure measures[1];
    at_plan_tier tiers[2];
    at_plan_curve_point curve[2];
    at_plan_component components[3];
    at_plan plan;
    const at_plan *plans[1];
    at_calc_input in;
    /* the result */
    int32_t cr_transaction[5], cr_person[5], cr_month[5], cr_from[5];
    uint8_t cr_kind[5], cr_level[5], cr_role[5];
    at_rate cr_share[5];
    at_money cr_amount[5], cr_margin[5];
    at_day cr_date[5];
    size_t cr_person_start[3];
    at_calc_measure_value measure_values[1];
    at_calc_line lines[5];
    at_calc_payout payouts[4];
    at_calc_result res;
} fixture;

static at_day fx_day(int y, int m, int d)
{
    return at_day_from_ymd(y, m, d);
}

__attribute__((unused)) static void fixture_free(fixture *f)
{
    at_fiscal_table_free(&f->calendar);
    at_fx_free(&f->fx);
    at_arena_free(&f->res.arena);
}

/* Fills f; returns 0 on success (the calendar and fx tables are the only fallible parts). */
__attribute__((unused)) static int fixture_init(fixture *f)
{
    memset(f, 0, sizeof *f);
    at_fiscal_calendar cal;
    at_fiscal_calendar_default(&cal);
    if (at_fiscal_table_build(&cal, 2025, 2027, &f->calendar, NULL) != AT_OK)
        return 1;
    at_fx_init(&f->fx);
    if (at_fx_add(&f->fx, AT_STR("EUR"), AT_STR("USD"), fx_day(2026, 1, 1), 1080000000, NULL) !=
            AT_OK ||
        at_fx_finish(&f->fx, NULL) != AT_OK)
        return 1;
    f->currencies[0] = "USD";
    f->currencies[1] = "EUR";
    f->people[0] = (at_calc_person){"P001", "Zo\xC3\xAB \xC5\x81ukasiewicz", AT_DAY_MIN,
                                    AT_DAY_MAX, 0};
    f->people[1] = (at_calc_person){"P002", "Ana Lima", AT_DAY_MIN, AT_DAY_MAX, 0};
    f->products[0] = (at_calc_product){"PRO-1", "Platform"};

    static const char *const ids[4] = {"T100", "T200", "T300", "T400"};
    const uint8_t types[4] = {AT_TX_BOOKING, AT_TX_BOOKING, AT_TX_CANCELLATION, AT_TX_BOOKING};
    const at_day dates[4] = {fx_day(2026, 1, 20), fx_day(2026, 3, 4), fx_day(2026, 3, 10),
                             fx_day(2026, 3, 25)};
    const at_money amounts[4] = {FX_MONEY(10000, 0), FX_MONEY(20000, 0), -FX_MONEY(2500, 0),
                                 FX_MONEY(1234, 56)};
    const at_calc_currency curs[4] = {0, 1, 0, 0};
    for (int i = 0; i < 4; i++) {
        f->tx_id[i] = ids[i];
        f->tx_type[i] = types[i];
        f->tx_date[i] = dates[i];
        f->tx_amount[i] = amounts[i];
        f->tx_currency[i] = curs[i];
        f->tx_product[i] = i == 3 ? 0 : -1;
        f->tx_account[i] = -1;
        f->tx_owner[i] = 0;
        f->tx_original[i] = i == 2 ? 0 : -1;
        f->tx_quantity[i] = i == 3 ? 2 : 0;
    }
    f->tx_people[0] = (at_calc_tx_person){1, 1, AT_TX_ROLE_SPLIT, 500000000};
    f->quotas[0] = (at_calc_quota){0, "bookings", AT_PERIOD_QUARTER, 2026, 1,
                                   FX_MONEY(50000, 0), 0};
    f->assignments[0] = (at_calc_assignment){"A001", 0, "AE 2026", fx_day(2026, 1, 1),
                                             AT_DAY_MAX, FX_MONEY(24000, 0), 0};

    f->measures[0] = (at_plan_measure){0};
    f->measures[0].id = "bookings";
    f->measures[0].name = "Bookings";
    f->measures[0].basis = AT_BASIS_BOOKING;
    f->measures[0].sum = AT_SUM_AMOUNT;
    f->measures[0].window = AT_WINDOW_QUARTER_TO_DATE;
    f->measures[0].from = AT_DAY_MIN;
    f->measures[0].to = AT_DAY_MAX;
    f->measures[0].quota = "bookings";

    f->tiers[0] = (at_plan_tier){0, 1000000000, true, 0, 0, {0}};
    f->tiers[1] = (at_plan_tier){1000000000, INT64_MAX, false, 30000000, 0, {0}};
    f->curve[0] = (at_plan_curve_point){500000000, 500000000, {0}};
    f->curve[1] = (at_plan_curve_point){1000000000, 1000000000, {0}};

    at_plan_component *c = f->components;
    c[0].id = "commission";
    c[0].name = "Commission on bookings";
    c[0].kind = AT_COMPONENT_RATE;
    c[0].measure = 0;
    c[0].rate = 50000000;
    c[0].clawback = true;
    c[1].id = "accelerator";
    c[1].name = "Accelerator above quota";
    c[1].kind = AT_COMPONENT_TIERS;
    c[1].measure = 0;
    c[1].method = AT_TIERS_MARGINAL;
    c[1].tier_basis = AT_TIER_ON_ATTAINMENT;
    c[1].tiers = f->tiers;
    c[1].tier_count = 2;
    c[1].clawback = true;
    c[2].id = "bonus";
    c[2].name = "Quarterly quota bonus";
    c[2].kind = AT_COMPONENT_BONUS;
    c[2].measure = 0;
    c[2].weight = 200000000;
    c[2].curve = (at_plan_curve){f->curve, 2, false};
    c[2].clawback = true;

    at_plan *p = &f->plan;
    p->name = "AE 2026";
    p->version = 2;
    p->effective_from = fx_day(2026, 1, 1);
    p->effective_to = AT_DAY_MAX;
    p->currency = "USD";
    p->fx_date = AT_FX_TRANSACTION_DATE;
    p->rounding = AT_ROUND_HALF_EVEN;
    p->frequency = AT_PAY_MONTHLY;
    p->proration = AT_PRORATE_DAYS;
    p->clawback = (at_plan_clawback){-1, AT_RATE_SCALE, {0}};
    p->measures = f->measures;
    p->measure_count = 1;
    p->components = f->components;
    p->component_count = 3;
    p->draw = (at_plan_draw){true, FX_MONEY(1000, 0), true, 0, {0}};
    f->plans[0] = &f->plan;

    at_calc_input *in = &f->in;
    in->calendar = &f->calendar;
    /* FY2026 starts at month index 12 (the table starts with FY2025) */
    in->first_month = 12;
    in->last_month = 14;
    in->currencies = f->currencies;
    in->currency_count = 2;
    in->fx = &f->fx;
    in->people = f->people;
    in->person_count = 2;
    in->products = f->products;
    in->product_count = 1;
    in->transactions = (at_calc_transactions){4,           f->tx_id,       f->tx_type,
                                              f->tx_date,  f->tx_amount,   f->tx_currency,
                                              f->tx_margin, f->tx_has_margin,
                                              f->tx_quantity, f->tx_product, f->tx_account,
                                              f->tx_owner, f->tx_original};
    in->tx_people = f->tx_people;
    in->tx_person_count = 1;
    in->quotas = f->quotas;
    in->quota_count = 1;
    in->assignments = f->assignments;
    in->assignment_count = 1;
    in->plans = f->plans;
    in->plan_count = 1;

    /* credits, sorted by (person, date, transaction id, kind) */
    const int32_t ctx_[5] = {0, 1, 2, 3, 1};
    const int32_t cperson[5] = {0, 0, 0, 0, 1};
    const uint8_t ckind[5] = {AT_CREDIT_OWNER, AT_CREDIT_OWNER, AT_CREDIT_OWNER,
                              AT_CREDIT_OWNER, AT_CREDIT_SPLIT};
    const at_rate cshare[5] = {AT_RATE_SCALE, 500000000, AT_RATE_SCALE, AT_RATE_SCALE,
                               500000000};
    const at_money camount[5] = {FX_MONEY(10000, 0), FX_MONEY(10000, 0), -FX_MONEY(2500, 0),
                                 FX_MONEY(1234, 56), FX_MONEY(10000, 0)};
    const int32_t cmonth[5] = {12, 14, 14, 14, 14};
    for (int i = 0; i < 5; i++) {
        f->cr_transaction[i] = ctx_[i];
        f->cr_person[i] = cperson[i];
        f->cr_kind[i] = ckind[i];
        f->cr_share[i] = cshare[i];
        f->cr_amount[i] = camount[i];
        f->cr_date[i] = dates[ctx_[i]];
        f->cr_month[i] = cmonth[i];
        f->cr_from[i] = -1;
    }
    f->cr_person_start[0] = 0;
    f->cr_person_start[1] = 4;
    f->cr_person_start[2] = 5;
    at_calc_credits *cr = &f->res.credits;
    cr->count = 5;
    cr->transaction = f->cr_transaction;
    cr->person = f->cr_person;
    cr->kind = f->cr_kind;
    cr->level = f->cr_level;
    cr->from_person = f->cr_from;
    cr->share = f->cr_share;
    cr->amount = f->cr_amount;
    cr->margin = f->cr_margin;
    cr->date = f->cr_date;
    cr->month = f->cr_month;
    cr->role = f->cr_role;
    cr->person_start = f->cr_person_start;

    f->measure_values[0] = (at_calc_measure_value){0, 14, 0, &f->plan, 0,
                                                   FX_MONEY(9534, 56), FX_MONEY(19534, 56),
                                                   4, true, FX_MONEY(50000, 0), 390691200};
    f->res.measures = f->measure_values;
    f->res.measure_count = 1;

    at_calc_line *l = f->lines;
    l[0] = (at_calc_line){0, 14, 0, &f->plan, 0, AT_LINE_COMPONENT, "AE 2026/commission",
                          4767280, 4767280, 4767300, AT_RATE_SCALE, -1, false, false,
                          "bookings 9,534.56 x 5% = 476.728; rounded half-even to 476.73"};
    l[1] = (at_calc_line){0, 14, 0, &f->plan, 1, AT_LINE_COMPONENT, "AE 2026/accelerator",
                          0, 0, 0, AT_RATE_SCALE, -1, false, false,
                          "attainment 39.07% is below the first paying tier (100%): 0.00"};
    l[2] = (at_calc_line){0, 14, 0, &f->plan, 2, AT_LINE_COMPONENT, "AE 2026/bonus",
                          0, 0, 0, AT_RATE_SCALE, -1, true, false,
                          "gate attainment >= 50% is false (attainment 39.07%)"};
    l[3] = (at_calc_line){0, 14, 0, &f->plan, -1, AT_LINE_ADJUSTMENT,
                          "adjust/AE 2026/commission/2026-02", 0, 0, FX_MONEY(25, 0),
                          AT_RATE_SCALE, 13, false, false,
                          "2026-02 was closed with 1,000.00; recomputed it pays 1,025.00 "
                          "(booking T050 of 500.00 imported after the close x 5%): +25.00"};
    l[4] = (at_calc_line){0, 14, 0, &f->plan, -1, AT_LINE_DRAW, "AE 2026/draw", 0, 0,
                          FX_MONEY(498, 27), AT_RATE_SCALE, -1, false, false,
                          "draw 1,000.00 - earnings 501.73 = 498.27 advanced (recoverable)"};
    f->res.lines = f->lines;
    f->res.line_count = 5;

    f->payouts[0] = (at_calc_payout){0, 12, 0, FX_MONEY(900, 0), FX_MONEY(1000, 0),
                                     FX_MONEY(900, 0), FX_MONEY(1000, 0), FX_MONEY(100, 0)};
    f->payouts[1] = (at_calc_payout){0, 13, 0, FX_MONEY(724, 77), FX_MONEY(1025, 0),
                                     FX_MONEY(1624, 77), FX_MONEY(2025, 0), FX_MONEY(1200, 0)};
    f->payouts[2] = (at_calc_payout){0, 14, 0, FX_MONEY(476, 73), FX_MONEY(1000, 0),
                                     FX_MONEY(2101, 50), FX_MONEY(3025, 0),
                                     FX_MONEY(1698, 27)};
    f->payouts[3] = (at_calc_payout){1, 14, 0, 0, 0, 0, 0, 0};
    f->res.payouts = f->payouts;
    f->res.payout_count = 4;
    at_arena_init(&f->res.arena, 0);
    return 0;
}
