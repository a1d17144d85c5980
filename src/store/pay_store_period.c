/* pay_store_period.c - closing months and what finance reads from runs: the payroll of a
 * month, accruals (earned, not yet paid) and cost of sales per plan component and month.
 *
 * Which run holds a month: the run the month was closed with, else the latest done run for
 * everyone whose months include it. Closing copies that run's lines of the month into
 * closed_lines (summed per person and line key): the engine compares later recalculations with
 * them and pays differences as prior-period adjustments in the first open month. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/pay_store.h"
#include "store/pay_store_impl.h"

static bool is_month(const char *s)
{
    at_period_kind kind;
    int year, number;
    return s && at_period_label_parse(at_str_from(s), &kind, &year, &number, NULL) == AT_OK &&
           kind == AT_PERIOD_MONTH;
}

static at_code not_a_month(at_store *s, const char *month, at_error *err)
{
    return at_fail(err, AT_ERR_INVALID, s->path, "give a fiscal month such as 2026-03",
                   "'%s' is not a month", month ? month : "(none)");
}

/* The run that holds a month (see above): *found false when none. */
static at_code run_of_month(at_store *s, const char *month, int64_t *run_id, bool *found,
                            at_error *err)
{
    sqlite3_stmt *st;
    const char *doing = "finding the run of a month";
    at_code rc = at_sqlite_prepare(
        s,
        "SELECT coalesce((SELECT run_id FROM closed_periods WHERE month = ?1), (SELECT id FROM "
        "calc_runs WHERE status = 'done' AND payees IS NULL AND first_month <= ?1 AND "
        "last_month >= ?1 ORDER BY id DESC LIMIT 1))",
        false, &st, doing, err);
    if (rc != AT_OK)
        return rc;
    sqlite3_bind_text(st, 1, month, -1, SQLITE_STATIC);
    int r = sqlite3_step(st);
    *found = r == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL;
    *run_id = *found ? sqlite3_column_int64(st, 0) : 0;
    if (r != SQLITE_ROW)
        rc = at_sqlite_fail(s, r, doing, err);
    sqlite3_finalize(st);
    return rc;
}

/* ---- closing ----------------------------------------------------------------------------- */

