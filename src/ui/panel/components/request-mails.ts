// The mails sent to a request's customer, on its page: what, to whom, and whether it went (a mail
// refused for good says why). Shown only when there are any.
import { h } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { TicketMail } from '../../../wire/mail';
import { api } from '../api';
import { formatDateTime } from '../format';
import { t, type Key } from '../i18n';

export function RequestMails({ ticketId, version }: { ticketId: string; version: number }) {
  const [mails, setMails] = useState<TicketMail[]>([]);
  const [round, setRound] = useState(0);
  useEffect(() => {
    // Read again with every change of the request (a reply, a completion queue a mail), and while
    // some mail is still on its way (sending is not a change of the request).
    let timer: ReturnType<typeof setTimeout> | undefined;
    let live = true;
    api.ticketMails(ticketId).then(
      (r) => {
        if (!live) return;
        setMails(r.items);
        if (r.items.some((m) => m.status === 'pending' || m.status === 'sending')) timer = setTimeout(() => setRound((n) => n + 1), 2000);
      },
      () => undefined,
    );
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [ticketId, version, round]);
  if (mails.length === 0) return null;
  return h(
    'section',
    { 'aria-labelledby': 'mails-h' },
    h('h2', { id: 'mails-h' }, t('mailsSent')),
    h(
      'ul',
      { class: 'request-mails', 'data-testid': 'request-mails' },
      mails.map((m) =>
        h(
          'li',
          { key: m.id, 'data-status': m.status },
          formatDateTime(m.createdAt),
          ' · ',
          t(`mail_${m.kind}` as Key),
          ' · ',
          m.to,
          ' · ',
          h('b', null, t(`mailStatus_${m.status}` as Key)),
          m.status !== 'sent' && m.lastError ? h('span', { class: 'small muted' }, ` — ${m.lastError}`) : null,
        ),
      ),
    ),
  );
}
