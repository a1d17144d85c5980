/* import_refs.c - reference resolution's bookkeeping: the state of each entity, the map from
 * external ids to internal ids loaded from the store when an import first refers to an entity
 * (and grown with the rows of the import as they are stored), the words messages use for one
 * row of an entity, and a row's key as text. */
#include <stdio.h>
#include <string.h>

#include "import/import_impl.h"

entity_state *import_state_of(import_ctx *ctx, const char *entity_name)
{
    for (size_t i = 0; i < ctx->state_count; i++)
        if (strcmp(ctx->states[i].entity->name, entity_name) == 0)
            return &ctx->states[i];
    return NULL;
}

static at_code load_one(void *vctx, at_str ext_id, int64_t id, at_error *err)
{
    entity_state *es = vctx;
    at_idmap_entry *e;
    bool created;
    at_code code = at_idmap_put(&es->keys, ext_id, &e, &created, err);
    if (code != AT_OK)
        return code;
    if (created)
        e->id = id;
    return AT_OK;
}

at_code import_refs_load(import_ctx *ctx, entity_state *es)
{
    if (es->loaded || !es->by_id)
        return AT_OK;
    es->loaded = true;
    return at_store_each_id(ctx->store, es->entity, load_one, es, ctx->err);
}

static const struct {
    const char *entity, *noun;
} nouns[] = {
    {"settings", "setting"},
    {"exchange_rates", "exchange rate"},
    {"teams", "team"},
    {"people", "person"},
    {"reporting_lines", "reporting line"},
    {"territories", "territory"},
    {"territory_rules", "territory rule"},
    {"accounts", "account"},
    {"territory_accounts", "territory assignment"},
    {"territory_people", "territory member"},
    {"products", "product"},
    {"stages", "stage"},
    {"leads", "lead"},
    {"handoffs", "handoff"},
    {"opportunities", "opportunity"},
    {"opportunity_products", "opportunity product"},
    {"stage_history", "stage change"},
    {"activities", "activity"},
    {"scorecard_templates", "scorecard template"},
    {"scorecard_points", "scorecard point"},
    {"scorecard_responses", "scorecard response"},
    {"transactions", "transaction"},
    {"transaction_people", "transaction person"},
    {"quotas", "quota"},
    {"plan_assignments", "plan assignment"},
    {"employment_events", "employment event"},
    {"survey_responses", "survey response"},
};

const char *import_entity_noun(const at_entity *entity)
{
    for (size_t i = 0; i < sizeof nouns / sizeof nouns[0]; i++)
        if (strcmp(nouns[i].entity, entity->name) == 0)
            return nouns[i].noun;
    return entity->name;
}

at_code import_row_key(import_ctx *ctx, const entity_state *es, const at_row *row, at_str *key,
                       bool for_people)
{
    if (es->by_id) {
        *key = row->values[es->id_field].text;
        return AT_OK;
    }
    char *buf = ctx->format_buf;
    size_t size = sizeof ctx->format_buf, o = 0;
    char tmp[4096];
    for (size_t k = 0; k < es->key_count; k++) {
        int f = es->key_fields[k];
        at_str s;
        at_error ferr;
        at_code code = at_field_format(&es->entity->fields[f], &row->values[f], tmp, sizeof tmp,
                                       &s, &ferr);
        if (code != AT_OK)
            return at_fail(ctx->err, code, NULL, NULL, "%s", ferr.message);
        if (for_people && s.len == 0 && es->entity->fields[f].type == AT_FIELD_DAY)
            s = at_str_from("(since the beginning)");
        if (o + s.len + 2 >= size)
            return at_fail(ctx->err, AT_ERR_OVERFLOW, NULL, NULL, "a key is too long");
        if (k > 0)
            buf[o++] = for_people ? '|' : '\x1f';
        memcpy(buf + o, s.ptr, s.len);
        o += s.len;
    }
    buf[o] = '\0';
    *key = at_str_make(buf, o);
    return AT_OK;
}
