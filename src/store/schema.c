/* schema.c - the database's tables, made from the entity descriptors (model/entity.h), and the
 * ordered list of migrations that brings an older database up to date.
 *
 * Each entity gets one STRICT table:
 *   id INTEGER PRIMARY KEY                 the internal id (REF columns point at it)
 *   ext_id TEXT NOT NULL UNIQUE            entities keyed by id; others get
 *                                          UNIQUE (natural key fields), each NOT NULL
 *   one column per field                   TEXT for text-like fields; INTEGER for money (1e-4),
 *                                          rate (1e-9), day, time, bool, coord, int; a REF is
 *                                          INTEGER REFERENCES other(id)
 *   import_id INTEGER                      the import that last wrote the row (no foreign key:
 *                                          checking it would cost a lookup per row written)
 * with NOT NULL for required fields, UNIQUE for fields marked unique (several NULLs are
 * allowed), and CHECKs for enums, bools and numeric bounds (the cheap rules; the importer checks
 * them all first, with better messages). Indexes: every REF column that is not the first column
 * of the key (queries join on them, and deleting a referenced row looks them up: without one,
 * each delete scans the whole child table), and the dates queries filter on (dated_columns
 * below); an optional column's index leaves out the rows without a value (WHERE col IS NOT
 * NULL: SQLite still uses it for col = ?, foreign key checks included). Each index costs
 * writes: see bench/store for the figures and at_store_import_expect for bulk imports.
 *
 * Version 1 is the first schema; later versions are the steps in at_migrations[]. A new field
 * is one line in entities.c plus a one-line step here (add_fields: the column is added as the
 * descriptor says); the migration test (tests/unit/test_store_migrate.c) fails until both
 * exist, because it compares an upgraded version-1 database with a new one. */
#include <inttypes.h>
#include <stdint.h>
#include <string.h>

#include "store/store_impl.h"

const char *at_schema_column(const at_field *field)
{
    return field->type == AT_FIELD_ID ? "ext_id" : field->name;
}

bool at_schema_is_text(at_field_type type)
{
    switch (type) {
    case AT_FIELD_ID:
    case AT_FIELD_TEXT:
    case AT_FIELD_EMAIL:
    case AT_FIELD_ENUM:
    case AT_FIELD_CURRENCY:
    case AT_FIELD_PERIOD:
        return true;
    case AT_FIELD_REF:
    case AT_FIELD_INT:
    case AT_FIELD_MONEY:
    case AT_FIELD_RATE:
    case AT_FIELD_DAY:
    case AT_FIELD_TIME:
    case AT_FIELD_BOOL:
    case AT_FIELD_COORD:
        return false;
    }
    return false;
}

const char *at_schema_sql_type(at_field_type type)
{
    return at_schema_is_text(type) ? "TEXT" : "INTEGER";
}

int at_store_field_index(const at_entity *entity, const char *name)
{
    for (size_t i = 0; i < entity->field_count; i++)
        if (strcmp(entity->fields[i].name, name) == 0)
            return (int)i;
    return -1;
}

bool at_schema_keyed_by_id(const at_entity *entity)
{
    if (!entity->key || !entity->key[0] || entity->key[1])
        return false;
    int i = at_store_field_index(entity, entity->key[0]);
    return i >= 0 && entity->fields[i].type == AT_FIELD_ID;
}

at_code at_schema_key_fields(const at_entity *entity, int *fields, size_t *count, at_error *err)
{
    size_t n = 0;
    if (!entity->key || !entity->key[0])
        return at_fail(err, AT_ERR_INTERNAL, entity->name, "give the entity a key in entities.c",
                       "entity %s has no key", entity->name);
    for (; entity->key[n]; n++) {
        if (n == AT_SCHEMA_KEY_MAX)
            return at_fail(err, AT_ERR_INTERNAL, entity->name, NULL,
                           "entity %s has more than %d key fields", entity->name,
                           AT_SCHEMA_KEY_MAX);
        int i = at_store_field_index(entity, entity->key[n]);
        if (i < 0)
            return at_fail(err, AT_ERR_INTERNAL, entity->name, "fix the key in entities.c",
                           "the key of %s names a field it does not have: %s", entity->name,
                           entity->key[n]);
        fields[n] = i;
    }
    *count = n;
    return AT_OK;
}

static const at_entity *find_entity(const at_entity *const *entities, size_t count,
                                    const char *name)
{
    for (size_t i = 0; i < count; i++)
        if (strcmp(entities[i]->name, name) == 0)
            return entities[i];
    return NULL;
}

