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
