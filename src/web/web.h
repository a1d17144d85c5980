/* web.h - the web application and JSON API (`attain serve`): what its files share.
 *
 * A request goes: libmicrohttpd (server.c) -> decoding (decode.c: path, query, cookies, body)
 * -> the router (router.c) finds the route in the route table (routes.c) -> who is asking
 * (auth.c: session cookie or API token, CSRF on every state-changing request) -> the access
 * rule (access.c: the route's roles and its row-level rule, in one place) -> the handler
 * (api_*.c) -> the response (reply.c: JSON, errors as {"error":{code,message,field}}).
 * Handlers never check access themselves: the route table says what each needs, and the
 * tests generate the role x route matrix from it.
 *
 * Each request has its own arena (freed when the response is sent) and borrows a store handle
 * from the server's pool (one per thread: a store handle is used by one thread at a time). */
#ifndef ATTAIN_WEB_WEB_H
#define ATTAIN_WEB_WEB_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/date.h"
#include "core/error.h"
#include "core/money.h"
#include "store/store.h"
#include "store/web_store.h"

typedef struct at_web_server at_web_server;
typedef struct at_web_request at_web_request;
typedef struct at_web_response at_web_response;

/* A handler fills res on success; on failure it returns the code with err filled, and the
 * dispatcher answers with the error (status from the code, reply.c). */
typedef at_code (*at_web_handler)(at_web_request *req, at_web_response *res, at_error *err);

/* ---- the route table (routes.c) -------------------------------------------------------- */

/* The row-level rule a route needs, applied by the dispatcher before the handler runs. */
typedef enum at_web_rule {
    AT_RULE_PUBLIC = 0,  /* no log-in needed (log-in itself, the pages) */
    AT_RULE_ROLE,        /* the route's roles decide alone (no person's pay is shown) */
    AT_RULE_PERSON,      /* the person named by a path parameter (route->person): the user must
                            may-read (or may-write, for AT_WEB_WRITE routes) that person's pay */
    AT_RULE_BODY_PERSON, /* the same, for the person named by a field of the JSON body */
    AT_RULE_SCOPE,       /* a list: the dispatcher sets req->scope to what the user may see */
    AT_RULE_SELF,        /* the user's own things (their session, their API tokens) */
} at_web_rule;

/* Whether a route changes company data (pay, plans, runs, periods, imports, users). Executive
 * users never may; every AT_WEB_WRITE request is audited. Reads that take a POST body (the
 * estimator) are AT_WEB_READ. */
typedef enum at_web_access { AT_WEB_READ = 0, AT_WEB_WRITE } at_web_access;

#define AT_WEB_ROLE(r) (1u << (r))
#define AT_WEB_ROLES_ALL ((1u << AT_ROLE_COUNT) - 1u)

typedef struct at_web_route {
    const char *method;      /* "GET", "POST", "PUT", "DELETE" */
    const char *pattern;     /* "/api/v1/statements/:payee/:month": literal segments and
                                :params (a whole segment each) */
    unsigned roles;          /* AT_WEB_ROLE bits allowed (0 for AT_RULE_PUBLIC) */
    at_web_rule rule;
    at_web_access access;
    const char *person;      /* AT_RULE_PERSON: the parameter naming the person (people id);
                                AT_RULE_BODY_PERSON: the body field */
    const char *month;       /* the parameter (or query/body field) naming the fiscal month the
                                person's pay is read for; NULL: today. The manager rule asks
                                whether the person was in the team during that month. */
    at_web_handler handler;
    const char *summary;     /* one line for docs/api.md and the placeholder page */
} at_web_route;

extern const at_web_route at_web_routes[];
extern const size_t at_web_route_count;

/* ---- the router (router.c) ------------------------------------------------------------- */

#define AT_WEB_PARAMS_MAX 4

typedef struct at_web_param {
    const char *name;
    const char *value;       /* percent-decoded, NUL-terminated, in the request's arena */
} at_web_param;

typedef struct at_web_params {
    size_t count;
    at_web_param items[AT_WEB_PARAMS_MAX];
} at_web_params;

