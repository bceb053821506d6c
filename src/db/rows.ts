// The rows calldesk stores, as `pg` returns them (snake_case columns), and the select list that
// reads a request with its linked calls. The API's and the sockets' shapes are made from these in
// src/views/.
import type { CustomerSaid } from '../tickets/customer-said';
import type { Direction, LegEndReason, Outcome, RecordingKind } from '../calls/model';
import type { Channel, Priority, TicketStatus } from '../tickets/ticket';

/** A leg of a call as stored in `call.legs` (JSON). */
export interface StoredLeg {
  extension: string;
  agentId: string | null;
  ringAt: string;
  answeredAt: string | null;
  endedAt: string | null;
  endReason: LegEndReason | null;
  /** Reached by call pickup rather than rung (absent otherwise). */
  via?: 'pickup';
}

/** A recording or voicemail of a call as stored in `call.recordings` (JSON). */
export interface StoredRecording {
  kind: RecordingKind;
  /** The PBX's own path (a voicemail's without extension). */
  file: string;
  startedAt: string;
  mailbox?: string;
}

/** A call row as stored (snake_case columns, as `pg` returns them). */
export interface CallRow {
  id: string;
  pbx: string;
  linkedid: string;
  direction: Direction;
  support_line: boolean;
  caller_number: string | null;
  caller_number_raw: string | null;
  caller_name: string | null;
  did: string | null;
  called_number: string | null;
  queue: string | null;
  started_at: Date;
  answered_at: Date | null;
  ended_at: Date | null;
  outcome: Outcome | null;
  answered_by_extension: string | null;
  answered_by: string | null;
  owner_extension: string | null;
  after_hours: boolean;
  /** The caller's number was blocked when the call began (see `Call.blocked`). */
  blocked: boolean;
  gap: boolean;
  hangup_cause: string | null;
  legs: StoredLeg[];
  agent_ids: string[];
  recordings: StoredRecording[];
}

/** A request row as stored. */
export interface TicketRow {
  id: string;
  number: string | null;
  status: TicketStatus;
  priority: Priority;
  channel: Channel;
  subject: string;
  description: string;
  technical_details: string;
  product_version: string;
  fixed_in: string;
  contact_id: string | null;
  organisation_id: string | null;
  /** Read with the row (not stored in it): the customer's names. */
  contact_name: string | null;
  organisation_name: string | null;
  solution: string | null;
  caller_number: string | null;
  assignees: string[];
  parent_id: string | null;
  origin_call_id: string | null;
  callback_needed: boolean;
  callback_due_at: Date | null;
  number_told: boolean;
  customer_wrote_at: Date | null;
  /** The address an e-mailed request came from. */
  sender_email: string | null;
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
  /** Not stored: what the customer just said by themselves (the request's people are told of it). */
  customer_said?: CustomerSaid;
}

/** SELECT list (table alias `t`) giving a TicketRow with its linked call ids. */
export const TICKET_SELECT = `t.id, t.number, t.status, t.priority, t.channel, t.subject, t.description, t.technical_details,
  t.product_version, t.fixed_in, t.contact_id, t.organisation_id,
  (SELECT ct.name FROM contact ct WHERE ct.id = t.contact_id) AS contact_name,
  (SELECT og.name FROM organisation og WHERE og.id = t.organisation_id) AS organisation_name,
  t.solution, t.caller_number, t.assignees, t.parent_id, t.origin_call_id, t.callback_needed, t.callback_due_at, t.number_told, t.created_at,
  t.registered_at, t.completed_at, t.closed_at, t.close_reason, t.discard_reason, t.auto_close_at, t.customer_wrote_at, t.sender_email, t.version, t.updated_at,
  ARRAY(SELECT tc.call_id FROM ticket_call tc WHERE tc.ticket_id = t.id ORDER BY tc.linked_at, tc.call_id) AS call_ids`;
