/* pay_store_digest.c - what incremental runs keep (pay_store.h, "payee digests"): a run's
 * global digest, its payees' digests and line counts (calc_payee_digests), its base run and
 * how many payees it recomputed; finding the base for the next incremental run. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/str.h"
#include "store/pay_store.h"
#include "store/pay_store_impl.h"

static int cmp_person(const void *a, const void *b)
{
    int64_t x = ((const at_store_payee_digest *)a)->person_id;
    int64_t y = ((const at_store_payee_digest *)b)->person_id;
    return x < y ? -1 : x > y;
}

at_code at_store_run_digests_save(at_store *store, int64_t run_id,
                                  const at_store_run_digests *d, at_error *err)
{
    at_code rc = at_pay_store_check(store, true, err);
    if (rc != AT_OK)
        return rc;
    if (!d || !d->global || (d->payee_count && !d->payees) || d->base_run_id < 0 ||
        d->recomputed < 0)
        return at_fail(err, AT_ERR_INTERNAL, store->path, "pass the run's global digest",
                       "run #%" PRId64 ": digests to save are missing", run_id);
    char status[16] = "", actor[128] = "";
    rc = at_pay_run_get(store, run_id, status, actor, err);
    if (rc == AT_OK && strcmp(status, "running") != 0)
        rc = at_fail(err, AT_ERR_CONFLICT, store->path, "start a new run with `attain calc`",
                     "run #%" PRId64 " is %s: its results can no longer change", run_id, status);
    if (rc != AT_OK)
        return rc;
    /* rows in key order: SQLite appends to the b-tree */
    at_store_payee_digest *rows = malloc((d->payee_count ? d->payee_count : 1) * sizeof *rows);
    if (!rows)
        return at_sqlite_nomem(store, err);
    if (d->payee_count)
        memcpy(rows, d->payees, d->payee_count * sizeof *rows);
    qsort(rows, d->payee_count, sizeof *rows, cmp_person);
    for (size_t i = 1; i < d->payee_count; i++)
        if (rows[i].person_id == rows[i - 1].person_id) {
            int64_t p = rows[i].person_id;
            free(rows);
            return at_fail(err, AT_ERR_INTERNAL, store->path, "give each payee once",
                           "run #%" PRId64 ": person %" PRId64 " has two digests", run_id, p);
        }
    rc = at_store_begin(store, actor, NULL, err);
    if (rc != AT_OK) {
        free(rows);
        return rc;
    }
    sqlite3_stmt *st = NULL;
    rc = at_sqlite_prepare(store,
                           "UPDATE calc_runs SET global_digest = ?1, base_run_id = ?2, "
                           "recomputed = ?3 WHERE id = ?4 AND status = 'running'",
                           false, &st, "saving a run's digests", err);
    if (rc == AT_OK) {
        sqlite3_bind_blob(st, 1, d->global, AT_STORE_DIGEST_SIZE, SQLITE_STATIC);
        if (d->base_run_id > 0) {
            sqlite3_bind_int64(st, 2, d->base_run_id);
            sqlite3_bind_int64(st, 3, d->recomputed);
        } else {
            sqlite3_bind_null(st, 2);
            sqlite3_bind_null(st, 3);
        }
        sqlite3_bind_int64(st, 4, run_id);
        int r = sqlite3_step(st);
        sqlite3_finalize(st);
        if (r != SQLITE_DONE)
            rc = at_sqlite_fail(store, r, "saving a run's digests", err);
    }
    if (rc == AT_OK)
        rc = at_sqlite_prepare(store,
                               "INSERT INTO calc_payee_digests (run_id, person_id, digest, lines) "
                               "VALUES (?1, ?2, ?3, ?4)",
                               false, &st, "saving payee digests", err);
    if (rc == AT_OK) {
        for (size_t i = 0; rc == AT_OK && i < d->payee_count; i++) {
            sqlite3_bind_int64(st, 1, run_id);
            sqlite3_bind_int64(st, 2, rows[i].person_id);
            sqlite3_bind_blob(st, 3, rows[i].digest, AT_STORE_DIGEST_SIZE, SQLITE_STATIC);
            sqlite3_bind_int64(st, 4, rows[i].lines);
            int r = sqlite3_step(st);
            sqlite3_reset(st);
            if (r != SQLITE_DONE)
                rc = at_sqlite_fail(store, r, "saving payee digests", err);
        }
        sqlite3_finalize(st);
    }
    if (rc == AT_OK) {
        char key[32], after[160];
        snprintf(key, sizeof key, "%" PRId64, run_id);
        if (d->base_run_id > 0)
            snprintf(after, sizeof after,
                     "{\"digests\":%zu,\"base_run_id\":%" PRId64 ",\"recomputed\":%" PRId64 "}",
                     d->payee_count, d->base_run_id, d->recomputed);
        else
            snprintf(after, sizeof after, "{\"digests\":%zu}", d->payee_count);
        rc = at_sqlite_write_audit(store, "update", "calc_runs", at_str_from(key), NULL, after,
                                   err);
    }
    free(rows);
    if (rc == AT_OK)
        rc = at_store_commit(store, err);
    else
        at_store_rollback(store, NULL);
    return rc;
}

