// pay.js - a person's pay at a glance (the rep's home; a manager's drill into a rep): the main
// quota's attainment to date against the pace needed (a chart), what is left to reach it,
// earnings this month and year to date (a chart per month), the month's lines and measures,
// and the way into the statement.
import { h, link, card, kpi, pageHeader, badge } from '../ui/dom.js';
import { get, enc, ApiError } from '../api.js';
import { money, pct, day, num, measureValue, periodName } from '../format.js';
import { chartBox, axisTitle, palette } from '../ui/charts.js';
import { dataTable } from '../ui/table.js';
import { route, query, navigate } from '../router.js';
import { session, latestMonth } from '../session.js';
import { monthSwitcher, attainmentBar, measureWindow, mainMeasure, yearStatements, noRunYet, trimLeading } from './common.js';

/* Cumulative credited value by day through the window, with the straight pace line to quota. */
function paceChart(st, measure) {
  const w = measureWindow(measure, st.period);
  const days = [];
  for (let d = new Date(w.first + 'T00:00:00Z'); d <= new Date(w.last + 'T00:00:00Z'); d.setUTCDate(d.getUTCDate() + 1)) days.push(d.toISOString().slice(0, 10));
  const byDay = new Map();
  for (const c of measure.credits || []) byDay.set(c.date, (byDay.get(c.date) || 0) + num(c.value));
  const quota = num(measure.quota);
  const actual = [];
  let sum = 0;
  for (const d of days) {
    sum += byDay.get(d) || 0;
    actual.push(d <= st.period.last ? sum : null);
  }
  const pace = days.map((_, i) => (quota * (i + 1)) / days.length);
  const unit = measure.unit;
  const short = (d) => { const [, m, dd] = d.split('-'); return `${Number(dd)} ${['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][Number(m) - 1]}`; };
  return chartBox({
    type: 'line',
    data: {
      labels: days.map(short),
      datasets: [
        { label: `${measure.name}: credited to date`, data: actual, borderColor: palette[0], backgroundColor: 'rgba(79,70,229,.12)', fill: true, stepped: true, pointRadius: 0, borderWidth: 2.5 },
        { label: 'Pace to 100% of quota', data: pace, borderColor: '#94a3b8', borderDash: [6, 5], pointRadius: 0, borderWidth: 2, fill: false },
        { label: `Quota ${measureValue(quota, unit)}`, data: days.map(() => quota), borderColor: palette[2], pointRadius: 0, borderWidth: 1.5, fill: false },
      ],
    },
    options: {
      responsive: true, maintainAspectRatio: false, interaction: { mode: 'index', intersect: false },
      plugins: { legend: { position: 'bottom' }, tooltip: { callbacks: { label: (c) => `${c.dataset.label.split(':')[0]}: ${measureValue(c.parsed.y, unit)}` } } },
      scales: {
        x: { title: axisTitle(`${w.first} to ${w.last} (${measure.window_label.replace(' to date', '')})`), ticks: { maxTicksLimit: 10, maxRotation: 0 }, grid: { display: false } },
        y: { beginAtZero: true, title: axisTitle(unit && /^[A-Z]{3}$/.test(unit) ? `Credited value (${unit})` : 'Credited'), ticks: { callback: (v) => measureValue(v, unit).replace(/\.00$/, '') } },
      },
    },
  }, 300);
}

function earningsChart(year, currency) {
  const rows = year.filter((r) => r.st);
  const t = trimLeading(year.map((r) => r.month), [year.map((r) => (r.st ? num(r.st.totals.paid) : null))]);
  return chartBox({
    type: 'bar',
    data: {
      labels: t.labels,
      datasets: [{ label: `Paid (${currency})`, data: t.series[0], backgroundColor: palette[1], borderRadius: 4, maxBarThickness: 42 }],
    },
    options: {
      responsive: true, maintainAspectRatio: false,
      plugins: { legend: { display: false }, tooltip: { callbacks: { label: (c) => money(c.parsed.y, currency) } } },
      scales: {
        x: { title: axisTitle('Fiscal month'), grid: { display: false } },
        y: { beginAtZero: true, title: axisTitle(`Paid (${currency})`), ticks: { callback: (v) => money(v, currency, { compact: true }) } },
      },
    },
  }, rows.length ? 240 : 120);
}

function paceText(st, measure) {
  const w = measureWindow(measure, st.period);
  const quota = num(measure.quota);
  const value = num(measure.value);
  const left = quota - value;
  const unit = measure.unit;
  if (left <= 0) {
    return h('p.pace.good', `Quota reached: ${measureValue(value, unit)} of ${measureValue(quota, unit)} (${pct(measure.attainment)}). Everything more counts above 100%.`);
  }
  if (w.monthsLeft === 0) {
    return h('p.pace.low', `The window ends on ${day(w.last)} with ${pct(measure.attainment)} of quota; ${measureValue(left, unit)} short.`);
  }
  return h('p.pace', `To reach 100% by ${day(w.last)}: ${measureValue(left, unit)} more, `,
    h('strong', `${measureValue(left / w.monthsLeft, unit)} a month`), ` over the ${w.monthsLeft} month${w.monthsLeft > 1 ? 's' : ''} left.`);
}

