/* api_finance.c - what finance reads and does: the month's payroll, accruals, cost of sales per
 * plan component, the closed months, and closing a month (pay_store.h). Money as exact decimal
 * strings in the pay currency named beside it. Payroll, accruals and cost also come as the CSV
 * files `attain payroll` writes (?format=csv), from the same writers (pay/payroll_csv.h). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "pay/payroll_csv.h"
#include "store/pay_store.h"
#include "web/api.h"

static at_code month_param(const at_web_request *req, const char **month, at_error *err)
{
    *month = at_web_param_get(req, "month");
    return at_web_check_month(*month, "month", err);
}

/* ?format=: csv, or json (the default when absent). Anything else is a 400 naming "format". */
/* Whether an Accept header names text/csv (media types are case-insensitive). */
static bool accepts_csv(const char *accept)
{
    for (const char *p = accept; p && *p; p++)
        if (strncasecmp(p, "text/csv", 8) == 0)
            return true;
    return false;
}

/* CSV when ?format=csv, or without format when the Accept header names text/csv (a script's
 * `curl -H 'Accept: text/csv'`); the query wins over the header. */
static at_code csv_wanted(const at_web_request *req, bool *csv, at_error *err)
{
    const char *format = at_web_query_get(req, "format");
    if (!format) {
        *csv = accepts_csv(req->accept);
        return AT_OK;
    }
    *csv = strcmp(format, "csv") == 0;
    if (!format || *csv || strcmp(format, "json") == 0)
        return AT_OK;
    return at_fail(err, AT_ERR_USAGE, "format", "use format=csv for the CSV file, or leave it out",
                   "unknown format '%.40s'", format);
}

typedef enum { FINANCE_PAYROLL, FINANCE_ACCRUALS, FINANCE_COST } finance_file;

/* Answers the file as `attain payroll` writes it (text/csv, attachment filename), written to
 * memory through the pay layer's writer. rows points at the rows of the file's kind. */
static at_code reply_csv(at_web_request *req, at_web_response *res, finance_file file,
                         const char *month, const void *rows, size_t count,
                         const char *filename, at_error *err)
{
    if (!filename)
        return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory naming the CSV file");
    char *data = NULL;
    size_t length = 0;
    FILE *fp = open_memstream(&data, &length);
    if (!fp)
        return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory writing the CSV file");
    at_csv_writer *w = NULL;
    at_csv_writer_options opts = {.buffer_size = (size_t)64 << 10};
    at_code c = at_csv_writer_open_file(&w, fp, filename, &opts, err);
    if (c == AT_OK) {
        if (file == FINANCE_PAYROLL)
            c = at_pay_payroll_csv(w, month, rows, count, err);
        else if (file == FINANCE_ACCRUALS)
            c = at_pay_accruals_csv(w, month, rows, count, err);
        else
            c = at_pay_cost_csv(w, rows, count, err);
        at_error close_err;
        at_code cc = at_csv_writer_close(w, &close_err);
        if (c == AT_OK && cc != AT_OK) {
            c = cc;
            *err = close_err;
        }
    }
    if (fclose(fp) != 0 && c == AT_OK)
        c = at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory writing the CSV file");
    if (c != AT_OK) {
        free(data);
        return c;
    }
    free(res->body);
    res->body = data; /* malloc'ed by open_memstream: the server frees it */
    res->length = length;
    res->status = 200;
    res->content_type = "text/csv; charset=utf-8";
    res->disposition = at_arena_printf(req->arena, "attachment; filename=\"%s\"", filename);
    return AT_OK;
}

static at_code no_run(const char *month, at_error *err)
{
    return at_fail(err, AT_ERR_NOT_FOUND, "month", "start a run for it (POST /api/v1/runs)",
                   "no calculation run covers %s", month);
}

