/* test_calc_reference.c - the 16 published worked cases of
 * ../shared/reference/commission-examples.md, at the engine's level: each plan written as a
 * document, the data as arrays, and the pay checked to the cent against the figures worked
 * out by hand in the comments (tests/reference/ holds the same cases end to end). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "calc_fixtures.h"

/* ---- case 1: flat 2% plus a $50 per-unit SPIFF ----------------------------------------------- */

static const char *CASE1 =
    "plan: Case 01\n"
    "effective: {from: 2026-01-01, to: 2026-12-31}\n"
    "currency: USD\n"
    "measures:\n"
    "  - {id: sales, sum: amount, window: month, quota: none}\n"
    "  - {id: premium, sum: quantity, window: month, products: [PRD-PREMIUM], quota: none}\n"
    "components:\n"
    "  - {id: commission, kind: rate, measure: sales, rate: 2%}\n"
    "  - id: spiff\n"
    "    kind: spiff\n"
    "    measure: premium\n"
    "    from: 2026-03-01\n"
    "    to: 2026-03-31\n"
    "    products: [{product: PRD-PREMIUM, amount: 50}]\n";

static void case01_flat_rate_and_spiff(void **state)
{
    (void)state;
    fw_world *w = fw_new();
    int32_t rep = fw_person(w, "REP");
    fw_product(w, "PRD-STD", "STD");
    int32_t premium = fw_product(w, "PRD-PREMIUM", "SVC");
    fw_plan(w, CASE1, 1);
    fw_assign(w, "A1", rep, "Case 01", "2026-01-01", NULL, NULL);
    fw_booking(w, "T1", "2026-03-05", "62000", rep);
    int32_t t2 = fw_booking(w, "T2", "2026-03-20", "18000", rep);
    w->tx_product[t2] = premium;
    w->tx_quantity[t2] = 18;
    at_calc_result r;
    fw_run(w, "2026-03", "2026-03", &r);
    /* 80,000 x 2% = 1,600.00; 18 x 50 = 900.00; total 2,500.00 */
    assert_int_equal(fw_paid(w, &r, rep, "2026-03", "Case 01/commission"), M("1600"));
    assert_int_equal(fw_paid(w, &r, rep, "2026-03", "Case 01/spiff"), M("900"));
    assert_int_equal(fw_payout(w, &r, rep, "2026-03")->amount, M("2500"));
    at_calc_result_free(&r);
    fw_free(w);
}

/* ---- case 2: 8% plus a 1,000 per-unit launch SPIFF ------------------------------------------- */

static void case02_percent_and_launch_spiff(void **state)
{
    (void)state;
    fw_world *w = fw_new();
    int32_t rep = fw_person(w, "REP");
    int32_t newp = fw_product(w, "PRD-NEW", "NEW");
    fw_plan(w,
            "plan: Case 02\n"
            "currency: USD\n"
            "measures:\n"
            "  - {id: sales, sum: amount, quota: none}\n"
            "  - {id: new_units, sum: quantity, products: [PRD-NEW], quota: none}\n"
            "components:\n"
            "  - {id: commission, kind: rate, measure: sales, rate: 8%}\n"
            "  - {id: launch, kind: spiff, measure: new_units, from: 2026-02-01,\n"
            "     to: 2026-02-28, products: [{product: PRD-NEW, amount: 1000}]}\n",
            1);
    fw_assign(w, "A1", rep, "Case 02", NULL, NULL, NULL);
    int32_t t = fw_booking(w, "T1", "2026-02-10", "100000", rep);
    w->tx_product[t] = newp;
    w->tx_quantity[t] = 5;
    at_calc_result r;
    fw_run(w, "2026-02", "2026-02", &r);
    /* 5 x 20,000 x 8% = 8,000.00; 5 x 1,000 = 5,000.00; total 13,000.00 */
    assert_int_equal(fw_paid(w, &r, rep, "2026-02", "Case 02/commission"), M("8000"));
    assert_int_equal(fw_paid(w, &r, rep, "2026-02", "Case 02/launch"), M("5000"));
    assert_int_equal(fw_payout(w, &r, rep, "2026-02")->amount, M("13000"));
    at_calc_result_free(&r);
    fw_free(w);
}

/* ---- case 3: marginal tiers on quarterly sales ----------------------------------------------- */

