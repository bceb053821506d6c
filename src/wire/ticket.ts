import { Type, type Static } from '@sinclair/typebox';
import { CHANNELS, CLOSE_REASONS, LIST_VIEWS, DISCARD_REASONS, PRIORITIES, TICKET_STATUSES, TEXT_LIMITS } from '../tickets/ticket';
import { PAGE_ACTIONS } from '../tickets/actions';
import { AttachmentBody } from './attachment';
import { CallBody } from './call';
import { Limit } from './common';

const Str = Type.String();
const NStr = Type.Union([Type.String(), Type.Null()]);
const lit = <T extends string>(xs: readonly T[]) => Type.Union(xs.map((x) => Type.Literal(x)));
export const Priority = lit(PRIORITIES);
export const Status = lit(TICKET_STATUSES);

export const TicketBody = Type.Object({
  id: Str,
  number: NStr,
  status: Status,
  priority: Priority,
  channel: lit(CHANNELS),
  subject: Str,
  description: Str,
  technicalDetails: Str,
  /** The customer's installed release; '' when not known. */
  productVersion: Str,
  /** The release that fixes it; '' until known. */
  fixedIn: Str,
  /** Who the customer is (the directory's contact and organisation), null when not known. */
  customer: Type.Union([Type.Object({ contactId: NStr, name: NStr, organisationId: NStr, organisationName: NStr }), Type.Null()]),
  solution: NStr,
  callerNumber: NStr,
  assignees: Type.Array(Str),
  callIds: Type.Array(Str),
  originCallId: NStr,
  parentId: NStr,
  callbackNeeded: Type.Boolean(),
  /** When the call back of a missed call is due: 2 hours of support time after it (null: none waiting). */
  callbackDueAt: NStr,
  numberTold: Type.Boolean(),
  /** The customer wrote (or disagreed) by themselves and no agent has acted since: they wait for an answer. */
  customerWroteAt: NStr,
  /** The address an e-mailed request came from (null for the other channels). */
  senderEmail: NStr,
  createdAt: Str,
  registeredAt: NStr,
  completedAt: NStr,
  closedAt: NStr,
  closeReason: NStr,
  discardReason: NStr,
  autoCloseAt: NStr,
  version: Type.Integer(),
  updatedAt: Str,
});
export type Ticket = Static<typeof TicketBody>;

export const JournalEntryBody = Type.Object({
  id: Str,
  ticketId: Str,
  at: Str,
  actor: Type.Union([Type.Object({ id: Str, login: Str, name: Str }), Type.Null()]),
  onBehalfOf: NStr,
  callId: NStr,
  kind: Str,
  data: Type.Record(Type.String(), Type.Unknown()),
});

/** One request with everything its page shows, and what the user asking may do to it now. */
export const TicketDetailBody = Type.Intersect([
  TicketBody,
  Type.Object({
    calls: Type.Array(CallBody),
    journal: Type.Array(JournalEntryBody),
    attachments: Type.Array(AttachmentBody),
    actions: Type.Array(lit(PAGE_ACTIONS)),
  }),
]);
export type TicketDetail = Static<typeof TicketDetailBody>;
export type JournalEntry = Static<typeof JournalEntryBody>;

const Subject = Type.String({ maxLength: TEXT_LIMITS.subject });
const Text = Type.String({ maxLength: TEXT_LIMITS.text });
const Release = Type.String({ maxLength: TEXT_LIMITS.version });
const Uuid = Type.String({ format: 'uuid' });

