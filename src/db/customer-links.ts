// Customer links: stored by the hash of their token; read with the request they are for; used once.
import type { DataSource, EntityManager } from 'typeorm';
import { rows } from './query';

type Db = DataSource | EntityManager;

export interface CustomerLinkRow {
  ticket_id: string;
  recipient: string;
  actions: string[];
  completed_at: Date | null;
  used_at: Date | null;
  used_action: string | null;
  /** The request, read with the link. */
  number: string | null;
  subject: string;
  solution: string | null;
  status: string;
  ticket_completed_at: Date | null;
  closed_at: Date | null;
  close_reason: string | null;
}

export async function insertCustomerLink(
  db: Db,
  l: { hash: Buffer; ticketId: string; recipient: string; actions: string[]; completedAt: Date | null },
): Promise<void> {
  await db.query(`INSERT INTO customer_link (token_hash, ticket_id, recipient, actions, completed_at) VALUES ($1, $2, $3, $4, $5)`, [
    l.hash,
    l.ticketId,
    l.recipient,
    l.actions,
    l.completedAt,
  ]);
}

/** The link and its request; `lock` takes both rows for the decision's transaction. */
export async function customerLinkByHash(db: Db, hash: Buffer, lock = false): Promise<CustomerLinkRow | null> {
  const [r] = await rows<CustomerLinkRow>(
    db,
    `SELECT l.ticket_id, l.recipient, l.actions, l.completed_at, l.used_at, l.used_action,
       t.number, t.subject, t.solution, t.status, t.completed_at AS ticket_completed_at, t.closed_at, t.close_reason
     FROM customer_link l JOIN ticket t ON t.id = l.ticket_id WHERE l.token_hash = $1${lock ? ' FOR UPDATE' : ''}`,
    [hash],
  );
  return r ?? null;
}

export async function markCustomerLinkUsed(db: Db, hash: Buffer, action: string): Promise<void> {
  await db.query(`UPDATE customer_link SET used_at = now(), used_action = $2 WHERE token_hash = $1`, [hash, action]);
}