at_code at_store_period_close(at_store *store, const char *month, const char *actor,
                              const char *reason, int64_t *run_id, at_error *err)
{
    if (run_id)
        *run_id = 0;
    at_code rc = at_pay_store_check(store, true, err);
    if (rc != AT_OK)
        return rc;
    if (!is_month(month))
        return not_a_month(store, month, err);
    rc = at_store_begin(store, actor, reason, err);
    if (rc != AT_OK)
        return rc;
    sqlite3_stmt *st = NULL;
    int64_t run = 0, lines = 0;
    const char *doing = "closing a month";
    rc = at_sqlite_prepare(store,
                           "SELECT closed_by, closed_at FROM closed_periods WHERE month = ?1",
                           false, &st, doing, err);
    if (rc == AT_OK) {
        sqlite3_bind_text(st, 1, month, -1, SQLITE_STATIC);
        int r = sqlite3_step(st);
        if (r == SQLITE_ROW) {
            char when[AT_TIME_TEXT_MAX];
            at_time_format(sqlite3_column_int64(st, 1), when, sizeof when);
            rc = at_fail(err, AT_ERR_CONFLICT, month,
                         "a closed month stays closed: later changes are paid as adjustments "
                         "in the first open month",
                         "%s is closed already (by %s at %s)", month,
                         (const char *)sqlite3_column_text(st, 0), when);
        } else if (r != SQLITE_DONE) {
            rc = at_sqlite_fail(store, r, doing, err);
        }
        sqlite3_finalize(st);
    }
    bool found = false;
    if (rc == AT_OK) {
        sqlite3_stmt *q;
        rc = at_sqlite_prepare(store,
                               "SELECT id FROM calc_runs WHERE status = 'done' AND payees IS NULL "
                               "AND first_month <= ?1 AND last_month >= ?1 ORDER BY id DESC "
                               "LIMIT 1",
                               false, &q, doing, err);
        if (rc == AT_OK) {
            sqlite3_bind_text(q, 1, month, -1, SQLITE_STATIC);
            int r = sqlite3_step(q);
            found = r == SQLITE_ROW;
            run = found ? sqlite3_column_int64(q, 0) : 0;
            if (r != SQLITE_ROW && r != SQLITE_DONE)
                rc = at_sqlite_fail(store, r, doing, err);
            sqlite3_finalize(q);
        }
        if (rc == AT_OK && !found) {
            char hint[128];
            snprintf(hint, sizeof hint, "calculate it first: attain calc --period %s", month);
            rc = at_fail(err, AT_ERR_CONFLICT, month, hint,
                         "no finished calculation for everyone covers %s", month);
        }
    }
    if (rc == AT_OK) {
        rc = at_sqlite_prepare(store,
                               "INSERT INTO closed_periods (month, closed_at, closed_by, run_id, "
                               "reason) VALUES (?1, ?2, ?3, ?4, ?5)",
                               false, &st, doing, err);
        if (rc == AT_OK) {
            sqlite3_bind_text(st, 1, month, -1, SQLITE_STATIC);
            sqlite3_bind_int64(st, 2, store->tx_time);
            sqlite3_bind_text(st, 3, store->actor, -1, SQLITE_STATIC);
            sqlite3_bind_int64(st, 4, run);
            at_sqlite_bind_text(store, st, 5, store->reason, NULL);
            int r = sqlite3_step(st);
            sqlite3_finalize(st);
            if (r != SQLITE_DONE)
                rc = at_sqlite_fail(store, r, doing, err);
        }
    }
    if (rc == AT_OK) {
        rc = at_sqlite_prepare(store,
                               "INSERT INTO closed_lines (month, person_id, line_key, amount, "
                               "currency) SELECT month, person_id, line_key, sum(amount), "
                               "min(currency) FROM calc_lines WHERE run_id = ?1 AND month = ?2 "
                               "GROUP BY person_id, line_key",
                               false, &st, doing, err);
        if (rc == AT_OK) {
            sqlite3_bind_int64(st, 1, run);
            sqlite3_bind_text(st, 2, month, -1, SQLITE_STATIC);
            int r = sqlite3_step(st);
            sqlite3_finalize(st);
            if (r != SQLITE_DONE)
                rc = at_sqlite_fail(store, r, doing, err);
            else
                lines = sqlite3_changes64(BACKEND(store)->db);
        }
    }
    if (rc == AT_OK) {
        char after[128];
        snprintf(after, sizeof after, "{\"run\":%" PRId64 ",\"lines\":%" PRId64 "}", run, lines);
        rc = at_sqlite_write_audit(store, "insert", "closed_periods", at_str_from(month), NULL,
                                   after, err);
    }
    if (rc == AT_OK)
        rc = at_store_commit(store, err);
    else
        at_store_rollback(store, NULL);
    if (rc == AT_OK && run_id)
        *run_id = run;
    return rc;
}

static const char *dup_col(at_arena *arena, sqlite3_stmt *st, int col, bool *failed)
{
    const unsigned char *t = sqlite3_column_text(st, col);
    if (!t)
        return NULL;
    char *p = at_arena_strndup(arena, (const char *)t, (size_t)sqlite3_column_bytes(st, col));
    if (!p)
        *failed = true;
    return p;
}

/* Grows an arena array by doubling (the old copy stays in the arena: these are small). */
static bool grow(at_arena *arena, void **p, size_t *cap, size_t n, size_t size)
{
    if (n < *cap)
        return true;
    size_t c = *cap ? 2 * *cap : 16;
    void *q = at_arena_alloc(arena, c * size);
    if (!q)
        return false;
    if (n)
        memcpy(q, *p, n * size);
    *p = q;
    *cap = c;
    return true;
}

