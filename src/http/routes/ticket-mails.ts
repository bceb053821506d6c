// `GET /api/tickets/:id/mails`: what was mailed to the request's customer and whether it went.
import type { FastifyInstance } from 'fastify';
import type { DataSource } from 'typeorm';
import { outboxMailsOf } from '../../db/mail-outbox';
import { requestExists } from '../../db/ticket-store';
import { IdParams, errorResponses } from '../../wire/common';
import { TicketMailsBody, type TicketMail } from '../../wire/mail';
import { notFound } from '../errors';

export function ticketMailRoutes(app: FastifyInstance, deps: { ds: DataSource }) {
  app.get<{ Params: { id: string } }>(
    '/api/tickets/:id/mails',
    { schema: { tags: ['tickets'], summary: "The mails sent to the request's customer (oldest first), with their delivery status", params: IdParams, response: { 200: TicketMailsBody, ...errorResponses } } },
    async (req) => {
      if (!(await requestExists(deps.ds.manager, req.params.id))) throw notFound('request');
      const rows = await outboxMailsOf(deps.ds, req.params.id);
      const items: TicketMail[] = rows.map((r) => ({
        id: r.id,
        kind: r.kind as TicketMail['kind'],
        to: r.recipient,
        subject: r.subject,
        messageId: r.message_id,
        status: r.status,
        attempts: r.attempts,
        lastError: r.last_error,
        createdAt: r.created_at.toISOString(),
        sentAt: r.sent_at ? r.sent_at.toISOString() : null,
      }));
      return { items };
    },
  );
}
