/* test_model_rules.c - every row rule of rules.c both ways (a row that keeps it, a row that
 * breaks it, with the column and message people see), and the checks across rows of checks.c
 * with small hand-made lookups. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/date.h"
#include "core/error.h"
#include "core/money.h"
#include "core/str.h"
#include "model/checks.h"
#include "model/entity.h"
#include "model/fields.h"

static at_arena arena;
static at_error e;

static int setup(void **state)
{
    (void)state;
    at_arena_init(&arena, 0);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    at_arena_free(&arena);
    return 0;
}

#define assert_contains(hay, needle)                                                            \
    do {                                                                                        \
        if (!strstr((hay), (needle)))                                                           \
            fail_msg("'%s' does not contain '%s'", (hay), (needle));                            \
    } while (0)

/* A row of entity from "column", "text" pairs (NULL-terminated); the other columns are parsed
 * from empty text, so defaults apply. */
static at_row make_row(const char *entity, const char *const *cells)
{
    const at_entity *ent = at_entity_find(at_str_from(entity));
    assert_non_null(ent);
    at_row row = {ent, at_arena_calloc(&arena, ent->field_count, sizeof(at_value))};
    assert_non_null(row.values);
    for (size_t f = 0; f < ent->field_count; f++) {
        const char *text = "";
        for (size_t i = 0; cells[i]; i += 2)
            if (strcmp(cells[i], ent->fields[f].name) == 0)
                text = cells[i + 1];
        at_field copy = ent->fields[f];
        copy.required = false; /* rows here may leave required columns out */
        if (at_field_parse(&copy, at_str_from(text), &arena, &row.values[f], &e) != AT_OK)
            fail_msg("%s.%s '%s' does not parse: %s", entity, copy.name, text, e.message);
    }
    for (size_t i = 0; cells[i]; i += 2)
        if (at_entity_field_index(ent, at_str_from(cells[i])) < 0)
            fail_msg("%s has no column %s", entity, cells[i]);
    return row;
}

#define ROW(entity, ...) make_row((entity), (const char *const[]){__VA_ARGS__, NULL})

static void keeps(at_row row)
{
    at_error_clear(&e);
    at_code c = row.entity->rule(&row, &e);
    if (c != AT_OK)
        fail_msg("%s: expected the row to keep the rules, got: %s (%s)", row.entity->name,
                 e.message, e.where);
}

static void breaks(at_row row, const char *column, const char *message)
{
    at_error_clear(&e);
    at_code c = row.entity->rule(&row, &e);
    if (c == AT_OK)
        fail_msg("%s: expected '%s', the row passed", row.entity->name, message);
    assert_int_equal(c, AT_ERR_INVALID);
    char where[128];
    snprintf(where, sizeof where, "column %s", column);
    assert_string_equal(e.where, where);
    assert_contains(e.message, message);
    assert_true(e.hint[0] != '\0');
}

/* ---- row rules ---------------------------------------------------------------------------- */

static void entities_without_row_rules(void **state)
{
    (void)state;
    static const char *const none[] = {"products",     "stages",    "opportunity_products",
                                       "stage_history", "activities", "scorecard_templates",
                                       "transaction_people"};
    for (size_t i = 0; i < sizeof none / sizeof none[0]; i++)
        assert_null(at_entity_find(at_str_from(none[i]))->rule);
}

static void settings(void **state)
{
    (void)state;
    keeps(ROW("settings", "key", "company_name", "value", "Acme"));
    keeps(ROW("settings", "key", "base_currency", "value", "EUR"));
    keeps(ROW("settings", "key", "fiscal_year_start_month", "value", "feb"));
    keeps(ROW("settings", "key", "fiscal_calendar", "value", "4-4-5"));
    breaks(ROW("settings", "key", "Base_Currency", "value", "EUR"), "key",
           "key 'Base_Currency' is not a known setting");
    assert_string_equal(e.hint, "did you mean 'base_currency'? keys are written in lower case");
    breaks(ROW("settings", "key", "colour", "value", "red"), "key", "not a known setting");
    assert_contains(e.hint, "write one of: company_name, base_currency, fiscal_year_start_month");
    breaks(ROW("settings", "key", "base_currency", "value", "usd"), "value",
           "value for base_currency: ");
    breaks(ROW("settings", "key", "base_currency", "value", "ABC"), "value",
           "value for base_currency: "); /* unknown to ISO: still AT_ERR_INVALID */
    breaks(ROW("settings", "key", "fiscal_year_start_month", "value", "13"), "value",
           "value for fiscal_year_start_month: ");
    breaks(ROW("settings", "key", "fiscal_calendar", "value", "weekly"), "value",
           "value for fiscal_calendar: ");
}

static void exchange_rates(void **state)
{
    (void)state;
    keeps(ROW("exchange_rates", "from_currency", "EUR", "to_currency", "USD"));
    breaks(ROW("exchange_rates", "from_currency", "USD", "to_currency", "USD"), "to_currency",
           "from_currency and to_currency are both USD");
}

