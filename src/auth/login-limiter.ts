// Failed logins are limited per account and per address, counting failures only: a call centre
// whose agents share one address still logs in at shift start, a guesser is slowed down.
export interface LoginLimits {
  perAccount: number;
  perAddress: number;
  windowMs: number;
}

export const DEFAULT_LOGIN_LIMITS: LoginLimits = { perAccount: 5, perAddress: 50, windowMs: 15 * 60_000 };

interface Window {
  count: number;
  resetAt: number;
}

export class LoginLimiter {
  private readonly windows = new Map<string, Window>();

  constructor(private readonly limits: LoginLimits = DEFAULT_LOGIN_LIMITS) {}

  /** Milliseconds until a try is allowed again, or 0 when it is allowed now. */
  retryAfterMs(login: string, address: string, now: number): number {
    const a = this.current(`a:${login.toLowerCase()}`, now);
    const b = this.current(`i:${address}`, now);
    let wait = 0;
    if (a && a.count >= this.limits.perAccount) wait = Math.max(wait, a.resetAt - now);
    if (b && b.count >= this.limits.perAddress) wait = Math.max(wait, b.resetAt - now);
    return wait;
  }

  failed(login: string, address: string, now: number): void {
    this.bump(`a:${login.toLowerCase()}`, now);
    this.bump(`i:${address}`, now);
  }

  succeeded(login: string): void {
    this.windows.delete(`a:${login.toLowerCase()}`);
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
      if (this.windows.size > 100_000) for (const [k, v] of this.windows) if (v.resetAt <= now) this.windows.delete(k);
      this.windows.set(key, { count: 1, resetAt: now + this.limits.windowMs });
    }
  }
}
