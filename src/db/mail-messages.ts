// The e-mail intake's storage: where reading each mailbox got to, the messages read (raw bytes and
// what became of each), their attachments, bounced addresses, and which request a thread belongs to.
import type { DataSource, EntityManager } from 'typeorm';
import { rows as rowsOf } from './query';

type Db = DataSource | EntityManager;

export type MailOutcome = 'request' | 'reply' | 'bounce' | 'ignored' | 'quarantined' | 'dropped';

export interface MailboxState {
  uidvalidity: bigint;
  lastUid: number;
}

/** Where reading `mailbox` got to, locked until the transaction ends (one reader advances it at a time). */
export async function lockMailbox(m: EntityManager, mailbox: string): Promise<MailboxState | null> {
  const rows = await m.query(`SELECT uidvalidity::text AS v, last_uid FROM mail_mailbox WHERE mailbox = $1 FOR UPDATE`, [mailbox]);
  return rows[0] ? { uidvalidity: BigInt(rows[0].v), lastUid: Number(rows[0].last_uid) } : null;
}

export async function mailboxState(db: Db, mailbox: string): Promise<MailboxState | null> {
  const rows = await db.query(`SELECT uidvalidity::text AS v, last_uid FROM mail_mailbox WHERE mailbox = $1`, [mailbox]);
  return rows[0] ? { uidvalidity: BigInt(rows[0].v), lastUid: Number(rows[0].last_uid) } : null;
}

/**
 * The mailbox as the server now numbers it: a new UIDVALIDITY means its UIDs were renumbered, so
 * reading starts again from the first (the unique Message-ID keeps every message once).
 */
export async function startMailbox(db: Db, mailbox: string, uidvalidity: bigint): Promise<MailboxState> {
  const rows = await rowsOf(
    db,
    `INSERT INTO mail_mailbox (mailbox, uidvalidity, last_uid) VALUES ($1, $2, 0)
     ON CONFLICT (mailbox) DO UPDATE SET
       last_uid = CASE WHEN mail_mailbox.uidvalidity = EXCLUDED.uidvalidity THEN mail_mailbox.last_uid ELSE 0 END,
       uidvalidity = EXCLUDED.uidvalidity, updated_at = now()
     RETURNING uidvalidity::text AS v, last_uid`,
    [mailbox, uidvalidity.toString()],
  );
  return { uidvalidity: BigInt(rows[0].v), lastUid: Number(rows[0].last_uid) };
}

export async function advanceMailbox(m: EntityManager, mailbox: string, uid: number): Promise<void> {
  await m.query(`UPDATE mail_mailbox SET last_uid = GREATEST(last_uid, $2), updated_at = now() WHERE mailbox = $1`, [mailbox, uid]);
}

export interface NewMailMessage {
  id: string;
  mailbox: string;
  uid: number | null;
  messageId: string;
  from: string | null;
  subject: string;
  raw: Buffer;
  autoReplyAllowed: boolean;
}

/** Keeps a message as read; false when this mailbox already has its Message-ID (read before). */
export async function insertMailMessage(m: EntityManager, msg: NewMailMessage): Promise<boolean> {
  const rows = await m.query(
    `INSERT INTO mail_message (id, mailbox, uid, message_id, from_address, subject, raw, outcome, auto_reply_allowed)
     VALUES ($1, $2, $3, $4, $5, $6, $7, 'ignored', $8)
     ON CONFLICT (mailbox, message_id) DO NOTHING RETURNING id`,
    [msg.id, msg.mailbox, msg.uid, msg.messageId, msg.from, msg.subject.slice(0, 1000), msg.raw, msg.autoReplyAllowed],
  );
  return rows.length > 0;
}

export async function setMailOutcome(m: EntityManager, id: string, outcome: MailOutcome, ticketId: string | null, reason: string | null): Promise<void> {
  await m.query(`UPDATE mail_message SET outcome = $2, ticket_id = $3, reason = $4 WHERE id = $1`, [id, outcome, ticketId, reason]);
}

