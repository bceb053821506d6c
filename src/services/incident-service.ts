// Incidents: when many customers call about one outage, a supervisor makes one parent request and
// links each caller's own draft or request to it (R4: every customer keeps their own number);
// when the parent is completed, its solution completes the children that are registered, each
// through the same command (and journal) as a person completing it.
import type { DataSource } from 'typeorm';
import type { AuthAgent } from '../auth/sessions';
import type { TicketRow } from '../db/rows';
import type { TicketQueries } from '../db/ticket-queries';
import { appendJournal } from '../db/ticket-store';
import { conflict } from '../http/errors';
import { NotFound, ValidationError } from '../tickets/errors';
import type { Priority } from '../tickets/vocabulary';
import type { TicketService } from './ticket-service';

export interface IncidentServiceDeps {
  ds: DataSource;
  tickets: TicketService;
  queries: TicketQueries;
  /** Tells the sockets a request changed. */
  publish: (row: TicketRow) => void;
}

export interface NewIncident {
  subject: string;
  description: string;
  priority?: Priority;
  callIds: string[];
}

/** The callers' requests an incident takes in: not yet closed, not already someone's child. */
const JOINABLE = `t.status IN ('draft', 'registered', 'in_progress') AND t.parent_id IS NULL`;

export class IncidentService {
  constructor(private readonly d: IncidentServiceDeps) {}

  /** The parent request, registered, with the calls' requests linked to it. */
  async create(input: NewIncident, agent: AuthAgent): Promise<{ incident: TicketRow; linked: string[] }> {
    const known: { id: string }[] = await this.d.ds.query(`SELECT id FROM call WHERE id = ANY($1::uuid[])`, [input.callIds]);
    if (known.length !== new Set(input.callIds).size) throw new ValidationError('callIds', `body field 'callIds' names an unknown call`);
    const incident = await this.d.tickets.create(
      { subject: input.subject, description: input.description, priority: input.priority ?? 'critical', channel: 'other', register: true },
      agent,
    );
    const children: { id: string }[] = await this.d.ds.query(
      `SELECT DISTINCT t.id FROM ticket_call tc JOIN ticket t ON t.id = tc.ticket_id WHERE tc.call_id = ANY($1::uuid[]) AND ${JOINABLE} AND t.id <> $2`,
      [input.callIds, incident.id],
    );
    const linked: string[] = [];
    for (const { id } of children) if (await this.link(id, incident, agent)) linked.push(id);
    return { incident: (await this.d.queries.row(incident.id)) ?? incident, linked };
  }

  /** Links one request to the incident, journaled on both; false when it became unjoinable meanwhile. */
  private async link(childId: string, incident: TicketRow, agent: AuthAgent): Promise<boolean> {
    let joined = false;
    await this.d.tickets.amend(childId, agent, {}, async (m, state, now) => {
      const rows = await m.query(
        `UPDATE ticket t SET parent_id = $2, version = version + 1, updated_at = $3 WHERE t.id = $1 AND ${JOINABLE} RETURNING t.id`,
        [childId, incident.id, now],
      );
      joined = rows.length > 0;
      if (!joined) return [];
      await appendJournal(m, incident.id, now, agent.id, [
        { kind: 'linked_request', data: { ticketId: childId, number: state.number, relation: 'child' }, onBehalfOf: null, callId: null },
      ]);
      return [{ kind: 'linked_request', data: { ticketId: incident.id, number: incident.number, relation: 'parent' }, onBehalfOf: null, callId: null }];
    });
    if (joined) {
      const row = await this.d.queries.row(childId);
      if (row) this.d.publish(row);
    }
    return joined;
  }

  /** Completes the incident's registered children with its solution; drafts are left for their agents to register. */
  async completeChildren(parentId: string, agent: AuthAgent): Promise<{ completed: string[]; left: string[] }> {
    const parent = await this.d.queries.row(parentId);
    if (!parent) throw new NotFound('request', parentId);
    if (parent.status !== 'completed' && parent.status !== 'closed') throw conflict('the incident is not completed yet: complete it with its solution first', { error: 'incident_not_completed' });
    const children: { id: string; status: string }[] = await this.d.ds.query(`SELECT id, status FROM ticket WHERE parent_id = $1 ORDER BY created_at`, [parentId]);
    const completed: string[] = [];
    const left: string[] = [];
    for (const c of children) {
      if (c.status !== 'registered' && c.status !== 'in_progress') {
        if (c.status === 'draft') left.push(c.id);
        continue;
      }
      // A registered one is taken into work first, as a person would (both journaled).
      if (c.status === 'registered') await this.d.tickets.execute(c.id, { type: 'start' }, agent);
      await this.d.tickets.execute(c.id, { type: 'complete', solution: parent.solution ?? '' }, agent);
      completed.push(c.id);
    }
    return { completed, left };
  }
}
