// The call-back list: missed calls waiting for a call back, reloaded once per burst of changes.
import { api } from './api';
import { t } from './i18n';
import { setState } from './store';
import type { Ticket } from '../../wire/ticket';
import { errorText, me, note, phoneText } from './panel-state';

let callbacksLoading: Promise<void> | null = null;
let callbacksTimer: number | undefined;

/** Many changes in a burst ask for one reload of the list. */
export function refreshCallbacksSoon(): void {
  window.clearTimeout(callbacksTimer);
  callbacksTimer = window.setTimeout(() => void refreshCallbacks(), 250);
}

export function refreshCallbacks(): Promise<void> {
  if (!me()) return Promise.resolve();
  callbacksLoading ??= (async () => {
    try {
      const res = await api.tickets({ status: 'draft', callbackNeeded: true, sort: 'newest', limit: 200 });
      setState({ callbacks: res.items, callbacksError: null });
    } catch (err) {
      setState({ callbacksError: errorText(err) });
    } finally {
      callbacksLoading = null;
    }
  })();
  return callbacksLoading;
}

/** Someone reached the caller another way (or it was a wrong number): the missed drafts go. */
export async function discardCallbacks(tickets: Ticket[], reason: string): Promise<void> {
  for (const tk of tickets) await api.transition(tk.id, { to: 'discarded', reason, version: tk.version });
  note(t('discarded', { number: phoneText(tickets[0]?.callerNumber) }));
  await refreshCallbacks();
}
