// The link page's rate limit, per client address in fixed windows: every request counts toward a
// generous limit (a person clicking, reloading, going back: dozens a minute pass), and tokens
// that name no link count toward a small one, so a guessing run is refused (429) long before it
// could matter (2^256 tokens). The counts are in PostgreSQL: every instance counts together.
import type { DataSource } from 'typeorm';
import { bumpAndPeek, sweepRateCounts } from '../db/rate-counts';
export interface LinkLimits {
  requestsPerMinute: number;
  unknownPerTenMinutes: number;
}

export const DEFAULT_LINK_LIMITS: LinkLimits = { requestsPerMinute: 120, unknownPerTenMinutes: 20 };

/** Expired counts are removed at most this often per instance. */
const SWEEP_EVERY_MS = 60_000;

export class LinkRateLimit {
  private sweptAt = 0;

  constructor(
    private readonly ds: DataSource,
    private readonly limits: LinkLimits = DEFAULT_LINK_LIMITS,
  ) {}

  /** Counts a request; true when it may go on. */
  async allow(address: string, now = new Date()): Promise<boolean> {
    if (now.getTime() - this.sweptAt >= SWEEP_EVERY_MS) {
      this.sweptAt = now.getTime();
      await sweepRateCounts(this.ds, now);
    }
    const r = await bumpAndPeek(this.ds, `link:r:${address}`, 60_000, `link:u:${address}`, now);
    return r.bumped <= this.limits.requestsPerMinute && r.peeked < this.limits.unknownPerTenMinutes;
  }

  /** A token that named no link. */
  async unknown(address: string, now = new Date()): Promise<void> {
    await bumpAndPeek(this.ds, `link:u:${address}`, 600_000, null, now);
  }
}
