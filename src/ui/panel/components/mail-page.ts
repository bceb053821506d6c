// `/admin/mail` (admins): incoming mail the intake could not read, kept in quarantine with the
// reason — read it again (after a fix) or drop it. The mail after it was read as usual.
import { h } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { QuarantinedMailBody } from '../../../wire/mail';
import { api } from '../api';
import { formatDateTime } from '../format';
import { t } from '../i18n';
import { errorText, note } from '../panel-state';
import type { PageProps } from '../store';

function QuarantineRow({ m, onDone }: { m: QuarantinedMailBody; onDone: () => void }) {
  const [error, setError] = useState<string | null>(null);
  const act = async (what: 'retry' | 'drop') => {
    setError(null);
    try {
      if (what === 'drop') {
        await api.dropMail(m.id);
        note(t('mailDropped'));
      } else {
        const r = await api.retryMail(m.id);
        note(r.outcome === 'quarantined' ? t('mailStillUnreadable', { reason: r.reason ?? '' }) : t('mailRead'));
      }
      onDone();
    } catch (err) {
      setError(errorText(err));
    }
  };
  return h(
    'tr',
    { 'data-testid': 'quarantined-mail', 'data-id': m.id },
    h('td', null, formatDateTime(m.receivedAt)),
    h('td', null, m.from ?? t('mailNoSender')),
    h('td', null, m.subject),
    h('td', null, m.reason),
    h(
      'td',
      null,
      h('button', { type: 'button', onClick: () => void act('retry'), 'aria-label': `${t('mailRetry')}: ${m.subject}` }, t('mailRetry')),
      ' ',
      h('button', { type: 'button', onClick: () => void act('drop'), 'aria-label': `${t('mailDrop')}: ${m.subject}` }, t('mailDrop')),
      error && h('p', { class: 'form-error', role: 'alert' }, error),
    ),
  );
}

export function MailPage({ state }: PageProps) {
  const [items, setItems] = useState<QuarantinedMailBody[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const admin = state.agent?.role === 'admin';
  const load = () => api.quarantinedMail().then((r) => (setItems(r.items), setError(null)), (err) => setError(errorText(err)));
  useEffect(() => {
    if (admin) void load();
  }, []);
  if (!admin) return h('main', { class: 'page' }, h('p', null, t('noAccess')));
  return h(
    'main',
    { class: 'page users-page', 'data-testid': 'mail-page' },
    h('h1', null, t('mailTitle')),
    h('p', { class: 'muted' }, t('mailHint')),
    error && h('p', { class: 'form-error', role: 'alert' }, error),
    items !== null &&
      (items.length === 0
        ? h('p', { class: 'muted', 'data-testid': 'no-quarantined-mail' }, t('mailNone'))
        : h(
            'table',
            { class: 'ticket-table' },
            h('thead', null, h('tr', null, (['mailReceived', 'mailFrom', 'mailSubject', 'mailReason'] as const).map((k) => h('th', { key: k, scope: 'col' }, t(k))), h('th', { scope: 'col' }))),
            h('tbody', null, items.map((m) => h(QuarantineRow, { key: m.id, m, onDone: () => void load() }))),
          )),
  );
}
