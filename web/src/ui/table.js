// table.js - the tables: click a header to sort (again to reverse), type to filter rows, an
// optional click on a row, a footer of totals, and a row count. Columns:
//   { key, label, align: 'right', render: (row) => Node|string, value: (row) => sortable,
//     text: (row) => what the filter searches, width }
import { h, clear } from './dom.js';

export function dataTable(columns, rows, opts = {}) {
  let sortKey = opts.sort || null;
  let sortDir = opts.sortDir || 1;
  let filter = '';
  let pageStart = 0;
  const pageSize = opts.pageSize || 25;
  const pager = h('div.pager');
  const tbody = h('tbody');
  const count = h('span.table-count');
  const heads = columns.map((c) => {
    const th = h('th', { class: c.align === 'right' ? 'num' : '', scope: 'col', style: c.width ? { width: c.width } : null },
      h('button.sort', { type: 'button', onclick: () => sortBy(c.key) }, c.label, h('span.arrow')));
    th.dataset.key = c.key;
    return th;
  });
  const valueOf = (c, r) => (c.value ? c.value(r) : r[c.key]);
  const textOf = (r) => columns.map((c) => {
    if (c.text) return c.text(r);
    const v = valueOf(c, r);
    return v === null || v === undefined ? '' : String(v);
  }).join(' ').toLowerCase();
  const texts = new Map(rows.map((r) => [r, textOf(r)]));

  function sortBy(key) {
    pageStart = 0;
    if (sortKey === key) sortDir = -sortDir;
    else { sortKey = key; sortDir = columns.find((c) => c.key === key)?.align === 'right' ? -1 : 1; }
    render();
  }

  function render() {
    let shown = rows;
    if (filter) {
      const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
      shown = rows.filter((r) => words.every((w) => texts.get(r).includes(w)));
    }
    const col = columns.find((c) => c.key === sortKey);
    if (col) {
      shown = [...shown].sort((a, b) => {
        let x = valueOf(col, a), y = valueOf(col, b);
        if (x === null || x === undefined) x = col.align === 'right' ? -Infinity : '';
        if (y === null || y === undefined) y = col.align === 'right' ? -Infinity : '';
        if (col.align === 'right') { x = Number(x); y = Number(y); }
        return (x < y ? -1 : x > y ? 1 : 0) * sortDir;
      });
    }
    for (const th of heads) {
      th.classList.toggle('sorted', th.dataset.key === sortKey);
      th.setAttribute('aria-sort', th.dataset.key === sortKey ? (sortDir > 0 ? 'ascending' : 'descending') : 'none');
      th.querySelector('.arrow').textContent = th.dataset.key === sortKey ? (sortDir > 0 ? ' ▲' : ' ▼') : '';
    }
    clear(tbody);
    if (pageStart >= shown.length) pageStart = Math.max(0, shown.length - pageSize);
    const end = Math.min(shown.length, pageStart + pageSize);
    for (const r of shown.slice(pageStart, end)) {
      const tr = h('tr', null, columns.map((c) => h('td', { class: [c.align === 'right' ? 'num' : '', c.class || ''].join(' ').trim() },
        c.render ? c.render(r) : (r[c.key] ?? '–'))));
      if (opts.onRowClick) {
        tr.classList.add('clickable');
        tr.tabIndex = 0;
        tr.addEventListener('click', (e) => { if (!e.target.closest('a,button')) opts.onRowClick(r, e); });
        tr.addEventListener('keydown', (e) => { if (e.key === 'Enter') opts.onRowClick(r, e); });
      }
      if (opts.rowKey) tr.dataset.key = opts.rowKey(r);
      if (opts.selected && opts.selected(r)) tr.classList.add('selected');
      if (opts.rowClass) { const k = opts.rowClass(r); if (k) tr.classList.add(k); }
      tbody.append(tr);
    }
    if (!shown.length) tbody.append(h('tr.empty', h('td', { colSpan: columns.length }, opts.empty || 'Nothing to show.')));
    count.textContent = shown.length === rows.length
      ? `${rows.length} ${rows.length === 1 ? 'row' : 'rows'}`
      : `${shown.length} of ${rows.length} rows`;
    clear(pager);
    if (shown.length > pageSize) {
      pager.append(
        h('button.btn.btn-ghost', { type: 'button', disabled: pageStart === 0, onclick: () => { pageStart = Math.max(0, pageStart - pageSize); render(); } }, '‹ Previous'),
        h('span.pager-text', `${pageStart + 1}–${end} of ${shown.length}`),
        h('button.btn.btn-ghost', { type: 'button', disabled: end >= shown.length, onclick: () => { pageStart += pageSize; render(); } }, 'Next ›'));
    }
  }

  const tfoot = opts.footer ? h('tfoot', h('tr', columns.map((c) => h('td', { class: c.align === 'right' ? 'num' : '' }, opts.footer[c.key] ?? '')))) : null;
  const table = h('table.data', { class: opts.tableClass || '' }, h('thead', h('tr', heads)), tbody, tfoot);
  const tools = opts.filter === false ? null : h('div.table-tools',
    h('input.filter', { type: 'search', placeholder: opts.placeholder || 'Filter…', 'aria-label': 'Filter rows',
      oninput: (e) => { filter = e.target.value.trim(); pageStart = 0; render(); } }), count);
  render();
  return h('div.table-wrap', tools, h('div.table-scroll', table), pager);
}
