// estimate.js - the earnings estimator: "what does this deal pay me?" A deal's amount,
// currency, product and date go to POST /api/v1/estimate (nothing is stored); the answer is
// what it pays this month and later, each line and measure before and after, and what it
// crosses (a tier, a curve point, a gate, a cap), in words.
import { h, card, pageHeader, kpi, clear, errorBox } from '../ui/dom.js';
import { get, post, enc } from '../api.js';
import { money, num, pct, measureValue, day } from '../format.js';
import { dataTable } from '../ui/table.js';
import { route, query, setQuery } from '../router.js';
import { session, latestMonth } from '../session.js';

function delta(before, after, fmt) {
  const d = num(after) - num(before);
  return h('span', fmt(after), d !== 0 ? h(`span.delta.${d > 0 ? 'up' : 'down'}`, ` ${d > 0 ? '+' : '−'}${fmt(Math.abs(d))}`) : null);
}

function result(r) {
  const cur = r.currency;
  const more = num(r.paid_month) + num(r.paid_later);
  return h('div.estimate-result', { 'data-testid': 'estimate-result' },
    h('div.kpis',
      kpi(`Pays more in ${r.deal.period}`, money(r.paid_month, cur), `earned ${money(r.earned_month, cur)} more`, more > 0 ? 'good' : ''),
      kpi('Pays more later this year', money(r.paid_later, cur), 'a quarterly plan pays at quarter end'),
      kpi('The deal', money(r.deal.amount, r.deal.currency), `${r.deal.product || 'no product'} · ${day(r.deal.date)}`)),
    card('What it means', h('p.explain.big', r.explain),
      r.crossings.length ? h('ul.crossings', r.crossings.map((c) => h('li', h('span.badge.badge-info', c.kind), ' ', c.text))) : null),
    card('Lines, before and after', dataTable([
      { key: 'name', label: 'Line' },
      { key: 'earned_after', label: 'Earned this month', align: 'right', value: (l) => num(l.earned_after), render: (l) => delta(l.earned_before, l.earned_after, (v) => money(v, l.currency)) },
      { key: 'paid_after', label: 'Paid this month', align: 'right', value: (l) => num(l.paid_after), render: (l) => delta(l.paid_before, l.paid_after, (v) => money(v, cur)) },
      { key: 'paid_later', label: 'Paid later', align: 'right', value: (l) => num(l.paid_later), render: (l) => money(l.paid_later, cur) },
    ], r.lines, { filter: false })),
    card('Measures, before and after', dataTable([
      { key: 'name', label: 'Measure' },
      { key: 'window_label', label: 'Window' },
      { key: 'value_after', label: 'Value', align: 'right', value: (m) => num(m.value_after), render: (m) => delta(m.value_before, m.value_after, (v) => measureValue(v, m.unit)) },
      { key: 'attainment_after', label: 'Attainment', align: 'right', value: (m) => num(m.attainment_after), render: (m) => (m.attainment_after === null ? '–' : h('span', pct(m.attainment_before), ' → ', h('strong', pct(m.attainment_after)))) },
    ], r.measures, { filter: false })));
}

async function estimatorPage() {
  const role = session.user.role;
  const q = query();
  let people = [];
  if (role !== 'rep') {
    const list = await get('/people?limit=1000');
    people = list.items;
  }
  const payee = q.payee || session.user.person || people[0]?.id || '';
  // products seen in the payee's latest statement, as suggestions
  const products = new Set();
  let currency = session.person?.pay_currency || 'USD';
  const latest = await latestMonth().catch(() => null);
  if (latest && payee) {
    try {
      const st = await get(`/statements/${enc(payee)}/${latest}`);
      currency = st.payee.currency;
      for (const m of st.measures) for (const c of m.credits || []) if (c.product) products.add(c.product);
    } catch { /* no statement: no suggestions */ }
  }
  const out = h('div.estimate-out');
  const f = {
    payee: role === 'rep' ? null : h('select', { id: 'payee', name: 'payee' }, people.map((p) => h('option', { value: p.id, selected: p.id === payee }, `${p.name} (${p.id})`))),
    amount: h('input', { id: 'amount', name: 'amount', inputMode: 'decimal', placeholder: '50000', required: true, value: q.amount || '' }),
    currency: h('input', { id: 'currency', name: 'currency', maxLength: 3, value: q.currency || currency, size: 4 }),
    product: h('input', { id: 'product', name: 'product', list: 'products', placeholder: 'e.g. ' + ([...products][0] || 'PLT-ENT'), value: q.product || '' }),
    date: h('input', { id: 'date', name: 'date', type: 'date', value: q.date || '' }),
  };
  const button = h('button.btn.btn-primary', { type: 'submit' }, 'Estimate');
  async function run() {
    const body = { payee: f.payee ? f.payee.value : payee, amount: f.amount.value.replace(/[, ]/g, '') };
    if (f.currency.value) body.currency = f.currency.value.toUpperCase();
    if (f.product.value) body.product = f.product.value.trim();
    if (f.date.value) body.date = f.date.value;
    setQuery({ payee: f.payee ? body.payee : null, amount: body.amount, currency: body.currency, product: body.product, date: body.date });
    button.disabled = true;
    clear(out).append(h('div.loading', h('span.spin'), 'Calculating the plan twice, without and with the deal…'));
    try {
      clear(out).append(result(await post('/estimate', body)));
    } catch (e) {
      clear(out).append(errorBox({ title: 'Cannot estimate:', message: e.message, hint: e.hint }));
    } finally { button.disabled = false; }
  }
  const form = h('form.form-row', { onsubmit: (e) => { e.preventDefault(); run(); } },
    f.payee ? h('div.field', h('label', { for: 'payee' }, 'Payee'), f.payee) : null,
    h('div.field', h('label', { for: 'amount' }, 'Deal amount'), f.amount),
    h('div.field.narrow', h('label', { for: 'currency' }, 'Currency'), f.currency),
    h('div.field', h('label', { for: 'product' }, 'Product'), f.product, h('datalist', { id: 'products' }, [...products].sort().map((p) => h('option', { value: p })))),
    h('div.field', h('label', { for: 'date' }, 'Close date'), f.date),
    h('div.field.submit', button));
  if (q.amount) requestAnimationFrame(run);
  return h('div',
    pageHeader('Earnings estimator', 'What does this deal pay me? Nothing is stored: the plan is calculated twice, without and with the deal.'),
    card(null, form, h('p.muted.small', 'Leave the date empty for today. Bookings measures count deal products: name the product the deal sells.')),
    out);
}

route('/estimate', { title: 'Estimator', render: estimatorPage });
