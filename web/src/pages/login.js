// login.js - the log-in page: login and password to POST /api/v1/session; wrong passwords and
// rate limits say so plainly.
import { h } from '../ui/dom.js';
import { login } from '../session.js';

export function loginPage(done) {
  const msg = h('div.form-error', { role: 'alert', hidden: true });
  const user = h('input', { id: 'login', name: 'login', autocomplete: 'username', required: true, autofocus: true });
  const pass = h('input', { id: 'password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const button = h('button.btn.btn-primary.btn-block', { type: 'submit' }, 'Log in');
  const form = h('form.login-form', {
    onsubmit: async (e) => {
      e.preventDefault();
      msg.hidden = true;
      button.disabled = true;
      button.textContent = 'Logging in…';
      try {
        await login(user.value.trim(), pass.value);
        done();
      } catch (err) {
        msg.textContent = err.code === 'invalid_login' ? 'Wrong login or password.'
          : err.code === 'rate_limited' ? 'Too many failed log-ins: wait a few minutes and try again.'
          : err.message;
        msg.hidden = false;
        pass.select();
      } finally {
        button.disabled = false;
        button.textContent = 'Log in';
      }
    },
  },
  h('label', { for: 'login' }, 'Login'), user,
  h('label', { for: 'password' }, 'Password'), pass,
  msg, button);
  return h('div.login-page',
    h('div.login-card',
      h('div.login-brand', h('span.logo.logo-lg', 'a'), h('div', h('div.login-title', 'attain'), h('div.login-tag', 'Sales compensation, calculated in the open'))),
      h('h1', 'Log in'),
      form),
    h('p.login-foot', 'Your pay, your team and your plans: every number with its reason.'));
}
