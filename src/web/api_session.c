/* api_session.c - log-in, log-out and who is logged in; API tokens for scripts; users (admin).
 *
 * Log-in checks the password (Argon2id) after the rate limiters (per login and per address)
 * and always starts a new session with a new random id, deleting the one the browser came
 * with (session fixation is impossible); the cookie is HttpOnly, SameSite=Strict, Path=/.
 * The session's CSRF token is returned in the body and must come back in X-CSRF-Token on
 * every state-changing request. Log-ins, failed log-ins and log-outs are audited. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "web/api.h"
#include "web/server.h"

static json_t *user_json(const at_web_user *u)
{
    json_t *o = json_object();
    json_object_set_new(o, "login", json_string(u->login));
    json_object_set_new(o, "role", json_string(at_web_role_name(u->role)));
    json_object_set_new(o, "person", u->person[0] ? json_string(u->person) : json_null());
    return o;
}

static const char *session_cookie(at_web_request *req, const char *value, at_time max_age)
{
    return at_arena_printf(req->arena, "%s=%s; Path=/; Max-Age=%" PRId64 "; HttpOnly; "
                                       "SameSite=Strict%s",
                           AT_WEB_SESSION_COOKIE, value, max_age,
                           req->server->config.secure_cookies ? "; Secure" : "");
}

at_code at_api_login(at_web_request *req, at_web_response *res, at_error *err)
{
    at_web_server *srv = req->server;
    json_t *body;
    at_code rc = at_web_body_object(req, &body, err);
    if (rc != AT_OK)
        return rc;
    const char *login, *password;
    rc = at_web_body_string(body, "login", true, 64, &login, err);
    if (rc == AT_OK)
        rc = at_web_body_string(body, "password", true, AT_WEB_PASSWORD_MAX, &password, err);
    if (rc != AT_OK)
        return rc;
    char login_key[96], address_key[96];
    snprintf(login_key, sizeof login_key, "login:%s", login);
    snprintf(address_key, sizeof address_key, "addr:%s", req->address ? req->address : "");
    at_time wait1 = 0, wait2 = 0;
    bool ok1 = at_web_limiter_allows(&srv->login_limiter, login_key, req->now, &wait1);
    bool ok2 = at_web_limiter_allows(&srv->address_limiter, address_key, req->now, &wait2);
    if (!ok1 || !ok2) {
        at_time wait = wait1 > wait2 ? wait1 : wait2;
        res->retry_after = at_arena_printf(req->arena, "%" PRId64, wait);
        at_web_reply_problem(res, 429, "rate_limited",
                             "too many failed log-ins: wait before trying again", NULL);
        return AT_OK;
    }
    at_web_user user;
    char hash[AT_WEB_PWHASH_MAX + 8];
    bool found = false;
    rc = at_web_user_find(req->store, login, &user, hash, sizeof hash, &found, err);
    if (rc != AT_OK)
        return rc;
    size_t plen = strlen(password);
    bool good = found ? at_web_password_verify(hash, password, plen)
                      : at_web_password_dummy(password, plen);
    if (good && user.disabled)
        good = false;
    if (!good) {
        at_web_limiter_fail(&srv->login_limiter, login_key, req->now);
        at_web_limiter_fail(&srv->address_limiter, address_key, req->now);
        char after[160];
        snprintf(after, sizeof after, "{\"address\":\"%.64s\"}", req->address ? req->address : "");
        at_web_store_audit(req->store, "web", "login_failed", "users", login, after, NULL, NULL);
        at_web_reply_problem(res, 401, "invalid_login", "wrong login or password", NULL);
        return AT_OK;
    }
    at_web_limiter_clear(&srv->login_limiter, login_key);
    /* the session the browser came with (if any) ends: a new id, always */
    if (req->has_session)
        at_web_session_delete(req->store, req->session_hash, NULL, NULL);
    char secret[AT_WEB_SECRET_TEXT_MAX], csrf[AT_WEB_SECRET_TEXT_MAX];
    at_web_secret_new(NULL, secret);
    at_web_secret_new(NULL, csrf);
    uint8_t h[AT_WEB_SECRET_HASH_SIZE];
    at_web_secret_hash(secret, h);
    at_time expires = req->now + srv->config.session_seconds;
    rc = at_web_session_add(req->store, h, user.id, csrf, req->now, expires, req->address, err);
    if (rc != AT_OK)
        return rc;
    char actor[96];
    snprintf(actor, sizeof actor, "api:%s", user.login);
    char after[160];
    snprintf(after, sizeof after, "{\"address\":\"%.64s\"}", req->address ? req->address : "");
    at_web_store_audit(req->store, actor, "login", "users", user.login, after, NULL, NULL);
    res->set_cookie = session_cookie(req, secret, srv->config.session_seconds);
    json_t *o = json_object();
    json_object_set_new(o, "user", user_json(&user));
    json_object_set_new(o, "csrf", json_string(csrf));
    json_object_set_new(o, "expires_at", at_web_json_time(expires));
    return at_web_reply_json(res, 200, o, err);
}

