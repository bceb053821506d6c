// Admins: the mail the intake could not read (no usable sender, structure or encoding that does
// not decode), kept in quarantine with the reason; read it again after a fix, or drop it.
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { MailIntakeService } from '../../services/mail-intake-service';
import { IdParams, errorResponses } from '../../wire/common';
import { MailRetryResult, QuarantinedMailBody } from '../../wire/mail';

export function adminMailRoutes(app: FastifyInstance, deps: { mail: MailIntakeService }): void {
  app.get(
    '/api/admin/mail',
    {
      schema: {
        tags: ['mail'],
        summary: 'Admins: the quarantine — incoming mail that could not be read, newest first, with the reason',
        response: { 200: Type.Object({ items: Type.Array(QuarantinedMailBody) }), ...errorResponses },
      },
    },
    async (req) => {
      return { items: await deps.mail.quarantine() };
    },
  );

  app.post<{ Params: { id: string } }>(
    '/api/admin/mail/:id/retry',
    {
      schema: {
        tags: ['mail'],
        summary: 'Admins: read a quarantined mail again; it stays in quarantine (outcome `quarantined`) if it still cannot be read',
        params: IdParams,
        response: { 200: MailRetryResult, ...errorResponses },
      },
    },
    async (req) => {
      const r = await deps.mail.retry(req.params.id);
      return { outcome: r.outcome, ticketId: r.ticketId, reason: r.reason };
    },
  );

  app.delete<{ Params: { id: string } }>(
    '/api/admin/mail/:id',
    {
      schema: {
        tags: ['mail'],
        summary: 'Admins: drop a quarantined mail (its bytes go; its Message-ID stays known so it is not read again)',
        params: IdParams,
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (req, reply) => {
      await deps.mail.drop(req.params.id);
      return reply.code(204).send();
    },
  );
}