at_code at_api_payroll(at_web_request *req, at_web_response *res, at_error *err)
{
    const char *month;
    bool csv = false;
    at_code rc = month_param(req, &month, err);
    if (rc == AT_OK)
        rc = csv_wanted(req, &csv, err);
    if (rc != AT_OK)
        return rc;
    int64_t run_id = 0;
    bool found = false;
    at_store_payroll_row *rows = NULL;
    size_t count = 0;
    rc = at_store_payroll(req->store, month, &run_id, &found, req->arena, &rows, &count, err);
    if (rc != AT_OK)
        return rc;
    if (!found)
        return no_run(month, err);
    if (csv)
        return reply_csv(req, res, FINANCE_PAYROLL, month, rows, count,
                         at_arena_printf(req->arena, "payroll-%s.csv", month), err);
    json_t *items = json_array();
    for (size_t i = 0; i < count; i++) {
        const at_store_payroll_row *r = &rows[i];
        json_t *o = json_object();
        json_object_set_new(o, "person", json_string(r->person_id));
        json_object_set_new(o, "name", at_web_json_str(r->name));
        json_object_set_new(o, "currency", at_web_json_str(r->currency));
        json_object_set_new(o, "amount", at_web_json_money(r->amount));
        json_object_set_new(o, "earned", at_web_json_money(r->earned));
        json_t *lines = json_array();
        for (size_t k = 0; k < r->line_count; k++) {
            json_t *l = json_object();
            json_object_set_new(l, "key", at_web_json_str(r->lines[k].key));
            json_object_set_new(l, "kind", at_web_json_str(r->lines[k].kind));
            json_object_set_new(l, "amount", at_web_json_money(r->lines[k].amount));
            json_array_append_new(lines, l);
        }
        json_object_set_new(o, "lines", lines);
        json_array_append_new(items, o);
    }
    json_t *o = json_object();
    json_object_set_new(o, "month", json_string(month));
    json_object_set_new(o, "run", json_integer(run_id));
    json_object_set_new(o, "items", items);
    return at_web_reply_json(res, 200, o, err);
}

at_code at_api_accruals(at_web_request *req, at_web_response *res, at_error *err)
{
    const char *month;
    bool csv = false;
    at_code rc = month_param(req, &month, err);
    if (rc == AT_OK)
        rc = csv_wanted(req, &csv, err);
    if (rc != AT_OK)
        return rc;
    int64_t run_id = 0;
    bool found = false;
    at_store_accrual_row *rows = NULL;
    size_t count = 0;
    rc = at_store_accruals(req->store, month, &run_id, &found, req->arena, &rows, &count, err);
    if (rc != AT_OK)
        return rc;
    if (!found)
        return no_run(month, err);
    if (csv)
        return reply_csv(req, res, FINANCE_ACCRUALS, month, rows, count,
                         at_arena_printf(req->arena, "accruals-%s.csv", month), err);
    json_t *items = json_array();
    for (size_t i = 0; i < count; i++) {
        const at_store_accrual_row *r = &rows[i];
        json_t *o = json_object();
        json_object_set_new(o, "person", json_string(r->person_id));
        json_object_set_new(o, "name", at_web_json_str(r->name));
        json_object_set_new(o, "currency", at_web_json_str(r->currency));
        json_object_set_new(o, "earned_ytd", at_web_json_money(r->earned_ytd));
        json_object_set_new(o, "paid_ytd", at_web_json_money(r->paid_ytd));
        json_object_set_new(o, "accrued", at_web_json_money(r->accrued));
        json_object_set_new(o, "draw_balance", at_web_json_money(r->draw_balance));
        json_array_append_new(items, o);
    }
    json_t *o = json_object();
    json_object_set_new(o, "month", json_string(month));
    json_object_set_new(o, "run", json_integer(run_id));
    json_object_set_new(o, "items", items);
    return at_web_reply_json(res, 200, o, err);
}

