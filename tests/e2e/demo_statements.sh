#!/usr/bin/env bash
# demo_statements.sh - golden files: the demo company (size S, seed 42, the last 3 months of
# fiscal 2026) imported, its plans loaded and January 2026 (fiscal 2026-12) calculated; the
# statements of a few payees of different roles and currencies must equal the files in
# tests/golden/demo/ byte for byte. After an intended change, update them with
#   ATTAIN_UPDATE_GOLDEN=1 tests/e2e/demo_statements.sh build/attain . /tmp/golden
# and review the diff before committing.
# Usage: demo_statements.sh ATTAIN SOURCE_DIR SCRATCH_DIR
set -euo pipefail
attain=$1 src=$2 tmp=$3
rm -rf "$tmp" && mkdir -p "$tmp"
golden="$src/tests/golden/demo"
"$attain" generate --size S --seed 42 --months 3 --out "$tmp/csv" --quiet
"$attain" import --db "$tmp/demo.db" "$tmp/csv" > /dev/null
"$attain" plan load --db "$tmp/demo.db" "$tmp/csv"/plans/*.yaml > /dev/null
"$attain" calc --db "$tmp/demo.db" --period 2026-12 > /dev/null 2> "$tmp/calc.err"

# an AE, an SDR, a sales manager (roll-up override), a CSM, a CSM manager paid in EUR
payees="P000255 P000406 P000273 P000128 P000189"
status=0
for p in $payees; do
  for format in text json; do
    ext=$([ "$format" = text ] && echo txt || echo json)
    out="$tmp/$p-2026-12.$ext"
    "$attain" statement --db "$tmp/demo.db" --payee "$p" --period 2026-12 --format "$format" \
      > "$out"
    if [ "${ATTAIN_UPDATE_GOLDEN:-0}" = 1 ]; then
      mkdir -p "$golden" && cp "$out" "$golden/"
    elif ! cmp -s "$out" "$golden/$(basename "$out")"; then
      echo "FAIL: $p $format differs from tests/golden/demo/$(basename "$out"):" >&2
      diff -u "$golden/$(basename "$out")" "$out" | head -40 >&2 || true
      status=1
    fi
  done
done
# the payroll of the month too: every payee's lines
"$attain" payroll --db "$tmp/demo.db" --period 2026-12 > "$tmp/payroll-2026-12.csv"
if [ "${ATTAIN_UPDATE_GOLDEN:-0}" = 1 ]; then
  cp "$tmp/payroll-2026-12.csv" "$golden/"
  echo "golden files updated in $golden"
elif ! cmp -s "$tmp/payroll-2026-12.csv" "$golden/payroll-2026-12.csv"; then
  echo "FAIL: the payroll of 2026-12 differs from tests/golden/demo/payroll-2026-12.csv:" >&2
  diff -u "$golden/payroll-2026-12.csv" "$tmp/payroll-2026-12.csv" | head -40 >&2 || true
  status=1
fi
if [ $status != 0 ]; then
  echo "if the change is intended: ATTAIN_UPDATE_GOLDEN=1 $0 ATTAIN SOURCE_DIR SCRATCH_DIR" >&2
else
  echo "demo statements: $(echo $payees | wc -w) payees x 2 formats and the payroll match"
fi
exit $status