/* Dates that queries filter on, indexed when the entity and field exist. */
static const struct {
    const char *entity, *field;
} dated_columns[] = {
    {"transactions", "date"},
    {"opportunities", "closed_on"},
    {"activities", "occurred_at"},
    {"stage_history", "changed_at"},
};

/* The rule of field f's CHECK constraint (without "CHECK"), or nothing when it has none. */
static void check_rule(at_text *sql, const at_field *f)
{
    const char *col = at_schema_column(f);
    if (f->type == AT_FIELD_ENUM && f->values && f->values[0]) {
        at_text_add(sql, "(");
        at_text_ident(sql, col);
        at_text_add(sql, " IN (");
        for (size_t v = 0; f->values[v]; v++) {
            if (v)
                at_text_add(sql, ", ");
            at_text_sql_string(sql, f->values[v]);
        }
        at_text_add(sql, "))");
    } else if (f->type == AT_FIELD_BOOL) {
        at_text_add(sql, "(");
        at_text_ident(sql, col);
        at_text_add(sql, " IN (0, 1))");
    } else if ((f->type == AT_FIELD_INT || f->type == AT_FIELD_COORD ||
                f->type == AT_FIELD_MONEY || f->type == AT_FIELD_RATE) &&
               (f->min != 0 || f->max != 0)) {
        at_text_add(sql, "(");
        at_text_ident(sql, col);
        if (f->max == INT64_MAX || f->max < f->min) /* a lower bound only ("int[1..]") */
            at_text_addf(sql, " >= %" PRId64 ")", f->min);
        else if (f->min == INT64_MIN)
            at_text_addf(sql, " <= %" PRId64 ")", f->max);
        else
            at_text_addf(sql, " BETWEEN %" PRId64 " AND %" PRId64 ")", f->min, f->max);
    }
}

static bool has_check(const at_field *f)
{
    return (f->type == AT_FIELD_ENUM && f->values && f->values[0]) || f->type == AT_FIELD_BOOL ||
           ((f->type == AT_FIELD_INT || f->type == AT_FIELD_COORD || f->type == AT_FIELD_MONEY ||
             f->type == AT_FIELD_RATE) &&
            (f->min != 0 || f->max != 0));
}

static void add_check(at_text *sql, const at_field *f)
{
    if (!has_check(f))
        return;
    at_text_add(sql, " CHECK ");
    check_rule(sql, f);
}

bool at_schema_rule_check_sql(const at_entity *entity, at_text *sql)
{
    bool any = false;
    for (size_t i = 0; i < entity->field_count; i++)
        any = any || has_check(&entity->fields[i]);
    if (!any)
        return false;
    at_text_add(sql, "SELECT \"id\", CASE");
    for (size_t i = 0; i < entity->field_count; i++) {
        const at_field *f = &entity->fields[i];
        if (!has_check(f))
            continue;
        at_text_add(sql, " WHEN ");
        check_rule(sql, f);
        at_text_add(sql, " IS FALSE THEN ");
        at_text_sql_string(sql, f->name);
    }
    at_text_add(sql, " END FROM ");
    at_text_ident(sql, entity->name);
    const char *sep = " WHERE ";
    for (size_t i = 0; i < entity->field_count; i++) {
        const at_field *f = &entity->fields[i];
        if (!has_check(f))
            continue;
        at_text_add(sql, sep);
        check_rule(sql, f);
        at_text_add(sql, " IS FALSE");
        sep = " OR ";
    }
    at_text_add(sql, " LIMIT 1");
    return true;
}

static bool in_key(const int *key, size_t key_count, size_t i)
{
    for (size_t k = 0; k < key_count; k++)
        if (key[k] == (int)i)
            return true;
    return false;
}

/* The definition of field i's column: name, type, constraints. */
static at_code column_sql(const at_entity *entity, size_t i, bool key_part, bool by_id,
                          const at_entity *const *entities, size_t entity_count, at_text *sql,
                          at_error *err)
{
    const at_field *f = &entity->fields[i];
    at_text_ident(sql, at_schema_column(f));
    at_text_add(sql, " ");
    at_text_add(sql, at_schema_sql_type(f->type));
    if (f->required || key_part || f->type == AT_FIELD_ID)
        at_text_add(sql, " NOT NULL");
    if ((f->type == AT_FIELD_ID && by_id) || (f->unique && !key_part))
        at_text_add(sql, " UNIQUE");
    if (f->type == AT_FIELD_REF) {
        const at_entity *target =
            f->ref_entity ? find_entity(entities, entity_count, f->ref_entity) : NULL;
        if (!target || !at_schema_keyed_by_id(target))
            return at_fail(err, AT_ERR_INTERNAL, entity->name,
                           "a reference must name an entity keyed by id, stored alongside",
                           "%s.%s refers to '%s', which is not an entity keyed by id",
                           entity->name, f->name, f->ref_entity ? f->ref_entity : "(none)");
        at_text_add(sql, " REFERENCES ");
        at_text_ident(sql, target->name);
        at_text_add(sql, "(\"id\")");
    }
    add_check(sql, f);
    return AT_OK;
}