static void case03_marginal_quarter_to_date(void **state)
{
    (void)state;
    fw_world *w = fw_new();
    int32_t rep = fw_person(w, "REP");
    fw_plan(w,
            "plan: Case 03\n"
            "currency: USD\n"
            "measures:\n"
            "  - {id: sales, sum: amount, window: quarter_to_date, quota: none}\n"
            "components:\n"
            "  - id: commission\n"
            "    kind: tiers\n"
            "    measure: sales\n"
            "    method: marginal\n"
            "    tiers:\n"
            "      - {from: 0, to: 300000, rate: 3%}\n"
            "      - {from: 300000, to: 500000, rate: 5%}\n"
            "      - {from: 500000, rate: 7%}\n",
            1);
    fw_assign(w, "A1", rep, "Case 03", NULL, NULL, NULL);
    fw_booking(w, "T1", "2026-01-10", "200000", rep);
    fw_booking(w, "T2", "2026-02-10", "250000", rep);
    fw_booking(w, "T3", "2026-03-10", "150000", rep);
    at_calc_result r;
    fw_run(w, "2026-01", "2026-03", &r);
    /* Jan: QTD 200,000 x 3% = 6,000.00.
       Feb: QTD 450,000: 300,000 x 3% + 150,000 x 5% = 9,000 + 7,500 = 16,500; - 6,000 = 10,500.
       Mar: QTD 600,000: 9,000 + 10,000 + 7,000 = 26,000; - 16,500 = 9,500.
       Quarter: 6,000 + 10,500 + 9,500 = 26,000.00 (the source's figure). */
    assert_int_equal(fw_paid(w, &r, rep, "2026-01", "Case 03/commission"), M("6000"));
    assert_int_equal(fw_paid(w, &r, rep, "2026-02", "Case 03/commission"), M("10500"));
    const at_calc_line *mar = fw_line(w, &r, rep, "2026-03", "Case 03/commission");
    assert_int_equal(mar->amount, M("9500"));
    assert_int_equal(mar->earned_to_date, M("26000"));
    assert_int_equal(fw_payout(w, &r, rep, "2026-03")->earned_ytd, M("26000"));
    assert_string_equal(mar->explain,
                        "Marginal tiers on sales (quarter to date, 600,000.00): "
                        "300,000.00 x 3% = 9,000.00; 200,000.00 x 5% = 10,000.00; "
                        "100,000.00 x 7% = 7,000.00; earned to date 26,000.00 - earlier months "
                        "16,500.00 = 9,500.00; rounded half-even to 9,500.00 USD");
    at_calc_result_free(&r);
    fw_free(w);
}

/* ---- case 4: retroactive versus marginal ----------------------------------------------------- */

static void case04_retroactive_versus_marginal(void **state)
{
    (void)state;
    fw_world *w = fw_new();
    int32_t a = fw_person(w, "A"), b = fw_person(w, "B");
    const char *body = "currency: USD\n"
                       "measures: [{id: production, sum: amount, quota: none}]\n"
                       "components:\n"
                       "  - id: commission\n"
                       "    kind: tiers\n"
                       "    measure: production\n"
                       "    method: %s\n"
                       "    tiers: [{from: 0, to: 100000, rate: 50%%}, {from: 100000, rate: 60%%}]\n";
    char p1[1024], p2[1024];
    snprintf(p1, sizeof p1, "plan: Retro\n");
    snprintf(p1 + strlen(p1), sizeof p1 - strlen(p1), body, "retroactive");
    snprintf(p2, sizeof p2, "plan: Marginal\n");
    snprintf(p2 + strlen(p2), sizeof p2 - strlen(p2), body, "marginal");
    fw_plan(w, p1, 1);
    fw_plan(w, p2, 1);
    fw_assign(w, "A1", a, "Retro", NULL, NULL, NULL);
    fw_assign(w, "A2", b, "Marginal", NULL, NULL, NULL);
    fw_booking(w, "T1", "2026-05-10", "180000", a);
    fw_booking(w, "T2", "2026-05-10", "180000", b);
    at_calc_result r;
    fw_run(w, "2026-05", "2026-05", &r);
    /* retroactive 180,000 x 60% = 108,000.00; marginal 50,000 + 80,000 x 60% = 98,000.00 */
    assert_int_equal(fw_paid(w, &r, a, "2026-05", "Retro/commission"), M("108000"));
    assert_int_equal(fw_paid(w, &r, b, "2026-05", "Marginal/commission"), M("98000"));
    at_calc_result_free(&r);
    fw_free(w);
}

/* ---- case 5: per-transaction table, not split (retroactive) and split (marginal) ------------- */

static void case05_oracle_rate_split(void **state)
{
    (void)state;
    fw_world *w = fw_new();
    int32_t a = fw_person(w, "A"), b = fw_person(w, "B");
    const char *tiers = "    tiers:\n"
                        "      - {from: 0, to: 10000, rate: 1%}\n"
                        "      - {from: 10000, to: 50000, rate: 2%}\n"
                        "      - {from: 50000, to: 100000, rate: 3%}\n"
                        "      - {from: 100000, to: 9999999, rate: 4%}\n";
    char p1[1024], p2[1024];
    snprintf(p1, sizeof p1,
             "plan: NotSplit\ncurrency: USD\nmeasures: [{id: sales, quota: none}]\n"
             "components:\n  - id: c\n    kind: tiers\n    measure: sales\n"
             "    method: retroactive\n    scope: transaction\n%s",
             tiers);
    snprintf(p2, sizeof p2,
             "plan: Split\ncurrency: USD\nmeasures: [{id: sales, quota: none}]\n"
             "components:\n  - id: c\n    kind: tiers\n    measure: sales\n"
             "    method: marginal\n    scope: transaction\n%s",
             tiers);
    fw_plan(w, p1, 1);
    fw_plan(w, p2, 1);
    fw_assign(w, "A1", a, "NotSplit", NULL, NULL, NULL);
    fw_assign(w, "A2", b, "Split", NULL, NULL, NULL);
    const char *amounts[] = {"5000", "15000", "60000"};
    const char *ids_a[] = {"A-1", "A-2", "A-3"}, *ids_b[] = {"B-1", "B-2", "B-3"};
    for (int i = 0; i < 3; i++) {
        fw_booking(w, ids_a[i], "2026-04-0" "1", amounts[i], a);
        fw_booking(w, ids_b[i], "2026-04-01", amounts[i], b);
    }
    at_calc_result r;
    fw_run(w, "2026-04", "2026-04", &r);
    /* not split: 5,000 x 1% + 15,000 x 2% + 60,000 x 3% = 50 + 300 + 1,800 = 2,150.00
       split: 50 + (100 + 100) + (100 + 800 + 300) = 1,450.00 */
    assert_int_equal(fw_paid(w, &r, a, "2026-04", "NotSplit/c"), M("2150"));
    assert_int_equal(fw_paid(w, &r, b, "2026-04", "Split/c"), M("1450"));
    at_calc_result_free(&r);
    fw_free(w);
}

