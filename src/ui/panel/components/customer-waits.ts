// «ждёт ответа с …»: a request whose customer wrote (or disagreed) and no one has acted since, in
// the lists and on its page.
import { h } from 'preact';
import type { Ticket } from '../../../wire/ticket';
import { formatDateTime } from '../format';
import { t } from '../i18n';

export function CustomerWaits({ tk }: { tk: Pick<Ticket, 'customerWroteAt'> }) {
  if (!tk.customerWroteAt) return null;
  const time = formatDateTime(tk.customerWroteAt);
  return h('div', { class: 'small customer-waits', title: t('customerWaitsTitle', { time }), 'data-testid': 'customer-waits' }, t('customerWaits', { time }));
}
