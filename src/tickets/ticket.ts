// A support request (ticket) as the core sees it: its vocabulary (statuses, priorities, reasons),
// its state, and the journal entries its lifecycle produces. Plain data, no I/O.
import { DateTime } from 'luxon';
import type { Role } from './roles';
import { DEFAULT_PRIORITY, type Channel, type CloseReason, type DiscardReason, type Priority, type TicketStatus } from './vocabulary';

export * from './vocabulary';

export { ROLES, type Role } from './roles';

/** Who runs a command: a signed-in user, or the service itself (R10 auto-close, call-driven ownership). */
export type Actor = { agentId: string; role: Role } | { agentId: null; role: 'system' };
export const SYSTEM_ACTOR: Actor = { agentId: null, role: 'system' };

export interface TicketState {
  id: string;
  /** Journal number `YYYY-NNNNNN`, null until registration (given by persistence, see `formatTicketNumber`). */
  number: string | null;
  status: TicketStatus;
  priority: Priority;
  channel: Channel;
  subject: string;
  /** R5: the problem; required from registration on. */
  description: string;
  /** R5: version, module, workstation, error text. */
  technicalDetails: string;
  /** The customer's installed release (e.g. `5.2.1`); empty when not known. */
  productVersion: string;
  /** The release that fixes it; empty until known. */
  fixedIn: string;
  /** The customer: a contact from the directory, and their organisation (null when not known). */
  contactId: string | null;
  organisationId: string | null;
  /** R7: the solution (options) delivered to the customer; set on completion. */
  solution: string | null;
  /** E.164, or null when withheld. */
  callerNumber: string | null;
  /** R1: agent ids of the executors; at least one once registered. */
  assignees: string[];
  callIds: string[];
  /** The call whose arrival opened this draft, if any. */
  originCallId: string | null;
  /** A missed call's draft waiting for a call back. */
  callbackNeeded: boolean;
  /** When that call back is due (support time after the missed call); null when none is waiting. */
  callbackDueAt: Date | null;
  /** R4: the request this one was split from. */
  parentId: string | null;
  createdAt: Date;
  registeredAt: Date | null;
  completedAt: Date | null;
  closedAt: Date | null;
  closeReason: CloseReason | null;
  discardReason: DiscardReason | null;
  /** R10: when silence closes it; set while completed. */
  autoCloseAt: Date | null;
  /** R2: the agent ticked "number told". */
  numberTold: boolean;
  /** When the customer last wrote (or disagreed) by themselves with no agent acting since: they wait. */
  customerWroteAt: Date | null;
  /** Optimistic concurrency: bumped by every accepted change; persistence checks it. */
  version: number;
}

/** The fields an edit may change (R5 content, R3 priority, R1 assignees). */
export const EDITABLE_FIELDS = ['subject', 'description', 'technicalDetails', 'productVersion', 'fixedIn', 'contactId', 'organisationId', 'priority', 'assignees'] as const;
export type EditableField = (typeof EDITABLE_FIELDS)[number];
export type TicketFields = Pick<TicketState, EditableField>;

/** Text sizes the core accepts; the wire schemas (src/wire/) use them too. */
export const TEXT_LIMITS = { subject: 500, text: 50_000, version: 64 } as const;

/** R5 screenshots: the image types kept (read from the bytes), of at most this size (a 4K PNG fits). */
export const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/webp', 'image/gif'] as const;
export type ImageType = (typeof IMAGE_TYPES)[number];
export const ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024;

export interface NewDraft {
  id: string;
  createdAt: Date;
  channel?: Channel;
  callerNumber?: string | null;
  callIds?: string[];
  originCallId?: string | null;
  callbackNeeded?: boolean;
  parentId?: string | null;
  assignees?: string[];
  priority?: Priority;
  subject?: string;
  description?: string;
  technicalDetails?: string;
  productVersion?: string;
  contactId?: string | null;
  organisationId?: string | null;
}

/** A fresh draft: it has an id but no number, and nothing in the journal yet (R6 working notes). */
export function newDraft(init: NewDraft): TicketState {
  return {
    id: init.id,
    number: null,
    status: 'draft',
    priority: init.priority ?? DEFAULT_PRIORITY,
    channel: init.channel ?? 'phone',
    subject: init.subject ?? '',
    description: init.description ?? '',
    technicalDetails: init.technicalDetails ?? '',
    productVersion: init.productVersion ?? '',
    fixedIn: '',
    contactId: init.contactId ?? null,
    organisationId: init.organisationId ?? null,
    solution: null,
    callerNumber: init.callerNumber ?? null,
    assignees: [...(init.assignees ?? [])],
    callIds: [...(init.callIds ?? [])],
    originCallId: init.originCallId ?? null,
    callbackNeeded: init.callbackNeeded ?? false,
    callbackDueAt: null,
    parentId: init.parentId ?? null,
    createdAt: init.createdAt,
    registeredAt: null,
    completedAt: null,
    closedAt: null,
    closeReason: null,
    discardReason: null,
    autoCloseAt: null,
    numberTold: false,
    customerWroteAt: null,
    version: 1,
  };
}

