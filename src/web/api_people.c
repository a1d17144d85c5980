/* api_people.c - people, as far as the user may see them (the dispatcher has set the scope or
 * checked the person), the health check, and the helpers every handler shares (ids, pages). */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "web/api.h"

at_code at_api_id_param(const at_web_request *req, const char *name, int64_t *out,
                        at_error *err)
{
    const char *v = at_web_param_get(req, name);
    char *end = NULL;
    errno = 0;
    long long n = v ? strtoll(v, &end, 10) : 0;
    if (!v || !v[0] || *end || errno || n < 1 || v[0] == '+' || v[0] == ' ')
        return at_fail(err, AT_ERR_INVALID, name, NULL, "%s must be a positive whole number",
                       name);
    *out = n;
    return AT_OK;
}

at_code at_api_limit(const at_web_request *req, size_t *limit, at_error *err)
{
    int64_t n;
    at_code rc = at_web_query_int(req, "limit", 1, AT_WEB_PAGE_MAX, AT_WEB_PAGE_DEFAULT, &n, err);
    *limit = (size_t)n;
    return rc;
}

at_code at_api_reply_page(at_web_response *res, json_t *items, json_t *next, at_error *err)
{
    json_t *o = json_object();
    json_object_set_new(o, "items", items);
    json_object_set_new(o, "next", next ? next : json_null());
    return at_web_reply_json(res, 200, o, err);
}

at_code at_api_health(at_web_request *req, at_web_response *res, at_error *err)
{
    (void)req;
    json_t *o = json_object();
    json_object_set_new(o, "ok", json_true());
    json_object_set_new(o, "version", json_string(ATTAIN_VERSION));
    return at_web_reply_json(res, 200, o, err);
}

typedef struct people_page {
    json_t *items;
    const char *last;
    at_arena *arena;
} people_page;

static json_t *person_json(const at_web_person *p)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", json_string(p->ext_id));
    json_object_set_new(o, "name", at_web_json_str(p->name));
    json_object_set_new(o, "email", at_web_json_str(p->email));
    json_object_set_new(o, "role", at_web_json_str(p->role));
    json_object_set_new(o, "team", at_web_json_str(p->team));
    json_object_set_new(o, "title", at_web_json_str(p->title));
    json_object_set_new(o, "manager", at_web_json_str(p->manager));
    json_object_set_new(o, "pay_currency", at_web_json_str(p->pay_currency));
    json_object_set_new(o, "country", at_web_json_str(p->country));
    json_object_set_new(o, "hire_date", at_web_json_day(p->hire_date));
    json_object_set_new(o, "exit_date", at_web_json_day(p->exit_date));
    return o;
}

static at_code add_person(void *ctx, const at_web_person *p, at_error *err)
{
    people_page *page = ctx;
    json_array_append_new(page->items, person_json(p));
    page->last = at_arena_strdup(page->arena, p->ext_id);
    if (!page->last)
        return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory listing people");
    return AT_OK;
}

/* ?day=YYYY-MM-DD (default today): the day the hierarchy and managers are read on */
static at_code day_query(const at_web_request *req, at_day *day, at_error *err)
{
    const char *v = at_web_query_get(req, "day");
    *day = at_time_day(req->now);
    if (!v)
        return AT_OK;
    at_code rc = at_day_parse(at_str_from(v), day, err);
    if (rc != AT_OK)
        snprintf(err->where, sizeof err->where, "day");
    return rc;
}

at_code at_api_people_list(at_web_request *req, at_web_response *res, at_error *err)
{
    size_t limit;
    at_day day;
    at_code rc = at_api_limit(req, &limit, err);
    if (rc == AT_OK)
        rc = day_query(req, &day, err);
    if (rc != AT_OK)
        return rc;
    const char *q = at_web_query_get(req, "q");
    if (q && strlen(q) > 128)
        return at_fail(err, AT_ERR_INVALID, "q", NULL, "the search is longer than 128 bytes");
    at_web_scope scope = req->scope;
    scope.day = day;
    people_page page = {json_array(), NULL, req->arena};
    bool more = false;
    rc = at_web_people_each(req->store, &scope, day, at_web_query_get(req, "after"), limit, q,
                            add_person, &page, &more, err);
    if (rc != AT_OK) {
        json_decref(page.items);
        return rc;
    }
    return at_api_reply_page(res, page.items, more && page.last ? json_string(page.last) : NULL,
                             err);
}

at_code at_api_person_get(at_web_request *req, at_web_response *res, at_error *err)
{
    at_day day;
    at_code rc = day_query(req, &day, err);
    if (rc != AT_OK)
        return rc;
    at_web_scope one = {.kind = AT_SCOPE_SELF, .person_id = req->person_id, .day = day};
    people_page page = {json_array(), NULL, req->arena};
    bool more = false;
    rc = at_web_people_each(req->store, &one, day, NULL, 1, NULL, add_person, &page, &more, err);
    if (rc == AT_OK && json_array_size(page.items) != 1)
        rc = at_fail(err, AT_ERR_NOT_FOUND, "payee", NULL, "no such person");
    if (rc != AT_OK) {
        json_decref(page.items);
        return rc;
    }
    json_t *p = json_incref(json_array_get(page.items, 0));
    json_decref(page.items);
    return at_web_reply_json(res, 200, p, err);
}
