/* workflow_store_impl.h - inside the workflow store (workflow_store*.c): the helpers its files
 * share (statements, transactions, people, months, the list scope's SQL). */
#ifndef ATTAIN_STORE_WORKFLOW_STORE_IMPL_H
#define ATTAIN_STORE_WORKFLOW_STORE_IMPL_H

#include "store/pay_store_impl.h"
#include "store/workflow_store.h"

/* The scope of a list as SQL. A query starts with WF_SCOPE_CTE and puts
 * WF_SCOPE_WHERE(column) in its WHERE clause; at_wf_bind_scope binds ?1..?4:
 * ?1 the scope's person, ?2 and ?3 the day the team is read on, ?4 the scope's kind
 * (at_web_scope_kind: 0 everyone, 1 team, 2 self, 3 nobody). The other parameters start at
 * ?5. */
#define WF_SCOPE_CTE                                                                               \
    "WITH RECURSIVE team(pid) AS ("                                                              \
    " SELECT person_id FROM reporting_lines WHERE ?4 = 1 AND manager_id = ?1"                    \
    "  AND start_date <= ?3 AND (end_date IS NULL OR end_date >= ?2)"                            \
    " UNION"                                                                                     \
    " SELECT r.person_id FROM reporting_lines r JOIN team t ON r.manager_id = t.pid"             \
    "  WHERE r.start_date <= ?3 AND (r.end_date IS NULL OR r.end_date >= ?2)) "
#define WF_SCOPE_WHERE(col)                                                                        \
    " (?4 = 0 OR (?4 IN (1, 2) AND " col " = ?1) OR (?4 = 1 AND " col                            \
    " IN (SELECT pid FROM team))) "

void at_wf_bind_scope(sqlite3_stmt *st, const at_web_scope *scope);

/* Commit when rc is AT_OK, else roll back keeping the first error. */
at_code at_wf_end(at_store *store, at_code rc, at_error *err);
/* Runs a prepared statement to its end and finalizes it. */
at_code at_wf_step_done(at_store *store, sqlite3_stmt *st, const char *doing, at_error *err);
/* A column's text copied into arena (NULL stays NULL). */
const char *at_wf_col(at_arena *arena, sqlite3_stmt *st, int col);

/* A person's external id, name and pay currency (into the buffers; "" when not given).
 * AT_ERR_NOT_FOUND when there is no such person. */
at_code at_wf_person(at_store *store, int64_t person_id, char ext[129], char name[257],
                     char currency[8], at_error *err);

/* The days of a period label of the fiscal calendar (month, quarter, half, year);
 * AT_ERR_INVALID naming field when it is not one. *kind (may be NULL) is its kind. */
at_code at_wf_period_days(at_store *store, const char *label, const char *field,
                          at_period_kind *kind, at_day *first, at_day *last, at_error *err);
/* Whether a fiscal month is closed. */
at_code at_wf_month_closed(at_store *store, const char *month, bool *closed, at_error *err);

/* Writes an audit row in the open transaction: action on table, keyed by id. */
at_code at_wf_audit(at_store *store, const char *action, const char *table, int64_t id,
                    const char *before, const char *after, at_error *err);

/* Inserts an adjustment in the open transaction (the rules of at_wf_adjustment_add, which
 * also the dispute resolution uses). */
at_code at_wf_adjustment_insert(at_store *store, const at_wf_adjustment_new *a,
                                int64_t dispute_id, int64_t *id, bool *pending, at_error *err);

#endif
