// Failed logins are limited per account and per address, counting failures only, so that a call
// centre whose agents share one address still logs in at shift start, and a guesser is slowed down.
// An address over its limit still lets in accounts that have logged in from it before (for
// `trustedForMs`): a guesser sitting at the call centre's address cannot lock its agents out; each
// account keeps its own limit.
export interface LoginLimits {
  perAccount: number;
  perAddress: number;
  windowMs: number;
  /** How long a successful login makes its (account, address) pair known (default 7 days). */
  trustedForMs?: number;
}

export const DEFAULT_LOGIN_LIMITS: LoginLimits = { perAccount: 5, perAddress: 50, windowMs: 15 * 60_000, trustedForMs: 7 * 24 * 3600_000 };

interface Window {
  count: number;
  resetAt: number;
}

const MAX_ENTRIES = 100_000;

export class LoginLimiter {
  private readonly windows = new Map<string, Window>();
  /** (account, address) pairs that logged in successfully, until when they count as known. */
  private readonly known = new Map<string, number>();

  constructor(private readonly limits: LoginLimits = DEFAULT_LOGIN_LIMITS) {}

  /** Milliseconds until a try is allowed again, or 0 when it is allowed now. */
  retryAfterMs(login: string, address: string, now: number): number {
    const a = this.current(`a:${login.toLowerCase()}`, now);
    const b = this.current(`i:${address}`, now);
    let wait = 0;
    if (a && a.count >= this.limits.perAccount) wait = Math.max(wait, a.resetAt - now);
    if (b && b.count >= this.limits.perAddress && !this.isKnown(login, address, now)) wait = Math.max(wait, b.resetAt - now);
    return wait;
  }

  failed(login: string, address: string, now: number): void {
    this.bump(`a:${login.toLowerCase()}`, now);
    this.bump(`i:${address}`, now);
  }

  succeeded(login: string, address?: string, now = Date.now()): void {
    this.windows.delete(`a:${login.toLowerCase()}`);
    if (address === undefined) return;
    if (this.known.size >= MAX_ENTRIES) for (const [k, until] of this.known) if (until <= now) this.known.delete(k);
    if (this.known.size < MAX_ENTRIES) this.known.set(pair(login, address), now + (this.limits.trustedForMs ?? DEFAULT_LOGIN_LIMITS.trustedForMs!));
  }

  private isKnown(login: string, address: string, now: number): boolean {
    const until = this.known.get(pair(login, address));
    return until !== undefined && until > now;
  }

  private current(key: string, now: number): Window | undefined {
    const w = this.windows.get(key);
    if (w && w.resetAt <= now) {
      this.windows.delete(key);
      return undefined;
    }
    return w;
  }

  private bump(key: string, now: number): void {
    const w = this.current(key, now);
    if (w) w.count++;
    else {
      // Keep the map bounded: forget expired windows when it grows.
      if (this.windows.size > MAX_ENTRIES) for (const [k, v] of this.windows) if (v.resetAt <= now) this.windows.delete(k);
      this.windows.set(key, { count: 1, resetAt: now + this.limits.windowMs });
    }
  }
}

function pair(login: string, address: string): string {
  return `${login.toLowerCase()}\u0000${address}`;
}
