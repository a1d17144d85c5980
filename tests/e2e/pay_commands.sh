#!/usr/bin/env bash
# pay_commands.sh - the pay commands end to end on reference case 1 (2% of sales plus $50 per
# premium plan, March 2026): calc, statement (text, json, html, pdf), payroll and its reports,
# estimate, closing a month and a late deal paid as a prior-period adjustment, the same data
# imported in another order giving the same fingerprint and pay, and the errors people meet.
# Usage: pay_commands.sh ATTAIN SOURCE_DIR SCRATCH_DIR
set -euo pipefail
attain=$1 src=$2 tmp=$3
rm -rf "$tmp" && mkdir -p "$tmp"
case_dir="$src/tests/reference/case01-flat-rate-spiff"
fail() { echo "FAIL: $*" >&2; exit 1; }
expect() { # expect FILE TEXT: the file contains the text
  grep -qF -- "$2" "$1" || { echo "--- $1:" >&2; cat "$1" >&2; fail "expected '$2' in $1"; }
}
db="$tmp/pay.db"
"$attain" import --db "$db" "$case_dir"/data/*.csv > /dev/null
"$attain" plan load --db "$db" "$case_dir"/plan.yaml > /dev/null

# calc: a run for the quarter, what it did, what March pays
"$attain" calc --db "$db" --period 2026-Q1 > "$tmp/calc.txt" 2> "$tmp/calc.err"
expect "$tmp/calc.txt" "run 1: 2026-Q1, months 2026-01 to 2026-03 stored"
expect "$tmp/calc.txt" "1 payee, 5 transactions, 5 credits"
expect "$tmp/calc.txt" "2026-03 pays USD 2,500.00 to 1 person"
fingerprint=$(awk '/input fingerprint/ { print $3 }' "$tmp/calc.txt")
[ ${#fingerprint} = 64 ] || fail "no input fingerprint in calc's output"

# statements: every format
"$attain" statement --db "$db" --payee P-REP --period 2026-03 > "$tmp/st.txt"
expect "$tmp/st.txt" "Commission, 2% of sales"
expect "$tmp/st.txt" "1,600.00"
expect "$tmp/st.txt" "900.00"
expect "$tmp/st.txt" "2,500.00"
expect "$tmp/st.txt" "T-02"
"$attain" statement --db "$db" --payee P-REP --period 2026-03 --format json > "$tmp/st.json"
expect "$tmp/st.json" '"paid": "2500.00"'
"$attain" statement --db "$db" --payee P-REP --period 2026-03 --format html > "$tmp/st.html"
expect "$tmp/st.html" "<html"
"$attain" statement --db "$db" --payee P-REP --period 2026-03 --format pdf --out "$tmp/st.pdf"
if command -v pdftotext > /dev/null; then
  pdftotext "$tmp/st.pdf" "$tmp/st.pdf.txt"
  expect "$tmp/st.pdf.txt" "2,500.00"
fi

# payroll and the finance reports
"$attain" payroll --db "$db" --period 2026-03 --out "$tmp/payroll.csv" 2> /dev/null
expect "$tmp/payroll.csv" "period,person_id,name,currency,line,kind,amount"
expect "$tmp/payroll.csv" "2026-03,P-REP,"
expect "$tmp/payroll.csv" ",USD,Case 01 Rep/commission,component,1600.00"
expect "$tmp/payroll.csv" ",USD,Case 01 Rep/premium_spiff,component,900.00"
"$attain" payroll --db "$db" --period 2026-03 --report accruals > "$tmp/accruals.csv"
expect "$tmp/accruals.csv" "earned_ytd,paid_ytd,accrued,draw_balance"
"$attain" payroll --db "$db" --period 2026-Q1 --report cost > "$tmp/cost.csv"
expect "$tmp/cost.csv" "2026-03,Case 01 Rep,commission,component,USD,1600.00"

# estimate: one more 10,000 deal in March pays 2% more
"$attain" estimate --db "$db" --payee P-REP --amount 10000 --date 2026-03-25 > "$tmp/estimate.txt"
expect "$tmp/estimate.txt" "200.00"

# closing January to March, then a late March deal: the difference goes to April as an
# adjustment
"$attain" period close 2026-01 --db "$db" > /dev/null
"$attain" period close 2026-02 --db "$db" > /dev/null
"$attain" period close 2026-03 --db "$db" --reason "March payroll" > "$tmp/close.txt"
expect "$tmp/close.txt" "2026-03 closed"
"$attain" period list --db "$db" > "$tmp/closed.txt"
expect "$tmp/closed.txt" "March payroll"
if "$attain" period close 2026-03 --db "$db" 2> "$tmp/close2.err"; then
  fail "closing a closed month must fail"
fi
cat > "$tmp/late.csv" <<'CSV'
id,type,date,amount,currency,quantity,product_id,owner_id
T-LATE,booking,2026-03-30,10000.00,USD,1,PRD-CORE,P-REP
CSV
cp "$tmp/late.csv" "$tmp/transactions.csv"
"$attain" import --db "$db" "$tmp/transactions.csv" > /dev/null
"$attain" calc --db "$db" --period 2026-04 > "$tmp/calc2.txt" 2>&1
expect "$tmp/calc2.txt" "months 2026-04 to 2026-04 stored"
"$attain" payroll --db "$db" --period 2026-04 > "$tmp/payroll-04.csv"
expect "$tmp/payroll-04.csv" ",adjustment,200.00"
"$attain" statement --db "$db" --payee P-REP --period 2026-04 > "$tmp/st-04.txt"
expect "$tmp/st-04.txt" "2026-03"
# March itself still shows what it paid
"$attain" payroll --db "$db" --period 2026-03 > "$tmp/payroll-03.csv"
expect "$tmp/payroll-03.csv" ",component,1600.00"
# a run over closed months only is refused and changes nothing
if "$attain" calc --db "$db" --period 2026-03 > /dev/null 2> "$tmp/closed-run.err"; then
  fail "a run over closed months only must be refused"
fi
expect "$tmp/closed-run.err" "is closed"

# the same data imported in another order: the same fingerprint and the same pay
db2="$tmp/reordered.db"
mkdir -p "$tmp/reordered"
for f in "$case_dir"/data/*.csv; do
  { head -1 "$f"; tail -n +2 "$f" | sort -r; } > "$tmp/reordered/$(basename "$f")"
done
"$attain" import --db "$db2" "$tmp/reordered"/*.csv > /dev/null
"$attain" plan load --db "$db2" "$case_dir"/plan.yaml > /dev/null
"$attain" calc --db "$db2" --period 2026-Q1 > "$tmp/calc-reordered.txt" 2> /dev/null
fingerprint2=$(awk '/input fingerprint/ { print $3 }' "$tmp/calc-reordered.txt")
[ "$fingerprint" = "$fingerprint2" ] || fail "fingerprints differ: $fingerprint vs $fingerprint2"
"$attain" payroll --db "$db2" --period 2026-03 > "$tmp/payroll-reordered.csv"
"$attain" payroll --db "$tmp/pay.db" --period 2026-03 > "$tmp/payroll-again.csv"
cmp -s "$tmp/payroll-reordered.csv" "$tmp/payroll-again.csv" ||
  fail "payroll differs with the import order"

# errors people meet
if "$attain" calc --db "$db" 2> "$tmp/e1.err"; then fail "calc without --period must fail"; fi
expect "$tmp/e1.err" "--period is required"
if "$attain" calc --db "$db" --period 2026-13 2> "$tmp/e2.err"; then fail "bad period"; fi
expect "$tmp/e2.err" "2026-13"
if "$attain" statement --db "$db" --payee NOBODY --period 2026-03 2> "$tmp/e3.err"; then
  fail "statement for an unknown payee must fail"
fi
expect "$tmp/e3.err" "NOBODY"
if "$attain" payroll --db "$db" --period 2026-09 2> "$tmp/e4.err"; then
  fail "payroll for a month no run covers must fail"
fi
expect "$tmp/e4.err" "attain calc"
if "$attain" statement --db "$db" --payee P-REP --period 2026-Q1 2> "$tmp/e5.err"; then
  fail "a statement is for a month"
fi
echo "pay commands: ok"
