// The review queue's candidates, one query per rule, each on an index that holds only its few
// rows (drafts, open requests, overdue call-backs, reopenings, calls with a gap), the resolved ones
// left out (item ids as supervision/review.ts makes them), and the resolutions supervisors recorded.
import type { DataSource, EntityManager } from 'typeorm';
import type { ReviewKind, ReviewThresholds } from '../supervision/review';
import { PRIORITY_RANK } from '../tickets/vocabulary';

export interface ReviewCandidate {
  kind: ReviewKind;
  callId: string | null;
  ticketId: string | null;
  /** A quarantined mail's id. */
  mailId?: string;
  /** When the cause began (the hang-up, the registration, the due time…). */
  at: Date;
  ticketNumber: string | null;
  callerNumber: string | null;
  descriptionLength?: number;
  reopened?: number;
  dueAt?: Date;
  from?: string | null;
  reason?: string | null;
}

const d = (v: Date | string) => new Date(v);

/**
 * Items of one kind read at most, oldest first: a queue is worked from its oldest; hundreds of one
 * kind say "change the rule or the threshold", not "read them all" — and a large help desk's data
 * must not make every read of the queue a scan of thousands.
 */
export const PER_KIND = 200;

export class ReviewQueries {
  constructor(
    private readonly ds: DataSource,
    private readonly th: ReviewThresholds,
  ) {}

