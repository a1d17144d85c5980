#!/usr/bin/env bash
# calc_incremental.sh - `attain calc --incremental` gives exactly what a full run gives, bit for
# bit. A small company (the generated one of size S, one month, cut to a few thousand
# transactions) is changed in rounds of random changes made through import, as people change
# data: new transactions, amounts changed, owners changed, cancellations, a share on a
# transaction changed, a quota changed, a plan assignment changed, a leave, a metric; after each round one database runs
# --incremental and a copy of it runs in full, and every result table of the two runs
# (measures, lines, payouts, packed credits, payee digests, the run's counts and fingerprint)
# and the payroll and statements are compared byte for byte. Rounds also check the other
# paths: nothing changed (nothing recomputed), an exchange rate changed (a full run, and why),
# a month closed (a full run), no earlier run for the payees asked for (a full run), and
# --payee runs. Last, a full run in passes (--credits-per-pass) stores what one pass stores.
# Usage: calc_incremental.sh ATTAIN SOURCE_DIR SCRATCH_DIR
set -euo pipefail
attain=$1 tmp=$3
rm -rf "$tmp" && mkdir -p "$tmp"
command -v sqlite3 > /dev/null || { echo "sqlite3 (the shell) is missing: skipped"; exit 77; }
fail() { echo "FAIL: $*" >&2; exit 1; }
expect() { grep -qF -- "$2" "$1" || { echo "--- $1:" >&2; cat "$1" >&2; fail "expected '$2' in $1"; }; }

# ---- the company: generated, then cut to the first transactions of the month ----------------
gen="$tmp/gen" csv="$tmp/csv"
"$attain" generate --size S --months 1 --seed 11 --out "$gen" --quiet
mkdir -p "$csv"
for f in people teams reporting_lines employment_events products exchange_rates settings \
         territories territory_people territory_rules plan_assignments quotas metrics; do
  cp "$gen/$f.csv" "$csv/"
done
# transactions: the first 4,000 (and the cancellations of those), without opportunities
awk -F, -v OFS=, 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; print; next }
  NR <= 4001 || ($col["type"] == "cancellation" && ($col["original_id"] in kept)) {
    $col["opportunity_id"] = ""; kept[$col["id"]] = 1; print }' \
  "$gen/transactions.csv" > "$csv/transactions.csv"
awk -F, 'NR == FNR { if (FNR > 1) kept[$1] = 1; next } FNR == 1 || ($1 in kept)' \
  "$csv/transactions.csv" "$gen/transaction_people.csv" > "$csv/transaction_people.csv"
# the accounts they name (without parents), and those accounts' territories
awk -F, 'NR == FNR { if (FNR == 1) { for (i = 1; i <= NF; i++) if ($i == "account_id") c = i }
                     else if ($c != "") used[$c] = 1; next }
  FNR == 1 { for (i = 1; i <= NF; i++) if ($i == "parent_id") p = i; print; next }
  ($1 in used) { $p = ""; print }' OFS=, "$csv/transactions.csv" "$gen/accounts.csv" \
  > "$csv/accounts.csv"
awk -F, 'NR == FNR { if (FNR > 1) kept[$1] = 1; next } FNR == 1 || ($2 in kept)' \
  "$csv/accounts.csv" "$gen/territory_accounts.csv" > "$csv/territory_accounts.csv"
# activities: the first 3,000, of people only
awk -F, -v OFS=, 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; print; next }
  NR <= 3001 { $col["lead_id"] = ""; $col["opportunity_id"] = ""; $col["account_id"] = ""; print }' \
  "$gen/activities.csv" > "$csv/activities.csv"

a="$tmp/a.db" b="$tmp/b.db" period=2026-12
"$attain" import --db "$a" "$csv" > "$tmp/import.txt" || { cat "$tmp/import.txt" >&2; fail "import"; }
"$attain" plan load --db "$a" "$gen"/plans/*.yaml > /dev/null

# ---- comparing two runs ---------------------------------------------------------------------
dump() { # dump DB RUN: every result row of the run, and the run's record without its times
  sqlite3 "$1" <<SQL
.mode list
SELECT 'run', period, first_month, last_month, payees, status, input_sha256, plan_versions,
       people, transactions, credits, lines, hex(global_digest) FROM calc_runs WHERE id = $2;
SELECT 'measure', * FROM calc_measures WHERE run_id = $2 ORDER BY person_id, month, seq;
SELECT 'line', * FROM calc_lines WHERE run_id = $2 ORDER BY person_id, month, seq;
SELECT 'payout', * FROM calc_payouts WHERE run_id = $2 ORDER BY person_id, month;
SELECT 'credits', run_id, person_id, month, count, hex(credits) FROM calc_credits
  WHERE run_id = $2 ORDER BY person_id, month;
SELECT 'digest', run_id, person_id, hex(digest), lines FROM calc_payee_digests
  WHERE run_id = $2 ORDER BY person_id;
SQL
}
run_id() { sed -n 's/^run \([0-9]*\):.*/\1/p' "$1"; }
payees_of() { sed -n 's/^  \([0-9]*\) payees\{0,1\},.*/\1/p' "$1"; }
recomputed_of() { sed -n 's/^  incremental from run [0-9]*: \([0-9]*\) of .*/\1/p' "$1"; }

