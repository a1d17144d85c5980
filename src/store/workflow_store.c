/* workflow_store.c - the workflow store's shared helpers (workflow_store_impl.h), the workflow
 * settings (the approval threshold) and manual adjustments: made, approved or rejected (with
 * segregation of duties), listed, and loaded as the engine's manual lines. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/currency.h"
#include "store/workflow_store_impl.h"

/* ---- helpers ------------------------------------------------------------------------------- */

void at_wf_bind_scope(sqlite3_stmt *st, const at_web_scope *scope)
{
    sqlite3_bind_int64(st, 1, scope->person_id);
    sqlite3_bind_int64(st, 2, scope->day);
    sqlite3_bind_int64(st, 3, scope->day);
    sqlite3_bind_int(st, 4, (int)scope->kind);
}

at_code at_wf_end(at_store *store, at_code rc, at_error *err)
{
    if (rc == AT_OK)
        return at_store_commit(store, err);
    at_store_rollback(store, NULL);
    return rc;
}

at_code at_wf_step_done(at_store *store, sqlite3_stmt *st, const char *doing, at_error *err)
{
    int r = sqlite3_step(st);
    sqlite3_finalize(st);
    return r == SQLITE_DONE || r == SQLITE_ROW ? AT_OK : at_sqlite_fail(store, r, doing, err);
}

const char *at_wf_col(at_arena *arena, sqlite3_stmt *st, int col)
{
    const char *t = (const char *)sqlite3_column_text(st, col);
    if (!t)
        return NULL;
    const char *copy = at_arena_strdup(arena, t);
    return copy ? copy : "";
}

at_code at_wf_person(at_store *store, int64_t person_id, char ext[129], char name[257],
                     char currency[8], at_error *err)
{
    ext[0] = name[0] = currency[0] = '\0';
    sqlite3_stmt *st;
    at_code rc = at_sqlite_prepare(store,
                                   "SELECT ext_id, name, pay_currency FROM people WHERE id = ?1",
                                   false, &st, "reading a person", err);
    if (rc != AT_OK)
        return rc;
    sqlite3_bind_int64(st, 1, person_id);
    int r = sqlite3_step(st);
    if (r == SQLITE_ROW) {
        const char *e = (const char *)sqlite3_column_text(st, 0);
        const char *n = (const char *)sqlite3_column_text(st, 1);
        const char *c = (const char *)sqlite3_column_text(st, 2);
        snprintf(ext, 129, "%s", e ? e : "");
        snprintf(name, 257, "%s", n ? n : "");
        snprintf(currency, 8, "%s", c ? c : "");
    } else if (r == SQLITE_DONE) {
        rc = at_fail(err, AT_ERR_NOT_FOUND, "payee", "check the id (people.csv)",
                     "there is no person with internal id %" PRId64, person_id);
    } else {
        rc = at_sqlite_fail(store, r, "reading a person", err);
    }
    sqlite3_finalize(st);
    return rc;
}

at_code at_wf_period_days(at_store *store, const char *label, const char *field,
                          at_period_kind *kind, at_day *first, at_day *last, at_error *err)
{
    at_period_kind k;
    int year = 0, number = 0;
    at_error e;
    if (!label ||
        at_period_label_parse(at_str_from(label), &k, &year, &number, &e) != AT_OK)
        return at_fail(err, AT_ERR_INVALID, field,
                       "write a fiscal period as 2026-03 (month), 2026-Q1, 2026-H1 or 2026",
                       "'%.40s' is not a fiscal period", label ? label : "");
    at_fiscal_table table;
    at_code rc = at_store_fiscal_table(store, year, year, &table, err);
    if (rc != AT_OK)
        return rc;
    const at_period *p;
    rc = at_fiscal_get(&table, k, year, number, &p, err);
    if (rc == AT_OK) {
        *first = p->first;
        *last = p->last;
        if (kind)
            *kind = k;
    } else {
        rc = at_fail(err, AT_ERR_INVALID, field, NULL,
                     "'%.40s' is not a period of the fiscal calendar", label);
    }
    at_fiscal_table_free(&table);
    return rc;
}

