/* test_payee_digest.c - payee digests (calc/payee_digest.h) and the two-step run
 * (calc/run_steps.h): a change to any one input of a payee changes that payee's digest and
 * no one else's but the people it legitimately reaches (the managers a credit rolls up to, the
 * partners of a split); what every payee reads changes the global digest only; shuffled input
 * arrays give the same digests; credits then chosen payees give exactly what a run of those
 * payees gives; and the errors. Which digests must change is written by hand per change. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "calc/payee_digest.h"
#include "calc/run_steps.h"
#include "calc_fixtures.h"

static const char *PLAN_AE_V1 =
    "plan: AE\n"
    "currency: USD\n"
    "effective: {from: 2026-01-01, to: 2026-06-30}\n"
    "measures:\n"
    "  - {id: bookings, credit: [owner, split]}\n"
    "components:\n"
    "  - {id: commission, kind: rate, measure: bookings, rate: 5%}\n";

static const char *PLAN_AE_V2 =
    "plan: AE\n"
    "currency: USD\n"
    "effective: {from: 2026-07-01}\n"
    "measures:\n"
    "  - {id: bookings, credit: [owner, split]}\n"
    "components:\n"
    "  - {id: commission, kind: rate, measure: bookings, rate: 6%}\n";

static const char *PLAN_MGR =
    "plan: Mgr\n"
    "currency: USD\n"
    "measures:\n"
    "  - {id: team, credit: [rollup], quota: none}\n"
    "components:\n"
    "  - {id: override, kind: rate, measure: team, rate: 1%}\n";

enum { REP1, REP2, MGR, OTHER, PEOPLE };
static const char *const NAMES[PEOPLE] = {"P-REP1", "P-REP2", "P-MGR", "P-OTHER"};

typedef struct world {
    fw_world *w;
    int32_t t1, t2, t3;          /* REP1's bookings t1, t3 (split with REP2), REP2's t2 */
    int32_t prod;
    at_calc_manual_line manual[4];
    size_t manual_count;
    int64_t person_ids[PEOPLE], tx_ids[16], asg_ids[8];
} world;

static world *make(void)
{
    world *x = calloc(1, sizeof *x);
    fw_world *w = x->w = fw_new();
    for (int p = 0; p < PEOPLE; p++) {
        fw_person(w, NAMES[p]);
        x->person_ids[p] = 100 + p;
    }
    fw_reports(w, REP1, MGR, NULL, NULL);
    fw_reports(w, REP2, MGR, NULL, NULL);
    x->prod = fw_product(w, "PRD-1", "SW");
    fw_plan(w, PLAN_AE_V1, 1);
    fw_plan(w, PLAN_MGR, 1);
    fw_assign(w, "A-1", REP1, "AE", "2026-01-01", NULL, "10000");
    fw_assign(w, "A-2", REP2, "AE", "2026-01-01", NULL, NULL);
    fw_assign(w, "A-3", MGR, "Mgr", "2026-01-01", NULL, NULL);
    fw_assign(w, "A-4", OTHER, "Mgr", "2026-01-01", NULL, NULL);
    for (int a = 0; a < 4; a++)
        x->asg_ids[a] = 500 + a;
    x->t1 = fw_booking(w, "T-1", "2026-02-10", "1000.00", REP1);
    w->tx_product[x->t1] = x->prod;
    x->t2 = fw_booking(w, "T-2", "2026-02-11", "2000.00", REP2);
    x->t3 = fw_booking(w, "T-3", "2026-03-05", "3000.00", REP1);
    fw_share(w, x->t3, REP2, AT_TX_ROLE_SPLIT, "40%");
    for (size_t t = 0; t < 16; t++)
        x->tx_ids[t] = 1000 + (int64_t)t;
    fw_quota(w, REP1, "bookings", "2026-Q1", "50000.00");
    fw_quota(w, REP2, "bookings", "2026-Q1", "40000.00");
    w->metrics[w->metric_count++] =
        (at_calc_metric){OTHER, "csat", AT_PERIOD_MONTH, 2026, 2, 900000000};
    w->activities[w->activity_count++] = (at_calc_activity){REP2, 2, 1, D("2026-02-03")};
    w->leaves[w->leave_count++] = (at_calc_leave){REP1, D("2026-04-01"), D("2026-04-10")};
    w->locked[w->locked_count++] = (at_calc_locked_line){REP1, fw_month(w, "2026-01"),
                                                         "AE/commission", 0};
    x->manual[x->manual_count++] =
        (at_calc_manual_line){REP2, fw_month(w, "2026-03"), "manual/1", M("50.00"), "fix"};
    fw_rate(w, "EUR", "USD", "2026-01-01", "1.1");
    return x;
}

