/* api_workflows.c - the workflow routes for disputes, manual adjustments, approvals, the
 * approval threshold and plan changes (docs/api.md "Workflows"). The dispatcher has decided
 * access from the route table (the payee in the path or body, or the list's scope); the rules
 * of each workflow (states, segregation of duties) are the store's (workflow_store.h). Money
 * goes over the wire as decimal strings in the currency beside it. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "plan/plan.h"
#include "store/workflow_store.h"
#include "web/api.h"
#include "web/api_workflows.h"

/* ---- shared with api_workflows_accept.c --------------------------------------------------- */

at_code at_api_wf_filter(at_web_request *req, const char *month_param, at_wf_filter *f,
                         at_error *err)
{
    memset(f, 0, sizeof *f);
    f->scope = req->scope;
    size_t limit;
    at_code rc = at_api_limit(req, &limit, err);
    if (rc != AT_OK)
        return rc;
    f->limit = limit;
    rc = at_web_query_int(req, "before", 0, INT64_MAX, 0, &f->before, err);
    if (rc != AT_OK)
        return rc;
    f->status = at_web_query_get(req, "status");
    f->month = at_web_query_get(req, month_param);
    const char *payee = at_web_query_get(req, "payee");
    if (payee) {
        bool found = false;
        rc = at_web_person_id(req->store, payee, &f->person_id, &found, err);
        if (rc != AT_OK)
            return rc;
        if (!found)
            f->person_id = -1; /* nobody: an empty list */
    }
    return AT_OK;
}

at_code at_api_wf_money(json_t *body, const char *name, const char *field, bool required,
                        bool *present, at_money *out, at_error *err)
{
    *out = 0;
    if (present)
        *present = false;
    const char *text = NULL;
    at_code rc = at_web_body_string(body, name, required, 64, &text, err);
    if (rc != AT_OK || !text)
        return rc;
    at_error e;
    if (at_money_parse(at_str_from(text), out, &e) != AT_OK)
        return at_fail(err, AT_ERR_INVALID, field, "write money as a decimal string: \"250.00\"",
                       "%s: %s", name, e.message);
    if (present)
        *present = true;
    return AT_OK;
}

at_code at_api_wf_reply_store_error(at_web_response *res, at_code rc, const at_error *err)
{
    /* segregation of duties is a refusal, not a conflict of states */
    if (rc == AT_ERR_CONFLICT && strcmp(err->where, "approver") == 0) {
        at_web_reply_problem(res, 403, "forbidden", err->message, "approver");
        return AT_OK;
    }
    return rc;
}

static json_t *money_or_null(bool present, at_money m)
{
    return present ? at_web_json_money(m) : json_null();
}

/* ---- JSON shapes ------------------------------------------------------------------------------ */

static json_t *adjustment_json(const at_wf_adjustment *a)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(a->id));
    json_object_set_new(o, "payee", json_string(a->person));
    json_object_set_new(o, "payee_name", json_string(a->person_name));
    json_object_set_new(o, "month", at_web_json_str(a->month));
    json_object_set_new(o, "amount", at_web_json_money(a->amount));
    json_object_set_new(o, "currency", at_web_json_str(a->currency));
    json_object_set_new(o, "reason", at_web_json_str(a->reason));
    json_object_set_new(o, "status", at_web_json_str(a->status));
    json_object_set_new(o, "needs_approval", json_boolean(a->needs_approval));
    json_object_set_new(o, "dispute", a->dispute_id ? json_integer(a->dispute_id) : json_null());
    json_object_set_new(o, "created_at", at_web_json_time(a->created_at));
    json_object_set_new(o, "created_by", at_web_json_str(a->created_by));
    json_object_set_new(o, "decided_at", at_web_json_time(a->decided_at));
    json_object_set_new(o, "decided_by", at_web_json_str(a->decided_by));
    json_object_set_new(o, "note", at_web_json_str(a->note));
    return o;
}

