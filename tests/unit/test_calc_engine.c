/* test_calc_engine.c - the engine's promises on generated data: results do not depend on the
 * order of any input array (every array shuffled, results compared through external ids);
 * several threads give what one thread gives; only_people gives the full run's results for
 * those payees; a session that takes many random adds, updates and cancellations gives,
 * after every batch, exactly what a full run over the changed data gives. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "calc_fixtures.h"

/* ---- a generated world ------------------------------------------------------------------- */

static uint64_t rng_state;

static uint64_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

static int64_t rnd_in(int64_t lo, int64_t hi)
{
    return lo + (int64_t)(rnd() % (uint64_t)(hi - lo + 1));
}

static const char *GEN_AE_V1 =
    "plan: Gen AE\n"
    "effective: {from: 2025-01-01, to: 2026-06-30}\n"
    "currency: USD\n"
    "clawback: {within_days: 90, share: 100%}\n"
    "measures:\n"
    "  - {id: bookings, window: quarter_to_date}\n"
    "  - {id: units, sum: quantity, quota: none, product_families: [HW]}\n"
    "  - {id: gm, sum: margin, quota: none}\n"
    "  - {id: deals, sum: count, quota: none}\n"
    "components:\n"
    "  - {id: commission, kind: tiers, measure: bookings, method: marginal, on: attainment,\n"
    "     tiers: [{from: 0, to: 100%, rate: 5%}, {from: 100%, rate: 8%}],\n"
    "     cap: {per_period: 20000}}\n"
    "  - {id: hw, kind: per_unit, measure: units, amount: 10,\n"
    "     products: [{family: HW, amount: 20, quantity_tiers: [{from: 5, amount: 15}]}],\n"
    "     cap: {per_deal: 500}}\n"
    "  - {id: kicker, kind: rate, measure: gm, rate: 1%, gate: \"bookings.attainment >= 50%\"}\n"
    "  - {id: bonus, kind: bonus, measure: bookings, weight: 20%,\n"
    "     curve: [[0%, 0%], [100%, 100%], [150%, 200%]]}\n"
    "  - {id: topup, kind: formula, formula: \"min(commission, 1000) * 0.1\"}\n"
    "draw: {amount: 15000, recoverable: true, months: 18}\n";

static const char *GEN_AE_V2 =
    "plan: Gen AE\n"
    "effective: {from: 2026-07-01}\n"
    "currency: USD\n"
    "clawback: {within_days: 60, share: 50%}\n"
    "measures:\n"
    "  - {id: bookings, window: quarter_to_date}\n"
    "  - {id: units, sum: quantity, quota: none, product_families: [HW]}\n"
    "components:\n"
    "  - {id: commission, kind: tiers, measure: bookings, method: retroactive, on: attainment,\n"
    "     edges: upper_inclusive,\n"
    "     tiers: [{from: 0, to: 100%, rate: 6%}, {from: 100%, rate: 9%}]}\n"
    "  - {id: hw, kind: per_unit, measure: units, amount: 12}\n"
    "  - {id: spiff, kind: spiff, measure: bookings, from: 2026-08-01, to: 2026-08-31,\n"
    "     products: [{family: SW, rate: 2%}]}\n";

static const char *GEN_MGR =
    "plan: Gen Mgr\n"
    "currency: USD\n"
    "frequency: quarterly\n"
    "measures:\n"
    "  - {id: team, credit: [rollup], window: year_to_date}\n"
    "  - {id: own, credit: [owner, split, manager]}\n"
    "components:\n"
    "  - {id: override, kind: rate, measure: team, rate: 1%, cap: {per_year: 40000}}\n"
    "  - {id: own_rate, kind: rate, measure: own, rate: 3%,\n"
    "     products: [{family: SW, rate: 4%}, {product: P-3, rate: 5%}]}\n";

static const char *GEN_OVERLAY =
    "plan: Gen Overlay\n"
    "measures:\n"
    "  - {id: covered, credit: [overlay, territory, sdr], quota: none}\n"
    "components:\n"
    "  - {id: per_deal, kind: tiers, measure: covered, method: retroactive, scope: transaction,\n"
    "     tiers: [{from: 0, to: 10000, rate: 1%}, {from: 10000, rate: 2%}]}\n"
    "  - {id: meetings, kind: spiff, activity: meeting, meaningful_only: true, per_activity: 25,\n"
    "     from: 2026-01-01, to: 2026-12-31}\n";

typedef struct gen {
    fw_world *w;
    char names[FW_MAX_TX][16];
    size_t next_id;
} gen;

static const char *new_id(gen *g, const char *prefix)
{
    /* unique, and not in the order they are made */
    size_t k = g->next_id++;
    char *s = g->names[k % FW_MAX_TX];
    snprintf(s, 16, "%s%05zu", prefix, (k * 7919) % 100000);
    return s;
}

static char day_text[16];
static const char *rnd_day(int64_t year)
{
    snprintf(day_text, sizeof day_text, "%04d-%02d-%02d", (int)year, (int)rnd_in(1, 12),
             (int)rnd_in(1, 28));
    return day_text;
}

