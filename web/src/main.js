// main.js - the application: checks the session, shows the log-in page or the frame (the
// navigation for the user's role, their name and role, log-out) and draws the page the
// address names. Pages register themselves in pages/*.js.
import { h, clear, spinner, errorBox, link } from './ui/dom.js';
import { whenUnauthorized, ApiError } from './api.js';
import { start, match, navigate } from './router.js';
import { navFor, homeFor } from './sections.js';
import { session, loadSession, logout } from './session.js';
import { roleName } from './format.js';
import { loginPage } from './pages/login.js';
import './pages/index.js';

const app = document.getElementById('app');
let renderSeq = 0;

function initials(name) {
  return name.split(/\s+/).filter(Boolean).slice(0, 2).map((w) => w[0].toUpperCase()).join('');
}

/* The section the address is in: the one whose path (or match prefix) is the longest that
 * fits, so that /my/plan is My plan, not Overview (/my). */
function activeSection(groups) {
  const path = location.pathname;
  let best = null;
  let bestLength = -1;
  for (const g of groups) {
    for (const s of g.sections) {
      for (const prefix of [s.path, s.match].filter(Boolean)) {
        if ((path === prefix || path.startsWith(prefix + '/')) && prefix.length > bestLength) { best = s; bestLength = prefix.length; }
      }
    }
  }
  return best;
}

function frame(main) {
  const user = session.user;
  const active = activeSection(navFor(user.role));
  const name = session.person?.name || user.login;
  const nav = h('nav.sidebar', { 'aria-label': 'Sections' },
    h('a.brand', { href: homeFor(user.role), 'data-route': '' }, h('span.logo', 'a'), h('span', 'attain')),
    navFor(user.role).map((g) => h('div.nav-group',
      h('div.nav-group-label', g.label),
      g.sections.map((s) => {
        const a = link(s.path, s.label);
        a.className = 'nav-link';
        if (s === active) a.classList.add('active');
        return a;
      }))));
  const top = h('header.topbar',
    h('div.topbar-title', document.title.replace(/ · attain$/, '')),
    h('div.user',
      h('span.avatar', { 'aria-hidden': 'true' }, initials(name)),
      h('a.user-text', { href: '/account', 'data-route': '', title: 'Your account' }, h('div.user-name', name), h('div.user-role', roleName(user.role) + (user.person ? ' · ' + user.person : ''))),
      h('button.btn.btn-ghost', { type: 'button', onclick: async () => { await logout(); session.user = null; navigate('/login'); } }, 'Log out')));
  return h('div.shell', nav, h('div.content', top, h('main.main', { id: 'main' }, main)));
}

async function render() {
  const seq = ++renderSeq;
  const path = location.pathname;
  if (session.user === null || path === '/login') {
    if (session.user && path === '/login') { navigate(homeFor(session.user.role), true); return; }
    if (path !== '/login') {
      const next = path + location.search;
      navigate('/login' + (path !== '/' ? '?next=' + encodeURIComponent(next) : ''), true);
      return;
    }
    document.title = 'Log in · attain';
    clear(app).append(loginPage(async () => {
      const back = new URLSearchParams(location.search).get('next');
      navigate(back && back.startsWith('/') && !back.startsWith('//') ? back : homeFor(session.user.role), true);
    }));
    return;
  }
  if (path === '/' || path === '') { navigate(homeFor(session.user.role), true); return; }
  const m = match(path);
  const holder = h('div.page', spinner());
  if (!m) {
    document.title = 'Not found · attain';
    clear(holder).append(h('div.empty-state', h('h1', 'No such page'), h('p', 'The address names no page. '), link(homeFor(session.user.role), 'Go to your start page')));
  } else if (m.route.page.roles && !m.route.page.roles.includes(session.user.role)) {
    document.title = 'Not allowed · attain';
    clear(holder).append(h('div.empty-state', h('h1', 'Not for your role'), h('p', `A ${roleName(session.user.role).toLowerCase()} cannot use this page.`), link(homeFor(session.user.role), 'Go to your start page')));
  } else {
    document.title = (m.route.page.title || 'attain') + ' · attain';
  }
  clear(app).append(frame(holder));
  window.scrollTo(0, 0);
  if (!m || (m.route.page.roles && !m.route.page.roles.includes(session.user.role))) return;
  try {
    const node = await m.route.page.render(m.params);
    if (seq !== renderSeq) return;
    clear(holder).append(node);
  } catch (e) {
    if (seq !== renderSeq) return;
    if (e instanceof ApiError && e.status === 401) return;
    console.error(e);
    clear(holder).append(errorBox(e));
  }
  const t = app.querySelector('.topbar-title');
  if (t) t.textContent = document.title.replace(/ · attain$/, '');
}

whenUnauthorized(() => {
  session.user = null;
  const next = location.pathname + location.search;
  navigate('/login' + (next && next !== '/login' ? '?next=' + encodeURIComponent(next) : ''), true);
});

(async () => {
  clear(app).append(h('div.boot', spinner('Starting…')));
  try {
    await loadSession();
  } catch (e) {
    clear(app).append(h('div.boot', errorBox(e)));
    return;
  }
  start(render);
  render();
})();
