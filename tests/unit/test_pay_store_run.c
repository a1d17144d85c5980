/* test_pay_store_run.c - runs in the store: begin, save, finish, latest, get; reading one
 * person's results back in the engine's shapes; all-or-nothing saves; closing months; payroll,
 * accruals and cost of sales. The result saved is made by hand (this tests the store, not the
 * engine) over the company of test_pay_store_util.h loaded for March..May 2025 (fiscal months
 * 2026-02 .. 2026-04, calendar month indexes 13..15). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "test_pay_store_util.h"

#define D pay_day
#define RATE1 INT64_C(1000000000)

static const at_plan_measure MEASURES[] = {{.id = "bookings"}};
static const at_plan_component COMPONENTS[] = {{.id = "commission"}, {.id = "bonus"}};
static const at_plan PLAN = {.name = "AE 2026", .version = 1, .measures = MEASURES,
                             .measure_count = 1, .components = COMPONENTS,
                             .component_count = 2};

typedef struct fixture {
    char *path;
    at_store *s;
    at_arena arena;
    at_calc_input in;
    at_store_calc_data data;
    at_calc_result res;
    /* the result's arrays */
    int32_t c_tx[3], c_person[3], c_from[3], c_month[3];
    uint8_t c_kind[3], c_level[3];
    at_rate c_share[3];
    at_money c_amount[3], c_margin[3];
    at_day c_date[3];
    size_t c_start[7];
    at_calc_measure_value measures[2];
    at_calc_line lines[5];
    at_calc_payout payouts[2];
} fixture;

static fixture *F;

/* M1 (person 1): a roll-up credit of TX-02 from R1. R1 (person 2): her owner credits of
 * TX-02 (March) and of its cancellation TX-07 (April), two measure values, five lines (two in
 * March, three in April: a capped commission, a draw and an adjustment of March) and two
 * payouts. */
static void make_result(fixture *f)
{
    int32_t tx02 = pay_tx(&f->in, "TX-02"), tx07 = pay_tx(&f->in, "TX-07");
    assert_int_equal(tx02, 0);
    assert_int_equal(tx07, 4);
    at_calc_credits *c = &f->res.credits;
    c->count = 3;
    c->transaction = f->c_tx;
    c->person = f->c_person;
    c->kind = f->c_kind;
    c->level = f->c_level;
    c->from_person = f->c_from;
    c->share = f->c_share;
    c->amount = f->c_amount;
    c->margin = f->c_margin;
    c->date = f->c_date;
    c->month = f->c_month;
    c->person_start = f->c_start;
    int32_t tx[] = {tx02, tx02, tx07}, person[] = {1, 2, 2}, from[] = {2, -1, -1};
    uint8_t kind[] = {AT_CREDIT_ROLLUP, AT_CREDIT_OWNER, AT_CREDIT_OWNER}, level[] = {1, 0, 0};
    at_rate share[] = {RATE1, 750000000, 750000000};
    at_money amount[] = {20005000, 15003750, -750000}, margin[] = {8002500, 6001875, 0};
    at_day date[] = {D(2025, 3, 20), D(2025, 3, 20), D(2025, 4, 20)};
    int32_t month[] = {13, 13, 14};
    for (int i = 0; i < 3; i++) {
        f->c_tx[i] = tx[i];
        f->c_person[i] = person[i];
        f->c_from[i] = from[i];
        f->c_kind[i] = kind[i];
        f->c_level[i] = level[i];
        f->c_share[i] = share[i];
        f->c_amount[i] = amount[i];
        f->c_margin[i] = margin[i];
        f->c_date[i] = date[i];
        f->c_month[i] = month[i];
    }
    size_t start[] = {0, 0, 1, 3, 3, 3, 3};
    memcpy(f->c_start, start, sizeof start);

    f->measures[0] = (at_calc_measure_value){.person = 2, .month = 13, .assignment = 0,
                                             .plan = &PLAN, .measure = 0,
                                             .month_value = 15003750, .value = 15003750,
                                             .credit_count = 1, .has_quota = true,
                                             .quota = 100000000, .attainment = 150037500};
    f->measures[1] = (at_calc_measure_value){.person = 2, .month = 14, .assignment = 0,
                                             .plan = &PLAN, .measure = 0, .month_value = -750000,
                                             .value = 14253750, .credit_count = 2};
    f->res.measures = f->measures;
    f->res.measure_count = 2;

    f->lines[0] = (at_calc_line){.person = 2, .month = 13, .assignment = 0, .plan = &PLAN,
                                 .component = 0, .kind = AT_LINE_COMPONENT,
                                 .key = "AE 2026/commission", .earned_to_date = 15003750,
                                 .earned = 15003750, .amount = 15000000, .fx_rate = RATE1,
                                 .adjusts_month = -1, .explain = "1,500.38 x 10%"};
    f->lines[1] = (at_calc_line){.person = 2, .month = 13, .assignment = 0, .plan = &PLAN,
                                 .component = 1, .kind = AT_LINE_COMPONENT,
                                 .key = "AE 2026/bonus", .earned_to_date = 5000000,
                                 .earned = 5000000, .amount = 5000000, .fx_rate = RATE1,
                                 .adjusts_month = -1, .gated = true};
    f->lines[2] = (at_calc_line){.person = 2, .month = 14, .assignment = 0, .plan = &PLAN,
                                 .component = 0, .kind = AT_LINE_COMPONENT,
                                 .key = "AE 2026/commission", .earned_to_date = 14253750,
                                 .earned = -750000, .amount = -750000, .fx_rate = RATE1,
                                 .adjusts_month = -1, .capped = true};
    f->lines[3] = (at_calc_line){.person = 2, .month = 14, .assignment = 0, .plan = &PLAN,
                                 .component = -1, .kind = AT_LINE_DRAW, .key = "AE 2026/draw",
                                 .earned = 1000000, .amount = 1000000, .fx_rate = RATE1,
                                 .adjusts_month = -1};
    f->lines[4] = (at_calc_line){.person = 2, .month = 14, .assignment = -1, .plan = NULL,
                                 .component = -1, .kind = AT_LINE_ADJUSTMENT,
                                 .key = "adjust/AE 2026/commission/2026-02", .earned = 10000,
                                 .amount = 10000, .fx_rate = RATE1, .adjusts_month = 13};
    f->res.lines = f->lines;
    f->res.line_count = 5;

    f->payouts[0] = (at_calc_payout){.person = 2, .month = 13, .currency = 0,
                                     .earned = 20000000, .amount = 20000000,
                                     .earned_ytd = 20000000, .paid_ytd = 20000000};
    f->payouts[1] = (at_calc_payout){.person = 2, .month = 14, .currency = 0, .earned = -750000,
                                     .amount = 260000, .earned_ytd = 19250000,
                                     .paid_ytd = 20260000, .draw_balance = 1000000};
    f->res.payouts = f->payouts;
    f->res.payout_count = 2;
}

