// `/admin/users` (admins): who may sign in. Create a user with a temporary password, change name,
// role or extension, disable (never delete: the journal names them) or enable, reset a password.
import { h } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { Agent } from '../../../wire/agent';
import { api } from '../api';
import { t, type Key } from '../i18n';
import { errorText, note } from '../panel-state';
import type { PageProps } from '../store';

import { ROLES, type Role } from '../../../tickets/roles';

function RoleSelect({ id, value, onChange, labelledBy }: { id: string; value: Role; onChange: (r: Role) => void; labelledBy?: string }) {
  return h(
    'select',
    { id, value, 'aria-labelledby': labelledBy, onChange: (ev: Event) => onChange((ev.target as HTMLSelectElement).value as Role) },
    ROLES.map((r) => h('option', { key: r, value: r }, t(`role_${r}` as Key))),
  );
}

function NewUser({ onCreated }: { onCreated: () => void }) {
  const [f, setF] = useState({ login: '', name: '', role: 'agent' as Role, extension: '', password: '', mustChangePassword: true });
  const [error, setError] = useState<string | null>(null);
  const set = (k: keyof typeof f) => (ev: Event) => {
    const el = ev.target as HTMLInputElement;
    setF({ ...f, [k]: el.type === 'checkbox' ? el.checked : el.value });
  };
  const submit = async (ev: Event) => {
    ev.preventDefault();
    setError(null);
    try {
      const made = await api.createAgent({ ...f, name: f.name || f.login, extension: f.extension.trim() || null });
      note(t('userCreated', { login: made.login }));
      setF({ login: '', name: '', role: 'agent', extension: '', password: '', mustChangePassword: true });
      onCreated();
    } catch (err) {
      setError(errorText(err));
    }
  };
  const field = (k: 'login' | 'name' | 'extension' | 'password', label: Key, type = 'text') => [
    h('label', { for: `new-${k}` }, t(label)),
    h('input', { id: `new-${k}`, type, value: f[k], required: k === 'login' || k === 'password', onInput: set(k), autocomplete: 'off' }),
  ];
  return h(
    'form',
    { class: 'new-user', onSubmit: submit, 'aria-labelledby': 'new-user-h', 'data-testid': 'new-user' },
    h('h2', { id: 'new-user-h' }, t('newUser')),
    ...field('login', 'login'),
    ...field('name', 'name'),
    h('label', { for: 'new-role' }, t('role')),
    h(RoleSelect, { id: 'new-role', value: f.role, onChange: (role) => setF({ ...f, role }) }),
    ...field('extension', 'phoneExtension'),
    ...field('password', 'tempPassword', 'password'),
    h('label', { class: 'check' }, h('input', { type: 'checkbox', checked: f.mustChangePassword, onChange: set('mustChangePassword') }), ' ', t('mustChangeBox')),
    error && h('p', { class: 'form-error', role: 'alert' }, error),
    h('button', { type: 'submit', class: 'primary' }, t('create')),
  );
}

function UserRow({ a, onSaved }: { a: Agent; onSaved: (a: Agent) => void }) {
  const [name, setName] = useState(a.name);
  const [role, setRole] = useState<Role>(a.role);
  const [extension, setExtension] = useState(a.extension ?? '');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const save = async (body: Parameters<typeof api.patchAgent>[1], done: string) => {
    setError(null);
    try {
      const saved = await api.patchAgent(a.id, body);
      note(done);
      onSaved(saved);
    } catch (err) {
      setError(errorText(err));
    }
  };
  const id = (k: string) => `${k}-${a.id}`;
  return h(
    'tr',
    { 'data-testid': 'user-row', 'data-login': a.login, 'data-active': String(a.active) },
    h('td', { id: id('login') }, a.login),
    h('td', null, h('input', { id: id('name'), 'aria-labelledby': `col-name ${id('login')}`, value: name, onInput: (ev: Event) => setName((ev.target as HTMLInputElement).value) })),
    h('td', null, h(RoleSelect, { id: id('role'), labelledBy: `col-role ${id('login')}`, value: role, onChange: setRole })),
    h(
      'td',
      null,
      h('input', { id: id('ext'), 'aria-labelledby': `col-phoneExtension ${id('login')}`, size: 6, value: extension, onInput: (ev: Event) => setExtension((ev.target as HTMLInputElement).value) }),
    ),
    h('td', null, a.active ? t('active') : t('inactive'), a.mustChangePassword && h('div', { class: 'small muted' }, t('mustChangeBox'))),
    h(
      'td',
      { class: 'row-actions' },
      h('button', { type: 'button', onClick: () => void save({ name, role, extension: extension.trim() || null }, t('userSaved', { login: a.login })) }, t('saveUser')),
      h(
        'button',
        { type: 'button', 'data-testid': a.active ? 'deactivate' : 'activate', onClick: () => void save({ active: !a.active }, t('userSaved', { login: a.login })) },
        a.active ? t('deactivate') : t('activate'),
      ),
      h(
        'form',
        { class: 'reset', onSubmit: (ev: Event) => (ev.preventDefault(), void save({ password }, t('passwordReset', { login: a.login })).then(() => setPassword(''))) },
        h('input', { id: id('reset'), 'aria-label': `${t('tempPassword')}: ${a.login}`, type: 'password', placeholder: t('tempPassword'), value: password, minLength: 8, required: true, autocomplete: 'new-password', onInput: (ev: Event) => setPassword((ev.target as HTMLInputElement).value) }),
        h('button', { type: 'submit' }, t('resetPassword')),
      ),
      error && h('p', { class: 'form-error', role: 'alert' }, error),
    ),
  );
}

export function UsersPage({ state }: PageProps) {
  const [users, setUsers] = useState<Agent[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = () => api.agents().then(setUsers, (err) => setError(errorText(err)));
  useEffect(() => {
    if (state.agent?.role === 'admin') void load();
  }, []);
  if (state.agent?.role !== 'admin') return h('main', { class: 'page' }, h('p', null, t('noAccess')));
  return h(
    'main',
    { class: 'page users-page', 'data-testid': 'users-page' },
    h('h1', null, t('usersTitle')),
    error && h('p', { class: 'form-error', role: 'alert' }, error),
    users &&
      h(
        'table',
        { class: 'ticket-table' },
        h('thead', null, h('tr', null, ['login', 'name', 'role', 'phoneExtension', 'status', ''].map((k, i) => h('th', { key: i, id: k ? `col-${k}` : undefined, scope: 'col' }, k ? t(k === 'status' ? 'col_status' : (k as Key)) : '')))),
        h('tbody', null, users.map((a) => h(UserRow, { key: `${a.id}:${a.active}:${a.mustChangePassword}`, a, onSaved: (saved) => setUsers((xs) => xs && xs.map((x) => (x.id === saved.id ? saved : x))) }))),
      ),
    h(NewUser, { onCreated: () => void load() }),
  );
}
