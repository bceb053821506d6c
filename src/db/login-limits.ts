// The login limiter's counts (src/auth/login-limiter.ts decides; this stores), shared by instances.
import type { DataSource } from 'typeorm';

export interface FailureCount {
  key: string;
  count: number;
  reset_at: Date;
  /** Whether this (login, address) pair logged in lately. */
  known: boolean;
}

/** Counts one more try under each key (a window past `now` starts again at 1); the counts after. */
export function countTry(ds: DataSource, keys: [string, string], resetAt: Date, now: Date, login: string, address: string): Promise<FailureCount[]> {
  return ds.query(
    `WITH bumped AS (
       INSERT INTO login_failures AS f (key, count, reset_at) VALUES ($1, 1, $3), ($2, 1, $3)
       ON CONFLICT (key) DO UPDATE SET
         count = CASE WHEN f.reset_at <= $4 THEN 1 ELSE f.count + 1 END,
         reset_at = CASE WHEN f.reset_at <= $4 THEN EXCLUDED.reset_at ELSE f.reset_at END
       RETURNING f.key, f.count, f.reset_at)
     SELECT b.key, b.count, b.reset_at,
            EXISTS (SELECT 1 FROM login_known k WHERE k.login = $5 AND k.address = $6 AND k.until > $4) AS known
       FROM bumped b`,
    [keys[0], keys[1], resetAt, now, login, address],
  );
}

/**
 * Takes a counted try back. Rows are locked in key order, as `countTry` locks them (account `a:`
 * before address `i:`): tries sent at once must not deadlock on each other's two rows.
 */
export async function uncountTry(ds: DataSource, keys: string[]): Promise<void> {
  await ds.query(
    `UPDATE login_failures f SET count = f.count - 1
       FROM (SELECT key FROM login_failures WHERE key = ANY($1) ORDER BY key FOR UPDATE) l
      WHERE f.key = l.key AND f.count > 0`,
    [keys],
  );
}

export async function forgetFailures(ds: DataSource, key: string): Promise<void> {
  await ds.query(`DELETE FROM login_failures WHERE key = $1`, [key]);
}

export async function rememberPair(ds: DataSource, login: string, address: string, until: Date): Promise<void> {
  await ds.query(
    `INSERT INTO login_known (login, address, until) VALUES ($1, $2, $3)
     ON CONFLICT (login, address) DO UPDATE SET until = EXCLUDED.until`,
    [login, address, until],
  );
}

export async function sweepLoginCounts(ds: DataSource, now: Date): Promise<void> {
  // In key order too (see uncountTry), skipping rows a try holds: they are swept next time.
  await ds.query(`DELETE FROM login_failures WHERE key IN (SELECT key FROM login_failures WHERE reset_at <= $1 ORDER BY key FOR UPDATE SKIP LOCKED)`, [now]);
  await ds.query(`DELETE FROM login_known WHERE until <= $1`, [now]);
}
