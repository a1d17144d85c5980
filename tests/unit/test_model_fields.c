/* test_model_fields.c - the descriptors (complete, consistent, examples that parse) and the
 * conversion of every field type: good values with their stored numbers worked out by hand,
 * bad values with the message and hint people see, and formatting back. */
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
#include "model/entity.h"
#include "model/fields.h"

static at_arena arena;

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

static const at_field *fld(const char *entity, const char *name)
{
    const at_entity *e = at_entity_find(at_str_from(entity));
    assert_non_null(e);
    int i = at_entity_field_index(e, at_str_from(name));
    assert_true(i >= 0);
    return &e->fields[i];
}

static at_value v;
static at_error e;

static at_code parse(const char *entity, const char *field, const char *text)
{
    at_error_clear(&e);
    return at_field_parse(fld(entity, field), at_str_from(text), &arena, &v, &e);
}

static at_code parse_n(const char *entity, const char *field, const char *text, size_t len)
{
    at_error_clear(&e);
    return at_field_parse(fld(entity, field), at_str_make(text, len), &arena, &v, &e);
}

#define assert_contains(hay, needle)                                                            \
    do {                                                                                        \
        if (!strstr((hay), (needle)))                                                           \
            fail_msg("'%s' does not contain '%s'", (hay), (needle));                            \
    } while (0)

static void assert_ok(at_code c)
{
    if (c != AT_OK)
        fail_msg("expected OK, got %s: %s (hint: %s)", at_code_name(c), e.message, e.hint);
    assert_true(v.present);
}

static void assert_bad(at_code c, const char *where, const char *message_part)
{
    if (c == AT_OK)
        fail_msg("expected an error containing '%s', got OK", message_part);
    assert_string_equal(e.where, where);
    assert_contains(e.message, message_part);
}

static void assert_text(const char *expected)
{
    assert_int_equal(v.text.len, strlen(expected));
    assert_memory_equal(v.text.ptr, expected, v.text.len);
}

static const char *format(const char *entity, const char *field)
{
    static char buf[256];
    at_str out;
    at_error_clear(&e);
    assert_int_equal(at_field_format(fld(entity, field), &v, buf, sizeof buf, &out, &e), AT_OK);
    static char copy[256];
    return at_str_copy(out, copy, sizeof copy);
}

/* ---- the descriptors ---------------------------------------------------------------------- */

static void entities_are_in_spec_import_order(void **state)
{
    (void)state;
    static const char *const order[] = {
        "settings", "exchange_rates", "teams", "people", "reporting_lines", "territories",
        "territory_rules", "accounts", "territory_accounts", "territory_people", "products",
        "stages", "leads", "handoffs", "opportunities", "opportunity_products", "stage_history",
        "activities", "scorecard_templates", "scorecard_points", "scorecard_responses",
        "transactions", "transaction_people", "quotas", "metrics", "plan_assignments",
        "employment_events", "survey_responses",
    };
    assert_int_equal(at_entity_count, sizeof order / sizeof order[0]);
    for (size_t i = 0; i < at_entity_count; i++) {
        assert_string_equal(at_entities[i]->name, order[i]);
        char file[64];
        snprintf(file, sizeof file, "%s.csv", order[i]);
        assert_string_equal(at_entities[i]->file, file);
    }
}

static size_t entity_position(const char *name)
{
    for (size_t i = 0; i < at_entity_count; i++)
        if (strcmp(at_entities[i]->name, name) == 0)
            return i;
    fail_msg("no entity %s", name);
    return 0;
}

/* Every slot filled, names unique, references to earlier entities (or the entity itself),
 * enum values lower case, keys naming fields, every example and default parsing. */
