// Who is calling: their open requests (one awaiting their confirmation first, with the customer's
// decisions the agent records on their behalf) and their last calls.
import { CallerNames } from './customer-card';
import { h } from 'preact';
import { useState } from 'preact/hooks';
import { formatDateTime } from '../format';
import { t, type Key } from '../i18n';
import { customerDecision, errorText, type Decision } from '../live';
import type { Caller } from '../../../wire/caller';
import type { Ticket } from '../../../wire/ticket';

export function statusText(status: string): string {
  return t(`status_${status}` as Key);
}

function summary(tk: Ticket): string {
  const text = tk.subject.trim() || tk.description.trim();
  return text.length > 90 ? `${text.slice(0, 88)}…` : text;
}

function OpenTicket({ ticket, callId, onLink }: { ticket: Ticket; callId: string | null; onLink?: (t: Ticket) => Promise<void> }) {
  const [mode, setMode] = useState<'idle' | 'disagree' | 'withdraw'>('idle');
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const awaiting = ticket.status === 'completed';
  const reasonId = `reason-${ticket.id}`;

  const run = async (fn: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
      setMode('idle');
      setComment('');
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  const decide = (d: Decision, c?: string) => run(() => customerDecision(ticket, d, callId, c));

  return h(
    'li',
    { class: `open-ticket${awaiting ? ' awaiting' : ''}`, 'data-testid': 'open-ticket' },
    h(
      'div',
      { class: 'open-ticket-head' },
      h('strong', { class: 'ticket-number' }, ticket.number ?? t('draft')),
      h('span', { class: `badge status-${ticket.status}` }, awaiting ? t('awaitingConfirmation') : statusText(ticket.status)),
    ),
    summary(ticket) && h('div', { class: 'open-ticket-text' }, summary(ticket)),
    h('div', { class: 'muted small' }, formatDateTime(ticket.registeredAt ?? ticket.createdAt)),
    error && h('p', { class: 'form-error', role: 'alert' }, error),
    mode === 'idle' &&
      h(
        'div',
        { class: 'actions small-actions' },
        onLink && h('button', { type: 'button', disabled: busy, onClick: () => run(() => onLink(ticket)) }, t('linkHere')),
        awaiting && h('button', { type: 'button', disabled: busy, onClick: () => decide('confirm') }, t('confirm')),
        awaiting && h('button', { type: 'button', disabled: busy, onClick: () => setMode('disagree') }, t('disagree')),
        h('button', { type: 'button', disabled: busy, onClick: () => setMode('withdraw') }, t('withdraw')),
      ),
    mode !== 'idle' &&
      h(
        'form',
        {
          class: 'decision-form',
          onSubmit: (ev: Event) => {
            ev.preventDefault();
            if (mode === 'disagree' && !comment.trim()) return setError(t('reasonRequired'));
            void decide(mode, comment.trim() || undefined);
          },
        },
        h('label', { for: reasonId }, mode === 'disagree' ? t('reason') : t('withdraw')),
        h('textarea', {
          id: reasonId,
          rows: 2,
          required: mode === 'disagree',
          value: comment,
          autoFocus: true,
          onInput: (e: Event) => setComment((e.target as HTMLTextAreaElement).value),
        }),
        h(
          'div',
          { class: 'actions small-actions' },
          h('button', { type: 'submit', class: 'primary', disabled: busy }, t('save')),
          h('button', { type: 'button', disabled: busy, onClick: () => (setMode('idle'), setError(null)) }, t('cancel')),
        ),
      ),
  );
}

export function CallerCard(props: { caller: Caller | null; callId: string | null; compact?: boolean; onLink?: (t: Ticket) => Promise<void> }) {
  const { caller, callId, compact } = props;
  if (!caller) return h('p', { class: 'muted' }, t('loading'));
  if (!caller.number) return h('p', { class: 'muted' }, t('firstTimeWithheld'));
  const calls = caller.calls.slice(0, compact ? 3 : 8);
  return h(
    'div',
    { class: 'caller-card' },
    h(CallerNames, { number: caller.number }),
    h('h3', null, t('openRequests')),
    caller.openTickets.length === 0
      ? h('p', { class: 'muted' }, t('noOpenRequests'))
      : h('ul', { class: 'open-tickets' }, caller.openTickets.map((tk) => h(OpenTicket, { key: tk.id, ticket: tk, callId, onLink: props.onLink }))),
    h('h3', null, t('lastCalls')),
    calls.length === 0
      ? h('p', { class: 'muted' }, t('noLastCalls'))
      : h(
          'ul',
          { class: 'last-calls' },
          calls.map((c) =>
            h(
              'li',
              { key: c.id },
              h('span', null, formatDateTime(c.startedAt)),
              ' · ',
              h('span', null, c.direction === 'outbound' ? t('outbound') : t(`outcome_${c.outcome ?? 'unknown'}` as Key)),
              c.answeredByExtension && h('span', { class: 'muted' }, ' · ', t('answeredByExt', { ext: c.answeredByExtension })),
            ),
          ),
        ),
  );
}
