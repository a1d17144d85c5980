/* workflow_store_plans.c - plan versions submitted for approval (workflow_store.h): a plan
 * document loaded through the API waits in plan_changes until someone in finance other than
 * its submitter approves it (then it becomes a plan version) or rejects it. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "store/workflow_store_impl.h"

#define CHANGE_COLUMNS                                                                             \
    "c.id, c.name, c.sha256, c.effective_from, c.effective_to, c.status, c.submitted_at, "       \
    "coalesce(c.decided_at, 0), c.submitted_by, c.reason, c.decided_by, c.note, "                \
    "coalesce(c.version, 0), (SELECT coalesce(max(v.version), 0) FROM plan_versions v WHERE "    \
    "v.name = c.name) "

static void read_change(sqlite3_stmt *st, at_arena *arena, at_wf_plan_change *c)
{
    memset(c, 0, sizeof *c);
    c->id = sqlite3_column_int64(st, 0);
    c->name = at_wf_col(arena, st, 1);
    c->sha256 = at_wf_col(arena, st, 2);
    c->effective_from = (at_day)sqlite3_column_int64(st, 3);
    c->effective_to = (at_day)sqlite3_column_int64(st, 4);
    c->status = at_wf_col(arena, st, 5);
    c->submitted_at = sqlite3_column_int64(st, 6);
    c->decided_at = sqlite3_column_int64(st, 7);
    c->submitted_by = at_wf_col(arena, st, 8);
    c->reason = at_wf_col(arena, st, 9);
    c->decided_by = at_wf_col(arena, st, 10);
    c->note = at_wf_col(arena, st, 11);
    c->version = sqlite3_column_int(st, 12);
    c->latest = sqlite3_column_int(st, 13);
}

at_code at_wf_plan_submit(at_store *store, const char *name, const char *source, size_t length,
                          const char *sha256, at_day effective_from, at_day effective_to,
                          const char *actor, const char *reason, int64_t *id, at_error *err)
{
    if (id)
        *id = 0;
    at_code rc = at_pay_store_check(store, true, err);
    if (rc != AT_OK)
        return rc;
    if (!name || !name[0] || !source || !sha256 || strlen(sha256) != 64)
        return at_fail(err, AT_ERR_INVALID, "source", NULL,
                       "a plan change needs the plan's name, document and sha256");
    rc = at_store_begin(store, actor, reason, err);
    if (rc != AT_OK)
        return rc;
    sqlite3_stmt *st;
    rc = at_sqlite_prepare(store,
                           "SELECT (SELECT id FROM plan_changes WHERE name = ?1 AND sha256 = ?2 "
                           "AND effective_from = ?3 AND effective_to = ?4 AND status = "
                           "'pending'), (SELECT version FROM plan_versions WHERE name = ?1 AND "
                           "sha256 = ?2 AND effective_from = ?3 AND effective_to = ?4 AND "
                           "version = (SELECT max(version) FROM plan_versions WHERE name = ?1))",
                           false, &st, "reading plan changes", err);
    if (rc == AT_OK) {
        sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, sha256, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 3, effective_from);
        sqlite3_bind_int64(st, 4, effective_to);
        int r = sqlite3_step(st);
        if (r != SQLITE_ROW)
            rc = at_sqlite_fail(store, r, "reading plan changes", err);
        else if (sqlite3_column_type(st, 0) != SQLITE_NULL)
            rc = at_fail(err, AT_ERR_CONFLICT, "source", "wait for finance to decide it",
                         "this document of '%s' waits for approval already (plan change %" PRId64
                         ")",
                         name, (int64_t)sqlite3_column_int64(st, 0));
        else if (sqlite3_column_type(st, 1) != SQLITE_NULL)
            rc = at_fail(err, AT_ERR_CONFLICT, "source", "change the document first",
                         "this document is '%s' version %d already", name,
                         sqlite3_column_int(st, 1));
        sqlite3_finalize(st);
    }
    if (rc == AT_OK)
        rc = at_sqlite_prepare(store,
                               "INSERT INTO plan_changes (name, source, sha256, effective_from, "
                               "effective_to, status, submitted_at, submitted_by, reason) VALUES "
                               "(?1, ?2, ?3, ?4, ?5, 'pending', ?6, ?7, ?8)",
                               false, &st, "submitting a plan change", err);
    if (rc == AT_OK) {
        sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
        sqlite3_bind_text64(st, 2, length ? source : "", length, SQLITE_STATIC, SQLITE_UTF8);
        sqlite3_bind_text(st, 3, sha256, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 4, effective_from);
        sqlite3_bind_int64(st, 5, effective_to);
        sqlite3_bind_int64(st, 6, store->tx_time);
        sqlite3_bind_text(st, 7, actor, -1, SQLITE_STATIC);
        at_sqlite_bind_text(store, st, 8, reason, NULL);
        rc = at_wf_step_done(store, st, "submitting a plan change", err);
    }
    if (rc == AT_OK) {
        int64_t new_id = sqlite3_last_insert_rowid(BACKEND(store)->db);
        at_text after;
        at_text_init(&after);
        at_text_add(&after, "{\"name\":");
        at_text_json_string(&after, at_str_from(name));
        at_text_addf(&after, ",\"sha256\":\"%s\",\"size\":%zu,\"status\":\"pending\"}", sha256,
                     length);
        rc = after.failed ? at_sqlite_nomem(store, err)
                          : at_wf_audit(store, "insert", "plan_changes", new_id, NULL, after.ptr,
                                        err);
        at_text_free(&after);
        if (rc == AT_OK && id)
            *id = new_id;
    }
    return at_wf_end(store, rc, err);
}

at_code at_wf_plan_change_get(at_store *store, int64_t id, at_arena *arena,
                              at_wf_plan_change *out, bool *found, at_error *err)
{
    *found = false;
    at_code rc = at_pay_store_check(store, false, err);
    if (rc != AT_OK)
        return rc;
    sqlite3_stmt *st;
    rc = at_sqlite_prepare(store,
                           "SELECT " CHANGE_COLUMNS ", c.source FROM plan_changes c WHERE c.id = ?1",
                           false, &st, "reading a plan change", err);
    if (rc != AT_OK)
        return rc;
    sqlite3_bind_int64(st, 1, id);
    int r = sqlite3_step(st);
    if (r == SQLITE_ROW) {
        *found = true;
        read_change(st, arena, out);
        out->source = at_wf_col(arena, st, 14);
    } else if (r != SQLITE_DONE) {
        rc = at_sqlite_fail(store, r, "reading a plan change", err);
    }
    sqlite3_finalize(st);
    return rc;
}

at_code at_wf_plan_decide(at_store *store, int64_t id, bool approve, const char *note,
                          const char *actor, int *version, at_error *err)
{
    if (version)
        *version = 0;
    at_code rc = at_pay_store_check(store, true, err);
    if (rc != AT_OK)
        return rc;
    at_arena arena;
    at_arena_init(&arena, 4096);
    at_wf_plan_change c;
    bool found = false;
    rc = at_wf_plan_change_get(store, id, &arena, &c, &found, err);
    if (rc == AT_OK && !found)
        rc = at_fail(err, AT_ERR_NOT_FOUND, "id", "list them with GET /api/v1/approvals",
                     "there is no plan change %" PRId64, id);
    if (rc == AT_OK && strcmp(c.status, "pending") != 0)
        rc = at_fail(err, AT_ERR_CONFLICT, "status", NULL,
                     "plan change %" PRId64 " is %s already", id, c.status);
    if (rc == AT_OK && actor && c.submitted_by && strcmp(c.submitted_by, actor) == 0)
        rc = at_fail(err, AT_ERR_CONFLICT, "approver",
                     "segregation of duties: someone else in finance must decide it",
                     "you submitted plan change %" PRId64 ", so you cannot %s it", id,
                     approve ? "approve" : "reject");
    int stored = 0;
    if (rc == AT_OK && approve) {
        /* the version is saved first, in its own transaction: saving the same document again
           changes nothing, so a retry after a failure below is harmless */
        const char *why = at_arena_printf(&arena, "%s%s(plan change %" PRId64 ", approved by %s)",
                                          c.reason ? c.reason : "", c.reason ? " " : "", id,
                                          actor ? actor : "");
        bool unchanged = false;
        rc = at_store_plan_save(store, c.name, c.source ? c.source : "",
                                c.source ? strlen(c.source) : 0, c.sha256, c.effective_from,
                                c.effective_to, c.submitted_by, why, &stored, &unchanged, err);
    }
    if (rc == AT_OK)
        rc = at_store_begin(store, actor, note, err);
    if (rc != AT_OK) {
        at_arena_free(&arena);
        return rc;
    }
    sqlite3_stmt *st;
    rc = at_sqlite_prepare(store,
                           "UPDATE plan_changes SET status = ?2, decided_at = ?3, decided_by = "
                           "?4, note = ?5, version = ?6 WHERE id = ?1 AND status = 'pending'",
                           false, &st, "deciding a plan change", err);
    if (rc == AT_OK) {
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_text(st, 2, approve ? "approved" : "rejected", -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 3, store->tx_time);
        sqlite3_bind_text(st, 4, actor, -1, SQLITE_STATIC);
        at_sqlite_bind_text(store, st, 5, note, NULL);
        if (stored)
            sqlite3_bind_int(st, 6, stored);
        else
            sqlite3_bind_null(st, 6);
        rc = at_wf_step_done(store, st, "deciding a plan change", err);
    }
    if (rc == AT_OK && sqlite3_changes(BACKEND(store)->db) == 0)
        rc = at_fail(err, AT_ERR_CONFLICT, "status", NULL,
                     "plan change %" PRId64 " was decided meanwhile", id);
    if (rc == AT_OK) {
        at_text after;
        at_text_init(&after);
        at_text_addf(&after, "{\"status\":\"%s\"", approve ? "approved" : "rejected");
        if (stored)
            at_text_addf(&after, ",\"version\":%d", stored);
        at_text_add(&after, ",\"note\":");
        if (note)
            at_text_json_string(&after, at_str_from(note));
        else
            at_text_add(&after, "null");
        at_text_add(&after, "}");
        rc = after.failed ? at_sqlite_nomem(store, err)
                          : at_wf_audit(store, "update", "plan_changes", id,
                                        "{\"status\":\"pending\"}", after.ptr, err);
        at_text_free(&after);
    }
    at_arena_free(&arena);
    rc = at_wf_end(store, rc, err);
    if (rc == AT_OK && version)
        *version = stored;
    return rc;
}

