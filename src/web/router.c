/* router.c - finding a request's route in the route table (web.h): method + path pattern with
 * :params, matched segment by segment on the raw path, parameters percent-decoded; and the
 * check of a route table's consistency (run at start-up and by the tests). */
#include <stdio.h>
#include <string.h>

#include "web/web.h"

#define PARAM_MAX_BYTES 256

/* The next segment of a path after *p (which points at a '/'): [start, end). False at the end. */
static bool next_segment(const char **p, const char **start, const char **end)
{
    if (**p != '/')
        return false;
    *start = *p + 1;
    const char *q = *start;
    while (*q && *q != '/')
        q++;
    *end = q;
    *p = q;
    return true;
}

/* Whether path matches pattern; fills params (raw) when it does. */
static bool shape_matches(const char *pattern, const char *path, const char **raw_start,
                          size_t *raw_len, const char **names, size_t *names_len, size_t *count)
{
    const char *pp = pattern, *qp = path;
    *count = 0;
    for (;;) {
        const char *ps, *pe, *qs, *qe;
        bool more_p = next_segment(&pp, &ps, &pe);
        bool more_q = next_segment(&qp, &qs, &qe);
        if (!more_p || !more_q)
            return !more_p && !more_q && *qp == '\0';
        if (qe == qs) /* empty segments ("//", a trailing "/") never match */
            return false;
        if (*ps == ':') {
            if (*count == AT_WEB_PARAMS_MAX)
                return false;
            names[*count] = ps + 1;
            names_len[*count] = (size_t)(pe - ps - 1);
            raw_start[*count] = qs;
            raw_len[*count] = (size_t)(qe - qs);
            (*count)++;
        } else if ((size_t)(pe - ps) != (size_t)(qe - qs) ||
                   memcmp(ps, qs, (size_t)(pe - ps)) != 0) {
            return false;
        }
    }
}

const at_web_route *at_web_route_match(const at_web_route *routes, size_t count,
                                       const char *method, const char *path, at_arena *arena,
                                       at_web_params *params, bool *path_known, at_error *err)
{
    *path_known = false;
    params->count = 0;
    if (!path || path[0] != '/')
        return NULL;
    const char *raw[AT_WEB_PARAMS_MAX], *names[AT_WEB_PARAMS_MAX];
    size_t raw_len[AT_WEB_PARAMS_MAX], names_len[AT_WEB_PARAMS_MAX], n = 0;
    const at_web_route *found = NULL;
    /* an exact literal match wins over a match through a parameter: /runs/jobs vs /runs/:id */
    size_t best_params = AT_WEB_PARAMS_MAX + 1;
    for (size_t i = 0; i < count; i++) {
        size_t k;
        const char *r[AT_WEB_PARAMS_MAX], *nm[AT_WEB_PARAMS_MAX];
        size_t rl[AT_WEB_PARAMS_MAX], nl[AT_WEB_PARAMS_MAX];
        if (!shape_matches(routes[i].pattern, path, r, rl, nm, nl, &k))
            continue;
        *path_known = true;
        if (strcmp(routes[i].method, method) != 0 || k >= best_params)
            continue;
        found = &routes[i];
        best_params = k;
        n = k;
        memcpy(raw, r, sizeof r);
        memcpy(raw_len, rl, sizeof rl);
        memcpy(names, nm, sizeof nm);
        memcpy(names_len, nl, sizeof nl);
    }
    if (!found)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        char *name = at_arena_strndup(arena, names[i], names_len[i]);
        if (!name) {
            at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory decoding the path");
            return NULL;
        }
        if (raw_len[i] > PARAM_MAX_BYTES * 3) {
            at_fail(err, AT_ERR_INVALID, name, "ids are at most 256 bytes",
                    "the path parameter '%s' is too long", name);
            return NULL;
        }
        char *value;
        size_t len;
        if (at_web_percent_decode(raw[i], raw_len[i], false, arena, &value, &len, err) != AT_OK) {
            at_error_prefix_where(err, name);
            return NULL;
        }
        if (len > PARAM_MAX_BYTES) {
            at_fail(err, AT_ERR_INVALID, name, "ids are at most 256 bytes",
                    "the path parameter '%s' is too long", name);
            return NULL;
        }
        params->items[i].name = name;
        params->items[i].value = value;
    }
    params->count = n;
    return found;
}