/* The index of field i's column, when it gets one: REF columns that are not the first column
 * of the key, and the dates queries filter on. */
static bool is_dated(const at_entity *entity, const at_field *f)
{
    for (size_t d = 0; d < sizeof dated_columns / sizeof dated_columns[0]; d++)
        if (strcmp(dated_columns[d].entity, entity->name) == 0 &&
            strcmp(dated_columns[d].field, f->name) == 0)
            return true;
    return false;
}

static void index_sql(const at_entity *entity, size_t i, bool first_key_part, bool drop,
                      at_text *sql)
{
    const at_field *f = &entity->fields[i];
    bool indexed = (f->type == AT_FIELD_REF && !first_key_part) || is_dated(entity, f);
    if (!indexed)
        return;
    if (drop) {
        at_text_addf(sql, "DROP INDEX IF EXISTS \"%s_by_%s\";\n", entity->name, f->name);
        return;
    }
    at_text_add(sql, "CREATE INDEX ");
    at_text_addf(sql, "\"%s_by_%s\"", entity->name, f->name);
    at_text_add(sql, " ON ");
    at_text_ident(sql, entity->name);
    at_text_add(sql, " (");
    at_text_ident(sql, at_schema_column(f));
    at_text_add(sql, ")");
    if (!f->required) { /* rows without the value stay out of the index: cheaper writes */
        at_text_add(sql, " WHERE ");
        at_text_ident(sql, at_schema_column(f));
        at_text_add(sql, " IS NOT NULL");
    }
    at_text_add(sql, ";\n");
}

void at_schema_index_sql(const at_entity *entity, bool drop, at_text *sql)
{
    int key[AT_SCHEMA_KEY_MAX];
    size_t key_count = 0;
    if (at_schema_key_fields(entity, key, &key_count, NULL) != AT_OK)
        return;
    bool by_id = at_schema_keyed_by_id(entity);
    for (size_t i = 0; i < entity->field_count; i++)
        index_sql(entity, i, !by_id && key[0] == (int)i, drop, sql);
}

void at_schema_bulk_index_sql(const at_entity *entity, bool drop, at_text *sql)
{
    int key[AT_SCHEMA_KEY_MAX];
    size_t key_count = 0;
    if (at_schema_key_fields(entity, key, &key_count, NULL) != AT_OK)
        return;
    bool by_id = at_schema_keyed_by_id(entity);
    for (size_t i = 0; i < entity->field_count; i++)
        if (!is_dated(entity, &entity->fields[i]))
            index_sql(entity, i, !by_id && key[0] == (int)i, drop, sql);
}

at_code at_schema_entity_sql(const at_entity *entity, const at_entity *const *entities,
                             size_t entity_count, at_text *sql, at_error *err)
{
    int key[AT_SCHEMA_KEY_MAX];
    size_t key_count = 0;
    at_code rc = at_schema_key_fields(entity, key, &key_count, err);
    if (rc != AT_OK)
        return rc;
    bool by_id = at_schema_keyed_by_id(entity);

    at_text_add(sql, "CREATE TABLE ");
    at_text_ident(sql, entity->name);
    at_text_add(sql, " (\n  \"id\" INTEGER PRIMARY KEY");
    for (size_t i = 0; i < entity->field_count; i++) {
        at_text_add(sql, ",\n  ");
        rc = column_sql(entity, i, in_key(key, key_count, i), by_id, entities, entity_count, sql,
                        err);
        if (rc != AT_OK)
            return rc;
    }
    at_text_add(sql, ",\n  \"import_id\" INTEGER");
    if (!by_id) {
        at_text_add(sql, ",\n  UNIQUE (");
        for (size_t k = 0; k < key_count; k++) {
            if (k)
                at_text_add(sql, ", ");
            at_text_ident(sql, at_schema_column(&entity->fields[key[k]]));
        }
        at_text_add(sql, ")");
    }
    at_text_add(sql, "\n) STRICT;\n");
    at_schema_index_sql(entity, false, sql);
    if (sql->failed)
        return at_fail(err, AT_ERR_NOMEM, entity->name, NULL, "out of memory building the schema");
    return AT_OK;
}

