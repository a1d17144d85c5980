#!/usr/bin/env bash
# generate_determinism.sh - `attain generate` writes byte-identical files (and plan
# documents) for the same seed and different files for another seed; every file is there with
# rows, every plan assigned has its document; bad options fail with exit status 2. Usage: generate_determinism.sh ATTAIN SOURCE_DIR SCRATCH_DIR
set -euo pipefail
attain=$1
scratch=$3
rm -rf "$scratch"
mkdir -p "$scratch"
# Size S with 12 months: every subject, the slow onboarding class and a fiscal year start.
months=${ATTAIN_GEN_MONTHS:-12}
"$attain" generate --size S --seed 42 --months "$months" --out "$scratch/a" --quiet
"$attain" generate --size S --seed 42 --months "$months" --out "$scratch/b" --quiet
"$attain" generate --size S --seed 43 --months "$months" --out "$scratch/c" --quiet
files=$(cd "$scratch/a" && ls *.csv | sort)
count=$(echo "$files" | wc -l)
[ "$count" -eq 28 ] || { echo "expected 28 files, found $count"; exit 1; }
(cd "$scratch/a" && sha256sum $files) > "$scratch/a.sum"
(cd "$scratch/b" && sha256sum $files) > "$scratch/b.sum"
(cd "$scratch/c" && sha256sum $files) > "$scratch/c.sum"
cmp "$scratch/a.sum" "$scratch/b.sum" || { echo "same seed, different bytes"; diff "$scratch/a.sum" "$scratch/b.sum"; exit 1; }
(cd "$scratch/a/plans" && sha256sum -- *.yaml) > "$scratch/a.plans"
(cd "$scratch/b/plans" && sha256sum -- *.yaml) > "$scratch/b.plans"
cmp "$scratch/a.plans" "$scratch/b.plans" || { echo "same seed, different plan documents"; exit 1; }
# a document for every plan name plan_assignments.csv uses, and no other
cut -d, -f3 "$scratch/a/plan_assignments.csv" | tail -n +2 | sort -u > "$scratch/assigned"
(cd "$scratch/a/plans" && ls -- *.yaml | sed 's/\.yaml$//' | sort) > "$scratch/documents"
cmp "$scratch/assigned" "$scratch/documents" || { echo "plans assigned and plan documents differ"; diff "$scratch/assigned" "$scratch/documents"; exit 1; }
if cmp -s "$scratch/a.sum" "$scratch/c.sum"; then echo "different seeds gave the same files"; exit 1; fi
for f in $files; do
  rows=$(($(wc -l < "$scratch/a/$f") - 1))
  [ "$rows" -gt 0 ] || { echo "$f has no rows"; exit 1; }
done
tx=$(($(wc -l < "$scratch/a/transactions.csv") - 1))
per_month=$((tx / months))
if [ "$per_month" -lt 70000 ] || [ "$per_month" -gt 160000 ]; then
  echo "transactions per month $per_month, expected about 100k"; exit 1
fi
# usage errors exit 2
set +e
"$attain" generate --size XL --out "$scratch/x" 2>/dev/null; [ $? -eq 2 ] || { echo "bad size accepted"; exit 1; }
"$attain" generate --size S 2>/dev/null; [ $? -eq 2 ] || { echo "missing --out accepted"; exit 1; }
"$attain" generate --months 0 --out "$scratch/x" 2>/dev/null; [ $? -eq 2 ] || { echo "0 months accepted"; exit 1; }
"$attain" generate --start 2023-13 --out "$scratch/x" 2>/dev/null; [ $? -eq 2 ] || { echo "bad start accepted"; exit 1; }
set -e
"$attain" help generate | grep -q -- "--seed" || { echo "help lacks --seed"; exit 1; }
rm -rf "$scratch"
echo "generate: deterministic, $per_month transactions a month"