at_code at_store_closed_list(at_store *store, at_arena *arena, at_store_closed_period **out,
                             size_t *count, at_error *err)
{
    *out = NULL;
    *count = 0;
    at_code rc = at_pay_store_check(store, false, err);
    if (rc != AT_OK)
        return rc;
    sqlite3_stmt *st;
    const char *doing = "listing closed months";
    rc = at_sqlite_prepare(store,
                           "SELECT c.month, c.closed_at, c.closed_by, c.reason, c.run_id, (SELECT "
                           "count(*) FROM closed_lines l WHERE l.month = c.month) FROM "
                           "closed_periods c ORDER BY c.month",
                           false, &st, doing, err);
    if (rc != AT_OK)
        return rc;
    at_store_closed_period *v = NULL;
    size_t n = 0, cap = 0;
    bool failed = false;
    int r;
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        if (!grow(arena, (void **)&v, &cap, n, sizeof *v)) {
            failed = true;
            break;
        }
        at_store_closed_period *p = &v[n++];
        p->month = dup_col(arena, st, 0, &failed);
        p->closed_at = sqlite3_column_int64(st, 1);
        p->closed_by = dup_col(arena, st, 2, &failed);
        p->reason = dup_col(arena, st, 3, &failed);
        p->run_id = sqlite3_column_int64(st, 4);
        p->lines = sqlite3_column_int64(st, 5);
    }
    sqlite3_finalize(st);
    if (failed)
        return at_sqlite_nomem(store, err);
    if (r != SQLITE_DONE)
        return at_sqlite_fail(store, r, doing, err);
    *out = v;
    *count = n;
    return AT_OK;
}

/* ---- payroll and accruals ---------------------------------------------------------------- */

typedef struct person_row {
    int64_t person_id;
    size_t row;
} person_row;

static int cmp_person_row(const void *a, const void *b)
{
    int64_t x = ((const person_row *)a)->person_id, y = ((const person_row *)b)->person_id;
    return (x > y) - (x < y);
}

at_code at_store_payroll(at_store *store, const char *month, int64_t *run_id, bool *found,
                         at_arena *arena, at_store_payroll_row **rows, size_t *count,
                         at_error *err)
{
    *rows = NULL;
    *count = 0;
    *found = false;
    int64_t run = 0;
    if (run_id)
        *run_id = 0;
    at_code rc = at_pay_store_check(store, false, err);
    if (rc != AT_OK)
        return rc;
    if (!is_month(month))
        return not_a_month(store, month, err);
    bool opened = false;
    rc = at_pay_read_begin(store, &opened, err);
    if (rc == AT_OK)
        rc = run_of_month(store, month, &run, found, err);
    if (rc != AT_OK || !*found) {
        at_pay_read_end(store, opened);
        return rc;
    }
    const char *doing = "reading the payroll";
    sqlite3_stmt *st = NULL;
    at_store_payroll_row *v = NULL;
    person_row *index = NULL;
    int64_t *person_ids = NULL;
    size_t n = 0, cap = 0, id_cap = 0;
    bool failed = false;
    int r = SQLITE_DONE;
    rc = at_sqlite_prepare(store,
                           "SELECT p.ext_id, p.name, o.currency, o.amount, o.earned, o.person_id "
                           "FROM calc_payouts o JOIN people p ON p.id = o.person_id WHERE "
                           "o.run_id = ?1 AND o.month = ?2 ORDER BY p.ext_id",
                           false, &st, doing, err);
    if (rc == AT_OK) {
        sqlite3_bind_int64(st, 1, run);
        sqlite3_bind_text(st, 2, month, -1, SQLITE_STATIC);
        while ((r = sqlite3_step(st)) == SQLITE_ROW) {
            if (!grow(arena, (void **)&v, &cap, n, sizeof *v) ||
                !grow(arena, (void **)&person_ids, &id_cap, n, sizeof *person_ids)) {
                failed = true;
                break;
            }
            person_ids[n] = sqlite3_column_int64(st, 5);
            at_store_payroll_row *o = &v[n++];
            memset(o, 0, sizeof *o);
            o->person_id = dup_col(arena, st, 0, &failed);
            o->name = dup_col(arena, st, 1, &failed);
            o->currency = dup_col(arena, st, 2, &failed);
            o->amount = sqlite3_column_int64(st, 3);
            o->earned = sqlite3_column_int64(st, 4);
        }
        if (!failed && r == SQLITE_DONE) {
            /* person_id -> row, to hang the lines on */
            index = malloc((n ? n : 1) * sizeof *index);
            if (!index)
                failed = true;
            for (size_t i = 0; index && i < n; i++)
                index[i] = (person_row){person_ids[i], i};
            if (index)
                qsort(index, n, sizeof *index, cmp_person_row);
        }
        sqlite3_finalize(st);
        st = NULL;
        if (failed)
            rc = at_sqlite_nomem(store, err);
        else if (r != SQLITE_DONE)
            rc = at_sqlite_fail(store, r, doing, err);
    }
    if (rc == AT_OK)
        rc = at_sqlite_prepare(store,
                               "SELECT person_id, line_key, kind, amount, (SELECT count(*) FROM "
                               "calc_lines c WHERE c.run_id = l.run_id AND c.month = l.month "
                               "AND c.person_id = l.person_id) FROM calc_lines l WHERE run_id = "
                               "?1 AND month = ?2 ORDER BY person_id, seq",
                               false, &st, doing, err);
    if (rc == AT_OK) {
        sqlite3_bind_int64(st, 1, run);
        sqlite3_bind_text(st, 2, month, -1, SQLITE_STATIC);
        while ((r = sqlite3_step(st)) == SQLITE_ROW) {
            person_row key = {sqlite3_column_int64(st, 0), 0};
            person_row *hit = n ? bsearch(&key, index, n, sizeof *index, cmp_person_row) : NULL;
            if (!hit)
                continue; /* a line without a payout: not paid through payroll */
            at_store_payroll_row *o = &v[hit->row];
            if (!o->lines) {
                size_t total = (size_t)sqlite3_column_int64(st, 4);
                o->lines = at_arena_calloc(arena, total ? total : 1, sizeof *o->lines);
                if (!o->lines) {
                    failed = true;
                    break;
                }
            }
            at_store_payroll_line *line = (at_store_payroll_line *)&o->lines[o->line_count++];
            line->key = dup_col(arena, st, 1, &failed);
            line->kind = dup_col(arena, st, 2, &failed);
            line->amount = sqlite3_column_int64(st, 3);
        }
        sqlite3_finalize(st);
        if (failed)
            rc = at_sqlite_nomem(store, err);
        else if (r != SQLITE_DONE)
            rc = at_sqlite_fail(store, r, doing, err);
    }
    free(index);
    at_pay_read_end(store, opened);
    if (rc != AT_OK) {
        *found = false;
        return rc;
    }
    if (run_id)
        *run_id = run;
    *rows = v;
    *count = n;
    return AT_OK;
}

