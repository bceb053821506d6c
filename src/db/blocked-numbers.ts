// Blocked numbers: the entries, and a notification on every change so each instance reloads its
// in-memory set (services/blocked-numbers.ts). One active entry per number: an entry is active
// until its `until` passes; a new entry for a number is refused while one is active (checked under
// a lock on that number, so two at once cannot both pass).
import type { DataSource, EntityManager } from 'typeorm';
import { rows } from './query';

type Db = DataSource | EntityManager;

/** The channel every instance listens on; the payload is empty: the listeners reload. */
export const BLOCKED_CHANNEL = 'calldesk_blocked';

export interface BlockedNumberRow {
  id: string;
  number: string;
  reason: string;
  until: Date | null;
  created_by: string | null;
  /** Read with the row: who blocked it. */
  created_by_login: string | null;
  created_at: Date;
  /** Read with the row: not yet expired. */
  active: boolean;
}

const SELECT = `b.id, b.number, b.reason, b.until, b.created_by, a.login AS created_by_login, b.created_at,
  (b.until IS NULL OR b.until > now()) AS active FROM blocked_numbers b LEFT JOIN agent a ON a.id = b.created_by`;

/** The entries, newest first: the active ones, or all with the expired. */
export function listBlockedNumbers(db: Db, all: boolean): Promise<BlockedNumberRow[]> {
  return db.query(`SELECT ${SELECT} ${all ? '' : 'WHERE b.until IS NULL OR b.until > now()'} ORDER BY b.created_at DESC, b.id`);
}

/** What the in-memory set holds: every active entry's number and end. */
export function activeBlockedNumbers(db: Db): Promise<{ number: string; until: Date | null }[]> {
  return db.query(`SELECT number, until FROM blocked_numbers WHERE until IS NULL OR until > now()`);
}

export interface NewBlockedNumber {
  id: string;
  number: string;
  reason: string;
  until: Date | null;
  createdBy: string;
}

/** Adds the entry and tells every instance; or, when the number is blocked already, that entry's id. */
/** In the caller's transaction `m` (its lock is held until that commits). */
export async function insertBlockedNumber(m: EntityManager, b: NewBlockedNumber): Promise<{ row: BlockedNumberRow } | { activeId: string }> {
  await m.query(`SELECT pg_advisory_xact_lock(hashtext('blocked_numbers:' || $1))`, [b.number]);
  const active = await m.query(`SELECT id FROM blocked_numbers WHERE number = $1 AND (until IS NULL OR until > now()) LIMIT 1`, [b.number]);
  if (active[0]) return { activeId: active[0].id as string };
  await m.query(`INSERT INTO blocked_numbers (id, number, reason, until, created_by) VALUES ($1, $2, $3, $4, $5)`, [b.id, b.number, b.reason, b.until, b.createdBy]);
  await notifyChange(m);
  return { row: (await m.query(`SELECT ${SELECT} WHERE b.id = $1`, [b.id]))[0] };
}

/** Removes the entry (unblocks) and tells every instance, in the caller's transaction `m`; the number it blocked, or null when there was no such entry. */
export async function deleteBlockedNumber(m: EntityManager, id: string): Promise<string | null> {
  const gone = await rows<{ number: string }>(m, `DELETE FROM blocked_numbers WHERE id = $1 RETURNING number`, [id]);
  if (gone.length === 0) return null;
  await notifyChange(m);
  return gone[0].number;
}

// Sent when the transaction commits, to every listening instance (this one's too).
const notifyChange = (m: EntityManager) => m.query(`SELECT pg_notify($1, '')`, [BLOCKED_CHANNEL]);
