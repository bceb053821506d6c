import { Type, type Static } from '@sinclair/typebox';
import { IMAGE_TYPES } from '../tickets/ticket';

const Uuid = Type.String({ format: 'uuid' });

/** A screenshot of a request (R5). */
export const AttachmentBody = Type.Object({
  id: Uuid,
  ticketId: Uuid,
  fileName: Type.String(),
  contentType: Type.Union(IMAGE_TYPES.map((t) => Type.Literal(t))),
  size: Type.Integer(),
  sha256: Type.String(),
  uploadedBy: Type.Union([Type.Object({ id: Type.String(), login: Type.String(), name: Type.String() }), Type.Null()]),
  uploadedAt: Type.String({ format: 'date-time' }),
  url: Type.String(),
});
export type Attachment = Static<typeof AttachmentBody>;
