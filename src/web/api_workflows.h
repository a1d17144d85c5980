/* api_workflows.h - what the workflow handlers (api_workflows.c, api_workflows_accept.c) share:
 * reading a list's filters from the query, money from a body, and answering the store's
 * segregation-of-duties refusal as 403. The handlers themselves are declared in api.h. */
#ifndef ATTAIN_WEB_API_WORKFLOWS_H
#define ATTAIN_WEB_API_WORKFLOWS_H

#include "store/workflow_store.h"
#include "web/web.h"

/* The list filter from ?status=&payee=&MONTH_PARAM=&before=&limit= and the request's scope. An
 * unknown ?payee= gives person_id -1 (an empty list). */
at_code at_api_wf_filter(at_web_request *req, const char *month_param, at_wf_filter *f,
                         at_error *err);
/* A money member of a JSON object given as a decimal string; field names it in errors. */
at_code at_api_wf_money(json_t *body, const char *name, const char *field, bool required,
                        bool *present, at_money *out, at_error *err);
/* The store's AT_ERR_CONFLICT with where "approver" answered as 403 forbidden (returns AT_OK
 * then); any other error is returned as it is. */
at_code at_api_wf_reply_store_error(at_web_response *res, at_code rc, const at_error *err);

#endif
