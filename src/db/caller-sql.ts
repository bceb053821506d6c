// What the screen pop shows of a caller, as both the single lookup (caller-lookup.ts) and
// the write batch (call-store.ts) read it: the shape, and the open statuses as an SQL list.
import { OPEN_STATUSES } from '../tickets/ticket';
import type { TicketView } from '../views/ticket-view';

export interface CallerInfo {
  number: string | null;
  calls: { id: string; startedAt: string; direction: string; outcome: string | null; answeredByExtension: string | null; supportLine: boolean }[];
  openTickets: TicketView[];
}

/** `(…)`: the open statuses as an SQL list. */
export const OPEN_SQL = `(${OPEN_STATUSES.map((s) => `'${s}'`).join(', ')})`;
