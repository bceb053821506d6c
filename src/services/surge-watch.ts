// Whether the support line has a surge now: asked by the live board and the review queue, read at
// most every few seconds however many ask. A surge lasts from its first window to the first
// window without one (an episode): its calls gather, and it keeps the id of its first call, so
// the review queue's item for it stays one item while it lasts.
import type { DataSource } from 'typeorm';
import { surgeCounts } from '../db/board-queries';
import { detectSurge, type Surge, type SurgeThresholds } from '../supervision/surge';

const FRESH_MS = 3000;
/** An episode's calls kept at most (an incident links them). */
const MAX_CALLS = 1000;

export interface SurgeEpisode extends Surge {
  /** The episode's first call: names it. */
  firstCallId: string;
}

export class SurgeWatch {
  private last: { at: number; surge: Promise<SurgeEpisode | null> } | null = null;
  private episode: SurgeEpisode | null = null;

  constructor(
    private readonly ds: DataSource,
    private readonly th: SurgeThresholds,
  ) {}

  current(now: Date): Promise<SurgeEpisode | null> {
    if (this.last && Math.abs(now.getTime() - this.last.at) < FRESH_MS) return this.last.surge;
    const surge = surgeCounts(this.ds, now, this.th.windowMinutes, this.th.historyWeeks).then(({ recent, usual }) => this.follow(detectSurge(recent, usual, this.th)));
    this.last = { at: now.getTime(), surge };
    surge.catch(() => (this.last = null));
    return surge;
  }

  private follow(surge: Surge | null): SurgeEpisode | null {
    if (!surge) return (this.episode = null);
    const ep = this.episode;
    if (!ep) return (this.episode = { ...surge, firstCallId: surge.callIds[0] });
    const callIds = [...new Set([...ep.callIds, ...surge.callIds])].slice(0, MAX_CALLS);
    this.episode = { ...surge, since: ep.since, firstCallId: ep.firstCallId, callIds, calls: callIds.length, numbers: Math.max(ep.numbers, surge.numbers) };
    return this.episode;
  }
}