static void drop(world *x)
{
    fw_free(x->w);
    free(x);
}

static const at_calc_input *input(world *x)
{
    at_calc_input *in = (at_calc_input *)fw_input(x->w, "2026-01", "2026-12");
    in->manual = x->manual;
    in->manual_count = x->manual_count;
    in->draw_balance_before = NULL;
    return in;
}

/* Everyone's digests, and the global one. */
static void digests(world *x, at_calc_digest out[PEOPLE], at_calc_digest *global)
{
    const at_calc_input *in = input(x);
    at_calc_options opt = {.threads = 1, .keep_explanations = true};
    at_calc_result r;
    at_error err;
    assert_int_equal(at_calc_run_credits(in, &opt, &r, &err), AT_OK);
    at_calc_digest_ids ids = {x->person_ids, x->tx_ids, x->asg_ids};
    assert_int_equal(at_calc_payee_digests(in, &r.credits, &ids, NULL, 0, 1, out, &err), AT_OK);
    assert_int_equal(at_calc_global_digest(in, true, global, &err), AT_OK);
    at_calc_result_free(&r);
}

typedef void (*change_fn)(world *x);

/* Applies a change to a fresh world; the digests that differ must be exactly `expect` (bits
 * by person), and the global digest must differ exactly when `global` says. */
static void check_change(change_fn change, unsigned expect, bool global, const char *what)
{
    world *x = make();
    at_calc_digest before[PEOPLE], after[PEOPLE], g0, g1;
    digests(x, before, &g0);
    change(x);
    digests(x, after, &g1);
    unsigned changed = 0;
    for (int p = 0; p < PEOPLE; p++)
        if (memcmp(before[p].bytes, after[p].bytes, AT_CALC_DIGEST_SIZE) != 0)
            changed |= 1u << p;
    if (changed != expect)
        fail_msg("%s: digests changed for 0x%x, expected 0x%x", what, changed, expect);
    bool gchanged = memcmp(g0.bytes, g1.bytes, AT_CALC_DIGEST_SIZE) != 0;
    if (gchanged != global)
        fail_msg("%s: the global digest %s", what, gchanged ? "changed" : "did not change");
    drop(x);
}

#define BIT(p) (1u << (p))

