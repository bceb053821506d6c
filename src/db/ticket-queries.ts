// Reading requests: filtered lists (priority then age by default, R3) with keyset pagination and
// full-text search, and one request with its calls and journal.
import { OPEN_SQL } from './caller-sql';
import type { ListView } from '../tickets/ticket';
import type { DataSource } from 'typeorm';
import { formatTicketNumber, OPEN_STATUSES, PRIORITY_RANK, type Priority } from '../tickets/ticket';
import { decodeCursor, encodeCursor, exactTime } from './cursor';
import { ticketView, type TicketView } from '../views/ticket-view';
import { TICKET_SELECT, type TicketRow } from './rows';
import { TicketSearch, tsQuery, type ListRow, type Select } from './ticket-search';

export { SEARCH_PROBE, SEARCH_SORT_CAP } from './ticket-search';

export interface TicketFilters {
  view?: ListView;
  /** Whose «Мои» (the signed-in agent). */
  me?: string;
  /** Skip the count (an export reads every page anyway). */
  noCount?: boolean;
  status?: string[];
  priority?: string;
  assignee?: string;
  number?: string;
  callerNumber?: string;
  callbackNeeded?: boolean;
  /** The customer wrote and no agent has acted since (`customer_wrote_at`). */
  customerWaits?: boolean;
  channel?: string;
  contactId?: string;
  organisationId?: string;
  /** The requests linked to this one as its children (an incident's). */
  parentId?: string;
  productVersion?: string;
  fixedIn?: string;
  q?: string;
  since?: string;
  until?: string;
  sort?: 'priority' | 'newest';
  limit: number;
  cursor?: string;
}

/** What each list view shows. */
function viewCondition(view: ListView, me: string | undefined, arg: (v: unknown) => string): string {
  switch (view) {
    case 'mine':
      return `t.status IN ${OPEN_SQL} AND t.assignees @> ARRAY[${arg(me ?? null)}::uuid]`;
    case 'unassigned':
      // E-mail and hand-made requests nobody has taken yet.
      return `t.status = 'registered' AND cardinality(t.assignees) = 0`;
    case 'open':
      return `t.status IN ${OPEN_SQL}`;
    case 'awaiting':
      return `t.status = 'completed'`;
    case 'closed':
      return `t.status = 'closed'`;
  }
}

/**
 * One agent's list counted from ticket_assignee (an index-only range of their rows) when its only
 * other filter is the status: through the assignees array the count read each of their requests.
 */
function assigneeCount(f: TicketFilters): { sql: string; args: unknown[] } | null {
  const mine = f.view === 'mine';
  const agent = mine ? f.me : f.assignee;
  if (!agent || (f.view && !mine) || (mine && f.assignee && f.assignee !== f.me)) return null;
  if (COUNTED_ELSEWHERE.some((k) => f[k] !== undefined && f[k] !== '')) return null;
  // «Мои» is the open ones (viewCondition), with whichever of them the status filter keeps.
  const statuses = mine ? OPEN_STATUSES.filter((s) => !f.status?.length || f.status.includes(s)) : f.status?.length ? f.status : null;
  return statuses
    ? { sql: `SELECT 1 FROM ticket_assignee a WHERE a.agent_id = $1::uuid AND a.status = ANY($2::text[])`, args: [agent, statuses] }
    : { sql: `SELECT 1 FROM ticket_assignee a WHERE a.agent_id = $1::uuid`, args: [agent] };
}
const COUNTED_ELSEWHERE = ['priority', 'number', 'callerNumber', 'callbackNeeded', 'customerWaits', 'channel', 'contactId', 'organisationId', 'parentId', 'productVersion', 'fixedIn', 'since', 'until', 'q'] as const;

export interface JournalEntry {
  id: string;
  ticketId: string;
  at: string;
  actor: { id: string; login: string; name: string } | null;
  onBehalfOf: string | null;
  callId: string | null;
  kind: string;
  data: Record<string, unknown>;
}

/** A journal number as typed or read out (`2026-42`, ` 2026-000042 `) in its stored form. */
export function journalNumber(typed: string): string {
  const m = /^\s*(\d{4})\s*-\s*0*(\d{1,9})\s*$/.exec(typed);
  return m && Number(m[2]) > 0 ? formatTicketNumber(Number(m[1]), Number(m[2])) : typed.trim();
}

/** How many requests a list has: exact up to COUNT_CAP, else `atLeast`. */
export interface ListTotal {
  count: number;
  atLeast: boolean;
}
export const COUNT_CAP = 10_000;

export class TicketQueries {
  private readonly search: TicketSearch;
  constructor(private readonly ds: DataSource) {
    this.search = new TicketSearch(ds);
  }

