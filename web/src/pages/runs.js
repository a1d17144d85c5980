// runs.js - calculation runs: start one (period, payees, incremental, reason) and watch its
// job to the end (the run's report and the problems the data has, as attain calc prints
// them), the runs so far with their counts and timings, and one run's detail.
import { h, card, pageHeader, link, badge, clear, errorBox, notice, kpi } from '../ui/dom.js';
import { get, post, enc } from '../api.js';
import { moment, int, seconds, num } from '../format.js';
import { dataTable } from '../ui/table.js';
import { progress } from '../ui/progress.js';
import { route, navigate } from '../router.js';
import { session, forgetLatest } from '../session.js';

const statusTone = { done: 'good', running: 'info', failed: 'bad' };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function runsTable(items) {
  return dataTable([
    { key: 'id', label: 'Run', align: 'right', render: (r) => link(`/runs/${r.id}`, `#${r.id}`) },
    { key: 'period', label: 'Period', render: (r) => h('div', r.period, h('div.muted.small', `${r.first_month} → ${r.last_month}`)) },
    { key: 'status', label: 'Status', render: (r) => badge(r.status, statusTone[r.status] || 'neutral') },
    { key: 'payees', label: 'Who', render: (r) => (r.payees ? `${r.payees.length} payees` : 'everyone') },
    { key: 'people', label: 'People', align: 'right', render: (r) => int(r.people) },
    { key: 'credits', label: 'Credits', align: 'right', render: (r) => int(r.credits) },
    { key: 'started_at', label: 'Started', class: 'nowrap', render: (r) => h('div', moment(r.started_at), h('div.muted.small', r.actor)) },
    { key: 'secs', label: 'Took', align: 'right', value: (r) => Object.values(r.seconds || {}).reduce((a, b) => a + num(b), 0), render: (r) => seconds(Object.values(r.seconds || {}).reduce((a, b) => a + num(b), 0)) },
    { key: 'reason', label: 'Reason', render: (r) => r.reason || h('span.muted', '–') },
  ], items, { sort: 'id', sortDir: -1, placeholder: 'Filter runs…', onRowClick: (r) => navigate(`/runs/${r.id}`) });
}

function problemsList(job) {
  if (!job.problems_total) return null;
  return h('details.problems', { open: job.problems_total <= 5 },
    h('summary', `${int(job.problems_total)} problems in the data`, job.problems.length < job.problems_total ? ` (the first ${job.problems.length} shown)` : '', ': the lines they touch pay 0 and say why'),
    h('pre.cli', job.problems.join('')));
}

function jobReport(job) {
  const r = job.report || {};
  return h('div', { 'data-testid': 'job-report' },
    h('div.kpis',
      kpi('Run', job.run ? `#${job.run}` : '–', `${r.first_month || ''} → ${r.last_month || ''}`),
      kpi('Payees', int(r.payees), `${int(r.people)} people loaded`),
      kpi('Credits', int(r.credits), `${int(r.transactions)} transactions`),
      kpi('Took', seconds(r.seconds), `${int(r.lines)} earnings lines`)),
    r.incremental ? notice('info', `Incremental: ${int(r.recomputed)} payees recomputed, the others carried over from run #${r.base_run}.`) : null,
    r.full_reason ? notice('warn', `Calculated in full: ${r.full_reason}.`) : null,
    problemsList(job),
    job.run ? h('p', link(`/runs/${job.run}`, 'Open the run →')) : null);
}

const PHASES = ['load', 'credit', 'calculate', 'save'];

/* The phases of a running job: done, now (observed or estimated), to come. */
function phaseSteps(p) {
  const at = PHASES.indexOf(p.phase);
  return h('ol.phases', { 'data-testid': 'run-phases' }, PHASES.map((name, i) => {
    const state = at < 0 ? 'todo' : i < at ? 'done' : i === at ? 'now' : 'todo';
    const secs = p.expected ? ` ~${seconds(p.expected[name])}` : '';
    return h(`li.phase.${state}`, { 'data-phase': name }, h('span.phase-mark', state === 'done' ? '✓' : state === 'now' ? '●' : '○'), ' ', name, h('span.muted.small', secs));
  }));
}

async function watchJob(id, holder, bar) {
  const t0 = Date.now();
  const steps = h('div.run-steps');
  holder.append(steps);
  for (;;) {
    const job = await get(`/jobs/${id}`);
    if (job.status === 'running') {
      const p = job.progress || {};
      const took = Math.round((Date.now() - t0) / 1000);
      const total = p.expected ? Object.values(p.expected).reduce((a, b) => a + b, 0) : null;
      const how = p.phase ? (p.observed ? `${p.phase}` : `${p.phase} (estimated from run #${p.based_on_run})`) : 'running';
      const text = `Calculating ${job.period}: ${how} · ${took} s${total ? ` of about ${seconds(total)}` : ''}${job.run ? ` · run #${job.run}` : ''}`;
      if (typeof p.fraction === 'number') bar.set(p.fraction, text); else bar.busy(text);
      clear(steps).append(phaseSteps(p));
      await sleep(500);
      continue;
    }
    clear(steps);
    if (job.status === 'done') {
      bar.done(`Run #${job.run} of ${job.period} is done.`);
      forgetLatest();
      holder.append(jobReport(job));
    } else {
      bar.done(`The run failed: ${job.error?.message || job.message || 'see the server log'}`, 'bad');
      holder.append(errorBox({ title: 'The run failed.', message: job.error?.message || job.message || '', hint: job.error?.hint }));
    }
    return job;
  }
}