static int setup(void **state)
{
    (void)state;
    F = calloc(1, sizeof *F);
    F->s = pay_company(&F->path);
    at_arena_init(&F->arena, 0);
    at_error err;
    if (at_store_calc_load(F->s, D(2025, 3, 1), D(2025, 5, 31), NULL, &F->arena, &F->in,
                           &F->data, &err) != AT_OK)
        return -1;
    make_result(F);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    at_store_calc_data_free(&F->data);
    at_arena_free(&F->arena);
    at_store_close(F->s);
    util_remove_db(F->path);
    free(F->path);
    free(F);
    return 0;
}

static int64_t begin_run(const char *const *payees, size_t payee_count)
{
    at_store_run_info info = {.period = "2026-Q1", .first_month = "2026-02",
                              .last_month = "2026-04", .payees = payees,
                              .payee_count = payee_count, .input_sha256 = PAY_SHA3,
                              .plans = F->data.plans, .plan_count = F->data.plan_count,
                              .actor = "ana", .reason = "March close"};
    int64_t id = 0;
    at_error err;
    if (at_store_run_begin(F->s, &info, &id, &err) != AT_OK)
        fail_msg("begin: %s", err.message);
    return id;
}

static void finish_run(int64_t id)
{
    at_store_run_phase phases[] = {{"load", 1.25}, {"save", 0.5}};
    at_store_run_stats stats = {.people = 6, .transactions = 6, .credits = 3, .lines = 5,
                                .phases = phases, .phase_count = 2};
    at_error err;
    if (at_store_run_finish(F->s, id, true, NULL, &stats, &err) != AT_OK)
        fail_msg("finish: %s", err.message);
}

static long long q(const char *sql)
{
    return util_int(F->path, sql);
}

