/* test_store_entities.c - the store over the real descriptors (at_entities): every entity's
 * table is created and round-trips one row (every field given), a second write of the same row
 * is "unchanged"; and `attain summary`'s figures over a handful of rows worked out by hand. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "model/fields.h"
#include "store/store.h"
#include "test_store_util.h"

#define MAX_FIELDS 32

/* A value for every field that obeys the field's type and bounds. REF values name the row "R1"
 * of the referenced entity (made first: at_entities is in import order); a reference to the
 * entity itself is left empty unless required. */
static void sample_value(const at_entity *e, const at_field *f, at_value *v)
{
    memset(v, 0, sizeof *v);
    v->present = true;
    int64_t lo = f->min, hi = f->max;
    bool bounded = lo != 0 || hi != 0;
    switch (f->type) {
    case AT_FIELD_ID: v->text = AT_STR("R1"); break;
    case AT_FIELD_REF:
        if (strcmp(f->ref_entity, e->name) == 0 && !f->required)
            v->present = false;
        else
            v->text = AT_STR("R1");
        break;
    case AT_FIELD_TEXT: v->text = AT_STR("Text, \"quoted\""); break;
    case AT_FIELD_EMAIL: v->text = AT_STR("ana@example.com"); break;
    case AT_FIELD_ENUM: v->text = at_str_from(f->values[0]); break;
    case AT_FIELD_CURRENCY: v->text = AT_STR("EUR"); break;
    case AT_FIELD_PERIOD: v->text = AT_STR("2026-Q1"); break;
    case AT_FIELD_DAY: v->number = 20454; break;
    case AT_FIELD_TIME: v->number = 1767225600; break;
    case AT_FIELD_BOOL: v->number = 1; break;
    case AT_FIELD_INT:
    case AT_FIELD_MONEY:
    case AT_FIELD_RATE:
    case AT_FIELD_COORD:
        v->number = 7;
        if (bounded && v->number < lo)
            v->number = lo;
        if (bounded && hi >= lo && v->number > hi)
            v->number = hi;
        break;
    }
}

typedef struct compare_ctx {
    const at_value *expected;
    size_t rows;
} compare_ctx;

static at_code compare_row(void *ctx, int64_t id, const at_row *row, at_error *err)
{
    (void)err;
    compare_ctx *c = ctx;
    c->rows++;
    assert_int_equal(id, 1);
    for (size_t i = 0; i < row->entity->field_count; i++) {
        const at_field *f = &row->entity->fields[i];
        const at_value *got = &row->values[i], *want = &c->expected[i];
        if (got->present != want->present)
            fail_msg("%s.%s: present %d, want %d", row->entity->name, f->name, got->present,
                     want->present);
        if (!want->present)
            continue;
        if (want->text.ptr) {
            if (got->text.len != want->text.len ||
                memcmp(got->text.ptr, want->text.ptr, want->text.len) != 0)
                fail_msg("%s.%s: text '%.*s', want '%.*s'", row->entity->name, f->name,
                         (int)got->text.len, got->text.ptr, (int)want->text.len,
                         want->text.ptr);
        } else if (got->number != want->number) {
            fail_msg("%s.%s: %lld, want %lld", row->entity->name, f->name,
                     (long long)got->number, (long long)want->number);
        }
        if (f->type == AT_FIELD_REF && got->ref_id != 1)
            fail_msg("%s.%s: internal id %lld, want 1", row->entity->name, f->name,
                     (long long)got->ref_id);
    }
    return AT_OK;
}

