// The request report: requests created (by creation time), and from the journal — registered,
// completed, closed by reason, reopened — per bucket of the support time zone; the backlog (open
// requests: registered and not closed) at each bucket's end; created by priority and by channel.
//
// The backlog at the period's end is counted back from now (open now, less what was registered
// since, plus what was closed since: a closed request is never reopened, R9–R11), or forward from
// the first registration when that is nearer; from there back one bucket at a time with the
// period's own journal counts.
import type { DataSource } from 'typeorm';
import { OPEN_SQL } from './caller-sql';
import { BUCKET_KEY_SQL, type ReportPeriod } from '../supervision/report-period';
import { summedSpan, ticketHourRows, type ReportAggregates } from './report-aggregates';
import { CHANNELS, CLOSE_REASONS, PRIORITIES, PRIORITY_RANK, type Channel, type CloseReason, type Priority } from '../tickets/vocabulary';

export interface TicketReportFilters {
  priority?: Priority;
  channel?: Channel;
  assignee?: string;
}

export interface TicketFigures {
  created: number;
  registered: number;
  completed: number;
  closed: number;
  closedBy: Record<CloseReason, number>;
  reopened: number;
}

export interface TicketReportRows {
  total: TicketFigures & { backlogAtStart: number; backlogAtEnd: number };
  buckets: (TicketFigures & { start: string; backlog: number })[];
  byPriority: { priority: Priority; created: number }[];
  byChannel: { channel: Channel; created: number }[];
}

type JournalRow = { registered: number; completed: number; closed: number; reopened: number } & Record<string, number>;
const NO_ENTRIES: JournalRow = { registered: 0, completed: 0, closed: 0, reopened: 0 };

const figures = (created: number, j: JournalRow): TicketFigures => ({
  created,
  registered: j.registered,
  completed: j.completed,
  closed: j.closed,
  closedBy: Object.fromEntries(CLOSE_REASONS.map((r) => [r, j[`closed_${r}`] ?? 0])) as Record<CloseReason, number>,
  reopened: j.reopened,
});

/**
 * The filters as conditions on the requests (`rows`, alias `t`) and on the hourly sums (`summed`,
 * alias `h`); values appended to `args`. An assignee is not a dimension of the sums.
 */
function ticketFilters(f: TicketReportFilters, args: unknown[], sums = false): { rows: string[]; summed: string[] } {
  const rows: string[] = [];
  const summed: string[] = [];
  if (f.priority) {
    // By rank: the column the priority indexes start with.
    rows.push(`t.priority_rank = $${args.push(PRIORITY_RANK[f.priority])}`);
    if (sums) summed.push(`h.priority = $${args.push(f.priority)}`);
  }
  if (f.channel) {
    const i = args.push(f.channel);
    rows.push(`t.channel = $${i}`);
    summed.push(`h.channel = $${i}`);
  }
  if (f.assignee) rows.push(`t.assignees @> ARRAY[$${args.push(f.assignee)}::uuid]`);
  return { rows, summed };
}

const and = (xs: string[]) => xs.map((x) => ` AND ${x}`).join('');

export class TicketReports {
  constructor(
    private readonly ds: DataSource,
    private readonly aggregates: ReportAggregates,
  ) {}

  async report(p: ReportPeriod, f: TicketReportFilters, now: Date): Promise<TicketReportRows> {
    const covered = await this.aggregates.refresh();
    const [{ created, journal }, anchor] = await Promise.all([this.counted(p, f, covered), this.openAt(p, f, now, covered)]);
    const keyed = (b: string) => journal.get(b) ?? NO_ENTRIES;
    // Open at the period's end, then back one bucket at a time: less its registrations, plus its closings.
    const backlogs: number[] = [];
    let open = anchor;
    for (let i = p.buckets.length - 1; i >= 0; i--) {
      backlogs[i] = open;
      const j = keyed(p.buckets[i].key);
      open = open - j.registered + j.closed;
    }
    const buckets = p.buckets.map((b, i) => ({ start: b.start, backlog: backlogs[i], ...figures(created.byBucket.get(b.key) ?? 0, keyed(b.key)) }));
    const sum = (k: 'registered' | 'completed' | 'closed' | 'reopened') => buckets.reduce((n, b) => n + b[k], 0);
    const closedBy = Object.fromEntries(CLOSE_REASONS.map((r) => [r, buckets.reduce((n, b) => n + b.closedBy[r], 0)])) as Record<CloseReason, number>;
    return {
      total: {
        created: created.total,
        registered: sum('registered'),
        completed: sum('completed'),
        closed: sum('closed'),
        closedBy,
        reopened: sum('reopened'),
        backlogAtStart: open,
        backlogAtEnd: anchor,
      },
      buckets,
      byPriority: PRIORITIES.map((priority) => ({ priority, created: created.byPriority.get(priority) ?? 0 })),
      byChannel: CHANNELS.map((channel) => ({ channel, created: created.byChannel.get(channel) ?? 0 })),
    };
  }

