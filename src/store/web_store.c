/* web_store.c - users, sessions and API tokens in the store (web_store.h): the SQL behind log-in.
 * Users and tokens are audited as the rest of the store's rows are; sessions are not (their
 * rows say who logged in when, and the API audits log-in and log-out itself). */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "store/web_store_impl.h"

static const char *const role_names[AT_ROLE_COUNT] = {
    "admin", "sales_ops", "finance", "manager", "rep", "executive",
};

const char *at_web_role_name(at_web_role role)
{
    return (unsigned)role < AT_ROLE_COUNT ? role_names[role] : "";
}

at_code at_web_role_parse(const char *text, at_web_role *out, at_error *err)
{
    for (int i = 0; text && i < AT_ROLE_COUNT; i++)
        if (strcmp(text, role_names[i]) == 0) {
            *out = (at_web_role)i;
            return AT_OK;
        }
    return at_fail(err, AT_ERR_INVALID, "role",
                   "use admin, sales_ops, finance, manager, rep or executive",
                   "unknown role '%.40s'", text ? text : "");
}

static bool login_valid(const char *login)
{
    size_t n = login ? strlen(login) : 0;
    if (n < 1 || n > 64)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = login[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '@' || c == '-'))
            return false;
    }
    return true;
}

/* Runs a prepared statement to its end (one write). */
static at_code step_done(at_store *s, sqlite3_stmt *st, const char *doing, at_error *err)
{
    int r = sqlite3_step(st);
    sqlite3_finalize(st);
    return r == SQLITE_DONE ? AT_OK : at_sqlite_fail(s, r, doing, err);
}

/* commit, or rollback keeping the first error */
static at_code end_tx(at_store *s, at_code rc, at_error *err)
{
    if (rc == AT_OK)
        return at_store_commit(s, err);
    at_store_rollback(s, NULL);
    return rc;
}

at_code at_web_person_id(at_store *store, const char *ext_id, int64_t *id, bool *found,
                         at_error *err)
{
    *found = false;
    *id = 0;
    at_code rc = at_pay_store_check(store, false, err);
    if (rc != AT_OK)
        return rc;
    sqlite3_stmt *st;
    rc = at_web_prepare(store, "SELECT id FROM people WHERE ext_id = ?1", &st,
                        "looking a person up", err);
    if (rc != AT_OK)
        return rc;
    sqlite3_bind_text(st, 1, ext_id ? ext_id : "", -1, SQLITE_STATIC);
    int r = sqlite3_step(st);
    if (r == SQLITE_ROW) {
        *found = true;
        *id = sqlite3_column_int64(st, 0);
    } else if (r != SQLITE_DONE) {
        rc = at_sqlite_fail(store, r, "looking a person up", err);
    }
    at_web_statement_done(store, st);
    return rc;
}

/* ---- users -------------------------------------------------------------------------------- */

