// dom.js - building elements without a framework: h('div.card', {onclick}, children...).
// Text is always set as text (never as HTML), so what the API returns cannot inject markup.

export function h(tag, attrs, ...children) {
  const [name, ...classes] = tag.split('.');
  const el = document.createElement(name || 'div');
  if (classes.length) el.className = classes.join(' ');
  if (attrs && (typeof attrs !== 'object' || attrs instanceof Node || Array.isArray(attrs))) {
    children.unshift(attrs);
    attrs = null;
  }
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = [el.className, v].filter(Boolean).join(' ');
    else if (k === 'style' && typeof v === 'object') Object.assign(el.style, v);
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k in el && typeof v !== 'string') el[k] = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

/* A link inside the application (the router takes the click). */
export function link(href, ...children) {
  return h('a', { href, 'data-route': '' }, ...children);
}

export function spinner(text = 'Loading…') {
  return h('div.loading', h('span.spin'), text);
}

export function errorBox(e) {
  const box = h('div.alert.alert-error', { role: 'alert' },
    h('strong', e.title || 'Something went wrong'), ' ', e.message || String(e));
  if (e.hint) append(box, [h('div.hint', e.hint)]);
  return box;
}

export function notice(kind, ...children) {
  return h(`div.alert.alert-${kind}`, { role: kind === 'error' ? 'alert' : 'status' }, ...children);
}

export function card(title, ...children) {
  return h('section.card', title ? h('h2.card-title', title) : null, ...children);
}

export function kpi(label, value, sub, tone) {
  return h(`div.kpi${tone ? '.' + tone : ''}`, h('div.kpi-label', label), h('div.kpi-value', value),
    sub ? h('div.kpi-sub', sub) : null);
}

export function pageHeader(title, subtitle, ...actions) {
  return h('header.page-header', h('div', h('h1', title), subtitle ? h('p.subtitle', subtitle) : null),
    actions.length ? h('div.actions', ...actions) : null);
}

export function badge(text, tone = 'neutral') {
  return h(`span.badge.badge-${tone}`, text);
}