static at_code dispute_json(at_web_request *req, const at_wf_dispute *d, bool with_messages,
                            json_t **out, at_error *err)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(d->id));
    json_object_set_new(o, "payee", json_string(d->person));
    json_object_set_new(o, "payee_name", json_string(d->person_name));
    json_object_set_new(o, "month", at_web_json_str(d->month));
    json_object_set_new(o, "line_key", at_web_json_str(d->line_key));
    json_object_set_new(o, "comment", at_web_json_str(d->comment));
    json_object_set_new(o, "status", at_web_json_str(d->status));
    json_object_set_new(o, "outcome", at_web_json_str(d->outcome));
    json_object_set_new(o, "raised_at", at_web_json_time(d->raised_at));
    json_object_set_new(o, "raised_by", at_web_json_str(d->raised_by));
    json_object_set_new(o, "updated_at", at_web_json_time(d->updated_at));
    json_object_set_new(o, "resolution", at_web_json_str(d->resolution));
    json_object_set_new(o, "resolved_at", at_web_json_time(d->resolved_at));
    json_object_set_new(o, "resolved_by", at_web_json_str(d->resolved_by));
    json_t *adj = json_null();
    if (d->adjustment_id) {
        at_wf_adjustment a;
        bool found = false;
        at_code rc = at_wf_adjustment_get(req->store, d->adjustment_id, req->arena, &a, &found,
                                          err);
        if (rc != AT_OK) {
            json_decref(o);
            return rc;
        }
        if (found) {
            adj = json_object();
            json_object_set_new(adj, "id", json_integer(a.id));
            json_object_set_new(adj, "amount", at_web_json_money(a.amount));
            json_object_set_new(adj, "currency", at_web_json_str(a.currency));
            json_object_set_new(adj, "month", at_web_json_str(a.month));
            json_object_set_new(adj, "status", at_web_json_str(a.status));
        }
    }
    json_object_set_new(o, "adjustment", adj);
    if (with_messages) {
        json_t *m = json_array();
        for (size_t i = 0; i < d->message_count; i++) {
            json_t *x = json_object();
            json_object_set_new(x, "at", at_web_json_time(d->messages[i].at));
            json_object_set_new(x, "author", at_web_json_str(d->messages[i].author));
            json_object_set_new(x, "side", at_web_json_str(d->messages[i].side));
            json_object_set_new(x, "text", at_web_json_str(d->messages[i].text));
            json_array_append_new(m, x);
        }
        json_object_set_new(o, "messages", m);
    }
    *out = o;
    return AT_OK;
}

static json_t *plan_change_json(const at_wf_plan_change *c)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(c->id));
    json_object_set_new(o, "name", at_web_json_str(c->name));
    json_object_set_new(o, "sha256", at_web_json_str(c->sha256));
    json_object_set_new(o, "effective_from", at_web_json_day(c->effective_from));
    json_object_set_new(o, "effective_to", at_web_json_day(c->effective_to));
    json_object_set_new(o, "status", at_web_json_str(c->status));
    json_object_set_new(o, "submitted_at", at_web_json_time(c->submitted_at));
    json_object_set_new(o, "submitted_by", at_web_json_str(c->submitted_by));
    json_object_set_new(o, "reason", at_web_json_str(c->reason));
    json_object_set_new(o, "decided_at", at_web_json_time(c->decided_at));
    json_object_set_new(o, "decided_by", at_web_json_str(c->decided_by));
    json_object_set_new(o, "note", at_web_json_str(c->note));
    json_object_set_new(o, "version", c->version ? json_integer(c->version) : json_null());
    json_object_set_new(o, "latest", c->latest ? json_integer(c->latest) : json_null());
    return o;
}

/* ---- disputes ------------------------------------------------------------------------------- */

typedef struct list_ctx {
    at_web_request *req;
    json_t *items;
    int64_t last;
} list_ctx;

static at_code add_dispute(void *ctx, const at_wf_dispute *d, at_error *err)
{
    list_ctx *l = ctx;
    json_t *o;
    at_code rc = dispute_json(l->req, d, false, &o, err);
    if (rc != AT_OK)
        return rc;
    json_array_append_new(l->items, o);
    l->last = d->id;
    return AT_OK;
}

static at_code reply_list(at_web_response *res, list_ctx *l, bool more, at_error *err)
{
    return at_api_reply_page(res, l->items, more ? json_integer(l->last) : NULL, err);
}

