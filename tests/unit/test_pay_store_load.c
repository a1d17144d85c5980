/* test_pay_store_load.c - at_store_calc_load on a small company imported from CSV text
 * (test_pay_store_util.h): every array of the engine's input, dense indexes in internal id
 * order, transactions of a range through both read paths (a scan for a wide range, the date
 * index for a narrow one) with the originals of cancellations appended, activities through
 * their three read paths, the person filter for
 * statements, closed months and locked lines, and the errors. Expected values are read off
 * the CSV text by hand. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sqlite3.h>

#include "test_pay_store_util.h"

#define D pay_day

typedef struct loaded {
    at_arena arena;
    at_calc_input in;
    at_store_calc_data data;
} loaded;

static void load(at_store *s, at_day from, at_day to, const at_store_calc_load_options *opt,
                 loaded *l)
{
    at_arena_init(&l->arena, 0);
    at_error err;
    at_code rc = at_store_calc_load(s, from, to, opt, &l->arena, &l->in, &l->data, &err);
    if (rc != AT_OK)
        fail_msg("load: %s: %s", err.where, err.message);
}

static void unload(loaded *l)
{
    at_store_calc_data_free(&l->data);
    at_arena_free(&l->arena);
}

static const char *tx_list(const at_calc_input *in, char *buf, size_t size)
{
    buf[0] = '\0';
    for (size_t i = 0; i < in->transactions.count; i++) {
        strncat(buf, i ? " " : "", size - strlen(buf) - 1);
        strncat(buf, in->transactions.id[i], size - strlen(buf) - 1);
    }
    return buf;
}

static void every_array_of_a_wide_range(void **state)
{
    (void)state;
    char *path;
    at_store *s = pay_company(&path);
    loaded l;
    load(s, D(2025, 3, 1), D(2025, 5, 31), NULL, &l);
    const at_calc_input *in = &l.in;

    /* currencies: every code used, sorted */
    assert_int_equal(in->currency_count, 3);
    assert_string_equal(in->currencies[0], "EUR");
    assert_string_equal(in->currencies[1], "GBP");
    assert_string_equal(in->currencies[2], "USD");

    /* people in internal id order (file order) */
    assert_int_equal(in->person_count, 6);
    const char *ids[] = {"P-VP", "P-M1", "P-R1", "P-R2", "P-O1", "P-X"};
    for (size_t i = 0; i < 6; i++) {
        assert_string_equal(in->people[i].id, ids[i]);
        assert_int_equal(l.data.person_ids[i], (int64_t)i + 1);
        assert_int_equal(at_store_calc_person_index(&l.data, (int64_t)i + 1), (int32_t)i);
    }
    assert_int_equal(at_store_calc_person_index(&l.data, 7), -1);
    assert_string_equal(in->people[2].name, "Rita Rep");
    assert_int_equal(in->people[2].hire, D(2025, 3, 15));
    assert_int_equal(in->people[2].exit, AT_DAY_MAX);
    assert_int_equal(in->people[2].pay_currency, 0);
    assert_int_equal(in->people[3].hire, AT_DAY_MIN);
    assert_int_equal(in->people[3].exit, D(2025, 6, 30));
    assert_int_equal(in->people[3].pay_currency, 1);
    assert_int_equal(in->people[0].pay_currency, 2);

    /* reporting lines */
    assert_int_equal(in->reporting_line_count, 4);
    assert_int_equal(in->reporting_lines[0].person, 1);
    assert_int_equal(in->reporting_lines[0].manager, 0);
    assert_int_equal(in->reporting_lines[0].start, AT_DAY_MIN);
    assert_int_equal(in->reporting_lines[0].end, AT_DAY_MAX);
    assert_int_equal(in->reporting_lines[1].person, 2);
    assert_int_equal(in->reporting_lines[1].start, D(2025, 3, 15));
    assert_int_equal(in->reporting_lines[2].person, 3);
    assert_int_equal(in->reporting_lines[2].end, D(2025, 6, 30));
    assert_int_equal(in->reporting_lines[3].person, 5);

    /* leaves: start .. end, then one still open; an end without a start is nothing */
    assert_int_equal(in->leave_count, 2);
    assert_int_equal(in->leaves[0].person, 2);
    assert_int_equal(in->leaves[0].start, D(2025, 4, 1));
    assert_int_equal(in->leaves[0].end, D(2025, 4, 10));
    assert_int_equal(in->leaves[1].start, D(2025, 5, 1));
    assert_int_equal(in->leaves[1].end, AT_DAY_MAX);

    /* products, accounts, territories */
    assert_int_equal(in->product_count, 3);
    assert_string_equal(in->products[2].id, "PR-3");
    assert_string_equal(in->products[0].family, "GTX");
    assert_ptr_equal(in->products[0].family, in->products[1].family); /* interned */
    assert_string_equal(in->products[2].family, "SVC");
    assert_int_equal(in->account_count, 3);
    assert_int_equal(l.data.territory_count, 2);
    assert_int_equal(in->territory_account_count, 2);
    assert_int_equal(in->territory_accounts[1].territory, 1);
    assert_int_equal(in->territory_accounts[1].account, 1);
    assert_int_equal(in->territory_accounts[1].end, D(2025, 12, 31));
    assert_int_equal(in->territory_person_count, 2);
    assert_int_equal(in->territory_people[0].person, 4);
    assert_int_equal(in->territory_people[0].role, AT_COVER_OVERLAY);
    assert_int_equal(in->territory_people[1].person, 5);
    assert_int_equal(in->territory_people[1].role, AT_COVER_OWNER);

    /* transactions of March..May in id order, then TX-01, the original of TX-04 */
    char buf[256];
    assert_string_equal(tx_list(in, buf, sizeof buf), "TX-02 TX-03 TX-04 TX-05 TX-07 TX-01");
    const at_calc_transactions *t = &in->transactions;
    const int64_t tx_ids[] = {2, 3, 4, 5, 7, 1};
    for (size_t i = 0; i < 6; i++)
        assert_int_equal(l.data.transaction_ids[i], tx_ids[i]);
    assert_int_equal(at_store_calc_transaction_index(&l.data, 1), 5);
    assert_int_equal(at_store_calc_transaction_index(&l.data, 6), -1);
    assert_int_equal(t->type[0], AT_TX_BOOKING);
    assert_int_equal(t->date[0], D(2025, 3, 20));
    assert_int_equal(t->amount[0], 20005000);
    assert_int_equal(t->currency[0], 0);
    assert_int_equal(t->margin[0], 8002500);
    assert_int_equal(t->has_margin[0], 1);
    assert_int_equal(t->quantity[0], 3);
    assert_int_equal(t->product[0], 2);
    assert_int_equal(t->account[0], 0);
    assert_int_equal(t->owner[0], 2);
    assert_int_equal(t->original[0], -1);
    assert_int_equal(t->currency[1], 1);
    assert_int_equal(t->has_margin[1], 0);
    assert_int_equal(t->margin[1], 0);
    assert_int_equal(t->quantity[1], 0);
    assert_int_equal(t->product[1], -1);
    assert_int_equal(t->account[1], 1);
    assert_int_equal(t->owner[1], 3);
    assert_int_equal(t->type[2], AT_TX_CANCELLATION);
    assert_int_equal(t->amount[2], -5000000);
    assert_int_equal(t->original[2], 5);
    assert_int_equal(t->type[3], AT_TX_INVOICE);
    assert_int_equal(t->original[4], 0);
    assert_int_equal(t->date[5], D(2025, 1, 20));

    /* transaction people of the transactions loaded (TX-06's is not) */
    assert_int_equal(in->tx_person_count, 3);
    assert_int_equal(in->tx_people[0].transaction, 0);
    assert_int_equal(in->tx_people[0].person, 3);
    assert_int_equal(in->tx_people[0].role, AT_TX_ROLE_SPLIT);
    assert_int_equal(in->tx_people[0].share, 250000000);
    assert_int_equal(in->tx_people[1].role, AT_TX_ROLE_OVERLAY);
    assert_int_equal(in->tx_people[1].share, 1000000000);
    assert_int_equal(in->tx_people[2].transaction, 5);
    assert_int_equal(in->tx_people[2].person, 1);
    assert_int_equal(in->tx_people[2].role, AT_TX_ROLE_MANAGER);

    /* quotas of people (the territory's is not the engine's) */
    assert_int_equal(in->quota_count, 2);
    assert_int_equal(in->quotas[0].person, 2);
    assert_string_equal(in->quotas[0].measure, "bookings");
    assert_int_equal(in->quotas[0].kind, AT_PERIOD_QUARTER);
    assert_int_equal(in->quotas[0].fiscal_year, 2026);
    assert_int_equal(in->quotas[0].number, 1);
    assert_int_equal(in->quotas[0].amount, 100000000);
    assert_int_equal(in->quotas[0].currency, 0);
    assert_int_equal(in->quotas[1].kind, AT_PERIOD_MONTH);
    assert_int_equal(in->quotas[1].number, 2);
    assert_int_equal(in->quotas[1].amount, 30000); /* a count of 3 at 1e-4 */
    assert_int_equal(in->quotas[1].currency, -1);

    /* assignments */
    assert_int_equal(in->assignment_count, 3);
    assert_string_equal(in->assignments[0].id, "PA-1");
    assert_int_equal(in->assignments[0].person, 2);
    assert_string_equal(in->assignments[0].plan, "AE 2026");
    assert_ptr_equal(in->assignments[0].plan, in->assignments[1].plan);
    assert_int_equal(in->assignments[0].start, D(2025, 3, 15));
    assert_int_equal(in->assignments[0].end, AT_DAY_MAX);
    assert_int_equal(in->assignments[0].target_incentive, 600000000);
    assert_int_equal(in->assignments[0].currency, 0);
    assert_int_equal(in->assignments[1].end, D(2025, 6, 30));
    assert_int_equal(in->assignments[1].target_incentive, 0);
    assert_int_equal(in->assignments[1].currency, -1);
    assert_string_equal(in->assignments[2].plan, "SDR 2026");
    assert_int_equal(l.data.assignment_count, 3);

    /* metrics: a rate and a plain number, both at 1e-9 */
    assert_int_equal(in->metric_count, 2);
    assert_string_equal(in->metrics[0].metric, "avg_margin");
    assert_int_equal(in->metrics[0].kind, AT_PERIOD_QUARTER);
    assert_int_equal(in->metrics[0].value, 350000000);
    assert_int_equal(in->metrics[1].person, 3);
    assert_int_equal(in->metrics[1].kind, AT_PERIOD_MONTH);
    assert_int_equal(in->metrics[1].value, INT64_C(48210500000000));

    /* no activities unless asked */
    assert_int_equal(in->activity_count, 0);

    /* plans: every version of the plans assigned that were loaded (SDR 2026 never was) */
    assert_int_equal(l.data.plan_count, 2);
    assert_string_equal(l.data.plans[0].name, "AE 2026");
    assert_int_equal(l.data.plans[0].version, 1);
    assert_string_equal(l.data.plans[0].source, "v1");
    assert_int_equal(l.data.plans[1].version, 2);
    assert_int_equal(l.data.plans[1].effective_from, D(2025, 5, 1));
    assert_string_equal(l.data.plans[1].sha256, PAY_SHA2);
    assert_null(in->plans);

    /* the calendar: FY2025..FY2027 (a year around FY2026), fiscal months from February */
    assert_ptr_equal(in->calendar, &l.data.calendar);
    assert_int_equal(in->calendar->first_year, 2025);
    assert_int_equal(in->calendar->last_year, 2027);
    assert_int_equal(in->first_month, 13);
    assert_int_equal(in->last_month, 15);
    assert_string_equal(in->calendar->periods[AT_PERIOD_MONTH][13].label, "2026-02");
    assert_int_equal(in->calendar->periods[AT_PERIOD_MONTH][13].first, D(2025, 3, 1));
    assert_string_equal(in->calendar->periods[AT_PERIOD_MONTH][15].label, "2026-04");
    assert_int_equal(in->closed_month_count, 0);
    assert_int_equal(in->locked_count, 0);

    /* exchange rates */
    at_fx_quote q;
    at_error err;
    assert_ptr_equal(in->fx, &l.data.fx);
    assert_int_equal(at_fx_lookup(in->fx, AT_STR("GBP"), AT_STR("USD"), D(2025, 3, 1), &q, &err),
                     AT_OK);
    assert_int_equal(q.rate, 1250000000);
    assert_null(l.data.only_people);
    assert_true(l.data.seconds >= 0);
    unload(&l);
    at_store_close(s);
    util_remove_db(path);
    free(path);
}

