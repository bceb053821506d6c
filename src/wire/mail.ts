// The e-mail channel's admin API: the quarantine of mail that could not be read.
import { Type, type Static } from '@sinclair/typebox';
import { Iso, Nullable } from './common';

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
