/* dispatch.c - one API request from decoded input to response, in this order: the route (404,
 * 405, 400 for a parameter that does not decode), who asks (an API token, else the session
 * cookie: 401 when a route needs someone and nobody valid is there), the route's roles (403),
 * CSRF on every state-changing request made with a cookie (403), the route's row-level rule
 * (access.c: 403, or 404 for users who may see everyone), the handler, and for a successful
 * write one audit row (who, when, what: method and path, why: the body's "reason"). This is
 * the one place access is decided; handlers only do their job. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/fiscal.h"
#include "store/pay_store.h"
#include "web/server.h"

typedef enum auth_result { AUTH_NONE = 0, AUTH_OK, AUTH_BAD_TOKEN, AUTH_EXPIRED } auth_result;

static at_code load_user(at_web_request *req, int64_t user_id, bool *ok, at_error *err)
{
    bool found = false;
    at_code rc = at_web_user_get(req->store, user_id, &req->user_data, &found, err);
    *ok = rc == AT_OK && found && !req->user_data.disabled;
    if (*ok) {
        req->user = &req->user_data;
        snprintf(req->actor, sizeof req->actor, "api:%s", req->user_data.login);
    }
    return rc;
}

static at_code authenticate(at_web_server *srv, at_web_request *req, const char *cookie,
                            const char *authorization, auth_result *result, at_error *err)
{
    *result = AUTH_NONE;
    bool ok = false;
    if (authorization && authorization[0]) {
        static const char bearer[] = "Bearer ";
        if (strncmp(authorization, bearer, sizeof bearer - 1) != 0) {
            *result = AUTH_BAD_TOKEN;
            return AT_OK;
        }
        const char *token = authorization + sizeof bearer - 1;
        if (strlen(token) > AT_WEB_SECRET_TEXT_MAX) {
            *result = AUTH_BAD_TOKEN;
            return AT_OK;
        }
        uint8_t hash[AT_WEB_SECRET_HASH_SIZE];
        at_web_secret_hash(token, hash);
        at_web_token t;
        bool found = false;
        at_code rc = at_web_token_find(req->store, hash, &t, &found, err);
        if (rc != AT_OK)
            return rc;
        if (!found || t.revoked || (t.expires_at && t.expires_at <= req->now)) {
            *result = AUTH_BAD_TOKEN;
            return AT_OK;
        }
        rc = load_user(req, t.user_id, &ok, err);
        if (rc != AT_OK)
            return rc;
        if (!ok) {
            *result = AUTH_BAD_TOKEN;
            return AT_OK;
        }
        req->via_token = true;
        *result = AUTH_OK;
        if (req->now - t.last_used >= 60)
            at_web_token_touch(req->store, t.id, req->now, NULL);
        return AT_OK;
    }
    char secret[AT_WEB_SECRET_TEXT_MAX + 8];
    if (!at_web_cookie_get(cookie, AT_WEB_SESSION_COOKIE, secret, sizeof secret))
        return AT_OK;
    at_web_secret_hash(secret, req->session_hash);
    at_web_session s;
    bool found = false;
    at_code rc = at_web_session_get(req->store, req->session_hash, &s, &found, err);
    if (rc != AT_OK)
        return rc;
    if (!found) {
        *result = AUTH_EXPIRED;
        return AT_OK;
    }
    if (s.expires_at <= req->now || s.last_seen + srv->config.idle_seconds <= req->now) {
        at_web_session_delete(req->store, req->session_hash, NULL, NULL);
        *result = AUTH_EXPIRED;
        return AT_OK;
    }
    rc = load_user(req, s.user_id, &ok, err);
    if (rc != AT_OK)
        return rc;
    if (!ok) {
        *result = AUTH_EXPIRED;
        return AT_OK;
    }
    req->has_session = true;
    snprintf(req->csrf, sizeof req->csrf, "%s", s.csrf);
    *result = AUTH_OK;
    if (req->now - s.last_seen >= 60)
        at_web_session_touch(req->store, req->session_hash, req->now, NULL);
    return AT_OK;
}

/* The days of a fiscal month label, or (label NULL) today. */
static at_code days_of(at_web_request *req, const char *label, at_day *from, at_day *to,
                       at_error *err)
{
    if (!label) {
        *from = *to = at_time_day(req->now);
        return AT_OK;
    }
    at_code rc = at_web_check_month(label, "month", err);
    if (rc != AT_OK)
        return rc;
    int year = (label[0] - '0') * 1000 + (label[1] - '0') * 100 + (label[2] - '0') * 10 +
               (label[3] - '0');
    at_fiscal_table table;
    rc = at_store_fiscal_table(req->store, year > 1 ? year - 1 : year, year < 9998 ? year + 1 : year,
                               &table, err);
    if (rc != AT_OK)
        return rc;
    const at_period *p;
    rc = at_fiscal_parse_label(&table, at_str_from(label), &p, err);
    if (rc == AT_OK) {
        *from = p->first;
        *to = p->last;
    } else {
        at_fail(err, AT_ERR_INVALID, "month", "write a fiscal month as YYYY-MM, e.g. 2026-03",
                "'%.40s' is not a fiscal month of the calendar", label);
    }
    at_fiscal_table_free(&table);
    return rc;
}