at_code at_api_me(at_web_request *req, at_web_response *res, at_error *err)
{
    json_t *o = json_object();
    json_object_set_new(o, "user", user_json(req->user));
    json_object_set_new(o, "via", json_string(req->via_token ? "token" : "session"));
    json_object_set_new(o, "csrf", req->has_session ? json_string(req->csrf) : json_null());
    return at_web_reply_json(res, 200, o, err);
}

at_code at_api_logout(at_web_request *req, at_web_response *res, at_error *err)
{
    if (req->has_session) {
        at_code rc = at_web_session_delete(req->store, req->session_hash, NULL, err);
        if (rc != AT_OK)
            return rc;
        at_web_store_audit(req->store, req->actor, "logout", "users", req->user->login, NULL,
                           NULL, NULL);
    }
    res->set_cookie = session_cookie(req, "", 0);
    json_t *o = json_object();
    json_object_set_new(o, "ok", json_true());
    return at_web_reply_json(res, 200, o, err);
}

/* ---- API tokens ---------------------------------------------------------------------------- */

typedef struct token_list {
    json_t *items;
} token_list;

static at_code add_token(void *ctx, const at_web_token *t, at_error *err)
{
    (void)err;
    token_list *l = ctx;
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(t->id));
    json_object_set_new(o, "name", json_string(t->name));
    json_object_set_new(o, "created_at", at_web_json_time(t->created_at));
    json_object_set_new(o, "last_used", at_web_json_time(t->last_used));
    json_object_set_new(o, "expires_at", at_web_json_time(t->expires_at));
    json_object_set_new(o, "revoked", json_boolean(t->revoked));
    json_array_append_new(l->items, o);
    return AT_OK;
}

at_code at_api_tokens_list(at_web_request *req, at_web_response *res, at_error *err)
{
    token_list l = {json_array()};
    at_code rc = at_web_token_each(req->store, req->user->id, add_token, &l, err);
    if (rc != AT_OK) {
        json_decref(l.items);
        return rc;
    }
    json_t *o = json_object();
    json_object_set_new(o, "items", l.items);
    return at_web_reply_json(res, 200, o, err);
}

at_code at_api_tokens_add(at_web_request *req, at_web_response *res, at_error *err)
{
    json_t *body;
    at_code rc = at_web_body_object(req, &body, err);
    if (rc != AT_OK)
        return rc;
    const char *name;
    rc = at_web_body_string(body, "name", true, 128, &name, err);
    if (rc != AT_OK)
        return rc;
    json_t *days = json_object_get(body, "expires_days");
    int64_t expires = 0;
    if (days && !json_is_null(days)) {
        if (!json_is_integer(days) || json_integer_value(days) < 1 ||
            json_integer_value(days) > 3650)
            return at_fail(err, AT_ERR_INVALID, "body.expires_days", NULL,
                           "expires_days must be a whole number of days from 1 to 3650");
        expires = req->now + json_integer_value(days) * AT_SECONDS_PER_DAY;
    }
    char secret[AT_WEB_SECRET_TEXT_MAX];
    at_web_secret_new("at_", secret);
    uint8_t h[AT_WEB_SECRET_HASH_SIZE];
    at_web_secret_hash(secret, h);
    int64_t id = 0;
    rc = at_web_token_add(req->store, req->user->id, name, h, req->now, expires, req->actor, &id,
                          err);
    if (rc != AT_OK)
        return rc;
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(id));
    json_object_set_new(o, "name", json_string(name));
    json_object_set_new(o, "token", json_string(secret));
    json_object_set_new(o, "expires_at", at_web_json_time(expires));
    return at_web_reply_json(res, 201, o, err);
}

