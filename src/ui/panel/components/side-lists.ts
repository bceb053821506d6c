// The left column: the calls live now, and the missed calls waiting for a call back.
import { h } from 'preact';
import { useState } from 'preact/hooks';
import { formatDateTime, formatDuration } from '../format';
import { t, type Key } from '../i18n';
import { discardCallbacks, errorText, focusCase, phoneText, refreshCallbacks } from '../live';
import type { State } from '../store';
import { groupCallbacks, type CallbackGroup } from '../callback-groups';
import type { Call } from '../../../wire/call';

function callStatus(call: Call, ext: string | null): string {
  if (call.answeredAt) return t('talking');
  if (ext && call.legs.some((l) => l.extension === ext && !l.endedAt)) return t('ringing');
  return call.queue ? t('onHold') : t('ringing');
}

export function LiveCalls({ state }: { state: State }) {
  const ext = state.agent?.extension ?? null;
  const live = Object.values(state.calls)
    .filter((c) => !c.endedAt)
    .sort((a, b) => a.startedAt.localeCompare(b.startedAt));
  return h(
    'section',
    { class: 'side-section', 'aria-labelledby': 'live-title' },
    h('h2', { id: 'live-title' }, t('liveCalls'), live.length > 0 && h('span', { class: 'count' }, String(live.length))),
    live.length === 0
      ? h('p', { class: 'muted' }, t('noLiveCalls'))
      : h(
          'ul',
          { class: 'live-calls', 'data-testid': 'live-calls' },
          live.map((c) => {
            const k = state.cases.find((x) => x.callId === c.id);
            const who = c.owner?.extension ?? c.answeredBy?.extension;
            const body = [
              h('span', { class: 'live-number' }, phoneText(c.direction === 'outbound' ? (c.calledNumber ?? null) : c.callerNumber)),
              h('span', { class: 'muted small' }, callStatus(c, ext), who ? ` · ${t('answeredByExt', { ext: who })}` : '', ' · ', formatDuration(c.answeredAt ?? c.startedAt, state.now)),
            ];
            return h(
              'li',
              { key: c.id, class: c.answeredAt ? 'talking' : 'ringing' },
              k ? h('button', { type: 'button', class: 'row-button', onClick: () => focusCase(k.id) }, body) : h('div', { class: 'row' }, body),
            );
          }),
        ),
  );
}

const STAFF_REASONS = ['callback_done', 'wrong_number', 'test', 'duplicate'] as const;

function CallbackLine({ group, staff }: { group: CallbackGroup; staff: boolean }) {
  const [reason, setReason] = useState<string>('callback_done');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const last = group.tickets[0];
  const remove = async () => {
    setBusy(true);
    setError(null);
    try {
      await discardCallbacks(group.tickets, reason);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  // The oldest missed call of the number sets when the call back is due (support time).
  const due = group.tickets.map((x) => x.callbackDueAt).filter((x): x is string => !!x).sort()[0];
  const overdue = !!due && Date.parse(due) < Date.now();
  return h(
    'li',
    { class: 'callback', 'data-testid': 'callback' },
    h(
      'div',
      { class: 'callback-head' },
      group.number ? h('a', { href: `tel:${group.number}`, class: 'live-number', title: t('dial') }, phoneText(group.number)) : h('span', { class: 'live-number' }, t('withheld')),
      h('span', { class: 'count warn' }, t('missedCount', { n: group.tickets.length })),
    ),
    h('div', { class: 'muted small' }, t('lastMissed', { time: formatDateTime(last.createdAt) })),
    due && h('div', { class: `small callback-due${overdue ? ' overdue' : ''}`, 'data-testid': 'callback-due', 'data-overdue': String(overdue) }, t(overdue ? 'callbackOverdue' : 'callbackDue', { time: formatDateTime(due) })),
    staff &&
      h(
        'div',
        { class: 'actions small-actions' },
        h(
          'select',
          { 'aria-label': t('discardReason'), value: reason, onChange: (e: Event) => setReason((e.target as HTMLSelectElement).value) },
          STAFF_REASONS.map((r) => h('option', { key: r, value: r }, t(`r_${r}` as Key))),
        ),
        h('button', { type: 'button', disabled: busy, onClick: () => void remove() }, t('discard')),
      ),
    error && h('p', { class: 'form-error', role: 'alert' }, error),
  );
}

export function Callbacks({ state }: { state: State }) {
  const staff = state.agent?.role !== 'agent';
  const list = state.callbacks;
  const gs = list ? groupCallbacks(list) : [];
  return h(
    'section',
    { class: 'side-section', 'aria-labelledby': 'callbacks-title', 'data-testid': 'callbacks' },
    h('h2', { id: 'callbacks-title' }, t('callbacks'), gs.length > 0 && h('span', { class: 'count warn' }, String(gs.length))),
    state.callbacksError && h('p', { class: 'form-error' }, state.callbacksError, ' ', h('button', { type: 'button', class: 'link', onClick: () => void refreshCallbacks() }, t('retry'))),
    list === null
      ? h('p', { class: 'muted' }, t('loading'))
      : gs.length === 0
        ? h('p', { class: 'muted' }, t('noCallbacks'))
        : [h('ul', { class: 'callbacks' }, gs.map((g) => h(CallbackLine, { key: g.key, group: g, staff }))), h('p', { class: 'hint' }, t('callbacksHint'))],
  );
}
