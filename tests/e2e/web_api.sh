#!/usr/bin/env bash
# web_api.sh - every API route against a real `attain serve`: what it answers (shapes, exact
# money as strings, the audit row of each change) and every error it can give (400, 401, 403,
# 404, 405, 409, 413, 422, 429), each as {"error":{"code","message","field"}}.
set -uo pipefail
source "$2/tests/http/lib.sh"
web_setup "$1" "$2" "$3"

# ---- session ----
req anon GET /api/v1/health; expect 200 health; expect_json '.ok == true' health
req rep GET /api/v1/session; expect 200 me
expect_json '.user == {"login":"rep","role":"rep","person":"P-A"} and .via == "session" and (.csrf | length) == 43' me
req anon POST /api/v1/session '{"login":"rep","password":"wrong password!"}'
expect_error 401 invalid_login "a wrong password"
req anon POST /api/v1/session '{"login":"nobody","password":"wrong password!"}'
expect_error 401 invalid_login "an unknown login (the same answer)"
req anon POST /api/v1/session '{"login":"rep"}'; expect_error 422 invalid "no password"
expect_json '.error.field == "body.password"' "no password: the field"
req anon POST /api/v1/session '{"login":'; expect_error 422 invalid "broken JSON"
curl -s -o "$tmp/body" -w '%{http_code}' -d '{"login":"rep","password":"x"}' "${url}api/v1/session" > "$tmp/status"
status=$(cat "$tmp/status"); expect_error 400 usage "a form body (not JSON)"
req anon GET /api/v1/people; expect_error 401 unauthorized "no session"
req anon GET /api/v1/nothing; expect_error 404 not_found "an unknown route"
req rep PUT /api/v1/people; expect_error 405 method_not_allowed "a method the path does not take"

# ---- tokens ----
req rep POST /api/v1/tokens '{"name":"nightly","expires_days":30}'; expect 201 "a new token"
token=$(jq -r .token "$tmp/body"); tid=$(jq -r .id "$tmp/body")
[[ "$token" == at_* ]] || bad "token shape: $token"
curl -s -o "$tmp/body" -H "Authorization: Bearer $token" "${url}api/v1/session"
expect_json '.via == "token" and .user.login == "rep" and .csrf == null' "the token logs in"
# a token needs no CSRF header, and is still the rep: another rep's statement is refused
status=$(curl -s -o "$tmp/body" -w '%{http_code}' -H "Authorization: Bearer $token" "${url}api/v1/statements/P-B/2026-01")
expect_error 403 forbidden "a token cannot see another rep"
status=$(curl -s -o "$tmp/body" -w '%{http_code}' -H "Authorization: Bearer at_nonsense" "${url}api/v1/session")
expect_error 401 unauthorized "an unknown token"
status=$(curl -s -o "$tmp/body" -w '%{http_code}' -H "Authorization: Basic eDp5" "${url}api/v1/session")
expect_error 401 unauthorized "not a bearer token"
req rep GET /api/v1/tokens; expect_json '.items[0].name == "nightly" and (.items[0] | has("token") | not)' "tokens list no secret"
req rep POST /api/v1/tokens '{"name":"x","expires_days":0}'; expect_error 422 invalid "expires_days 0"
req rep POST /api/v1/tokens '{}'; expect_error 422 invalid "a token without a name"
req mgr DELETE "/api/v1/tokens/$tid"; expect_error 404 not_found "someone else's token"
req rep DELETE "/api/v1/tokens/$tid"; expect 200 "revoke"
req rep DELETE /api/v1/tokens/abc; expect_error 422 invalid "a token id that is not a number"
status=$(curl -s -o "$tmp/body" -w '%{http_code}' -H "Authorization: Bearer $token" "${url}api/v1/session")
expect_error 401 unauthorized "a revoked token"