/* Finds the route for method and path (the raw path, before percent-decoding; no query).
 * Returns NULL when none matches; then *path_known says whether some route has the path with
 * another method (405). Parameters are percent-decoded into arena; a parameter that does not
 * decode (bad %XX, %00, not UTF-8) or is longer than 256 bytes makes the match fail with
 * AT_ERR_INVALID in err (and NULL returned, *path_known true). */
const at_web_route *at_web_route_match(const at_web_route *routes, size_t count,
                                       const char *method, const char *path, at_arena *arena,
                                       at_web_params *params, bool *path_known, at_error *err);

/* Checks a table: every pattern starts with "/", segments are non-empty, params are named,
 * no two routes have the same method and shape, every PERSON rule names one of its params,
 * write routes exclude executives, public routes allow no roles. For tests and start-up. */
at_code at_web_routes_check(const at_web_route *routes, size_t count, at_error *err);

/* ---- decoding (decode.c): pure functions, fuzzed by fuzz/fuzz_http.c --------------------- */

/* Percent-decodes text (plus_space: '+' is a space, as in query strings) into arena. Refuses
 * bad escapes, %00 and text that is not UTF-8 (AT_ERR_INVALID naming what). */
at_code at_web_percent_decode(const char *text, size_t length, bool plus_space, at_arena *arena,
                              char **out, size_t *out_length, at_error *err);

/* Splits a query string ("a=1&b=x%20y") into decoded pairs in arena. At most 64 pairs. */
at_code at_web_query_parse(const char *query, size_t length, at_arena *arena,
                           at_web_param **pairs, size_t *count, at_error *err);

/* The value of cookie `name` in a Cookie header into out (size bytes, NUL-terminated).
 * False when absent, empty or longer than out. */
bool at_web_cookie_get(const char *header, const char *name, char *out, size_t size);

/* True when a Content-Type header says JSON (application/json, any parameters). */
bool at_web_is_json_type(const char *content_type);

/* Parses a JSON body that must be an object (rejecting duplicate keys, at most depth 32).
 * AT_ERR_INVALID with the line:column of the problem. *out is the caller's to json_decref. */
at_code at_web_json_parse(const char *body, size_t length, json_t **out, at_error *err);

/* One part of a multipart/form-data body. */
typedef struct at_web_part {
    const char *name;        /* the form field's name */
    const char *filename;    /* NULL when the part is not a file */
    const char *data;        /* points into the body */
    size_t length;
} at_web_part;

/* Splits a multipart/form-data body (boundary from content_type) into parts (in arena). At most
 * 64 parts. AT_ERR_INVALID when the body does not follow the content type. */
at_code at_web_multipart_parse(const char *content_type, const char *body, size_t length,
                               at_arena *arena, at_web_part **parts, size_t *count,
                               at_error *err);

/* Joins root and a URL path (raw, percent-encoded) into a file path under root (out, size
 * bytes). Refuses (AT_ERR_NOT_FOUND) any segment that is empty, ".", "..", starts with a dot,
 * or holds a backslash or a control byte once decoded. "/" and paths ending in "/" name
 * index.html. */
at_code at_web_static_join(const char *root, const char *url_path, char *out, size_t size,
                           at_error *err);

/* The Content-Type for a file name by its extension ("application/octet-stream" when
 * unknown). */
const char *at_web_content_type_of(const char *path);

/* ---- access (access.c): the row-level rule, in one place ------------------------------- */

/* Whether user may read (or write) the pay of the person with internal id `person` as of some
 * day in [from, to]: admin, sales_ops and finance everyone; executive everyone, read only; a
 * manager themselves and the people in their team through the reporting lines in force then;
 * a rep themselves only. A disabled user, a person id <= 0, or a rep/manager who names no
 * person: nobody. */
at_code at_web_may(at_store *store, const at_web_user *user, int64_t person, at_day from,
                   at_day to, at_web_access how, bool *allowed, at_error *err);

/* The people a user's lists show on a day. */
at_web_scope at_web_scope_of(const at_web_user *user, at_day day);

/* ---- the request and the response ------------------------------------------------------ */

