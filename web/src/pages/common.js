// common.js - pieces the pay pages share: the month switcher, attainment bars, the fiscal
// window of a measure, a person's statements over a year.
import { h, link } from '../ui/dom.js';
import { get, enc, pool } from '../api.js';
import { shiftMonth, pct, num, periodName } from '../format.js';

export function monthSwitcher(month, hrefFor, latest) {
  const next = shiftMonth(month, 1);
  return h('div.month-switch', { role: 'group', 'aria-label': 'Month' },
    link(hrefFor(shiftMonth(month, -1)), '‹'),
    h('span.month-label', { 'data-month': month }, 'Fiscal ', month),
    latest && next > latest ? h('span.disabled', '›') : link(hrefFor(next), '›'));
}

export function attainmentBar(ratio) {
  if (ratio === null || ratio === undefined) return h('span.muted', 'no quota');
  const v = num(ratio);
  const tone = v >= 1 ? 'good' : v >= 0.7 ? 'ok' : 'low';
  return h('div.att', h('div.att-track', h(`div.att-fill.${tone}`, { style: { width: Math.min(100, v * 100) + '%' } }),
    v > 1 ? h('div.att-over', { style: { width: Math.min(100, (v - 1) * 100) + '%' } }) : null), h('span.att-num', pct(v)));
}

const spanOf = { month: 1, quarter_to_date: 3, half_to_date: 6, year_to_date: 12 };

function addMonths(isoDay, n) {
  const [y, m] = isoDay.split('-').map(Number);
  const t = y * 12 + (m - 1) + n;
  return `${Math.floor(t / 12)}-${String((t % 12) + 1).padStart(2, '0')}-01`;
}
function dayBefore(isoDay) {
  const d = new Date(isoDay + 'T00:00:00Z');
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

/* The window a measure accumulates over, as dates: { first, last, months, monthsLeft } for
 * the statement's period (monthsLeft: whole months after this one still in the window). */
export function measureWindow(measure, period) {
  const span = spanOf[measure.window] || 1;
  const m = Number(period.label.split('-')[1]);
  const startIndex = Math.floor((m - 1) / span) * span;
  const first = addMonths(period.year_first, startIndex);
  const last = dayBefore(addMonths(first, span));
  return { first, last, months: span, monthsLeft: startIndex + span - m };
}

/* The measure most plans pay on: the first with a quota (else the first). */
export function mainMeasure(st) {
  return st.measures.find((x) => x.quota !== null && x.attainment !== null) || st.measures[0] || null;
}

/* Statements of the fiscal year up to month (404 = no run: left out). */
export async function yearStatements(payee, st) {
  const m = Number(st.period.label.split('-')[1]);
  const months = Array.from({ length: m }, (_, i) => shiftMonth(st.period.label, -(m - 1 - i)));
  const got = await pool(months, 4, (mm) => (mm === st.period.label ? st : get(`/statements/${enc(payee)}/${mm}`)));
  return months.map((mm, i) => ({ month: mm, st: got[i] instanceof Error ? null : got[i] }));
}

export function noRunYet(month) {
  return h('div.empty-state', h('h2', 'Nothing calculated yet'),
    h('p', month ? `No calculation run covers fiscal ${month} for this person.` : 'No calculation run covers any recent month.'),
    h('p.muted', 'Sales operations starts calculation runs (Runs page, or attain calc).'));
}

export { periodName };

/* Drops the leading labels whose values are all zero (months before the data starts). */
export function trimLeading(labels, series) {
  let i = 0;
  while (i < labels.length - 1 && series.every((d) => !Number(d[i]))) i++;
  return { labels: labels.slice(i), series: series.map((d) => d.slice(i)) };
}
