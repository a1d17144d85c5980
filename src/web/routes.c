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
};

const size_t at_web_route_count = sizeof at_web_routes / sizeof at_web_routes[0];