  async list(f: TicketFilters): Promise<{ items: TicketView[]; nextCursor: string | null; total: ListTotal | null }> {
    const where: string[] = [];
    const args: unknown[] = [];
    const arg = (v: unknown) => {
      args.push(v);
      return `$${args.length}`;
    };
    if (f.view) where.push(viewCondition(f.view, f.me, arg));
    // One status as `=`: an index on (status, R3 order) then gives that order (`= ANY` would be sorted).
    if (f.status?.length === 1) where.push(`t.status = ${arg(f.status[0])}`);
    else if (f.status?.length) where.push(`t.status = ANY(${arg(f.status)}::text[])`);
    // By rank, the column the priority-order index starts with (the index serves filter and order).
    if (f.priority) where.push(`t.priority_rank = ${arg(PRIORITY_RANK[f.priority as Priority])}`);
    const agentArg = f.assignee ? arg(f.assignee) : null;
    const agent = agentArg ? `t.assignees @> ARRAY[${agentArg}::uuid]` : null;
    if (agent) where.push(agent);
    if (f.number) where.push(`t.number = ${arg(journalNumber(f.number))}`);
    if (f.callerNumber) where.push(`t.caller_number = ${arg(f.callerNumber)}`);
    if (f.callbackNeeded !== undefined) where.push(`t.callback_needed = ${arg(f.callbackNeeded)}`);
    if (f.customerWaits !== undefined) where.push(`t.customer_wrote_at IS ${f.customerWaits ? 'NOT ' : ''}NULL`);
    if (f.channel) where.push(`t.channel = ${arg(f.channel)}`);
    if (f.contactId) where.push(`t.contact_id = ${arg(f.contactId)}`);
    if (f.organisationId) where.push(`t.organisation_id = ${arg(f.organisationId)}`);
    if (f.parentId) where.push(`t.parent_id = ${arg(f.parentId)}`);
    if (f.productVersion) where.push(`t.product_version = ${arg(f.productVersion)}`);
    if (f.fixedIn) where.push(`t.fixed_in = ${arg(f.fixedIn)}`);
    if (f.since) where.push(`t.created_at >= ${arg(f.since)}`);
    if (f.until) where.push(`t.created_at < ${arg(f.until)}`);
    let match: string | null = null;
    let words: { q: string; agent: string } | null = null;
    if (f.q) {
      // Both configurations: Russian words in any form, and codes/versions kept whole.
      const q = arg(f.q);
      // A request's number typed into search finds that request («2026-42» too).
      const byNumber = /^\s*\d{4}\s*-\s*\d{1,9}\s*$/.test(f.q) ? `t.number = ${arg(journalNumber(f.q))} OR ` : '';
      // …and by the customer's or organisation's name (the first matches of each), looked up first:
      // as subqueries in the match they made it an OR the planner could not take apart.
      const named = await this.search.namedIn(f.q);
      const byName = [...(named.contacts.length ? [`t.contact_id = ANY(${arg(named.contacts)}::uuid[])`] : []), ...(named.organisations.length ? [`t.organisation_id = ANY(${arg(named.organisations)}::uuid[])`] : [])];
      match = `(${byNumber}t.search @@ ${tsQuery(q)}${byName.map((c) => ` OR ${c}`).join('')})`;
      // An agent's requests with the words alone (no number, no name also matching) can come from
      // the agent-word index (see TicketSearch).
      if (agentArg && !byNumber && !byName.length) words = { q, agent: agentArg };
    }
    // Closed ones newest first unless asked otherwise; every other list in R3 order.
    const byPriority = (f.sort ?? (f.view === 'closed' ? 'newest' : 'priority')) === 'priority';
    const cursor = decodeCursor(f.cursor, byPriority ? 3 : 2);
    // A list's first page says how many there are, counted up to COUNT_CAP (counting further costs
    // more than it tells at a million requests). Searches do not count: a common word's matches
    // would be read only to be counted.
    const filtered = where.length ? 'WHERE ' + where.join(' AND ') : '';
    const countSql = assigneeCount(f) ?? { sql: `SELECT 1 FROM ticket t ${filtered}`, args: [...args] };
    const total = cursor || match || f.noCount
      ? Promise.resolve(null)
      : this.ds
          .query(`SELECT count(*)::int AS n FROM (${countSql.sql} LIMIT ${COUNT_CAP + 1}) x`, countSql.args)
          .then((r: { n: number }[]) => ({ count: Math.min(r[0].n, COUNT_CAP), atLeast: r[0].n > COUNT_CAP }));
    if (cursor) {
      if (byPriority) where.push(`(t.priority_rank, t.created_at, t.id) > (${arg(cursor[0])}::smallint, ${arg(cursor[1])}::timestamptz, ${arg(cursor[2])}::uuid)`);
      else where.push(`(t.created_at, t.id) < (${arg(cursor[0])}::timestamptz, ${arg(cursor[1])}::uuid)`);
    }
    const order = byPriority ? 't.priority_rank, t.created_at, t.id' : 't.created_at DESC, t.id DESC';
    const limit = arg(f.limit + 1);
    const select: Select = (from, conditions, extra = '') =>
      `SELECT ${TICKET_SELECT}, t.priority_rank, ${exactTime('t.created_at')} AS cursor_at${extra} FROM ${from}
        ${conditions.length ? 'WHERE ' + conditions.join(' AND ') : ''} ORDER BY ${order} LIMIT ${limit}`;
    // The page's ids first, then their rows: the ids can come from the index alone (filters on
    // status and assignees are tested in the list indexes), so only the page's requests are read.
    const page = (conditions: string[]) =>
      `(SELECT t.id FROM ticket t ${conditions.length ? 'WHERE ' + conditions.join(' AND ') : ''} ORDER BY ${order} LIMIT ${limit}) p
        JOIN ticket t ON t.id = p.id`;
    const rows: ListRow[] = match ? await this.search.page(where, match, { q: f.q!, order, size: f.limit + 1, limit, select, args, arg, fromCritical: byPriority && !f.priority, agent, words, criticalOnly: f.priority === 'critical' }) : await this.ds.query(select(page(where), []), args);
    const more = rows.length > f.limit;
    const items = more ? rows.slice(0, f.limit) : rows;
    const last = items[items.length - 1];
    let nextCursor: string | null = null;
    if (more && last) {
      const created = last.cursor_at;
      nextCursor = encodeCursor(byPriority ? [last.priority_rank, created, last.id] : [created, last.id]);
    }
    return { items: items.map(ticketView), nextCursor, total: await total };
  }