static void teams_and_people(void **state)
{
    (void)state;
    keeps(ROW("teams", "id", "T-1", "parent_id", "T-0"));
    keeps(ROW("teams", "id", "T-1"));
    breaks(ROW("teams", "id", "T-1", "parent_id", "T-1"), "parent_id",
           "parent_id 'T-1' names the team itself");
    keeps(ROW("people", "hire_date", "2021-03-01", "exit_date", "2021-03-01"));
    keeps(ROW("people", "exit_date", "2021-03-01"));
    keeps(ROW("people", "hire_date", "2021-03-01"));
    breaks(ROW("people", "hire_date", "2021-03-01", "exit_date", "2021-02-28"), "exit_date",
           "exit_date 2021-02-28 is before hire_date 2021-03-01");
    keeps(ROW("people", "country", "US"));
    breaks(ROW("people", "country", "us"), "country",
           "country 'us' is not two upper-case letters (ISO 3166 alpha-2)");
    assert_string_equal(e.hint, "write it in upper case: US");
    breaks(ROW("people", "country", "U1"), "country", "not two upper-case letters");
    breaks(ROW("people", "country", "\xC3\x9C"), "country", "not two upper-case letters");
    assert_contains(e.hint, "ISO 3166 alpha-2 code");
}

static void reporting_lines(void **state)
{
    (void)state;
    keeps(ROW("reporting_lines", "person_id", "P-1", "manager_id", "P-2"));
    keeps(ROW("reporting_lines", "person_id", "P-1", "manager_id", "P-2", "end_date",
              "2020-01-01"));
    breaks(ROW("reporting_lines", "person_id", "P-1", "manager_id", "P-1"), "manager_id",
           "manager_id 'P-1' is the person themself");
    breaks(ROW("reporting_lines", "person_id", "P-1", "manager_id", "P-2", "start_date",
               "2024-05-01", "end_date", "2024-04-30"),
           "end_date", "end_date 2024-04-30 is before start_date 2024-05-01");
}

static void territories(void **state)
{
    (void)state;
    keeps(ROW("territories", "id", "T", "potential", "100", "currency", "USD"));
    keeps(ROW("territories", "id", "T"));
    breaks(ROW("territories", "id", "T", "potential", "100"), "currency",
           "currency is empty but potential is given");
    breaks(ROW("territories", "id", "T", "parent_id", "T"), "parent_id",
           "names the territory itself");
    keeps(ROW("territory_accounts", "start_date", "2025-01-01", "end_date", "2025-01-01"));
    keeps(ROW("territory_accounts", "end_date", "2025-01-01")); /* since the beginning */
    breaks(ROW("territory_accounts", "start_date", "2025-01-02", "end_date", "2025-01-01"),
           "end_date", "end_date 2025-01-01 is before start_date 2025-01-02");
    keeps(ROW("territory_people", "start_date", "2025-01-01", "end_date", "2025-12-31"));
    breaks(ROW("territory_people", "start_date", "2025-01-01", "end_date", "2024-12-31"),
           "end_date", "is before start_date");
}

static void territory_rules(void **state)
{
    (void)state;
    keeps(ROW("territory_rules", "field", "state", "operator", "in", "value", "CA|OR|WA"));
    keeps(ROW("territory_rules", "field", "state", "operator", "in", "value", "CA"));
    keeps(ROW("territory_rules", "field", "country", "operator", "eq", "value", "US"));
    keeps(ROW("territory_rules", "field", "employees", "operator", "between", "value",
              "100|999"));
    keeps(ROW("territory_rules", "field", "employees", "operator", "ge", "value", "1000"));
    keeps(ROW("territory_rules", "field", "revenue_band", "operator", "between", "value",
              "1m_10m|250m_1b"));
    keeps(ROW("territory_rules", "field", "revenue_band", "operator", "in", "value",
              "under_1m|over_1b"));
    breaks(ROW("territory_rules", "field", "state", "operator", "between", "value", "A|B"),
           "operator", "operator between does not apply to field state");
    breaks(ROW("territory_rules", "field", "employees", "operator", "between", "value",
               "999|100"),
           "value", "value '999|100' has its ends the wrong way round");
    breaks(ROW("territory_rules", "field", "employees", "operator", "between", "value", "100"),
           "value", "value '100' for between has 1 parts; it needs exactly 2");
    breaks(ROW("territory_rules", "field", "employees", "operator", "between", "value",
               "1|2|3"),
           "value", "has 3 parts");
    breaks(ROW("territory_rules", "field", "employees", "operator", "ge", "value", "1k"),
           "value", "value '1k': part 1 is not a whole number");
    breaks(ROW("territory_rules", "field", "revenue_band", "operator", "in", "value",
               "1m_10m|huge"),
           "value", "value '1m_10m|huge': part 2 is not a revenue band");
    breaks(ROW("territory_rules", "field", "revenue_band", "operator", "between", "value",
               "250m_1b|1m_10m"),
           "value", "the wrong way round");
    breaks(ROW("territory_rules", "field", "state", "operator", "eq", "value", "CA|OR"), "value",
           "value 'CA|OR' for eq has 2 parts; it takes one value");
    breaks(ROW("territory_rules", "field", "state", "operator", "in", "value", "CA||WA"),
           "value", "value 'CA||WA' has an empty part");
    breaks(ROW("territory_rules", "field", "state", "operator", "in", "value", "CA|"), "value",
           "has an empty part");
    breaks(ROW("territory_rules", "field", "state", "operator", "in", "value", "|CA"), "value",
           "has an empty part");
}