at_code at_api_disputes_list(at_web_request *req, at_web_response *res, at_error *err)
{
    at_wf_filter f;
    at_code rc = at_api_wf_filter(req, "month", &f, err);
    if (rc != AT_OK)
        return rc;
    list_ctx l = {.req = req, .items = json_array()};
    bool more = false;
    if (f.person_id >= 0)
        rc = at_wf_dispute_each(req->store, &f, add_dispute, &l, &more, err);
    if (rc != AT_OK) {
        json_decref(l.items);
        return rc;
    }
    return reply_list(res, &l, more, err);
}

static at_code reply_dispute(at_web_request *req, at_web_response *res, int status, int64_t id,
                             at_error *err)
{
    at_wf_dispute d;
    bool found = false;
    at_code rc = at_wf_dispute_get(req->store, id, req->person_id, req->arena, &d, &found, err);
    if (rc != AT_OK)
        return rc;
    if (!found)
        return at_fail(err, AT_ERR_NOT_FOUND, "id", "list them with GET /api/v1/disputes",
                       "%s has no dispute %" PRId64, at_web_param_get(req, "payee"), id);
    json_t *o;
    rc = dispute_json(req, &d, true, &o, err);
    if (rc != AT_OK)
        return rc;
    return at_web_reply_json(res, status, o, err);
}

at_code at_api_dispute_raise(at_web_request *req, at_web_response *res, at_error *err)
{
    json_t *body;
    at_code rc = at_web_body_object(req, &body, err);
    const char *month = NULL, *line_key = NULL, *comment = NULL;
    if (rc == AT_OK)
        rc = at_web_body_string(body, "month", true, 16, &month, err);
    if (rc == AT_OK)
        rc = at_web_body_string(body, "line_key", true, 512, &line_key, err);
    if (rc == AT_OK)
        rc = at_web_body_string(body, "comment", true, 4000, &comment, err);
    if (rc != AT_OK)
        return rc;
    int64_t id = 0;
    rc = at_wf_dispute_raise(req->store, req->person_id, month, line_key, comment, req->actor,
                             &id, err);
    if (rc != AT_OK)
        return rc;
    return reply_dispute(req, res, 201, id, err);
}

at_code at_api_dispute_get(at_web_request *req, at_web_response *res, at_error *err)
{
    int64_t id;
    at_code rc = at_api_id_param(req, "id", &id, err);
    if (rc != AT_OK)
        return rc;
    return reply_dispute(req, res, 200, id, err);
}

at_code at_api_dispute_message(at_web_request *req, at_web_response *res, at_error *err)
{
    int64_t id;
    at_code rc = at_api_id_param(req, "id", &id, err);
    json_t *body = NULL;
    const char *text = NULL;
    if (rc == AT_OK)
        rc = at_web_body_object(req, &body, err);
    if (rc == AT_OK)
        rc = at_web_body_string(body, "text", true, 4000, &text, err);
    if (rc != AT_OK)
        return rc;
    /* the payee and their manager write from the payee's side; ops and admin answer */
    bool from_ops = req->user->role == AT_ROLE_ADMIN || req->user->role == AT_ROLE_SALES_OPS;
    rc = at_wf_dispute_message(req->store, id, req->person_id, from_ops, text, req->actor, err);
    if (rc != AT_OK)
        return rc;
    return reply_dispute(req, res, 200, id, err);
}