static void save_finish_and_find_runs(void **state)
{
    (void)state;
    at_error err;
    int64_t run = begin_run(NULL, 0);
    assert_int_equal(run, 1);
    assert_int_equal(q("SELECT count(*) FROM calc_runs WHERE id = 1 AND status = 'running' AND "
                       "payees IS NULL AND plan_versions = '[{\"name\":\"AE 2026\",\"version\":1,"
                       "\"sha256\":\"" PAY_SHA1 "\"},{\"name\":\"AE 2026\",\"version\":2,"
                       "\"sha256\":\"" PAY_SHA2 "\"}]' AND reason = 'March close'"),
                     1);
    /* not done yet: not the latest */
    int64_t latest = -1;
    bool found = true;
    assert_int_equal(at_store_run_latest(F->s, "2026-03", NULL, &latest, &found, &err), AT_OK);
    assert_false(found);

    assert_int_equal(at_store_run_save(F->s, run, &F->in, &F->data, &F->res, NULL, &err), AT_OK);
    assert_int_equal(q("SELECT count(*) FROM calc_measures WHERE run_id = 1"), 2);
    assert_int_equal(q("SELECT count(*) FROM calc_lines WHERE run_id = 1"), 5);
    assert_int_equal(q("SELECT count(*) FROM calc_payouts WHERE run_id = 1"), 2);
    /* one blob per person and month: M1 March, R1 March, R1 April */
    assert_int_equal(q("SELECT count(*) FROM calc_credits WHERE run_id = 1"), 3);
    assert_int_equal(q("SELECT sum(count) FROM calc_credits WHERE run_id = 1"), 3);
    /* rows name internal ids and labels */
    assert_int_equal(q("SELECT count(*) FROM calc_lines WHERE run_id = 1 AND person_id = 3 AND "
                       "month = '2026-02' AND seq = 1 AND component = 'bonus' AND gated = 1 AND "
                       "assignment_id = 1 AND plan = 'AE 2026' AND plan_version = 1 AND "
                       "currency = 'EUR'"),
                     1);
    assert_int_equal(q("SELECT count(*) FROM calc_lines WHERE kind = 'draw' AND component IS "
                       "NULL AND plan = 'AE 2026' AND month = '2026-03' AND seq = 1"),
                     1);
    assert_int_equal(q("SELECT count(*) FROM calc_lines WHERE kind = 'adjustment' AND plan IS "
                       "NULL AND assignment_id IS NULL AND adjusts_month = '2026-02'"),
                     1);
    assert_int_equal(q("SELECT count(*) FROM calc_lines WHERE explain = '1,500.38 x 10%' AND "
                       "amount = 15000000 AND earned = 15003750"),
                     1);
    assert_int_equal(q("SELECT count(*) FROM calc_measures WHERE month = '2026-03' AND quota IS "
                       "NULL AND value = 14253750 AND credit_count = 2 AND measure = 'bookings'"),
                     1);
    assert_int_equal(q("SELECT draw_balance FROM calc_payouts WHERE month = '2026-03'"), 1000000);

    finish_run(run);
    assert_int_equal(q("SELECT count(*) FROM calc_runs WHERE id = 1 AND status = 'done' AND "
                       "people = 6 AND credits = 3 AND lines = 5 AND seconds = "
                       "'{\"load\":1.250,\"save\":0.500}' AND message IS NULL AND "
                       "finished_at >= started_at"),
                     1);
    assert_int_equal(at_store_run_latest(F->s, "2026-03", NULL, &latest, &found, &err), AT_OK);
    assert_true(found);
    assert_int_equal(latest, 1);
    assert_int_equal(at_store_run_latest(F->s, "2026-04", "P-X", &latest, &found, &err), AT_OK);
    assert_true(found);
    assert_int_equal(at_store_run_latest(F->s, "2026-05", NULL, &latest, &found, &err), AT_OK);
    assert_false(found);
    assert_int_equal(at_store_run_latest(F->s, "2026-01", NULL, &latest, &found, &err), AT_OK);
    assert_false(found);
    assert_int_equal(at_store_run_latest(F->s, "2026-Q1", NULL, &latest, &found, &err),
                     AT_ERR_INVALID);

    /* a done run takes nothing more */
    assert_int_equal(at_store_run_finish(F->s, run, false, "again", NULL, &err), AT_ERR_CONFLICT);
    assert_string_equal(err.message, "run #1 is done: its results can no longer change");
    assert_int_equal(at_store_run_save(F->s, run, &F->in, &F->data, &F->res, NULL, &err),
                     AT_ERR_CONFLICT);
    assert_int_equal(at_store_run_finish(F->s, 99, true, NULL, NULL, &err), AT_ERR_NOT_FOUND);
    assert_string_equal(err.message, "there is no run #99");

    /* the record */
    at_store_run_record r;
    assert_int_equal(at_store_run_get(F->s, run, &F->arena, &r, &found, &err), AT_OK);
    assert_true(found);
    assert_string_equal(r.period, "2026-Q1");
    assert_string_equal(r.first_month, "2026-02");
    assert_string_equal(r.last_month, "2026-04");
    assert_null(r.payees);
    assert_string_equal(r.status, "done");
    assert_string_equal(r.actor, "ana");
    assert_string_equal(r.input_sha256, PAY_SHA3);
    assert_int_equal(r.transactions, 6);
    assert_int_equal(r.lines, 5);
    assert_int_equal(at_store_run_get(F->s, 42, &F->arena, &r, &found, &err), AT_OK);
    assert_false(found);

    /* a run for one payee, of one month: only that is written */
    const char *payees[] = {"P-R1"};
    int64_t partial = begin_run(payees, 1);
    int32_t r1[] = {2};
    at_store_run_scope scope = {.first_month = 14, .last_month = 14, .people = r1,
                                .person_count = 1};
    assert_int_equal(at_store_run_save(F->s, partial, &F->in, &F->data, &F->res, &scope, &err),
                     AT_OK);
    finish_run(partial);
    char sql[160];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM calc_lines WHERE run_id = %lld",
             (long long)partial);
    assert_int_equal(q(sql), 3);
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM calc_credits WHERE run_id = %lld AND person_id = 3 AND "
             "month = '2026-03'",
             (long long)partial);
    assert_int_equal(q(sql), 1);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM calc_credits WHERE run_id = %lld",
             (long long)partial);
    assert_int_equal(q(sql), 1);
    assert_int_equal(q("SELECT count(*) FROM calc_runs WHERE id = 2 AND payees = '[\"P-R1\"]'"),
                     1);
    assert_int_equal(at_store_run_latest(F->s, "2026-03", "P-R1", &latest, &found, &err), AT_OK);
    assert_int_equal(latest, partial);
    assert_int_equal(at_store_run_latest(F->s, "2026-03", "P-X", &latest, &found, &err), AT_OK);
    assert_int_equal(latest, 1);
    assert_int_equal(at_store_run_latest(F->s, "2026-03", NULL, &latest, &found, &err), AT_OK);
    assert_int_equal(latest, 1);

    /* a failed run */
    int64_t failed = begin_run(NULL, 0);
    assert_int_equal(at_store_run_finish(F->s, failed, false, "no plan AE 2026", NULL, &err),
                     AT_OK);
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM calc_runs WHERE id = %lld AND status = 'failed' AND message "
             "= 'no plan AE 2026' AND seconds = '{}'",
             (long long)failed);
    assert_int_equal(q(sql), 1);
    assert_int_equal(at_store_run_latest(F->s, "2026-03", NULL, &latest, &found, &err), AT_OK);
    assert_int_equal(latest, 1);

    /* audited: begin as an insert, finish as an update */
    assert_int_equal(q("SELECT count(*) FROM audit WHERE entity = 'calc_runs' AND row_key = '1' "
                       "AND action = 'insert' AND actor = 'ana' AND reason = 'March close'"),
                     1);
    assert_int_equal(q("SELECT count(*) FROM audit WHERE entity = 'calc_runs' AND row_key = '1' "
                       "AND action = 'update' AND json_extract(after, '$.status') = 'done' AND "
                       "json_extract(after, '$.seconds.load') = 1.25"),
                     1);
}