static void accounts(void **state)
{
    (void)state;
    keeps(ROW("accounts", "id", "A", "annual_revenue", "5", "potential", "1", "currency", "USD",
              "latitude", "1", "longitude", "2", "country", "DE", "parent_id", "B"));
    breaks(ROW("accounts", "id", "A", "annual_revenue", "5"), "currency",
           "currency is empty but annual_revenue is given");
    breaks(ROW("accounts", "id", "A", "potential", "5"), "currency",
           "currency is empty but potential is given");
    breaks(ROW("accounts", "id", "A", "latitude", "1"), "longitude",
           "latitude is given without longitude");
    breaks(ROW("accounts", "id", "A", "longitude", "1"), "latitude",
           "longitude is given without latitude");
    breaks(ROW("accounts", "id", "A", "country", "de"), "country", "not two upper-case");
    breaks(ROW("accounts", "id", "A", "parent_id", "A"), "parent_id",
           "parent_id 'A' names the account itself");
}

static void leads_and_handoffs(void **state)
{
    (void)state;
    keeps(ROW("leads", "status", "converted", "created_at", "2025-03-01T00:00:00Z",
              "converted_at", "2025-03-01T00:00:00Z"));
    keeps(ROW("leads", "status", "working", "created_at", "2025-03-01T00:00:00Z"));
    breaks(ROW("leads", "status", "converted", "created_at", "2025-03-01T00:00:00Z"),
           "converted_at", "converted_at is empty but status is converted");
    breaks(ROW("leads", "status", "converted", "created_at", "2025-03-01T00:00:00Z",
               "converted_at", "2025-02-28T23:59:59Z"),
           "converted_at",
           "converted_at 2025-02-28T23:59:59Z is before created_at 2025-03-01T00:00:00Z");
    keeps(ROW("handoffs", "status", "accepted", "handed_off_at", "2025-03-10T09:00:00Z",
              "accepted_at", "2025-03-10T13:30:00Z"));
    keeps(ROW("handoffs", "status", "pending", "handed_off_at", "2025-03-10T09:00:00Z"));
    keeps(ROW("handoffs", "status", "rejected", "handed_off_at", "2025-03-10T09:00:00Z"));
    breaks(ROW("handoffs", "status", "pending", "handed_off_at", "2025-03-10T09:00:00Z",
               "accepted_at", "2025-03-10T13:30:00Z"),
           "accepted_at", "accepted_at is given but status is pending");
    breaks(ROW("handoffs", "status", "accepted", "handed_off_at", "2025-03-10T09:00:00Z",
               "accepted_at", "2025-03-10T08:00:00Z"),
           "accepted_at", "accepted_at 2025-03-10T08:00:00Z is before handed_off_at");
}

static void opportunities(void **state)
{
    (void)state;
    keeps(ROW("opportunities", "status", "open", "amount", "10", "currency", "USD"));
    keeps(ROW("opportunities", "status", "won", "created_on", "2025-01-01", "closed_on",
              "2025-01-01"));
    keeps(ROW("opportunities", "status", "lost", "closed_on", "2025-01-01"));
    breaks(ROW("opportunities", "status", "won"), "closed_on",
           "closed_on is empty but status is won");
    breaks(ROW("opportunities", "status", "lost"), "closed_on",
           "closed_on is empty but status is lost");
    breaks(ROW("opportunities", "status", "open", "closed_on", "2025-01-01"), "closed_on",
           "closed_on is given but status is open");
    breaks(ROW("opportunities", "status", "won", "created_on", "2025-01-02", "closed_on",
               "2025-01-01"),
           "closed_on", "closed_on 2025-01-01 is before created_on 2025-01-02");
    breaks(ROW("opportunities", "status", "open", "amount", "10"), "currency",
           "currency is empty but amount is given");
    breaks(ROW("opportunities", "status", "open", "rep_commit_amount", "10"), "currency",
           "currency is empty but rep_commit_amount is given");
}

static void scorecards(void **state)
{
    (void)state;
    keeps(ROW("scorecard_points", "type", "choice", "choices", "low|medium|high"));
    keeps(ROW("scorecard_points", "type", "choice", "choices", "only"));
    keeps(ROW("scorecard_points", "type", "yes_no"));
    breaks(ROW("scorecard_points", "type", "choice"), "choices",
           "choices is empty but type is choice");
    breaks(ROW("scorecard_points", "type", "number", "choices", "a|b"), "choices",
           "choices is given but type is number");
    breaks(ROW("scorecard_points", "type", "choice", "choices", "a||b"), "choices",
           "choices 'a||b' has an empty answer");
    breaks(ROW("scorecard_points", "type", "choice", "choices", "a|"), "choices",
           "has an empty answer");
    breaks(ROW("scorecard_points", "type", "choice", "choices", "a|b|a"), "choices",
           "choices 'a|b|a' lists 'a' twice");
    breaks(ROW("scorecard_points", "type", "choice", "choices", "lo|hi|hi"), "choices",
           "lists 'hi' twice");
    keeps(ROW("scorecard_points", "type", "choice", "choices", "a|ab|b"));
    keeps(ROW("scorecard_responses", "lead_id", "L-1"));
    keeps(ROW("scorecard_responses", "opportunity_id", "O-1"));
    breaks(ROW("scorecard_responses", "lead_id", "L-1", "opportunity_id", "O-1"),
           "opportunity_id", "both lead_id and opportunity_id are given");
    breaks(ROW("scorecard_responses", "value", "yes"), "lead_id",
           "neither lead_id nor opportunity_id is given");
}

