/* test_workflow_store.c - the workflow store (store/workflow_store.h) on a real store: the
 * approval threshold and its boundary, segregation of duties, state transitions (a decided
 * adjustment or plan change cannot be decided again, a resolved dispute takes no message and
 * no second resolution), what reaches pay (only approved adjustments, as manual lines of their
 * months), acceptance of terms and change requests, lists by scope, and schema version 5 on an
 * upgraded database. The company is test_pay_store_util.h's (fiscal years start in February:
 * fiscal month 2026-02 is March 2025; P-R1 is paid in EUR; P-M1 manages P-R1 and P-R2). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "test_pay_store_util.h"
#include "store/workflow_store.h"

#define SHA4 "4444444444444444444444444444444444444444444444444444444444444444"

static at_store *company;
static char *company_path;

static int setup(void **state)
{
    (void)state;
    company = pay_company(&company_path);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    at_store_close(company);
    util_remove_db(company_path);
    free(company_path);
    return 0;
}

static int64_t person(const char *ext)
{
    int64_t id = 0;
    bool found = false;
    at_error err;
    assert_int_equal(at_web_person_id(company, ext, &id, &found, &err), AT_OK);
    assert_true(found);
    return id;
}

static at_money money(const char *s)
{
    at_money m = 0;
    assert_int_equal(at_money_parse(at_str_from(s), &m, NULL), AT_OK);
    return m;
}

static at_code add(const char *payee, const char *month, const char *amount, const char *actor,
                   int64_t *id, bool *pending, at_error *err)
{
    at_wf_adjustment_new a = {.person_id = person(payee), .month = month,
                              .amount = money(amount), .reason = "test"};
    return at_wf_adjustment_add(company, &a, actor, id, pending, err);
}

static void threshold_and_segregation_of_duties(void **state)
{
    (void)state;
    at_error err;
    int64_t id = 0;
    bool pending = false, set = true;
    at_money t = 1;
    assert_int_equal(at_wf_threshold_get(company, &t, &set, NULL, NULL, &err), AT_OK);
    assert_false(set);
    /* no threshold: every adjustment waits */
    assert_int_equal(add("P-R1", "2026-03", "0.01", "ops", &id, &pending, &err), AT_OK);
    assert_true(pending);
    assert_int_equal(at_wf_threshold_set(company, -1, "fin", NULL, &err), AT_ERR_INVALID);
    assert_int_equal(at_wf_threshold_set(company, money("1000"), "fin", "policy", &err), AT_OK);
    /* at the threshold: approved when made; a cent above, or below its negative: waits */
    assert_int_equal(add("P-R1", "2026-03", "1000.00", "ops", &id, &pending, &err), AT_OK);
    assert_false(pending);
    assert_int_equal(add("P-R1", "2026-03", "1000.01", "ops", &id, &pending, &err), AT_OK);
    assert_true(pending);
    int64_t big = id;
    assert_int_equal(add("P-R1", "2026-03", "-1000.01", "ops", &id, &pending, &err), AT_OK);
    assert_true(pending);
    int64_t negative = id;
    /* the maker cannot decide it */
    assert_int_equal(at_wf_adjustment_decide(company, big, true, NULL, "ops", &err),
                     AT_ERR_CONFLICT);
    assert_string_equal(err.where, "approver");
    assert_int_equal(at_wf_adjustment_decide(company, big, false, NULL, "ops", &err),
                     AT_ERR_CONFLICT);
    assert_int_equal(at_wf_adjustment_decide(company, big, true, "ok", "fin", &err), AT_OK);
    /* decided once only */
    assert_int_equal(at_wf_adjustment_decide(company, big, false, NULL, "fin2", &err),
                     AT_ERR_CONFLICT);
    assert_string_equal(err.where, "status");
    assert_int_equal(at_wf_adjustment_decide(company, negative, false, "no", "fin", &err),
                     AT_OK);
    assert_int_equal(at_wf_adjustment_decide(company, 9999, true, NULL, "fin", &err),
                     AT_ERR_NOT_FOUND);
    at_arena arena;
    at_arena_init(&arena, 4096);
    at_wf_adjustment a;
    bool found = false;
    assert_int_equal(at_wf_adjustment_get(company, big, &arena, &a, &found, &err), AT_OK);
    assert_true(found);
    assert_string_equal(a.status, "approved");
    assert_string_equal(a.decided_by, "fin");
    assert_string_equal(a.currency, "EUR");
    assert_int_equal(a.amount, money("1000.01"));
    at_arena_free(&arena);
    /* errors */
    assert_int_equal(add("P-R1", "2026-03", "0", "ops", &id, &pending, &err), AT_ERR_INVALID);
    assert_int_equal(add("P-R1", "2026-03", "1.001", "ops", &id, &pending, &err), AT_ERR_INVALID);
    assert_int_equal(add("P-R1", "2026-Q1", "1", "ops", &id, &pending, &err), AT_ERR_INVALID);
    assert_int_equal(add("P-R1", "2026-13", "1", "ops", &id, &pending, &err), AT_ERR_INVALID);
    at_wf_adjustment_new usd = {.person_id = person("P-R1"), .month = "2026-03",
                                .amount = money("5"), .currency = "USD", .reason = "x"};
    assert_int_equal(at_wf_adjustment_add(company, &usd, "ops", &id, NULL, &err), AT_ERR_INVALID);
    assert_string_equal(err.where, "currency");
    usd.currency = NULL;
    usd.reason = "";
    assert_int_equal(at_wf_adjustment_add(company, &usd, "ops", &id, NULL, &err), AT_ERR_INVALID);
    usd.reason = "x";
    usd.person_id = 99999;
    assert_int_equal(at_wf_adjustment_add(company, &usd, "ops", &id, NULL, &err),
                     AT_ERR_NOT_FOUND);
}