# compare NAME ARGS...: an incremental run in a, a full run in a copy b, the same results
compare() {
  local name=$1; shift
  cp "$a" "$b"
  "$attain" calc --db "$a" --period "$period" --incremental "$@" > "$tmp/$name.inc" 2> "$tmp/$name.inc.err" \
    || { cat "$tmp/$name.inc.err" >&2; fail "$name: incremental run"; }
  "$attain" calc --db "$b" --period "$period" "$@" > "$tmp/$name.full" 2> "$tmp/$name.full.err" \
    || { cat "$tmp/$name.full.err" >&2; fail "$name: full run"; }
  local ra rb
  ra=$(run_id "$tmp/$name.inc") rb=$(run_id "$tmp/$name.full")
  [ -n "$ra" ] && [ "$ra" = "$rb" ] || fail "$name: run ids $ra and $rb"
  dump "$a" "$ra" > "$tmp/$name.a.rows"
  dump "$b" "$rb" > "$tmp/$name.b.rows"
  [ "$(grep -c '^line' "$tmp/$name.a.rows")" -gt 0 ] || fail "$name: the run has no lines"
  cmp -s "$tmp/$name.a.rows" "$tmp/$name.b.rows" || {
    diff "$tmp/$name.a.rows" "$tmp/$name.b.rows" | head -20 >&2
    fail "$name: the incremental run's results differ from the full run's"
  }
  # what people read: the payroll and statements
  "$attain" payroll --db "$a" --period "$period" > "$tmp/$name.a.payroll" 2> /dev/null
  "$attain" payroll --db "$b" --period "$period" > "$tmp/$name.b.payroll" 2> /dev/null
  cmp -s "$tmp/$name.a.payroll" "$tmp/$name.b.payroll" || fail "$name: payroll differs"
  [ -s "$tmp/$name.a.payroll" ] || fail "$name: empty payroll"
  for p in "${statement_people[@]}"; do
    "$attain" statement --db "$a" --payee "$p" --period "$period" > "$tmp/$name.a.st" 2>&1 || true
    "$attain" statement --db "$b" --payee "$p" --period "$period" > "$tmp/$name.b.st" 2>&1 || true
    cmp -s "$tmp/$name.a.st" "$tmp/$name.b.st" || fail "$name: the statement of $p differs"
  done
  # the incremental run's record: incremental, from the previous run, its count
  sqlite3 "$a" "SELECT coalesce(base_run_id, 0), coalesce(recomputed, -1) FROM calc_runs
                WHERE id = $ra" > "$tmp/$name.origin"
  sqlite3 "$b" "SELECT coalesce(base_run_id, 0) FROM calc_runs WHERE id = $rb" > "$tmp/$name.b.origin"
  [ "$(cat "$tmp/$name.b.origin")" = 0 ] || fail "$name: a full run names a base run"
}

# the payees whose statements are compared: a rep with transactions, their manager, a CSM
owner=$(awk -F, 'NR == 2 { print $11 }' "$csv/transactions.csv")
manager=$(awk -F, -v p="$owner" '$1 == p && $4 == "" { print $2 }' "$csv/reporting_lines.csv" | head -1)
statement_people=("$owner" "$manager" "$(awk -F, 'NR == 200 { print $2 }' "$csv/plan_assignments.csv")")

# the first run of the period: in full (no earlier run), and it says so
"$attain" calc --db "$a" --period "$period" --incremental > "$tmp/first.txt" 2> /dev/null
expect "$tmp/first.txt" "full run: no earlier run of $period"
payees=$(payees_of "$tmp/first.txt")
[ "$payees" -gt 100 ] || fail "only $payees payees"

