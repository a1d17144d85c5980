// finance.js - finance's pages: what each person is paid in a month (payroll, with the CSV
// that `attain payroll` writes, downloaded from the server: GET /api/v1/payroll/:month?format=csv
// sends the same bytes), accruals at a month's end, cost of sales per plan component (a chart
// per currency), and closing months.
import { h, card, pageHeader, kpi, badge, clear, errorBox, notice, link } from '../ui/dom.js';
import { get, post, enc, qs } from '../api.js';
import { money, num, int, moment, shiftMonth } from '../format.js';
import { dataTable } from '../ui/table.js';
import { chartBox, axisTitle, palette } from '../ui/charts.js';
import { route, query, navigate } from '../router.js';
import { session, forgetLatest } from '../session.js';
import { trimLeading } from './common.js';

const FIN = ['admin', 'finance', 'executive'];

/* The months the done runs cover, newest first. */
async function coveredMonths() {
  const runs = await get('/runs?limit=200');
  const set = new Set();
  for (const r of runs.items) {
    if (r.status !== 'done' || r.payees) continue;
    for (let m = r.first_month; m <= r.last_month; m = shiftMonth(m, 1)) set.add(m);
  }
  return [...set].sort().reverse();
}

function monthSelect(months, current, onchange) {
  return h('label.inline-form', 'Month ', h('select', { id: 'month', onchange: (e) => onchange(e.target.value) },
    months.map((m) => h('option', { value: m, selected: m === current }, m))));
}

function totalsByCurrency(items, field) {
  const t = {};
  for (const i of items) t[i.currency] = (t[i.currency] || 0) + num(i[field]);
  return t;
}

async function payoutsPage() {
  const months = await coveredMonths();
  const month = query().month || months[0];
  if (!month) return h('div', pageHeader('Payouts'), h('div.empty-state', h('p', 'No calculation run yet.')));
  const [p, periods] = await Promise.all([get(`/payroll/${month}`), get('/periods?limit=1000')]);
  const closed = periods.items.find((x) => x.month === month);
  const totals = totalsByCurrency(p.items, 'amount');
  // paid per month of the fiscal year so far, per currency, from cost of sales
  const first = shiftMonth(month, -(Number(month.split('-')[1]) - 1));
  const cost = await get('/cost' + qs({ from: first, to: month }));
  const currencies = Object.keys(totals).sort((a, b) => totals[b] - totals[a]);
  const monthsInYear = [];
  for (let m = first; m <= month; m = shiftMonth(m, 1)) monthsInYear.push(m);
  const paidSeries = trimLeading(monthsInYear, currencies.map((c) => monthsInYear.map((m) => cost.items.filter((x) => x.month === m && x.currency === c).reduce((a, x) => a + num(x.amount), 0))));
  const chart = chartBox({
    type: 'bar',
    data: {
      labels: paidSeries.labels,
      datasets: currencies.map((c, i) => ({
        label: `Paid in ${c}`, backgroundColor: palette[i % palette.length], borderRadius: 3, maxBarThickness: 40,
        data: paidSeries.series[i],
      })),
    },
    options: {
      responsive: true, maintainAspectRatio: false,
      plugins: { legend: { position: 'bottom' }, tooltip: { callbacks: { label: (c) => `${c.dataset.label}: ${money(c.parsed.y, currencies[c.datasetIndex])}` } } },
      scales: { x: { title: axisTitle('Fiscal month'), grid: { display: false } }, y: { beginAtZero: true, title: axisTitle('Paid (each in its currency)'), ticks: { callback: (v) => Intl.NumberFormat('en-US', { notation: 'compact' }).format(v) } } },
    },
  }, 240);
  const lines = h('div.person-lines');
  return h('div',
    pageHeader('Payouts', `What each person is paid in fiscal ${month}, from run #${p.run}${closed ? ' (the run the month was closed with)' : ''}.`,
      monthSelect(months, month, (m) => navigate(`/payouts?month=${m}`)),
      closed ? badge(`closed ${moment(closed.closed_at).slice(0, 11)}`, 'good') : badge('open', 'warn'),
      h('a.btn.btn-primary', { id: 'download-payroll', href: `/api/v1/payroll/${enc(month)}?format=csv`, download: `payroll-${month}.csv` }, 'Download payroll CSV')),
    h('div.kpis',
      currencies.map((c) => kpi(`Paid · ${c}`, money(totals[c], c), `${p.items.filter((i) => i.currency === c).length} people`)),
      kpi('People paid', int(p.items.filter((i) => num(i.amount) !== 0).length), `of ${int(p.items.length)} on the payroll`)),
    card(`Paid per month · fiscal ${month.slice(0, 4)}`, chart),
    card('Payroll', dataTable([
      { key: 'name', label: 'Name', render: (i) => h('div', i.name, h('div.muted.small', i.person)), text: (i) => `${i.name} ${i.person}` },
      { key: 'currency', label: 'Currency' },
      { key: 'lines', label: 'Lines', align: 'right', value: (i) => i.lines.length, render: (i) => String(i.lines.length) },
      { key: 'earned', label: 'Earned', align: 'right', value: (i) => num(i.earned), render: (i) => money(i.earned, i.currency) },
      { key: 'amount', label: 'Paid', align: 'right', value: (i) => num(i.amount), render: (i) => h('strong', money(i.amount, i.currency)) },
      { key: 'open', label: '', render: (i) => link(`/statement/${enc(i.person)}/${month}`, 'statement') },
    ], p.items, { sort: 'amount', sortDir: -1, placeholder: 'Filter by name, id or currency…',
      onRowClick: (i) => { clear(lines).append(card(`${i.name}: lines`, dataTable([
        { key: 'key', label: 'Line' }, { key: 'kind', label: 'Kind' },
        { key: 'amount', label: 'Amount', align: 'right', value: (l) => num(l.amount), render: (l) => money(l.amount, i.currency) }], i.lines, { filter: false }))); lines.scrollIntoView(); } })),
    lines);
}

