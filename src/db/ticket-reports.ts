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

/** The journal entries a report counts (the time index holds exactly these kinds). */
const COUNTED = `e.kind IN ('registered', 'status_changed')`;
const REGISTERED = `e.kind = 'registered'`;
const TO = (status: string) => `e.kind = 'status_changed' AND e.data->>'to' = '${status}'`;
// R8: the customer disagreed with the solution; the request is worked again.
const REOPENED = `${TO('in_progress')} AND e.data->>'from' = 'completed'`;
// Written as the closings' index has it.
const CLOSED = `e.kind = 'status_changed' AND e.data->>'to' = 'closed'`;

const JOURNAL_COLUMNS = [
  `count(*) FILTER (WHERE ${REGISTERED})::int AS registered`,
  `count(*) FILTER (WHERE ${TO('completed')})::int AS completed`,
  `count(*) FILTER (WHERE ${CLOSED})::int AS closed`,
  ...CLOSE_REASONS.map((r) => `count(*) FILTER (WHERE ${CLOSED} AND e.data->>'closeReason' = '${r}')::int AS "closed_${r}"`),
  `count(*) FILTER (WHERE ${REOPENED})::int AS reopened`,
].join(', ');

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

/** Conditions on the request (alias `t`) for the filters; values appended to `args`. */
function ticketFilters(f: TicketReportFilters, args: unknown[]): string[] {
  const where: string[] = [];
  // By rank: the column the priority indexes start with.
  if (f.priority) where.push(`t.priority_rank = $${args.push(PRIORITY_RANK[f.priority])}`);
  if (f.channel) where.push(`t.channel = $${args.push(f.channel)}`);
  if (f.assignee) where.push(`t.assignees @> ARRAY[$${args.push(f.assignee)}::uuid]`);
  return where;
}

const and = (xs: string[]) => xs.map((x) => ` AND ${x}`).join('');

export class TicketReports {
  constructor(private readonly ds: DataSource) {}

  async report(p: ReportPeriod, f: TicketReportFilters, now: Date): Promise<TicketReportRows> {
    const [created, journal, anchor] = await Promise.all([this.created(p, f), this.journal(p, f), this.openAt(p, f, now)]);
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

  /** Requests created in the period: per bucket, by priority, by channel and in total (one pass, creation-time index). */
  private async created(p: ReportPeriod, f: TicketReportFilters) {
    const args: unknown[] = [p.since, p.until, p.groupBy, p.timezone];
    const rows: { g_bucket: number; g_priority: number; g_channel: number; bucket: string; priority: Priority; channel: Channel; created: number }[] = await this.ds.query(
      `SELECT GROUPING(k.bucket)::int AS g_bucket, GROUPING(t.priority)::int AS g_priority, GROUPING(t.channel)::int AS g_channel,
              k.bucket, t.priority, t.channel, count(*)::int AS created
         FROM ticket t
        CROSS JOIN LATERAL (SELECT to_char(date_trunc($3, t.created_at AT TIME ZONE $4), ${BUCKET_KEY_SQL}) AS bucket) k
        WHERE t.created_at >= $1 AND t.created_at < $2${and(ticketFilters(f, args))}
        GROUP BY GROUPING SETS ((k.bucket), (t.priority), (t.channel), ())`,
      args,
    );
    const out = { total: 0, byBucket: new Map<string, number>(), byPriority: new Map<string, number>(), byChannel: new Map<string, number>() };
    for (const r of rows) {
      if (!r.g_bucket) out.byBucket.set(r.bucket, r.created);
      else if (!r.g_priority) out.byPriority.set(r.priority, r.created);
      else if (!r.g_channel) out.byChannel.set(r.channel, r.created);
      else out.total = r.created;
    }
    return out;
  }

  /** The period's journal entries that count, per bucket (the journal's time index). */
  private async journal(p: ReportPeriod, f: TicketReportFilters): Promise<Map<string, JournalRow>> {
    const args: unknown[] = [p.since, p.until, p.groupBy, p.timezone];
    const filters = ticketFilters(f, args);
    const rows: (JournalRow & { bucket: string })[] = await this.ds.query(
      `SELECT k.bucket, ${JOURNAL_COLUMNS}
         FROM ticket_events e ${filters.length ? 'JOIN ticket t ON t.id = e.ticket_id' : ''}
        CROSS JOIN LATERAL (SELECT to_char(date_trunc($3, e.at AT TIME ZONE $4), ${BUCKET_KEY_SQL}) AS bucket) k
        WHERE ${COUNTED} AND e.at >= $1 AND e.at < $2${and(filters)}
        GROUP BY k.bucket`,
      args,
    );
    return new Map(rows.map((r) => [r.bucket, r]));
  }

  /**
   * Requests open at the period's end T (registered, not closed; a closed request stays closed):
   * for a T nearer now, open now less those registered since T plus those closed since T; for a T
   * nearer the first registration, those registered before T less those closed before T. Unfiltered,
   * each count reads only the registration- or closing-time index of the requests.
   */
  private async openAt(p: ReportPeriod, f: TicketReportFilters, now: Date): Promise<number> {
    if (p.until.getTime() > now.getTime()) return this.openNow(f);
    const [{ first }]: { first: Date | null }[] = await this.ds.query(`SELECT min(registered_at) AS first FROM ticket WHERE registered_at IS NOT NULL`);
    if (first === null) return 0;
    const args: unknown[] = [p.until];
    const filters = and(ticketFilters(f, args));
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

  private async openNow(f: TicketReportFilters): Promise<number> {
    const args: unknown[] = [];
    const [r]: { open: number }[] = await this.ds.query(`SELECT count(*)::int AS open FROM ticket t WHERE t.status IN ${OPEN_SQL}${and(ticketFilters(f, args))}`, args);
    return r.open;
  }
}