static void a_failed_save_leaves_nothing(void **state)
{
    (void)state;
    at_error err;
    int64_t run = begin_run(NULL, 0);
    char sql[200];
    /* a line without a key, after the measure values were written */
    at_calc_line lines[5];
    memcpy(lines, F->lines, sizeof lines);
    lines[3].key = NULL;
    at_calc_result bad = F->res;
    bad.lines = lines;
    assert_int_equal(at_store_run_save(F->s, run, &F->in, &F->data, &bad, NULL, &err),
                     AT_ERR_CONFLICT);
    assert_non_null(strstr(err.message, "saving earnings lines"));
    assert_non_null(strstr(err.message, "calc_lines.line_key"));
    /* a credit of no known kind, after every line and payout */
    uint8_t kinds[3] = {AT_CREDIT_ROLLUP, AT_CREDIT_OWNER, 9};
    bad = F->res;
    bad.credits.kind = kinds;
    assert_int_equal(at_store_run_save(F->s, run, &F->in, &F->data, &bad, NULL, &err),
                     AT_ERR_INVALID);
    const char *tables[] = {"calc_measures", "calc_lines", "calc_payouts", "calc_credits"};
    for (int i = 0; i < 4; i++) {
        snprintf(sql, sizeof sql, "SELECT count(*) FROM %s WHERE run_id = %lld", tables[i],
                 (long long)run);
        assert_int_equal(q(sql), 0);
    }
    /* the run is still running and can be saved properly */
    assert_false(at_store_in_transaction(F->s));
    assert_int_equal(at_store_run_save(F->s, run, &F->in, &F->data, &F->res, NULL, &err), AT_OK);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM calc_lines WHERE run_id = %lld",
             (long long)run);
    assert_int_equal(q(sql), 5);
    /* saving twice is a conflict (the rows exist), and leaves the first save as it was */
    assert_int_equal(at_store_run_save(F->s, run, &F->in, &F->data, &F->res, NULL, &err),
                     AT_ERR_CONFLICT);
    assert_int_equal(q(sql), 5);
    assert_int_equal(at_store_run_finish(F->s, run, false, "test", NULL, &err), AT_OK);
    /* bad arguments */
    at_store_run_scope wrong = {.first_month = 14, .last_month = 13};
    assert_int_equal(at_store_run_save(F->s, run, &F->in, &F->data, &F->res, &wrong, &err),
                     AT_ERR_INTERNAL);
    at_store_run_info info = {.period = "2026-Q1", .first_month = "2026-04",
                              .last_month = "2026-02", .input_sha256 = PAY_SHA1, .actor = "a"};
    int64_t id = 7;
    assert_int_equal(at_store_run_begin(F->s, &info, &id, &err), AT_ERR_INTERNAL);
    assert_int_equal(id, 0);
    info.last_month = "2026-Q2";
    assert_int_equal(at_store_run_begin(F->s, &info, &id, &err), AT_ERR_INTERNAL);
    info = (at_store_run_info){.period = "2026-Q1", .first_month = "2026-01",
                               .last_month = "2026-03", .input_sha256 = "abc", .actor = "a"};
    assert_int_equal(at_store_run_begin(F->s, &info, &id, &err), AT_ERR_INTERNAL);
    info.input_sha256 = PAY_SHA1;
    info.actor = NULL;
    assert_int_equal(at_store_run_begin(F->s, &info, &id, &err), AT_ERR_USAGE);
}

