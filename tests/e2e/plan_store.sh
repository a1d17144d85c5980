#!/usr/bin/env bash
# plan_store.sh - plans in the database: `attain plan load` stores versions (a document
# already stored is not stored again; a broken one stores nothing), `list`, `show`, `diff`
# between files and stored versions, and `assign` writes an audited plan_assignments row.
set -euo pipefail
attain=$1 src=$2 tmp=$3
rm -rf "$tmp"; mkdir -p "$tmp"
db="$tmp/attain.db"
fail=0
check() { grep -qF -- "$2" "$1" || { echo "FAIL: missing '$2' in $1:"; cat "$1"; fail=1; }; }

flat="$src/examples/plans/flat-rate.yaml"
"$attain" plan load "$flat" --db "$db" --reason "FY2026 plan" --actor ana > "$tmp/load1.txt"
check "$tmp/load1.txt" "loaded 'Flat Rate 2026' version 1 (effective 2026-01-01 to 2026-12-31)"
"$attain" plan load "$flat" --db "$db" > "$tmp/load2.txt"
check "$tmp/load2.txt" "'Flat Rate 2026' unchanged (version 1 is the same document)"

# version 2: 3% instead of 2%, and a comment
sed -e 's/rate: 2%  /rate: 3%  /' -e '1i # raised to 3%' "$flat" > "$tmp/flat-3.yaml"
grep -q "rate: 3%" "$tmp/flat-3.yaml" || { echo "FAIL: sed did not change the rate"; exit 1; }
"$attain" plan load "$tmp/flat-3.yaml" --db "$db" --actor bo > "$tmp/load3.txt"
check "$tmp/load3.txt" "loaded 'Flat Rate 2026' version 2"

# a broken document stores nothing (not even the good one beside it)
printf 'plan: Broken\ncomponents: []\n' > "$tmp/broken.yaml"
set +e
"$attain" plan load "$src/examples/plans/caps.yaml" "$tmp/broken.yaml" --db "$db" > "$tmp/load4.txt"; rc=$?
set -e
[ "$rc" = 1 ] || { echo "FAIL: load of a broken plan exited $rc"; fail=1; }
check "$tmp/load4.txt" "nothing stored"

"$attain" plan list --db "$db" > "$tmp/list.txt"
[ "$(grep -c '^Flat Rate 2026' "$tmp/list.txt")" = 2 ] || { echo "FAIL: list"; cat "$tmp/list.txt"; fail=1; }
grep -q "Capped" "$tmp/list.txt" && { echo "FAIL: the broken load stored caps.yaml"; fail=1; }
check "$tmp/list.txt" "FY2026 plan"
check "$tmp/list.txt" " ana "

# show: the document exactly as loaded
"$attain" plan show "Flat Rate 2026@1" --db "$db" > "$tmp/v1.yaml"
cmp -s "$tmp/v1.yaml" "$flat" || { echo "FAIL: show v1 differs from the file loaded"; fail=1; }
"$attain" plan show "Flat Rate 2026" --db "$db" > "$tmp/latest.yaml"
cmp -s "$tmp/latest.yaml" "$tmp/flat-3.yaml" || { echo "FAIL: show latest"; fail=1; }
"$attain" plan show "Flat Rate 2026@2" --canonical --db "$db" > "$tmp/canon.yaml"
check "$tmp/canon.yaml" "    rate: 3%"
check "$tmp/canon.yaml" "rounding: half-even"

# diff: stored against stored, file against stored; comments do not count
"$attain" plan diff "Flat Rate 2026@1" "Flat Rate 2026@2" --db "$db" > "$tmp/diff.txt"
check "$tmp/diff.txt" "--- Flat Rate 2026@1"
check "$tmp/diff.txt" "+++ Flat Rate 2026@2"
check "$tmp/diff.txt" "-    rate: 2%"
check "$tmp/diff.txt" "+    rate: 3%"
[ "$(grep -c '^[-+] ' "$tmp/diff.txt")" = 2 ] || { echo "FAIL: diff shows more than the rate"; cat "$tmp/diff.txt"; fail=1; }
"$attain" plan diff "$tmp/flat-3.yaml" "Flat Rate 2026@latest" --db "$db" > "$tmp/same.txt"
check "$tmp/same.txt" "are the same plan"
set +e
"$attain" plan diff "Flat Rate 2026@9" "$flat" --db "$db" 2> "$tmp/nov.txt"; rc=$?
set -e
[ "$rc" = 1 ] || { echo "FAIL: diff of a missing version exited $rc"; fail=1; }
check "$tmp/nov.txt" "plan 'Flat Rate 2026' has no version 9"

