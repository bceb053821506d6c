// Requests found for a sweep: those R10 closes now, and the demo's untouched drafts. What happens to
// each is the request rules' business (services/ticket-service.ts), one by one.
import type { DataSource } from 'typeorm';

/** Completed requests whose auto-close deadline has passed at `now`, oldest deadline first. */
export function dueForAutoClose(ds: DataSource, now: Date, limit = 500): Promise<{ id: string }[]> {
  return ds.query(`SELECT id FROM ticket WHERE status = 'completed' AND auto_close_at <= $1 ORDER BY auto_close_at LIMIT $2`, [now, limit]);
}

/**
 * Drafts nobody wrote into, reprioritised, attached to or split, of calls that ended more than
 * `afterSecs` ago; with the version read, so that a draft someone starts typing into is a conflict.
 */
export function untouchedDrafts(ds: DataSource, afterSecs: number): Promise<{ id: string; version: number }[]> {
  return ds.query(
    `SELECT t.id, t.version FROM ticket t JOIN call c ON c.id = t.origin_call_id
      WHERE t.status = 'draft' AND c.ended_at < now() - make_interval(secs => $1)
        AND t.subject = '' AND t.description = '' AND t.technical_details = '' AND t.priority = 'normal'
        AND NOT EXISTS (SELECT 1 FROM ticket_attachment a WHERE a.ticket_id = t.id)
        AND NOT EXISTS (SELECT 1 FROM ticket k WHERE k.parent_id = t.id)
      ORDER BY c.ended_at LIMIT 100`,
    [afterSecs],
  );
}
