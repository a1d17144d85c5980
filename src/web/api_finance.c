/* api_finance.c - what finance reads and does: the month's payroll, accruals, cost of sales per
 * plan component, the closed months, and closing a month (pay_store.h). Money as exact decimal
 * strings in the pay currency named beside it. */
#include <inttypes.h>
#include <string.h>

#include "store/pay_store.h"
#include "web/api.h"

static at_code month_param(const at_web_request *req, const char **month, at_error *err)
{
    *month = at_web_param_get(req, "month");
    return at_web_check_month(*month, "month", err);
}

static at_code no_run(const char *month, at_error *err)
{
    return at_fail(err, AT_ERR_NOT_FOUND, "month", "start a run for it (POST /api/v1/runs)",
                   "no calculation run covers %s", month);
}

at_code at_api_payroll(at_web_request *req, at_web_response *res, at_error *err)
{
    const char *month;
    at_code rc = month_param(req, &month, err);
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
    at_code rc = month_param(req, &month, err);
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
    at_code rc = at_web_check_month(from, "from", err);
    if (rc == AT_OK)
        rc = at_web_check_month(to, "to", err);
    if (rc != AT_OK)
        return rc;
    if (strcmp(from, to) > 0)
        return at_fail(err, AT_ERR_INVALID, "to", NULL, "to (%s) is before from (%s)", to, from);
    at_store_cost_row *rows = NULL;
    size_t count = 0;
    rc = at_store_cost_of_sales(req->store, from, to, req->arena, &rows, &count, err);
    if (rc != AT_OK)
        return rc;
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
