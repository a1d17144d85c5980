// statement.js - a payee's statement for a month, as `attain statement` has it: the lines with
// earned and paid, totals, and a drill-down from each line to how it was calculated, the
// measure it is computed on, the credits behind it (by source and one by one) and the
// deals (transactions) they come from; measures, draw, adjustments, the PDF.
import { h, link, card, kpi, pageHeader, badge, clear } from '../ui/dom.js';
import { get, enc, ApiError } from '../api.js';
import { money, num, day, pct, measureValue, periodName } from '../format.js';
import { dataTable } from '../ui/table.js';
import { route, query, setQuery } from '../router.js';
import { latestMonth, session } from '../session.js';
import { monthSwitcher, attainmentBar, noRunYet } from './common.js';
import { disputePanel } from './disputes.js';

const kindNames = { owner: 'Owner', split: 'Split', overlay: 'Overlay', sdr: 'SDR', manager: 'Manager', rollup: 'Roll-up', territory: 'Territory' };

function creditKind(c) {
  let k = kindNames[c.kind] || c.kind;
  if (c.level) k += ` ${c.level}`;
  if (c.from) k += ` from ${c.from}`;
  return k;
}

function creditsTable(measure) {
  const unit = measure.unit;
  return dataTable([
    { key: 'date', label: 'Date', render: (c) => day(c.date) },
    { key: 'transaction', label: 'Deal (transaction)', render: (c) => h('span', h('code', c.transaction), c.cancels ? badge(`cancels ${c.cancels}`, 'warn') : null) },
    { key: 'type', label: 'Type' },
    { key: 'product', label: 'Product', render: (c) => c.product || '–' },
    { key: 'kind', label: 'Credit', text: (c) => creditKind(c), render: (c) => creditKind(c) },
    { key: 'transaction_amount', label: 'Deal amount', align: 'right', value: (c) => num(c.transaction_amount), render: (c) => money(c.transaction_amount, c.currency) },
    { key: 'share', label: 'Share', align: 'right', value: (c) => num(c.share), render: (c) => pct(c.share, 0) },
    { key: 'fx_rate', label: 'FX', align: 'right', value: (c) => num(c.fx_rate), render: (c) => (num(c.fx_rate) === 1 ? '–' : c.fx_rate) },
    { key: 'value', label: 'Counts', align: 'right', value: (c) => num(c.value), render: (c) => measureValue(c.value, unit) },
    { key: 'in_month', label: 'Month', value: (c) => (c.in_month ? 1 : 0), text: (c) => (c.in_month ? 'this month' : 'earlier'), render: (c) => (c.in_month ? badge('this month', 'info') : h('span.muted', 'earlier')) },
  ], measure.credits || [], { sort: 'date', sortDir: -1, placeholder: 'Filter credits: a deal, product, type…', empty: 'No credits in this window.',
    footer: { date: 'Total', value: measureValue(measure.credits_total, unit) } });
}

function measureDetail(measure) {
  if (!measure) return h('p.muted', 'This line is not computed on a measure (a fixed amount, a metric or a draw).');
  const unit = measure.unit;
  const sources = measure.sources && measure.sources.length > 1 ? dataTable([
    { key: 'kind', label: 'Source', render: (s) => creditKind(s), text: (s) => creditKind(s) },
    { key: 'credits', label: 'Credits', align: 'right' },
    { key: 'value', label: 'Value', align: 'right', value: (s) => num(s.value), render: (s) => measureValue(s.value, unit) },
  ], measure.sources, { filter: false }) : null;
  return h('div',
    h('dl.facts',
      h('dt', 'Measure'), h('dd', measure.name),
      h('dt', 'Window'), h('dd', measure.window_label),
      h('dt', 'This month'), h('dd', measureValue(measure.month_value, unit)),
      h('dt', 'To date'), h('dd', measureValue(measure.value, unit)),
      h('dt', 'Quota'), h('dd', measure.quota === null ? '–' : measureValue(measure.quota, unit)),
      h('dt', 'Attainment'), h('dd', attainmentBar(measure.attainment)),
      h('dt', 'Credits'), h('dd', `${measure.credit_count} credit${measure.credit_count === 1 ? '' : 's'}, ${measureValue(measure.credits_total, unit)}`)),
    sources ? h('div', h('h3', 'By source'), sources) : null,
    h('h3', 'Credits and the deals behind them'),
    creditsTable(measure));
}

