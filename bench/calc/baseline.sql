-- bench/calc/baseline.sql: the bench plan (bench/calc/plan.yaml) written straightforwardly in
-- SQL over attain's own tables, as a team without a calculation engine would write it. It is
-- the baseline bench/calc compares the engine with; it is not used by attain itself.
--
-- Parameters (sqlite3: .parameter set @from_day N / @to_day N): the days of the months
-- computed (the fiscal year to date of the period, as the engine computes it).
-- Fiscal years start in February (the demo company's settings); months are calendar months.
-- Known difference: a person with two plan assignments in one quarter (a promotion) is one
-- quarter-to-date measure here, while the engine computes each assignment's part of the
-- quarter on its own (its tiers restart), so such people are paid differently.
-- Money is INTEGER at 1e-4 and rates at 1e-9, as in the store. SQLite turns an INTEGER product
-- that overflows 64 bits into a REAL silently, so rates and shares are cut to 5 decimals
-- before multiplying, and products round half up with integer arithmetic (the engine keeps
-- 9 decimals, 128-bit products and rounds half-even: totals may differ slightly).

DROP TABLE IF EXISTS temp.tx;
DROP TABLE IF EXISTS temp.seller_credits;
DROP TABLE IF EXISTS temp.credits;
DROP TABLE IF EXISTS temp.measures;
DROP TABLE IF EXISTS temp.earnings;

-- Transactions in range, in USD at the rate in force on the transaction's date; a
-- cancellation is credited like its original (same people and shares).
CREATE TEMP TABLE tx AS
SELECT t.id, COALESCE(t.original_id, t.id) AS credit_from, t.date,
       CASE WHEN t.currency = 'USD' THEN t.amount ELSE
         (t.amount * ((SELECT r.rate FROM exchange_rates r
                       WHERE r.from_currency = t.currency AND r.to_currency = 'USD'
                         AND r.effective_date <= t.date
                       ORDER BY r.effective_date DESC LIMIT 1) / 10000) + 50000) / 100000
       END AS usd,
       t.owner_id,
       CAST(strftime('%Y', t.date * 86400, 'unixepoch') AS INTEGER) * 12
         + CAST(strftime('%m', t.date * 86400, 'unixepoch') AS INTEGER) - 1 AS month_key
FROM transactions t
LEFT JOIN transactions o ON o.id = t.original_id
WHERE t.date BETWEEN @from_day AND @to_day
  AND (t.type = 'booking' OR (t.type = 'cancellation' AND o.type = 'booking'));

-- Owner, split and overlay credits. The owner keeps what the splits leave; rolls: whether the
-- credit rolls up to the managers above (owner and split credits do, overlays do not).
CREATE TEMP TABLE seller_credits AS
SELECT tx.id, tx.date, tx.month_key, tx.owner_id AS person_id,
       tx.usd - COALESCE((SELECT SUM((tx.usd * (p.share / 10000) + 50000) / 100000)
                          FROM transaction_people p
                          WHERE p.transaction_id = tx.credit_from AND p.role = 'split'), 0)
         AS amount, 1 AS rolls
FROM tx
UNION ALL
SELECT tx.id, tx.date, tx.month_key, p.person_id, (tx.usd * (p.share / 10000) + 50000) / 100000,
       p.role = 'split'
FROM tx JOIN transaction_people p ON p.transaction_id = tx.credit_from
WHERE p.role IN ('split', 'overlay');

-- Roll-up: every manager above each owner or split partner on the transaction's date (overlay
-- credits are not rolled up).
CREATE TEMP TABLE credits AS
WITH RECURSIVE up(id, month_key, person_id, amount, date, level, rolls) AS (
  SELECT id, month_key, person_id, amount, date, 0, rolls FROM seller_credits
  UNION ALL
  SELECT up.id, up.month_key, r.manager_id, up.amount, up.date, up.level + 1, 1
  FROM up JOIN reporting_lines r
    ON r.person_id = up.person_id AND r.start_date <= up.date
   AND (r.end_date IS NULL OR r.end_date >= up.date)
  WHERE up.rolls AND up.level < 10
)
-- only people on a plan on the credit's day are paid
SELECT up.id, up.month_key, up.person_id, up.amount, up.level FROM up
WHERE EXISTS (SELECT 1 FROM plan_assignments a
              WHERE a.person_id = up.person_id AND a.start_date <= up.date
                AND (a.end_date IS NULL OR a.end_date >= up.date));

-- Measures per person and month: own bookings (level 0) and the team's (levels >= 1), with
-- quarter-to-date own bookings. Fiscal quarters: Feb-Apr, May-Jul, Aug-Oct, Nov-Jan.
CREATE TEMP TABLE measures AS
WITH monthly AS (
  SELECT person_id, month_key,
         SUM(CASE WHEN level = 0 THEN amount ELSE 0 END) AS bookings,
         SUM(CASE WHEN level > 0 THEN amount ELSE 0 END) AS team
  FROM credits GROUP BY person_id, month_key
), keyed AS (
  SELECT *, ((month_key - 1) / 3) AS quarter_key FROM monthly
)
SELECT person_id, month_key, quarter_key, bookings, team,
       SUM(bookings) OVER (PARTITION BY person_id, quarter_key ORDER BY month_key) AS bookings_qtd,
       CAST(julianday(printf('%04d-%02d-01', (quarter_key * 3 + 3) / 12,
                             (quarter_key * 3 + 3) % 12 + 1), '+1 month', '-1 day')
            - 2440587.5 AS INTEGER) AS quarter_last_day
FROM keyed;

-- Quota: the person's bookings quota for the fiscal quarter (labels like 2026-Q4).
-- Commission: marginal tiers on quarter-to-date attainment, 2% to 50%, 5% to 100%, 8% above,
-- paid monthly as earned to date minus the quarter's earlier months. Override: 0.5% of the
-- team's bookings.
CREATE TEMP TABLE earnings AS
WITH q AS (
  SELECT m.*,
         -- in USD at the rate in force on the quarter's last day
         (SELECT SUM(CASE WHEN qq.currency IS NULL OR qq.currency = 'USD' THEN qq.amount ELSE
                   (qq.amount * ((SELECT r.rate FROM exchange_rates r
                                  WHERE r.from_currency = qq.currency AND r.to_currency = 'USD'
                                    AND r.effective_date <= m.quarter_last_day
                                  ORDER BY r.effective_date DESC LIMIT 1) / 10000) + 50000)
                   / 100000 END)
          FROM quotas qq
          WHERE qq.person_id = m.person_id AND qq.measure = 'bookings'
            AND qq.period = printf('%d-Q%d', m.quarter_key / 4 + 1, m.quarter_key % 4 + 1))
           AS quota
  FROM measures m
), to_date AS (
  SELECT *,
    CASE WHEN quota IS NULL OR quota = 0 THEN 0 ELSE
        (MIN(MAX(bookings_qtd, 0), quota / 2) * 2
       + MIN(MAX(bookings_qtd - quota / 2, 0), quota - quota / 2) * 5
       + MAX(bookings_qtd - quota, 0) * 8 + 50) / 100
    END AS commission_to_date
  FROM q
)
SELECT person_id, month_key,
       commission_to_date - COALESCE(LAG(commission_to_date) OVER
         (PARTITION BY person_id, quarter_key ORDER BY month_key), 0) AS commission,
       (team * 5 + 500) / 1000 AS override
FROM to_date;

SELECT 'baseline', COUNT(*) AS payee_months, SUM(commission) AS commission,
       SUM(override) AS override, (SELECT COUNT(*) FROM credits) AS credits
FROM earnings;