static void a_narrow_range_goes_through_the_date_index(void **state)
{
    (void)state;
    char *path;
    at_store *s = pay_company(&path);
    loaded l;
    load(s, D(2025, 4, 1), D(2025, 4, 30), NULL, &l);
    char buf[256];
    /* April, then the originals of TX-04 and TX-07 in id order */
    assert_string_equal(tx_list(&l.in, buf, sizeof buf), "TX-03 TX-04 TX-07 TX-01 TX-02");
    assert_int_equal(l.in.transactions.original[1], 3);
    assert_int_equal(l.in.transactions.original[2], 4);
    assert_int_equal(l.in.tx_person_count, 3);
    assert_int_equal(l.in.tx_people[0].transaction, 4);
    assert_int_equal(l.in.tx_people[0].person, 3);
    assert_int_equal(l.in.tx_people[2].transaction, 3);
    assert_int_equal(l.in.first_month, 14);
    assert_int_equal(l.in.last_month, 14);
    unload(&l);

    /* a range with no transactions at all */
    load(s, D(2030, 1, 1), D(2030, 1, 31), NULL, &l);
    assert_int_equal(l.in.transactions.count, 0);
    assert_int_equal(l.in.tx_person_count, 0);
    assert_int_equal(l.in.person_count, 6);
    assert_int_equal(l.in.calendar->first_year, 2029); /* January 2030 is in FY2030 */
    unload(&l);
    at_store_close(s);
    util_remove_db(path);
    free(path);
}