static void read_back_a_person(void **state)
{
    (void)state;
    at_error err;
    at_arena arena;
    at_arena_init(&arena, 0);
    at_store_run_view v;
    const at_plan *plans[] = {&PLAN};
    assert_int_equal(at_store_run_read(F->s, 1, "P-R1", "2026-02", "2026-03", plans, 1, &arena,
                                       &v, &err),
                     AT_OK);
    assert_int_equal(v.run_id, 1);
    assert_int_equal(v.person, 2);
    assert_int_equal(v.input.person_count, 6);
    assert_int_equal(v.input.first_month, 13);
    assert_int_equal(v.input.last_month, 14);
    /* the transactions the credits name: TX-02 and TX-07 (whose original TX-02 is in) */
    assert_int_equal(v.input.transactions.count, 2);
    assert_string_equal(v.input.transactions.id[0], "TX-02");
    assert_string_equal(v.input.transactions.id[1], "TX-07");
    assert_int_equal(v.input.transactions.original[1], 0);
    assert_int_equal(v.input.tx_person_count, 2); /* TX-02's split and overlay */
    const at_calc_credits *c = &v.result.credits;
    assert_int_equal(c->count, 2);
    assert_int_equal(c->transaction[0], 0);
    assert_int_equal(c->transaction[1], 1);
    assert_int_equal(c->person[1], 2);
    assert_int_equal(c->kind[0], AT_CREDIT_OWNER);
    assert_int_equal(c->share[0], 750000000);
    assert_int_equal(c->amount[0], 15003750);
    assert_int_equal(c->margin[0], 6001875);
    assert_int_equal(c->amount[1], -750000);
    assert_int_equal(c->date[1], D(2025, 4, 20));
    assert_int_equal(c->month[0], 13);
    assert_int_equal(c->month[1], 14);
    assert_int_equal(c->from_person[0], -1);
    size_t start[] = {0, 0, 0, 2, 2, 2, 2};
    for (int i = 0; i < 7; i++)
        assert_int_equal(c->person_start[i], start[i]);
    /* measures and lines point at the plan given */
    assert_int_equal(v.result.measure_count, 2);
    assert_ptr_equal(v.result.measures[0].plan, &PLAN);
    assert_int_equal(v.result.measures[0].measure, 0);
    assert_int_equal(v.result.measures[0].assignment, 0);
    assert_true(v.result.measures[0].has_quota);
    assert_int_equal(v.result.measures[0].quota, 100000000);
    assert_int_equal(v.result.measures[0].attainment, 150037500);
    assert_false(v.result.measures[1].has_quota);
    assert_int_equal(v.result.measures[1].month, 14);
    assert_string_equal(v.measure_id[1], "bookings");
    assert_int_equal(v.result.line_count, 5);
    const at_calc_line *l = v.result.lines;
    assert_int_equal(l[0].component, 0);
    assert_string_equal(l[0].explain, "1,500.38 x 10%");
    assert_int_equal(l[1].component, 1);
    assert_true(l[1].gated);
    assert_true(l[2].capped);
    assert_int_equal(l[3].kind, AT_LINE_DRAW);
    assert_int_equal(l[3].component, -1);
    assert_ptr_equal(l[3].plan, &PLAN);
    assert_int_equal(l[4].kind, AT_LINE_ADJUSTMENT);
    assert_null(l[4].plan);
    assert_null(v.line_plan[4]);
    assert_int_equal(l[4].assignment, -1);
    assert_int_equal(l[4].adjusts_month, 13);
    assert_string_equal(l[4].key, "adjust/AE 2026/commission/2026-02");
    assert_int_equal(l[4].amount, 10000);
    assert_int_equal(v.result.payout_count, 2);
    assert_int_equal(v.result.payouts[1].month, 14);
    assert_string_equal(v.input.currencies[v.result.payouts[1].currency], "EUR");
    assert_int_equal(v.result.payouts[1].draw_balance, 1000000);
    at_store_run_view_free(&v);

    /* without plans: names only; one month */
    assert_int_equal(at_store_run_read(F->s, 1, "P-R1", "2026-03", "2026-03", NULL, 0, &arena,
                                       &v, &err),
                     AT_OK);
    assert_int_equal(v.result.credits.count, 1);
    assert_int_equal(v.result.measure_count, 1);
    assert_null(v.result.measures[0].plan);
    assert_int_equal(v.result.measures[0].measure, -1);
    assert_string_equal(v.measure_plan[0], "AE 2026");
    assert_int_equal(v.measure_plan_version[0], 1);
    assert_int_equal(v.result.line_count, 3);
    assert_int_equal(v.result.lines[0].component, -1);
    assert_string_equal(v.line_component[0], "commission");
    assert_int_equal(v.result.payout_count, 1);
    at_store_run_view_free(&v);

    /* the manager's roll-up credit names its seller */
    assert_int_equal(at_store_run_read(F->s, 1, "P-M1", "2026-02", "2026-04", NULL, 0, &arena,
                                       &v, &err),
                     AT_OK);
    assert_int_equal(v.result.credits.count, 1);
    assert_int_equal(v.result.credits.kind[0], AT_CREDIT_ROLLUP);
    assert_int_equal(v.result.credits.level[0], 1);
    assert_int_equal(v.result.credits.from_person[0], 2);
    assert_int_equal(v.result.credits.share[0], RATE1);
    assert_int_equal(v.result.line_count, 0);
    at_store_run_view_free(&v);

    /* someone with nothing */
    assert_int_equal(at_store_run_read(F->s, 1, "P-X", "2026-02", "2026-04", NULL, 0, &arena,
                                       &v, &err),
                     AT_OK);
    assert_int_equal(v.result.credits.count, 0);
    assert_int_equal(v.input.transactions.count, 0);
    at_store_run_view_free(&v);

    assert_int_equal(at_store_run_read(F->s, 1, "P-NOPE", "2026-02", "2026-04", NULL, 0, &arena,
                                       &v, &err),
                     AT_ERR_NOT_FOUND);
    assert_int_equal(at_store_run_read(F->s, 77, "P-R1", "2026-02", "2026-04", NULL, 0, &arena,
                                       &v, &err),
                     AT_ERR_NOT_FOUND);
    assert_int_equal(at_store_run_read(F->s, 1, "P-R1", "2026-04", "2026-02", NULL, 0, &arena,
                                       &v, &err),
                     AT_ERR_INVALID);
    assert_string_equal(err.message, "'2026-04'..'2026-02' is not a range of months");
    at_arena_free(&arena);
}