/* Only approved adjustments reach pay, as manual lines of their months. */
static void approved_adjustments_load_as_manual_lines(void **state)
{
    (void)state;
    at_arena arena;
    at_arena_init(&arena, 1 << 16);
    at_calc_input in;
    at_store_calc_data data;
    at_error err;
    /* FY2026: 2025-02-01 .. 2026-01-31 */
    assert_int_equal(at_store_calc_load(company, pay_day(2025, 2, 1), pay_day(2026, 1, 31), NULL,
                                        &arena, &in, &data, &err),
                     AT_OK);
    at_calc_manual_line *lines = NULL;
    size_t n = 0;
    assert_int_equal(at_wf_adjustments_load(company, &in, &data, &arena, &lines, &n, &err), AT_OK);
    /* from the test above: 1000.00 (approved when made) and 1000.01 (approved by fin); not the
       0.01 (pending) nor the -1000.01 (rejected) */
    assert_int_equal(n, 2);
    int32_t r1 = at_store_calc_person_index(&data, person("P-R1"));
    const at_period *months = in.calendar->periods[AT_PERIOD_MONTH];
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(lines[i].person, r1);
        assert_string_equal(months[lines[i].month].label, "2026-03");
    }
    assert_int_equal(lines[0].amount + lines[1].amount, money("2000.01"));
    assert_non_null(strstr(lines[1].explain, "approved by fin"));
    assert_int_equal(strncmp(lines[0].key, "manual/", 7), 0);
    at_store_calc_data_free(&data);
    at_arena_free(&arena);
}

