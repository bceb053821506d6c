// `/review` (supervisors): what needs a second look, oldest first — each with why it is there, a
// link to its call or request, and «Разобрано» with a note. The list follows request changes.
import { h } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { ReviewItemView } from '../../../wire/review';
import { call } from '../api';
import { formatDateTime } from '../format';
import { t, type Key } from '../i18n';
import { errorText, phoneText } from '../panel-state';
import { onRequestChange } from '../requests';
import type { PageProps } from '../store';

const reviewApi = {
  items: () => call<{ items: ReviewItemView[] }>('GET', '/api/review'),
  resolve: (id: string, note: string) => call<void>('POST', `/api/review/${encodeURIComponent(id)}/resolve`, { note }),
};

/** Why the item is there, in words, with its figures. */
function why(i: ReviewItemView): string {
  const d = i.detail;
  const extra =
    i.kind === 'thin_description' ? t('rvThinChars', { count: d.descriptionLength ?? 0 })
    : i.kind === 'reopened_twice' ? t('rvReopenedTimes', { count: d.reopened ?? 0 })
    : i.kind === 'callback_overdue' && d.dueAt ? t('rvDueWas', { time: formatDateTime(d.dueAt) })
    : i.kind === 'customer_unanswered' && d.customerWroteAt ? t('rvWroteAt', { time: formatDateTime(d.customerWroteAt) })
    : i.kind === 'surge' ? t('rvSurgeCalls', { calls: d.calls ?? 0, numbers: d.numbers ?? 0 })
    : i.kind === 'mail_quarantined' ? [d.from, d.reason].filter(Boolean).join(': ')
    : '';
  return [t(`rv_${i.kind}` as Key), extra].filter(Boolean).join(' · ');
}

function Item({ item, onResolved }: { item: ReviewItemView; onResolved: () => void }) {
  const [note, setNote] = useState('');
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (ev: Event) => {
    ev.preventDefault();
    setError(null);
    try {
      await reviewApi.resolve(item.id, note);
      onResolved();
    } catch (err) {
      setError(errorText(err));
    }
  };
  const subject = item.kind === 'mail_quarantined'
    ? h('a', { href: '/admin/mail' }, t('navMail'))
    : item.ticketId
    ? h('a', { href: `/tickets/${item.detail.ticketNumber ?? item.ticketId}` }, item.detail.ticketNumber ?? t('draft'))
    : item.callId
      ? h('a', { href: `/calls/${item.callId}` }, t('rvTheCall'))
      : null;
  return h(
    'li',
    { class: 'review-item', 'data-testid': 'review-item', 'data-kind': item.kind },
    h('div', null, h('strong', null, why(item)), ' ', subject, item.detail.callerNumber && h('span', { class: 'muted' }, ` · ${phoneText(item.detail.callerNumber)}`)),
    h('div', { class: 'muted small' }, t('rvSince', { time: formatDateTime(item.since) }), item.callId && item.ticketId && h('span', null, ' · ', h('a', { href: `/calls/${item.callId}` }, t('rvTheCall')))),
    open
      ? h(
          'form',
          { class: 'review-resolve', onSubmit: submit },
          h('label', { for: `note-${item.id}` }, t('rvNote')),
          h('input', { id: `note-${item.id}`, value: note, required: true, maxLength: 2000, onInput: (e: Event) => setNote((e.target as HTMLInputElement).value) }),
          h('button', { type: 'submit', disabled: !note.trim() }, t('rvResolve')),
          error && h('p', { class: 'form-error', role: 'alert' }, error),
        )
      : h('button', { type: 'button', class: 'link', onClick: () => setOpen(true) }, t('rvResolve')),
  );
}

export function ReviewPage({ state }: PageProps) {
  const [items, setItems] = useState<ReviewItemView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const staff = state.agent?.role !== 'agent';
  const load = () =>
    reviewApi.items().then(
      (r) => (setItems(r.items), setError(null)),
      (err) => setError(errorText(err)),
    );
  useEffect(() => {
    if (!staff) return;
    void load();
    // A request changing may take its item off (a description written, a request started): read
    // again, at most every two seconds however busy the line is.
    let pending: number | null = null;
    const stop = onRequestChange(() => {
      pending ??= window.setTimeout(() => ((pending = null), void load()), 2000);
    });
    const timer = window.setInterval(() => void load(), 60_000);
    return () => {
      stop();
      window.clearInterval(timer);
      if (pending !== null) window.clearTimeout(pending);
    };
  }, [staff]);
  if (!staff) return h('main', { class: 'page' }, h('p', { class: 'muted', 'data-testid': 'supervisors-only' }, t('supervisorsOnly')));
  return h(
    'main',
    { class: 'page', 'data-testid': 'review' },
    h('h1', null, t('reviewTitle'), items && ` (${items.length})`),
    error && h('p', { class: 'form-error', role: 'alert' }, error),
    !items
      ? h('p', { class: 'muted', role: 'status' }, t('loading'))
      : items.length === 0
        ? h('p', { class: 'muted' }, t('rvEmpty'))
        : h('ul', { class: 'review-list' }, items.map((i) => h(Item, { key: i.id, item: i, onResolved: () => void load() }))),
  );
}
