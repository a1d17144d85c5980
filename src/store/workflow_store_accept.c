/* workflow_store_accept.c - acceptance of plan and quota terms, the distribution with each
 * person's acceptance status, and change requests raised instead (workflow_store.h).
 *
 * A person's terms for a period are the plan assignments in force during it (each with the
 * plan version in force on the first day it covers) and their quotas for periods inside it,
 * written as canonical JSON; its SHA-256 is what an acceptance records. Terms that change
 * later (a new plan version, a quota changed by an import) no longer match what was accepted:
 * the status says "changed" until the person accepts again. */
#include <inttypes.h>
#include <nettle/sha2.h>
#include <stdio.h>
#include <string.h>

#include "store/workflow_store_impl.h"

static void day_json(at_text *t, at_day d)
{
    if (d <= AT_DAY_MIN || d >= AT_DAY_MAX) {
        at_text_add(t, "null");
        return;
    }
    char buf[AT_DATE_TEXT_MAX];
    at_day_format(d, buf, sizeof buf);
    at_text_addf(t, "\"%s\"", buf);
}

static void sha256_hex(const char *text, char out[65])
{
    struct sha256_ctx ctx;
    uint8_t digest[SHA256_DIGEST_SIZE];
    sha256_init(&ctx);
    sha256_update(&ctx, strlen(text), (const uint8_t *)text);
    sha256_digest(&ctx, sizeof digest, digest);
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < sizeof digest; i++) {
        out[2 * i] = digits[digest[i] >> 4];
        out[2 * i + 1] = digits[digest[i] & 15];
    }
    out[64] = '\0';
}

const char *at_wf_terms_status(const at_wf_terms *t)
{
    if (t->plan_count == 0)
        return "nothing";
    if (t->open_requests > 0)
        return "change_requested";
    if (t->accepted && strcmp(t->accepted_sha256, t->sha256) == 0)
        return "accepted";
    if (t->accepted)
        return "changed";
    return "pending";
}

static at_code read_plans(at_store *store, int64_t person_id, at_arena *arena, at_wf_terms *t,
                          at_error *err)
{
    sqlite3_stmt *st;
    at_code rc = at_sqlite_prepare(
        store,
        "SELECT pa.ext_id, pa.plan, max(pa.start_date, ?2), min(coalesce(pa.end_date, ?3), ?3), "
        "(SELECT v.version FROM plan_versions v WHERE v.name = pa.plan AND v.effective_from <= "
        "max(pa.start_date, ?2) AND v.effective_to >= max(pa.start_date, ?2) ORDER BY v.version "
        "DESC LIMIT 1), (SELECT v.sha256 FROM plan_versions v WHERE v.name = pa.plan AND "
        "v.effective_from <= max(pa.start_date, ?2) AND v.effective_to >= max(pa.start_date, ?2) "
        "ORDER BY v.version DESC LIMIT 1) FROM plan_assignments pa WHERE pa.person_id = ?1 AND "
        "pa.start_date <= ?3 AND (pa.end_date IS NULL OR pa.end_date >= ?2) ORDER BY "
        "pa.start_date, pa.ext_id",
        false, &st, "reading plan assignments", err);
    if (rc != AT_OK)
        return rc;
    sqlite3_bind_int64(st, 1, person_id);
    sqlite3_bind_int64(st, 2, t->first);
    sqlite3_bind_int64(st, 3, t->last);
    size_t cap = 0, n = 0;
    at_wf_term_plan *items = NULL;
    int r;
    while (rc == AT_OK && (r = sqlite3_step(st)) == SQLITE_ROW) {
        if (n == cap) {
            size_t nc = cap ? cap * 2 : 4;
            at_wf_term_plan *g = at_arena_alloc(arena, nc * sizeof *g);
            if (!g) {
                rc = at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory");
                break;
            }
            if (n)
                memcpy(g, items, n * sizeof *g);
            items = g;
            cap = nc;
        }
        at_wf_term_plan *p = &items[n++];
        p->assignment = at_wf_col(arena, st, 0);
        p->plan = at_wf_col(arena, st, 1);
        p->from = (at_day)sqlite3_column_int64(st, 2);
        p->to = (at_day)sqlite3_column_int64(st, 3);
        p->version = sqlite3_column_int(st, 4);
        p->sha256 = at_wf_col(arena, st, 5);
    }
    if (rc == AT_OK && r != SQLITE_DONE)
        rc = at_sqlite_fail(store, r, "reading plan assignments", err);
    sqlite3_finalize(st);
    t->plans = items;
    t->plan_count = n;
    return rc;
}

