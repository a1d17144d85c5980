/* api_users.c - changing users after they were added: an admin sets a user's password or
 * disables and enables a user; anyone changes their own password with the old one. A new
 * password ends the user's other sessions; disabling ends all of them, and the user's
 * sessions and API tokens are refused from the next request on (the dispatcher reads the user
 * on every request). The store audits each change to "users"; the dispatcher audits the
 * request itself. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "web/api.h"
#include "web/server.h"

static void body_field(at_error *err, const char *name)
{
    snprintf(err->where, sizeof err->where, "body.%s", name);
}

static at_code hash_password(at_web_request *req, const char *password, const char *field,
                             char hash[AT_WEB_PWHASH_MAX], at_error *err)
{
    at_code rc = at_web_password_hash(password, strlen(password), req->server->pwcost, hash, err);
    if (rc != AT_OK)
        body_field(err, field);
    return rc;
}

/* The user named by the :login parameter. */
static at_code user_param(at_web_request *req, at_web_user *user, at_error *err)
{
    const char *login = at_web_param_get(req, "login");
    bool found = false;
    at_code rc = at_web_user_find(req->store, login, user, NULL, 0, &found, err);
    if (rc == AT_OK && !found)
        rc = at_fail(err, AT_ERR_NOT_FOUND, "login", "GET /api/v1/users lists them",
                     "there is no user '%.64s'", login ? login : "");
    return rc;
}

static at_code reply_user(at_web_request *req, at_web_response *res, int64_t id,
                          int64_t sessions_ended, at_error *err)
{
    at_web_user u;
    bool found = false;
    at_code rc = at_web_user_get(req->store, id, &u, &found, err);
    if (rc != AT_OK)
        return rc;
    json_t *o = json_object();
    json_object_set_new(o, "login", json_string(u.login));
    json_object_set_new(o, "role", json_string(at_web_role_name(u.role)));
    json_object_set_new(o, "person", u.person[0] ? json_string(u.person) : json_null());
    json_object_set_new(o, "disabled", json_boolean(u.disabled));
    json_object_set_new(o, "sessions_ended", json_integer(sessions_ended));
    return at_web_reply_json(res, 200, o, err);
}

at_code at_api_user_password(at_web_request *req, at_web_response *res, at_error *err)
{
    at_web_user user;
    json_t *body;
    const char *password = NULL;
    at_code rc = user_param(req, &user, err);
    if (rc == AT_OK)
        rc = at_web_body_object(req, &body, err);
    if (rc == AT_OK)
        rc = at_web_body_string(body, "password", true, AT_WEB_PASSWORD_MAX, &password, err);
    char hash[AT_WEB_PWHASH_MAX];
    if (rc == AT_OK)
        rc = hash_password(req, password, "password", hash, err);
    if (rc == AT_OK)
        rc = at_web_user_set_password(req->store, user.login, hash, req->actor, err);
    /* the old sessions end (the admin's own current one stays, when it is theirs) */
    int64_t ended = 0;
    if (rc == AT_OK)
        rc = at_web_user_sessions_end(req->store, user.id,
                                      user.id == req->user->id && req->has_session
                                          ? req->session_hash
                                          : NULL,
                                      &ended, err);
    if (rc != AT_OK)
        return rc;
    return reply_user(req, res, user.id, ended, err);
}

static at_code set_disabled(at_web_request *req, at_web_response *res, bool disabled,
                            at_error *err)
{
    at_web_user user;
    at_code rc = user_param(req, &user, err);
    /* a body is optional; its "reason" goes to the audit trail */
    json_t *body = NULL;
    if (rc == AT_OK && req->body_length > 0)
        rc = at_web_body_object(req, &body, err);
    if (rc == AT_OK && body)
        rc = at_web_body_string(body, "reason", false, 1000, &(const char *){NULL}, err);
    if (rc != AT_OK)
        return rc;
    if (disabled && user.id == req->user->id)
        return at_fail(err, AT_ERR_CONFLICT, "login", "another admin can disable you",
                       "you cannot disable yourself: nobody might be left to enable you");
    bool changed = false;
    rc = at_web_user_set_disabled(req->store, user.login, disabled, req->actor, &changed, err);
    if (rc != AT_OK)
        return rc;
    return reply_user(req, res, user.id, 0, err);
}

at_code at_api_user_disable(at_web_request *req, at_web_response *res, at_error *err)
{
    return set_disabled(req, res, true, err);
}

at_code at_api_user_enable(at_web_request *req, at_web_response *res, at_error *err)
{
    return set_disabled(req, res, false, err);
}

at_code at_api_password_change(at_web_request *req, at_web_response *res, at_error *err)
{
    at_web_server *srv = req->server;
    json_t *body;
    const char *old_password = NULL, *new_password = NULL;
    at_code rc = at_web_body_object(req, &body, err);
    if (rc == AT_OK)
        rc = at_web_body_string(body, "old_password", true, AT_WEB_PASSWORD_MAX, &old_password,
                                err);
    if (rc == AT_OK)
        rc = at_web_body_string(body, "new_password", true, AT_WEB_PASSWORD_MAX, &new_password,
                                err);
    if (rc != AT_OK)
        return rc;
    /* guessing the old password is a log-in attempt: the same limiter counts it */
    char key[96];
    snprintf(key, sizeof key, "login:%s", req->user->login);
    at_time wait = 0;
    if (!at_web_limiter_allows(&srv->login_limiter, key, req->now, &wait)) {
        res->retry_after = at_arena_printf(req->arena, "%" PRId64, wait);
        at_web_reply_problem(res, 429, "rate_limited",
                             "too many wrong passwords: wait before trying again", NULL);
        return AT_OK;
    }
    at_web_user user;
    char stored[AT_WEB_PWHASH_MAX + 8];
    bool found = false;
    rc = at_web_user_find(req->store, req->user->login, &user, stored, sizeof stored, &found,
                          err);
    if (rc != AT_OK)
        return rc;
    if (!found || !at_web_password_verify(stored, old_password, strlen(old_password))) {
        at_web_limiter_fail(&srv->login_limiter, key, req->now);
        at_web_store_audit(req->store, req->actor, "password_failed", "users", req->user->login,
                           NULL, NULL, NULL);
        return at_fail(err, AT_ERR_INVALID, "body.old_password", "type your current password",
                       "the old password is wrong");
    }
    if (strcmp(old_password, new_password) == 0)
        return at_fail(err, AT_ERR_INVALID, "body.new_password", NULL,
                       "the new password is the old one");
    char hash[AT_WEB_PWHASH_MAX];
    rc = hash_password(req, new_password, "new_password", hash, err);
    if (rc == AT_OK)
        rc = at_web_user_set_password(req->store, user.login, hash, req->actor, err);
    int64_t ended = 0;
    if (rc == AT_OK)
        rc = at_web_user_sessions_end(req->store, user.id,
                                      req->has_session ? req->session_hash : NULL, &ended, err);
    if (rc != AT_OK)
        return rc;
    at_web_limiter_clear(&srv->login_limiter, key);
    return reply_user(req, res, user.id, ended, err);
}
