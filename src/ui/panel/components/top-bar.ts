// The bar across the top: who is signed in, the PBX and server connection, language, sign-out;
// and the banner while the server cannot be reached.
import { h } from 'preact';
import { useLocation } from 'preact-iso';
import { t } from '../i18n';
import { setLang, signOut } from '../live';
import type { State } from '../store';

export function TopBar({ state }: { state: State }) {
  const agent = state.agent!;
  const { path } = useLocation();
  const pbx = state.pbx;
  const pbxUp = pbx.length > 0 && pbx.every((p) => p.connected);
  const pbxText = pbx.length === 0 ? t('pbxNone') : pbxUp ? t('pbxOnline') : t('pbxOffline');
  return h(
    'header',
    // Staff have twice an agent's sections: theirs go on a row of their own rather than squeezing
    // who is signed in and the PBX's state into broken lines.
    { class: agent.role === 'agent' ? 'top-bar' : 'top-bar staff' },
    h('div', { class: 'brand' }, t('appName')),
    h(
      'nav',
      { class: 'sections', 'aria-label': t('navLabel') },
      h('a', { href: '/', 'aria-current': path === '/' ? 'page' : undefined, 'data-testid': 'nav-calls' }, t('navCalls')),
      h('a', { href: '/tickets', 'aria-current': path.startsWith('/tickets') ? 'page' : undefined, 'data-testid': 'nav-tickets' }, t('navTickets')),
      state.waitingMine > 0 &&
        h(
          'a',
          { href: '/tickets?view=mine&waits=1', class: 'waiting-badge', title: t('waitingMineTitle', { n: String(state.waitingMine) }), 'data-testid': 'waiting-badge' },
          t('waitingMine', { n: String(state.waitingMine) }),
        ),
      h('a', { href: '/calls', 'aria-current': path.startsWith('/calls') ? 'page' : undefined, 'data-testid': 'nav-calls-log' }, t('navCallLog')),
      agent.role !== 'agent' && h('a', { href: '/board', 'aria-current': path === '/board' ? 'page' : undefined, 'data-testid': 'nav-board' }, t('navBoard')),
      agent.role !== 'agent' && h('a', { href: '/review', 'aria-current': path === '/review' ? 'page' : undefined, 'data-testid': 'nav-review' }, t('navReview')),
      h('a', { href: '/contacts', 'aria-current': path.startsWith('/contacts') || path.startsWith('/organisations') ? 'page' : undefined, 'data-testid': 'nav-contacts' }, t('navContacts')),
      agent.role !== 'agent' && h('a', { href: '/admin/blocked', 'aria-current': path === '/admin/blocked' ? 'page' : undefined, 'data-testid': 'nav-blocked' }, t('navBlocked')),
      agent.role !== 'agent' && h('a', { href: '/reports', 'aria-current': path === '/reports' ? 'page' : undefined, 'data-testid': 'nav-reports' }, t('navReports')),
      agent.role === 'admin' && h('a', { href: '/admin/mail', 'aria-current': path === '/admin/mail' ? 'page' : undefined, 'data-testid': 'nav-mail' }, t('navMail')),
      agent.role === 'admin' && h('a', { href: '/admin/users', 'aria-current': path === '/admin/users' ? 'page' : undefined, 'data-testid': 'nav-users' }, t('navUsers')),
    ),
    h(
      'div',
      { class: 'who' },
      h('a', { href: '/me', title: t('navMe'), 'data-testid': 'nav-me' }, h('strong', null, agent.name || agent.login)),
      ' · ',
      agent.extension ? t('extension', { ext: agent.extension }) : t('noExtension'),
    ),
    h(
      'div',
      { class: `chip ${pbxUp ? 'ok' : 'bad'}`, role: 'status', 'aria-live': 'polite', 'data-testid': 'pbx-status', title: pbx.map((p) => `${p.id}: ${p.connected ? '✓' : '✗'}`).join(', ') },
      h('span', { class: 'dot', 'aria-hidden': 'true' }),
      pbxText,
    ),
    h('div', { class: 'spacer' }),
    h('button', { type: 'button', class: 'ghost', 'aria-label': t('switchLangLabel'), onClick: () => setLang(state.lang === 'ru' ? 'en' : 'ru') }, t('switchLang')),
    h('button', { type: 'button', class: 'ghost', onClick: () => void signOut() }, t('logout')),
  );
}

export function ConnectionBanner({ state }: { state: State }) {
  if (state.link === 'open') return null;
  if (state.link === 'connecting') return h('div', { class: 'banner info', role: 'status' }, t('serverConnecting'));
  return h('div', { class: 'banner warn', role: 'alert', 'data-testid': 'disconnected' }, t('serverDown'));
}
