/* api_workflows_accept.c - the workflow routes for acceptance of plan and quota terms, the
 * distribution with each person's acceptance status, and change requests (docs/api.md
 * "Acceptance and change requests"). Access is the dispatcher's; the rules the store's
 * (workflow_store.h). */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "web/api.h"
#include "web/api_workflows.h"

static json_t *terms_json(const at_wf_terms *t)
{
    json_t *plans = json_array();
    for (size_t i = 0; i < t->plan_count; i++) {
        const at_wf_term_plan *p = &t->plans[i];
        json_t *o = json_object();
        json_object_set_new(o, "assignment", at_web_json_str(p->assignment));
        json_object_set_new(o, "plan", at_web_json_str(p->plan));
        json_object_set_new(o, "version", p->version ? json_integer(p->version) : json_null());
        json_object_set_new(o, "sha256", at_web_json_str(p->sha256));
        json_object_set_new(o, "from", at_web_json_day(p->from));
        json_object_set_new(o, "to", at_web_json_day(p->to));
        json_array_append_new(plans, o);
    }
    json_t *quotas = json_array();
    for (size_t i = 0; i < t->quota_count; i++) {
        const at_wf_term_quota *q = &t->quotas[i];
        json_t *o = json_object();
        json_object_set_new(o, "measure", at_web_json_str(q->measure));
        json_object_set_new(o, "period", at_web_json_str(q->period));
        json_object_set_new(o, "amount", at_web_json_money(q->amount));
        json_object_set_new(o, "currency", at_web_json_str(q->currency));
        json_array_append_new(quotas, o);
    }
    json_t *o = json_object();
    json_object_set_new(o, "period", at_web_json_str(t->period));
    json_object_set_new(o, "plans", plans);
    json_object_set_new(o, "quotas", quotas);
    return o;
}

static json_t *acceptance_json(const char *payee, const at_wf_terms *t)
{
    json_t *o = json_object();
    json_object_set_new(o, "payee", json_string(payee));
    json_object_set_new(o, "period", at_web_json_str(t->period));
    json_object_set_new(o, "first", at_web_json_day(t->first));
    json_object_set_new(o, "last", at_web_json_day(t->last));
    json_object_set_new(o, "status", json_string(at_wf_terms_status(t)));
    json_object_set_new(o, "terms", terms_json(t));
    json_object_set_new(o, "terms_sha256", t->sha256[0] ? json_string(t->sha256) : json_null());
    json_t *acc = json_null();
    if (t->accepted) {
        acc = json_object();
        json_object_set_new(acc, "at", at_web_json_time(t->accepted_at));
        json_object_set_new(acc, "by", at_web_json_str(t->accepted_by));
        json_object_set_new(acc, "terms_sha256", json_string(t->accepted_sha256));
    }
    json_object_set_new(o, "accepted", acc);
    json_object_set_new(o, "open_requests", json_integer(t->open_requests));
    return o;
}

at_code at_api_acceptance_get(at_web_request *req, at_web_response *res, at_error *err)
{
    const char *period = at_web_param_get(req, "period");
    at_wf_terms t;
    at_code rc = at_wf_terms_get(req->store, req->person_id, period, req->arena, &t, err);
    if (rc != AT_OK)
        return rc;
    return at_web_reply_json(res, 200, acceptance_json(at_web_param_get(req, "payee"), &t), err);
}

at_code at_api_acceptance_accept(at_web_request *req, at_web_response *res, at_error *err)
{
    json_t *body;
    const char *period = NULL;
    at_code rc = at_web_body_object(req, &body, err);
    if (rc == AT_OK)
        rc = at_web_body_string(body, "period", true, 16, &period, err);
    if (rc != AT_OK)
        return rc;
    /* always the user's own person (the route's rule is self) */
    if (req->user->person_id <= 0 || !req->user->person[0])
        return at_fail(err, AT_ERR_INVALID, "user", "ask an admin to name your person",
                       "your user names no person: there are no terms to accept");
    rc = at_wf_accept(req->store, req->user->person_id, period, req->actor, NULL, err);
    if (rc != AT_OK) {
        if (strcmp(err->where, "period") == 0)
            at_error_prefix_where(err, "body");
        return rc;
    }
    at_wf_terms t;
    rc = at_wf_terms_get(req->store, req->user->person_id, period, req->arena, &t, err);
    if (rc != AT_OK)
        return rc;
    return at_web_reply_json(res, 201, acceptance_json(req->user->person, &t), err);
}

