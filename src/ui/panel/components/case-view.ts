// The work of one call: who is on the line, the requests made in it (tabs when more than one)
// and, beside them, the caller's open requests and last calls.
import { h } from 'preact';
import { formatDateTime, formatDuration } from '../format';
import { t } from '../i18n';
import { closeCase, editors, focusCase, linkToExisting, phoneText } from '../live';
import type { Case, State } from '../store';
import type { Ticket } from '../../../wire/ticket';
import { CallerCard, statusText } from './caller-card';
import { TicketPanel } from './ticket-panel';

function tabLabel(tk: Ticket, i: number): string {
  if (tk.number) return tk.number;
  const subject = tk.subject.trim();
  return subject ? (subject.length > 28 ? `${subject.slice(0, 27)}…` : subject) : `${t('newRequest')} ${i + 1}`;
}

export function CaseView({ state, kase }: { state: State; kase: Case }) {
  const agent = state.agent!;
  const call = kase.callId ? state.calls[kase.callId] : undefined;
  const tickets = kase.ticketIds.map((id) => editors.get(id)).filter((e) => e !== undefined);
  const active = editors.get(kase.active) ?? tickets[0];
  const closable = tickets.every((e) => e.base.status !== 'draft' && !e.hasUnsent);
  const callState = !call
    ? ''
    : call.endedAt
      ? `${t('callEnded')} · ${formatDuration(call.answeredAt ?? call.startedAt, state.now, call.endedAt)}`
      : call.answeredAt
        ? `${t('callLive')} · ${formatDuration(call.answeredAt, state.now)}`
        : t('callRinging');
  const activeDraft = active && active.base.status === 'draft' ? active : null;
  const onLink = kase.linking && activeDraft && kase.callId ? (tk: Ticket) => linkToExisting(kase.id, activeDraft.id, tk) : undefined;

  return h(
    'section',
    { class: 'case', 'aria-labelledby': `case-${kase.id}`, 'data-testid': 'case' },
    h(
      'div',
      { class: 'case-head' },
      h('h2', { id: `case-${kase.id}`, class: 'case-number', 'data-testid': 'case-number' }, phoneText(kase.callerNumber)),
      h('span', { class: `badge ${call && !call.endedAt ? 'live' : ''}` }, callState),
      call && h('span', { class: 'muted small' }, formatDateTime(call.startedAt)),
      h('span', { class: 'spacer' }),
      closable && h('button', { type: 'button', class: 'ghost', title: t('closeCaseHint'), onClick: () => closeCase(kase.id) }, t('closeCase')),
    ),
    tickets.length > 1 &&
      h(
        'div',
        { class: 'tabs', role: 'tablist', 'aria-label': t('request') },
        tickets.map((e, i) =>
          h(
            'button',
            {
              key: e.id,
              type: 'button',
              role: 'tab',
              id: `tab-${e.id}`,
              'aria-selected': e === active,
              'aria-controls': `tabpanel-${kase.id}`,
              class: `tab${e === active ? ' active' : ''}`,
              onClick: () => focusCase(kase.id, e.id),
            },
            tabLabel(e.base, i),
            h('span', { class: 'muted small' }, ` · ${statusText(e.base.status)}`),
          ),
        ),
      ),
    h(
      'div',
      { class: 'case-body' },
      h(
        'div',
        { class: 'case-main', id: `tabpanel-${kase.id}`, role: tickets.length > 1 ? 'tabpanel' : undefined, 'aria-labelledby': tickets.length > 1 && active ? `tab-${active.id}` : undefined },
        active
          ? h(TicketPanel, { key: active.id, editor: active, kase, agent, focusRequest: state.focusRequest, focused: state.focusCase === kase.id })
          : h('p', { class: 'muted' }, t('loading')),
      ),
      h(
        'aside',
        { class: `case-side${kase.linking ? ' linking' : ''}`, 'aria-label': t('openRequests') },
        kase.linking && h('p', { class: 'hint' }, t('aboutExistingHint')),
        h(CallerCard, { caller: kase.caller, callId: kase.callId, onLink }),
      ),
    ),
  );
}
