/* api_plans.c - plan documents as the store keeps them: every version, one version's document,
 * and the difference between two versions of a plan (line by line over their canonical form,
 * the form `attain plan diff` compares, so formatting and comments do not count). */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "plan/plan.h"
#include "store/pay_store.h"
#include "web/api.h"

static json_t *version_json(const at_store_plan_version *v)
{
    json_t *o = json_object();
    json_object_set_new(o, "name", json_string(v->name));
    json_object_set_new(o, "version", json_integer(v->version));
    json_object_set_new(o, "effective_from", at_web_json_day(v->effective_from));
    json_object_set_new(o, "effective_to", at_web_json_day(v->effective_to));
    json_object_set_new(o, "sha256", json_string(v->sha256));
    json_object_set_new(o, "loaded_at", at_web_json_time(v->loaded_at));
    json_object_set_new(o, "loaded_by", at_web_json_str(v->loaded_by));
    json_object_set_new(o, "reason", at_web_json_str(v->reason));
    return o;
}

static at_code add_version(void *ctx, const at_store_plan_version *v, at_error *err)
{
    (void)err;
    json_array_append_new(ctx, version_json(v));
    return AT_OK;
}

at_code at_api_plans_list(at_web_request *req, at_web_response *res, at_error *err)
{
    json_t *items = json_array();
    at_code rc = at_store_plan_each(req->store, at_web_query_get(req, "name"), false, add_version,
                                    items, err);
    if (rc != AT_OK) {
        json_decref(items);
        return rc;
    }
    return at_api_reply_page(res, items, NULL, err);
}

static at_code get_version(at_web_request *req, const char *name, int version,
                           at_store_plan_version *v, at_error *err)
{
    bool found = false;
    at_code rc = at_store_plan_get(req->store, name, version, req->arena, v, &found, err);
    if (rc == AT_OK && !found)
        rc = version ? at_fail(err, AT_ERR_NOT_FOUND, "version", "GET /api/v1/plans lists them",
                               "plan '%.128s' has no version %d", name, version)
                     : at_fail(err, AT_ERR_NOT_FOUND, "name", "GET /api/v1/plans lists them",
                               "there is no plan '%.128s'", name);
    return rc;
}

at_code at_api_plan_version(at_web_request *req, at_web_response *res, at_error *err)
{
    int64_t version;
    at_code rc = at_api_id_param(req, "version", &version, err);
    if (rc != AT_OK)
        return rc;
    if (version > 1000000)
        return at_fail(err, AT_ERR_INVALID, "version", NULL, "no plan has that many versions");
    at_store_plan_version v;
    rc = get_version(req, at_web_param_get(req, "name"), (int)version, &v, err);
    if (rc != AT_OK)
        return rc;
    json_t *o = version_json(&v);
    json_object_set_new(o, "source", json_stringn(v.source ? v.source : "", v.source_length));
    return at_web_reply_json(res, 200, o, err);
}

/* The canonical text of a version, split into lines (in arena). */
static at_code canonical_lines(at_web_request *req, const char *name, int version,
                               const char ***lines, size_t *count, at_error *err)
{
    at_store_plan_version v;
    at_code rc = get_version(req, name, version, &v, err);
    if (rc != AT_OK)
        return rc;
    at_error_list problems;
    at_error_list_init(&problems, 1);
    at_plan *plan = NULL;
    char label[200];
    snprintf(label, sizeof label, "%.128s@%d", name, version);
    rc = at_plan_read(v.source, v.source_length, label, req->arena, &plan, &problems, err);
    if (rc == AT_ERR_INVALID && problems.count)
        *err = problems.items[0];
    at_error_list_free(&problems);
    if (rc != AT_OK)
        return rc;
    char *text = NULL;
    size_t length = 0;
    rc = at_plan_write_canonical(plan, &text, &length, err);
    if (rc != AT_OK)
        return rc;
    char *copy = at_arena_strndup(req->arena, text, length);
    free(text);
    size_t n = 0;
    for (size_t i = 0; copy && i < length; i++)
        n += copy[i] == '\n';
    const char **l = copy ? at_arena_calloc(req->arena, n + 1, sizeof *l) : NULL;
    if (!l)
        return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory comparing plans");
    size_t k = 0;
    for (char *p = copy; *p && k <= n;) {
        l[k++] = p;
        char *nl = strchr(p, '\n');
        if (!nl)
            break;
        *nl = '\0';
        p = nl + 1;
    }
    *lines = l;
    *count = k;
    return AT_OK;
}

#define DIFF_MAX_CELLS (4u * 1024u * 1024u)

at_code at_api_plan_diff(at_web_request *req, at_web_response *res, at_error *err)
{
    const char *name = at_web_param_get(req, "name");
    int64_t from, to;
    at_code rc = at_web_query_int(req, "from", 1, 1000000, 0, &from, err);
    if (rc == AT_OK)
        rc = at_web_query_int(req, "to", 1, 1000000, 0, &to, err);
    if (rc != AT_OK)
        return rc;
    if (!from || !to)
        return at_fail(err, AT_ERR_INVALID, from ? "to" : "from",
                       "give both versions: ?from=1&to=2", "say which versions to compare");
    const char **a, **b;
    size_t na, nb;
    rc = canonical_lines(req, name, (int)from, &a, &na, err);
    if (rc == AT_OK)
        rc = canonical_lines(req, name, (int)to, &b, &nb, err);
    if (rc != AT_OK)
        return rc;
    if ((size_t)(na + 1) * (nb + 1) > DIFF_MAX_CELLS)
        return at_fail(err, AT_ERR_INVALID, NULL, "compare them with `attain plan diff`",
                       "the plans are too long to compare here");
    /* longest common subsequence, then walk it */
    uint32_t *t = calloc((na + 1) * (nb + 1), sizeof *t);
    if (!t)
        return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory comparing plans");
#define T(i, j) t[(i) * (nb + 1) + (j)]
    for (size_t i = na; i-- > 0;)
        for (size_t j = nb; j-- > 0;)
            T(i, j) = strcmp(a[i], b[j]) == 0 ? T(i + 1, j + 1) + 1
                                                : (T(i + 1, j) > T(i, j + 1) ? T(i + 1, j)
                                                                             : T(i, j + 1));
    json_t *lines = json_array();
    size_t i = 0, j = 0, changed = 0;
    while (i < na || j < nb) {
        json_t *l = json_object();
        if (i < na && j < nb && strcmp(a[i], b[j]) == 0) {
            json_object_set_new(l, "op", json_string(" "));
            json_object_set_new(l, "text", json_string(a[i]));
            i++;
            j++;
        } else if (j < nb && (i == na || T(i, j + 1) >= T(i + 1, j))) {
            json_object_set_new(l, "op", json_string("+"));
            json_object_set_new(l, "text", json_string(b[j]));
            j++;
            changed++;
        } else {
            json_object_set_new(l, "op", json_string("-"));
            json_object_set_new(l, "text", json_string(a[i]));
            i++;
            changed++;
        }
        json_array_append_new(lines, l);
    }
#undef T
    free(t);
    json_t *o = json_object();
    json_object_set_new(o, "name", json_string(name));
    json_object_set_new(o, "from", json_integer(from));
    json_object_set_new(o, "to", json_integer(to));
    json_object_set_new(o, "same", json_boolean(changed == 0));
    json_object_set_new(o, "lines", lines);
    return at_web_reply_json(res, 200, o, err);
}