typedef struct dist_ctx {
    json_t *items;
    int64_t counts[5];
} dist_ctx;

static const char *const statuses[5] = {"accepted", "pending", "changed", "change_requested",
                                        "nothing"};

static at_code add_row(void *ctx, const at_wf_distribution_row *r, at_error *err)
{
    (void)err;
    dist_ctx *d = ctx;
    json_t *plans = json_array();
    for (size_t i = 0; i < r->terms->plan_count; i++) {
        const at_wf_term_plan *p = &r->terms->plans[i];
        char buf[300];
        snprintf(buf, sizeof buf, "%s@%d", p->plan ? p->plan : "", p->version);
        json_array_append_new(plans, json_string(buf));
    }
    json_t *o = json_object();
    json_object_set_new(o, "payee", at_web_json_str(r->person));
    json_object_set_new(o, "name", at_web_json_str(r->name));
    json_object_set_new(o, "status", json_string(r->status));
    json_object_set_new(o, "plans", plans);
    json_object_set_new(o, "accepted_at", at_web_json_time(r->terms->accepted_at));
    json_object_set_new(o, "accepted_by", at_web_json_str(r->terms->accepted_by));
    json_object_set_new(o, "open_requests", json_integer(r->terms->open_requests));
    json_array_append_new(d->items, o);
    for (size_t i = 0; i < 5; i++)
        if (strcmp(r->status, statuses[i]) == 0)
            d->counts[i]++;
    return AT_OK;
}

at_code at_api_distribution(at_web_request *req, at_web_response *res, at_error *err)
{
    const char *period = at_web_param_get(req, "period");
    dist_ctx d = {.items = json_array()};
    at_code rc = at_wf_distribution(req->store, &req->scope, period, req->arena, add_row, &d,
                                    err);
    if (rc != AT_OK) {
        json_decref(d.items);
        return rc;
    }
    json_t *counts = json_object();
    for (size_t i = 0; i < 4; i++)
        json_object_set_new(counts, statuses[i], json_integer(d.counts[i]));
    json_t *o = json_object();
    json_object_set_new(o, "period", json_string(period));
    json_object_set_new(o, "items", d.items);
    json_object_set_new(o, "counts", counts);
    return at_web_reply_json(res, 200, o, err);
}

/* ---- change requests ---------------------------------------------------------------------- */

static json_t *request_json(const at_wf_change_request *q)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(q->id));
    json_object_set_new(o, "payee", json_string(q->person ? q->person : ""));
    json_object_set_new(o, "payee_name", json_string(q->person_name ? q->person_name : ""));
    json_object_set_new(o, "period", at_web_json_str(q->period));
    json_object_set_new(o, "kind", at_web_json_str(q->kind));
    json_object_set_new(o, "text", at_web_json_str(q->text));
    json_object_set_new(o, "amount", q->has_amount ? at_web_json_money(q->amount) : json_null());
    json_object_set_new(o, "deal", at_web_json_str(q->deal));
    json_object_set_new(o, "status", at_web_json_str(q->status));
    json_object_set_new(o, "raised_at", at_web_json_time(q->raised_at));
    json_object_set_new(o, "raised_by", at_web_json_str(q->raised_by));
    json_object_set_new(o, "answer", at_web_json_str(q->answer));
    json_object_set_new(o, "resolved_at", at_web_json_time(q->resolved_at));
    json_object_set_new(o, "resolved_by", at_web_json_str(q->resolved_by));
    return o;
}

typedef struct req_list {
    json_t *items;
    int64_t last, want;
    json_t *found;
} req_list;

static at_code add_request(void *ctx, const at_wf_change_request *q, at_error *err)
{
    (void)err;
    req_list *l = ctx;
    if (l->want) {
        if (q->id == l->want)
            l->found = request_json(q);
        return AT_OK;
    }
    json_array_append_new(l->items, request_json(q));
    l->last = q->id;
    return AT_OK;
}

at_code at_api_requests_list(at_web_request *req, at_web_response *res, at_error *err)
{
    at_wf_filter f;
    at_code rc = at_api_wf_filter(req, "period", &f, err);
    if (rc != AT_OK)
        return rc;
    req_list l = {.items = json_array()};
    bool more = false;
    if (f.person_id >= 0)
        rc = at_wf_request_each(req->store, &f, add_request, &l, &more, err);
    if (rc != AT_OK) {
        json_decref(l.items);
        return rc;
    }
    return at_api_reply_page(res, l.items, more ? json_integer(l.last) : NULL, err);
}

