// Failed logins are limited per account and per address, counting failures only, so that a call
// centre whose agents share one address still logs in at shift start, and a guesser is slowed down.
// An address over its limit still lets in accounts that have logged in from it before (for
// `trustedForMs`): a guesser sitting at the call centre's address cannot lock its agents out; each
// account keeps its own limit.
// The counts live in PostgreSQL, so every instance behind a balancer counts together. A try is
// counted as a failure when it starts and taken back when it succeeds: guesses sent all at once
// cannot slip past the limit while their passwords are being checked.
import type { DataSource } from 'typeorm';

export interface LoginLimits {
  perAccount: number;
  perAddress: number;
  windowMs: number;
  /** How long a successful login makes its (account, address) pair known (default 7 days). */
  trustedForMs?: number;
}

export const DEFAULT_LOGIN_LIMITS: LoginLimits = { perAccount: 5, perAddress: 50, windowMs: 15 * 60_000, trustedForMs: 7 * 24 * 3600_000 };

/** Expired counts are removed at most this often per instance. */
const SWEEP_EVERY_MS = 60_000;

const accountKey = (login: string) => `a:${login.toLowerCase()}`;
const addressKey = (address: string) => `i:${address}`;

export class LoginLimiter {
  private sweptAt = 0;

  constructor(
    private readonly ds: DataSource,
    private readonly limits: LoginLimits = DEFAULT_LOGIN_LIMITS,
  ) {}

  /**
   * Takes a try: 0 when it may go ahead (it counts as a failure until `succeeded`), else the
   * milliseconds until one is allowed again (then nothing is counted).
   */
  async take(login: string, address: string, now: Date): Promise<number> {
    await this.sweep(now);
    const keys = [accountKey(login), addressKey(address)];
    const rows: { key: string; count: number; reset_at: Date; known: boolean }[] = await this.ds.query(
      `WITH bumped AS (
         INSERT INTO login_failures AS f (key, count, reset_at) VALUES ($1, 1, $3), ($2, 1, $3)
         ON CONFLICT (key) DO UPDATE SET
           count = CASE WHEN f.reset_at <= $4 THEN 1 ELSE f.count + 1 END,
           reset_at = CASE WHEN f.reset_at <= $4 THEN EXCLUDED.reset_at ELSE f.reset_at END
         RETURNING f.key, f.count, f.reset_at)
       SELECT b.key, b.count, b.reset_at,
              EXISTS (SELECT 1 FROM login_known k WHERE k.login = $5 AND k.address = $6 AND k.until > $4) AS known
         FROM bumped b`,
      [keys[0], keys[1], new Date(now.getTime() + this.limits.windowMs), now, login.toLowerCase(), address],
    );
    let wait = 0;
    for (const r of rows) {
      const over = r.key === keys[0] ? r.count > this.limits.perAccount : r.count > this.limits.perAddress && !r.known;
      if (over) wait = Math.max(wait, new Date(r.reset_at).getTime() - now.getTime());
    }
    if (wait > 0) await this.ds.query(`UPDATE login_failures SET count = count - 1 WHERE key = ANY($1) AND count > 0`, [keys]);
    return wait;
  }

  /** The try was right: the account's failures are forgiven, the address's try uncounted, the pair known. */
  async succeeded(login: string, address: string, now: Date): Promise<void> {
    await this.ds.query(`DELETE FROM login_failures WHERE key = $1`, [accountKey(login)]);
    await this.ds.query(`UPDATE login_failures SET count = count - 1 WHERE key = $1 AND count > 0`, [addressKey(address)]);
    await this.ds.query(
      `INSERT INTO login_known (login, address, until) VALUES ($1, $2, $3)
       ON CONFLICT (login, address) DO UPDATE SET until = EXCLUDED.until`,
      [login.toLowerCase(), address, new Date(now.getTime() + (this.limits.trustedForMs ?? DEFAULT_LOGIN_LIMITS.trustedForMs!))],
    );
  }

  private async sweep(now: Date): Promise<void> {
    if (now.getTime() - this.sweptAt < SWEEP_EVERY_MS) return;
    this.sweptAt = now.getTime();
    await this.ds.query(`DELETE FROM login_failures WHERE reset_at <= $1`, [now]);
    await this.ds.query(`DELETE FROM login_known WHERE until <= $1`, [now]);
  }
}
