// The e-mail channel's shapes: the mails calldesk sent (or is sending) a request's customer, the
// customers' mails a request received, and the admins' quarantine of mail that could not be read.
import { Type, type Static } from '@sinclair/typebox';
import { Iso, NullableIso, Nullable } from './common';

// ---- sent (the outbox)

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

// ---- received (the intake) and the quarantine

export const QuarantinedMailBody = Type.Object({
  id: Type.String({ format: 'uuid' }),
  receivedAt: Iso,
  from: Nullable(Type.String({ description: 'the sender, when one could be read' })),
  subject: Type.String(),
  reason: Type.String({ description: 'why it could not be read' }),
});
export type QuarantinedMailBody = Static<typeof QuarantinedMailBody>;

export const MailRetryResult = Type.Object({
  outcome: Type.String({ description: 'request, reply, bounce, ignored, or quarantined again' }),
  ticketId: Nullable(Type.String({ format: 'uuid' })),
  reason: Nullable(Type.String()),
});
export type MailRetryResult = Static<typeof MailRetryResult>;

export const RequestMailBody = Type.Object({
  id: Type.String({ format: 'uuid' }),
  messageId: Type.String(),
  from: Nullable(Type.String()),
  subject: Type.String(),
  receivedAt: Iso,
  outcome: Type.String({ description: 'request (it opened the request), reply, bounce' }),
  attachments: Type.Array(
    Type.Object({
      id: Type.String({ format: 'uuid' }),
      filename: Type.String(),
      contentType: Type.String(),
      size: Type.Integer(),
      kept: Type.Boolean({ description: 'false when it was over MAIL_ATTACHMENT_MAX_BYTES (it is still in the raw message)' }),
    }),
  ),
});
export type RequestMailBody = Static<typeof RequestMailBody>;