static void close_months_and_read_payroll(void **state)
{
    (void)state;
    at_error err;
    at_arena arena;
    at_arena_init(&arena, 0);
    int64_t run = 0;
    assert_int_equal(at_store_period_close(F->s, "2026-02", "fin", "books closed", &run, &err),
                     AT_OK);
    assert_int_equal(run, 1);
    /* R1's two lines of March, summed per key */
    assert_int_equal(q("SELECT count(*) FROM closed_lines WHERE month = '2026-02'"), 2);
    assert_int_equal(q("SELECT amount FROM closed_lines WHERE month = '2026-02' AND line_key = "
                       "'AE 2026/commission' AND person_id = 3 AND currency = 'EUR'"),
                     15000000);
    assert_int_equal(q("SELECT count(*) FROM audit WHERE entity = 'closed_periods' AND row_key "
                       "= '2026-02' AND actor = 'fin' AND after = '{\"run\":1,\"lines\":2}'"),
                     1);
    assert_int_equal(at_store_period_close(F->s, "2026-02", "fin", NULL, &run, &err),
                     AT_ERR_CONFLICT);
    assert_non_null(strstr(err.message, "2026-02 is closed already (by fin at "));
    assert_int_equal(at_store_period_close(F->s, "2026-05", "fin", NULL, &run, &err),
                     AT_ERR_CONFLICT);
    assert_string_equal(err.message, "no finished calculation for everyone covers 2026-05");
    assert_string_equal(err.hint, "calculate it first: attain calc --period 2026-05");
    assert_int_equal(at_store_period_close(F->s, "2026-Q1", "fin", NULL, &run, &err),
                     AT_ERR_INVALID);
    assert_int_equal(at_store_period_close(F->s, "2026-03", "", NULL, &run, &err), AT_ERR_USAGE);
    assert_false(at_store_in_transaction(F->s));
    at_store_closed_period *closed;
    size_t n = 0;
    assert_int_equal(at_store_closed_list(F->s, &arena, &closed, &n, &err), AT_OK);
    assert_int_equal(n, 1);
    assert_string_equal(closed[0].month, "2026-02");
    assert_string_equal(closed[0].closed_by, "fin");
    assert_string_equal(closed[0].reason, "books closed");
    assert_int_equal(closed[0].run_id, 1);
    assert_int_equal(closed[0].lines, 2);

    /* the next load sees the month closed and its lines locked */
    at_arena la;
    at_arena_init(&la, 0);
    at_calc_input in;
    at_store_calc_data data;
    assert_int_equal(at_store_calc_load(F->s, D(2025, 3, 1), D(2025, 5, 31), NULL, &la, &in,
                                        &data, &err),
                     AT_OK);
    assert_int_equal(in.closed_month_count, 1);
    assert_int_equal(in.closed_months[0], 13);
    assert_int_equal(in.locked_count, 2);
    assert_string_equal(in.locked[0].key, "AE 2026/bonus");
    assert_int_equal(in.locked[0].amount, 5000000);
    assert_int_equal(in.locked[1].person, 2);
    at_store_calc_data_free(&data);
    at_arena_free(&la);

    /* a newer run for everyone: the closed month still reads its own run */
    int64_t newer = begin_run(NULL, 0);
    assert_int_equal(at_store_run_save(F->s, newer, &F->in, &F->data, &F->res, NULL, &err),
                     AT_OK);
    finish_run(newer);
    at_store_payroll_row *rows;
    bool found = false;
    assert_int_equal(at_store_payroll(F->s, "2026-02", &run, &found, &arena, &rows, &n, &err),
                     AT_OK);
    assert_true(found);
    assert_int_equal(run, 1);
    assert_int_equal(n, 1);
    assert_string_equal(rows[0].person_id, "P-R1");
    assert_string_equal(rows[0].name, "Rita Rep");
    assert_string_equal(rows[0].currency, "EUR");
    assert_int_equal(rows[0].amount, 20000000);
    assert_int_equal(rows[0].earned, 20000000);
    assert_int_equal(rows[0].line_count, 2);
    assert_string_equal(rows[0].lines[0].key, "AE 2026/commission");
    assert_string_equal(rows[0].lines[0].kind, "component");
    assert_int_equal(rows[0].lines[0].amount, 15000000);
    assert_string_equal(rows[0].lines[1].key, "AE 2026/bonus");
    assert_int_equal(at_store_payroll(F->s, "2026-03", &run, &found, &arena, &rows, &n, &err),
                     AT_OK);
    assert_int_equal(run, newer);
    assert_int_equal(n, 1);
    assert_int_equal(rows[0].amount, 260000);
    assert_int_equal(rows[0].line_count, 3);
    assert_string_equal(rows[0].lines[1].kind, "draw");
    assert_string_equal(rows[0].lines[2].kind, "adjustment");
    assert_int_equal(at_store_payroll(F->s, "2026-05", &run, &found, &arena, &rows, &n, &err),
                     AT_OK);
    assert_false(found);
    assert_int_equal(n, 0);
    assert_int_equal(at_store_payroll(F->s, "May", &run, &found, &arena, &rows, &n, &err),
                     AT_ERR_INVALID);

    /* accruals: earned to date less paid to date */
    at_store_accrual_row *acc;
    assert_int_equal(at_store_accruals(F->s, "2026-03", &run, &found, &arena, &acc, &n, &err),
                     AT_OK);
    assert_true(found);
    assert_int_equal(n, 1);
    assert_int_equal(acc[0].earned_ytd, 19250000);
    assert_int_equal(acc[0].paid_ytd, 20260000);
    assert_int_equal(acc[0].accrued, -1010000);
    assert_int_equal(acc[0].draw_balance, 1000000);

    /* cost of sales: per month (its run), plan, component, kind, currency; NULLs first */
    at_store_cost_row *cost;
    assert_int_equal(at_store_cost_of_sales(F->s, "2026-01", "2026-04", &arena, &cost, &n, &err),
                     AT_OK);
    assert_int_equal(n, 5);
    assert_string_equal(cost[0].month, "2026-02");
    assert_string_equal(cost[0].component, "bonus");
    assert_int_equal(cost[0].amount, 5000000);
    assert_string_equal(cost[1].component, "commission");
    assert_int_equal(cost[1].amount, 15000000);
    assert_int_equal(cost[1].earned, 15003750);
    assert_int_equal(cost[1].people, 1);
    assert_string_equal(cost[2].month, "2026-03");
    assert_null(cost[2].plan);
    assert_string_equal(cost[2].kind, "adjustment");
    assert_int_equal(cost[2].amount, 10000);
    assert_string_equal(cost[3].plan, "AE 2026");
    assert_null(cost[3].component);
    assert_string_equal(cost[3].kind, "draw");
    assert_string_equal(cost[4].component, "commission");
    assert_int_equal(cost[4].amount, -750000);
    assert_string_equal(cost[4].currency, "EUR");
    assert_int_equal(at_store_cost_of_sales(F->s, "2026-04", "2026-01", &arena, &cost, &n, &err),
                     AT_ERR_INVALID);
    at_arena_free(&arena);
}

