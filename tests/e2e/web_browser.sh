#!/usr/bin/env bash
# web_browser.sh - the pages in a real browser: a small demo company (size S, 3 months),
# its plans (and a second version of one), fiscal 2026-Q4 calculated, one user per role
# (the rep and manager picked from the data: the best-paid rep of a manager with three reps
# or more), attain serve on a free port of 127.0.0.1, then tests/browser/flows.mjs logs in as
# each role in Debian's chromium and walks its flows. Screenshots: $3/shots/*.png.
# Skips (77) when node, chromium or the npm packages are missing: `make test` installs them.
set -euo pipefail
attain=$1 src=$2 tmp=$3
skip() { echo "skipped: $*"; exit 77; }
command -v node >/dev/null || skip "node is not installed (scripts/install-deps.sh test installs it)"
[ -x /usr/bin/chromium ] || skip "/usr/bin/chromium is not installed (Debian package chromium; scripts/install-deps.sh test)"
[ -f "$src/web/node_modules/playwright-core/package.json" ] || skip "playwright-core is not installed (scripts/install-deps.sh test runs npm ci in web/)"
command -v curl >/dev/null && command -v jq >/dev/null || skip "curl and jq are needed"
[ -f "$src/web/dist/index.html" ] || { echo "FAIL: the pages are not built (web/dist): build the CMake target web"; exit 1; }

export ATTAIN_PWHASH=min   # fast password hashes: tests only
PASSWORD='a long password 1'
rm -rf "$tmp"; mkdir -p "$tmp/bad"
db="$tmp/company.db"
month=2026-12   # January 2026, the last month the generator writes; 2026-Q4 is Nov - Jan

echo "== the company"
"$attain" generate --size S --months 3 --out "$tmp/csv" --quiet
"$attain" import --db "$db" "$tmp/csv" > "$tmp/setup.txt"
"$attain" plan load --db "$db" --reason "the demo's plans" "$tmp"/csv/plans/*.yaml >> "$tmp/setup.txt"
"$attain" calc --db "$db" --period 2026-Q4 >> "$tmp/setup.txt" 2> "$tmp/calc.log"
# a second version of one plan, for the plans page's difference (the run in the browser uses it)
sed 's/^    rate: 3%$/    rate: 4%/' "$tmp/csv/plans/AE 2026.yaml" > "$tmp/AE 2026 v2.yaml"
"$attain" plan load --db "$db" --reason "services commission 3% to 4%" "$tmp/AE 2026 v2.yaml" >> "$tmp/setup.txt"
printf 'id,name,role,pay_currency\nP-N1,New Person,wizard,USD\nP-N2,,rep,USD\n' > "$tmp/bad/people.csv"

for u in admin:admin ops:sales_ops fin:finance exec:executive; do
  IFS=: read -r login role <<< "$u"
  printf '%s\n' "$PASSWORD" | "$attain" user add --db "$db" --login "$login" --role "$role" --password-stdin >> "$tmp/setup.txt"
done

echo "== attain serve"
"$attain" serve --db "$db" --listen 127.0.0.1:0 --threads 4 --static "$src/web/dist" \
  > "$tmp/serve.out" 2> "$tmp/serve.err" &
server_pid=$!
stop() { kill -TERM "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true; }
trap stop EXIT
url=
for _ in $(seq 1 200); do
  url=$(sed -n 's/^attain serve: \(http[^ ]*\) .*/\1/p' "$tmp/serve.out")
  [ -n "$url" ] && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$tmp/serve.err"; echo "FAIL: serve did not start"; exit 1; }
  sleep 0.1
done
[ -n "$url" ] || { echo "FAIL: serve printed no URL"; exit 1; }
echo "$url"

# the rep and manager: the best-paid rep in the month among managers with three reps or more
curl -sf -c "$tmp/admin.jar" -H 'Content-Type: application/json' \
  --data-binary "{\"login\":\"admin\",\"password\":\"$PASSWORD\"}" "${url}api/v1/session" > /dev/null
curl -sf -b "$tmp/admin.jar" "${url}api/v1/people?limit=1000" > "$tmp/people.json"
curl -sf -b "$tmp/admin.jar" "${url}api/v1/payroll/$month" > "$tmp/payroll.json"
read -r rep mgr currency < <(jq -rn --slurpfile p "$tmp/people.json" --slurpfile pay "$tmp/payroll.json" '
  ($pay[0].items | map({key: .person, value: (.amount | tonumber)}) | from_entries) as $amount
  | $p[0].items | map(select(.role == "rep" and .manager != null)) | group_by(.manager)
  | map(select(length >= 3)) | flatten | max_by($amount[.id] // 0) | "\(.id) \(.manager) \(.pay_currency)"')
rep_name=$(jq -r --arg id "$rep" '.items[] | select(.id == $id) | .name' "$tmp/people.json")
printf '%s\n' "$PASSWORD" | "$attain" user add --db "$db" --login rep --role rep --person "$rep" --password-stdin >> "$tmp/setup.txt"
printf '%s\n' "$PASSWORD" | "$attain" user add --db "$db" --login mgr --role manager --person "$mgr" --password-stdin >> "$tmp/setup.txt"
echo "rep $rep ($rep_name, paid in $currency), manager $mgr"
last_day=$(curl -sf -b "$tmp/admin.jar" "${url}api/v1/statements/$rep/$month" | jq -r .period.last)

echo "== the browser"
URL=$url OUT=$tmp ATTAIN=$attain DB=$db MONTH=$month MONTH_LAST_DAY=$last_day REP=$rep MGR=$mgr \
  REP_NAME=$rep_name REP_CURRENCY=$currency PASSWORD=$PASSWORD \
  node "$src/tests/browser/flows.mjs"