# ---- users ----
req admin GET /api/v1/users; expect 200 users; expect_json '[.items[].login] | index("rep") != null' users
req admin POST /api/v1/users '{"login":"newrep","role":"rep","person":"P-B","password":"another long one"}'
expect 201 "add a user"; expect_json '. == {"login":"newrep","role":"rep","person":"P-B"}' "the new user"
req admin POST /api/v1/users '{"login":"newrep","role":"rep","person":"P-B","password":"another long one"}'
expect_error 409 conflict "a login taken"
req admin POST /api/v1/users '{"login":"x2","role":"boss","password":"another long one"}'
expect_error 422 invalid "an unknown role"; expect_json '.error.field == "body.role"' "role field"
req admin POST /api/v1/users '{"login":"x2","role":"rep","password":"another long one"}'
expect_error 422 invalid "a rep without a person"
req admin POST /api/v1/users '{"login":"x2","role":"rep","person":"P-ZZ","password":"another long one"}'
expect_error 404 not_found "an unknown person"
req admin POST /api/v1/users '{"login":"x2","role":"admin","password":"short"}'
expect_error 422 invalid "a short password"

# ---- passwords and disabled users ----
req admin PUT /api/v1/users/newrep/password '{"password":"a new long password","reason":"forgotten"}'
expect 200 "an admin sets a password"; expect_json '.login == "newrep" and .disabled == false' "the user after"
req admin PUT /api/v1/users/newrep/password '{"password":"short"}'; expect_error 422 invalid "a short password"
expect_json '.error.field == "body.password"' "the short password's field"
req admin PUT /api/v1/users/nobody/password '{"password":"a new long password"}'; expect_error 404 not_found "no such user"
req admin PUT /api/v1/users/newrep/password '{}'; expect_error 422 invalid "no password"
login_as newrep newrep "another long one"; expect_error 401 invalid_login "the old password no longer logs in"
login_as newrep newrep "a new long password"; expect 200 "the new password logs in"
login_as newrep2 newrep "a new long password"; expect 200 "a second session"
req newrep POST /api/v1/tokens '{"name":"script"}'; expect 201 "newrep's token"
ntoken=$(jq -r .token "$tmp/body")
bearer "$ntoken" GET /api/v1/session; expect 200 "the token works"
req admin POST /api/v1/users/newrep/disable '{"reason":"left the company"}'; expect 200 "disable a user"
expect_json '.disabled == true' "disabled"
req newrep GET /api/v1/session; expect_error 401 session_expired "a disabled user's session ends at once"
req newrep2 GET /api/v1/people; expect_error 401 session_expired "every session of theirs"
bearer "$ntoken" GET /api/v1/session; expect_error 401 unauthorized "a disabled user's token is refused"
login_as newrep newrep "a new long password"; expect_error 401 invalid_login "a disabled user cannot log in"
req admin POST /api/v1/users/newrep/disable; expect 200 "disabling twice is no error"
req admin GET /api/v1/users; expect_json '(.items[] | select(.login == "newrep") | .disabled) == true' "the list shows it"
req admin POST /api/v1/users/admin/disable; expect_error 409 conflict "an admin cannot disable themselves"
req admin POST /api/v1/users/nobody/disable; expect_error 404 not_found "disable no such user"
req admin POST /api/v1/users/newrep/enable; expect 200 "enable again"; expect_json '.disabled == false' enabled
bearer "$ntoken" GET /api/v1/session; expect 200 "the token works again"
login_as newrep newrep "a new long password"; expect 200 "and log-in"
req admin GET '/api/v1/audit?entity=users&key=newrep&action=update'
expect_json '[.items[].after.disabled | select(. != null)] == [true, false]' "disable and enable audited"
req admin GET '/api/v1/audit?action=api&actor=api:admin&limit=1000'
expect_json '[.items[] | select(.key == "POST /api/v1/users/newrep/disable" and .reason == "left the company")] | length == 1' "the request audited with its reason"
# your own password, with the old one
login_as rep2 rep "$PASSWORD"; expect 200 "the rep's second session"
req rep PUT /api/v1/session/password '{"old_password":"not my password","new_password":"a fresh password 2"}'
expect_error 422 invalid "a wrong old password"; expect_json '.error.field == "body.old_password"' "old password field"
req rep PUT /api/v1/session/password "{\"old_password\":\"$PASSWORD\",\"new_password\":\"$PASSWORD\"}"
expect_error 422 invalid "the same password again"
req rep PUT /api/v1/session/password "{\"old_password\":\"$PASSWORD\",\"new_password\":\"short\"}"
expect_error 422 invalid "a short new password"; expect_json '.error.field == "body.new_password"' "new password field"
req rep PUT /api/v1/session/password "{\"old_password\":\"$PASSWORD\"}"; expect_error 422 invalid "no new password"
curl -s -o "$tmp/body" -w '%{http_code}' -X PUT -b "$tmp/rep.jar" -H 'Content-Type: application/json' \
  --data-binary '{"old_password":"x","new_password":"y"}' "${url}api/v1/session/password" > "$tmp/status"