  /**
   * Requests created in the period (per bucket, by priority, by channel, in total) and the journal
   * entries that count, per bucket: whole summed hours from the sums, the rest from the rows.
   */
  private async counted(p: ReportPeriod, f: TicketReportFilters, covered: Date | null) {
    const span = summedSpan(p.since, p.until, f.assignee ? null : covered);
    const args: unknown[] = [p.since, span.from, span.to, p.until];
    const filters = ticketFilters(f, args, true);
    const unit = `$${args.push(p.groupBy)}`;
    const zone = `$${args.push(p.timezone)}`;
    const range = (col: string) => `(${col} >= $1 AND ${col} < $2 OR ${col} >= $3 AND ${col} < $4)`;
    const rows: { g_bucket: number; g_priority: number; g_channel: number; bucket: string; priority: Priority; channel: Channel; measure: string; n: number }[] =
      await this.ds.query(
        `WITH h AS (SELECT h.hour, h.priority, h.channel, h.measure, h.n FROM ticket_figures_hourly h WHERE h.hour >= $2 AND h.hour < $3${and(filters.summed)}
                    UNION ALL ${ticketHourRows(range, filters.rows)})
         SELECT GROUPING(k.bucket)::int AS g_bucket, GROUPING(h.priority)::int AS g_priority, GROUPING(h.channel)::int AS g_channel,
                k.bucket, h.priority, h.channel, h.measure, sum(h.n)::int AS n
           FROM h CROSS JOIN LATERAL (SELECT to_char(date_trunc(${unit}, h.hour AT TIME ZONE ${zone}), ${BUCKET_KEY_SQL}) AS bucket) k
          GROUP BY GROUPING SETS ((k.bucket, h.measure), (h.priority, h.measure), (h.channel, h.measure), (h.measure))`,
        args,
      );
    const created = { total: 0, byBucket: new Map<string, number>(), byPriority: new Map<string, number>(), byChannel: new Map<string, number>() };
    const journal = new Map<string, JournalRow>();
    for (const r of rows) {
      if (r.measure !== 'created') {
        if (!r.g_bucket) journal.set(r.bucket, { ...(journal.get(r.bucket) ?? NO_ENTRIES), [r.measure]: r.n });
      } else if (!r.g_bucket) created.byBucket.set(r.bucket, r.n);
      else if (!r.g_priority) created.byPriority.set(r.priority, r.n);
      else if (!r.g_channel) created.byChannel.set(r.channel, r.n);
      else created.total = r.n;
    }
    return { created, journal };
  }

  /**
   * Requests open at the period's end T (registered, not closed; a closed request stays closed):
   * for a T nearer now, open now less those registered since T plus those closed since T; for a T
   * nearer the first registration, those registered before T less those closed before T. Unfiltered,
   * each count reads only the registration- or closing-time index of the requests. With the hourly
   * sums (any filter but the assignee), registrations less closings of the journal, from the sums.
   */
  private async openAt(p: ReportPeriod, f: TicketReportFilters, now: Date, covered: Date | null): Promise<number> {
    if (p.until.getTime() > now.getTime()) return this.openNow(f);
    if (covered && !f.assignee) return this.openFromSums(p.until, f, covered);
    const [{ first }]: { first: Date | null }[] = await this.ds.query(`SELECT min(registered_at) AS first FROM ticket WHERE registered_at IS NOT NULL`);
    if (first === null) return 0;
    const args: unknown[] = [p.until];
    const filters = and(ticketFilters(f, args).rows);
    const count = (where: string) => `(SELECT count(*) FROM ticket t WHERE ${where}${filters})`;
    if (p.until.getTime() - new Date(first).getTime() < now.getTime() - p.until.getTime()) {
      const [r]: { open: number }[] = await this.ds.query(
        `SELECT ${count('t.registered_at < $1')} - ${count('t.closed_at < $1')} AS open`,
        args,
      );
      return Number(r.open);
    }
    const [r]: { open: number }[] = await this.ds.query(
      `SELECT ${count(`t.status IN ${OPEN_SQL}`)} - ${count('t.registered_at >= $1')} + ${count('t.closed_at >= $1')} AS open`,
      args,
    );
    return Number(r.open);
  }

  /**
   * Requests open at T from the journal: registrations before T less closings before T — whole
   * summed days, then summed hours up to the coverage, then the entries after it one by one.
   */
  private async openFromSums(until: Date, f: TicketReportFilters, covered: Date): Promise<number> {
    const edge = summedSpan(new Date(0), until, covered).to;
    const day = new Date(Math.floor(edge.getTime() / 86_400_000) * 86_400_000);
    const args: unknown[] = [day, edge, until];
    const filters = ticketFilters(f, args, true);
    const net = (from: string) =>
      `(SELECT coalesce(sum(h.n) FILTER (WHERE h.measure = 'registered'), 0) - coalesce(sum(h.n) FILTER (WHERE h.measure = 'closed'), 0) FROM ${from})`;
    const summed = and(filters.summed);
    const [r]: { open: string }[] = await this.ds.query(
      `SELECT ${net(`ticket_figures_daily h WHERE h.measure IN ('registered', 'closed') AND h.day < $1${summed}`)}
            + ${net(`ticket_figures_hourly h WHERE h.hour >= $1 AND h.hour < $2 AND h.measure IN ('registered', 'closed')${summed}`)}
            + ${net(`(${ticketHourRows((col) => `${col} >= $2 AND ${col} < $3`, filters.rows)}) h`)} AS open`,
      args,
    );
    return Number(r.open);
  }

  private async openNow(f: TicketReportFilters): Promise<number> {
    const args: unknown[] = [];
    const [r]: { open: number }[] = await this.ds.query(`SELECT count(*)::int AS open FROM ticket t WHERE t.status IN ${OPEN_SQL}${and(ticketFilters(f, args).rows)}`, args);
    return r.open;
  }
}