  /** Every rule's candidates at `now` (business-time rules still to be checked against the calendar). */
  async candidates(now: Date): Promise<ReviewCandidate[]> {
    const th = this.th;
    const [drafts, thin, critical, overdue, reopened, gaps, unassigned, unanswered, quarantined] = await Promise.all([
      this.ds.query(
        // Drafts oldest first (their index), each joined to its call.
        `SELECT t.id, t.caller_number, c.id AS call_id, c.ended_at FROM ticket t JOIN call c ON c.id = t.origin_call_id
          WHERE t.status = 'draft' AND c.answered_at IS NOT NULL AND c.support_line AND NOT EXISTS (SELECT 1 FROM review_resolution r WHERE r.item_id = 'answered_without_request:' || t.id)
            AND c.ended_at < $1::timestamptz - make_interval(mins => $2)
          ORDER BY t.created_at LIMIT ${PER_KIND}`,
        [now, th.draftAfterCallMinutes],
      ),
      this.ds.query(
        `SELECT id, number, caller_number, registered_at, char_length(btrim(description))::int AS len FROM ticket
          WHERE status IN ('registered', 'in_progress') AND char_length(btrim(description)) < ${Math.trunc(th.thinDescriptionChars)} AND NOT EXISTS (SELECT 1 FROM review_resolution r WHERE r.item_id = 'thin_description:' || ticket.id)
          ORDER BY registered_at LIMIT ${PER_KIND}`,
        // The threshold written into the statement (a trusted integer): at the default 20 the
        // statement matches its partial index (migration 1796500720000).
        [],
      ),
      this.ds.query(
        `SELECT id, number, caller_number, registered_at FROM ticket
          WHERE status = 'registered' AND priority_rank = ${PRIORITY_RANK.critical} AND NOT EXISTS (SELECT 1 FROM review_resolution r WHERE r.item_id = 'critical_not_started:' || ticket.id) AND registered_at < $1::timestamptz - make_interval(mins => $2)
          ORDER BY registered_at LIMIT ${PER_KIND}`,
        [now, th.criticalStartBusinessMinutes],
      ),
      this.ds.query(
        `SELECT id, caller_number, callback_due_at, origin_call_id FROM ticket
          WHERE callback_needed AND status = 'draft' AND callback_due_at < $1 AND NOT EXISTS (SELECT 1 FROM review_resolution r WHERE r.item_id = 'callback_overdue:' || ticket.id)
          ORDER BY callback_due_at LIMIT ${PER_KIND}`,
        [now],
      ),
      this.ds.query(
        `SELECT g.* FROM (
           SELECT t.id, t.number, t.caller_number, count(*)::int AS times, max(e.at) AS last FROM ticket_events e JOIN ticket t ON t.id = e.ticket_id
            WHERE e.kind = 'status_changed' AND e.data->>'from' = 'completed' AND e.data->>'to' <> 'closed'
              AND t.status IN ('registered', 'in_progress', 'completed')
            GROUP BY t.id HAVING count(*) >= $1) g
          WHERE NOT EXISTS (SELECT 1 FROM review_resolution r WHERE r.item_id = 'reopened_twice:' || g.id || ':' || g.times)
          ORDER BY g.last LIMIT ${PER_KIND}`,
        [th.reopenedTimes],
      ),
      this.ds.query(
        `SELECT c.id, c.caller_number, c.started_at FROM call c
          WHERE c.gap AND NOT EXISTS (SELECT 1 FROM review_resolution r WHERE r.item_id = 'call_gap:' || c.id) AND c.started_at > $1::timestamptz - make_interval(days => $2)
          ORDER BY c.started_at LIMIT ${PER_KIND}`,
        [now, th.callGapDays],
      ),
      this.ds.query(
        `SELECT id, number, caller_number, registered_at FROM ticket
          WHERE status = 'registered' AND cardinality(assignees) = 0 AND NOT EXISTS (SELECT 1 FROM review_resolution r WHERE r.item_id = 'unassigned:' || ticket.id) AND registered_at < $1::timestamptz - make_interval(mins => $2)
          ORDER BY registered_at LIMIT ${PER_KIND}`,
        [now, th.unassignedBusinessMinutes],
      ),
      // Customers waiting for an answer (the waiting requests' own index); each time they write anew
      // is an item of its own (the time they wrote is in its id).
      this.ds.query(
        `SELECT id, number, caller_number, customer_wrote_at FROM ticket
          WHERE customer_wrote_at IS NOT NULL AND customer_wrote_at < $1::timestamptz - make_interval(mins => $2)
            AND NOT EXISTS (SELECT 1 FROM review_resolution r
                             WHERE r.item_id = 'customer_unanswered:' || ticket.id || ':' || floor(extract(epoch FROM customer_wrote_at))::bigint)
          ORDER BY customer_wrote_at LIMIT ${PER_KIND}`,
        [now, th.customerUnansweredBusinessMinutes],
      ),
      // Mail the intake could not read, waiting for an admin (its quarantine index).
      this.ds.query(
        `SELECT m.id, m.from_address AS "from", m.reason, m.received_at FROM mail_message m
          WHERE m.outcome = 'quarantined' AND NOT EXISTS (SELECT 1 FROM review_resolution r WHERE r.item_id = 'mail_quarantined:' || m.id)
          ORDER BY m.received_at LIMIT ${PER_KIND}`,
      ),
    ]);
    const out: ReviewCandidate[] = [];
    for (const r of drafts) out.push({ kind: 'answered_without_request', callId: r.call_id, ticketId: r.id, at: d(r.ended_at), ticketNumber: null, callerNumber: r.caller_number });
    for (const r of thin) out.push({ kind: 'thin_description', callId: null, ticketId: r.id, at: d(r.registered_at), ticketNumber: r.number, callerNumber: r.caller_number, descriptionLength: r.len });
    for (const r of critical) out.push({ kind: 'critical_not_started', callId: null, ticketId: r.id, at: d(r.registered_at), ticketNumber: r.number, callerNumber: r.caller_number });
    for (const r of overdue) out.push({ kind: 'callback_overdue', callId: r.origin_call_id, ticketId: r.id, at: d(r.callback_due_at), ticketNumber: null, callerNumber: r.caller_number, dueAt: d(r.callback_due_at) });
    for (const r of reopened) out.push({ kind: 'reopened_twice', callId: null, ticketId: r.id, at: d(r.last), ticketNumber: r.number, callerNumber: r.caller_number, reopened: r.times });
    for (const r of gaps) out.push({ kind: 'call_gap', callId: r.id, ticketId: null, at: d(r.started_at), ticketNumber: null, callerNumber: r.caller_number });
    for (const r of unassigned) out.push({ kind: 'unassigned', callId: null, ticketId: r.id, at: d(r.registered_at), ticketNumber: r.number, callerNumber: r.caller_number });
    for (const r of unanswered) out.push({ kind: 'customer_unanswered', callId: null, ticketId: r.id, at: d(r.customer_wrote_at), ticketNumber: r.number, callerNumber: r.caller_number });
    for (const r of quarantined) out.push({ kind: 'mail_quarantined', callId: null, ticketId: null, mailId: r.id, at: d(r.received_at), ticketNumber: null, callerNumber: null, from: r.from, reason: r.reason });
    return out;
  }

  /** Which of these items a supervisor has resolved. */
  async resolved(itemIds: string[]): Promise<Set<string>> {
    if (itemIds.length === 0) return new Set();
    const rows: { item_id: string }[] = await this.ds.query(`SELECT item_id FROM review_resolution WHERE item_id = ANY($1::text[])`, [itemIds]);
    return new Set(rows.map((r) => r.item_id));
  }

  /** Records a resolution; false when the item was resolved already. */
  async resolve(m: EntityManager, r: { itemId: string; kind: ReviewKind; callId: string | null; ticketId: string | null; note: string; by: string; at: Date }): Promise<boolean> {
    const rows = await m.query(
      `INSERT INTO review_resolution (item_id, kind, call_id, ticket_id, note, resolved_by, resolved_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
        ON CONFLICT (item_id) DO NOTHING RETURNING item_id`,
      [r.itemId, r.kind, r.callId, r.ticketId, r.note, r.by, r.at],
    );
    return rows.length > 0;
  }
}
