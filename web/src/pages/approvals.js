// approvals.js - what waits for finance (adjustments above the threshold, plan versions
// submitted through the API) with approve and reject; whoever made an item cannot decide it
// (segregation of duties, enforced by the API and shown here). The approval threshold, and
// manual adjustments: the list, and a form to make one.
import { h, card, pageHeader, badge, clear, errorBox, notice } from '../ui/dom.js';
import { get, post, put } from '../api.js';
import { moment, money } from '../format.js';
import { dataTable } from '../ui/table.js';
import { route, navigate } from '../router.js';
import { session } from '../session.js';

async function approvalsPage() {
  const role = session.user.role;
  const decides = role === 'finance';
  const a = await get('/approvals');
  const out = h('div');
  function decide(item, decision) {
    return async () => {
      const note = document.getElementById(`note-${item.kind}-${item.id}`)?.value.trim();
      const path = item.kind === 'adjustment' ? `/adjustments/${item.id}/decision` : `/plan-changes/${item.id}/decision`;
      try {
        await post(path, { decision, ...(note ? { note } : {}) });
        navigate('/approvals');
      } catch (err) { clear(out).append(errorBox({ title: 'Cannot decide:', message: err.message, hint: err.hint })); }
    };
  }
  const threshold = ['admin', 'finance'].includes(role) ? (() => {
    const v = h('input', { id: 'threshold', inputMode: 'decimal', value: a.threshold ?? '', placeholder: 'none: every adjustment' });
    const why = h('input', { id: 'threshold-reason', placeholder: 'why' });
    return h('form.form-row', {
      onsubmit: async (e) => {
        e.preventDefault();
        try { await put('/approval-settings', { approval_threshold: v.value.trim() || null, reason: why.value.trim() || undefined }); navigate('/approvals'); } catch (err) { clear(out).append(errorBox(err)); }
      },
    }, h('div.field', h('label', { for: 'threshold' }, 'Approval threshold'), v), h('div.field.grow', h('label', { for: 'threshold-reason' }, 'Reason'), why), h('div.field.submit', h('button.btn', { type: 'submit' }, 'Set')));
  })() : null;
  return h('div',
    pageHeader('Approvals', `Adjustments above ${a.threshold ? a.threshold : 'the threshold (none is set: every adjustment)'} and plan versions wait here for finance. Whoever made an item cannot decide it.`),
    out,
    card(`Waiting (${a.items.length})`, dataTable([
      { key: 'kind', label: 'Kind', render: (i) => badge(i.kind === 'adjustment' ? 'adjustment' : 'plan change', i.kind === 'adjustment' ? 'info' : 'neutral') },
      { key: 'summary', label: 'What' },
      { key: 'made_by', label: 'Made by', class: 'nowrap', render: (i) => h('div', i.made_by, h('div.muted.small', moment(i.made_at))) },
      { key: 'decide', label: decides ? 'Decision' : '', render: (i) => (decides ? (i.yours ? h('span.muted.small', 'you made it: someone else decides') : h('div.decide',
        h('input', { id: `note-${i.kind}-${i.id}`, placeholder: 'note (optional)', 'aria-label': 'note' }),
        h('button.btn.btn-primary', { type: 'button', onclick: decide(i, 'approve') }, 'Approve'),
        h('button.btn', { type: 'button', onclick: decide(i, 'reject') }, 'Reject'))) : '') },
    ], a.items, { filter: false, empty: 'Nothing waits for approval.' })),
    threshold ? card('Threshold', threshold) : null);
}

async function adjustmentsPage() {
  const role = session.user.role;
  const items = (await get('/adjustments?limit=1000')).items;
  const out = h('div');
  const f = {
    payee: h('input', { id: 'adj-payee', placeholder: 'P000123', required: true }),
    month: h('input', { id: 'adj-month', placeholder: '2026-12', required: true, size: 8 }),
    amount: h('input', { id: 'adj-amount', inputMode: 'decimal', placeholder: '250.00', required: true }),
    reason: h('input', { id: 'adj-reason', placeholder: 'why', required: true }),
  };
  const form = ['admin', 'sales_ops', 'finance'].includes(role) ? h('form.form-row', {
    onsubmit: async (e) => {
      e.preventDefault();
      try {
        const r = await post('/adjustments', { payee: f.payee.value.trim(), month: f.month.value.trim(), amount: f.amount.value.trim().replace(/,/g, ''), reason: f.reason.value.trim() });
        clear(out).append(notice('success', `Adjustment #${r.id} is ${r.status}${r.needs_approval ? ': finance approves it before it is paid' : ''}.`));
        setTimeout(() => navigate('/adjustments'), 900);
      } catch (err) { clear(out).append(errorBox({ title: 'Cannot make it:', message: err.message, hint: err.hint })); }
    },
  }, Object.entries(f).map(([k, el]) => h(`div.field${k === 'reason' ? '.grow' : ''}`, h('label', { for: el.id }, k[0].toUpperCase() + k.slice(1)), el)),
  h('div.field.submit', h('button.btn.btn-primary', { type: 'submit' }, 'Make the adjustment'))) : null;
  const tone = { approved: 'good', pending: 'warn', rejected: 'bad' };
  return h('div',
    pageHeader('Adjustments', 'Manual amounts paid outside any plan; an approved one is a line of its month’s statement at the next run.'),
    form ? card('New adjustment', form, out) : null,
    card(null, dataTable([
      { key: 'id', label: '#', align: 'right' },
      { key: 'payee_name', label: 'Payee', render: (r) => h('div', r.payee_name, h('div.muted.small', r.payee)) },
      { key: 'month', label: 'Month' },
      { key: 'amount', label: 'Amount', align: 'right', value: (r) => Number(r.amount), render: (r) => money(r.amount, r.currency) },
      { key: 'reason', label: 'Reason' },
      { key: 'status', label: 'Status', render: (r) => badge(r.status, tone[r.status] || 'neutral') },
      { key: 'created_at', label: 'Made', class: 'nowrap', render: (r) => h('div', moment(r.created_at), h('div.muted.small', r.created_by)) },
      { key: 'decided_at', label: 'Decided', class: 'nowrap', render: (r) => (r.decided_at ? h('div', moment(r.decided_at), h('div.muted.small', r.decided_by + (r.note ? ': ' + r.note : ''))) : '–') },
    ], items, { sort: 'id', sortDir: -1, placeholder: 'Filter adjustments…', empty: 'No adjustments.' })));
}

route('/approvals', { title: 'Approvals', roles: ['admin', 'sales_ops', 'finance', 'executive'], render: approvalsPage });
route('/adjustments', { title: 'Adjustments', render: adjustmentsPage });