static void ch_amount(world *x) { x->w->tx_amount[x->t1] = M("1100.00"); }
static void ch_date(world *x) { x->w->tx_date[x->t2] = D("2026-02-12"); }
static void ch_tx_id(world *x) { x->w->tx_id[x->t2] = "T-2b"; }
static void ch_tx_internal_id(world *x) { x->tx_ids[x->t1] = 9999; }
static void ch_quantity(world *x) { x->w->tx_quantity[x->t1] = 3; }
static void ch_margin(world *x)
{
    x->w->tx_margin[x->t2] = M("500.00");
    x->w->tx_has_margin[x->t2] = 1;
}
static void ch_currency(world *x) { x->w->tx_currency[x->t2] = fw_currency(x->w, "EUR"); }
static void ch_owner(world *x) { x->w->tx_owner[x->t1] = OTHER; }
static void ch_new_tx(world *x) { fw_booking(x->w, "T-9", "2026-05-01", "10.00", REP2); }
static void ch_cancel(world *x) { fw_cancel(x->w, "T-1X", "2026-03-01", "-400.00", x->t1); }
static void ch_split_share(world *x) { x->w->tx_people[0].share = R("50%"); }
static void ch_family(world *x) { x->w->products[x->prod].family = "HW"; }
static void ch_quota(world *x) { x->w->quotas[0].amount = M("60000.00"); }
static void ch_assignment(world *x) { x->w->assignments[1].end = D("2026-09-30"); }
static void ch_assignment_id(world *x) { x->asg_ids[0] = 777; }
static void ch_target(world *x) { x->w->assignments[0].target_incentive = M("12000.00"); }
static void ch_plan_version(world *x) { fw_plan(x->w, PLAN_AE_V2, 2); }
static void ch_metric(world *x) { x->w->metrics[0].value = 950000000; }
static void ch_activity(world *x) { x->w->activities[0].meaningful = 0; }
static void ch_leave(world *x) { x->w->leaves[0].end = D("2026-04-11"); }
static void ch_locked(world *x) { x->w->locked[0].amount = M("10.00"); }
static void ch_manual(world *x) { x->manual[0].amount = M("60.00"); }
static void ch_manual_explain(world *x) { x->manual[0].explain = "fixed"; }
static void ch_hire(world *x) { x->w->people[REP1].hire = D("2026-01-15"); }
static void ch_exit(world *x) { x->w->people[OTHER].exit = D("2026-10-31"); }
static void ch_pay_currency(world *x) { x->w->people[REP2].pay_currency = fw_currency(x->w, "EUR"); }
static void ch_person_id(world *x) { x->person_ids[OTHER] = 4242; }
static void ch_manager(world *x) { x->w->lines[1].manager = OTHER; }
static void ch_fx(world *x) { fw_rate(x->w, "EUR", "USD", "2026-06-01", "1.2"); }
static void ch_closed(world *x) { x->w->closed[x->w->closed_count++] = fw_month(x->w, "2026-01"); }
static void ch_name(world *x) { x->w->people[REP1].name = "Someone Else"; }
static void ch_nothing(world *x) { (void)x; }

static void transaction_changes_reach_the_people_credited(void **state)
{
    (void)state;
    /* T-1: REP1 (owner), MGR (roll-up) */
    check_change(ch_amount, BIT(REP1) | BIT(MGR), false, "amount");
    check_change(ch_quantity, BIT(REP1) | BIT(MGR), false, "quantity");
    check_change(ch_tx_internal_id, BIT(REP1) | BIT(MGR), false, "internal id");
    check_change(ch_family, BIT(REP1) | BIT(MGR), false, "product family");
    /* T-2: REP2, MGR */
    check_change(ch_date, BIT(REP2) | BIT(MGR), false, "date");
    check_change(ch_tx_id, BIT(REP2) | BIT(MGR), false, "external id");
    check_change(ch_margin, BIT(REP2) | BIT(MGR), false, "margin");
    check_change(ch_currency, BIT(REP2) | BIT(MGR), false, "currency");
    check_change(ch_new_tx, BIT(REP2) | BIT(MGR), false, "new transaction");
    /* owner REP1 -> OTHER: REP1 loses, OTHER gains, MGR loses the roll-up */
    check_change(ch_owner, BIT(REP1) | BIT(OTHER) | BIT(MGR), false, "owner");
    check_change(ch_cancel, BIT(REP1) | BIT(MGR), false, "cancellation");
    /* T-3's split: REP1 and REP2 share it, MGR gets both roll-ups */
    check_change(ch_split_share, BIT(REP1) | BIT(REP2) | BIT(MGR), false, "split share");
    /* REP2 now reports to OTHER: the roll-ups of REP2's credits move */
    check_change(ch_manager, BIT(MGR) | BIT(OTHER), false, "reporting line");
}