/* The month named by route->month: a path parameter, else a query parameter, else a body
 * field. NULL when the route names none or the request gives none. */
static const char *month_of(at_web_request *req, json_t *body)
{
    const char *name = req->route->month;
    if (!name)
        return NULL;
    const char *v = at_web_param_get(req, name);
    if (!v)
        v = at_web_query_get(req, name);
    if (!v && body) {
        json_t *m = json_object_get(body, name);
        v = json_is_string(m) ? json_string_value(m) : NULL;
    }
    return v;
}

/* The route's row-level rule. *status 0: allowed. */
static at_code apply_rule(at_web_request *req, int *status, const char **code,
                          const char **message, at_error *err)
{
    const at_web_route *r = req->route;
    *status = 0;
    if (r->rule == AT_RULE_SCOPE) {
        req->scope = at_web_scope_of(req->user, at_time_day(req->now));
        return AT_OK;
    }
    if (r->rule != AT_RULE_PERSON && r->rule != AT_RULE_BODY_PERSON)
        return AT_OK;
    const char *person = NULL;
    json_t *body = NULL;
    if (r->rule == AT_RULE_PERSON) {
        person = at_web_param_get(req, r->person);
    } else {
        at_code rc = at_web_body_object(req, &body, err);
        if (rc != AT_OK)
            return rc;
        rc = at_web_body_string(body, r->person, true, 256, &person, err);
        if (rc != AT_OK)
            return rc;
    }
    at_day from, to;
    at_code rc = days_of(req, month_of(req, body), &from, &to, err);
    if (rc != AT_OK)
        return rc;
    int64_t id = 0;
    bool found = false;
    rc = at_web_person_id(req->store, person, &id, &found, err);
    if (rc != AT_OK)
        return rc;
    bool allowed = false;
    if (found) {
        rc = at_web_may(req->store, req->user, id, from, to, r->access, &allowed, err);
        if (rc != AT_OK)
            return rc;
    }
    if (allowed) {
        req->person_id = id;
        return AT_OK;
    }
    at_web_scope everyone = at_web_scope_of(req->user, from);
    if (!found && everyone.kind == AT_SCOPE_EVERYONE) {
        /* those who may see everyone learn that the person does not exist */
        return at_fail(err, AT_ERR_NOT_FOUND, r->rule == AT_RULE_PERSON ? r->person : "body",
                       "check the id (people.csv)", "there is no person '%.128s'", person);
    }
    *status = 403;
    *code = "forbidden";
    *message = r->access == AT_WEB_WRITE ? "you may not change this person's pay"
                                         : "you may not see this person's pay";
    return AT_OK;
}