at_code at_api_cost(at_web_request *req, at_web_response *res, at_error *err)
{
    const char *from = at_web_query_get(req, "from"), *to = at_web_query_get(req, "to");
    bool csv = false;
    at_code rc = at_web_check_month(from, "from", err);
    if (rc == AT_OK)
        rc = at_web_check_month(to, "to", err);
    if (rc == AT_OK)
        rc = csv_wanted(req, &csv, err);
    if (rc != AT_OK)
        return rc;
    if (strcmp(from, to) > 0)
        return at_fail(err, AT_ERR_INVALID, "to", NULL, "to (%s) is before from (%s)", to, from);
    at_store_cost_row *rows = NULL;
    size_t count = 0;
    rc = at_store_cost_of_sales(req->store, from, to, req->arena, &rows, &count, err);
    if (rc != AT_OK)
        return rc;
    if (csv)
        return reply_csv(req, res, FINANCE_COST, NULL, rows, count,
                         strcmp(from, to) == 0
                             ? at_arena_printf(req->arena, "cost-%s.csv", from)
                             : at_arena_printf(req->arena, "cost-%s-%s.csv", from, to),
                         err);
    json_t *items = json_array();
    for (size_t i = 0; i < count; i++) {
        const at_store_cost_row *r = &rows[i];
        json_t *o = json_object();
        json_object_set_new(o, "month", at_web_json_str(r->month));
        json_object_set_new(o, "plan", at_web_json_str(r->plan));
        json_object_set_new(o, "component", at_web_json_str(r->component));
        json_object_set_new(o, "kind", at_web_json_str(r->kind));
        json_object_set_new(o, "currency", at_web_json_str(r->currency));
        json_object_set_new(o, "amount", at_web_json_money(r->amount));
        json_object_set_new(o, "earned", at_web_json_money(r->earned));
        json_object_set_new(o, "people", json_integer(r->people));
        json_array_append_new(items, o);
    }
    json_t *o = json_object();
    json_object_set_new(o, "from", json_string(from));
    json_object_set_new(o, "to", json_string(to));
    json_object_set_new(o, "items", items);
    return at_web_reply_json(res, 200, o, err);
}

at_code at_api_periods_list(at_web_request *req, at_web_response *res, at_error *err)
{
    at_store_closed_period *rows = NULL;
    size_t count = 0;
    at_code rc = at_store_closed_list(req->store, req->arena, &rows, &count, err);
    if (rc != AT_OK)
        return rc;
    json_t *items = json_array();
    for (size_t i = 0; i < count; i++) {
        json_t *o = json_object();
        json_object_set_new(o, "month", at_web_json_str(rows[i].month));
        json_object_set_new(o, "closed_at", at_web_json_time(rows[i].closed_at));
        json_object_set_new(o, "closed_by", at_web_json_str(rows[i].closed_by));
        json_object_set_new(o, "reason", at_web_json_str(rows[i].reason));
        json_object_set_new(o, "run", json_integer(rows[i].run_id));
        json_object_set_new(o, "lines", json_integer(rows[i].lines));
        json_array_append_new(items, o);
    }
    return at_api_reply_page(res, items, NULL, err);
}

at_code at_api_period_close(at_web_request *req, at_web_response *res, at_error *err)
{
    const char *month;
    at_code rc = month_param(req, &month, err);
    if (rc != AT_OK)
        return rc;
    json_t *body;
    rc = at_web_body_object(req, &body, err);
    if (rc != AT_OK)
        return rc;
    const char *reason;
    rc = at_web_body_string(body, "reason", false, 1000, &reason, err);
    if (rc != AT_OK)
        return rc;
    int64_t run_id = 0;
    rc = at_store_period_close(req->store, month, req->actor, reason, &run_id, err);
    if (rc != AT_OK)
        return rc;
    json_t *o = json_object();
    json_object_set_new(o, "month", json_string(month));
    json_object_set_new(o, "run", json_integer(run_id));
    json_object_set_new(o, "closed_by", json_string(req->actor));
    return at_web_reply_json(res, 200, o, err);
}
