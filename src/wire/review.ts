// The review queue: what needs a supervisor's second look, and resolving it with a note.
import { Type, type Static } from '@sinclair/typebox';
import { REVIEW_KINDS } from '../supervision/review';
import { Iso, Nullable } from './common';

const NStr = Nullable(Type.String());

export const ReviewItemBody = Type.Object(
  {
    /** `<kind>:<subject id>`: stable while the cause lasts. */
    id: Type.String(),
    kind: Type.Union(REVIEW_KINDS.map((k) => Type.Literal(k))),
    since: Iso,
    callId: NStr,
    ticketId: NStr,
    detail: Type.Object(
      {
        ticketNumber: Type.Optional(NStr),
        callerNumber: Type.Optional(NStr),
        descriptionLength: Type.Optional(Type.Integer()),
        reopened: Type.Optional(Type.Integer()),
        dueAt: Type.Optional(Iso),
        customerWroteAt: Type.Optional(Iso),
        calls: Type.Optional(Type.Integer()),
        numbers: Type.Optional(Type.Integer()),
        from: Type.Optional(NStr),
        reason: Type.Optional(NStr),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);
export type ReviewItemView = Static<typeof ReviewItemBody>;

export const ReviewListBody = Type.Object({ items: Type.Array(ReviewItemBody) }, { additionalProperties: false });

export const ResolveReviewBody = Type.Object(
  { note: Type.String({ minLength: 1, maxLength: 2000, pattern: '\\S' }) },
  { additionalProperties: false },
);
export type ResolveReview = Static<typeof ResolveReviewBody>;

export const ReviewItemParams = Type.Object({ id: Type.String({ minLength: 3, maxLength: 120 }) });
