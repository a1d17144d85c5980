/* routes.c - the API's route table: every route with the roles allowed, the row-level rule it
 * needs, whether it changes data, its handler and a summary. It is data on purpose: the
 * dispatcher enforces it, `attain serve --routes` prints it, docs/api.md and the placeholder
 * page list it, and the HTTP tests generate the role x route matrix from it (a route without
 * an entry in the tests' expectations fails them). */
#include "web/api.h"

#define ADMIN AT_WEB_ROLE(AT_ROLE_ADMIN)
#define OPS AT_WEB_ROLE(AT_ROLE_SALES_OPS)
#define FINANCE AT_WEB_ROLE(AT_ROLE_FINANCE)
#define MANAGER AT_WEB_ROLE(AT_ROLE_MANAGER)
#define REP AT_WEB_ROLE(AT_ROLE_REP)
#define EXEC AT_WEB_ROLE(AT_ROLE_EXECUTIVE)
#define EVERYONE AT_WEB_ROLES_ALL

const at_web_route at_web_routes[] = {
    /* who is asking */
    {"GET", "/api/v1/health", 0, AT_RULE_PUBLIC, AT_WEB_READ, NULL, NULL, at_api_health,
     "the server is up (no log-in needed)"},
    {"POST", "/api/v1/session", 0, AT_RULE_PUBLIC, AT_WEB_READ, NULL, NULL, at_api_login,
     "log in with login and password: sets the session cookie, returns the CSRF token"},
    {"GET", "/api/v1/session", EVERYONE, AT_RULE_SELF, AT_WEB_READ, NULL, NULL, at_api_me,
     "who is logged in, and the session's CSRF token"},
    {"DELETE", "/api/v1/session", EVERYONE, AT_RULE_SELF, AT_WEB_READ, NULL, NULL,
     at_api_logout, "log out: the session ends"},
    {"GET", "/api/v1/tokens", EVERYONE, AT_RULE_SELF, AT_WEB_READ, NULL, NULL,
     at_api_tokens_list, "your API tokens (never their secrets)"},
    {"POST", "/api/v1/tokens", EVERYONE, AT_RULE_SELF, AT_WEB_WRITE, NULL, NULL,
     at_api_tokens_add, "a new API token for scripts (Authorization: Bearer); shown once"},
    {"DELETE", "/api/v1/tokens/:id", EVERYONE, AT_RULE_SELF, AT_WEB_WRITE, NULL, NULL,
     at_api_tokens_revoke, "revoke one of your API tokens"},
    {"GET", "/api/v1/users", ADMIN, AT_RULE_ROLE, AT_WEB_READ, NULL, NULL, at_api_users_list,
     "every user with their role and person"},
    {"POST", "/api/v1/users", ADMIN, AT_RULE_ROLE, AT_WEB_WRITE, NULL, NULL, at_api_users_add,
     "add a user (login, role, person, password)"},
    {"PUT", "/api/v1/users/:login/password", ADMIN, AT_RULE_ROLE, AT_WEB_WRITE, NULL, NULL,
     at_api_user_password, "set a user's password: their other sessions end"},
    {"POST", "/api/v1/users/:login/disable", ADMIN, AT_RULE_ROLE, AT_WEB_WRITE, NULL, NULL,
     at_api_user_disable, "disable a user: their sessions and API tokens stop working at once"},
    {"POST", "/api/v1/users/:login/enable", ADMIN, AT_RULE_ROLE, AT_WEB_WRITE, NULL, NULL,
     at_api_user_enable, "enable a disabled user again (their API tokens work again)"},
    {"PUT", "/api/v1/session/password", EVERYONE, AT_RULE_SELF, AT_WEB_WRITE, NULL, NULL,
     at_api_password_change, "change your own password (with the old one): your other sessions end"},

    /* people */
    {"GET", "/api/v1/people", EVERYONE, AT_RULE_SCOPE, AT_WEB_READ, NULL, NULL,
     at_api_people_list, "people you may see (a rep: themselves; a manager: their team)"},
    {"GET", "/api/v1/people/:payee", EVERYONE, AT_RULE_PERSON, AT_WEB_READ, "payee", NULL,
     at_api_person_get, "one person, with their manager on the day"},

    /* plans */
    {"GET", "/api/v1/plans", ADMIN | OPS | FINANCE | MANAGER | EXEC, AT_RULE_ROLE, AT_WEB_READ,
     NULL, NULL, at_api_plans_list, "every stored version of every plan"},
    {"GET", "/api/v1/plans/:name/versions/:version", ADMIN | OPS | FINANCE | MANAGER | EXEC,
     AT_RULE_ROLE, AT_WEB_READ, NULL, NULL, at_api_plan_version,
     "one version of a plan, with its document"},
    {"GET", "/api/v1/plans/:name/diff", ADMIN | OPS | FINANCE | MANAGER | EXEC, AT_RULE_ROLE,
     AT_WEB_READ, NULL, NULL, at_api_plan_diff,
     "the line-by-line difference of two versions (?from=&to=)"},

    /* calculation runs */
    {"POST", "/api/v1/runs", ADMIN | OPS, AT_RULE_ROLE, AT_WEB_WRITE, NULL, NULL,
     at_api_runs_start, "start a calculation run (on a worker thread): 202 with its job"},
    {"GET", "/api/v1/runs", ADMIN | OPS | FINANCE | EXEC, AT_RULE_ROLE, AT_WEB_READ, NULL, NULL,
     at_api_runs_list, "calculation runs, newest first"},
    {"GET", "/api/v1/runs/:id", ADMIN | OPS | FINANCE | EXEC, AT_RULE_ROLE, AT_WEB_READ, NULL,
     NULL, at_api_run_get, "one calculation run: status, counts, timings"},
    {"GET", "/api/v1/jobs/:id", ADMIN | OPS, AT_RULE_ROLE, AT_WEB_READ, NULL, NULL,
     at_api_job_get, "a started run's progress: running, done (report) or failed (error)"},
    {"GET", "/api/v1/months/latest", EVERYONE, AT_RULE_ROLE, AT_WEB_READ, NULL, NULL,
     at_api_latest_month, "the latest fiscal month a finished calculation run covers"},

    /* pay */
    {"GET", "/api/v1/statements/:payee/:month", EVERYONE, AT_RULE_PERSON, AT_WEB_READ, "payee",
     "month", at_api_statement, "a payee's statement for a fiscal month (?format=json|html|pdf|text)"},
    {"POST", "/api/v1/estimate", EVERYONE, AT_RULE_BODY_PERSON, AT_WEB_READ, "payee", NULL,
     at_api_estimate, "what one more deal would pay a payee (nothing is stored)"},

    /* finance */
    {"GET", "/api/v1/payroll/:month", ADMIN | FINANCE | EXEC, AT_RULE_ROLE, AT_WEB_READ, NULL,
     NULL, at_api_payroll, "the month's payroll: what each person is paid, line by line"},
    {"GET", "/api/v1/accruals/:month", ADMIN | FINANCE | EXEC, AT_RULE_ROLE, AT_WEB_READ, NULL,
     NULL, at_api_accruals, "earned but not yet paid, per person, at the end of a month"},
    {"GET", "/api/v1/cost", ADMIN | FINANCE | EXEC, AT_RULE_ROLE, AT_WEB_READ, NULL, NULL,
     at_api_cost, "cost of sales per plan component and month (?from=&to=)"},
    {"GET", "/api/v1/periods", ADMIN | OPS | FINANCE | EXEC, AT_RULE_ROLE, AT_WEB_READ, NULL,
     NULL, at_api_periods_list, "the closed months"},
    {"POST", "/api/v1/periods/:month/close", ADMIN | FINANCE, AT_RULE_ROLE, AT_WEB_WRITE, NULL,
     NULL, at_api_period_close, "close a month: its pay is locked as the latest run has it"},

    /* data */
    {"POST", "/api/v1/imports", ADMIN | OPS, AT_RULE_ROLE, AT_WEB_WRITE, NULL, NULL,
     at_api_import, "import CSV files (multipart upload or JSON), all or nothing"},
    {"GET", "/api/v1/imports", ADMIN | OPS | FINANCE, AT_RULE_ROLE, AT_WEB_READ, NULL, NULL,
     at_api_imports_list, "past imports, newest first"},
    {"GET", "/api/v1/audit", ADMIN | OPS | FINANCE, AT_RULE_ROLE, AT_WEB_READ, NULL, NULL,
     at_api_audit, "the audit trail, filtered (?entity=&key=&actor=&action=&from=&to=)"},
    /* workflows: disputes, adjustments and approvals, plan changes, acceptance */
    {"GET", "/api/v1/disputes", EVERYONE, AT_RULE_SCOPE, AT_WEB_READ, NULL, NULL,
     at_api_disputes_list, "disputes you may see, newest first (?status=&payee=&month=)"},
    {"POST", "/api/v1/disputes", ADMIN | OPS | MANAGER | REP, AT_RULE_BODY_PERSON, AT_WEB_WRITE,
     "payee", "month", at_api_dispute_raise, "raise a dispute on a line of a statement"},
    {"GET", "/api/v1/disputes/:payee/:id", EVERYONE, AT_RULE_PERSON, AT_WEB_READ, "payee", NULL,
     at_api_dispute_get, "one dispute with its messages"},
    {"POST", "/api/v1/disputes/:payee/:id/messages", ADMIN | OPS | MANAGER | REP, AT_RULE_PERSON,
     AT_WEB_WRITE, "payee", NULL, at_api_dispute_message,
     "answer a dispute (ops) or reply to the answer (the payee's side)"},
    {"POST", "/api/v1/disputes/:payee/:id/resolve", ADMIN | OPS, AT_RULE_PERSON, AT_WEB_WRITE,
     "payee", NULL, at_api_dispute_resolve, "resolve a dispute, with or without an adjustment"},
    {"GET", "/api/v1/adjustments", EVERYONE, AT_RULE_SCOPE, AT_WEB_READ, NULL, NULL,
     at_api_adjustments_list, "manual adjustments you may see (?status=&payee=&month=)"},
    {"POST", "/api/v1/adjustments", ADMIN | OPS | FINANCE, AT_RULE_BODY_PERSON, AT_WEB_WRITE, "payee",
     "month", at_api_adjustment_add,
     "a manual adjustment: paid in the month once approved (above the threshold: by finance)"},
    {"POST", "/api/v1/adjustments/:id/decision", FINANCE, AT_RULE_ROLE, AT_WEB_WRITE, NULL, NULL,
     at_api_adjustment_decide, "approve or reject an adjustment (not your own)"},
    {"GET", "/api/v1/approvals", ADMIN | OPS | FINANCE | EXEC, AT_RULE_ROLE, AT_WEB_READ, NULL,
     NULL, at_api_approvals, "adjustments and plan changes waiting for finance's approval"},
    {"GET", "/api/v1/approval-settings", ADMIN | OPS | FINANCE | EXEC, AT_RULE_ROLE, AT_WEB_READ,
     NULL, NULL, at_api_approval_settings_get, "the approval threshold for adjustments"},
    {"PUT", "/api/v1/approval-settings", ADMIN | FINANCE, AT_RULE_ROLE, AT_WEB_WRITE, NULL, NULL,
     at_api_approval_settings_set, "set the approval threshold for adjustments"},
    {"POST", "/api/v1/plans", ADMIN | OPS, AT_RULE_ROLE, AT_WEB_WRITE, NULL, NULL,
     at_api_plan_submit, "load a plan version: checked, then waiting for finance's approval"},
    {"GET", "/api/v1/plan-changes", ADMIN | OPS | FINANCE | EXEC, AT_RULE_ROLE, AT_WEB_READ, NULL,
     NULL, at_api_plan_changes_list, "plan versions submitted through the API (?status=)"},
    {"GET", "/api/v1/plan-changes/:id", ADMIN | OPS | FINANCE | EXEC, AT_RULE_ROLE, AT_WEB_READ,
     NULL, NULL, at_api_plan_change_get, "one plan change with its document"},
    {"POST", "/api/v1/plan-changes/:id/decision", FINANCE, AT_RULE_ROLE, AT_WEB_WRITE, NULL, NULL,
     at_api_plan_change_decide, "approve (stores the version) or reject a plan change"},
    {"GET", "/api/v1/acceptances/:payee/:period", EVERYONE, AT_RULE_PERSON, AT_WEB_READ, "payee",
     NULL, at_api_acceptance_get, "a person's plan and quota terms for a period, and acceptance"},
    {"POST", "/api/v1/acceptances", MANAGER | REP, AT_RULE_SELF, AT_WEB_WRITE, NULL, NULL,
     at_api_acceptance_accept, "accept your own plan and quota terms for a period"},
    {"GET", "/api/v1/distribution/:period", ADMIN | OPS | FINANCE | MANAGER | EXEC, AT_RULE_SCOPE,
     AT_WEB_READ, NULL, NULL, at_api_distribution,
     "everyone with a plan in the period and their acceptance status"},
    {"GET", "/api/v1/change-requests", EVERYONE, AT_RULE_SCOPE, AT_WEB_READ, NULL, NULL,
     at_api_requests_list, "change requests you may see (?status=&payee=&period=)"},
    {"POST", "/api/v1/change-requests", MANAGER | REP, AT_RULE_BODY_PERSON, AT_WEB_WRITE, "payee",
     NULL, at_api_request_raise, "ask for a change (quota, an outlier deal, ...) instead"},
    {"POST", "/api/v1/change-requests/:payee/:id/resolve", ADMIN | OPS, AT_RULE_PERSON,
     AT_WEB_WRITE, "payee", NULL, at_api_request_resolve, "grant or decline a change request"},
    {"POST", "/api/v1/change-requests/:payee/:id/decision", MANAGER, AT_RULE_PERSON, AT_WEB_WRITE,
     "payee", NULL, at_api_request_decide,
     "a manager approves or rejects a quota or territory request from their team"},
};

const size_t at_web_route_count = sizeof at_web_routes / sizeof at_web_routes[0];
