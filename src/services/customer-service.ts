// The customer directory's use cases: contacts and organisations created, changed, found; a
// contact's personal data erased on request (152-FZ), their requests kept.
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { checkContact, checkOrganisation, ERASED_NAME, type ContactInput, type OrganisationInput } from '../customers/customer';
import {
  contactById,
  eraseContact,
  findContacts,
  findOrganisations,
  insertContact,
  insertOrganisation,
  organisationById,
  requestsOfContact,
  updateContact,
  updateOrganisation,
  type ContactRow,
  type ContactSearch,
  type OrganisationRow,
} from '../db/customers';
import { toE164 } from '../calls/numbers';
import { appendJournal } from '../db/ticket-store';
import { writeAudit, type Actor } from '../db/audit-log';
import { NotFound, ValidationError } from '../tickets/errors';
import type { Contact, Organisation } from '../wire/customer';

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

export const contactView = (r: ContactRow): Contact => ({
  id: r.id,
  name: r.name,
  phones: r.phones,
  emails: r.emails,
  organisationId: r.organisation_id,
  organisationName: r.organisation_name,
  position: r.position,
  note: r.note,
  erasedAt: iso(r.erased_at),
  createdAt: iso(r.created_at)!,
});

const organisationView = (r: OrganisationRow): Organisation => ({ id: r.id, name: r.name, inn: r.inn, note: r.note, contacts: r.contacts, createdAt: iso(r.created_at)! });

const checked = <T>(v: T | ValidationError): T => {
  if (v instanceof ValidationError) throw v;
  return v;
};

export class CustomerService {
  constructor(private readonly ds: DataSource) {}

  async contacts(s: ContactSearch): Promise<Contact[]> {
    // A phone in any form a person types it.
    const phone = s.phone ? (toE164(s.phone) ?? s.phone) : undefined;
    return (await findContacts(this.ds, { ...s, phone })).map(contactView);
  }

  async contact(id: string): Promise<Contact> {
    const row = await contactById(this.ds, id);
    if (!row) throw new NotFound('contact', id);
    return contactView(row);
  }

  async createContact(input: ContactInput): Promise<Contact> {
    const c = checked(checkContact(input, true));
    await this.mustExist(c.organisationId);
    const id = randomUUID();
    await insertContact(this.ds, { id, name: c.name!, phones: c.phones ?? [], emails: c.emails ?? [], organisationId: c.organisationId ?? null, position: c.position ?? '', note: c.note ?? '' });
    return this.contact(id);
  }

  async updateContact(id: string, input: ContactInput): Promise<Contact> {
    const c = checked(checkContact(input, false));
    await this.mustExist(c.organisationId);
    if (!(await updateContact(this.ds, id, c))) throw new NotFound('contact', id);
    return this.contact(id);
  }

  /**
   * 152-FZ: name, phones, e-mails, position and note go; the contact's requests and journal stay,
   * and each of those requests journals that (and who) erased its customer's data.
   */
  async eraseContact(id: string, by: Actor): Promise<Contact> {
    await this.ds.transaction(async (m) => {
      if (!(await eraseContact(m, id, ERASED_NAME))) throw new NotFound('contact', id);
      const now = new Date();
      for (const ticketId of await requestsOfContact(m, id)) {
        await appendJournal(m, ticketId, now, by.id, [{ kind: 'customer_erased', data: { contactId: id }, onBehalfOf: null, callId: null }]);
      }
      // Who was erased is not kept: the id only.
      await writeAudit(m, by, 'contact.erased', id);
    });
    return this.contact(id);
  }

  async organisations(q: string | undefined, limit: number): Promise<Organisation[]> {
    return (await findOrganisations(this.ds, q, limit)).map(organisationView);
  }

  async organisation(id: string): Promise<Organisation> {
    const row = await organisationById(this.ds, id);
    if (!row) throw new NotFound('organisation', id);
    return organisationView(row);
  }

  async createOrganisation(input: OrganisationInput): Promise<Organisation> {
    const o = checked(checkOrganisation(input, true));
    const id = randomUUID();
    await insertOrganisation(this.ds, { id, name: o.name!, inn: o.inn ?? '', note: o.note ?? '' });
    return this.organisation(id);
  }

  async updateOrganisation(id: string, input: OrganisationInput): Promise<Organisation> {
    const o = checked(checkOrganisation(input, false));
    if (!(await updateOrganisation(this.ds, id, o))) throw new NotFound('organisation', id);
    return this.organisation(id);
  }

  private async mustExist(organisationId: string | null | undefined): Promise<void> {
    if (organisationId && !(await organisationById(this.ds, organisationId))) {
      throw new ValidationError('organisationId', `body field 'organisationId' names an unknown organisation`);
    }
  }
}