static at_code read_quotas(at_store *store, int64_t person_id, at_arena *arena, at_wf_terms *t,
                           at_error *err)
{
    int y1 = 0, y2 = 0, m, d;
    at_day_to_ymd(t->first, &y1, &m, &d);
    at_day_to_ymd(t->last, &y2, &m, &d);
    at_fiscal_table table;
    at_code rc = at_store_fiscal_table(store, y1 - 1, y2 + 1, &table, err);
    if (rc != AT_OK)
        return rc;
    sqlite3_stmt *st;
    rc = at_sqlite_prepare(store,
                           "SELECT measure, period, amount, currency FROM quotas WHERE person_id "
                           "= ?1 ORDER BY measure, period, ext_id",
                           false, &st, "reading quotas", err);
    if (rc != AT_OK) {
        at_fiscal_table_free(&table);
        return rc;
    }
    sqlite3_bind_int64(st, 1, person_id);
    size_t cap = 0, n = 0;
    at_wf_term_quota *items = NULL;
    int r;
    while (rc == AT_OK && (r = sqlite3_step(st)) == SQLITE_ROW) {
        const char *label = (const char *)sqlite3_column_text(st, 1);
        const at_period *p;
        if (!label || at_fiscal_parse_label(&table, at_str_from(label), &p, NULL) != AT_OK ||
            p->first < t->first || p->last > t->last)
            continue;
        if (n == cap) {
            size_t nc = cap ? cap * 2 : 4;
            at_wf_term_quota *g = at_arena_alloc(arena, nc * sizeof *g);
            if (!g) {
                rc = at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory");
                break;
            }
            if (n)
                memcpy(g, items, n * sizeof *g);
            items = g;
            cap = nc;
        }
        at_wf_term_quota *q = &items[n++];
        q->measure = at_wf_col(arena, st, 0);
        q->period = at_wf_col(arena, st, 1);
        q->amount = sqlite3_column_int64(st, 2);
        q->currency = at_wf_col(arena, st, 3);
    }
    if (rc == AT_OK && r != SQLITE_DONE)
        rc = at_sqlite_fail(store, r, "reading quotas", err);
    sqlite3_finalize(st);
    at_fiscal_table_free(&table);
    t->quotas = items;
    t->quota_count = n;
    return rc;
}