async function accrualsPage() {
  const months = await coveredMonths();
  const month = query().month || months[0];
  if (!month) return h('div', pageHeader('Accruals'), h('div.empty-state', h('p', 'No calculation run yet.')));
  const a = await get(`/accruals/${month}`);
  const acc = totalsByCurrency(a.items, 'accrued');
  const draws = totalsByCurrency(a.items, 'draw_balance');
  return h('div',
    pageHeader('Accruals', `Earned but not yet paid at the end of fiscal ${month} (fiscal year to date), from run #${a.run}.`,
      monthSelect(months, month, (m) => navigate(`/accruals?month=${m}`))),
    h('div.kpis',
      Object.entries(acc).map(([c, v]) => kpi(`Accrued · ${c}`, money(v, c), draws[c] ? `draw balances ${money(draws[c], c)}` : 'no draw balances'))),
    card(null, dataTable([
      { key: 'name', label: 'Name', render: (i) => h('div', i.name, h('div.muted.small', i.person)), text: (i) => `${i.name} ${i.person}` },
      { key: 'currency', label: 'Currency' },
      { key: 'earned_ytd', label: 'Earned YTD', align: 'right', value: (i) => num(i.earned_ytd), render: (i) => money(i.earned_ytd, i.currency) },
      { key: 'paid_ytd', label: 'Paid YTD', align: 'right', value: (i) => num(i.paid_ytd), render: (i) => money(i.paid_ytd, i.currency) },
      { key: 'accrued', label: 'Accrued', align: 'right', value: (i) => num(i.accrued), render: (i) => h('strong', money(i.accrued, i.currency)) },
      { key: 'draw_balance', label: 'Draw balance', align: 'right', value: (i) => num(i.draw_balance), render: (i) => money(i.draw_balance, i.currency) },
    ], a.items, { sort: 'accrued', sortDir: -1, placeholder: 'Filter by name, id or currency…' })));
}

