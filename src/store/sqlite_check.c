/* sqlite_check.c - `attain db check` on SQLite: the file's integrity, references that point
 * nowhere, the schema version, and that every entity's table has the columns its descriptor
 * names (a field added without a migration shows up here). */
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/sqlite_impl.h"

/* ---- check ---------------------------------------------------------------------------- */

static at_code add_problem(at_error_list *problems, at_store *s, const char *hint,
                           const char *fmt, const char *a, const char *b, at_error *err)
{
    if (at_error_list_addf(problems, AT_ERR_STORE, s->path, hint, fmt, a, b) != AT_OK)
        return at_sqlite_nomem(s, err);
    return AT_OK;
}

static at_code check_table(at_store *s, const at_entity *e, at_error_list *problems,
                           at_error *err)
{
    at_text sql;
    at_text_init(&sql);
    at_text_add(&sql, "SELECT name, type, \"notnull\" FROM pragma_table_info(");
    at_text_sql_string(&sql, e->name);
    at_text_add(&sql, ")");
    sqlite3_stmt *st = NULL;
    at_code rc = sql.failed ? at_sqlite_nomem(s, err)
                            : at_sqlite_prepare(s, at_text_cstr(&sql), false, &st, "checking tables", err);
    at_text_free(&sql);
    if (rc != AT_OK)
        return rc;
    bool *seen = calloc(e->field_count + 1, sizeof *seen);
    if (!seen) {
        sqlite3_finalize(st);
        return at_sqlite_nomem(s, err);
    }
    size_t columns = 0;
    int r;
    static const char HINT[] =
        "every change to entities.c needs a migration in src/store/schema.c; run `attain db "
        "migrate`, or report this";
    while (rc == AT_OK && (r = sqlite3_step(st)) == SQLITE_ROW) {
        columns++;
        const char *name = (const char *)sqlite3_column_text(st, 0);
        const char *type = (const char *)sqlite3_column_text(st, 1);
        if (strcmp(name, "id") == 0 || strcmp(name, "import_id") == 0)
            continue;
        size_t i = 0;
        while (i < e->field_count && strcmp(at_schema_column(&e->fields[i]), name) != 0)
            i++;
        if (i == e->field_count) {
            char where[160];
            snprintf(where, sizeof where, "%s.%s", e->name, name);
            rc = add_problem(problems, s, HINT,
                             "column %s is in the database but no field describes it (%s)",
                             where, "extra column", err);
            continue;
        }
        seen[i] = true;
        const char *want = at_schema_sql_type(e->fields[i].type);
        if (strcmp(type, want) != 0) {
            char what[160];
            snprintf(what, sizeof what, "%s.%s", e->name, name);
            rc = add_problem(problems, s, HINT, "column %s has type %s", what, type, err);
        }
    }
    sqlite3_finalize(st);
    if (rc == AT_OK && columns == 0)
        rc = add_problem(problems, s, HINT, "table %s is missing%s", e->name, "", err);
    for (size_t i = 0; rc == AT_OK && columns && i < e->field_count; i++)
        if (!seen[i]) {
            char what[160];
            snprintf(what, sizeof what, "%s.%s", e->name, at_schema_column(&e->fields[i]));
            rc = add_problem(problems, s, HINT, "column %s is missing%s", what, "", err);
        }
    free(seen);
    return rc;
}

at_code at_sqlite_check(at_store *s, at_error_list *problems, at_error *err)
{
    int v = 0;
    at_code rc = at_sqlite_read_version(s, &v, err);
    if (rc != AT_OK)
        return rc;
    if (v < AT_STORE_SCHEMA_VERSION) {
        char text[64];
        snprintf(text, sizeof text, "%d (this attain uses %d)", v, AT_STORE_SCHEMA_VERSION);
        rc = add_problem(problems, s, "run `attain db migrate`",
                         "the schema version is %s%s", text, "", err);
    }
    sqlite3_stmt *st = NULL;
    if (rc == AT_OK)
        rc = at_sqlite_prepare(s, "PRAGMA integrity_check(100)", false, &st, "checking integrity", err);
    int r = SQLITE_DONE;
    while (rc == AT_OK && (r = sqlite3_step(st)) == SQLITE_ROW) {
        const char *line = (const char *)sqlite3_column_text(st, 0);
        if (strcmp(line, "ok") != 0)
            rc = add_problem(problems, s, "restore the database from a backup",
                             "integrity check: %s%s", line, "", err);
    }
    if (rc == AT_OK && r != SQLITE_DONE)
        rc = at_sqlite_fail(s, r, "checking integrity", err);
    sqlite3_finalize(st);
    st = NULL;
    if (rc == AT_OK)
        rc = at_sqlite_prepare(s, "SELECT \"table\", rowid, parent FROM pragma_foreign_key_check", false,
                     &st, "checking references", err);
    r = SQLITE_DONE;
    while (rc == AT_OK && (r = sqlite3_step(st)) == SQLITE_ROW) {
        char what[200];
        snprintf(what, sizeof what, "row #%" PRId64 " of %s", (int64_t)sqlite3_column_int64(st, 1),
                 (const char *)sqlite3_column_text(st, 0));
        rc = add_problem(problems, s, "fix or delete the row",
                         "%s refers to a row of %s that does not exist", what,
                         (const char *)sqlite3_column_text(st, 2), err);
    }
    if (rc == AT_OK && r != SQLITE_DONE)
        rc = at_sqlite_fail(s, r, "checking references", err);
    sqlite3_finalize(st);
    for (size_t i = 0; rc == AT_OK && i < s->entity_count; i++)
        rc = check_table(s, s->entities[i], problems, err);
    return rc;
}