/* ---- case 6: marginal rates on each transaction alone; and accumulated ----------------------- */

static void case06_per_transaction_step(void **state)
{
    (void)state;
    fw_world *w = fw_new();
    int32_t a = fw_person(w, "A"), b = fw_person(w, "B"), c = fw_person(w, "C");
    const char *tiers = "    tiers:\n"
                        "      - {from: 0, to: 1000, rate: 1%}\n"
                        "      - {from: 1000, to: 3000, rate: 2%}\n"
                        "      - {from: 3000, to: 8000, rate: 3%}\n"
                        "      - {from: 8000, to: 20000, rate: 5%}\n";
    char p1[1024], p2[1024];
    snprintf(p1, sizeof p1,
             "plan: PerTx\ncurrency: USD\nmeasures: [{id: sales, quota: none}]\n"
             "components:\n  - id: c\n    kind: tiers\n    measure: sales\n"
             "    method: marginal\n    scope: transaction\n%s",
             tiers);
    snprintf(p2, sizeof p2,
             "plan: Accumulated\ncurrency: USD\n"
             "measures: [{id: sales, window: quarter_to_date, quota: none}]\n"
             "components:\n  - id: c\n    kind: tiers\n    measure: sales\n"
             "    method: marginal\n%s",
             tiers);
    fw_plan(w, p1, 1);
    fw_plan(w, p2, 1);
    fw_plan(w,
            "plan: R24B\ncurrency: USD\nmeasures: [{id: sales, quota: none}]\n"
            "components:\n  - {id: c, kind: tiers, measure: sales, method: marginal,\n"
            "     scope: transaction, tiers: [{from: 0, to: 1000, rate: 1%},\n"
            "     {from: 1000, to: 5000, rate: 2%}]}\n",
            1);
    fw_assign(w, "A1", a, "PerTx", NULL, NULL, NULL);
    fw_assign(w, "A2", b, "Accumulated", NULL, NULL, NULL);
    fw_assign(w, "A3", c, "R24B", NULL, NULL, NULL);
    const char *days[] = {"2026-01-01", "2026-01-02", "2026-01-15",
                          "2026-02-01", "2026-02-15", "2026-03-01"};
    const char *amounts[] = {"200", "300", "1500", "1200", "2000", "4500"};
    static const char *ida[] = {"A1", "A2", "A3", "A4", "A5", "A6"};
    static const char *idb[] = {"B1", "B2", "B3", "B4", "B5", "B6"};
    for (int i = 0; i < 6; i++) {
        fw_booking(w, ida[i], days[i], amounts[i], a);
        fw_booking(w, idb[i], days[i], amounts[i], b);
    }
    fw_booking(w, "C1", "2026-01-20", "2500", c);
    at_calc_result r;
    fw_run(w, "2026-01", "2026-03", &r);
    /* each alone: 2 + 3 + (10 + 10) = 25 in January; 14 + 30 = 44 in February;
       10 + 40 + 1,500 x 3% = 95 in March: 164.00 for the quarter */
    assert_int_equal(fw_paid(w, &r, a, "2026-01", "PerTx/c"), M("25"));
    assert_int_equal(fw_paid(w, &r, a, "2026-02", "PerTx/c"), M("44"));
    assert_int_equal(fw_paid(w, &r, a, "2026-03", "PerTx/c"), M("95"));
    /* accumulated: Jan QTD 2,000: 10 + 20 = 30; Feb QTD 5,200: 10 + 40 + 66 = 116, - 30 = 86;
       Mar QTD 9,700: 10 + 40 + 150 + 85 = 285, - 116 = 169; quarter 285.00 */
    assert_int_equal(fw_paid(w, &r, b, "2026-01", "Accumulated/c"), M("30"));
    assert_int_equal(fw_paid(w, &r, b, "2026-02", "Accumulated/c"), M("86"));
    assert_int_equal(fw_paid(w, &r, b, "2026-03", "Accumulated/c"), M("169"));
    /* 24B: 2,500 -> 10 + 30 = 40.00 (a blended 1.6%) */
    assert_int_equal(fw_paid(w, &r, c, "2026-01", "R24B/c"), M("40"));
    at_calc_result_free(&r);
    fw_free(w);
}

/* ---- case 7: thresholds ---------------------------------------------------------------------- */

