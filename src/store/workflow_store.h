/* workflow_store.h - what the store keeps for the workflows around pay (src/web/api_workflows*.c
 * and `attain workflow`): disputes on statement lines, manual adjustments and their approval,
 * plan versions submitted for approval, acceptance of plan and quota terms, change requests,
 * and the workflow settings.
 *
 * Tables (schema version 5, store/schema.c):
 *   workflow_settings (key, value, set_at, set_by): approval_threshold (money, 1e-4)
 *   adjustments      (id, person_id, month, amount, currency, reason, status
 *                     pending|approved|rejected, needs_approval, dispute_id, created_at,
 *                     created_by, decided_at, decided_by, note)
 *   disputes         (id, person_id, month, line_key, comment, status open|answered|resolved,
 *                     outcome adjusted|no_change when resolved, raised_at, raised_by,
 *                     updated_at, resolution, resolved_at, resolved_by, adjustment_id)
 *   dispute_messages (id, dispute_id, at, author, side payee|ops, text)
 *   plan_changes     (id, name, source, sha256, effective_from, effective_to, status
 *                     pending|approved|rejected, submitted_at, submitted_by, reason,
 *                     decided_at, decided_by, note, version: the plan version stored)
 *   acceptances      (id, person_id, period, terms JSON, terms_sha256, accepted_at,
 *                     accepted_by)
 *   change_requests  (id, person_id, period, kind quota|deal|territory|plan|other, text,
 *                     amount, deal, status open|granted|declined, raised_at, raised_by,
 *                     answer, resolved_at, resolved_by)
 *
 * The rules live here, not in the API, so that the CLI and the API keep them alike:
 *  - A dispute names a line of the payee's statement (a line key of the latest run covering
 *    the month, or of the month's locked lines); one unresolved dispute per line. Messages
 *    from the payee's side reopen it, from ops mark it answered; a resolved dispute takes
 *    neither messages nor a second resolution (AT_ERR_CONFLICT). Resolving it with an
 *    adjustment creates the adjustment in the same transaction.
 *  - A manual adjustment is in the payee's pay currency, for an open month. Its amount's
 *    magnitude above the approval threshold (the setting; unset: every adjustment) makes it
 *    pending until finance approves it; otherwise it is approved when made. Only approved
 *    adjustments reach pay (at_wf_adjustments_load).
 *  - Segregation of duties: whoever made an adjustment or submitted a plan change cannot
 *    decide it: AT_ERR_CONFLICT with where "approver" (the API answers 403). A decided item
 *    cannot be decided again (AT_ERR_CONFLICT).
 *  - A plan change approved becomes a plan version (at_store_plan_save: loaded_by is the
 *    submitter, the reason says who approved it).
 *  - An acceptance records the terms (plans and quotas) as they are when accepted, with their
 *    SHA-256: terms that change later need accepting again.
 * Every change writes audit rows (entity = the table, key = the id) with the actor given.
 * Actors are compared as given ("api:LOGIN", "cli:NAME"). SQLite only, like the pay store. */
#ifndef ATTAIN_STORE_WORKFLOW_STORE_H
#define ATTAIN_STORE_WORKFLOW_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "calc/calc.h"
#include "core/arena.h"
#include "core/date.h"
#include "core/error.h"
#include "core/money.h"
#include "store/pay_store.h"
#include "store/store.h"
#include "store/web_store.h"

/* What a list shows: the people of scope (web_store.h), and optional filters (NULL / 0: any).
 * Newest first; before > 0 lists ids below it; limit 0: all; *more says whether more are
 * left. */
typedef struct at_wf_filter {
    at_web_scope scope;
    int64_t person_id;        /* one payee */
    const char *status;
    const char *month;        /* disputes, adjustments: the month; change requests: the period */
    int64_t before;
    size_t limit;
} at_wf_filter;

/* ---- settings ------------------------------------------------------------------------------ */

/* The approval threshold: adjustments whose amount's magnitude is above it need approval.
 * *set false (and *threshold 0) when never set: then every adjustment needs approval. */
