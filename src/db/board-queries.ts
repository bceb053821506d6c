// What the live board reads: the live calls, a day's call figures, the call-backs waiting.
// Each is one indexed query (live calls by the partial index on unfinished calls; a day's calls
// by the start-time index), so a board costs a few milliseconds at any table size.
import type { DataSource } from 'typeorm';
import type { SupervisionThresholds } from '../supervision/thresholds';
import type { LiveCallInput } from '../supervision/presence';
import { FIGURE_CALLS, callFigures, figureColumns, type CallFigures, type FigureRow } from './call-figures';
import type { StoredLeg } from './rows';

export interface CallbackCounts {
  due: number;
  overdue: number;
}

/** Requests whose customer wrote and waits for an agent, and since when the longest has waited. */
export interface CustomersWaiting {
  count: number;
  since: Date | null;
}

export class BoardQueries {
  constructor(
    private readonly ds: DataSource,
    private readonly thresholds: SupervisionThresholds,
  ) {}

  /** The live calls, with their PBX (a blocked caller's are left out: nobody waits for them to be answered). */
  async liveCalls(): Promise<(LiveCallInput & { pbx: string })[]> {
    const rows: {
      id: string;
      pbx: string;
      support_line: boolean;
      direction: string;
      caller_number: string | null;
      called_number: string | null;
      queue: string | null;
      started_at: Date;
      answered_at: Date | null;
      legs: StoredLeg[];
    }[] = await this.ds.query(
      `SELECT id, pbx, support_line, direction, caller_number, called_number, queue, started_at, answered_at, legs
         FROM call WHERE ended_at IS NULL AND NOT blocked`,
    );
    const d = (v: string | null) => (v === null ? null : new Date(v));
    return rows.map((r) => ({
      id: r.id,
      pbx: r.pbx,
      supportLine: r.support_line,
      direction: r.direction,
      callerNumber: r.caller_number,
      calledNumber: r.called_number,
      queue: r.queue,
      startedAt: new Date(r.started_at),
      answeredAt: r.answered_at === null ? null : new Date(r.answered_at),
      legs: r.legs.map((l) => ({ extension: l.extension, ringAt: new Date(l.ringAt), answeredAt: d(l.answeredAt), endedAt: d(l.endedAt) })),
    }));
  }

  /** The figures of the support-line calls that started in [since, until). */
  async figures(since: Date, until: Date): Promise<CallFigures> {
    const [row]: FigureRow[] = await this.ds.query(
      `SELECT ${figureColumns(this.thresholds)} FROM call c WHERE ${FIGURE_CALLS} AND c.started_at >= $1 AND c.started_at < $2`,
      [since, until],
    );
    return callFigures(row);
  }

  /** The same figures for each PBX that had such calls in [since, until). */
  async figuresByPbx(since: Date, until: Date): Promise<Map<string, CallFigures>> {
    const rows: (FigureRow & { pbx: string })[] = await this.ds.query(
      `SELECT c.pbx, ${figureColumns(this.thresholds)} FROM call c
        WHERE ${FIGURE_CALLS} AND c.started_at >= $1 AND c.started_at < $2 GROUP BY c.pbx`,
      [since, until],
    );
    return new Map(rows.map((r) => [r.pbx, callFigures(r)]));
  }

  /** Customers waiting for an answer (the waiting requests' own index: a few rows). */
  async customersWaiting(): Promise<CustomersWaiting> {
    const [row]: CustomersWaiting[] = await this.ds.query(`SELECT count(*)::int AS count, min(customer_wrote_at) AS since FROM ticket WHERE customer_wrote_at IS NOT NULL`);
    return row;
  }

  /** Missed callers still to be called back, and how many of them are past their due time. */
  async callbacks(now: Date): Promise<CallbackCounts> {
    const [row]: { due: number; overdue: number }[] = await this.ds.query(
      `SELECT count(*)::int AS due, count(*) FILTER (WHERE callback_due_at < $1)::int AS overdue
         FROM ticket WHERE callback_needed AND status = 'draft'`,
      [now],
    );
    return row;
  }
}

/**
 * How many support-line calls came in the same window a week ago, two weeks ago… ($1 now, $2 the
 * window's minutes, $3 weeks): one range of the start-time index per week, counted as a subquery
 * per week. Written as a join, the planner read every call once per request instead (a
 * million-call table: 0.7–1.4 s for each review-queue read).
 */
export const SURGE_HISTORY_SQL = `SELECT coalesce(sum((SELECT count(*) FROM call c WHERE ${FIGURE_CALLS}
    AND c.started_at > $1::timestamptz - make_interval(days => 7 * w.k, mins => $2)
    AND c.started_at <= $1::timestamptz - make_interval(days => 7 * w.k))), 0)::int AS n
  FROM generate_series(1, $3::int) AS w(k)`;

/** The support-line calls of the last `minutes`, oldest first, and the usual count in such a window (same weekday and time, past weeks). */
export async function surgeCounts(ds: DataSource, now: Date, minutes: number, weeks: number): Promise<{ recent: { id: string; callerNumber: string | null; startedAt: Date }[]; usual: number }> {
  const recent: { id: string; caller_number: string | null; started_at: Date }[] = await ds.query(
    `SELECT c.id, c.caller_number, c.started_at FROM call c
      WHERE ${FIGURE_CALLS} AND c.started_at > $1::timestamptz - make_interval(mins => $2) AND c.started_at <= $1
      ORDER BY c.started_at LIMIT 1000`,
    [now, minutes],
  );
  const [past]: { n: number }[] = await ds.query(SURGE_HISTORY_SQL, [now, minutes, weeks]);
  return {
    recent: recent.map((r) => ({ id: r.id, callerNumber: r.caller_number, startedAt: new Date(r.started_at) })),
    usual: past.n / weeks,
  };
}
