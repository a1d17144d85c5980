/* web_store_people.c - the reads behind the API's access rule and lists (web_store.h): who is
 * in a manager's team on a day (the effective-dated reporting lines, followed down), people
 * page by page within a scope, calculation runs page by page. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "store/web_store_impl.h"

/* The people reporting, directly or not, to ?1 through lines in force at some time within
 * [?2, ?3]. */
#define TEAM_CTE                                                                                   \
    "WITH RECURSIVE team(pid) AS ("                                                              \
    " SELECT person_id FROM reporting_lines WHERE manager_id = ?1 AND start_date <= ?3"          \
    "  AND (end_date IS NULL OR end_date >= ?2)"                                                 \
    " UNION"                                                                                     \
    " SELECT r.person_id FROM reporting_lines r JOIN team t ON r.manager_id = t.pid"             \
    "  WHERE r.start_date <= ?3 AND (r.end_date IS NULL OR r.end_date >= ?2)) "

at_code at_web_in_team(at_store *store, int64_t manager, int64_t person, at_day from, at_day to,
                       bool *yes, at_error *err)
{
    *yes = false;
    at_code rc = at_pay_store_check(store, false, err);
    if (rc != AT_OK)
        return rc;
    if (manager <= 0 || person <= 0 || manager == person)
        return AT_OK;
    sqlite3_stmt *st;
    rc = at_web_prepare(store, TEAM_CTE "SELECT 1 FROM team WHERE pid = ?4 LIMIT 1", &st,
                        "reading the reporting lines", err);
    if (rc != AT_OK)
        return rc;
    sqlite3_bind_int64(st, 1, manager);
    sqlite3_bind_int64(st, 2, from);
    sqlite3_bind_int64(st, 3, to);
    sqlite3_bind_int64(st, 4, person);
    int r = sqlite3_step(st);
    if (r == SQLITE_ROW)
        *yes = true;
    else if (r != SQLITE_DONE)
        rc = at_sqlite_fail(store, r, "reading the reporting lines", err);
    at_web_statement_done(store, st);
    return rc;
}

/* A manager (?1) and everyone reporting to them, directly or not, through lines in force at
 * some time within [?2, ?3]: the rows a team list starts from (a handful, where scanning the
 * people for membership reads them all). */
#define TEAM_AND_SELF_CTE                                                                          \
    "WITH RECURSIVE team(pid) AS (VALUES(?1)"                                                    \
    " UNION"                                                                                     \
    " SELECT r.person_id FROM reporting_lines r JOIN team t ON r.manager_id = t.pid"             \
    "  WHERE r.start_date <= ?3 AND (r.end_date IS NULL OR r.end_date >= ?2)) "

static const char *col_text(sqlite3_stmt *st, int i)
{
    return (const char *)sqlite3_column_text(st, i);
}

at_code at_web_people_each(at_store *store, const at_web_scope *scope, at_day day,
                           const char *after, size_t limit, const char *search,
                           at_web_person_fn fn, void *ctx, bool *more, at_error *err)
{
    *more = false;
    at_code rc = at_pay_store_check(store, false, err);
    if (rc != AT_OK)
        return rc;
    if (scope->kind == AT_SCOPE_NOBODY)
        return AT_OK;
    at_text sql;
    at_text_init(&sql);
    at_day team_day = scope->kind == AT_SCOPE_TEAM ? scope->day : day;
    if (scope->kind == AT_SCOPE_TEAM)
        at_text_add(&sql, TEAM_AND_SELF_CTE);
    at_text_add(&sql,
                "SELECT p.id, p.ext_id, p.name, p.email, p.role, t.ext_id, p.title, "
                "p.pay_currency, p.country, p.hire_date, p.exit_date, "
                "(SELECT m.ext_id FROM reporting_lines r JOIN people m ON m.id = r.manager_id "
                " WHERE r.person_id = p.id AND r.start_date <= ?5 AND (r.end_date IS NULL OR "
                " r.end_date >= ?5) ORDER BY r.start_date DESC LIMIT 1) ");
    /* a team is read from the manager down (a handful of rows), everyone else by id */
    if (scope->kind == AT_SCOPE_TEAM)
        at_text_add(&sql, "FROM team JOIN people p ON p.id = team.pid ");
    else
        at_text_add(&sql, "FROM people p ");
    at_text_add(&sql, "LEFT JOIN teams t ON t.id = p.team_id WHERE p.ext_id > ?6 ");
    if (scope->kind == AT_SCOPE_SELF)
        at_text_add(&sql, "AND p.id = ?4 ");
    if (search && search[0])
        at_text_add(&sql, "AND (instr(lower(p.name), lower(?7)) > 0 OR "
                          "instr(lower(p.ext_id), lower(?7)) > 0) ");
    at_text_add(&sql, "ORDER BY p.ext_id LIMIT ?8");
    if (sql.failed) {
        at_text_free(&sql);
        return at_sqlite_nomem(store, err);
    }
    sqlite3_stmt *st;
    rc = at_web_prepare(store, sql.ptr, &st, "reading people", err);
    at_text_free(&sql);
    if (rc != AT_OK)
        return rc;
    if (scope->kind == AT_SCOPE_TEAM) {
        sqlite3_bind_int64(st, 1, scope->person_id);
        sqlite3_bind_int64(st, 2, team_day);
        sqlite3_bind_int64(st, 3, team_day);
    }
    sqlite3_bind_int64(st, 4, scope->person_id);
    sqlite3_bind_int64(st, 5, day);
    sqlite3_bind_text(st, 6, after ? after : "", -1, SQLITE_STATIC);
    if (search && search[0])
        sqlite3_bind_text(st, 7, search, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 8, limit ? (int64_t)limit + 1 : -1);
    size_t n = 0;
    int r = SQLITE_DONE;
    while (rc == AT_OK && (r = sqlite3_step(st)) == SQLITE_ROW) {
        if (limit && n == limit) {
            *more = true;
            break;
        }
        at_web_person p = {
            .id = sqlite3_column_int64(st, 0),
            .ext_id = col_text(st, 1),
            .name = col_text(st, 2),
            .email = col_text(st, 3),
            .role = col_text(st, 4),
            .team = col_text(st, 5),
            .title = col_text(st, 6),
            .pay_currency = col_text(st, 7),
            .country = col_text(st, 8),
            .hire_date = sqlite3_column_type(st, 9) == SQLITE_NULL
                             ? AT_DAY_MIN
                             : (at_day)sqlite3_column_int64(st, 9),
            .exit_date = sqlite3_column_type(st, 10) == SQLITE_NULL
                             ? AT_DAY_MAX
                             : (at_day)sqlite3_column_int64(st, 10),
            .manager = col_text(st, 11),
        };
        n++;
        rc = fn(ctx, &p, err);
    }
    if (rc == AT_OK && !*more && r != SQLITE_DONE)
        rc = at_sqlite_fail(store, r, "reading people", err);
    at_web_statement_done(store, st);
    return rc;
}

