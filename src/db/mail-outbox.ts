// The outbox's statements: queue a mail, claim the due ones (FOR UPDATE SKIP LOCKED, as a lease),
// mark them sent / to retry / failed, count what waits, and read a request's thread.
import type { DataSource, EntityManager } from 'typeorm';
import { rows } from './query';

type Db = DataSource | EntityManager;

export interface OutboxRow {
  id: string;
  ticket_id: string | null;
  kind: string;
  automatic: boolean;
  recipient: string;
  subject: string;
  body: string;
  message_id: string;
  in_reply_to: string | null;
  references: string[];
  headers: Record<string, string>;
  link_actions: string[] | null;
  /** The completion a confirm / disagree link is for. */
  link_completed_at: Date | null;
  status: 'pending' | 'sending' | 'sent' | 'failed';
  attempts: number;
  next_attempt_at: Date;
  last_error: string | null;
  created_at: Date;
  sent_at: Date | null;
}

export type NewOutboxMail = Pick<
  OutboxRow,
  'id' | 'ticket_id' | 'kind' | 'automatic' | 'recipient' | 'subject' | 'body' | 'message_id' | 'in_reply_to' | 'references' | 'headers' | 'link_actions' | 'link_completed_at'
>;

export async function insertOutboxMail(db: Db, m: NewOutboxMail): Promise<void> {
  await db.query(
    `INSERT INTO mail_outbox (id, ticket_id, kind, automatic, recipient, subject, body, message_id, in_reply_to, "references", headers, link_actions, link_completed_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
    [m.id, m.ticket_id, m.kind, m.automatic, m.recipient, m.subject, m.body, m.message_id, m.in_reply_to, m.references, JSON.stringify(m.headers), m.link_actions, m.link_completed_at],
  );
}

/**
 * How many automatic mails went (or wait to go) to this address since `since`; taken under a
 * transaction-scoped lock on the address, so two at once cannot both pass the limit.
 */
export async function automaticMailsSince(m: EntityManager, recipient: string, since: Date): Promise<number> {
  await m.query(`SELECT pg_advisory_xact_lock(hashtext('mail_outbox:' || $1))`, [recipient]);
  const [r] = await rows<{ n: number }>(m, `SELECT count(*)::int AS n FROM mail_outbox WHERE automatic AND recipient = $1 AND created_at >= $2`, [recipient, since]);
  return r.n;
}

/**
 * Takes up to `limit` due mails for this process: pending ones whose time has come, and ones
 * another process claimed but whose lease ran out (it died between claim and mark).
 */
export function claimDueMails(db: Db, limit: number, leaseSeconds: number): Promise<OutboxRow[]> {
  return rows<OutboxRow>(
    db,
    `UPDATE mail_outbox SET status = 'sending', attempts = attempts + 1, lease_until = now() + make_interval(secs => $2)
     WHERE id IN (
       SELECT id FROM mail_outbox
       WHERE (status = 'pending' AND next_attempt_at <= now()) OR (status = 'sending' AND lease_until < now())
       ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED)
     RETURNING *`,
    [limit, leaseSeconds],
  );
}

export async function markMailSent(db: Db, id: string): Promise<void> {
  await db.query(`UPDATE mail_outbox SET status = 'sent', sent_at = now(), lease_until = NULL, last_error = NULL WHERE id = $1`, [id]);
}

export async function markMailRetry(db: Db, id: string, error: string, delaySeconds: number): Promise<void> {
  await db.query(
    `UPDATE mail_outbox SET status = 'pending', lease_until = NULL, last_error = $2, next_attempt_at = now() + make_interval(secs => $3) WHERE id = $1`,
    [id, error, delaySeconds],
  );
}

/** The receiving server refused the mail for good (5xx): kept with the reason, not retried. */
export async function markMailFailed(db: Db, id: string, error: string): Promise<void> {
  await db.query(`UPDATE mail_outbox SET status = 'failed', lease_until = NULL, last_error = $2 WHERE id = $1`, [id, error]);
}

/** Mails not yet sent (the health's outbox depth). */
export async function pendingMailCount(db: Db): Promise<number> {
  const [r] = await rows<{ n: number }>(db, `SELECT count(*)::int AS n FROM mail_outbox WHERE status IN ('pending', 'sending')`);
  return r.n;
}

/** The Message-IDs calldesk sent in this request's thread, oldest first. */
export function threadMessageIds(db: Db, ticketId: string): Promise<{ messageId: string; at: Date }[]> {
  return rows(db, `SELECT message_id AS "messageId", created_at AS at FROM mail_outbox WHERE ticket_id = $1 ORDER BY created_at, id`, [ticketId]);
}

export function outboxMailsOf(db: Db, ticketId: string): Promise<OutboxRow[]> {
  return rows<OutboxRow>(db, `SELECT * FROM mail_outbox WHERE ticket_id = $1 ORDER BY created_at, id`, [ticketId]);
}

/**
 * Which of these Message-IDs calldesk sent, and for which request: the intake threads a reply
 * whose In-Reply-To / References name one, and knows its own mail when it comes back.
 */
export async function requestsOfOurMessages(db: Db, messageIds: readonly string[]): Promise<{ messageId: string; ticketId: string | null }[]> {
  if (messageIds.length === 0) return [];
  return rows(db, `SELECT message_id AS "messageId", ticket_id AS "ticketId" FROM mail_outbox WHERE message_id = ANY($1::text[])`, [messageIds]);
}