static void case07_threshold(void **state)
{
    (void)state;
    fw_world *w = fw_new();
    int32_t a = fw_person(w, "A"), b1 = fw_person(w, "B1"), b2 = fw_person(w, "B2");
    fw_plan(w,
            "plan: A\ncurrency: USD\nmeasures: [{id: sales, quota: none}]\n"
            "components:\n  - {id: c, kind: tiers, measure: sales, method: marginal,\n"
            "     tiers: [{from: 0, to: 10000, rate: 0%}, {from: 10000, rate: 7%}]}\n",
            1);
    const char *b = "currency: USD\nmeasures: [{id: sales}]\n"
                    "components:\n  - {id: c, kind: tiers, measure: sales, method: %s,\n"
                    "     on: attainment, tiers: [{from: 0, to: 100%%, rate: 0%%},\n"
                    "     {from: 100%%, rate: 8%%}]}\n";
    char p1[1024], p2[1024];
    snprintf(p1, sizeof p1, "plan: B1\n");
    snprintf(p1 + strlen(p1), sizeof p1 - strlen(p1), b, "marginal");
    snprintf(p2, sizeof p2, "plan: B2\n");
    snprintf(p2 + strlen(p2), sizeof p2 - strlen(p2), b, "retroactive");
    fw_plan(w, p1, 1);
    fw_plan(w, p2, 1);
    fw_assign(w, "A1", a, "A", NULL, NULL, NULL);
    fw_assign(w, "A2", b1, "B1", NULL, NULL, NULL);
    fw_assign(w, "A3", b2, "B2", NULL, NULL, NULL);
    fw_quota(w, b1, "sales", "2026-06", "80000");
    fw_quota(w, b2, "sales", "2026-06", "80000");
    fw_booking(w, "T1", "2026-06-03", "15000", a);
    fw_booking(w, "T2", "2026-07-03", "9000", a);
    fw_booking(w, "T3", "2026-06-03", "120000", b1);
    fw_booking(w, "T4", "2026-06-03", "120000", b2);
    at_calc_result r;
    fw_run(w, "2026-06", "2026-07", &r);
    /* A: 7% x (15,000 - 10,000) = 350.00; 9,000 < 10,000 -> 0.00 */
    assert_int_equal(fw_paid(w, &r, a, "2026-06", "A/c"), M("350"));
    assert_int_equal(fw_paid(w, &r, a, "2026-07", "A/c"), 0);
    /* B1: attainment 150%: the slice 50% x 80,000 x 8% = 3,200.00 */
    assert_int_equal(fw_paid(w, &r, b1, "2026-06", "B1/c"), M("3200"));
    /* B2: 150% reaches 8%, on all: 120,000 x 8% = 9,600.00 */
    assert_int_equal(fw_paid(w, &r, b2, "2026-06", "B2/c"), M("9600"));
    assert_int_equal(fw_measure(w, &r, b1, "2026-06", "sales")->attainment, R("1.5"));
    at_calc_result_free(&r);
    fw_free(w);
}

/* ---- case 8: accelerators above quota -------------------------------------------------------- */

static void case08_accelerator(void **state)
{
    (void)state;
    fw_world *w = fw_new();
    int32_t a = fw_person(w, "A"), b = fw_person(w, "B");
    fw_plan(w,
            "plan: One\ncurrency: USD\nmeasures: [{id: sales}]\n"
            "components:\n  - {id: c, kind: tiers, measure: sales, method: marginal,\n"
            "     on: attainment, tiers: [{from: 0, to: 100%, rate: 9%}, {from: 100%, rate: 12%}]}\n",
            1);
    fw_plan(w,
            "plan: Two\ncurrency: USD\n"
            "measures: [{id: sales, window: quarter_to_date, quota: none}]\n"
            "components:\n  - {id: c, kind: tiers, measure: sales, method: marginal,\n"
            "     tiers: [{from: 0, to: 100000, rate: 5%}, {from: 100000, to: 125000, rate: 6%},\n"
            "             {from: 125000, rate: 7%}]}\n",
            1);
    fw_assign(w, "A1", a, "One", NULL, NULL, NULL);
    fw_assign(w, "A2", b, "Two", NULL, NULL, NULL);
    fw_quota(w, a, "sales", "2026-04", "4000");
    fw_booking(w, "T1", "2026-04-09", "4500", a);
    fw_booking(w, "T2", "2026-04-09", "150000", b);
    at_calc_result r;
    fw_run(w, "2026-04", "2026-04", &r);
    /* 1: 100% x 4,000 x 9% = 360 + 12.5% x 4,000 x 12% = 60 -> 420.00 */
    assert_int_equal(fw_paid(w, &r, a, "2026-04", "One/c"), M("420"));
    /* 2: 5,000 + 1,500 + 1,750 = 8,250.00 */
    assert_int_equal(fw_paid(w, &r, b, "2026-04", "Two/c"), M("8250"));
    at_calc_result_free(&r);
    fw_free(w);
}

/* ---- case 9: draws --------------------------------------------------------------------------- */

