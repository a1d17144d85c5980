#!/usr/bin/env bash
# bench/http: `attain serve` under load with wrk (Debian package): a rep's home (their
# statement for the month, JSON: what the rep's pay page loads first) and a manager's team view
# (the people they may see), each at 64 connections for a fixed time; prints requests/s, p50
# and p99 latency, errors (non-2xx and socket errors), and the server's memory after the run.
# The demo company is generated, imported, its plans loaded and its last fiscal year computed
# first (not timed). wrk drives as fast as the server answers (it has no fixed-rate mode), so
# the p99 printed is the one at full load, above the issue's 500 requests/s.
# Usage: bench/http/run.sh BUILD_DIR [ATTAIN_BINARY]
# Environment: BENCH_HTTP_SIZE (S|M, default S), BENCH_HTTP_MONTHS (default 3),
#              BENCH_HTTP_SECONDS (default 15), BENCH_HTTP_DIR (scratch, removed after).
set -euo pipefail
build=$(cd "${1:?usage: bench/http/run.sh BUILD_DIR [ATTAIN]}" && pwd)
attain=${2:-}
[ -n "$attain" ] && [ -x "$attain" ] || attain="$build/attain"
size=${BENCH_HTTP_SIZE:-S}
months=${BENCH_HTTP_MONTHS:-3}
seconds=${BENCH_HTTP_SECONDS:-15}
work=${BENCH_HTTP_DIR:-/tmp/attain-bench-http}
command -v wrk > /dev/null || { echo "wrk is not installed (scripts/install-deps.sh bench)"; exit 1; }
rm -rf "$work" && mkdir -p "$work"
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2> /dev/null; wait 2> /dev/null; rm -rf "$work"; }
trap cleanup EXIT
db="$work/bench.db"

echo "preparing: size $size, $months months, plans loaded, fiscal 2026 calculated ..."
"$attain" generate --out "$work/gen" --size "$size" --months "$months" --quiet
"$attain" import --db "$db" "$work/gen" > /dev/null
"$attain" plan load --db "$db" "$work/gen"/plans/*.yaml > /dev/null
"$attain" calc --db "$db" --period 2026-12 > /dev/null 2>&1
month=2026-12
# a rep paid in the month and their manager on its last day
"$attain" payroll --db "$db" --period "$month" > "$work/payroll.csv"
rep=$(awk -F, '$5 ~ /^AE 2026\// && $7 + 0 > 0 && !found { print $2; found = 1 }' "$work/payroll.csv")
manager=$(sqlite3 "$db" "SELECT m.ext_id FROM reporting_lines r JOIN people p ON p.id = r.person_id
  JOIN people m ON m.id = r.manager_id WHERE p.ext_id = '$rep' ORDER BY r.start_date DESC LIMIT 1")
printf '%s\n' 'bench-rep-password' |
  "$attain" user add --db "$db" --login rep --role rep --person "$rep" --password-stdin > /dev/null
printf '%s\n' 'bench-manager-password' |
  "$attain" user add --db "$db" --login manager --role manager --person "$manager" \
    --password-stdin > /dev/null

port=$(( 20000 + RANDOM % 20000 ))
"$attain" serve --db "$db" --listen "127.0.0.1:$port" > "$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/api/v1/health" > /dev/null && break; sleep 0.1; done
cookie() { # cookie LOGIN PASSWORD -> the session cookie header value
  curl -s -D - -o /dev/null -H 'Content-Type: application/json' \
    -d "{\"login\":\"$1\",\"password\":\"$2\"}" "http://127.0.0.1:$port/api/v1/session" |
    awk -F': ' 'tolower($1) == "set-cookie" { split($2, a, ";"); print a[1]; exit }'
}
rep_cookie=$(cookie rep bench-rep-password)
manager_cookie=$(cookie manager bench-manager-password)

load() { # load NAME COOKIE PATH
  local name=$1 c=$2 path=$3
  curl -sf -H "Cookie: $c" "http://127.0.0.1:$port$path" > /dev/null ||
    { echo "$name: GET $path failed"; exit 1; }
  wrk -t 2 -c 64 -d "${seconds}s" --latency -H "Cookie: $c" "http://127.0.0.1:$port$path" \
    > "$work/$name.txt"
  awk -v name="$name" -v path="$path" '
    /Requests\/sec/ { rps = $2 }
    $1 == "50%" { p50 = $2 } $1 == "99%" { p99 = $2 }
    /Non-2xx/ { non2xx = $NF } /Socket errors/ { sock = $0 }
    END { printf "%-14s GET %s\n  %s requests/s, p50 %s, p99 %s, non-2xx %d%s\n", name, path,
          rps, p50, p99, non2xx, sock ? "; " sock : "" }' "$work/$name.txt"
}
echo "64 connections, ${seconds} s each (wrk, 2 threads, on the same 2-core machine):"
load "rep home" "$rep_cookie" "/api/v1/statements/$rep/$month"
load "manager team" "$manager_cookie" "/api/v1/people"
rss=$(awk '/VmRSS/ { print $2 }' "/proc/$server/status")
printf 'server memory after the runs: %.0f MB\n' "$(awk -v k="$rss" 'BEGIN { print k / 1024 }')"
echo "aim: p99 under 20 ms at 500 requests/s with zero errors"
