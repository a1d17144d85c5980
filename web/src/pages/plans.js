// plans.js - the plans and their versions: every stored version (name, effective dates, who
// loaded it and why), one version's document as loaded, and the line-by-line difference of
// two versions (over the canonical form `attain plan diff` compares).
import { h, card, pageHeader, link, badge } from '../ui/dom.js';
import { get, enc, qs } from '../api.js';
import { day, moment } from '../format.js';
import { dataTable } from '../ui/table.js';
import { route, query, navigate } from '../router.js';

const READERS = ['admin', 'sales_ops', 'finance', 'manager', 'executive'];

async function plansPage() {
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
    pageHeader('Plans', `${rows.length} plans, ${list.items.length} stored versions. Plans are loaded with attain plan load; every version is kept.`),
    card(null, dataTable([
      { key: 'name', label: 'Plan', render: (r) => link(`/plans/${enc(r.name)}/${r.latest.version}`, r.name) },
      { key: 'version', label: 'Latest version', align: 'right', value: (r) => r.latest.version, render: (r) => `v${r.latest.version}` },
      { key: 'versions', label: 'Versions', align: 'right', value: (r) => r.versions.length, render: (r) => String(r.versions.length) },
      { key: 'effective', label: 'Effective', value: (r) => r.latest.effective_from, render: (r) => `${day(r.latest.effective_from)} – ${day(r.latest.effective_to)}` },
      { key: 'loaded', label: 'Loaded', value: (r) => r.latest.loaded_at, render: (r) => h('div', moment(r.latest.loaded_at), h('div.muted.small', `by ${r.latest.loaded_by}${r.latest.reason ? ': ' + r.latest.reason : ''}`)) },
    ], rows, { sort: 'name', placeholder: 'Filter plans…', onRowClick: (r) => navigate(`/plans/${enc(r.name)}/${r.latest.version}`) })));
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