at_code at_schema_add_field_sql(const at_entity *entity, const char *field,
                                const at_entity *const *entities, size_t entity_count,
                                at_text *sql, at_error *err)
{
    int i = at_store_field_index(entity, field);
    if (i < 0)
        return at_fail(err, AT_ERR_INTERNAL, entity->name,
                       "a migration step names fields as entities.c has them now; write the "
                       "step's entity_sql by hand instead",
                       "the migration adds %s.%s, which the descriptors do not have",
                       entity->name, field);
    int key[AT_SCHEMA_KEY_MAX];
    size_t key_count = 0;
    at_code rc = at_schema_key_fields(entity, key, &key_count, err);
    if (rc != AT_OK)
        return rc;
    const at_field *f = &entity->fields[i];
    if (f->required || f->unique || f->type == AT_FIELD_ID || in_key(key, key_count, (size_t)i))
        return at_fail(err, AT_ERR_INTERNAL, entity->name,
                       "SQLite cannot add a NOT NULL or UNIQUE column to a table that has "
                       "rows: write the step's entity_sql by hand (with a default, or by "
                       "rebuilding the table)",
                       "the migration cannot add %s.%s as a plain column", entity->name, field);
    at_text_add(sql, "ALTER TABLE ");
    at_text_ident(sql, entity->name);
    at_text_add(sql, " ADD COLUMN ");
    rc = column_sql(entity, (size_t)i, false, at_schema_keyed_by_id(entity), entities,
                    entity_count, sql, err);
    if (rc != AT_OK)
        return rc;
    at_text_add(sql, ";\n");
    index_sql(entity, (size_t)i, false, false, sql);
    if (sql->failed)
        return at_fail(err, AT_ERR_NOMEM, entity->name, NULL, "out of memory building the schema");
    return AT_OK;
}

at_code at_store_schema_sql(const at_entity *const *entities, size_t entity_count, char **sql,
                            at_error *err)
{
    *sql = NULL;
    if (!entities) {
        entities = at_entities;
        entity_count = at_entity_count;
    }
    at_text t;
    at_text_init(&t);
    at_text_add(&t, "-- attain schema version ");
    at_text_addf(&t, "%d: entity tables (from src/model/entities.c)\n", AT_STORE_SCHEMA_VERSION);
    for (size_t i = 0; i < entity_count; i++) {
        at_code rc = at_schema_entity_sql(entities[i], entities, entity_count, &t, err);
        if (rc != AT_OK) {
            at_text_free(&t);
            return rc;
        }
    }
    at_text_add(&t, "-- the tables that are not entities (version 1)\n");
    at_text_add(&t, at_schema_v1_support_sql);
    for (size_t i = 0; i < at_migration_count; i++)
        if (at_migrations[i].support_sql) {
            at_text_addf(&t, "-- version %d: %s\n", at_migrations[i].version,
                         at_migrations[i].description);
            at_text_add(&t, at_migrations[i].support_sql);
        }
    if (t.failed) {
        at_text_free(&t);
        return at_fail(err, AT_ERR_NOMEM, NULL, NULL, "out of memory building the schema");
    }
    *sql = t.ptr;
    return AT_OK;
}

/* ---- the tables that are not entities -------------------------------------------------- */

const char at_schema_v1_support_sql[] =
    "CREATE TABLE schema_version (\n"
    "  version INTEGER PRIMARY KEY,\n"
    "  applied_at INTEGER NOT NULL,\n"
    "  description TEXT NOT NULL\n"
    ") STRICT;\n"
    "CREATE TABLE audit (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  at INTEGER NOT NULL,\n"
    "  actor TEXT NOT NULL,\n"
    "  action TEXT NOT NULL,\n"
    "  entity TEXT NOT NULL DEFAULT '',\n"
    "  row_key TEXT NOT NULL DEFAULT '',\n"
    "  before TEXT CHECK (before IS NULL OR json_valid(before)),\n"
    "  after TEXT CHECK (after IS NULL OR json_valid(after)),\n"
    "  reason TEXT,\n"
    "  import_id INTEGER\n"
    ") STRICT;\n"
    "CREATE TABLE imports (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  started INTEGER NOT NULL,\n"
    "  finished INTEGER,\n"
    "  actor TEXT NOT NULL,\n"
    "  reason TEXT,\n"
    "  status TEXT NOT NULL CHECK (status IN ('running', 'committed', 'failed')),\n"
    "  files TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(files))\n"
    ") STRICT;\n";

/* Version 2: per-entity import counts in their own table (version 1 kept them only in the
 * import's summary audit rows; they are copied over), and the indexes the audit queries use. */