static void descriptors_are_complete_and_consistent(void **state)
{
    (void)state;
    for (size_t i = 0; i < at_entity_count; i++) {
        const at_entity *ent = at_entities[i];
        assert_non_null(ent->summary);
        assert_true(ent->field_count > 0);
        assert_non_null(ent->key);
        assert_non_null(ent->key[0]);
        for (size_t k = 0; ent->key[k]; k++)
            if (at_entity_field_index(ent, at_str_from(ent->key[k])) < 0)
                fail_msg("%s: key %s is not a field", ent->name, ent->key[k]);
        if (ent->rule)
            assert_non_null(ent->rule_text);
        for (size_t f = 0; f < ent->field_count; f++) {
            const at_field *fd = &ent->fields[f];
            if (!fd->name)
                fail_msg("%s: field slot %zu is empty (fields.h and entities.c disagree)",
                         ent->name, f);
            assert_int_equal(at_entity_field_index(ent, at_str_from(fd->name)), (int)f);
            if (!fd->example || !fd->example[0] || !fd->description || !fd->description[0])
                fail_msg("%s.%s has no example or description", ent->name, fd->name);
            if (fd->type == AT_FIELD_REF) {
                assert_non_null(fd->ref_entity);
                assert_true(entity_position(fd->ref_entity) <= i);
            } else {
                assert_null(fd->ref_entity);
            }
            if (fd->type == AT_FIELD_ENUM) {
                assert_non_null(fd->values);
                for (size_t k = 0; fd->values[k]; k++)
                    for (const char *c = fd->values[k]; *c; c++)
                        assert_false(*c >= 'A' && *c <= 'Z');
            }
            at_error_clear(&e);
            at_code c = at_field_parse(fd, at_str_from(fd->example), &arena, &v, &e);
            if (c != AT_OK)
                fail_msg("%s.%s example '%s' does not parse: %s", ent->name, fd->name,
                         fd->example, e.message);
            if (fd->default_value) {
                assert_false(fd->required);
                c = at_field_parse(fd, at_str_from(fd->default_value), &arena, &v, &e);
                assert_int_equal(c, AT_OK);
            }
            if (fd->type == AT_FIELD_ID)
                assert_true(fd->required && f == 0);
        }
    }
}

static void fields_h_indexes_match_names(void **state)
{
    (void)state;
    assert_string_equal(at_entity_people.fields[AT_PEOPLE_EXIT_DATE].name, "exit_date");
    assert_string_equal(at_entity_transactions.fields[AT_TRANSACTIONS_ORIGINAL_ID].name,
                        "original_id");
    assert_string_equal(at_entity_survey_responses.fields[AT_SURVEY_RESPONSES_COMMENT].name,
                        "comment");
    assert_int_equal(at_entity_people.field_count, 11);
    assert_int_equal(at_entity_accounts.field_count, 16);
    assert_int_equal(at_entity_opportunities.field_count, 15);
}

static void keys_follow_the_spec(void **state)
{
    (void)state;
    const at_entity *x = at_entity_find(AT_STR("exchange_rates"));
    assert_string_equal(x->key[0], "from_currency");
    assert_string_equal(x->key[1], "to_currency");
    assert_string_equal(x->key[2], "effective_date");
    assert_null(x->key[3]);
    const at_entity *tp = at_entity_find(AT_STR("territory_people.csv"));
    assert_string_equal(tp->key[2], "start_date");
    assert_string_equal(at_entity_find(AT_STR("people"))->key[0], "id");
    assert_null(at_entity_find(AT_STR("people.txt")));
    assert_null(at_entity_find(AT_STR("")));
    assert_int_equal(at_entity_field_index(&at_entity_people, AT_STR("nope")), -1);
    assert_int_equal(at_entity_field_index(NULL, AT_STR("id")), -1);
}

