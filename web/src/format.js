// format.js - numbers as people read them: money (an exact decimal string from the API) in its
// currency, percentages, dates and fiscal months. Display only: sums shown are the API's own.

const moneyFormats = new Map();
function moneyFormat(currency, digits) {
  const key = `${currency}/${digits}`;
  if (!moneyFormats.has(key)) {
    let f;
    try {
      f = new Intl.NumberFormat('en-US', { style: 'currency', currency, minimumFractionDigits: digits, maximumFractionDigits: digits });
    } catch {
      f = new Intl.NumberFormat('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
    }
    moneyFormats.set(key, f);
  }
  return moneyFormats.get(key);
}

export function num(s) {
  if (s === null || s === undefined || s === '') return 0;
  return typeof s === 'number' ? s : Number(s);
}

/* 1234.5 USD -> "$1,234.50"; compact: "$1.2M" for charts and KPIs. */
export function money(amount, currency = 'USD', opts = {}) {
  if (amount === null || amount === undefined || amount === '') return '–';
  const v = num(amount);
  if (opts.symbol === false) /* an amount whose currency is not the row's: no symbol */
    return new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 4 }).format(v);
  if (opts.compact) {
    try {
      return new Intl.NumberFormat('en-US', { style: 'currency', currency, notation: 'compact', maximumFractionDigits: 1 }).format(v);
    } catch { return compact(v); }
  }
  return moneyFormat(currency, opts.digits ?? 2).format(v);
}

export function compact(v) {
  return new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 }).format(num(v));
}

export function int(v) {
  return new Intl.NumberFormat('en-US').format(num(v));
}

/* A measure's value in its unit: money for a currency code, a count otherwise. */
export function measureValue(v, unit) {
  if (unit && /^[A-Z]{3}$/.test(unit)) return money(v, unit, { digits: 0 });
  return new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 }).format(num(v));
}

/* 0.7466 -> "74.7%" */
export function pct(ratio, digits = 1) {
  if (ratio === null || ratio === undefined || ratio === '') return '–';
  return (num(ratio) * 100).toFixed(digits) + '%';
}

const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/* "2026-01-31" -> "31 Jan 2026" */
export function day(s) {
  if (!s) return '–';
  const [y, m, d] = s.slice(0, 10).split('-');
  return `${Number(d)} ${months[Number(m) - 1]} ${y}`;
}

/* "2026-11-23T15:29:20Z" -> "23 Nov 2026 15:29" (UTC, as the server keeps it) */
export function moment(s) {
  if (!s) return '–';
  return `${day(s)} ${s.slice(11, 16)}`;
}

/* A statement's period: "January 2026 (fiscal 2026-12)" */
export function periodName(p) {
  if (!p) return '';
  const [y, m] = p.first.split('-');
  const long = new Date(Date.UTC(Number(y), Number(m) - 1, 1)).toLocaleString('en-US', { month: 'long', year: 'numeric', timeZone: 'UTC' });
  return `${long} (fiscal ${p.label})`;
}

/* Fiscal month labels "YYYY-MM": the one before or after. */
export function shiftMonth(label, by) {
  const [y, m] = label.split('-').map(Number);
  const t = y * 12 + (m - 1) + by;
  return `${Math.floor(t / 12)}-${String((t % 12) + 1).padStart(2, '0')}`;
}

export function seconds(s) {
  if (s === null || s === undefined) return '–';
  return s < 1 ? `${Math.round(s * 1000)} ms` : `${num(s).toFixed(1)} s`;
}

export function roleName(role) {
  return { admin: 'Administrator', sales_ops: 'Sales operations', finance: 'Finance', manager: 'Manager', rep: 'Sales rep', executive: 'Executive' }[role] || role;
}
