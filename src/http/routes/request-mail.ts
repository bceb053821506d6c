// The mails a request came with (the one that opened it, the customer's replies, bounces) and their
// kept attachments, for anyone signed in (as the request itself is).
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { DataSource } from 'typeorm';
import { mailAttachmentContent, mailOfRequest } from '../../db/mail-messages';
import { requestExists } from '../../db/ticket-store';
import { IdParams, errorResponses } from '../../wire/common';
import { RequestMailBody } from '../../wire/mail';
import { disposition } from '../content-disposition';
import { notFound } from '../errors';

export function requestMailRoutes(app: FastifyInstance, deps: { ds: DataSource }): void {
  app.get<{ Params: { id: string } }>(
    '/api/tickets/:id/mail',
    {
      schema: {
        tags: ['mail'],
        summary: "A request's mails, oldest first, with their attachments",
        params: IdParams,
        response: { 200: Type.Object({ items: Type.Array(RequestMailBody) }), ...errorResponses },
      },
    },
    async (req) => {
      if (!(await requestExists(deps.ds.manager, req.params.id))) throw notFound('request');
      return { items: await mailOfRequest(deps.ds, req.params.id) };
    },
  );

  app.get<{ Params: { id: string } }>(
    '/api/mail-attachments/:id',
    {
      schema: {
        tags: ['mail'],
        summary: "A mail attachment's bytes (downloaded, never shown inline)",
        params: IdParams,
        response: { ...errorResponses },
      },
    },
    async (req, reply) => {
      const a = await mailAttachmentContent(deps.ds, req.params.id);
      if (!a) throw notFound('attachment');
      return reply
        .header('content-type', 'application/octet-stream')
        .header('content-disposition', disposition('attachment', a.filename))
        .header('x-content-type-options', 'nosniff')
        .send(a.content);
    },
  );
}
