// A report's period cut into buckets in the support time zone (hour, day, ISO week from Monday,
// month): the buckets the database groups by (`date_trunc` of local time) and every bucket of the
// period, so empty ones show as zeros and the charts get a continuous axis. Pure: time handed in.
import { DateTime } from 'luxon';

export const GROUP_BY = ['hour', 'day', 'week', 'month'] as const;
export type GroupBy = (typeof GROUP_BY)[number];

/** More buckets than a chart can show (and than a query should group): the caller asks for fewer. */
export const MAX_BUCKETS = 2000;
/** Without a period: the last seven days, today included (whole days in support time). */
export const DEFAULT_DAYS = 7;

/** How a bucket is keyed in SQL (`to_char` of the local bucket start) and here. */
export const BUCKET_KEY_SQL = `'YYYY-MM-DD HH24:MI:SS'`;
const BUCKET_KEY = 'yyyy-MM-dd HH:mm:ss';

export interface Bucket {
  /** The local start as the database writes it (`2026-12-01 00:00:00`): the join key. */
  key: string;
  /** The start as an instant with the support time zone's offset (`2026-12-01T00:00:00.000+03:00`). */
  start: string;
  /** Where it ends: the next bucket's start, or the period's end for the last. */
  end: Date;
}

export interface ReportPeriod {
  since: Date;
  until: Date;
  groupBy: GroupBy;
  timezone: string;
  buckets: Bucket[];
}

export type PeriodAnswer = { ok: true; period: ReportPeriod } | { ok: false; field: 'groupBy'; message: string };

/** The period asked for (defaults filled in) and its buckets, or why it has too many. */
export function reportPeriod(q: { since?: string; until?: string; groupBy?: GroupBy }, now: Date, timezone: string): PeriodAnswer {
  const groupBy = q.groupBy ?? 'day';
  const tomorrow = DateTime.fromJSDate(now, { zone: timezone }).startOf('day').plus({ days: 1 });
  const until = q.until ? DateTime.fromISO(q.until, { zone: timezone }) : q.since ? DateTime.fromJSDate(now, { zone: timezone }) : tomorrow;
  const since = q.since ? DateTime.fromISO(q.since, { zone: timezone }) : until.minus({ days: DEFAULT_DAYS });
  const buckets: Bucket[] = [];
  let start = since.startOf(groupBy);
  while (start < until) {
    if (buckets.length === MAX_BUCKETS) {
      return { ok: false, field: 'groupBy', message: `querystring field 'groupBy' gives more than ${MAX_BUCKETS} ${groupBy}s over the period: choose a longer unit or a shorter period` };
    }
    const next = start.plus({ [groupBy]: 1 });
    buckets.push({ key: start.toFormat(BUCKET_KEY), start: start.toISO()!, end: (next < until ? next : until).toJSDate() });
    start = next;
  }
  return { ok: true, period: { since: since.toJSDate(), until: until.toJSDate(), groupBy, timezone, buckets } };
}

/** An instant as ISO 8601 with the zone's offset (`2026-12-01T00:00:00.000+03:00`). */
export const zonedIso = (at: Date, timezone: string): string => DateTime.fromJSDate(at, { zone: timezone }).toISO()!;