static at_code terms_json(at_wf_terms *t, at_arena *arena, at_error *err)
{
    at_text j;
    at_text_init(&j);
    at_text_add(&j, "{\"period\":");
    at_text_json_string(&j, at_str_from(t->period));
    at_text_add(&j, ",\"plans\":[");
    for (size_t i = 0; i < t->plan_count; i++) {
        const at_wf_term_plan *p = &t->plans[i];
        at_text_add(&j, i ? ",{\"assignment\":" : "{\"assignment\":");
        at_text_json_string(&j, at_str_from(p->assignment ? p->assignment : ""));
        at_text_add(&j, ",\"plan\":");
        at_text_json_string(&j, at_str_from(p->plan ? p->plan : ""));
        at_text_addf(&j, ",\"version\":%d,\"sha256\":", p->version);
        if (p->sha256)
            at_text_json_string(&j, at_str_from(p->sha256));
        else
            at_text_add(&j, "null");
        at_text_add(&j, ",\"from\":");
        day_json(&j, p->from);
        at_text_add(&j, ",\"to\":");
        day_json(&j, p->to);
        at_text_add(&j, "}");
    }
    at_text_add(&j, "],\"quotas\":[");
    for (size_t i = 0; i < t->quota_count; i++) {
        const at_wf_term_quota *q = &t->quotas[i];
        char amount[AT_MONEY_TEXT_MAX];
        at_money_format(q->amount, amount, sizeof amount);
        at_text_add(&j, i ? ",{\"measure\":" : "{\"measure\":");
        at_text_json_string(&j, at_str_from(q->measure ? q->measure : ""));
        at_text_add(&j, ",\"period\":");
        at_text_json_string(&j, at_str_from(q->period ? q->period : ""));
        at_text_addf(&j, ",\"amount\":\"%s\",\"currency\":", amount);
        if (q->currency)
            at_text_json_string(&j, at_str_from(q->currency));
        else
            at_text_add(&j, "null");
        at_text_add(&j, "}");
    }
    at_text_add(&j, "]}");
    if (j.failed) {
        at_text_free(&j);
        return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory");
    }
    t->json = at_arena_strdup(arena, j.ptr);
    at_text_free(&j);
    if (!t->json)
        return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory");
    if (t->plan_count)
        sha256_hex(t->json, t->sha256);
    return AT_OK;
}

static at_code read_state(at_store *store, int64_t person_id, at_arena *arena, at_wf_terms *t,
                          at_error *err)
{
    sqlite3_stmt *st;
    at_code rc = at_sqlite_prepare(store,
                                   "SELECT terms_sha256, accepted_at, accepted_by FROM "
                                   "acceptances WHERE person_id = ?1 AND period = ?2 ORDER BY id "
                                   "DESC LIMIT 1",
                                   false, &st, "reading acceptances", err);
    if (rc != AT_OK)
        return rc;
    sqlite3_bind_int64(st, 1, person_id);
    sqlite3_bind_text(st, 2, t->period, -1, SQLITE_STATIC);
    int r = sqlite3_step(st);
    if (r == SQLITE_ROW) {
        t->accepted = true;
        const char *sha = (const char *)sqlite3_column_text(st, 0);
        snprintf(t->accepted_sha256, sizeof t->accepted_sha256, "%s", sha ? sha : "");
        t->accepted_at = sqlite3_column_int64(st, 1);
        t->accepted_by = at_wf_col(arena, st, 2);
    } else if (r != SQLITE_DONE) {
        rc = at_sqlite_fail(store, r, "reading acceptances", err);
    }
    sqlite3_finalize(st);
    if (rc != AT_OK)
        return rc;
    rc = at_sqlite_prepare(store,
                           "SELECT count(*) FROM change_requests WHERE person_id = ?1 AND period "
                           "= ?2 AND status = 'open'",
                           false, &st, "reading change requests", err);
    if (rc != AT_OK)
        return rc;
    sqlite3_bind_int64(st, 1, person_id);
    sqlite3_bind_text(st, 2, t->period, -1, SQLITE_STATIC);
    r = sqlite3_step(st);
    if (r == SQLITE_ROW)
        t->open_requests = sqlite3_column_int64(st, 0);
    else
        rc = at_sqlite_fail(store, r, "reading change requests", err);
    sqlite3_finalize(st);
    return rc;
}

/* The terms without the period check (the caller has the days). */
static at_code terms_of(at_store *store, int64_t person_id, const char *period, at_day first,
                        at_day last, at_arena *arena, at_wf_terms *out, at_error *err)
{
    memset(out, 0, sizeof *out);
    out->period = at_arena_strdup(arena, period);
    if (!out->period)
        return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory");
    out->first = first;
    out->last = last;
    at_code rc = read_plans(store, person_id, arena, out, err);
    if (rc == AT_OK)
        rc = read_quotas(store, person_id, arena, out, err);
    if (rc == AT_OK)
        rc = terms_json(out, arena, err);
    if (rc == AT_OK)
        rc = read_state(store, person_id, arena, out, err);
    return rc;
}

