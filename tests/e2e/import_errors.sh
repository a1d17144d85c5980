#!/usr/bin/env bash
# import_errors.sh - every class of import problem: the message says where (file:line:column
# and the column), what is wrong and how to fix it, the exit status is 1, and the database is
# exactly as it was (its export before and after are identical).
# Usage: import_errors.sh ATTAIN SOURCE_DIR SCRATCH_DIR
set -euo pipefail
attain=$1 src=$2 tmp=$3
rm -rf "$tmp" && mkdir -p "$tmp"
fail() { echo "FAIL: $*" >&2; exit 1; }

cp -r "$src/tests/data/import/small" "$tmp/base"
"$attain" import --db "$tmp/base.db" "$tmp/base" > /dev/null
"$attain" export --db "$tmp/base.db" "$tmp/before" > /dev/null

# case NAME WHERE MESSAGE-PART EDIT [IMPORT-OPTIONS...]: EDIT runs in a fresh copy of the files
# ($tmp/case); the import into a copy of the database must fail with "WHERE: error: ..." holding
# MESSAGE-PART, followed by a hint, and leave the database as it was.
n=0
case_() {
  local name=$1 where=$2 part=$3 edit=$4; shift 4
  rm -rf "$tmp/case" "$tmp/after" && cp -r "$tmp/base" "$tmp/case" && cp "$tmp/base.db" "$tmp/case.db"
  (cd "$tmp/case" && eval "$edit")
  local status=0
  "$attain" import --db "$tmp/case.db" "$@" "$tmp/case" > "$tmp/out.txt" 2> "$tmp/err.txt" || status=$?
  [ "$status" -eq 1 ] || { cat "$tmp/out.txt" "$tmp/err.txt"; fail "$name: exit status $status, expected 1"; }
  grep -Fq -- "$where: error: " "$tmp/err.txt" || { cat "$tmp/err.txt"; fail "$name: no error at '$where'"; }
  grep -F -- "$where: error: " "$tmp/err.txt" | grep -Fq -- "$part" || { cat "$tmp/err.txt"; fail "$name: message lacks '$part'"; }
  grep -F -A1 -- "$where: error: " "$tmp/err.txt" | grep -q '^  hint: ' || { cat "$tmp/err.txt"; fail "$name: no hint"; }
  [ "$name" = "bad mapping" ] || grep -q "the import was rolled back" "$tmp/err.txt" || fail "$name: no rollback summary"
  "$attain" export --db "$tmp/case.db" "$tmp/after" > /dev/null
  diff -r "$tmp/before" "$tmp/after" > /dev/null || fail "$name: the database changed"
  n=$((n + 1))
}

# a bad value of each type
case_ "id" "people.csv:4:1 (column id)" "has a space at its end" \
  "sed -i 's/^P-3,Chidi/P-3 ,Chidi/' people.csv"
case_ "text" "teams.csv:4:7 (column name)" "is 300 characters long; at most 256" \
  "sed -i \"s/^T-SDR,Development/T-SDR,\$(printf 'x%.0s' {1..300})/\" teams.csv"
case_ "email" "people.csv:2:14 (column email)" "'ana.lima-example.com' has no @" \
  "sed -i 's/ana.lima@example.com/ana.lima-example.com/' people.csv"
case_ "enum" "people.csv:3:37 (column role)" "role 'boss' is not one of its values" \
  "sed -i 's/bjorn@example.com,rep/bjorn@example.com,boss/' people.csv"
case_ "int" "accounts.csv:2:29 (column employees)" "'12x' is not a whole number" \
  "sed -i 's/^A-2,Acme West,manufacturing,120,/A-2,Acme West,manufacturing,12x,/' accounts.csv"
case_ "money" "products.csv:2:25 (column list_price)" "'1 200.5' has a space" \
  "sed -i 's/Widgets,1200.5/Widgets,1 200.5/' products.csv"
case_ "rate" "stages.csv:3:14 (column probability)" "'150%' is above the maximum 1" \
  "sed -i 's/^S2,Propose,2,0.5/S2,Propose,2,150%/' stages.csv"
case_ "day" "people.csv:2:55 (column hire_date)" "day 30 does not exist in February 2020" \
  "sed -i 's/2020-01-06/2020-02-30/' people.csv"
case_ "time" "activities.csv:2:11 (column occurred_at)" "the hour must have 2 digits" \
  "sed -i 's/2026-01-05T15:30:00-05:00/2026-01-05 3:30 PM/' activities.csv"
case_ "bool" "activities.csv:2:53 (column meaningful)" "'maybe' is not true or false" \
  "sed -i 's/,25,yes,vp/,25,maybe,vp/' activities.csv"