at_code at_wf_plan_change_each(at_store *store, const at_wf_filter *f, at_wf_plan_change_fn fn,
                               void *ctx, bool *more, at_error *err)
{
    if (more)
        *more = false;
    at_code rc = at_pay_store_check(store, false, err);
    if (rc != AT_OK)
        return rc;
    sqlite3_stmt *st;
    rc = at_sqlite_prepare(store,
                           "SELECT " CHANGE_COLUMNS "FROM plan_changes c WHERE (?1 IS NULL OR "
                           "c.status = ?1) AND (?2 = 0 OR c.id < ?2) ORDER BY c.id DESC LIMIT ?3",
                           false, &st, "listing plan changes", err);
    if (rc != AT_OK)
        return rc;
    at_sqlite_bind_text(store, st, 1, f->status, NULL);
    sqlite3_bind_int64(st, 2, f->before);
    sqlite3_bind_int64(st, 3, f->limit ? (int64_t)f->limit + 1 : -1);
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
        at_wf_plan_change c;
        read_change(st, &arena, &c);
        rc = fn(ctx, &c, err);
        n++;
    }
    if (rc == AT_OK && r != SQLITE_DONE)
        rc = at_sqlite_fail(store, r, "listing plan changes", err);
    sqlite3_finalize(st);
    at_arena_free(&arena);
    return rc;
}