/* ---- the table's check ----------------------------------------------------------------- */

static bool has_param(const char *pattern, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = strchr(pattern, ':'); p; p = strchr(p + 1, ':'))
        if (strncmp(p + 1, name, n) == 0 && (p[1 + n] == '/' || p[1 + n] == '\0'))
            return true;
    return false;
}

/* The pattern with every :param as ":" (two routes with the same shape are ambiguous). */
static void shape_of(const char *pattern, char *out, size_t size)
{
    size_t o = 0;
    for (const char *p = pattern; *p && o + 1 < size; p++) {
        out[o++] = *p;
        if (*p == ':')
            while (p[1] && p[1] != '/')
                p++;
    }
    out[o] = '\0';
}

at_code at_web_routes_check(const at_web_route *routes, size_t count, at_error *err)
{
    static const char *const methods[] = {"GET", "POST", "PUT", "DELETE"};
    for (size_t i = 0; i < count; i++) {
        const at_web_route *r = &routes[i];
        char where[160];
        snprintf(where, sizeof where, "%s %s", r->method ? r->method : "?",
                 r->pattern ? r->pattern : "?");
        bool method_ok = false;
        for (size_t m = 0; r->method && m < sizeof methods / sizeof methods[0]; m++)
            method_ok |= strcmp(r->method, methods[m]) == 0;
        if (!method_ok)
            return at_fail(err, AT_ERR_INTERNAL, where, "use GET, POST, PUT or DELETE",
                           "unknown method");
        if (!r->pattern || r->pattern[0] != '/' || strstr(r->pattern, "//") ||
            (strlen(r->pattern) > 1 && r->pattern[strlen(r->pattern) - 1] == '/') ||
            strstr(r->pattern, ":/") || r->pattern[strlen(r->pattern) - 1] == ':')
            return at_fail(err, AT_ERR_INTERNAL, where, NULL,
                           "a pattern is /segment/:param/... with no empty segment");
        if (!r->handler || !r->summary || !r->summary[0])
            return at_fail(err, AT_ERR_INTERNAL, where, NULL, "a route needs a handler and a "
                                                              "summary");
        if (r->rule == AT_RULE_PUBLIC && r->roles)
            return at_fail(err, AT_ERR_INTERNAL, where, NULL,
                           "a public route lists no roles");
        if (r->rule != AT_RULE_PUBLIC && (r->roles & AT_WEB_ROLES_ALL) == 0)
            return at_fail(err, AT_ERR_INTERNAL, where, NULL, "the route allows no role");
        if (r->access == AT_WEB_WRITE && r->rule != AT_RULE_SELF &&
            (r->roles & AT_WEB_ROLE(AT_ROLE_EXECUTIVE)))
            return at_fail(err, AT_ERR_INTERNAL, where, NULL,
                           "executives are read-only: a write route cannot allow them");
        if (r->access == AT_WEB_WRITE && strcmp(r->method, "GET") == 0)
            return at_fail(err, AT_ERR_INTERNAL, where, NULL, "a GET cannot change data");
        if (r->rule == AT_RULE_PERSON && (!r->person || !has_param(r->pattern, r->person)))
            return at_fail(err, AT_ERR_INTERNAL, where, NULL,
                           "a person rule names one of the route's parameters");
        if (r->rule == AT_RULE_BODY_PERSON && (!r->person || strcmp(r->method, "GET") == 0))
            return at_fail(err, AT_ERR_INTERNAL, where, NULL,
                           "a body-person rule names a body field of a POST or PUT");
        char a[256], b[256];
        shape_of(r->pattern, a, sizeof a);
        for (size_t j = 0; j < i; j++) {
            shape_of(routes[j].pattern, b, sizeof b);
            if (strcmp(a, b) == 0 && strcmp(r->method, routes[j].method) == 0)
                return at_fail(err, AT_ERR_INTERNAL, where, NULL,
                               "the same method and shape as %s", routes[j].pattern);
        }
    }
    return AT_OK;
}