static void case09_draws(void **state)
{
    (void)state;
    fw_world *w = fw_new();
    int32_t a = fw_person(w, "REC"), b = fw_person(w, "NON");
    const char *body = "effective: {from: 2026-08-01, to: 2026-12-31}\ncurrency: USD\n"
                       "measures: [{id: bookings, quota: none}]\n"
                       "components: [{id: commission, kind: rate, measure: bookings, rate: 10%%}]\n"
                       "draw: {amount: 1500, recoverable: %s}\n";
    char p1[1024], p2[1024];
    snprintf(p1, sizeof p1, "plan: Rec\n");
    snprintf(p1 + strlen(p1), sizeof p1 - strlen(p1), body, "true");
    snprintf(p2, sizeof p2, "plan: Non\n");
    snprintf(p2 + strlen(p2), sizeof p2 - strlen(p2), body, "false");
    fw_plan(w, p1, 1);
    fw_plan(w, p2, 1);
    fw_assign(w, "A1", a, "Rec", "2026-08-01", NULL, NULL);
    fw_assign(w, "A2", b, "Non", "2026-08-01", NULL, NULL);
    fw_booking(w, "T1", "2026-08-10", "5000", a);
    fw_booking(w, "T2", "2026-09-10", "30000", a);
    fw_booking(w, "T3", "2026-08-10", "5000", b);
    fw_booking(w, "T4", "2026-09-10", "30000", b);
    at_calc_result r;
    fw_run(w, "2026-08", "2026-09", &r);
    /* recoverable: Aug earned 500, draw pays 1,000 (owed 1,000), paid 1,500;
       Sep earned 3,000, recovers 1,000 (3,000 - 1,000 = 2,000 >= 1,500), paid 2,000, owed 0 */
    assert_int_equal(fw_paid(w, &r, a, "2026-08", "Rec/draw"), M("1000"));
    assert_int_equal(fw_payout(w, &r, a, "2026-08")->amount, M("1500"));
    assert_int_equal(fw_payout(w, &r, a, "2026-08")->draw_balance, M("1000"));
    assert_int_equal(fw_paid(w, &r, a, "2026-09", "Rec/draw-recovery"), -M("1000"));
    assert_int_equal(fw_payout(w, &r, a, "2026-09")->amount, M("2000"));
    assert_int_equal(fw_payout(w, &r, a, "2026-09")->draw_balance, 0);
    assert_int_equal(fw_payout(w, &r, a, "2026-09")->paid_ytd, M("3500"));
    /* non-recoverable: Aug 1,500 (1,000 forgiven), Sep 3,000; 4,500 over the two months */
    assert_int_equal(fw_payout(w, &r, b, "2026-08")->amount, M("1500"));
    assert_int_equal(fw_payout(w, &r, b, "2026-09")->amount, M("3000"));
    assert_int_equal(fw_payout(w, &r, b, "2026-09")->draw_balance, 0);
    at_calc_result_free(&r);
    fw_free(w);
}

/* ---- case 10: split credit ------------------------------------------------------------------- */

static void case10_split(void **state)
{
    (void)state;
    fw_world *w = fw_new();
    int32_t a = fw_person(w, "A"), b = fw_person(w, "B"), c = fw_person(w, "C"),
            d = fw_person(w, "D");
    fw_plan(w,
            "plan: Split\ncurrency: USD\nmeasures: [{id: bookings, quota: none}]\n"
            "components: [{id: c, kind: rate, measure: bookings, rate: 10%}]\n",
            1);
    fw_assign(w, "A1", a, "Split", NULL, NULL, NULL);
    fw_assign(w, "A2", b, "Split", NULL, NULL, NULL);
    fw_assign(w, "A3", c, "Split", NULL, NULL, NULL);
    fw_assign(w, "A4", d, "Split", NULL, NULL, NULL);
    int32_t t1 = fw_booking(w, "T1", "2026-02-02", "100000", a);
    fw_share(w, t1, b, AT_TX_ROLE_SPLIT, "40%");
    int32_t t2 = fw_booking(w, "T2", "2026-02-03", "80000", c);
    fw_share(w, t2, d, AT_TX_ROLE_SPLIT, "40%");
    at_calc_result r;
    fw_run(w, "2026-02", "2026-02", &r);
    /* (a) 60,000 x 10% = 6,000.00 and 40,000 x 10% = 4,000.00;
       (b) 48,000 x 10% = 4,800.00 and 32,000 x 10% = 3,200.00 */
    assert_int_equal(fw_paid(w, &r, a, "2026-02", "Split/c"), M("6000"));
    assert_int_equal(fw_paid(w, &r, b, "2026-02", "Split/c"), M("4000"));
    assert_int_equal(fw_paid(w, &r, c, "2026-02", "Split/c"), M("4800"));
    assert_int_equal(fw_paid(w, &r, d, "2026-02", "Split/c"), M("3200"));
    at_calc_result_free(&r);
    fw_free(w);
}

/* ---- case 11: manager override through roll-up credits --------------------------------------- */

