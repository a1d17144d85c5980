#!/usr/bin/env bash
# web_security.sh - the attacks the API must refuse, against a real `attain serve`: CSRF (no
# token, a wrong one, another session's), session fixation (a planted cookie is never
# adopted; log-in always issues a new id and ends the old one), expired and idle sessions, SQL
# metacharacters and oversized values in every kind of parameter (path, query, JSON body,
# cookie, header), path traversal on the static files, and the cookie's and responses'
# security attributes.
set -uo pipefail
source "$2/tests/http/lib.sh"
web_setup "$1" "$2" "$3"

# ---- CSRF ----
body='{"name":"csrf test"}'
status=$(curl -s -o "$tmp/body" -w '%{http_code}' -b "$tmp/rep.jar" -H 'Content-Type: application/json' \
  --data-binary "$body" "${url}api/v1/tokens")
expect_error 403 csrf "a change without the CSRF token"
status=$(curl -s -o "$tmp/body" -w '%{http_code}' -b "$tmp/rep.jar" -H 'X-CSRF-Token: forged' \
  -H 'Content-Type: application/json' --data-binary "$body" "${url}api/v1/tokens")
expect_error 403 csrf "a wrong CSRF token"
status=$(curl -s -o "$tmp/body" -w '%{http_code}' -b "$tmp/rep.jar" -H "X-CSRF-Token: $(cat "$tmp/mgr.csrf")" \
  -H 'Content-Type: application/json' --data-binary "$body" "${url}api/v1/tokens")
expect_error 403 csrf "another session's CSRF token"
status=$(curl -s -o "$tmp/body" -w '%{http_code}' -b "$tmp/admin.jar" -X POST "${url}api/v1/periods/2026-02/close")
expect_error 403 csrf "a close without the token"
status=$(curl -s -o "$tmp/body" -w '%{http_code}' -b "$tmp/rep.jar" -X DELETE "${url}api/v1/session")
expect_error 403 csrf "a log-out without the token"
req rep GET /api/v1/session; expect 200 "the session survived the forged requests"
req fin GET '/api/v1/audit?action=api'
expect_json '[.items[] | select(.key | test("tokens|close"))] | length == 0' "refused changes wrote nothing"

# ---- session fixation ----
planted='attain_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'
status=$(curl -s -o "$tmp/body" -w '%{http_code}' -H "Cookie: $planted" "${url}api/v1/session")
expect_error 401 session_expired "a planted, unknown session id"
status=$(curl -s -o "$tmp/body" -D "$tmp/headers" -w '%{http_code}' -H "Cookie: $planted" \
  -H 'Content-Type: application/json' --data-binary "{\"login\":\"rep\",\"password\":\"$PASSWORD\"}" "${url}api/v1/session")
expect 200 "log-in with a planted cookie"
new=$(sed -n 's/^[Ss]et-[Cc]ookie: attain_session=\([^;]*\);.*/\1/p' "$tmp/headers")
[ -n "$new" ] && [ "attain_session=$new" != "$planted" ] || bad "log-in kept the planted id"
status=$(curl -s -o "$tmp/body" -w '%{http_code}' -H "Cookie: $planted" "${url}api/v1/session")
expect 401 "the planted id is still not a session"
# logging in again from a live session ends that session
old=$(awk '$6 == "attain_session" {print $7}' "$tmp/mgr.jar")
status=$(curl -s -o "$tmp/login.json" -D "$tmp/headers" -w '%{http_code}' -b "$tmp/mgr.jar" -c "$tmp/mgr.jar" \
  -H 'Content-Type: application/json' --data-binary "{\"login\":\"mgr\",\"password\":\"$PASSWORD\"}" "${url}api/v1/session")
expect 200 "a second log-in from a live session"
# the cookie: HttpOnly, SameSite=Strict, the whole site
grep -qi '^set-cookie: attain_session=[A-Za-z0-9_-]\{43\}; Path=/; Max-Age=43200; HttpOnly; SameSite=Strict' "$tmp/headers" ||
  bad "the session cookie lacks HttpOnly/SameSite=Strict: $(grep -i set-cookie "$tmp/headers")"
