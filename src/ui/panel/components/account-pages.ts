// One's own account: the password form (forced when an admin set the password, and at `/me`).
import { h } from 'preact';
import { useState } from 'preact/hooks';
import { api } from '../api';
import { t, type Key } from '../i18n';
import { errorText } from '../panel-state';
import { passwordChanged } from '../session-flow';
import type { PageProps } from '../store';

export function ChangePasswordForm({ forced }: { forced: boolean }) {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const submit = async (ev: Event) => {
    ev.preventDefault();
    setError(null);
    setDone(false);
    if (next !== again) return setError(t('passwordsDiffer'));
    setBusy(true);
    try {
      await api.changePassword(current, next);
      setCurrent('');
      setNext('');
      setAgain('');
      setDone(true);
      passwordChanged();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  const input = (id: string, label: Key, value: string, set: (v: string) => void, autocomplete: string) => [
    h('label', { for: id }, t(label)),
    h('input', { id, type: 'password', required: true, autocomplete, value, onInput: (ev: Event) => set((ev.target as HTMLInputElement).value) }),
  ];
  return h(
    'form',
    { class: 'login-card password-form', onSubmit: submit, 'aria-labelledby': 'password-title', 'data-testid': 'password-form' },
    h('h1', { id: 'password-title' }, forced ? t('mustChangeTitle') : t('changePassword')),
    forced && h('p', null, t('mustChangeText')),
    ...input('current-password', 'currentPassword', current, setCurrent, 'current-password'),
    ...input('new-password', 'newPassword', next, setNext, 'new-password'),
    ...input('repeat-password', 'repeatPassword', again, setAgain, 'new-password'),
    error && h('p', { class: 'form-error', role: 'alert' }, error),
    done && h('p', { role: 'status', 'data-testid': 'password-changed' }, t('passwordChanged')),
    h('button', { type: 'submit', class: 'primary', disabled: busy }, t('savePassword')),
  );
}

/** `/me`: who I am here, and my password. */
export function MePage({ state }: PageProps) {
  const me = state.agent!;
  return h(
    'main',
    { class: 'page me-page' },
    h('h1', null, me.name || me.login),
    h('p', { class: 'muted' }, `${t('login')}: ${me.login} · ${t('role')}: ${t(`role_${me.role}` as Key)} · ${me.extension ? t('extension', { ext: me.extension }) : t('noExtension')}`),
    h(ChangePasswordForm, { forced: false }),
  );
}
