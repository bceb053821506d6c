// Every WebSocket message the server sends is built here (their shapes: wire/socket.ts): the
// snapshot, the PBX status, the answers to a client, and the push of each call fact and request
// change with its audience and the rows it shows (so another instance can rebuild one too large
// to be notified whole).
import type { CallFact } from '../calls/model';
import type { TicketRow } from '../db/rows';
import type { CustomerSaid } from '../tickets/customer-said';
import { callToRow } from '../ingest/call-rows';
import type { LiveCall } from '../ingest/live-call';
import type { AgentDirectory } from '../services/agent-directory';
import { callView } from '../views/call-view';
import { ticketView } from '../views/ticket-view';
import type { Board } from '../wire/board';
import type { Call } from '../wire/call';
import type { PbxStatus, ServerMessage, ServerMessageOf } from '../wire/socket';
import type { Ticket } from '../wire/ticket';
import type { PushRef } from './fanout';
import type { Audience } from './hub';

export interface OutgoingPush {
  audience: Audience;
  message: ServerMessage;
  ref: PushRef;
}

const pbxStatus = (pbx: PbxStatus[]) => pbx.map(({ id, connected }) => ({ id, connected }));

export const snapshotMessage = (calls: Call[], drafts: Ticket[], pbx: PbxStatus[]): ServerMessageOf<'snapshot'> => ({ type: 'snapshot', calls, drafts, pbx: pbxStatus(pbx) });

/** The PBXs' connection state, as the instance ingesting each tells it. */
export const pbxStatusMessage = (pbx: PbxStatus[]): ServerMessageOf<'pbx.status'> => ({ type: 'pbx.status', pbx: pbxStatus(pbx) });

/** The live board, to the supervisors watching it. */
export const boardMessage = (board: Board): ServerMessageOf<'board.updated'> => ({ type: 'board.updated', board });

export const pongMessage = (): ServerMessageOf<'pong'> => ({ type: 'pong' });

/** A client message that was not understood (`error` is a code, `message` says what to fix). */
export const errorMessage = (error: string, message: string): ServerMessageOf<'error'> => ({ type: 'error', error, message });

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

/** What the customer said on a request by themselves, to the people who work it (supervisors while no one does). */
export function customerPush(row: TicketRow, { said, text, notSolved }: CustomerSaid): OutgoingPush {
  const audience = row.assignees.length > 0 ? { agentIds: row.assignees } : { supervisors: true };
  return { audience, message: { type: 'ticket.customer', ticket: ticketView(row), said, text, notSolved }, ref: { ticketId: row.id } };
}

/** A changed request, to everyone who should know. */
export function ticketPush(row: TicketRow): OutgoingPush {
  const agentIds = row.former_assignees ? [...row.assignees, ...row.former_assignees] : row.assignees;
  return { audience: { agentIds, supervisors: true, ticketId: row.id }, message: { type: 'ticket.updated', ticket: ticketView(row) }, ref: { ticketId: row.id } };
}
