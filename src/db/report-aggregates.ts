// Hourly pre-aggregates of the reports: calls (figure sums, per hour and after-hours flag), the
// agents' part of them, and requests (created, and the journal entries a report counts, by the
// request's priority and channel). A report reads whole summed hours from here and the rest — the
// last two days, the edges of an odd period, hours summed with other thresholds — from the rows.
//
// Coverage: every hour before `covered_until` is summed (hours are UTC; a support time zone with a
// whole-hour offset, as all of Russia's, buckets them exactly). Rows younger than two days still
// change, so they are never summed; a change to an older row marks its hour dirty (the migration's
// triggers) and the hour is summed again before the next report reads it. `extend` moves the
// coverage forward (a job every 10 minutes); `refresh` re-sums the dirty hours (each report).
// One advisory lock serialises both across instances.
import type { DataSource, EntityManager } from 'typeorm';
import { CALL_ANSWERED, CALL_HANDLE, CALL_HANDLED, CALL_WAIT, FIGURE_CALLS, figureSumColumns } from './call-figures';
import { CLOSE_REASONS } from '../tickets/vocabulary';
import type { SupervisionThresholds } from '../supervision/thresholds';

const LOCK = 7_304_212;
/** Rows at least this old are summed; the triggers mark changes past two days (an hour to spare). */
const SUMMABLE_UNTIL = `date_trunc('hour', now() - interval '2 days 1 hour', 'UTC')`;
/** Hours summed per transaction while catching up (a month of calls, a few seconds at most). */
const CHUNK_MS = 31 * 86_400_000;
/** Dirty hours closer than this are re-summed as one range. */
const GROUP_GAP_MS = 6 * 3_600_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

const hourOf = (col: string) => `date_trunc('hour', ${col}, 'UTC')`;

/** A condition on a time column (`$from`, `$to` the placeholders of the range). */
export type RangeOn = (column: string) => string;

/** Per hour and after-hours flag: the figure sums of the calls matching `where` (alias `c`). */
export function callHourRows(th: SupervisionThresholds, where: string): string {
  return `SELECT ${hourOf('c.started_at')} AS hour, c.after_hours, ${figureSumColumns(th)}
            FROM call c WHERE ${FIGURE_CALLS} AND ${where} GROUP BY 1, 2`;
}

/** Per hour, after-hours flag and agent: calls the agent answered (wait, handle) and calls whose legs rang them. */
export function agentHourRows(where: string): string {
  return `SELECT x.hour, x.after_hours, x.agent_id, sum(x.answered)::int AS answered, sum(x.wait)::float8 AS wait_sum,
                 sum(x.handle)::float8 AS handle_sum, sum(x.handled)::int AS handled, sum(x.rang)::int AS rang, sum(x.unanswered)::int AS unanswered
            FROM (SELECT ${hourOf('c.started_at')} AS hour, c.after_hours, c.answered_by AS agent_id, ${CALL_ANSWERED} AS answered,
                         ${CALL_WAIT} AS wait, ${CALL_HANDLE} AS handle, ${CALL_HANDLED} AS handled, 0 AS rang, 0 AS unanswered
                    FROM call c WHERE ${FIGURE_CALLS} AND ${where} AND c.answered_by IS NOT NULL
                  UNION ALL
                  SELECT ${hourOf('c.started_at')}, c.after_hours, (leg->>'agentId')::uuid, 0, NULL, NULL, 0, 1,
                         (NOT bool_or(leg->>'answeredAt' IS NOT NULL))::int
                    FROM call c CROSS JOIN jsonb_array_elements(c.legs) leg
                   WHERE ${FIGURE_CALLS} AND ${where} AND leg->>'agentId' IS NOT NULL
                   GROUP BY c.id, leg->>'agentId') x
           GROUP BY 1, 2, 3`;
}

/** The journal entries a report counts (the time index holds exactly these kinds). */
export const COUNTED = `e.kind IN ('registered', 'status_changed')`;
const TO = (status: string) => `e.kind = 'status_changed' AND e.data->>'to' = '${status}'`;
// R8: the customer disagreed with the solution; the request is worked again.
const REOPENED = `${TO('in_progress')} AND e.data->>'from' = 'completed'`;
const CLOSED = TO('closed');
/** What a counted entry adds to: `registered`, `completed`, `closed` and `closed_<reason>`, `reopened`. */
const MEASURES = `ARRAY[CASE WHEN e.kind = 'registered' THEN 'registered' END, CASE WHEN ${TO('completed')} THEN 'completed' END,
  CASE WHEN ${CLOSED} THEN 'closed' END, CASE WHEN ${CLOSED} THEN 'closed_' || (e.data->>'closeReason') END,
  CASE WHEN ${REOPENED} THEN 'reopened' END]`;
