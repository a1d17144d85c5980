/* workflow_store_disputes.c - disputes on statement lines (workflow_store.h): raised by the
 * payee's side on a line their statement has, answered and discussed in messages, resolved
 * once with or without an adjustment; every step audited. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "store/workflow_store_impl.h"

/* Whether the statement of person for month has a line with this key: in the latest run
 * covering the month for them, or among the month's locked lines. */
static at_code line_exists(at_store *store, int64_t person_id, const char *ext,
                           const char *month, const char *key, bool *any_run, bool *exists,
                           at_error *err)
{
    *exists = *any_run = false;
    int64_t run = 0;
    bool found = false;
    at_code rc = at_store_run_latest(store, month, ext, &run, &found, err);
    if (rc != AT_OK)
        return rc;
    sqlite3_stmt *st;
    rc = at_sqlite_prepare(store,
                           "SELECT (SELECT count(*) FROM calc_lines WHERE run_id = ?1 AND "
                           "person_id = ?2 AND month = ?3 AND line_key = ?4), (SELECT count(*) "
                           "FROM closed_lines WHERE month = ?3 AND person_id = ?2 AND line_key "
                           "= ?4), (SELECT count(*) FROM closed_periods WHERE month = ?3)",
                           false, &st, "reading the statement's lines", err);
    if (rc != AT_OK)
        return rc;
    sqlite3_bind_int64(st, 1, run);
    sqlite3_bind_int64(st, 2, person_id);
    sqlite3_bind_text(st, 3, month, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, key, -1, SQLITE_STATIC);
    int r = sqlite3_step(st);
    if (r == SQLITE_ROW) {
        *exists = sqlite3_column_int64(st, 0) > 0 || sqlite3_column_int64(st, 1) > 0;
        *any_run = found || sqlite3_column_int64(st, 2) > 0;
    } else {
        rc = at_sqlite_fail(store, r, "reading the statement's lines", err);
    }
    sqlite3_finalize(st);
    return rc;
}

static at_code check_text(const char *text, const char *field, size_t max, at_error *err)
{
    if (!text || !text[0])
        return at_fail(err, AT_ERR_INVALID, field, "say what is wrong, in words the other side "
                                                   "will understand",
                       "%s is required", field);
    if (strlen(text) > max)
        return at_fail(err, AT_ERR_INVALID, field, NULL, "%s is longer than %zu bytes", field,
                       max);
    return AT_OK;
}

static at_code add_message(at_store *store, int64_t id, bool from_ops, const char *text,
                           at_error *err)
{
    sqlite3_stmt *st;
    at_code rc = at_sqlite_prepare(store,
                                   "INSERT INTO dispute_messages (dispute_id, at, author, side, "
                                   "text) VALUES (?1, ?2, ?3, ?4, ?5)",
                                   false, &st, "adding a message", err);
    if (rc != AT_OK)
        return rc;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, store->tx_time);
    sqlite3_bind_text(st, 3, store->actor, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, from_ops ? "ops" : "payee", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, text, -1, SQLITE_STATIC);
    return at_wf_step_done(store, st, "adding a message", err);
}

