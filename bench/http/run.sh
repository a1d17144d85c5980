#!/usr/bin/env bash
# bench/http: `attain serve` under load with wrk (Debian package): a rep's home (their
# statement for the month, JSON: what the rep's pay page loads first) and a manager's team view
# (the people they may see), each at 64 connections for a fixed time; prints requests/s, p50
# and p99 latency, errors (non-2xx and socket errors), and the server's memory after the run.
# The demo company is generated, imported, its plans loaded and its last fiscal year computed
# first (not timed). Each view runs twice: at full load (wrk sends the next request as soon as
# the answer is in) and at a fixed rate (BENCH_HTTP_RATE requests/s, the issue's aim: 500; wrk
# has no rate option, so rate.lua makes each connection wait a random time, mean
# connections / rate, before each request), printing the rate achieved.
# Usage: bench/http/run.sh BUILD_DIR [ATTAIN_BINARY]
# Environment: BENCH_HTTP_SIZE (S|M, default S), BENCH_HTTP_MONTHS (default 3),
#              BENCH_HTTP_SECONDS (default 15), BENCH_HTTP_RATE (default 500),
#              BENCH_HTTP_DIR (scratch, removed after unless BENCH_HTTP_KEEP=1, which also
#              reuses the database a kept run prepared there: size M takes minutes).
set -euo pipefail
build=$(cd "${1:?usage: bench/http/run.sh BUILD_DIR [ATTAIN]}" && pwd)
attain=${2:-}
[ -n "$attain" ] && [ -x "$attain" ] || attain="$build/attain"
size=${BENCH_HTTP_SIZE:-S}
months=${BENCH_HTTP_MONTHS:-3}
seconds=${BENCH_HTTP_SECONDS:-15}
rate=${BENCH_HTTP_RATE:-500}
work=${BENCH_HTTP_DIR:-/tmp/attain-bench-http}
keep=${BENCH_HTTP_KEEP:-0}
here=$(cd "$(dirname "$0")" && pwd)
command -v wrk > /dev/null || { echo "wrk is not installed (scripts/install-deps.sh bench)"; exit 1; }
db="$work/bench.db"
[ "$keep" = 1 ] && [ -f "$work/prepared" ] || { rm -rf "$work" && mkdir -p "$work"; }
server=""
cleanup() {
  [ -n "$server" ] && kill "$server" 2> /dev/null
  wait 2> /dev/null
  [ "$keep" = 1 ] || rm -rf "$work"
}
trap cleanup EXIT

month=2026-12
if [ -f "$work/prepared" ]; then
  echo "reusing the database prepared in $work (BENCH_HTTP_KEEP=1)"
