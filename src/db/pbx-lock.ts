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

/** Raises the PBX's fencing token (we have just taken its lock); waits for batches in flight under the old one. */
export async function takeToken(client: pg.Client, pbx: string): Promise<string> {
  const r = await client.query(
    `INSERT INTO pbx_lease (pbx, token) VALUES ($1, 1)
     ON CONFLICT (pbx) DO UPDATE SET token = pbx_lease.token + 1, taken_at = now() RETURNING token::text`,
    [pbx],
  );
  return r.rows[0].token;
}

/** The PBX's fencing token as stored (null before anyone took it). */
export async function currentToken(client: pg.Client, pbx: string): Promise<string | null> {
  const r = await client.query('SELECT token::text FROM pbx_lease WHERE pbx = $1', [pbx]);
  return r.rows[0]?.token ?? null;
}

/** The token this instance last took each PBX with: its call batches write under it. */
export class PbxFences {
  private readonly tokens = new Map<string, string>();
  set(pbx: string, token: string): void {
    this.tokens.set(pbx, token);
  }
  get(pbx: string): string | undefined {
    return this.tokens.get(pbx);
  }
}

/** A batch carried a PBX this instance no longer holds: nothing of it was written. */
export class FencedError extends Error {
  constructor(readonly pbx: string) {
    super(`PBX ${pbx} is ingested by another instance now`);
  }
}

/** The statement that fails a batch's transaction unless `token` is still the PBX's (see the migration). */
export const fenceSql = (pbx: string, token: string) => `SELECT calldesk_pbx_fence('${pbx.replace(/'/g, "''")}', ${BigInt(token)})`;

/** The FencedError of a failed batch, if the fence failed it. */
export function fencedBy(err: unknown): FencedError | null {
  if (err instanceof FencedError) return err;
  const e = err as { code?: string; detail?: string };
  return e?.code === 'CDF01' && typeof e.detail === 'string' ? new FencedError(e.detail) : null;
}
