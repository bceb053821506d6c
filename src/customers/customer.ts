// Customers as the core sees them: an organisation and its contacts. Phones are E.164 and may
// repeat (an office's main line); e-mails are kept lower-cased so that any case matches. Plain
// data and checks, no I/O.
import { toE164 } from '../calls/numbers';
import { ValidationError } from '../tickets/errors';

export interface Organisation {
  id: string;
  name: string;
  /** Russian taxpayer number: 10 digits (a company) or 12 (a sole trader); '' when not known. */
  inn: string;
  note: string;
}

export interface Contact {
  id: string;
  name: string;
  phones: string[];
  emails: string[];
  organisationId: string | null;
  position: string;
  note: string;
  /** When an admin erased the person's data (152-FZ); their requests stay. */
  erasedAt: Date | null;
}

export type ContactInput = Partial<Pick<Contact, 'name' | 'phones' | 'emails' | 'organisationId' | 'position' | 'note'>>;
export type OrganisationInput = Partial<Pick<Organisation, 'name' | 'inn' | 'note'>>;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const INN = /^(\d{10}|\d{12})?$/;

/** What is erased of a contact (152-FZ): who they are; their requests and the journal stay. */
export const ERASED_NAME = 'Данные удалены';

/** A name, trimmed: required when creating, never blank when given. */
function checkName(value: string | undefined, creating: boolean, what: string): string | undefined | ValidationError {
  if (value === undefined && !creating) return undefined;
  const name = (value ?? '').trim();
  return name ? name : new ValidationError('name', `${what} needs a name`);
}

/** The contact's fields checked and normalised (phones to E.164, e-mails lower-cased, duplicates dropped). */
export function checkContact(input: ContactInput, creating: boolean): ContactInput | ValidationError {
  const out: ContactInput = { ...input };
  const name = checkName(input.name, creating, 'a contact');
  if (name instanceof ValidationError) return name;
  if (name !== undefined) out.name = name;
  if (input.phones !== undefined) {
    const phones: string[] = [];
    for (const raw of input.phones) {
      const e164 = toE164(raw);
      if (!e164) return new ValidationError('phones', `"${raw}" is not a phone number`);
      if (!phones.includes(e164)) phones.push(e164);
    }
    out.phones = phones;
  }
  if (input.emails !== undefined) {
    const emails: string[] = [];
    for (const raw of input.emails) {
      const e = raw.trim().toLowerCase();
      if (!EMAIL.test(e)) return new ValidationError('emails', `"${raw}" is not an e-mail address`);
      if (!emails.includes(e)) emails.push(e);
    }
    out.emails = emails;
  }
  for (const f of ['position', 'note'] as const) if (input[f] !== undefined) out[f] = input[f]!.trim();
  return out;
}

export function checkOrganisation(input: OrganisationInput, creating: boolean): OrganisationInput | ValidationError {
  const out: OrganisationInput = { ...input };
  const name = checkName(input.name, creating, 'an organisation');
  if (name instanceof ValidationError) return name;
  if (name !== undefined) out.name = name;
  if (input.inn !== undefined) {
    const inn = input.inn.replace(/\s/g, '');
    if (!INN.test(inn)) return new ValidationError('inn', 'the INN has 10 digits (a company) or 12 (a sole trader)');
    out.inn = inn;
  }
  if (input.note !== undefined) out.note = input.note.trim();
  return out;
}
