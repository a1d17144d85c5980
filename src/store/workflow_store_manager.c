/* workflow_store_manager.c - a manager's decision on a change request from their team
 * (workflow_store.h): quota and territory requests are the manager's to grant or decline
 * (the other kinds stay with sales ops); nobody decides a request they raised or one about
 * themselves. Granted requests are then applied by sales ops (a quotas or territories import)
 * and the request keeps who decided and why. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "store/workflow_store_impl.h"

at_code at_wf_request_decide(at_store *store, int64_t id, int64_t person_id,
                             int64_t decider_person_id, bool granted, const char *answer,
                             const char *actor, at_error *err)
{
    at_code rc = at_pay_store_check(store, false, err);
    if (rc != AT_OK)
        return rc;
    sqlite3_stmt *st;
    rc = at_sqlite_prepare(store,
                           "SELECT kind, raised_by FROM change_requests WHERE id = ?1 AND "
                           "person_id = ?2",
                           false, &st, "reading a change request", err);
    if (rc != AT_OK)
        return rc;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, person_id);
    char kind[16] = "", raised_by[128] = "";
    int r = sqlite3_step(st);
    if (r == SQLITE_ROW) {
        const char *k = (const char *)sqlite3_column_text(st, 0);
        const char *by = (const char *)sqlite3_column_text(st, 1);
        snprintf(kind, sizeof kind, "%s", k ? k : "");
        snprintf(raised_by, sizeof raised_by, "%s", by ? by : "");
    } else if (r == SQLITE_DONE) {
        rc = at_fail(err, AT_ERR_NOT_FOUND, "id", "list them with GET /api/v1/change-requests",
                     "the payee has no change request %" PRId64, id);
    } else {
        rc = at_sqlite_fail(store, r, "reading a change request", err);
    }
    sqlite3_finalize(st);
    if (rc != AT_OK)
        return rc;
    if (strcmp(kind, "quota") != 0 && strcmp(kind, "territory") != 0)
        return at_fail(err, AT_ERR_CONFLICT, "kind",
                       "sales ops resolves requests of this kind",
                       "a manager decides quota and territory requests; this one is about %s",
                       kind);
    if (decider_person_id > 0 && decider_person_id == person_id)
        return at_fail(err, AT_ERR_CONFLICT, "approver",
                       "your own manager or sales ops decides it",
                       "you cannot decide a change request about yourself");
    if (actor && strcmp(actor, raised_by) == 0)
        return at_fail(err, AT_ERR_CONFLICT, "approver",
                       "another manager above the payee or sales ops decides it",
                       "you raised this change request: someone else decides it");
    return at_wf_request_resolve(store, id, person_id, granted, answer, actor, err);
}
