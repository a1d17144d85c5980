#!/usr/bin/env bash
# bench/import: how fast `attain import` parses and stores transactions, against the sqlite3
# command line loading the same file (.mode csv + .import into a table of the same columns) in
# the same run. Generates the demo company (attain generate --size M --months 1: ~10M
# transactions, ~1 GB), imports what transactions refer to (not timed), then times
# bench_import (parse only, then parse and store, rolled back), the CSV reader alone, and one
# real import of the file (committed, into a copy of the database).
# Usage: bench/import/run.sh BUILD_DIR [ATTAIN_BINARY]
# Environment: BENCH_IMPORT_SIZE (S|M|L, default M), BENCH_IMPORT_MONTHS (default 1),
#              BENCH_IMPORT_DIR (scratch, default /tmp/attain-bench-import; removed after)
set -euo pipefail
build=$(cd "${1:?usage: bench/import/run.sh BUILD_DIR [ATTAIN]}" && pwd)
attain=${2:-}
[ -n "$attain" ] && [ -x "$attain" ] || attain="$build/attain"
size=${BENCH_IMPORT_SIZE:-M}
months=${BENCH_IMPORT_MONTHS:-1}
work=${BENCH_IMPORT_DIR:-/tmp/attain-bench-import}
rm -rf "$work" && mkdir -p "$work"
trap 'rm -rf "$work"' EXIT

now() { date +%s.%N; }
echo "generating size $size, $months month(s) ..."
"$attain" generate --out "$work/gen" --size "$size" --months "$months" > /dev/null
file="$work/gen/transactions.csv"
bytes=$(stat -c %s "$file")
rows=$(( $(wc -l < "$file") - 1 ))
calc() { awk "BEGIN { print $1 }"; }
printf 'transactions.csv: %d rows, %.1f MB\n' "$rows" "$(calc "$bytes / 1000000")"

deps=""
for e in settings exchange_rates teams people products accounts stages leads opportunities; do
  deps="$deps $work/gen/$e.csv"
done
# shellcheck disable=SC2086
"$attain" import --db "$work/bench.db" $deps > /dev/null

echo "csv reader alone:"
"$build/bench/bench_csv_parse" "$file" | sed 's/^/  /'
echo "attain import (bench_import):"
"$build/bench/bench_import" "$work/bench.db" "$file" | tee "$work/attain.txt" | sed 's/^/  /'
store_rate=$(awk '$1 == "store" { print $(NF-1) }' "$work/attain.txt")
# bench_import's store run is rolled back: the work done at commit (indexes built again,
# references and rules checked, the WAL checkpointed) is only in a real import
echo "attain import, committed (indexes, checks and checkpoint at commit included):"
cp "$work/bench.db" "$work/commit.db"
"$attain" import --db "$work/commit.db" "$file" | tail -1 | sed 's/^/  /'
rm -f "$work/commit.db" "$work/commit.db-wal" "$work/commit.db-shm"
parse_mb=$(awk '$1 == "parse" { print $(NF-3) }' "$work/attain.txt")

if command -v sqlite3 > /dev/null; then
  header=$(head -1 "$file")
  columns=$(echo "$header" | sed 's/,/ TEXT, /g; s/$/ TEXT/')
  t0=$(now)
  sqlite3 "$work/sqlite.db" > /dev/null <<SQL
PRAGMA journal_mode = WAL;
CREATE TABLE transactions ($columns);
.mode csv
.import --skip 1 $file transactions
SQL
  t1=$(now)
  secs=$(calc "$t1 - $t0")
  sqlite_rate=$(calc "$rows / $secs")
  printf 'sqlite3 .import (no types, no checks, no references, no indexes):\n'
  printf '  %d rows in %.3f s: %.0f rows/s, %.1f MB/s\n' "$rows" "$secs" "$sqlite_rate" \
    "$(calc "$bytes / 1000000 / $secs")"
  printf 'attain stored rows/s / sqlite3 rows/s: %.2f\n' "$(calc "$store_rate / $sqlite_rate")"
else
  echo "sqlite3 not installed: no comparison"
fi
printf 'aims: parsing well above 200 MB/s (now %s MB/s), storing >= 1M rows/s (now %s rows/s)\n' \
  "$parse_mb" "$store_rate"
