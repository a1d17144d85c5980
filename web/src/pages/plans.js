// plans.js - the plans and their versions: every stored version (name, effective dates, who
// loaded it and why), one version's document as loaded, and the line-by-line difference of
// two versions (over the canonical form `attain plan diff` compares). Sales ops loads a new
// version from a YAML file: it is checked first (problems shown as `attain plan check` prints
// them, FILE:LINE:COLUMN), then waits for finance's approval, listed here until decided.
import { h, card, pageHeader, link, badge, clear, errorBox, notice } from '../ui/dom.js';
import { get, post, enc, qs } from '../api.js';
import { day, moment } from '../format.js';
import { dataTable } from '../ui/table.js';
import { route, query, navigate } from '../router.js';
import { session } from '../session.js';

const READERS = ['admin', 'sales_ops', 'finance', 'manager', 'executive'];

/* The form that loads a plan version from a file (admin, sales ops). */
function loadForm(onLoaded) {
  const file = h('input', { id: 'plan-file', type: 'file', accept: '.yaml,.yml,text/yaml', required: true });
  const reason = h('input', { id: 'plan-reason', placeholder: 'why (kept with the version and in the audit log)' });
  const button = h('button.btn.btn-primary', { type: 'submit' }, 'Check and submit');
  const out = h('div.plan-out', { id: 'plan-out' });
  const form = h('form.form-row', {
    onsubmit: async (e) => {
      e.preventDefault();
      const f = file.files[0];
      if (!f) return;
      button.disabled = true;
      clear(out);
      try {
        const source = await f.text();
        const c = await post('/plans', { source, file: f.name, ...(reason.value.trim() ? { reason: reason.value.trim() } : {}) });
        out.append(notice('success', `${c.name}: checked and submitted as plan change #${c.id}. It becomes version ${(c.latest || 0) + 1} once someone in finance other than you approves it.`));
        file.value = '';
        await onLoaded();
      } catch (err) {
        out.append(errorBox({ title: 'Not loaded:', message: err.message, hint: err.hint }));
        if (err.problems.length) {
          out.append(h('p.muted.small', 'As attain plan check prints them:'),
            h('pre.cli.cli-errors', { 'data-testid': 'plan-problems' }, err.problems.map((p) => p.text).join('')));
        }
      } finally { button.disabled = false; }
    },
  },
  h('div.field.grow', h('label', { for: 'plan-file' }, 'Plan document (YAML)'), file),
  h('div.field.grow', h('label', { for: 'plan-reason' }, 'Reason'), reason),
  h('div.field.submit', button));
  return h('div', form, out);
}

const changeTone = { pending: 'warn', approved: 'good', rejected: 'bad' };

function changesTable(items) {
  return dataTable([
    { key: 'id', label: '#', align: 'right' },
    { key: 'name', label: 'Plan' },
    { key: 'effective', label: 'Effective', value: (c) => c.effective_from, render: (c) => `${day(c.effective_from)} – ${day(c.effective_to)}` },
    { key: 'status', label: 'Status', render: (c) => h('div', badge(c.status, changeTone[c.status] || 'neutral'), c.version ? h('div.small', link(`/plans/${enc(c.name)}/${c.version}`, `version ${c.version}`)) : null) },
    { key: 'submitted_at', label: 'Submitted', class: 'nowrap', render: (c) => h('div', moment(c.submitted_at), h('div.muted.small', `by ${c.submitted_by}${c.reason ? ': ' + c.reason : ''}`)) },
    { key: 'decided_at', label: 'Decided', class: 'nowrap', render: (c) => (c.decided_at ? h('div', moment(c.decided_at), h('div.muted.small', c.decided_by + (c.note ? ': ' + c.note : ''))) : '–') },
  ], items, { sort: 'id', sortDir: -1, filter: false, empty: 'No plan versions were loaded through the pages.' });
}