static void transactions(void **state)
{
    (void)state;
    keeps(ROW("transactions", "id", "TX-2", "type", "cancellation", "amount", "-5",
              "original_id", "TX-1"));
    keeps(ROW("transactions", "id", "TX-1", "type", "booking", "amount", "5"));
    keeps(ROW("transactions", "id", "TX-1", "type", "booking", "amount", "-5"));
    breaks(ROW("transactions", "id", "TX-2", "type", "cancellation", "amount", "-5"),
           "original_id", "original_id is empty but type is cancellation");
    breaks(ROW("transactions", "id", "TX-2", "type", "invoice", "amount", "5", "original_id",
               "TX-1"),
           "original_id", "original_id is given but type is invoice");
    breaks(ROW("transactions", "id", "TX-2", "type", "cancellation", "amount", "-5",
               "original_id", "TX-2"),
           "original_id", "original_id 'TX-2' names the transaction itself");
    breaks(ROW("transactions", "id", "TX-2", "type", "cancellation", "amount", "5",
               "original_id", "TX-1"),
           "amount", "amount 5.00 of a cancellation is not negative");
    breaks(ROW("transactions", "id", "TX-2", "type", "cancellation", "amount", "0",
               "original_id", "TX-1"),
           "amount", "amount 0.00 of a cancellation is not negative");
}

static void quotas(void **state)
{
    (void)state;
    keeps(ROW("quotas", "person_id", "P-1", "measure", "bookings", "amount", "250000.50",
              "currency", "USD"));
    keeps(ROW("quotas", "territory_id", "T-1", "measure", "meetings", "amount", "12"));
    keeps(ROW("quotas", "person_id", "P-1", "measure", "acv", "amount", "0.5", "currency",
              "EUR"));
    breaks(ROW("quotas", "person_id", "P-1", "territory_id", "T-1", "measure", "meetings",
               "amount", "1"),
           "territory_id", "both person_id and territory_id are given");
    breaks(ROW("quotas", "measure", "meetings", "amount", "1"), "person_id",
           "neither person_id nor territory_id is given");
    breaks(ROW("quotas", "person_id", "P-1", "measure", "margin", "amount", "1"), "currency",
           "currency is empty but measure margin is an amount of money");
    breaks(ROW("quotas", "person_id", "P-1", "measure", "revenue", "amount", "1"), "currency",
           "measure revenue");
    breaks(ROW("quotas", "person_id", "P-1", "measure", "new_logos", "amount", "12.5"),
           "amount", "amount 12.50 of measure new_logos is not a whole number");
}

