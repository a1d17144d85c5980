// disputes.js - disputes on statement lines and what follows them: a rep (or their manager)
// raises one on a line with a comment; sales ops sees the queue, answers, and resolves it with
// or without an adjustment; the payee sees the answer and the outcome. Also the panel the
// statement's drill-down shows for a line (raise, or the line's disputes so far).
import { h, card, pageHeader, badge, clear, errorBox, notice, link } from '../ui/dom.js';
import { get, post, enc, qs } from '../api.js';
import { moment, money } from '../format.js';
import { dataTable } from '../ui/table.js';
import { route, query, navigate } from '../router.js';
import { session } from '../session.js';

const RAISE = ['admin', 'sales_ops', 'manager', 'rep'];
const RESOLVE = ['admin', 'sales_ops'];
const statusTone = { open: 'warn', answered: 'info', resolved: 'good' };

export function statusBadge(d) {
  return h('span', badge(d.status, statusTone[d.status] || 'neutral'), d.outcome ? badge(d.outcome === 'adjusted' ? 'adjusted' : 'no change', d.outcome === 'adjusted' ? 'good' : 'neutral') : null);
}

/* For the statement's drill-down: the line's disputes, and a form to raise one. */
export async function disputePanel(payee, month, line) {
  const box = h('div.dispute-panel', h('h3', 'Disputes on this line'));
  let list = [];
  try { list = (await get('/disputes' + qs({ payee, month, limit: 100 }))).items.filter((d) => d.line_key === line.key); } catch { list = []; }
  if (list.length) {
    box.append(h('ul.dispute-list', list.map((d) => h('li', link(`/disputes/${enc(d.payee)}/${d.id}`, `#${d.id}`), ' ', statusBadge(d), ' ', h('span', d.comment),
      d.resolution ? h('div.small.muted', `Outcome: ${d.resolution}`) : null))));
  } else box.append(h('p.muted.small', 'None.'));
  const open = list.some((d) => d.status !== 'resolved');
  if (RAISE.includes(session.user.role) && !open) {
    const comment = h('textarea', { id: 'dispute-comment', rows: 2, placeholder: 'What is wrong with this line? e.g. the Acme deal is missing', required: true });
    const out = h('div');
    const button = h('button.btn.btn-primary', { type: 'submit' }, 'Raise a dispute');
    box.append(h('form.dispute-form', {
      onsubmit: async (e) => {
        e.preventDefault();
        button.disabled = true;
        try {
          const d = await post('/disputes', { payee, month, line_key: line.key, comment: comment.value.trim() });
          clear(out).append(notice('success', 'Dispute ', link(`/disputes/${enc(d.payee)}/${d.id}`, `#${d.id}`), ' is raised: sales operations will answer it.'));
          comment.value = '';
        } catch (err) {
          clear(out).append(errorBox({ title: 'Cannot raise it:', message: err.message, hint: err.hint }));
          button.disabled = false;
        }
      },
    }, h('label', { for: 'dispute-comment' }, 'Raise a dispute on this line'), comment, h('div', button), out));
  }
  return box;
}

async function disputesPage() {
  const q = query();
  const status = q.status ?? (RESOLVE.includes(session.user.role) ? 'open' : '');
  const items = (await get('/disputes' + qs({ status, limit: 1000 }))).items;
  const tabs = h('div.tabs', ['open', 'answered', 'resolved', ''].map((s) =>
    h(`a.tab${s === status ? '.active' : ''}`, { href: `/disputes?status=${s}`, 'data-route': '' }, s || 'all')));
  return h('div',
    pageHeader(RESOLVE.includes(session.user.role) ? 'Disputes queue' : 'My disputes',
      RESOLVE.includes(session.user.role) ? 'Answer each, then resolve it with or without an adjustment.' : 'Raise a dispute from a line of your statement; the answer and the outcome show here.'),
    tabs,
    card(null, dataTable([
      { key: 'id', label: '#', align: 'right', render: (d) => link(`/disputes/${enc(d.payee)}/${d.id}`, `#${d.id}`) },
      { key: 'payee_name', label: 'Payee', render: (d) => h('div', d.payee_name, h('div.muted.small', d.payee)) },
      { key: 'month', label: 'Month' },
      { key: 'line_key', label: 'Line' },
      { key: 'comment', label: 'Comment' },
      { key: 'status', label: 'Status', render: statusBadge },
      { key: 'raised_at', label: 'Raised', class: 'nowrap', render: (d) => h('div', moment(d.raised_at), h('div.muted.small', d.raised_by)) },
    ], items, { sort: 'id', sortDir: -1, placeholder: 'Filter disputes…', empty: 'No disputes here.', onRowClick: (d) => navigate(`/disputes/${enc(d.payee)}/${d.id}`) })));
}

