// The call-back list's grouping: one line per number with all its missed calls; a withheld number
// is never grouped with another (two withheld calls may be two different people).
import type { Ticket } from '../../wire/ticket';

export interface CallbackGroup {
  key: string;
  number: string | null;
  /** Newest first, as listed by the server. */
  tickets: Ticket[];
}

export function groupCallbacks(tickets: readonly Ticket[]): CallbackGroup[] {
  const out: CallbackGroup[] = [];
  const byNumber = new Map<string, CallbackGroup>();
  for (const tk of tickets) {
    if (!tk.callerNumber) {
      out.push({ key: tk.id, number: null, tickets: [tk] });
      continue;
    }
    let g = byNumber.get(tk.callerNumber);
    if (!g) {
      g = { key: tk.callerNumber, number: tk.callerNumber, tickets: [] };
      byNumber.set(tk.callerNumber, g);
      out.push(g);
    }
    g.tickets.push(tk);
  }
  return out;
}