at_code at_store_accruals(at_store *store, const char *month, int64_t *run_id, bool *found,
                          at_arena *arena, at_store_accrual_row **rows, size_t *count,
                          at_error *err)
{
    *rows = NULL;
    *count = 0;
    *found = false;
    int64_t run = 0;
    if (run_id)
        *run_id = 0;
    at_code rc = at_pay_store_check(store, false, err);
    if (rc != AT_OK)
        return rc;
    if (!is_month(month))
        return not_a_month(store, month, err);
    bool opened = false;
    rc = at_pay_read_begin(store, &opened, err);
    if (rc == AT_OK)
        rc = run_of_month(store, month, &run, found, err);
    if (rc != AT_OK || !*found) {
        at_pay_read_end(store, opened);
        return rc;
    }
    const char *doing = "reading accruals";
    sqlite3_stmt *st;
    rc = at_sqlite_prepare(store,
                           "SELECT p.ext_id, p.name, o.currency, o.earned_ytd, o.paid_ytd, "
                           "o.draw_balance FROM calc_payouts o JOIN people p ON p.id = "
                           "o.person_id WHERE o.run_id = ?1 AND o.month = ?2 ORDER BY p.ext_id",
                           false, &st, doing, err);
    at_store_accrual_row *v = NULL;
    size_t n = 0, cap = 0;
    if (rc == AT_OK) {
        sqlite3_bind_int64(st, 1, run);
        sqlite3_bind_text(st, 2, month, -1, SQLITE_STATIC);
        bool failed = false;
        int r;
        while ((r = sqlite3_step(st)) == SQLITE_ROW) {
            if (!grow(arena, (void **)&v, &cap, n, sizeof *v)) {
                failed = true;
                break;
            }
            at_store_accrual_row *o = &v[n++];
            o->person_id = dup_col(arena, st, 0, &failed);
            o->name = dup_col(arena, st, 1, &failed);
            o->currency = dup_col(arena, st, 2, &failed);
            o->earned_ytd = sqlite3_column_int64(st, 3);
            o->paid_ytd = sqlite3_column_int64(st, 4);
            o->accrued = o->earned_ytd - o->paid_ytd;
            o->draw_balance = sqlite3_column_int64(st, 5);
        }
        sqlite3_finalize(st);
        if (failed)
            rc = at_sqlite_nomem(store, err);
        else if (r != SQLITE_DONE)
            rc = at_sqlite_fail(store, r, doing, err);
    }
    at_pay_read_end(store, opened);
    if (rc != AT_OK) {
        *found = false;
        return rc;
    }
    if (run_id)
        *run_id = run;
    *rows = v;
    *count = n;
    return AT_OK;
}