at_code at_wf_dispute_raise(at_store *store, int64_t person_id, const char *month,
                            const char *line_key, const char *comment, const char *actor,
                            int64_t *id, at_error *err)
{
    if (id)
        *id = 0;
    at_code rc = at_pay_store_check(store, true, err);
    if (rc != AT_OK)
        return rc;
    rc = check_text(comment, "comment", 4000, err);
    if (rc == AT_OK && (!line_key || !line_key[0] || strlen(line_key) > 512))
        rc = at_fail(err, AT_ERR_INVALID, "line_key",
                     "give the key of the statement line (lines[].key in the statement)",
                     "line_key is required (at most 512 bytes)");
    at_period_kind kind;
    at_day first, last;
    if (rc == AT_OK)
        rc = at_wf_period_days(store, month, "month", &kind, &first, &last, err);
    if (rc == AT_OK && kind != AT_PERIOD_MONTH)
        rc = at_fail(err, AT_ERR_INVALID, "month", "give a fiscal month, e.g. 2026-03",
                     "a statement is for a month, not '%.40s'", month);
    char ext[129], name[257], currency[8];
    if (rc == AT_OK)
        rc = at_wf_person(store, person_id, ext, name, currency, err);
    bool any_run = false, exists = false;
    if (rc == AT_OK)
        rc = line_exists(store, person_id, ext, month, line_key, &any_run, &exists, err);
    if (rc != AT_OK)
        return rc;
    if (!any_run)
        return at_fail(err, AT_ERR_NOT_FOUND, "month", "a statement exists once a run covers it",
                       "%s has no statement for %s", ext, month);
    if (!exists)
        return at_fail(err, AT_ERR_INVALID, "line_key",
                       "give the key of one of the statement's lines (lines[].key)",
                       "%s's statement for %s has no line '%.200s'", ext, month, line_key);
    rc = at_store_begin(store, actor, comment, err);
    if (rc != AT_OK)
        return rc;
    sqlite3_stmt *st;
    rc = at_sqlite_prepare(store,
                           "SELECT id FROM disputes WHERE person_id = ?1 AND month = ?2 AND "
                           "line_key = ?3 AND status <> 'resolved'",
                           false, &st, "reading disputes", err);
    if (rc == AT_OK) {
        sqlite3_bind_int64(st, 1, person_id);
        sqlite3_bind_text(st, 2, month, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, line_key, -1, SQLITE_STATIC);
        int r = sqlite3_step(st);
        if (r == SQLITE_ROW)
            rc = at_fail(err, AT_ERR_CONFLICT, "line_key",
                         "add a message to the open dispute instead",
                         "dispute %" PRId64 " on this line is still open",
                         (int64_t)sqlite3_column_int64(st, 0));
        else if (r != SQLITE_DONE)
            rc = at_sqlite_fail(store, r, "reading disputes", err);
        sqlite3_finalize(st);
    }
    if (rc == AT_OK)
        rc = at_sqlite_prepare(store,
                               "INSERT INTO disputes (person_id, month, line_key, comment, "
                               "status, raised_at, raised_by, updated_at) VALUES (?1, ?2, ?3, "
                               "?4, 'open', ?5, ?6, ?5)",
                               false, &st, "raising a dispute", err);
    if (rc == AT_OK) {
        sqlite3_bind_int64(st, 1, person_id);
        sqlite3_bind_text(st, 2, month, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, line_key, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, comment, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 5, store->tx_time);
        sqlite3_bind_text(st, 6, actor, -1, SQLITE_STATIC);
        rc = at_wf_step_done(store, st, "raising a dispute", err);
    }
    if (rc == AT_OK) {
        int64_t new_id = sqlite3_last_insert_rowid(BACKEND(store)->db);
        at_text after;
        at_text_init(&after);
        at_text_add(&after, "{\"payee\":");
        at_text_json_string(&after, at_str_from(ext));
        at_text_addf(&after, ",\"month\":\"%s\",\"line_key\":", month);
        at_text_json_string(&after, at_str_from(line_key));
        at_text_add(&after, ",\"status\":\"open\"}");
        rc = after.failed ? at_sqlite_nomem(store, err)
                          : at_wf_audit(store, "insert", "disputes", new_id, NULL, after.ptr, err);
        at_text_free(&after);
        if (rc == AT_OK && id)
            *id = new_id;
    }
    return at_wf_end(store, rc, err);
}

/* The dispute's status in the open transaction; AT_ERR_NOT_FOUND unless it is person's. */
static at_code status_of(at_store *store, int64_t id, int64_t person_id, char status[16],
                         at_error *err)
{
    status[0] = '\0';
    sqlite3_stmt *st;
    at_code rc = at_sqlite_prepare(store,
                                   "SELECT status FROM disputes WHERE id = ?1 AND person_id = ?2",
                                   false, &st, "reading a dispute", err);
    if (rc != AT_OK)
        return rc;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, person_id);
    int r = sqlite3_step(st);
    if (r == SQLITE_ROW)
        snprintf(status, 16, "%s", (const char *)sqlite3_column_text(st, 0));
    else if (r == SQLITE_DONE)
        rc = at_fail(err, AT_ERR_NOT_FOUND, "id", "list them with GET /api/v1/disputes",
                     "the payee has no dispute %" PRId64, id);
    else
        rc = at_sqlite_fail(store, r, "reading a dispute", err);
    sqlite3_finalize(st);
    return rc;
}