struct at_web_request {
    at_arena *arena;
    at_web_server *server;
    at_store *store;             /* borrowed from the pool for this request */
    const char *method;
    const char *path;            /* raw, without the query */
    at_web_params params;
    at_web_param *query;         /* decoded */
    size_t query_count;
    const char *content_type;    /* NULL when none */
    const char *accept;          /* the Accept header; NULL when none */
    const char *body;            /* NUL-terminated after body_length bytes */
    size_t body_length;
    json_t *json;                /* the body parsed by at_web_body_object; freed by the server */
    const at_web_route *route;
    const char *address;         /* the client's IP address as text */
    at_time now;
    /* who asks (NULL for public routes without a session) */
    const at_web_user *user;
    at_web_user user_data;
    bool via_token;              /* Authorization: Bearer */
    uint8_t session_hash[AT_WEB_SECRET_HASH_SIZE]; /* when logged in by cookie */
    bool has_session;
    char csrf[64];               /* the session's CSRF token */
    char actor[96];              /* "api:<login>" for the audit trail */
    /* what the access rule decided */
    at_web_scope scope;          /* AT_RULE_SCOPE */
    int64_t person_id;           /* AT_RULE_PERSON / BODY_PERSON: the person checked */
};

struct at_web_response {
    int status;                  /* 0 until set */
    const char *content_type;
    char *body;                  /* malloc'ed; the server frees it */
    size_t length;
    const char *set_cookie;      /* header values, in the request's arena or static */
    const char *disposition;
    const char *cache_control;   /* default for the API: no-store */
    const char *location;
    const char *retry_after;
};

/* ---- replies (reply.c) ----------------------------------------------------------------- */

/* Sends value (stolen: decref'ed here) as JSON with status. AT_ERR_NOMEM when dumping fails. */
at_code at_web_reply_json(at_web_response *res, int status, json_t *value, at_error *err);
/* Sends bytes as they are (copied). */
at_code at_web_reply_bytes(at_web_response *res, int status, const char *content_type,
                           const char *data, size_t length, at_error *err);
/* Fills res with {"error":{"code","message","field","hint"}} for err, with the status its code
 * maps to (400 usage, 401, 403, 404, 409 conflict/locked, 413, 422 invalid, 500 otherwise);
 * status 0 takes the code's. Server-side failures (store, I/O, internal) are logged to stderr
 * in full and answered without their details. */
void at_web_reply_error(at_web_response *res, int status, const at_error *err);
/* The HTTP status for an at_code. */
int at_web_status_of(at_code code);
/* The error codes the API uses besides at_code names: "unauthorized", "forbidden",
 * "not_found", "method_not_allowed", "too_large", "rate_limited", "csrf". */
void at_web_reply_problem(at_web_response *res, int status, const char *code,
                          const char *message, const char *field);

/* Money as the exact decimal string ("1234.50"); rates too ("0.05"). */
json_t *at_web_json_money(at_money value);
json_t *at_web_json_rate(at_rate value);
json_t *at_web_json_day(at_day day);          /* "2026-03-31", null for AT_DAY_MIN/MAX */
json_t *at_web_json_time(at_time t);          /* "2026-03-31T12:00:00Z", null for 0 */
json_t *at_web_json_str(const char *text);    /* null for NULL */

/* ---- reading the request (reply.c) ----------------------------------------------------- */

const char *at_web_param_get(const at_web_request *req, const char *name);
const char *at_web_query_get(const at_web_request *req, const char *name);
/* An integer query parameter in [min, max] (dflt when absent). AT_ERR_INVALID naming it. */
at_code at_web_query_int(const at_web_request *req, const char *name, int64_t min, int64_t max,
                         int64_t dflt, int64_t *out, at_error *err);
/* The body as a JSON object (Content-Type must be JSON). Parsed once, kept in req->json. */
at_code at_web_body_object(at_web_request *req, json_t **out, at_error *err);
/* A string member: required or not (NULL when absent), at most max_length bytes, no control
 * characters. AT_ERR_INVALID with field "body.NAME". */
at_code at_web_body_string(json_t *object, const char *name, bool required, size_t max_length,
                           const char **out, at_error *err);
/* Checks a fiscal month label "YYYY-MM" (the shape only). */
at_code at_web_check_month(const char *label, const char *field, at_error *err);

/* The default page size and its bound for lists (?limit=). */
#define AT_WEB_PAGE_DEFAULT 100
#define AT_WEB_PAGE_MAX 1000

#endif
