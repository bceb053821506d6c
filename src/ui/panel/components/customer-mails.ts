// The mails a request came with, on its page: the one that opened it, the customer's replies and
// bounces, each with its attachments to download (the customer's screenshot of the error, a log).
// Shown only when there are any; read again with every change of the request (a reply is one).
import { h } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { RequestMailBody } from '../../../wire/mail';
import { api } from '../api';
import { formatDateTime, formatSize } from '../format';
import { t, type Key } from '../i18n';

export function CustomerMails({ ticketId, version }: { ticketId: string; version: number }) {
  const [mails, setMails] = useState<RequestMailBody[]>([]);
  useEffect(() => {
    let live = true;
    api.customerMails(ticketId).then(
      (r) => live && setMails(r.items),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [ticketId, version]);
  if (mails.length === 0) return null;
  return h(
    'section',
    { 'aria-labelledby': 'mails-in-h' },
    h('h2', { id: 'mails-in-h' }, t('mailsReceived')),
    h(
      'ul',
      { class: 'customer-mails', 'data-testid': 'customer-mails' },
      mails.map((m) =>
        h(
          'li',
          { key: m.id, 'data-outcome': m.outcome },
          h('div', null, formatDateTime(m.receivedAt), ' · ', m.from ?? t('mailNoSender'), ' · ', t(`mailIn_${m.outcome}` as Key)),
          h('div', null, h('b', null, m.subject)),
          m.attachments.length > 0 &&
            h(
              'ul',
              { class: 'mail-attachments' },
              m.attachments.map((a) =>
                h(
                  'li',
                  { key: a.id, 'data-testid': 'mail-attachment' },
                  // Served as a download, never shown inline: a customer's file is not trusted.
                  a.kept ? h('a', { href: `/api/mail-attachments/${a.id}`, download: a.filename }, a.filename) : h('span', null, a.filename),
                  h('span', { class: 'small muted' }, ` ${formatSize(a.size)}`, a.kept ? '' : ` — ${t('mailAttachmentNotKept')}`),
                ),
              ),
            ),
        ),
      ),
    ),
  );
}