at_code at_wf_month_closed(at_store *store, const char *month, bool *closed, at_error *err)
{
    int64_t n = 0;
    sqlite3_stmt *st;
    at_code rc = at_sqlite_prepare(store, "SELECT count(*) FROM closed_periods WHERE month = ?1",
                                   false, &st, "reading closed months", err);
    if (rc != AT_OK)
        return rc;
    sqlite3_bind_text(st, 1, month, -1, SQLITE_STATIC);
    int r = sqlite3_step(st);
    if (r == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    else
        rc = at_sqlite_fail(store, r, "reading closed months", err);
    sqlite3_finalize(st);
    *closed = n > 0;
    return rc;
}

at_code at_wf_audit(at_store *store, const char *action, const char *table, int64_t id,
                    const char *before, const char *after, at_error *err)
{
    char key[32];
    snprintf(key, sizeof key, "%" PRId64, id);
    return at_sqlite_write_audit(store, action, table, at_str_from(key), before, after, err);
}

static void json_money(at_text *t, at_money v)
{
    char buf[AT_MONEY_TEXT_MAX];
    at_money_format(v, buf, sizeof buf);
    at_text_addf(t, "\"%s\"", buf);
}

static void json_str(at_text *t, const char *s)
{
    if (s)
        at_text_json_string(t, at_str_from(s));
    else
        at_text_add(t, "null");
}

/* ---- settings ------------------------------------------------------------------------------ */

at_code at_wf_threshold_get(at_store *store, at_money *threshold, bool *set, at_time *set_at,
                            char set_by[96], at_error *err)
{
    *threshold = 0;
    *set = false;
    if (set_at)
        *set_at = 0;
    if (set_by)
        set_by[0] = '\0';
    at_code rc = at_pay_store_check(store, false, err);
    if (rc != AT_OK)
        return rc;
    sqlite3_stmt *st;
    rc = at_sqlite_prepare(store,
                           "SELECT value, set_at, set_by FROM workflow_settings WHERE key = "
                           "'approval_threshold'",
                           false, &st, "reading the approval threshold", err);
    if (rc != AT_OK)
        return rc;
    int r = sqlite3_step(st);
    if (r == SQLITE_ROW) {
        const char *v = (const char *)sqlite3_column_text(st, 0);
        at_money m = 0;
        if (v && at_money_parse(at_str_from(v), &m, NULL) == AT_OK) {
            *threshold = m;
            *set = true;
        }
        if (set_at)
            *set_at = sqlite3_column_int64(st, 1);
        if (set_by) {
            const char *b = (const char *)sqlite3_column_text(st, 2);
            snprintf(set_by, 96, "%s", b ? b : "");
        }
    } else if (r != SQLITE_DONE) {
        rc = at_sqlite_fail(store, r, "reading the approval threshold", err);
    }
    sqlite3_finalize(st);
    return rc;
}

at_code at_wf_threshold_set(at_store *store, at_money threshold, const char *actor,
                            const char *reason, at_error *err)
{
    at_code rc = at_pay_store_check(store, true, err);
    if (rc != AT_OK)
        return rc;
    if (threshold < 0)
        return at_fail(err, AT_ERR_INVALID, "approval_threshold",
                       "give 0 (every adjustment needs approval) or a positive amount",
                       "the approval threshold cannot be negative");
    at_money old = 0;
    bool had = false;
    rc = at_wf_threshold_get(store, &old, &had, NULL, NULL, err);
    if (rc != AT_OK)
        return rc;
    char value[AT_MONEY_TEXT_MAX];
    at_money_format(threshold, value, sizeof value);
    rc = at_store_begin(store, actor, reason, err);
    if (rc != AT_OK)
        return rc;
    sqlite3_stmt *st;
    rc = at_sqlite_prepare(store,
                           "INSERT INTO workflow_settings (key, value, set_at, set_by) VALUES "
                           "('approval_threshold', ?1, ?2, ?3) ON CONFLICT (key) DO UPDATE SET "
                           "value = excluded.value, set_at = excluded.set_at, set_by = "
                           "excluded.set_by",
                           false, &st, "setting the approval threshold", err);
    if (rc == AT_OK) {
        sqlite3_bind_text(st, 1, value, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, store->tx_time);
        sqlite3_bind_text(st, 3, actor, -1, SQLITE_STATIC);
        rc = at_wf_step_done(store, st, "setting the approval threshold", err);
    }
    if (rc == AT_OK) {
        at_text before, after;
        at_text_init(&before);
        at_text_init(&after);
        at_text_add(&before, "{\"approval_threshold\":");
        if (had)
            json_money(&before, old);
        else
            at_text_add(&before, "null");
        at_text_add(&before, "}");
        at_text_add(&after, "{\"approval_threshold\":");
        json_money(&after, threshold);
        at_text_add(&after, "}");
        rc = before.failed || after.failed
                 ? at_sqlite_nomem(store, err)
                 : at_sqlite_write_audit(store, "update", "workflow_settings",
                                         at_str_from("approval_threshold"), before.ptr,
                                         after.ptr, err);
        at_text_free(&before);
        at_text_free(&after);
    }
    return at_wf_end(store, rc, err);
}

/* ---- adjustments --------------------------------------------------------------------------- */

at_code at_wf_adjustment_insert(at_store *store, const at_wf_adjustment_new *a,
                                int64_t dispute_id, int64_t *id, bool *pending, at_error *err)
{
    if (a->amount == 0)
        return at_fail(err, AT_ERR_INVALID, "amount", "give a positive or negative amount",
                       "an adjustment of 0 changes nothing");
    if (!a->reason || !a->reason[0])
        return at_fail(err, AT_ERR_INVALID, "reason",
                       "say why, for the payee's statement and the audit",
                       "an adjustment needs a reason");
    if (strlen(a->reason) > 1000)
        return at_fail(err, AT_ERR_INVALID, "reason", NULL,
                       "the reason is longer than 1000 bytes");
    at_period_kind kind;
    at_day first, last;
    at_code rc = at_wf_period_days(store, a->month, "month", &kind, &first, &last, err);
    if (rc != AT_OK)
        return rc;
    if (kind != AT_PERIOD_MONTH)
        return at_fail(err, AT_ERR_INVALID, "month", "give a fiscal month, e.g. 2026-03",
                       "an adjustment is paid in a month, not in '%.40s'", a->month);
    char ext[129], name[257], currency[8];
    rc = at_wf_person(store, a->person_id, ext, name, currency, err);
    if (rc != AT_OK)
        return rc;
    if (!currency[0])
        return at_fail(err, AT_ERR_INVALID, "payee", "give the person a pay currency (people.csv)",
                       "%s has no pay currency", ext);
    if (a->currency && strcmp(a->currency, currency) != 0)
        return at_fail(err, AT_ERR_INVALID, "currency",
                       "write the amount in the payee's pay currency",
                       "%s is paid in %s, not %.8s", ext, currency, a->currency);
    const at_currency *cur = at_currency_find(at_str_from(currency));
    at_money rounded = a->amount;
    if (cur && (at_money_round(a->amount, at_currency_decimals(cur), AT_ROUND_HALF_EVEN,
                               &rounded, NULL) != AT_OK ||
                rounded != a->amount))
        return at_fail(err, AT_ERR_INVALID, "amount", NULL,
                       "%s has %d decimals: the amount has more", currency,
                       at_currency_decimals(cur));
    bool closed = false;
    rc = at_wf_month_closed(store, a->month, &closed, err);
    if (rc != AT_OK)
        return rc;
    if (closed)
        return at_fail(err, AT_ERR_LOCKED, "month",
                       "put the adjustment in an open month: it is paid in the month it names",
                       "%s is closed", a->month);
    at_money threshold = 0;
    bool set = false;
    rc = at_wf_threshold_get(store, &threshold, &set, NULL, NULL, err);
    if (rc != AT_OK)
        return rc;
    at_money magnitude = a->amount < 0 ? -a->amount : a->amount;
    bool needs = !set || magnitude > threshold;
    sqlite3_stmt *st;
    rc = at_sqlite_prepare(store,
                           "INSERT INTO adjustments (person_id, month, amount, currency, reason, "
                           "status, needs_approval, dispute_id, created_at, created_by) VALUES "
                           "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                           false, &st, "adding an adjustment", err);
    if (rc != AT_OK)
        return rc;
    sqlite3_bind_int64(st, 1, a->person_id);
    sqlite3_bind_text(st, 2, a->month, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, a->amount);
    sqlite3_bind_text(st, 4, currency, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, a->reason, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, needs ? "pending" : "approved", -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 7, needs);
    if (dispute_id > 0)
        sqlite3_bind_int64(st, 8, dispute_id);
    else
        sqlite3_bind_null(st, 8);
    sqlite3_bind_int64(st, 9, store->tx_time);
    sqlite3_bind_text(st, 10, store->actor, -1, SQLITE_STATIC);
    rc = at_wf_step_done(store, st, "adding an adjustment", err);
    if (rc != AT_OK)
        return rc;
    int64_t new_id = sqlite3_last_insert_rowid(BACKEND(store)->db);
    at_text after;
    at_text_init(&after);
    at_text_add(&after, "{\"payee\":");
    json_str(&after, ext);
    at_text_add(&after, ",\"month\":");
    json_str(&after, a->month);
    at_text_add(&after, ",\"amount\":");
    json_money(&after, a->amount);
    at_text_addf(&after, ",\"currency\":\"%s\",\"status\":\"%s\",\"reason\":", currency,
                 needs ? "pending" : "approved");
    json_str(&after, a->reason);
    if (dispute_id > 0)
        at_text_addf(&after, ",\"dispute\":%" PRId64, dispute_id);
    at_text_add(&after, "}");
    rc = after.failed ? at_sqlite_nomem(store, err)
                      : at_wf_audit(store, "insert", "adjustments", new_id, NULL, after.ptr, err);
    at_text_free(&after);
    if (rc == AT_OK) {
        if (id)
            *id = new_id;
        if (pending)
            *pending = needs;
    }
    return rc;
}

at_code at_wf_adjustment_add(at_store *store, const at_wf_adjustment_new *a, const char *actor,
                             int64_t *id, bool *pending, at_error *err)
{
    if (id)
        *id = 0;
    if (pending)
        *pending = false;
    at_code rc = at_pay_store_check(store, true, err);
    if (rc != AT_OK)
        return rc;
    rc = at_store_begin(store, actor, a->reason, err);
    if (rc != AT_OK)
        return rc;
    rc = at_wf_adjustment_insert(store, a, 0, id, pending, err);
    return at_wf_end(store, rc, err);
}

#define ADJ_COLUMNS                                                                                \
    "a.id, a.person_id, p.ext_id, p.name, a.month, a.amount, a.currency, a.reason, a.status, "   \
    "a.needs_approval, coalesce(a.dispute_id, 0), a.created_at, a.created_by, "                  \
    "coalesce(a.decided_at, 0), a.decided_by, a.note "
#define ADJ_FROM " FROM adjustments a LEFT JOIN people p ON p.id = a.person_id "

static void read_adjustment(sqlite3_stmt *st, at_arena *arena, at_wf_adjustment *a)
{
    memset(a, 0, sizeof *a);
    a->id = sqlite3_column_int64(st, 0);
    a->person_id = sqlite3_column_int64(st, 1);
    a->person = at_wf_col(arena, st, 2);
    a->person_name = at_wf_col(arena, st, 3);
    if (!a->person)
        a->person = "";
    if (!a->person_name)
        a->person_name = "";
    a->month = at_wf_col(arena, st, 4);
    a->amount = sqlite3_column_int64(st, 5);
    a->currency = at_wf_col(arena, st, 6);
    a->reason = at_wf_col(arena, st, 7);
    a->status = at_wf_col(arena, st, 8);
    a->needs_approval = sqlite3_column_int(st, 9) != 0;
    a->dispute_id = sqlite3_column_int64(st, 10);
    a->created_at = sqlite3_column_int64(st, 11);
    a->created_by = at_wf_col(arena, st, 12);
    a->decided_at = sqlite3_column_int64(st, 13);
    a->decided_by = at_wf_col(arena, st, 14);
    a->note = at_wf_col(arena, st, 15);
}

at_code at_wf_adjustment_get(at_store *store, int64_t id, at_arena *arena, at_wf_adjustment *out,
                             bool *found, at_error *err)
{
    *found = false;
    at_code rc = at_pay_store_check(store, false, err);
    if (rc != AT_OK)
        return rc;
    sqlite3_stmt *st;
    rc = at_sqlite_prepare(store, "SELECT " ADJ_COLUMNS ADJ_FROM "WHERE a.id = ?1", false, &st,
                           "reading an adjustment", err);
    if (rc != AT_OK)
        return rc;
    sqlite3_bind_int64(st, 1, id);
    int r = sqlite3_step(st);
    if (r == SQLITE_ROW) {
        *found = true;
        read_adjustment(st, arena, out);
    } else if (r != SQLITE_DONE) {
        rc = at_sqlite_fail(store, r, "reading an adjustment", err);
    }
    sqlite3_finalize(st);
    return rc;
}

at_code at_wf_adjustment_decide(at_store *store, int64_t id, bool approve, const char *note,
                                const char *actor, at_error *err)
{
    at_code rc = at_pay_store_check(store, true, err);
    if (rc != AT_OK)
        return rc;
    rc = at_store_begin(store, actor, note, err);
    if (rc != AT_OK)
        return rc;
    at_arena arena;
    at_arena_init(&arena, 4096);
    at_wf_adjustment a;
    bool found = false;
    rc = at_wf_adjustment_get(store, id, &arena, &a, &found, err);
    if (rc == AT_OK && !found)
        rc = at_fail(err, AT_ERR_NOT_FOUND, "id", "list them with GET /api/v1/approvals",
                     "there is no adjustment %" PRId64, id);
    if (rc == AT_OK && strcmp(a.status, "pending") != 0)
        rc = at_fail(err, AT_ERR_CONFLICT, "status", NULL,
                     "adjustment %" PRId64 " is %s already%s%s", id, a.status,
                     a.decided_by ? " by " : "", a.decided_by ? a.decided_by : "");
    if (rc == AT_OK && a.created_by && actor && strcmp(a.created_by, actor) == 0)
        rc = at_fail(err, AT_ERR_CONFLICT, "approver",
                     "segregation of duties: someone else in finance must decide it",
                     "you made adjustment %" PRId64 ", so you cannot %s it", id,
                     approve ? "approve" : "reject");
    if (rc == AT_OK) {
        sqlite3_stmt *st;
        rc = at_sqlite_prepare(store,
                               "UPDATE adjustments SET status = ?2, decided_at = ?3, decided_by "
                               "= ?4, note = ?5 WHERE id = ?1 AND status = 'pending'",
                               false, &st, "deciding an adjustment", err);
        if (rc == AT_OK) {
            sqlite3_bind_int64(st, 1, id);
            sqlite3_bind_text(st, 2, approve ? "approved" : "rejected", -1, SQLITE_STATIC);
            sqlite3_bind_int64(st, 3, store->tx_time);
            sqlite3_bind_text(st, 4, actor, -1, SQLITE_STATIC);
            at_sqlite_bind_text(store, st, 5, note, NULL);
            rc = at_wf_step_done(store, st, "deciding an adjustment", err);
        }
    }
    if (rc == AT_OK) {
        at_text after;
        at_text_init(&after);
        at_text_addf(&after, "{\"status\":\"%s\",\"note\":", approve ? "approved" : "rejected");
        json_str(&after, note);
        at_text_add(&after, "}");
        rc = after.failed ? at_sqlite_nomem(store, err)
                          : at_wf_audit(store, "update", "adjustments", id,
                                        "{\"status\":\"pending\"}", after.ptr, err);
        at_text_free(&after);
    }
    at_arena_free(&arena);
    return at_wf_end(store, rc, err);
}

at_code at_wf_adjustment_each(at_store *store, const at_wf_filter *f, at_wf_adjustment_fn fn,
                              void *ctx, bool *more, at_error *err)
{
    if (more)
        *more = false;
    at_code rc = at_pay_store_check(store, false, err);
    if (rc != AT_OK)
        return rc;
    sqlite3_stmt *st;
    rc = at_sqlite_prepare(store,
                           WF_SCOPE_CTE "SELECT " ADJ_COLUMNS ADJ_FROM
                           "WHERE" WF_SCOPE_WHERE("a.person_id")
                           "AND (?5 = 0 OR a.person_id = ?5) AND (?6 IS NULL OR a.status = ?6) "
                           "AND (?7 IS NULL OR a.month = ?7) AND (?8 = 0 OR a.id < ?8) "
                           "ORDER BY a.id DESC LIMIT ?9",
                           false, &st, "listing adjustments", err);
    if (rc != AT_OK)
        return rc;
    at_wf_bind_scope(st, &f->scope);
    sqlite3_bind_int64(st, 5, f->person_id);
    at_sqlite_bind_text(store, st, 6, f->status, NULL);
    at_sqlite_bind_text(store, st, 7, f->month, NULL);
    sqlite3_bind_int64(st, 8, f->before);
    sqlite3_bind_int64(st, 9, f->limit ? (int64_t)f->limit + 1 : -1);
    at_arena arena;
    at_arena_init(&arena, 4096);
    size_t n = 0;
    int r = SQLITE_DONE;
    while (rc == AT_OK && (r = sqlite3_step(st)) == SQLITE_ROW) {
        if (f->limit && n == f->limit) {
            if (more)
                *more = true;
            r = SQLITE_DONE;
            break;
        }
        at_arena_reset(&arena);
        at_wf_adjustment a;
        read_adjustment(st, &arena, &a);
        rc = fn(ctx, &a, err);
        n++;
    }
    if (rc == AT_OK && r != SQLITE_DONE)
        rc = at_sqlite_fail(store, r, "listing adjustments", err);
    sqlite3_finalize(st);
    at_arena_free(&arena);
    return rc;
}

/* ---- into pay ------------------------------------------------------------------------------ */

at_code at_wf_adjustments_load(at_store *store, const at_calc_input *input,
                               const at_store_calc_data *data, at_arena *arena,
                               at_calc_manual_line **out, size_t *count, at_error *err)
{
    *out = NULL;
    *count = 0;
    at_code rc = at_pay_store_check(store, false, err);
    if (rc != AT_OK)
        return rc;
    const at_fiscal_table *cal = input->calendar;
    if (!cal || input->first_month < 0 || input->last_month < input->first_month ||
        (size_t)input->last_month >= cal->counts[AT_PERIOD_MONTH])
        return at_fail(err, AT_ERR_INTERNAL, NULL, NULL,
                       "loading adjustments needs the input's calendar and months");
    const at_period *months = cal->periods[AT_PERIOD_MONTH];
    /* from the first month of the fiscal year of the first month computed */
    int32_t m0 = input->first_month;
    while (m0 > 0 && months[m0 - 1].fiscal_year == months[input->first_month].fiscal_year)
        m0--;
    sqlite3_stmt *st;
    rc = at_sqlite_prepare(store,
                           "SELECT a.id, a.person_id, a.month, a.amount, a.reason, a.decided_by, "
                           "a.created_by FROM adjustments a WHERE a.status = 'approved' AND "
                           "a.month >= ?1 AND a.month <= ?2 ORDER BY a.person_id, a.id",
                           false, &st, "reading approved adjustments", err);
    if (rc != AT_OK)
        return rc;
    sqlite3_bind_text(st, 1, months[m0].label, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, months[input->last_month].label, -1, SQLITE_STATIC);
    size_t cap = 0, n = 0;
    at_calc_manual_line *lines = NULL;
    int r;
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(st, 0);
        int32_t person = at_store_calc_person_index(data, sqlite3_column_int64(st, 1));
        const char *month = (const char *)sqlite3_column_text(st, 2);
        int32_t m = -1;
        for (int32_t k = m0; month && k <= input->last_month; k++)
            if (strcmp(months[k].label, month) == 0) {
                m = k;
                break;
            }
        if (person < 0 || m < 0)
            continue; /* a person no longer in the store, or a label of another calendar */
        if (n == cap) {
            size_t nc = cap ? cap * 2 : 16;
            at_calc_manual_line *grown = at_arena_alloc(arena, nc * sizeof *grown);
            if (!grown) {
                rc = at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory reading adjustments");
                break;
            }
            if (n)
                memcpy(grown, lines, n * sizeof *grown);
            lines = grown;
            cap = nc;
        }
        const char *reason = (const char *)sqlite3_column_text(st, 4);
        const char *by = (const char *)sqlite3_column_text(st, 5);
        const char *maker = (const char *)sqlite3_column_text(st, 6);
        at_calc_manual_line *l = &lines[n++];
        l->person = person;
        l->month = m;
        l->amount = sqlite3_column_int64(st, 3);
        l->key = at_arena_printf(arena, "manual/%" PRId64, id);
        l->explain = by ? at_arena_printf(arena, "%s (adjustment %" PRId64 " by %s, approved by %s)",
                                          reason ? reason : "", id, maker ? maker : "", by)
                        : at_arena_printf(arena, "%s (adjustment %" PRId64 " by %s)",
                                          reason ? reason : "", id, maker ? maker : "");
        if (!l->key || !l->explain) {
            rc = at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory reading adjustments");
            break;
        }
    }
    if (rc == AT_OK && r != SQLITE_DONE)
        rc = at_sqlite_fail(store, r, "reading approved adjustments", err);
    sqlite3_finalize(st);
    if (rc == AT_OK) {
        *out = lines;
        *count = n;
    }
    return rc;
}