static void payee_inputs_reach_that_payee_only(void **state)
{
    (void)state;
    check_change(ch_quota, BIT(REP1), false, "quota");
    check_change(ch_assignment, BIT(REP2), false, "assignment end");
    check_change(ch_assignment_id, BIT(REP1), false, "assignment internal id");
    check_change(ch_target, BIT(REP1), false, "target incentive");
    check_change(ch_metric, BIT(OTHER), false, "metric");
    check_change(ch_activity, BIT(REP2), false, "activity");
    check_change(ch_leave, BIT(REP1), false, "leave");
    check_change(ch_locked, BIT(REP1), false, "locked line");
    check_change(ch_manual, BIT(REP2), false, "manual line");
    check_change(ch_manual_explain, BIT(REP2), false, "manual line's explanation");
    check_change(ch_hire, BIT(REP1), false, "hire");
    check_change(ch_exit, BIT(OTHER), false, "exit");
    check_change(ch_pay_currency, BIT(REP2), false, "pay currency");
    /* OTHER sells nothing that rolls up: only OTHER (a seller's id is in roll-up credits) */
    check_change(ch_person_id, BIT(OTHER), false, "person internal id");
    /* a new version of AE: its payees, not the Mgr plan's */
    check_change(ch_plan_version, BIT(REP1) | BIT(REP2), false, "plan version");
}

static void shared_inputs_change_the_global_digest(void **state)
{
    (void)state;
    check_change(ch_fx, 0, true, "exchange rate");
    check_change(ch_closed, 0, true, "closed month");
    check_change(ch_name, 0, false, "a name (read by problems only)");
    check_change(ch_nothing, 0, false, "nothing");
}

static void explanations_and_months_are_global(void **state)
{
    (void)state;
    world *x = make();
    const at_calc_input *in = input(x);
    at_calc_digest a, b, c;
    at_error err;
    assert_int_equal(at_calc_global_digest(in, true, &a, &err), AT_OK);
    assert_int_equal(at_calc_global_digest(in, false, &b, &err), AT_OK);
    assert_memory_not_equal(a.bytes, b.bytes, AT_CALC_DIGEST_SIZE);
    in = fw_input(x->w, "2026-01", "2026-06");
    assert_int_equal(at_calc_global_digest(in, true, &c, &err), AT_OK);
    assert_memory_not_equal(a.bytes, c.bytes, AT_CALC_DIGEST_SIZE);
    char hex[2 * AT_CALC_DIGEST_SIZE + 1];
    at_calc_digest_hex(&a, hex);
    assert_int_equal(strlen(hex), 64);
    drop(x);
}

/* ---- order independence ---------------------------------------------------------------- */

/* Reverses every array: people (with every reference to them), transactions (with the
 * transaction people and originals), quotas, assignments, metrics, activities, leaves, locked
 * and manual lines, and the internal id maps with them. */