export const MEASURE_NAMES = ['created', 'registered', 'completed', 'closed', ...CLOSE_REASONS.map((r) => `closed_${r}`), 'reopened'];

/** Per hour, priority, channel and measure: requests created, and counted journal entries, in `range` with the requests' `filters`. */
export function ticketHourRows(range: RangeOn, filters: string[]): string {
  const more = filters.map((f) => ` AND ${f}`).join('');
  return `SELECT ${hourOf('t.created_at')} AS hour, t.priority, t.channel, 'created' AS measure, count(*)::int AS n
            FROM ticket t WHERE ${range('t.created_at')}${more} GROUP BY 1, 2, 3
          UNION ALL
          SELECT ${hourOf('e.at')}, t.priority, t.channel, m.measure, count(*)::int
            FROM ticket_events e JOIN ticket t ON t.id = e.ticket_id CROSS JOIN LATERAL unnest(${MEASURES}) m(measure)
           WHERE ${COUNTED} AND ${range('e.at')}${more} AND m.measure IS NOT NULL GROUP BY 1, 2, 3, 4`;
}

/** Whole summed hours a report may read: [from, to) within its period, or none (from = to). */
export interface SummedSpan {
  from: Date;
  to: Date;
}

/** The summed whole hours inside [since, until) given the coverage; the rest is read from the rows. */
export function summedSpan(since: Date, until: Date, coveredUntil: Date | null): SummedSpan {
  const from = new Date(Math.ceil(since.getTime() / HOUR_MS) * HOUR_MS);
  const end = Math.min(until.getTime(), coveredUntil?.getTime() ?? 0);
  const to = new Date(Math.floor(end / HOUR_MS) * HOUR_MS);
  return to > from ? { from, to } : { from: since, to: since };
}

/** Summed hours that changed, grouped into ranges to re-sum ([from, to)). */
export function dirtyRanges(hours: Date[]): SummedSpan[] {
  const sorted = [...new Set(hours.map((h) => h.getTime()))].sort((a, b) => a - b);
  const out: SummedSpan[] = [];
  for (const h of sorted) {
    const last = out[out.length - 1];
    if (last && h - last.to.getTime() <= GROUP_GAP_MS) last.to = new Date(h + HOUR_MS);
    else out.push({ from: new Date(h), to: new Date(h + HOUR_MS) });
  }
  return out;
}

/** Markers taken at once beyond which their table is vacuumed right away. */
const MANY_MARKERS = 10_000;

export class ReportAggregates {
  private readonly settings: string;

  constructor(
    private readonly ds: DataSource,
    private readonly th: SupervisionThresholds,
  ) {
    this.settings = JSON.stringify({ shortAbandonSeconds: th.shortAbandonSeconds, serviceLevelSeconds: th.serviceLevelSeconds });
  }

  /**
   * Re-sums the summed hours that changed, and says up to where the sums hold for these thresholds
   * (null: read everything from the rows). Called before each report.
   */
  async refresh(): Promise<Date | null> {
    let taken = 0;
    const covered = await this.ds.transaction(async (em) => {
      await em.query(`SELECT pg_advisory_xact_lock($1)`, [LOCK]);
      const covered = await this.coverage(em);
      if (!covered) return null;
      // Markers first, the rows after: a change committed after this DELETE leaves its marker.
      const dirty: { hour: Date }[] = await em.query(
        `WITH d AS (DELETE FROM report_dirty_hour WHERE hour < $1 RETURNING hour) SELECT hour FROM d`,
        [covered],
      );
      for (const r of dirtyRanges(dirty.map((d) => d.hour))) await this.sum(em, r.from, r.to);
      taken = dirty.length;
      return covered;
    });
    // Many markers gone (a mass change of old rows): their dead rows would be read by every
    // report's DELETE until autovacuum comes by.
    if (taken >= MANY_MARKERS) void this.vacuumMarkers();
    return covered;
  }

