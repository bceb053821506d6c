// The whole page: sign-in, or the panel (top bar, live calls and call-backs on the left, the work
// of the current call in the middle, ringing calls popping up on the right).
import { h } from 'preact';
import { useEffect } from 'preact/hooks';
import { t } from '../i18n';
import { editors, focusCase, phoneText, signOut } from '../live';
import { useAppState, type PageProps, type State } from '../store';
import { CaseView } from './case-view';
import { LoginView } from './login-view';
import { RingStack } from './ring-stack';
import { Callbacks, LiveCalls } from './side-lists';
import { ConnectionBanner, TopBar } from './top-bar';
import { VERSION } from '../version';
import { LocationProvider, Router, useLocation } from 'preact-iso';
import { RequestPage } from './request-page';
import { TicketList } from './ticket-list';
import { NewRequest } from './new-request';
import { ChangePasswordForm, MePage } from './account-pages';
import { UsersPage } from './users-page';
import { BlockedNumbersPage } from './blocked-page';
import { MailPage } from './mail-page';
import { ContactPage, ContactsPage, OrganisationPage } from './directory-pages';
import { CallLog, CallPage } from './call-log';
import { BoardPage } from './board-page';
import { ReviewPage } from './review-page';
import { ReportsPage } from './reports-page';

function Work({ state }: { state: State }) {
  const { cases } = state;
  const current = cases.find((k) => k.id === state.focusCase) ?? cases[cases.length - 1];
  if (!current) {
    return h('div', { class: 'empty' }, h('h2', null, t('nothingYet')), h('p', { class: 'muted' }, t('nothingYetHint')));
  }
  return h(
    'div',
    { class: 'work-inner' },
    cases.length > 1 &&
      h(
        'nav',
        { class: 'case-switcher', 'aria-label': t('liveCalls') },
        cases.map((k) => {
          const drafts = k.ticketIds.filter((id) => editors.get(id)?.base.status === 'draft').length;
          return h(
            'button',
            { key: k.id, type: 'button', class: `case-chip${k === current ? ' active' : ''}`, 'aria-current': k === current ? 'true' : undefined, onClick: () => focusCase(k.id) },
            phoneText(k.callerNumber),
            drafts > 0 && h('span', { class: 'muted small' }, ` · ${t('draft')}`),
          );
        }),
      ),
    h(CaseView, { key: current.id, state, kase: current }),
  );
}

/** Which release this is: what an admin or the vendor's support asks first. */
export function VersionFooter() {
  return h('footer', { class: 'app-footer muted small', 'data-testid': 'version' }, t('versionLine', { version: VERSION }));
}

function LivePanel({ state }: PageProps) {
  return h(
    'div',
    { class: 'layout' },
    h('aside', { class: 'side' }, h(LiveCalls, { state }), h(Callbacks, { state })),
    h('main', { class: 'work' }, h(Work, { state })),
  );
}

function NoSuchPage(_: PageProps) {
  return h('main', { class: 'page' }, h('p', null, h('a', { href: '/' }, t('navCalls'))));
}

/** The signed-in pages; ringing calls pop up over any of them. */
function Pages({ state }: { state: State }) {
  const loc = useLocation();
  // An answered call's request takes the keyboard: it is worked in the live panel, wherever the agent was.
  useEffect(() => {
    if (state.focusRequest > 0 && loc.path !== '/') loc.route('/');
  }, [state.focusRequest]);
  return h(
    Router,
    null,
    h(LivePanel, { path: '/', state }),
    h(TicketList, { path: '/tickets', state }),
    h(NewRequest, { path: '/tickets/new', state }),
    h(RequestPage, { path: '/tickets/:key', state }),
    h(CallLog, { path: '/calls', state }),
    h(CallPage, { path: '/calls/:id', state }),
    h(BoardPage, { path: '/board', state }),
    h(ReviewPage, { path: '/review', state }),
    h(ContactsPage, { path: '/contacts', state }),
    h(ContactPage, { path: '/contacts/:id', state }),
    h(OrganisationPage, { path: '/organisations/:id', state }),
    h(MePage, { path: '/me', state }),
    h(UsersPage, { path: '/admin/users', state }),
    h(BlockedNumbersPage, { path: '/admin/blocked', state }),
    h(MailPage, { path: '/admin/mail', state }),
    h(ReportsPage, { path: '/reports', state }),
    h(NoSuchPage, { default: true, state }),
  );
}

export function App() {
  return h(LocationProvider, null, h(Shell, null));
}

function Shell() {
  const state = useAppState();
  // A ringing call shows in the browser's tab too, for an agent looking at another window.
  const ringing = state.rings.length > 0 ? `☎ ${phoneText(state.rings[state.rings.length - 1].call.callerNumber)} · ` : '';
  useEffect(() => {
    document.title = `${ringing}${t('appName')}`;
  }, [ringing]);
  if (state.agent === undefined) return h('div', { class: 'splash', role: 'status' }, t('loading'));
  if (state.agent === null) return h('div', { class: 'app' }, h(LoginView, { state }), h(VersionFooter, null));
  // A password an admin set is changed before anything else.
  if (state.agent.mustChangePassword) {
    return h(
      'div',
      { class: 'app' },
      h('main', { class: 'login' }, h(ChangePasswordForm, { forced: true }), h('button', { type: 'button', class: 'link', onClick: () => void signOut() }, t('logout'))),
      h(VersionFooter, null),
    );
  }
  // Pop-ups and notes get a column of their own while there are any (see .app.pops in the styles).
  const pops = state.rings.length > 0 || state.notes.length > 0;
  return h(
    'div',
    { class: pops ? 'app pops' : 'app' },
    h(TopBar, { state }),
    h(ConnectionBanner, { state }),
    h(Pages, { state }),
    h(RingStack, { state }),
    h(VersionFooter, null),
  );
}