static void reverse_world(world *x)
{
    fw_world *w = x->w;
    size_t np = w->person_count, nt = w->tx_count;
    int32_t pmap[FW_MAX], tmap[FW_MAX_TX];
    for (size_t i = 0; i < np; i++)
        pmap[i] = (int32_t)(np - 1 - i);
    for (size_t i = 0; i < nt; i++)
        tmap[i] = (int32_t)(nt - 1 - i);
    at_calc_person people[FW_MAX];
    int64_t pids[PEOPLE];
    for (size_t i = 0; i < np; i++) {
        people[pmap[i]] = w->people[i];
        pids[pmap[i]] = x->person_ids[i];
    }
    memcpy(w->people, people, np * sizeof *people);
    memcpy(x->person_ids, pids, sizeof pids);
#define REVERSE(arr, n)                                                                        \
    for (size_t i = 0; i < (n) / 2; i++) {                                                     \
        __typeof__((arr)[0]) tmp_ = (arr)[i];                                                  \
        (arr)[i] = (arr)[(n) - 1 - i];                                                         \
        (arr)[(n) - 1 - i] = tmp_;                                                             \
    }
    for (size_t i = 0; i < w->line_count; i++) {
        w->lines[i].person = pmap[w->lines[i].person];
        w->lines[i].manager = pmap[w->lines[i].manager];
    }
    REVERSE(w->lines, w->line_count);
    for (size_t i = 0; i < w->leave_count; i++)
        w->leaves[i].person = pmap[w->leaves[i].person];
    for (size_t i = 0; i < w->quota_count; i++)
        w->quotas[i].person = pmap[w->quotas[i].person];
    REVERSE(w->quotas, w->quota_count);
    for (size_t i = 0; i < w->assignment_count; i++)
        w->assignments[i].person = pmap[w->assignments[i].person];
    REVERSE(w->assignments, w->assignment_count);
    REVERSE(x->asg_ids, w->assignment_count);
    for (size_t i = 0; i < w->metric_count; i++)
        w->metrics[i].person = pmap[w->metrics[i].person];
    for (size_t i = 0; i < w->activity_count; i++)
        w->activities[i].person = pmap[w->activities[i].person];
    for (size_t i = 0; i < w->locked_count; i++)
        w->locked[i].person = pmap[w->locked[i].person];
    for (size_t i = 0; i < x->manual_count; i++)
        x->manual[i].person = pmap[x->manual[i].person];
    for (size_t i = 0; i < w->tx_person_count; i++) {
        w->tx_people[i].person = pmap[w->tx_people[i].person];
        w->tx_people[i].transaction = tmap[w->tx_people[i].transaction];
    }
    REVERSE(w->tx_people, w->tx_person_count);
    for (size_t i = 0; i < nt; i++) {
        w->tx_owner[i] = pmap[w->tx_owner[i]];
        if (w->tx_original[i] >= 0)
            w->tx_original[i] = tmap[w->tx_original[i]];
    }
    REVERSE(w->tx_id, nt);
    REVERSE(w->tx_type, nt);
    REVERSE(w->tx_date, nt);
    REVERSE(w->tx_amount, nt);
    REVERSE(w->tx_currency, nt);
    REVERSE(w->tx_margin, nt);
    REVERSE(w->tx_has_margin, nt);
    REVERSE(w->tx_quantity, nt);
    REVERSE(w->tx_product, nt);
    REVERSE(w->tx_account, nt);
    REVERSE(w->tx_owner, nt);
    REVERSE(w->tx_original, nt);
    REVERSE(x->tx_ids, nt);
#undef REVERSE
}

static void shuffled_input_gives_equal_digests(void **state)
{
    (void)state;
    world *x = make();
    /* more rows per payee, so that their order matters if anything does */
    fw_quota(x->w, REP1, "bookings", "2026-Q2", "55000.00");
    fw_quota(x->w, REP1, "bookings", "2026-01", "1000.00");
    x->w->activities[x->w->activity_count++] = (at_calc_activity){REP2, 1, 0, D("2026-03-03")};
    x->w->activities[x->w->activity_count++] = (at_calc_activity){REP2, 2, 1, D("2026-01-09")};
    fw_assign(x->w, "A-5", REP1, "Mgr", "2026-07-01", NULL, NULL);
    x->asg_ids[4] = 504;
    fw_cancel(x->w, "T-1X", "2026-03-01", "-400.00", x->t1);
    fw_booking(x->w, "T-4", "2026-02-10", "1000.00", REP1); /* same day as T-1 */
    at_calc_digest a[PEOPLE], b[PEOPLE], ga, gb;
    digests(x, a, &ga);
    reverse_world(x);
    digests(x, b, &gb);
    assert_memory_equal(ga.bytes, gb.bytes, AT_CALC_DIGEST_SIZE);
    /* person p is now at index PEOPLE - 1 - p */
    for (int p = 0; p < PEOPLE; p++) {
        assert_string_equal(x->w->people[PEOPLE - 1 - p].id, NAMES[p]);
        assert_memory_equal(a[p].bytes, b[PEOPLE - 1 - p].bytes, AT_CALC_DIGEST_SIZE);
    }
    /* and the digests are not all alike */
    assert_memory_not_equal(a[REP1].bytes, a[REP2].bytes, AT_CALC_DIGEST_SIZE);
    drop(x);
}

