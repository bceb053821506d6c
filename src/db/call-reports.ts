// The call report: the supervisors' call figures (call-figures.ts, not written again here) grouped
// by bucket of the support time zone, by hour of the day and in total, and per agent — from the
// hourly sums where the period has them (report-aggregates.ts), from the calls for the rest.
import type { DataSource } from 'typeorm';
import { callFigures, FIGURES_OF_SUMS, round1, type CallFigures, type FigureRow } from './call-figures';
import { agentHourRows, callHourRows, summedSpan, type ReportAggregates } from './report-aggregates';
import { BUCKET_KEY_SQL, type ReportPeriod } from '../supervision/report-period';
import type { SupervisionThresholds } from '../supervision/thresholds';

export interface CallReportFilters {
  agentId?: string;
  afterHours?: boolean;
}

export interface CallReportRows {
  total: CallFigures;
  buckets: (CallFigures & { start: string })[];
  byHourOfDay: (CallFigures & { hour: number })[];
  byAgent: { agentId: string; answered: number; asaSeconds: number | null; ahtSeconds: number | null; rang: number; unanswered: number }[];
}

const NO_CALLS: FigureRow = { calls: 0, answered: 0, missed: 0, abandoned: 0, short_abandoned: 0, answered_in_time: 0, asa: null, aht: null };

/**
 * The period's figure calls with the filters: `summed`, conditions on the hourly sums (alias `h`)
 * for the whole summed hours; `rows`, conditions on the calls (alias `c`) for the rest of the period.
 */
function callsOfPeriod(p: ReportPeriod, f: CallReportFilters, covered: Date | null): { summed: string; rows: string; args: unknown[] } {
  // An agent is not a dimension of the call sums: their calls are read from the rows.
  const span = summedSpan(p.since, p.until, f.agentId ? null : covered);
  const args: unknown[] = [p.since, span.from, span.to, p.until];
  const summed = [`h.hour >= $2 AND h.hour < $3`];
  const rows = [`(c.started_at >= $1 AND c.started_at < $2 OR c.started_at >= $3 AND c.started_at < $4)`];
  if (f.agentId) rows.push(`c.agent_ids @> ARRAY[$${args.push(f.agentId)}::uuid]`);
  if (f.afterHours !== undefined) {
    const i = args.push(f.afterHours);
    summed.push(`h.after_hours = $${i}`);
    rows.push(`c.after_hours = $${i}`);
  }
  return { summed: summed.join(' AND '), rows: rows.join(' AND '), args };
}

export class CallReports {
  constructor(
    private readonly ds: DataSource,
    private readonly thresholds: SupervisionThresholds,
    private readonly aggregates: ReportAggregates,
  ) {}

  async report(p: ReportPeriod, f: CallReportFilters): Promise<CallReportRows> {
    const covered = await this.aggregates.refresh();
    const [grouped, byAgent] = await Promise.all([this.grouped(p, f, covered), this.byAgent(p, f, covered)]);
    return { ...grouped, byAgent };
  }

  private async grouped(p: ReportPeriod, f: CallReportFilters, covered: Date | null): Promise<Omit<CallReportRows, 'byAgent'>> {
    const { summed, rows: where, args } = callsOfPeriod(p, f, covered);
    const unit = `$${args.push(p.groupBy)}`;
    const zone = `$${args.push(p.timezone)}`;
    const rows: (FigureRow & { by_bucket: number; by_hour: number; bucket: string | null; hour: number | null })[] = await this.ds.query(
      `WITH h AS (SELECT * FROM call_figures_hourly h WHERE ${summed} UNION ALL ${callHourRows(this.thresholds, where)})
       SELECT GROUPING(k.bucket)::int AS by_hour, GROUPING(k.hour)::int AS by_bucket, k.bucket, k.hour, ${FIGURES_OF_SUMS}
         FROM h
        CROSS JOIN LATERAL (SELECT to_char(date_trunc(${unit}, h.hour AT TIME ZONE ${zone}), ${BUCKET_KEY_SQL}) AS bucket,
                                   extract(hour FROM h.hour AT TIME ZONE ${zone})::int AS hour) k
        GROUP BY GROUPING SETS ((k.bucket), (k.hour), ())`,
      args,
    );
    const buckets = new Map<string, FigureRow>();
    const hours = new Map<number, FigureRow>();
    let total = NO_CALLS;
    for (const r of rows) {
      if (r.by_bucket && !r.by_hour) buckets.set(r.bucket!, r);
      else if (r.by_hour && !r.by_bucket) hours.set(r.hour!, r);
      else total = r;
    }
    return {
      total: callFigures(total),
      buckets: p.buckets.map((b) => ({ start: b.start, ...callFigures(buckets.get(b.key) ?? NO_CALLS) })),
      byHourOfDay: Array.from({ length: 24 }, (_, hour) => ({ hour, ...callFigures(hours.get(hour) ?? NO_CALLS) })),
    };
  }

  /** Calls each agent answered (ASA, AHT), and calls that rang them — by their legs — unanswered by them. */
  private async byAgent(p: ReportPeriod, f: CallReportFilters, covered: Date | null): Promise<CallReportRows['byAgent']> {
    const { summed, rows: where, args } = callsOfPeriod(p, f, covered);
    const rows: { agent_id: string; answered: number; asa: number | null; aht: number | null; rang: number; unanswered: number }[] = await this.ds.query(
      `WITH a AS (SELECT * FROM call_agent_hourly h WHERE ${summed} UNION ALL ${agentHourRows(where)})
       SELECT a.agent_id::text AS agent_id, sum(a.answered)::int AS answered, (sum(a.wait_sum) / nullif(sum(a.answered), 0))::float8 AS asa,
              (sum(a.handle_sum) / nullif(sum(a.handled), 0))::float8 AS aht, sum(a.rang)::int AS rang, sum(a.unanswered)::int AS unanswered
         FROM a GROUP BY a.agent_id
        ORDER BY 2 DESC, 5 DESC, 1`,
      args,
    );
    return rows.map((r) => ({ agentId: r.agent_id, answered: r.answered, asaSeconds: round1(r.asa), ahtSeconds: round1(r.aht), rang: r.rang, unanswered: r.unanswered }));
  }
}