static void case11_manager_override(void **state)
{
    (void)state;
    fw_world *w = fw_new();
    int32_t mgr = fw_person(w, "MGR"), mgr2 = fw_person(w, "MGR2");
    fw_plan(w,
            "plan: Rep\ncurrency: USD\nmeasures: [{id: sales, quota: none}]\n"
            "components: [{id: c, kind: rate, measure: sales, rate: 10%}]\n",
            1);
    fw_plan(w,
            "plan: Override\ncurrency: USD\n"
            "measures: [{id: team, credit: [rollup], rollup_levels: 1, quota: none}]\n"
            "components: [{id: override, kind: rate, measure: team, rate: 3%}]\n",
            1);
    fw_plan(w,
            "plan: Override Threshold\ncurrency: USD\n"
            "measures: [{id: team, credit: [rollup], quota: none}]\n"
            "components:\n  - {id: override, kind: tiers, measure: team, method: marginal,\n"
            "     tiers: [{from: 0, to: 225000, rate: 0%}, {from: 225000, rate: 3%}]}\n",
            1);
    fw_assign(w, "M1", mgr, "Override", NULL, NULL, NULL);
    fw_assign(w, "M2", mgr2, "Override Threshold", NULL, NULL, NULL);
    fw_reports(w, mgr, mgr2, NULL, NULL);
    static const char *ids[] = {"A", "B", "C", "D", "E"};
    static const char *tids[] = {"T-A", "T-B", "T-C", "T-D", "T-E"};
    const char *sales[] = {"75000", "60000", "67500", "52500", "45000"};
    const char *comm[] = {"7500", "6000", "6750", "5250", "4500"};
    int32_t reps[5];
    for (int i = 0; i < 5; i++) {
        reps[i] = fw_person(w, ids[i]);
        fw_assign(w, ids[i], reps[i], "Rep", NULL, NULL, NULL);
        fw_reports(w, reps[i], mgr, NULL, NULL);
        fw_booking(w, tids[i], "2026-03-16", sales[i], reps[i]);
    }
    at_calc_result r;
    fw_run(w, "2026-03", "2026-03", &r);
    /* reps: 10% of own sales; the manager: 3% of 300,000 = 9,000.00; the manager's manager
       counts level 2 roll-ups: (300,000 - 225,000) x 3% = 2,250.00 */
    for (int i = 0; i < 5; i++)
        assert_int_equal(fw_paid(w, &r, reps[i], "2026-03", "Rep/c"), M(comm[i]));
    assert_int_equal(fw_paid(w, &r, mgr, "2026-03", "Override/override"), M("9000"));
    assert_int_equal(fw_paid(w, &r, mgr2, "2026-03", "Override Threshold/override"), M("2250"));
    at_calc_result_free(&r);
    fw_free(w);
}

/* ---- case 12: gross margin ------------------------------------------------------------------- */

static void case12_margin(void **state)
{
    (void)state;
    fw_world *w = fw_new();
    int32_t a = fw_person(w, "A"), b = fw_person(w, "B");
    fw_plan(w,
            "plan: Margin\ncurrency: USD\nmeasures: [{id: gm, sum: margin, quota: none}]\n"
            "components: [{id: c, kind: rate, measure: gm, rate: 15%}]\n",
            1);
    fw_plan(w,
            "plan: Revenue\ncurrency: USD\nmeasures: [{id: rev, quota: none}]\n"
            "components: [{id: c, kind: rate, measure: rev, rate: 10%}]\n",
            1);
    fw_assign(w, "A1", a, "Margin", NULL, NULL, NULL);
    fw_assign(w, "A2", b, "Revenue", NULL, NULL, NULL);
    const char *price[] = {"75000", "60000"}, *margin[] = {"30000", "15000"};
    const char *days[] = {"2026-01-15", "2026-02-15"};
    static const char *ida[] = {"A1", "A2"}, *idb[] = {"B1", "B2"};
    for (int i = 0; i < 2; i++) {
        int32_t t = fw_booking(w, ida[i], days[i], price[i], a);
        w->tx_margin[t] = M(margin[i]);
        w->tx_has_margin[t] = 1;
        t = fw_booking(w, idb[i], days[i], price[i], b);
        w->tx_margin[t] = M(margin[i]);
        w->tx_has_margin[t] = 1;
    }
    at_calc_result r;
    fw_run(w, "2026-01", "2026-02", &r);
    /* 15% x 30,000 = 4,500.00; 15% x 15,000 = 2,250.00; 10% x 75,000 = 7,500.00;
       10% x 60,000 = 6,000.00 */
    assert_int_equal(fw_paid(w, &r, a, "2026-01", "Margin/c"), M("4500"));
    assert_int_equal(fw_paid(w, &r, a, "2026-02", "Margin/c"), M("2250"));
    assert_int_equal(fw_paid(w, &r, b, "2026-01", "Revenue/c"), M("7500"));
    assert_int_equal(fw_paid(w, &r, b, "2026-02", "Revenue/c"), M("6000"));
    at_calc_result_free(&r);
    fw_free(w);
}

/* ---- case 13: upfront plus residual ---------------------------------------------------------- */

