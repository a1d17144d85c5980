#!/usr/bin/env bash
# plan_examples.sh - every example plan in examples/plans/ passes `attain plan check`, and a
# document with problems is refused with each problem at its line:column (exit 1).
set -euo pipefail
attain=$1 src=$2 tmp=$3
mkdir -p "$tmp"
fail=0
n=0
for f in "$src"/examples/plans/*.yaml; do
  n=$((n + 1))
  out=$("$attain" plan check "$f") || { echo "$out"; echo "FAIL: $f does not check"; fail=1; continue; }
  case "$out" in
    "$f: ok ("*" measure"*", "*" component"*")") ;;
    *) echo "FAIL: unexpected output for $f: $out"; fail=1 ;;
  esac
done
[ "$n" -ge 22 ] || { echo "FAIL: only $n example plans (one per kind: at least 22)"; fail=1; }

# all at once: one line per file, exit 0
"$attain" plan check "$src"/examples/plans/*.yaml > "$tmp/all.txt"
[ "$(grep -c ': ok (' "$tmp/all.txt")" = "$n" ] || { echo "FAIL: check of all files"; fail=1; }

# a broken document: every problem, with its place, and exit status 1
cat > "$tmp/broken.yaml" <<'DOC'
plan: Broken
frequency: weekly
measures:
  - id: bookings
components:
  - id: commission
    kind: rate
    measure: bookngs
    rate: 5
DOC
set +e
"$attain" plan check "$tmp/broken.yaml" > "$tmp/broken.txt"; rc=$?
set -e
[ "$rc" = 1 ] || { echo "FAIL: broken plan exited $rc, want 1"; fail=1; }
for want in "broken.yaml:2:12: error: frequency 'weekly'" \
            "broken.yaml:8:14: error: component 'commission' pays on measure 'bookngs', which is not defined" \
            "hint: name one of the measures: bookings" \
            "broken.yaml:9:11: error: rate '5' is more than 100%" \
            "broken.yaml: 3 problems"; do
  grep -qF "$want" "$tmp/broken.txt" || { echo "FAIL: missing '$want' in:"; cat "$tmp/broken.txt"; fail=1; }
done

# a good file and a broken one: both reported, exit 1
set +e
"$attain" plan check "$src/examples/plans/flat-rate.yaml" "$tmp/broken.yaml" > "$tmp/mixed.txt"; rc=$?
set -e
[ "$rc" = 1 ] || { echo "FAIL: mixed check exited $rc, want 1"; fail=1; }
grep -q "flat-rate.yaml: ok (1 measure, 1 component)" "$tmp/mixed.txt" || { echo "FAIL: mixed ok line"; fail=1; }

# a missing file is an error naming it
set +e
"$attain" plan check "$tmp/nope.yaml" 2> "$tmp/nope.txt"; rc=$?
set -e
[ "$rc" = 1 ] && grep -q "nope.yaml" "$tmp/nope.txt" || { echo "FAIL: missing file"; fail=1; }

# usage errors exit 2
set +e
"$attain" plan 2>/dev/null; rc1=$?
"$attain" plan frobnicate 2>/dev/null; rc2=$?
"$attain" plan diff a 2>/dev/null; rc3=$?
set -e
[ "$rc1$rc2$rc3" = 222 ] || { echo "FAIL: usage errors exited $rc1 $rc2 $rc3, want 2 2 2"; fail=1; }

[ $fail = 0 ] && echo "plan examples: $n plans checked"
exit $fail