/** The journal number: year of registration in support time, then at least six digits (`2026-000042`). */
export function formatTicketNumber(year: number, sequence: number): string {
  if (!Number.isInteger(year) || !Number.isInteger(sequence) || sequence < 1) {
    throw new RangeError(`no journal number for year ${year}, sequence ${sequence}`);
  }
  return `${year}-${String(sequence).padStart(6, '0')}`;
}

const NUMBER = /^(\d{4})-(\d{6,})$/;

/** Reads `2026-000042` back into its parts; null if it is not a journal number. */
export function parseTicketNumber(s: string): { year: number; sequence: number } | null {
  const m = NUMBER.exec(s.trim());
  if (!m) return null;
  const sequence = Number(m[2]);
  return sequence >= 1 ? { year: Number(m[1]), sequence } : null;
}

/** The year whose sequence numbers a request registered at `at` (Moscow New Year, not UTC's). */
export function registrationYear(at: Date, timezone: string): number {
  return DateTime.fromJSDate(at, { zone: timezone }).year;
}

// ---- Journal (R6) ----

/** A customer's word relayed by an agent (R8, R9, R11, R10 restart). */
export const CUSTOMER_DECISIONS = ['disagreed', 'confirmed', 'withdrew', 'contacted'] as const;
export type CustomerDecision = (typeof CUSTOMER_DECISIONS)[number];

/** How a customer's decision reached support when not relayed by an agent: the link in a mail. */
export type DecisionChannel = 'link';

/** Why ownership moved without anyone editing: the call was answered or transferred. */
export const ASSIGN_REASONS = ['answered', 'transferred'] as const;
export type AssignReason = (typeof ASSIGN_REASONS)[number];

/** `data` of each journal entry kind. Times are ISO 8601 strings (it is stored as jsonb). */
export interface JournalEventData {
  /** R1/R6: the content at registration, journaled once. `number` is filled by `withNumber`. */
  registered: {
    number: string | null;
    subject: string;
    description: string;
    technicalDetails: string;
    priority: Priority;
    assignees: string[];
    channel: Channel;
    callerNumber: string | null;
    callIds: string[];
    parentId: string | null;
  };
  /** Every status change, with what closed / discarded it. */
  status_changed: {
    from: TicketStatus;
    to: TicketStatus;
    closeReason?: CloseReason;
    discardReason?: DiscardReason;
    comment?: string;
    /** R10 deadline set on completion, or the one reached on auto-close. */
    autoCloseAt?: string;
    /** For discards as `duplicate` / `linked`: the request it duplicates or belongs to. */
    relatedTicketId?: string;
  };
  /** One per field changed after registration. */
  field_changed:
    | { field: 'subject' | 'description' | 'technicalDetails' | 'productVersion' | 'fixedIn'; from: string; to: string }
    | { field: 'priority'; from: Priority; to: Priority }
    | { field: 'contactId' | 'organisationId'; from: string | null; to: string | null }
    | { field: 'assignees'; from: string[]; to: string[] };
  /** `toCustomer`: sent to the customer by e-mail (an agent's reply). */
  comment: { text: string; toCustomer?: true };
  /** R7: the solution delivered. */
  solution: { text: string };
  /** R8/R9/R11/R10-restart, entered by `relayedBy` (an agent) on the customer's behalf. */
  customer_decision: {
    decision: CustomerDecision;
    comment: string | null;
    relayedBy: string | null;
    callId: string | null;
    /** For `contacted`: the restarted R10 deadline. */
    autoCloseAt?: string;
    /** Set when the customer decided themselves (`link`: the page of a mail's link). */
    channel?: DecisionChannel;
  };
  /**
   * The customer's own words (an e-mail on the request's thread). `notSolved`: a reply to a completed
   * request saying it is not solved, for the assignee to relay as disagreement (R8).
   */
  customer_message: { text: string; channel: 'email'; messageId: string; notSolved: boolean; autoCloseAt?: string };
  /** R2. */
  number_told: { number: string | null };
  call_linked: { callId: string };
  /** Ownership moved with the call (answer, transfer). */
  assigned: { from: string[]; to: string[]; reason: AssignReason; callId: string | null };
}

export type JournalEventKind = keyof JournalEventData;
export const JOURNAL_EVENT_KINDS = [
  'registered',
  'status_changed',
  'field_changed',
  'comment',
  'solution',
  'customer_decision',
  'customer_message',
  'number_told',
  'call_linked',
  'assigned',
] as const satisfies readonly JournalEventKind[];

/** A journal entry as the core decides it; persistence adds id, ticketId, at and actor. */
export type JournalEvent = {
  [K in JournalEventKind]: {
    kind: K;
    data: JournalEventData[K];
    /** `customer` when the entry is the customer's decision relayed by the actor. */
    onBehalfOf: 'customer' | null;
    /** The call the entry came on (the one being linked, for `call_linked`). */
    callId: string | null;
  };
}[JournalEventKind];
// Compile-time check that the list names every kind.
const _everyKindListed: [Exclude<JournalEventKind, (typeof JOURNAL_EVENT_KINDS)[number]>] extends [never] ? true : never = true;
void _everyKindListed;
