// progress.js - long work made visible: a bar that fills (a known fraction, e.g. an upload)
// or moves (work of unknown length, e.g. a calculation run) with a line of status text.
import { h } from './dom.js';

export function progress(label) {
  const fill = h('div.progress-fill');
  const text = h('div.progress-text', label || '');
  const el = h('div.progress', { role: 'progressbar', 'aria-valuemin': '0', 'aria-valuemax': '100' }, h('div.progress-track', fill), text);
  return {
    el,
    set(fraction, t) {
      el.classList.remove('indeterminate');
      fill.style.width = Math.round(Math.max(0, Math.min(1, fraction)) * 100) + '%';
      el.setAttribute('aria-valuenow', String(Math.round(fraction * 100)));
      if (t !== undefined) text.textContent = t;
    },
    busy(t) {
      el.classList.add('indeterminate');
      el.removeAttribute('aria-valuenow');
      if (t !== undefined) text.textContent = t;
    },
    done(t, tone = 'good') {
      el.classList.remove('indeterminate');
      el.classList.add(tone);
      fill.style.width = '100%';
      el.setAttribute('aria-valuenow', '100');
      if (t !== undefined) text.textContent = t;
    },
  };
}