async function costPage() {
  const months = await coveredMonths();
  const q = query();
  const to = q.to || months[0];
  if (!to) return h('div', pageHeader('Cost of sales'), h('div.empty-state', h('p', 'No calculation run yet.')));
  const from = q.from || shiftMonth(to, -(Number(to.split('-')[1]) - 1));
  const cost = await get('/cost' + qs({ from, to }));
  const currencies = [...new Set(cost.items.map((i) => i.currency))];
  const totals = totalsByCurrency(cost.items, 'amount');
  currencies.sort((a, b) => totals[b] - totals[a]);
  const cur = q.currency && currencies.includes(q.currency) ? q.currency : currencies[0];
  const mine = cost.items.filter((i) => i.currency === cur);
  const comps = [...new Set(mine.map((i) => `${i.plan} / ${i.component}`))];
  const compTotal = (c) => mine.filter((i) => `${i.plan} / ${i.component}` === c).reduce((a, i) => a + num(i.amount), 0);
  comps.sort((a, b) => compTotal(b) - compTotal(a));
  const top = comps.slice(0, 9);
  const monthsShown = [];
  for (let m = from; m <= to; m = shiftMonth(m, 1)) monthsShown.push(m);
  const series = [...top, ...(comps.length > top.length ? ['Other components'] : [])];
  const costSeries = trimLeading(monthsShown, series.map((c) => monthsShown.map((m) => mine.filter((i) => i.month === m && (c === 'Other components' ? !top.includes(`${i.plan} / ${i.component}`) : `${i.plan} / ${i.component}` === c)).reduce((a, i) => a + num(i.amount), 0))));
  const chart = chartBox({
    type: 'bar',
    data: {
      labels: costSeries.labels,
      datasets: series.map((c, k) => ({
        label: c, backgroundColor: palette[k % palette.length], maxBarThickness: 56,
        data: costSeries.series[k],
      })),
    },
    options: {
      responsive: true, maintainAspectRatio: false,
      plugins: { legend: { position: 'right', labels: { boxWidth: 12 } }, tooltip: { callbacks: { label: (c) => `${c.dataset.label}: ${money(c.parsed.y, cur)}` } } },
      scales: { x: { stacked: true, title: axisTitle('Fiscal month'), grid: { display: false } }, y: { stacked: true, beginAtZero: true, title: axisTitle(`Paid (${cur})`), ticks: { callback: (v) => money(v, cur, { compact: true }) } } },
    },
  }, 340);
  const fromSel = h('select', { 'aria-label': 'from', onchange: (e) => navigate(`/cost?from=${e.target.value}&to=${to}&currency=${cur}`) }, [...months].reverse().map((m) => h('option', { value: m, selected: m === from }, m)));
  const toSel = h('select', { 'aria-label': 'to', onchange: (e) => navigate(`/cost?from=${from}&to=${e.target.value}&currency=${cur}`) }, [...months].reverse().map((m) => h('option', { value: m, selected: m === to }, m)));
  const curSel = h('select', { 'aria-label': 'currency', onchange: (e) => navigate(`/cost?from=${from}&to=${to}&currency=${e.target.value}`) }, currencies.map((c) => h('option', { value: c, selected: c === cur }, c)));
  return h('div',
    pageHeader('Cost of sales', 'What the plans cost, per component and month, in each pay currency.',
      h('span.inline-form', 'From ', fromSel, ' to ', toSel, ' in ', curSel)),
    h('div.kpis', currencies.map((c) => kpi(`Paid ${from} – ${to} · ${c}`, money(totals[c], c), `to people paid in ${c}`))),
    card(`Cost per component · ${cur}`, chart),
    card('By plan component and month', dataTable([
      { key: 'month', label: 'Month' },
      { key: 'plan', label: 'Plan' },
      { key: 'component', label: 'Component' },
      { key: 'kind', label: 'Kind' },
      { key: 'people', label: 'People', align: 'right' },
      // earned is exact and in the plan's currency, paid is in the pay currency: different units
      { key: 'earned', label: 'Earned (plan currency)', align: 'right', value: (i) => num(i.earned), render: (i) => money(i.earned, i.currency, { symbol: false }) },
      { key: 'amount', label: 'Paid', align: 'right', value: (i) => num(i.amount), render: (i) => money(i.amount, i.currency) },
      { key: 'currency', label: 'Pay currency' },
    ], cost.items, { sort: 'amount', sortDir: -1, placeholder: 'Filter by month, plan, component, currency…' })));
}

