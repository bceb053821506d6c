// Ringing support calls pop up here at once, stacked when several ring; a call someone else took
// leaves a short note in its place.
import { h } from 'preact';
import { useState } from 'preact/hooks';
import { formatDateTime, formatDuration } from '../format';
import { t } from '../i18n';
import { dismissNote, phoneText } from '../live';
import type { Ring, State } from '../store';
import { CallerCard } from './caller-card';

function summary(ring: Ring): string {
  const c = ring.caller;
  if (!c) return t('loading');
  if (!c.number) return t('firstTimeWithheld');
  const awaiting = c.openTickets.filter((x) => x.status === 'completed').length;
  const parts: string[] = [];
  if (c.openTickets.length) parts.push(t('ringOpen', { n: c.openTickets.length }) + (awaiting ? ` (${t('ringAwaiting', { n: awaiting })})` : ''));
  if (c.calls.length) parts.push(t('ringCalls', { n: c.calls.length }));
  return parts.length ? parts.join(' · ') : t('ringNew');
}

function RingCard({ ring, now, stacked }: { ring: Ring; now: number; stacked: boolean }) {
  const { call } = ring;
  const titleId = `ring-${call.id}`;
  // Several at once: each card shrinks to a line about the caller, opened on demand.
  const [open, setOpen] = useState(false);
  const details = !stacked || open;
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
    details && h('p', { class: 'ring-hint' }, t('answerHint')),
    details
      ? h(CallerCard, { caller: ring.caller, callId: call.id, compact: true })
      : h('p', { class: 'small' }, summary(ring)),
    stacked && h('button', { type: 'button', class: 'link', 'aria-expanded': open, onClick: () => setOpen(!open) }, open ? t('less') : t('more')),
  );
}

export function RingStack({ state }: { state: State }) {
  const newest = state.rings[state.rings.length - 1];
  return h(
    'div',
    { class: 'ring-stack' },
    // Screen readers hear who is calling the moment it rings, without the focus being taken.
    h('div', { class: 'visually-hidden', role: 'alert' }, newest ? `${t('incomingCall')}: ${phoneText(newest.call.callerNumber)}` : ''),
    state.rings.map((r) => h(RingCard, { key: r.call.id, ring: r, now: state.now, stacked: state.rings.length > 1 })),
    h(
      'div',
      { class: 'notes', role: 'status', 'aria-live': 'polite' },
      state.notes.map((n) =>
        h(
          'div',
          { key: n.id, class: `note ${n.tone}`, 'data-testid': 'note' },
          n.href ? h('a', { href: n.href, onClick: () => dismissNote(n.id) }, n.text) : h('span', null, n.text),
          h('button', { type: 'button', class: 'ghost small', 'aria-label': t('dismiss'), onClick: () => dismissNote(n.id) }, '×'),
        ),
      ),
    ),
  );
}
