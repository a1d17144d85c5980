/* pay_store_read.c - one person's stored results read back (at_store_run_read), shaped as the
 * engine's at_calc_input and at_calc_result so that a statement reads a stored run the way it
 * reads a fresh one. The input is what at_store_calc_load gives, except that its transactions
 * are exactly those the stored credits name (and their originals); dense indexes follow
 * internal ids as there. Plans are matched by name and version among those the caller
 * parsed: the store never reads plan documents. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/pay_store.h"
#include "store/pay_store_impl.h"

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* The index of id in a sorted array, or -1. */
static int32_t find_sorted(const int64_t *ids, size_t n, int64_t id)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ids[mid] < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && ids[lo] == id ? (int32_t)lo : -1;
}

static int32_t month_index(const at_fiscal_table *cal, const char *label)
{
    const at_period *p = NULL;
    if (!label || at_fiscal_parse_label(cal, at_str_from(label), &p, NULL) != AT_OK ||
        p->kind != AT_PERIOD_MONTH)
        return -1;
    return (int32_t)(p - cal->periods[AT_PERIOD_MONTH]);
}

static const at_plan *find_plan(const at_plan *const *plans, size_t n, const char *name,
                                int version)
{
    for (size_t i = 0; name && i < n; i++)
        if (plans[i] && plans[i]->name && plans[i]->version == version &&
            strcmp(plans[i]->name, name) == 0)
            return plans[i];
    return NULL;
}

static const char *copy_text(at_arena *arena, sqlite3_stmt *st, int col, bool *failed)
{
    const unsigned char *t = sqlite3_column_text(st, col);
    if (!t)
        return NULL;
    char *p = at_arena_strndup(arena, (const char *)t, (size_t)sqlite3_column_bytes(st, col));
    if (!p)
        *failed = true;
    return p;
}

/* The first day of the first month and the last of the last, from a calendar around them. */
static at_code month_days(at_store *s, const char *first, const char *last, at_day *from,
                          at_day *to, at_error *err)
{
    at_period_kind k1, k2;
    int y1, y2, n1, n2;
    if (!first || !last ||
        at_period_label_parse(at_str_from(first), &k1, &y1, &n1, NULL) != AT_OK ||
        at_period_label_parse(at_str_from(last), &k2, &y2, &n2, NULL) != AT_OK ||
        k1 != AT_PERIOD_MONTH || k2 != AT_PERIOD_MONTH || strcmp(first, last) > 0)
        return at_fail(err, AT_ERR_INVALID, s->path, "give two months such as 2026-01 2026-03",
                       "'%s'..'%s' is not a range of months", first ? first : "(none)",
                       last ? last : "(none)");
    at_fiscal_table cal;
    at_code rc = at_store_fiscal_table(s, y1, y2, &cal, err);
    const at_period *p1 = NULL, *p2 = NULL;
    if (rc == AT_OK)
        rc = at_fiscal_get(&cal, AT_PERIOD_MONTH, y1, n1, &p1, err);
    if (rc == AT_OK)
        rc = at_fiscal_get(&cal, AT_PERIOD_MONTH, y2, n2, &p2, err);
    if (rc == AT_OK) {
        *from = p1->first;
        *to = p2->last;
    }
    at_fiscal_table_free(&cal);
    return rc;
}

typedef struct blob_group {
    char month[AT_PERIOD_LABEL_MAX];
    at_store_credit *credits;
    size_t count;
} blob_group;

