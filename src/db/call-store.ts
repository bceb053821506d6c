// Writes what the call model reports, in batches: one transaction carries the latest state of
// every call touched since the last batch, the drafts of new support-line calls and the request
// changes calls cause (owner, missed, call back), set-based, whatever the size of the batch.
//
// One round trip per batch: the whole transaction (BEGIN … COMMIT) goes as one multi-statement
// simple query, so a batch costs one network exchange and one commit instead of one of each per
// statement (the screen pop waits for its batch). The simple protocol takes no parameters: each
// statement's values travel as one JSON document in a string literal, escaped as pg's
// escapeLiteral does. Statements refer to calls by (pbx, linkedid), so none needs an earlier
// one's answer.
import type { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { OPEN_SQL, type CallerInfo } from './caller-sql';
import type { CallRow } from '../views/call-view';
import { TICKET_SELECT, ticketView, type TicketRow } from '../views/ticket-view';

export interface DraftWrite {
  callKey: string;
  ticketId: string;
  callerNumber: string | null;
  createdAt: Date;
}

export type TicketOp =
  /** The agent who answered (or took over by transfer) owns the call's draft. */
  | { kind: 'owner'; callKey: string; agentId: string; fromAgentId: string | null; at: Date }
  /** Nobody answered a support-line call: its draft waits for a call back. */
  | { kind: 'missed'; callKey: string; at: Date }
  /** An answered call reached this number: its waiting call-back drafts are done. */
  | { kind: 'callback_reached'; callKey: string; number: string; at: Date };

/** Whose history a screen pop will show: the caller's number, and their call to leave out. */
export interface CallerQuery {
  number: string;
  linkedid: string;
}

export interface BatchResult {
  /** The stored id of each call (the first writer's id wins: a call is never stored twice). */
  callIds: Map<string, string>;
  /** Draft of each support-line call written in this batch, by call key. */
  drafts: Map<string, TicketRow>;
  /** Requests changed by ticket ops, each once, in the order of their first change. */
  changedTickets: TicketRow[];
  /** The history of each caller asked about, in the order asked. */
  callers: CallerInfo[];
}

export const callKey = (pbx: string, linkedid: string) => `${pbx}\u0000${linkedid}`;

const splitKey = (key: string) => {
  const at = key.indexOf('\u0000');
  return { pbx: key.slice(0, at), linkedid: key.slice(at + 1) };
};

/**
 * A JSON document as a SQL string literal. NUL cannot be stored in PostgreSQL text, so it is
 * dropped (it would otherwise fail the batch on every retry); quotes are doubled and, when the
 * text has backslashes, it becomes an E'' literal with them doubled (what pg's escapeLiteral does,
 * without its character-by-character loop: batches can be megabytes).
 */
function jsonLiteral(value: unknown): string {
  let json = JSON.stringify(value);
  if (json.includes('\\u0000')) json = JSON.stringify(value, (_k, v) => (typeof v === 'string' ? v.replaceAll('\0', '') : v));
  const quoted = json.replace(/'/g, "''");
  return json.includes('\\') ? ` E'${quoted.replace(/\\/g, '\\\\')}'` : `'${quoted}'`;
}

/** The calls of a set of keys: a row source of (call_id) plus the JSON's other columns. */
const keyed = (json: string, columns: string) => `
  SELECT c.id AS call_id, u.* FROM json_to_recordset(${json}::json) AS u(pbx text, linkedid text${columns ? ', ' + columns : ''})
    JOIN call c ON c.pbx = u.pbx AND c.linkedid = u.linkedid`;

const callUpsert = (json: string) => `
  INSERT INTO call (id, pbx, linkedid, direction, support_line, caller_number, caller_number_raw, caller_name, did,
    called_number, queue, started_at, answered_at, ended_at, outcome, answered_by_extension, answered_by, owner_extension,
    after_hours, gap, hangup_cause, legs, agent_ids, updated_at)
  SELECT u.id, u.pbx, u.linkedid, u.direction, u.support_line, u.caller_number, u.caller_number_raw, u.caller_name, u.did,
    u.called_number, u.queue, u.started_at, u.answered_at, u.ended_at, u.outcome, u.answered_by_extension, u.answered_by,
    u.owner_extension, u.after_hours, u.gap, u.hangup_cause, u.legs, u.agent_ids, now()
  FROM json_to_recordset(${json}::json) AS u(id uuid, pbx text, linkedid text, direction text, support_line boolean,
    caller_number text, caller_number_raw text, caller_name text, did text, called_number text, queue text,
    started_at timestamptz, answered_at timestamptz, ended_at timestamptz, outcome text, answered_by_extension text,
    answered_by uuid, owner_extension text, after_hours boolean, gap boolean, hangup_cause text, legs jsonb, agent_ids uuid[])
  ON CONFLICT (pbx, linkedid) DO UPDATE SET
    direction = EXCLUDED.direction, support_line = EXCLUDED.support_line, caller_number = EXCLUDED.caller_number,
    caller_number_raw = EXCLUDED.caller_number_raw, caller_name = EXCLUDED.caller_name, did = EXCLUDED.did,
    called_number = EXCLUDED.called_number, queue = EXCLUDED.queue,
    started_at = LEAST(call.started_at, EXCLUDED.started_at),
    answered_at = COALESCE(call.answered_at, EXCLUDED.answered_at),
    answered_by_extension = COALESCE(call.answered_by_extension, EXCLUDED.answered_by_extension),
    answered_by = COALESCE(call.answered_by, EXCLUDED.answered_by),
    ended_at = EXCLUDED.ended_at, outcome = EXCLUDED.outcome, owner_extension = EXCLUDED.owner_extension,
    after_hours = EXCLUDED.after_hours, gap = call.gap OR EXCLUDED.gap, hangup_cause = EXCLUDED.hangup_cause,
    legs = EXCLUDED.legs, agent_ids = EXCLUDED.agent_ids, updated_at = now()
  RETURNING id, pbx, linkedid`;

// New drafts and their link to the call; a draft made earlier for the same call (a restart,
// another instance) is kept. The next statement reads back the drafts as stored, either way.
const draftInsert = (json: string) => `
  WITH ins AS (
    INSERT INTO ticket (id, status, channel, caller_number, origin_call_id, created_at, updated_at)
    SELECT d.id, 'draft', 'phone', d.caller_number, d.call_id, d.created_at, d.created_at
      FROM (${keyed(json, 'id uuid, caller_number text, created_at timestamptz')}) d
    ON CONFLICT (origin_call_id) WHERE origin_call_id IS NOT NULL DO NOTHING
    RETURNING id, origin_call_id, created_at
  )
  INSERT INTO ticket_call (ticket_id, call_id, linked_at) SELECT id, origin_call_id, created_at FROM ins ON CONFLICT DO NOTHING`;

const draftSelect = (json: string) => `
  SELECT ${TICKET_SELECT} FROM ticket t WHERE t.origin_call_id IN (SELECT call_id FROM (${keyed(json, '')}) k)`;

// Request changes, one statement per kind per round. Ops of one round never touch the same
// request (see rounds()), so set-based updates decide exactly what one-by-one updates would.
const ownerUpdate = (json: string) => `
  WITH o AS (${keyed(json, 'agent_id uuid, at timestamptz, reason text, ord int')}),
  old AS (
    SELECT t.id, t.assignees AS old, o.call_id, o.agent_id, o.at, o.reason, o.ord
      FROM ticket t JOIN o ON t.origin_call_id = o.call_id
     WHERE t.status = 'draft' AND t.assignees <> ARRAY[o.agent_id]
     FOR UPDATE OF t
  ), upd AS (
    UPDATE ticket t SET assignees = ARRAY[old.agent_id], version = t.version + 1, updated_at = old.at
      FROM old WHERE t.id = old.id RETURNING t.id
  ), journal AS (
    -- Ownership moving with the call is journaled, even on a draft (docs/requests.md, The journal).
    INSERT INTO ticket_events (ticket_id, at, actor, call_id, kind, data)
    SELECT old.id, old.at, NULL, old.call_id, 'assigned',
           jsonb_build_object('from', to_jsonb(old.old), 'to', jsonb_build_array(old.agent_id), 'reason', old.reason, 'callId', old.call_id)
      FROM old ORDER BY old.ord
  )
  SELECT id FROM upd`;

const missedUpdate = (json: string) => `
  WITH u AS (${keyed(json, 'at timestamptz')})
  UPDATE ticket t SET callback_needed = true, version = t.version + 1, updated_at = u.at
    FROM u WHERE t.origin_call_id = u.call_id AND t.status = 'draft' AND NOT t.callback_needed AND t.assignees = '{}'
  RETURNING t.id`;

const callbackUpdate = (json: string) => `
  WITH u AS (${keyed(json, 'number text, at timestamptz, ord int')}),
  done AS (
    -- As a person's discard (src/tickets): a discarded draft was never closed, so closed_at stays null.
    UPDATE ticket t SET status = 'discarded', discard_reason = 'callback_done', callback_needed = false,
           version = t.version + 1, updated_at = u.at
      FROM u WHERE t.callback_needed AND t.status = 'draft' AND t.caller_number = u.number AND t.origin_call_id <> u.call_id
    RETURNING t.id, u.call_id, u.at, u.ord
  ), link AS (
    INSERT INTO ticket_call (ticket_id, call_id, linked_at) SELECT id, call_id, at FROM done ON CONFLICT DO NOTHING
  ), journal AS (
    INSERT INTO ticket_events (ticket_id, at, actor, call_id, kind, data)
    SELECT id, at, NULL, call_id, 'status_changed',
           jsonb_build_object('from', 'draft', 'to', 'discarded', 'discardReason', 'callback_done', 'callId', call_id)
      FROM done ORDER BY ord, id
  )
  SELECT id FROM done`;

// Every request the ops may have changed (a superset: the ops' own answers say which did), as
// stored at the end of the transaction.
const touchedSelect = (json: string) => `
  WITH k AS (${keyed(json, '')})
  SELECT ${TICKET_SELECT} FROM ticket t
   WHERE t.id IN (SELECT x.id FROM ticket x WHERE x.origin_call_id IN (SELECT call_id FROM k)
                  UNION SELECT tc.ticket_id FROM ticket_call tc WHERE tc.call_id IN (SELECT call_id FROM k))`;

// The callers' histories, all at once, as src/services/caller-lookup.ts answers for one number:
// their ten latest other calls, and their open requests (completed ones first, they wait for the
// caller's confirmation).
const callerCalls = (json: string) => `
  SELECT u.i, c.id, c.started_at, c.direction, c.outcome, c.answered_by_extension, c.support_line
    FROM json_to_recordset(${json}::json) AS u(i int, number text, linkedid text)
    CROSS JOIN LATERAL (
      SELECT id, started_at, direction, outcome, answered_by_extension, support_line FROM call
       WHERE (caller_number = u.number OR called_number = u.number) AND linkedid IS DISTINCT FROM u.linkedid
       ORDER BY started_at DESC LIMIT 10) c
   ORDER BY u.i, c.started_at DESC`;

const callerTickets = (json: string) => `
  SELECT u.i, x.* FROM json_to_recordset(${json}::json) AS u(i int, number text)
    CROSS JOIN LATERAL (
      SELECT ${TICKET_SELECT}, (t.status = 'completed') AS waiting FROM ticket t
       WHERE t.caller_number = u.number AND t.status IN ${OPEN_SQL}
       ORDER BY (t.status = 'completed') DESC, t.created_at DESC LIMIT 20) x
   ORDER BY u.i, x.waiting DESC, x.created_at DESC`;

/**
 * Cuts the ops, in order, into rounds in which no two ops can touch the same request: owner and
 * missed ops change their own call's draft (one per call per round); missed and call-back ops meet
 * through the caller's number (a call back discards the drafts that a missed call left waiting
 * before it, not after). A call back never touches its own call's draft, so it sits in the same
 * round as that call's owner op.
 */
function rounds(ops: TicketOp[], numberOf: (op: TicketOp) => string | null): TicketOp[][] {
  const out: TicketOp[][] = [];
  let round: TicketOp[] = [];
  let drafts = new Set<string>();
  let numbers = new Set<string>();
  for (const op of ops) {
    const ownDraft = op.kind === 'callback_reached' ? null : op.callKey;
    const n = op.kind === 'owner' ? null : numberOf(op);
    if ((ownDraft !== null && drafts.has(ownDraft)) || (n !== null && numbers.has(n))) {
      out.push(round);
      round = [];
      drafts = new Set();
      numbers = new Set();
    }
    round.push(op);
    if (ownDraft !== null) drafts.add(ownDraft);
    if (n !== null) numbers.add(n);
  }
  if (round.length > 0) out.push(round);
  return out;
}

/** A call row as the upsert's JSON reads it (legs stay a JSON array; agent ids become uuid[]). */
function callJson(c: CallRow) {
  return {
    id: c.id, pbx: c.pbx, linkedid: c.linkedid, direction: c.direction, support_line: c.support_line, caller_number: c.caller_number,
    caller_number_raw: c.caller_number_raw, caller_name: c.caller_name, did: c.did, called_number: c.called_number, queue: c.queue,
    started_at: c.started_at, answered_at: c.answered_at, ended_at: c.ended_at, outcome: c.outcome,
    answered_by_extension: c.answered_by_extension, answered_by: c.answered_by, owner_extension: c.owner_extension,
    after_hours: c.after_hours, gap: c.gap, hangup_cause: c.hangup_cause, legs: c.legs, agent_ids: c.agent_ids,
  };
}

type Result = { rows: any[] };

export class CallStore {
  constructor(private readonly ds: DataSource) {}

  /**
   * One transaction: the calls' latest state, new drafts, request changes; and, read in the same
   * round trip, the history of the callers whose phones are about to ring (the screen pop shows it).
   */
  async writeBatch(calls: CallRow[], drafts: DraftWrite[], ops: TicketOp[], callers: CallerQuery[] = []): Promise<BatchResult> {
    if (calls.length === 0 && drafts.length === 0 && ops.length === 0 && callers.length === 0) {
      return { callIds: new Map(), drafts: new Map(), changedTickets: [], callers: [] };
    }
    const sql: string[] = ['BEGIN'];
    // Where each answer is among the results (BEGIN is the first).
    const at = { calls: -1, drafts: -1, ops: [] as number[], touched: -1, callerCalls: -1, callerTickets: -1 };
    if (calls.length > 0) at.calls = sql.push(callUpsert(jsonLiteral(calls.map(callJson)))) - 1;
    if (drafts.length > 0) {
      const json = jsonLiteral(drafts.map((d) => ({ ...splitKey(d.callKey), id: d.ticketId, caller_number: d.callerNumber, created_at: d.createdAt })));
      sql.push(draftInsert(json));
      at.drafts = sql.push(draftSelect(json)) - 1;
    }
    if (ops.length > 0) {
      const callerOf = new Map(calls.map((c) => [callKey(c.pbx, c.linkedid), c.caller_number]));
      // A missed call's draft carries its caller's number; a call back names the number it reached.
      const numberOf = (op: TicketOp) => (op.kind === 'callback_reached' ? op.number : op.kind === 'missed' ? (callerOf.get(op.callKey) ?? null) : null);
      const ord = new Map(ops.map((op, i) => [op, i]));
      for (const round of rounds(ops, numberOf)) {
        const owners = round.filter((op) => op.kind === 'owner');
        const missed = round.filter((op) => op.kind === 'missed');
        const reached = round.filter((op) => op.kind === 'callback_reached');
        if (owners.length > 0) {
          const json = owners.map((o) => ({ ...splitKey(o.callKey), agent_id: o.agentId, at: o.at, reason: o.fromAgentId ? 'transferred' : 'answered', ord: ord.get(o) }));
          at.ops.push(sql.push(ownerUpdate(jsonLiteral(json))) - 1);
        }
        if (missed.length > 0) at.ops.push(sql.push(missedUpdate(jsonLiteral(missed.map((o) => ({ ...splitKey(o.callKey), at: o.at }))))) - 1);
        if (reached.length > 0) {
          const json = reached.map((o) => ({ ...splitKey(o.callKey), number: o.number, at: o.at, ord: ord.get(o) }));
          at.ops.push(sql.push(callbackUpdate(jsonLiteral(json))) - 1);
        }
      }
      at.touched = sql.push(touchedSelect(jsonLiteral([...new Set(ops.map((o) => o.callKey))].map(splitKey)))) - 1;
    }
    if (callers.length > 0) {
      const json = jsonLiteral(callers.map((c, i) => ({ i, number: c.number, linkedid: c.linkedid })));
      at.callerCalls = sql.push(callerCalls(json)) - 1;
      at.callerTickets = sql.push(callerTickets(json)) - 1;
    }
    sql.push('COMMIT');

    const results = await this.run(sql.join(';\n'));
    const callIds = new Map<string, string>();
    if (at.calls >= 0) for (const r of results[at.calls].rows) callIds.set(callKey(r.pbx, r.linkedid), r.id);
    const keyOfCall = new Map([...callIds].map(([k, id]) => [id, k]));
    const drafted = new Map<string, TicketRow>();
    if (at.drafts >= 0) {
      for (const r of results[at.drafts].rows as TicketRow[]) {
        const key = keyOfCall.get(r.origin_call_id!);
        if (key) drafted.set(key, r);
      }
    }
    const changedTickets: TicketRow[] = [];
    if (at.touched >= 0) {
      const changed = new Set<string>();
      for (const i of at.ops) for (const r of results[i].rows) changed.add(r.id);
      const byId = new Map((results[at.touched].rows as TicketRow[]).map((r) => [r.id, r]));
      for (const id of changed) {
        const row = byId.get(id);
        if (row) changedTickets.push(row);
      }
    }
    const infos: CallerInfo[] = callers.map((c) => ({ number: c.number, calls: [], openTickets: [] }));
    if (at.callerCalls >= 0) {
      for (const r of results[at.callerCalls].rows) {
        infos[r.i].calls.push({
          id: r.id,
          startedAt: new Date(r.started_at).toISOString(),
          direction: r.direction,
          outcome: r.outcome,
          answeredByExtension: r.answered_by_extension,
          supportLine: r.support_line,
        });
      }
      for (const r of results[at.callerTickets].rows) {
        const { i, waiting: _, ...row } = r;
        infos[i].openTickets.push(ticketView(row as TicketRow));
      }
    }
    return { callIds, drafts: drafted, changedTickets, callers: infos };
  }

  /** Runs one multi-statement transaction on a pooled connection; rolls back if any statement fails. */
  private async run(text: string): Promise<Result[]> {
    const [client, release] = await (this.ds.driver as PostgresDriver).obtainMasterConnection();
    // A connection that dies while held reports it here (unheard, it would crash the process).
    let broken: Error | undefined;
    const onError = (err: Error) => {
      broken = err;
    };
    client.on('error', onError);
    let results: Result[] | Result;
    try {
      results = await client.query(text);
    } catch (err) {
      // The failed statement left the transaction open and aborted: end it before the connection goes back.
      const rolledBack = !broken && (await client.query('ROLLBACK').then(() => true, () => false));
      client.removeListener('error', onError);
      release(rolledBack ? undefined : err);
      throw err;
    }
    client.removeListener('error', onError);
    release(broken);
    return Array.isArray(results) ? results : [results];
  }

  /** Calls the database still has as live for a PBX (after a service restart). */
  async liveCalls(pbx: string): Promise<CallRow[]> {
    return this.ds.query(`SELECT * FROM call WHERE pbx = $1 AND ended_at IS NULL`, [pbx]);
  }
}
