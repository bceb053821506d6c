// The socket message of each call fact and request change, with its audience and the rows it
// shows (so other instances can rebuild it). The one place the ingest builds messages.
import type { CallFact } from '../calls/model';
import type { PushRef } from '../realtime/fanout';
import type { Audience } from '../realtime/hub';
import type { AgentDirectory } from '../services/agent-directory';
import { callView } from '../views/call-view';
import { ticketView } from '../views/ticket-view';
import type { TicketRow } from '../db/rows';
import { callToRow } from './call-rows';
import type { LiveCall } from './live-call';

export interface OutgoingPush {
  audience: Audience;
  message: { type: string } & Record<string, unknown>;
  ref: PushRef;
}

/** A call fact as its message; `id` is the call's stored id. */
export function callFactPush(fact: CallFact, ctx: LiveCall, id: string, directory: AgentDirectory): OutgoingPush {
  const ticket = ctx.ticket;
  const row = callToRow(fact.call, id, directory);
  const call = callView(row, ticket ? [ticket.id] : [], directory);
  const agentOf = (ext: string) => directory.byExtension(ext);
  const ref = (ext: string) => {
    const a = agentOf(ext);
    return { id: a?.id ?? null, login: a?.login ?? null, extension: ext };
  };
  const tv = ticket ? ticketView(ticket) : null;
  const rows = { callId: id, ticketId: ticket?.id };
  switch (fact.kind) {
    case 'call.started':
      return { audience: { supervisors: true }, message: { type: 'call.started', call }, ref: { callId: id } };
    case 'call.updated':
      return { audience: { supervisors: true }, message: { type: 'call.updated', call }, ref: { callId: id } };
    case 'leg.ringing': {
      const caller = ctx.caller ?? { number: call.callerNumber, calls: [], openTickets: [] };
      return {
        audience: { agentIds: [agentOf(fact.extension)?.id], supervisors: true },
        message: { type: 'call.ringing', call, ticket: tv, caller, extension: fact.extension },
        ref: { ...rows, caller: true },
      };
    }
    case 'leg.ring_stopped':
      return {
        audience: { agentIds: [agentOf(fact.extension)?.id] },
        message: { type: 'call.ring_stopped', call, reason: fact.reason, extension: fact.extension },
        ref: { callId: id },
      };
    case 'leg.answered':
      return {
        audience: { agentIds: [agentOf(fact.extension)?.id], supervisors: true },
        message: { type: 'call.answered', call, ticket: tv, extension: fact.extension, first: fact.first },
        ref: rows,
      };
    case 'call.transferred':
      return {
        audience: { agentIds: [agentOf(fact.from)?.id, agentOf(fact.to)?.id], supervisors: true },
        message: { type: 'call.transferred', call, ticket: tv, from: ref(fact.from), to: ref(fact.to) },
        ref: rows,
      };
    case 'call.ended':
      return { audience: { agentIds: row.agent_ids, supervisors: true }, message: { type: 'call.ended', call }, ref: { callId: id } };
    default: {
      const _: never = fact;
      return _;
    }
  }
}

/** A changed request, to everyone who should know. */
export function ticketPush(row: TicketRow): OutgoingPush {
  const agentIds = row.former_assignees ? [...row.assignees, ...row.former_assignees] : row.assignees;
  return { audience: { agentIds, supervisors: true, ticketId: row.id }, message: { type: 'ticket.updated', ticket: ticketView(row) }, ref: { ticketId: row.id } };
}
