// The customer directory over HTTP: contacts and organisations (everyone signed in reads and
// writes them: agents meet customers first); erasing a person's data is for admins.
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { CustomerService } from '../../services/customer-service';
import { IdParams, errorResponses } from '../../wire/common';
import {
  ContactBody,
  ContactListQuery,
  CreateContactBody,
  CreateOrganisationBody,
  OrganisationBody,
  OrganisationListQuery,
  PatchContactBody,
  PatchOrganisationBody,
} from '../../wire/customer';

type Id = { Params: { id: string } };

export function customerRoutes(app: FastifyInstance, deps: { customers: CustomerService }): void {
  const c = deps.customers;
  const contact = { 200: ContactBody, ...errorResponses };
  const organisation = { 200: OrganisationBody, ...errorResponses };
  const tags = ['customers'];

  app.get<{ Querystring: ContactListQuery }>(
    '/api/contacts',
    { schema: { tags, summary: 'Contacts: search by name, organisation or position (q), phone in any form, e-mail', querystring: ContactListQuery, response: { 200: Type.Object({ items: Type.Array(ContactBody) }), ...errorResponses } } },
    async (req) => ({ items: await c.contacts({ ...req.query, limit: req.query.limit ?? 50 }) }),
  );
  app.post<{ Body: CreateContactBody }>(
    '/api/contacts',
    { schema: { tags, summary: 'A new contact', body: CreateContactBody, response: { 201: ContactBody, ...errorResponses } } },
    async (req, reply) => reply.code(201).send(await c.createContact(req.body)),
  );
  app.get<Id>('/api/contacts/:id', { schema: { tags, summary: 'One contact', params: IdParams, response: contact } }, async (req) => c.contact(req.params.id));
  app.patch<Id & { Body: PatchContactBody }>(
    '/api/contacts/:id',
    { schema: { tags, summary: 'Change a contact', params: IdParams, body: PatchContactBody, response: contact } },
    async (req) => c.updateContact(req.params.id, req.body),
  );
  app.post<Id>(
    '/api/contacts/:id/erase',
    { schema: { tags, summary: 'Admin: erase the person’s data (152-FZ); their requests and journal stay', params: IdParams, response: contact } },
    async (req) => {
      const erased = await c.eraseContact(req.params.id, req.agent!);
      req.log.info({ contact: req.params.id, by: req.agent!.login }, 'contact data erased');
      return erased;
    },
  );

  app.get<{ Querystring: OrganisationListQuery }>(
    '/api/organisations',
    { schema: { tags, summary: 'Organisations: by name or INN', querystring: OrganisationListQuery, response: { 200: Type.Object({ items: Type.Array(OrganisationBody) }), ...errorResponses } } },
    async (req) => ({ items: await c.organisations(req.query.q, req.query.limit ?? 50) }),
  );
  app.post<{ Body: CreateOrganisationBody }>(
    '/api/organisations',
    { schema: { tags, summary: 'A new organisation', body: CreateOrganisationBody, response: { 201: OrganisationBody, ...errorResponses } } },
    async (req, reply) => reply.code(201).send(await c.createOrganisation(req.body)),
  );
  app.get<Id>('/api/organisations/:id', { schema: { tags, summary: 'One organisation', params: IdParams, response: organisation } }, async (req) => c.organisation(req.params.id));
  app.patch<Id & { Body: PatchOrganisationBody }>(
    '/api/organisations/:id',
    { schema: { tags, summary: 'Change an organisation', params: IdParams, body: PatchOrganisationBody, response: organisation } },
    async (req) => c.updateOrganisation(req.params.id, req.body),
  );
}
