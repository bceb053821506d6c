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

const DRAFT_INSERT = `
  INSERT INTO ticket (id, status, channel, caller_number, origin_call_id, created_at, updated_at)
  SELECT u.id, 'draft', 'phone', u.caller_number, u.call_id, u.created_at, u.created_at
  FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::timestamptz[]) AS u(id, caller_number, call_id, created_at)
  ON CONFLICT (origin_call_id) WHERE origin_call_id IS NOT NULL DO NOTHING`;

const LINK_INSERT = `
  INSERT INTO ticket_call (ticket_id, call_id, linked_at)
  SELECT t.id, t.origin_call_id, t.created_at FROM ticket t WHERE t.origin_call_id = ANY($1::uuid[])
  ON CONFLICT DO NOTHING`;

function pgArrayLiteral(ids: string[]): string {
  return `{${ids.join(',')}}`;
}

export class CallStore {
  constructor(private readonly ds: DataSource) {}

  async writeBatch(calls: CallRow[], drafts: DraftWrite[], ops: TicketOp[]): Promise<BatchResult> {
    return this.ds.transaction(async (m) => {
      const callIds = await this.upsertCalls(m, calls);
      const drafted = await this.insertDrafts(m, drafts, callIds);
      const changedTickets: TicketRow[] = [];
      for (const op of ops) changedTickets.push(...(await this.applyOp(m, op, callIds)));
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
    await m.query(DRAFT_INSERT, [ready.map((d) => d.ticketId), ready.map((d) => d.callerNumber), storedCallIds, ready.map((d) => d.createdAt)]);
    await m.query(LINK_INSERT, [storedCallIds]);
    // Read back: a draft made earlier for the same call (a restart, another instance) is the one.
    const rows: TicketRow[] = await m.query(`SELECT ${TICKET_SELECT} FROM ticket t WHERE t.origin_call_id = ANY($1::uuid[])`, [storedCallIds]);
    const byCall = new Map(rows.map((r) => [r.origin_call_id, r]));
    for (const d of ready) {
      const row = byCall.get(callIds.get(d.callKey)!);
      if (row) out.set(d.callKey, row);
    }
    return out;
  }

  private async applyOp(m: EntityManager, op: TicketOp, callIds: Map<string, string>): Promise<TicketRow[]> {
    const callId = callIds.get(op.callKey) ?? (await this.lookupCallId(m, op.callKey));
    if (!callId) return [];
    switch (op.kind) {
      case 'owner': {
        const rows = await returning<{ id: string; old: string[] }>(m,
          `UPDATE ticket t SET assignees = ARRAY[$2::uuid], version = t.version + 1, updated_at = $3
             FROM (SELECT id, assignees AS old FROM ticket
                    WHERE origin_call_id = $1 AND status = 'draft' AND assignees <> ARRAY[$2::uuid] FOR UPDATE) o
            WHERE t.id = o.id RETURNING t.id, o.old`,
          [callId, op.agentId, op.at],
        );
        for (const r of rows) {
          // Ownership moving with the call is journaled, even on a draft (DESIGN §3).
          const data = { from: r.old, to: [op.agentId], reason: op.fromAgentId ? 'transferred' : 'answered', callId };
          await m.query(
            `INSERT INTO ticket_events (ticket_id, at, actor, call_id, kind, data) VALUES ($1, $2, NULL, $3, 'assigned', $4)`,
            [r.id, op.at, callId, JSON.stringify(data)],
          );
        }
        return this.readTickets(m, rows.map((r) => r.id));
      }
      case 'missed': {
        const rows = await returning<{ id: string }>(m,
          `UPDATE ticket SET callback_needed = true, version = version + 1, updated_at = $2
            WHERE origin_call_id = $1 AND status = 'draft' AND NOT callback_needed AND assignees = '{}' RETURNING id`,
          [callId, op.at],
        );
        return this.readTickets(m, rows.map((r) => r.id));
      }
      case 'callback_reached': {
        const rows = await returning<{ id: string }>(m,
          `UPDATE ticket SET status = 'discarded', discard_reason = 'callback_done', callback_needed = false,
                  closed_at = $3, version = version + 1, updated_at = $3
            WHERE callback_needed AND status = 'draft' AND caller_number = $1 AND origin_call_id <> $2 RETURNING id`,
          [op.number, callId, op.at],
        );
        for (const r of rows) {
          await m.query(`INSERT INTO ticket_call (ticket_id, call_id, linked_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [r.id, callId, op.at]);
          await m.query(
            `INSERT INTO ticket_events (ticket_id, at, actor, call_id, kind, data) VALUES ($1, $2, NULL, $3, 'status_changed', $4)`,
            [r.id, op.at, callId, JSON.stringify({ from: 'draft', to: 'discarded', discardReason: 'callback_done', callId })],
          );
        }
        return this.readTickets(m, rows.map((r) => r.id));
      }
      default: {
        const _: never = op;
        return _;
      }
    }
  }

  private async lookupCallId(m: EntityManager, key: string): Promise<string | undefined> {
    const [pbx, linkedid] = key.split('\u0000');
    const rows = await m.query(`SELECT id FROM call WHERE pbx = $1 AND linkedid = $2`, [pbx, linkedid]);
    return rows[0]?.id;
  }

  private async readTickets(m: EntityManager, ids: string[]): Promise<TicketRow[]> {
    if (ids.length === 0) return [];
    return m.query(`SELECT ${TICKET_SELECT} FROM ticket t WHERE t.id = ANY($1::uuid[])`, [ids]);
  }

  /** Calls the database still has as live for a PBX (after a service restart). */
  async liveCalls(pbx: string): Promise<CallRow[]> {
    return this.ds.query(`SELECT * FROM call WHERE pbx = $1 AND ended_at IS NULL`, [pbx]);
  }
}
