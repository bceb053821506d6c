// The mails calldesk sent (or is sending) a request's customer, as the request page lists them.
import { Type, type Static } from '@sinclair/typebox';
import { Iso, NullableIso, Nullable } from './common';

export const TicketMailBody = Type.Object({
  id: Type.String(),
  kind: Type.Union([Type.Literal('acknowledgement'), Type.Literal('reply'), Type.Literal('completion')]),
  to: Type.String(),
  subject: Type.String(),
  messageId: Type.String(),
  /** `pending` (waiting or being retried), `sending`, `sent`, `failed` (refused for good: see lastError). */
  status: Type.Union([Type.Literal('pending'), Type.Literal('sending'), Type.Literal('sent'), Type.Literal('failed')]),
  attempts: Type.Integer(),
  lastError: Nullable(Type.String()),
  createdAt: Iso,
  sentAt: NullableIso,
});
export type TicketMail = Static<typeof TicketMailBody>;

export const TicketMailsBody = Type.Object({ items: Type.Array(TicketMailBody) });
