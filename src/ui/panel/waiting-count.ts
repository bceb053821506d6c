// How many of my requests have a customer waiting for an answer: the number beside «Заявки» in the
// top bar, so an agent on the calls page sees it too. Counted by the server (the list's own filter,
// «Мои» + «Клиент ждёт ответа»), again after every connect and once per burst of request changes.
import { api } from './api';
import { me } from './panel-state';
import { setState } from './store';

let timer: number | undefined;

/** Many changes in a burst ask for one count. */
export function countWaitingSoon(): void {
  window.clearTimeout(timer);
  timer = window.setTimeout(() => void countWaiting(), 500);
}

export async function countWaiting(): Promise<void> {
  if (!me()) return;
  try {
    const res = await api.tickets({ view: 'mine', customerWaits: true, limit: 1 });
    if (me()) setState({ waitingMine: res.total?.count ?? res.items.length });
  } catch {
    // Kept as it was: the next change or connect counts again.
  }
}