at_code at_wf_threshold_get(at_store *store, at_money *threshold, bool *set, at_time *set_at,
                            char set_by[96], at_error *err);
/* AT_ERR_INVALID for a negative threshold. Audited as an update of workflow_settings. */
at_code at_wf_threshold_set(at_store *store, at_money threshold, const char *actor,
                            const char *reason, at_error *err);

/* ---- manual adjustments ---------------------------------------------------------------------- */

typedef struct at_wf_adjustment {
    int64_t id;
    int64_t person_id;
    const char *person, *person_name;   /* external id and name ("" when the person is gone) */
    const char *month;
    at_money amount;
    const char *currency;
    const char *reason;
    const char *status;                 /* pending, approved, rejected */
    bool needs_approval;
    int64_t dispute_id;                 /* 0: none */
    at_time created_at;
    const char *created_by;
    at_time decided_at;                 /* 0: not decided (or approved when made) */
    const char *decided_by, *note;      /* NULL when none */
} at_wf_adjustment;

typedef struct at_wf_adjustment_new {
    int64_t person_id;
    const char *month;                  /* a fiscal month label, open */
    at_money amount;                    /* not 0 */
    const char *currency;               /* NULL: the payee's pay currency; else must be it */
    const char *reason;                 /* required, at most 1000 bytes */
} at_wf_adjustment_new;

/* Makes an adjustment: approved at once when its magnitude is at most the threshold, pending
 * otherwise (*pending says which). Errors: AT_ERR_INVALID (amount 0, no reason, a month that
 * is not a month of the calendar, a currency that is not the payee's), AT_ERR_NOT_FOUND (no
 * such person), AT_ERR_LOCKED (the month is closed). */
at_code at_wf_adjustment_add(at_store *store, const at_wf_adjustment_new *a, const char *actor,
                             int64_t *id, bool *pending, at_error *err);
/* Approves or rejects a pending adjustment. AT_ERR_NOT_FOUND, AT_ERR_CONFLICT (not pending;
 * or where "approver": the actor made it). */
at_code at_wf_adjustment_decide(at_store *store, int64_t id, bool approve, const char *note,
                                const char *actor, at_error *err);
/* One adjustment (strings in arena). *found false when there is none. */
at_code at_wf_adjustment_get(at_store *store, int64_t id, at_arena *arena, at_wf_adjustment *out,
                             bool *found, at_error *err);
typedef at_code (*at_wf_adjustment_fn)(void *ctx, const at_wf_adjustment *a, at_error *err);
at_code at_wf_adjustment_each(at_store *store, const at_wf_filter *filter,
                              at_wf_adjustment_fn fn, void *ctx, bool *more, at_error *err);

/* The approved adjustments of the months input computes (from the first month of the fiscal
 * year of input->first_month to input->last_month) for the people data loaded, as the
 * engine's input: key "manual/ID", explain "the reason (adjustment ID, approved by ...)".
 * Sorted by person and id. Memory in arena. */
at_code at_wf_adjustments_load(at_store *store, const at_calc_input *input,
                               const at_store_calc_data *data, at_arena *arena,
                               at_calc_manual_line **out, size_t *count, at_error *err);

/* ---- disputes ------------------------------------------------------------------------------ */

typedef struct at_wf_message {
    at_time at;
    const char *author, *side, *text;   /* side: payee or ops */
} at_wf_message;

typedef struct at_wf_dispute {
    int64_t id;
    int64_t person_id;
    const char *person, *person_name;
    const char *month, *line_key, *comment;
    const char *status, *outcome;       /* outcome NULL until resolved */
    at_time raised_at, updated_at, resolved_at;
    const char *raised_by, *resolution, *resolved_by;
    int64_t adjustment_id;              /* 0: none */
    const at_wf_message *messages;      /* at_wf_dispute_get only */
    size_t message_count;
} at_wf_dispute;

/* Raises a dispute on a line of person's statement for month. Errors: AT_ERR_INVALID (no
 * comment, a line key the statement does not have), AT_ERR_NOT_FOUND (no run covers the
 * month for the person), AT_ERR_CONFLICT (an unresolved dispute on the line already). */
