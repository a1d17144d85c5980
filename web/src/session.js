// session.js - who is logged in (GET /api/v1/session), their person, and the latest month the
// calculation runs cover (GET /api/v1/months/latest: the pages open on it).
import { get, post, del, enc, setCsrf, ApiError } from './api.js';

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

/* The latest fiscal month a finished run covers, or null. */
export async function latestMonth() {
  if (session.latest !== undefined) return session.latest;
  const cached = sessionStorage.getItem('attain.latest');
  if (cached) { session.latest = cached; return cached; }
  let month = null;
  try {
    month = (await get('/months/latest')).month;
  } catch (e) {
    if (!(e instanceof ApiError && e.status === 404)) throw e;
  }
  session.latest = month;
  if (month) sessionStorage.setItem('attain.latest', month);
  return month;
}

export function forgetLatest() {
  session.latest = undefined;
  sessionStorage.removeItem('attain.latest');
}