async function runsPage() {
  const canStart = ['admin', 'sales_ops'].includes(session.user.role);
  const list = await get('/runs?limit=100');
  const tableHolder = h('div', runsTable(list.items));
  const out = h('div.run-out');
  const period = h('input', { id: 'period', name: 'period', placeholder: 'e.g. 2026-12 or 2026-Q4', required: true, value: list.items[0]?.period || '' });
  const payees = h('input', { id: 'payees', name: 'payees', placeholder: 'everyone (or ids, comma separated)' });
  const incremental = h('input', { id: 'incremental', type: 'checkbox' });
  const reason = h('input', { id: 'reason', name: 'reason', placeholder: 'why (kept in the audit log)' });
  const button = h('button.btn.btn-primary', { type: 'submit' }, 'Start the run');
  const form = canStart ? h('form.form-row', {
    onsubmit: async (e) => {
      e.preventDefault();
      button.disabled = true;
      clear(out);
      const bar = progress('Starting…');
      out.append(bar.el);
      try {
        const body = { period: period.value.trim() };
        const ids = payees.value.split(/[\s,]+/).filter(Boolean);
        if (ids.length) body.payees = ids;
        if (incremental.checked) body.incremental = true;
        if (reason.value.trim()) body.reason = reason.value.trim();
        const job = await post('/runs', body);
        await watchJob(job.id, out, bar);
        clear(tableHolder).append(runsTable((await get('/runs?limit=100')).items));
      } catch (err) {
        bar.done(err.code === 'conflict' ? 'A run is already running: wait for it to finish.' : 'The run did not start.', 'bad');
        out.append(errorBox({ title: 'Cannot start the run:', message: err.message, hint: err.hint }));
      } finally { button.disabled = false; }
    },
  },
  h('div.field', h('label', { for: 'period' }, 'Period'), period),
  h('div.field.grow', h('label', { for: 'payees' }, 'Payees'), payees),
  h('div.field.check', h('label', { for: 'incremental' }, incremental, ' Incremental')),
  h('div.field.grow', h('label', { for: 'reason' }, 'Reason'), reason),
  h('div.field.submit', button)) : null;
  return h('div',
    pageHeader('Calculation runs', 'Each run calculates a period from the data as it is now; statements and payroll read the latest run (or the one a month was closed with).'),
    canStart ? card('Start a run', form, out) : null,
    card('Runs', tableHolder));
}

async function runPage({ id }) {
  const r = await get(`/runs/${enc(id)}`);
  const secs = r.seconds || {};
  return h('div',
    pageHeader(`Run #${r.id}`, `${r.period} (${r.first_month} → ${r.last_month}) · ${r.payees ? r.payees.length + ' payees' : 'everyone'}`, badge(r.status, statusTone[r.status] || 'neutral')),
    h('div.kpis',
      kpi('People', int(r.people), `${int(r.transactions)} transactions`),
      kpi('Credits', int(r.credits), `${int(r.lines)} earnings lines`),
      kpi('Took', seconds(Object.values(secs).reduce((a, b) => a + num(b), 0)), Object.entries(secs).map(([k, v]) => `${k} ${seconds(v)}`).join(' · '))),
    r.message ? notice('warn', r.message) : null,
    h('div.grid-2',
      card('Who and why', h('dl.facts',
        h('dt', 'Started'), h('dd', moment(r.started_at)),
        h('dt', 'Finished'), h('dd', moment(r.finished_at)),
        h('dt', 'By'), h('dd', r.actor),
        h('dt', 'Reason'), h('dd', r.reason || '–'),
        h('dt', 'Input fingerprint'), h('dd', h('code.small', r.input_sha256 || '–')),
        r.payees ? [h('dt', 'Payees'), h('dd', r.payees.join(', '))] : null)),
      card('Plan versions used', dataTable([
        { key: 'name', label: 'Plan', render: (p) => (['admin', 'sales_ops', 'finance', 'executive', 'manager'].includes(session.user.role) ? link(`/plans/${enc(p.name)}/${p.version}`, p.name) : p.name) },
        { key: 'version', label: 'Version', align: 'right' },
        { key: 'sha256', label: 'sha256', render: (p) => h('code.small', p.sha256.slice(0, 12) + '…') },
      ], r.plan_versions || [], { filter: false }))));
}

route('/runs', { title: 'Calculation runs', roles: ['admin', 'sales_ops', 'finance', 'executive'], render: runsPage });
route('/runs/:id', { title: 'Run', roles: ['admin', 'sales_ops', 'finance', 'executive'], render: runPage });
