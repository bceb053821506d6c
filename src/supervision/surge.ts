// A surge: many customers calling at once, as when an outage hits them all. Raised when, within
// the window, at least `minCalls` support-line calls came from at least `minNumbers` different
// numbers, and that is at least `factor` times the usual count for this weekday and hour (the
// same window in the past weeks). Pure: the counts come in.

export interface SurgeThresholds {
  windowMinutes: number;
  minCalls: number;
  minNumbers: number;
  factor: number;
  /** How many past weeks make the usual rate. */
  historyWeeks: number;
}

export const DEFAULT_SURGE_THRESHOLDS: SurgeThresholds = { windowMinutes: 10, minCalls: 5, minNumbers: 5, factor: 3, historyWeeks: 4 };

export interface RecentCall {
  id: string;
  callerNumber: string | null;
  startedAt: Date;
}

export interface Surge {
  /** The first call of the window. */
  since: Date;
  calls: number;
  numbers: number;
  callIds: string[];
  /** The usual count of calls in such a window at this weekday and hour. */
  usual: number;
}

/** The surge in `recent` (the window's calls, oldest first), or null. `usual`: the usual count per window. */
export function detectSurge(recent: RecentCall[], usual: number, th: SurgeThresholds): Surge | null {
  const numbers = new Set(recent.map((c) => c.callerNumber).filter((n): n is string => n !== null));
  if (recent.length < th.minCalls || numbers.size < th.minNumbers) return null;
  if (recent.length < th.factor * usual) return null;
  return { since: recent[0].startedAt, calls: recent.length, numbers: numbers.size, callIds: recent.map((c) => c.id), usual };
}
