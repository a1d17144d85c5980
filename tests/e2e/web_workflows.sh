#!/usr/bin/env bash
# web_workflows.sh - the workflows against a real `attain serve` (tests/http/lib.sh's company):
# a rep disputes a statement line, ops answers and resolves it with an adjustment; manual
# adjustments under and over the approval threshold, segregation of duties (the maker cannot
# approve), rejected ones never paid, approved ones in the next run's payroll (amounts worked
# by hand: P-A earns nothing in 2026-02, so the month pays exactly the approved adjustments);
# a plan version loaded through the API and approved by finance; acceptance of plan terms and
# change requests; every cross-rep and cross-team access refused; the audit rows.
set -uo pipefail
source "$2/tests/http/lib.sh"
web_setup "$1" "$2" "$3"

key='Case 10 Rep/commission'

# ---- disputes ----
req rep GET /api/v1/statements/P-A/2026-01; expect 200 "the rep's statement"
expect_json "[.lines[].key] | index(\"$key\") != null" "the statement has the line"
req rep POST /api/v1/disputes "{\"payee\":\"P-A\",\"month\":\"2026-01\",\"line_key\":\"$key\",\"comment\":\"The Acme deal is missing\"}"
expect 201 "raise a dispute"
expect_json '.id == 1 and .status == "open" and .raised_by == "api:rep" and .outcome == null and .adjustment == null' "the new dispute"
req rep POST /api/v1/disputes "{\"payee\":\"P-A\",\"month\":\"2026-01\",\"line_key\":\"$key\",\"comment\":\"again\"}"
expect_error 409 conflict "a second open dispute on the line"
req rep POST /api/v1/disputes '{"payee":"P-A","month":"2026-01","line_key":"nope","comment":"x"}'
expect_error 422 invalid "a line the statement does not have"; expect_json '.error.field == "line_key"' "line_key field"
req rep POST /api/v1/disputes "{\"payee\":\"P-A\",\"month\":\"2026-07\",\"line_key\":\"$key\",\"comment\":\"x\"}"
expect_error 404 not_found "a month no run covers"
req rep POST /api/v1/disputes "{\"payee\":\"P-A\",\"month\":\"2026-01\",\"line_key\":\"$key\"}"
expect_error 422 invalid "no comment"
req rep POST /api/v1/disputes "{\"payee\":\"P-B\",\"month\":\"2026-01\",\"line_key\":\"$key\",\"comment\":\"x\"}"
expect_error 403 forbidden "a dispute on another rep's statement"
req mgr POST /api/v1/disputes "{\"payee\":\"P-B\",\"month\":\"2026-01\",\"line_key\":\"$key\",\"comment\":\"x\"}"
expect_error 403 forbidden "a manager's dispute outside the team"
req ops POST /api/v1/disputes "{\"payee\":\"P-B\",\"month\":\"2026-01\",\"line_key\":\"$key\",\"comment\":\"raised by ops\"}"
expect 201 "ops raises one for P-B"
req rep GET /api/v1/disputes; expect_json '[.items[].payee] == ["P-A"]' "a rep lists their own disputes"
req mgr GET /api/v1/disputes; expect_json '[.items[].payee] == ["P-A"]' "a manager lists the team's"
req ops GET /api/v1/disputes; expect_json '[.items[].id] == [2,1]' "ops sees the queue, newest first"
req ops GET '/api/v1/disputes?status=open&payee=P-B'; expect_json '[.items[].id] == [2]' "filtered by payee and status"
req ops GET '/api/v1/disputes?limit=1'; expect_json '.next == 2 and (.items | length) == 1' "a page"
req ops GET '/api/v1/disputes?limit=1&before=2'; expect_json '[.items[].id] == [1] and .next == null' "the next page"
req rep GET /api/v1/disputes/P-B/2; expect_error 403 forbidden "another rep's dispute"
req rep GET /api/v1/disputes/P-A/2; expect_error 404 not_found "a dispute under the wrong payee"
req ops POST /api/v1/disputes/P-A/1/messages '{"text":"Acme closed on 2 February"}'
expect 200 "ops answers"; expect_json '.status == "answered" and .messages[0].side == "ops" and .messages[0].author == "api:ops"' "answered"
req rep POST /api/v1/disputes/P-A/1/messages '{"text":"It was signed in January"}'
expect 200 "the rep replies"; expect_json '.status == "open" and (.messages | length) == 2 and .messages[1].side == "payee"' "open again"
req rep POST /api/v1/disputes/P-B/2/messages '{"text":"x"}'; expect_error 403 forbidden "writing on another rep's dispute"
req rep POST /api/v1/disputes/P-A/1/resolve '{"resolution":"x"}'; expect_error 403 forbidden "a rep cannot resolve"