static void disputes_move_once_to_resolved(void **state)
{
    (void)state;
    at_error err;
    int64_t r1 = person("P-R1"), id = 0;
    /* no run covers 2026-04 for P-R1 yet */
    assert_int_equal(at_wf_dispute_raise(company, r1, "2026-04", "AE 2026/commission", "x",
                                         "rep", &id, &err),
                     AT_ERR_NOT_FOUND);
    char sql[512];
    snprintf(sql, sizeof sql,
             "INSERT INTO calc_runs (id, period, first_month, last_month, started_at, "
             "finished_at, status, actor, input_sha256) VALUES (900, '2026-04', '2026-04', "
             "'2026-04', 0, 1, 'done', 't', 'x'); INSERT INTO calc_lines (run_id, person_id, "
             "month, seq, kind, line_key, earned_to_date, earned, amount, currency, fx_rate, "
             "gated, capped) VALUES (900, %lld, '2026-04', 0, 'component', 'AE 2026/commission', "
             "0, 0, 0, 'EUR', 1000000000, 0, 0)",
             (long long)r1);
    assert_int_equal(util_exec(company_path, sql), 0);
    assert_int_equal(at_wf_dispute_raise(company, r1, "2026-04", "AE 2026/other", "x", "rep", &id,
                                         &err),
                     AT_ERR_INVALID);
    assert_int_equal(at_wf_dispute_raise(company, r1, "2026-04", "AE 2026/commission", "", "rep",
                                         &id, &err),
                     AT_ERR_INVALID);
    assert_int_equal(at_wf_dispute_raise(company, r1, "2026-04", "AE 2026/commission",
                                         "missing deal", "rep", &id, &err),
                     AT_OK);
    int64_t other = 0;
    assert_int_equal(at_wf_dispute_raise(company, r1, "2026-04", "AE 2026/commission", "again",
                                         "rep", &other, &err),
                     AT_ERR_CONFLICT);
    /* ops answers, the rep replies; the wrong payee does not find it */
    assert_int_equal(at_wf_dispute_message(company, id, r1, true, "it is in May", "ops", &err),
                     AT_OK);
    assert_int_equal(at_wf_dispute_message(company, id, r1, false, "no, April", "rep", &err),
                     AT_OK);
    assert_int_equal(at_wf_dispute_message(company, id, person("P-X"), true, "x", "ops", &err),
                     AT_ERR_NOT_FOUND);
    at_wf_resolution res = {.text = "paid in 2026-05", .adjust = true,
                            .amount = money("120.00"), .month = "2026-05"};
    int64_t adj = 0;
    bool pending = true;
    assert_int_equal(at_wf_dispute_resolve(company, id, r1, &res, "ops", &adj, &pending, &err),
                     AT_OK);
    assert_true(adj > 0);
    assert_false(pending); /* 120.00 is under the 1000.00 threshold */
    int64_t made = adj;
    assert_int_equal(at_wf_dispute_resolve(company, id, r1, &res, "ops", &adj, &pending, &err),
                     AT_ERR_CONFLICT);
    assert_int_equal(at_wf_dispute_message(company, id, r1, false, "thanks", "rep", &err),
                     AT_ERR_CONFLICT);
    at_arena arena;
    at_arena_init(&arena, 4096);
    at_wf_dispute d;
    bool found = false;
    assert_int_equal(at_wf_dispute_get(company, id, r1, &arena, &d, &found, &err), AT_OK);
    assert_true(found);
    assert_string_equal(d.status, "resolved");
    assert_string_equal(d.outcome, "adjusted");
    assert_int_equal(d.message_count, 2);
    assert_string_equal(d.messages[0].side, "ops");
    assert_string_equal(d.messages[1].side, "payee");
    assert_int_equal(d.adjustment_id, made);
    at_arena_free(&arena);
    /* a new dispute on the line is allowed once the old one is resolved */
    assert_int_equal(at_wf_dispute_raise(company, r1, "2026-04", "AE 2026/commission", "still",
                                         "rep", &other, &err),
                     AT_OK);
}

static at_code count_dispute(void *ctx, const at_wf_dispute *d, at_error *err)
{
    (void)d;
    (void)err;
    (*(int *)ctx)++;
    return AT_OK;
}

static void lists_keep_to_the_scope(void **state)
{
    (void)state;
    at_error err;
    int n = 0;
    at_wf_filter f = {.scope = {.kind = AT_SCOPE_SELF, .person_id = person("P-R1")}};
    assert_int_equal(at_wf_dispute_each(company, &f, count_dispute, &n, NULL, &err), AT_OK);
    assert_int_equal(n, 2);
    n = 0;
    f.scope = (at_web_scope){.kind = AT_SCOPE_SELF, .person_id = person("P-X")};
    assert_int_equal(at_wf_dispute_each(company, &f, count_dispute, &n, NULL, &err), AT_OK);
    assert_int_equal(n, 0);
    /* P-M1's team on 2025-04-15 holds P-R1; P-VP's holds P-M1 and, below, P-R1 */
    n = 0;
    f.scope = (at_web_scope){.kind = AT_SCOPE_TEAM, .person_id = person("P-M1"),
                             .day = pay_day(2025, 4, 15)};
    assert_int_equal(at_wf_dispute_each(company, &f, count_dispute, &n, NULL, &err), AT_OK);
    assert_int_equal(n, 2);
    n = 0;
    f.scope = (at_web_scope){.kind = AT_SCOPE_NOBODY};
    assert_int_equal(at_wf_dispute_each(company, &f, count_dispute, &n, NULL, &err), AT_OK);
    assert_int_equal(n, 0);
    n = 0;
    bool more = false;
    f = (at_wf_filter){.scope = {.kind = AT_SCOPE_EVERYONE}, .limit = 1};
    assert_int_equal(at_wf_dispute_each(company, &f, count_dispute, &n, &more, &err), AT_OK);
    assert_int_equal(n, 1);
    assert_true(more);
}

