// The call report: the supervisors' call figures (call-figures.ts, not written again here) grouped
// by bucket of the support time zone, by hour of the day and in total in one pass over the period's
// calls (the start-time index bounds it), and per agent.
import type { DataSource } from 'typeorm';
import { callFigures, figureColumns, FIGURE_CALLS, type CallFigures, type FigureRow } from './call-figures';
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

/** `WHERE` of the period's figure calls with the filters (`$1`–`$2` the period). */
function callsOfPeriod(p: ReportPeriod, f: CallReportFilters): { where: string; args: unknown[] } {
  const args: unknown[] = [p.since, p.until];
  const where = [FIGURE_CALLS, `c.started_at >= $1`, `c.started_at < $2`];
  if (f.agentId) where.push(`c.agent_ids @> ARRAY[$${args.push(f.agentId)}::uuid]`);
  if (f.afterHours !== undefined) where.push(`c.after_hours = $${args.push(f.afterHours)}`);
  return { where: where.join(' AND '), args };
}

export class CallReports {
  constructor(
    private readonly ds: DataSource,
    private readonly thresholds: SupervisionThresholds,
  ) {}

  async report(p: ReportPeriod, f: CallReportFilters): Promise<CallReportRows> {
    const [grouped, byAgent] = await Promise.all([this.grouped(p, f), this.byAgent(p, f)]);
    return { ...grouped, byAgent };
  }

  private async grouped(p: ReportPeriod, f: CallReportFilters): Promise<Omit<CallReportRows, 'byAgent'>> {
    const { where, args } = callsOfPeriod(p, f);
    const unit = `$${args.push(p.groupBy)}`;
    const zone = `$${args.push(p.timezone)}`;
    const rows: (FigureRow & { by_bucket: number; by_hour: number; bucket: string | null; hour: number | null })[] = await this.ds.query(
      `SELECT GROUPING(k.bucket)::int AS by_hour, GROUPING(k.hour)::int AS by_bucket, k.bucket, k.hour, ${figureColumns(this.thresholds)}
         FROM call c
        CROSS JOIN LATERAL (SELECT to_char(date_trunc(${unit}, c.started_at AT TIME ZONE ${zone}), ${BUCKET_KEY_SQL}) AS bucket,
                                   extract(hour FROM c.started_at AT TIME ZONE ${zone})::int AS hour) k
        WHERE ${where}
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
  private async byAgent(p: ReportPeriod, f: CallReportFilters): Promise<CallReportRows['byAgent']> {
    const { where, args } = callsOfPeriod(p, f);
    const rows: (FigureRow & { agent_id: string; rang: number | null; unanswered: number | null })[] = await this.ds.query(
      `WITH calls AS MATERIALIZED (SELECT c.* FROM call c WHERE ${where}),
       answered AS (SELECT c.answered_by::text AS agent_id, ${figureColumns(this.thresholds)}
                      FROM calls c WHERE c.answered_by IS NOT NULL GROUP BY c.answered_by),
       rung AS (SELECT l.agent_id, count(*)::int AS rang, count(*) FILTER (WHERE NOT l.answered)::int AS unanswered
                  FROM (SELECT c.id, leg->>'agentId' AS agent_id, bool_or(leg->>'answeredAt' IS NOT NULL) AS answered
                          FROM calls c CROSS JOIN jsonb_array_elements(c.legs) leg
                         WHERE leg->>'agentId' IS NOT NULL GROUP BY c.id, leg->>'agentId') l
                 GROUP BY l.agent_id)
       SELECT coalesce(a.agent_id, r.agent_id) AS agent_id, a.calls, a.answered, a.missed, a.abandoned, a.short_abandoned,
              a.answered_in_time, a.asa, a.aht, r.rang, r.unanswered
         FROM answered a FULL JOIN rung r ON r.agent_id = a.agent_id
        ORDER BY coalesce(a.answered, 0) DESC, coalesce(r.rang, 0) DESC, 1`,
      args,
    );
    return rows.map((r) => {
      const fig = callFigures(r.calls === null ? NO_CALLS : r);
      return { agentId: r.agent_id, answered: fig.answered, asaSeconds: fig.asaSeconds, ahtSeconds: fig.ahtSeconds, rang: r.rang ?? 0, unanswered: r.unanswered ?? 0 };
    });
  }
}
