/* web_store_statements.c - statements kept prepared on the server's store handles (web_store.h):
 * the reads every request makes (its session, its user, a team, a person's id) are prepared once
 * per handle and then reset and reused, instead of being parsed and planned again each time
 * (about a fifth of the server's CPU at full load). Only handles the server marks keep them, in
 * a list of their own (the store keeps statements of its own on the same connection); every
 * other handle (the command line, tests) prepares and finalizes as before. The server
 * finalizes what its handles kept before closing them. */
#include <pthread.h>
#include <string.h>

#include "store/web_store_impl.h"

#define HANDLES_MAX 256
#define KEPT_PER_HANDLE 32

typedef struct kept_handle {
    sqlite3 *db;                          /* NULL: a free slot */
    sqlite3_stmt *stmts[KEPT_PER_HANDLE]; /* used by the one thread holding the handle */
    size_t count;
} kept_handle;

/* Slots are taken and freed while the server starts and stops; requests only find theirs. */
static pthread_mutex_t kept_lock = PTHREAD_MUTEX_INITIALIZER;
static kept_handle kept[HANDLES_MAX];

static kept_handle *kept_of(sqlite3 *db)
{
    kept_handle *h = NULL;
    pthread_mutex_lock(&kept_lock);
    for (size_t i = 0; i < HANDLES_MAX && !h; i++)
        if (kept[i].db == db)
            h = &kept[i];
    pthread_mutex_unlock(&kept_lock);
    return h;
}

void at_web_store_keep_statements(at_store *store)
{
    if (!store)
        return;
    sqlite3 *db = BACKEND(store)->db;
    if (kept_of(db))
        return;
    pthread_mutex_lock(&kept_lock);
    for (size_t i = 0; i < HANDLES_MAX; i++)
        if (!kept[i].db) {
            kept[i].db = db;
            kept[i].count = 0;
            break;
        }
    pthread_mutex_unlock(&kept_lock);
}

void at_web_store_forget_statements(at_store *store)
{
    if (!store)
        return;
    sqlite3 *db = BACKEND(store)->db;
    pthread_mutex_lock(&kept_lock);
    for (size_t i = 0; i < HANDLES_MAX; i++)
        if (kept[i].db == db) {
            for (size_t k = 0; k < kept[i].count; k++)
                sqlite3_finalize(kept[i].stmts[k]);
            memset(&kept[i], 0, sizeof kept[i]);
        }
    pthread_mutex_unlock(&kept_lock);
}

at_code at_web_prepare(at_store *store, const char *sql, sqlite3_stmt **out, const char *doing,
                       at_error *err)
{
    kept_handle *h = kept_of(BACKEND(store)->db);
    if (!h)
        return at_sqlite_prepare(store, sql, false, out, doing, err);
    for (size_t k = 0; k < h->count; k++) {
        sqlite3_stmt *st = h->stmts[k];
        if (!sqlite3_stmt_busy(st) && strcmp(sqlite3_sql(st), sql) == 0) {
            *out = st;
            return AT_OK;
        }
    }
    at_code rc = at_sqlite_prepare(store, sql, true, out, doing, err);
    if (rc == AT_OK && h->count < KEPT_PER_HANDLE)
        h->stmts[h->count++] = *out;
    return rc;
}

void at_web_statement_done(at_store *store, sqlite3_stmt *st)
{
    if (!st)
        return;
    kept_handle *h = kept_of(BACKEND(store)->db);
    for (size_t k = 0; h && k < h->count; k++)
        if (h->stmts[k] == st) {
            sqlite3_reset(st);
            sqlite3_clear_bindings(st);
            return;
        }
    sqlite3_finalize(st);
}