static at_code read_credits(at_store *s, int64_t run_id, int64_t person_id, const char *first,
                            const char *last, at_arena *arena, blob_group **groups,
                            size_t *group_count, at_error *err)
{
    sqlite3_stmt *st;
    const char *doing = "reading a run's credits";
    at_code rc = at_sqlite_prepare(s,
                                   "SELECT month, credits FROM calc_credits WHERE run_id = ?1 "
                                   "AND person_id = ?2 AND month BETWEEN ?3 AND ?4 ORDER BY "
                                   "month",
                                   false, &st, doing, err);
    if (rc != AT_OK)
        return rc;
    sqlite3_bind_int64(st, 1, run_id);
    sqlite3_bind_int64(st, 2, person_id);
    sqlite3_bind_text(st, 3, first, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, last, -1, SQLITE_STATIC);
    blob_group *g = NULL;
    size_t n = 0, cap = 0;
    int r;
    while (rc == AT_OK && (r = sqlite3_step(st)) == SQLITE_ROW) {
        if (n == cap) {
            size_t c = cap ? 2 * cap : 16;
            blob_group *q = realloc(g, c * sizeof *q);
            if (!q) {
                rc = at_sqlite_nomem(s, err);
                break;
            }
            g = q;
            cap = c;
        }
        blob_group *b = &g[n++];
        snprintf(b->month, sizeof b->month, "%s", (const char *)sqlite3_column_text(st, 0));
        rc = at_store_credits_decode(sqlite3_column_blob(st, 1),
                                     (size_t)sqlite3_column_bytes(st, 1), arena, &b->credits,
                                     &b->count, err);
    }
    if (rc == AT_OK && r != SQLITE_DONE)
        rc = at_sqlite_fail(s, r, doing, err);
    sqlite3_finalize(st);
    if (rc != AT_OK) {
        free(g);
        return rc;
    }
    *groups = g;
    *group_count = n;
    return AT_OK;
}

static at_code fill_credits(at_store_run_view *v, const blob_group *g, size_t ng,
                            at_arena *arena, at_error *err)
{
    size_t total = 0;
    for (size_t i = 0; i < ng; i++)
        total += g[i].count;
    at_calc_credits *c = &v->result.credits;
    size_t n = total ? total : 1;
    c->transaction = at_arena_alloc(arena, n * sizeof *c->transaction);
    c->person = at_arena_alloc(arena, n * sizeof *c->person);
    c->kind = at_arena_alloc(arena, n * sizeof *c->kind);
    c->level = at_arena_alloc(arena, n * sizeof *c->level);
    c->from_person = at_arena_alloc(arena, n * sizeof *c->from_person);
    c->share = at_arena_alloc(arena, n * sizeof *c->share);
    c->amount = at_arena_alloc(arena, n * sizeof *c->amount);
    c->margin = at_arena_alloc(arena, n * sizeof *c->margin);
    c->date = at_arena_alloc(arena, n * sizeof *c->date);
    c->month = at_arena_alloc(arena, n * sizeof *c->month);
    size_t people = v->input.person_count;
    c->person_start = at_arena_alloc(arena, (people + 1) * sizeof *c->person_start);
    if (!c->transaction || !c->person || !c->kind || !c->level || !c->from_person ||
        !c->share || !c->amount || !c->margin || !c->date || !c->month || !c->person_start)
        return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory reading a run");
    size_t k = 0;
    for (size_t i = 0; i < ng; i++) {
        int32_t month = month_index(&v->data.calendar, g[i].month);
        for (size_t j = 0; j < g[i].count; j++, k++) {
            const at_store_credit *s = &g[i].credits[j];
            c->transaction[k] = at_store_calc_transaction_index(&v->data, s->transaction);
            c->person[k] = v->person;
            c->kind[k] = s->kind;
            c->level[k] = s->level;
            c->from_person[k] = s->from_person ? at_store_calc_person_index(&v->data,
                                                                            s->from_person)
                                               : -1;
            c->share[k] = s->share;
            c->amount[k] = s->amount;
            c->margin[k] = s->margin;
            c->date[k] = s->date;
            c->month[k] = month;
        }
    }
    c->count = total;
    for (size_t p = 0; p <= people; p++)
        c->person_start[p] = (int32_t)p <= v->person ? 0 : total;
    return AT_OK;
}