static const char v2_support_sql[] =
    "CREATE TABLE import_counts (\n"
    "  import_id INTEGER NOT NULL REFERENCES imports(id),\n"
    "  entity TEXT NOT NULL,\n"
    "  inserted INTEGER NOT NULL DEFAULT 0,\n"
    "  updated INTEGER NOT NULL DEFAULT 0,\n"
    "  unchanged INTEGER NOT NULL DEFAULT 0,\n"
    "  PRIMARY KEY (import_id, entity)\n"
    ") STRICT;\n"
    "INSERT OR IGNORE INTO import_counts (import_id, entity, inserted, updated, unchanged)\n"
    "  SELECT import_id, entity,\n"
    "         coalesce(json_extract(after, '$.inserted'), 0),\n"
    "         coalesce(json_extract(after, '$.updated'), 0),\n"
    "         coalesce(json_extract(after, '$.unchanged'), 0)\n"
    "  FROM audit\n"
    "  WHERE action = 'import' AND entity <> '' AND after IS NOT NULL\n"
    "    AND import_id IN (SELECT id FROM imports)\n"
    "  ORDER BY id;\n"
    "CREATE INDEX audit_by_entity_key ON audit (entity, row_key);\n"
    "CREATE INDEX audit_by_at ON audit (at);\n"
    "CREATE INDEX audit_by_actor ON audit (actor);\n"
    "CREATE INDEX audit_by_import ON audit (import_id);\n";

/* Version 3: pay. Plan documents as versions; calculation runs and their results (measure
 * values, earnings lines, payouts, and credits packed one BLOB per run, person and month: see
 * pay_store.h for the layout); closed months and the lines they locked; and the entity metrics
 * (its table from the descriptor). Results refer to people by internal id without a foreign
 * key: a run is a record of what was paid and outlives later changes of the data. Money and
 * rates are INTEGER at 1e-4 and 1e-9, months are fiscal month labels ("2026-03", which sort
 * in time order). */
