/* api_audit.c - the audit trail, filtered (entity, key, actor, action, a time range, an import)
 * and paged by id (?after=), oldest first, as the store keeps it: who, when, what (before and
 * after, as exact JSON), why. */
#include <inttypes.h>
#include <string.h>

#include "web/api.h"

typedef struct audit_page {
    json_t *items;
    int64_t last;
    size_t limit, n;
    bool more;
} audit_page;

static at_code add_entry(void *ctx, const at_audit_entry *e, at_error *err)
{
    (void)err;
    audit_page *p = ctx;
    if (p->n == p->limit) {
        p->more = true;
        return AT_OK;
    }
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(e->id));
    json_object_set_new(o, "at", at_web_json_time(e->at));
    json_object_set_new(o, "actor", at_web_json_str(e->actor));
    json_object_set_new(o, "action", at_web_json_str(e->action));
    json_object_set_new(o, "entity", at_web_json_str(e->entity));
    json_object_set_new(o, "key", at_web_json_str(e->key));
    json_t *before = e->before ? json_loads(e->before, JSON_DECODE_ANY, NULL) : NULL;
    json_t *after = e->after ? json_loads(e->after, JSON_DECODE_ANY, NULL) : NULL;
    json_object_set_new(o, "before", before ? before : json_null());
    json_object_set_new(o, "after", after ? after : json_null());
    json_object_set_new(o, "reason", at_web_json_str(e->reason));
    json_object_set_new(o, "import", e->import_id ? json_integer(e->import_id) : json_null());
    json_array_append_new(p->items, o);
    p->last = e->id;
    p->n++;
    return AT_OK;
}

static at_code time_query(const at_web_request *req, const char *name, at_time *out,
                          at_error *err)
{
    const char *v = at_web_query_get(req, name);
    *out = 0;
    if (!v)
        return AT_OK;
    at_code rc = at_time_parse(at_str_from(v), out, err);
    if (rc != AT_OK)
        snprintf(err->where, sizeof err->where, "%s", name);
    return rc;
}

at_code at_api_audit(at_web_request *req, at_web_response *res, at_error *err)
{
    size_t limit;
    int64_t after = 0, import_id = 0;
    at_code rc = at_api_limit(req, &limit, err);
    if (rc == AT_OK)
        rc = at_web_query_int(req, "after", 0, INT64_MAX, 0, &after, err);
    if (rc == AT_OK)
        rc = at_web_query_int(req, "import", 1, INT64_MAX, 0, &import_id, err);
    at_audit_filter f = {0};
    if (rc == AT_OK)
        rc = time_query(req, "from", &f.from, err);
    if (rc == AT_OK)
        rc = time_query(req, "to", &f.to, err);
    if (rc != AT_OK)
        return rc;
    if (f.from && !f.to)
        f.to = INT64_MAX;
    if (f.to && !f.from)
        f.from = INT64_MIN;
    f.entity = at_web_query_get(req, "entity");
    f.key = at_web_query_get(req, "key");
    f.actor = at_web_query_get(req, "actor");
    f.action = at_web_query_get(req, "action");
    f.import_id = import_id;
    f.after_id = after;
    f.limit = limit + 1;
    audit_page p = {json_array(), 0, limit, 0, false};
    rc = at_store_audit_each(req->store, &f, add_entry, &p, err);
    if (rc != AT_OK) {
        json_decref(p.items);
        return rc;
    }
    return at_api_reply_page(res, p.items,
                             p.more ? json_string(at_arena_printf(req->arena, "%" PRId64, p.last))
                                    : NULL,
                             err);
}
