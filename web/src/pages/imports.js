// imports.js - imports: upload CSV files (named as docs/import.md names them) as one
// all-or-nothing import, with a bar for the upload and the check; problems are shown exactly
// as `attain import` prints them; a dry run checks without writing; past imports below.
import { h, card, pageHeader, badge, clear, notice } from '../ui/dom.js';
import { get, csrfToken } from '../api.js';
import { moment, int } from '../format.js';
import { dataTable } from '../ui/table.js';
import { progress } from '../ui/progress.js';
import { route } from '../router.js';
import { session } from '../session.js';

/* POST /api/v1/imports as multipart with upload progress (fetch cannot report it). */
function upload(form, bar) {
  return new Promise((resolve) => {
    const x = new XMLHttpRequest();
    x.open('POST', '/api/v1/imports');
    x.setRequestHeader('X-CSRF-Token', csrfToken() || '');
    x.setRequestHeader('Accept', 'application/json');
    x.upload.onprogress = (e) => { if (e.lengthComputable) bar.set(e.loaded / e.total, `Uploading… ${Math.round((100 * e.loaded) / e.total)}%`); };
    x.upload.onload = () => bar.busy('Checking every row and writing the import…');
    x.onload = () => { let body = null; try { body = JSON.parse(x.responseText); } catch { /* not JSON */ } resolve({ status: x.status, body }); };
    x.onerror = () => resolve({ status: 0, body: { error: { message: 'the server cannot be reached' } } });
    x.send(form);
  });
}

function importsTable(items) {
  return dataTable([
    { key: 'id', label: 'Import', align: 'right', render: (r) => `#${r.id}` },
    { key: 'started_at', label: 'When', class: 'nowrap', render: (r) => moment(r.started_at) },
    { key: 'actor', label: 'By' },
    { key: 'status', label: 'Status', render: (r) => badge(r.status, r.status === 'committed' ? 'good' : r.status === 'failed' ? 'bad' : 'neutral') },
    { key: 'files', label: 'Files', text: (r) => r.files.map((f) => f.name).join(' '), render: (r) => h('div.small', r.files.map((f) => f.name.replace(/^.*\//, '')).join(', ')) },
    { key: 'rows', label: 'Rows in / up', align: 'right', value: (r) => r.counts.reduce((a, c) => a + c.inserted + c.updated, 0), render: (r) => `${int(r.counts.reduce((a, c) => a + c.inserted, 0))} / ${int(r.counts.reduce((a, c) => a + c.updated, 0))}` },
    { key: 'reason', label: 'Reason', render: (r) => r.reason || h('span.muted', '–') },
  ], items, { sort: 'id', sortDir: -1, placeholder: 'Filter imports…' });
}

function outcome(status, body) {
  if (status === 201 || status === 200) {
    return h('div', { 'data-testid': 'import-ok' },
      notice('success', body.dry_run ? 'Dry run: the files are fine; nothing was written.' : `Import #${body.import} is committed: ${int(body.rows)} rows from ${body.files} file${body.files === 1 ? '' : 's'}.`),
      dataTable([
        { key: 'entity', label: 'Entity' },
        { key: 'rows', label: 'Rows', align: 'right' },
        { key: 'inserted', label: 'Inserted', align: 'right' },
        { key: 'updated', label: 'Updated', align: 'right' },
        { key: 'unchanged', label: 'Unchanged', align: 'right' },
      ], body.tallies || [], { filter: false }),
      body.notes && body.notes.length ? h('pre.cli', body.notes.map((n) => (typeof n === 'string' ? n : n.text || JSON.stringify(n))).join('\n')) : null);
  }
  const e = (body && body.error) || { message: `the server answered ${status}` };
  const problems = (body && body.problems) || [];
  return h('div', { 'data-testid': 'import-errors' },
    notice('error', h('strong', 'Nothing was imported: '), e.message),
    problems.length ? h('div',
      h('p.muted.small', `As attain import prints ${problems.length < (body.problems_total || 0) ? `(the first ${problems.length} of ${body.problems_total})` : 'them'}:`),
      h('pre.cli.cli-errors', problems.map((p) => p.text).join(''))) : null);
}

async function importsPage() {
  const canImport = ['admin', 'sales_ops'].includes(session.user.role);
  const list = await get('/imports?limit=100');
  const holder = h('div', importsTable(list.items));
  const out = h('div.import-out');
  const files = h('input', { id: 'files', name: 'file', type: 'file', multiple: true, accept: '.csv,text/csv', required: true });
  const reason = h('input', { id: 'import-reason', name: 'reason', placeholder: 'why (kept in the audit log)' });
  const dry = h('input', { id: 'dry-run', type: 'checkbox' });
  const button = h('button.btn.btn-primary', { type: 'submit' }, 'Import');
  const form = h('form.form-row', {
    onsubmit: async (e) => {
      e.preventDefault();
      if (!files.files.length) return;
      const fd = new FormData();
      for (const f of files.files) fd.append('file', f, f.name);
      if (reason.value.trim()) fd.append('reason', reason.value.trim());
      if (dry.checked) fd.append('dry_run', 'true');
      button.disabled = true;
      const bar = progress('Uploading…');
      clear(out).append(bar.el);
      const { status, body } = await upload(fd, bar);
      const ok = status === 200 || status === 201;
      bar.done(ok ? (body.dry_run ? 'Checked.' : 'Imported.') : 'Refused.', ok ? 'good' : 'bad');
      out.append(outcome(status, body));
      button.disabled = false;
      if (ok) clear(holder).append(importsTable((await get('/imports?limit=100')).items));
    },
  },
  h('div.field.grow', h('label', { for: 'files' }, 'CSV files (people.csv, transactions.csv, …)'), files),
  h('div.field.grow', h('label', { for: 'import-reason' }, 'Reason'), reason),
  h('div.field.check', h('label', { for: 'dry-run' }, dry, ' Dry run')),
  h('div.field.submit', button));
  return h('div',
    pageHeader('Imports', 'All or nothing: a file with a problem imports nothing, and each problem names the file, line and column.'),
    canImport ? card('Upload', form, out) : null,
    card('Past imports', holder));
}

route('/imports', { title: 'Imports', roles: ['admin', 'sales_ops', 'finance'], render: importsPage });
