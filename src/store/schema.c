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

/* The steps after version 1, in order. A new field of an entity is one step:
 *   {3, "people.nickname", .add_fields = (const char *const[]){"people.nickname", NULL}},
 * a new entity: {4, "commissions", .add_entities = (const char *const[]){"commissions", NULL}}.
 * Anything else (a rename, a NOT NULL column, data to move) is SQL in entity_sql. */
const at_migration at_migrations[] = {
    {2, "import counts per entity in import_counts; audit indexes", v2_support_sql, NULL, NULL,
     NULL},
};
const size_t at_migration_count = sizeof at_migrations / sizeof at_migrations[0];

_Static_assert(sizeof at_migrations / sizeof at_migrations[0] == AT_STORE_SCHEMA_VERSION - 1,
               "one migration step per version after 1: update AT_STORE_SCHEMA_VERSION");