at_code at_wf_dispute_message(at_store *store, int64_t id, int64_t person_id, bool from_ops,
                              const char *text, const char *actor, at_error *err)
{
    at_code rc = at_pay_store_check(store, true, err);
    if (rc == AT_OK)
        rc = check_text(text, "text", 4000, err);
    if (rc != AT_OK)
        return rc;
    rc = at_store_begin(store, actor, NULL, err);
    if (rc != AT_OK)
        return rc;
    char status[16];
    rc = status_of(store, id, person_id, status, err);
    if (rc == AT_OK && strcmp(status, "resolved") == 0)
        rc = at_fail(err, AT_ERR_CONFLICT, "status", "raise a new dispute if something is still "
                                                     "wrong",
                     "dispute %" PRId64 " is resolved", id);
    if (rc == AT_OK)
        rc = add_message(store, id, from_ops, text, err);
    const char *next = from_ops ? "answered" : "open";
    if (rc == AT_OK) {
        sqlite3_stmt *st;
        rc = at_sqlite_prepare(store,
                               "UPDATE disputes SET status = ?2, updated_at = ?3 WHERE id = ?1",
                               false, &st, "updating a dispute", err);
        if (rc == AT_OK) {
            sqlite3_bind_int64(st, 1, id);
            sqlite3_bind_text(st, 2, next, -1, SQLITE_STATIC);
            sqlite3_bind_int64(st, 3, store->tx_time);
            rc = at_wf_step_done(store, st, "updating a dispute", err);
        }
    }
    if (rc == AT_OK) {
        char before[64], after[96];
        snprintf(before, sizeof before, "{\"status\":\"%s\"}", status);
        snprintf(after, sizeof after, "{\"status\":\"%s\",\"message\":\"%s\"}", next,
                 from_ops ? "ops" : "payee");
        rc = at_wf_audit(store, "update", "disputes", id, before, after, err);
    }
    return at_wf_end(store, rc, err);
}