static at_code read_measures(at_store *s, at_store_run_view *v, int64_t person_id,
                             const char *first, const char *last, const at_plan *const *plans,
                             size_t plan_count, at_arena *arena, at_error *err)
{
    sqlite3_stmt *st;
    const char *doing = "reading a run's measure values";
    at_code rc = at_sqlite_prepare(s,
                                   "SELECT month, assignment_id, plan, plan_version, measure, "
                                   "month_value, value, credit_count, quota, attainment, "
                                   "(SELECT count(*) FROM calc_measures c2 WHERE c2.run_id = ?1 "
                                   "AND c2.person_id = ?2 AND c2.month BETWEEN ?3 AND ?4) FROM "
                                   "calc_measures WHERE run_id = ?1 AND person_id = ?2 AND month "
                                   "BETWEEN ?3 AND ?4 ORDER BY month, seq",
                                   false, &st, doing, err);
    if (rc != AT_OK)
        return rc;
    sqlite3_bind_int64(st, 1, v->run_id);
    sqlite3_bind_int64(st, 2, person_id);
    sqlite3_bind_text(st, 3, first, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, last, -1, SQLITE_STATIC);
    at_calc_measure_value *m = NULL;
    const char **plan_names = NULL, **measure_ids = NULL;
    int *versions = NULL;
    size_t n = 0;
    bool failed = false;
    int r;
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        if (!m) {
            size_t total = (size_t)sqlite3_column_int64(st, 10);
            m = at_arena_calloc(arena, total, sizeof *m);
            plan_names = at_arena_calloc(arena, total, sizeof *plan_names);
            measure_ids = at_arena_calloc(arena, total, sizeof *measure_ids);
            versions = at_arena_calloc(arena, total, sizeof *versions);
            if (!m || !plan_names || !measure_ids || !versions) {
                failed = true;
                break;
            }
        }
        at_calc_measure_value *o = &m[n];
        o->person = v->person;
        o->month = month_index(&v->data.calendar, (const char *)sqlite3_column_text(st, 0));
        o->assignment = sqlite3_column_type(st, 1) == SQLITE_NULL
                            ? -1
                            : find_sorted(v->data.assignment_ids, v->data.assignment_count,
                                          sqlite3_column_int64(st, 1));
        plan_names[n] = copy_text(arena, st, 2, &failed);
        versions[n] = sqlite3_column_int(st, 3);
        measure_ids[n] = copy_text(arena, st, 4, &failed);
        o->plan = find_plan(plans, plan_count, plan_names[n], versions[n]);
        o->measure = -1;
        for (size_t i = 0; o->plan && measure_ids[n] && i < o->plan->measure_count; i++)
            if (o->plan->measures[i].id && strcmp(o->plan->measures[i].id, measure_ids[n]) == 0)
                o->measure = (int16_t)i;
        o->month_value = sqlite3_column_int64(st, 5);
        o->value = sqlite3_column_int64(st, 6);
        o->credit_count = sqlite3_column_int64(st, 7);
        o->has_quota = sqlite3_column_type(st, 8) != SQLITE_NULL;
        o->quota = sqlite3_column_int64(st, 8);
        o->attainment = sqlite3_column_int64(st, 9);
        n++;
    }
    sqlite3_finalize(st);
    if (failed)
        return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory reading a run");
    if (r != SQLITE_DONE)
        return at_sqlite_fail(s, r, doing, err);
    v->result.measures = m;
    v->result.measure_count = n;
    v->measure_plan = plan_names;
    v->measure_plan_version = versions;
    v->measure_id = measure_ids;
    return AT_OK;
}

static int kind_of(const unsigned char *name)
{
    for (int i = 0; name && i < 5; i++)
        if (strcmp((const char *)name, at_pay_line_kinds[i]) == 0)
            return i;
    return AT_LINE_COMPONENT;
}