# ---- rounds of random changes -----------------------------------------------------------------
RANDOM=20261123
tx_hdr=$(head -1 "$csv/transactions.csv")
bookings=$(awk -F, 'NR > 1 && $2 == "booking"' "$csv/transactions.csv" | wc -l)
tx_people=$(wc -l < "$csv/transaction_people.csv")
splits=$(grep -c ',split,' "$csv/transaction_people.csv")
[ "$splits" -gt 0 ] || fail "no split in the transactions kept"
owners=($(awk -F, 'NR > 1 { print $11 }' "$csv/transactions.csv" | sort -u))
pick_booking() { awk -F, -v n="$1" 'NR > 1 && $2 == "booking" && ++k == n' "$csv/transactions.csv"; }
new_id=0
for round in 1 2 3; do
  dir="$tmp/round$round"
  mkdir -p "$dir"
  {
    echo "$tx_hdr"
    for k in 1 2 3; do # new bookings
      new_id=$((new_id + 1))
      o=${owners[$((RANDOM % ${#owners[@]}))]}
      printf 'TXNEW%05d,booking,2026-01-%02d,%d.%02d,USD,,2,,,PLT-STARTER,%s,\n' \
        "$new_id" $((RANDOM % 28 + 1)) $((RANDOM % 50000 + 100)) $((RANDOM % 100)) "$o"
    done
    # an amount changed, an owner changed (two different bookings)
    pick_booking $((RANDOM % bookings + 1)) |
      awk -F, -v OFS=, -v r=$RANDOM '{ $4 = sprintf("%.2f", $4 + 1 + r % 977); print }'
    pick_booking $((RANDOM % bookings + 1)) |
      awk -F, -v OFS=, -v o="${owners[$((RANDOM % ${#owners[@]}))]}" '{ $11 = o; print }'
    # a cancellation of half a booking
    new_id=$((new_id + 1))
    pick_booking $((RANDOM % bookings + 1)) | awk -F, -v OFS=, -v id="$(printf 'TXCAN%05d' "$new_id")" \
      '{ $12 = $1; $1 = id; $2 = "cancellation"; $3 = "2026-01-29";
         $4 = sprintf("%.2f", -int($4 * 50) / 100); $6 = ""; $7 = ""; print }'
  } > "$dir/transactions.csv"
  # a quota changed
  awk -F, -v OFS=, -v n=$((RANDOM % 800 + 2)) -v r=$RANDOM \
    'NR == 1 || NR == n { if (NR == n) $6 = sprintf("%.2f", $6 + 1000 + r); print }' \
    "$csv/quotas.csv" > "$dir/quotas.csv"
  # a plan assignment changed: its target incentive, or it ends early
  awk -F, -v OFS=, -v n=$((RANDOM % 500 + 2)) -v r=$((RANDOM % 2)) \
    'NR == 1 || NR == n { if (NR == n) { if (r) $6 = sprintf("%.2f", $6 + 500); else $5 = "2026-01-20" } print }' \
    "$csv/plan_assignments.csv" > "$dir/plan_assignments.csv"
  # a split partner's share changed (and so the owner's part, and the roll-ups of both, whose
  # credits change in amount only), and an overlay's or SDR's
  awk -F, -v OFS=, -v n=$((RANDOM % splits + 1)) -v m=$((RANDOM % (tx_people - 1) + 2)) \
    -v q=$((RANDOM % 9 + 1)) \
    'NR == 1 { print; next }
     $3 == "split" && ++k == n { $4 = sprintf("%.2f", $4 >= 0.25 ? $4 - 0.05 : $4 + 0.05); print; next }
     $3 != "split" && NR == m { $4 = $4 == "0." q ? "1.0" : "0." q; print }' \
    "$csv/transaction_people.csv" > "$dir/transaction_people.csv"
  # a leave, a metric
  leaver=${owners[$((RANDOM % ${#owners[@]}))]}
  printf 'id,person_id,type,date,reason,exit_kind,from_team_id,to_team_id\nEVX%d,%s,leave_start,2026-01-%02d,Leave,,,\n' \
    "$round" "$leaver" $((RANDOM % 20 + 5)) > "$dir/employment_events.csv"
  awk -F, -v OFS=, -v n=$((RANDOM % 100 + 2)) 'NR == 1 || NR == n { if (NR == n) $4 = "0.9"; print }' \
    "$csv/metrics.csv" > "$dir/metrics.csv"
  for f in transactions transaction_people quotas plan_assignments employment_events metrics; do
    "$attain" import --db "$a" "$dir/$f.csv" > "$dir/$f.import" 2>&1 \
      || { cat "$dir/$f.import" >&2; fail "round $round: import of $f"; }
  done
  compare "round$round"
  expect "$tmp/round$round.inc" "incremental from run"
  n=$(recomputed_of "$tmp/round$round.inc")
  [ "$n" -gt 0 ] && [ "$n" -lt "$payees" ] || fail "round $round: $n of $payees payees recomputed"
  read -r base count < <(tr '|' ' ' < "$tmp/round$round.origin")
  [ "$base" -gt 0 ] && [ "$count" = "$n" ] || fail "round $round: the run's record says base $base, $count"
done

# nothing changed: nothing recomputed, everything carried over
compare unchanged
expect "$tmp/unchanged.inc" ": 0 of $payees payees recomputed"

# an exchange rate changed: every payee depends on it, a full run, and why
printf 'from_currency,to_currency,effective_date,rate\nEUR,USD,2026-01-15,1.2345\n' > "$tmp/fx.csv"
mkdir -p "$tmp/fx" && mv "$tmp/fx.csv" "$tmp/fx/exchange_rates.csv"
"$attain" import --db "$a" "$tmp/fx/exchange_rates.csv" > /dev/null
compare fx
expect "$tmp/fx.inc" "full run: what every payee depends on changed since run"
[ "$(cat "$tmp/fx.origin")" = "0|-1" ] || fail "fx: a full run's record names a base run"

# a month closed: its lines are locked, every payee depends on that, a full run
"$attain" period close 2026-01 --db "$a" > /dev/null
compare closed
expect "$tmp/closed.inc" "full run: no earlier run of $period (months 2026-02 to 2026-12"
compare closed2
expect "$tmp/closed2.inc" ": 0 of $payees payees recomputed"

# runs for some payees: their own base (none at first), then incremental among them
compare payee1 --payee "$owner" --payee "$manager"
expect "$tmp/payee1.inc" "full run: no earlier run of $period"
printf '%s\nTXNEW99999,booking,2026-01-30,777.00,USD,,1,,,PLT-STARTER,%s,\n' "$tx_hdr" "$owner" \
  > "$tmp/fx/transactions.csv"
"$attain" import --db "$a" "$tmp/fx/transactions.csv" > /dev/null
compare payee2 --payee "$manager" --payee "$owner"
expect "$tmp/payee2.inc" "incremental from run"
expect "$tmp/payee2.inc" ": 2 of 2 payees recomputed"
# a full run in passes (memory: each pass keeps its payees' credits only): what one pass stores
c="$tmp/c.db"
cp "$a" "$b" && cp "$a" "$c"
"$attain" calc --db "$b" --period "$period" > "$tmp/one.txt" 2> /dev/null || fail "one pass"
"$attain" calc --db "$c" --period "$period" --credits-per-pass 5000 > "$tmp/passes.txt" \
  2> /dev/null || fail "a run in passes"
expect "$tmp/passes.txt" "passes of at most 5000 credits"
n=$(sed -n 's/^  in \([0-9]*\) passes.*/\1/p' "$tmp/passes.txt")
[ "${n:-0}" -ge 4 ] || fail "passes: $n passes of 5000 credits"
! grep -q "passes of" "$tmp/one.txt" || fail "a small run was cut into passes"
ra=$(run_id "$tmp/one.txt") rb=$(run_id "$tmp/passes.txt")
dump "$b" "$ra" > "$tmp/one.rows"
dump "$c" "$rb" > "$tmp/passes.rows"
cmp -s "$tmp/one.rows" "$tmp/passes.rows" || {
  diff "$tmp/one.rows" "$tmp/passes.rows" | head -20 >&2
  fail "a run in passes stores other results than one pass"
}
"$attain" payroll --db "$b" --period "$period" > "$tmp/one.payroll" 2> /dev/null
"$attain" payroll --db "$c" --period "$period" > "$tmp/passes.payroll" 2> /dev/null
cmp -s "$tmp/one.payroll" "$tmp/passes.payroll" || fail "passes: payroll differs"
"$attain" calc --db "$c" --period "$period" --credits-per-pass 0 > "$tmp/bad.txt" 2>&1 \
  && fail "--credits-per-pass 0 accepted"
expect "$tmp/bad.txt" "--credits-per-pass takes a number of credits"
echo "ok: calc --incremental equals a full run after 3 rounds of random changes; so does a run in $n passes"