static gen *make_world(uint64_t seed, size_t n_tx)
{
    rng_state = seed;
    gen *g = calloc(1, sizeof *g);
    fw_world *w = g->w = fw_new();
    fw_currency(w, "EUR");
    fw_rate(w, "EUR", "USD", "2025-01-01", "1.1");
    fw_rate(w, "EUR", "USD", "2026-04-01", "1.15");
    static const char *fam[] = {"HW", "SW", "SVC"};
    static const char *pid[] = {"P-0", "P-1", "P-2", "P-3", "P-4", "P-5"};
    for (int i = 0; i < 6; i++)
        fw_product(w, pid[i], fam[i % 3]);
    w->account_count = 20;
    fw_plan(w, GEN_AE_V1, 1);
    fw_plan(w, GEN_AE_V2, 2);
    fw_plan(w, GEN_MGR, 1);
    fw_plan(w, GEN_OVERLAY, 1);
    /* people: 2 directors, 6 managers, 24 reps, 6 overlays */
    static char pnames[64][8];
    int32_t dir[2], mgr[6], rep[24], ovl[6];
    int np = 0;
    for (int i = 0; i < 2; i++) {
        snprintf(pnames[np], 8, "D%02d", i);
        dir[i] = fw_person(w, pnames[np++]);
    }
    for (int i = 0; i < 6; i++) {
        snprintf(pnames[np], 8, "M%02d", i);
        mgr[i] = fw_person(w, pnames[np++]);
        fw_reports(w, mgr[i], dir[i % 2], NULL, NULL);
    }
    for (int i = 0; i < 24; i++) {
        snprintf(pnames[np], 8, "R%02d", i);
        rep[i] = fw_person(w, pnames[np++]);
        /* a move between teams mid-year */
        fw_reports(w, rep[i], mgr[i % 6], NULL, "2026-05-31");
        fw_reports(w, rep[i], mgr[(i + 1) % 6], "2026-06-01", NULL);
    }
    for (int i = 0; i < 6; i++) {
        snprintf(pnames[np], 8, "O%02d", i);
        ovl[i] = fw_person(w, pnames[np++]);
    }
    /* a loop in the data: D01 reports to D00 and D00 to D01 */
    fw_reports(w, dir[1], dir[0], NULL, NULL);
    fw_reports(w, dir[0], dir[1], "2026-01-01", NULL);
    w->people[rep[3]].pay_currency = 1; /* paid in EUR */
    w->people[rep[5]].hire = D("2026-03-31");
    w->people[rep[7]].exit = D("2026-09-15");
    w->leaves[w->leave_count++] = (at_calc_leave){rep[9], D("2026-02-10"), D("2026-03-20")};
    for (int i = 0; i < 24; i++) {
        static char aid[24][8];
        snprintf(aid[i], 8, "AR%02d", i);
        fw_assign(w, aid[i], rep[i], "Gen AE", i == 11 ? "2026-02-15" : "2025-01-01", NULL,
                  "60000");
        fw_quota(w, rep[i], "bookings", "2026-Q1", "150000");
        fw_quota(w, rep[i], "bookings", "2026-Q2", "150000");
        if (i % 2)
            fw_quota(w, rep[i], "bookings", "2026", "700000");
        else
            for (int m = 7; m <= 12; m++) {
                static char lbl[8];
                snprintf(lbl, sizeof lbl, "2026-%02d", m);
                fw_quota(w, rep[i], "bookings", lbl, "50000");
            }
    }
    for (int i = 0; i < 6; i++) {
        static char aid[6][8];
        snprintf(aid[i], 8, "AM%02d", i);
        fw_assign(w, aid[i], mgr[i], "Gen Mgr", NULL, NULL, NULL);
        fw_quota(w, mgr[i], "team", "2026", "3000000");
        fw_quota(w, mgr[i], "own", "2026-Q1", "10000");
    }
    for (int i = 0; i < 2; i++)
        fw_assign(w, i ? "AD01" : "AD00", dir[i], "Gen Mgr", NULL, NULL, NULL);
    for (int i = 0; i < 6; i++) {
        static char aid[6][8];
        snprintf(aid[i], 8, "AO%02d", i);
        fw_assign(w, aid[i], ovl[i], "Gen Overlay", NULL, NULL, NULL);
    }
    /* territories: 4 territories of 5 accounts, each covered by an overlay and a manager */
    for (int a = 0; a < 20; a++)
        w->territory_accounts[w->territory_account_count++] =
            (at_calc_territory_account){a / 5, a, AT_DAY_MIN, a % 5 == 0 ? D("2026-06-30")
                                                                         : AT_DAY_MAX};
    for (int t = 0; t < 4; t++) {
        w->territory_people[w->territory_person_count++] = (at_calc_territory_person){
            t, ovl[t], AT_COVER_OVERLAY, AT_DAY_MIN, AT_DAY_MAX};
        w->territory_people[w->territory_person_count++] = (at_calc_territory_person){
            t, mgr[t], AT_COVER_MANAGER, D("2026-03-01"), AT_DAY_MAX};
    }
    for (int i = 0; i < 200; i++)
        w->activities[w->activity_count++] = (at_calc_activity){
            ovl[i % 6], (uint8_t)(i % 4), (uint8_t)(i % 3 != 0), D(rnd_day(2026))};
    /* transactions */
    for (size_t i = 0; i < n_tx; i++) {
        int32_t owner = rep[rnd_in(0, 23)];
        int64_t roll = rnd_in(0, 99);
        at_tx_type type = roll < 70 ? AT_TX_BOOKING : roll < 85 ? AT_TX_INVOICE : AT_TX_PAYMENT;
        char amount[32];
        snprintf(amount, sizeof amount, "%lld.%02lld", (long long)rnd_in(100, 60000),
                 (long long)rnd_in(0, 99));
        int32_t t = fw_tx(w, new_id(g, "T"), type, rnd_day(rnd_in(0, 5) ? 2026 : 2025), amount,
                          owner);
        w->tx_product[t] = rnd_in(0, 9) ? (int32_t)rnd_in(0, 5) : -1;
        w->tx_quantity[t] = rnd_in(0, 12);
        w->tx_account[t] = (int32_t)rnd_in(0, 19);
        w->tx_currency[t] = rnd_in(0, 4) ? 0 : 1;
        if (rnd_in(0, 2)) {
            w->tx_has_margin[t] = 1;
            w->tx_margin[t] = w->tx_amount[t] * rnd_in(10, 60) / 100;
        }
        int64_t r2 = rnd_in(0, 9);
        if (r2 == 0) {
            fw_share(w, t, rep[rnd_in(0, 23)], AT_TX_ROLE_SPLIT, "33.3333333%");
            fw_share(w, t, rep[rnd_in(0, 23)], AT_TX_ROLE_SPLIT, "33.3333333%");
        } else if (r2 == 1) {
            fw_share(w, t, rep[rnd_in(0, 23)], AT_TX_ROLE_SPLIT, "50%");
        } else if (r2 == 2) {
            fw_share(w, t, ovl[rnd_in(0, 5)], AT_TX_ROLE_OVERLAY, "100%");
            fw_share(w, t, ovl[rnd_in(0, 5)], AT_TX_ROLE_SDR, "10%");
        } else if (r2 == 3) {
            fw_share(w, t, mgr[rnd_in(0, 5)], AT_TX_ROLE_MANAGER, "25%");
        }
        /* a cancellation of an earlier booking now and then */
        if (i > 10 && rnd_in(0, 14) == 0) {
            int32_t o = (int32_t)rnd_in(0, (int64_t)w->tx_count - 2);
            if (w->tx_type[o] != AT_TX_CANCELLATION) {
                char ca[32];
                at_money part = -w->tx_amount[o] / (rnd_in(1, 3));
                at_money_format(part, ca, sizeof ca);
                at_day d = w->tx_date[o] + (at_day)rnd_in(0, 150);
                char dt[16];
                at_day_format(d, dt, sizeof dt);
                int32_t c = fw_cancel(w, new_id(g, "X"), dt, ca, o);
                w->tx_currency[c] = w->tx_currency[o];
            }
        }
    }
    return g;
}