static at_code read_lines(at_store *s, at_store_run_view *v, int64_t person_id,
                          const char *first, const char *last, const at_plan *const *plans,
                          size_t plan_count, at_arena *arena, at_error *err)
{
    sqlite3_stmt *st;
    const char *doing = "reading a run's lines";
    at_code rc = at_sqlite_prepare(
        s,
        "SELECT month, assignment_id, plan, plan_version, component, kind, line_key, "
        "earned_to_date, earned, amount, fx_rate, adjusts_month, gated, capped, explain, "
        "(SELECT count(*) FROM calc_lines c2 WHERE c2.run_id = ?1 AND c2.person_id = ?2 AND "
        "c2.month BETWEEN ?3 AND ?4) FROM calc_lines WHERE run_id = ?1 AND person_id = ?2 AND "
        "month BETWEEN ?3 AND ?4 ORDER BY month, seq",
        false, &st, doing, err);
    if (rc != AT_OK)
        return rc;
    sqlite3_bind_int64(st, 1, v->run_id);
    sqlite3_bind_int64(st, 2, person_id);
    sqlite3_bind_text(st, 3, first, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, last, -1, SQLITE_STATIC);
    at_calc_line *l = NULL;
    const char **plan_names = NULL, **components = NULL;
    int *versions = NULL;
    size_t n = 0;
    bool failed = false;
    int r;
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        if (!l) {
            size_t total = (size_t)sqlite3_column_int64(st, 15);
            l = at_arena_calloc(arena, total, sizeof *l);
            plan_names = at_arena_calloc(arena, total, sizeof *plan_names);
            components = at_arena_calloc(arena, total, sizeof *components);
            versions = at_arena_calloc(arena, total, sizeof *versions);
            if (!l || !plan_names || !components || !versions) {
                failed = true;
                break;
            }
        }
        at_calc_line *o = &l[n];
        o->person = v->person;
        o->month = month_index(&v->data.calendar, (const char *)sqlite3_column_text(st, 0));
        o->assignment = sqlite3_column_type(st, 1) == SQLITE_NULL
                            ? -1
                            : find_sorted(v->data.assignment_ids, v->data.assignment_count,
                                          sqlite3_column_int64(st, 1));
        plan_names[n] = copy_text(arena, st, 2, &failed);
        versions[n] = sqlite3_column_int(st, 3);
        components[n] = copy_text(arena, st, 4, &failed);
        o->plan = find_plan(plans, plan_count, plan_names[n], versions[n]);
        o->component = -1;
        for (size_t i = 0; o->plan && components[n] && i < o->plan->component_count; i++)
            if (o->plan->components[i].id &&
                strcmp(o->plan->components[i].id, components[n]) == 0)
                o->component = (int16_t)i;
        o->kind = (uint8_t)kind_of(sqlite3_column_text(st, 5));
        o->key = copy_text(arena, st, 6, &failed);
        o->earned_to_date = sqlite3_column_int64(st, 7);
        o->earned = sqlite3_column_int64(st, 8);
        o->amount = sqlite3_column_int64(st, 9);
        o->fx_rate = sqlite3_column_int64(st, 10);
        o->adjusts_month =
            sqlite3_column_type(st, 11) == SQLITE_NULL
                ? -1
                : month_index(&v->data.calendar, (const char *)sqlite3_column_text(st, 11));
        o->gated = sqlite3_column_int(st, 12) != 0;
        o->capped = sqlite3_column_int(st, 13) != 0;
        o->explain = copy_text(arena, st, 14, &failed);
        n++;
    }
    sqlite3_finalize(st);
    if (failed)
        return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory reading a run");
    if (r != SQLITE_DONE)
        return at_sqlite_fail(s, r, doing, err);
    v->result.lines = l;
    v->result.line_count = n;
    v->line_plan = plan_names;
    v->line_plan_version = versions;
    v->line_component = components;
    return AT_OK;
}

static at_code read_payouts(at_store *s, at_store_run_view *v, int64_t person_id,
                            const char *first, const char *last, at_arena *arena, at_error *err)
{
    sqlite3_stmt *st;
    const char *doing = "reading a run's payouts";
    at_code rc = at_sqlite_prepare(s,
                                   "SELECT month, currency, earned, amount, earned_ytd, "
                                   "paid_ytd, draw_balance FROM calc_payouts WHERE run_id = ?1 "
                                   "AND person_id = ?2 AND month BETWEEN ?3 AND ?4 ORDER BY month",
                                   false, &st, doing, err);
    if (rc != AT_OK)
        return rc;
    sqlite3_bind_int64(st, 1, v->run_id);
    sqlite3_bind_int64(st, 2, person_id);
    sqlite3_bind_text(st, 3, first, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, last, -1, SQLITE_STATIC);
    /* at most one a month */
    size_t cap = (size_t)(v->input.last_month - v->input.first_month + 1);
    at_calc_payout *p = at_arena_calloc(arena, cap ? cap : 1, sizeof *p);
    if (!p) {
        sqlite3_finalize(st);
        return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory reading a run");
    }
    size_t n = 0;
    int r;
    while ((r = sqlite3_step(st)) == SQLITE_ROW && n < cap) {
        at_calc_payout *o = &p[n++];
        o->person = v->person;
        o->month = month_index(&v->data.calendar, (const char *)sqlite3_column_text(st, 0));
        const char *cur = (const char *)sqlite3_column_text(st, 1);
        o->currency = -1;
        for (size_t i = 0; cur && i < v->input.currency_count; i++)
            if (strcmp(v->input.currencies[i], cur) == 0)
                o->currency = (at_calc_currency)i;
        o->earned = sqlite3_column_int64(st, 2);
        o->amount = sqlite3_column_int64(st, 3);
        o->earned_ytd = sqlite3_column_int64(st, 4);
        o->paid_ytd = sqlite3_column_int64(st, 5);
        o->draw_balance = sqlite3_column_int64(st, 6);
    }
    sqlite3_finalize(st);
    if (r != SQLITE_DONE && r != SQLITE_ROW)
        return at_sqlite_fail(s, r, doing, err);
    v->result.payouts = p;
    v->result.payout_count = n;
    return AT_OK;
}