jq -r .csrf "$tmp/login.json" > "$tmp/mgr.csrf"
status=$(curl -s -o "$tmp/body" -w '%{http_code}' -H "Cookie: attain_session=$old" "${url}api/v1/session")
expect_error 401 session_expired "the session before a new log-in has ended"
req mgr GET /api/v1/session; expect 200 "the new session works"

# ---- expired and idle sessions ----
login exec
sqlite3 "$db" "UPDATE sessions SET expires_at = strftime('%s','now') - 1 WHERE user_id = (SELECT id FROM users WHERE login = 'exec')"
req exec GET /api/v1/session; expect_error 401 session_expired "an expired session"
login exec
cookie=$(awk '$6 == "attain_session" {print $7}' "$tmp/exec.jar")
stored=$(printf %s "$cookie" | b2sum -l 256 | cut -c1-64)
[ "$(sqlite3 "$db" "SELECT count(*) FROM sessions WHERE lower(hex(id_hash)) = '$stored'")" = 1 ] ||
  bad "the session is not stored by the BLAKE2b-256 of its id"
sqlite3 "$db" "UPDATE sessions SET last_seen = strftime('%s','now') - 1801 WHERE user_id = (SELECT id FROM users WHERE login = 'exec')"
req exec GET /api/v1/session; expect_error 401 session_expired "an idle session (30 minutes)"
[ "$(sqlite3 "$db" "SELECT count(*) FROM sessions WHERE lower(hex(id_hash)) = '$stored'")" = 0 ] ||
  bad "an ended session stays in the store"
grep -qF -- "$(awk '$6 == "attain_session" {print $7}' "$tmp/rep.jar")" "$db" && bad "a session id is in the database file"

# ---- SQL metacharacters and oversized values in every kind of parameter ----
sqlish=("' OR '1'='1" "P-A' --" "\"; DROP TABLE users; --" "%' OR 1=1 --" "P-A') UNION SELECT login, password_hash FROM users --")
for s in "${sqlish[@]}"; do
  enc=$(jq -rn --arg s "$s" '$s | @uri')
  req rep GET "/api/v1/statements/$enc/2026-01"; expect 403 "a rep, payee $s"
  req admin GET "/api/v1/statements/$enc/2026-01"; expect 404 "admin, payee $s"
  req rep GET "/api/v1/people?q=$enc&after=$enc"; expect 200 "search $s"
  expect_json '[.items[].id] == []' "search $s finds nothing"
  req mgr GET "/api/v1/people/$enc"; expect 403 "a manager, person $s"
  req fin GET "/api/v1/audit?actor=$enc&entity=$enc&key=$enc&action=$enc"; expect_json '.items == []' "audit filters $s"
  req rep POST /api/v1/estimate "$(jq -cn --arg s "$s" '{payee:$s, amount:"1.00"}')"; expect 403 "estimate for $s"
  req anon POST /api/v1/session "$(jq -cn --arg s "$s" '{login:$s, password:$s}')"; expect 401 "log-in as $s"
  status=$(curl -s -o "$tmp/body" -w '%{http_code}' -H "Cookie: attain_session=$enc" "${url}api/v1/session")
  expect 401 "cookie $s"
  status=$(curl -s -o "$tmp/body" -w '%{http_code}' -H "Authorization: Bearer $s" "${url}api/v1/session")
  expect 401 "bearer $s"
