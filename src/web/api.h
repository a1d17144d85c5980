/* api.h - the API's handlers (api_*.c), named in the route table (routes.c). Each gets a
 * request whose access the dispatcher has already decided (dispatch.c) and fills the response.
 * The routes, with an example request and response each, are documented in docs/api.md. */
#ifndef ATTAIN_WEB_API_H
#define ATTAIN_WEB_API_H

#include "web/web.h"

/* A positive integer path parameter. AT_ERR_INVALID naming it otherwise. */
at_code at_api_id_param(const at_web_request *req, const char *name, int64_t *out,
                        at_error *err);
/* The page size (?limit=, 1..AT_WEB_PAGE_MAX, default AT_WEB_PAGE_DEFAULT). */
at_code at_api_limit(const at_web_request *req, size_t *limit, at_error *err);
/* {"items": items, "next": next or null}, 200. */
at_code at_api_reply_page(at_web_response *res, json_t *items, json_t *next, at_error *err);

/* api_session.c */
at_code at_api_login(at_web_request *req, at_web_response *res, at_error *err);
at_code at_api_me(at_web_request *req, at_web_response *res, at_error *err);
at_code at_api_logout(at_web_request *req, at_web_response *res, at_error *err);
at_code at_api_tokens_list(at_web_request *req, at_web_response *res, at_error *err);
at_code at_api_tokens_add(at_web_request *req, at_web_response *res, at_error *err);
at_code at_api_tokens_revoke(at_web_request *req, at_web_response *res, at_error *err);
at_code at_api_users_list(at_web_request *req, at_web_response *res, at_error *err);
at_code at_api_users_add(at_web_request *req, at_web_response *res, at_error *err);

/* api_users.c */
at_code at_api_user_password(at_web_request *req, at_web_response *res, at_error *err);
at_code at_api_user_disable(at_web_request *req, at_web_response *res, at_error *err);
at_code at_api_user_enable(at_web_request *req, at_web_response *res, at_error *err);
at_code at_api_password_change(at_web_request *req, at_web_response *res, at_error *err);

/* api_people.c */
at_code at_api_health(at_web_request *req, at_web_response *res, at_error *err);
at_code at_api_people_list(at_web_request *req, at_web_response *res, at_error *err);
at_code at_api_person_get(at_web_request *req, at_web_response *res, at_error *err);

/* api_plans.c */
at_code at_api_plans_list(at_web_request *req, at_web_response *res, at_error *err);
at_code at_api_plan_version(at_web_request *req, at_web_response *res, at_error *err);
at_code at_api_plan_diff(at_web_request *req, at_web_response *res, at_error *err);

/* api_runs.c */
at_code at_api_runs_start(at_web_request *req, at_web_response *res, at_error *err);
at_code at_api_runs_list(at_web_request *req, at_web_response *res, at_error *err);
at_code at_api_run_get(at_web_request *req, at_web_response *res, at_error *err);
at_code at_api_job_get(at_web_request *req, at_web_response *res, at_error *err);
at_code at_api_latest_month(at_web_request *req, at_web_response *res, at_error *err);
/* A running job's progress by phase (load, credit, calculate, save), as GET /api/v1/jobs/:id
 * gives it: {"phase", "observed", "elapsed", "fraction", "based_on_run", "expected"}. run_id > 0:
 * the run's row is in the store, so saving has started (observed). Otherwise the phase is
 * estimated from elapsed seconds against the seconds per phase of the latest done run of the
 * same period (previous, seconds: calc_runs.seconds as an object; 0/NULL when there is none:
 * phase and fraction null) and never said to be save. reported (may be NULL or ""): the phase
 * the run said it started (pay/run.h on_phase), which is the phase then (observed); the
 * estimate only places the fraction within it. fraction stays under 1. */
json_t *at_api_run_progress(double elapsed, int64_t run_id, int64_t previous, json_t *seconds,
                            const char *reported);

/* api_statements.c */
at_code at_api_statement(at_web_request *req, at_web_response *res, at_error *err);
at_code at_api_estimate(at_web_request *req, at_web_response *res, at_error *err);

/* api_finance.c */
at_code at_api_payroll(at_web_request *req, at_web_response *res, at_error *err);
at_code at_api_accruals(at_web_request *req, at_web_response *res, at_error *err);
at_code at_api_cost(at_web_request *req, at_web_response *res, at_error *err);
at_code at_api_periods_list(at_web_request *req, at_web_response *res, at_error *err);
at_code at_api_period_close(at_web_request *req, at_web_response *res, at_error *err);

/* api_imports.c */
at_code at_api_import(at_web_request *req, at_web_response *res, at_error *err);
at_code at_api_imports_list(at_web_request *req, at_web_response *res, at_error *err);

/* api_audit.c */
at_code at_api_audit(at_web_request *req, at_web_response *res, at_error *err);

/* api_workflows.c */
at_code at_api_disputes_list(at_web_request *req, at_web_response *res, at_error *err);
at_code at_api_dispute_raise(at_web_request *req, at_web_response *res, at_error *err);
at_code at_api_dispute_get(at_web_request *req, at_web_response *res, at_error *err);
at_code at_api_dispute_message(at_web_request *req, at_web_response *res, at_error *err);
at_code at_api_dispute_resolve(at_web_request *req, at_web_response *res, at_error *err);
at_code at_api_adjustments_list(at_web_request *req, at_web_response *res, at_error *err);
at_code at_api_adjustment_add(at_web_request *req, at_web_response *res, at_error *err);
at_code at_api_adjustment_decide(at_web_request *req, at_web_response *res, at_error *err);
at_code at_api_approvals(at_web_request *req, at_web_response *res, at_error *err);
at_code at_api_approval_settings_get(at_web_request *req, at_web_response *res, at_error *err);
at_code at_api_approval_settings_set(at_web_request *req, at_web_response *res, at_error *err);
at_code at_api_plan_submit(at_web_request *req, at_web_response *res, at_error *err);
at_code at_api_plan_changes_list(at_web_request *req, at_web_response *res, at_error *err);
at_code at_api_plan_change_get(at_web_request *req, at_web_response *res, at_error *err);
at_code at_api_plan_change_decide(at_web_request *req, at_web_response *res, at_error *err);

/* api_workflows_accept.c */
at_code at_api_acceptance_get(at_web_request *req, at_web_response *res, at_error *err);
at_code at_api_acceptance_accept(at_web_request *req, at_web_response *res, at_error *err);
at_code at_api_distribution(at_web_request *req, at_web_response *res, at_error *err);
at_code at_api_requests_list(at_web_request *req, at_web_response *res, at_error *err);
at_code at_api_request_raise(at_web_request *req, at_web_response *res, at_error *err);
at_code at_api_request_resolve(at_web_request *req, at_web_response *res, at_error *err);
at_code at_api_request_decide(at_web_request *req, at_web_response *res, at_error *err);

#endif