async function plansPage() {
  const role = session.user.role;
  const canLoad = ['admin', 'sales_ops'].includes(role);
  const seesChanges = ['admin', 'sales_ops', 'finance', 'executive'].includes(role);
  const changesHolder = h('div', { id: 'plan-changes' });
  const showChanges = async () => {
    const c = await get('/plan-changes?limit=20');
    clear(changesHolder).append(changesTable(c.items));
  };
  if (seesChanges) await showChanges();
  const list = await get('/plans?limit=1000');
  const byName = new Map();
  for (const p of list.items) {
    if (!byName.has(p.name)) byName.set(p.name, []);
    byName.get(p.name).push(p);
  }
  const rows = [...byName.entries()].map(([name, versions]) => {
    versions.sort((a, b) => b.version - a.version);
    return { name, latest: versions[0], versions };
  });
  return h('div',
    pageHeader('Plans', `${rows.length} plans, ${list.items.length} stored versions. Every version is kept; a version loaded here waits for finance's approval.`),
    canLoad ? card('Load a plan version', loadForm(showChanges)) : null,
    seesChanges ? card('Plan changes', changesHolder) : null,
    card('Plans', h('div', { id: 'plan-list' }, dataTable([
      { key: 'name', label: 'Plan', render: (r) => link(`/plans/${enc(r.name)}/${r.latest.version}`, r.name) },
      { key: 'version', label: 'Latest version', align: 'right', value: (r) => r.latest.version, render: (r) => `v${r.latest.version}` },
      { key: 'versions', label: 'Versions', align: 'right', value: (r) => r.versions.length, render: (r) => String(r.versions.length) },
      { key: 'effective', label: 'Effective', value: (r) => r.latest.effective_from, render: (r) => `${day(r.latest.effective_from)} – ${day(r.latest.effective_to)}` },
      { key: 'loaded', label: 'Loaded', value: (r) => r.latest.loaded_at, render: (r) => h('div', moment(r.latest.loaded_at), h('div.muted.small', `by ${r.latest.loaded_by}${r.latest.reason ? ': ' + r.latest.reason : ''}`)) },
    ], rows, { sort: 'name', placeholder: 'Filter plans…', onRowClick: (r) => navigate(`/plans/${enc(r.name)}/${r.latest.version}`) }))));
}

async function versionPage({ name, version }) {
  const [doc, list] = await Promise.all([
    get(`/plans/${enc(name)}/versions/${enc(version)}`),
    get('/plans' + qs({ name, limit: 1000 })),
  ]);
  const versions = list.items.filter((p) => p.name === name).sort((a, b) => b.version - a.version);
  return h('div',
    pageHeader(name, `Version ${doc.version} · effective ${day(doc.effective_from)} – ${day(doc.effective_to)}`,
      versions.length > 1 ? link(`/plans/${enc(name)}/diff?from=${versions[1].version}&to=${versions[0].version}`, 'Compare versions') : null),
    h('div.grid-2.wide-right',
      card('Versions', h('ul.versions', versions.map((v) => h(`li${v.version === doc.version ? '.current' : ''}`,
        link(`/plans/${enc(name)}/${v.version}`, `v${v.version}`), ' ', h('span.muted.small', `${moment(v.loaded_at)} by ${v.loaded_by}`), v.reason ? h('div.small', v.reason) : null,
        v.version !== doc.version ? h('div.small', link(`/plans/${enc(name)}/diff?from=${Math.min(v.version, doc.version)}&to=${Math.max(v.version, doc.version)}`, `diff with v${doc.version}`)) : null))),
        h('p.muted.small', 'sha256 ', h('code', doc.sha256.slice(0, 16) + '…'))),
      card('The plan document', h('pre.doc', { 'data-testid': 'plan-source' }, doc.source))));
}

async function diffPage({ name }) {
  const q = query();
  const list = await get('/plans' + qs({ name, limit: 1000 }));
  const versions = list.items.filter((p) => p.name === name).map((p) => p.version).sort((a, b) => a - b);
  const from = q.from || versions[0];
  const to = q.to || versions[versions.length - 1];
  const d = await get(`/plans/${enc(name)}/diff` + qs({ from, to }));
  const pick = (sel, key) => h('select', { 'aria-label': key, onchange: (e) => navigate(`/plans/${enc(name)}/diff?${key === 'from' ? `from=${e.target.value}&to=${to}` : `from=${from}&to=${e.target.value}`}`) },
    versions.map((v) => h('option', { value: v, selected: String(v) === String(sel) }, `v${v}`)));
  const added = d.lines.filter((l) => l.op === '+').length;
  const removed = d.lines.filter((l) => l.op === '-').length;
  return h('div',
    pageHeader(`${name}: differences`, d.same ? 'The two versions are the same.' : `${removed} lines removed, ${added} added`,
      h('span.inline-form', 'from ', pick(from, 'from'), ' to ', pick(to, 'to')), link(`/plans/${enc(name)}/${to}`, 'Back to the plan')),
    card(null, d.same ? badge('no differences', 'good') : null,
      h('pre.diff', d.lines.map((l) => h(`span.diff-line.${l.op === '+' ? 'add' : l.op === '-' ? 'del' : 'same'}`, `${l.op} ${l.text}\n`)))));
}

route('/plans', { title: 'Plans', roles: READERS, render: plansPage });
route('/plans/:name/diff', { title: 'Plan differences', roles: READERS, render: diffPage });
route('/plans/:name/:version', { title: 'Plan', roles: READERS, render: versionPage });
