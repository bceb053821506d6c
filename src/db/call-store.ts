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
import type { CallerInfo } from './caller-sql';
import {
  callJson,
  callUpsert,
  callbackUpdate,
  callerCalls,
  callerTickets,
  draftInsert,
  draftSelect,
  missedUpdate,
  ownerUpdate,
  touchedSelect,
} from './call-batch-sql';
import type { CallRow } from './rows';
import { ticketView } from '../views/ticket-view';
import type { TicketRow } from './rows';

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