static void threads_give_the_same_digests(void **state)
{
    (void)state;
    world *x = make();
    const at_calc_input *in = input(x);
    at_calc_options opt = {.threads = 1};
    at_calc_result r;
    at_error err;
    assert_int_equal(at_calc_run_credits(in, &opt, &r, &err), AT_OK);
    at_calc_digest one[PEOPLE], three[PEOPLE], some[2];
    assert_int_equal(at_calc_payee_digests(in, &r.credits, NULL, NULL, 0, 1, one, &err), AT_OK);
    assert_int_equal(at_calc_payee_digests(in, &r.credits, NULL, NULL, 0, 3, three, &err),
                     AT_OK);
    assert_memory_equal(one, three, sizeof one);
    /* a list of payees: each digest as in the list of everyone */
    int32_t list[] = {REP2, OTHER};
    assert_int_equal(at_calc_payee_digests(in, &r.credits, NULL, list, 2, 99, some, &err), AT_OK);
    assert_memory_equal(some[0].bytes, one[REP2].bytes, AT_CALC_DIGEST_SIZE);
    assert_memory_equal(some[1].bytes, one[OTHER].bytes, AT_CALC_DIGEST_SIZE);
    at_calc_result_free(&r);
    drop(x);
}

/* ---- the two-step run ----------------------------------------------------------------- */

static void steps_give_what_a_run_of_those_payees_gives(void **state)
{
    (void)state;
    world *x = make();
    const at_calc_input *in = input(x);
    int32_t some[] = {REP2, MGR};
    at_calc_options opt = {.threads = 2, .keep_explanations = true,
                           .only_people = some, .only_people_count = 2};
    at_calc_result full, steps;
    at_error err;
    at_error_list p1, p2;
    at_error_list_init(&p1, 20);
    at_error_list_init(&p2, 20);
    assert_int_equal(at_calc_run(in, &opt, &full, &p1, &err), AT_OK);
    assert_int_equal(at_calc_run_credits(in, &opt, &steps, &err), AT_OK);
    assert_int_equal(steps.measure_count + steps.line_count + steps.payout_count, 0);
    assert_true(steps.credits.count >= 5); /* everyone's: 3 bookings, a split, roll-ups */
    assert_int_equal(at_calc_run_payees(in, &opt, &steps, &p2, &err), AT_OK);
    assert_int_equal(steps.measure_count, full.measure_count);
    assert_int_equal(steps.line_count, full.line_count);
    assert_int_equal(steps.payout_count, full.payout_count);
    assert_true(full.line_count > 0);
    /* field by field: the structs' padding is not part of the result */
    for (size_t i = 0; i < full.measure_count; i++) {
        const at_calc_measure_value *a = &full.measures[i], *b = &steps.measures[i];
        assert_int_equal(a->person, b->person);
        assert_int_equal(a->month, b->month);
        assert_int_equal(a->assignment, b->assignment);
        assert_int_equal(a->measure, b->measure);
        assert_string_equal(a->plan->name, b->plan->name);
        assert_int_equal(a->month_value, b->month_value);
        assert_int_equal(a->value, b->value);
        assert_int_equal(a->credit_count, b->credit_count);
        assert_int_equal(a->has_quota, b->has_quota);
        assert_int_equal(a->quota, b->quota);
        assert_int_equal(a->attainment, b->attainment);
    }
    for (size_t i = 0; i < full.payout_count; i++) {
        const at_calc_payout *a = &full.payouts[i], *b = &steps.payouts[i];
        assert_int_equal(a->person, b->person);
        assert_int_equal(a->month, b->month);
        assert_int_equal(a->currency, b->currency);
        assert_int_equal(a->earned, b->earned);
        assert_int_equal(a->amount, b->amount);
        assert_int_equal(a->earned_ytd, b->earned_ytd);
        assert_int_equal(a->paid_ytd, b->paid_ytd);
        assert_int_equal(a->draw_balance, b->draw_balance);
    }
    for (size_t i = 0; i < full.line_count; i++) {
        const at_calc_line *a = &full.lines[i], *b = &steps.lines[i];
        assert_int_equal(a->person, b->person);
        assert_int_equal(a->month, b->month);
        assert_int_equal(a->amount, b->amount);
        assert_int_equal(a->earned, b->earned);
        assert_int_equal(a->earned_to_date, b->earned_to_date);
        assert_string_equal(a->key, b->key);
        assert_string_equal(a->explain ? a->explain : "", b->explain ? b->explain : "");
    }
    assert_int_equal(p1.total, p2.total);
    /* step 2 again with nobody: no results, the credits stay */
    int32_t none[1] = {0};
    opt.only_people = none;
    opt.only_people_count = 0;
    size_t credits = steps.credits.count;
    assert_int_equal(at_calc_run_payees(in, &opt, &steps, NULL, &err), AT_OK);
    assert_int_equal(steps.line_count + steps.measure_count + steps.payout_count, 0);
    assert_int_equal(steps.credits.count, credits);
    at_error_list_free(&p1);
    at_error_list_free(&p2);
    at_calc_result_free(&full);
    at_calc_result_free(&steps);
    drop(x);
}

