/* pay_store_plan.c - plan documents as versions in the store (table plan_versions): saving a
 * new version when the document or its effective dates changed, listing them, reading one.
 * The store keeps the text as loaded; parsing it is the plan reader's business (plan/plan.h),
 * which the store does not depend on. Each saved version is audited as an insert of
 * plan_versions keyed "name|version" (the text itself is in the table, the audit row has its
 * sha256 and size). SQLite only, like sqlite_*.c. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "store/pay_store.h"
#include "store/pay_store_impl.h"

static bool is_sha256_hex(const char *s)
{
    if (!s)
        return false;
    size_t n = 0;
    for (; s[n]; n++)
        if (!((s[n] >= '0' && s[n] <= '9') || (s[n] >= 'a' && s[n] <= 'f')))
            return false;
    return n == 64;
}

/* A day as JSON for the audit row: "2026-01-01", or null when open (AT_DAY_MIN/AT_DAY_MAX). */
static void add_day_json(at_text *t, at_day day)
{
    if (day <= AT_DAY_MIN || day >= AT_DAY_MAX) {
        at_text_add(t, "null");
        return;
    }
    char buf[AT_DATE_TEXT_MAX];
    at_day_format(day, buf, sizeof buf);
    at_text_addf(t, "\"%s\"", buf);
}

static at_code latest_version(at_store *s, const char *name, bool *any, int *version,
                              char sha[65], at_day *from, at_day *to, at_error *err)
{
    sqlite3_stmt *st;
    at_code rc = at_sqlite_prepare(s,
                                   "SELECT version, sha256, effective_from, effective_to FROM "
                                   "plan_versions WHERE name = ?1 ORDER BY version DESC LIMIT 1",
                                   false, &st, "reading plan versions", err);
    if (rc != AT_OK)
        return rc;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    int r = sqlite3_step(st);
    *any = r == SQLITE_ROW;
    if (r == SQLITE_ROW) {
        *version = sqlite3_column_int(st, 0);
        const char *h = (const char *)sqlite3_column_text(st, 1);
        snprintf(sha, 65, "%s", h ? h : "");
        *from = (at_day)sqlite3_column_int64(st, 2);
        *to = (at_day)sqlite3_column_int64(st, 3);
    } else if (r != SQLITE_DONE) {
        rc = at_sqlite_fail(s, r, "reading plan versions", err);
    }
    sqlite3_finalize(st);
    return rc;
}

static at_code insert_version(at_store *s, const char *name, int version, const char *source,
                              size_t length, const char *sha256, at_day from, at_day to,
                              at_error *err)
{
    sqlite3_stmt *st;
    at_code rc = at_sqlite_prepare(s,
                                   "INSERT INTO plan_versions (name, version, effective_from, "
                                   "effective_to, source, sha256, loaded_at, loaded_by, reason) "
                                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                                   false, &st, "saving a plan version", err);
    if (rc != AT_OK)
        return rc;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, version);
    sqlite3_bind_int64(st, 3, from);
    sqlite3_bind_int64(st, 4, to);
    sqlite3_bind_text64(st, 5, length ? source : "", length, SQLITE_STATIC, SQLITE_UTF8);
    sqlite3_bind_text(st, 6, sha256, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 7, s->tx_time);
    sqlite3_bind_text(st, 8, s->actor, -1, SQLITE_STATIC);
    at_sqlite_bind_text(s, st, 9, s->reason, NULL);
    int r = sqlite3_step(st);
    sqlite3_finalize(st);
    if (r != SQLITE_DONE)
        return at_sqlite_fail(s, r, "saving a plan version", err);

    at_text key, after;
    at_text_init(&key);
    at_text_init(&after);
    at_text_addf(&key, "%s|%d", name, version);
    at_text_add(&after, "{\"name\":");
    at_text_json_string(&after, at_str_from(name));
    at_text_addf(&after, ",\"version\":%d,\"effective_from\":", version);
    add_day_json(&after, from);
    at_text_add(&after, ",\"effective_to\":");
    add_day_json(&after, to);
    at_text_addf(&after, ",\"sha256\":\"%s\",\"size\":%zu}", sha256, length);
    if (key.failed || after.failed)
        rc = at_sqlite_nomem(s, err);
    else
        rc = at_sqlite_write_audit(s, "insert", "plan_versions",
                                   at_str_make(key.ptr, key.len), NULL, after.ptr, err);
    at_text_free(&key);
    at_text_free(&after);
    return rc;
}

