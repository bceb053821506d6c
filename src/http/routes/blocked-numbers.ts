// Blocked numbers (supervisors and admins): their calls are logged, flagged `blocked`, and touch
// no request, pop up nowhere and count in no figure (the rule: calls/call.ts, ingest/).
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { BlockedNumbers } from '../../services/blocked-numbers';
import { BlockedNumberBody, BlockedNumberListQuery, CreateBlockedNumberBody } from '../../wire/blocked-number';
import { IdParams, errorResponses } from '../../wire/common';

export function blockedNumberRoutes(app: FastifyInstance, deps: { blocked: BlockedNumbers }): void {
  app.get<{ Querystring: BlockedNumberListQuery }>(
    '/api/blocked-numbers',
    {
      schema: {
        tags: ['blocked numbers'],
        summary: 'Supervisors: the blocked numbers, newest first (the active ones; `all=true` adds the expired)',
        querystring: BlockedNumberListQuery,
        response: { 200: Type.Object({ items: Type.Array(BlockedNumberBody) }), ...errorResponses },
      },
    },
    async (req) => {
      return { items: await deps.blocked.list(req.query.all === true) };
    },
  );

  app.post<{ Body: CreateBlockedNumberBody }>(
    '/api/blocked-numbers',
    {
      schema: {
        tags: ['blocked numbers'],
        summary: 'Supervisors: block a number (its calls from now on are logged only); blocked already → 409 already_blocked',
        body: CreateBlockedNumberBody,
        response: { 201: BlockedNumberBody, ...errorResponses },
      },
    },
    async (req, reply) => {
      const agent = req.agent!;
      const made = await deps.blocked.block(req.body, agent);
      return reply.code(201).send(made);
    },
  );

  app.delete<{ Params: { id: string } }>(
    '/api/blocked-numbers/:id',
    {
      schema: {
        tags: ['blocked numbers'],
        summary: 'Supervisors: unblock (the entry goes; calls already logged keep their flag)',
        params: IdParams,
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (req, reply) => {
      await deps.blocked.unblock(req.params.id, req.agent!);
      return reply.code(204).send();
    },
  );
}