/* One request of the person (the one just written), as the list reads it. */
static at_code reply_request(at_web_request *req, at_web_response *res, int status,
                             int64_t person_id, int64_t id, at_error *err)
{
    at_wf_filter f = {.scope = {.kind = AT_SCOPE_EVERYONE}, .person_id = person_id,
                      .before = id + 1, .limit = 1};
    req_list l = {.want = id};
    at_code rc = at_wf_request_each(req->store, &f, add_request, &l, NULL, err);
    if (rc != AT_OK)
        return rc;
    if (!l.found)
        return at_fail(err, AT_ERR_NOT_FOUND, "id", NULL, "there is no change request %" PRId64,
                       id);
    return at_web_reply_json(res, status, l.found, err);
}

at_code at_api_request_raise(at_web_request *req, at_web_response *res, at_error *err)
{
    json_t *body;
    at_code rc = at_web_body_object(req, &body, err);
    at_wf_change_request q = {.person_id = req->person_id};
    if (rc == AT_OK)
        rc = at_web_body_string(body, "period", true, 16, &q.period, err);
    if (rc == AT_OK)
        rc = at_web_body_string(body, "kind", true, 16, &q.kind, err);
    if (rc == AT_OK)
        rc = at_web_body_string(body, "text", true, 4000, &q.text, err);
    if (rc == AT_OK)
        rc = at_api_wf_money(body, "amount", "body.amount", false, &q.has_amount, &q.amount, err);
    if (rc == AT_OK)
        rc = at_web_body_string(body, "deal", false, 256, &q.deal, err);
    if (rc != AT_OK)
        return rc;
    int64_t id = 0;
    rc = at_wf_request_raise(req->store, &q, req->actor, &id, err);
    if (rc != AT_OK) {
        if (rc == AT_ERR_INVALID && strncmp(err->where, "body.", 5) != 0)
            at_error_prefix_where(err, "body");
        return rc;
    }
    return reply_request(req, res, 201, req->person_id, id, err);
}

at_code at_api_request_resolve(at_web_request *req, at_web_response *res, at_error *err)
{
    int64_t id;
    at_code rc = at_api_id_param(req, "id", &id, err);
    json_t *body = NULL;
    const char *outcome = NULL, *answer = NULL;
    if (rc == AT_OK)
        rc = at_web_body_object(req, &body, err);
    if (rc == AT_OK)
        rc = at_web_body_string(body, "outcome", true, 16, &outcome, err);
    if (rc == AT_OK)
        rc = at_web_body_string(body, "answer", true, 4000, &answer, err);
    if (rc != AT_OK)
        return rc;
    bool granted = strcmp(outcome, "granted") == 0;
    if (!granted && strcmp(outcome, "declined") != 0)
        return at_fail(err, AT_ERR_INVALID, "body.outcome", "write granted or declined",
                       "'%.20s' is not an outcome", outcome);
    rc = at_wf_request_resolve(req->store, id, req->person_id, granted, answer, req->actor, err);
    if (rc != AT_OK)
        return rc;
    return reply_request(req, res, 200, req->person_id, id, err);
}

at_code at_api_request_decide(at_web_request *req, at_web_response *res, at_error *err)
{
    int64_t id;
    at_code rc = at_api_id_param(req, "id", &id, err);
    json_t *body = NULL;
    const char *decision = NULL, *answer = NULL;
    if (rc == AT_OK)
        rc = at_web_body_object(req, &body, err);
    if (rc == AT_OK)
        rc = at_web_body_string(body, "decision", true, 16, &decision, err);
    if (rc == AT_OK)
        rc = at_web_body_string(body, "answer", true, 4000, &answer, err);
    if (rc != AT_OK)
        return rc;
    bool granted = strcmp(decision, "approve") == 0;
    if (!granted && strcmp(decision, "reject") != 0)
        return at_fail(err, AT_ERR_INVALID, "body.decision", "write approve or reject",
                       "'%.20s' is not a decision", decision);
    rc = at_wf_request_decide(req->store, id, req->person_id, req->user->person_id, granted,
                              answer, req->actor, err);
    if (rc != AT_OK)
        return at_api_wf_reply_store_error(res, rc, err);
    return reply_request(req, res, 200, req->person_id, id, err);
}
