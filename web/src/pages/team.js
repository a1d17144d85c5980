// team.js - a manager's team (everyone reporting to them, directly or not, as the API's scope
// says): each person's attainment of their main quota, the pace they need, what they are paid
// this month and this year, a chart of attainment, and a click into the person's pay.
import { h, card, kpi, pageHeader, link, notice } from '../ui/dom.js';
import { get, enc, pool, ApiError } from '../api.js';
import { money, num, pct, measureValue, periodName } from '../format.js';
import { dataTable } from '../ui/table.js';
import { chartBox, axisTitle, palette } from '../ui/charts.js';
import { route, query, navigate } from '../router.js';
import { session, latestMonth } from '../session.js';
import { monthSwitcher, attainmentBar, mainMeasure, measureWindow, noRunYet } from './common.js';

function paceOf(st, m) {
  if (!m || m.quota === null) return { text: '–', value: null };
  const left = num(m.quota) - num(m.value);
  if (left <= 0) return { text: 'quota reached', value: 0, tone: 'good' };
  const w = measureWindow(m, st.period);
  if (w.monthsLeft === 0) return { text: `${measureValue(left, m.unit)} short`, value: left, tone: 'low' };
  return { text: `${measureValue(left / w.monthsLeft, m.unit)}/month`, value: left / w.monthsLeft };
}

async function teamPage() {
  const me = session.user.person;
  const list = await get('/people?limit=1000');
  const team = list.items.filter((p) => p.id !== me);
  const latest = await latestMonth();
  const requests = (await get('/change-requests?status=open&limit=1000')).items.filter((r) => ['quota', 'territory'].includes(r.kind) && r.payee !== me && r.raised_by !== `api:${session.user.login}`);
  const month = query().month || latest;
  const hrefFor = (m) => `/team?month=${m}`;
  const header = (sub) => pageHeader('My team', sub, month ? monthSwitcher(month, hrefFor, latest) : null);
  if (!team.length) return h('div', header('Nobody reports to you.'), h('div.empty-state', h('p', 'No one reports to you in the reporting lines in force today.')));
  if (!month) return h('div', header(), noRunYet(null));
  const sts = await pool(team, 6, (p) => get(`/statements/${enc(p.id)}/${month}`));
  const rows = team.map((p, i) => {
    const st = sts[i] instanceof ApiError || sts[i] instanceof Error ? null : sts[i];
    const m = st ? mainMeasure(st) : null;
    const pace = st ? paceOf(st, m) : { text: '–', value: null };
    return {
      id: p.id, name: p.name, title: p.title || p.role, manager: p.manager, currency: st ? st.payee.currency : p.pay_currency,
      measure: m, attainment: m && m.attainment !== null ? num(m.attainment) : null,
      paid: st ? st.totals.paid : null, paid_ytd: st ? st.totals.paid_ytd : null, pace, st,
    };
  });
  const withSt = rows.filter((r) => r.st);
  const period = withSt[0]?.st.period;
  const byCurrency = {};
  for (const r of withSt) byCurrency[r.currency] = (byCurrency[r.currency] || 0) + num(r.paid);
  const att = withSt.filter((r) => r.attainment !== null).map((r) => r.attainment).sort((a, b) => a - b);
  const median = att.length ? att[Math.floor(att.length / 2)] : null;
  const ranked = withSt.filter((r) => r.attainment !== null).sort((a, b) => b.attainment - a.attainment).slice(0, 25);
  const chart = ranked.length ? chartBox({
    type: 'bar',
    data: {
      labels: ranked.map((r) => r.name),
      datasets: [{ label: 'Attainment of main quota', data: ranked.map((r) => r.attainment * 100),
        backgroundColor: ranked.map((r) => (r.attainment >= 1 ? palette[2] : r.attainment >= 0.7 ? palette[3] : palette[4])), borderRadius: 4, maxBarThickness: 26 }],
    },
    options: {
      indexAxis: 'y', responsive: true, maintainAspectRatio: false,
      plugins: { legend: { display: false }, tooltip: { callbacks: { label: (c) => `${c.parsed.x.toFixed(1)}% of quota` } } },
      scales: { x: { beginAtZero: true, title: axisTitle(`Attainment to date (% of quota${period ? ', ' + ranked[0].measure.window_label : ''})`), ticks: { callback: (v) => v + '%' } }, y: { grid: { display: false } } },
    },
  }, Math.max(140, ranked.length * 28 + 56)) : h('p.muted', 'No quotas this month.');

  return h('div',
    header(`${team.length} ${team.length === 1 ? 'person' : 'people'}${period ? ' · ' + periodName(period) : ''}`),
    requests.length ? notice('info', `${requests.length} quota or territory ${requests.length === 1 ? 'request waits' : 'requests wait'} for your decision: `, link(`/distribution?period=${requests[0].period.slice(0, 4)}`, 'decide them on Plan acceptance')) : null,
    h('div.kpis',
      kpi('Median attainment', median === null ? '–' : pct(median), `${att.filter((a) => a >= 1).length} of ${att.length} at or above quota`, median >= 1 ? 'good' : ''),
      ...Object.entries(byCurrency).map(([c, v]) => kpi(`Team paid this month · ${c}`, money(v, c), `${withSt.filter((r) => r.currency === c).length} people paid in ${c}`)),
      kpi('Behind pace', String(withSt.filter((r) => r.attainment !== null && r.attainment < 0.7).length), 'under 70% of quota')),
    card('Attainment', chart),
    card('The team', dataTable([
        { key: 'name', label: 'Name', render: (r) => h('div', link(`/people/${enc(r.id)}?month=${month}`, r.name), h('div.muted.small', `${r.title} · ${r.id}`)), text: (r) => `${r.name} ${r.id} ${r.title}` },
        { key: 'attainment', label: 'Attainment', value: (r) => r.attainment ?? -1, render: (r) => (r.st ? attainmentBar(r.measure ? r.measure.attainment : null) : h('span.muted', 'not calculated')), width: '190px' },
        { key: 'pace', label: 'Pace needed', align: 'right', value: (r) => r.pace.value, render: (r) => h(`span.${r.pace.tone || 'plain'}`, r.pace.text) },
        { key: 'paid', label: 'Paid this month', align: 'right', value: (r) => num(r.paid), render: (r) => (r.paid === null ? '–' : money(r.paid, r.currency)) },
        { key: 'paid_ytd', label: 'Paid this year', align: 'right', value: (r) => num(r.paid_ytd), render: (r) => (r.paid_ytd === null ? '–' : money(r.paid_ytd, r.currency)) },
      ], rows, { sort: 'attainment', sortDir: -1, placeholder: 'Filter by name, id or title…', onRowClick: (r) => navigate(`/people/${enc(r.id)}?month=${month}`) })));
}

route('/team', { title: 'My team', roles: ['manager', 'admin', 'executive'], render: teamPage });
