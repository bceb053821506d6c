import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { AgentService } from '../../services/agent-service';
import type { SessionService } from '../../auth/sessions';
import { requireRole } from '../auth';
import { AgentBody, ColleagueBody, CreateAgentBody, PatchAgentBody } from '../../wire/agent';
import { IdParams, errorResponses } from '../../wire/common';

export function agentRoutes(app: FastifyInstance, deps: { agents: AgentService; sessions: SessionService }) {
  app.get('/api/agents', { schema: { tags: ['agents'], summary: 'List agents (admin)', response: { 200: Type.Array(AgentBody) } } }, async (req) => {
    requireRole(req, 'admin');
    return deps.agents.list();
  });

  app.get(
    '/api/colleagues',
    { schema: { tags: ['agents'], summary: 'Active colleagues: names, extensions, roles (everyone signed in; for assigning)', response: { 200: Type.Array(ColleagueBody), ...errorResponses } } },
    async () => (await deps.agents.list()).filter((a) => a.active).map(({ id, login, name, role, extension }) => ({ id, login, name, role, extension })),
  );

  app.post<{ Body: CreateAgentBody }>(
    '/api/agents',
    { schema: { tags: ['agents'], summary: 'Create an agent (admin)', body: CreateAgentBody, response: { 201: AgentBody, ...errorResponses } } },
    async (req, reply) => {
      requireRole(req, 'admin');
      const agent = await deps.agents.create(req.body);
      return reply.code(201).send(agent);
    },
  );

  app.patch<{ Params: { id: string }; Body: PatchAgentBody }>(
    '/api/agents/:id',
    { schema: { tags: ['agents'], summary: 'Change an agent (admin)', params: IdParams, body: PatchAgentBody, response: { 200: AgentBody, ...errorResponses } } },
    async (req) => {
      requireRole(req, 'admin');
      const agent = await deps.agents.update(req.params.id, req.body);
      // Disabled or given a new password: their sessions were revoked; open sockets end now.
      deps.sessions.agentChanged(agent.id, req.body.active === false || req.body.password !== undefined);
      return agent;
    },
  );
}
