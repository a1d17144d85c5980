/* reply.c - what the API sends back and how handlers read a request: JSON replies, errors as
 * {"error":{"code","message","field","hint"}} with the HTTP status that goes with them, exact
 * money and dates in JSON, and typed access to parameters, the query and the JSON body. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web/web.h"

at_code at_web_reply_bytes(at_web_response *res, int status, const char *content_type,
                           const char *data, size_t length, at_error *err)
{
    char *copy = malloc(length + 1);
    if (!copy)
        return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory writing the reply");
    if (length)
        memcpy(copy, data, length);
    copy[length] = '\0';
    free(res->body);
    res->body = copy;
    res->length = length;
    res->status = status;
    res->content_type = content_type;
    return AT_OK;
}

at_code at_web_reply_json(at_web_response *res, int status, json_t *value, at_error *err)
{
    if (!value)
        return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory writing the reply");
    char *text = json_dumps(value, JSON_COMPACT | JSON_ENCODE_ANY);
    json_decref(value);
    if (!text)
        return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory writing the reply");
    free(res->body);
    res->body = text;
    res->length = strlen(text);
    res->status = status;
    res->content_type = "application/json";
    return AT_OK;
}

int at_web_status_of(at_code code)
{
    switch (code) {
    case AT_OK: return 200;
    case AT_ERR_USAGE: return 400;
    case AT_ERR_INVALID:
    case AT_ERR_OVERFLOW: return 422;
    case AT_ERR_NOT_FOUND: return 404;
    case AT_ERR_CONFLICT:
    case AT_ERR_LOCKED: return 409;
    case AT_ERR_IO:
    case AT_ERR_NOMEM:
    case AT_ERR_STORE:
    case AT_ERR_INTERNAL: return 500;
    }
    return 500;
}

void at_web_reply_problem(at_web_response *res, int status, const char *code,
                          const char *message, const char *field)
{
    json_t *e = json_object();
    json_object_set_new(e, "code", json_string(code));
    json_object_set_new(e, "message", json_string(message ? message : ""));
    json_object_set_new(e, "field", field && field[0] ? json_string(field) : json_null());
    json_t *root = json_object();
    json_object_set_new(root, "error", e);
    if (at_web_reply_json(res, status, root, NULL) != AT_OK) {
        static const char fallback[] =
            "{\"error\":{\"code\":\"internal\",\"message\":\"out of memory\",\"field\":null}}";
        free(res->body);
        res->body = strdup(fallback);
        res->length = res->body ? sizeof fallback - 1 : 0;
        res->status = 500;
        res->content_type = "application/json";
    }
}

void at_web_reply_error(at_web_response *res, int status, const at_error *err)
{
    at_code code = err ? err->code : AT_ERR_INTERNAL;
    if (code == AT_OK)
        code = AT_ERR_INTERNAL;
    if (!status)
        status = at_web_status_of(code);
    bool server_side = status >= 500;
    if (server_side) {
        char buf[AT_ERROR_WHERE_MAX + AT_ERROR_MESSAGE_MAX + AT_ERROR_HINT_MAX + 32];
        at_error_format(err, buf, sizeof buf);
        fprintf(stderr, "attain serve: %s", buf);
    }
    json_t *e = json_object();
    json_object_set_new(e, "code", json_string(at_code_name(code)));
    if (server_side) {
        json_object_set_new(e, "message",
                            json_string(code == AT_ERR_LOCKED
                                            ? "the database is busy: retry in a moment"
                                            : "the server failed; the details are in its log"));
        json_object_set_new(e, "field", json_null());
    } else {
        json_object_set_new(e, "message", json_string(err->message));
        /* where is a field path or a place in an uploaded file; never a server path */
        bool field_ok = err->where[0] && err->where[0] != '/' && err->where[0] != '.';
        json_object_set_new(e, "field", field_ok ? json_string(err->where) : json_null());
        if (err->hint[0])
            json_object_set_new(e, "hint", json_string(err->hint));
    }
    json_t *root = json_object();
    json_object_set_new(root, "error", e);
    if (at_web_reply_json(res, status, root, NULL) != AT_OK)
        at_web_reply_problem(res, 500, "nomem", "out of memory", NULL);
}

/* ---- JSON values ----------------------------------------------------------------------------- */

json_t *at_web_json_money(at_money value)
{
    char buf[AT_MONEY_TEXT_MAX];
    at_money_format(value, buf, sizeof buf);
    return json_string(buf);
}