at_code at_web_user_add(at_store *store, const char *login, at_web_role role,
                        const char *person, const char *password_hash, const char *actor,
                        int64_t *id, at_error *err)
{
    if (id)
        *id = 0;
    at_code rc = at_pay_store_check(store, true, err);
    if (rc != AT_OK)
        return rc;
    if (!login_valid(login))
        return at_fail(err, AT_ERR_INVALID, "login",
                       "use 1 to 64 letters, digits and . _ @ -",
                       "'%.64s' cannot be a login", login ? login : "");
    if ((unsigned)role >= AT_ROLE_COUNT)
        return at_fail(err, AT_ERR_INVALID, "role", NULL, "unknown role %d", (int)role);
    if ((role == AT_ROLE_REP || role == AT_ROLE_MANAGER) && (!person || !person[0]))
        return at_fail(err, AT_ERR_INVALID, "person",
                       "give the person's id from people.csv (--person ID)",
                       "a %s user must name their person: it decides whose pay they see",
                       at_web_role_name(role));
    if (!password_hash || strncmp(password_hash, "$argon2id$", 10) != 0)
        return at_fail(err, AT_ERR_INVALID, "password", NULL,
                       "the password must be stored as an Argon2id hash");
    int64_t person_id = 0;
    if (person && person[0]) {
        bool found;
        rc = at_web_person_id(store, person, &person_id, &found, err);
        if (rc != AT_OK)
            return rc;
        if (!found)
            return at_fail(err, AT_ERR_NOT_FOUND, "person",
                           "import the person first (people.csv), then add the user",
                           "there is no person '%.128s'", person);
    }
    rc = at_store_begin(store, actor, "new user", err);
    if (rc != AT_OK)
        return rc;
    sqlite3_stmt *st;
    rc = at_sqlite_prepare(store,
                           "INSERT INTO users (login, role, person_id, password_hash, created_at, "
                           "created_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                           false, &st, "adding a user", err);
    if (rc == AT_OK) {
        sqlite3_bind_text(st, 1, login, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, at_web_role_name(role), -1, SQLITE_STATIC);
        if (person_id)
            sqlite3_bind_int64(st, 3, person_id);
        else
            sqlite3_bind_null(st, 3);
        sqlite3_bind_text(st, 4, password_hash, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 5, store->tx_time);
        sqlite3_bind_text(st, 6, actor, -1, SQLITE_STATIC);
        rc = step_done(store, st, "adding a user", err);
        if (rc == AT_ERR_CONFLICT)
            at_fail(err, AT_ERR_CONFLICT, "login", "choose another login",
                    "there is already a user '%s'", login);
    }
    if (rc == AT_OK) {
        if (id)
            *id = sqlite3_last_insert_rowid(BACKEND(store)->db);
        at_text after;
        at_text_init(&after);
        at_text_add(&after, "{\"login\":");
        at_text_json_string(&after, at_str_from(login));
        at_text_addf(&after, ",\"role\":\"%s\",\"person\":", at_web_role_name(role));
        if (person_id)
            at_text_json_string(&after, at_str_from(person));
        else
            at_text_add(&after, "null");
        at_text_add(&after, "}");
        rc = after.failed ? at_sqlite_nomem(store, err)
                          : at_sqlite_write_audit(store, "insert", "users", at_str_from(login),
                                                  NULL, after.ptr, err);
        at_text_free(&after);
    }
    return end_tx(store, rc, err);
}

at_code at_web_user_set_password(at_store *store, const char *login, const char *password_hash,
                                 const char *actor, at_error *err)
{
    at_code rc = at_pay_store_check(store, true, err);
    if (rc != AT_OK)
        return rc;
    if (!password_hash || strncmp(password_hash, "$argon2id$", 10) != 0)
        return at_fail(err, AT_ERR_INVALID, "password", NULL,
                       "the password must be stored as an Argon2id hash");
    rc = at_store_begin(store, actor, "new password", err);
    if (rc != AT_OK)
        return rc;
    sqlite3_stmt *st;
    rc = at_sqlite_prepare(store, "UPDATE users SET password_hash = ?2 WHERE login = ?1", false,
                           &st, "setting a password", err);
    if (rc == AT_OK) {
        sqlite3_bind_text(st, 1, login, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, password_hash, -1, SQLITE_STATIC);
        rc = step_done(store, st, "setting a password", err);
    }
    if (rc == AT_OK && sqlite3_changes(BACKEND(store)->db) == 0)
        rc = at_fail(err, AT_ERR_NOT_FOUND, "login", NULL, "there is no user '%.64s'", login);
    if (rc == AT_OK)
        rc = at_sqlite_write_audit(store, "update", "users", at_str_from(login),
                                   "{\"password\":\"(hidden)\"}", "{\"password\":\"(new)\"}",
                                   err);
    return end_tx(store, rc, err);
}

#define USER_COLUMNS                                                                               \
    "u.id, u.login, u.role, coalesce(u.person_id, 0), p.ext_id, u.disabled, u.password_hash, "   \
    "u.created_at "
#define USER_FROM " FROM users u LEFT JOIN people p ON p.id = u.person_id "

static void read_user(sqlite3_stmt *st, at_web_user *u)
{
    memset(u, 0, sizeof *u);
    u->id = sqlite3_column_int64(st, 0);
    const char *login = (const char *)sqlite3_column_text(st, 1);
    snprintf(u->login, sizeof u->login, "%s", login ? login : "");
    const char *role = (const char *)sqlite3_column_text(st, 2);
    u->role = AT_ROLE_EXECUTIVE; /* the CHECK makes this unreachable; the least power anyway */
    at_web_role_parse(role, &u->role, NULL);
    u->person_id = sqlite3_column_int64(st, 3);
    const char *person = (const char *)sqlite3_column_text(st, 4);
    snprintf(u->person, sizeof u->person, "%s", person ? person : "");
    if (!person) /* the person row is gone: the user names nobody */
        u->person_id = 0;
    u->disabled = sqlite3_column_int(st, 5) != 0;
}

/* People may be absent from a store made with a small entity table (tests): then the join
 * is left out. */
static bool has_people(at_store *store)
{
    return at_store_slot_named(store, "people") >= 0;
}

static at_code user_query(at_store *store, const char *where, const char *text, int64_t id,
                          at_web_user *user, char *hash, size_t hash_size, bool *found,
                          at_error *err)
{
    *found = false;
    at_code rc = at_pay_store_check(store, false, err);
    if (rc != AT_OK)
        return rc;
    char sql[512];
    if (has_people(store))
        snprintf(sql, sizeof sql, "SELECT " USER_COLUMNS USER_FROM " WHERE %s", where);
    else
        snprintf(sql, sizeof sql,
                 "SELECT u.id, u.login, u.role, coalesce(u.person_id, 0), NULL, u.disabled, "
                 "u.password_hash, u.created_at FROM users u WHERE %s",
                 where);
    sqlite3_stmt *st;
    rc = at_web_prepare(store, sql, &st, "reading users", err);
    if (rc != AT_OK)
        return rc;
    if (text)
        sqlite3_bind_text(st, 1, text, -1, SQLITE_STATIC);
    else
        sqlite3_bind_int64(st, 1, id);
    int r = sqlite3_step(st);
    if (r == SQLITE_ROW) {
        *found = true;
        read_user(st, user);
        if (hash && hash_size) {
            const char *h = (const char *)sqlite3_column_text(st, 6);
            snprintf(hash, hash_size, "%s", h ? h : "");
        }
    } else if (r != SQLITE_DONE) {
        rc = at_sqlite_fail(store, r, "reading users", err);
    }
    at_web_statement_done(store, st);
    return rc;
}

at_code at_web_user_find(at_store *store, const char *login, at_web_user *user, char *hash,
                         size_t hash_size, bool *found, at_error *err)
{
    return user_query(store, "u.login = ?1", login ? login : "", 0, user, hash, hash_size,
                      found, err);
}

at_code at_web_user_get(at_store *store, int64_t id, at_web_user *user, bool *found,
                        at_error *err)
{
    return user_query(store, "u.id = ?1", NULL, id, user, NULL, 0, found, err);
}

at_code at_web_user_each(at_store *store, at_web_user_fn fn, void *ctx, at_error *err)
{
    at_code rc = at_pay_store_check(store, false, err);
    if (rc != AT_OK)
        return rc;
    sqlite3_stmt *st;
    rc = at_sqlite_prepare(store,
                           has_people(store)
                               ? "SELECT " USER_COLUMNS USER_FROM " ORDER BY u.login"
                               : "SELECT u.id, u.login, u.role, coalesce(u.person_id, 0), NULL, "
                                 "u.disabled, u.password_hash, u.created_at FROM users u "
                                 "ORDER BY u.login",
                           false, &st, "reading users", err);
    if (rc != AT_OK)
        return rc;
    int r = SQLITE_DONE;
    while (rc == AT_OK && (r = sqlite3_step(st)) == SQLITE_ROW) {
        at_web_user u;
        read_user(st, &u);
        rc = fn(ctx, &u, sqlite3_column_int64(st, 7), err);
    }
    if (rc == AT_OK && r != SQLITE_DONE)
        rc = at_sqlite_fail(store, r, "reading users", err);
    sqlite3_finalize(st);
    return rc;
}

/* ---- sessions ----------------------------------------------------------------------------- */

/* Writes without an audit row use their own short transaction. */
static at_code quiet_write(at_store *store, const char *sql, const uint8_t *hash, int64_t a,
                           int64_t b, const char *t1, const char *t2, const char *doing,
                           int *changes, at_error *err)
{
    at_code rc = at_pay_store_check(store, true, err);
    if (rc != AT_OK)
        return rc;
    rc = at_store_begin(store, "web", NULL, err);
    if (rc != AT_OK)
        return rc;
    sqlite3_stmt *st;
    rc = at_sqlite_prepare(store, sql, false, &st, doing, err);
    if (rc == AT_OK) {
        if (hash)
            sqlite3_bind_blob(st, 1, hash, AT_WEB_SECRET_HASH_SIZE, SQLITE_STATIC);
        else
            sqlite3_bind_null(st, 1);
        sqlite3_bind_int64(st, 2, a);
        sqlite3_bind_int64(st, 3, b);
        at_sqlite_bind_text(store, st, 4, t1, NULL);
        at_sqlite_bind_text(store, st, 5, t2, NULL);
        rc = step_done(store, st, doing, err);
        if (changes)
            *changes = sqlite3_changes(BACKEND(store)->db);
    }
    return end_tx(store, rc, err);
}

at_code at_web_session_add(at_store *store, const uint8_t hash[AT_WEB_SECRET_HASH_SIZE],
                           int64_t user_id, const char *csrf, at_time now, at_time expires_at,
                           const char *address, at_error *err)
{
    at_code rc = at_pay_store_check(store, true, err);
    if (rc != AT_OK)
        return rc;
    rc = at_store_begin(store, "web", NULL, err);
    if (rc != AT_OK)
        return rc;
    sqlite3_stmt *st;
    rc = at_sqlite_prepare(store,
                           "INSERT INTO sessions (id_hash, user_id, csrf, created_at, last_seen, "
                           "expires_at, address) VALUES (?1, ?2, ?3, ?4, ?4, ?5, ?6)",
                           false, &st, "starting a session", err);
    if (rc == AT_OK) {
        sqlite3_bind_blob(st, 1, hash, AT_WEB_SECRET_HASH_SIZE, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, user_id);
        sqlite3_bind_text(st, 3, csrf, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 4, now);
        sqlite3_bind_int64(st, 5, expires_at);
        sqlite3_bind_text(st, 6, address ? address : "", -1, SQLITE_STATIC);
        rc = step_done(store, st, "starting a session", err);
    }
    return end_tx(store, rc, err);
}

at_code at_web_session_get(at_store *store, const uint8_t hash[AT_WEB_SECRET_HASH_SIZE],
                           at_web_session *out, bool *found, at_error *err)
{
    *found = false;
    memset(out, 0, sizeof *out);
    at_code rc = at_pay_store_check(store, false, err);
    if (rc != AT_OK)
        return rc;
    sqlite3_stmt *st;
    rc = at_web_prepare(store,
                        "SELECT user_id, csrf, created_at, last_seen, expires_at FROM sessions "
                        "WHERE id_hash = ?1",
                        &st, "reading a session", err);
    if (rc != AT_OK)
        return rc;
    sqlite3_bind_blob(st, 1, hash, AT_WEB_SECRET_HASH_SIZE, SQLITE_STATIC);
    int r = sqlite3_step(st);
    if (r == SQLITE_ROW) {
        *found = true;
        out->user_id = sqlite3_column_int64(st, 0);
        const char *csrf = (const char *)sqlite3_column_text(st, 1);
        snprintf(out->csrf, sizeof out->csrf, "%s", csrf ? csrf : "");
        out->created_at = sqlite3_column_int64(st, 2);
        out->last_seen = sqlite3_column_int64(st, 3);
        out->expires_at = sqlite3_column_int64(st, 4);
    } else if (r != SQLITE_DONE) {
        rc = at_sqlite_fail(store, r, "reading a session", err);
    }
    at_web_statement_done(store, st);
    return rc;
}

at_code at_web_session_touch(at_store *store, const uint8_t hash[AT_WEB_SECRET_HASH_SIZE],
                             at_time now, at_error *err)
{
    return quiet_write(store, "UPDATE sessions SET last_seen = ?2 WHERE id_hash = ?1", hash, now,
                       0, NULL, NULL, "keeping a session alive", NULL, err);
}

at_code at_web_session_delete(at_store *store, const uint8_t hash[AT_WEB_SECRET_HASH_SIZE],
                              bool *deleted, at_error *err)
{
    int changes = 0;
    at_code rc = quiet_write(store, "DELETE FROM sessions WHERE id_hash = ?1", hash, 0, 0, NULL,
                             NULL, "ending a session", &changes, err);
    if (deleted)
        *deleted = rc == AT_OK && changes > 0;
    return rc;
}

at_code at_web_session_purge(at_store *store, at_time now, at_time idle, int64_t *deleted,
                             at_error *err)
{
    int changes = 0;
    at_code rc = quiet_write(store,
                             "DELETE FROM sessions WHERE ?1 IS NULL AND (expires_at <= ?2 OR "
                             "last_seen <= ?2 - ?3)",
                             NULL, now, idle, NULL, NULL, "removing old sessions", &changes,
                             err);
    if (deleted)
        *deleted = changes;
    return rc;
}

/* ---- API tokens --------------------------------------------------------------------------- */

at_code at_web_token_add(at_store *store, int64_t user_id, const char *name,
                         const uint8_t hash[AT_WEB_SECRET_HASH_SIZE], at_time now,
                         at_time expires_at, const char *actor, int64_t *id, at_error *err)
{
    if (id)
        *id = 0;
    at_code rc = at_pay_store_check(store, true, err);
    if (rc != AT_OK)
        return rc;
    if (!name || !name[0] || strlen(name) > 128)
        return at_fail(err, AT_ERR_INVALID, "name", "say what the token is for, in 1 to 128 "
                                                    "characters",
                       "a token needs a name");
    rc = at_store_begin(store, actor, "new API token", err);
    if (rc != AT_OK)
        return rc;
    sqlite3_stmt *st;
    rc = at_sqlite_prepare(store,
                           "INSERT INTO api_tokens (user_id, name, token_hash, created_at, "
                           "expires_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                           false, &st, "adding an API token", err);
    if (rc == AT_OK) {
        sqlite3_bind_int64(st, 1, user_id);
        sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
        sqlite3_bind_blob(st, 3, hash, AT_WEB_SECRET_HASH_SIZE, SQLITE_STATIC);
        sqlite3_bind_int64(st, 4, now);
        if (expires_at)
            sqlite3_bind_int64(st, 5, expires_at);
        else
            sqlite3_bind_null(st, 5);
        rc = step_done(store, st, "adding an API token", err);
    }
    if (rc == AT_OK) {
        int64_t new_id = sqlite3_last_insert_rowid(BACKEND(store)->db);
        if (id)
            *id = new_id;
        char key[32];
        snprintf(key, sizeof key, "%" PRId64, new_id);
        at_text after;
        at_text_init(&after);
        at_text_addf(&after, "{\"user_id\":%" PRId64 ",\"name\":", user_id);
        at_text_json_string(&after, at_str_from(name));
        at_text_add(&after, "}");
        rc = after.failed ? at_sqlite_nomem(store, err)
                          : at_sqlite_write_audit(store, "insert", "api_tokens",
                                                  at_str_from(key), NULL, after.ptr, err);
        at_text_free(&after);
    }
    return end_tx(store, rc, err);
}

static void read_token(sqlite3_stmt *st, at_web_token *t)
{
    memset(t, 0, sizeof *t);
    t->id = sqlite3_column_int64(st, 0);
    t->user_id = sqlite3_column_int64(st, 1);
    const char *name = (const char *)sqlite3_column_text(st, 2);
    snprintf(t->name, sizeof t->name, "%s", name ? name : "");
    t->created_at = sqlite3_column_int64(st, 3);
    t->last_used = sqlite3_column_int64(st, 4);   /* NULL reads as 0 */
    t->expires_at = sqlite3_column_int64(st, 5);
    t->revoked = sqlite3_column_int(st, 6) != 0;
}

#define TOKEN_COLUMNS "id, user_id, name, created_at, last_used, expires_at, revoked"

at_code at_web_token_find(at_store *store, const uint8_t hash[AT_WEB_SECRET_HASH_SIZE],
                          at_web_token *out, bool *found, at_error *err)
{
    *found = false;
    at_code rc = at_pay_store_check(store, false, err);
    if (rc != AT_OK)
        return rc;
    sqlite3_stmt *st;
    rc = at_web_prepare(store, "SELECT " TOKEN_COLUMNS " FROM api_tokens WHERE token_hash = ?1",
                        &st, "reading an API token", err);
    if (rc != AT_OK)
        return rc;
    sqlite3_bind_blob(st, 1, hash, AT_WEB_SECRET_HASH_SIZE, SQLITE_STATIC);
    int r = sqlite3_step(st);
    if (r == SQLITE_ROW) {
        *found = true;
        read_token(st, out);
    } else if (r != SQLITE_DONE) {
        rc = at_sqlite_fail(store, r, "reading an API token", err);
    }
    at_web_statement_done(store, st);
    return rc;
}

at_code at_web_token_touch(at_store *store, int64_t id, at_time now, at_error *err)
{
    return quiet_write(store, "UPDATE api_tokens SET last_used = ?3 WHERE ?1 IS NULL AND id = ?2",
                       NULL, id, now, NULL, NULL, "noting an API token's use", NULL, err);
}

at_code at_web_token_revoke(at_store *store, int64_t id, int64_t user_id, const char *actor,
                            bool *found, at_error *err)
{
    *found = false;
    at_code rc = at_pay_store_check(store, true, err);
    if (rc != AT_OK)
        return rc;
    rc = at_store_begin(store, actor, "API token revoked", err);
    if (rc != AT_OK)
        return rc;
    sqlite3_stmt *st;
    rc = at_sqlite_prepare(store,
                           "UPDATE api_tokens SET revoked = 1 WHERE id = ?1 AND revoked = 0 AND "
                           "(?2 = 0 OR user_id = ?2)",
                           false, &st, "revoking an API token", err);
    if (rc == AT_OK) {
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_int64(st, 2, user_id);
        rc = step_done(store, st, "revoking an API token", err);
    }
    if (rc == AT_OK && sqlite3_changes(BACKEND(store)->db) > 0) {
        *found = true;
        char key[32];
        snprintf(key, sizeof key, "%" PRId64, id);
        rc = at_sqlite_write_audit(store, "update", "api_tokens", at_str_from(key),
                                   "{\"revoked\":false}", "{\"revoked\":true}", err);
    }
    return end_tx(store, rc, err);
}

at_code at_web_token_each(at_store *store, int64_t user_id, at_web_token_fn fn, void *ctx,
                          at_error *err)
{
    at_code rc = at_pay_store_check(store, false, err);
    if (rc != AT_OK)
        return rc;
    sqlite3_stmt *st;
    rc = at_sqlite_prepare(store,
                           "SELECT " TOKEN_COLUMNS " FROM api_tokens WHERE ?1 = 0 OR user_id = ?1 "
                           "ORDER BY id DESC",
                           false, &st, "reading API tokens", err);
    if (rc != AT_OK)
        return rc;
    sqlite3_bind_int64(st, 1, user_id);
    int r = SQLITE_DONE;
    while (rc == AT_OK && (r = sqlite3_step(st)) == SQLITE_ROW) {
        at_web_token t;
        read_token(st, &t);
        rc = fn(ctx, &t, err);
    }
    if (rc == AT_OK && r != SQLITE_DONE)
        rc = at_sqlite_fail(store, r, "reading API tokens", err);
    sqlite3_finalize(st);
    return rc;
}

/* ---- audit -------------------------------------------------------------------------------- */

at_code at_web_store_audit(at_store *store, const char *actor, const char *action,
                           const char *entity, const char *key, const char *after,
                           const char *reason, at_error *err)
{
    at_code rc = at_pay_store_check(store, true, err);
    if (rc != AT_OK)
        return rc;
    rc = at_store_begin(store, actor, reason, err);
    if (rc != AT_OK)
        return rc;
    rc = at_sqlite_write_audit(store, action, entity ? entity : "",
                               at_str_from(key ? key : ""), NULL, after, err);
    return end_tx(store, rc, err);
}