static const char v3_support_sql[] =
    "CREATE TABLE plan_versions (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  name TEXT NOT NULL,\n"
    "  version INTEGER NOT NULL CHECK (version >= 1),\n"
    "  effective_from INTEGER NOT NULL,\n"
    "  effective_to INTEGER NOT NULL,\n"
    "  source TEXT NOT NULL,\n"
    "  sha256 TEXT NOT NULL,\n"
    "  loaded_at INTEGER NOT NULL,\n"
    "  loaded_by TEXT NOT NULL,\n"
    "  reason TEXT,\n"
    "  UNIQUE (name, version)\n"
    ") STRICT;\n"
    "CREATE TABLE calc_runs (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  period TEXT NOT NULL,\n"
    "  first_month TEXT NOT NULL,\n"
    "  last_month TEXT NOT NULL,\n"
    "  payees TEXT CHECK (payees IS NULL OR json_valid(payees)),\n"
    "  started_at INTEGER NOT NULL,\n"
    "  finished_at INTEGER,\n"
    "  status TEXT NOT NULL CHECK (status IN ('running', 'done', 'failed')),\n"
    "  actor TEXT NOT NULL,\n"
    "  reason TEXT,\n"
    "  input_sha256 TEXT NOT NULL,\n"
    "  plan_versions TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(plan_versions)),\n"
    "  people INTEGER NOT NULL DEFAULT 0,\n"
    "  transactions INTEGER NOT NULL DEFAULT 0,\n"
    "  credits INTEGER NOT NULL DEFAULT 0,\n"
    "  lines INTEGER NOT NULL DEFAULT 0,\n"
    "  seconds TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(seconds)),\n"
    "  message TEXT\n"
    ") STRICT;\n"
    "CREATE INDEX calc_runs_by_month ON calc_runs (last_month, first_month);\n"
    "CREATE TABLE calc_measures (\n"
    "  run_id INTEGER NOT NULL REFERENCES calc_runs(id),\n"
    "  person_id INTEGER NOT NULL,\n"
    "  month TEXT NOT NULL,\n"
    "  seq INTEGER NOT NULL,\n"
    "  assignment_id INTEGER,\n"
    "  plan TEXT NOT NULL,\n"
    "  plan_version INTEGER NOT NULL,\n"
    "  measure TEXT NOT NULL,\n"
    "  month_value INTEGER NOT NULL,\n"
    "  value INTEGER NOT NULL,\n"
    "  credit_count INTEGER NOT NULL,\n"
    "  quota INTEGER,\n"
    "  attainment INTEGER NOT NULL,\n"
    "  PRIMARY KEY (run_id, person_id, month, seq)\n"
    ") STRICT, WITHOUT ROWID;\n"
    "CREATE TABLE calc_lines (\n"
    "  run_id INTEGER NOT NULL REFERENCES calc_runs(id),\n"
    "  person_id INTEGER NOT NULL,\n"
    "  month TEXT NOT NULL,\n"
    "  seq INTEGER NOT NULL,\n"
    "  assignment_id INTEGER,\n"
    "  plan TEXT,\n"
    "  plan_version INTEGER,\n"
    "  component TEXT,\n"
    "  kind TEXT NOT NULL CHECK (kind IN ('component', 'draw', 'draw_recovery', 'adjustment',"
    " 'deferred')),\n"
    "  line_key TEXT NOT NULL,\n"
    "  earned_to_date INTEGER NOT NULL,\n"
    "  earned INTEGER NOT NULL,\n"
    "  amount INTEGER NOT NULL,\n"
    "  currency TEXT NOT NULL,\n"
    "  fx_rate INTEGER NOT NULL,\n"
    "  adjusts_month TEXT,\n"
    "  gated INTEGER NOT NULL CHECK (gated IN (0, 1)),\n"
    "  capped INTEGER NOT NULL CHECK (capped IN (0, 1)),\n"
    "  explain TEXT,\n"
    "  PRIMARY KEY (run_id, person_id, month, seq)\n"
    ") STRICT, WITHOUT ROWID;\n"
    "CREATE INDEX calc_lines_by_month ON calc_lines (run_id, month);\n"
    "CREATE TABLE calc_payouts (\n"
    "  run_id INTEGER NOT NULL REFERENCES calc_runs(id),\n"
    "  person_id INTEGER NOT NULL,\n"
    "  month TEXT NOT NULL,\n"
    "  currency TEXT NOT NULL,\n"
    "  earned INTEGER NOT NULL,\n"
    "  amount INTEGER NOT NULL,\n"
    "  earned_ytd INTEGER NOT NULL,\n"
    "  paid_ytd INTEGER NOT NULL,\n"
    "  draw_balance INTEGER NOT NULL,\n"
    "  PRIMARY KEY (run_id, person_id, month)\n"
    ") STRICT, WITHOUT ROWID;\n"
    "CREATE INDEX calc_payouts_by_month ON calc_payouts (run_id, month);\n"
    "CREATE TABLE calc_credits (\n"
    "  run_id INTEGER NOT NULL REFERENCES calc_runs(id),\n"
    "  person_id INTEGER NOT NULL,\n"
    "  month TEXT NOT NULL,\n"
    "  count INTEGER NOT NULL,\n"
    "  credits BLOB NOT NULL,\n"
    "  PRIMARY KEY (run_id, person_id, month)\n"
    ") STRICT;\n"
    "CREATE TABLE closed_periods (\n"
    "  month TEXT PRIMARY KEY,\n"
    "  closed_at INTEGER NOT NULL,\n"
    "  closed_by TEXT NOT NULL,\n"
    "  run_id INTEGER NOT NULL REFERENCES calc_runs(id),\n"
    "  reason TEXT\n"
    ") STRICT;\n"
    "CREATE TABLE closed_lines (\n"
    "  month TEXT NOT NULL REFERENCES closed_periods(month),\n"
    "  person_id INTEGER NOT NULL,\n"
    "  line_key TEXT NOT NULL,\n"
    "  amount INTEGER NOT NULL,\n"
    "  currency TEXT NOT NULL,\n"
    "  PRIMARY KEY (month, person_id, line_key)\n"
    ") STRICT, WITHOUT ROWID;\n";

/* Version 4: access to the web application and the API (src/web, store/web_store.h). Users
 * log in with a password (an Argon2id string from libsodium, never the password) and have one
 * role; rep and manager users name their person (people.id, checked when the user is made, no
 * foreign key: a user outlives a re-import of people, and access to a person who is gone is
 * simply refused). Sessions and API tokens are stored by the hash of their secret only, so a
 * copy of the database lets nobody in. */
