// The wire shapes the panel reads (README: HTTP API, WebSocket), kept here so the browser bundle depends on no
// server code.

export interface Agent {
  id: string;
  login: string;
  name: string;
  role: 'agent' | 'supervisor' | 'admin';
  extension: string | null;
}

export type LegEndReason = 'answered' | 'taken' | 'no_answer' | 'busy' | 'caller_gone';

export interface Leg {
  extension: string;
  agentId: string | null;
  ringAt: string;
  answeredAt: string | null;
  endedAt: string | null;
  endReason: LegEndReason | null;
  via?: 'pickup';
}

export interface AgentRef {
  id: string | null;
  login: string | null;
  extension: string;
}

export interface Call {
  id: string;
  pbx: string;
  direction: 'inbound' | 'outbound' | 'internal';
  supportLine: boolean;
  callerNumber: string | null;
  callerName: string | null;
  calledNumber?: string | null;
  did: string | null;
  queue: string | null;
  startedAt: string;
  answeredAt: string | null;
  endedAt: string | null;
  outcome: 'answered' | 'missed' | 'unknown' | null;
  answeredBy: AgentRef | null;
  owner?: AgentRef | null;
  afterHours: boolean;
  legs: Leg[];
  ticketIds: string[];
}

export const PRIORITIES = ['critical', 'high', 'normal', 'low'] as const;
export type Priority = (typeof PRIORITIES)[number];

export type TicketStatus = 'draft' | 'registered' | 'in_progress' | 'completed' | 'closed' | 'discarded';

export interface Ticket {
  id: string;
  number: string | null;
  status: TicketStatus;
  priority: Priority;
  subject: string;
  description: string;
  technicalDetails: string;
  callerNumber: string | null;
  assignees: string[];
  callIds: string[];
  originCallId?: string | null;
  parentId: string | null;
  callbackNeeded?: boolean;
  numberTold: boolean;
  createdAt: string;
  registeredAt: string | null;
  completedAt: string | null;
  closeReason: string | null;
  discardReason: string | null;
  version: number;
}

/** The fields an agent types into; autosaved. */
export const TEXT_FIELDS = ['subject', 'description', 'technicalDetails', 'priority'] as const;
export type Field = (typeof TEXT_FIELDS)[number];
export type Fields = Pick<Ticket, Field>;

/** A screenshot of a request (R5). */
export interface Attachment {
  id: string;
  ticketId: string;
  fileName: string;
  contentType: string;
  size: number;
  uploadedAt: string;
  url: string;
}

export interface CallerCall {
  id: string;
  startedAt: string;
  direction: string;
  outcome: string | null;
  answeredByExtension: string | null;
  supportLine: boolean;
}

export interface Caller {
  number: string | null;
  calls: CallerCall[];
  openTickets: Ticket[];
}

export interface PbxStatus {
  id: string;
  connected: boolean;
}

export type ServerMessage =
  | { type: 'snapshot'; calls: Call[]; drafts: Ticket[]; pbx: PbxStatus[] }
  | { type: 'call.started' | 'call.updated' | 'call.ended'; call: Call }
  | { type: 'call.ringing'; call: Call; ticket: Ticket | null; caller: Caller; extension: string }
  | { type: 'call.ring_stopped'; call: Call; reason: LegEndReason; extension?: string }
  | { type: 'call.answered'; call: Call; ticket: Ticket | null; extension: string; first?: boolean }
  | { type: 'call.transferred'; call: Call; ticket: Ticket | null; from: AgentRef; to: AgentRef }
  | { type: 'ticket.updated'; ticket: Ticket }
  | { type: 'pbx.status'; pbx: PbxStatus[] }
  | { type: 'pong' }
  | { type: 'error'; error: string; message: string };
