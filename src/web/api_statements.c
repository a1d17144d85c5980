/* api_statements.c - a payee's statement for a month (JSON by default; HTML, PDF or text with
 * ?format=) and the earnings estimator, both from the pay layer (pay/stored.h) that the CLI
 * uses, so the API shows exactly what `attain statement` and `attain estimate` print. The
 * dispatcher has checked that the user may see the payee's pay for that month. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "pay/stored.h"
#include "store/pay_store.h"
#include "web/api.h"
#include "web/server.h"
#include "web/statement_cache.h"

static const char *content_type_of(at_statement_format f)
{
    switch (f) {
    case AT_STATEMENT_TEXT: return "text/plain; charset=utf-8";
    case AT_STATEMENT_JSON: return "application/json";
    case AT_STATEMENT_HTML: return "text/html; charset=utf-8";
    case AT_STATEMENT_PDF: return "application/pdf";
    }
    return "application/octet-stream";
}

/* Takes over data (malloc'ed) as the body. */
static void reply_owned(at_web_response *res, int status, const char *type, char *data,
                        size_t length)
{
    free(res->body);
    res->body = data;
    res->length = length;
    res->status = status;
    res->content_type = type;
}

at_code at_api_statement(at_web_request *req, at_web_response *res, at_error *err)
{
    const char *payee = at_web_param_get(req, "payee");
    const char *month = at_web_param_get(req, "month");
    const char *format = at_web_query_get(req, "format");
    at_statement_format fmt = AT_STATEMENT_JSON;
    at_code rc = format ? at_statement_format_parse(format, &fmt, err) : AT_OK;
    if (rc != AT_OK) {
        err->code = AT_ERR_INVALID;
        snprintf(err->where, sizeof err->where, "format");
        return rc == AT_ERR_USAGE ? AT_ERR_INVALID : rc;
    }
    int64_t run = 0;
    rc = at_web_query_int(req, "run", 1, INT64_MAX, 0, &run, err);
    if (rc != AT_OK)
        return rc;
    /* the run the statement comes from decides what it says: a rendered one is reused */
    if (run == 0) {
        bool found = false;
        rc = at_store_run_latest(req->store, month, payee, &run, &found, err);
        if (rc != AT_OK)
            return rc;
        if (!found)
            run = 0; /* at_pay_statement explains that no run covers the month */
    }
    at_statement_cache *cache = req->server->statements;
    char *data = NULL;
    size_t length = 0;
    if (!run || !at_statement_cache_get(cache, run, payee, month, (int)fmt, &data, &length)) {
        at_pay_stored keep;
        at_statement st;
        rc = at_pay_statement(req->store, payee, month, run, &keep, &st, err);
        if (rc == AT_OK)
            rc = at_statement_render(&st, fmt, &data, &length, err);
        at_pay_stored_free(&keep);
        if (rc != AT_OK)
            return rc;
        if (run)
            at_statement_cache_put(cache, run, payee, month, (int)fmt, data, length);
    }
    reply_owned(res, 200, content_type_of(fmt), data, length);
    if (fmt == AT_STATEMENT_PDF || fmt == AT_STATEMENT_HTML) {
        /* a file name from the ids: only safe characters */
        char name[160];
        size_t n = 0;
        for (const char *p = payee; *p && n < 64; p++)
            name[n++] = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                                (*p >= '0' && *p <= '9') || *p == '-' || *p == '_'
                            ? *p
                            : '_';
        name[n] = '\0';
        res->disposition = at_arena_printf(req->arena, "%s; filename=\"statement-%s-%s.%s\"",
                                           fmt == AT_STATEMENT_PDF ? "attachment" : "inline",
                                           name, month, fmt == AT_STATEMENT_PDF ? "pdf" : "html");
    }
    return AT_OK;
}

at_code at_api_estimate(at_web_request *req, at_web_response *res, at_error *err)
{
    json_t *body;
    at_code rc = at_web_body_object(req, &body, err);
    if (rc != AT_OK)
        return rc;
    const char *payee, *amount_text, *currency, *product, *date_text;
    rc = at_web_body_string(body, "payee", true, 256, &payee, err);
    if (rc == AT_OK)
        rc = at_web_body_string(body, "amount", true, 40, &amount_text, err);
    if (rc == AT_OK)
        rc = at_web_body_string(body, "currency", false, 8, &currency, err);
    if (rc == AT_OK)
        rc = at_web_body_string(body, "product", false, 256, &product, err);
    if (rc == AT_OK)
        rc = at_web_body_string(body, "date", false, 16, &date_text, err);
    if (rc != AT_OK)
        return rc;
    at_money amount;
    rc = at_money_parse(at_str_from(amount_text), &amount, err);
    if (rc != AT_OK) {
        snprintf(err->where, sizeof err->where, "body.amount");
        return rc;
    }
    at_day date = at_time_day(req->now);
    if (date_text && (rc = at_day_parse(at_str_from(date_text), &date, err)) != AT_OK) {
        snprintf(err->where, sizeof err->where, "body.date");
        return rc;
    }
    at_pay_stored keep;
    at_estimate_result est;
    rc = at_pay_estimate(req->store, payee, amount, currency, product, date, &keep, &est, err);
    char *data = NULL;
    size_t length = 0;
    if (rc == AT_OK)
        rc = at_estimate_render(&est, AT_STATEMENT_JSON, &data, &length, err);
    at_pay_stored_free(&keep);
    if (rc != AT_OK)
        return rc;
    reply_owned(res, 200, "application/json", data, length);
    return AT_OK;
}
