#!/usr/bin/env bash
# import_salesforce.sh - the Salesforce report exports of examples/salesforce/ import through
# examples/mappings/salesforce.yaml: M/D/YYYY dates, date-times in the org's time zone,
# amounts with separators and currency prefixes, stage and forecast labels, split names,
# Salesforce's footer after the rows; importing twice changes nothing.
# Usage: import_salesforce.sh ATTAIN SOURCE_DIR SCRATCH_DIR
set -euo pipefail
attain=$1 src=$2 tmp=$3
rm -rf "$tmp" && mkdir -p "$tmp"
fail() { echo "FAIL: $*" >&2; exit 1; }
map="$src/examples/mappings/salesforce.yaml"

"$attain" import --db "$tmp/sf.db" --map "$map" "$src/examples/salesforce" > "$tmp/import.txt"
grep -Eq '^  total +44 +44 +0 +0$' "$tmp/import.txt" || { cat "$tmp/import.txt"; fail "44 rows inserted"; }
"$attain" export --db "$tmp/sf.db" "$tmp/out" > /dev/null
has() { grep -qF -- "$2" "$tmp/out/$1.csv" || fail "$1.csv lacks: $2"; }
has opportunities '0065e00000Kz201,Globex - Welding cells,0015e00000Bq101,0055e000004Xa03,,2023-10-03,2024-02-28,2024-02-28,closed_won,won,245000.00,USD,closed,,'
has opportunities '0065e00000Kz203,Initech - Pick and place,0015e00000Bq103,0055e000004Xa03,,2024-02-01,2024-06-28,,proposal,open,1200000.00,USD,best_case,,'
has opportunities '0065e00000Kz205,Initech - Spare parts,0015e00000Bq103,0055e000004Xa03,,2024-03-04,2024-09-30,,qualification,open,,USD,pipeline,,'
has stage_history '"0065e00000Kz201@12/12/2023, 4:02 PM",0065e00000Kz201,2023-12-13T00:02:00Z,prospecting,proposal,240000.00,2024-02-15,0055e000004Xa03'
has accounts '0015e00000Bq102,Globex Europe GmbH,manufacturing,1150,,96500000.00,DE,,,München,,,,USD,0015e00000Bq101,0055e000004Xa04'
has people '0055e000004Xa03,Walter Skinner,walter.skinner@acme-robotics.example,rep,,Account Executive,,,USD,,'
has reporting_lines '0055e000004Xa03,0055e000004Xa02,,'
has activities '00T5e00001Lm303,call,2024-01-03T08:00:00Z,0055e000004Xa05,,,0015e00000Bq103,,false,,Left Voicemail'
has activities '00U5e00002Pq402,meeting,2024-02-06T23:30:00Z,0055e000004Xa04,,0065e00000Kz202,0015e00000Bq102,60,true,,Pilot kickoff'
has transactions 'BK-0065e00000Kz201,booking,2024-02-28,245000.00,USD,,,0065e00000Kz201,0015e00000Bq101,,0055e000004Xa03,'
"$attain" import --db "$tmp/sf.db" --map "$map" "$src/examples/salesforce" > "$tmp/again.txt"
grep -Eq '^  total +44 +0 +0 +44$' "$tmp/again.txt" || { cat "$tmp/again.txt"; fail "second import: all unchanged"; }
echo "ok"