static void type_labels(void **state)
{
    (void)state;
    char b[256];
    struct {
        const char *entity, *field, *label;
    } cases[] = {
        {"people", "country", "text(2)"},
        {"people", "name", "text"},
        {"people", "team_id", "ref:teams"},
        {"people", "id", "id"},
        {"people", "email", "email"},
        {"accounts", "employees", "int[0..10000000]"},
        {"opportunity_products", "quantity", "int[1..]"},
        {"transactions", "quantity", "int"},
        {"products", "list_price", "money (>= 0)"},
        {"transactions", "amount", "money"},
        {"exchange_rates", "rate", "rate (> 0)"},
        {"stages", "probability", "rate[0..1]"},
        {"accounts", "latitude", "coord[-90..90]"},
        {"accounts", "longitude", "coord[-180..180]"},
        {"scorecard_templates", "applies_to", "enum(lead|opportunity)"},
        {"quotas", "period", "period"},
        {"leads", "created_at", "time"},
        {"people", "hire_date", "day"},
        {"products", "active", "bool"},
        {"people", "pay_currency", "currency"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t n = at_field_type_label(fld(cases[i].entity, cases[i].field), b, sizeof b);
        assert_string_equal(b, cases[i].label);
        assert_int_equal(n, strlen(cases[i].label));
    }
    /* cut, but the full length is returned */
    assert_int_equal(at_field_type_label(fld("scorecard_templates", "applies_to"), b, 5), 22);
    assert_string_equal(b, "enum");
    assert_string_equal(at_field_type_name(AT_FIELD_PERIOD), "period");
    assert_string_equal(at_field_type_name((at_field_type)99), "unknown");
}

/* ---- empty and required ------------------------------------------------------------------- */

static void empty_is_absent_or_required(void **state)
{
    (void)state;
    assert_int_equal(parse("people", "title", ""), AT_OK);
    assert_false(v.present);
    at_code c = parse("people", "name", "");
    assert_int_equal(c, AT_ERR_INVALID);
    assert_string_equal(e.where, "column name");
    assert_string_equal(e.message, "required column name is empty");
    assert_string_equal(e.hint, "give a value such as Ana Lima in every row");
    /* a space is not empty: it is a (bad) id */
    assert_bad(parse("people", "id", " "), "column id", "has a space at its start");
}

static void defaults_fill_empty_cells(void **state)
{
    (void)state;
    assert_ok(parse("reporting_lines", "start_date", ""));
    assert_int_equal(v.number, AT_DAY_MIN);
    assert_string_equal(format("reporting_lines", "start_date"), ""); /* exported empty */
    assert_ok(parse("reporting_lines", "start_date", "0001-01-01"));
    assert_string_equal(format("reporting_lines", "start_date"), "");
    assert_ok(parse("territory_accounts", "start_date", ""));
    assert_int_equal(v.number, AT_DAY_MIN);
    assert_int_equal(parse("reporting_lines", "end_date", ""), AT_OK);
    assert_false(v.present);
    assert_ok(parse("territory_rules", "priority", ""));
    assert_int_equal(v.number, 100);
    assert_string_equal(format("territory_rules", "priority"), "100");
    assert_ok(parse("products", "active", ""));
    assert_int_equal(v.number, 1);
    assert_ok(parse("scorecard_points", "required", ""));
    assert_int_equal(v.number, 0);
    /* a day without that default keeps 0001-01-01 as written */
    assert_ok(parse("people", "hire_date", "0001-01-01"));
    assert_string_equal(format("people", "hire_date"), "0001-01-01");
}

/* ---- id and ref --------------------------------------------------------------------------- */

static void ids(void **state)
{
    (void)state;
    assert_ok(parse("people", "id", "P-1001"));
    assert_text("P-1001");
    assert_string_equal(format("people", "id"), "P-1001");
    assert_ok(parse("people", "id", "Ünïcödé id"));
    assert_bad(parse("people", "id", " P-1"), "column id", "id ' P-1' has a space at its start");
    assert_string_equal(e.hint, "remove the spaces around the id (ids are compared exactly)");
    assert_bad(parse("people", "id", "P-1\t"), "column id", "has a space at its end");
    assert_bad(parse("people", "id", "P-1\xC2\xA0"), "column id", "has a space at its end");
    assert_bad(parse("people", "id", "\xC2\xA0P-1"), "column id", "has a space at its start");
    assert_bad(parse("people", "id", "P\t1"), "column id", "id 'P\\x091' has a tab");
    assert_bad(parse("people", "id", "P\n1"), "column id", "has a line break");
    assert_bad(parse("people", "id", "P\x01" "1"), "column id", "has a control character");
    assert_bad(parse("people", "id", "P\xC2\x85" "1"), "column id", "has a control character");
    assert_bad(parse("people", "id", "P\xFF"), "column id", "is not valid UTF-8 at byte 2");
    char id[200];
    memset(id, 'x', 128);
    id[128] = '\0';
    assert_ok(parse("people", "id", id));
    id[128] = 'x';
    id[129] = '\0';
    assert_bad(parse("people", "id", id), "column id", "is 129 characters long; at most 128");
    assert_contains(e.message, "xxx...'"); /* the value is cut in the message */
    /* 128 two-byte characters are 128 characters */
    char wide[300];
    for (int i = 0; i < 128; i++)
        memcpy(wide + 2 * i, "\xC3\xA9", 2);
    wide[256] = '\0';
    assert_ok(parse("people", "id", wide));
    memcpy(wide + 256, "\xC3\xA9", 3);
    assert_bad(parse("people", "id", wide), "column id", "129 characters long");
    /* refs follow the id rules and carry no internal id yet */
    assert_ok(parse("people", "team_id", "T-1"));
    assert_int_equal(v.ref_id, 0);
    assert_text("T-1");
    assert_bad(parse("people", "team_id", "T-1 "), "column team_id", "has a space at its end");
}

static void value_is_an_arena_copy(void **state)
{
    (void)state;
    char buf[] = "P-77";
    assert_ok(parse("people", "id", buf));
    buf[0] = 'X';
    assert_text("P-77");
}

/* ---- text and email ----------------------------------------------------------------------- */

static void texts(void **state)
{
    (void)state;
    assert_ok(parse("people", "country", "US"));
    assert_bad(parse("people", "country", "USA"), "column country",
               "country 'USA' is 3 characters long; at most 2 are allowed");
    assert_string_equal(e.hint, "shorten it to 2 characters or fewer");
    assert_ok(parse("people", "country", "\xC3\x9C\xC3\x9C")); /* two characters, four bytes */
    char t[300];
    memset(t, 'a', 256);
    t[256] = '\0';
    assert_ok(parse("people", "title", t));
    t[256] = 'a';
    t[257] = '\0';
    assert_bad(parse("people", "title", t), "column title", "257 characters long; at most 256");
    assert_ok(parse("activities", "outcome", "line one\nline two\twith a tab"));
    assert_ok(parse("activities", "outcome", "windows\r\nline break"));
    assert_bad(parse("activities", "outcome", "old mac\rbreak"), "column outcome",
               "has a carriage return (byte 0x0D) at character 8");
    assert_bad(parse("activities", "outcome", "bell\a"), "column outcome",
               "has a control character (byte 0x07) at character 5");
    assert_bad(parse("activities", "outcome", "del\x7f"), "column outcome", "a DEL character");
    assert_bad(parse("activities", "outcome", "c1 \xC2\x9F"), "column outcome",
               "a control character (byte 0x9F) at character 4");
    assert_bad(parse("activities", "outcome", "cut \xE2\x82"), "column outcome",
               "not valid UTF-8 at byte 5");
    assert_string_equal(e.hint, "save the file as UTF-8 (in a spreadsheet: CSV UTF-8)");
    assert_ok(parse("survey_responses", "comment", "\xE2\x82\xAC 5 is fine"));
    char big[2100];
    memset(big, 'c', 2001);
    big[2001] = '\0';
    assert_bad(parse("survey_responses", "comment", big), "column comment", "at most 2000");
    /* a NUL inside the text is a control character */
    assert_bad(parse_n("people", "title", "a\0b", 3), "column title", "byte 0x00");
}

static void emails(void **state)
{
    (void)state;
    assert_ok(parse("people", "email", "ana.lima@example.com"));
    assert_text("ana.lima@example.com");
    assert_ok(parse("people", "email", "a@b.co"));
    assert_bad(parse("people", "email", "ana.example.com"), "column email",
               "email 'ana.example.com' has no @");
    assert_string_equal(e.hint, "write one address such as ana.lima@example.com");
    assert_bad(parse("people", "email", "a@b@c.com"), "column email", "has 2 @ signs");
    assert_bad(parse("people", "email", "@example.com"), "column email", "nothing before the @");
    assert_bad(parse("people", "email", "ana@example"), "column email", "no dot in the domain");
    assert_bad(parse("people", "email", "ana@"), "column email", "no dot in the domain");
    assert_bad(parse("people", "email", "ana@.com"), "column email", "starts or ends with a dot");
    assert_bad(parse("people", "email", "ana@com."), "column email", "starts or ends with a dot");
    assert_bad(parse("people", "email", "an a@x.com"), "column email", "space at character 3");
    assert_bad(parse("people", "email", "ana@x.com\n"), "column email", "line break");
}

/* ---- enum, int, bool ---------------------------------------------------------------------- */

static void enums(void **state)
{
    (void)state;
    assert_ok(parse("people", "role", "rep"));
    assert_int_equal(v.number, 0);
    assert_text("rep");
    assert_ok(parse("people", "role", "manager"));
    assert_int_equal(v.number, 4);
    assert_string_equal(format("people", "role"), "manager");
    assert_bad(parse("opportunities", "status", "Won"), "column status",
               "status 'Won' is not one of its values (they are case-sensitive)");
    assert_string_equal(e.hint, "did you mean 'won'? values are written in lower case");
    assert_bad(parse("opportunities", "status", "closed"), "column status",
               "status 'closed' is not one of its values");
    assert_string_equal(e.hint, "write one of: open, won, lost");
    assert_bad(parse("opportunities", "status", "won "), "column status", "'won '");
}

static void ints(void **state)
{
    (void)state;
    assert_ok(parse("accounts", "employees", "0"));
    assert_int_equal(v.number, 0);
    assert_ok(parse("accounts", "employees", "10000000"));
    assert_int_equal(v.number, 10000000);
    assert_ok(parse("accounts", "employees", "+5"));
    assert_int_equal(v.number, 5);
    assert_ok(parse("accounts", "employees", "007"));
    assert_int_equal(v.number, 7);
    assert_bad(parse("accounts", "employees", "10000001"), "column employees",
               "employees '10000001' is above the maximum 10000000");
    assert_string_equal(e.hint, "write a value from 0 to 10000000, e.g. 1200");
    assert_bad(parse("accounts", "employees", "-1"), "column employees",
               "employees '-1' is below the minimum 0");
    assert_bad(parse("accounts", "employees", "1.5"), "column employees",
               "'1.5' is not a whole number ('.' at character 2)");
    assert_bad(parse("accounts", "employees", "1,200"), "column employees", "not a whole number");
    assert_bad(parse("accounts", "employees", "1e3"), "column employees",
               "not a whole number (unexpected character at 2)");
    assert_bad(parse("accounts", "employees", "-"), "column employees", "a sign but no digits");
    assert_bad(parse("accounts", "employees", " 5"), "column employees", "not a whole number");
    assert_ok(parse("transactions", "quantity", "-9223372036854775808"));
    assert_int_equal(v.number, INT64_MIN);
    assert_string_equal(format("transactions", "quantity"), "-9223372036854775808");
    assert_ok(parse("transactions", "quantity", "9223372036854775807"));
    assert_int_equal(v.number, INT64_MAX);
    assert_int_equal(parse("transactions", "quantity", "9223372036854775808"), AT_ERR_OVERFLOW);
    assert_contains(e.message, "too large for a 64-bit whole number");
    assert_string_equal(e.where, "column quantity");
    assert_int_equal(parse("transactions", "quantity", "-9223372036854775809"), AT_ERR_OVERFLOW);
    assert_contains(e.message, "too small");
    assert_int_equal(parse("transactions", "quantity", "99999999999999999999999"),
                     AT_ERR_OVERFLOW);
    assert_bad(parse("opportunity_products", "quantity", "0"), "column quantity",
               "below the minimum 1");
    assert_string_equal(e.hint, "write 1 or more, e.g. 10");
    assert_ok(parse("survey_responses", "enps", "10"));
    assert_bad(parse("survey_responses", "enps", "11"), "column enps", "above the maximum 10");
}

static void bools(void **state)
{
    (void)state;
    static const char *const yes[] = {"true", "TRUE", "Yes", "yes", "1"};
    static const char *const no[] = {"false", "False", "NO", "no", "0"};
    for (size_t i = 0; i < 5; i++) {
        assert_ok(parse("activities", "meaningful", yes[i]));
        assert_int_equal(v.number, 1);
        assert_string_equal(format("activities", "meaningful"), "true");
        assert_ok(parse("activities", "meaningful", no[i]));
        assert_int_equal(v.number, 0);
        assert_string_equal(format("activities", "meaningful"), "false");
    }
    assert_bad(parse("activities", "meaningful", "y"), "column meaningful",
               "meaningful 'y' is not true or false");
    assert_string_equal(e.hint, "write true or false (yes/no and 1/0 also work)");
    assert_bad(parse("activities", "meaningful", "2"), "column meaningful", "not true or false");
    assert_bad(parse("activities", "meaningful", "truee"), "column meaningful", "'truee'");
}

/* ---- money and rates ---------------------------------------------------------------------- */

static void money(void **state)
{
    (void)state;
    assert_ok(parse("transactions", "amount", "-1234.5"));
    assert_int_equal(v.number, -12345000);
    assert_string_equal(format("transactions", "amount"), "-1234.50");
    assert_ok(parse("transactions", "amount", "48210"));
    assert_int_equal(v.number, 482100000);
    assert_ok(parse("transactions", "amount", "0.0001"));
    assert_int_equal(v.number, 1);
    assert_string_equal(format("transactions", "amount"), "0.0001");
    assert_bad(parse("transactions", "amount", "12.34567"), "column amount",
               "amount: amount '12.34567' has 5 decimals");
    assert_bad(parse("transactions", "amount", "1,000.00"), "column amount", "amount: ");
    assert_contains(e.hint, "thousands separator");
    assert_bad(parse("transactions", "amount", "$5"), "column amount", "amount: ");
    assert_ok(parse("products", "list_price", "0"));
    assert_bad(parse("products", "list_price", "-0.01"), "column list_price",
               "list_price '-0.01' is below the minimum 0");
    assert_string_equal(e.hint, "write 0 or more, e.g. 4821.00");
    assert_int_equal(parse("transactions", "amount", "922337203685477.5808"), AT_ERR_OVERFLOW);
    assert_string_equal(e.where, "column amount");
}

static void rates(void **state)
{
    (void)state;
    assert_ok(parse("stages", "probability", "25%"));
    assert_int_equal(v.number, 250000000);
    assert_string_equal(format("stages", "probability"), "0.25");
    assert_ok(parse("stages", "probability", "0.4"));
    assert_int_equal(v.number, 400000000);
    assert_ok(parse("stages", "probability", "1"));
    assert_int_equal(v.number, 1000000000);
    assert_ok(parse("stages", "probability", "100%"));
    assert_ok(parse("stages", "probability", "0"));
    assert_bad(parse("stages", "probability", "1.01"), "column probability",
               "probability '1.01' is above the maximum 1");
    assert_string_equal(e.hint, "write a value from 0 to 1, e.g. 0.40");
    assert_bad(parse("stages", "probability", "101%"), "column probability", "above the maximum");
    assert_bad(parse("stages", "probability", "-0.1"), "column probability",
               "below the minimum 0");
    assert_bad(parse("exchange_rates", "rate", "0"), "column rate",
               "rate '0' must be greater than 0");
    assert_string_equal(e.hint, "write a value greater than 0, e.g. 1.0842");
    assert_ok(parse("exchange_rates", "rate", "0.000000001"));
    assert_int_equal(v.number, 1);
    assert_bad(parse("exchange_rates", "rate", "0.0000000001"), "column rate", "rate: ");
    assert_bad(parse("stages", "probability", "high"), "column probability", "probability: ");
}

/* ---- days and times ----------------------------------------------------------------------- */

static void days(void **state)
{
    (void)state;
    /* 2024-01-01 is 54*365 + 13 leap days = 19723 days after 1970-01-01; + 31 + 28 */
    assert_ok(parse("people", "hire_date", "2024-02-29"));
    assert_int_equal(v.number, 19782);
    assert_string_equal(format("people", "hire_date"), "2024-02-29");
    assert_ok(parse("people", "hire_date", "1970-01-01"));
    assert_int_equal(v.number, 0);
    assert_bad(parse("people", "hire_date", "2023-02-29"), "column hire_date", "hire_date: ");
    assert_contains(e.message, "2023-02-29");
    assert_string_equal(e.hint, "use YYYY-MM-DD, e.g. 2026-03-31");
    assert_bad(parse("people", "hire_date", "2024/01/01"), "column hire_date", "hire_date: ");
    assert_bad(parse("people", "hire_date", "01/02/2024"), "column hire_date", "hire_date: ");
}

static void times(void **state)
{
    (void)state;
    /* 2025-01-01 = 19723 + 366 = 20089; + 31 + 28 + 3 = 20151 days; * 86400 + 15:20 */
    assert_ok(parse("leads", "created_at", "2025-03-04T15:20:00Z"));
    assert_int_equal(v.number, INT64_C(1741101600));
    assert_string_equal(format("leads", "created_at"), "2025-03-04T15:20:00Z");
    assert_ok(parse("leads", "created_at", "2025-03-04T16:20:00+01:00"));
    assert_int_equal(v.number, INT64_C(1741101600));
    assert_ok(parse("leads", "created_at", "2025-03-04"));
    assert_int_equal(v.number, INT64_C(1741046400));
    assert_bad(parse("leads", "created_at", "2025-03-04T25:00:00Z"), "column created_at",
               "created_at: ");
    assert_bad(parse("leads", "created_at", "yesterday"), "column created_at", "created_at: ");
}

/* ---- currency, coord, period -------------------------------------------------------------- */

static void currencies(void **state)
{
    (void)state;
    assert_ok(parse("people", "pay_currency", "USD"));
    assert_text("USD");
    assert_string_equal(format("people", "pay_currency"), "USD");
    assert_ok(parse("people", "pay_currency", "JPY"));
    assert_bad(parse("people", "pay_currency", "usd"), "column pay_currency", "pay_currency: ");
    assert_contains(e.hint, "USD");
    assert_bad(parse("people", "pay_currency", "US"), "column pay_currency", "pay_currency: ");
    at_code c = parse("people", "pay_currency", "ABC");
    assert_bad(c, "column pay_currency", "pay_currency: ");
    assert_int_equal(c, AT_ERR_INVALID); /* a cell error, not a missing reference */
    assert_int_equal(e.code, AT_ERR_INVALID);
    assert_bad(parse("people", "pay_currency", "DEM"), "column pay_currency", "pay_currency: ");
    assert_contains(e.hint, "EUR"); /* withdrawn: the hint names its successor */
}

static void coords(void **state)
{
    (void)state;
    assert_ok(parse("accounts", "latitude", "37.338207"));
    assert_int_equal(v.number, 37338207);
    assert_string_equal(format("accounts", "latitude"), "37.338207");
    assert_ok(parse("accounts", "longitude", "-121.88633"));
    assert_int_equal(v.number, -121886330);
    assert_string_equal(format("accounts", "longitude"), "-121.88633");
    assert_ok(parse("accounts", "latitude", "-90"));
    assert_int_equal(v.number, -90000000);
    assert_string_equal(format("accounts", "latitude"), "-90.0");
    assert_ok(parse("accounts", "latitude", "90.000000"));
    assert_ok(parse("accounts", "latitude", "+45.5"));
    assert_int_equal(v.number, 45500000);
    assert_ok(parse("accounts", "latitude", "-0.5"));
    assert_int_equal(v.number, -500000);
    assert_string_equal(format("accounts", "latitude"), "-0.5");
    assert_ok(parse("accounts", "latitude", "0"));
    assert_string_equal(format("accounts", "latitude"), "0.0");
    assert_ok(parse("accounts", "longitude", "180"));
    assert_bad(parse("accounts", "latitude", "90.000001"), "column latitude",
               "latitude '90.000001' is above the maximum 90");
    assert_string_equal(e.hint, "write a value from -90 to 90, e.g. 37.338207");
    assert_bad(parse("accounts", "longitude", "-180.5"), "column longitude",
               "below the minimum -180");
    assert_bad(parse("accounts", "latitude", "1.1234567"), "column latitude",
               "has 7 decimals; at most 6 are kept");
    assert_bad(parse("accounts", "latitude", "37\xC2\xB0" "20'"), "column latitude",
               "is not a decimal number of degrees");
    assert_bad(parse("accounts", "latitude", "."), "column latitude", "not a decimal number");
    assert_bad(parse("accounts", "latitude", "1."), "column latitude", "not a decimal number");
    assert_bad(parse("accounts", "latitude", ".5"), "column latitude", "not a decimal number");
    assert_bad(parse("accounts", "latitude", "-"), "column latitude", "not a decimal number");
    assert_bad(parse("accounts", "latitude", "1,5"), "column latitude", "not a decimal number");
    assert_bad(parse("accounts", "latitude", "12345678901"), "column latitude", "far too large");
    assert_ok(parse("accounts", "latitude", "000000000000089.5")); /* leading zeros say nothing */
    assert_int_equal(v.number, 89500000);
}

static void periods(void **state)
{
    (void)state;
    static const char *const good[][2] = {
        {"2026-Q1", "2026-Q1"}, {"2026-q4", "2026-Q4"}, {"2026", "2026"},
        {"2026-03", "2026-03"}, {"2026-12", "2026-12"}, {"2026-H2", "2026-H2"},
        {"2026-h1", "2026-H1"},
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        assert_ok(parse("quotas", "period", good[i][0]));
        assert_text(good[i][1]);
        assert_string_equal(format("quotas", "period"), good[i][1]);
    }
    static const char *const bad[] = {"2026-13", "2026-00", "2026-Q5", "2026-Q0", "2026-H3",
                                      "FY2026",  "26-Q1",   "2026-3",  "2026Q1",  "0000"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        at_code c = parse("quotas", "period", bad[i]);
        if (c == AT_OK)
            fail_msg("period '%s' was accepted", bad[i]);
        assert_string_equal(e.where, "column period");
        assert_contains(e.message, "period: ");
    }
}

/* ---- formatting --------------------------------------------------------------------------- */

static void format_absent_and_small_buffers(void **state)
{
    (void)state;
    at_value absent = {0};
    char buf[8];
    at_str out;
    assert_int_equal(at_field_format(fld("transactions", "amount"), &absent, buf, sizeof buf,
                                     &out, &e),
                     AT_OK);
    assert_int_equal(out.len, 0);
    assert_ok(parse("transactions", "amount", "123456.5"));
    assert_int_equal(at_field_format(fld("transactions", "amount"), &v, buf, sizeof buf, &out,
                                     &e),
                     AT_ERR_OVERFLOW);
    assert_string_equal(e.where, "column amount");
    char big[16];
    assert_int_equal(at_field_format(fld("transactions", "amount"), &v, big, sizeof big, &out,
                                     &e),
                     AT_OK);
    assert_int_equal(out.len, 9);
    assert_memory_equal(out.ptr, "123456.50", 9);
    at_value bad_day = {.present = true, .number = AT_DAY_MAX + 1};
    assert_int_equal(at_field_format(fld("people", "hire_date"), &bad_day, big, sizeof big, &out,
                                     &e),
                     AT_ERR_INVALID);
}

static void bugs_are_reported_not_crashed_on(void **state)
{
    (void)state;
    at_field odd = {.name = "odd", .type = (at_field_type)99, .example = "x"};
    at_value out;
    assert_int_equal(at_field_parse(&odd, AT_STR("x"), &arena, &out, &e), AT_ERR_INTERNAL);
    assert_string_equal(e.where, "column odd");
    assert_false(out.present);
    at_value some = {.present = true, .number = 1};
    char buf[16];
    at_str s;
    assert_int_equal(at_field_format(&odd, &some, buf, sizeof buf, &s, &e), AT_ERR_INTERNAL);
    at_field text = {.name = "t", .type = AT_FIELD_TEXT, .example = "x"};
    assert_int_equal(at_field_parse(&text, at_str_make(NULL, 3), &arena, &out, &e),
                     AT_ERR_INTERNAL);
    /* a long core message keeps its end cut, never overruns */
    at_field longname = {.name = "a_column_with_a_rather_long_name_indeed",
                         .type = AT_FIELD_MONEY, .example = "1"};
    char big[600];
    memset(big, '9', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    big[3] = 'x';
    assert_int_equal(at_field_parse(&longname, at_str_from(big), &arena, &out, &e),
                     AT_ERR_INVALID);
    assert_true(strlen(e.message) < AT_ERROR_MESSAGE_MAX);
    assert_true(strncmp(e.message, "a_column_with_a_rather_long_name_indeed: ", 41) == 0);
}

/* parse(format(v)) == v for every example of every field */
static void examples_round_trip(void **state)
{
    (void)state;
    for (size_t i = 0; i < at_entity_count; i++) {
        const at_entity *ent = at_entities[i];
        for (size_t f = 0; f < ent->field_count; f++) {
            const at_field *fd = &ent->fields[f];
            at_value a, b;
            char buf[512];
            at_str out;
            assert_int_equal(at_field_parse(fd, at_str_from(fd->example), &arena, &a, &e),
                             AT_OK);
            assert_int_equal(at_field_format(fd, &a, buf, sizeof buf, &out, &e), AT_OK);
            assert_int_equal(at_field_parse(fd, out, &arena, &b, &e), AT_OK);
            assert_int_equal(a.present, b.present);
            assert_int_equal(a.number, b.number);
            assert_int_equal(a.text.len, b.text.len);
            if (a.text.len)
                assert_memory_equal(a.text.ptr, b.text.ptr, a.text.len);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(entities_are_in_spec_import_order),
        cmocka_unit_test(descriptors_are_complete_and_consistent),
        cmocka_unit_test(fields_h_indexes_match_names),
        cmocka_unit_test(keys_follow_the_spec),
        cmocka_unit_test(type_labels),
        cmocka_unit_test(empty_is_absent_or_required),
        cmocka_unit_test(defaults_fill_empty_cells),
        cmocka_unit_test(ids),
        cmocka_unit_test(value_is_an_arena_copy),
        cmocka_unit_test(texts),
        cmocka_unit_test(emails),
        cmocka_unit_test(enums),
        cmocka_unit_test(ints),
        cmocka_unit_test(bools),
        cmocka_unit_test(money),
        cmocka_unit_test(rates),
        cmocka_unit_test(days),
        cmocka_unit_test(times),
        cmocka_unit_test(currencies),
        cmocka_unit_test(coords),
        cmocka_unit_test(periods),
        cmocka_unit_test(format_absent_and_small_buffers),
        cmocka_unit_test(bugs_are_reported_not_crashed_on),
        cmocka_unit_test(examples_round_trip),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