else
  echo "preparing: size $size, $months months, plans loaded, fiscal 2026 calculated ..."
  "$attain" generate --out "$work/gen" --size "$size" --months "$months" --quiet
  "$attain" import --db "$db" "$work/gen" > /dev/null
  "$attain" plan load --db "$db" "$work/gen"/plans/*.yaml > /dev/null
  "$attain" calc --db "$db" --period 2026-12 > /dev/null 2>&1
  rm -rf "$work/gen"
  # a rep paid in the month and their manager on its last day
  "$attain" payroll --db "$db" --period "$month" > "$work/payroll.csv"
  rep=$(awk -F, '$5 ~ /^AE 2026\// && $7 + 0 > 0 && !found { print $2; found = 1 }' \
    "$work/payroll.csv")
  manager=$(sqlite3 "$db" "SELECT m.ext_id FROM reporting_lines r JOIN people p ON p.id = r.person_id
    JOIN people m ON m.id = r.manager_id WHERE p.ext_id = '$rep' ORDER BY r.start_date DESC LIMIT 1")
  printf '%s\n' 'bench-rep-password' |
    "$attain" user add --db "$db" --login rep --role rep --person "$rep" --password-stdin > /dev/null
  printf '%s\n' 'bench-manager-password' |
    "$attain" user add --db "$db" --login manager --role manager --person "$manager" \
      --password-stdin > /dev/null
  printf '%s %s\n' "$rep" "$manager" > "$work/prepared"
fi
read -r rep manager < "$work/prepared"
team=$(sqlite3 "$db" "WITH RECURSIVE t(pid) AS (SELECT person_id FROM reporting_lines
  WHERE manager_id = (SELECT id FROM people WHERE ext_id = '$manager') AND end_date IS NULL
  UNION SELECT r.person_id FROM reporting_lines r JOIN t ON r.manager_id = t.pid
  WHERE r.end_date IS NULL) SELECT count(*) FROM t")
echo "rep $rep; manager $manager with $team people in the team today"

port=$(( 20000 + RANDOM % 20000 ))
"$attain" serve --db "$db" --listen "127.0.0.1:$port" > "$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 300); do curl -sf "http://127.0.0.1:$port/api/v1/health" > /dev/null && break; sleep 0.1; done
curl -sf "http://127.0.0.1:$port/api/v1/health" > /dev/null ||
  { echo "attain serve did not answer on port $port:"; cat "$work/serve.log"; exit 1; }
cookie() { # cookie LOGIN PASSWORD -> the session cookie header value
  curl -s -D - -o /dev/null -H 'Content-Type: application/json' \
    -d "{\"login\":\"$1\",\"password\":\"$2\"}" "http://127.0.0.1:$port/api/v1/session" |
    awk -F': ' 'tolower($1) == "set-cookie" { split($2, a, ";"); print a[1]; exit }'
}
rep_cookie=$(cookie rep bench-rep-password)
manager_cookie=$(cookie manager bench-manager-password)
[ -n "$rep_cookie" ] && [ -n "$manager_cookie" ] || { echo "the bench users could not log in"; exit 1; }

report() { # report FILE HOW: one line from wrk's output
  awk -v how="$2" '
    /Requests\/sec/ { rps = $2 }
    $1 == "50%" { p50 = $2 } $1 == "99%" { p99 = $2 }
    /requests in/ { total = $1 }
    /Non-2xx/ { non2xx = $NF }
    /Socket errors/ { gsub(/,/, ""); sock = $4 + $6 + $8 + $10 }
    END { printf "  %-11s %9.1f requests/s, p50 %7s, p99 %7s, %d requests, errors %d\n",
          how, rps, p50, p99, total, non2xx + sock }' "$1"
}
load() { # load NAME COOKIE PATH
  local name=$1 c=$2 path=$3 file=${1// /-}
  curl -sf -H "Cookie: $c" "http://127.0.0.1:$port$path" > /dev/null ||
    { echo "$name: GET $path failed"; exit 1; }
  echo "$name: GET $path"
  wrk -t 2 -c 64 -d "${seconds}s" --latency -H "Cookie: $c" "http://127.0.0.1:$port$path" \
    > "$work/$file-full.txt"
  report "$work/$file-full.txt" "full load"
  WAIT_MS=$(( 64 * 1000 / rate )) wrk -t 2 -c 64 -d "${seconds}s" --latency -s "$here/rate.lua" \
    -H "Cookie: $c" "http://127.0.0.1:$port$path" > "$work/$file-rate.txt"
  report "$work/$file-rate.txt" "at $rate/s"
}
echo "64 connections, ${seconds} s per run (wrk, 2 threads, on the same 2-core machine):"
load "rep home" "$rep_cookie" "/api/v1/statements/$rep/$month"
load "manager team" "$manager_cookie" "/api/v1/people"
awk '/VmRSS/ { rss = $2 } /VmHWM/ { hwm = $2 }
     END { printf "server memory after the runs: %.0f MB resident (peak %.0f MB)\n",
           rss / 1024, hwm / 1024 }' "/proc/$server/status"
echo "aim: p99 under 20 ms at 500 requests/s with zero errors"
