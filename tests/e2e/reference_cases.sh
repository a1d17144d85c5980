#!/usr/bin/env bash
# reference_cases.sh - the published commission cases of tests/reference/ (README.md there),
# to the cent: for each case, import its data, load its plan documents, calculate every fiscal
# year its expected pay touches, read each month's payroll and compare every line with
# expected.csv. An expected line must be paid exactly (a 0.00 line may also be absent); a
# non-zero line paid must be expected. Usage: reference_cases.sh ATTAIN SOURCE_DIR SCRATCH_DIR
# (exit 77, skipped, while attain has no calc or payroll command).
set -euo pipefail
attain=$1 src=$2 tmp=$3
if ! "$attain" help calc > /dev/null 2>&1 || ! "$attain" help payroll > /dev/null 2>&1; then
  echo "skip: attain has no calc or payroll command yet"
  exit 77
fi
rm -rf "$tmp" && mkdir -p "$tmp"

failed=0 cases=0 checked=0
report() { echo "FAIL $*" >&2; failed=$((failed + 1)); }

for dir in "$src"/tests/reference/case*/; do
  name=$(basename "$dir")
  db="$tmp/$name.db"
  cases=$((cases + 1))
  if ! "$attain" import --db "$db" "$dir"data/*.csv > "$tmp/$name.import" 2>&1; then
    cat "$tmp/$name.import" >&2; report "$name: import"; continue
  fi
  if ! "$attain" plan load --db "$db" "$dir"plan*.yaml > "$tmp/$name.plans" 2>&1; then
    cat "$tmp/$name.plans" >&2; report "$name: plan load"; continue
  fi
  # every month from the first to the last period of expected.csv (fiscal years start in
  # January in every case, so 2026-03 is March 2026 and the fiscal year is 2026)
  months=$(awk -F, 'NR > 1 { print $2 }' "$dir/expected.csv" | sort -u |
    awk 'NR == 1 { a = $0 } { b = $0 } END {
      ya = substr(a, 1, 4) + 0; ma = substr(a, 6, 2) + 0; yb = substr(b, 1, 4) + 0; mb = substr(b, 6, 2) + 0
      for (y = ya; y <= yb; y++)
        for (m = (y == ya ? ma : 1); m <= (y == yb ? mb : 12); m++) printf "%04d-%02d\n", y, m }')
  ok=1
  for year in $(echo "$months" | cut -c1-4 | sort -u); do
    if ! "$attain" calc --db "$db" --period "$year" -q > "$tmp/$name.calc.$year" 2>&1; then
      cat "$tmp/$name.calc.$year" >&2; report "$name: calc --period $year"; ok=0
    fi
  done
  [ "$ok" = 1 ] || continue
  : > "$tmp/$name.got"
  for month in $months; do
    if ! "$attain" payroll --db "$db" --period "$month" --out "$tmp/$name.$month.csv" 2> "$tmp/$name.payroll"; then
      cat "$tmp/$name.payroll" >&2; report "$name: payroll --period $month"; ok=0; continue
    fi
    # period,person_id,name,currency,line,kind,amount -> payee,period,line,amount where line
    # is the component id (the key's part after "<plan>/") or the kind (draw, ...)
    # (counted from the end: a quoted name may hold commas)
    awk -F, 'NR > 1 { n = split($(NF - 2), k, "/"); kind = $(NF - 1)
                      line = (kind == "component") ? k[n] : kind
                      print $2 "," $1 "," line "," $NF }' "$tmp/$name.$month.csv" >> "$tmp/$name.got"
  done
  [ "$ok" = 1 ] || continue
  # compare in units of 1/10,000 from the decimal text (no floating point)
  result=$(awk -F, -v case="$name" '
    function units(s,   neg, i, f, v) {
      neg = substr(s, 1, 1) == "-"; if (neg) s = substr(s, 2)
      i = index(s, "."); if (i == 0) { f = ""; } else { f = substr(s, i + 1); s = substr(s, 1, i - 1) }
      v = (s substr(f "0000", 1, 4)) + 0
      return neg ? -v : v
    }
    FNR == 1 { file++; next }
    file == 1 { key = $1 "," $2 "," $3; want[key] = units($4); order[++n] = key; next }
    { key = $1 "," $2 "," $3; got[key] += units($4) }
    END {
      bad = 0
      for (i = 1; i <= n; i++) {
        key = order[i]; g = (key in got) ? got[key] : 0
        if (g != want[key]) { printf "%s %s: expected %.4f, got %.4f\n", case, key, want[key] / 10000, g / 10000; bad++ }
      }
      for (key in got)
        if (!(key in want) && got[key] != 0) { printf "%s %s: not expected, got %.4f\n", case, key, got[key] / 10000; bad++ }
      printf "checked %d\n", n
      exit (bad > 0)
    }' "$dir/expected.csv" <(echo "payee,period,line,amount"; cat "$tmp/$name.got")) || {
    echo "$result" | grep -v '^checked' >&2; report "$name"; continue
  }
  checked=$((checked + $(echo "$result" | awk '/^checked/ { print $2 }')))
done

if [ "$failed" -gt 0 ]; then
  echo "reference cases: $failed of $cases failed" >&2
  exit 1
fi
echo "reference cases: $cases cases, $checked lines, all to the cent"
rm -rf "$tmp"
