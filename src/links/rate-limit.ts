// The link page's rate limit, per client address in fixed windows: every request counts toward a
// generous limit (a person clicking, reloading, going back: dozens a minute pass), and tokens
// that name no link count toward a small one, so a guessing run is refused (429) long before it
// could matter (2^256 tokens).
export interface LinkLimits {
  requestsPerMinute: number;
  unknownPerTenMinutes: number;
}

export const DEFAULT_LINK_LIMITS: LinkLimits = { requestsPerMinute: 120, unknownPerTenMinutes: 20 };

const MAX_ENTRIES = 100_000;

interface Window {
  count: number;
  resetAt: number;
}

export class LinkRateLimit {
  private readonly windows = new Map<string, Window>();

  constructor(private readonly limits: LinkLimits = DEFAULT_LINK_LIMITS) {}

  /** Counts a request; true when it may go on. */
  allow(address: string, now = Date.now()): boolean {
    const all = this.bump(`r:${address}`, now, 60_000);
    const unknown = this.peek(`u:${address}`, now);
    return all <= this.limits.requestsPerMinute && unknown < this.limits.unknownPerTenMinutes;
  }

  /** A token that named no link. */
  unknown(address: string, now = Date.now()): void {
    this.bump(`u:${address}`, now, 600_000);
  }

  private peek(key: string, now: number): number {
    const w = this.windows.get(key);
    return w && w.resetAt > now ? w.count : 0;
  }

  private bump(key: string, now: number, windowMs: number): number {
    let w = this.windows.get(key);
    if (!w || w.resetAt <= now) {
      if (this.windows.size >= MAX_ENTRIES) for (const [k, v] of this.windows) if (v.resetAt <= now) this.windows.delete(k);
      w = { count: 0, resetAt: now + windowMs };
      if (this.windows.size < MAX_ENTRIES) this.windows.set(key, w);
    }
    w.count++;
    return w.count;
  }
}
