import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { AgentService } from '../../services/agent-service';
import type { SessionService } from '../../auth/sessions';
import { AgentBody, CreateAgentBody, PatchAgentBody } from '../../wire/agent';
import { IdParams, errorResponses } from '../../wire/common';

export function agentRoutes(app: FastifyInstance, deps: { agents: AgentService; sessions: SessionService }) {
  app.get(
    '/api/agents',
    {
      schema: {
        tags: ['agents'],
        summary: 'Agents: admins see every account; everyone else the active colleagues, public fields only (to assign, to name assignees)',
        response: { 200: Type.Array(AgentBody), ...errorResponses },
      },
    },
    async (req) => {
      const all = await deps.agents.list();
      if (req.agent!.role === 'admin') return all;
      return all.filter((a) => a.active).map(({ id, login, name, role, extension, active }) => ({ id, login, name, role, extension, active }));
    },
  );

  app.post<{ Body: CreateAgentBody }>(
    '/api/agents',
    { schema: { tags: ['agents'], summary: 'Create an agent (admin)', body: CreateAgentBody, response: { 201: AgentBody, ...errorResponses } } },
    async (req, reply) => {
      const agent = await deps.agents.create(req.body, req.agent!);
      return reply.code(201).send(agent);
    },
  );

  app.patch<{ Params: { id: string }; Body: PatchAgentBody }>(
    '/api/agents/:id',
    { schema: { tags: ['agents'], summary: 'Change an agent (admin)', params: IdParams, body: PatchAgentBody, response: { 200: AgentBody, ...errorResponses } } },
    async (req) => {
      const agent = await deps.agents.update(req.params.id, req.body, req.agent!);
      // Disabled or given a new password: their sessions were revoked; open sockets end now.
      deps.sessions.agentChanged(agent.id, req.body.active === false || req.body.password !== undefined);
      return agent;
    },
  );
}
