// `/admin/blocked` (supervisors and admins): the blocked numbers — block one (number, reason, an
// optional last day), see who blocked which and until when, unblock. `?number=` fills the form in
// (the «Заблокировать номер» action of a call's page).
import { h } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import type { BlockedNumber } from '../../../wire/blocked-number';
import { api } from '../api';
import { formatDateTime, moscowDayStart } from '../format';
import { t } from '../i18n';
import { errorText, note, phoneText } from '../panel-state';
import type { PageProps } from '../store';

function BlockForm({ number, onBlocked }: { number: string; onBlocked: () => void }) {
  const [f, setF] = useState({ number, reason: '', until: '' });
  const [error, setError] = useState<string | null>(null);
  const set = (k: keyof typeof f) => (ev: Event) => setF({ ...f, [k]: (ev.target as HTMLInputElement).value });
  const submit = async (ev: Event) => {
    ev.preventDefault();
    setError(null);
    try {
      // The last day the block holds, inclusive: it ends as the next Moscow day begins.
      const made = await api.blockNumber({ number: f.number, reason: f.reason, until: f.until ? moscowDayStart(f.until, 1) : null });
      note(t('numberBlocked', { number: phoneText(made.number) }));
      setF({ number: '', reason: '', until: '' });
      onBlocked();
    } catch (err) {
      setError(errorText(err));
    }
  };
  return h(
    'form',
    { class: 'new-user', onSubmit: submit, 'aria-labelledby': 'block-h', 'data-testid': 'block-form' },
    h('h2', { id: 'block-h' }, t('blockNumber')),
    h('label', { for: 'block-number' }, t('blockedNumber')),
    h('input', { id: 'block-number', type: 'tel', value: f.number, required: true, maxLength: 40, onInput: set('number'), autocomplete: 'off' }),
    h('label', { for: 'block-reason' }, t('blockReason')),
    h('input', { id: 'block-reason', value: f.reason, required: true, maxLength: 500, onInput: set('reason') }),
    h('label', { for: 'block-until' }, t('blockUntil')),
    h('input', { id: 'block-until', type: 'date', value: f.until, onInput: set('until') }),
    error && h('p', { class: 'form-error', role: 'alert' }, error),
    h('button', { type: 'submit', class: 'primary' }, t('blockNumber')),
  );
}

/** A block ending as a Moscow day begins reads as its last day (as it was entered); any other end as the moment. */
function endText(until: string | null): string {
  if (until === null) return t('blockUntilNone');
  const at = formatDateTime(until);
  if (!at.endsWith(' 00:00')) return t('blockTill', { at });
  return t('blockThrough', { day: formatDateTime(new Date(Date.parse(until) - 60_000)).slice(0, 10) });
}

function BlockedRow({ b, onUnblocked }: { b: BlockedNumber; onUnblocked: () => void }) {
  const [error, setError] = useState<string | null>(null);
  const unblock = async () => {
    setError(null);
    try {
      await api.unblockNumber(b.id);
      note(t('numberUnblocked', { number: phoneText(b.number) }));
      onUnblocked();
    } catch (err) {
      setError(errorText(err));
    }
  };
  return h(
    'tr',
    { 'data-testid': 'blocked-row', 'data-number': b.number, 'data-active': String(b.active) },
    h('td', null, phoneText(b.number)),
    h('td', null, b.reason),
    h('td', null, endText(b.until), !b.active && h('div', { class: 'small muted' }, t('blockExpired'))),
    h('td', null, b.createdBy?.login ?? ''),
    h('td', null, formatDateTime(b.createdAt)),
    h(
      'td',
      null,
      h('button', { type: 'button', 'aria-label': `${t('unblockNumber')}: ${phoneText(b.number)}`, onClick: () => void unblock() }, t('unblockNumber')),
      error && h('p', { class: 'form-error', role: 'alert' }, error),
    ),
  );
}

export function BlockedNumbersPage({ state }: PageProps) {
  const loc = useLocation();
  const [items, setItems] = useState<BlockedNumber[] | null>(null);
  const [all, setAll] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const staff = state.agent?.role === 'supervisor' || state.agent?.role === 'admin';
  const load = () => api.blockedNumbers(all).then((r) => (setItems(r.items), setError(null)), (err) => setError(errorText(err)));
  useEffect(() => {
    if (staff) void load();
  }, [all]);
  if (!staff) return h('main', { class: 'page' }, h('p', null, t('noAccessStaff')));
  return h(
    'main',
    { class: 'page users-page', 'data-testid': 'blocked-page' },
    h('h1', null, t('blockedTitle')),
    h('p', { class: 'muted' }, t('blockedHint')),
    h('label', { class: 'check' }, h('input', { type: 'checkbox', checked: all, onChange: (ev: Event) => setAll((ev.target as HTMLInputElement).checked) }), ' ', t('showExpired')),
    error && h('p', { class: 'form-error', role: 'alert' }, error),
    items !== null &&
      (items.length === 0
        ? h('p', { class: 'muted', 'data-testid': 'no-blocked' }, t('noBlockedNumbers'))
        : h(
            'table',
            { class: 'ticket-table' },
            h('thead', null, h('tr', null, (['blockedNumber', 'blockReason', 'blockEnds', 'blockedBy', 'blockedAt'] as const).map((k) => h('th', { key: k, scope: 'col' }, t(k))), h('th', { scope: 'col' }))),
            h('tbody', null, items.map((b) => h(BlockedRow, { key: b.id, b, onUnblocked: () => void load() }))),
          )),
    h(BlockForm, { number: loc.query.number ?? '', onBlocked: () => void load() }),
  );
}
