#!/usr/bin/env bash
# db_commands.sh - `attain db init|migrate|version|check|schema` and `attain summary` on an
# empty database, an upgraded version-1 database (tests/data/attain-v1.db) and one from a newer
# attain; usage errors exit 2. Usage: db_commands.sh ATTAIN SOURCE_DIR SCRATCH_DIR
set -euo pipefail
attain=$1
src=$2
scratch=$3
rm -rf "$scratch"
mkdir -p "$scratch"
cd "$scratch"
fail() { echo "FAIL: $*"; exit 1; }
expect() { # expect STATUS COMMAND...: runs it, checks the exit status, keeps stdout+stderr in out
  local want=$1; shift
  set +e; "$@" > out 2>&1; local got=$?; set -e
  [ "$got" -eq "$want" ] || { cat out; fail "$* exited $got, expected $want"; }
}
has() { grep -qF -- "$1" out || { cat out; fail "output lacks: $1"; }; }

# a new database
expect 1 "$attain" db version --db new.db
has "there is no database here"
expect 0 "$attain" db init --db new.db
has "created new.db (schema version 6, 28 entity tables)"
expect 0 "$attain" db init --db new.db
has "new.db exists (schema version 6): nothing to do"
expect 0 "$attain" db version --db new.db
has "new.db: schema version 6 (current)"
expect 0 "$attain" db check --db new.db
has "new.db: ok"
ATTAIN_DB=new.db expect 0 "$attain" summary
has "Win rate of closed opportunities: none closed yet"
has "transactions                      0"

# version 1, upgraded on request, then checked and summarised
cp "$src/tests/data/attain-v1.db" old.db
expect 0 "$attain" db version --db old.db
has "old.db: schema version 1 (this attain uses 6: run \`attain db migrate --db old.db\`)"
expect 1 "$attain" db check --db old.db
has "the schema version is 1 (this attain uses 6)"
expect 0 "$attain" db migrate --db old.db
has "upgraded old.db from schema version 1 to 6"
expect 0 "$attain" db migrate --db old.db
has "old.db is at schema version 6: nothing to do"
expect 0 "$attain" db check --db old.db
expect 0 "$attain" summary --db old.db
has "Win rate of closed opportunities: 100.0% (1 won, 0 lost)"
has "Transactions, 2025-03-03 to 2025-03-13 (at most the last 12 months)"
has "total         USD           2              43,000.00"
has "Data from 2025-01-01 to 2025-03-13"

# opening upgrades too: summary on a fresh copy of version 1
cp "$src/tests/data/attain-v1.db" old2.db
expect 0 "$attain" summary --db old2.db --as-of 2025-03-12
has "Transactions, 2025-03-03 to 2025-03-12 (at most the last 12 months)"
grep -q cancellation out && fail "the cancellation of 2025-03-13 is after --as-of"
expect 0 "$attain" db version --db old2.db
has "schema version 6 (current)"

# a database from a newer attain is refused and left alone
cp new.db newer.db
sqlite3 newer.db "INSERT INTO schema_version VALUES (9, 0, 'future')" 2>/dev/null \
  || { echo "sqlite3 command line missing"; exit 77; }
expect 1 "$attain" summary --db newer.db
has "newer than this attain knows (6)"

# not a database
echo "id,name" > people.csv
expect 1 "$attain" db check --db people.csv
has "this file is not a SQLite database"

# the schema, and usage errors
expect 0 "$attain" db schema
has 'CREATE TABLE "transactions" ('
has "CREATE TABLE import_counts"
expect 2 "$attain" db
expect 2 "$attain" db frobnicate
has "unknown action 'frobnicate'"
expect 2 "$attain" db init --bogus
expect 2 "$attain" summary extra
expect 1 "$attain" summary --db new.db --as-of 2025-02-30
has "--as-of"
expect 0 "$attain" db --help
has "examples:"
expect 0 "$attain" help summary
has "--as-of YYYY-MM-DD"
echo "ok"