status=$(cat "$tmp/status"); expect_error 403 csrf "a password change without the CSRF token"
req rep PUT /api/v1/session/password "{\"old_password\":\"$PASSWORD\",\"new_password\":\"a fresh password 2\"}"
expect 200 "the rep changes their password"; expect_json '.sessions_ended == 1' "the other session ended"
req rep2 GET /api/v1/session; expect_error 401 session_expired "the rep's other session"
req rep GET /api/v1/session; expect 200 "the session that changed it goes on"
login_as rep3 rep "a fresh password 2"; expect 200 "the new password logs in"
req admin GET '/api/v1/audit?entity=users&key=rep&action=update'; expect_json '(.items | length) == 1' "the change audited"
req admin GET '/api/v1/audit?entity=users&key=rep&action=password_failed'; expect_json '(.items | length) == 1 and .items[0].actor == "api:rep"' "the wrong old password audited"

# ---- the latest month with results ----
req rep GET /api/v1/months/latest; expect 200 "the latest month"
expect_json '. == {"month":"2026-02","run":1,"everyone":true}' "the month the run covers"

# ---- people ----
req admin GET '/api/v1/people?limit=2'; expect 200 "people page 1"
expect_json '[.items[].id] == ["P-A","P-B"] and .next == "P-B"' "people page 1"
req admin GET '/api/v1/people?limit=2&after=P-B'; expect_json '[.items[].id] == ["P-DEPART","P-M"] and .next == "P-M"' "people page 2"
req admin GET '/api/v1/people?q=manager'; expect_json '[.items[].id] == ["P-M"]' "people search"
req admin GET '/api/v1/people?limit=0'; expect_error 422 invalid "limit 0"
req admin GET '/api/v1/people?limit=1001'; expect_error 422 invalid "limit past 1000"
req admin GET '/api/v1/people?day=2026-02-30'; expect_error 422 invalid "a day that does not exist"
req admin GET /api/v1/people/P-A; expect_json '.id == "P-A" and .manager == "P-M" and .pay_currency == "USD"' "one person"
req admin GET /api/v1/people/P-NOPE; expect_error 404 not_found "an unknown person (admin)"
req rep GET /api/v1/people/P-NOPE; expect_error 403 forbidden "an unknown person (a rep learns nothing)"

# ---- plans ----
req ops GET /api/v1/plans; expect_json '.items[0].name == "Case 10 Rep" and .items[0].version == 1' plans
req ops GET '/api/v1/plans/Case%2010%20Rep/versions/1'; expect_json '.source | test("Case 10 Rep")' "a version's document"
req ops GET '/api/v1/plans/Case%2010%20Rep/versions/2'; expect_error 404 not_found "a version that does not exist"
req ops GET '/api/v1/plans/Nope/versions/1'; expect_error 404 not_found "a plan that does not exist"
req ops GET '/api/v1/plans/Case%2010%20Rep/diff?from=1&to=1'; expect_json '.same == true and (.lines | length) > 5' "diff of a version with itself"
req ops GET '/api/v1/plans/Case%2010%20Rep/diff?from=1'; expect_error 422 invalid "diff without to"

# ---- runs ----
req ops GET /api/v1/runs; expect_json '.items[0].id == 1 and .items[0].status == "done" and .items[0].first_month == "2026-01"' runs
req ops GET /api/v1/runs/1; expect_json '.people == 5 and .status == "done" and (.actor | startswith("api:admin"))' "one run"
req ops GET /api/v1/runs/99; expect_error 404 not_found "a run that does not exist"
req ops GET /api/v1/jobs/1; expect_json '.status == "done" and .run == 1 and .report.last_month == "2026-02"' "the job"
req ops GET /api/v1/jobs/99; expect_error 404 not_found "a job that does not exist"
req ops POST /api/v1/runs '{}'; expect_error 422 invalid "a run without a period"
req ops POST /api/v1/runs '{"period":"2026-02","payees":"P-A"}'; expect_error 422 invalid "payees not a list"
req ops POST /api/v1/runs '{"period":"nonsense"}'; expect 202 "a run of a bad period starts"
job=$(jq -r .id "$tmp/body")
for i in $(seq 1 50); do req ops GET "/api/v1/jobs/$job"; [ "$(jq -r .status "$tmp/body")" != running ] && break; sleep 0.1; done
expect_json '.status == "failed" and (.error.message | length) > 0' "a failed run says why"