# ---- the threshold, and the dispute resolved with an adjustment under it ----
req ops PUT /api/v1/approval-settings '{"approval_threshold":"1000.00"}'; expect_error 403 forbidden "ops cannot set the threshold"
req fin PUT /api/v1/approval-settings '{"approval_threshold":"-5"}'; expect_error 422 invalid "a negative threshold"
req fin PUT /api/v1/approval-settings '{"approval_threshold":"1000.00","reason":"policy"}'
expect 200 "set the threshold"; expect_json '.approval_threshold == "1000.00" and .set_by == "api:fin"' "the threshold"
req ops POST /api/v1/disputes/P-A/1/resolve '{"resolution":"Paid in February","adjustment":{"amount":"250.00","month":"2026-02"}}'
expect 200 "resolve with an adjustment"
expect_json '.status == "resolved" and .outcome == "adjusted" and .adjustment.amount == "250.00" and .adjustment.status == "approved" and .adjustment.month == "2026-02"' "resolved; 250.00 is under the threshold"
req ops POST /api/v1/disputes/P-A/1/resolve '{"resolution":"again"}'; expect_error 409 conflict "resolved twice"
req rep POST /api/v1/disputes/P-A/1/messages '{"text":"thanks"}'; expect_error 409 conflict "a message on a resolved dispute"
req ops POST /api/v1/disputes/P-B/2/resolve '{"resolution":"The split is right","adjustment":{"amount":"abc"}}'
expect_error 422 invalid "an adjustment amount that is not money"; expect_json '.error.field == "body.adjustment.amount"' "its field"
req ops POST /api/v1/disputes/P-B/2/resolve '{"resolution":"The split is right"}'
expect 200 "resolve without an adjustment"; expect_json '.outcome == "no_change" and .adjustment == null' "no change"
req rep GET /api/v1/disputes/P-A/1; expect_json '.resolution == "Paid in February" and .adjustment.status == "approved"' "the rep sees the outcome"

# ---- adjustments and approvals ----
printf '%s\n' "$PASSWORD" | "$attain" user add --db "$db" --login fin2 --role finance --password-stdin > /dev/null
login fin2
req fin POST /api/v1/adjustments '{"payee":"P-A","month":"2026-02","amount":"1500.00","reason":"Q4 SPIFF"}'
expect 201 "an adjustment over the threshold"; expect_json '.id == 2 and .status == "pending" and .needs_approval == true and .currency == "USD"' "pending"
req ops POST /api/v1/adjustments '{"payee":"P-A","month":"2026-02","amount":"-2000.00","reason":"clawback typed twice"}'
expect 201 "another"; expect_json '.id == 3 and .status == "pending"' "a negative one, pending by its magnitude"
req ops POST /api/v1/adjustments '{"payee":"P-A","month":"2026-02","amount":"0","reason":"x"}'; expect_error 422 invalid "amount 0"
req ops POST /api/v1/adjustments '{"payee":"P-A","month":"2026-02","amount":"1.001","reason":"x"}'; expect_error 422 invalid "more decimals than USD"
req ops POST /api/v1/adjustments '{"payee":"P-A","month":"2026-02","amount":"10.00","currency":"EUR","reason":"x"}'; expect_error 422 invalid "another currency"
req ops POST /api/v1/adjustments '{"payee":"P-A","month":"2026-02","amount":"10.00"}'; expect_error 422 invalid "no reason"
req ops POST /api/v1/adjustments '{"payee":"P-ZZ","month":"2026-02","amount":"10.00","reason":"x"}'; expect_error 404 not_found "an unknown payee"
req rep POST /api/v1/adjustments '{"payee":"P-A","month":"2026-02","amount":"10.00","reason":"x"}'; expect_error 403 forbidden "a rep cannot adjust"
req fin GET /api/v1/approvals; expect 200 approvals
expect_json '[.items[] | [.kind, .id, .yours]] == [["adjustment",2,true],["adjustment",3,false]] and .threshold == "1000.00"' "pending items, the maker's marked"
req fin POST /api/v1/adjustments/2/decision '{"decision":"approve"}'
expect_error 403 forbidden "the maker cannot approve (segregation of duties)"
expect_json '.error.field == "approver" and (.error.message | test("you made adjustment 2"))' "said clearly"
req ops POST /api/v1/adjustments/3/decision '{"decision":"approve"}'; expect_error 403 forbidden "ops cannot approve"
req fin2 POST /api/v1/adjustments/2/decision '{"decision":"maybe"}'; expect_error 422 invalid "not a decision"
req fin2 POST /api/v1/adjustments/2/decision '{"decision":"approve","note":"checked"}'
expect 200 "another finance user approves"; expect_json '.status == "approved" and .decided_by == "api:fin2" and .note == "checked"' "approved"
req fin2 POST /api/v1/adjustments/2/decision '{"decision":"reject"}'; expect_error 409 conflict "decided twice"
req fin POST /api/v1/adjustments/3/decision '{"decision":"reject","note":"a duplicate"}'
expect 200 "rejected"; expect_json '.status == "rejected"' "rejected"
req fin POST /api/v1/adjustments/999/decision '{"decision":"reject"}'; expect_error 404 not_found "no such adjustment"
req rep GET /api/v1/adjustments; expect_json '[.items[].id] == [3,2,1] and ([.items[].payee] | unique) == ["P-A"]' "the rep sees theirs"
req fin GET '/api/v1/adjustments?status=approved'; expect_json '[.items[].id] == [2,1]' "approved ones"

