// audit.js - the audit log: who changed what, when and why (imports, runs, closed months,
// log-ins, every change through the API), filtered by entity, key, actor, action and time,
// newest first, a page at a time.
import { h, card, pageHeader, badge } from '../ui/dom.js';
import { get, qs } from '../api.js';
import { moment } from '../format.js';
import { dataTable } from '../ui/table.js';
import { route, query, navigate } from '../router.js';

const actions = ['', 'api', 'login', 'login_failed', 'logout', 'import', 'insert', 'update', 'delete', 'migrate', 'init'];
const FIELDS = ['action', 'actor', 'entity', 'key', 'from', 'to'];

function summary(v) {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return s.length > 140 ? s.slice(0, 140) + '…' : s;
}

async function auditPage() {
  const q = query();
  const params = {};
  for (const f of FIELDS) if (q[f]) params[f] = f === 'from' || f === 'to' ? (q[f].length === 10 ? q[f] + (f === 'from' ? 'T00:00:00Z' : 'T23:59:59Z') : q[f]) : q[f];
  // oldest first from the API: read pages up to a bound, show newest first
  const items = [];
  let next = null;
  let more = false;
  do {
    const page = await get('/audit' + qs({ ...params, limit: 1000, after: next }));
    items.push(...page.items);
    next = page.next;
    if (items.length >= 5000 && next) { more = true; break; }
  } while (next);
  items.reverse();
  const inputs = {
    action: h('select', { id: 'f-action', name: 'action' }, actions.map((a) => h('option', { value: a, selected: a === (q.action || '') }, a || 'any action'))),
    actor: h('input', { id: 'f-actor', name: 'actor', placeholder: 'api:fin, import…', value: q.actor || '' }),
    entity: h('input', { id: 'f-entity', name: 'entity', placeholder: 'people, users…', value: q.entity || '' }),
    key: h('input', { id: 'f-key', name: 'key', placeholder: 'P000123, POST /api/v1/runs…', value: q.key || '' }),
    from: h('input', { id: 'f-from', name: 'from', type: 'date', value: (q.from || '').slice(0, 10) }),
    to: h('input', { id: 'f-to', name: 'to', type: 'date', value: (q.to || '').slice(0, 10) }),
  };
  const form = h('form.form-row.filters', {
    onsubmit: (e) => {
      e.preventDefault();
      const p = {};
      for (const f of FIELDS) if (inputs[f].value.trim()) p[f] = inputs[f].value.trim();
      navigate('/audit' + qs(p));
    },
  },
  FIELDS.map((f) => h('div.field', h('label', { for: inputs[f].id }, f[0].toUpperCase() + f.slice(1)), inputs[f])),
  h('div.field.submit', h('button.btn.btn-primary', { type: 'submit' }, 'Apply'), ' ', h('a.btn.btn-ghost', { href: '/audit', 'data-route': '' }, 'Clear')));
  const tone = (a) => ({ login_failed: 'bad', api: 'info', import: 'good', login: 'neutral', logout: 'neutral' }[a] || 'neutral');
  return h('div',
    pageHeader('Audit log', 'Every change: who, when, what and why. Newest first.'),
    card('Filters', form),
    card(null, more ? h('p.muted.small', 'The newest 5,000 of more: narrow the filters to see the rest.') : null,
      dataTable([
        { key: 'at', label: 'When', class: 'nowrap', render: (r) => moment(r.at) },
        { key: 'actor', label: 'Who' },
        { key: 'action', label: 'Action', render: (r) => badge(r.action, tone(r.action)) },
        { key: 'entity', label: 'What', render: (r) => h('div', r.entity || '', r.key ? h('div.small', h('code', r.key)) : null), text: (r) => `${r.entity} ${r.key}` },
        { key: 'change', label: 'Change', value: (r) => summary(r.after), text: (r) => `${summary(r.before)} ${summary(r.after)}`, render: (r) => h('div.small.change', r.before ? h('div.muted', '− ' + summary(r.before)) : null, r.after ? h('div', '+ ' + summary(r.after)) : null) },
        { key: 'reason', label: 'Why', render: (r) => r.reason || h('span.muted', '–') },
      ], items, { placeholder: 'Filter these rows…', pageSize: 50, empty: 'No audit rows match.' })));
}

route('/audit', { title: 'Audit log', roles: ['admin', 'sales_ops', 'finance'], render: auditPage });
