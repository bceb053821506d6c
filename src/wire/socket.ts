// The WebSocket messages (`/ws`), both ways. The server builds its messages in one module
// (realtime/messages.ts), the panel reads them with these types, and the client's messages are
// checked against these schemas.
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { LEG_END_REASONS } from '../calls/model';
import { CallBody, PhoneAgentBody } from './call';
import { BoardBody } from './board';
import { CallerBody } from './caller';
import { CUSTOMER_DECISIONS } from '../tickets/ticket';
import { TicketBody } from './ticket';

// The server's messages are strict: each carries exactly what is declared (nothing internal leaks
// to a browser). A client's may carry more (a newer panel): only the declared fields are read.
const msg = <K extends string, P extends Record<string, TSchema>>(type: K, props: P) =>
  Type.Object({ type: Type.Literal(type), ...props }, { additionalProperties: false });
const clientMsg = <K extends string, P extends Record<string, TSchema>>(type: K, props: P) => Type.Object({ type: Type.Literal(type), ...props });
const OrNull = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

export const PbxStatusBody = Type.Object({ id: Type.String(), connected: Type.Boolean() }, { additionalProperties: false });
export type PbxStatus = Static<typeof PbxStatusBody>;

const LegEndReason = Type.Union(LEG_END_REASONS.map((r) => Type.Literal(r)));

/** Every message the server sends. */
export const ServerMessageBody = Type.Union([
  /** The first message on every (re)connect: live calls, their drafts, the PBXs' state. */
  msg('snapshot', { calls: Type.Array(CallBody), drafts: Type.Array(TicketBody), pbx: Type.Array(PbxStatusBody) }),
  msg('call.started', { call: CallBody }),
  msg('call.updated', { call: CallBody }),
  msg('call.ended', { call: CallBody }),
  /** The screen pop: to the agent whose phone rings (and supervisors). */
  msg('call.ringing', { call: CallBody, ticket: OrNull(TicketBody), caller: CallerBody, extension: Type.String() }),
  msg('call.ring_stopped', { call: CallBody, reason: LegEndReason, extension: Type.Optional(Type.String()) }),
  msg('call.answered', { call: CallBody, ticket: OrNull(TicketBody), extension: Type.String(), first: Type.Optional(Type.Boolean()) }),
  msg('call.transferred', { call: CallBody, ticket: OrNull(TicketBody), from: PhoneAgentBody, to: PhoneAgentBody }),
  msg('ticket.updated', { ticket: TicketBody }),
  /**
   * The customer said something on a request by themselves (an e-mail on its thread, a decision on
   * the page of a mail's link): to its assignees, or to supervisors while it has none.
   */
  msg('ticket.customer', {
    ticket: TicketBody,
    said: Type.Union([Type.Literal('message'), ...CUSTOMER_DECISIONS.map((d) => Type.Literal(d))]),
    text: Type.String(),
    notSolved: Type.Boolean(),
  }),
  msg('pbx.status', { pbx: Type.Array(PbxStatusBody) }),
  /** The live board, to supervisors who watch it (`board.watch`): at most a few a second. */
  msg('board.updated', { board: BoardBody }),
  msg('pong', {}),
  /** A client message that was not understood; the connection stays open. */
  msg('error', { error: Type.String(), message: Type.String() }),
]);
export type ServerMessage = Static<typeof ServerMessageBody>;
export type ServerMessageOf<K extends ServerMessage['type']> = Extract<ServerMessage, { type: K }>;

const TicketRef = { ticketId: Type.String({ minLength: 1, maxLength: 64 }) };

/** Every message a client may send, by type. */
export const ClientMessageBodies = {
  ping: clientMsg('ping', {}),
  /** The request is open in this tab: its changes come even when it is not the agent's. */
  'ticket.open': clientMsg('ticket.open', TicketRef),
  'ticket.close': clientMsg('ticket.close', TicketRef),
  /** Supervisors: send me the live board now and whenever it changes. */
  'board.watch': clientMsg('board.watch', {}),
  'board.unwatch': clientMsg('board.unwatch', {}),
} as const;
export type ClientMessage = Static<(typeof ClientMessageBodies)[keyof typeof ClientMessageBodies]>;