# ---- statements and the estimator ----
req rep GET /api/v1/statements/P-A/2026-01; expect 200 statement
expect_json '.payee.id == "P-A" and (.totals.paid // .paid // "x" | type) == "string"' "statement money is text"
req rep GET '/api/v1/statements/P-A/2026-01?format=pdf'; expect 200 "pdf"
grep -qi '^content-type: application/pdf' "$tmp/headers" || bad "pdf content type"
grep -qi '^content-disposition: attachment; filename="statement-P-A-2026-01.pdf"' "$tmp/headers" || bad "pdf file name"
head -c 5 "$tmp/body" | grep -q '%PDF-' || bad "not a PDF"
req rep GET '/api/v1/statements/P-A/2026-01?format=xml'; expect_error 422 invalid "an unknown format"
req rep GET /api/v1/statements/P-A/2026-13; expect_error 422 invalid "a month that is not one"
req rep GET /api/v1/statements/P-A/2027-06; expect_error 404 not_found "a month no run covers"
req rep POST /api/v1/estimate '{"payee":"P-A","amount":"10000.00","date":"2026-01-15"}'
expect 200 estimate; expect_json '.deal.amount == "10000.00" and (.paid_month | type) == "string"' "estimate"
req rep POST /api/v1/estimate '{"payee":"P-A","amount":"ten","date":"2026-01-15"}'
expect_error 422 invalid "an amount that is not one"; expect_json '.error.field == "body.amount"' "amount field"
req rep POST /api/v1/estimate '{"amount":"1.00"}'; expect_error 422 invalid "an estimate without a payee"

# ---- finance ----
req fin GET /api/v1/payroll/2026-01; expect 200 payroll
expect_json '(.items[] | select(.person == "P-A") | .amount) == "6000.00" and (.items[] | select(.person == "P-B") | .amount) == "4000.00"' "payroll amounts, to the cent, as text"
req fin GET /api/v1/accruals/2026-01; expect_json '[.items[].person] == ["P-A","P-B","P-DEPART","P-NEW"] and .items[0].accrued == "0.00"' accruals
req fin GET '/api/v1/cost?from=2026-01&to=2026-02'; expect_json '(.items | length) > 0 and (.items[0].amount | type) == "string"' cost
req fin GET '/api/v1/cost?from=2026-02&to=2026-01'; expect_error 422 invalid "cost to before from"
req fin GET /api/v1/payroll/2027-01; expect_error 404 not_found "payroll of a month no run covers"
req fin POST /api/v1/periods/2026-01/close '{"reason":"January is paid"}'; expect 200 close
expect_json '.month == "2026-01" and .run == 1 and .closed_by == "api:fin"' close
req fin POST /api/v1/periods/2026-01/close '{}'; expect_error 409 conflict "a month closed twice"
req fin GET /api/v1/periods; expect_json '.items[0].month == "2026-01" and .items[0].reason == "January is paid"' periods

# ---- imports ----
people='id,name,role,pay_currency\nP-N1,New Person,rep,USD\n'
req ops POST /api/v1/imports "{\"files\":{\"people.csv\":\"$people\"},\"reason\":\"a hire\"}"
expect 201 "import"; expect_json '.committed == true and .tallies[0].entity == "people" and .tallies[0].inserted == 1' "import tallies"
req ops POST /api/v1/imports '{"files":{"people.csv":"id,name,role,pay_currency\nP-N2,Bad,wizard,USD\n"}}'
expect_error 422 invalid "an import with a bad row"
expect_json '.problems[0].text | test("people.csv:2")' "the problem as the CLI prints it"
req ops POST /api/v1/imports '{"files":{"../people.csv":"x"}}'; expect_error 422 invalid "a file name with a path"
req ops POST /api/v1/imports '{"files":{}}'; expect_error 422 invalid "no files"
# multipart, as a browser uploads
printf 'id,name,role,pay_currency\nP-N3,Third Person,rep,EUR\n' > "$tmp/people.csv"
status=$(curl -s -o "$tmp/body" -w '%{http_code}' -b "$tmp/ops.jar" -H "X-CSRF-Token: $(cat "$tmp/ops.csrf")" \
  -F "reason=upload" -F "file=@$tmp/people.csv;filename=people.csv" "${url}api/v1/imports")
