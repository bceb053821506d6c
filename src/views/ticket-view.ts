// The request as the API and the WebSocket show it (README: HTTP API, WebSocket), built from its stored row.
import type { TicketRow } from '../db/rows';

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