at_code at_store_plan_save(at_store *store, const char *name, const char *source,
                           size_t source_length, const char *sha256, at_day effective_from,
                           at_day effective_to, const char *actor, const char *reason,
                           int *version, bool *unchanged, at_error *err)
{
    *version = 0;
    *unchanged = false;
    at_code rc = at_pay_store_check(store, true, err);
    if (rc != AT_OK)
        return rc;
    if (!name || !name[0])
        return at_fail(err, AT_ERR_USAGE, store->path, "give the plan a name (its `name:` key)",
                       "a plan version needs a name");
    if (!source && source_length)
        return at_fail(err, AT_ERR_INTERNAL, store->path, NULL, "plan '%s' has no text", name);
    if (!is_sha256_hex(sha256))
        return at_fail(err, AT_ERR_INTERNAL, store->path,
                       "pass the SHA-256 of the document as 64 lower-case hex digits",
                       "plan '%s': '%s' is not a SHA-256 in lower-case hex", name,
                       sha256 ? sha256 : "(none)");
    if (effective_from < AT_DAY_MIN || effective_to > AT_DAY_MAX || effective_from > effective_to)
        return at_fail(err, AT_ERR_INVALID, name,
                       "make the plan's effective_to the same day as effective_from or later",
                       "plan '%s' ends before it starts", name);
    rc = at_store_begin(store, actor, reason, err);
    if (rc != AT_OK)
        return rc;
    bool any = false;
    int latest = 0;
    char sha[65] = "";
    at_day from = 0, to = 0;
    rc = latest_version(store, name, &any, &latest, sha, &from, &to, err);
    if (rc == AT_OK && any && strcmp(sha, sha256) == 0 && from == effective_from &&
        to == effective_to) {
        *version = latest;
        *unchanged = true;
        return at_store_rollback(store, err);
    }
    if (rc == AT_OK)
        rc = insert_version(store, name, latest + 1, source, source_length, sha256,
                            effective_from, effective_to, err);
    if (rc == AT_OK)
        rc = at_store_commit(store, err);
    else
        at_store_rollback(store, NULL);
    if (rc == AT_OK)
        *version = latest + 1;
    return rc;
}

#define PLAN_COLUMNS                                                                              \
    "id, name, version, effective_from, effective_to, sha256, loaded_at, loaded_by, reason, "    \
    "source"

/* Reads the current row into out; strings point into the statement (valid until the next
 * step), the source only when with_source. */
static void read_row(sqlite3_stmt *st, bool with_source, at_store_plan_version *out)
{
    memset(out, 0, sizeof *out);
    out->id = sqlite3_column_int64(st, 0);
    out->name = (const char *)sqlite3_column_text(st, 1);
    out->version = sqlite3_column_int(st, 2);
    out->effective_from = (at_day)sqlite3_column_int64(st, 3);
    out->effective_to = (at_day)sqlite3_column_int64(st, 4);
    out->sha256 = (const char *)sqlite3_column_text(st, 5);
    out->loaded_at = sqlite3_column_int64(st, 6);
    out->loaded_by = (const char *)sqlite3_column_text(st, 7);
    out->reason = (const char *)sqlite3_column_text(st, 8);
    if (with_source) {
        out->source = (const char *)sqlite3_column_text(st, 9);
        out->source_length = (size_t)sqlite3_column_bytes(st, 9);
        if (!out->source)
            out->source = "";
    }
}

at_code at_store_plan_each(at_store *store, const char *name, bool with_source,
                           at_store_plan_fn fn, void *ctx, at_error *err)
{
    at_code rc = at_pay_store_check(store, false, err);
    if (rc != AT_OK)
        return rc;
    sqlite3_stmt *st;
    rc = at_sqlite_prepare(store,
                           with_source
                               ? "SELECT " PLAN_COLUMNS " FROM plan_versions WHERE ?1 IS NULL OR "
                                 "name = ?1 ORDER BY name, version"
                               : "SELECT id, name, version, effective_from, effective_to, "
                                 "sha256, loaded_at, loaded_by, reason FROM plan_versions WHERE "
                                 "?1 IS NULL OR name = ?1 ORDER BY name, version",
                           false, &st, "reading plan versions", err);
    if (rc != AT_OK)
        return rc;
    at_sqlite_bind_text(store, st, 1, name, NULL);
    int r = SQLITE_DONE;
    while (rc == AT_OK && (r = sqlite3_step(st)) == SQLITE_ROW) {
        at_store_plan_version v;
        read_row(st, with_source, &v);
        rc = fn(ctx, &v, err);
    }
    if (rc == AT_OK && r != SQLITE_DONE)
        rc = at_sqlite_fail(store, r, "reading plan versions", err);
    sqlite3_finalize(st);
    return rc;
}

at_code at_store_plan_get(at_store *store, const char *name, int version, at_arena *arena,
                          at_store_plan_version *out, bool *found, at_error *err)
{
    memset(out, 0, sizeof *out);
    *found = false;
    at_code rc = at_pay_store_check(store, false, err);
    if (rc != AT_OK)
        return rc;
    if (!name)
        return at_fail(err, AT_ERR_INTERNAL, store->path, NULL, "which plan? (no name given)");
    sqlite3_stmt *st;
    rc = at_sqlite_prepare(store,
                           "SELECT " PLAN_COLUMNS " FROM plan_versions WHERE name = ?1 AND "
                           "(?2 = 0 OR version = ?2) ORDER BY version DESC LIMIT 1",
                           false, &st, "reading a plan version", err);
    if (rc != AT_OK)
        return rc;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, version);
    int r = sqlite3_step(st);
    if (r == SQLITE_ROW) {
        at_store_plan_version v;
        read_row(st, true, &v);
        *out = v;
        out->name = at_arena_strdup(arena, v.name ? v.name : "");
        out->sha256 = at_arena_strdup(arena, v.sha256 ? v.sha256 : "");
        out->loaded_by = at_arena_strdup(arena, v.loaded_by ? v.loaded_by : "");
        out->reason = v.reason ? at_arena_strdup(arena, v.reason) : NULL;
        out->source = at_arena_strndup(arena, v.source, v.source_length);
        if (!out->name || !out->sha256 || !out->loaded_by || (v.reason && !out->reason) ||
            !out->source)
            rc = at_sqlite_nomem(store, err);
        else
            *found = true;
    } else if (r != SQLITE_DONE) {
        rc = at_sqlite_fail(store, r, "reading a plan version", err);
    }
    sqlite3_finalize(st);
    if (rc != AT_OK)
        memset(out, 0, sizeof *out);
    return rc;
}
