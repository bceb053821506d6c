// Reading requests: filtered lists (priority then age by default, R3) with keyset pagination and
// full-text search, and one request with its calls and journal.
import { OPEN_SQL } from './caller-sql';
import type { ListView } from '../tickets/ticket';
import type { DataSource } from 'typeorm';
import { formatTicketNumber, OPEN_STATUSES, PRIORITY_RANK, type Priority } from '../tickets/ticket';
import { decodeCursor, encodeCursor, exactTime } from './cursor';
import { ticketView, type TicketView } from '../views/ticket-view';
import { TICKET_SELECT, type TicketRow } from './rows';

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
const COUNTED_ELSEWHERE = ['priority', 'number', 'callerNumber', 'callbackNeeded', 'channel', 'contactId', 'organisationId', 'parentId', 'productVersion', 'fixedIn', 'since', 'until', 'q'] as const;

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
/**
 * Up to which share of all requests a search's estimated matches go to the full-text index first.
 * PostgreSQL keeps statistics of the frequent words only and estimates every other word at half
 * the rarest of those (at a million requests: ~1,100 per word, ~2,300 for both configurations).
 * A table never analysed has no count (-1): every word is taken for rare there.
 */
const SEARCH_RARE_SHARE = 0.01;
/** How search finds a page (see TicketQueries.search): the rows of a list tested first… */
export const SEARCH_PROBE = 1_000;
/** …the matches among them that make the list worth walking… */
const SEARCH_FREQUENT = 5;
/** …and up to how many matches are sorted rather than walking the list's order. */
export const SEARCH_SORT_CAP = 2_000;

/** The critical requests, by the rank the list indexes start with, and by name (see sortedOrWalk). */
const CRITICAL = 't.priority_rank = 0';
const CRITICAL_BY_NAME = `t.priority = 'critical'`;

type ListRow = TicketRow & { priority_rank: number; cursor_at: string };
type Select = (from: string, conditions: string[], extraColumns?: string) => string;
/** A condition tested on each row a plan reads: coalesce() is no index condition. */
const tested = (condition: string) => `coalesce(${condition}, false)`;

/** Both configurations: Russian words in any form, and codes/versions kept whole. */
const tsQuery = (param: string) => `(websearch_to_tsquery('russian', ${param}) || websearch_to_tsquery('simple', ${param}))`;

interface SearchPlan {
  /** What was typed. */
  q: string;
  order: string;
  /** The page size + 1, and the parameter holding it. */
  size: number;
  limit: string;
  select: Select;
  args: unknown[];
  arg: (v: unknown) => string;
  /** The list is in R3 order over every priority: its first rows are the critical requests. */
  fromCritical: boolean;
  /** The agent filter's condition, if any. */
  agent: string | null;
  /** The critical requests only (the priority filter). */
  criticalOnly: boolean;
}

