import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { AUDIT_ACTIONS, type AuditLog } from '../../db/audit-log';
import { errorResponses, Iso, Limit, Nullable } from '../../wire/common';

const AuditQuery = Type.Object(
  {
    limit: Type.Optional(Limit),
    action: Type.Optional(Type.Union(AUDIT_ACTIONS.map((a) => Type.Literal(a)))),
    before: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,17}$' })),
  },
  { additionalProperties: false },
);

const AuditEntryBody = Type.Object({
  id: Type.String(),
  at: Iso,
  actor: Type.Object({ id: Nullable(Type.String()), login: Type.String() }),
  action: Type.String(),
  targetId: Nullable(Type.String()),
  details: Type.Record(Type.String(), Type.Unknown()),
});

export function auditRoutes(app: FastifyInstance, deps: { audit: AuditLog }) {
  app.get<{ Querystring: Static<typeof AuditQuery> }>(
    '/api/audit',
    {
      schema: {
        tags: ['agents'],
        summary: 'Admin: what staff did to accounts, blocked numbers and personal data, newest first (`before`: the last id of the previous page)',
        querystring: AuditQuery,
        response: { 200: Type.Object({ items: Type.Array(AuditEntryBody) }), ...errorResponses },
      },
    },
    async (req) => ({ items: await deps.audit.list({ limit: req.query.limit ?? 50, action: req.query.action, before: req.query.before }) }),
  );
}