/**
 * The request a thread belongs to: the newest request any of these Message-IDs (a reply's
 * In-Reply-To / References) belongs to. The one place that answers it.
 */
export async function requestOfMessageIds(db: Db, messageIds: readonly string[]): Promise<string | null> {
  if (messageIds.length === 0) return null;
  // The customers' messages and calldesk's own (the outbox keeps the Message-ID of every mail it sent).
  const rows = await db.query(
    `SELECT ticket_id FROM (
        SELECT ticket_id, received_at AS at FROM mail_message WHERE message_id = ANY($1::text[]) AND ticket_id IS NOT NULL
        UNION ALL
        SELECT ticket_id, created_at AS at FROM mail_outbox WHERE message_id = ANY($1::text[]) AND ticket_id IS NOT NULL
      ) x ORDER BY at DESC LIMIT 1`,
    [messageIds],
  );
  return rows[0]?.ticket_id ?? null;
}

/** The customer's messages on a request (the outbox answers the latest of either side). */
export function customerMessagesOf(db: Db, ticketId: string): Promise<{ messageId: string; at: Date }[]> {
  return db.query(`SELECT message_id AS "messageId", received_at AS at FROM mail_message WHERE ticket_id = $1 ORDER BY received_at`, [ticketId]);
}

export async function requestByNumber(db: Db, number: string): Promise<{ id: string; status: string } | null> {
  return (await db.query(`SELECT id, status FROM ticket WHERE number = $1`, [number]))[0] ?? null;
}

/**
 * Whether `address` may write on the request: it is its customer's (the contact's, or the address
 * whose mail opened it) or a contact's of the same organisation.
 */
export async function senderBelongsTo(db: Db, ticketId: string, address: string): Promise<boolean> {
  const rows = await db.query(
    `SELECT 1 FROM ticket t WHERE t.id = $1 AND (
        EXISTS (SELECT 1 FROM contact c WHERE c.emails @> ARRAY[$2::text]
                 AND (c.id = t.contact_id OR (t.organisation_id IS NOT NULL AND c.organisation_id = t.organisation_id)))
        OR EXISTS (SELECT 1 FROM mail_message mm WHERE mm.ticket_id = t.id AND mm.outcome = 'request' AND mm.from_address = $2))`,
    [ticketId, address],
  );
  return rows.length > 0;
}

/** The organisation of the known contacts at this mail domain, when they all work for one. */
export async function organisationOfDomain(db: Db, domain: string): Promise<string | null> {
  const rows = await db.query(
    `SELECT DISTINCT c.organisation_id FROM contact c, unnest(c.emails) e
      WHERE c.organisation_id IS NOT NULL AND c.erased_at IS NULL AND split_part(e, '@', 2) = $1 LIMIT 2`,
    [domain],
  );
  return rows.length === 1 ? rows[0].organisation_id : null;
}

export async function insertMailAttachment(
  m: EntityManager,
  a: { id: string; messageId: string; filename: string; contentType: string; size: number; content: Buffer | null },
): Promise<void> {
  await m.query(`INSERT INTO mail_attachment (id, message_id, filename, content_type, size, content) VALUES ($1, $2, $3, $4, $5, $6)`, [
    a.id,
    a.messageId,
    a.filename.slice(0, 255),
    a.contentType.slice(0, 255),
    a.size,
    a.content,
  ]);
}

export async function flagBouncedAddress(m: EntityManager, address: string, ticketId: string | null, reason: string): Promise<void> {
  await m.query(
    `INSERT INTO mail_bounced_address (address, ticket_id, reason) VALUES ($1, $2, $3)
     ON CONFLICT (address) DO UPDATE SET ticket_id = EXCLUDED.ticket_id, reason = EXCLUDED.reason, bounced_at = now()`,
    [address, ticketId, reason],
  );
}