export class TicketQueries {
  constructor(private readonly ds: DataSource) {}

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
    const agent = f.assignee ? `t.assignees @> ARRAY[${arg(f.assignee)}::uuid]` : null;
    if (agent) where.push(agent);
    if (f.number) where.push(`t.number = ${arg(journalNumber(f.number))}`);
    if (f.callerNumber) where.push(`t.caller_number = ${arg(f.callerNumber)}`);
    if (f.callbackNeeded !== undefined) where.push(`t.callback_needed = ${arg(f.callbackNeeded)}`);
    if (f.channel) where.push(`t.channel = ${arg(f.channel)}`);
    if (f.contactId) where.push(`t.contact_id = ${arg(f.contactId)}`);
    if (f.organisationId) where.push(`t.organisation_id = ${arg(f.organisationId)}`);
    if (f.parentId) where.push(`t.parent_id = ${arg(f.parentId)}`);
    if (f.productVersion) where.push(`t.product_version = ${arg(f.productVersion)}`);
    if (f.fixedIn) where.push(`t.fixed_in = ${arg(f.fixedIn)}`);
    if (f.since) where.push(`t.created_at >= ${arg(f.since)}`);
    if (f.until) where.push(`t.created_at < ${arg(f.until)}`);
    let match: string | null = null;
    if (f.q) {
      // Both configurations: Russian words in any form, and codes/versions kept whole.
      const q = arg(f.q);
      // A request's number typed into search finds that request («2026-42» too).
      const byNumber = /^\s*\d{4}\s*-\s*\d{1,9}\s*$/.test(f.q) ? `t.number = ${arg(journalNumber(f.q))} OR ` : '';
      // …and by the customer's or organisation's name (the first matches of each), looked up first:
      // as subqueries in the match they made it an OR the planner could not take apart.
      const named = await this.namedIn(f.q);
      const byName = [...(named.contacts.length ? [`t.contact_id = ANY(${arg(named.contacts)}::uuid[])`] : []), ...(named.organisations.length ? [`t.organisation_id = ANY(${arg(named.organisations)}::uuid[])`] : [])];
      match = `(${byNumber}t.search @@ ${tsQuery(q)}${byName.map((c) => ` OR ${c}`).join('')})`;
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
    const rows: ListRow[] = match ? await this.search(where, match, { q: f.q!, order, size: f.limit + 1, limit, select, args, arg, fromCritical: byPriority && !f.priority, agent, criticalOnly: f.priority === 'critical' }) : await this.ds.query(select(page(where), []), args);
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

  /**
   * A search's page in list order, reading neither every match of a common word nor the whole
   * list for a rare one (no index keeps full-text matches in list order: RUM is not in stock
   * PostgreSQL). Words the statistics call rare: the full-text index finds the matches and, up to
   * SEARCH_SORT_CAP of them, they are sorted. Others: the list's first SEARCH_PROBE rows are tested,
   * where a common word fills its page; else the list's order is walked and each request tested
   * until a page is full, unless filters met the word only a few times in the probe (then their
   * bitmaps and the word's find the matches, sorted up to the cap as above).
   */
  private async search(where: string[], match: string, p: SearchPlan): Promise<ListRow[]> {
    // The planner's estimate of the text's matches (from the words' statistics): words it knows to
    // be rare skip the probe, which would read a thousand requests for nothing.
    const [[{ 'QUERY PLAN': [estimate] }], [{ total }]] = await Promise.all([
      this.ds.query(`EXPLAIN (FORMAT JSON) SELECT 1 FROM ticket t WHERE t.search @@ ${tsQuery('$1')}`, [p.q]),
      this.ds.query(`SELECT reltuples AS total FROM pg_class WHERE oid = 'ticket'::regclass`),
    ]);
    if (estimate.Plan['Plan Rows'] <= SEARCH_RARE_SHARE * total) return this.sortedOrWalk(where, match, p, true);
    return this.searchCommon(where, match, p);
  }

  /** A common word: the list's first rows tested, then the plan their matches call for. */
  private async searchCommon(where: string[], match: string, p: SearchPlan): Promise<ListRow[]> {
    // Up to SEARCH_PROBE rows tested, stopping as soon as they hold a page of matches (a common
    // word's page is often in the first hundred); their last row comes back hit or not: the list
    // had that many.
    const budget = Math.max(p.size, SEARCH_PROBE);
    const probe: { id: string; hit: boolean; n: string }[] = await this.ds.query(
      `SELECT p.id, p.hit, p.n FROM (SELECT t.id, ${tested(match)} AS hit, row_number() OVER (ORDER BY ${p.order}) AS n
          FROM ticket t ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY ${p.order} LIMIT ${budget}) p
        WHERE p.hit OR p.n = ${budget} LIMIT ${p.limit}`,
      p.args,
    );
    const found = probe.filter((r) => r.hit).map((r) => r.id);
    const full = Number(probe[probe.length - 1]?.n) === budget;
    // Few or none among the first rows in R3 order (the critical requests first): the critical
    // matches are found by the indexes and sorted — few, and the critical indexes make the filters'
    // bitmaps small (an agent's among all requests is a third of them) — and the list is searched
    // from the high ones on for the rest, rather than walked through every critical request first.
    if (found.length < SEARCH_FREQUENT && p.fromCritical && full && budget === SEARCH_PROBE) {
      const critical = await this.sortedOrWalk([...where, CRITICAL], match, p, false);
      if (critical.length >= p.size) return critical;
      const rest = await this.searchCommon([...where, 't.priority_rank > 0'], match, { ...p, fromCritical: false });
      return [...critical, ...rest].slice(0, p.size);
    }
    if (found.length >= p.size || !full) {
      if (!found.length) return [];
      const ids = `t.id = ANY(${p.arg(found.slice(0, p.size))}::uuid[])`;
      return this.ds.query(p.select('ticket t', [...where, match, ids]), p.args);
    }
    // A common word with no filter has more matches than are sorted: no use finding them all first.
    if (found.length >= SEARCH_FREQUENT || !where.length) return this.walk(where, match, p);
    // A common word and filters it rarely meets: their indexes' bitmaps ANDed find the few (an
    // agent's with the word: ticket_assignees_search_idx has both).
    return this.sortedOrWalk(where, match, p, false);
  }

  /** Each request of the list in its order tested until a page is full. */
  private walk(where: string[], match: string, p: SearchPlan): Promise<ListRow[]> {
    return this.ds.query(p.select('ticket t', [...where, tested(match)]), p.args);
  }

  /** The matches found by the indexes and sorted, up to SEARCH_SORT_CAP; the walk beyond that. */
  private async sortedOrWalk(where: string[], match: string, p: SearchPlan, rare: boolean): Promise<ListRow[]> {
    // The matches through bitmap scans only: an index walk in list order here would be the very walk
    // a rare word must not take. A rare word's few matches have the filters tested on each (in
    // coalesce()) rather than ANDed with a whole status's or agent's bitmap; a common word's are
    // ANDed. The window counts them (up to the cap + 1) before the page is cut; the outer select
    // reads only the page's.
    // With an agent, the agent's and the word's bitmap come from their joint index and the other
    // filters are tested on each match: the planner takes agent and word for independent, so it
    // would AND a status's or a priority's bitmap (120,000 high requests) to theirs, or the agent's
    // to a status's and read 20,000 requests to test the word. The critical ones have their part
    // of that index, by `priority` (no other index has it, so the planner takes that one).
    const joint = !rare && p.agent !== null && where.includes(p.agent);
    const critical = joint && (p.criticalOnly || where.includes(CRITICAL));
    const filters = rare ? where.map(tested) : joint ? [...where.map((c) => (c === p.agent ? c : tested(c))), ...(critical ? [CRITICAL_BY_NAME] : [])] : where;
    const bitmap = `(SELECT t.*, count(*) OVER () AS found
        FROM (SELECT * FROM ticket t WHERE ${[...filters, match].join(' AND ')} LIMIT ${SEARCH_SORT_CAP + 1}) t
        ORDER BY ${p.order} LIMIT ${p.limit}) t`;
    const sorted: (ListRow & { found: string })[] = await this.viaBitmaps(p.select(bitmap, [], ', t.found'), p.args);
    return !sorted.length || Number(sorted[0].found) <= SEARCH_SORT_CAP ? sorted : this.walk(where, match, p);
  }

  /**
   * A query run with bitmap scans only: with a LIMIT, the planner would rather walk an index in
   * list order and test each row, the very walk these queries are there to avoid.
   */
  private viaBitmaps<T>(sql: string, args: unknown[]): Promise<T[]> {
    return this.ds.transaction(async (m) => {
      await m.query(`SET LOCAL enable_indexscan = off`);
      await m.query(`SET LOCAL enable_seqscan = off`);
      // The disabled plans' penalty makes every cost huge, which would have this query JIT-compiled
      // (seconds of compiling for a millisecond's work).
      await m.query(`SET LOCAL jit = off`);
      await m.query(`SET LOCAL work_mem = '32MB'`);
      return m.query(sql, args);
    });
  }

  /** The contacts and organisations whose name has the text (or whose INN it is), 100 of each at most. */
  private async namedIn(text: string): Promise<{ contacts: string[]; organisations: string[] }> {
    const name = `%${text.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
    const [contacts, organisations] = await Promise.all([
      this.ds.query(`SELECT id FROM contact WHERE name ILIKE $1 LIMIT 100`, [name]),
      this.ds.query(`SELECT id FROM organisation WHERE name ILIKE $1 OR inn = $2 LIMIT 100`, [name, text]),
    ]);
    return { contacts: contacts.map((r: { id: string }) => r.id), organisations: organisations.map((r: { id: string }) => r.id) };
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
