// users.js - the accounts: an admin's list of users (add one, set a password, disable and
// enable: a disabled user's sessions and API tokens stop working at once), and everyone's own
// account page (change your password with the old one; your other sessions end).
import { h, card, pageHeader, badge, clear, errorBox, notice } from '../ui/dom.js';
import { get, post, put, enc } from '../api.js';
import { moment, roleName } from '../format.js';
import { dataTable } from '../ui/table.js';
import { route, navigate } from '../router.js';
import { session } from '../session.js';
import { ALL } from '../sections.js';

async function usersPage() {
  const users = (await get('/users')).items;
  const out = h('div', { id: 'users-out' });
  const fail = (title) => (err) => clear(out).append(errorBox({ title, message: err.message, hint: err.hint }));
  const said = (text) => clear(out).append(notice('success', text));

  function passwordCell(u) {
    const input = h('input', { type: 'password', id: `pw-${u.login}`, placeholder: 'new password', 'aria-label': `new password for ${u.login}`, autocomplete: 'new-password', size: 14 });
    return h('form.inline-form', {
      onsubmit: async (e) => {
        e.preventDefault();
        if (!input.value) return;
        try {
          const r = await put(`/users/${enc(u.login)}/password`, { password: input.value });
          input.value = '';
          said(`${u.login} has a new password${r.sessions_ended ? `; ${r.sessions_ended} session${r.sessions_ended === 1 ? '' : 's'} ended` : ''}.`);
        } catch (err) { fail(`Cannot set ${u.login}'s password:`)(err); }
      },
    }, input, h('button.btn', { type: 'submit' }, 'Set'));
  }

  function stateCell(u) {
    if (u.login === session.user.login) return h('span.muted.small', 'you');
    const disabling = !u.disabled;
    return h('button.btn' + (disabling ? '' : '.btn-primary'), {
      type: 'button',
      id: `${disabling ? 'disable' : 'enable'}-${u.login}`,
      onclick: async () => {
        if (disabling && !confirm(`Disable ${u.login}? Their sessions and API tokens stop working at once.`)) return;
        try {
          await post(`/users/${enc(u.login)}/${disabling ? 'disable' : 'enable'}`, {});
          navigate('/users');
        } catch (err) { fail(`Cannot ${disabling ? 'disable' : 'enable'} ${u.login}:`)(err); }
      },
    }, disabling ? 'Disable' : 'Enable');
  }

  const f = {
    login: h('input', { id: 'new-login', required: true, placeholder: 'ana', autocomplete: 'off' }),
    role: h('select', { id: 'new-role' }, ALL.map((r) => h('option', { value: r }, roleName(r)))),
    person: h('input', { id: 'new-person', placeholder: 'P000123 (reps and managers)' }),
    password: h('input', { id: 'new-password', type: 'password', required: true, autocomplete: 'new-password', placeholder: 'at least 10 characters' }),
  };
  const add = h('form.form-row', {
    onsubmit: async (e) => {
      e.preventDefault();
      try {
        const person = f.person.value.trim();
        const u = await post('/users', { login: f.login.value.trim(), role: f.role.value, ...(person ? { person } : {}), password: f.password.value });
        said(`Added ${u.login} (${roleName(u.role)}).`);
        setTimeout(() => navigate('/users'), 700);
      } catch (err) { fail('Cannot add the user:')(err); }
    },
  }, Object.entries(f).map(([k, el]) => h(`div.field${k === 'person' ? '.grow' : ''}`, h('label', { for: el.id }, k[0].toUpperCase() + k.slice(1)), el)),
  h('div.field.submit', h('button.btn.btn-primary', { type: 'submit' }, 'Add user')));

  const active = users.filter((u) => !u.disabled).length;
  return h('div',
    pageHeader('Users', `${users.length} users, ${active} active. A disabled user cannot log in, and their sessions and API tokens stop working at once. Every change is in the audit log.`),
    out,
    card(null, dataTable([
      { key: 'login', label: 'Login', render: (u) => h('strong', u.login) },
      { key: 'role', label: 'Role', render: (u) => roleName(u.role) },
      { key: 'person', label: 'Person', render: (u) => u.person || '–' },
      { key: 'disabled', label: 'State', value: (u) => (u.disabled ? 1 : 0), render: (u) => badge(u.disabled ? 'disabled' : 'active', u.disabled ? 'bad' : 'good') },
      { key: 'created_at', label: 'Added', class: 'nowrap', render: (u) => moment(u.created_at) },
      { key: 'password', label: 'Password', sortable: false, render: passwordCell },
      { key: 'state', label: '', sortable: false, render: stateCell },
    ], users, { sort: 'login', placeholder: 'Filter users…' })),
    card('Add a user', add));
}

async function accountPage() {
  const u = session.user;
  const out = h('div', { id: 'account-out' });
  const f = {
    old: h('input', { id: 'old-password', type: 'password', required: true, autocomplete: 'current-password' }),
    fresh: h('input', { id: 'new-password', type: 'password', required: true, autocomplete: 'new-password', placeholder: 'at least 10 characters' }),
    again: h('input', { id: 'new-password-again', type: 'password', required: true, autocomplete: 'new-password' }),
  };
  const labels = { old: 'Current password', fresh: 'New password', again: 'New password again' };
  const form = h('form.form-row', {
    onsubmit: async (e) => {
      e.preventDefault();
      if (f.fresh.value !== f.again.value) {
        clear(out).append(errorBox({ title: 'Not changed:', message: 'the two new passwords differ' }));
        return;
      }
      try {
        const r = await put('/session/password', { old_password: f.old.value, new_password: f.fresh.value });
        for (const el of Object.values(f)) el.value = '';
        clear(out).append(notice('success', 'Your password is changed.', r.sessions_ended ? ` ${r.sessions_ended} other session${r.sessions_ended === 1 ? '' : 's'} ended.` : ''));
      } catch (err) { clear(out).append(errorBox({ title: 'Not changed:', message: err.message, hint: err.hint })); }
    },
  }, Object.entries(f).map(([k, el]) => h('div.field', h('label', { for: el.id }, labels[k]), el)),
  h('div.field.submit', h('button.btn.btn-primary', { type: 'submit' }, 'Change password')));
  return h('div',
    pageHeader('Your account', `${u.login} · ${roleName(u.role)}${u.person ? ' · ' + u.person : ''}`),
    card('Password', h('p.muted', 'Changing it ends your sessions in other browsers; this one goes on.'), form, out));
}

route('/users', { title: 'Users', roles: ['admin'], render: usersPage });
route('/account', { title: 'Your account', render: accountPage });