  /**
   * Clears the markers' dead rows (VACUUM runs outside any transaction). A first extension over
   * years of history deletes one marker per old row written — millions after an import — and
   * PostgreSQL's autovacuum may reach the table much later: until then each report's DELETE read
   * them all (0.3–0.5 s at 5.7 million). Cheap on the small table it usually is.
   */
  async vacuumMarkers(): Promise<void> {
    await this.ds.query('VACUUM report_dirty_hour').catch(() => undefined);
  }

  /** Sums the hours not yet summed, a month per transaction; returns the new coverage. */
  async extend(): Promise<Date | null> {
    await this.refresh();
    for (;;) {
      const done = await this.ds.transaction(async (em) => {
        await em.query(`SELECT pg_advisory_xact_lock($1)`, [LOCK]);
        const [{ target }]: { target: Date }[] = await em.query(`SELECT ${SUMMABLE_UNTIL} AS target`);
        let covered = await this.coverage(em);
        if (!covered) {
          covered = (await this.firstHour(em)) ?? target;
          await em.query(`INSERT INTO report_coverage (id, covered_until, settings) VALUES (1, $1, $2) ON CONFLICT (id) DO UPDATE SET covered_until = $1, settings = $2`, [covered, this.settings]);
        }
        if (covered >= target) return covered;
        const to = new Date(Math.min(covered.getTime() + CHUNK_MS, target.getTime()));
        await em.query(`DELETE FROM report_dirty_hour WHERE hour >= $1 AND hour < $2`, [covered, to]);
        await this.sum(em, covered, to);
        await em.query(`UPDATE report_coverage SET covered_until = $1`, [to]);
        return to >= target ? to : null;
      });
      if (done) {
        await this.vacuumMarkers();
        return done;
      }
    }
  }

  /** The coverage for these thresholds; sums made with others are dropped (null until extended). */
  private async coverage(em: EntityManager): Promise<Date | null> {
    const [state]: { covered_until: Date | null; same: boolean }[] = await em.query(
      `SELECT covered_until, settings = $1::jsonb AS same FROM report_coverage`,
      [this.settings],
    );
    if (!state) return null;
    if (state.same) return state.covered_until;
    await em.query(`TRUNCATE call_figures_hourly, call_agent_hourly, ticket_figures_hourly, ticket_figures_daily, report_dirty_hour`);
    await em.query(`DELETE FROM report_coverage`);
    return null;
  }

  private async firstHour(em: EntityManager): Promise<Date | null> {
    const [r]: { first: Date | null }[] = await em.query(
      `SELECT ${hourOf(`least((SELECT min(started_at) FROM call), (SELECT min(created_at) FROM ticket),
                             (SELECT min(at) FROM ticket_events e WHERE ${COUNTED}))`)} AS first`,
    );
    return r.first;
  }

  /** (Re)computes the sums of [from, to) from the rows. */
  private async sum(em: EntityManager, from: Date, to: Date): Promise<void> {
    const range: RangeOn = (col) => `${col} >= $1 AND ${col} < $2`;
    const args = [from, to];
    for (const table of ['call_figures_hourly', 'call_agent_hourly', 'ticket_figures_hourly']) {
      await em.query(`DELETE FROM ${table} WHERE hour >= $1 AND hour < $2`, args);
    }
    await em.query(
      `INSERT INTO call_figures_hourly (hour, after_hours, calls, answered, missed, abandoned, short_abandoned, answered_in_time, wait_sum, handle_sum, handled)
       ${callHourRows(this.th, range('c.started_at'))}`,
      args,
    );
    await em.query(
      `INSERT INTO call_agent_hourly (hour, after_hours, agent_id, answered, wait_sum, handle_sum, handled, rang, unanswered)
       ${agentHourRows(range('c.started_at'))}`,
      args,
    );
    await em.query(`INSERT INTO ticket_figures_hourly (hour, priority, channel, measure, n) ${ticketHourRows(range, [])}`, args);
    // The days the range touches, from their summed hours (a day past the coverage holds only those).
    const days = [new Date(Math.floor(from.getTime() / DAY_MS) * DAY_MS), new Date(Math.ceil(to.getTime() / DAY_MS) * DAY_MS)];
    await em.query(`DELETE FROM ticket_figures_daily WHERE day >= $1 AND day < $2`, days);
    await em.query(
      `INSERT INTO ticket_figures_daily (day, priority, channel, measure, n)
       SELECT date_trunc('day', hour, 'UTC'), priority, channel, measure, sum(n) FROM ticket_figures_hourly
        WHERE hour >= $1 AND hour < $2 GROUP BY 1, 2, 3, 4`,
      days,
    );
  }
}