static void free_world(gen *g)
{
    fw_free(g->w);
    free(g);
}

/* ---- a canonical text of a result -------------------------------------------------------- */

typedef struct dump {
    char **lines;
    size_t count, capacity;
} dump;

static void dump_add(dump *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void dump_add(dump *d, const char *fmt, ...)
{
    if (d->count == d->capacity) {
        d->capacity = d->capacity ? d->capacity * 2 : 1024;
        d->lines = realloc(d->lines, d->capacity * sizeof *d->lines);
    }
    char buf[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    d->lines[d->count++] = strdup(buf);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void dump_free(dump *d)
{
    for (size_t i = 0; i < d->count; i++)
        free(d->lines[i]);
    free(d->lines);
}

static const char *pid(const at_calc_input *in, int32_t p)
{
    return p >= 0 ? in->people[p].id : "-";
}

/* Every record of a result, named by external ids, with its place among the person's
 * records; sorted. restrict: only these people (NULL: all). */
static void make_dump(const at_calc_input *in, const at_calc_result *r, const uint8_t *only,
                      dump *d)
{
    const at_calc_credits *c = &r->credits;
    for (size_t p = 0; p < in->person_count; p++) {
        if (only && !only[p])
            continue;
        for (size_t i = c->person_start[p]; i < c->person_start[p + 1]; i++)
            dump_add(d, "C %s %06zu %s k%d l%d r%d f%s s%lld a%lld m%lld d%d mo%d", pid(in, (int32_t)p),
                     i - c->person_start[p], in->transactions.id[c->transaction[i]], c->kind[i],
                     c->level[i], c->role[i], pid(in, c->from_person[i]), (long long)c->share[i],
                     (long long)c->amount[i], (long long)c->margin[i], c->date[i], c->month[i]);
    }
    size_t seq = 0;
    int32_t last = -1;
    for (size_t i = 0; i < r->measure_count; i++) {
        const at_calc_measure_value *m = &r->measures[i];
        if (only && !only[m->person])
            continue;
        seq = m->person == last ? seq + 1 : 0;
        last = m->person;
        dump_add(d, "M %s %06zu mo%d %s %s v%d %s mv%lld v%lld n%lld q%d %lld a%lld",
                 pid(in, m->person), seq, m->month, in->assignments[m->assignment].id,
                 m->plan->name, m->plan->version, m->plan->measures[m->measure].id,
                 (long long)m->month_value, (long long)m->value, (long long)m->credit_count,
                 m->has_quota, (long long)m->quota, (long long)m->attainment);
    }
    last = -1;
    for (size_t i = 0; i < r->line_count; i++) {
        const at_calc_line *l = &r->lines[i];
        if (only && !only[l->person])
            continue;
        seq = l->person == last ? seq + 1 : 0;
        last = l->person;
        dump_add(d, "L %s %06zu mo%d %s %s c%d k%d etd%lld e%lld a%lld fx%lld adj%d g%d cap%d %s",
                 pid(in, l->person), seq, l->month,
                 l->assignment >= 0 ? in->assignments[l->assignment].id : "-", l->key,
                 l->component, l->kind, (long long)l->earned_to_date, (long long)l->earned,
                 (long long)l->amount, (long long)l->fx_rate, l->adjusts_month, l->gated,
                 l->capped, l->explain ? l->explain : "");
    }
    for (size_t i = 0; i < r->payout_count; i++) {
        const at_calc_payout *o = &r->payouts[i];
        if (only && !only[o->person])
            continue;
        dump_add(d, "P %s mo%d c%d e%lld a%lld ey%lld py%lld b%lld", pid(in, o->person),
                 o->month, o->currency, (long long)o->earned, (long long)o->amount,
                 (long long)o->earned_ytd, (long long)o->paid_ytd, (long long)o->draw_balance);
    }
    qsort(d->lines, d->count, sizeof *d->lines, cmp_str);
}

static void assert_same(const dump *a, const dump *b)
{
    size_t n = a->count < b->count ? a->count : b->count;
    for (size_t i = 0; i < n; i++)
        if (strcmp(a->lines[i], b->lines[i]) != 0) {
            fprintf(stderr, "differs at %zu:\n  %s\n  %s\n", i, a->lines[i], b->lines[i]);
            fail();
        }
    assert_int_equal(a->count, b->count);
}

static void run_explaining(const at_calc_input *in, int threads, const int32_t *only,
                           size_t n_only, bool explain, at_calc_result *r)
{
    at_calc_options opt = {.threads = threads, .keep_explanations = explain,
                           .only_people = only, .only_people_count = n_only};
    at_error err;
    at_error_list problems;
    at_error_list_init(&problems, 10);
    at_code c = at_calc_run(in, &opt, r, &problems, &err);
    if (c != AT_OK) {
        char buf[1024];
        at_error_format(&err, buf, sizeof buf);
        fprintf(stderr, "%s", buf);
    }
    assert_int_equal(c, AT_OK);
    at_error_list_free(&problems);
}

static void run(const at_calc_input *in, int threads, const int32_t *only, size_t n_only,
                at_calc_result *r)
{
    run_explaining(in, threads, only, n_only, true, r);
}

/* ---- tests ------------------------------------------------------------------------------- */

static void generated_world_pays_something(void **state)
{
    (void)state;
    gen *g = make_world(7, 3000);
    at_calc_result r;
    run(fw_input(g->w, "2026-01", "2026-12"), 1, NULL, 0, &r);
    /* not a figure (the reference cases check figures): the world exercises every path */
    assert_true(r.credits.count > 3000);
    assert_true(r.line_count > 1000);
    size_t kinds[8] = {0}, lk[5] = {0};
    for (size_t i = 0; i < r.credits.count; i++)
        kinds[r.credits.kind[i]]++;
    for (size_t i = 0; i < r.line_count; i++)
        lk[r.lines[i].kind]++;
    for (int k = 0; k < AT_CREDIT_KIND_COUNT; k++)
        assert_true(kinds[k] > 0);
    assert_true(lk[AT_LINE_DRAW] > 0);
    assert_true(lk[AT_LINE_DRAW_RECOVERY] > 0);
    assert_true(lk[AT_LINE_DEFERRED] > 0);
    /* credits of one transaction's owner and splits add up to its amount */
    at_calc_result_free(&r);
    free_world(g);
}

static void threads_equal_one_thread(void **state)
{
    (void)state;
    gen *g = make_world(11, 2500);
    const at_calc_input *in = fw_input(g->w, "2026-01", "2026-12");
    at_calc_result a, b;
    run(in, 1, NULL, 0, &a);
    run(in, 4, NULL, 0, &b);
    dump da = {0}, db = {0};
    make_dump(in, &a, NULL, &da);
    make_dump(in, &b, NULL, &db);
    assert_same(&da, &db);
    /* and the arrays in the same order, not only the same records */
    assert_int_equal(a.line_count, b.line_count);
    for (size_t i = 0; i < a.line_count; i++) {
        assert_int_equal(a.lines[i].person, b.lines[i].person);
        assert_int_equal(a.lines[i].amount, b.lines[i].amount);
        assert_string_equal(a.lines[i].key, b.lines[i].key);
    }
    dump_free(&da);
    dump_free(&db);
    at_calc_result_free(&a);
    at_calc_result_free(&b);
    free_world(g);
}

static void only_people_equal_full_run(void **state)
{
    (void)state;
    gen *g = make_world(13, 2000);
    const at_calc_input *in = fw_input(g->w, "2026-03", "2026-08");
    at_calc_result a, b;
    run(in, 1, NULL, 0, &a);
    int32_t only[] = {1, 4, 9, 10, 17, 33};
    run(in, 1, only, 6, &b);
    uint8_t mask[FW_MAX] = {0};
    for (int i = 0; i < 6; i++)
        mask[only[i]] = 1;
    dump da = {0}, db = {0};
    make_dump(in, &a, mask, &da);
    make_dump(in, &b, mask, &db);
    assert_same(&da, &db);
    for (size_t i = 0; i < b.line_count; i++)
        assert_true(mask[b.lines[i].person]);
    /* the run for some payees made their credits and no one else's */
    size_t theirs = 0;
    for (size_t p = 0; p < in->person_count; p++)
        if (mask[p])
            theirs += a.credits.person_start[p + 1] - a.credits.person_start[p];
    assert_true(theirs > 0);
    assert_true(theirs < a.credits.count);
    assert_int_equal(b.credits.count, theirs);
    for (size_t i = 0; i < b.credits.count; i++)
        assert_true(mask[b.credits.person[i]]);
    dump_free(&da);
    dump_free(&db);
    at_calc_result_free(&a);
    at_calc_result_free(&b);
    free_world(g);
}

/* Passes: the counts are the full run's credits per person, the passes cover everyone once
 * within the most, and the runs of the passes together give the full run's results. */
static void passes_of_counted_credits_equal_full_run(void **state)
{
    (void)state;
    gen *g = make_world(29, 3000);
    const at_calc_input *in = fw_input(g->w, "2026-01", "2026-06");
    at_calc_result full;
    run(in, 2, NULL, 0, &full);
    size_t np = in->person_count;
    int64_t *count = calloc(np + 1, sizeof *count);
    at_error err;
    at_calc_options opt = {.threads = 2};
    assert_int_equal(at_calc_credits_per_person(in, &opt, count, &err), AT_OK);
    int64_t total = 0, biggest = 0;
    for (size_t p = 0; p < np; p++) {
        assert_int_equal(count[p],
                         (int64_t)(full.credits.person_start[p + 1] - full.credits.person_start[p]));
        total += count[p];
        if (count[p] > biggest)
            biggest = count[p];
    }
    assert_int_equal(total, (int64_t)full.credits.count);
    /* a third of the credits a pass: several passes, the biggest person alone if need be */
    int64_t most = total / 3;
    size_t *starts = NULL, passes = 0;
    assert_int_equal(at_calc_plan_passes(count, np, most, &starts, &passes, &err), AT_OK);
    assert_true(passes >= 3);
    assert_int_equal(starts[0], 0);
    assert_int_equal(starts[passes], np);
    uint8_t mask[FW_MAX];
    dump whole = {0}, parts = {0};
    for (size_t k = 0; k < passes; k++) {
        assert_true(starts[k] < starts[k + 1]);
        int64_t in_pass = 0;
        int32_t only[FW_MAX];
        size_t n = 0;
        for (size_t p = starts[k]; p < starts[k + 1]; p++) {
            in_pass += count[p];
            only[n++] = (int32_t)p;
        }
        assert_true(in_pass <= most || n == 1);
        at_calc_result r;
        run(in, 2, only, n, &r);
        assert_int_equal((int64_t)r.credits.count, in_pass);
        memset(mask, 0, sizeof mask);
        for (size_t i = 0; i < n; i++)
            mask[only[i]] = 1;
        make_dump(in, &r, mask, &parts);
        make_dump(in, &full, mask, &whole);
        at_calc_result_free(&r);
    }
    assert_same(&whole, &parts);
    /* the edges: no one, a most below everyone's count (a pass each) */
    free(starts);
    assert_int_equal(at_calc_plan_passes(count, 0, most, &starts, &passes, &err), AT_OK);
    assert_int_equal(passes, 0);
    free(starts);
    int64_t one[3] = {5, 5, 5};
    assert_int_equal(at_calc_plan_passes(one, 3, 1, &starts, &passes, &err), AT_OK);
    assert_int_equal(passes, 3);
    assert_int_equal(starts[1], 1);
    assert_int_equal(starts[2], 2);
    free(starts);
    assert_int_equal(at_calc_plan_passes(one, 3, 10, &starts, &passes, &err), AT_OK);
    assert_int_equal(passes, 2); /* 5 + 5, then 5 */
    assert_int_equal(starts[1], 2);
    free(starts);
    assert_int_equal(at_calc_plan_passes(one, 3, 0, &starts, &passes, &err), AT_ERR_INVALID);
    dump_free(&whole);
    dump_free(&parts);
    free(count);
    at_calc_result_free(&full);
    free_world(g);
}

/* ---- shuffling ---------------------------------------------------------------------------- */

static void permutation(size_t n, size_t *perm)
{
    for (size_t i = 0; i < n; i++)
        perm[i] = i;
    for (size_t i = n; i > 1; i--) {
        size_t j = (size_t)(rnd() % i);
        size_t t = perm[i - 1];
        perm[i - 1] = perm[j];
        perm[j] = t;
    }
}

#define SHUFFLE(arr, n)                                                                      \
    do {                                                                                     \
        size_t *p_ = malloc(((n) + 1) * sizeof *p_);                                         \
        permutation((n), p_);                                                                \
        __typeof__(&(arr)[0]) copy_ = malloc(((n) + 1) * sizeof *(arr));                    \
        memcpy(copy_, (arr), (n) * sizeof *(arr));                                           \
        for (size_t i_ = 0; i_ < (n); i_++)                                                  \
            (arr)[i_] = copy_[p_[i_]];                                                       \
        free(copy_);                                                                         \
        free(p_);                                                                            \
    } while (0)

/* Shuffles every array of the world, rewriting the references between them. */
static void shuffle_world(fw_world *w)
{
    /* people: new index of old person i is pmap[i] */
    size_t np = w->person_count;
    size_t *perm = malloc(np * sizeof *perm);
    int32_t *pmap = malloc(np * sizeof *pmap);
    permutation(np, perm);
    at_calc_person *people = malloc(np * sizeof *people);
    at_money *draw = malloc(np * sizeof *draw);
    for (size_t i = 0; i < np; i++) {
        people[i] = w->people[perm[i]];
        draw[i] = w->draw_before[perm[i]];
        pmap[perm[i]] = (int32_t)i;
    }
    memcpy(w->people, people, np * sizeof *people);
    memcpy(w->draw_before, draw, np * sizeof *draw);
    free(people);
    free(draw);
#define MAPP(x) ((x) = (x) >= 0 ? pmap[(x)] : (x))
    for (size_t i = 0; i < w->line_count; i++) {
        MAPP(w->lines[i].person);
        MAPP(w->lines[i].manager);
    }
    for (size_t i = 0; i < w->leave_count; i++)
        MAPP(w->leaves[i].person);
    for (size_t i = 0; i < w->quota_count; i++)
        MAPP(w->quotas[i].person);
    for (size_t i = 0; i < w->assignment_count; i++)
        MAPP(w->assignments[i].person);
    for (size_t i = 0; i < w->metric_count; i++)
        MAPP(w->metrics[i].person);
    for (size_t i = 0; i < w->activity_count; i++)
        MAPP(w->activities[i].person);
    for (size_t i = 0; i < w->territory_person_count; i++)
        MAPP(w->territory_people[i].person);
    for (size_t i = 0; i < w->tx_person_count; i++)
        MAPP(w->tx_people[i].person);
    for (size_t i = 0; i < w->tx_count; i++)
        MAPP(w->tx_owner[i]);
    /* transactions */
    size_t nt = w->tx_count;
    size_t *tperm = malloc(nt * sizeof *tperm);
    int32_t *tmap = malloc(nt * sizeof *tmap);
    permutation(nt, tperm);
    for (size_t i = 0; i < nt; i++)
        tmap[tperm[i]] = (int32_t)i;
#define TCOL(col)                                                                            \
    do {                                                                                     \
        __typeof__(w->col[0]) *c_ = malloc(nt * sizeof *c_);                                 \
        for (size_t i = 0; i < nt; i++)                                                      \
            c_[i] = w->col[tperm[i]];                                                        \
        memcpy(w->col, c_, nt * sizeof *c_);                                                 \
        free(c_);                                                                            \
    } while (0)
    TCOL(tx_id);
    TCOL(tx_type);
    TCOL(tx_date);
    TCOL(tx_amount);
    TCOL(tx_currency);
    TCOL(tx_margin);
    TCOL(tx_has_margin);
    TCOL(tx_quantity);
    TCOL(tx_product);
    TCOL(tx_account);
    TCOL(tx_owner);
    TCOL(tx_original);
    for (size_t i = 0; i < nt; i++)
        if (w->tx_original[i] >= 0)
            w->tx_original[i] = tmap[w->tx_original[i]];
    for (size_t i = 0; i < w->tx_person_count; i++)
        w->tx_people[i].transaction = tmap[w->tx_people[i].transaction];
    /* the plain lists */
    SHUFFLE(w->tx_people, w->tx_person_count);
    SHUFFLE(w->lines, w->line_count);
    SHUFFLE(w->leaves, w->leave_count);
    SHUFFLE(w->quotas, w->quota_count);
    SHUFFLE(w->assignments, w->assignment_count);
    SHUFFLE(w->plans, w->plan_count);
    SHUFFLE(w->activities, w->activity_count);
    SHUFFLE(w->territory_people, w->territory_person_count);
    SHUFFLE(w->territory_accounts, w->territory_account_count);
    free(perm);
    free(pmap);
    free(tperm);
    free(tmap);
}

static void order_of_inputs_does_not_matter(void **state)
{
    (void)state;
    gen *g = make_world(17, 2500);
    const at_calc_input *in = fw_input(g->w, "2026-01", "2026-12");
    at_calc_result a;
    run(in, 1, NULL, 0, &a);
    dump da = {0};
    make_dump(in, &a, NULL, &da);
    at_calc_result_free(&a);
    for (int round = 0; round < 3; round++) {
        shuffle_world(g->w);
        in = fw_input(g->w, "2026-01", "2026-12");
        at_calc_result b;
        run(in, round + 1, NULL, 0, &b);
        dump db = {0};
        make_dump(in, &b, NULL, &db);
        assert_same(&da, &db);
        dump_free(&db);
        at_calc_result_free(&b);
    }
    dump_free(&da);
    free_world(g);
}

/* ---- sessions ---------------------------------------------------------------------------- */

static void compare_with_full_run(at_calc_session *s, bool explain)
{
    const at_calc_input *in = at_calc_session_input(s);
    assert_non_null(in);
    at_calc_result full;
    run_explaining(in, 1, NULL, 0, explain, &full);
    const at_calc_result *inc = at_calc_session_result(s);
    /* bit for bit: the same arrays in the same order */
    assert_int_equal(full.credits.count, inc->credits.count);
    for (size_t p = 0; p <= in->person_count; p++)
        assert_int_equal(full.credits.person_start[p], inc->credits.person_start[p]);
    for (size_t i = 0; i < full.credits.count; i++) {
        if (full.credits.transaction[i] != inc->credits.transaction[i] ||
            full.credits.amount[i] != inc->credits.amount[i] ||
            full.credits.kind[i] != inc->credits.kind[i] ||
            full.credits.level[i] != inc->credits.level[i] ||
            full.credits.margin[i] != inc->credits.margin[i] ||
            full.credits.date[i] != inc->credits.date[i] ||
            full.credits.month[i] != inc->credits.month[i] ||
            full.credits.from_person[i] != inc->credits.from_person[i] ||
            full.credits.share[i] != inc->credits.share[i] ||
            full.credits.person[i] != inc->credits.person[i] ||
            full.credits.role[i] != inc->credits.role[i]) {
            fprintf(stderr, "credit %zu differs: %s/%s vs %s/%s\n", i,
                    in->transactions.id[full.credits.transaction[i]],
                    in->people[full.credits.person[i]].id,
                    in->transactions.id[inc->credits.transaction[i]],
                    in->people[inc->credits.person[i]].id);
            fail();
        }
    }
    assert_int_equal(full.measure_count, inc->measure_count);
    assert_int_equal(full.line_count, inc->line_count);
    assert_int_equal(full.payout_count, inc->payout_count);
    for (size_t i = 0; i < full.measure_count; i++) {
        const at_calc_measure_value *a = &full.measures[i], *b = &inc->measures[i];
        assert_int_equal(a->person, b->person);
        assert_int_equal(a->month, b->month);
        assert_int_equal(a->assignment, b->assignment);
        assert_ptr_equal(a->plan, b->plan);
        assert_int_equal(a->measure, b->measure);
        assert_int_equal(a->month_value, b->month_value);
        assert_int_equal(a->value, b->value);
        assert_int_equal(a->credit_count, b->credit_count);
        assert_int_equal(a->has_quota, b->has_quota);
        assert_int_equal(a->quota, b->quota);
        assert_int_equal(a->attainment, b->attainment);
    }
    for (size_t i = 0; i < full.payout_count; i++) {
        const at_calc_payout *a = &full.payouts[i], *b = &inc->payouts[i];
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
        const at_calc_line *a = &full.lines[i], *b = &inc->lines[i];
        assert_int_equal(a->person, b->person);
        assert_int_equal(a->month, b->month);
        assert_int_equal(a->assignment, b->assignment);
        assert_ptr_equal(a->plan, b->plan);
        assert_int_equal(a->component, b->component);
        assert_int_equal(a->kind, b->kind);
        assert_string_equal(a->key, b->key);
        assert_int_equal(a->earned_to_date, b->earned_to_date);
        assert_int_equal(a->earned, b->earned);
        assert_int_equal(a->amount, b->amount);
        assert_int_equal(a->fx_rate, b->fx_rate);
        assert_int_equal(a->adjusts_month, b->adjusts_month);
        assert_int_equal(a->gated, b->gated);
        assert_int_equal(a->capped, b->capped);
        assert_string_equal(a->explain ? a->explain : "", b->explain ? b->explain : "");
    }
    at_calc_result_free(&full);
}

static void compare_session_with_full_run(at_calc_session *s)
{
    compare_with_full_run(s, true);
}

/* With explanations, components read their credits for the text; without, a session's
 * payees read only its running sums (session_sums.c): both must give the full run's results. */
static void random_changes(bool explain, uint64_t seed)
{
    gen *g = make_world(seed, 1500);
    const at_calc_input *in = fw_input(g->w, "2026-01", "2026-12");
    at_calc_options opt = {.threads = 2, .keep_explanations = explain};
    at_calc_session *s = NULL;
    at_error err;
    assert_int_equal(at_calc_session_open(in, &opt, &s, NULL, &err), AT_OK);
    compare_with_full_run(s, explain);
    static char ids[4000][16];
    size_t next = 0;
    for (int batch = 0; batch < 25; batch++) {
        at_calc_change ch[6];
        at_calc_tx_person rows[6][2];
        size_t n = (size_t)rnd_in(1, 6);
        const at_calc_input *cur = at_calc_session_input(s);
        for (size_t k = 0; k < n; k++) {
            const at_calc_transactions *tx = &cur->transactions;
            int64_t what = rnd_in(0, 9);
            memset(&ch[k], 0, sizeof ch[k]);
            ch[k].type = AT_TX_BOOKING;
            ch[k].date = D(rnd_day(2026));
            ch[k].amount = rnd_in(1000, 50000000);
            ch[k].currency = 0;
            ch[k].product = (int32_t)rnd_in(-1, 5);
            ch[k].account = (int32_t)rnd_in(-1, 19);
            ch[k].owner = (int32_t)rnd_in(8, 31); /* the reps */
            ch[k].quantity = rnd_in(0, 9);
            ch[k].has_margin = rnd_in(0, 1);
            ch[k].margin = ch[k].amount / 3;
            if (rnd_in(0, 3) == 0) {
                rows[k][0] = (at_calc_tx_person){0, (int32_t)rnd_in(8, 31), AT_TX_ROLE_SPLIT,
                                                 R("40%")};
                rows[k][1] = (at_calc_tx_person){0, (int32_t)rnd_in(32, 37), AT_TX_ROLE_OVERLAY,
                                                 R("100%")};
                ch[k].people = rows[k];
                ch[k].people_count = 2;
            }
            /* pick an existing transaction not touched earlier in the batch */
            int32_t pick = (int32_t)rnd_in(0, (int64_t)tx->count - 1);
            bool used = false;
            for (size_t q = 0; q < k; q++)
                used |= strcmp(ch[q].id, tx->id[pick]) == 0 ||
                        (ch[q].original_id && strcmp(ch[q].original_id, tx->id[pick]) == 0);
            if (what < 4 || used) {
                snprintf(ids[next % 4000], 16, "N%05zu", next);
                ch[k].kind = AT_CHANGE_ADD;
                ch[k].id = ids[next++ % 4000];
            } else if (what < 7) {
                ch[k].kind = AT_CHANGE_UPDATE;
                ch[k].id = tx->id[pick];
                ch[k].type = (at_tx_type)tx->type[pick];
                if (ch[k].type == AT_TX_CANCELLATION) {
                    ch[k].original_id = tx->id[tx->original[pick]];
                    ch[k].amount = -ch[k].amount / 100;
                }
            } else if (what < 9 && tx->type[pick] != AT_TX_CANCELLATION) {
                /* a cancellation of an existing transaction */
                snprintf(ids[next % 4000], 16, "C%05zu", next);
                ch[k].kind = AT_CHANGE_ADD;
                ch[k].id = ids[next++ % 4000];
                ch[k].type = AT_TX_CANCELLATION;
                ch[k].original_id = tx->id[pick];
                ch[k].amount = -tx->amount[pick] / 2;
                ch[k].owner = tx->owner[pick];
                ch[k].date = tx->date[pick] + (at_day)rnd_in(0, 120);
                ch[k].people = NULL;
                ch[k].people_count = 0;
            } else {
                /* a delete (of a transaction nobody cancels) */
                bool cancelled = false;
                for (size_t q = 0; q < tx->count; q++)
                    cancelled |= tx->original[q] == pick;
                ch[k].kind = cancelled ? AT_CHANGE_UPDATE : AT_CHANGE_DELETE;
                ch[k].id = tx->id[pick];
                ch[k].type = (at_tx_type)tx->type[pick];
                if (ch[k].type == AT_TX_CANCELLATION) {
                    ch[k].original_id = tx->id[tx->original[pick]];
                    ch[k].amount = -ch[k].amount / 100;
                }
            }
        }
        size_t touched = 0;
        at_code c = at_calc_session_apply(s, ch, n, &touched, NULL, &err);
        if (c != AT_OK) {
            char buf[1024];
            at_error_format(&err, buf, sizeof buf);
            fprintf(stderr, "batch %d: %s", batch, buf);
        }
        assert_int_equal(c, AT_OK);
        assert_true(touched > 0);
        compare_with_full_run(s, explain);
    }
    at_calc_session_close(s);
    free_world(g);
}

static void session_equals_full_run_after_random_changes(void **state)
{
    (void)state;
    random_changes(true, 23);
}

static void session_without_explanations_equals_full_run(void **state)
{
    (void)state;
    random_changes(false, 41);
}

/* One seller's deals one at a time, dated anywhere in the year, some cancelled and some
 * deleted again: the seller's and the managers' credits outgrow the room the session keeps
 * for them many times over (their credits move, the table is laid out again), and the
 * results stay those of a full run. */
static void session_credits_outgrow_their_room(void **state)
{
    (void)state;
    gen *g = make_world(31, 200);
    const at_calc_input *in = fw_input(g->w, "2026-01", "2026-12");
    at_calc_options opt = {.keep_explanations = true};
    at_calc_session *s = NULL;
    at_error err;
    assert_int_equal(at_calc_session_open(in, &opt, &s, NULL, &err), AT_OK);
    static char ids[600][16];
    at_money amount[600];
    at_day date[600];
    int prev = -1; /* the last deal added, while nothing cancels or deletes it */
    for (int i = 0; i < 600; i++) {
        snprintf(ids[i], sizeof ids[i], "G%04d", i);
        amount[i] = rnd_in(1000, 50000000);
        date[i] = D(rnd_day(2026));
        at_calc_change ch = {.kind = AT_CHANGE_ADD, .id = ids[i], .type = AT_TX_BOOKING,
                             .date = date[i], .amount = amount[i], .product = 1,
                             .account = -1, .owner = 9};
        if (i % 5 == 4 && prev >= 0) { /* half of the deal before cancelled */
            ch.type = AT_TX_CANCELLATION;
            ch.original_id = ids[prev];
            ch.amount = -amount[prev] / 2;
            ch.date = date[prev] + 10;
            prev = -1;
        } else if (i % 7 == 6 && prev >= 0) { /* the deal before deleted */
            ch.kind = AT_CHANGE_DELETE;
            ch.id = ids[prev];
            prev = -1;
        } else {
            prev = i;
        }
        assert_int_equal(at_calc_session_apply(s, &ch, 1, NULL, NULL, &err), AT_OK);
        if (i % 150 == 149)
            compare_session_with_full_run(s);
    }
    at_calc_session_close(s);
    free_world(g);
}

static void session_refuses_bad_changes_and_stays_unchanged(void **state)
{
    (void)state;
    gen *g = make_world(29, 300);
    const at_calc_input *in = fw_input(g->w, "2026-01", "2026-03");
    at_calc_session *s = NULL;
    at_error err;
    at_calc_options opt = {.keep_explanations = true};
    assert_int_equal(at_calc_session_open(in, &opt, &s, NULL, &err), AT_OK);
    const at_calc_transactions *tx = &at_calc_session_input(s)->transactions;
    size_t count = tx->count;
    at_calc_change add = {.kind = AT_CHANGE_ADD, .id = tx->id[0], .date = D("2026-01-05"),
                          .amount = M("10"), .owner = 9};
    assert_int_equal(at_calc_session_apply(s, &add, 1, NULL, NULL, &err), AT_ERR_CONFLICT);
    at_calc_change upd = {.kind = AT_CHANGE_UPDATE, .id = "NOPE", .date = D("2026-01-05"),
                          .amount = M("10"), .owner = 9};
    assert_int_equal(at_calc_session_apply(s, &upd, 1, NULL, NULL, &err), AT_ERR_NOT_FOUND);
    /* a good change followed by a bad one: nothing applied */
    at_calc_change two[2] = {
        {.kind = AT_CHANGE_ADD, .id = "NEW-1", .date = D("2026-01-05"), .amount = M("10"),
         .owner = 9},
        {.kind = AT_CHANGE_ADD, .id = "NEW-2", .date = D("2026-01-05"), .amount = M("10"),
         .owner = 9999},
    };
    assert_int_equal(at_calc_session_apply(s, two, 2, NULL, NULL, &err), AT_ERR_INVALID);
    assert_int_equal(at_calc_session_input(s)->transactions.count, count);
    /* deleting an original that a cancellation mirrors */
    int32_t cancelled = -1;
    for (size_t i = 0; i < count && cancelled < 0; i++)
        if (tx->type[i] == AT_TX_CANCELLATION)
            cancelled = tx->original[i];
    assert_true(cancelled >= 0);
    at_calc_change del = {.kind = AT_CHANGE_DELETE, .id = tx->id[cancelled]};
    assert_int_equal(at_calc_session_apply(s, &del, 1, NULL, NULL, &err), AT_ERR_CONFLICT);
    at_calc_change orphan = {.kind = AT_CHANGE_ADD, .id = "C-X", .type = AT_TX_CANCELLATION,
                             .original_id = "NOPE", .date = D("2026-01-05"),
                             .amount = -M("10"), .owner = 9};
    assert_int_equal(at_calc_session_apply(s, &orphan, 1, NULL, NULL, &err), AT_ERR_NOT_FOUND);
    compare_session_with_full_run(s);
    at_calc_session_close(s);
    free_world(g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(generated_world_pays_something),
        cmocka_unit_test(threads_equal_one_thread),
        cmocka_unit_test(only_people_equal_full_run),
        cmocka_unit_test(passes_of_counted_credits_equal_full_run),
        cmocka_unit_test(order_of_inputs_does_not_matter),
        cmocka_unit_test(session_equals_full_run_after_random_changes),
        cmocka_unit_test(session_without_explanations_equals_full_run),
        cmocka_unit_test(session_credits_outgrow_their_room),
        cmocka_unit_test(session_refuses_bad_changes_and_stays_unchanged),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