at_code at_api_dispute_resolve(at_web_request *req, at_web_response *res, at_error *err)
{
    int64_t id;
    at_code rc = at_api_id_param(req, "id", &id, err);
    json_t *body = NULL;
    at_wf_resolution r = {0};
    if (rc == AT_OK)
        rc = at_web_body_object(req, &body, err);
    if (rc == AT_OK)
        rc = at_web_body_string(body, "resolution", true, 4000, &r.text, err);
    if (rc != AT_OK)
        return rc;
    json_t *adj = json_object_get(body, "adjustment");
    if (adj && !json_is_null(adj)) {
        if (!json_is_object(adj))
            return at_fail(err, AT_ERR_INVALID, "body.adjustment", NULL,
                           "adjustment must be an object: {\"amount\":\"250.00\"}");
        r.adjust = true;
        rc = at_api_wf_money(adj, "amount", "body.adjustment.amount", true, NULL, &r.amount, err);
        if (rc == AT_OK)
            rc = at_web_body_string(adj, "month", false, 16, &r.month, err);
        if (rc == AT_OK)
            rc = at_web_body_string(adj, "reason", false, 1000, &r.reason, err);
        if (rc != AT_OK) {
            if (strncmp(err->where, "body.", 5) == 0 && strncmp(err->where, "body.adj", 8) != 0)
                at_fail(err, err->code, at_arena_printf(req->arena, "body.adjustment.%s",
                                                        err->where + 5),
                        err->hint[0] ? err->hint : NULL, "%s", err->message);
            return rc;
        }
    }
    int64_t adj_id = 0;
    rc = at_wf_dispute_resolve(req->store, id, req->person_id, &r, req->actor, &adj_id, NULL,
                               err);
    if (rc != AT_OK)
        return rc;
    return reply_dispute(req, res, 200, id, err);
}

/* ---- adjustments ---------------------------------------------------------------------------- */

static at_code add_adjustment(void *ctx, const at_wf_adjustment *a, at_error *err)
{
    (void)err;
    list_ctx *l = ctx;
    json_array_append_new(l->items, adjustment_json(a));
    l->last = a->id;
    return AT_OK;
}

at_code at_api_adjustments_list(at_web_request *req, at_web_response *res, at_error *err)
{
    at_wf_filter f;
    at_code rc = at_api_wf_filter(req, "month", &f, err);
    if (rc != AT_OK)
        return rc;
    list_ctx l = {.req = req, .items = json_array()};
    bool more = false;
    if (f.person_id >= 0)
        rc = at_wf_adjustment_each(req->store, &f, add_adjustment, &l, &more, err);
    if (rc != AT_OK) {
        json_decref(l.items);
        return rc;
    }
    return reply_list(res, &l, more, err);
}

static at_code reply_adjustment(at_web_request *req, at_web_response *res, int status,
                                int64_t id, at_error *err)
{
    at_wf_adjustment a;
    bool found = false;
    at_code rc = at_wf_adjustment_get(req->store, id, req->arena, &a, &found, err);
    if (rc != AT_OK)
        return rc;
    if (!found)
        return at_fail(err, AT_ERR_NOT_FOUND, "id", NULL, "there is no adjustment %" PRId64, id);
    return at_web_reply_json(res, status, adjustment_json(&a), err);
}

at_code at_api_adjustment_add(at_web_request *req, at_web_response *res, at_error *err)
{
    json_t *body;
    at_code rc = at_web_body_object(req, &body, err);
    at_wf_adjustment_new a = {.person_id = req->person_id};
    if (rc == AT_OK)
        rc = at_web_body_string(body, "month", true, 16, &a.month, err);
    if (rc == AT_OK)
        rc = at_api_wf_money(body, "amount", "body.amount", true, NULL, &a.amount, err);
    if (rc == AT_OK)
        rc = at_web_body_string(body, "reason", true, 1000, &a.reason, err);
    if (rc == AT_OK)
        rc = at_web_body_string(body, "currency", false, 8, &a.currency, err);
    if (rc != AT_OK)
        return rc;
    int64_t id = 0;
    rc = at_wf_adjustment_add(req->store, &a, req->actor, &id, NULL, err);
    if (rc != AT_OK) {
        if (strncmp(err->where, "body.", 5) != 0 && err->where[0] &&
            strcmp(err->where, "payee") != 0)
            at_error_prefix_where(err, "body");
        return rc;
    }
    return reply_adjustment(req, res, 201, id, err);
}

/* {"decision":"approve"|"reject","note":...} */
static at_code decision_of(at_web_request *req, bool *approve, const char **note, at_error *err)
{
    json_t *body;
    const char *d = NULL;
    at_code rc = at_web_body_object(req, &body, err);
    if (rc == AT_OK)
        rc = at_web_body_string(body, "decision", true, 16, &d, err);
    if (rc == AT_OK)
        rc = at_web_body_string(body, "note", false, 1000, note, err);
    if (rc != AT_OK)
        return rc;
    if (strcmp(d, "approve") == 0)
        *approve = true;
    else if (strcmp(d, "reject") == 0)
        *approve = false;
    else
        return at_fail(err, AT_ERR_INVALID, "body.decision", "write approve or reject",
                       "'%.20s' is not a decision", d);
    return AT_OK;
}