export async function isBouncedAddress(db: Db, address: string): Promise<boolean> {
  return (await db.query(`SELECT 1 FROM mail_bounced_address WHERE address = $1`, [address.toLowerCase()])).length > 0;
}

export interface QuarantinedMail {
  id: string;
  receivedAt: string;
  from: string | null;
  subject: string;
  reason: string;
}

export async function quarantinedMail(db: Db, limit = 500): Promise<QuarantinedMail[]> {
  const rows = await db.query(
    `SELECT id, received_at, from_address, subject, reason FROM mail_message WHERE outcome = 'quarantined' ORDER BY received_at DESC, id LIMIT $1`,
    [limit],
  );
  return rows.map((r: { id: string; received_at: Date; from_address: string | null; subject: string; reason: string | null }) => ({
    id: r.id,
    receivedAt: new Date(r.received_at).toISOString(),
    from: r.from_address,
    subject: r.subject,
    reason: r.reason ?? '',
  }));
}

export async function quarantinedCount(db: Db): Promise<number> {
  return (await db.query(`SELECT count(*)::int AS n FROM mail_message WHERE outcome = 'quarantined'`))[0].n;
}

/** A quarantined message, locked, with its raw bytes (for a retry); null when there is none such. */
export async function lockQuarantined(m: EntityManager, id: string): Promise<{ id: string; mailbox: string; raw: Buffer; reason: string | null } | null> {
  const rows = await m.query(`SELECT id, mailbox, raw, reason FROM mail_message WHERE id = $1 AND outcome = 'quarantined' FOR UPDATE`, [id]);
  return rows[0] ?? null;
}

/** Drops a quarantined message: its bytes go, its Message-ID stays known so it is not read again. */
export async function dropQuarantined(db: Db, id: string): Promise<boolean> {
  const rows = await rowsOf(db, `UPDATE mail_message SET outcome = 'dropped', raw = ''::bytea WHERE id = $1 AND outcome = 'quarantined' RETURNING id`, [id]);
  return rows.length > 0;
}

export interface RequestMail {
  id: string;
  messageId: string;
  from: string | null;
  subject: string;
  receivedAt: string;
  outcome: MailOutcome;
  attachments: { id: string; filename: string; contentType: string; size: number; kept: boolean }[];
}

/** The mails of a request, oldest first, with their attachments (not their bytes). */
export async function mailOfRequest(db: Db, ticketId: string): Promise<RequestMail[]> {
  const rows = await db.query(
    `SELECT m.id, m.message_id, m.from_address, m.subject, m.received_at, m.outcome,
            coalesce(json_agg(json_build_object('id', a.id, 'filename', a.filename, 'contentType', a.content_type, 'size', a.size, 'kept', a.content IS NOT NULL)
                     ORDER BY a.filename, a.id) FILTER (WHERE a.id IS NOT NULL), '[]') AS attachments
       FROM mail_message m LEFT JOIN mail_attachment a ON a.message_id = m.id
      WHERE m.ticket_id = $1 GROUP BY m.id ORDER BY m.received_at, m.id`,
    [ticketId],
  );
  return rows.map((r: { id: string; message_id: string; from_address: string | null; subject: string; received_at: Date; outcome: MailOutcome; attachments: RequestMail['attachments'] }) => ({
    id: r.id,
    messageId: r.message_id,
    from: r.from_address,
    subject: r.subject,
    receivedAt: new Date(r.received_at).toISOString(),
    outcome: r.outcome,
    attachments: r.attachments,
  }));
}

/** One kept attachment's bytes; null when there is none such or its bytes were over the limit. */
export async function mailAttachmentContent(db: Db, id: string): Promise<{ filename: string; contentType: string; content: Buffer } | null> {
  const rows = await db.query(`SELECT filename, content_type, content FROM mail_attachment WHERE id = $1 AND content IS NOT NULL`, [id]);
  return rows[0] ? { filename: rows[0].filename, contentType: rows[0].content_type, content: rows[0].content } : null;
}
