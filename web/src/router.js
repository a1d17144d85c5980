// router.js - the pages' addresses: patterns like /statement/:payee/:month matched against
// location.pathname (the server answers every page address with index.html), links marked
// data-route handled without a reload, and the back button.

const routes = [];
let onChange = () => {};

export function route(pattern, page) {
  const names = [];
  const re = new RegExp('^' + pattern.replace(/\/:([a-z_]+)/g, (_, n) => { names.push(n); return '/([^/]+)'; }) + '/?$');
  routes.push({ pattern, re, names, page });
}

export function match(path) {
  for (const r of routes) {
    const m = r.re.exec(path);
    if (m) {
      const params = {};
      r.names.forEach((n, i) => { params[n] = decodeURIComponent(m[i + 1]); });
      return { route: r, params };
    }
  }
  return null;
}

export function navigate(href, replace = false) {
  if (href === location.pathname + location.search) { onChange(); return; }
  history[replace ? 'replaceState' : 'pushState'](null, '', href);
  onChange();
}

export function query() {
  return Object.fromEntries(new URLSearchParams(location.search));
}

/* Changes the address's query without a new page (filters, the month shown). */
export function setQuery(params) {
  const u = new URLSearchParams(location.search);
  for (const [k, v] of Object.entries(params)) { if (v === null || v === undefined || v === '') u.delete(k); else u.set(k, v); }
  const s = u.toString();
  history.replaceState(null, '', location.pathname + (s ? '?' + s : ''));
}

export function start(fn) {
  onChange = fn;
  window.addEventListener('popstate', () => onChange());
  document.addEventListener('click', (e) => {
    const a = e.target.closest('a[data-route]');
    if (!a || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey) return;
    e.preventDefault();
    navigate(a.getAttribute('href'));
  });
}
