// The request as the API and the WebSocket show it (README: HTTP API, WebSocket), built from its stored row.
import type { Static } from '@sinclair/typebox';
import type { TicketRow } from '../db/rows';
import type { TicketBody } from '../wire/ticket';

/** As the API and sockets show it: the wire schema (src/wire/ticket.ts) is its one declaration. */
export type TicketView = Static<typeof TicketBody>;

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
    productVersion: row.product_version,
    fixedIn: row.fixed_in,
    customer:
      row.contact_id || row.organisation_id
        ? { contactId: row.contact_id, name: row.contact_name, organisationId: row.organisation_id, organisationName: row.organisation_name }
        : null,
    solution: row.solution,
    callerNumber: row.caller_number,
    assignees: row.assignees ?? [],
    callIds: row.call_ids ?? (row.origin_call_id ? [row.origin_call_id] : []),
    originCallId: row.origin_call_id,
    parentId: row.parent_id,
    callbackNeeded: row.callback_needed,
    callbackDueAt: iso(row.callback_due_at),
    numberTold: row.number_told,
    customerWroteAt: iso(row.customer_wrote_at),
    senderEmail: row.sender_email,
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