# assign: a person from people.csv, then the plan
mkdir -p "$tmp/data"
printf 'id,name,role,pay_currency\nP-1,Ana Lima,rep,USD\n' > "$tmp/data/people.csv"
"$attain" import --db "$db" "$tmp/data" > /dev/null
"$attain" plan assign --db "$db" --person P-1 --plan "Flat Rate 2026" --from 2026-01-01 \
  --target-incentive 60000 --currency USD --pay-mix 60/40 --reason "new hire" > "$tmp/assign1.txt"
check "$tmp/assign1.txt" "P-1/Flat_Rate_2026/2026-01-01: P-1 on 'Flat Rate 2026' from 2026-01-01 (inserted)"
"$attain" plan assign --db "$db" --person P-1 --plan "Flat Rate 2026" --from 2026-01-01 \
  --to 2026-06-30 --target-incentive 60000 --currency USD --pay-mix 60/40 > "$tmp/assign2.txt"
check "$tmp/assign2.txt" "(updated)"
"$attain" export --db "$db" "$tmp/out" > /dev/null
check "$tmp/out/plan_assignments.csv" "P-1/Flat_Rate_2026/2026-01-01,P-1,Flat Rate 2026,2026-01-01,2026-06-30,60000.00,USD,60/40"
set +e
"$attain" plan assign --db "$db" --person P-1 --plan "Nope" --from 2026-01-01 2> "$tmp/a3.txt"; rc1=$?
"$attain" plan assign --db "$db" --person P-9 --plan "Flat Rate 2026" --from 2026-01-01 2> "$tmp/a4.txt"; rc2=$?
"$attain" plan assign --db "$db" --person P-1 --plan "Flat Rate 2026" --from 2026-01-01 --pay-mix 60/50 2> "$tmp/a5.txt"; rc3=$?
"$attain" plan assign --db "$db" --person P-1 --plan "Flat Rate 2026" 2> /dev/null; rc4=$?
set -e
[ "$rc1$rc2$rc3$rc4" = 1112 ] || { echo "FAIL: assign errors exited $rc1 $rc2 $rc3 $rc4, want 1 1 1 2"; fail=1; }
check "$tmp/a3.txt" "no plan named 'Nope' is stored"
check "$tmp/a4.txt" "P-9"
check "$tmp/a5.txt" "--pay-mix: error: pay_mix '60/50' adds up to 110"

# assign --role: everyone of the role employed on the first day, in one transaction
printf 'id,name,role,pay_currency,hire_date\nP-2,Bo Chen,rep,USD,2026-06-01\nP-3,Cy Diaz,manager,USD,\nP-4,Di Eze,rep,USD,2026-09-01\n' \
  > "$tmp/data/people.csv"
"$attain" import --db "$db" "$tmp/data/people.csv" > /dev/null
"$attain" plan assign --db "$db" --role rep --plan "Flat Rate 2026" --from 2026-07-01 \
  --reason "H2 reps" > "$tmp/role1.txt"
check "$tmp/role1.txt" "2 reps on 'Flat Rate 2026' from 2026-07-01: 2 inserted, 0 updated, 0 unchanged"
"$attain" export --db "$db" "$tmp/out2" > /dev/null
check "$tmp/out2/plan_assignments.csv" "P-2/Flat_Rate_2026/2026-07-01,P-2,Flat Rate 2026,2026-07-01,"
check "$tmp/out2/plan_assignments.csv" "P-1/Flat_Rate_2026/2026-07-01,P-1,Flat Rate 2026,2026-07-01,"
if grep -q "^P-4/\|^P-3/" "$tmp/out2/plan_assignments.csv"; then
  echo "FAIL: assign --role took someone not employed on the day or of another role"; fail=1
fi
"$attain" plan assign --db "$db" --role rep --plan "Flat Rate 2026" --from 2026-07-01 > "$tmp/role2.txt"
check "$tmp/role2.txt" "0 inserted, 0 updated, 2 unchanged"
set +e
"$attain" plan assign --db "$db" --role vp --plan "Flat Rate 2026" --from 2026-07-01 2> "$tmp/role3.txt"; rc5=$?
"$attain" plan assign --db "$db" --role rep --id X --plan "Flat Rate 2026" --from 2026-07-01 2> /dev/null; rc6=$?
"$attain" plan assign --db "$db" --role rep --person P-1 --plan "Flat Rate 2026" --from 2026-07-01 2> /dev/null; rc7=$?
set -e
[ "$rc5$rc6$rc7" = 122 ] || { echo "FAIL: assign --role errors exited $rc5 $rc6 $rc7, want 1 2 2"; fail=1; }
check "$tmp/role3.txt" "nobody with the role 'vp' is employed on 2026-07-01"

[ $fail = 0 ] && echo "plan store: load, list, show, diff and assign checked"
exit $fail
