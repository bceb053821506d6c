// The sign-in form: the first thing on a fresh browser, and again when a shift's session ends.
import { h } from 'preact';
import { useState } from 'preact/hooks';
import { t } from '../i18n';
import { setLang, signIn } from '../live';
import type { State } from '../store';

export function LoginView({ state }: { state: State }) {
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async (ev: Event) => {
    ev.preventDefault();
    if (busy) return;
    setBusy(true);
    await signIn(login.trim(), password);
    setBusy(false);
  };
  return h(
    'main',
    { class: 'login' },
    h(
      'form',
      { class: 'login-card', onSubmit: submit, 'aria-labelledby': 'login-title' },
      h('div', { class: 'brand brand-large' }, t('appName')),
      h('h1', { id: 'login-title' }, t('loginTitle')),
      state.loginError && h('p', { class: 'form-error', role: 'alert' }, state.loginError),
      h('label', { for: 'login' }, t('login')),
      h('input', {
        id: 'login',
        name: 'login',
        autocomplete: 'username',
        required: true,
        autoFocus: true,
        value: login,
        onInput: (e: Event) => setLogin((e.target as HTMLInputElement).value),
      }),
      h('label', { for: 'password' }, t('password')),
      h('input', {
        id: 'password',
        name: 'password',
        type: 'password',
        autocomplete: 'current-password',
        required: true,
        value: password,
        onInput: (e: Event) => setPassword((e.target as HTMLInputElement).value),
      }),
      h('button', { type: 'submit', class: 'primary', disabled: busy }, busy ? t('signingIn') : t('signIn')),
      h(
        'button',
        { type: 'button', class: 'link', 'aria-label': t('switchLangLabel'), onClick: () => setLang(state.lang === 'ru' ? 'en' : 'ru') },
        t('switchLang'),
      ),
    ),
  );
}