static void carry_results_over(void **state)
{
    (void)state;
    at_error err;
    int64_t run = begin_run(NULL, 0);
    int64_t rows = -1;
    /* everyone but M1 (internal id 2), from run 1, March and April */
    int64_t except[] = {2};
    assert_int_equal(at_store_run_carry(F->s, run, 1, "2026-02", "2026-03", except, 1, &rows,
                                        &err),
                     AT_OK);
    /* R1: 2 measure values, 5 lines, 2 payouts, 2 credit blobs */
    assert_int_equal(rows, 11);
    char sql[200];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM calc_credits WHERE run_id = %lld",
             (long long)run);
    assert_int_equal(q(sql), 2);
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM calc_lines a JOIN calc_lines b USING (person_id, month, seq) "
             "WHERE a.run_id = 1 AND b.run_id = %lld AND a.amount = b.amount AND a.line_key = "
             "b.line_key AND a.explain IS b.explain",
             (long long)run);
    assert_int_equal(q(sql), 5);
    /* M1 recomputed and saved on its own: the run is whole again */
    int32_t m1[] = {1};
    at_store_run_scope scope = {.first_month = 13, .last_month = 14, .people = m1,
                                .person_count = 1};
    assert_int_equal(at_store_run_save(F->s, run, &F->in, &F->data, &F->res, &scope, &err),
                     AT_OK);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM calc_credits WHERE run_id = %lld",
             (long long)run);
    assert_int_equal(q(sql), 3);
    /* one month only, nobody left out */
    int64_t other = begin_run(NULL, 0);
    assert_int_equal(at_store_run_carry(F->s, other, 1, "2026-03", "2026-03", NULL, 0, &rows,
                                        &err),
                     AT_OK);
    assert_int_equal(rows, 1 + 3 + 1 + 1);
    /* from a run that is not done, into one that is not running */
    assert_int_equal(at_store_run_carry(F->s, other, run, "2026-02", "2026-03", NULL, 0, &rows,
                                        &err),
                     AT_ERR_CONFLICT);
    assert_int_equal(rows, 0);
    finish_run(run);
    assert_int_equal(at_store_run_carry(F->s, run, 1, "2026-02", "2026-03", NULL, 0, &rows,
                                        &err),
                     AT_ERR_CONFLICT);
    assert_int_equal(at_store_run_carry(F->s, other, 1, "2026-03", "2026-02", NULL, 0, &rows,
                                        &err),
                     AT_ERR_INTERNAL);
    /* carrying the same rows twice fails and copies nothing */
    assert_int_equal(at_store_run_carry(F->s, other, 1, "2026-02", "2026-03", NULL, 0, &rows,
                                        &err),
                     AT_ERR_CONFLICT);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM calc_lines WHERE run_id = %lld",
             (long long)other);
    assert_int_equal(q(sql), 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(save_finish_and_find_runs),
        cmocka_unit_test(a_failed_save_leaves_nothing),
        cmocka_unit_test(read_back_a_person),
        cmocka_unit_test(close_months_and_read_payroll),
        cmocka_unit_test(carry_results_over),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
