// The request's storage for its use cases (services/ticket-service.ts): the row lock, the state as
// stored, the stored next state, call links, journal entries and the gapless journal number. All
// run inside the caller's transaction (`m`).
import type { EntityManager } from 'typeorm';
import type { TicketState } from '../tickets/ticket';
import { TICKET_SELECT, type TicketRow } from './rows';

/** A journal entry to append; kinds beyond the core's are the service's own (`linked_request`, `attachment_added`). */
export interface JournalEntryInput {
  kind: string;
  data: unknown;
  onBehalfOf: string | null;
  callId: string | null;
}

export function rowToState(r: TicketRow): TicketState {
  const d = (v: Date | string | null) => (v === null ? null : new Date(v));
  return {
    id: r.id,
    number: r.number,
    status: r.status as TicketState['status'],
    priority: r.priority as TicketState['priority'],
    channel: r.channel as TicketState['channel'],
    subject: r.subject,
    description: r.description,
    technicalDetails: r.technical_details,
    productVersion: r.product_version,
    fixedIn: r.fixed_in,
    contactId: r.contact_id,
    organisationId: r.organisation_id,
    solution: r.solution,
    callerNumber: r.caller_number,
    assignees: r.assignees ?? [],
    callIds: r.call_ids ?? [],
    originCallId: r.origin_call_id,
    callbackNeeded: r.callback_needed,
    callbackDueAt: d(r.callback_due_at),
    parentId: r.parent_id,
    createdAt: new Date(r.created_at),
    registeredAt: d(r.registered_at),
    completedAt: d(r.completed_at),
    closedAt: d(r.closed_at),
    closeReason: r.close_reason as TicketState['closeReason'],
    discardReason: r.discard_reason as TicketState['discardReason'],
    autoCloseAt: d(r.auto_close_at),
    numberTold: r.number_told,
    customerWroteAt: d(r.customer_wrote_at),
    version: r.version,
  };
}

/** Locks the request's row until commit; its version, or null when there is no such request. */
export async function lockTicket(m: EntityManager, id: string): Promise<number | null> {
  const locked = await m.query(`SELECT version FROM ticket WHERE id = $1 FOR UPDATE`, [id]);
  return locked[0] ? locked[0].version : null;
}

export async function ticketRow(m: EntityManager, id: string): Promise<TicketRow> {
  return (await m.query(`SELECT ${TICKET_SELECT} FROM ticket t WHERE t.id = $1`, [id]))[0];
}

export async function callExists(m: EntityManager, callId: string): Promise<boolean> {
  return (await m.query(`SELECT 1 FROM call WHERE id = $1`, [callId])).length > 0;
}

export async function requestExists(m: EntityManager, id: string): Promise<boolean> {
  return (await m.query(`SELECT 1 FROM ticket WHERE id = $1`, [id])).length > 0;
}

/** Did this agent answer (or own) one of the request's calls? */
export async function answeredOneOfItsCalls(m: EntityManager, ticketId: string, agentId: string, extension: string | null): Promise<boolean> {
  const found = await m.query(
    `SELECT 1 FROM ticket_call tc JOIN call c ON c.id = tc.call_id
      WHERE tc.ticket_id = $1 AND (c.answered_by = $2 OR c.owner_extension = $3) LIMIT 1`,
    [ticketId, agentId, extension],
  );
  return found.length > 0;
}

/** Stores the next state of a request (its calls are linked apart, see linkCall). */
export async function storeState(m: EntityManager, next: TicketState, version: number, now: Date): Promise<void> {
  await m.query(
    `UPDATE ticket SET number = $2, status = $3, priority = $4, subject = $5, description = $6, technical_details = $7,
            solution = $8, assignees = $9::uuid[], registered_at = $10, completed_at = $11, closed_at = $12,
            close_reason = $13, discard_reason = $14, auto_close_at = $15, number_told = $16, callback_needed = $17,
            version = $18, updated_at = $19, product_version = $20, fixed_in = $21,
            contact_id = $22, organisation_id = $23, callback_due_at = $24, customer_wrote_at = $25
      WHERE id = $1`,
    [
      next.id, next.number, next.status, next.priority, next.subject, next.description, next.technicalDetails, next.solution,
      next.assignees, next.registeredAt, next.completedAt, next.closedAt, next.closeReason, next.discardReason,
      next.autoCloseAt, next.numberTold, next.callbackNeeded, version, now, next.productVersion, next.fixedIn,
      next.contactId, next.organisationId, next.callbackDueAt, next.customerWroteAt,
    ],
  );
}

