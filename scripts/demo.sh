#!/usr/bin/env bash
# `make demo`: generates the demo company (size S), imports it into a fresh database, prints
# what it holds, loads its compensation plans, calculates fiscal year 2026, prints one rep's
# statement, creates one log-in per role and serves the web application on 127.0.0.1:8080
# (DEMO_SERVE=0 stops before serving).  Usage: scripts/demo.sh ATTAIN_BINARY DEMO_DIR SEED
set -euo pipefail
attain=${1:?attain binary}
dir=${2:?demo directory}
seed=${3:-42}
mkdir -p "$dir"
db="$dir/attain.db"
start=$(date +%s.%N)

echo "== generating the demo company (size S, seed $seed) into $dir/csv"
rm -rf "$dir/csv"
"$attain" generate --size S --seed "$seed" --out "$dir/csv"

echo
echo "== importing into $db"
rm -f "$db" "$db-wal" "$db-shm"
"$attain" import --db "$db" "$dir/csv"

echo
echo "== what the database holds"
"$attain" summary --db "$db"

echo
echo "== loading the compensation plans ($dir/csv/plans)"
"$attain" plan load --db "$db" --reason "demo company" "$dir"/csv/plans/*.yaml | sed 's/^.*: loaded /loaded /'

echo
echo "== calculating fiscal year 2026 (February 2025 to January 2026)"
# problems in the data (people paid on no plan, a quota missing) are listed in calc.log
"$attain" calc --db "$db" --period 2026 2> "$dir/calc.log"
problems=$(sed -n 's/^attain: calc: \([0-9]*\) problem.*/\1/p' "$dir/calc.log")
problems=${problems:-0}
[ "$problems" = 0 ] || echo "  ($problems problems in the data, each paying 0 where it applies: see $dir/calc.log)"

echo
echo "== the statement of P000285, an account executive, for 2026-12 (January 2026)"
"$attain" statement --db "$db" --payee P000285 --period 2026-12 | sed -n '1,60p'
"$attain" statement --db "$db" --payee P000285 --period 2026-12 --format pdf \
  --out "$dir/statement-P000285-2026-12.pdf"

echo
echo "== log-ins for the web application, one per role"
users=(
  "admin admin -"
  "ops sales_ops -"
  "finance finance -"
  "manager manager P000281"
  "rep rep P000285"
  "exec executive -"
)
for u in "${users[@]}"; do
  read -r login role person <<< "$u"
  args=(--db "$db" --login "$login" --role "$role" --password-stdin --actor demo)
  [ "$person" = - ] || args+=(--person "$person")
  printf '%s\n' "demo-$login-2026" | "$attain" user add "${args[@]}" > /dev/null
done

end=$(date +%s.%N)
echo
awk -v s="$start" -v e="$end" -v db="$db" 'BEGIN { printf "demo ready in %.1f s: database %s\n", e - s, db }'
echo "the full statement (drill-down to every credit): $attain statement --db $db --payee P000285 --period 2026-12"
echo "as PDF: $dir/statement-P000285-2026-12.pdf; payroll: $attain payroll --db $db --period 2026-12"
if [ "${DEMO_SERVE:-1}" = 0 ]; then
  exit 0
fi
listen=${DEMO_LISTEN:-127.0.0.1:8080}
echo
echo "== serving the demo company on http://$listen/ (Ctrl-C stops it)"
echo "   log in as            password             sees"
echo "   admin                demo-admin-2026      everything, users"
echo "   ops                  demo-ops-2026        plans, runs, imports, disputes (sales ops)"
echo "   finance              demo-finance-2026    payouts, accruals, close, payroll (finance)"
echo "   manager              demo-manager-2026    Patricia Mitchell's team (P000281, a manager)"
echo "   rep                  demo-rep-2026        Elizabeth Robinson's pay only (P000285, an AE)"
echo "   exec                 demo-exec-2026       everything, read only (executive)"
exec "$attain" serve --db "$db" --listen "$listen"