at_code at_web_runs_each(at_store *store, int64_t before, size_t limit, at_web_run_fn fn,
                         void *ctx, bool *more, at_error *err)
{
    *more = false;
    at_code rc = at_pay_store_check(store, false, err);
    if (rc != AT_OK)
        return rc;
    sqlite3_stmt *st;
    rc = at_sqlite_prepare(store,
                           "SELECT id, period, first_month, last_month, payees, started_at, "
                           "coalesce(finished_at, 0), status, actor, reason, input_sha256, "
                           "plan_versions, seconds, message, people, transactions, credits, lines "
                           "FROM calc_runs WHERE (?1 = 0 OR id < ?1) ORDER BY id DESC LIMIT ?2",
                           false, &st, "reading calculation runs", err);
    if (rc != AT_OK)
        return rc;
    sqlite3_bind_int64(st, 1, before);
    sqlite3_bind_int64(st, 2, limit ? (int64_t)limit + 1 : -1);
    size_t n = 0;
    int r = SQLITE_DONE;
    while (rc == AT_OK && (r = sqlite3_step(st)) == SQLITE_ROW) {
        if (limit && n == limit) {
            *more = true;
            break;
        }
        at_store_run_record run = {
            .id = sqlite3_column_int64(st, 0),
            .period = col_text(st, 1),
            .first_month = col_text(st, 2),
            .last_month = col_text(st, 3),
            .payees = col_text(st, 4),
            .started_at = sqlite3_column_int64(st, 5),
            .finished_at = sqlite3_column_int64(st, 6),
            .status = col_text(st, 7),
            .actor = col_text(st, 8),
            .reason = col_text(st, 9),
            .input_sha256 = col_text(st, 10),
            .plan_versions = col_text(st, 11),
            .seconds = col_text(st, 12),
            .message = col_text(st, 13),
            .people = sqlite3_column_int64(st, 14),
            .transactions = sqlite3_column_int64(st, 15),
            .credits = sqlite3_column_int64(st, 16),
            .lines = sqlite3_column_int64(st, 17),
        };
        n++;
        rc = fn(ctx, &run, err);
    }
    if (rc == AT_OK && !*more && r != SQLITE_DONE)
        rc = at_sqlite_fail(store, r, "reading calculation runs", err);
    sqlite3_finalize(st);
    return rc;
}

at_code at_web_latest_month(at_store *store, char month[16], int64_t *run_id, bool *everyone,
                            bool *found, at_error *err)
{
    *found = false;
    month[0] = '\0';
    *run_id = 0;
    *everyone = false;
    at_code rc = at_pay_store_check(store, false, err);
    if (rc != AT_OK)
        return rc;
    sqlite3_stmt *st;
    rc = at_sqlite_prepare(store,
                           "SELECT id, last_month, payees IS NULL FROM calc_runs WHERE status = "
                           "'done' ORDER BY payees IS NULL DESC, last_month DESC, id DESC LIMIT 1",
                           false, &st, "reading the latest calculation run", err);
    if (rc != AT_OK)
        return rc;
    int r = sqlite3_step(st);
    if (r == SQLITE_ROW) {
        *found = true;
        *run_id = sqlite3_column_int64(st, 0);
        const char *m = col_text(st, 1);
        snprintf(month, 16, "%s", m ? m : "");
        *everyone = sqlite3_column_int(st, 2) != 0;
    } else if (r != SQLITE_DONE) {
        rc = at_sqlite_fail(store, r, "reading the latest calculation run", err);
    }
    sqlite3_finalize(st);
    return rc;
}
