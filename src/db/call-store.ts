// Writes what the call model reports, in batches: one transaction carries the latest state of
// every call touched since the last batch, the drafts of new support-line calls and the few
// request changes calls cause (owner, missed, call back). Constant SQL texts with array
// parameters (unnest), so a batch of any size is a handful of statements.
import type { DataSource, EntityManager } from 'typeorm';
import type { CallRow } from '../views/call-view';
import { TICKET_SELECT, type TicketRow } from '../views/ticket-view';
import { rows as returning } from './query';

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

export interface BatchResult {
  /** The stored id of each call (the first writer's id wins: a call is never stored twice). */
  callIds: Map<string, string>;
  /** Draft of each support-line call written in this batch, by call key. */
  drafts: Map<string, TicketRow>;
  /** Requests changed by ticket ops. */
  changedTickets: TicketRow[];
}

export const callKey = (pbx: string, linkedid: string) => `${pbx}\u0000${linkedid}`;

const CALL_UPSERT = `
  INSERT INTO call (id, pbx, linkedid, direction, support_line, caller_number, caller_number_raw, caller_name, did,
    called_number, queue, started_at, answered_at, ended_at, outcome, answered_by_extension, answered_by, owner_extension,
    after_hours, gap, hangup_cause, legs, agent_ids, updated_at)
  SELECT u.id, u.pbx, u.linkedid, u.direction, u.support_line, u.caller_number, u.caller_number_raw, u.caller_name, u.did,
    u.called_number, u.queue, u.started_at, u.answered_at, u.ended_at, u.outcome, u.answered_by_extension, u.answered_by,
    u.owner_extension, u.after_hours, u.gap, u.hangup_cause, u.legs::jsonb, u.agent_ids::uuid[], now()
  FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::boolean[], $6::text[], $7::text[], $8::text[], $9::text[],
    $10::text[], $11::text[], $12::timestamptz[], $13::timestamptz[], $14::timestamptz[], $15::text[], $16::text[], $17::uuid[],
    $18::text[], $19::boolean[], $20::boolean[], $21::text[], $22::text[], $23::text[])
    AS u(id, pbx, linkedid, direction, support_line, caller_number, caller_number_raw, caller_name, did, called_number, queue,
      started_at, answered_at, ended_at, outcome, answered_by_extension, answered_by, owner_extension, after_hours, gap,
      hangup_cause, legs, agent_ids)
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

// New drafts, their link to the call, and the drafts as stored, in one statement. A draft made
// earlier for the same call (a restart, another instance) is not in RETURNING: read back apart.
// (The statement cannot see the link it makes: call_ids is set by the caller.)
const DRAFT_INSERT = `
  WITH ins AS (
    INSERT INTO ticket (id, status, channel, caller_number, origin_call_id, created_at, updated_at)
    SELECT u.id, 'draft', 'phone', u.caller_number, u.call_id, u.created_at, u.created_at
    FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::timestamptz[]) AS u(id, caller_number, call_id, created_at)
    ON CONFLICT (origin_call_id) WHERE origin_call_id IS NOT NULL DO NOTHING
    RETURNING *
  ), link AS (
    INSERT INTO ticket_call (ticket_id, call_id, linked_at) SELECT ins.id, ins.origin_call_id, ins.created_at FROM ins
    ON CONFLICT DO NOTHING
  )
  SELECT ${TICKET_SELECT} FROM ins t`;

// One statement per kind of request change for a whole batch. Ops of one round never touch the
// same request (see rounds()), so set-based updates decide exactly what one-by-one updates would.
const OWNER_UPDATE = `
  WITH o AS (
    SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::timestamptz[], $4::text[], $5::int[]) AS o(call_id, agent_id, at, reason, ord)
  ), old AS (
    SELECT t.id, t.assignees AS old, o.call_id, o.agent_id, o.at, o.reason, o.ord
      FROM ticket t JOIN o ON t.origin_call_id = o.call_id
     WHERE t.status = 'draft' AND t.assignees <> ARRAY[o.agent_id]
     FOR UPDATE OF t
  ), upd AS (
    UPDATE ticket t SET assignees = ARRAY[old.agent_id], version = t.version + 1, updated_at = old.at
      FROM old WHERE t.id = old.id RETURNING t.id
  ), journal AS (
    -- Ownership moving with the call is journaled, even on a draft (DESIGN §3).
    INSERT INTO ticket_events (ticket_id, at, actor, call_id, kind, data)
    SELECT old.id, old.at, NULL, old.call_id, 'assigned',
           jsonb_build_object('from', to_jsonb(old.old), 'to', jsonb_build_array(old.agent_id), 'reason', old.reason, 'callId', old.call_id)
      FROM old ORDER BY old.ord
  )
  SELECT id FROM upd`;

const MISSED_UPDATE = `
  UPDATE ticket t SET callback_needed = true, version = t.version + 1, updated_at = u.at
    FROM unnest($1::uuid[], $2::timestamptz[]) AS u(call_id, at)
   WHERE t.origin_call_id = u.call_id AND t.status = 'draft' AND NOT t.callback_needed AND t.assignees = '{}'
  RETURNING t.id`;

const CALLBACK_UPDATE = `
  WITH u AS (
    SELECT * FROM unnest($1::text[], $2::uuid[], $3::timestamptz[], $4::int[]) AS u(number, call_id, at, ord)
  ), done AS (
    UPDATE ticket t SET status = 'discarded', discard_reason = 'callback_done', callback_needed = false,
           closed_at = u.at, version = t.version + 1, updated_at = u.at
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

type Resolved<T extends TicketOp> = T & { callId: string; ord: number };

/**
 * Cuts the ops, in order, into rounds in which no two ops can touch the same request: owner and
 * missed ops change their own call's draft (one per call per round); missed and call-back ops meet
 * through the caller's number (a call back discards the drafts that a missed call left waiting
 * before it, not after). A call back never touches its own call's draft, so it sits in the same
 * round as that call's owner op.
 */
function rounds(ops: Resolved<TicketOp>[], numberOf: (op: Resolved<TicketOp>) => string | null): Resolved<TicketOp>[][] {
  const out: Resolved<TicketOp>[][] = [];
  let round: Resolved<TicketOp>[] = [];
  let drafts = new Set<string>();
  let numbers = new Set<string>();
  for (const op of ops) {
    const ownDraft = op.kind === 'callback_reached' ? null : op.callId;
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

function pgArrayLiteral(ids: string[]): string {
  return `{${ids.join(',')}}`;
}

export class CallStore {
  constructor(private readonly ds: DataSource) {}

  async writeBatch(calls: CallRow[], drafts: DraftWrite[], ops: TicketOp[]): Promise<BatchResult> {
    return this.ds.transaction(async (m) => {
      const callIds = await this.upsertCalls(m, calls);
      const drafted = await this.insertDrafts(m, drafts, callIds);
      const changedTickets = await this.applyOps(m, ops, callIds, calls);
      return { callIds, drafts: drafted, changedTickets };
    });
  }

  private async upsertCalls(m: EntityManager, calls: CallRow[]): Promise<Map<string, string>> {
    const ids = new Map<string, string>();
    if (calls.length === 0) return ids;
    const cols: unknown[][] = Array.from({ length: 23 }, () => new Array(calls.length));
    calls.forEach((c, i) => {
      const v = [
        c.id, c.pbx, c.linkedid, c.direction, c.support_line, c.caller_number, c.caller_number_raw, c.caller_name, c.did,
        c.called_number, c.queue, c.started_at, c.answered_at, c.ended_at, c.outcome, c.answered_by_extension, c.answered_by,
        c.owner_extension, c.after_hours, c.gap, c.hangup_cause, JSON.stringify(c.legs), pgArrayLiteral(c.agent_ids),
      ];
      for (let k = 0; k < 23; k++) cols[k][i] = v[k];
    });
    const rows: { id: string; pbx: string; linkedid: string }[] = await m.query(CALL_UPSERT, cols);
    for (const r of rows) ids.set(callKey(r.pbx, r.linkedid), r.id);
    return ids;
  }

  private async insertDrafts(m: EntityManager, drafts: DraftWrite[], callIds: Map<string, string>): Promise<Map<string, TicketRow>> {
    const out = new Map<string, TicketRow>();
    const ready = drafts.filter((d) => callIds.has(d.callKey));
    if (ready.length === 0) return out;
    const storedCallIds = ready.map((d) => callIds.get(d.callKey)!);
    const inserted: TicketRow[] = await m.query(DRAFT_INSERT, [ready.map((d) => d.ticketId), ready.map((d) => d.callerNumber), storedCallIds, ready.map((d) => d.createdAt)]);
    for (const r of inserted) r.call_ids = [r.origin_call_id!];
    const byCall = new Map(inserted.map((r) => [r.origin_call_id, r]));
    // A draft made earlier for the same call (a restart, another instance) is the one.
    const earlier = storedCallIds.filter((id) => !byCall.has(id));
    if (earlier.length > 0) {
      const rows: TicketRow[] = await m.query(`SELECT ${TICKET_SELECT} FROM ticket t WHERE t.origin_call_id = ANY($1::uuid[])`, [earlier]);
      for (const r of rows) byCall.set(r.origin_call_id, r);
    }
    for (const d of ready) {
      const row = byCall.get(callIds.get(d.callKey)!);
      if (row) out.set(d.callKey, row);
    }
    return out;
  }

  /** The batch's request changes, in order; each changed request read back once, in order of first change. */
  private async applyOps(m: EntityManager, ops: TicketOp[], callIds: Map<string, string>, calls: CallRow[]): Promise<TicketRow[]> {
    if (ops.length === 0) return [];
    const missing = [...new Set(ops.filter((op) => !callIds.has(op.callKey)).map((op) => op.callKey))];
    const known = missing.length > 0 ? await this.lookupCallIds(m, missing) : new Map<string, string>();
    const resolved: Resolved<TicketOp>[] = [];
    ops.forEach((op, ord) => {
      const callId = callIds.get(op.callKey) ?? known.get(op.callKey);
      if (callId) resolved.push({ ...op, callId, ord });
    });
    const callerOf = new Map(calls.map((c) => [callKey(c.pbx, c.linkedid), c.caller_number]));
    // A missed call's draft carries its caller's number; a call back names the number it reached.
    const numberOf = (op: Resolved<TicketOp>) => (op.kind === 'callback_reached' ? op.number : op.kind === 'missed' ? (callerOf.get(op.callKey) ?? null) : null);
    const changed: string[] = [];
    for (const round of rounds(resolved, numberOf)) {
      const owners = round.filter((op): op is Resolved<Extract<TicketOp, { kind: 'owner' }>> => op.kind === 'owner');
      const missed = round.filter((op) => op.kind === 'missed');
      const reached = round.filter((op): op is Resolved<Extract<TicketOp, { kind: 'callback_reached' }>> => op.kind === 'callback_reached');
      if (owners.length > 0) {
        const rows: { id: string }[] = await m.query(OWNER_UPDATE, [
          owners.map((o) => o.callId),
          owners.map((o) => o.agentId),
          owners.map((o) => o.at),
          owners.map((o) => (o.fromAgentId ? 'transferred' : 'answered')),
          owners.map((o) => o.ord),
        ]);
        for (const r of rows) changed.push(r.id);
      }
      if (missed.length > 0) {
        const rows = await returning<{ id: string }>(m, MISSED_UPDATE, [missed.map((o) => o.callId), missed.map((o) => o.at)]);
        for (const r of rows) changed.push(r.id);
      }
      if (reached.length > 0) {
        const rows: { id: string }[] = await m.query(CALLBACK_UPDATE, [
          reached.map((o) => o.number),
          reached.map((o) => o.callId),
          reached.map((o) => o.at),
          reached.map((o) => o.ord),
        ]);
        for (const r of rows) changed.push(r.id);
      }
    }
    return this.readTickets(m, [...new Set(changed)]);
  }

  private async lookupCallIds(m: EntityManager, keys: string[]): Promise<Map<string, string>> {
    const pairs = keys.map((k) => k.split('\u0000'));
    const rows: { id: string; pbx: string; linkedid: string }[] = await m.query(
      `SELECT c.id, c.pbx, c.linkedid FROM call c JOIN unnest($1::text[], $2::text[]) AS k(pbx, linkedid) USING (pbx, linkedid)`,
      [pairs.map((p) => p[0]), pairs.map((p) => p[1])],
    );
    return new Map(rows.map((r) => [callKey(r.pbx, r.linkedid), r.id]));
  }

  private async readTickets(m: EntityManager, ids: string[]): Promise<TicketRow[]> {
    if (ids.length === 0) return [];
    const rows: TicketRow[] = await m.query(`SELECT ${TICKET_SELECT} FROM ticket t WHERE t.id = ANY($1::uuid[])`, [ids]);
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  /** Calls the database still has as live for a PBX (after a service restart). */
  async liveCalls(pbx: string): Promise<CallRow[]> {
    return this.ds.query(`SELECT * FROM call WHERE pbx = $1 AND ended_at IS NULL`, [pbx]);
  }
}
