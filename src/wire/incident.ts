// Incidents: one parent request for many customers' calls about one outage.
import { Type, type Static } from '@sinclair/typebox';
import { TEXT_LIMITS } from '../tickets/ticket';
import { Priority, TicketBody } from './ticket';

export const CreateIncidentBody = Type.Object(
  {
    subject: Type.String({ minLength: 1, maxLength: TEXT_LIMITS.subject, pattern: '\\S' }),
    /** What the customers report (R1/R5: a request is registered with its description). */
    description: Type.String({ minLength: 1, maxLength: TEXT_LIMITS.text, pattern: '\\S' }),
    priority: Type.Optional(Priority),
    /** The calls whose drafts and requests become the incident's children (a surge's `callIds`). */
    callIds: Type.Array(Type.String({ format: 'uuid' }), { minItems: 1, maxItems: 1000 }),
  },
  { additionalProperties: false },
);
export type CreateIncident = Static<typeof CreateIncidentBody>;

export const IncidentCreatedBody = Type.Object({ incident: TicketBody, linked: Type.Array(Type.String()) }, { additionalProperties: false });

export const ChildrenCompletedBody = Type.Object(
  {
    /** Children completed now with the incident's solution. */
    completed: Type.Array(Type.String()),
    /** Children still drafts: their agents register them first. */
    left: Type.Array(Type.String()),
  },
  { additionalProperties: false },
);