/* ---- cost of sales ----------------------------------------------------------------------- */

at_code at_store_cost_of_sales(at_store *store, const char *first_month,
                               const char *last_month, at_arena *arena,
                               at_store_cost_row **rows, size_t *count, at_error *err)
{
    *rows = NULL;
    *count = 0;
    at_code rc = at_pay_store_check(store, false, err);
    if (rc != AT_OK)
        return rc;
    at_period_kind k1 = AT_PERIOD_YEAR, k2 = AT_PERIOD_YEAR;
    int y1 = 0, y2 = 0, n1 = 0, n2 = 0;
    if (!first_month || !last_month ||
        at_period_label_parse(at_str_from(first_month), &k1, &y1, &n1, NULL) != AT_OK ||
        at_period_label_parse(at_str_from(last_month), &k2, &y2, &n2, NULL) != AT_OK ||
        k1 != AT_PERIOD_MONTH || k2 != AT_PERIOD_MONTH || strcmp(first_month, last_month) > 0)
        return at_fail(err, AT_ERR_INVALID, store->path, "give two months such as 2026-01 2026-03",
                       "'%s'..'%s' is not a range of months",
                       first_month ? first_month : "(none)", last_month ? last_month : "(none)");
    at_fiscal_table cal;
    rc = at_store_fiscal_table(store, y1, y2, &cal, err);
    if (rc != AT_OK)
        return rc;
    const at_period *p1 = NULL, *p2 = NULL;
    rc = at_fiscal_get(&cal, AT_PERIOD_MONTH, y1, n1, &p1, err);
    if (rc == AT_OK)
        rc = at_fiscal_get(&cal, AT_PERIOD_MONTH, y2, n2, &p2, err);
    bool opened = false;
    if (rc == AT_OK)
        rc = at_pay_read_begin(store, &opened, err);
    sqlite3_stmt *st = NULL;
    const char *doing = "reading cost of sales";
    if (rc == AT_OK)
        rc = at_sqlite_prepare(store,
                               "SELECT plan, component, kind, currency, sum(amount), sum(earned), "
                               "count(DISTINCT person_id) FROM calc_lines WHERE run_id = ?1 AND "
                               "month = ?2 GROUP BY plan, component, kind, currency ORDER BY "
                               "plan, component, kind, currency",
                               false, &st, doing, err);
    at_store_cost_row *v = NULL;
    size_t n = 0, cap = 0;
    for (const at_period *p = p1; rc == AT_OK && p && p <= p2; p++) {
        int64_t run = 0;
        bool found = false;
        rc = run_of_month(store, p->label, &run, &found, err);
        if (rc != AT_OK || !found)
            continue;
        const char *label = at_arena_strdup(arena, p->label);
        if (!label) {
            rc = at_sqlite_nomem(store, err);
            break;
        }
        sqlite3_bind_int64(st, 1, run);
        sqlite3_bind_text(st, 2, p->label, -1, SQLITE_STATIC);
        bool failed = false;
        int r;
        while ((r = sqlite3_step(st)) == SQLITE_ROW) {
            if (!grow(arena, (void **)&v, &cap, n, sizeof *v)) {
                failed = true;
                break;
            }
            at_store_cost_row *o = &v[n++];
            o->month = label;
            o->plan = dup_col(arena, st, 0, &failed);
            o->component = dup_col(arena, st, 1, &failed);
            o->kind = dup_col(arena, st, 2, &failed);
            o->currency = dup_col(arena, st, 3, &failed);
            o->amount = sqlite3_column_int64(st, 4);
            o->earned = sqlite3_column_int64(st, 5);
            o->people = sqlite3_column_int64(st, 6);
        }
        sqlite3_reset(st);
        if (failed)
            rc = at_sqlite_nomem(store, err);
        else if (r != SQLITE_DONE)
            rc = at_sqlite_fail(store, r, doing, err);
    }
    sqlite3_finalize(st);
    at_pay_read_end(store, opened);
    at_fiscal_table_free(&cal);
    if (rc != AT_OK)
        return rc;
    *rows = v;
    *count = n;
    return AT_OK;
}
