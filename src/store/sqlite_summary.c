/* sqlite_summary.c - the headline figures of `attain summary` from SQLite: rows per entity,
 * people by role, open pipeline and won amounts by currency, transactions of the last 12
 * months by type and currency, the win rate of closed opportunities, and the span of dates
 * the data covers. A figure whose entity or fields are not in the store stays empty. */
#include <stdio.h>
#include <string.h>

#include "store/sqlite_impl.h"

#define DB(s) (((sq_store *)(s)->backend)->db)

static bool has(at_store *s, const char *entity, const char *const *fields)
{
    long slot = at_store_slot_named(s, entity);
    if (slot < 0)
        return false;
    for (size_t i = 0; fields[i]; i++)
        if (at_store_field_index(s->entities[slot], fields[i]) < 0)
            return false;
    return true;
}

static at_code prepare(at_store *s, const char *sql, sqlite3_stmt **st, at_error *err)
{
    int r = sqlite3_prepare_v2(DB(s), sql, -1, st, NULL);
    return r == SQLITE_OK ? AT_OK : at_sqlite_fail(s, r, "summarising", err);
}

static at_code nomem(at_store *s, at_error *err)
{
    return at_fail(err, AT_ERR_NOMEM, s->path, NULL, "out of memory summarising");
}

static const char *arena_text(at_arena *arena, sqlite3_stmt *st, int col)
{
    const char *t = (const char *)sqlite3_column_text(st, col);
    return at_arena_strdup(arena, t ? t : "");
}

/* Runs sql (columns: label, currency, count, amount; ?1 and ?2 bound to a and b when
 * bind) and collects its rows into an arena array. */
static at_code figures(at_store *s, const char *sql, bool bind, int64_t a, int64_t b,
                       at_arena *arena, at_store_figure **out, size_t *count, at_error *err)
{
    sqlite3_stmt *st;
    at_code rc = prepare(s, sql, &st, err);
    if (rc != AT_OK)
        return rc;
    if (bind) {
        sqlite3_bind_int64(st, 1, a);
        sqlite3_bind_int64(st, 2, b);
    }
    size_t n = 0, cap = 0;
    at_store_figure *list = NULL;
    int r;
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        if (n == cap) {
            size_t ncap = cap ? cap * 2 : 8;
            at_store_figure *p = at_arena_alloc(arena, ncap * sizeof *p);
            if (!p) {
                sqlite3_finalize(st);
                return nomem(s, err);
            }
            if (n)
                memcpy(p, list, n * sizeof *p);
            list = p;
            cap = ncap;
        }
        at_store_figure f = {arena_text(arena, st, 0), arena_text(arena, st, 1),
                             sqlite3_column_int64(st, 2), sqlite3_column_int64(st, 3)};
        if (!f.label || !f.currency) {
            sqlite3_finalize(st);
            return nomem(s, err);
        }
        list[n++] = f;
    }
    sqlite3_finalize(st);
    if (r != SQLITE_DONE)
        return at_sqlite_fail(s, r, "summarising", err);
    *out = list;
    *count = n;
    return AT_OK;
}

/* The first transaction date (0 when none). */
static at_code query_first(at_store *s, int64_t *first, at_error *err)
{
    sqlite3_stmt *st;
    at_code rc = prepare(s, "SELECT min(date) FROM transactions", &st, err);
    if (rc != AT_OK)
        return rc;
    int r = sqlite3_step(st);
    if (r == SQLITE_ROW)
        *first = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return r == SQLITE_ROW ? AT_OK : at_sqlite_fail(s, r, "summarising", err);
}

/* The smallest and largest value of a column (a day, or a time turned into its day). */
static at_code span(at_store *s, const char *table, const char *column, bool is_time,
                    at_store_summary *out, at_error *err)
{
    const char *fields[] = {column, NULL};
    if (!has(s, table, fields))
        return AT_OK;
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT min(\"%s\"), max(\"%s\") FROM \"%s\"", column, column,
             table);
    sqlite3_stmt *st;
    at_code rc = prepare(s, sql, &st, err);
    if (rc != AT_OK)
        return rc;
    int r = sqlite3_step(st);
    if (r == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
        int64_t lo = sqlite3_column_int64(st, 0), hi = sqlite3_column_int64(st, 1);
        at_day dlo = is_time ? at_time_day(lo) : (at_day)lo;
        at_day dhi = is_time ? at_time_day(hi) : (at_day)hi;
        if (!out->has_dates || dlo < out->first_day)
            out->first_day = dlo;
        if (!out->has_dates || dhi > out->last_day)
            out->last_day = dhi;
        out->has_dates = true;
    }
    sqlite3_finalize(st);
    return r == SQLITE_ROW || r == SQLITE_DONE ? AT_OK : at_sqlite_fail(s, r, "summarising", err);
}