static void every_entity_round_trips_one_row(void **state)
{
    (void)state;
    char *path = util_db_path("entities");
    at_store_options opt = {.create = true};
    at_store *s = NULL;
    at_error err;
    assert_int_equal(at_store_open(path, &opt, &s, &err), AT_OK);
    assert_int_equal(at_store_entity_count(s), at_entity_count);
    static at_value values[64][MAX_FIELDS];
    assert_true(at_entity_count <= 64);

    int64_t import_id;
    assert_int_equal(at_store_begin_import(s, "test", NULL, &import_id, &err), AT_OK);
    for (size_t n = 0; n < at_entity_count; n++) {
        const at_entity *e = at_entities[n];
        assert_true(e->field_count <= MAX_FIELDS);
        for (size_t i = 0; i < e->field_count; i++)
            sample_value(e, &e->fields[i], &values[n][i]);
        at_row row = {e, values[n]};
        at_upsert_result r;
        int64_t id = 0;
        if (at_store_upsert(s, &row, &r, &id, &err) != AT_OK)
            fail_msg("%s: %s: %s", e->name, err.where, err.message);
        assert_int_equal(r, AT_UPSERT_INSERTED);
        assert_int_equal(id, 1);
    }
    assert_int_equal(at_store_commit(s, &err), AT_OK);

    assert_int_equal(at_store_begin(s, "test", NULL, &err), AT_OK);
    for (size_t n = 0; n < at_entity_count; n++) {
        const at_entity *e = at_entities[n];
        int64_t count = 0;
        assert_int_equal(at_store_count(s, e, &count, &err), AT_OK);
        assert_int_equal(count, 1);
        compare_ctx c = {values[n], 0};
        if (at_store_each_row(s, e, compare_row, &c, &err) != AT_OK)
            fail_msg("%s: %s", e->name, err.message);
        assert_int_equal(c.rows, 1);
        at_row row = {e, values[n]};
        at_upsert_result r;
        assert_int_equal(at_store_upsert(s, &row, &r, NULL, &err), AT_OK);
        if (r != AT_UPSERT_UNCHANGED)
            fail_msg("%s: written again: %s", e->name, at_upsert_result_name(r));
    }
    assert_int_equal(at_store_commit(s, &err), AT_OK);

    at_error_list problems;
    at_error_list_init(&problems, 0);
    assert_int_equal(at_store_check(s, &problems, &err), AT_OK);
    assert_int_equal(problems.total, 0);
    at_error_list_free(&problems);
    at_store_close(s);
    util_remove_db(path);
    free(path);
}

/* ---- summary ---------------------------------------------------------------------------- */

static at_value T(const char *s)
{
    return (at_value){.present = true, .text = at_str_from(s)};
}

static at_value N(int64_t n)
{
    return (at_value){.present = true, .number = n};
}

static void put(at_store *s, const char *entity, at_value *values)
{
    at_row row = {at_entity_find(at_str_from(entity)), values};
    at_error err;
    if (at_store_upsert(s, &row, NULL, NULL, &err) != AT_OK)
        fail_msg("%s: %s", entity, err.message);
}