# approved adjustments flow into pay, rejected ones do not: P-A earns nothing in 2026-02, so
# the month pays 250.00 + 1500.00 = 1750.00 (the -2000.00 was rejected)
req admin POST /api/v1/runs '{"period":"2026-02","reason":"with adjustments"}'; expect 202 "a run"
job=$(jq -r .id "$tmp/body")
for i in $(seq 1 100); do
  req admin GET "/api/v1/jobs/$job"; [ "$(jq -r .status "$tmp/body")" != running ] && break; sleep 0.1
done
expect_json '.status == "done"' "the run is done"
req fin GET /api/v1/payroll/2026-02; expect 200 payroll
expect_json '(.items[] | select(.person == "P-A") | .amount) == "1750.00"' "P-A is paid the approved adjustments"
expect_json '[.items[] | select(.person == "P-A") | .lines[] | select(.kind == "adjustment") | [.key, .amount]] == [["manual/1","250.00"],["manual/2","1500.00"]]' "as adjustment lines"
expect_json '(.items[] | select(.person == "P-A") | .earned) == "0.00"' "not as earnings"
req rep GET /api/v1/statements/P-A/2026-02; expect 200 "the rep's February statement"
expect_json '[.lines[] | select(.key == "manual/2")] | length == 1' "the statement shows the adjustment"
# a closed month takes no adjustment
req fin POST /api/v1/periods/2026-01/close '{"reason":"January is paid"}'; expect 200 "close January"
req ops POST /api/v1/adjustments '{"payee":"P-A","month":"2026-01","amount":"10.00","reason":"x"}'
expect_error 409 locked "an adjustment in a closed month"

# ---- plan changes ----
plan=$(cat "$2/tests/reference/case10-split/plan.yaml" | sed 's/^description: .*/description: the same plan, described anew/')
body=$(jq -n --arg s "$plan" '{source: $s, reason: "wording"}')
req ops POST /api/v1/plans "$body"; expect 201 "a plan version submitted"
expect_json '.id == 1 and .status == "pending" and .name == "Case 10 Rep" and .latest == 1 and .version == null' "pending"
req ops POST /api/v1/plans "$body"; expect_error 409 conflict "the same document twice"
req ops POST /api/v1/plans '{"source":"plan: Bad\nmeasures: 3\n"}'; expect_error 422 invalid "a plan with problems"
expect_json '(.problems | length) > 0 and (.problems[0].text | length) > 0' "the problems as the CLI prints them"
req fin GET /api/v1/approvals; expect_json '[.items[] | .kind] == ["plan_change"]' "the plan change waits"
req ops POST /api/v1/plan-changes/1/decision '{"decision":"approve"}'; expect_error 403 forbidden "ops cannot approve a plan change"
req fin GET /api/v1/plan-changes/1; expect_json '(.source | test("described anew"))' "the document"
req fin POST /api/v1/plan-changes/1/decision '{"decision":"approve","note":"ok"}'
expect 200 "finance approves"; expect_json '.status == "approved" and .version == 2' "stored as version 2"
req fin GET '/api/v1/plans?name=Case%2010%20Rep'; expect_json '[.items[].version] == [1,2] and .items[1].loaded_by == "api:ops"' "the new version, loaded by its submitter"