json_t *at_web_json_rate(at_rate value)
{
    char buf[AT_MONEY_TEXT_MAX];
    at_rate_format(value, buf, sizeof buf);
    return json_string(buf);
}

json_t *at_web_json_day(at_day day)
{
    if (day <= AT_DAY_MIN || day >= AT_DAY_MAX)
        return json_null();
    char buf[AT_DATE_TEXT_MAX];
    at_day_format(day, buf, sizeof buf);
    return json_string(buf);
}

json_t *at_web_json_time(at_time t)
{
    if (t == 0)
        return json_null();
    char buf[AT_TIME_TEXT_MAX];
    at_time_format(t, buf, sizeof buf);
    return json_string(buf);
}

json_t *at_web_json_str(const char *text)
{
    return text ? json_string(text) : json_null();
}

/* ---- reading the request --------------------------------------------------------------------- */

const char *at_web_param_get(const at_web_request *req, const char *name)
{
    for (size_t i = 0; i < req->params.count; i++)
        if (strcmp(req->params.items[i].name, name) == 0)
            return req->params.items[i].value;
    return NULL;
}

const char *at_web_query_get(const at_web_request *req, const char *name)
{
    for (size_t i = 0; i < req->query_count; i++)
        if (strcmp(req->query[i].name, name) == 0)
            return req->query[i].value;
    return NULL;
}

at_code at_web_query_int(const at_web_request *req, const char *name, int64_t min, int64_t max,
                         int64_t dflt, int64_t *out, at_error *err)
{
    const char *v = at_web_query_get(req, name);
    if (!v) {
        *out = dflt;
        return AT_OK;
    }
    char *end;
    errno = 0;
    long long n = strtoll(v, &end, 10);
    if (!v[0] || *end || errno || n < min || n > max || v[0] == ' ' || v[0] == '+')
        return at_fail(err, AT_ERR_INVALID, name, NULL,
                       "%s must be a whole number from %" PRId64 " to %" PRId64 ", not '%.40s'",
                       name, min, max, v);
    *out = n;
    return AT_OK;
}

at_code at_web_body_object(at_web_request *req, json_t **out, at_error *err)
{
    *out = NULL;
    if (req->json) {
        *out = req->json;
        return AT_OK;
    }
    if (!at_web_is_json_type(req->content_type))
        return at_fail(err, AT_ERR_USAGE, "Content-Type", "send Content-Type: application/json",
                       "the body must be JSON");
    at_code rc = at_web_json_parse(req->body, req->body_length, &req->json, err);
    if (rc != AT_OK)
        return rc;
    *out = req->json;
    return AT_OK;
}

at_code at_web_body_string(json_t *object, const char *name, bool required, size_t max_length,
                           const char **out, at_error *err)
{
    *out = NULL;
    json_t *v = json_object_get(object, name);
    char field[96];
    snprintf(field, sizeof field, "body.%s", name);
    if (!v || json_is_null(v)) {
        if (required)
            return at_fail(err, AT_ERR_INVALID, field, NULL, "%s is required", name);
        return AT_OK;
    }
    if (!json_is_string(v))
        return at_fail(err, AT_ERR_INVALID, field, NULL, "%s must be a string", name);
    const char *s = json_string_value(v);
    size_t n = json_string_length(v);
    if (n > max_length)
        return at_fail(err, AT_ERR_INVALID, field, NULL, "%s is longer than %zu bytes", name,
                       max_length);
    if (strlen(s) != n)
        return at_fail(err, AT_ERR_INVALID, field, NULL, "%s holds a NUL character", name);
    if (required && n == 0)
        return at_fail(err, AT_ERR_INVALID, field, NULL, "%s is required", name);
    *out = s;
    return AT_OK;
}

at_code at_web_check_month(const char *label, const char *field, at_error *err)
{
    bool ok = label && strlen(label) == 7 && label[4] == '-';
    for (int i = 0; ok && i < 7; i++)
        if (i != 4 && (label[i] < '0' || label[i] > '9'))
            ok = false;
    if (ok) {
        int m = (label[5] - '0') * 10 + (label[6] - '0');
        ok = m >= 1 && m <= 12;
    }
    if (!ok)
        return at_fail(err, AT_ERR_INVALID, field, "write a fiscal month as YYYY-MM, e.g. 2026-03",
                       "'%.40s' is not a fiscal month", label ? label : "");
    return AT_OK;
}
