// Ringing support calls pop up here at once, stacked when several ring; a call someone else took
// leaves a short note in its place.
import { h } from 'preact';
import { formatDateTime, formatDuration } from '../format';
import { t } from '../i18n';
import { dismissNote, phoneText } from '../live';
import type { Ring, State } from '../store';
import { CallerCard } from './caller-card';

function RingCard({ ring, now }: { ring: Ring; now: number }) {
  const { call } = ring;
  const titleId = `ring-${call.id}`;
  return h(
    'section',
    { class: 'ring-card', role: 'region', 'aria-labelledby': titleId, 'data-testid': 'ring' },
    h(
      'div',
      { class: 'ring-head' },
      h('span', { class: 'ring-icon', 'aria-hidden': 'true' }, '☎'),
      h('span', null, t('incomingCall'), call.supportLine ? ` · ${t('supportLine')}` : ''),
      h('span', { class: 'spacer' }),
      h('span', { class: 'muted' }, formatDuration(call.startedAt, now)),
    ),
    h('h2', { id: titleId, class: 'ring-number', 'data-testid': 'ring-number' }, phoneText(call.callerNumber)),
    call.callerName && call.callerName !== call.callerNumber && h('div', { class: 'ring-name' }, call.callerName),
    h('div', { class: 'muted small' }, formatDateTime(call.startedAt), call.afterHours ? ` · ${t('afterHours')}` : ''),
    h('p', { class: 'ring-hint' }, t('answerHint')),
    h(CallerCard, { caller: ring.caller, callId: call.id, compact: true }),
  );
}

export function RingStack({ state }: { state: State }) {
  const newest = state.rings[state.rings.length - 1];
  return h(
    'div',
    { class: 'ring-stack' },
    // Screen readers hear who is calling the moment it rings, without the focus being taken.
    h('div', { class: 'visually-hidden', role: 'alert' }, newest ? `${t('incomingCall')}: ${phoneText(newest.call.callerNumber)}` : ''),
    state.rings.map((r) => h(RingCard, { key: r.call.id, ring: r, now: state.now })),
    h(
      'div',
      { class: 'notes', role: 'status', 'aria-live': 'polite' },
      state.notes.map((n) =>
        h(
          'div',
          { key: n.id, class: `note ${n.tone}`, 'data-testid': 'note' },
          h('span', null, n.text),
          h('button', { type: 'button', class: 'ghost small', 'aria-label': t('dismiss'), onClick: () => dismissNote(n.id) }, '×'),
        ),
      ),
    ),
  );
}