at_code at_wf_dispute_raise(at_store *store, int64_t person_id, const char *month,
                            const char *line_key, const char *comment, const char *actor,
                            int64_t *id, at_error *err);
/* Adds a message: from ops (status answered) or from the payee's side (status open again).
 * person_id must be the dispute's (else AT_ERR_NOT_FOUND). AT_ERR_CONFLICT when resolved. */
at_code at_wf_dispute_message(at_store *store, int64_t id, int64_t person_id, bool from_ops,
                              const char *text, const char *actor, at_error *err);

typedef struct at_wf_resolution {
    const char *text;                   /* the outcome, for the payee (required) */
    bool adjust;                        /* with an adjustment: */
    at_money amount;
    const char *month;                  /* NULL: the dispute's month */
    const char *reason;                 /* NULL: "dispute ID: " + text */
} at_wf_resolution;

/* Resolves a dispute, with an adjustment (made as at_wf_adjustment_add makes one: approved or
 * pending by the threshold) or without. AT_ERR_CONFLICT when resolved already. *adjustment_id
 * and *pending (may be NULL) say what was made. */
at_code at_wf_dispute_resolve(at_store *store, int64_t id, int64_t person_id,
                              const at_wf_resolution *r, const char *actor,
                              int64_t *adjustment_id, bool *pending, at_error *err);
/* One dispute with its messages (oldest first); person_id must be the dispute's. */
at_code at_wf_dispute_get(at_store *store, int64_t id, int64_t person_id, at_arena *arena,
                          at_wf_dispute *out, bool *found, at_error *err);
typedef at_code (*at_wf_dispute_fn)(void *ctx, const at_wf_dispute *d, at_error *err);
at_code at_wf_dispute_each(at_store *store, const at_wf_filter *filter, at_wf_dispute_fn fn,
                           void *ctx, bool *more, at_error *err);

/* ---- plan changes -------------------------------------------------------------------------- */

typedef struct at_wf_plan_change {
    int64_t id;
    const char *name, *sha256;
    at_day effective_from, effective_to;
    const char *status;
    at_time submitted_at, decided_at;
    const char *submitted_by, *reason, *decided_by, *note;
    int version;                        /* the version stored when approved; else 0 */
    int latest;                         /* the plan's latest stored version now; 0: none */
    const char *source;                 /* at_wf_plan_change_get only */
} at_wf_plan_change;

/* Submits a plan document (already read and checked by the caller) for approval.
 * AT_ERR_CONFLICT when the same document is pending already or is the latest version. */
at_code at_wf_plan_submit(at_store *store, const char *name, const char *source, size_t length,
                          const char *sha256, at_day effective_from, at_day effective_to,
                          const char *actor, const char *reason, int64_t *id, at_error *err);
/* Approves (storing the plan version; *version is its number) or rejects a pending change.
 * AT_ERR_NOT_FOUND, AT_ERR_CONFLICT (decided already; where "approver": the actor submitted
 * it). */
at_code at_wf_plan_decide(at_store *store, int64_t id, bool approve, const char *note,
                          const char *actor, int *version, at_error *err);
at_code at_wf_plan_change_get(at_store *store, int64_t id, at_arena *arena,
                              at_wf_plan_change *out, bool *found, at_error *err);
/* filter: status and before/limit only. */
typedef at_code (*at_wf_plan_change_fn)(void *ctx, const at_wf_plan_change *c, at_error *err);
at_code at_wf_plan_change_each(at_store *store, const at_wf_filter *filter,
                               at_wf_plan_change_fn fn, void *ctx, bool *more, at_error *err);

/* ---- acceptance ---------------------------------------------------------------------------- */

typedef struct at_wf_term_plan {
    const char *assignment;             /* plan_assignments id */
    const char *plan;
    int version;                        /* in force on the first day covered; 0: none loaded */
    const char *sha256;                 /* NULL when none */
    at_day from, to;                    /* the assignment's days within the period */
} at_wf_term_plan;

typedef struct at_wf_term_quota {
    const char *measure, *period;
    at_money amount;
    const char *currency;               /* NULL for counts */
} at_wf_term_quota;

