#!/usr/bin/env bash
# generate_roundtrip.sh - the demo company imports cleanly, every generated row lands, and
# generate -> import -> export -> import -> export gives identical exports; a second import of
# the generated files changes nothing. One month of size S keeps it quick under sanitizers.
set -euo pipefail
attain=$1 tmp=$3
rm -rf "$tmp" && mkdir -p "$tmp"
fail() { echo "FAIL: $*" >&2; exit 1; }

"$attain" generate --size S --seed 7 --months 1 --out "$tmp/gen" --quiet
"$attain" import --db "$tmp/a.db" "$tmp/gen" > "$tmp/import1.txt" || { cat "$tmp/import1.txt"; fail "import of generated data"; }

# every generated row was inserted: compare per-file line counts with the import's table
for f in "$tmp"/gen/*.csv; do
  entity=$(basename "$f" .csv)
  rows=$(( $(wc -l < "$f") - 1 ))
  got=$(awk -v e="$entity" '$1 == e { print $3 }' "$tmp/import1.txt")
  [ "$got" = "$rows" ] || fail "$entity: generated $rows rows, import inserted '${got}'"
done

"$attain" import --db "$tmp/a.db" "$tmp/gen" > "$tmp/import2.txt"
total=$(awk '$1 == "total" { print $2, $3, $4 }' "$tmp/import2.txt")
[ "$(echo "$total" | awk '{print $2 + $3}')" = 0 ] || { cat "$tmp/import2.txt"; fail "re-import changed rows: $total"; }

"$attain" export --db "$tmp/a.db" "$tmp/export1" > /dev/null
"$attain" import --db "$tmp/b.db" "$tmp/export1" > /dev/null
"$attain" export --db "$tmp/b.db" "$tmp/export2" > /dev/null
diff -rq "$tmp/export1" "$tmp/export2" || fail "export of the re-imported export differs"
echo "generate round trip: $(awk '$1 == "total" { print $2 }' "$tmp/import1.txt") rows, exports identical"
rm -rf "$tmp/gen" "$tmp/export1" "$tmp/export2" "$tmp"/*.db