static void case13_upfront_and_residual(void **state)
{
    (void)state;
    fw_world *w = fw_new();
    int32_t a = fw_person(w, "A");
    fw_plan(w,
            "plan: Recurring\ncurrency: USD\n"
            "measures:\n"
            "  - {id: contract, basis: booking, quota: none}\n"
            "  - {id: mrr, basis: payment, quota: none}\n"
            "components:\n"
            "  - {id: upfront, kind: rate, measure: contract, rate: 10%}\n"
            "  - {id: residual, kind: rate, measure: mrr, rate: 2%}\n",
            1);
    fw_assign(w, "A1", a, "Recurring", NULL, NULL, NULL);
    fw_booking(w, "BK", "2025-01-05", "60000", a);
    static char ids[36][16];
    for (int i = 0; i < 36; i++) {
        char day[16];
        snprintf(ids[i], sizeof ids[i], "PAY-%02d", i + 1);
        snprintf(day, sizeof day, "%04d-%02d-20", 2025 + i / 12, i % 12 + 1);
        fw_tx(w, ids[i], AT_TX_PAYMENT, day, "5000", a);
    }
    at_calc_result r;
    fw_run(w, "2025-01", "2027-12", &r);
    /* 60,000 x 10% = 6,000.00 at sale; 5,000 x 2% = 100.00 a month for 36 months;
       6,000 + 36 x 100 = 9,600.00 */
    assert_int_equal(fw_paid(w, &r, a, "2025-01", "Recurring/upfront"), M("6000"));
    assert_int_equal(fw_paid(w, &r, a, "2026-07", "Recurring/residual"), M("100"));
    at_money total = 0;
    for (size_t i = 0; i < r.payout_count; i++)
        total += r.payouts[i].amount;
    assert_int_equal(total, M("9600"));
    at_calc_result_free(&r);
    fw_free(w);
}

/* ---- case 14: new-hire proration ------------------------------------------------------------- */

static void case14_new_hire_proration(void **state)
{
    (void)state;
    fw_world *w = fw_new();
    int32_t a = fw_person(w, "A"), b = fw_person(w, "B");
    w->people[a].hire = D("2026-06-01");
    w->people[b].hire = D("2026-06-15");
    fw_plan(w,
            "plan: Annual\ncurrency: USD\n"
            "measures: [{id: sales, window: year_to_date}]\n"
            "components:\n  - {id: bonus, kind: bonus, measure: sales, weight: 100%,\n"
            "     curve: [[0%, 0%], [100%, 100%]]}\n",
            1);
    fw_plan(w,
            "plan: Monthly\ncurrency: USD\nmeasures: [{id: sales}]\n"
            "components: [{id: c, kind: rate, measure: sales, rate: 1%}]\n",
            1);
    fw_assign(w, "A1", a, "Annual", "2026-01-01", NULL, "75000");
    fw_assign(w, "A2", b, "Monthly", "2026-01-01", NULL, NULL);
    fw_quota(w, a, "sales", "2026", "800000");
    fw_quota(w, b, "sales", "2026-06", "30000");
    /* sales of exactly the prorated quota, so attainment is exactly 100% */
    fw_booking(w, "T1", "2026-12-10", "469041.0959", a);
    at_calc_result r;
    fw_run(w, "2026-06", "2026-12", &r);
    /* quota 800,000 x 214/365 = 469,041.09589 -> 469,041.0959 (469,041.10 to the cent);
       variable 75,000 x 214/365 = 43,972.6027 -> 43,972.60 paid in December (the curve pays
       0 at 0% attainment in the months before) */
    const at_calc_measure_value *mv = fw_measure(w, &r, a, "2026-12", "sales");
    assert_int_equal(mv->quota, M("469041.0959"));
    assert_int_equal(mv->attainment, R("1"));
    assert_int_equal(fw_paid(w, &r, a, "2026-11", "Annual/bonus"), 0);
    assert_int_equal(fw_paid(w, &r, a, "2026-12", "Annual/bonus"), M("43972.60"));
    /* a start on the 15th of a 30-day month: 16/30 days (first and last day included):
       30,000 x 16/30 = 16,000.00 */
    assert_int_equal(fw_measure(w, &r, b, "2026-06", "sales")->quota, M("16000"));
    at_calc_result_free(&r);
    fw_free(w);
}

/* ---- case 15: clawback of 50% in the period of the termination ------------------------------- */

static void case15_clawback_half(void **state)
{
    (void)state;
    fw_world *w = fw_new();
    int32_t a = fw_person(w, "A");
    fw_plan(w,
            "plan: Claw\ncurrency: USD\nclawback: {share: 50%}\n"
            "measures: [{id: bookings, quota: none}]\n"
            "components: [{id: c, kind: rate, measure: bookings, rate: 10%}]\n",
            1);
    fw_assign(w, "A1", a, "Claw", NULL, NULL, NULL);
    int32_t t = fw_booking(w, "DEAL", "2026-01-20", "100000", a);
    fw_cancel(w, "TERM", "2026-03-05", "-100000", t);
    at_calc_result r;
    fw_run(w, "2026-01", "2026-03", &r);
    /* January earns 100,000 x 10% = 10,000.00 and keeps it; March: -100,000 x 50% x 10% =
       -5,000.00 */
    assert_int_equal(fw_paid(w, &r, a, "2026-01", "Claw/c"), M("10000"));
    assert_int_equal(fw_paid(w, &r, a, "2026-03", "Claw/c"), -M("5000"));
    at_calc_result_free(&r);
    fw_free(w);
}

/* ---- case 16: per-unit amounts, quantity tier, validity window, refund ----------------------- */

