// The PBX lease's lock (ingest/pbx-lease.ts): a session-level advisory lock per PBX id, held for as
// long as the lease's own connection stands.
import { createHash } from 'node:crypto';
import type pg from 'pg';

/** A stable 63-bit lock key per PBX id. */
export function lockKey(pbx: string): string {
  return BigInt.asIntN(64, BigInt('0x' + createHash('sha256').update(`calldesk:pbx:${pbx}`).digest('hex').slice(0, 16))).toString();
}

/** Takes the PBX's lock on this connection if no other connection holds it; true when held. */
export async function tryPbxLock(client: pg.Client, pbx: string): Promise<boolean> {
  const r = await client.query('SELECT pg_try_advisory_lock($1::bigint) AS ok', [lockKey(pbx)]);
  return r.rows[0].ok === true;
}