function lineDetail(st, line) {
  const measure = line.measure === null || line.measure === undefined ? null : st.measures[line.measure];
  const cur = st.payee.currency;
  const disputes = h('div');
  disputePanel(st.payee.id, st.period.label, line).then((p) => disputes.append(p), () => {});
  return h('section.card.drill', { id: 'drill', 'data-line': line.key },
    h('div.drill-head', h('h2.card-title', line.name), h('div.drill-amount', money(line.paid, cur), h('span.muted.small', ' paid'))),
    h('p.explain', line.explain || ''),
    h('dl.facts',
      h('dt', 'Plan'), h('dd', `${line.plan || '–'}${line.plan_version ? ' v' + line.plan_version : ''}`),
      h('dt', 'Earned'), h('dd', money(line.earned, line.currency), line.earned_to_date && line.earned_to_date !== line.earned ? h('span.muted', ` (window to date ${money(line.earned_to_date, line.currency)})`) : null),
      line.fx_rate && num(line.fx_rate) !== 1 ? [h('dt', 'Converted'), h('dd', `${money(line.earned_converted, cur)} at ${line.fx_rate}`)] : null,
      h('dt', 'Rounding'), h('dd', line.rounding || '0'),
      line.adjusts ? [h('dt', 'Adjusts'), h('dd', JSON.stringify(line.adjusts))] : null),
    disputes,
    measureDetail(measure));
}