/* ---- errors ---------------------------------------------------------------------------- */

static void errors(void **state)
{
    (void)state;
    world *x = make();
    const at_calc_input *in = input(x);
    at_calc_options opt = {.threads = 1};
    at_calc_result r;
    at_error err;
    assert_int_equal(at_calc_run_credits(in, &opt, &r, &err), AT_OK);
    at_calc_digest d[2];
    int32_t bad[] = {0, 7};
    assert_int_equal(at_calc_payee_digests(in, &r.credits, NULL, bad, 2, 1, d, &err),
                     AT_ERR_INVALID);
    assert_non_null(strstr(err.message, "payee index 7"));
    int32_t neg[] = {-1};
    assert_int_equal(at_calc_payee_digests(in, &r.credits, NULL, neg, 1, 1, d, &err),
                     AT_ERR_INVALID);
    assert_int_equal(at_calc_payee_digests(NULL, &r.credits, NULL, NULL, 0, 1, d, &err),
                     AT_ERR_INVALID);
    /* without internal ids: still a digest, a different one */
    int32_t one[] = {REP1};
    assert_int_equal(at_calc_payee_digests(in, &r.credits, NULL, one, 1, 1, d, &err), AT_OK);
    at_calc_digest_ids ids = {x->person_ids, x->tx_ids, x->asg_ids};
    assert_int_equal(at_calc_payee_digests(in, &r.credits, &ids, one, 1, 1, d + 1, &err), AT_OK);
    assert_memory_not_equal(d[0].bytes, d[1].bytes, AT_CALC_DIGEST_SIZE);
    at_calc_digest g;
    at_calc_input nocal = *in;
    nocal.calendar = NULL;
    assert_int_equal(at_calc_global_digest(&nocal, true, &g, &err), AT_ERR_INVALID);
    assert_int_equal(at_calc_global_digest(NULL, true, &g, &err), AT_ERR_INVALID);
    /* payees before credits; payees out of order */
    at_calc_result empty;
    memset(&empty, 0, sizeof empty);
    assert_int_equal(at_calc_run_payees(in, &opt, &empty, NULL, &err), AT_ERR_INVALID);
    int32_t unsorted[] = {MGR, REP1};
    opt.only_people = unsorted;
    opt.only_people_count = 2;
    assert_int_equal(at_calc_run_payees(in, &opt, &r, NULL, &err), AT_ERR_INVALID);
    assert_int_equal(at_calc_run_credits(NULL, &opt, &empty, &err), AT_ERR_INVALID);
    at_calc_result_free(&empty);
    at_calc_result_free(&r);
    drop(x);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(transaction_changes_reach_the_people_credited),
        cmocka_unit_test(payee_inputs_reach_that_payee_only),
        cmocka_unit_test(shared_inputs_change_the_global_digest),
        cmocka_unit_test(explanations_and_months_are_global),
        cmocka_unit_test(shuffled_input_gives_equal_digests),
        cmocka_unit_test(threads_give_the_same_digests),
        cmocka_unit_test(steps_give_what_a_run_of_those_payees_gives),
        cmocka_unit_test(errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
