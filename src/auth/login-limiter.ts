// Failed logins are limited per account and per address, counting failures only, so that a call
// centre whose agents share one address still logs in at shift start, and a guesser is slowed down.
// An address over its limit still lets in accounts that have logged in from it before (for
// `trustedForMs`): a guesser sitting at the call centre's address cannot lock its agents out; each
// account keeps its own limit.
// The counts live in PostgreSQL, so every instance behind a balancer counts together. A try is
// counted as a failure when it starts and taken back when it succeeds: guesses sent all at once
// cannot slip past the limit while their passwords are being checked.
import type { DataSource } from 'typeorm';
import { countTry, forgetFailures, rememberPair, sweepLoginCounts, uncountTry } from '../db/login-limits';

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
    const keys: [string, string] = [accountKey(login), addressKey(address)];
    const rows = await countTry(this.ds, keys, new Date(now.getTime() + this.limits.windowMs), now, login.toLowerCase(), address);
    let wait = 0;
    for (const r of rows) {
      const over = r.key === keys[0] ? r.count > this.limits.perAccount : r.count > this.limits.perAddress && !r.known;
      if (over) wait = Math.max(wait, new Date(r.reset_at).getTime() - now.getTime());
    }
    if (wait > 0) await uncountTry(this.ds, keys);
    return wait;
  }

  /** The try was right: the account's failures are forgiven, the address's try uncounted, the pair known. */
  async succeeded(login: string, address: string, now: Date): Promise<void> {
    await forgetFailures(this.ds, accountKey(login));
    await uncountTry(this.ds, [addressKey(address)]);
    await rememberPair(this.ds, login.toLowerCase(), address, new Date(now.getTime() + (this.limits.trustedForMs ?? DEFAULT_LOGIN_LIMITS.trustedForMs!)));
  }

  private async sweep(now: Date): Promise<void> {
    if (now.getTime() - this.sweptAt < SWEEP_EVERY_MS) return;
    this.sweptAt = now.getTime();
    await sweepLoginCounts(this.ds, now);
  }
}