static void plan_changes_need_someone_else(void **state)
{
    (void)state;
    at_error err;
    int64_t id = 0;
    const char *doc = "plan: Other 2026\n# changed\n";
    assert_int_equal(at_wf_plan_submit(company, "Other 2026", doc, strlen(doc), SHA4,
                                       AT_DAY_MIN, AT_DAY_MAX, "ops", "wording", &id, &err),
                     AT_OK);
    int64_t again = 0;
    assert_int_equal(at_wf_plan_submit(company, "Other 2026", doc, strlen(doc), SHA4,
                                       AT_DAY_MIN, AT_DAY_MAX, "ops", NULL, &again, &err),
                     AT_ERR_CONFLICT);
    int version = 0;
    assert_int_equal(at_wf_plan_decide(company, id, true, NULL, "ops", &version, &err),
                     AT_ERR_CONFLICT);
    assert_string_equal(err.where, "approver");
    assert_int_equal(at_wf_plan_decide(company, id, true, "ok", "fin", &version, &err), AT_OK);
    assert_int_equal(version, 2); /* Other 2026 had version 1 */
    assert_int_equal(at_wf_plan_decide(company, id, false, NULL, "fin2", &version, &err),
                     AT_ERR_CONFLICT);
    assert_int_equal(util_int(company_path, "SELECT count(*) FROM plan_versions WHERE name = "
                                            "'Other 2026' AND version = 2 AND loaded_by = 'ops'"),
                     1);
    /* now the latest version: submitting it again changes nothing */
    assert_int_equal(at_wf_plan_submit(company, "Other 2026", doc, strlen(doc), SHA4,
                                       AT_DAY_MIN, AT_DAY_MAX, "ops", NULL, &again, &err),
                     AT_ERR_CONFLICT);
    /* a rejected change stores nothing */
    const char *doc2 = "plan: Other 2026\n# again\n";
    assert_int_equal(at_wf_plan_submit(company, "Other 2026", doc2, strlen(doc2), PAY_SHA1,
                                       AT_DAY_MIN, AT_DAY_MAX, "ops", NULL, &id, &err),
                     AT_OK);
    assert_int_equal(at_wf_plan_decide(company, id, false, "no", "fin", &version, &err), AT_OK);
    assert_int_equal(version, 0);
    assert_int_equal(util_int(company_path, "SELECT max(version) FROM plan_versions WHERE name = "
                                            "'Other 2026'"),
                     2);
}