static void activities_when_asked(void **state)
{
    (void)state;
    char *path;
    at_store *s = pay_company(&path);
    loaded l;
    at_store_calc_load_options opt = {.activities = true};
    load(s, D(2025, 3, 1), D(2025, 5, 31), &opt, &l);
    /* ACT-2 is the second before the range starts; ACT-3 its last second */
    assert_int_equal(l.in.activity_count, 2);
    assert_int_equal(l.in.activities[0].person, 2);
    assert_int_equal(l.in.activities[0].type, 2); /* meeting */
    assert_int_equal(l.in.activities[0].meaningful, 1);
    assert_int_equal(l.in.activities[0].day, D(2025, 3, 2));
    assert_int_equal(l.in.activities[1].person, 5);
    assert_int_equal(l.in.activities[1].type, 3); /* conversation */
    assert_int_equal(l.in.activities[1].day, D(2025, 5, 31));
    unload(&l);
    at_store_close(s);
    util_remove_db(path);
    free(path);
}

/* 40 more activities (ids 4..43): every fourth on 1, 2 ... 10 April 2025 (ids 4, 8 ... 40),
 * the others in 2023. March to May 2025 then holds 12 rows spread over ids 1..40: more than an
 * eighth of the table, not a dense id range (the whole table read in id order); 1-2 April holds
 * 2 rows, ids 4 and 8: few and not dense (the time index). */
