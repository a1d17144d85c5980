# lib.sh - what the HTTP tests share (sourced by tests/e2e/web_*.sh): a small company (the
# split-credit reference case, plus a manager P-M over P-A; P-B reports to nobody), one user
# per role, `attain serve` on a free port of 127.0.0.1, a calculation run made through the API,
# and helpers to send requests as a role and check what comes back. Needs curl and jq.
#   users: admin, ops (sales_ops), fin (finance), mgr (manager, person P-M), rep (rep, person
#   P-A), exec (executive); password "a long password 1". P-A's team: P-M manages P-A.

command -v curl >/dev/null && command -v jq >/dev/null || { echo "curl and jq are needed"; exit 77; }
export ATTAIN_PWHASH=min   # fast password hashes: tests only
PASSWORD='a long password 1'
ROLES="admin ops fin mgr rep exec"
fail=0
server_pid=

bad() { echo "FAIL: $*"; fail=1; }

# web_setup ATTAIN SRC TMP [serve options...]: the company, the users, the server, a run.
web_setup() {
  attain=$1 src=$2 tmp=$3
  shift 3
  rm -rf "$tmp"; mkdir -p "$tmp/data" "$tmp/static/assets"
  db="$tmp/web.db"
  local case="$src/tests/reference/case10-split"
  cp "$case"/data/*.csv "$tmp/data/"
  printf 'P-M,Case 10 Manager,manager,USD\n' >> "$tmp/data/people.csv"
  printf 'person_id,manager_id,start_date,end_date\nP-A,P-M,2020-01-01,\n' \
    > "$tmp/data/reporting_lines.csv"
  "$attain" plan load --db "$db" "$case"/plan*.yaml > "$tmp/setup.txt"
  "$attain" import --db "$db" "$tmp/data" >> "$tmp/setup.txt"
  local u
  for u in admin:admin ops:sales_ops fin:finance mgr:manager:P-M rep:rep:P-A exec:executive; do
    IFS=: read -r login role person <<< "$u"
    printf '%s\n' "$PASSWORD" | "$attain" user add --db "$db" --login "$login" --role "$role" \
      ${person:+--person "$person"} --password-stdin >> "$tmp/setup.txt"
  done
  # the pages: a stand-in bundle, and a secret beside it that must never be served
  printf '<!doctype html><title>pages</title>\n' > "$tmp/static/index.html"
  printf 'console.log(1)\n' > "$tmp/static/assets/app.12ab.js"
  printf 'root:x:0:0\n' > "$tmp/secret.txt"
  printf 'hidden\n' > "$tmp/static/.hidden"
  "$attain" serve --db "$db" --listen 127.0.0.1:0 --threads 4 --static "$tmp/static" "$@" \
    > "$tmp/serve.out" 2> "$tmp/serve.err" &
  server_pid=$!
  trap web_stop EXIT
  local i
  for i in $(seq 1 100); do
    url=$(sed -n 's/^attain serve: \(http[^ ]*\) .*/\1/p' "$tmp/serve.out")
    [ -n "$url" ] && break
    kill -0 "$server_pid" 2>/dev/null || { cat "$tmp/serve.err"; echo "FAIL: serve did not start"; exit 1; }
    sleep 0.1
  done
  [ -n "$url" ] || { echo "FAIL: serve printed no URL"; exit 1; }
  for u in $ROLES; do login "$u"; done
  # a calculation run through the API (job 1, run 1)
  req admin POST /api/v1/runs '{"period":"2026-02","reason":"test setup"}'
  [ "$status" = 202 ] || { cat "$tmp/body"; echo "FAIL: run did not start ($status)"; exit 1; }
  for i in $(seq 1 100); do
    req admin GET /api/v1/jobs/1
    [ "$(jq -r .status "$tmp/body")" != running ] && break
    sleep 0.1
  done
  [ "$(jq -r .status "$tmp/body")" = done ] || { cat "$tmp/body"; echo "FAIL: the run did not finish"; exit 1; }
}

web_stop() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid"
    wait "$server_pid" 2>/dev/null || true
  fi
  server_pid=
}

# login ROLE: a session for the role's user ($tmp/ROLE.jar, $tmp/ROLE.csrf)
login() {
  local s
  s=$(curl -s -o "$tmp/login.json" -w '%{http_code}' -c "$tmp/$1.jar" \
        -H 'Content-Type: application/json' \
        --data-binary "{\"login\":\"$1\",\"password\":\"$PASSWORD\"}" "${url}api/v1/session")
  [ "$s" = 200 ] || { cat "$tmp/login.json"; echo "FAIL: log-in of $1: $s"; exit 1; }
  jq -r .csrf "$tmp/login.json" > "$tmp/$1.csrf"
}

# login_as NAME LOGIN PASSWORD: a session for LOGIN kept as NAME ($tmp/NAME.jar, .csrf);
# $status is the log-in's answer
login_as() {
  status=$(curl -s -o "$tmp/body" -w '%{http_code}' -c "$tmp/$1.jar" \
        -H 'Content-Type: application/json' \
        --data-binary "{\"login\":\"$2\",\"password\":\"$3\"}" "${url}api/v1/session")
  jq -r '.csrf // ""' "$tmp/body" > "$tmp/$1.csrf" 2> /dev/null || : > "$tmp/$1.csrf"
}

# bearer TOKEN METHOD PATH: a request with an API token; $status, the body in $tmp/body
bearer() {
  status=$(curl -s -o "$tmp/body" -w '%{http_code}' -X "$2" -H "Authorization: Bearer $1" \
    "${url}${3#/}")
}

# req ROLE|anon METHOD PATH [BODY]: $status, the body in $tmp/body, headers in $tmp/headers
req() {
  local role=$1 method=$2 path=$3 body=${4-}
  local args=(-s -o "$tmp/body" -D "$tmp/headers" -w '%{http_code}' -X "$method")
  if [ "$role" != anon ]; then
    args+=(-b "$tmp/$role.jar" -H "X-CSRF-Token: $(cat "$tmp/$role.csrf")")
  fi
  if [ -n "$body" ]; then
    args+=(-H 'Content-Type: application/json' --data-binary "$body")
  fi
  if [ -n "${ACCEPT-}" ]; then # ACCEPT=text/csv req ...: an Accept header
    args+=(-H "Accept: $ACCEPT")
  fi
  status=$(curl "${args[@]}" "${url}${path#/}")
}

# expect STATUS WHAT: the last request's status
expect() {
  [ "$status" = "$1" ] || { bad "$2: status $status, expected $1: $(head -c 300 "$tmp/body")"; }
}

# expect_json JQ-EXPR WHAT: the expression is true of the last body
expect_json() {
  jq -e "$1" "$tmp/body" > /dev/null 2>&1 || bad "$2: $1 is not true of $(head -c 300 "$tmp/body")"
}

# expect_error STATUS CODE WHAT: an error body of that code
expect_error() {
  expect "$1" "$3"
  expect_json ".error.code == \"$2\" and (.error.message | length > 0) and (.error | has(\"field\"))" "$3"
}

web_finish() {
  web_stop
  if grep -q "ERROR: AddressSanitizer\|ERROR: LeakSanitizer\|runtime error:" "$tmp/serve.err"; then
    cat "$tmp/serve.err"; bad "the server reported a memory or undefined-behaviour error"
  fi
  exit $fail
}
