// A civil (wall-calendar) date as ISO `YYYY-MM-DD`: what the production calendar speaks in.
// Arithmetic runs on UTC midnights so no time zone or DST can shift a day.

/** An ISO 8601 calendar date, `YYYY-MM-DD`. */
export type CivilDate = string;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

/** True when `s` is a real calendar date written `YYYY-MM-DD` (rejects 2025-02-30). */
export function isCivilDate(s: string): boolean {
  const m = ISO_DATE.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === s;
}

function toUtcMs(day: CivilDate): number {
  return Date.parse(`${day}T00:00:00Z`);
}

function fromUtcMs(ms: number): CivilDate {
  return new Date(ms).toISOString().slice(0, 10);
}

/** The date `n` calendar days after `day` (before it when `n` is negative). */
export function addDays(day: CivilDate, n: number): CivilDate {
  return fromUtcMs(toUtcMs(day) + n * DAY_MS);
}

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export function isoWeekday(day: CivilDate): number {
  const d = new Date(toUtcMs(day)).getUTCDay();
  return d === 0 ? 7 : d;
}

export function isWeekend(day: CivilDate): boolean {
  return isoWeekday(day) >= 6;
}

export function yearOf(day: CivilDate): number {
  return Number(day.slice(0, 4));
}

/** Every date from `first` to `last`, both included. */
export function eachDay(first: CivilDate, last: CivilDate): CivilDate[] {
  const out: CivilDate[] = [];
  for (let d = first; d <= last; d = addDays(d, 1)) out.push(d);
  return out;
}