static void activities_through_every_read_path(void **state)
{
    (void)state;
    char *path;
    at_store *s = pay_company(&path);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db,
                                  "WITH RECURSIVE k(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM k "
                                  "WHERE n < 39) INSERT INTO activities (ext_id, type, "
                                  "occurred_at, person_id, meaningful) SELECT 'X-' || n, "
                                  "'email', CASE WHEN n % 4 = 0 THEN 1743465600 + (n / 4) * "
                                  "86400 + 3600 ELSE 1672531200 + n * 86400 END, (SELECT id "
                                  "FROM people WHERE ext_id = 'P-R1'), 0 FROM k",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    loaded l;
    at_store_calc_load_options opt = {.activities = true};
    load(s, D(2025, 3, 1), D(2025, 5, 31), &opt, &l);
    assert_int_equal(l.in.activity_count, 12);
    assert_int_equal(l.in.activities[0].day, D(2025, 3, 2));  /* ACT-1, id 1 */
    assert_int_equal(l.in.activities[1].day, D(2025, 5, 31)); /* ACT-3, id 3 */
    assert_int_equal(l.in.activities[1].person, 5);
    for (int i = 0; i < 10; i++) { /* ... X-36 */
        assert_int_equal(l.in.activities[2 + i].day, D(2025, 4, 1 + i));
        assert_int_equal(l.in.activities[2 + i].person, 2);
        assert_int_equal(l.in.activities[2 + i].type, 1); /* email */
        assert_int_equal(l.in.activities[2 + i].meaningful, 0);
    }
    unload(&l);
    load(s, D(2025, 4, 1), D(2025, 4, 2), &opt, &l);
    assert_int_equal(l.in.activity_count, 2);
    assert_int_equal(l.in.activities[0].day, D(2025, 4, 1));
    assert_int_equal(l.in.activities[1].day, D(2025, 4, 2));
    unload(&l);
    load(s, D(2024, 1, 1), D(2024, 1, 31), &opt, &l); /* none */
    assert_int_equal(l.in.activity_count, 0);
    unload(&l);
    at_store_close(s);
    util_remove_db(path);
    free(path);
}