at_code at_api_tokens_revoke(at_web_request *req, at_web_response *res, at_error *err)
{
    int64_t id;
    at_code rc = at_api_id_param(req, "id", &id, err);
    if (rc != AT_OK)
        return rc;
    bool found = false;
    rc = at_web_token_revoke(req->store, id, req->user->id, req->actor, &found, err);
    if (rc != AT_OK)
        return rc;
    if (!found)
        return at_fail(err, AT_ERR_NOT_FOUND, "id", NULL, "you have no active token %" PRId64, id);
    json_t *o = json_object();
    json_object_set_new(o, "ok", json_true());
    return at_web_reply_json(res, 200, o, err);
}

/* ---- users (admin) ------------------------------------------------------------------------- */

static at_code add_user(void *ctx, const at_web_user *u, at_time created_at, at_error *err)
{
    (void)err;
    json_t *o = user_json(u);
    json_object_set_new(o, "disabled", json_boolean(u->disabled));
    json_object_set_new(o, "created_at", at_web_json_time(created_at));
    json_array_append_new(ctx, o);
    return AT_OK;
}

at_code at_api_users_list(at_web_request *req, at_web_response *res, at_error *err)
{
    json_t *items = json_array();
    at_code rc = at_web_user_each(req->store, add_user, items, err);
    if (rc != AT_OK) {
        json_decref(items);
        return rc;
    }
    json_t *o = json_object();
    json_object_set_new(o, "items", items);
    return at_web_reply_json(res, 200, o, err);
}

at_code at_api_users_add(at_web_request *req, at_web_response *res, at_error *err)
{
    json_t *body;
    at_code rc = at_web_body_object(req, &body, err);
    if (rc != AT_OK)
        return rc;
    const char *login, *role_text, *person, *password;
    rc = at_web_body_string(body, "login", true, 64, &login, err);
    if (rc == AT_OK)
        rc = at_web_body_string(body, "role", true, 32, &role_text, err);
    if (rc == AT_OK)
        rc = at_web_body_string(body, "person", false, 128, &person, err);
    if (rc == AT_OK)
        rc = at_web_body_string(body, "password", true, AT_WEB_PASSWORD_MAX, &password, err);
    if (rc != AT_OK)
        return rc;
    at_web_role role;
    rc = at_web_role_parse(role_text, &role, err);
    if (rc != AT_OK) {
        snprintf(err->where, sizeof err->where, "body.role");
        return rc;
    }
    char hash[AT_WEB_PWHASH_MAX];
    rc = at_web_password_hash(password, strlen(password), req->server->pwcost, hash, err);
    if (rc != AT_OK) {
        snprintf(err->where, sizeof err->where, "body.password");
        return rc;
    }
    int64_t id = 0;
    rc = at_web_user_add(req->store, login, role, person, hash, req->actor, &id, err);
    if (rc != AT_OK) {
        if (err->where[0] && !strchr(err->where, '/') && strncmp(err->where, "body.", 5) != 0) {
            char w[AT_ERROR_WHERE_MAX];
            snprintf(w, sizeof w, "body.%.200s", err->where);
            snprintf(err->where, sizeof err->where, "%s", w);
        }
        return rc;
    }
    at_web_user u;
    bool found = false;
    rc = at_web_user_get(req->store, id, &u, &found, err);
    if (rc != AT_OK)
        return rc;
    return at_web_reply_json(res, 201, user_json(&u), err);
}