/** Links a call to a request (a link already there stays as it is). */
export async function linkCall(m: EntityManager, ticketId: string, callId: string, at: Date): Promise<void> {
  await m.query(`INSERT INTO ticket_call (ticket_id, call_id, linked_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [ticketId, callId, at]);
}

/** Appends entries to a request's journal (append-only: a trigger refuses changes), in order. */
export async function appendJournal(m: EntityManager, ticketId: string, at: Date, actor: string | null, events: JournalEntryInput[]): Promise<void> {
  if (events.length === 0) return;
  await m.query(
    `INSERT INTO ticket_events (ticket_id, at, actor, on_behalf_of, call_id, kind, data)
     SELECT $1, $2, $3, u.on_behalf_of, u.call_id, u.kind, u.data::jsonb
       FROM unnest($4::text[], $5::uuid[], $6::text[], $7::text[]) AS u(on_behalf_of, call_id, kind, data)`,
    [ticketId, at, actor, events.map((e) => e.onBehalfOf), events.map((e) => e.callId), events.map((e) => e.kind), events.map((e) => JSON.stringify(e.data))],
  );
}

/** The year's next journal number: the counter row stays locked until commit, so numbers are gapless. */
export async function takeJournalNumber(m: EntityManager, year: number): Promise<number> {
  const counted = await m.query(
    `INSERT INTO journal_counter (year, last) VALUES ($1, 1)
     ON CONFLICT (year) DO UPDATE SET last = journal_counter.last + 1 RETURNING last`,
    [year],
  );
  return counted[0].last;
}

export interface CallForRequest {
  id: string;
  caller_number: string | null;
  called_number: string | null;
  direction: string;
  answered_by: string | null;
}

export function callsForRequest(m: EntityManager, callIds: string[]): Promise<CallForRequest[]> {
  return m.query(`SELECT id, caller_number, called_number, direction, answered_by FROM call WHERE id = ANY($1::uuid[])`, [callIds]);
}

/** The caller number of a request; undefined when there is no such request. */
export async function callerOfRequest(m: EntityManager, id: string): Promise<string | null | undefined> {
  const found = await m.query(`SELECT caller_number FROM ticket WHERE id = $1`, [id]);
  return found[0] ? found[0].caller_number : undefined;
}

/** The address an e-mailed request came from (null for the other channels). */
export async function senderEmailOf(m: EntityManager, id: string): Promise<string | null> {
  const rows: { sender_email: string | null }[] = await m.query(`SELECT sender_email FROM ticket WHERE id = $1`, [id]);
  return rows[0]?.sender_email ?? null;
}

/** A new draft, linked to its calls. */
export async function insertDraft(m: EntityManager, d: TicketState, now: Date, senderEmail: string | null = null): Promise<void> {
  await m.query(
    `INSERT INTO ticket (id, status, priority, channel, subject, description, technical_details, caller_number, assignees,
                         parent_id, created_at, updated_at, product_version, contact_id, organisation_id, sender_email)
     VALUES ($1, 'draft', $2, $3, $4, $5, $6, $7, $8::uuid[], $9, $10, $10, $11, $12, $13, $14)`,
    [d.id, d.priority, d.channel, d.subject, d.description, d.technicalDetails, d.callerNumber, d.assignees, d.parentId, now, d.productVersion, d.contactId, d.organisationId, senderEmail],
  );
  for (const c of d.callIds) await m.query(`INSERT INTO ticket_call (ticket_id, call_id, linked_at) VALUES ($1, $2, $3)`, [d.id, c, now]);
}

/** The drafts a call opened, other than `except`. */
export async function draftsOfCall(m: EntityManager, callId: string, except: string): Promise<{ id: string }[]> {
  return m.query(`SELECT id FROM ticket WHERE origin_call_id = $1 AND status = 'draft' AND id <> $2`, [callId, except]);
}