expect 201 "a multipart import"; expect_json '.tallies[0].inserted == 1' "multipart tallies"
req ops GET /api/v1/imports; expect_json '.items[0].reason == "upload" and .items[0].actor == "api:ops" and .items[0].files[0].name == "people.csv"' "imports list (no server paths)"

# ---- audit: who, when, what, why ----
req fin GET '/api/v1/audit?action=api&limit=1000'
expect_json '[.items[] | select(.key == "POST /api/v1/periods/2026-01/close" and .actor == "api:fin" and .reason == "January is paid")] | length == 1' "the close is audited with its reason"
expect_json '[.items[] | select(.key == "POST /api/v1/imports")] | length >= 2' "imports are audited"
req fin GET '/api/v1/audit?action=login&actor=api:rep'; expect_json '(.items | length) >= 1' "log-ins are audited"
req fin GET '/api/v1/audit?action=login_failed'; expect_json '[.items[].key] | index("nobody") != null' "failed log-ins are audited"
req fin GET '/api/v1/audit?limit=2'; expect_json '(.items | length) == 2 and (.next | type) == "string"' "audit pages"
after=$(jq -r .next "$tmp/body")
req fin GET "/api/v1/audit?limit=2&after=$after"; expect_json ".items[0].id > $after" "audit page 2"
req fin GET '/api/v1/audit?from=yesterday'; expect_error 422 invalid "a bad time"

# ---- 413 and 429 ----
head -c 1100000 /dev/zero | tr '\0' 'a' > "$tmp/big"
status=$(curl -s -o "$tmp/body" -w '%{http_code}' -b "$tmp/rep.jar" -H 'Content-Type: application/json' \
  --data-binary "@$tmp/big" "${url}api/v1/estimate")
expect_error 413 too_large "a body past 1 MiB"
for i in 1 2 3 4 5; do req anon POST /api/v1/session '{"login":"exec","password":"wrong password!"}'; done
req anon POST /api/v1/session "{\"login\":\"exec\",\"password\":\"$PASSWORD\"}"
expect_error 429 rate_limited "the sixth log-in after five failures"
grep -qi '^retry-after: [0-9]' "$tmp/headers" || bad "429 without Retry-After"

# ---- an incremental run ----
req ops POST /api/v1/runs '{"period":"2026-02","incremental":"yes"}'; expect_error 422 invalid "incremental not a boolean"
run_job() { # run_job BODY: starts a run and waits for its job; the job in $tmp/body
  req ops POST /api/v1/runs "$1"; expect 202 "a run starts: $1"
  local job; job=$(jq -r .id "$tmp/body")
  for i in $(seq 1 100); do req ops GET "/api/v1/jobs/$job"; [ "$(jq -r .status "$tmp/body")" != running ] && break; sleep 0.1; done
}
# January is closed since run 1: the first incremental run of February has nothing to start from
run_job '{"period":"2026-02","incremental":true}'
expect_json '.status == "done" and .incremental == true and .report.incremental == false and (.report.full_reason | test("no earlier run"))' "an incremental run with no base runs in full and says why"
full=$(jq -r .run "$tmp/body")
run_job '{"period":"2026-02","incremental":true}'
expect_json ".status == \"done\" and .report.incremental == true and .report.base_run == $full and .report.recomputed == 0 and .report.full_reason == null" "the next one starts from it and recomputes nobody"

