/* rules.c - the cross-field rules of one row, per entity (declared in rules.h, listed in words
 * in each entity's rule_text). A rule sees only its row: values already converted by
 * at_field_parse, absent ones with present == false. It reports the first broken rule, with
 * the column to fix as where. */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "core/currency.h"
#include "core/date.h"
#include "core/fiscal.h"
#include "core/money.h"
#include "model/fields.h"
#include "model/rules.h"

#define V(row, index) (&(row)->values[(index)])

/* ---- helpers ------------------------------------------------------------------------------ */

static at_code fail_at(at_error *err, const char *column, const char *hint, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static at_code fail_at(at_error *err, const char *column, const char *hint, const char *fmt, ...)
{
    char where[AT_ERROR_WHERE_MAX];
    snprintf(where, sizeof where, "column %s", column);
    va_list ap;
    va_start(ap, fmt);
    at_code c = at_vfail(err, AT_ERR_INVALID, where, hint, fmt, ap);
    va_end(ap);
    return c;
}


static bool is(const at_value *v, const char *text)
{
    return v->present && at_str_eq_cstr(v->text, text);
}

/* A value's text for a message: at most 60 bytes. */
static const char *shown(const at_value *v, char buf[64])
{
    size_t n = v->text.len < 60 ? v->text.len : 60;
    memcpy(buf, v->text.ptr, n);
    buf[n] = '\0';
    return buf;
}

/* later (a day) on or after earlier: both optional. */
static at_code day_not_before(const at_row *row, int later, int earlier, const char *meaning,
                              at_error *err)
{
    const at_value *l = V(row, later), *e = V(row, earlier);
    if (!l->present || !e->present || l->number >= e->number)
        return AT_OK;
    const char *ln = row->entity->fields[later].name, *en = row->entity->fields[earlier].name;
    char ld[AT_DATE_TEXT_MAX], ed[AT_DATE_TEXT_MAX], hint[AT_ERROR_HINT_MAX];
    at_day_format((at_day)l->number, ld, sizeof ld);
    at_day_format((at_day)e->number, ed, sizeof ed);
    snprintf(hint, sizeof hint, "%s; correct one of the two days", meaning);
    return fail_at(err, ln, hint, "%s %s is before %s %s", ln, ld, en, ed);
}

static at_code time_not_before(const at_row *row, int later, int earlier, at_error *err)
{
    const at_value *l = V(row, later), *e = V(row, earlier);
    if (!l->present || !e->present || l->number >= e->number)
        return AT_OK;
    const char *ln = row->entity->fields[later].name, *en = row->entity->fields[earlier].name;
    char lt[AT_TIME_TEXT_MAX], et[AT_TIME_TEXT_MAX], hint[AT_ERROR_HINT_MAX];
    at_time_format(l->number, lt, sizeof lt);
    at_time_format(e->number, et, sizeof et);
    snprintf(hint, sizeof hint, "%s cannot come before %s: correct one of the two moments", ln,
             en);
    return fail_at(err, ln, hint, "%s %s is before %s %s", ln, lt, en, et);
}

/* A reference to the row itself (parent_id = id). */
static at_code not_itself(const at_row *row, int ref, int id, const char *noun, at_error *err)
{
    const at_value *r = V(row, ref), *i = V(row, id);
    if (!r->present || !i->present || !at_str_eq(r->text, i->text))
        return AT_OK;
    char b[64], hint[AT_ERROR_HINT_MAX];
    const char *rn = row->entity->fields[ref].name;
    snprintf(hint, sizeof hint, "leave %s empty or name another %s", rn, noun);
    return fail_at(err, rn, hint, "%s '%s' names the %s itself", rn, shown(r, b), noun);
}

/* The currency column is required when any of the amount columns is given. */
static at_code currency_with(const at_row *row, int currency, const int *amounts, size_t n,
                             at_error *err)
{
    if (V(row, currency)->present)
        return AT_OK;
    for (size_t i = 0; i < n; i++)
        if (V(row, amounts[i])->present) {
            const char *an = row->entity->fields[amounts[i]].name;
            const char *cn = row->entity->fields[currency].name;
            char hint[AT_ERROR_HINT_MAX];
            snprintf(hint, sizeof hint, "give the ISO 4217 code of %s in %s, e.g. USD", an, cn);
            return fail_at(err, cn, hint, "%s is empty but %s is given: an amount needs its "
                                          "currency", cn, an);
        }
    return AT_OK;
}

static at_code country_code(const at_row *row, int country, at_error *err)
{
    const at_value *v = V(row, country);
    if (!v->present)
        return AT_OK;
    bool ok = v->text.len == 2;
    for (size_t i = 0; ok && i < 2; i++)
        ok = v->text.ptr[i] >= 'A' && v->text.ptr[i] <= 'Z';
    if (ok)
        return AT_OK;
    char b[64];
    bool lower = v->text.len == 2;
    for (size_t i = 0; lower && i < 2; i++)
        lower = v->text.ptr[i] >= 'a' && v->text.ptr[i] <= 'z';
    if (lower) {
        char hint[AT_ERROR_HINT_MAX];
        snprintf(hint, sizeof hint, "write it in upper case: %c%c", v->text.ptr[0] - 'a' + 'A',
                 v->text.ptr[1] - 'a' + 'A');
        return fail_at(err, "country", hint,
                       "country '%s' is not two upper-case letters (ISO 3166 alpha-2)",
                       shown(v, b));
    }
    return fail_at(err, "country",
                   "write the ISO 3166 alpha-2 code: US, DE, GB, BR (not the country's name)",
                   "country '%s' is not two upper-case letters (ISO 3166 alpha-2)", shown(v, b));
}

/* Exactly one of two references. */
static at_code exactly_one(const at_row *row, int a, int b, const char *what, at_error *err)
{
    bool ha = V(row, a)->present, hb = V(row, b)->present;
    if (ha != hb)
        return AT_OK;
    const char *an = row->entity->fields[a].name, *bn = row->entity->fields[b].name;
    char hint[AT_ERROR_HINT_MAX];
    snprintf(hint, sizeof hint, "a row is for %s: fill %s or %s, not both", what, an, bn);
    if (ha)
        return fail_at(err, bn, hint, "both %s and %s are given; exactly one is allowed", an,
                       bn);
    return fail_at(err, an, hint, "neither %s nor %s is given; exactly one is required", an,
                   bn);
}

/* ---- settings ----------------------------------------------------------------------------- */

static const char *const SETTING_KEYS[] = {
    "company_name",    "base_currency",       "fiscal_year_start_month", "fiscal_year_named_by",
    "fiscal_calendar", "fiscal_week_ends_on", "fiscal_year_end_rule",    NULL,
};

at_code at_rule_settings(const at_row *row, at_error *err)
{
    const at_value *key = V(row, AT_SETTINGS_KEY), *value = V(row, AT_SETTINGS_VALUE);
    if (!key->present)
        return AT_OK;
    char b[64];
    size_t found = SIZE_MAX;
    for (size_t i = 0; SETTING_KEYS[i]; i++) {
        if (at_str_eq_cstr(key->text, SETTING_KEYS[i]))
            found = i;
        else if (at_str_eq_nocase(key->text, at_str_from(SETTING_KEYS[i]))) {
            char hint[AT_ERROR_HINT_MAX];
            snprintf(hint, sizeof hint, "did you mean '%s'? keys are written in lower case",
                     SETTING_KEYS[i]);
            return fail_at(err, "key", hint, "key '%s' is not a known setting", shown(key, b));
        }
    }
    if (found == SIZE_MAX) {
        char hint[AT_ERROR_HINT_MAX];
        size_t k = (size_t)snprintf(hint, sizeof hint, "write one of: ");
        for (size_t i = 0; SETTING_KEYS[i] && k < sizeof hint; i++)
            k += (size_t)snprintf(hint + k, sizeof hint - k, "%s%s", i ? ", " : "",
                                  SETTING_KEYS[i]);
        return fail_at(err, "key", hint, "key '%s' is not a known setting", shown(key, b));
    }
    if (!value->present)
        return AT_OK;
    at_code c = AT_OK;
    if (at_str_eq_cstr(key->text, "base_currency")) {
        const at_currency *cur;
        c = at_currency_lookup(value->text, &cur, err);
    } else if (at_fiscal_is_setting(key->text)) {
        at_fiscal_calendar cal;
        at_fiscal_calendar_default(&cal);
        c = at_fiscal_calendar_set(&cal, key->text, value->text, err);
    }
    if (c != AT_OK)
        c = AT_ERR_INVALID; /* an unknown currency is a bad value here, not a missing row */
    if (c != AT_OK && err) {
        char prefix[64];
        snprintf(prefix, sizeof prefix, "value for %s: ", SETTING_KEYS[found]);
        at_error_prefix_message(err, prefix, "");
        snprintf(err->where, sizeof err->where, "column value");
        err->code = c;
    }
    return c;
}

/* ---- the organisation --------------------------------------------------------------------- */

at_code at_rule_exchange_rates(const at_row *row, at_error *err)
{
    const at_value *from = V(row, AT_EXCHANGE_RATES_FROM_CURRENCY);
    const at_value *to = V(row, AT_EXCHANGE_RATES_TO_CURRENCY);
    if (!from->present || !to->present || !at_str_eq(from->text, to->text))
        return AT_OK;
    char b[64];
    return fail_at(err, "to_currency", "a currency converts to itself at 1: leave the row out",
                   "from_currency and to_currency are both %s", shown(from, b));
}

at_code at_rule_teams(const at_row *row, at_error *err)
{
    return not_itself(row, AT_TEAMS_PARENT_ID, AT_TEAMS_ID, "team", err);
}

at_code at_rule_people(const at_row *row, at_error *err)
{
    at_code c = day_not_before(row, AT_PEOPLE_EXIT_DATE, AT_PEOPLE_HIRE_DATE,
                               "exit_date is the last day of employment, hire_date the first",
                               err);
    if (c == AT_OK)
        c = country_code(row, AT_PEOPLE_COUNTRY, err);
    return c;
}

at_code at_rule_reporting_lines(const at_row *row, at_error *err)
{
    const at_value *p = V(row, AT_REPORTING_LINES_PERSON_ID);
    const at_value *m = V(row, AT_REPORTING_LINES_MANAGER_ID);
    if (p->present && m->present && at_str_eq(p->text, m->text)) {
        char b[64];
        return fail_at(err, "manager_id", "name the person's manager, someone else",
                       "manager_id '%s' is the person themself", shown(m, b));
    }
    return day_not_before(row, AT_REPORTING_LINES_END_DATE, AT_REPORTING_LINES_START_DATE,
                          "end_date is the last day of the line, start_date the first", err);
}

/* ---- territories -------------------------------------------------------------------------- */

at_code at_rule_territories(const at_row *row, at_error *err)
{
    at_code c = not_itself(row, AT_TERRITORIES_PARENT_ID, AT_TERRITORIES_ID, "territory", err);
    if (c != AT_OK)
        return c;
    static const int amounts[] = {AT_TERRITORIES_POTENTIAL};
    return currency_with(row, AT_TERRITORIES_CURRENCY, amounts, 1, err);
}

static const char *const REVENUE_BANDS[] = {"under_1m",  "1m_10m",  "10m_50m", "50m_250m",
                                            "250m_1b",   "over_1b", NULL};

static int revenue_band_index(at_str s)
{
    for (int i = 0; REVENUE_BANDS[i]; i++)
        if (at_str_eq_cstr(s, REVENUE_BANDS[i]))
            return i;
    return -1;
}

static bool parse_whole(at_str s, int64_t *out)
{
    if (s.len == 0 || s.len > 18)
        return false;
    int64_t v = 0;
    for (size_t i = 0; i < s.len; i++) {
        if (s.ptr[i] < '0' || s.ptr[i] > '9')
            return false;
        v = v * 10 + (s.ptr[i] - '0');
    }
    *out = v;
    return true;
}

at_code at_rule_territory_rules(const at_row *row, at_error *err)
{
    const at_value *field = V(row, AT_TERRITORY_RULES_FIELD);
    const at_value *op = V(row, AT_TERRITORY_RULES_OPERATOR);
    const at_value *value = V(row, AT_TERRITORY_RULES_VALUE);
    if (!field->present || !op->present || !value->present)
        return AT_OK;
    char b[64], f[64], o[64];
    bool employees = is(field, "employees"), band = is(field, "revenue_band");
    bool ordered_op = is(op, "between") || is(op, "ge") || is(op, "le");
    if (ordered_op && !employees && !band)
        return fail_at(err, "operator",
                       "use eq or in for this field; ge, le and between compare employees and "
                       "revenue_band",
                       "operator %s does not apply to field %s", shown(op, o), shown(field, f));
    /* split value at | */
    at_str parts[3];
    size_t count = 0;
    const char *p = value->text.ptr, *end = p + value->text.len;
    for (;;) {
        const char *bar = memchr(p, '|', (size_t)(end - p));
        const char *stop = bar ? bar : end;
        if (stop == p)
            return fail_at(err, "value", "separate values with a single |, e.g. CA|OR|WA",
                           "value '%s' has an empty part", shown(value, b));
        if (count < 3)
            parts[count] = at_str_make(p, (size_t)(stop - p));
        count++;
        if (!bar)
            break;
        p = bar + 1;
    }
    if (is(op, "between") && count != 2)
        return fail_at(err, "value", "write the two ends as lo|hi, e.g. 100|999",
                       "value '%s' for between has %zu parts; it needs exactly 2", shown(value, b),
                       count);
    if ((is(op, "eq") || is(op, "ge") || is(op, "le")) && count != 1)
        return fail_at(err, "value", "use operator in for a list of values",
                       "value '%s' for %s has %zu parts; it takes one value", shown(value, b),
                       shown(op, o), count);
    size_t n = count < 3 ? count : 3;
    int64_t nums[3] = {0, 0, 0};
    for (size_t i = 0; i < n; i++) {
        if (employees && !parse_whole(parts[i], &nums[i]))
            return fail_at(err, "value", "employees are compared with whole numbers, e.g. 500",
                           "value '%s': part %zu is not a whole number", shown(value, b), i + 1);
        if (band) {
            nums[i] = revenue_band_index(parts[i]);
            if (nums[i] < 0)
                return fail_at(err, "value",
                               "write revenue bands: under_1m, 1m_10m, 10m_50m, 50m_250m, "
                               "250m_1b, over_1b",
                               "value '%s': part %zu is not a revenue band", shown(value, b),
                               i + 1);
        }
    }
    if (is(op, "between") && nums[0] > nums[1])
        return fail_at(err, "value", "write the lower end first: lo|hi",
                       "value '%s' has its ends the wrong way round", shown(value, b));
    return AT_OK;
}

at_code at_rule_accounts(const at_row *row, at_error *err)
{
    static const int amounts[] = {AT_ACCOUNTS_POTENTIAL, AT_ACCOUNTS_ANNUAL_REVENUE};
    at_code c = currency_with(row, AT_ACCOUNTS_CURRENCY, amounts, 2, err);
    if (c != AT_OK)
        return c;
    bool lat = V(row, AT_ACCOUNTS_LATITUDE)->present;
    bool lon = V(row, AT_ACCOUNTS_LONGITUDE)->present;
    if (lat != lon)
        return fail_at(err, lat ? "longitude" : "latitude",
                       "give both latitude and longitude, or leave both empty",
                       "%s is given without %s", lat ? "latitude" : "longitude",
                       lat ? "longitude" : "latitude");
    c = country_code(row, AT_ACCOUNTS_COUNTRY, err);
    if (c != AT_OK)
        return c;
    return not_itself(row, AT_ACCOUNTS_PARENT_ID, AT_ACCOUNTS_ID, "account", err);
}

at_code at_rule_territory_accounts(const at_row *row, at_error *err)
{
    return day_not_before(row, AT_TERRITORY_ACCOUNTS_END_DATE, AT_TERRITORY_ACCOUNTS_START_DATE,
                          "end_date is the last day of the assignment, start_date the first",
                          err);
}

at_code at_rule_territory_people(const at_row *row, at_error *err)
{
    return day_not_before(row, AT_TERRITORY_PEOPLE_END_DATE, AT_TERRITORY_PEOPLE_START_DATE,
                          "end_date is the last day of the coverage, start_date the first", err);
}

/* ---- the funnel --------------------------------------------------------------------------- */

at_code at_rule_leads(const at_row *row, at_error *err)
{
    const at_value *status = V(row, AT_LEADS_STATUS);
    if (is(status, "converted") && !V(row, AT_LEADS_CONVERTED_AT)->present)
        return fail_at(err, "converted_at",
                       "give the moment the lead became an opportunity, e.g. "
                       "2025-03-20T10:00:00Z, or change the status",
                       "converted_at is empty but status is converted");
    return time_not_before(row, AT_LEADS_CONVERTED_AT, AT_LEADS_CREATED_AT, err);
}

at_code at_rule_handoffs(const at_row *row, at_error *err)
{
    if (is(V(row, AT_HANDOFFS_STATUS), "pending") && V(row, AT_HANDOFFS_ACCEPTED_AT)->present)
        return fail_at(err, "accepted_at",
                       "set status to accepted, or leave accepted_at empty while the handoff is "
                       "pending",
                       "accepted_at is given but status is pending");
    return time_not_before(row, AT_HANDOFFS_ACCEPTED_AT, AT_HANDOFFS_HANDED_OFF_AT, err);
}

at_code at_rule_opportunities(const at_row *row, at_error *err)
{
    const at_value *status = V(row, AT_OPPORTUNITIES_STATUS);
    const at_value *closed = V(row, AT_OPPORTUNITIES_CLOSED_ON);
    char b[64];
    if ((is(status, "won") || is(status, "lost")) && !closed->present)
        return fail_at(err, "closed_on",
                       "give the day the deal was won or lost, e.g. 2025-06-12",
                       "closed_on is empty but status is %s", shown(status, b));
    if (is(status, "open") && closed->present)
        return fail_at(err, "closed_on",
                       "leave closed_on empty for an open deal, or set status to won or lost",
                       "closed_on is given but status is open");
    at_code c = day_not_before(row, AT_OPPORTUNITIES_CLOSED_ON, AT_OPPORTUNITIES_CREATED_ON,
                               "a deal closes on or after the day it was created", err);
    if (c != AT_OK)
        return c;
    static const int amounts[] = {AT_OPPORTUNITIES_AMOUNT, AT_OPPORTUNITIES_REP_COMMIT_AMOUNT};
    return currency_with(row, AT_OPPORTUNITIES_CURRENCY, amounts, 2, err);
}

/* ---- scorecards --------------------------------------------------------------------------- */

at_code at_rule_scorecard_points(const at_row *row, at_error *err)
{
    const at_value *type = V(row, AT_SCORECARD_POINTS_TYPE);
    const at_value *choices = V(row, AT_SCORECARD_POINTS_CHOICES);
    if (!type->present)
        return AT_OK;
    char b[64];
    bool choice = is(type, "choice");
    if (choice && !choices->present)
        return fail_at(err, "choices", "list the answers separated by |, e.g. low|medium|high",
                       "choices is empty but type is choice");
    if (!choice && choices->present)
        return fail_at(err, "choices",
                       "leave choices empty, or set type to choice",
                       "choices is given but type is %s", shown(type, b));
    if (!choice)
        return AT_OK;
    const char *s = choices->text.ptr, *end = s + choices->text.len;
    for (const char *p = s;;) {
        const char *bar = memchr(p, '|', (size_t)(end - p));
        const char *stop = bar ? bar : end;
        at_str part = at_str_make(p, (size_t)(stop - p));
        if (part.len == 0)
            return fail_at(err, "choices", "separate the answers with a single |, e.g. low|high",
                           "choices '%s' has an empty answer", shown(choices, b));
        for (const char *q = s; q < p;) { /* compare with every earlier part */
            const char *qbar = memchr(q, '|', (size_t)(p - q));
            at_str earlier = at_str_make(q, (size_t)(qbar - q));
            if (at_str_eq(earlier, part)) {
                char d[64];
                return fail_at(err, "choices", "list each answer once",
                               "choices '%s' lists '%s' twice", shown(choices, b),
                               at_str_copy(part, d, sizeof d));
            }
            q = qbar + 1;
        }
        if (!bar)
            break;
        p = bar + 1;
    }
    return AT_OK;
}

at_code at_rule_scorecard_responses(const at_row *row, at_error *err)
{
    return exactly_one(row, AT_SCORECARD_RESPONSES_LEAD_ID,
                       AT_SCORECARD_RESPONSES_OPPORTUNITY_ID, "one lead or one opportunity",
                       err);
}

/* ---- compensation ------------------------------------------------------------------------- */

at_code at_rule_transactions(const at_row *row, at_error *err)
{
    const at_value *type = V(row, AT_TRANSACTIONS_TYPE);
    const at_value *original = V(row, AT_TRANSACTIONS_ORIGINAL_ID);
    const at_value *amount = V(row, AT_TRANSACTIONS_AMOUNT);
    char b[64];
    bool cancellation = is(type, "cancellation");
    if (cancellation && !original->present)
        return fail_at(err, "original_id",
                       "give the id of the transaction this cancels, e.g. TX-2025-000100",
                       "original_id is empty but type is cancellation");
    if (!cancellation && original->present && type->present)
        return fail_at(err, "original_id",
                       "leave original_id empty, or set type to cancellation",
                       "original_id is given but type is %s; only a cancellation names an "
                       "original",
                       shown(type, b));
    at_code c = not_itself(row, AT_TRANSACTIONS_ORIGINAL_ID, AT_TRANSACTIONS_ID, "transaction",
                           err);
    if (c != AT_OK)
        return c;
    if (cancellation && amount->present && amount->number >= 0) {
        char m[AT_MONEY_TEXT_MAX];
        at_money_format(amount->number, m, sizeof m);
        return fail_at(err, "amount",
                       "write the amount reversed as a negative number, e.g. -48210.00 to cancel "
                       "a booking of 48210.00",
                       "amount %s of a cancellation is not negative", m);
    }
    return AT_OK;
}

static const char *const MONEY_MEASURES[] = {"bookings", "margin", "revenue", NULL};

at_code at_rule_quotas(const at_row *row, at_error *err)
{
    at_code c = exactly_one(row, AT_QUOTAS_PERSON_ID, AT_QUOTAS_TERRITORY_ID,
                            "one person or one territory", err);
    if (c != AT_OK)
        return c;
    const at_value *measure = V(row, AT_QUOTAS_MEASURE);
    const at_value *currency = V(row, AT_QUOTAS_CURRENCY);
    const at_value *amount = V(row, AT_QUOTAS_AMOUNT);
    char b[64];
    bool money = false;
    for (size_t i = 0; MONEY_MEASURES[i]; i++)
        money = money || is(measure, MONEY_MEASURES[i]);
    if (money && !currency->present)
        return fail_at(err, "currency", "give the quota's currency, e.g. USD",
                       "currency is empty but measure %s is an amount of money",
                       shown(measure, b));
    if (!currency->present && amount->present && amount->number % AT_MONEY_SCALE != 0) {
        char m[AT_MONEY_TEXT_MAX];
        at_money_format(amount->number, m, sizeof m);
        return fail_at(err, "amount",
                       "a measure without a currency counts things: write a whole number, or "
                       "give the currency of a money measure",
                       "amount %s of measure %s is not a whole number", m, shown(measure, b));
    }
    return AT_OK;
}

at_code at_rule_plan_assignments(const at_row *row, at_error *err)
{
    at_code c = day_not_before(row, AT_PLAN_ASSIGNMENTS_END_DATE, AT_PLAN_ASSIGNMENTS_START_DATE,
                               "end_date is the last day on the plan, start_date the first",
                               err);
    if (c != AT_OK)
        return c;
    static const int amounts[] = {AT_PLAN_ASSIGNMENTS_TARGET_INCENTIVE};
    c = currency_with(row, AT_PLAN_ASSIGNMENTS_CURRENCY, amounts, 1, err);
    if (c != AT_OK)
        return c;
    const at_value *mix = V(row, AT_PLAN_ASSIGNMENTS_PAY_MIX);
    if (!mix->present)
        return AT_OK;
    const char *slash = memchr(mix->text.ptr, '/', mix->text.len);
    int64_t base = 0, variable = 0;
    char b[64];
    if (!slash ||
        !parse_whole(at_str_make(mix->text.ptr, (size_t)(slash - mix->text.ptr)), &base) ||
        !parse_whole(at_str_make(slash + 1, mix->text.len - (size_t)(slash - mix->text.ptr) - 1),
                     &variable))
        return fail_at(err, "pay_mix", "write base/variable in whole percent, e.g. 60/40",
                       "pay_mix '%s' is not two whole numbers separated by /", shown(mix, b));
    if (base + variable != 100)
        return fail_at(err, "pay_mix", "the two parts add up to 100, e.g. 60/40 or 50/50",
                       "pay_mix '%s' adds up to %" PRId64 ", not 100", shown(mix, b),
                       base + variable);
    return AT_OK;
}

/* ---- people over time --------------------------------------------------------------------- */

at_code at_rule_employment_events(const at_row *row, at_error *err)
{
    const at_value *type = V(row, AT_EMPLOYMENT_EVENTS_TYPE);
    const at_value *kind = V(row, AT_EMPLOYMENT_EVENTS_EXIT_KIND);
    char b[64];
    if (is(type, "exit") && !kind->present)
        return fail_at(err, "exit_kind", "write voluntary or involuntary",
                       "exit_kind is empty but type is exit");
    if (type->present && !is(type, "exit") && kind->present)
        return fail_at(err, "exit_kind", "leave exit_kind empty for events other than exit",
                       "exit_kind is given but type is %s", shown(type, b));
    return AT_OK;
}

at_code at_rule_survey_responses(const at_row *row, at_error *err)
{
    if (V(row, AT_SURVEY_RESPONSES_ENPS)->present ||
        V(row, AT_SURVEY_RESPONSES_SATISFACTION)->present ||
        V(row, AT_SURVEY_RESPONSES_ENGAGEMENT)->present)
        return AT_OK;
    return fail_at(err, "enps", "give at least one of enps (0..10), satisfaction (1..5) and "
                                "engagement (1..5)",
                   "enps, satisfaction and engagement are all empty");
}