static const char v4_support_sql[] =
    "CREATE TABLE users (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  login TEXT NOT NULL UNIQUE,\n"
    "  role TEXT NOT NULL CHECK (role IN ('admin', 'sales_ops', 'finance', 'manager', 'rep',"
    " 'executive')),\n"
    "  person_id INTEGER,\n"
    "  password_hash TEXT NOT NULL,\n"
    "  created_at INTEGER NOT NULL,\n"
    "  created_by TEXT NOT NULL,\n"
    "  disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1))\n"
    ") STRICT;\n"
    "CREATE INDEX users_by_person ON users (person_id) WHERE person_id IS NOT NULL;\n"
    "CREATE TABLE sessions (\n"
    "  id_hash BLOB PRIMARY KEY,\n"
    "  user_id INTEGER NOT NULL REFERENCES users(id),\n"
    "  csrf TEXT NOT NULL,\n"
    "  created_at INTEGER NOT NULL,\n"
    "  last_seen INTEGER NOT NULL,\n"
    "  expires_at INTEGER NOT NULL,\n"
    "  address TEXT NOT NULL DEFAULT ''\n"
    ") STRICT, WITHOUT ROWID;\n"
    "CREATE INDEX sessions_by_user ON sessions (user_id);\n"
    "CREATE TABLE api_tokens (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  user_id INTEGER NOT NULL REFERENCES users(id),\n"
    "  name TEXT NOT NULL,\n"
    "  token_hash BLOB NOT NULL UNIQUE,\n"
    "  created_at INTEGER NOT NULL,\n"
    "  last_used INTEGER,\n"
    "  expires_at INTEGER,\n"
    "  revoked INTEGER NOT NULL DEFAULT 0 CHECK (revoked IN (0, 1))\n"
    ") STRICT;\n"
    "CREATE INDEX api_tokens_by_user ON api_tokens (user_id);\n";

/* Version 5: workflows (store/workflow_store.h). Disputes raised on a statement line and their
 * messages; manual adjustments (approved ones are lines of kind adjustment in the calculation);
 * plan versions submitted through the API and waiting for finance's approval; acceptances of a
 * person's plan and quota terms for a period, and change requests raised instead; the
 * workflow settings (approval_threshold). People are internal ids without a foreign key, as in
 * the pay tables: a workflow's record outlives a re-import of people. Money is INTEGER at
 * 1e-4 in the currency beside it; months and periods are fiscal labels; actors are as in the
 * audit table ("api:LOGIN"): segregation of duties compares them. */
static const char v5_support_sql[] =
    "CREATE TABLE workflow_settings (\n"
    "  key TEXT PRIMARY KEY,\n"
    "  value TEXT NOT NULL,\n"
    "  set_at INTEGER NOT NULL,\n"
    "  set_by TEXT NOT NULL\n"
    ") STRICT;\n"
    "CREATE TABLE adjustments (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  person_id INTEGER NOT NULL,\n"
    "  month TEXT NOT NULL,\n"
    "  amount INTEGER NOT NULL,\n"
    "  currency TEXT NOT NULL,\n"
    "  reason TEXT NOT NULL,\n"
    "  status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),\n"
    "  needs_approval INTEGER NOT NULL CHECK (needs_approval IN (0, 1)),\n"
    "  dispute_id INTEGER,\n"
    "  created_at INTEGER NOT NULL,\n"
    "  created_by TEXT NOT NULL,\n"
    "  decided_at INTEGER,\n"
    "  decided_by TEXT,\n"
    "  note TEXT\n"
    ") STRICT;\n"
    "CREATE INDEX adjustments_approved ON adjustments (month, person_id) WHERE status = "
    "'approved';\n"
    "CREATE INDEX adjustments_by_person ON adjustments (person_id, month);\n"
    "CREATE INDEX adjustments_pending ON adjustments (id) WHERE status = 'pending';\n"
    "CREATE TABLE disputes (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  person_id INTEGER NOT NULL,\n"
    "  month TEXT NOT NULL,\n"
    "  line_key TEXT NOT NULL,\n"
    "  comment TEXT NOT NULL,\n"
    "  status TEXT NOT NULL CHECK (status IN ('open', 'answered', 'resolved')),\n"
    "  outcome TEXT CHECK (outcome IS NULL OR outcome IN ('adjusted', 'no_change')),\n"
    "  raised_at INTEGER NOT NULL,\n"
    "  raised_by TEXT NOT NULL,\n"
    "  updated_at INTEGER NOT NULL,\n"
    "  resolution TEXT,\n"
    "  resolved_at INTEGER,\n"
    "  resolved_by TEXT,\n"
    "  adjustment_id INTEGER REFERENCES adjustments(id),\n"
    "  CHECK ((status = 'resolved') = (outcome IS NOT NULL))\n"
    ") STRICT;\n"
    "CREATE INDEX disputes_by_person ON disputes (person_id, month);\n"
    "CREATE INDEX disputes_by_status ON disputes (status);\n"
    "CREATE TABLE dispute_messages (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  dispute_id INTEGER NOT NULL REFERENCES disputes(id),\n"
    "  at INTEGER NOT NULL,\n"
    "  author TEXT NOT NULL,\n"
    "  side TEXT NOT NULL CHECK (side IN ('payee', 'ops')),\n"
    "  text TEXT NOT NULL\n"
    ") STRICT;\n"
    "CREATE INDEX dispute_messages_by_dispute ON dispute_messages (dispute_id);\n"
    "CREATE TABLE plan_changes (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  name TEXT NOT NULL,\n"
    "  source TEXT NOT NULL,\n"
    "  sha256 TEXT NOT NULL,\n"
    "  effective_from INTEGER NOT NULL,\n"
    "  effective_to INTEGER NOT NULL,\n"
    "  status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),\n"
    "  submitted_at INTEGER NOT NULL,\n"
    "  submitted_by TEXT NOT NULL,\n"
    "  reason TEXT,\n"
    "  decided_at INTEGER,\n"
    "  decided_by TEXT,\n"
    "  note TEXT,\n"
    "  version INTEGER\n"
    ") STRICT;\n"
    "CREATE INDEX plan_changes_pending ON plan_changes (id) WHERE status = 'pending';\n"
    "CREATE TABLE acceptances (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  person_id INTEGER NOT NULL,\n"
    "  period TEXT NOT NULL,\n"
    "  terms TEXT NOT NULL CHECK (json_valid(terms)),\n"
    "  terms_sha256 TEXT NOT NULL,\n"
    "  accepted_at INTEGER NOT NULL,\n"
    "  accepted_by TEXT NOT NULL\n"
    ") STRICT;\n"
    "CREATE INDEX acceptances_by_person ON acceptances (person_id, period);\n"
    "CREATE TABLE change_requests (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  person_id INTEGER NOT NULL,\n"
    "  period TEXT NOT NULL,\n"
    "  kind TEXT NOT NULL CHECK (kind IN ('quota', 'deal', 'territory', 'plan', 'other')),\n"
    "  text TEXT NOT NULL,\n"
    "  amount INTEGER,\n"
    "  deal TEXT,\n"
    "  status TEXT NOT NULL CHECK (status IN ('open', 'granted', 'declined')),\n"
    "  raised_at INTEGER NOT NULL,\n"
    "  raised_by TEXT NOT NULL,\n"
    "  answer TEXT,\n"
    "  resolved_at INTEGER,\n"
    "  resolved_by TEXT\n"
    ") STRICT;\n"
    "CREATE INDEX change_requests_by_person ON change_requests (person_id, period);\n";