async function statementPage({ payee, month }) {
  const latest = await latestMonth();
  const hrefFor = (m) => `/statement/${enc(payee)}/${m}`;
  let st;
  try { st = await get(`/statements/${enc(payee)}/${month}`); } catch (e) {
    if (e instanceof ApiError && e.status === 404) return h('div', pageHeader('Statement', payee, monthSwitcher(month, hrefFor, latest)), noRunYet(month));
    if (e instanceof ApiError && e.status === 403) e.title = 'Not yours to see.';
    throw e;
  }
  const cur = st.payee.currency;
  const drill = h('div.drill-holder');
  const own = payee === session.user.person;
  function open(key) {
    const line = st.lines.find((l) => l.key === key);
    clear(drill);
    document.querySelectorAll('table.lines tr.selected').forEach((tr) => tr.classList.remove('selected'));
    if (!line) { setQuery({ line: null }); return; }
    setQuery({ line: key });
    drill.append(lineDetail(st, line));
    const tr = document.querySelector(`table.lines tr[data-key="${CSS.escape(key)}"]`);
    if (tr) tr.classList.add('selected');
    drill.scrollIntoView({ behavior: 'auto', block: 'start' });
  }
  const linesTable = dataTable([
    { key: 'name', label: 'Line', render: (l) => h('span', h('span.linkish', l.name), l.gated ? badge('gate not met', 'warn') : null, l.capped ? badge('capped', 'warn') : null, l.kind !== 'component' ? badge(l.kind, 'neutral') : null) },
    { key: 'plan', label: 'Plan', render: (l) => l.plan || '–' },
    { key: 'earned', label: 'Earned', align: 'right', value: (l) => num(l.earned), render: (l) => money(l.earned, l.currency, { digits: 2 }) + (l.currency !== cur ? ` ${l.currency}` : '') },
    { key: 'rounding', label: 'Rounding', align: 'right', value: (l) => num(l.rounding), render: (l) => (num(l.rounding) === 0 ? '–' : l.rounding) },
    { key: 'paid', label: 'Paid', align: 'right', value: (l) => num(l.paid), render: (l) => money(l.paid, cur) },
  ], st.lines, { filter: false, tableClass: 'lines', rowKey: (l) => l.key, onRowClick: (l) => open(l.key), footer: { name: 'Total this month', earned: money(st.totals.earned, cur), paid: money(st.totals.paid, cur) } });

  const measures = dataTable([
    { key: 'name', label: 'Measure' },
    { key: 'window_label', label: 'Window' },
    { key: 'month_value', label: 'This month', align: 'right', value: (m) => num(m.month_value), render: (m) => measureValue(m.month_value, m.unit) },
    { key: 'value', label: 'To date', align: 'right', value: (m) => num(m.value), render: (m) => measureValue(m.value, m.unit) },
    { key: 'quota', label: 'Quota', align: 'right', value: (m) => (m.quota === null ? null : num(m.quota)), render: (m) => (m.quota === null ? '–' : measureValue(m.quota, m.unit)) },
    { key: 'attainment', label: 'Attainment', value: (m) => (m.attainment === null ? -1 : num(m.attainment)), render: (m) => attainmentBar(m.attainment), width: '200px' },
    { key: 'credit_count', label: 'Credits', align: 'right' },
  ], st.measures, { filter: false });

  const draw = st.draw ? card('Draw', h('dl.facts',
    h('dt', 'Recoverable'), h('dd', st.draw.recoverable ? 'yes' : 'no'),
    ...Object.entries(st.draw).filter(([k]) => k !== 'recoverable' && !k.endsWith('currency')).map(([k, v]) => [h('dt', k.replace(/_/g, ' ')), h('dd', typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v) ? money(v, st.draw.guarantee_currency || cur) : String(v))]))) : null;
  const adjustments = st.adjustments && st.adjustments.length ? card('Prior-period adjustments', dataTable([
    { key: 'month', label: 'Corrects' },
    { key: 'line', label: 'Line', render: (a) => a.name || a.line || a.key || '–' },
    { key: 'amount', label: 'Amount', align: 'right', value: (a) => num(a.amount), render: (a) => money(a.amount, cur) },
    { key: 'explain', label: 'Why', render: (a) => a.explain || a.reason || '' },
  ], st.adjustments, { filter: false })) : null;

  const page = h('div',
    pageHeader(own ? 'My statement' : `Statement · ${st.payee.name}`, `${st.payee.name} (${st.payee.id}) · ${periodName(st.period)} · ${st.company}`,
      monthSwitcher(month, hrefFor, latest),
      h('a.btn', { href: `/api/v1/statements/${enc(payee)}/${month}?format=pdf`, download: `statement-${payee}-${month}.pdf` }, 'PDF')),
    h('div.kpis',
      kpi('Paid this month', money(st.totals.paid, cur), `earned ${money(st.totals.earned, cur)}`),
      kpi('Paid year to date', money(st.totals.paid_ytd, cur), `earned ${money(st.totals.earned_ytd, cur)}`),
      kpi('Plans', st.plans.map((p) => `${p.name} v${p.version}`).join(', ') || '–', st.plans[0] ? `${day(st.plans[0].start)} – ${day(st.plans[0].end)}` : '')),
    card('Earnings this month', h('p.muted.small', 'Click a line to see how it was calculated, its credits and the deals behind them.'), linesTable),
    drill,
    adjustments,
    card('Measures', measures),
    draw);
  const want = query().line;
  if (want) requestAnimationFrame(() => open(want));
  return page;
}

route('/statement/:payee/:month', { title: 'Statement', render: statementPage });
route('/statement', {
  title: 'Statement', roles: ['rep', 'manager'],
  render: async () => {
    const m = await latestMonth();
    if (!m) return noRunYet(null);
    return statementPage({ payee: session.user.person, month: m });
  },
});