static void case16_per_unit(void **state)
{
    (void)state;
    fw_world *w = fw_new();
    int32_t pa = fw_product(w, "PRD-A", "A"), pb = fw_product(w, "PRD-B", "B");
    fw_plan(w,
            "plan: X\ncurrency: USD\nmeasures: [{id: units, sum: quantity, quota: none}]\n"
            "components:\n  - id: c\n    kind: per_unit\n    measure: units\n"
            "    products:\n"
            "      - {product: PRD-A, amount: 500, quantity_tiers: [{from: 10, amount: 400}]}\n"
            "      - {product: PRD-B, amount: 300}\n",
            1);
    fw_plan(w,
            "plan: Y\ncurrency: USD\nmeasures: [{id: units, sum: quantity, quota: none}]\n"
            "components:\n  - {id: c, kind: per_unit, measure: units,\n"
            "     products: [{product: PRD-A, amount: 650}]}\n",
            1);
    fw_plan(w,
            "plan: XW\ncurrency: USD\n"
            "measures: [{id: units, sum: quantity, quota: none, from: 2026-01-01, to: 2026-01-31}]\n"
            "components:\n  - {id: c, kind: per_unit, measure: units,\n"
            "     products: [{product: PRD-A, amount: 500}]}\n",
            1);
    struct {
        const char *id, *plan, *day, *amount;
        int32_t product;
        int64_t qty;
        const char *expect;
    } cases[] = {
        {"X-A3", "X", "2026-01-10", "3000", pa, 3, "1500"},   /* 500 x 3 */
        {"X-A1", "X", "2026-01-10", "1000", pa, 1, "500"},    /* 500 x 1 */
        {"Y-A1", "Y", "2026-01-10", "1000", pa, 1, "650"},    /* 650 x 1 */
        {"X-B2", "X", "2026-01-10", "2000", pb, 2, "600"},    /* 300 x 2 */
        {"X-A5", "X", "2026-01-10", "5000", pa, 5, "2500"},   /* 500 x 5 */
        {"X-A12", "X", "2026-01-10", "12000", pa, 12, "4800"}, /* 400 x 12 */
        {"Y-B1", "Y", "2026-01-10", "1000", pb, 1, "0"},      /* no amount for B */
        {"XW-IN", "XW", "2026-01-15", "1000", pa, 1, "500"},  /* inside the window */
    };
    size_t n = sizeof cases / sizeof *cases;
    int32_t people[16];
    for (size_t i = 0; i < n; i++) {
        people[i] = fw_person(w, cases[i].id);
        fw_assign(w, cases[i].id, people[i], cases[i].plan, NULL, NULL, NULL);
        int32_t t = fw_booking(w, cases[i].id, cases[i].day, cases[i].amount, people[i]);
        w->tx_product[t] = cases[i].product;
        w->tx_quantity[t] = cases[i].qty;
    }
    /* outside the window: dated 2026-06-01 -> 0 */
    int32_t out = fw_person(w, "XW-OUT");
    fw_assign(w, "XW-OUT", out, "XW", NULL, NULL, NULL);
    int32_t t = fw_booking(w, "XW-OUT", "2026-06-01", "1000", out);
    w->tx_product[t] = pa;
    w->tx_quantity[t] = 1;
    /* a refund of 3 units of A in February: -(500 x 3) = -1,500.00 */
    int32_t refund = fw_person(w, "X-REFUND");
    fw_assign(w, "X-REFUND", refund, "X", NULL, NULL, NULL);
    t = fw_booking(w, "X-R-SALE", "2026-01-20", "3000", refund);
    w->tx_product[t] = pa;
    w->tx_quantity[t] = 3;
    fw_cancel(w, "X-R-REFUND", "2026-02-03", "-3000", t);
    at_calc_result r;
    fw_run(w, "2026-01", "2026-06", &r);
    for (size_t i = 0; i < n; i++) {
        char key[32];
        snprintf(key, sizeof key, "%s/c", cases[i].plan);
        assert_int_equal(fw_paid(w, &r, people[i], "2026-01", key), M(cases[i].expect));
    }
    assert_int_equal(fw_paid(w, &r, out, "2026-06", "XW/c"), 0);
    assert_int_equal(fw_paid(w, &r, refund, "2026-01", "X/c"), M("1500"));
    assert_int_equal(fw_paid(w, &r, refund, "2026-02", "X/c"), -M("1500"));
    at_calc_result_free(&r);
    fw_free(w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(case01_flat_rate_and_spiff),
        cmocka_unit_test(case02_percent_and_launch_spiff),
        cmocka_unit_test(case03_marginal_quarter_to_date),
        cmocka_unit_test(case04_retroactive_versus_marginal),
        cmocka_unit_test(case05_oracle_rate_split),
        cmocka_unit_test(case06_per_transaction_step),
        cmocka_unit_test(case07_threshold),
        cmocka_unit_test(case08_accelerator),
        cmocka_unit_test(case09_draws),
        cmocka_unit_test(case10_split),
        cmocka_unit_test(case11_manager_override),
        cmocka_unit_test(case12_margin),
        cmocka_unit_test(case13_upfront_and_residual),
        cmocka_unit_test(case14_new_hire_proration),
        cmocka_unit_test(case15_clawback_half),
        cmocka_unit_test(case16_per_unit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