# ---- log-out ----
req rep DELETE /api/v1/session; expect 200 logout
grep -qi '^set-cookie: attain_session=; .*Max-Age=0' "$tmp/headers" || bad "log-out clears the cookie"
req rep GET /api/v1/session; expect_error 401 session_expired "after log-out"
# ---- the finance files as CSV: the bytes `attain payroll` writes ----
# (January was closed above with run 1: the CLI and the server both read that run)
csv_check() { # csv_check PATH FILENAME CLI-ARGS...: the server's CSV is the CLI's, byte for byte
  local path=$1 name=$2; shift 2
  req fin GET "$path"; expect 200 "$name"
  grep -qi '^content-type: text/csv; charset=utf-8' "$tmp/headers" || bad "$name: content type"
  grep -qi "^content-disposition: attachment; filename=\"$name\"" "$tmp/headers" || bad "$name: file name"
  "$attain" payroll --db "$db" "$@" > "$tmp/cli.csv" || bad "$name: attain payroll $*"
  [ -s "$tmp/cli.csv" ] || bad "$name: the CLI wrote nothing"
  cmp -s "$tmp/body" "$tmp/cli.csv" || { bad "$name: differs from attain payroll $*"; diff "$tmp/cli.csv" "$tmp/body" | head; }
}
csv_check '/api/v1/payroll/2026-01?format=csv' payroll-2026-01.csv --period 2026-01
grep -q '^2026-01,P-A,' "$tmp/body" || bad "the payroll CSV holds P-A's lines"
csv_check '/api/v1/accruals/2026-01?format=csv' accruals-2026-01.csv --period 2026-01 --report accruals
csv_check '/api/v1/cost?from=2026-01&to=2026-01&format=csv' cost-2026-01.csv --period 2026-01 --report cost
csv_check '/api/v1/cost?from=2026-01&to=2026-03&format=csv' cost-2026-01-2026-03.csv --period 2026-Q1 --report cost
[ "$(head -1 "$tmp/body")" = period,plan,component,kind,currency,paid,earned,people ] || bad "the cost CSV's header"
# an Accept header naming text/csv asks for the file too; the query wins over it
ACCEPT='text/csv, */*;q=0.1' req fin GET /api/v1/payroll/2026-01; expect 200 "Accept: text/csv"
grep -qi '^content-type: text/csv; charset=utf-8' "$tmp/headers" || bad "Accept: text/csv: content type"
"$attain" payroll --db "$db" --period 2026-01 > "$tmp/cli.csv"
cmp -s "$tmp/body" "$tmp/cli.csv" || bad "Accept: text/csv: differs from attain payroll"
ACCEPT=application/json req fin GET /api/v1/payroll/2026-01; expect 200 "Accept: application/json"
grep -qi '^content-type: application/json' "$tmp/headers" || bad "Accept: application/json: content type"
ACCEPT=text/csv req fin GET '/api/v1/payroll/2026-01?format=json'; expect 200 "format=json over Accept: text/csv"
grep -qi '^content-type: application/json' "$tmp/headers" || bad "the query wins over the Accept header"
req fin GET '/api/v1/payroll/2026-01?format=json'; expect 200 "format=json is the JSON answer"
expect_json '.month == "2026-01" and .run == 1' "format=json"
grep -qi '^content-type: application/json' "$tmp/headers" || bad "format=json: content type"
req fin GET '/api/v1/payroll/2026-01?format=xlsx'; expect_error 400 usage "payroll in an unknown format"
expect_json '.error.field == "format"' "the bad format's field (payroll)"
req fin GET '/api/v1/accruals/2026-01?format=CSV'; expect_error 400 usage "accruals: format is csv in lower case"
expect_json '.error.field == "format"' "the bad format's field (accruals)"
req fin GET '/api/v1/cost?from=2026-01&to=2026-01&format='; expect_error 400 usage "cost: an empty format"
expect_json '.error.field == "format"' "the bad format's field (cost)"
req fin GET '/api/v1/payroll/2027-01?format=csv'; expect_error 404 not_found "the CSV of a month no run covers"
login_as rep rep "a fresh password 2"; expect 200 "the rep logs in again (the password changed above)"
req rep GET '/api/v1/payroll/2026-01?format=csv'; expect_error 403 forbidden "a rep cannot read the payroll CSV"
req rep GET '/api/v1/accruals/2026-01?format=csv'; expect_error 403 forbidden "a rep cannot read the accruals CSV"
req rep GET '/api/v1/cost?from=2026-01&to=2026-01&format=csv'; expect_error 403 forbidden "a rep cannot read the cost CSV"
req mgr GET '/api/v1/payroll/2026-01?format=csv'; expect_error 403 forbidden "a manager cannot read the payroll CSV"
req exec GET '/api/v1/payroll/2026-01?format=csv'; expect 200 "an executive reads the payroll CSV"
web_finish
