import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import { AttachmentService } from '../../services/attachments';
import type { CallQueries } from '../../db/call-queries';
import type { TicketQueries } from '../../db/ticket-queries';
import type { TicketService } from '../../services/ticket-service';
import { ticketView } from '../../views/ticket-view';
import { notFound } from '../errors';
import { Conflict } from '../../tickets/errors';
import { checkPeriod } from '../period';
import { normalizeQueryNumber } from '../query-number';
import { attachmentRoutes } from './attachments';
import { IdParams, errorResponses } from '../../wire/common';
import {
  CommentBody,
  TicketDetailBody,
  ContactBody,
  CreateTicketBody,
  LinkCallBody,
  NumberToldBody,
  PatchTicketBody,
  TicketBody,
  TicketListQuery,
  TransitionBody,
} from '../../wire/ticket';

type Id = { Params: { id: string } };

export function ticketRoutes(
  app: FastifyInstance,
  deps: { tickets: TicketService; queries: TicketQueries; calls: CallQueries; attachments?: AttachmentService; /** Outgoing mail is set up. */ mailsCustomers?: boolean },
) {
  const one = { 200: TicketBody, ...errorResponses };
  // Screenshots (R5) belong to requests: served from here so the composition root needs no new wiring.
  const attachments = deps.attachments ?? new AttachmentService(deps.tickets.ds, deps.tickets);
  attachmentRoutes(app, { attachments });

  app.get<{ Querystring: TicketListQuery }>(
    '/api/tickets',
    {
      schema: {
        tags: ['tickets'],
        summary: 'Requests: by priority then age (R3) unless sort=newest; cursor pagination; q = full-text search',
        querystring: TicketListQuery,
        response: {
          200: Type.Object({
            items: Type.Array(TicketBody),
            nextCursor: Type.Union([Type.String(), Type.Null()]),
            /** On a list's first page (not a search's): how many match, exact up to 10,000 (`atLeast` beyond). */
            total: Type.Union([Type.Object({ count: Type.Integer(), atLeast: Type.Boolean() }), Type.Null()]),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const q = req.query;
      checkPeriod(q);
      return deps.queries.list({ ...q, me: req.agent!.id, callerNumber: normalizeQueryNumber(q.callerNumber), limit: q.limit ?? 50 });
    },
  );

  app.get<Id>(
    '/api/tickets/:id',
    {
      schema: {
        tags: ['tickets'],
        summary: 'One request with its calls and journal',
        params: IdParams,
        response: {
          200: TicketDetailBody,
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const row = await deps.queries.row(req.params.id);
      if (!row) throw notFound('request');
      const [journal, calls, files, actions] = await Promise.all([
        deps.queries.journal(row.id),
        Promise.all((row.call_ids ?? []).map((c) => deps.calls.get(c))),
        attachments.list(row.id),
        deps.tickets.actionsFor(row, req.agent!),
      ]);
      return { ...ticketView(row), calls: calls.filter((c) => c !== null), journal, attachments: files, actions };
    },
  );

  app.post<{ Body: CreateTicketBody }>(
    '/api/tickets',
    { schema: { tags: ['tickets'], summary: 'A new request, optionally linked to calls and/or a parent request (R4)', body: CreateTicketBody, response: { 201: TicketBody, ...errorResponses } } },
    async (req, reply) => {
      const row = await deps.tickets.create(req.body, req.agent!);
      return reply.code(201).send(ticketView(row));
    },
  );

  app.patch<Id & { Body: PatchTicketBody }>(
    '/api/tickets/:id',
    { schema: { tags: ['tickets'], summary: 'Change content, priority or assignees (stale version → 409)', params: IdParams, body: PatchTicketBody, response: one } },
    async (req) => {
      const { version, ...changes } = req.body;
      return ticketView(await deps.tickets.execute(req.params.id, { type: 'edit', changes }, req.agent, { expectedVersion: version }));
    },
  );

  app.post<Id & { Body: TransitionBody }>(
    '/api/tickets/:id/transitions',
    { schema: { tags: ['tickets'], summary: 'Move a request to another status (illegal → 409 with the allowed ones)', params: IdParams, body: TransitionBody, response: one } },
    async (req) => {
      const row = await deps.tickets.transition(req.params.id, req.body, req.agent!, { expectedVersion: req.body.version, callId: req.body.callId ?? null });
      return ticketView(row);
    },
  );

  app.post<Id & { Body: { version?: number; callId?: string } }>(
    '/api/tickets/:id/number-told',
    { schema: { tags: ['tickets'], summary: 'R2: the number was read out to the caller', params: IdParams, body: NumberToldBody, response: one } },
    async (req) =>
      ticketView(await deps.tickets.execute(req.params.id, { type: 'mark_number_told' }, req.agent, { expectedVersion: req.body?.version, callId: req.body?.callId ?? null })),
  );

  app.post<Id & { Body: { text: string; callId?: string; toCustomer?: boolean } }>(
    '/api/tickets/:id/comments',
    { schema: { tags: ['tickets'], summary: 'A comment in the journal; with toCustomer, also mailed to the customer («Ответить клиенту»)', params: IdParams, body: CommentBody, response: one } },
    async (req) => {
      const toCustomer = req.body.toCustomer === true;
      if (toCustomer && !deps.mailsCustomers) throw new Conflict('e-mail is not set up (MAIL_SMTP_URL): nothing can be sent to the customer', 'toCustomer');
      return ticketView(await deps.tickets.execute(req.params.id, { type: 'comment', text: req.body.text, toCustomer }, req.agent, { callId: req.body.callId ?? null }));
    },
  );

  app.post<Id & { Body: { comment?: string; callId?: string } }>(
    '/api/tickets/:id/customer-contact',
    { schema: { tags: ['tickets'], summary: 'R10: the customer was in touch without confirming or disagreeing (restarts the count)', params: IdParams, body: ContactBody, response: one } },
    async (req) =>
      ticketView(await deps.tickets.execute(req.params.id, { type: 'customer_contact', comment: req.body.comment ?? null }, req.agent, { callId: req.body.callId ?? null })),
  );

  app.post<Id & { Body: { callId: string } }>(
    '/api/tickets/:id/calls',
    { schema: { tags: ['tickets'], summary: "Link a call to this request (the call's own draft is discarded as linked)", params: IdParams, body: LinkCallBody, response: one } },
    async (req) => ticketView(await deps.tickets.linkCall(req.params.id, req.body.callId, req.agent!)),
  );
}