at_code at_api_adjustment_decide(at_web_request *req, at_web_response *res, at_error *err)
{
    int64_t id;
    at_code rc = at_api_id_param(req, "id", &id, err);
    bool approve = false;
    const char *note = NULL;
    if (rc == AT_OK)
        rc = decision_of(req, &approve, &note, err);
    if (rc != AT_OK)
        return rc;
    rc = at_wf_adjustment_decide(req->store, id, approve, note, req->actor, err);
    if (rc != AT_OK)
        return at_api_wf_reply_store_error(res, rc, err);
    return reply_adjustment(req, res, 200, id, err);
}

/* ---- approvals and the threshold ------------------------------------------------------------- */

typedef struct approvals_ctx {
    at_web_request *req;
    json_t *items;
} approvals_ctx;

static at_code add_pending_adjustment(void *ctx, const at_wf_adjustment *a, at_error *err)
{
    (void)err;
    approvals_ctx *c = ctx;
    char amount[AT_MONEY_TEXT_MAX];
    at_money_format(a->amount, amount, sizeof amount);
    json_t *o = json_object();
    json_object_set_new(o, "kind", json_string("adjustment"));
    json_object_set_new(o, "id", json_integer(a->id));
    json_object_set_new(o, "made_by", at_web_json_str(a->created_by));
    json_object_set_new(o, "made_at", at_web_json_time(a->created_at));
    json_object_set_new(o, "yours", json_boolean(a->created_by &&
                                                 strcmp(a->created_by, c->req->actor) == 0));
    json_object_set_new(o, "summary",
                        json_string(at_arena_printf(c->req->arena, "%s %s to %s in %s: %s", amount,
                                                    a->currency ? a->currency : "", a->person,
                                                    a->month ? a->month : "",
                                                    a->reason ? a->reason : "")));
    json_object_set_new(o, "adjustment", adjustment_json(a));
    json_array_append_new(c->items, o);
    return AT_OK;
}

static at_code add_pending_plan(void *ctx, const at_wf_plan_change *p, at_error *err)
{
    (void)err;
    approvals_ctx *c = ctx;
    json_t *o = json_object();
    json_object_set_new(o, "kind", json_string("plan_change"));
    json_object_set_new(o, "id", json_integer(p->id));
    json_object_set_new(o, "made_by", at_web_json_str(p->submitted_by));
    json_object_set_new(o, "made_at", at_web_json_time(p->submitted_at));
    json_object_set_new(o, "yours", json_boolean(p->submitted_by &&
                                                 strcmp(p->submitted_by, c->req->actor) == 0));
    json_object_set_new(
        o, "summary",
        json_string(p->latest ? at_arena_printf(c->req->arena, "%s: a new version (now %d)",
                                                p->name, p->latest)
                              : at_arena_printf(c->req->arena, "%s: a new plan", p->name)));
    json_object_set_new(o, "plan_change", plan_change_json(p));
    json_array_append_new(c->items, o);
    return AT_OK;
}

static int by_made_at(const void *a, const void *b)
{
    json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
    const char *tx = json_string_value(json_object_get(x, "made_at"));
    const char *ty = json_string_value(json_object_get(y, "made_at"));
    int c = strcmp(tx ? tx : "", ty ? ty : "");
    if (c)
        return c;
    c = strcmp(json_string_value(json_object_get(x, "kind")),
               json_string_value(json_object_get(y, "kind")));
    if (c)
        return c;
    json_int_t ix = json_integer_value(json_object_get(x, "id"));
    json_int_t iy = json_integer_value(json_object_get(y, "id"));
    return ix < iy ? -1 : ix > iy;
}

