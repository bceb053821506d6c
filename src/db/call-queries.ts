// Reading calls: filtered lists with keyset pagination, and one call with its requests.
import type { DataSource } from 'typeorm';
import { decodeCursor, encodeCursor, exactTime } from './cursor';
import type { AgentDirectory } from '../services/agent-directory';
import { callView, type CallView } from '../views/call-view';
import type { CallRow } from './rows';

export interface CallFilters {
  since?: string;
  until?: string;
  agentId?: string;
  outcome?: string;
  callerNumber?: string;
  supportLine?: boolean;
  afterHours?: boolean;
  blocked?: boolean;
  queue?: string;
  gap?: boolean;
  direction?: string;
  live?: boolean;
  limit: number;
  cursor?: string;
}

/** A call as the CSV export writes it: its times already as wall time in the zone asked for. */
export interface CallExportRow {
  /** `dd.MM.yyyy HH:mm:ss`, as http/csv.ts's localTime writes an instant. */
  startedAt: string;
  endedAt: string | null;
  /** From start to end, rounded to the second; null while the call is live. */
  seconds: number | null;
  direction: string;
  supportLine: boolean;
  callerNumber: string | null;
  callerName: string | null;
  did: string | null;
  calledNumber: string | null;
  queue: string | null;
  outcome: string | null;
  answeredBy: string | null;
  answeredByExtension: string | null;
  afterHours: boolean;
  blocked: boolean;
  tickets: number;
}

const LINKED = `ARRAY(SELECT tc.ticket_id FROM ticket_call tc WHERE tc.call_id = c.id ORDER BY tc.linked_at, tc.ticket_id) AS ticket_ids`;

/** The filters and the page's cursor as SQL conditions on `call c`. */
function conditions(f: CallFilters): { where: string[]; args: unknown[] } {
  const where: string[] = [];
  const args: unknown[] = [];
  const add = (sql: string, v: unknown) => {
    args.push(v);
    where.push(sql.replace('?', `$${args.length}`));
  };
  if (f.since) add('c.started_at >= ?', f.since);
  if (f.until) add('c.started_at < ?', f.until);
  if (f.agentId) add('c.agent_ids @> ARRAY[?::uuid]', f.agentId);
  if (f.outcome) add('c.outcome = ?', f.outcome);
  if (f.callerNumber) add('(c.caller_number = ? OR c.called_number = $' + (args.length + 1) + ')', f.callerNumber);
  if (f.supportLine !== undefined) add('c.support_line = ?', f.supportLine);
  if (f.afterHours !== undefined) add('c.after_hours = ?', f.afterHours);
  if (f.blocked !== undefined) add('c.blocked = ?', f.blocked);
  if (f.queue) add('c.queue = ?', f.queue);
  if (f.gap !== undefined) add('c.gap = ?', f.gap);
  if (f.direction) add('c.direction = ?', f.direction);
  if (f.live !== undefined) where.push(f.live ? 'c.ended_at IS NULL' : 'c.ended_at IS NOT NULL');
  const cursor = decodeCursor(f.cursor, 2);
  if (cursor) {
    args.push(cursor[0], cursor[1]);
    where.push(`(c.started_at, c.id) < ($${args.length - 1}::timestamptz, $${args.length}::uuid)`);
  }
  return { where, args };
}

/** A page of the call list (one more row than the page: whether there is a next one), newest first. */
export function callListSql(f: CallFilters): { sql: string; args: unknown[] } {
  const { where, args } = conditions(f);
  args.push(f.limit + 1);
  return {
    sql: `SELECT c.*, ${LINKED}, ${exactTime('c.started_at')} AS cursor_at FROM call c ${where.length ? 'WHERE ' + where.join(' AND ') : ''}
        ORDER BY c.started_at DESC, c.id DESC LIMIT $${args.length}`,
    args,
  };
}

export class CallQueries {
  constructor(
    private readonly ds: DataSource,
    private readonly directory: AgentDirectory,
  ) {}

  async list(f: CallFilters): Promise<{ items: CallView[]; nextCursor: string | null }> {
    const { sql, args } = callListSql(f);
    const rows: (CallRow & { ticket_ids: string[]; cursor_at: string })[] = await this.ds.query(sql, args);
    const more = rows.length > f.limit;
    const page = more ? rows.slice(0, f.limit) : rows;
    const last = page[page.length - 1];
    return {
      items: page.map((r) => callView(r, r.ticket_ids, this.directory)),
      nextCursor: more && last ? encodeCursor([last.cursor_at, last.id]) : null,
    };
  }

  /**
   * A page of the CSV export: only the columns it writes (the legs and recordings, most of a call
   * row's bytes, stay in the database), the requests counted rather than listed, and the times
   * written as wall time in `zone` by PostgreSQL (made into Dates and back into text here, two
   * per row, they were most of a million-row export's time in the service).
   */
  async exportPage(f: CallFilters, zone: string): Promise<{ items: CallExportRow[]; nextCursor: string | null }> {
    const { where, args } = conditions(f);
    const zoneArg = `$${args.push(zone)}`;
    const wallTime = (column: string) => `to_char(${column} AT TIME ZONE ${zoneArg}, 'DD.MM.YYYY HH24:MI:SS')`;
    const times = `${wallTime('c.started_at')} AS "startedAt", ${wallTime('c.ended_at')} AS "endedAt",
              round(extract(epoch FROM c.ended_at - c.started_at))::int AS seconds`;
    args.push(f.limit + 1);
    const rows: (CallExportRow & { id: string; cursor_at: string })[] = await this.ds.query(
      `SELECT c.id, ${times}, c.direction, c.support_line AS "supportLine",
              c.caller_number AS "callerNumber", c.caller_name AS "callerName", c.did, c.called_number AS "calledNumber", c.queue, c.outcome,
              c.answered_by AS "answeredBy", c.answered_by_extension AS "answeredByExtension", c.after_hours AS "afterHours", c.blocked,
              (SELECT count(*) FROM ticket_call tc WHERE tc.call_id = c.id)::int AS tickets, ${exactTime('c.started_at')} AS cursor_at
         FROM call c ${where.length ? 'WHERE ' + where.join(' AND ') : ''}
        ORDER BY c.started_at DESC, c.id DESC LIMIT $${args.length}`,
      args,
    );
    const more = rows.length > f.limit;
    const page = more ? rows.slice(0, f.limit) : rows;
    const last = page[page.length - 1];
    return { items: page, nextCursor: more && last ? encodeCursor([last.cursor_at, last.id]) : null };
  }

  async get(id: string): Promise<CallView | null> {
    const rows = await this.ds.query(`SELECT c.*, ${LINKED} FROM call c WHERE c.id = $1`, [id]);
    return rows[0] ? callView(rows[0], rows[0].ticket_ids, this.directory) : null;
  }

  /** Live calls for a socket's snapshot: an agent's own (rung or owned), or all for supervisors; blocked calls are pushed to no one. */
  async live(agentId: string | null): Promise<CallView[]> {
    const rows = await this.ds.query(
      `SELECT c.*, ${LINKED} FROM call c WHERE c.ended_at IS NULL AND NOT c.blocked ${agentId ? 'AND c.agent_ids @> ARRAY[$1::uuid]' : ''}
        ORDER BY c.started_at`,
      agentId ? [agentId] : [],
    );
    return rows.map((r: any) => callView(r, r.ticket_ids, this.directory));
  }
}