export const TicketListQuery = Type.Object(
  {
    /** mine (not closed, assigned to me), unassigned (registered, nobody's), open (not closed), awaiting (completed), closed. */
    view: Type.Optional(lit(LIST_VIEWS)),
    status: Type.Optional(Type.Array(Status, { maxItems: 6 })),
    priority: Type.Optional(Priority),
    assignee: Type.Optional(Uuid),
    number: Type.Optional(Type.String({ maxLength: 32 })),
    callerNumber: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
    callbackNeeded: Type.Optional(Type.Boolean()),
    /** Requests whose customer wrote and waits for an agent to act (true), or not (false). */
    customerWaits: Type.Optional(Type.Boolean()),
    contactId: Type.Optional(Uuid),
    organisationId: Type.Optional(Uuid),
    /** An incident's requests: those linked to it as children. */
    parentId: Type.Optional(Uuid),
    channel: Type.Optional(lit(CHANNELS)),
    productVersion: Type.Optional(Release),
    fixedIn: Type.Optional(Release),
    q: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    since: Type.Optional(Type.String({ format: 'date-time' })),
    until: Type.Optional(Type.String({ format: 'date-time' })),
    sort: Type.Optional(Type.Union([Type.Literal('priority'), Type.Literal('newest')])),
    limit: Type.Optional(Limit),
    cursor: Type.Optional(Type.String({ maxLength: 300 })),
  },
  { additionalProperties: false },
);
export type TicketListQuery = Static<typeof TicketListQuery>;

export const CreateTicketBody = Type.Object(
  {
    subject: Type.Optional(Subject),
    description: Type.Optional(Text),
    technicalDetails: Type.Optional(Text),
    productVersion: Type.Optional(Release),
    contactId: Type.Optional(Uuid),
    priority: Type.Optional(Priority),
    /** How it came (default: `phone` with calls, else `web`). */
    channel: Type.Optional(lit(CHANNELS)),
    callerNumber: Type.Optional(Type.Union([Type.String({ maxLength: 40 }), Type.Null()])),
    callIds: Type.Optional(Type.Array(Uuid, { maxItems: 20 })),
    parentId: Type.Optional(Type.Union([Uuid, Type.Null()])),
    register: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type CreateTicketBody = Static<typeof CreateTicketBody>;

export const PatchTicketBody = Type.Object(
  {
    version: Type.Integer({ minimum: 1 }),
    subject: Type.Optional(Subject),
    description: Type.Optional(Text),
    technicalDetails: Type.Optional(Text),
    productVersion: Type.Optional(Release),
    fixedIn: Type.Optional(Release),
    /** The customer from the directory (null: none); the organisation follows the contact unless given. */
    contactId: Type.Optional(Type.Union([Uuid, Type.Null()])),
    organisationId: Type.Optional(Type.Union([Uuid, Type.Null()])),
    priority: Type.Optional(Priority),
    assignees: Type.Optional(Type.Array(Uuid, { minItems: 1, maxItems: 20 })),
  },
  { additionalProperties: false },
);
export type PatchTicketBody = Static<typeof PatchTicketBody>;

export const TransitionBody = Type.Object(
  {
    to: Status,
    reason: Type.Optional(Type.Union([...CLOSE_REASONS.map((r) => Type.Literal(r)), ...DISCARD_REASONS.map((r) => Type.Literal(r))])),
    comment: Type.Optional(Text),
    solution: Type.Optional(Text),
    version: Type.Optional(Type.Integer({ minimum: 1 })),
    callId: Type.Optional(Uuid),
    relatedTicketId: Type.Optional(Uuid),
  },
  { additionalProperties: false },
);
export type TransitionBody = Static<typeof TransitionBody>;

export const NumberToldBody = Type.Object({ version: Type.Optional(Type.Integer({ minimum: 1 })), callId: Type.Optional(Uuid) }, { additionalProperties: false });
export const CommentBody = Type.Object(
  {
    text: Type.String({ minLength: 1, maxLength: TEXT_LIMITS.text }),
    callId: Type.Optional(Uuid),
    /** «Ответить клиенту»: also mailed to the request's customer (409 when they have no e-mail or mail is not set up). */
    toCustomer: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export const ContactBody = Type.Object({ comment: Type.Optional(Text), callId: Type.Optional(Uuid) }, { additionalProperties: false });
export const LinkCallBody = Type.Object({ callId: Uuid }, { additionalProperties: false });