static at_code find_person(at_store *s, const char *person, int64_t *id, at_error *err)
{
    sqlite3_stmt *st;
    at_code rc = at_sqlite_prepare(s, "SELECT id FROM people WHERE ext_id = ?1", false, &st,
                                   "finding a person", err);
    if (rc != AT_OK)
        return rc;
    sqlite3_bind_text(st, 1, person, -1, SQLITE_STATIC);
    int r = sqlite3_step(st);
    if (r == SQLITE_ROW)
        *id = sqlite3_column_int64(st, 0);
    else if (r == SQLITE_DONE)
        rc = at_fail(err, AT_ERR_NOT_FOUND, "people", "give the id of a person in people.csv",
                     "there is no person '%s'", person);
    else
        rc = at_sqlite_fail(s, r, "finding a person", err);
    sqlite3_finalize(st);
    return rc;
}

void at_store_run_view_free(at_store_run_view *view)
{
    if (!view)
        return;
    at_store_calc_data_free(&view->data);
    memset(view, 0, sizeof *view);
}

at_code at_store_run_read(at_store *store, int64_t run_id, const char *person,
                          const char *first_month, const char *last_month,
                          const at_plan *const *plans, size_t plan_count, at_arena *arena,
                          at_store_run_view *view, at_error *err)
{
    memset(view, 0, sizeof *view);
    at_code rc = at_pay_store_check(store, false, err);
    if (rc != AT_OK)
        return rc;
    if (!person || !person[0])
        return at_fail(err, AT_ERR_USAGE, store->path, "give a payee's id", "whose results?");
    at_day from = 0, to = 0;
    rc = month_days(store, first_month, last_month, &from, &to, err);
    if (rc != AT_OK)
        return rc;
    bool opened = false;
    rc = at_pay_read_begin(store, &opened, err);
    if (rc != AT_OK)
        return rc;
    char status[16];
    int64_t person_id = 0;
    blob_group *groups = NULL;
    size_t group_count = 0;
    int64_t *tx = NULL;
    rc = at_pay_run_status(store, run_id, status, err);
    if (rc == AT_OK)
        rc = find_person(store, person, &person_id, err);
    if (rc == AT_OK)
        rc = read_credits(store, run_id, person_id, first_month, last_month, arena, &groups,
                          &group_count, err);
    size_t n = 0;
    if (rc == AT_OK) {
        size_t total = 0;
        for (size_t i = 0; i < group_count; i++)
            total += groups[i].count;
        tx = malloc((total ? total : 1) * sizeof *tx);
        if (!tx)
            rc = at_sqlite_nomem(store, err);
        for (size_t i = 0; rc == AT_OK && i < group_count; i++)
            for (size_t j = 0; j < groups[i].count; j++)
                tx[n++] = groups[i].credits[j].transaction;
        if (rc == AT_OK) {
            qsort(tx, n, sizeof *tx, cmp_i64);
            size_t u = 0;
            for (size_t i = 0; i < n; i++)
                if (!u || tx[u - 1] != tx[i])
                    tx[u++] = tx[i];
            n = u;
        }
    }
    if (rc == AT_OK) {
        at_pay_load_request req = {.from = from, .to = to, .transaction_ids = tx,
                                   .transaction_id_count = n, .by_id = true};
        rc = at_pay_load(store, &req, arena, &view->input, &view->data, err);
    }
    free(tx);
    if (rc == AT_OK) {
        view->run_id = run_id;
        view->person = at_store_calc_person_index(&view->data, person_id);
        rc = fill_credits(view, groups, group_count, arena, err);
    }
    if (rc == AT_OK)
        rc = read_measures(store, view, person_id, first_month, last_month, plans, plan_count,
                           arena, err);
    if (rc == AT_OK)
        rc = read_lines(store, view, person_id, first_month, last_month, plans, plan_count,
                        arena, err);
    if (rc == AT_OK)
        rc = read_payouts(store, view, person_id, first_month, last_month, arena, err);
    free(groups);
    at_pay_read_end(store, opened);
    if (rc != AT_OK)
        at_store_run_view_free(view);
    return rc;
}
