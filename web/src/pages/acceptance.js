// acceptance.js - plan and quota acceptance: the payee accepts their terms for the fiscal
// year (recorded with time, user and the terms' SHA-256) or asks for a change instead (an
// outlier deal, a quota, a territory); sales ops sees who has accepted (the distribution) and
// resolves change requests.
import { h, card, pageHeader, badge, clear, errorBox, notice, kpi } from '../ui/dom.js';
import { get, post, enc, qs } from '../api.js';
import { moment } from '../format.js';
import { dataTable } from '../ui/table.js';
import { route, query, navigate } from '../router.js';
import { session, latestMonth } from '../session.js';

const tone = { accepted: 'good', pending: 'warn', changed: 'warn', change_requested: 'info', nothing: 'neutral', open: 'warn', granted: 'good', declined: 'neutral' };
const said = (s) => s.replace(/_/g, ' ');

/* The My plan page's card: the terms' status, Accept, or ask for a change. */
export async function acceptanceCard(payee, period) {
  const a = await get(`/acceptances/${enc(payee)}/${enc(period)}`);
  const out = h('div');
  const own = payee === session.user.person;
  const accept = own && ['pending', 'changed'].includes(a.status) ? h('button.btn.btn-primary', {
    type: 'button', id: 'accept',
    onclick: async () => {
      try { await post('/acceptances', { period }); navigate(location.pathname + location.search); } catch (err) { clear(out).append(errorBox(err)); }
    },
  }, `Accept my ${period} plan and quotas`) : null;
  const kind = h('select', { id: 'cr-kind' }, ['deal', 'quota', 'territory', 'plan', 'other'].map((k) => h('option', { value: k }, k)));
  const text = h('input', { id: 'cr-text', placeholder: 'e.g. the Acme renewal is an outlier: exclude it', required: true });
  const amount = h('input', { id: 'cr-amount', inputMode: 'decimal', placeholder: 'optional' });
  const request = own && a.status !== 'nothing' ? h('form.form-row', {
    onsubmit: async (e) => {
      e.preventDefault();
      try {
        await post('/change-requests', { payee, period, kind: kind.value, text: text.value.trim(), ...(amount.value.trim() ? { amount: amount.value.trim().replace(/,/g, '') } : {}) });
        navigate(location.pathname + location.search);
      } catch (err) { clear(out).append(errorBox({ title: 'Cannot ask:', message: err.message, hint: err.hint })); }
    },
  }, h('div.field', h('label', { for: 'cr-kind' }, 'Ask for a change'), kind), h('div.field.grow', h('label', { for: 'cr-text' }, 'What and why'), text),
  h('div.field', h('label', { for: 'cr-amount' }, 'Amount'), amount), h('div.field.submit', h('button.btn', { type: 'submit' }, 'Send the request'))) : null;
  const requests = (await get('/change-requests' + qs({ payee, period }))).items;
  return card(`Acceptance · fiscal ${period}`,
    h('p', 'Status: ', badge(said(a.status), tone[a.status] || 'neutral'),
      a.accepted ? h('span.muted', ` by ${a.accepted.by}, ${moment(a.accepted.at)}`) : null),
    h('div.actions', accept), request, out,
    requests.length ? h('div', h('h3', 'Change requests'), h('ul.dispute-list', requests.map((r) => h('li', badge(r.status, tone[r.status] || 'neutral'), ' ', `${r.kind}: ${r.text}`, r.answer ? h('div.small.muted', `Answer: ${r.answer}`) : null)))) : null);
}

