// Incidents (supervisors): make one from a surge's calls; complete its children with its solution.
import type { FastifyInstance } from 'fastify';
import type { IncidentService } from '../../services/incident-service';
import { ticketView } from '../../views/ticket-view';
import { IdParams, errorResponses } from '../../wire/common';
import { ChildrenCompletedBody, CreateIncidentBody, IncidentCreatedBody, type CreateIncident } from '../../wire/incident';

export function incidentRoutes(app: FastifyInstance, deps: { incidents: IncidentService }): void {
  app.post<{ Body: CreateIncident }>(
    '/api/incidents',
    {
      schema: {
        tags: ['supervision'],
        summary: 'Supervisors: a parent request for many calls about one outage; the calls’ drafts and requests become its children',
        body: CreateIncidentBody,
        response: { 201: IncidentCreatedBody, ...errorResponses },
      },
    },
    async (req, reply) => {
      const agent = req.agent!;
      const { incident, linked } = await deps.incidents.create(req.body, agent);
      return reply.code(201).send({ incident: ticketView(incident), linked });
    },
  );

  app.post<{ Params: { id: string } }>(
    '/api/tickets/:id/complete-children',
    {
      schema: {
        tags: ['supervision'],
        summary: 'Supervisors: complete a completed incident’s registered children with its solution (each journaled)',
        params: IdParams,
        response: { 200: ChildrenCompletedBody, ...errorResponses },
      },
    },
    async (req) => {
      const agent = req.agent!;
      return deps.incidents.completeChildren(req.params.id, agent);
    },
  );
}