async function disputePage({ payee, id }) {
  const d = await get(`/disputes/${enc(payee)}/${enc(id)}`);
  const role = session.user.role;
  const out = h('div');
  const again = () => navigate(location.pathname);
  const reply = d.status !== 'resolved' && [...RAISE].includes(role) ? (() => {
    const text = h('textarea', { id: 'reply', rows: 3, required: true, placeholder: RESOLVE.includes(role) ? 'Your answer to the payee' : 'Add to your dispute' });
    return h('form.dispute-form', {
      onsubmit: async (e) => {
        e.preventDefault();
        try { await post(`/disputes/${enc(payee)}/${d.id}/messages`, { text: text.value.trim() }); again(); } catch (err) { clear(out).append(errorBox(err)); }
      },
    }, h('label', { for: 'reply' }, RESOLVE.includes(role) ? 'Answer' : 'Reply'), text, h('div', h('button.btn', { type: 'submit' }, RESOLVE.includes(role) ? 'Send the answer' : 'Send')));
  })() : null;
  const resolve = d.status !== 'resolved' && RESOLVE.includes(role) ? (() => {
    const resolution = h('textarea', { id: 'resolution', rows: 2, required: true, placeholder: 'What the payee is told' });
    const amount = h('input', { id: 'adj-amount', inputMode: 'decimal', placeholder: 'none' });
    const month = h('input', { id: 'adj-month', placeholder: d.month, size: 8 });
    return card('Resolve', h('form', {
      onsubmit: async (e) => {
        e.preventDefault();
        const body = { resolution: resolution.value.trim() };
        if (amount.value.trim()) body.adjustment = { amount: amount.value.trim().replace(/,/g, ''), ...(month.value.trim() ? { month: month.value.trim() } : {}) };
        try { await post(`/disputes/${enc(payee)}/${d.id}/resolve`, body); again(); } catch (err) { clear(out).append(errorBox({ title: 'Cannot resolve:', message: err.message, hint: err.hint })); }
      },
    },
    h('div.field', h('label', { for: 'resolution' }, 'Resolution'), resolution),
    h('div.form-row', h('div.field', h('label', { for: 'adj-amount' }, 'Adjustment (optional, in the payee’s currency)'), amount),
      h('div.field', h('label', { for: 'adj-month' }, 'Paid in month'), month),
      h('div.field.submit', h('button.btn.btn-primary', { type: 'submit' }, 'Resolve the dispute'))),
    h('p.muted.small', 'An adjustment above the approval threshold waits for finance’s approval before it is paid.')));
  })() : null;
  return h('div',
    pageHeader(`Dispute #${d.id}`, `${d.payee_name} (${d.payee}) · fiscal ${d.month} · ${d.line_key}`, statusBadge(d),
      link(`/statement/${enc(d.payee)}/${d.month}?line=${enc(d.line_key)}`, 'The statement line')),
    d.status === 'resolved' ? notice('success', h('strong', 'Resolved: '), d.resolution || '', d.adjustment ? h('div', `Adjustment #${d.adjustment.id}: ${money(d.adjustment.amount, d.adjustment.currency)} in ${d.adjustment.month} (${d.adjustment.status})`) : null,
      h('div.small', `${moment(d.resolved_at)} by ${d.resolved_by}`)) : null,
    card('Conversation', h('div.thread',
      h('div.msg.payee', h('div.msg-head', `${d.raised_by} · ${moment(d.raised_at)}`), h('div', d.comment)),
      (d.messages || []).map((m) => h(`div.msg.${m.side === 'ops' ? 'ops' : 'payee'}`, h('div.msg-head', `${m.author} · ${moment(m.at)}`), h('div', m.text)))),
    reply, out),
    resolve);
}

route('/disputes', { title: 'Disputes', render: disputesPage });
route('/disputes/:payee/:id', { title: 'Dispute', render: disputePage });