static void audit_write(at_web_request *req, const at_web_response *res)
{
    char key[512], after[64];
    snprintf(key, sizeof key, "%s %s", req->method, req->path);
    snprintf(after, sizeof after, "{\"status\":%d}", res->status);
    const char *reason = NULL;
    if (req->json) {
        json_t *v = json_object_get(req->json, "reason");
        reason = json_is_string(v) ? json_string_value(v) : NULL;
    }
    at_error err;
    if (at_web_store_audit(req->store, req->actor, "api", "", key, after, reason, &err) != AT_OK) {
        char buf[1024];
        at_error_format(&err, buf, sizeof buf);
        fprintf(stderr, "attain serve: the audit row of %s was not written: %s", key, buf);
    }
}

void at_web_dispatch(at_web_server *srv, at_web_request *req, const char *cookie,
                     const char *authorization, const char *csrf_header, at_web_response *res)
{
    at_error err;
    at_error_clear(&err);
    bool path_known = false;
    req->route = at_web_route_match(at_web_routes, at_web_route_count, req->method, req->path,
                                    req->arena, &req->params, &path_known, &err);
    if (!req->route) {
        if (err.code != AT_OK)
            at_web_reply_error(res, 400, &err);
        else if (path_known)
            at_web_reply_problem(res, 405, "method_not_allowed",
                                 "this path does not take that method", NULL);
        else
            at_web_reply_problem(res, 404, "not_found", "there is no such API route", NULL);
        return;
    }
    const at_web_route *r = req->route;
    auth_result who = AUTH_NONE;
    at_code rc = authenticate(srv, req, cookie, authorization, &who, &err);
    if (rc != AT_OK) {
        at_web_reply_error(res, 0, &err);
        return;
    }
    if (who == AUTH_BAD_TOKEN) {
        at_web_reply_problem(res, 401, "unauthorized",
                             "the API token is not valid (unknown, revoked or expired)",
                             "Authorization");
        return;
    }
    if (r->rule != AT_RULE_PUBLIC) {
        if (who != AUTH_OK) {
            at_web_reply_problem(res, 401, who == AUTH_EXPIRED ? "session_expired" : "unauthorized",
                                 who == AUTH_EXPIRED ? "the session has ended: log in again"
                                                     : "log in first",
                                 NULL);
            return;
        }
        if (!(r->roles & AT_WEB_ROLE(req->user->role)) ||
            (r->access == AT_WEB_WRITE && r->rule != AT_RULE_SELF &&
             req->user->role == AT_ROLE_EXECUTIVE)) {
            at_web_reply_problem(res, 403, "forbidden", "your role may not do this", NULL);
            return;
        }
    }
    bool changes_state = strcmp(req->method, "GET") != 0 && strcmp(req->method, "HEAD") != 0;
    if (changes_state && r->rule != AT_RULE_PUBLIC && req->has_session && !req->via_token &&
        !at_web_secret_equal(csrf_header, req->csrf)) {
        at_web_reply_problem(res, 403, "csrf",
                             "the X-CSRF-Token header is missing or wrong (GET /api/v1/session "
                             "gives the token)",
                             "X-CSRF-Token");
        return;
    }
    if (r->rule != AT_RULE_PUBLIC) {
        int status = 0;
        const char *code = NULL, *message = NULL;
        rc = apply_rule(req, &status, &code, &message, &err);
        if (rc != AT_OK) {
            at_web_reply_error(res, rc == AT_ERR_USAGE ? 400 : 0, &err);
            return;
        }
        if (status) {
            at_web_reply_problem(res, status, code, message, NULL);
            return;
        }
    }
    rc = r->handler(req, res, &err);
    if (rc != AT_OK) {
        at_web_reply_error(res, rc == AT_ERR_USAGE ? 400 : 0, &err);
        return;
    }
    if (!res->status)
        at_web_reply_problem(res, 500, "internal", "the handler sent nothing", NULL);
    else if (r->access == AT_WEB_WRITE && res->status < 300 && req->user)
        audit_write(req, res);
}