at_code at_wf_dispute_resolve(at_store *store, int64_t id, int64_t person_id,
                              const at_wf_resolution *res, const char *actor,
                              int64_t *adjustment_id, bool *pending, at_error *err)
{
    if (adjustment_id)
        *adjustment_id = 0;
    if (pending)
        *pending = false;
    at_code rc = at_pay_store_check(store, true, err);
    if (rc == AT_OK)
        rc = check_text(res->text, "resolution", 4000, err);
    if (rc != AT_OK)
        return rc;
    rc = at_store_begin(store, actor, res->text, err);
    if (rc != AT_OK)
        return rc;
    char status[16];
    rc = status_of(store, id, person_id, status, err);
    if (rc == AT_OK && strcmp(status, "resolved") == 0)
        rc = at_fail(err, AT_ERR_CONFLICT, "status", "raise a new dispute if something is still "
                                                     "wrong",
                     "dispute %" PRId64 " is resolved already", id);
    char month[16] = "";
    if (rc == AT_OK && res->adjust && !res->month) {
        sqlite3_stmt *st;
        rc = at_sqlite_prepare(store, "SELECT month FROM disputes WHERE id = ?1", false, &st,
                               "reading a dispute", err);
        if (rc == AT_OK) {
            sqlite3_bind_int64(st, 1, id);
            if (sqlite3_step(st) == SQLITE_ROW)
                snprintf(month, sizeof month, "%s", (const char *)sqlite3_column_text(st, 0));
            sqlite3_finalize(st);
        }
    }
    int64_t adj = 0;
    bool is_pending = false;
    if (rc == AT_OK && res->adjust) {
        char reason[1001];
        if (!res->reason)
            snprintf(reason, sizeof reason, "dispute %" PRId64 ": %.900s", id, res->text);
        at_wf_adjustment_new a = {
            .person_id = person_id,
            .month = res->month ? res->month : month,
            .amount = res->amount,
            .reason = res->reason ? res->reason : reason,
        };
        rc = at_wf_adjustment_insert(store, &a, id, &adj, &is_pending, err);
        if (rc != AT_OK)
            at_error_prefix_where(err, "adjustment");
    }
    if (rc == AT_OK) {
        sqlite3_stmt *st;
        rc = at_sqlite_prepare(store,
                               "UPDATE disputes SET status = 'resolved', outcome = ?2, "
                               "resolution = ?3, resolved_at = ?4, resolved_by = ?5, "
                               "updated_at = ?4, adjustment_id = ?6 WHERE id = ?1 AND status <> "
                               "'resolved'",
                               false, &st, "resolving a dispute", err);
        if (rc == AT_OK) {
            sqlite3_bind_int64(st, 1, id);
            sqlite3_bind_text(st, 2, res->adjust ? "adjusted" : "no_change", -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 3, res->text, -1, SQLITE_STATIC);
            sqlite3_bind_int64(st, 4, store->tx_time);
            sqlite3_bind_text(st, 5, actor, -1, SQLITE_STATIC);
            if (adj)
                sqlite3_bind_int64(st, 6, adj);
            else
                sqlite3_bind_null(st, 6);
            rc = at_wf_step_done(store, st, "resolving a dispute", err);
        }
    }
    if (rc == AT_OK) {
        at_text before, after;
        at_text_init(&before);
        at_text_init(&after);
        at_text_addf(&before, "{\"status\":\"%s\"}", status);
        at_text_addf(&after, "{\"status\":\"resolved\",\"outcome\":\"%s\",\"resolution\":",
                     res->adjust ? "adjusted" : "no_change");
        at_text_json_string(&after, at_str_from(res->text));
        if (adj)
            at_text_addf(&after, ",\"adjustment\":%" PRId64, adj);
        at_text_add(&after, "}");
        rc = before.failed || after.failed
                 ? at_sqlite_nomem(store, err)
                 : at_wf_audit(store, "update", "disputes", id, before.ptr, after.ptr, err);
        at_text_free(&before);
        at_text_free(&after);
    }
    if (rc == AT_OK) {
        if (adjustment_id)
            *adjustment_id = adj;
        if (pending)
            *pending = is_pending;
    }
    return at_wf_end(store, rc, err);
}

#define DISPUTE_COLUMNS                                                                            \
    "d.id, d.person_id, p.ext_id, p.name, d.month, d.line_key, d.comment, d.status, d.outcome, " \
    "d.raised_at, d.updated_at, coalesce(d.resolved_at, 0), d.raised_by, d.resolution, "         \
    "d.resolved_by, coalesce(d.adjustment_id, 0) "
#define DISPUTE_FROM " FROM disputes d LEFT JOIN people p ON p.id = d.person_id "

static void read_dispute(sqlite3_stmt *st, at_arena *arena, at_wf_dispute *d)
{
    memset(d, 0, sizeof *d);
    d->id = sqlite3_column_int64(st, 0);
    d->person_id = sqlite3_column_int64(st, 1);
    d->person = at_wf_col(arena, st, 2);
    d->person_name = at_wf_col(arena, st, 3);
    if (!d->person)
        d->person = "";
    if (!d->person_name)
        d->person_name = "";
    d->month = at_wf_col(arena, st, 4);
    d->line_key = at_wf_col(arena, st, 5);
    d->comment = at_wf_col(arena, st, 6);
    d->status = at_wf_col(arena, st, 7);
    d->outcome = at_wf_col(arena, st, 8);
    d->raised_at = sqlite3_column_int64(st, 9);
    d->updated_at = sqlite3_column_int64(st, 10);
    d->resolved_at = sqlite3_column_int64(st, 11);
    d->raised_by = at_wf_col(arena, st, 12);
    d->resolution = at_wf_col(arena, st, 13);
    d->resolved_by = at_wf_col(arena, st, 14);
    d->adjustment_id = sqlite3_column_int64(st, 15);
}