/* Version 6: incremental runs (`attain calc --incremental`, pay/run.h). Each run keeps the
 * digest of what every payee depends on (global_digest) and, per payee, the digest of what
 * that payee's calculation read and how many earnings lines it had (calc_payee_digests); an
 * incremental run names the run it started from (base_run_id) and how many payees it computed
 * again (recomputed). Runs made before version 6 have no digests and are never a base. */
static const char v6_support_sql[] =
    "ALTER TABLE calc_runs ADD COLUMN global_digest BLOB;\n"
    "ALTER TABLE calc_runs ADD COLUMN base_run_id INTEGER;\n"
    "ALTER TABLE calc_runs ADD COLUMN recomputed INTEGER;\n"
    "CREATE TABLE calc_payee_digests (\n"
    "  run_id INTEGER NOT NULL REFERENCES calc_runs(id),\n"
    "  person_id INTEGER NOT NULL,\n"
    "  digest BLOB NOT NULL,\n"
    "  lines INTEGER NOT NULL,\n"
    "  PRIMARY KEY (run_id, person_id)\n"
    ") STRICT, WITHOUT ROWID;\n";

/* The steps after version 1, in order. A new field of an entity is one step:
 *   {3, "people.nickname", .add_fields = (const char *const[]){"people.nickname", NULL}},
 * a new entity: {4, "commissions", .add_entities = (const char *const[]){"commissions", NULL}}.
 * Anything else (a rename, a NOT NULL column, data to move) is SQL in entity_sql. */
const at_migration at_migrations[] = {
    {2, "import counts per entity in import_counts; audit indexes", v2_support_sql, NULL, NULL,
     NULL},
    {3, "pay: plan versions, calculation runs and results, closed periods; metrics",
     v3_support_sql, NULL, (const char *const[]){"metrics", NULL}, NULL},
    {4, "web: users, sessions and API tokens", v4_support_sql, NULL, NULL, NULL},
    {5, "workflows: disputes, adjustments, plan changes, acceptances, change requests",
     v5_support_sql, NULL, NULL, NULL},
    {6, "incremental runs: payee digests, base run", v6_support_sql, NULL, NULL, NULL},
};
const size_t at_migration_count = sizeof at_migrations / sizeof at_migrations[0];

_Static_assert(sizeof at_migrations / sizeof at_migrations[0] == AT_STORE_SCHEMA_VERSION - 1,
               "one migration step per version after 1: update AT_STORE_SCHEMA_VERSION");
