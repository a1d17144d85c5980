// session.js - who is logged in (GET /api/v1/session), their person, and the latest month the
// calculation runs cover: from the runs list where the role may read it, else found by asking
// for the person's statements from today's fiscal month backwards (the estimator names
// today's fiscal month).
import { get, post, del, enc, setCsrf, ApiError } from './api.js';
import { shiftMonth } from './format.js';

export const session = { user: null, person: null, latest: undefined };

export async function loadSession() {
  try {
    const me = await get('/session', { quiet401: true });
    setCsrf(me.csrf);
    session.user = me.user;
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) { session.user = null; return null; }
    throw e;
  }
  session.person = null;
  if (session.user.person) {
    try { session.person = await get('/people/' + enc(session.user.person)); } catch { session.person = null; }
  }
  return session.user;
}

export async function login(loginName, password) {
  const r = await post('/session', { login: loginName, password }, { quiet401: true });
  setCsrf(r.csrf);
  session.latest = undefined;
  sessionStorage.removeItem('attain.latest');
  return loadSession();
}

export async function logout() {
  try { await del('/session'); } catch { /* the session may have ended already */ }
}

const canReadRuns = (role) => ['admin', 'sales_ops', 'finance', 'executive'].includes(role);

/* The latest fiscal month a finished run covers, or null. */
export async function latestMonth(probePeople = []) {
  if (session.latest !== undefined) return session.latest;
  const cached = sessionStorage.getItem('attain.latest');
  if (cached) { session.latest = cached; return cached; }
  let month = null;
  if (canReadRuns(session.user.role)) {
    const runs = await get('/runs?limit=20');
    const done = runs.items.filter((r) => r.status === 'done' && !r.payees);
    month = done.map((r) => r.last_month).sort().pop() || runs.items.find((r) => r.status === 'done')?.last_month || null;
  } else {
    const people = [session.user.person, ...probePeople].filter(Boolean);
    if (people.length) month = await probe(people);
  }
  session.latest = month;
  if (month) sessionStorage.setItem('attain.latest', month);
  return month;
}

async function probe(people) {
  let today;
  try {
    const est = await post('/estimate', { payee: people[0], amount: '1.00' });
    today = est.deal.period;
  } catch {
    const d = new Date();
    today = `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
  }
  for (const person of people.slice(0, 3)) {
    for (let back = 0; back < 36; back += 6) {
      const months = Array.from({ length: 6 }, (_, i) => shiftMonth(today, -(back + i)));
      const found = await Promise.all(months.map((m) =>
        get(`/statements/${enc(person)}/${m}`, { raw: true }).then(() => true, () => false)));
      const i = found.indexOf(true);
      if (i >= 0) return months[i];
    }
  }
  return null;
}

export function forgetLatest() {
  session.latest = undefined;
  sessionStorage.removeItem('attain.latest');
}
