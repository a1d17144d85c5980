/* web_store_users.c - what changes a user after they were added (web_store.h): disabling and
 * enabling them (a disabled user's sessions end in the same transaction; their API tokens stay
 * but the API refuses them while the user is disabled), and ending a user's sessions (after a
 * new password). Audited like the other changes to users. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "store/pay_store_impl.h"
#include "store/web_store.h"

static at_code finish(at_store *s, at_code rc, at_error *err)
{
    if (rc == AT_OK)
        return at_store_commit(s, err);
    at_store_rollback(s, NULL);
    return rc;
}

at_code at_web_user_set_disabled(at_store *store, const char *login, bool disabled,
                                 const char *actor, bool *changed, at_error *err)
{
    *changed = false;
    at_code rc = at_pay_store_check(store, true, err);
    if (rc != AT_OK)
        return rc;
    rc = at_store_begin(store, actor, disabled ? "user disabled" : "user enabled", err);
    if (rc != AT_OK)
        return rc;
    sqlite3_stmt *st;
    int64_t id = 0;
    bool was = false;
    rc = at_sqlite_prepare(store, "SELECT id, disabled FROM users WHERE login = ?1", false, &st,
                           "reading a user", err);
    if (rc == AT_OK) {
        sqlite3_bind_text(st, 1, login ? login : "", -1, SQLITE_STATIC);
        int r = sqlite3_step(st);
        if (r == SQLITE_ROW) {
            id = sqlite3_column_int64(st, 0);
            was = sqlite3_column_int(st, 1) != 0;
        } else if (r == SQLITE_DONE) {
            rc = at_fail(err, AT_ERR_NOT_FOUND, "login", "GET /api/v1/users lists them",
                         "there is no user '%.64s'", login ? login : "");
        } else {
            rc = at_sqlite_fail(store, r, "reading a user", err);
        }
        sqlite3_finalize(st);
    }
    if (rc != AT_OK || was == disabled)
        return finish(store, rc, err);
    rc = at_sqlite_prepare(store, "UPDATE users SET disabled = ?2 WHERE id = ?1", false, &st,
                           "disabling a user", err);
    if (rc == AT_OK) {
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_int(st, 2, disabled ? 1 : 0);
        int r = sqlite3_step(st);
        sqlite3_finalize(st);
        if (r != SQLITE_DONE)
            rc = at_sqlite_fail(store, r, "disabling a user", err);
    }
    if (rc == AT_OK && disabled) {
        rc = at_sqlite_prepare(store, "DELETE FROM sessions WHERE user_id = ?1", false, &st,
                               "ending a user's sessions", err);
        if (rc == AT_OK) {
            sqlite3_bind_int64(st, 1, id);
            int r = sqlite3_step(st);
            sqlite3_finalize(st);
            if (r != SQLITE_DONE)
                rc = at_sqlite_fail(store, r, "ending a user's sessions", err);
        }
    }
    if (rc == AT_OK)
        rc = at_sqlite_write_audit(store, "update", "users", at_str_from(login),
                                   disabled ? "{\"disabled\":false}" : "{\"disabled\":true}",
                                   disabled ? "{\"disabled\":true}" : "{\"disabled\":false}",
                                   err);
    if (rc == AT_OK)
        *changed = true;
    return finish(store, rc, err);
}

at_code at_web_user_sessions_end(at_store *store, int64_t user_id,
                                 const uint8_t keep[AT_WEB_SECRET_HASH_SIZE], int64_t *ended,
                                 at_error *err)
{
    if (ended)
        *ended = 0;
    at_code rc = at_pay_store_check(store, true, err);
    if (rc != AT_OK)
        return rc;
    rc = at_store_begin(store, "web", NULL, err);
    if (rc != AT_OK)
        return rc;
    sqlite3_stmt *st;
    rc = at_sqlite_prepare(store,
                           "DELETE FROM sessions WHERE user_id = ?1 AND (?2 IS NULL OR id_hash "
                           "<> ?2)",
                           false, &st, "ending a user's sessions", err);
    if (rc == AT_OK) {
        sqlite3_bind_int64(st, 1, user_id);
        if (keep)
            sqlite3_bind_blob(st, 2, keep, AT_WEB_SECRET_HASH_SIZE, SQLITE_STATIC);
        else
            sqlite3_bind_null(st, 2);
        int r = sqlite3_step(st);
        sqlite3_finalize(st);
        if (r != SQLITE_DONE)
            rc = at_sqlite_fail(store, r, "ending a user's sessions", err);
        else if (ended)
            *ended = sqlite3_changes(BACKEND(store)->db);
    }
    return finish(store, rc, err);
}