at_code at_sqlite_summarize(at_store *s, const at_day *as_of, at_arena *arena,
                            at_store_summary *out, at_error *err)
{
    at_code rc = AT_OK;
    out->entities = at_arena_calloc(arena, s->entity_count ? s->entity_count : 1,
                                    sizeof *out->entities);
    if (!out->entities)
        return nomem(s, err);
    for (size_t i = 0; rc == AT_OK && i < s->entity_count; i++) {
        out->entities[i].label = s->entities[i]->name;
        out->entities[i].currency = "";
        rc = at_store_count(s, s->entities[i], &out->entities[i].count, err);
    }
    out->entity_count = s->entity_count;

    static const char *const role[] = {"role", NULL};
    if (rc == AT_OK && has(s, "people", role))
        rc = figures(s,
                     "SELECT role, '', count(*), 0 FROM people GROUP BY role ORDER BY role",
                     false, 0, 0, arena, &out->people_by_role, &out->role_count, err);

    static const char *const opp[] = {"status", "amount", "currency", NULL};
    if (rc == AT_OK && has(s, "opportunities", opp)) {
        rc = figures(s,
                     "SELECT 'open', coalesce(currency, ''), count(*), coalesce(sum(amount), 0) "
                     "FROM opportunities WHERE status = 'open' GROUP BY 2 ORDER BY 2",
                     false, 0, 0, arena, &out->open_pipeline, &out->open_count, err);
        if (rc == AT_OK)
            rc = figures(s,
                         "SELECT 'won', coalesce(currency, ''), count(*), "
                         "coalesce(sum(amount), 0) FROM opportunities WHERE status = 'won' "
                         "GROUP BY 2 ORDER BY 2",
                         false, 0, 0, arena, &out->won, &out->won_count, err);
        sqlite3_stmt *st;
        if (rc == AT_OK)
            rc = prepare(s,
                         "SELECT coalesce(sum(status = 'won'), 0), coalesce(sum(status = "
                         "'lost'), 0) FROM opportunities",
                         &st, err);
        if (rc == AT_OK) {
            int r = sqlite3_step(st);
            if (r == SQLITE_ROW) {
                out->opportunities_won = sqlite3_column_int64(st, 0);
                out->opportunities_lost = sqlite3_column_int64(st, 1);
            } else {
                rc = at_sqlite_fail(s, r, "summarising", err);
            }
            sqlite3_finalize(st);
        }
        int64_t closed = out->opportunities_won + out->opportunities_lost;
        if (rc == AT_OK && closed > 0) {
            rc = at_div_round_i128((__int128)out->opportunities_won * AT_RATE_SCALE, closed,
                                   AT_ROUND_HALF_EVEN, &out->win_rate, err);
            out->has_win_rate = rc == AT_OK;
        }
    }

    static const char *const tx[] = {"type", "date", "amount", "currency", NULL};
    if (rc == AT_OK && has(s, "transactions", tx)) {
        int64_t last = as_of ? *as_of : 0;
        bool any = as_of != NULL;
        if (!any) {
            sqlite3_stmt *st;
            rc = prepare(s, "SELECT max(date) FROM transactions", &st, err);
            if (rc == AT_OK) {
                int r = sqlite3_step(st);
                if (r == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
                    last = sqlite3_column_int64(st, 0);
                    any = true;
                } else if (r != SQLITE_ROW) {
                    rc = at_sqlite_fail(s, r, "summarising", err);
                }
                sqlite3_finalize(st);
            }
        }
        int64_t first = 0;
        if (rc == AT_OK && any)
            rc = query_first(s, &first, err);
        if (rc == AT_OK && any && last >= AT_DAY_MIN && last <= AT_DAY_MAX) {
            out->transactions_to = (at_day)last;
            out->transactions_from = at_day_add_months((at_day)last, -12) + 1;
            if (first > out->transactions_from && first <= last)
                out->transactions_from = (at_day)first; /* less than 12 months of data */
            out->has_transactions = true;
            rc = figures(s,
                         "SELECT type, currency, count(*), coalesce(sum(amount), 0) "
                         "FROM transactions WHERE date BETWEEN ?1 AND ?2 "
                         "GROUP BY type, currency ORDER BY type, currency",
                         true, out->transactions_from, out->transactions_to, arena,
                         &out->transactions, &out->transaction_count, err);
        }
    }

    if (rc == AT_OK)
        rc = span(s, "transactions", "date", false, out, err);
    if (rc == AT_OK)
        rc = span(s, "opportunities", "created_on", false, out, err);
    if (rc == AT_OK)
        rc = span(s, "opportunities", "closed_on", false, out, err);
    if (rc == AT_OK)
        rc = span(s, "activities", "occurred_at", true, out, err);
    if (rc == AT_OK)
        rc = span(s, "leads", "created_at", true, out, err);
    return rc;
}