at_code at_api_approvals(at_web_request *req, at_web_response *res, at_error *err)
{
    approvals_ctx c = {.req = req, .items = json_array()};
    at_wf_filter f = {.scope = {.kind = AT_SCOPE_EVERYONE}, .status = "pending"};
    at_code rc = at_wf_adjustment_each(req->store, &f, add_pending_adjustment, &c, NULL, err);
    if (rc == AT_OK)
        rc = at_wf_plan_change_each(req->store, &f, add_pending_plan, &c, NULL, err);
    at_money threshold = 0;
    bool set = false;
    if (rc == AT_OK)
        rc = at_wf_threshold_get(req->store, &threshold, &set, NULL, NULL, err);
    if (rc != AT_OK) {
        json_decref(c.items);
        return rc;
    }
    size_t n = json_array_size(c.items);
    json_t **sorted = n ? at_arena_calloc(req->arena, n, sizeof *sorted) : NULL;
    if (n && !sorted) {
        json_decref(c.items);
        return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory");
    }
    for (size_t i = 0; i < n; i++)
        sorted[i] = json_incref(json_array_get(c.items, i));
    if (n)
        qsort(sorted, n, sizeof *sorted, by_made_at);
    json_t *items = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(items, sorted[i]);
    json_decref(c.items);
    json_t *o = json_object();
    json_object_set_new(o, "items", items);
    json_object_set_new(o, "threshold", money_or_null(set, threshold));
    return at_web_reply_json(res, 200, o, err);
}

static at_code reply_settings(at_web_request *req, at_web_response *res, at_error *err)
{
    at_money threshold = 0;
    bool set = false;
    at_time at = 0;
    char by[96];
    at_code rc = at_wf_threshold_get(req->store, &threshold, &set, &at, by, err);
    if (rc != AT_OK)
        return rc;
    json_t *o = json_object();
    json_object_set_new(o, "approval_threshold", money_or_null(set, threshold));
    json_object_set_new(o, "set_at", at_web_json_time(at));
    json_object_set_new(o, "set_by", by[0] ? json_string(by) : json_null());
    return at_web_reply_json(res, 200, o, err);
}

at_code at_api_approval_settings_get(at_web_request *req, at_web_response *res, at_error *err)
{
    return reply_settings(req, res, err);
}

at_code at_api_approval_settings_set(at_web_request *req, at_web_response *res, at_error *err)
{
    json_t *body;
    at_code rc = at_web_body_object(req, &body, err);
    at_money threshold = 0;
    const char *reason = NULL;
    if (rc == AT_OK)
        rc = at_api_wf_money(body, "approval_threshold", "body.approval_threshold", true, NULL,
                             &threshold, err);
    if (rc == AT_OK)
        rc = at_web_body_string(body, "reason", false, 1000, &reason, err);
    if (rc == AT_OK)
        rc = at_wf_threshold_set(req->store, threshold, req->actor, reason, err);
    if (rc != AT_OK) {
        if (rc == AT_ERR_INVALID && strncmp(err->where, "body.", 5) != 0)
            at_error_prefix_where(err, "body");
        return rc;
    }
    return reply_settings(req, res, err);
}

/* ---- plan changes --------------------------------------------------------------------------- */

static json_t *problem_json(const at_error *e)
{
    char buf[AT_ERROR_WHERE_MAX + AT_ERROR_MESSAGE_MAX + AT_ERROR_HINT_MAX + 32];
    at_error_format(e, buf, sizeof buf);
    json_t *o = json_object();
    json_object_set_new(o, "code", json_string(at_code_name(e->code)));
    json_object_set_new(o, "where", json_string(e->where));
    json_object_set_new(o, "message", json_string(e->message));
    json_object_set_new(o, "hint", e->hint[0] ? json_string(e->hint) : json_null());
    json_object_set_new(o, "text", json_string(buf));
    return o;
}

static at_code reply_plan_change(at_web_request *req, at_web_response *res, int status,
                                 int64_t id, bool with_source, at_error *err)
{
    at_wf_plan_change c;
    bool found = false;
    at_code rc = at_wf_plan_change_get(req->store, id, req->arena, &c, &found, err);
    if (rc != AT_OK)
        return rc;
    if (!found)
        return at_fail(err, AT_ERR_NOT_FOUND, "id", "list them with GET /api/v1/plan-changes",
                       "there is no plan change %" PRId64, id);
    json_t *o = plan_change_json(&c);
    if (with_source)
        json_object_set_new(o, "source", at_web_json_str(c.source));
    return at_web_reply_json(res, status, o, err);
}