static void only_what_some_people_need(void **state)
{
    (void)state;
    char *path;
    at_store *s = pay_company(&path);
    loaded l;
    char buf[256];
    /* a manager: her reports' transactions (owned or named), and what names her */
    const char *manager[] = {"P-M1"};
    at_store_calc_load_options opt = {.people = manager, .person_count = 1};
    load(s, D(2025, 3, 1), D(2025, 5, 31), &opt, &l);
    assert_string_equal(tx_list(&l.in, buf, sizeof buf), "TX-02 TX-03 TX-04 TX-07 TX-01");
    assert_int_equal(l.in.person_count, 6);
    assert_int_equal(l.data.only_people_count, 1);
    assert_int_equal(l.data.only_people[0], 1);
    unload(&l);

    /* an overlay covering TER-1: the transactions on its account A-1, and the one naming her */
    const char *overlay[] = {"P-O1", "P-O1"};
    opt = (at_store_calc_load_options){.people = overlay, .person_count = 2};
    load(s, D(2025, 3, 1), D(2025, 5, 31), &opt, &l);
    assert_string_equal(tx_list(&l.in, buf, sizeof buf), "TX-02 TX-04 TX-07 TX-01");
    assert_int_equal(l.data.only_people_count, 1); /* named twice, listed once */
    assert_int_equal(l.data.only_people[0], 4);
    unload(&l);

    /* two people, sorted */
    const char *two[] = {"P-X", "P-R2"};
    opt = (at_store_calc_load_options){.people = two, .person_count = 2};
    load(s, D(2025, 3, 1), D(2025, 5, 31), &opt, &l);
    /* TX-07 cancels TX-02, which credits P-R2: its reversal is hers too */
    assert_string_equal(tx_list(&l.in, buf, sizeof buf), "TX-02 TX-03 TX-04 TX-05 TX-07 TX-01");
    assert_int_equal(l.data.only_people_count, 2);
    assert_int_equal(l.data.only_people[0], 3);
    assert_int_equal(l.data.only_people[1], 5);
    unload(&l);

    const char *nobody[] = {"P-NOPE"};
    opt = (at_store_calc_load_options){.people = nobody, .person_count = 1};
    at_arena_init(&l.arena, 0);
    at_error err;
    assert_int_equal(at_store_calc_load(s, D(2025, 3, 1), D(2025, 5, 31), &opt, &l.arena, &l.in,
                                        &l.data, &err),
                     AT_ERR_NOT_FOUND);
    assert_string_equal(err.message, "there is no person 'P-NOPE'");
    assert_int_equal(l.in.person_count, 0);
    assert_null(l.data.index);
    at_arena_free(&l.arena);
    at_store_close(s);
    util_remove_db(path);
    free(path);
}

