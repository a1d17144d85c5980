// api.js - talking to attain serve's JSON API (/api/v1, docs/api.md): the session cookie goes
// by itself, the CSRF token from the log-in goes with every change, errors come back as
// ApiError with the API's code, message and field (and an import's problems).

let csrf = null;
let onUnauthorized = () => {};

export class ApiError extends Error {
  constructor(status, body) {
    const e = (body && body.error) || {};
    super(e.message || `the server answered ${status}`);
    this.status = status;
    this.code = e.code || 'http_' + status;
    this.field = e.field || null;
    this.hint = e.hint || null;
    this.problems = (body && body.problems) || [];
    this.problemsTotal = (body && body.problems_total) || this.problems.length;
  }
}

export function setCsrf(token) { csrf = token; }
export function csrfToken() { return csrf; }
export function whenUnauthorized(fn) { onUnauthorized = fn; }

export async function request(method, path, body, opts = {}) {
  const headers = { Accept: 'application/json' };
  let payload;
  if (body instanceof FormData) payload = body;
  else if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  if (method !== 'GET' && csrf) headers['X-CSRF-Token'] = csrf;
  let res;
  try {
    res = await fetch('/api/v1' + path, { method, headers, body: payload, credentials: 'same-origin' });
  } catch (e) {
    throw new ApiError(0, { error: { code: 'network', message: 'the server cannot be reached: is attain serve running?' } });
  }
  if (opts.raw && res.ok) return res;
  const text = await res.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch { data = null; }
  if (!res.ok) {
    const err = new ApiError(res.status, data);
    if (res.status === 401 && !opts.quiet401) onUnauthorized(err);
    throw err;
  }
  return data;
}

export const get = (path, opts) => request('GET', path, undefined, opts);
export const post = (path, body, opts) => request('POST', path, body === undefined ? {} : body, opts);
export const put = (path, body, opts) => request('PUT', path, body, opts);
export const del = (path, opts) => request('DELETE', path, undefined, opts);

/* A query string from an object, leaving out empty values. */
export function qs(params) {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') u.set(k, v);
  const s = u.toString();
  return s ? '?' + s : '';
}

export const enc = encodeURIComponent;

/* Every page of a list (`next` cursors), up to max items. */
export async function getAll(path, params = {}, cursor = 'after', max = 5000) {
  const items = [];
  let next = null;
  do {
    const page = await get(path + qs({ ...params, limit: 1000, [cursor]: next }));
    items.push(...page.items);
    next = page.next;
  } while (next && items.length < max);
  return items;
}

/* Runs fn over items with at most n at a time; results in order. */
export async function pool(items, n, fn) {
  const out = new Array(items.length);
  let i = 0;
  const workers = Array.from({ length: Math.min(n, items.length) }, async () => {
    while (i < items.length) {
      const k = i++;
      try { out[k] = await fn(items[k], k); } catch (e) { out[k] = e; }
    }
  });
  await Promise.all(workers);
  return out;
}