at_code at_api_plan_submit(at_web_request *req, at_web_response *res, at_error *err)
{
    json_t *body;
    at_code rc = at_web_body_object(req, &body, err);
    const char *source = NULL, *reason = NULL, *file = NULL;
    if (rc == AT_OK)
        rc = at_web_body_string(body, "source", true, 1 << 20, &source, err);
    if (rc == AT_OK)
        rc = at_web_body_string(body, "reason", false, 1000, &reason, err);
    /* the uploaded file's name, so that problems read file:line:column as the CLI's do */
    if (rc == AT_OK)
        rc = at_web_body_string(body, "file", false, 128, &file, err);
    if (rc == AT_OK && file && (!file[0] || strpbrk(file, "/\\")))
        rc = at_fail(err, AT_ERR_INVALID, "body.file", "give the file's name without a folder",
                     "'%.128s' is not a file name", file);
    if (rc != AT_OK)
        return rc;
    at_error_list problems;
    at_error_list_init(&problems, 100);
    at_plan *plan = NULL;
    rc = at_plan_read(source, strlen(source), file ? file : "source", req->arena, &plan,
                      &problems, err);
    if (rc == AT_ERR_INVALID && problems.total > 0) {
        json_t *list = json_array();
        for (size_t i = 0; i < problems.count; i++)
            json_array_append_new(list, problem_json(&problems.items[i]));
        json_t *e = json_object();
        json_object_set_new(e, "code", json_string("invalid"));
        json_object_set_new(
            e, "message",
            json_string(at_arena_printf(req->arena,
                                        "the plan has %zu problem%s; nothing was stored",
                                        problems.total, problems.total == 1 ? "" : "s")));
        json_object_set_new(e, "field", json_string("body.source"));
        json_t *o = json_object();
        json_object_set_new(o, "error", e);
        json_object_set_new(o, "problems", list);
        json_object_set_new(o, "problems_total", json_integer((json_int_t)problems.total));
        at_error_list_free(&problems);
        return at_web_reply_json(res, 422, o, err);
    }
    at_error_list_free(&problems);
    if (rc != AT_OK)
        return rc;
    int64_t id = 0;
    rc = at_wf_plan_submit(req->store, plan->name, plan->source, plan->source_length,
                           plan->sha256, plan->effective_from, plan->effective_to, req->actor,
                           reason, &id, err);
    if (rc != AT_OK)
        return rc;
    return reply_plan_change(req, res, 201, id, false, err);
}

static at_code add_plan_change(void *ctx, const at_wf_plan_change *p, at_error *err)
{
    (void)err;
    list_ctx *l = ctx;
    json_array_append_new(l->items, plan_change_json(p));
    l->last = p->id;
    return AT_OK;
}

at_code at_api_plan_changes_list(at_web_request *req, at_web_response *res, at_error *err)
{
    at_wf_filter f;
    at_code rc = at_api_wf_filter(req, "month", &f, err);
    if (rc != AT_OK)
        return rc;
    list_ctx l = {.req = req, .items = json_array()};
    bool more = false;
    rc = at_wf_plan_change_each(req->store, &f, add_plan_change, &l, &more, err);
    if (rc != AT_OK) {
        json_decref(l.items);
        return rc;
    }
    return reply_list(res, &l, more, err);
}

at_code at_api_plan_change_get(at_web_request *req, at_web_response *res, at_error *err)
{
    int64_t id;
    at_code rc = at_api_id_param(req, "id", &id, err);
    if (rc != AT_OK)
        return rc;
    return reply_plan_change(req, res, 200, id, true, err);
}

at_code at_api_plan_change_decide(at_web_request *req, at_web_response *res, at_error *err)
{
    int64_t id;
    at_code rc = at_api_id_param(req, "id", &id, err);
    bool approve = false;
    const char *note = NULL;
    if (rc == AT_OK)
        rc = decision_of(req, &approve, &note, err);
    if (rc != AT_OK)
        return rc;
    int version = 0;
    rc = at_wf_plan_decide(req->store, id, approve, note, req->actor, &version, err);
    if (rc != AT_OK)
        return at_api_wf_reply_store_error(res, rc, err);
    return reply_plan_change(req, res, 200, id, false, err);
}
