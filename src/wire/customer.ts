import { Type, type Static } from '@sinclair/typebox';
import { Limit } from './common';

const Str = Type.String();
const NStr = Type.Union([Type.String(), Type.Null()]);
const Uuid = Type.String({ format: 'uuid' });
const Name = Type.String({ minLength: 1, maxLength: 300 });
const Note = Type.String({ maxLength: 5000 });

export const ContactBody = Type.Object({
  id: Str,
  name: Str,
  /** E.164; the same number may belong to several contacts (an office's main line). */
  phones: Type.Array(Str),
  /** Lower-cased. */
  emails: Type.Array(Str),
  organisationId: NStr,
  organisationName: NStr,
  position: Str,
  note: Str,
  /** When an admin erased the person's data (152-FZ). */
  erasedAt: NStr,
  createdAt: Str,
});
export type Contact = Static<typeof ContactBody>;

export const OrganisationBody = Type.Object({
  id: Str,
  name: Str,
  inn: Str,
  note: Str,
  contacts: Type.Integer(),
  createdAt: Str,
});
export type Organisation = Static<typeof OrganisationBody>;

const contactFields = {
  name: Name,
  phones: Type.Array(Type.String({ minLength: 1, maxLength: 40 }), { maxItems: 20 }),
  emails: Type.Array(Type.String({ minLength: 3, maxLength: 254 }), { maxItems: 20 }),
  organisationId: Type.Union([Uuid, Type.Null()]),
  position: Type.String({ maxLength: 200 }),
  note: Note,
};
export const CreateContactBody = Type.Object(
  { ...contactFields, name: Name, phones: Type.Optional(contactFields.phones), emails: Type.Optional(contactFields.emails), organisationId: Type.Optional(contactFields.organisationId), position: Type.Optional(contactFields.position), note: Type.Optional(Note) },
  { additionalProperties: false },
);
export type CreateContactBody = Static<typeof CreateContactBody>;
export const PatchContactBody = Type.Partial(Type.Object(contactFields), { additionalProperties: false, minProperties: 1 });
export type PatchContactBody = Static<typeof PatchContactBody>;

export const ContactListQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    phone: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
    email: Type.Optional(Type.String({ minLength: 1, maxLength: 254 })),
    organisationId: Type.Optional(Uuid),
    limit: Type.Optional(Limit),
  },
  { additionalProperties: false },
);
export type ContactListQuery = Static<typeof ContactListQuery>;

const orgFields = { name: Name, inn: Type.String({ maxLength: 20 }), note: Note };
export const CreateOrganisationBody = Type.Object({ name: Name, inn: Type.Optional(orgFields.inn), note: Type.Optional(Note) }, { additionalProperties: false });
export type CreateOrganisationBody = Static<typeof CreateOrganisationBody>;
export const PatchOrganisationBody = Type.Partial(Type.Object(orgFields), { additionalProperties: false, minProperties: 1 });
export type PatchOrganisationBody = Static<typeof PatchOrganisationBody>;
export const OrganisationListQuery = Type.Object(
  { q: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })), limit: Type.Optional(Limit) },
  { additionalProperties: false },
);
export type OrganisationListQuery = Static<typeof OrganisationListQuery>;