static void plan_assignments(void **state)
{
    (void)state;
    keeps(ROW("plan_assignments", "start_date", "2026-01-01", "end_date", "2026-12-31",
              "target_incentive", "80000", "currency", "USD", "pay_mix", "60/40"));
    keeps(ROW("plan_assignments", "start_date", "2026-01-01", "pay_mix", "100/0"));
    breaks(ROW("plan_assignments", "start_date", "2026-01-01", "end_date", "2025-12-31"),
           "end_date", "end_date 2025-12-31 is before start_date 2026-01-01");
    breaks(ROW("plan_assignments", "start_date", "2026-01-01", "target_incentive", "1"),
           "currency", "currency is empty but target_incentive is given");
    breaks(ROW("plan_assignments", "pay_mix", "60/50"), "pay_mix",
           "pay_mix '60/50' adds up to 110, not 100");
    static const char *const bad[] = {"60-40", "/40", "60/", "60%/40%", "sixty/forty", "6 0/40"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        breaks(ROW("plan_assignments", "pay_mix", bad[i]), "pay_mix",
               "is not two whole numbers separated by /");
}

static void employment_and_surveys(void **state)
{
    (void)state;
    keeps(ROW("employment_events", "type", "exit", "exit_kind", "voluntary"));
    keeps(ROW("employment_events", "type", "hire"));
    breaks(ROW("employment_events", "type", "exit"), "exit_kind",
           "exit_kind is empty but type is exit");
    breaks(ROW("employment_events", "type", "transfer", "exit_kind", "involuntary"), "exit_kind",
           "exit_kind is given but type is transfer");
    keeps(ROW("survey_responses", "enps", "0"));
    keeps(ROW("survey_responses", "satisfaction", "5"));
    keeps(ROW("survey_responses", "engagement", "1"));
    breaks(ROW("survey_responses", "comment", "hi"), "enps",
           "enps, satisfaction and engagement are all empty");
}

/* A rule sees rows whose required cells failed to parse: it checks what is there. */
static void rules_skip_what_is_missing(void **state)
{
    (void)state;
    keeps(ROW("settings", "value", "x"));
    keeps(ROW("settings", "key", "company_name"));
    keeps(ROW("territory_rules", "field", "employees", "operator", "between"));
    keeps(ROW("scorecard_points", "choices", "a|b"));
    keeps(ROW("plan_assignments", "start_date", "2026-01-01"));
    keeps(ROW("employment_events", "exit_kind", "voluntary"));
    keeps(ROW("transactions", "id", "TX-1", "original_id", "TX-0"));
}

/* ---- spans -------------------------------------------------------------------------------- */

static at_day D(const char *text)
{
    at_day d;
    assert_int_equal(at_day_parse(at_str_from(text), &d, NULL), AT_OK);
    return d;
}

static void spans_overlap_per_owner(void **state)
{
    (void)state;
    at_span spans[] = {
        {AT_STR("P-2"), D("2024-01-01"), AT_DAY_MAX, "f:5"},
        {AT_STR("P-1"), D("2024-06-01"), AT_DAY_MAX, "f:9"},
        {AT_STR("P-2"), AT_DAY_MIN, D("2023-12-31"), "f:4"}, /* adjacent: fine */
        {AT_STR("P-1"), D("2024-01-01"), D("2024-12-31"), "f:3"},
        {AT_STR("P-3"), D("2024-01-01"), D("2024-01-31"), "f:7"},
        {AT_STR("P-3"), D("2024-01-01"), D("2024-03-31"), "f:8"},
    };
    at_error_list list;
    at_error_list_init(&list, 10);
    size_t found = 99;
    assert_int_equal(at_check_spans_disjoint(spans, 6, "reporting lines", "person_id", &list,
                                             &found),
                     AT_OK);
    assert_int_equal(found, 2);
    assert_int_equal(list.count, 2);
    assert_int_equal(list.items[0].code, AT_ERR_CONFLICT);
    assert_string_equal(list.items[0].where, "f:9");
    assert_string_equal(list.items[0].message,
                        "reporting lines of person_id P-1 overlap: 2024-01-01..2024-12-31 (f:3) "
                        "and 2024-06-01..(open) (f:9)");
    assert_string_equal(list.items[0].hint, "end the earlier one on 2024-05-31, the day before "
                                            "the later one starts, or correct the dates");
    assert_string_equal(list.items[1].where, "f:8");
    assert_contains(list.items[1].message, "P-3 overlap: 2024-01-01..2024-01-31 (f:7) and "
                                           "2024-01-01..2024-03-31 (f:8)");
    assert_contains(list.items[1].hint, "start on the same day");
    at_error_list_free(&list);
}

static void a_long_span_overlaps_every_later_one(void **state)
{
    (void)state;
    at_span spans[] = {
        {AT_STR("A-1"), D("2022-01-01"), D("2022-12-31"), "c"},
        {AT_STR("A-1"), D("2021-01-01"), D("2021-12-31"), "b"},
        {AT_STR("A-1"), AT_DAY_MIN, D("2030-12-31"), "a"},
        {AT_STR("A-1"), D("2031-01-01"), AT_DAY_MAX, "d"},
    };
    at_error_list list;
    at_error_list_init(&list, 10);
    size_t found = 0;
    assert_int_equal(at_check_spans_disjoint(spans, 4, "assignments", "account_id", &list,
                                             &found),
                     AT_OK);
    assert_int_equal(found, 2);
    assert_string_equal(list.items[0].message, "assignments of account_id A-1 overlap: "
                                               "(beginning)..2030-12-31 (a) and "
                                               "2021-01-01..2021-12-31 (b)");
    assert_string_equal(list.items[1].where, "c");
    at_error_list_free(&list);
    found = 9;
    assert_int_equal(at_check_spans_disjoint(spans, 0, "x", "y", &list, &found), AT_OK);
    assert_int_equal(found, 0);
}

static void span_of_a_row(void **state)
{
    (void)state;
    at_row row = ROW("reporting_lines", "person_id", "P-1", "manager_id", "P-2");
    at_span s = at_span_of_row(&row, AT_REPORTING_LINES_PERSON_ID,
                               AT_REPORTING_LINES_START_DATE, AT_REPORTING_LINES_END_DATE, "x:2");
    assert_int_equal(s.start, AT_DAY_MIN);
    assert_int_equal(s.end, AT_DAY_MAX);
    assert_true(at_str_eq_cstr(s.owner, "P-1"));
    assert_string_equal(s.where, "x:2");
    row = ROW("territory_accounts", "account_id", "A", "start_date", "2025-01-01", "end_date",
              "2025-06-30");
    s = at_span_of_row(&row, AT_TERRITORY_ACCOUNTS_ACCOUNT_ID, AT_TERRITORY_ACCOUNTS_START_DATE,
                       AT_TERRITORY_ACCOUNTS_END_DATE, "y");
    assert_int_equal(s.start, D("2025-01-01"));
    assert_int_equal(s.end, D("2025-06-30"));
}

/* ---- loops -------------------------------------------------------------------------------- */

/* parents: "child parent" pairs */
static const char *const *graph;

static bool parent_in_graph(void *ctx, at_str node, at_str *parent)
{
    (void)ctx;
    for (size_t i = 0; graph[i]; i += 2)
        if (at_str_eq_cstr(node, graph[i])) {
            *parent = at_str_from(graph[i + 1]);
            return true;
        }
    return false;
}

static void loops_in_a_hierarchy(void **state)
{
    (void)state;
    static const char *const g[] = {"A", "B", "B", "C", "C", "A", "D", "A",
                                    "E", "F", "X", "X", NULL};
    graph = g;
    assert_int_equal(at_check_no_cycle(AT_STR("E"), parent_in_graph, NULL, "teams", &e), AT_OK);
    assert_int_equal(at_check_no_cycle(AT_STR("F"), parent_in_graph, NULL, "teams", &e), AT_OK);
    assert_int_equal(at_check_no_cycle(AT_STR("A"), parent_in_graph, NULL, "teams", &e),
                     AT_ERR_CONFLICT);
    assert_string_equal(e.message, "teams loop: A -> B -> C -> A");
    assert_contains(e.hint, "change the parent");
    assert_int_equal(at_check_no_cycle(AT_STR("D"), parent_in_graph, NULL, "teams", &e),
                     AT_ERR_CONFLICT);
    assert_contains(e.message, "teams loop: ");
    assert_int_equal(at_check_no_cycle(AT_STR("X"), parent_in_graph, NULL, "teams", &e),
                     AT_ERR_CONFLICT);
    assert_string_equal(e.message, "teams loop: X -> X");
}

static void long_chains_and_long_loops(void **state)
{
    (void)state;
    static char names[100][8];
    static const char *g[201];
    for (int i = 0; i < 100; i++)
        snprintf(names[i], sizeof names[i], "N%d", i);
    for (int i = 0; i < 99; i++) { /* a chain N0 -> N1 -> ... -> N99 */
        g[2 * i] = names[i];
        g[2 * i + 1] = names[i + 1];
    }
    g[198] = NULL;
    graph = g;
    assert_int_equal(at_check_no_cycle(AT_STR("N0"), parent_in_graph, NULL, "accounts", &e),
                     AT_OK);
    g[198] = names[19]; /* N19 -> N0: a loop of 20 */
    g[199] = names[0];
    g[200] = NULL;
    for (int i = 20; i < 99; i++) /* cut the rest of the chain off */
        g[2 * i + 1] = names[i];
    g[2 * 19 + 1] = names[0];
    graph = g;
    assert_int_equal(at_check_no_cycle(AT_STR("N0"), parent_in_graph, NULL, "accounts", &e),
                     AT_ERR_CONFLICT);
    assert_contains(e.message, "accounts loop: ");
    assert_contains(e.message, " -> ... (20 in the loop)");
}

/* reporting lines: P1 reports to P2 always; P2 to P1 from 2025-01-01 */
static bool manager_on(void *ctx, at_str person, at_day day, at_str *manager)
{
    at_day from = *(const at_day *)ctx;
    if (at_str_eq_cstr(person, "P1")) {
        *manager = AT_STR("P2");
        return true;
    }
    if (at_str_eq_cstr(person, "P2") && day >= from) {
        *manager = AT_STR("P1");
        return true;
    }
    return false;
}

static void loops_in_reporting_lines_on_a_day(void **state)
{
    (void)state;
    at_day from = D("2025-01-01");
    assert_int_equal(at_check_reporting_cycle(AT_STR("P1"), D("2024-01-01"), manager_on, &from,
                                              &e),
                     AT_OK);
    assert_int_equal(at_check_reporting_cycle(AT_STR("P2"), from, manager_on, &from, &e),
                     AT_ERR_CONFLICT);
    assert_string_equal(e.message, "reporting lines loop on 2025-01-01: P2 -> P1 -> P2");
}

/* ---- unique ------------------------------------------------------------------------------- */

static bool email_holder(void *ctx, at_str value, at_str *row_id)
{
    (void)ctx;
    if (at_str_eq_nocase(value, AT_STR("ana@x.com"))) {
        *row_id = AT_STR("P-1");
        return true;
    }
    return false;
}

static void unique_values(void **state)
{
    (void)state;
    assert_int_equal(at_check_unique(&at_entity_people, AT_PEOPLE_EMAIL, AT_STR("Ana@x.com"),
                                     AT_STR("P-2"), email_holder, NULL, &e),
                     AT_ERR_CONFLICT);
    assert_string_equal(e.where, "column email");
    assert_string_equal(e.message, "email 'Ana@x.com' is already used by people P-1");
    assert_string_equal(e.hint, "give each row of people.csv its own email, or leave it empty");
    assert_int_equal(at_check_unique(&at_entity_people, AT_PEOPLE_EMAIL, AT_STR("ana@x.com"),
                                     AT_STR("P-1"), email_holder, NULL, &e),
                     AT_OK);
    assert_int_equal(at_check_unique(&at_entity_people, AT_PEOPLE_EMAIL, AT_STR("bo@x.com"),
                                     AT_STR("P-2"), email_holder, NULL, &e),
                     AT_OK);
    assert_int_equal(at_check_unique(&at_entity_people, AT_PEOPLE_EMAIL, AT_STR(""),
                                     AT_STR("P-2"), email_holder, NULL, &e),
                     AT_OK);
    assert_int_equal(at_check_unique(&at_entity_stages, AT_STAGES_POSITION, AT_STR("ana@x.com"),
                                     AT_STR("S-2"), email_holder, NULL, &e),
                     AT_ERR_CONFLICT);
    assert_string_equal(e.hint, "give each row of stages.csv its own position");
}

/* ---- a row against another ---------------------------------------------------------------- */

static bool stage_outcome(void *ctx, at_str stage, at_str *outcome)
{
    (void)ctx;
    if (at_str_eq_cstr(stage, "S-WON"))
        *outcome = AT_STR("won");
    else if (at_str_eq_cstr(stage, "S-OPEN"))
        *outcome = AT_STR("open");
    else
        return false;
    return true;
}

static void opportunity_status_agrees_with_stage(void **state)
{
    (void)state;
    at_row ok = ROW("opportunities", "stage_id", "S-WON", "status", "won");
    assert_int_equal(at_check_opportunity_stage(&ok, stage_outcome, NULL, &e), AT_OK);
    at_row unknown = ROW("opportunities", "stage_id", "S-???", "status", "won");
    assert_int_equal(at_check_opportunity_stage(&unknown, stage_outcome, NULL, &e), AT_OK);
    at_row bad = ROW("opportunities", "stage_id", "S-OPEN", "status", "won");
    assert_int_equal(at_check_opportunity_stage(&bad, stage_outcome, NULL, &e), AT_ERR_INVALID);
    assert_string_equal(e.where, "column status");
    assert_string_equal(e.message,
                        "status won does not agree with stage S-OPEN, whose outcome is open");
    assert_string_equal(e.hint,
                        "set status to open, or move the deal to a stage whose outcome is won");
}

static bool opportunity_exists(void *ctx, at_str id)
{
    (void)ctx;
    return at_str_eq_cstr(id, "O-1");
}

static void lead_opportunity_exists(void **state)
{
    (void)state;
    at_row ok = ROW("leads", "opportunity_id", "O-1");
    assert_int_equal(at_check_lead_opportunity(&ok, opportunity_exists, NULL, &e), AT_OK);
    at_row none = ROW("leads", "status", "new");
    assert_int_equal(at_check_lead_opportunity(&none, opportunity_exists, NULL, &e), AT_OK);
    at_row bad = ROW("leads", "opportunity_id", "O-2");
    assert_int_equal(at_check_lead_opportunity(&bad, opportunity_exists, NULL, &e),
                     AT_ERR_NOT_FOUND);
    assert_string_equal(e.where, "column opportunity_id");
    assert_string_equal(e.message, "opportunity_id 'O-2' names no opportunity");
}

static void response_values_fit_the_point(void **state)
{
    (void)state;
    at_str choices = AT_STR("low|medium|high");
    struct {
        const char *type, *value;
        bool ok;
    } cases[] = {
        {"yes_no", "yes", true},     {"yes_no", "No", true},      {"yes_no", "TRUE", true},
        {"yes_no", "0", true},       {"yes_no", "maybe", false},  {"yes_no", "y", false},
        {"choice", "low", true},     {"choice", "high", true},    {"choice", "High", false},
        {"choice", "lo", false},     {"choice", "", false},       {"number", "42", true},
        {"number", "-3.5", true},    {"number", "+0.25", true},   {"number", "3.", false},
        {"number", ".5", false},     {"number", "1e3", false},    {"number", "-", false},
        {"number", "", false},       {"date", "2024-02-29", true}, {"date", "2023-02-29", false},
        {"date", "29/02/2024", false}, {"text", "anything at all", true},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        at_error_clear(&e);
        at_code c = at_check_response_value(at_str_from(cases[i].type), choices,
                                            at_str_from(cases[i].value), &e);
        if ((c == AT_OK) != cases[i].ok)
            fail_msg("%s '%s': expected %s, got %s (%s)", cases[i].type, cases[i].value,
                     cases[i].ok ? "ok" : "an error", at_code_name(c), e.message);
        if (!cases[i].ok)
            assert_string_equal(e.where, "column value");
    }
    at_check_response_value(AT_STR("choice"), choices, AT_STR("High"), &e);
    assert_string_equal(e.message, "value 'High' is not one of the point's choices");
    assert_string_equal(e.hint, "the choices are case-sensitive: write one of: low|medium|high "
                                "(separated by |)");
    at_check_response_value(AT_STR("choice"), choices, AT_STR("huge"), &e);
    assert_string_equal(e.hint, "write one of: low|medium|high (separated by |)");
    at_check_response_value(AT_STR("yes_no"), choices, AT_STR("maybe"), &e);
    assert_string_equal(e.message, "value 'maybe' is not yes or no");
    at_check_response_value(AT_STR("date"), choices, AT_STR("2023-02-29"), &e);
    assert_contains(e.message, "value for a date point: ");
    assert_contains(e.hint, "YYYY-MM-DD");
}

static bool point_lookup(void *ctx, at_str id, at_point_info *out)
{
    (void)ctx;
    if (at_str_eq_cstr(id, "PT-LEAD"))
        *out = (at_point_info){AT_STR("yes_no"), AT_STR(""), AT_STR("lead")};
    else if (at_str_eq_cstr(id, "PT-OPP"))
        *out = (at_point_info){AT_STR("choice"), AT_STR("a|b"), AT_STR("opportunity")};
    else
        return false;
    return true;
}

static void scorecard_responses_against_points(void **state)
{
    (void)state;
    at_row r = ROW("scorecard_responses", "point_id", "PT-LEAD", "lead_id", "L-1", "value",
                   "yes");
    assert_int_equal(at_check_scorecard_response(&r, point_lookup, NULL, &e), AT_OK);
    r = ROW("scorecard_responses", "point_id", "PT-LEAD", "opportunity_id", "O-1", "value",
            "yes");
    assert_int_equal(at_check_scorecard_response(&r, point_lookup, NULL, &e), AT_ERR_INVALID);
    assert_string_equal(e.where, "column opportunity_id");
    assert_string_equal(e.message, "point PT-LEAD is on a scorecard for leads, but the answer "
                                   "names an opportunity");
    r = ROW("scorecard_responses", "point_id", "PT-OPP", "lead_id", "L-1", "value", "a");
    assert_int_equal(at_check_scorecard_response(&r, point_lookup, NULL, &e), AT_ERR_INVALID);
    assert_string_equal(e.where, "column lead_id");
    r = ROW("scorecard_responses", "point_id", "PT-OPP", "opportunity_id", "O-1", "value", "c");
    assert_int_equal(at_check_scorecard_response(&r, point_lookup, NULL, &e), AT_ERR_INVALID);
    assert_string_equal(e.where, "column value");
    r = ROW("scorecard_responses", "point_id", "PT-OPP", "opportunity_id", "O-1", "value", "b");
    assert_int_equal(at_check_scorecard_response(&r, point_lookup, NULL, &e), AT_OK);
    r = ROW("scorecard_responses", "point_id", "PT-???", "opportunity_id", "O-1", "value", "b");
    assert_int_equal(at_check_scorecard_response(&r, point_lookup, NULL, &e), AT_OK);
}

static at_transaction_info original_info;

static bool original_lookup(void *ctx, at_str id, at_transaction_info *out)
{
    (void)ctx;
    if (!at_str_eq_cstr(id, "TX-1"))
        return false;
    *out = original_info;
    return true;
}

static at_code cancel(const char *amount, const char *currency, at_money before)
{
    at_row r = ROW("transactions", "id", "TX-9", "type", "cancellation", "amount", amount,
                   "currency", currency, "original_id", "TX-1");
    at_error_clear(&e);
    return at_check_cancellation(&r, before, original_lookup, NULL, &e);
}

static void cancellations_against_their_original(void **state)
{
    (void)state;
    original_info = (at_transaction_info){AT_STR("booking"), 10000000, AT_STR("USD")}; /* 1000 */
    assert_int_equal(cancel("-1000", "USD", 0), AT_OK);
    assert_int_equal(cancel("-400", "USD", -6000000), AT_OK); /* 600 cancelled before */
    assert_int_equal(cancel("-1000.01", "USD", 0), AT_ERR_INVALID);
    assert_string_equal(e.where, "column amount");
    assert_string_equal(e.message, "cancellations of TX-1 add up to -1000.01, more than its "
                                   "amount 1000.00");
    assert_int_equal(cancel("-500", "USD", -6000000), AT_ERR_INVALID);
    assert_contains(e.message, "add up to -1100.00");
    assert_int_equal(cancel("-1", "USD", INT64_MIN), AT_ERR_INVALID); /* the sum overflows */
    assert_int_equal(cancel("-10", "EUR", 0), AT_ERR_INVALID);
    assert_string_equal(e.where, "column currency");
    assert_string_equal(e.message, "currency EUR differs from USD of original TX-1");
    original_info.type = AT_STR("cancellation");
    assert_int_equal(cancel("-10", "USD", 0), AT_ERR_INVALID);
    assert_string_equal(e.message, "original_id 'TX-1' is itself a cancellation");
    original_info = (at_transaction_info){AT_STR("invoice"), 0, AT_STR("USD")};
    assert_int_equal(cancel("-10", "USD", 0), AT_ERR_INVALID);
    assert_string_equal(e.message, "original TX-1 has amount 0.00: there is nothing to cancel");
    /* not a cancellation, or an original nobody knows: nothing to check here */
    at_row booking = ROW("transactions", "id", "TX-9", "type", "booking", "amount", "5");
    assert_int_equal(at_check_cancellation(&booking, 0, original_lookup, NULL, &e), AT_OK);
    at_row unknown = ROW("transactions", "id", "TX-9", "type", "cancellation", "amount", "-5",
                         "original_id", "TX-404");
    assert_int_equal(at_check_cancellation(&unknown, 0, original_lookup, NULL, &e), AT_OK);
}

static void split_shares_leave_the_owner_something(void **state)
{
    (void)state;
    at_rate halves[] = {500000000, 500000000};
    assert_int_equal(at_check_split_shares(AT_STR("TX-1"), halves, 2, &e), AT_OK);
    assert_int_equal(at_check_split_shares(AT_STR("TX-1"), NULL, 0, &e), AT_OK);
    at_rate over[] = {600000000, 500000000};
    assert_int_equal(at_check_split_shares(AT_STR("TX-1"), over, 2, &e), AT_ERR_INVALID);
    assert_string_equal(e.where, "column share");
    assert_string_equal(e.message, "split shares of transaction TX-1 add up to 1.1, more than 1");
    at_rate one_more[] = {AT_RATE_SCALE, 1};
    assert_int_equal(at_check_split_shares(AT_STR("TX-1"), one_more, 2, &e), AT_ERR_INVALID);
    at_rate huge[] = {INT64_MAX, INT64_MAX};
    assert_int_equal(at_check_split_shares(AT_STR("TX-1"), huge, 2, &e), AT_ERR_INVALID);
    assert_contains(e.message, "more than 9 billion");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(entities_without_row_rules),
        cmocka_unit_test(settings),
        cmocka_unit_test(exchange_rates),
        cmocka_unit_test(teams_and_people),
        cmocka_unit_test(reporting_lines),
        cmocka_unit_test(territories),
        cmocka_unit_test(territory_rules),
        cmocka_unit_test(accounts),
        cmocka_unit_test(leads_and_handoffs),
        cmocka_unit_test(opportunities),
        cmocka_unit_test(scorecards),
        cmocka_unit_test(transactions),
        cmocka_unit_test(quotas),
        cmocka_unit_test(plan_assignments),
        cmocka_unit_test(employment_and_surveys),
        cmocka_unit_test(rules_skip_what_is_missing),
        cmocka_unit_test(spans_overlap_per_owner),
        cmocka_unit_test(a_long_span_overlaps_every_later_one),
        cmocka_unit_test(span_of_a_row),
        cmocka_unit_test(loops_in_a_hierarchy),
        cmocka_unit_test(long_chains_and_long_loops),
        cmocka_unit_test(loops_in_reporting_lines_on_a_day),
        cmocka_unit_test(unique_values),
        cmocka_unit_test(opportunity_status_agrees_with_stage),
        cmocka_unit_test(lead_opportunity_exists),
        cmocka_unit_test(response_values_fit_the_point),
        cmocka_unit_test(scorecard_responses_against_points),
        cmocka_unit_test(cancellations_against_their_original),
        cmocka_unit_test(split_shares_leave_the_owner_something),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