done
[ "$(sqlite3 "$db" "SELECT count(*) FROM users")" = 6 ] || bad "the users table changed"
# oversized: path, query, body field, cookie, header
long=$(head -c 300 /dev/zero | tr '\0' 'x')
req admin GET "/api/v1/people/$long"; expect_error 400 invalid "a 300-byte path parameter"
req admin GET "/api/v1/people?q=$long"; expect_error 422 invalid "a 300-byte search"
req rep POST /api/v1/estimate "{\"payee\":\"$long\",\"amount\":\"1.00\"}"; expect_error 422 invalid "a 300-byte payee in a body"
huge=$(head -c 70000 /dev/zero | tr '\0' 'x')
status=$(curl -s -o "$tmp/body" -w '%{http_code}' -H "Cookie: attain_session=$huge" "${url}api/v1/session")
[ "$status" -ge 400 ] && [ "$status" -lt 500 ] || bad "a 70 kB cookie: $status"
status=$(curl -s -o "$tmp/body" -w '%{http_code}' "${url}api/v1/people?q=$huge")
[ "$status" -ge 400 ] && [ "$status" -lt 500 ] || bad "a 70 kB query: $status"
status=$(curl -s -o "$tmp/body" -w '%{http_code}' -H "X-CSRF-Token: $huge" "${url}api/v1/health")
[ "$status" -ge 400 ] && [ "$status" -lt 500 ] || bad "a 70 kB header: $status"
head -c 1100000 /dev/zero | tr '\0' 'a' > "$tmp/big"
status=$(curl -s -o "$tmp/body" -w '%{http_code}' -H 'Content-Type: application/json' -H 'Transfer-Encoding: chunked' \
  --data-binary "@$tmp/big" "${url}api/v1/session")
expect_error 413 too_large "a chunked body past 1 MiB"
req anon GET "/api/v1/people/%00"; expect_error 400 invalid "a NUL in a path parameter"
req admin GET "/api/v1/people?q=%ff"; expect_error 400 invalid "a query that is not UTF-8"
req rep POST /api/v1/estimate '{"payee":"P-A\u0000x","amount":"1.00"}'; expect_error 422 invalid "a NUL in a body field"
req rep GET "/api/v1/session"; expect 200 "the server is still fine"

# ---- static files: types, cache, and no way out ----
status=$(curl -s -o "$tmp/body" -D "$tmp/headers" -w '%{http_code}' "${url}")
expect 200 "the index"; grep -q '<title>pages</title>' "$tmp/body" || bad "the index is the pages'"
grep -qi '^content-type: text/html' "$tmp/headers" || bad "index content type"
grep -qi '^cache-control: no-cache' "$tmp/headers" || bad "index is revalidated"
status=$(curl -s -o "$tmp/body" -D "$tmp/headers" -w '%{http_code}' "${url}assets/app.12ab.js")
expect 200 "an asset"; grep -qi '^content-type: text/javascript' "$tmp/headers" || bad "js content type"
grep -qi '^cache-control: public, max-age=31536000, immutable' "$tmp/headers" || bad "assets are cached"
grep -qi '^x-content-type-options: nosniff' "$tmp/headers" || bad "nosniff"
status=$(curl -s -o "$tmp/body" -w '%{http_code}' "${url}statements/P-A"); expect 200 "a page route gets the index"
for p in '../secret.txt' '..%2fsecret.txt' '%2e%2e/secret.txt' '%2e%2e%2fsecret.txt' 'assets/..%2f..%2fsecret.txt' \
         'assets/%2e%2e/%2e%2e/secret.txt' '.hidden' '%2ehidden' '..%5csecret.txt' 'assets/../../secret.txt' \
         '%252e%252e/secret.txt' '....//secret.txt' 'assets/app.12ab.js%00.html'; do
  status=$(curl -s --path-as-is -o "$tmp/body" -w '%{http_code}' "${url}$p")
  grep -q 'root:x\|hidden' "$tmp/body" && bad "path traversal: $p served a file outside"
  [ "$status" = 404 ] || [ "$status" = 200 ] || bad "path traversal: $p: $status"
  if [ "$status" = 200 ]; then grep -q '<title>pages</title>' "$tmp/body" || bad "$p: 200 but not the index"; fi
done
status=$(curl -s -o "$tmp/body" -w '%{http_code}' -X POST "${url}index.html"); expect 405 "POST to a page"
web_finish