async function periodsPage() {
  const canClose = ['admin', 'finance'].includes(session.user.role);
  const [periods, months] = await Promise.all([get('/periods?limit=1000'), coveredMonths()]);
  const closed = new Set(periods.items.map((p) => p.month));
  const open = months.filter((m) => !closed.has(m)).sort();
  const out = h('div');
  const month = h('select', { id: 'close-month' }, open.map((m) => h('option', { value: m }, m)));
  const reason = h('input', { id: 'close-reason', placeholder: 'e.g. January is paid', required: true });
  const button = h('button.btn.btn-danger', { type: 'submit', disabled: !open.length }, 'Close the month');
  const form = h('form.form-row', {
    onsubmit: async (e) => {
      e.preventDefault();
      if (!confirm(`Close fiscal ${month.value}? Its pay is locked as the latest run has it; later changes are paid as adjustments in the next open month.`)) return;
      button.disabled = true;
      try {
        const r = await post(`/periods/${month.value}/close`, { reason: reason.value.trim() });
        forgetLatest();
        clear(out).append(notice('success', `Fiscal ${r.month} is closed with run #${r.run}.`));
        setTimeout(() => navigate('/periods'), 800);
      } catch (err) {
        clear(out).append(errorBox({ title: 'Cannot close:', message: err.message, hint: err.hint }));
        button.disabled = false;
      }
    },
  },
  h('div.field', h('label', { for: 'close-month' }, 'Month'), month),
  h('div.field.grow', h('label', { for: 'close-reason' }, 'Reason'), reason),
  h('div.field.submit', button));
  return h('div',
    pageHeader('Period close', 'A closed month keeps the pay its run had; changes to its data later are paid as adjustments in the first open month.'),
    canClose ? card('Close a month', open.length ? form : h('p.muted', 'Every calculated month is closed.'), out) : null,
    card('Months', dataTable([
      { key: 'month', label: 'Month' },
      { key: 'state', label: 'State', value: (r) => (r.p ? 1 : 0), render: (r) => (r.p ? badge('closed', 'good') : badge('open', 'warn')) },
      { key: 'closed_at', label: 'Closed', value: (r) => r.p?.closed_at, render: (r) => (r.p ? h('div', moment(r.p.closed_at), h('div.muted.small', `by ${r.p.closed_by}`)) : '–') },
      { key: 'run', label: 'Run', align: 'right', value: (r) => r.p?.run, render: (r) => (r.p ? `#${r.p.run}` : '–') },
      { key: 'reason', label: 'Reason', value: (r) => r.p?.reason, render: (r) => r.p?.reason || '–' },
      { key: 'links', label: '', value: () => '', render: (r) => h('span', link(`/payouts?month=${r.month}`, 'payouts'), ' · ', link(`/accruals?month=${r.month}`, 'accruals')) },
    ], [...new Set([...months, ...closed])].sort().reverse().map((m) => ({ month: m, p: periods.items.find((x) => x.month === m) || null })), { sort: 'month', sortDir: -1, filter: false })));
}

route('/payouts', { title: 'Payouts', roles: FIN, render: payoutsPage });
route('/accruals', { title: 'Accruals', roles: FIN, render: accrualsPage });
route('/cost', { title: 'Cost of sales', roles: FIN, render: costPage });
route('/periods', { title: 'Period close', roles: ['admin', 'finance', 'sales_ops', 'executive'], render: periodsPage });
