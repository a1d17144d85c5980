#!/usr/bin/env bash
# `make demo`: generates the demo company (size S), imports it into a fresh database and prints
# what it holds.  Usage: scripts/demo.sh ATTAIN_BINARY DEMO_DIR SEED
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

end=$(date +%s.%N)
echo
awk -v s="$start" -v e="$end" -v db="$db" 'BEGIN { printf "demo ready in %.1f s: database %s\n", e - s, db }'
echo "try: $attain summary --db $db    $attain export --db $db /tmp/attain-export"