typedef struct at_wf_terms {
    const char *period;                 /* the label asked for */
    at_day first, last;
    const at_wf_term_plan *plans;   size_t plan_count;   /* by start, then assignment id */
    const at_wf_term_quota *quotas; size_t quota_count;  /* quotas inside the period */
    const char *json;                   /* the terms as canonical JSON */
    char sha256[65];                    /* of json; "" when there are no plans */
    /* the latest acceptance for the period, if any */
    bool accepted;
    at_time accepted_at;
    const char *accepted_by;
    char accepted_sha256[65];
    /* open change requests for the period */
    int64_t open_requests;
} at_wf_terms;

/* The acceptance status of terms: "nothing" (no plan), "accepted" (these terms), "changed"
 * (earlier terms accepted), "change_requested" (an open request, nothing accepted since), or
 * "pending". */
const char *at_wf_terms_status(const at_wf_terms *t);

/* A person's terms for a period label (month, quarter, half or year). AT_ERR_INVALID for a
 * label that is not a period of the calendar. */
at_code at_wf_terms_get(at_store *store, int64_t person_id, const char *period, at_arena *arena,
                        at_wf_terms *out, at_error *err);
/* Records that the person accepts their current terms for the period. AT_ERR_CONFLICT when
 * there is nothing to accept or these terms are accepted already. *terms_sha256 (65 bytes,
 * may be NULL) gets what was accepted. */
at_code at_wf_accept(at_store *store, int64_t person_id, const char *period, const char *actor,
                     char *terms_sha256, at_error *err);

/* One line of the distribution: a person with a plan in the period, and their status. */
typedef struct at_wf_distribution_row {
    const char *person, *name, *status;
    const at_wf_terms *terms;
} at_wf_distribution_row;
typedef at_code (*at_wf_distribution_fn)(void *ctx, const at_wf_distribution_row *row,
                                         at_error *err);
/* Everyone in scope with a plan assignment in the period, by external id. */
at_code at_wf_distribution(at_store *store, const at_web_scope *scope, const char *period,
                           at_arena *arena, at_wf_distribution_fn fn, void *ctx, at_error *err);

/* ---- change requests ------------------------------------------------------------------------ */

typedef struct at_wf_change_request {
    int64_t id;
    int64_t person_id;
    const char *person, *person_name;
    const char *period, *kind, *text;
    bool has_amount;
    at_money amount;
    const char *deal;                   /* a transaction id, or NULL */
    const char *status;                 /* open, granted, declined */
    at_time raised_at, resolved_at;
    const char *raised_by, *answer, *resolved_by;
} at_wf_change_request;

/* Raises a change request. kind: quota, deal, territory, plan or other. Errors:
 * AT_ERR_INVALID (kind, no text, a period that is not one of the calendar). */
at_code at_wf_request_raise(at_store *store, const at_wf_change_request *r, const char *actor,
                            int64_t *id, at_error *err);
/* Resolves an open request: granted or declined, with an answer (required). person_id must be
 * the request's. AT_ERR_CONFLICT when resolved already. */
at_code at_wf_request_resolve(at_store *store, int64_t id, int64_t person_id, bool granted,
                              const char *answer, const char *actor, at_error *err);
typedef at_code (*at_wf_request_fn)(void *ctx, const at_wf_change_request *r, at_error *err);
at_code at_wf_request_each(at_store *store, const at_wf_filter *filter, at_wf_request_fn fn,
                           void *ctx, bool *more, at_error *err);

/* A manager's decision on a change request of someone in their team (the caller has checked
 * the team): granted or declined with an answer, as at_wf_request_resolve. Only quota and
 * territory requests (else AT_ERR_CONFLICT, where "kind": sales ops resolves those); never one
 * about the decider's own person (decider_person_id) or one the actor raised (AT_ERR_CONFLICT,
 * where "approver"). AT_ERR_NOT_FOUND when the person has no such request. */
at_code at_wf_request_decide(at_store *store, int64_t id, int64_t person_id,
                             int64_t decider_person_id, bool granted, const char *answer,
                             const char *actor, at_error *err);

#endif
