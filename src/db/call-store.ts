// Writes what the call model reports, in batches: one transaction carries the latest state of
// every call touched since the last batch, the drafts of new support-line calls and the request
// changes calls cause (owner, missed, call back), whatever the size of the batch.
//
// One round trip per batch: the whole transaction (BEGIN … COMMIT) goes as one multi-statement
// simple query, so a batch costs one network exchange and one commit instead of one of each per
// statement (the screen pop waits for its batch). A batch with request changes takes two: the
// first also loads, under lock, the drafts they may touch; the request rules decide the changes
// (`decideOps`, see ingest/call-request-changes.ts), and the second stores them and commits. The simple protocol takes no parameters: each
// statement is prepared once per connection (call-batch-sql.ts; a connection's first batch
// that needs one prepares it in a round trip of its own) and run as `EXECUTE name('<json>')`,
// its values one JSON document in a string literal, escaped as pg's escapeLiteral does.
// Statements refer to calls by (pbx, linkedid), so none needs an earlier one's answer.
import type { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import type { CallerInfo } from './caller-sql';
import { BATCH_STATEMENTS as S, type BatchStatement, callJson, execute, prepare } from './call-batch-sql';
import { rowToState } from './ticket-store';
import { FencedError, fenceSql, fencedBy, type PbxFences } from './pbx-lock';
import type { JournalEvent, TicketState } from '../tickets/ticket';
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

/** A draft the ops of a batch may touch, as loaded under lock, and the call (key) that opened it. */
export interface OpDraft {
  state: TicketState;
  originKey: string | null;
}

/** What the request rules decided of a batch's ops. */
export interface RequestChanges {
  /** Each changed request's next state, in the order of its first change, with when it last changed. */
  changed: { next: TicketState; at: Date }[];
  links: { ticketId: string; callId: string; at: Date }[];
  /** Journal entries, in order. */
  journal: { ticketId: string; at: Date; event: JournalEvent }[];
}

export type DecideOps = (ops: readonly TicketOp[], drafts: OpDraft[], callIdOf: (callKey: string) => string | null) => RequestChanges;

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

export const pbxOfKey = (key: string) => key.slice(0, key.indexOf('\u0000'));

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
export function jsonLiteral(value: unknown): string {
  let json = JSON.stringify(value);
  if (json.includes('\\u0000')) json = JSON.stringify(value, (_k, v) => (typeof v === 'string' ? v.replaceAll('\0', '') : v));
  const quoted = json.replace(/'/g, "''");
  return json.includes('\\') ? ` E'${quoted.replace(/\\/g, '\\\\')}'` : `'${quoted}'`;
}

type Result = { rows: any[] };

/** The batch statements prepared on each connection, by name (a statement is prepared the first time a batch there needs it). */
const preparedOn = new WeakMap<object, Set<string>>();

/** A request's next state as ticketsUpdate reads it; `at` is when it last changed. */
function stateJson(n: TicketState, at: Date) {
  return {
    id: n.id, number: n.number, status: n.status, priority: n.priority, subject: n.subject, description: n.description,
    technical_details: n.technicalDetails, solution: n.solution, assignees: n.assignees, registered_at: n.registeredAt,
    completed_at: n.completedAt, closed_at: n.closedAt, close_reason: n.closeReason, discard_reason: n.discardReason,
    auto_close_at: n.autoCloseAt, number_told: n.numberTold, callback_needed: n.callbackNeeded, callback_due_at: n.callbackDueAt, version: n.version, at,
  };
}

export class CallStore {
  constructor(
    private readonly ds: DataSource,
    private readonly decideOps: DecideOps,
    /** When given, a batch writes a PBX's calls only under the lease token this instance holds for it. */
    private readonly fences?: PbxFences,
  ) {}

  /**
   * One transaction: the calls' latest state, new drafts, request changes; and, read in the same
   * round trip, the history of the callers whose phones are about to ring (the screen pop shows it).
   */
  async writeBatch(calls: CallRow[], drafts: DraftWrite[], ops: TicketOp[], callers: CallerQuery[] = []): Promise<BatchResult> {
    if (calls.length === 0 && drafts.length === 0 && ops.length === 0 && callers.length === 0) {
      return { callIds: new Map(), drafts: new Map(), changedTickets: [], callers: [] };
    }
    const used = new Set<BatchStatement>();
    const exec = (statement: BatchStatement, ...json: string[]) => {
      used.add(statement);
      return execute(statement, ...json);
    };
    const sql: string[] = ['BEGIN', ...this.fenced(calls, drafts, ops)];
    // Where each answer is among the results (BEGIN is the first).
    const at = { calls: -1, drafts: -1, opDrafts: -1, changed: -1, callerCalls: -1, callerTickets: -1 };
    if (calls.length > 0) at.calls = sql.push(exec(S.callUpsert, jsonLiteral(calls.map(callJson)))) - 1;
    if (drafts.length > 0) {
      const json = jsonLiteral(drafts.map((d) => ({ ...splitKey(d.callKey), id: d.ticketId, caller_number: d.callerNumber, created_at: d.createdAt })));
      sql.push(exec(S.draftInsert, json));
      at.drafts = sql.push(exec(S.draftSelect, json)) - 1;
    }
    if (ops.length > 0) {
      const keys = jsonLiteral([...new Set(ops.map((o) => o.callKey))].map(splitKey));
      const numbers = jsonLiteral([...new Set(ops.flatMap((o) => (o.kind === 'callback_reached' ? [o.number] : [])))]);
      at.opDrafts = sql.push(exec(S.opDraftsSelect, keys, numbers)) - 1;
    }
    const rest = (): string[] => {
      const more: string[] = [];
      const next = (statement: string) => sql.length + more.push(statement) - 1;
      if (callers.length > 0) {
        const json = jsonLiteral(callers.map((c, i) => ({ i, number: c.number, linkedid: c.linkedid })));
        at.callerCalls = next(exec(S.callerCalls, json));
        at.callerTickets = next(exec(S.callerTickets, json));
      }
      more.push('COMMIT');
      return more;
    };

    let callIds = new Map<string, string>();
    let changedOrder: string[] = [];
    const readCallIds = (results: Result[]) => {
      callIds = new Map();
      if (at.calls >= 0) for (const r of results[at.calls].rows) callIds.set(callKey(r.pbx, r.linkedid), r.id);
    };
    const results =
      ops.length === 0
        ? await this.run(used, [...sql, ...rest()].join(';\n'))
        : await this.run(used, sql.join(';\n'), (first) => {
            readCallIds(first);
            const loaded: OpDraft[] = first[at.opDrafts].rows.map((r: TicketRow & { origin_pbx: string | null; origin_linkedid: string | null }) => ({
              state: rowToState(r),
              originKey: r.origin_pbx === null || r.origin_linkedid === null ? null : callKey(r.origin_pbx, r.origin_linkedid),
            }));
            const changes = this.decideOps(ops, loaded, (key) => callIds.get(key) ?? null);
            changedOrder = changes.changed.map((c) => c.next.id);
            const more: string[] = [];
            const next = (statement: string) => sql.length + more.push(statement) - 1;
            if (changes.changed.length > 0) {
              next(exec(S.ticketsUpdate, jsonLiteral(changes.changed.map(({ next: n, at: when }) => stateJson(n, when)))));
              if (changes.links.length > 0) {
                next(exec(S.linksInsert, jsonLiteral(changes.links.map((l) => ({ ticket_id: l.ticketId, call_id: l.callId, at: l.at })))));
              }
              if (changes.journal.length > 0) {
                const entries = changes.journal.map((j, ord) => ({ ord, ticket_id: j.ticketId, at: j.at, on_behalf_of: j.event.onBehalfOf, call_id: j.event.callId, kind: j.event.kind, data: j.event.data }));
                next(exec(S.journalInsert, jsonLiteral(entries)));
              }
              at.changed = next(exec(S.ticketsSelect, jsonLiteral(changes.changed.map((c) => c.next.id))));
            }
            sql.push(...more);
            return [...more, ...rest()];
          });
    readCallIds(results);
    const keyOfCall = new Map([...callIds].map(([k, id]) => [id, k]));
    const drafted = new Map<string, TicketRow>();
    if (at.drafts >= 0) {
      for (const r of results[at.drafts].rows as TicketRow[]) {
        const key = keyOfCall.get(r.origin_call_id!);
        if (key) drafted.set(key, r);
      }
    }
    const changedTickets: TicketRow[] = [];
    if (at.changed >= 0) {
      // In the order the rules first changed them.
      const byId = new Map((results[at.changed].rows as TicketRow[]).map((r) => [r.id, r]));
      for (const id of changedOrder) {
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

  /** The fence of each PBX the batch writes for; throws FencedError at once for one we do not hold. */
  private fenced(calls: CallRow[], drafts: DraftWrite[], ops: TicketOp[]): string[] {
    if (!this.fences) return [];
    const pbxs = new Set([...calls.map((c) => c.pbx), ...drafts.map((d) => splitKey(d.callKey).pbx), ...ops.map((o) => splitKey(o.callKey).pbx)]);
    return [...pbxs].map((pbx) => {
      const token = this.fences!.get(pbx);
      if (token === undefined) throw new FencedError(pbx);
      return fenceSql(pbx, token);
    });
  }

  /**
   * Runs one multi-statement transaction on a pooled connection, in one round trip, or in two when
   * `then` makes the rest of it from the first part's answers; rolls back if anything fails. The
   * statements it `used` that the connection has not prepared yet are prepared first.
   */
  private async run(used: ReadonlySet<BatchStatement>, text: string, then?: (first: Result[]) => string[]): Promise<Result[]> {
    const [client, release] = await (this.ds.driver as PostgresDriver).obtainMasterConnection();
    // A connection that dies while held reports it here (unheard, it would crash the process).
    let broken: Error | undefined;
    const onError = (err: Error) => {
      broken = err;
    };
    client.on('error', onError);
    let ready = preparedOn.get(client);
    if (!ready) preparedOn.set(client, (ready = new Set()));
    // Set while a PREPARE is under way: if it fails, which statements exist there is unknown.
    let unsure = false;
    const prepareMissing = async () => {
      const missing = [...used].filter((s) => !ready.has(s.name));
      if (missing.length === 0) return;
      unsure = true;
      await client.query(missing.map(prepare).join(';\n'));
      unsure = false;
      for (const s of missing) ready.add(s.name);
    };
    const all = (r: Result[] | Result) => (Array.isArray(r) ? r : [r]);
    let results: Result[];
    try {
      await prepareMissing();
      results = all(await client.query(text));
      if (then) {
        const rest = then(results).join(';\n');
        await prepareMissing();
        results = [...results, ...all(await client.query(rest))];
      }
    } catch (failed) {
      const err = fencedBy(failed) ?? failed;
      // A failed statement left the transaction open and aborted: end it before the connection goes
      // back. A connection where a PREPARE failed is closed instead (some of its statements may exist).
      const rolledBack = !broken && !unsure && (await client.query('ROLLBACK').then(() => true, () => false));
      client.removeListener('error', onError);
      release(rolledBack ? undefined : err);
      throw err;
    }
    client.removeListener('error', onError);
    release(broken);
    return results;
  }

  /** Calls the database still has as live for a PBX (after a service restart). */
  async liveCalls(pbx: string): Promise<CallRow[]> {
    return this.ds.query(`SELECT * FROM call WHERE pbx = $1 AND ended_at IS NULL`, [pbx]);
  }
}
