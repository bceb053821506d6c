import { Type, type Static } from '@sinclair/typebox';
import { ROLES } from '../tickets/roles';
import { MIN_PASSWORD_LENGTH } from '../auth/password-rules';

export const Role = Type.Union(ROLES.map((r) => Type.Literal(r)));
export const Extension = Type.String({ pattern: '^[0-9A-Za-z_*#+-]{1,32}$' });

export const AgentBody = Type.Object({
  id: Type.String(),
  login: Type.String(),
  name: Type.String(),
  role: Role,
  extension: Type.Union([Type.String(), Type.Null()]),
  active: Type.Boolean(),
  /** The password was set by an admin: the panel asks its owner for a new one before anything else. Admins and the agent themselves see it. */
  mustChangePassword: Type.Optional(Type.Boolean()),
  /** Admins and the agent themselves see it. */
  createdAt: Type.Optional(Type.String()),
});
export type Agent = Static<typeof AgentBody>;

export const AgentRefBody = Type.Object({
  id: Type.String(),
  login: Type.String(),
  extension: Type.Union([Type.String(), Type.Null()]),
});

export const CreateAgentBody = Type.Object(
  {
    login: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.@-]+$' }),
    password: Type.String({ minLength: MIN_PASSWORD_LENGTH, maxLength: 256 }),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    role: Type.Optional(Role),
    extension: Type.Optional(Type.Union([Extension, Type.Null()])),
    /** Default true: the new user chooses their own password at the first sign-in. */
    mustChangePassword: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type CreateAgentBody = Static<typeof CreateAgentBody>;

export const PatchAgentBody = Type.Object(
  {
    login: Type.Optional(Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.@-]+$' })),
    password: Type.Optional(Type.String({ minLength: MIN_PASSWORD_LENGTH, maxLength: 256 })),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    role: Type.Optional(Role),
    extension: Type.Optional(Type.Union([Extension, Type.Null()])),
    active: Type.Optional(Type.Boolean()),
    /** With `password` (a reset): default true, its owner changes it at the next sign-in. */
    mustChangePassword: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type PatchAgentBody = Static<typeof PatchAgentBody>;

export const ChangePasswordBody = Type.Object(
  {
    currentPassword: Type.String({ minLength: 1, maxLength: 256 }),
    newPassword: Type.String({ minLength: MIN_PASSWORD_LENGTH, maxLength: 256 }),
  },
  { additionalProperties: false },
);
export type ChangePasswordBody = Static<typeof ChangePasswordBody>;

export const LoginBody = Type.Object(
  {
    login: Type.String({ minLength: 1, maxLength: 64 }),
    password: Type.String({ minLength: 1, maxLength: 256 }),
  },
  { additionalProperties: false },
);
export type LoginBody = Static<typeof LoginBody>;