case_ "currency" "exchange_rates.csv:3:1 (column from_currency)" "'GBX' is not an active ISO 4217 code" \
  "sed -i 's/^GBP,USD/GBX,USD/' exchange_rates.csv"
case_ "coord" "accounts.csv:2:71 (column latitude)" "'97.33548' is above the maximum 90" \
  "sed -i 's/37.33548/97.33548/' accounts.csv"
case_ "period" "quotas.csv:2:19 (column period)" "there is no quarter 5" \
  "sed -i 's/2026-Q1/2026-Q5/' quotas.csv"
case_ "ref" "reporting_lines.csv:2:5 (column manager_id)" \
  "no person with id 'P-0999' in the database or in this import" \
  "sed -i 's/^P-2,P-1,,/P-2,P-0999,,/' reporting_lines.csv"
# the shape of a file
case_ "missing column" "people.csv:1" "missing required column 'role'" \
  "printf 'id,name,email,team_id,title,hire_date,exit_date,pay_currency,country,location\nP-9,X,,T-SALES,,,,USD,US,\n' > people.csv"
case_ "unknown column" "people.csv:1 (column 12)" "unknown column 'nickname'" \
  "sed -i '1s/\$/,nickname/; 2,\$s/\$/,x/' people.csv"
case_ "field count" "people.csv:5" "the row has 5 fields, the header has 11" \
  "echo 'P-4,Dee,,rep,T-WEST' >> people.csv"
case_ "duplicate key" "people.csv:5:1 (column id)" \
  "duplicate key: people id 'P-1' is already in this import at people.csv:2" \
  "echo 'P-1,Ana Again,,vp,T-SALES,,,,USD,US,' >> people.csv"
case_ "unterminated quote" "opportunities.csv:4:5" "never closed" \
  "printf 'O-3,\"Open quote,A-1,P-2,,,,,S1,open,,,pipeline,,\n' >> opportunities.csv"
case_ "bad UTF-8" "accounts.csv:2:11" "invalid UTF-8" \
  "sed -i 's/Acme West,manufacturing/Acme W\xffst,manufacturing/' accounts.csv"
# rules
case_ "row rule" "people.csv:4:44 (column exit_date)" "exit_date 2024-01-01 is before hire_date 2024-07-15" \
  "sed -i 's/2024-07-15,2025-11-30,USD/2024-07-15,2024-01-01,USD/' people.csv"
case_ "loop" "teams.csv:3 (column parent_id)" "teams loop: T-SALES -> T-WEST -> T-SALES" \
  "sed -i 's/^T-SALES,Sales,sales_management,/T-SALES,Sales,sales_management,T-WEST/' teams.csv"
case_ "overlap" "reporting_lines.csv:4" "reporting lines of person_id P-2 overlap" \
  "echo 'P-2,P-3,2025-01-01,' >> reporting_lines.csv"
case_ "stage outcome" "opportunities.csv:3:63 (column status)" "status open does not agree with stage WON" \
  "sed -i 's/^O-2,\\(.*\\),S2,open,/O-2,\\1,WON,open,/' opportunities.csv"
# a mapping file: bad YAML, and a value its map does not know
printf 'version: 1\nfiles:\n  - file: teams.csv\n    feeds:\n      - entity: teams\n        columns: {id: id, name: name, function: {from: function, map: {ae: ae}}\n' > "$tmp/bad.yaml"
case_ "bad mapping" "bad.yaml:7:1" "YAML:" ":" --map "$tmp/bad.yaml"
printf 'version: 1\nfiles:\n  - file: teams.csv\n    feeds:\n      - entity: teams\n        columns: {id: id, name: name, function: {from: function, map: {ae: ae}}}\n' > "$tmp/map.yaml"
case_ "unmapped value" "teams.csv:3:15 (column function -> teams.function; map.yaml:6:49)" \
  "'sales_management' is not in the value map" \
  "rm -f people.csv reporting_lines.csv" --map "$tmp/map.yaml"

# more problems than --max-errors: the rest are counted
rm -rf "$tmp/case" && cp -r "$tmp/base" "$tmp/case"
for i in $(seq 1 5); do echo "P-x$i,Y,,boss,,,,,USD,," >> "$tmp/case/people.csv"; done
status=0; "$attain" import --db "$tmp/base.db" --max-errors 2 "$tmp/case" > /dev/null 2> "$tmp/err.txt" || status=$?
[ "$status" -eq 1 ] || fail "max-errors: exit status $status"
[ "$(grep -c ': error: ' "$tmp/err.txt")" -eq 3 ] || { cat "$tmp/err.txt"; fail "max-errors: 2 problems listed plus the summary"; }
grep -q '^... and 3 more problems' "$tmp/err.txt" || { cat "$tmp/err.txt"; fail "max-errors: the rest counted"; }
echo "ok: $n problem classes"