at_code at_wf_dispute_get(at_store *store, int64_t id, int64_t person_id, at_arena *arena,
                          at_wf_dispute *out, bool *found, at_error *err)
{
    *found = false;
    at_code rc = at_pay_store_check(store, false, err);
    if (rc != AT_OK)
        return rc;
    bool opened = false;
    rc = at_pay_read_begin(store, &opened, err);
    if (rc != AT_OK)
        return rc;
    sqlite3_stmt *st;
    rc = at_sqlite_prepare(store,
                           "SELECT " DISPUTE_COLUMNS DISPUTE_FROM
                           "WHERE d.id = ?1 AND d.person_id = ?2",
                           false, &st, "reading a dispute", err);
    if (rc == AT_OK) {
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_int64(st, 2, person_id);
        int r = sqlite3_step(st);
        if (r == SQLITE_ROW) {
            *found = true;
            read_dispute(st, arena, out);
        } else if (r != SQLITE_DONE) {
            rc = at_sqlite_fail(store, r, "reading a dispute", err);
        }
        sqlite3_finalize(st);
    }
    if (rc == AT_OK && *found)
        rc = at_sqlite_prepare(store,
                               "SELECT at, author, side, text FROM dispute_messages WHERE "
                               "dispute_id = ?1 ORDER BY id",
                               false, &st, "reading a dispute's messages", err);
    if (rc == AT_OK && *found) {
        sqlite3_bind_int64(st, 1, id);
        size_t cap = 0, n = 0;
        at_wf_message *items = NULL;
        int r;
        while (rc == AT_OK && (r = sqlite3_step(st)) == SQLITE_ROW) {
            if (n == cap) {
                size_t nc = cap ? cap * 2 : 8;
                at_wf_message *grown = at_arena_alloc(arena, nc * sizeof *grown);
                if (!grown) {
                    rc = at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory");
                    break;
                }
                if (n)
                    memcpy(grown, items, n * sizeof *grown);
                items = grown;
                cap = nc;
            }
            items[n].at = sqlite3_column_int64(st, 0);
            items[n].author = at_wf_col(arena, st, 1);
            items[n].side = at_wf_col(arena, st, 2);
            items[n].text = at_wf_col(arena, st, 3);
            n++;
        }
        if (rc == AT_OK && r != SQLITE_DONE)
            rc = at_sqlite_fail(store, r, "reading a dispute's messages", err);
        sqlite3_finalize(st);
        out->messages = items;
        out->message_count = n;
    }
    at_pay_read_end(store, opened);
    return rc;
}

at_code at_wf_dispute_each(at_store *store, const at_wf_filter *f, at_wf_dispute_fn fn,
                           void *ctx, bool *more, at_error *err)
{
    if (more)
        *more = false;
    at_code rc = at_pay_store_check(store, false, err);
    if (rc != AT_OK)
        return rc;
    sqlite3_stmt *st;
    rc = at_sqlite_prepare(store,
                           WF_SCOPE_CTE "SELECT " DISPUTE_COLUMNS DISPUTE_FROM
                           "WHERE" WF_SCOPE_WHERE("d.person_id")
                           "AND (?5 = 0 OR d.person_id = ?5) AND (?6 IS NULL OR d.status = ?6) "
                           "AND (?7 IS NULL OR d.month = ?7) AND (?8 = 0 OR d.id < ?8) "
                           "ORDER BY d.id DESC LIMIT ?9",
                           false, &st, "listing disputes", err);
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
        at_wf_dispute d;
        read_dispute(st, &arena, &d);
        rc = fn(ctx, &d, err);
        n++;
    }
    if (rc == AT_OK && r != SQLITE_DONE)
        rc = at_sqlite_fail(store, r, "listing disputes", err);
    sqlite3_finalize(st);
    at_arena_free(&arena);
    return rc;
}