export async function payOverview(payee, month, own) {
  let person;
  try { person = await get('/people/' + enc(payee)); } catch (e) { if (e.status === 403) throw Object.assign(e, { title: 'Not yours to see.' }); throw e; }
  const latest = await latestMonth();
  month = month || latest;
  const hrefFor = (m) => (own ? `/my?month=${m}` : `/people/${enc(payee)}?month=${m}`);
  const head = (sub) => pageHeader(own ? 'My pay' : person.name, sub || [person.title, person.id].filter(Boolean).join(' · '),
    month ? monthSwitcher(month, hrefFor, latest) : null);
  if (!month) return h('div', head(), noRunYet(null));
  let st;
  try { st = await get(`/statements/${enc(payee)}/${month}`); } catch (e) {
    if (e instanceof ApiError && e.status === 404) return h('div', head(), noRunYet(month));
    throw e;
  }
  const cur = st.payee.currency;
  const plan = st.plans[0];
  const main = mainMeasure(st);
  const year = await yearStatements(payee, st);
  const stHref = `/statement/${enc(payee)}/${month}`;

  const kpis = h('div.kpis',
    main && main.quota ? kpi(`Attainment · ${main.window_label}`, pct(main.attainment), `${measureValue(main.value, main.unit)} of ${measureValue(main.quota, main.unit)}`, num(main.attainment) >= 1 ? 'good' : '') : null,
    kpi(`Paid · ${periodName(st.period).replace(/ \(.*/, '')}`, money(st.totals.paid, cur), `earned ${money(st.totals.earned, cur)}`),
    kpi('Paid · year to date', money(st.totals.paid_ytd, cur), `fiscal ${st.period.fiscal_year}`),
    plan ? kpi('Target incentive', money(plan.target_incentive, plan.target_currency, { digits: 0 }), `${plan.name} v${plan.version}`) : null);

  const measures = dataTable([
    { key: 'name', label: 'Measure', render: (m) => h('div', h('div', m.name), h('div.muted.small', m.plan)) },
    { key: 'window_label', label: 'Window' },
    { key: 'month_value', label: 'This month', align: 'right', value: (m) => num(m.month_value), render: (m) => measureValue(m.month_value, m.unit) },
    { key: 'value', label: 'To date', align: 'right', value: (m) => num(m.value), render: (m) => measureValue(m.value, m.unit) },
    { key: 'quota', label: 'Quota', align: 'right', value: (m) => (m.quota === null ? null : num(m.quota)), render: (m) => (m.quota === null ? '–' : measureValue(m.quota, m.unit)) },
    { key: 'attainment', label: 'Attainment', value: (m) => (m.attainment === null ? -1 : num(m.attainment)), render: (m) => attainmentBar(m.attainment), width: '200px' },
  ], st.measures, { filter: false });

  const lines = dataTable([
    { key: 'name', label: 'Line', render: (l) => h('span', l.name, l.gated ? badge('gate not met', 'warn') : null, l.capped ? badge('capped', 'warn') : null) },
    { key: 'earned', label: 'Earned', align: 'right', value: (l) => num(l.earned), render: (l) => money(l.earned, l.currency) },
    { key: 'paid', label: 'Paid', align: 'right', value: (l) => num(l.paid), render: (l) => money(l.paid, cur) },
  ], st.lines, { filter: false, onRowClick: (l) => { navigate(`${stHref}?line=${enc(l.key)}`); }, footer: { name: 'Total', earned: money(st.totals.earned, cur), paid: money(st.totals.paid, cur) } });

  return h('div',
    head(own ? `${person.name} · ${periodName(st.period)}` : `${[person.title, person.id].filter(Boolean).join(' · ')} · ${periodName(st.period)}`),
    kpis,
    h('div.grid-2',
      main && main.quota ? card(`Attainment against pace · ${main.name}`, paceChart(st, main), paceText(st, main)) : card('Attainment', h('p.muted', 'No quota this month.')),
      card(`Paid per month · fiscal ${st.period.fiscal_year}`, earningsChart(year, cur),
        h('p.muted.small', `Year to date: paid ${money(st.totals.paid_ytd, cur)}, earned ${money(st.totals.earned_ytd, cur)}.`))),
    card('This month’s earnings', lines, h('div.card-actions', link(stHref, 'Open the statement →'), h('span.muted.small', 'Click a line to see its credits and deals.'))),
    card('Measures and quotas', measures));
}

route('/my', {
  title: 'My pay', roles: ['rep', 'manager'],
  render: () => {
    if (!session.user.person) return h('div.empty-state', h('h1', 'No person'), h('p', 'Your user names no person, so there is no pay to show.'));
    return payOverview(session.user.person, query().month, true);
  },
});

route('/people/:payee', {
  title: 'Pay', roles: ['admin', 'sales_ops', 'finance', 'manager', 'executive', 'rep'],
  render: ({ payee }) => payOverview(payee, query().month, payee === session.user.person),
});