static void acceptance_and_change_requests(void **state)
{
    (void)state;
    at_error err;
    at_arena arena;
    at_arena_init(&arena, 8192);
    int64_t r1 = person("P-R1");
    at_wf_terms t;
    assert_int_equal(at_wf_terms_get(company, r1, "2026", &arena, &t, &err), AT_OK);
    assert_int_equal(t.plan_count, 1);
    assert_string_equal(t.plans[0].assignment, "PA-1");
    assert_string_equal(t.plans[0].plan, "AE 2026");
    assert_int_equal(t.plans[0].from, pay_day(2025, 3, 15)); /* the hire, inside FY2026 */
    /* quotas inside FY2026: bookings 2026-Q1 and new_logos 2026-02 */
    assert_int_equal(t.quota_count, 2);
    assert_string_equal(at_wf_terms_status(&t), "pending");
    assert_int_equal(at_wf_terms_get(company, r1, "2026-Q5", &arena, &t, &err), AT_ERR_INVALID);
    char sha[65];
    assert_int_equal(at_wf_accept(company, r1, "2026", "rep", sha, &err), AT_OK);
    assert_int_equal(strlen(sha), 64);
    assert_int_equal(at_wf_accept(company, r1, "2026", "rep", sha, &err), AT_ERR_CONFLICT);
    assert_int_equal(at_wf_terms_get(company, r1, "2026", &arena, &t, &err), AT_OK);
    assert_string_equal(at_wf_terms_status(&t), "accepted");
    assert_string_equal(t.accepted_by, "rep");
    /* P-VP has no plan: nothing to accept */
    assert_int_equal(at_wf_accept(company, person("P-VP"), "2026", "vp", NULL, &err),
                     AT_ERR_CONFLICT);
    /* a change request instead */
    at_wf_change_request q = {.person_id = r1, .period = "2026", .kind = "quota",
                              .text = "lower it", .has_amount = true, .amount = money("8000")};
    int64_t id = 0;
    assert_int_equal(at_wf_request_raise(company, &q, "rep", &id, &err), AT_OK);
    q.kind = "wish";
    assert_int_equal(at_wf_request_raise(company, &q, "rep", NULL, &err), AT_ERR_INVALID);
    q.kind = "deal";
    q.deal = "TX-99";
    assert_int_equal(at_wf_request_raise(company, &q, "rep", NULL, &err), AT_ERR_INVALID);
    assert_int_equal(at_wf_terms_get(company, r1, "2026", &arena, &t, &err), AT_OK);
    assert_string_equal(at_wf_terms_status(&t), "change_requested");
    assert_int_equal(at_wf_request_resolve(company, id, person("P-X"), true, "x", "ops", &err),
                     AT_ERR_NOT_FOUND);
    assert_int_equal(at_wf_request_resolve(company, id, r1, true, "", "ops", &err),
                     AT_ERR_INVALID);
    assert_int_equal(at_wf_request_resolve(company, id, r1, true, "done", "ops", &err), AT_OK);
    assert_int_equal(at_wf_request_resolve(company, id, r1, false, "again", "ops", &err),
                     AT_ERR_CONFLICT);
    assert_int_equal(at_wf_terms_get(company, r1, "2026", &arena, &t, &err), AT_OK);
    assert_string_equal(at_wf_terms_status(&t), "accepted");
    /* the terms change (a quota re-imported): accepted earlier terms, not these */
    assert_int_equal(util_exec(company_path, "UPDATE quotas SET amount = 90000000 WHERE ext_id = "
                                             "'Q-1'"),
                     0);
    assert_int_equal(at_wf_terms_get(company, r1, "2026", &arena, &t, &err), AT_OK);
    assert_string_equal(at_wf_terms_status(&t), "changed");
    at_arena_free(&arena);
}

/* A database of schema version 2 gets version 5's tables (and the later ones). */
static void version_5_upgrades(void **state)
{
    (void)state;
    const char *src = getenv("ATTAIN_SOURCE_DIR");
    assert_non_null(src);
    char from[1024];
    snprintf(from, sizeof from, "%s/tests/data/attain-v2.db", src);
    char *path = util_db_path("v2-for-workflows");
    assert_int_equal(util_copy_file(from, path), 0);
    at_store *s = NULL;
    at_error err;
    assert_int_equal(at_store_open(path, NULL, &s, &err), AT_OK);
    assert_int_equal(at_store_upgraded_from(s), 2);
    assert_int_equal(at_wf_threshold_set(s, 5000000, "fin", NULL, &err), AT_OK);
    at_store_close(s);
    assert_int_equal(util_int(path, "SELECT max(version) FROM schema_version"), AT_STORE_SCHEMA_VERSION);
    assert_int_equal(util_int(path, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND "
                                    "name IN ('workflow_settings', 'adjustments', 'disputes', "
                                    "'dispute_messages', 'plan_changes', 'acceptances', "
                                    "'change_requests')"),
                     7);
    assert_int_equal(util_int(path, "SELECT count(*) FROM workflow_settings WHERE value = "
                                    "'500.00'"),
                     1);
    /* the CHECKs keep the states to theirs */
    assert_int_not_equal(util_exec(path, "INSERT INTO adjustments (person_id, month, amount, "
                                         "currency, reason, status, needs_approval, created_at, "
                                         "created_by) VALUES (1, '2026-01', 1, 'USD', 'r', "
                                         "'maybe', 0, 0, 't')"),
                         0);
    assert_int_not_equal(util_exec(path, "INSERT INTO disputes (person_id, month, line_key, "
                                         "comment, status, raised_at, raised_by, updated_at) "
                                         "VALUES (1, '2026-01', 'k', 'c', 'resolved', 0, 't', 0)"),
                         0);
    util_remove_db(path);
    free(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(threshold_and_segregation_of_duties),
        cmocka_unit_test(approved_adjustments_load_as_manual_lines),
        cmocka_unit_test(disputes_move_once_to_resolved),
        cmocka_unit_test(lists_keep_to_the_scope),
        cmocka_unit_test(plan_changes_need_someone_else),
        cmocka_unit_test(acceptance_and_change_requests),
        cmocka_unit_test(version_5_upgrades),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