static void closed_months_and_locked_lines(void **state)
{
    (void)state;
    char *path;
    at_store *s = pay_company(&path);
    assert_int_equal(
        util_exec(path,
                  "INSERT INTO calc_runs (id, period, first_month, last_month, started_at, "
                  "status, actor, input_sha256) VALUES (1, '2026-Q1', '2026-01', '2026-03', 0, "
                  "'done', 'ana', '" PAY_SHA1 "');"
                  "INSERT INTO closed_periods VALUES ('2026-01', 0, 'ana', 1, NULL), "
                  "('2026-02', 0, 'ana', 1, NULL), ('2023-01', 0, 'ana', 1, NULL);"
                  "INSERT INTO closed_lines VALUES "
                  "('2026-02', 3, 'AE 2026/commission', 12345, 'EUR'), "
                  "('2026-01', 4, 'AE 2026/commission', 500, 'GBP'), "
                  "('2023-01', 3, 'AE 2026/commission', 9, 'EUR')"),
        SQLITE_OK);
    loaded l;
    load(s, D(2025, 3, 1), D(2025, 5, 31), NULL, &l);
    /* 2023-01 is before the calendar's first year (FY2025) */
    assert_int_equal(l.in.closed_month_count, 2);
    assert_int_equal(l.in.closed_months[0], 12);
    assert_int_equal(l.in.closed_months[1], 13);
    assert_int_equal(l.in.locked_count, 2);
    assert_int_equal(l.in.locked[0].month, 12);
    assert_int_equal(l.in.locked[0].person, 3);
    assert_int_equal(l.in.locked[0].amount, 500);
    assert_string_equal(l.in.locked[0].key, "AE 2026/commission");
    assert_ptr_equal(l.in.locked[0].key, l.in.locked[1].key);
    assert_int_equal(l.in.locked[1].month, 13);
    assert_int_equal(l.in.locked[1].person, 2);
    assert_int_equal(l.in.locked[1].amount, 12345);
    unload(&l);
    at_store_close(s);
    util_remove_db(path);
    free(path);
}

static void errors(void **state)
{
    (void)state;
    char *path;
    at_store *s = pay_company(&path);
    loaded l;
    at_arena_init(&l.arena, 0);
    at_error err;
    assert_int_equal(at_store_calc_load(s, D(2025, 3, 2), D(2025, 3, 1), NULL, &l.arena, &l.in,
                                        &l.data, &err),
                     AT_ERR_INVALID);
    assert_string_equal(err.message, "the days to load end before they start");
    /* a calendar setting broken behind the importer's back */
    assert_int_equal(util_exec(path, "UPDATE settings SET value = '13' WHERE key = "
                                     "'fiscal_year_start_month'"),
                     SQLITE_OK);
    assert_int_equal(at_store_calc_load(s, D(2025, 3, 1), D(2025, 3, 31), NULL, &l.arena, &l.in,
                                        &l.data, &err),
                     AT_ERR_INVALID);
    assert_non_null(strstr(err.where, "settings.csv"));
    assert_non_null(strstr(err.message, "13"));
    assert_null(l.data.index);
    at_fiscal_table table;
    assert_int_equal(at_store_fiscal_table(s, 2026, 2026, &table, &err), AT_ERR_INVALID);
    assert_int_equal(util_exec(path, "UPDATE settings SET value = 'feb' WHERE key = "
                                     "'fiscal_year_start_month'"),
                     SQLITE_OK);
    assert_int_equal(at_store_fiscal_table(s, 2026, 2026, &table, &err), AT_OK);
    assert_string_equal(table.periods[AT_PERIOD_MONTH][0].label, "2026-01");
    assert_int_equal(table.periods[AT_PERIOD_MONTH][0].first, D(2025, 2, 1));
    at_fiscal_table_free(&table);
    /* a transaction whose currency is not a code (written behind the importer's back) */
    assert_int_equal(util_exec(path, "UPDATE transactions SET currency = 'EURO' WHERE ext_id = "
                                     "'TX-03'"),
                     SQLITE_OK);
    assert_int_equal(at_store_calc_load(s, D(2025, 3, 1), D(2025, 5, 31), NULL, &l.arena, &l.in,
                                        &l.data, &err),
                     AT_ERR_STORE);
    assert_string_equal(err.message, "transactions holds a currency that is not a 3-letter code");
    at_arena_free(&l.arena);
    at_store_close(s);
    util_remove_db(path);
    free(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_array_of_a_wide_range),
        cmocka_unit_test(a_narrow_range_goes_through_the_date_index),
        cmocka_unit_test(activities_when_asked),
        cmocka_unit_test(activities_through_every_read_path),
        cmocka_unit_test(only_what_some_people_need),
        cmocka_unit_test(closed_months_and_locked_lines),
        cmocka_unit_test(errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
