#!/usr/bin/env bash
# import_maven_crm.sh - the Maven Analytics CRM data set, exactly as published, imports in one
# command through examples/mappings/maven-crm.yaml, and the counts match the facts in
# ../shared/data/README.md. Skipped (77) when ../shared is not beside the source tree.
# Usage: import_maven_crm.sh ATTAIN SOURCE_DIR SCRATCH_DIR
set -euo pipefail
attain=$1 src=$2 tmp=$3
data="$src/../shared/data/maven-crm"
if [ ! -f "$data/sales_pipeline.csv" ]; then
  echo "skipped: the Maven CRM data set is not at $data (it lives in ../shared beside the source tree)"
  exit 77
fi
rm -rf "$tmp" && mkdir -p "$tmp"
fail() { echo "FAIL: $*" >&2; exit 1; }

"$attain" import --db "$tmp/m.db" --map "$src/examples/mappings/maven-crm.yaml" "$data" > "$tmp/import.txt"
"$attain" export --db "$tmp/m.db" "$tmp/out" > /dev/null
rows() { echo $(( $(wc -l < "$tmp/out/$1.csv") - 1 )); }
expect() { [ "$2" = "$3" ] || fail "$1: expected $3, got $2"; }

expect opportunities "$(rows opportunities)" 8800
# stage_id is column 9 of opportunities.csv (no field in this data holds a comma)
for pair in won:4238 lost:2473 engaging:1589 prospecting:500; do
  stage=${pair%%:*} want=${pair##*:}
  got=$(awk -F, -v s="$stage" 'NR > 1 && $9 == s' "$tmp/out/opportunities.csv" | wc -l)
  expect "opportunities in stage $stage" "$got" "$want"
done
expect "won bookings" "$(rows transactions)" 4238
expect "sum of won close_value" "$(awk -F, 'NR > 1 { s += $4 } END { printf "%.2f", s }' "$tmp/out/transactions.csv")" 10005534.00
expect accounts "$(rows accounts)" 85
expect products "$(rows products)" 7
expect "agents (role rep)" "$(awk -F, 'NR > 1 && $4 == "rep"' "$tmp/out/people.csv" | wc -l)" 35
expect "managers" "$(awk -F, 'NR > 1 && $4 == "manager"' "$tmp/out/people.csv" | wc -l)" 6
expect "offices (teams under sales)" "$(awk -F, 'NR > 1 && $4 == "sales"' "$tmp/out/teams.csv" | wc -l)" 3
expect "reporting lines" "$(rows reporting_lines)" 35
expect "opportunity products" "$(rows opportunity_products)" 8800
expect "GTXPro read as GTX Pro" "$(grep -c ',GTXPro,' "$tmp/out/opportunity_products.csv" || true)" 0
expect "technolgy read as technology" "$(grep -c technolgy "$tmp/out/accounts.csv" || true)" 0
expect "open deals without an account" "$(awk -F, 'NR > 1 && $3 == ""' "$tmp/out/opportunities.csv" | wc -l)" 1425

# importing again changes nothing
"$attain" import --db "$tmp/m.db" --map "$src/examples/mappings/maven-crm.yaml" "$data" > "$tmp/again.txt"
grep -Eq '^  total +[0-9]+ +0 +0 +[0-9]+$' "$tmp/again.txt" || { cat "$tmp/again.txt"; fail "second import: all unchanged"; }
echo "ok"
