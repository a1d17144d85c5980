#!/usr/bin/env bash
# bench/calc: the calculation at size M (10k payees, ~10M transactions a month), phase by phase,
# against the same plan written straightforwardly in SQL (bench/calc/baseline.sql) on the same
# database in the same run, with the ratio; one late transaction recalculated incrementally;
# peak memory. Everyone is put on bench/calc/plan.yaml (the generated plan assignments keep
# their dates, their plan becomes "Bench") so that the SQL computes the same thing.
# Usage: bench/calc/run.sh BUILD_DIR [ATTAIN_BINARY]
# Environment: BENCH_CALC_SIZE (S|M|L, default M), BENCH_CALC_MONTHS (default 1),
#              BENCH_CALC_DIR (scratch, default /tmp/attain-bench-calc; removed after),
#              BENCH_CALC_KEEP=1 keeps it.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:?usage: bench/calc/run.sh BUILD_DIR [ATTAIN]}" && pwd)
attain=${2:-}
[ -n "$attain" ] && [ -x "$attain" ] || attain="$build/attain"
size=${BENCH_CALC_SIZE:-M}
months=${BENCH_CALC_MONTHS:-1}
work=${BENCH_CALC_DIR:-/tmp/attain-bench-calc}
rm -rf "$work" && mkdir -p "$work"
[ "${BENCH_CALC_KEEP:-0}" = 1 ] || trap 'rm -rf "$work"' EXIT
now() { date +%s.%N; }
calc() { awk "BEGIN { print $1 }"; }
db="$work/bench.db"

echo "generating size $size, $months month(s) ..."
"$attain" generate --out "$work/gen" --size "$size" --months "$months" --quiet > /dev/null
rm -rf "$work/gen/plans"
# everyone on the bench plan, with the dates the generator gave
awk -F, -v OFS=, 'NR == 1 { print; next } { $3 = "Bench"; print }' \
  "$work/gen/plan_assignments.csv" > "$work/pa.csv" && mv "$work/pa.csv" "$work/gen/plan_assignments.csv"
# the bench plan reads one quota, `bookings`: leaders' team and organisation quotas count as theirs
awk -F, -v OFS=, 'NR > 1 && ($4 == "team_bookings" || $4 == "org_bookings") { $4 = "bookings" } { print }' \
  "$work/gen/quotas.csv" > "$work/q.csv" && mv "$work/q.csv" "$work/gen/quotas.csv"
t0=$(now)
"$attain" import --db "$db" "$work/gen" > "$work/import.txt"
t1=$(now)
printf 'imported %s rows in %.1f s (setup, not timed below)\n' \
  "$(awk '$1 == "total" { print $2 }' "$work/import.txt")" "$(calc "$t1 - $t0")"
"$attain" plan load --db "$db" "$here/plan.yaml" > /dev/null

# the fiscal year of the last generated month: the window ends in January 2026 (fiscal month
# 12 of FY2026, fiscal years starting in February)
period=2026-12 first=2025-02-01 last=2026-01-31
day() { echo $(( $(date -u -d "$1" +%s) / 86400 )); }

echo "attain calc --period $period (load, credit, calculate, save; all cores):"
"$attain" calc --db "$db" --period "$period" 2> "$work/problems.txt" | sed 's/^/  /'
echo "  ($(grep -c 'error:' "$work/problems.txt" || true) problems reported, e.g. payees without a quota)"

cores=$(nproc)
echo "engine alone (bench_calc, explanations off), 1 thread:"
"$build/bench/bench_calc" "$db" "$first" "$last" 1 20 | tee "$work/engine1.txt" | sed 's/^/  /'
echo "engine alone, $cores threads:"
"$build/bench/bench_calc" "$db" "$first" "$last" "$cores" 0 | tee "$work/engineN.txt" | sed 's/^/  /'
engine1=$(awk '$1 == "engine" { print $2 }' "$work/engine1.txt")
engineN=$(awk '$1 == "engine" { print $2 }' "$work/engineN.txt")
load=$(awk '$1 == "load" { print $2 }' "$work/engine1.txt")

echo "the same plan in SQL (sqlite3, bench/calc/baseline.sql):"
t0=$(now)
sqlite3 "$db" > "$work/baseline.txt" <<SQL
.parameter set @from_day $(day "$first")
.parameter set @to_day $(day "$last")
.read $here/baseline.sql
SQL
t1=$(now)
sql=$(calc "$t1 - $t0")
IFS='|' read -r _ payee_months sql_commission sql_override sql_credits < "$work/baseline.txt"
printf '  %.3f s: %s payee-months, %s credits\n' "$sql" "$payee_months" "$sql_credits"

# what each computed, per component, over the year (attain: earned, plan currency USD)
"$attain" payroll --db "$db" --period 2026 --report cost > "$work/cost.csv"
attain_commission=$(awk -F, '$3 == "commission" { s += $7 } END { printf "%.2f", s }' "$work/cost.csv")
attain_override=$(awk -F, '$3 == "override" { s += $7 } END { printf "%.2f", s }' "$work/cost.csv")
printf 'totals, fiscal year to date:  commission  attain %s  SQL %s\n' "$attain_commission" \
  "$(calc "$sql_commission / 10000")"
printf '                              override    attain %s  SQL %s\n' "$attain_override" \
  "$(calc "$sql_override / 10000")"
printf 'SQL seconds / attain engine seconds: %.1f (1 thread), %.1f (%s threads)\n' \
  "$(calc "$sql / $engine1")" "$(calc "$sql / $engineN")" "$cores"
printf 'SQL seconds / attain (load + engine, 1 thread): %.1f\n' "$(calc "$sql / ($load + $engine1)")"
echo "aims: >= 50x the SQL baseline; >= 2M credits/s end to end; one late transaction < 100 ms"
