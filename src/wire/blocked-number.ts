import { Type, type Static } from '@sinclair/typebox';

const NStr = Type.Union([Type.String(), Type.Null()]);

export const BlockedNumberBody = Type.Object({
  id: Type.String(),
  /** E.164. */
  number: Type.String(),
  reason: Type.String(),
  /** When the block ends; null: until unblocked. */
  until: NStr,
  /** Not expired yet: calls from the number are blocked now. */
  active: Type.Boolean(),
  createdBy: Type.Union([Type.Object({ id: Type.String(), login: NStr }), Type.Null()]),
  createdAt: Type.String(),
});
export type BlockedNumber = Static<typeof BlockedNumberBody>;

export const CreateBlockedNumberBody = Type.Object(
  {
    /** Any form a person types (89111234567, +7 911 123-45-67…): stored in E.164. */
    number: Type.String({ minLength: 1, maxLength: 40 }),
    reason: Type.String({ minLength: 1, maxLength: 500 }),
    /** When the block ends (in the future); absent or null: until unblocked. */
    until: Type.Optional(Type.Union([Type.String({ format: 'date-time' }), Type.Null()])),
  },
  { additionalProperties: false },
);
export type CreateBlockedNumberBody = Static<typeof CreateBlockedNumberBody>;

export const BlockedNumberListQuery = Type.Object(
  { all: Type.Optional(Type.Boolean({ description: 'include the expired entries' })) },
  { additionalProperties: false },
);
export type BlockedNumberListQuery = Static<typeof BlockedNumberListQuery>;