# ---- acceptance and change requests ----
req rep GET /api/v1/acceptances/P-A/2026; expect 200 "the rep's terms"
expect_json '.status == "pending" and .terms.plans[0].plan == "Case 10 Rep" and .terms.plans[0].version == 2 and (.terms_sha256 | length) == 64' "pending"
req rep GET /api/v1/acceptances/P-B/2026; expect_error 403 forbidden "another rep's terms"
req mgr GET /api/v1/acceptances/P-B/2026; expect_error 403 forbidden "terms outside the team"
req rep GET /api/v1/acceptances/P-A/2026-Q9; expect_error 422 invalid "not a period"
req rep POST /api/v1/acceptances '{"period":"2026"}'; expect 201 "the rep accepts"
expect_json '.status == "accepted" and .accepted.by == "api:rep" and .accepted.terms_sha256 == .terms_sha256' "accepted"
req rep POST /api/v1/acceptances '{"period":"2026"}'; expect_error 409 conflict "accepted twice"
req mgr POST /api/v1/acceptances '{"period":"2026"}'; expect_error 409 conflict "nothing to accept (the manager has no plan)"
req ops POST /api/v1/acceptances '{"period":"2026"}'; expect_error 403 forbidden "ops accepts nothing"
req ops GET /api/v1/distribution/2026; expect 200 distribution
expect_json '[.items[] | [.payee, .status]] == [["P-A","accepted"],["P-B","pending"],["P-DEPART","pending"],["P-NEW","pending"]] and .counts.accepted == 1 and .counts.pending == 3' "everyone's status"
req mgr GET /api/v1/distribution/2026; expect_json '[.items[].payee] == ["P-A"]' "a manager's team only"
req rep POST /api/v1/change-requests '{"payee":"P-A","period":"2026","kind":"deal","text":"The Acme deal is an outlier","deal":"T-A","amount":"100000.00"}'
expect 201 "a change request"; expect_json '.id == 1 and .status == "open" and .amount == "100000.00" and .raised_by == "api:rep"' "open"
req rep POST /api/v1/change-requests '{"payee":"P-A","period":"2026","kind":"deal","text":"x","deal":"NO-SUCH"}'; expect_error 422 invalid "an unknown deal"
req rep POST /api/v1/change-requests '{"payee":"P-A","period":"2026","kind":"wish","text":"x"}'; expect_error 422 invalid "an unknown kind"
req rep POST /api/v1/change-requests '{"payee":"P-B","period":"2026","kind":"quota","text":"x"}'; expect_error 403 forbidden "for another rep"
req mgr POST /api/v1/change-requests '{"payee":"P-B","period":"2026","kind":"quota","text":"x"}'; expect_error 403 forbidden "outside the team"
req mgr POST /api/v1/change-requests '{"payee":"P-A","period":"2026","kind":"quota","text":"Lower the quota: territory split"}'; expect 201 "a manager for the team"
req rep GET /api/v1/acceptances/P-A/2026; expect_json '.status == "change_requested" and .open_requests == 2' "the request shows"
req rep GET /api/v1/change-requests; expect_json '[.items[].id] == [2,1]' "the rep's requests"
req rep POST /api/v1/change-requests/P-A/1/resolve '{"outcome":"granted","answer":"x"}'; expect_error 403 forbidden "a rep cannot resolve"
req ops POST /api/v1/change-requests/P-A/1/resolve '{"outcome":"maybe","answer":"x"}'; expect_error 422 invalid "not an outcome"
req ops POST /api/v1/change-requests/P-A/1/resolve '{"outcome":"granted","answer":"Excluded"}'
expect 200 "ops grants it"; expect_json '.status == "granted" and .resolved_by == "api:ops"' "granted"
req ops POST /api/v1/change-requests/P-A/1/resolve '{"outcome":"declined","answer":"x"}'; expect_error 409 conflict "resolved twice"
req ops POST /api/v1/change-requests/P-B/2/resolve '{"outcome":"declined","answer":"x"}'; expect_error 404 not_found "a request under the wrong payee"
# a manager approves or rejects quota and territory requests from the team
req mgr POST /api/v1/change-requests/P-A/2/decision '{"decision":"approve","answer":"ok"}'
expect_error 403 forbidden "a manager cannot decide a request they raised"; expect_json '.error.field == "approver"' "approver"
req rep POST /api/v1/change-requests '{"payee":"P-A","period":"2026","kind":"quota","text":"My quota doubled"}'; expect 201 "a quota request"
qid=$(jq -r .id "$tmp/body")
req rep POST /api/v1/change-requests '{"payee":"P-A","period":"2026","kind":"territory","text":"Give me Ohio"}'; expect 201 "a territory request"
tid=$(jq -r .id "$tmp/body")
req mgr POST "/api/v1/change-requests/P-A/$qid/decision" '{"decision":"maybe","answer":"x"}'; expect_error 422 invalid "not a decision"
req mgr POST "/api/v1/change-requests/P-A/$qid/decision" '{"decision":"approve"}'; expect_error 422 invalid "a decision without an answer"
req rep POST "/api/v1/change-requests/P-A/$qid/decision" '{"decision":"approve","answer":"x"}'; expect_error 403 forbidden "a rep cannot decide"
req ops POST "/api/v1/change-requests/P-A/$qid/decision" '{"decision":"approve","answer":"x"}'; expect_error 403 forbidden "ops resolves instead"
req mgr POST "/api/v1/change-requests/P-B/$qid/decision" '{"decision":"approve","answer":"x"}'; expect_error 403 forbidden "outside the team"
req mgr POST /api/v1/change-requests/P-A/1/decision '{"decision":"approve","answer":"x"}'; expect_error 409 conflict "a deal request is ops' to resolve"
expect_json '.error.field == "kind"' "the kind"
req mgr POST /api/v1/change-requests/P-A/999/decision '{"decision":"approve","answer":"x"}'; expect_error 404 not_found "no such request"
req mgr POST "/api/v1/change-requests/P-A/$qid/decision" '{"decision":"approve","answer":"Agreed: the territory was split in March","reason":"team review"}'
expect 200 "the manager approves"; expect_json '.status == "granted" and .resolved_by == "api:mgr" and .answer == "Agreed: the territory was split in March"' "granted by the manager"
req mgr POST "/api/v1/change-requests/P-A/$qid/decision" '{"decision":"reject","answer":"x"}'; expect_error 409 conflict "decided twice"
req mgr POST "/api/v1/change-requests/P-A/$tid/decision" '{"decision":"reject","answer":"Ohio stays with the East team"}'
expect 200 "the manager rejects"; expect_json '.status == "declined"' "declined"
req mgr POST /api/v1/change-requests '{"payee":"P-M","period":"2026","kind":"quota","text":"My own quota"}'; expect 201 "the manager's own request"
mid=$(jq -r .id "$tmp/body")
req mgr POST "/api/v1/change-requests/P-M/$mid/decision" '{"decision":"approve","answer":"x"}'
expect_error 403 forbidden "a manager cannot decide about themselves"
req rep GET "/api/v1/change-requests?status=granted"; expect_json "[.items[].id] == [$qid, 1]" "the rep sees the outcome"
req fin GET '/api/v1/audit?entity=change_requests&action=update&actor=api:mgr'
expect_json '[.items[].after.status] == ["granted","declined"]' "the manager's decisions audited"

# ---- the audit trail ----
req fin GET '/api/v1/audit?entity=disputes'; expect 200 "audit of disputes"
expect_json '[.items[].action] == ["insert","insert","update","update","update","update"]' "raised twice, two messages, two resolutions"
req fin GET '/api/v1/audit?entity=adjustments&action=update'
expect_json '[.items[] | .after.status] == ["approved","rejected"] and [.items[].actor] == ["api:fin2","api:fin"]' "the decisions, by whom"
req fin GET '/api/v1/audit?entity=acceptances'; expect_json '(.items | length) == 1 and .items[0].actor == "api:rep"' "the acceptance"
req fin GET '/api/v1/audit?entity=plan_changes'; expect_json '(.items | length) == 2' "the plan change submitted and approved"
echo "workflows: done"
web_finish