  async row(id: string): Promise<TicketRow | null> {
    const rows = await this.ds.query(`SELECT ${TICKET_SELECT} FROM ticket t WHERE t.id = $1`, [id]);
    return rows[0] ?? null;
  }

  /** A socket's snapshot: the drafts of these calls, and (for an agent) the drafts they own. */
  async snapshotDrafts(callIds: string[], agentId: string | null): Promise<TicketView[]> {
    const rows: TicketRow[] = await this.ds.query(
      `SELECT ${TICKET_SELECT} FROM ticket t WHERE t.status = 'draft'
         AND (t.origin_call_id = ANY($1::uuid[]) OR ($2::uuid IS NOT NULL AND t.assignees @> ARRAY[$2::uuid]))
       ORDER BY t.created_at`,
      [callIds, agentId],
    );
    return rows.map(ticketView);
  }

  /** Journal entries of every request in a period, in the order they were written, page by page. */
  async journalPage(f: { since?: string; until?: string; afterId?: string; limit: number }): Promise<(JournalEntry & { ticketNumber: string | null })[]> {
    const rows = await this.ds.query(
      `SELECT e.id, e.ticket_id, t.number AS ticket_number, e.at, e.on_behalf_of, e.call_id, e.kind, e.data, a.id AS actor_id, a.login, a.name
         FROM ticket_events e JOIN ticket t ON t.id = e.ticket_id LEFT JOIN agent a ON a.id = e.actor
        WHERE e.id > $1 AND ($2::timestamptz IS NULL OR e.at >= $2) AND ($3::timestamptz IS NULL OR e.at < $3)
        ORDER BY e.id LIMIT $4`,
      [f.afterId ?? '0', f.since ?? null, f.until ?? null, f.limit],
    );
    return rows.map((r: any) => ({ ...journalEntry(r), ticketNumber: r.ticket_number }));
  }

  async journal(ticketId: string): Promise<JournalEntry[]> {
    const rows = await this.ds.query(
      `SELECT e.id, e.ticket_id, e.at, e.on_behalf_of, e.call_id, e.kind, e.data, a.id AS actor_id, a.login, a.name
         FROM ticket_events e LEFT JOIN agent a ON a.id = e.actor WHERE e.ticket_id = $1 ORDER BY e.id`,
      [ticketId],
    );
    return rows.map(journalEntry);
  }
}

const journalEntry = (r: any): JournalEntry => ({
  id: String(r.id),
  ticketId: r.ticket_id,
  at: new Date(r.at).toISOString(),
  actor: r.actor_id ? { id: r.actor_id, login: r.login, name: r.name } : null,
  onBehalfOf: r.on_behalf_of,
  callId: r.call_id,
  kind: r.kind,
  data: r.data,
});