at_code at_store_run_base(at_store *store, const char *period, const char *first_month,
                          const char *last_month, const char *const *payees,
                          size_t payee_count, int64_t *run_id,
                          uint8_t global[AT_STORE_DIGEST_SIZE], bool *found, at_error *err)
{
    *run_id = 0;
    *found = false;
    at_code rc = at_pay_store_check(store, false, err);
    if (rc != AT_OK)
        return rc;
    if (!period || !first_month || !last_month)
        return at_fail(err, AT_ERR_INTERNAL, store->path, NULL,
                       "finding a base run needs the period and its months");
    at_text list;
    at_text_init(&list);
    at_text_add(&list, "[");
    for (size_t i = 0; i < payee_count; i++) {
        if (i)
            at_text_add(&list, ",");
        at_text_json_string(&list, at_str_from(payees[i] ? payees[i] : ""));
    }
    at_text_add(&list, "]");
    if (list.failed) {
        at_text_free(&list);
        return at_sqlite_nomem(store, err);
    }
    /* the same payees as a set: as many, and each of ours among theirs */
    sqlite3_stmt *st;
    rc = at_sqlite_prepare(
        store,
        "SELECT id, global_digest FROM calc_runs WHERE status = 'done' AND period = ?1 AND "
        "first_month = ?2 AND last_month = ?3 AND global_digest IS NOT NULL AND "
        "length(global_digest) = 32 AND (CASE WHEN ?4 IS NULL THEN payees IS NULL ELSE "
        "payees IS NOT NULL AND json_array_length(payees) = json_array_length(?4) AND NOT "
        "EXISTS (SELECT 1 FROM json_each(?4) a WHERE a.value NOT IN (SELECT value FROM "
        "json_each(payees))) END) ORDER BY id DESC LIMIT 1",
        false, &st, "finding the base run", err);
    if (rc == AT_OK) {
        sqlite3_bind_text(st, 1, period, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, first_month, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, last_month, -1, SQLITE_STATIC);
        if (payee_count)
            sqlite3_bind_text(st, 4, list.ptr, -1, SQLITE_STATIC);
        else
            sqlite3_bind_null(st, 4);
        int r = sqlite3_step(st);
        if (r == SQLITE_ROW) {
            *run_id = sqlite3_column_int64(st, 0);
            if (global)
                memcpy(global, sqlite3_column_blob(st, 1), AT_STORE_DIGEST_SIZE);
            *found = true;
        } else if (r != SQLITE_DONE) {
            rc = at_sqlite_fail(store, r, "finding the base run", err);
        }
        sqlite3_finalize(st);
    }
    at_text_free(&list);
    return rc;
}

at_code at_store_run_digests_load(at_store *store, int64_t run_id, at_arena *arena,
                                  at_store_payee_digest **digests, size_t *count,
                                  at_error *err)
{
    *digests = NULL;
    *count = 0;
    at_code rc = at_pay_store_check(store, false, err);
    if (rc != AT_OK)
        return rc;
    sqlite3_stmt *st;
    rc = at_sqlite_prepare(store,
                           "SELECT person_id, digest, lines FROM calc_payee_digests WHERE "
                           "run_id = ?1 ORDER BY person_id",
                           false, &st, "reading payee digests", err);
    if (rc != AT_OK)
        return rc;
    sqlite3_bind_int64(st, 1, run_id);
    size_t n = 0, cap = 0;
    at_store_payee_digest *v = NULL;
    int r;
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        if (n == cap) {
            cap = cap ? cap * 2 : 256;
            at_store_payee_digest *g = realloc(v, cap * sizeof *g);
            if (!g) {
                rc = at_sqlite_nomem(store, err);
                break;
            }
            v = g;
        }
        at_store_payee_digest *x = &v[n++];
        memset(x, 0, sizeof *x);
        x->person_id = sqlite3_column_int64(st, 0);
        if (sqlite3_column_bytes(st, 1) == AT_STORE_DIGEST_SIZE)
            memcpy(x->digest, sqlite3_column_blob(st, 1), AT_STORE_DIGEST_SIZE);
        x->lines = sqlite3_column_int64(st, 2);
    }
    if (rc == AT_OK && r != SQLITE_DONE)
        rc = at_sqlite_fail(store, r, "reading payee digests", err);
    sqlite3_finalize(st);
    if (rc == AT_OK && n) {
        *digests = at_arena_alloc(arena, n * sizeof **digests);
        if (!*digests)
            rc = at_sqlite_nomem(store, err);
        else {
            memcpy(*digests, v, n * sizeof **digests);
            *count = n;
        }
    }
    free(v);
    return rc;
}

at_code at_store_run_origin_get(at_store *store, int64_t run_id, at_store_run_origin *out,
                                bool *found, at_error *err)
{
    memset(out, 0, sizeof *out);
    *found = false;
    at_code rc = at_pay_store_check(store, false, err);
    if (rc != AT_OK)
        return rc;
    sqlite3_stmt *st;
    rc = at_sqlite_prepare(store,
                           "SELECT global_digest IS NOT NULL, base_run_id, recomputed FROM "
                           "calc_runs WHERE id = ?1",
                           false, &st, "reading a run", err);
    if (rc != AT_OK)
        return rc;
    sqlite3_bind_int64(st, 1, run_id);
    int r = sqlite3_step(st);
    if (r == SQLITE_ROW) {
        *found = true;
        out->has_digests = sqlite3_column_int(st, 0) != 0;
        out->incremental = sqlite3_column_type(st, 1) != SQLITE_NULL;
        out->base_run_id = sqlite3_column_int64(st, 1);
        out->recomputed = sqlite3_column_int64(st, 2);
    } else if (r != SQLITE_DONE) {
        rc = at_sqlite_fail(store, r, "reading a run", err);
    }
    sqlite3_finalize(st);
    return rc;
}
