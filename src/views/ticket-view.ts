// The request as the API and the WebSocket show it (README: HTTP API, WebSocket), built from its stored row.
export interface TicketRow {
  id: string;
  number: string | null;
  status: string;
  priority: string;
  channel: string;
  subject: string;
  description: string;
  technical_details: string;
  solution: string | null;
  caller_number: string | null;
  assignees: string[];
  parent_id: string | null;
  origin_call_id: string | null;
  callback_needed: boolean;
  number_told: boolean;
  created_at: Date;
  registered_at: Date | null;
  completed_at: Date | null;
  closed_at: Date | null;
  close_reason: string | null;
  discard_reason: string | null;
  auto_close_at: Date | null;
  version: number;
  updated_at: Date;
  call_ids?: string[] | null;
  /** Not stored: assignees a change just removed (they are told of it). */
  former_assignees?: string[];
}

export interface TicketView {
  id: string;
  number: string | null;
  status: string;
  priority: string;
  channel: string;
  subject: string;
  description: string;
  technicalDetails: string;
  solution: string | null;
  callerNumber: string | null;
  assignees: string[];
  callIds: string[];
  originCallId: string | null;
  parentId: string | null;
  callbackNeeded: boolean;
  numberTold: boolean;
  createdAt: string;
  registeredAt: string | null;
  completedAt: string | null;
  closedAt: string | null;
  closeReason: string | null;
  discardReason: string | null;
  autoCloseAt: string | null;
  version: number;
  updatedAt: string;
}

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

export function ticketView(row: TicketRow): TicketView {
  return {
    id: row.id,
    number: row.number,
    status: row.status,
    priority: row.priority,
    channel: row.channel,
    subject: row.subject,
    description: row.description,
    technicalDetails: row.technical_details,
    solution: row.solution,
    callerNumber: row.caller_number,
    assignees: row.assignees ?? [],
    callIds: row.call_ids ?? (row.origin_call_id ? [row.origin_call_id] : []),
    originCallId: row.origin_call_id,
    parentId: row.parent_id,
    callbackNeeded: row.callback_needed,
    numberTold: row.number_told,
    createdAt: iso(row.created_at)!,
    registeredAt: iso(row.registered_at),
    completedAt: iso(row.completed_at),
    closedAt: iso(row.closed_at),
    closeReason: row.close_reason,
    discardReason: row.discard_reason,
    autoCloseAt: iso(row.auto_close_at),
    version: row.version,
    updatedAt: iso(row.updated_at)!,
  };
}

/** SELECT list (table alias `t`) giving a TicketRow with its linked call ids. */
export const TICKET_SELECT = `t.id, t.number, t.status, t.priority, t.channel, t.subject, t.description, t.technical_details,
  t.solution, t.caller_number, t.assignees, t.parent_id, t.origin_call_id, t.callback_needed, t.number_told, t.created_at,
  t.registered_at, t.completed_at, t.closed_at, t.close_reason, t.discard_reason, t.auto_close_at, t.version, t.updated_at,
  ARRAY(SELECT tc.call_id FROM ticket_call tc WHERE tc.ticket_id = t.id ORDER BY tc.linked_at, tc.call_id) AS call_ids`;