at_code at_wf_terms_get(at_store *store, int64_t person_id, const char *period, at_arena *arena,
                        at_wf_terms *out, at_error *err)
{
    memset(out, 0, sizeof *out);
    at_code rc = at_pay_store_check(store, false, err);
    if (rc != AT_OK)
        return rc;
    at_day first, last;
    rc = at_wf_period_days(store, period, "period", NULL, &first, &last, err);
    if (rc != AT_OK)
        return rc;
    bool opened = false;
    rc = at_pay_read_begin(store, &opened, err);
    if (rc != AT_OK)
        return rc;
    rc = terms_of(store, person_id, period, first, last, arena, out, err);
    at_pay_read_end(store, opened);
    return rc;
}

at_code at_wf_accept(at_store *store, int64_t person_id, const char *period, const char *actor,
                     char *terms_sha256, at_error *err)
{
    if (terms_sha256)
        terms_sha256[0] = '\0';
    at_code rc = at_pay_store_check(store, true, err);
    if (rc != AT_OK)
        return rc;
    at_day first, last;
    rc = at_wf_period_days(store, period, "period", NULL, &first, &last, err);
    if (rc != AT_OK)
        return rc;
    char ext[129], name[257], currency[8];
    rc = at_wf_person(store, person_id, ext, name, currency, err);
    if (rc != AT_OK)
        return rc;
    at_arena arena;
    at_arena_init(&arena, 8192);
    rc = at_store_begin(store, actor, "plan and quota accepted", err);
    if (rc != AT_OK) {
        at_arena_free(&arena);
        return rc;
    }
    at_wf_terms t;
    rc = terms_of(store, person_id, period, first, last, &arena, &t, err);
    if (rc == AT_OK && t.plan_count == 0)
        rc = at_fail(err, AT_ERR_CONFLICT, "period", "ask sales ops to assign a plan",
                     "%s has no plan in %s: there is nothing to accept", ext, period);
    if (rc == AT_OK && t.accepted && strcmp(t.accepted_sha256, t.sha256) == 0)
        rc = at_fail(err, AT_ERR_CONFLICT, "period", NULL,
                     "%s accepted these terms for %s already", ext, period);
    sqlite3_stmt *st;
    if (rc == AT_OK)
        rc = at_sqlite_prepare(store,
                               "INSERT INTO acceptances (person_id, period, terms, terms_sha256, "
                               "accepted_at, accepted_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                               false, &st, "recording an acceptance", err);
    if (rc == AT_OK) {
        sqlite3_bind_int64(st, 1, person_id);
        sqlite3_bind_text(st, 2, period, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, t.json, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, t.sha256, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 5, store->tx_time);
        sqlite3_bind_text(st, 6, actor, -1, SQLITE_STATIC);
        rc = at_wf_step_done(store, st, "recording an acceptance", err);
    }
    if (rc == AT_OK) {
        int64_t id = sqlite3_last_insert_rowid(BACKEND(store)->db);
        at_text after;
        at_text_init(&after);
        at_text_add(&after, "{\"payee\":");
        at_text_json_string(&after, at_str_from(ext));
        at_text_add(&after, ",\"period\":");
        at_text_json_string(&after, at_str_from(period));
        at_text_addf(&after, ",\"terms_sha256\":\"%s\"}", t.sha256);
        rc = after.failed ? at_sqlite_nomem(store, err)
                          : at_wf_audit(store, "insert", "acceptances", id, NULL, after.ptr, err);
        at_text_free(&after);
        if (rc == AT_OK && terms_sha256)
            snprintf(terms_sha256, 65, "%s", t.sha256);
    }
    at_arena_free(&arena);
    return at_wf_end(store, rc, err);
}

at_code at_wf_distribution(at_store *store, const at_web_scope *scope, const char *period,
                           at_arena *arena, at_wf_distribution_fn fn, void *ctx, at_error *err)
{
    at_code rc = at_pay_store_check(store, false, err);
    if (rc != AT_OK)
        return rc;
    at_day first, last;
    rc = at_wf_period_days(store, period, "period", NULL, &first, &last, err);
    if (rc != AT_OK)
        return rc;
    bool opened = false;
    rc = at_pay_read_begin(store, &opened, err);
    if (rc != AT_OK)
        return rc;
    sqlite3_stmt *st;
    rc = at_sqlite_prepare(store,
                           WF_SCOPE_CTE "SELECT DISTINCT p.id, p.ext_id, p.name FROM people p JOIN "
                           "plan_assignments pa ON pa.person_id = p.id WHERE"
                           WF_SCOPE_WHERE("p.id") "AND pa.start_date <= ?6 AND (pa.end_date IS "
                           "NULL OR pa.end_date >= ?5) ORDER BY p.ext_id",
                           false, &st, "reading the distribution", err);
    if (rc == AT_OK) {
        at_wf_bind_scope(st, scope);
        sqlite3_bind_int64(st, 5, first);
        sqlite3_bind_int64(st, 6, last);
        int r;
        while (rc == AT_OK && (r = sqlite3_step(st)) == SQLITE_ROW) {
            at_arena_mark mark = at_arena_save(arena);
            at_wf_terms t;
            at_wf_distribution_row row = {
                .person = at_wf_col(arena, st, 1),
                .name = at_wf_col(arena, st, 2),
                .terms = &t,
            };
            rc = terms_of(store, sqlite3_column_int64(st, 0), period, first, last, arena, &t,
                          err);
            if (rc == AT_OK) {
                row.status = at_wf_terms_status(&t);
                rc = fn(ctx, &row, err);
            }
            at_arena_restore(arena, mark);
        }
        if (rc == AT_OK && r != SQLITE_DONE)
            rc = at_sqlite_fail(store, r, "reading the distribution", err);
        sqlite3_finalize(st);
    }
    at_pay_read_end(store, opened);
    return rc;
}

/* ---- change requests ------------------------------------------------------------------------ */

static const char *const request_kinds[] = {"quota", "deal", "territory", "plan", "other"};

at_code at_wf_request_raise(at_store *store, const at_wf_change_request *q, const char *actor,
                            int64_t *id, at_error *err)
{
    if (id)
        *id = 0;
    at_code rc = at_pay_store_check(store, true, err);
    if (rc != AT_OK)
        return rc;
    bool kind_ok = false;
    for (size_t i = 0; q->kind && i < sizeof request_kinds / sizeof *request_kinds; i++)
        kind_ok |= strcmp(q->kind, request_kinds[i]) == 0;
    if (!kind_ok)
        return at_fail(err, AT_ERR_INVALID, "kind", "use quota, deal, territory, plan or other",
                       "'%.40s' is not a kind of change request", q->kind ? q->kind : "");
    if (!q->text || !q->text[0] || strlen(q->text) > 4000)
        return at_fail(err, AT_ERR_INVALID, "text", "say what should change and why",
                       "text is required (at most 4000 bytes)");
    at_day first, last;
    rc = at_wf_period_days(store, q->period, "period", NULL, &first, &last, err);
    if (rc != AT_OK)
        return rc;
    char ext[129], name[257], currency[8];
    rc = at_wf_person(store, q->person_id, ext, name, currency, err);
    if (rc != AT_OK)
        return rc;
    if (q->deal) {
        int64_t n = 0;
        sqlite3_stmt *st;
        rc = at_sqlite_prepare(store, "SELECT count(*) FROM transactions WHERE ext_id = ?1",
                               false, &st, "reading transactions", err);
        if (rc != AT_OK)
            return rc;
        sqlite3_bind_text(st, 1, q->deal, -1, SQLITE_STATIC);
        if (sqlite3_step(st) == SQLITE_ROW)
            n = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
        if (n == 0)
            return at_fail(err, AT_ERR_INVALID, "deal", "give a transaction id (transactions.csv)",
                           "there is no transaction '%.128s'", q->deal);
    }
    rc = at_store_begin(store, actor, q->text, err);
    if (rc != AT_OK)
        return rc;
    sqlite3_stmt *st;
    rc = at_sqlite_prepare(store,
                           "INSERT INTO change_requests (person_id, period, kind, text, amount, "
                           "deal, status, raised_at, raised_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
                           "'open', ?7, ?8)",
                           false, &st, "raising a change request", err);
    if (rc == AT_OK) {
        sqlite3_bind_int64(st, 1, q->person_id);
        sqlite3_bind_text(st, 2, q->period, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, q->kind, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, q->text, -1, SQLITE_STATIC);
        if (q->has_amount)
            sqlite3_bind_int64(st, 5, q->amount);
        else
            sqlite3_bind_null(st, 5);
        at_sqlite_bind_text(store, st, 6, q->deal, NULL);
        sqlite3_bind_int64(st, 7, store->tx_time);
        sqlite3_bind_text(st, 8, actor, -1, SQLITE_STATIC);
        rc = at_wf_step_done(store, st, "raising a change request", err);
    }
    if (rc == AT_OK) {
        int64_t new_id = sqlite3_last_insert_rowid(BACKEND(store)->db);
        at_text after;
        at_text_init(&after);
        at_text_add(&after, "{\"payee\":");
        at_text_json_string(&after, at_str_from(ext));
        at_text_add(&after, ",\"period\":");
        at_text_json_string(&after, at_str_from(q->period));
        at_text_addf(&after, ",\"kind\":\"%s\",\"status\":\"open\"}", q->kind);
        rc = after.failed ? at_sqlite_nomem(store, err)
                          : at_wf_audit(store, "insert", "change_requests", new_id, NULL,
                                        after.ptr, err);
        at_text_free(&after);
        if (rc == AT_OK && id)
            *id = new_id;
    }
    return at_wf_end(store, rc, err);
}

at_code at_wf_request_resolve(at_store *store, int64_t id, int64_t person_id, bool granted,
                              const char *answer, const char *actor, at_error *err)
{
    at_code rc = at_pay_store_check(store, true, err);
    if (rc != AT_OK)
        return rc;
    if (!answer || !answer[0] || strlen(answer) > 4000)
        return at_fail(err, AT_ERR_INVALID, "answer", "say what was decided and why",
                       "answer is required (at most 4000 bytes)");
    rc = at_store_begin(store, actor, answer, err);
    if (rc != AT_OK)
        return rc;
    sqlite3_stmt *st;
    char status[16] = "";
    rc = at_sqlite_prepare(store,
                           "SELECT status FROM change_requests WHERE id = ?1 AND person_id = ?2",
                           false, &st, "reading a change request", err);
    if (rc == AT_OK) {
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_int64(st, 2, person_id);
        int r = sqlite3_step(st);
        if (r == SQLITE_ROW)
            snprintf(status, sizeof status, "%s", (const char *)sqlite3_column_text(st, 0));
        else if (r == SQLITE_DONE)
            rc = at_fail(err, AT_ERR_NOT_FOUND, "id", "list them with GET /api/v1/change-requests",
                         "the payee has no change request %" PRId64, id);
        else
            rc = at_sqlite_fail(store, r, "reading a change request", err);
        sqlite3_finalize(st);
    }
    if (rc == AT_OK && strcmp(status, "open") != 0)
        rc = at_fail(err, AT_ERR_CONFLICT, "status", NULL,
                     "change request %" PRId64 " is %s already", id, status);
    if (rc == AT_OK)
        rc = at_sqlite_prepare(store,
                               "UPDATE change_requests SET status = ?2, answer = ?3, resolved_at "
                               "= ?4, resolved_by = ?5 WHERE id = ?1 AND status = 'open'",
                               false, &st, "resolving a change request", err);
    if (rc == AT_OK) {
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_text(st, 2, granted ? "granted" : "declined", -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, answer, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 4, store->tx_time);
        sqlite3_bind_text(st, 5, actor, -1, SQLITE_STATIC);
        rc = at_wf_step_done(store, st, "resolving a change request", err);
    }
    if (rc == AT_OK) {
        at_text after;
        at_text_init(&after);
        at_text_addf(&after, "{\"status\":\"%s\",\"answer\":", granted ? "granted" : "declined");
        at_text_json_string(&after, at_str_from(answer));
        at_text_add(&after, "}");
        rc = after.failed ? at_sqlite_nomem(store, err)
                          : at_wf_audit(store, "update", "change_requests", id,
                                        "{\"status\":\"open\"}", after.ptr, err);
        at_text_free(&after);
    }
    return at_wf_end(store, rc, err);
}

#define REQUEST_COLUMNS                                                                            \
    "c.id, c.person_id, p.ext_id, p.name, c.period, c.kind, c.text, c.amount, c.deal, "          \
    "c.status, c.raised_at, coalesce(c.resolved_at, 0), c.raised_by, c.answer, c.resolved_by "

at_code at_wf_request_each(at_store *store, const at_wf_filter *f, at_wf_request_fn fn,
                           void *ctx, bool *more, at_error *err)
{
    if (more)
        *more = false;
    at_code rc = at_pay_store_check(store, false, err);
    if (rc != AT_OK)
        return rc;
    sqlite3_stmt *st;
    rc = at_sqlite_prepare(store,
                           WF_SCOPE_CTE "SELECT " REQUEST_COLUMNS "FROM change_requests c LEFT "
                           "JOIN people p ON p.id = c.person_id WHERE"
                           WF_SCOPE_WHERE("c.person_id")
                           "AND (?5 = 0 OR c.person_id = ?5) AND (?6 IS NULL OR c.status = ?6) "
                           "AND (?7 IS NULL OR c.period = ?7) AND (?8 = 0 OR c.id < ?8) "
                           "ORDER BY c.id DESC LIMIT ?9",
                           false, &st, "listing change requests", err);
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
        at_wf_change_request q;
        memset(&q, 0, sizeof q);
        q.id = sqlite3_column_int64(st, 0);
        q.person_id = sqlite3_column_int64(st, 1);
        q.person = at_wf_col(&arena, st, 2);
        q.person_name = at_wf_col(&arena, st, 3);
        if (!q.person)
            q.person = "";
        if (!q.person_name)
            q.person_name = "";
        q.period = at_wf_col(&arena, st, 4);
        q.kind = at_wf_col(&arena, st, 5);
        q.text = at_wf_col(&arena, st, 6);
        q.has_amount = sqlite3_column_type(st, 7) != SQLITE_NULL;
        q.amount = sqlite3_column_int64(st, 7);
        q.deal = at_wf_col(&arena, st, 8);
        q.status = at_wf_col(&arena, st, 9);
        q.raised_at = sqlite3_column_int64(st, 10);
        q.resolved_at = sqlite3_column_int64(st, 11);
        q.raised_by = at_wf_col(&arena, st, 12);
        q.answer = at_wf_col(&arena, st, 13);
        q.resolved_by = at_wf_col(&arena, st, 14);
        rc = fn(ctx, &q, err);
        n++;
    }
    if (rc == AT_OK && r != SQLITE_DONE)
        rc = at_sqlite_fail(store, r, "listing change requests", err);
    sqlite3_finalize(st);
    at_arena_free(&arena);
    return rc;
}