static void summary_figures(void **state)
{
    (void)state;
    char *path = util_db_path("summary");
    at_store_options opt = {.create = true};
    at_store *s = NULL;
    at_error err;
    assert_int_equal(at_store_open(path, &opt, &s, &err), AT_OK);
    at_arena arena;
    at_arena_init(&arena, 0);
    at_store_summary sum;

    /* empty */
    assert_int_equal(at_store_summarize(s, NULL, &arena, &sum, &err), AT_OK);
    assert_int_equal(sum.entity_count, at_entity_count);
    assert_false(sum.has_transactions);
    assert_false(sum.has_win_rate);
    assert_false(sum.has_dates);
    assert_int_equal(sum.role_count, 0);

    assert_int_equal(at_store_begin(s, "test", NULL, &err), AT_OK);
    const char *roles[] = {"rep", "manager", "rep", "sdr"};
    for (int i = 0; i < 4; i++) {
        at_value p[AT_PEOPLE_FIELD_COUNT] = {0};
        char id[8];
        snprintf(id, sizeof id, "P%d", i + 1);
        p[AT_PEOPLE_ID] = T(id);
        p[AT_PEOPLE_NAME] = T(id);
        p[AT_PEOPLE_ROLE] = T(roles[i]);
        p[AT_PEOPLE_PAY_CURRENCY] = T("USD");
        put(s, "people", p);
    }
    const struct {
        const char *id, *name, *outcome;
        int pos;
    } stages[] = {{"S1", "Qualify", "open", 1}, {"S8", "Won", "won", 8}, {"S9", "Lost", "lost", 9}};
    for (int i = 0; i < 3; i++) {
        at_value v[AT_STAGES_FIELD_COUNT] = {0};
        v[AT_STAGES_ID] = T(stages[i].id);
        v[AT_STAGES_NAME] = T(stages[i].name);
        v[AT_STAGES_POSITION] = N(stages[i].pos);
        v[AT_STAGES_OUTCOME] = T(stages[i].outcome);
        put(s, "stages", v);
    }
    /* 3 open (2 USD: 100 + 50.25; 1 without amount), 2 won (USD 1000, EUR 200), 1 lost */
    const struct {
        const char *id, *stage, *status, *currency;
        int64_t amount, created, closed;
    } opps[] = {
        {"O1", "S1", "open", "USD", 1000000, 20000, 0},
        {"O2", "S1", "open", "USD", 502500, 20100, 0},
        {"O3", "S1", "open", NULL, -1, 19990, 0},
        {"O4", "S8", "won", "USD", 10000000, 20010, 20300},
        {"O5", "S8", "won", "EUR", 2000000, 20020, 20310},
        {"O6", "S9", "lost", "USD", 40000, 20030, 20320},
    };
    for (int i = 0; i < 6; i++) {
        at_value v[AT_OPPORTUNITIES_FIELD_COUNT] = {0};
        v[AT_OPPORTUNITIES_ID] = T(opps[i].id);
        v[AT_OPPORTUNITIES_NAME] = T(opps[i].id);
        v[AT_OPPORTUNITIES_OWNER_ID] = T("P1");
        v[AT_OPPORTUNITIES_STAGE_ID] = T(opps[i].stage);
        v[AT_OPPORTUNITIES_STATUS] = T(opps[i].status);
        v[AT_OPPORTUNITIES_FORECAST_CATEGORY] = T("pipeline");
        v[AT_OPPORTUNITIES_CREATED_ON] = N(opps[i].created);
        if (opps[i].closed)
            v[AT_OPPORTUNITIES_CLOSED_ON] = N(opps[i].closed);
        if (opps[i].amount >= 0) {
            v[AT_OPPORTUNITIES_AMOUNT] = N(opps[i].amount);
            v[AT_OPPORTUNITIES_CURRENCY] = T(opps[i].currency);
        }
        put(s, "opportunities", v);
    }
    /* transactions: the latest is 2026-03-31 (20543); the 12 months are 2025-04-01 (20179)
     * .. 2026-03-31. 2025-03-31 (20178) falls outside. */
    const struct {
        const char *id, *type, *currency;
        int64_t date, amount;
    } txs[] = {
        {"X1", "booking", "USD", 20543, 1000000},   {"X2", "booking", "USD", 20179, 2500000},
        {"X3", "booking", "USD", 20178, 9990000},   {"X4", "invoice", "USD", 20300, 700000},
        {"X5", "cancellation", "USD", 20400, -250000}, {"X6", "booking", "EUR", 20500, 3000000},
    };
    for (int i = 0; i < 6; i++) {
        at_value v[AT_TRANSACTIONS_FIELD_COUNT] = {0};
        v[AT_TRANSACTIONS_ID] = T(txs[i].id);
        v[AT_TRANSACTIONS_TYPE] = T(txs[i].type);
        v[AT_TRANSACTIONS_DATE] = N(txs[i].date);
        v[AT_TRANSACTIONS_AMOUNT] = N(txs[i].amount);
        v[AT_TRANSACTIONS_CURRENCY] = T(txs[i].currency);
        v[AT_TRANSACTIONS_OWNER_ID] = T("P2");
        put(s, "transactions", v);
    }
    assert_int_equal(at_store_commit(s, &err), AT_OK);

    at_arena_reset(&arena);
    assert_int_equal(at_store_summarize(s, NULL, &arena, &sum, &err), AT_OK);
    long people = -1, txn = -1;
    for (size_t i = 0; i < sum.entity_count; i++) {
        if (strcmp(sum.entities[i].label, "people") == 0)
            people = (long)sum.entities[i].count;
        if (strcmp(sum.entities[i].label, "transactions") == 0)
            txn = (long)sum.entities[i].count;
    }
    assert_int_equal(people, 4);
    assert_int_equal(txn, 6);
    /* by role, sorted by name */
    assert_int_equal(sum.role_count, 3);
    assert_string_equal(sum.people_by_role[0].label, "manager");
    assert_int_equal(sum.people_by_role[0].count, 1);
    assert_string_equal(sum.people_by_role[1].label, "rep");
    assert_int_equal(sum.people_by_role[1].count, 2);
    assert_string_equal(sum.people_by_role[2].label, "sdr");
    /* open pipeline: the one without an amount has no currency ("") */
    assert_int_equal(sum.open_count, 2);
    assert_string_equal(sum.open_pipeline[0].currency, "");
    assert_int_equal(sum.open_pipeline[0].count, 1);
    assert_int_equal(sum.open_pipeline[0].amount, 0);
    assert_string_equal(sum.open_pipeline[1].currency, "USD");
    assert_int_equal(sum.open_pipeline[1].count, 2);
    assert_int_equal(sum.open_pipeline[1].amount, 1502500);
    assert_int_equal(sum.won_count, 2);
    assert_string_equal(sum.won[0].currency, "EUR");
    assert_int_equal(sum.won[0].amount, 2000000);
    assert_string_equal(sum.won[1].currency, "USD");
    assert_int_equal(sum.won[1].amount, 10000000);
    /* win rate 2 / 3 = 0.666666667 */
    assert_true(sum.has_win_rate);
    assert_int_equal(sum.opportunities_won, 2);
    assert_int_equal(sum.opportunities_lost, 1);
    assert_int_equal(sum.win_rate, 666666667);
    /* transactions of the last 12 months */
    assert_true(sum.has_transactions);
    assert_int_equal(sum.transactions_from, 20179);
    assert_int_equal(sum.transactions_to, 20543);
    assert_int_equal(sum.transaction_count, 4);
    assert_string_equal(sum.transactions[0].label, "booking");
    assert_string_equal(sum.transactions[0].currency, "EUR");
    assert_int_equal(sum.transactions[0].amount, 3000000);
    assert_string_equal(sum.transactions[1].label, "booking");
    assert_string_equal(sum.transactions[1].currency, "USD");
    assert_int_equal(sum.transactions[1].count, 2);
    assert_int_equal(sum.transactions[1].amount, 3500000);
    assert_string_equal(sum.transactions[2].label, "cancellation");
    assert_int_equal(sum.transactions[2].amount, -250000);
    assert_string_equal(sum.transactions[3].label, "invoice");
    /* dates: earliest is O3's creation (19990), latest X1 (20543) */
    assert_true(sum.has_dates);
    assert_int_equal(sum.first_day, 19990);
    assert_int_equal(sum.last_day, 20543);

    /* as of a given day: 2025-12-31 (20453) -> from 2025-01-01 (20089), but the first
     * transaction is on 2025-03-31 (20178) */
    at_day as_of = 20453;
    at_arena_reset(&arena);
    assert_int_equal(at_store_summarize(s, &as_of, &arena, &sum, &err), AT_OK);
    assert_int_equal(sum.transactions_from, 20178);
    assert_int_equal(sum.transactions_to, 20453);
    assert_int_equal(sum.transaction_count, 3); /* booking USD (X2, X3), cancellation, invoice */
    assert_int_equal(sum.transactions[0].count, 2);
    assert_int_equal(sum.transactions[0].amount, 12490000);

    at_arena_free(&arena);
    at_store_close(s);
    util_remove_db(path);
    free(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_entity_round_trips_one_row),
        cmocka_unit_test(summary_figures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