async function distributionPage() {
  const latest = await latestMonth();
  const period = query().period || (latest ? latest.slice(0, 4) : String(new Date().getUTCFullYear()));
  const [d, crs] = await Promise.all([get(`/distribution/${enc(period)}`), get('/change-requests' + qs({ period, status: 'open', limit: 1000 })).catch(() => ({ items: [] }))]);
  const out = h('div');
  const canResolve = ['admin', 'sales_ops'].includes(session.user.role);
  const isManager = session.user.role === 'manager';
  /* a manager decides the quota and territory requests of their team, not their own */
  const managerDecides = (r) => isManager && ['quota', 'territory'].includes(r.kind) && r.payee !== session.user.person && r.raised_by !== `api:${session.user.login}`;
  const decide = (r, decision) => async () => {
    const answer = document.getElementById(`answer-${r.id}`)?.value.trim();
    if (!answer) { clear(out).append(errorBox({ title: 'An answer is needed:', message: 'say what was decided and why' })); return; }
    try {
      await post(`/change-requests/${enc(r.payee)}/${r.id}/decision`, { decision, answer });
      clear(out).append(notice('success', `Request #${r.id} of ${r.payee_name} is ${decision === 'approve' ? 'approved: sales ops applies the change' : 'rejected'}.`));
      setTimeout(() => navigate(location.pathname + location.search), 900);
    } catch (err) { clear(out).append(errorBox({ title: 'Cannot decide:', message: err.message, hint: err.hint })); }
  };
  const actions = (r) => {
    if (canResolve) return h('div.decide', h('input', { id: `answer-${r.id}`, placeholder: 'answer', 'aria-label': 'answer' }),
      h('button.btn.btn-primary', { type: 'button', onclick: resolve(r, 'granted') }, 'Grant'), h('button.btn', { type: 'button', onclick: resolve(r, 'declined') }, 'Decline'));
    if (managerDecides(r)) return h('div.decide', h('input', { id: `answer-${r.id}`, placeholder: 'answer', 'aria-label': 'answer' }),
      h('button.btn.btn-primary', { type: 'button', id: `approve-${r.id}`, onclick: decide(r, 'approve') }, 'Approve'), h('button.btn', { type: 'button', id: `reject-${r.id}`, onclick: decide(r, 'reject') }, 'Reject'));
    if (isManager) return h('span.muted.small', ['quota', 'territory'].includes(r.kind) ? 'yours: your manager or sales ops decides' : 'sales ops resolves it');
    return '';
  };
  const resolve = (r, outcome) => async () => {
    const answer = document.getElementById(`answer-${r.id}`)?.value.trim();
    if (!answer) { clear(out).append(errorBox({ title: 'An answer is needed:', message: 'say what was decided' })); return; }
    try { await post(`/change-requests/${enc(r.payee)}/${r.id}/resolve`, { outcome, answer }); navigate(location.pathname + location.search); } catch (err) { clear(out).append(errorBox(err)); }
  };
  return h('div',
    pageHeader('Plan acceptance', `Who has accepted their plan and quotas for fiscal ${period}.${isManager ? ' You approve or reject the quota and territory requests of your team.' : ''}`,
      h('label.inline-form', 'Period ', h('input', { value: period, size: 8, onchange: (e) => navigate(`/distribution?period=${e.target.value}`) }))),
    h('div.kpis', Object.entries(d.counts).map(([k, v]) => kpi(said(k), String(v), `of ${d.items.length}`, k === 'accepted' ? 'good' : ''))),
    out,
    crs.items.length ? card(`Open change requests (${crs.items.length})`, dataTable([
      { key: 'payee_name', label: 'Payee', render: (r) => h('div', r.payee_name, h('div.muted.small', r.payee)) },
      { key: 'kind', label: 'Kind' },
      { key: 'text', label: 'Request' },
      { key: 'raised_at', label: 'Raised', class: 'nowrap', render: (r) => moment(r.raised_at) },
      { key: 'resolve', label: '', render: actions },
    ], crs.items, { filter: false })) : null,
    card(null, dataTable([
      { key: 'name', label: 'Name', render: (i) => h('div', i.name, h('div.muted.small', i.payee)), text: (i) => `${i.name} ${i.payee}` },
      { key: 'plans', label: 'Plans', render: (i) => i.plans.join(', ') },
      { key: 'status', label: 'Status', render: (i) => badge(said(i.status), tone[i.status] || 'neutral') },
      { key: 'accepted_at', label: 'Accepted', class: 'nowrap', render: (i) => (i.accepted_at ? h('div', moment(i.accepted_at), h('div.muted.small', i.accepted_by)) : '–') },
      { key: 'open_requests', label: 'Open requests', align: 'right' },
    ], d.items, { sort: 'status', placeholder: 'Filter by name, plan or status…' })));
}

route('/distribution', { title: 'Plan acceptance', roles: ['admin', 'sales_ops', 'finance', 'manager', 'executive'], render: distributionPage });
