// What is known of a caller when their call rings: earlier calls and open requests of the number.
import type { DataSource } from 'typeorm';
import { OPEN_SQL, callsOfNumberSql, type CallerInfo } from './caller-sql';
import { ticketView } from '../views/ticket-view';
import { TICKET_SELECT } from './rows';

export type { CallerInfo } from './caller-sql';

export class CallerLookup {
  constructor(private readonly ds: DataSource) {}

  /** Withheld callers (null) have no history: they never match each other. */
  async lookup(number: string | null, exceptLinkedid?: string): Promise<CallerInfo> {
    if (!number) return { number: null, calls: [], openTickets: [] };
    const [calls, tickets] = await Promise.all([
      this.ds.query(callsOfNumberSql('$1', '$2::text'), [number, exceptLinkedid ?? null]),
      // Completed ones first: they wait for this caller's confirmation.
      this.ds.query(
        `SELECT ${TICKET_SELECT} FROM ticket t WHERE t.caller_number = $1 AND t.status IN ${OPEN_SQL}
          ORDER BY (t.status = 'completed') DESC, t.created_at DESC LIMIT 20`,
        [number],
      ),
    ]);
    return {
      number,
      calls: calls.map((c: any) => ({
        id: c.id,
        startedAt: new Date(c.started_at).toISOString(),
        direction: c.direction,
        outcome: c.outcome,
        answeredByExtension: c.answered_by_extension,
        supportLine: c.support_line,
      })),
      openTickets: tickets.map(ticketView),
    };
  }
}
