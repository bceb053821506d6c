// Changing requests: every command goes through the lifecycle core (`authorize`, `decide`) inside
// one transaction that locks the request, checks its version, takes the journal number when
// registering (gapless: a counter row locked in the same transaction) and appends the journal.
import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import type { AuthAgent } from '../auth/sessions';
import { toE164 } from '../calls/numbers';
import type { BusinessCalendar } from '../calendar/business-calendar';
import { IllegalTransition, NotFound, StaleVersion, ValidationError } from '../tickets/errors';
import { allowedTransitions, authorize, commandForTransition, decide, relationOf, withNumber, type TicketCommand, type TransitionRequest } from '../tickets/lifecycle';
import { formatTicketNumber, newDraft, type Actor, type TicketFields, type TicketState, type TicketStatus } from '../tickets/ticket';
import { TICKET_SELECT, type TicketRow } from '../db/rows';
import type { AgentDirectory } from './agent-directory';
import type { TicketQueries } from '../db/ticket-queries';

export interface TicketServiceDeps {
  ds: DataSource;
  calendar: BusinessCalendar;
  directory: AgentDirectory;
  queries: TicketQueries;
  /** Told after every committed change (pushes `ticket.updated`). */
  onChange: (row: TicketRow) => void;
  now?: () => Date;
}

export interface CommandOptions {
  /** The version the client saw; a different current version is a conflict (409). */
  expectedVersion?: number;
  /** The call the actor is on (journaled with the entry). */
  callId?: string | null;
}

export interface NewTicketInput {
  subject?: string;
  description?: string;
  technicalDetails?: string;
  priority?: TicketFields['priority'];
  callerNumber?: string | null;
  callIds?: string[];
  parentId?: string | null;
  register?: boolean;
}

export function rowToState(r: TicketRow): TicketState {
  const d = (v: Date | string | null) => (v === null ? null : new Date(v));
  return {
    id: r.id,
    number: r.number,
    status: r.status as TicketState['status'],
    priority: r.priority as TicketState['priority'],
    channel: r.channel as TicketState['channel'],
    subject: r.subject,
    description: r.description,
    technicalDetails: r.technical_details,
    solution: r.solution,
    callerNumber: r.caller_number,
    assignees: r.assignees ?? [],
    callIds: r.call_ids ?? [],
    originCallId: r.origin_call_id,
    callbackNeeded: r.callback_needed,
    parentId: r.parent_id,
    createdAt: new Date(r.created_at),
    registeredAt: d(r.registered_at),
    completedAt: d(r.completed_at),
    closedAt: d(r.closed_at),
    closeReason: r.close_reason as TicketState['closeReason'],
    discardReason: r.discard_reason as TicketState['discardReason'],
    autoCloseAt: d(r.auto_close_at),
    numberTold: r.number_told,
    version: r.version,
  };
}

/** A journal entry to append; kinds beyond the core's are the service's own (`linked_request`, `attachment_added`). */
export interface JournalEntryInput {
  kind: string;
  data: unknown;
  onBehalfOf: string | null;
  callId: string | null;
}

// Statuses in which a request's content may still grow (matches the core's edit rule).
const OPEN_FOR_WORK: readonly TicketStatus[] = ['draft', 'registered', 'in_progress', 'completed'];

/** A command, or how to read one from the status found under the lock. */
export type CommandOf = TicketCommand | ((status: TicketStatus) => TicketCommand);

const actorOf = (agent: AuthAgent | null): Actor => (agent ? { agentId: agent.id, role: agent.role } : { agentId: null, role: 'system' });

export class TicketService {
  /** What "now" is for commands (a fixed clock lets tests walk business days through the API). */
  clock: () => Date;

  constructor(private readonly d: TicketServiceDeps) {
    this.clock = d.now ?? (() => new Date());
  }

  private now(): Date {
    return this.clock();
  }

  /** The database the requests live in (for services that add to them, like screenshots). */
  get ds(): DataSource {
    return this.d.ds;
  }

  /** Runs one command on one request; returns the request as stored after it. */
  async execute(id: string, command: CommandOf, agent: AuthAgent | null, opts: CommandOptions = {}, now?: Date): Promise<TicketRow> {
    const row = await this.d.ds.transaction((m) => this.executeIn(m, id, command, agent, opts, now));
    this.d.onChange(row);
    return row;
  }

  /**
   * `POST /transitions`: what `to` means depends on the status (to in_progress is start or reopen),
   * so the body is read as a command under the row lock, not from an earlier read.
   */
  async transition(id: string, request: TransitionRequest & { relatedTicketId?: string | null }, agent: AuthAgent, opts: CommandOptions = {}): Promise<TicketRow> {
    const resolve = (status: TicketStatus): TicketCommand => {
      const read = commandForTransition(request, status);
      if (!read.ok) throw read.error;
      return read.command.type === 'discard' && request.relatedTicketId ? { ...read.command, relatedTicketId: request.relatedTicketId } : read.command;
    };
    return this.execute(id, resolve, agent, opts);
  }

  /**
   * Work on a request that is not a lifecycle command (a screenshot): under the request's lock, once
   * `agent` may edit it (docs/requests.md, Who may do what) and it is still open; journals the entries `work` returns.
   */
  async amend(id: string, agent: AuthAgent, opts: CommandOptions, work: (m: EntityManager, state: TicketState, now: Date) => Promise<JournalEntryInput[]>): Promise<TicketRow> {
    return this.d.ds.transaction(async (m) => {
      const { row, state } = await this.lockState(m, id, opts);
      const edit: TicketCommand = { type: 'edit', changes: {} };
      await this.checkAccess(m, edit, state, agent);
      if (!OPEN_FOR_WORK.includes(state.status)) throw new IllegalTransition('edit', state.status, allowedTransitions(state.status));
      const now = this.now();
      await this.journal(m, id, now, agent.id, await work(m, state, now));
      return row;
    });
  }

  /** Locks the request, checks the client's version and the call it names; the state as stored. */
  private async lockState(m: EntityManager, id: string, opts: CommandOptions): Promise<{ row: TicketRow; state: TicketState }> {
    const locked = await m.query(`SELECT version FROM ticket WHERE id = $1 FOR UPDATE`, [id]);
    if (!locked[0]) throw new NotFound('request', id);
    if (opts.expectedVersion !== undefined && locked[0].version !== opts.expectedVersion) {
      throw new StaleVersion(opts.expectedVersion, locked[0].version);
    }
    if (opts.callId) {
      // The entry will name the call: an unknown one is the client's mistake, not a foreign-key crash.
      const call = await m.query(`SELECT 1 FROM call WHERE id = $1`, [opts.callId]);
      if (!call[0]) throw new ValidationError('callId', `body field 'callId' names an unknown call`);
    }
    const row: TicketRow = (await m.query(`SELECT ${TICKET_SELECT} FROM ticket t WHERE t.id = $1`, [id]))[0];
    return { row, state: rowToState(row) };
  }

  /** Who may do what (docs/requests.md) through the core's `authorize`; the service itself (agent null) may do anything. */
  private async checkAccess(m: EntityManager, command: TicketCommand, state: TicketState, agent: AuthAgent | null): Promise<void> {
    if (!agent) return;
    const answered = await m.query(
      `SELECT 1 FROM ticket_call tc JOIN call c ON c.id = tc.call_id
        WHERE tc.ticket_id = $1 AND (c.answered_by = $2 OR c.owner_extension = $3) LIMIT 1`,
      [state.id, agent.id, agent.extension],
    );
    const denied = authorize(command, state, actorOf(agent), relationOf(state, agent.id, answered.length > 0));
    if (denied) throw denied;
  }

  private async executeIn(m: EntityManager, id: string, commandOf: CommandOf, agent: AuthAgent | null, opts: CommandOptions, at?: Date): Promise<TicketRow> {
    const { row, state } = await this.lockState(m, id, opts);
    const command = typeof commandOf === 'function' ? commandOf(state.status) : commandOf;
    if (command.type === 'discard' && command.relatedTicketId) {
      const related = await m.query(`SELECT 1 FROM ticket WHERE id = $1`, [command.relatedTicketId]);
      if (!related[0]) throw new ValidationError('relatedTicketId', `body field 'relatedTicketId' names an unknown request`);
    }
    const actor = actorOf(agent);
    await this.checkAccess(m, command, state, agent);
    const now = at ?? this.now();
    let decision = decide(command, state, { now, actor, calendar: this.d.calendar, callId: opts.callId ?? null });
    if (!decision.ok) throw decision.error;
    if (decision.needsNumber) {
      decision = withNumber(decision, await this.nextNumber(m, decision.needsNumber.year));
    }
    const next = decision.next;
    if (next.version === state.version && decision.events.length === 0) return row;
    for (const a of next.assignees) if (!this.d.directory.byId(a)) throw new ValidationError('assignees', `body field 'assignees' names an unknown agent ${a}`);
    await m.query(
      `UPDATE ticket SET number = $2, status = $3, priority = $4, subject = $5, description = $6, technical_details = $7,
              solution = $8, assignees = $9::uuid[], registered_at = $10, completed_at = $11, closed_at = $12,
              close_reason = $13, discard_reason = $14, auto_close_at = $15, number_told = $16, callback_needed = $17,
              version = $18, updated_at = $19
        WHERE id = $1`,
      [
        id, next.number, next.status, next.priority, next.subject, next.description, next.technicalDetails, next.solution,
        next.assignees, next.registeredAt, next.completedAt, next.closedAt, next.closeReason, next.discardReason,
        next.autoCloseAt, next.numberTold, next.callbackNeeded, Math.max(next.version, state.version + 1), now,
      ],
    );
    for (const callId of next.callIds) {
      if (!state.callIds.includes(callId)) {
        await m.query(`INSERT INTO ticket_call (ticket_id, call_id, linked_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [id, callId, now]);
      }
    }
    await this.journal(m, id, now, actor.agentId, decision.events);
    if (next.parentId && decision.events.some((e) => e.kind === 'registered')) {
      // R4: the first request's journal says a new one was split off it, with its number.
      const split = { kind: 'linked_request', data: { ticketId: id, number: next.number, relation: 'child' }, onBehalfOf: null, callId: opts.callId ?? null };
      await this.journal(m, next.parentId, now, actor.agentId, [split]);
    }
    const stored: TicketRow = (await m.query(`SELECT ${TICKET_SELECT} FROM ticket t WHERE t.id = $1`, [id]))[0];
    // Whoever was taken off the request hears of it too.
    const removed = state.assignees.filter((a) => !next.assignees.includes(a));
    return removed.length ? { ...stored, former_assignees: removed } : stored;
  }

  private async journal(m: EntityManager, ticketId: string, at: Date, actor: string | null, events: JournalEntryInput[]) {
    if (events.length === 0) return;
    await m.query(
      `INSERT INTO ticket_events (ticket_id, at, actor, on_behalf_of, call_id, kind, data)
       SELECT $1, $2, $3, u.on_behalf_of, u.call_id, u.kind, u.data::jsonb
         FROM unnest($4::text[], $5::uuid[], $6::text[], $7::text[]) AS u(on_behalf_of, call_id, kind, data)`,
      [ticketId, at, actor, events.map((e) => e.onBehalfOf), events.map((e) => e.callId), events.map((e) => e.kind), events.map((e) => JSON.stringify(e.data))],
    );
  }

  /** Next journal number of the year: the counter row stays locked until commit, so numbers are gapless. */
  private async nextNumber(m: EntityManager, year: number): Promise<string> {
    const rows = await m.query(
      `INSERT INTO journal_counter (year, last) VALUES ($1, 1)
       ON CONFLICT (year) DO UPDATE SET last = journal_counter.last + 1 RETURNING last`,
      [year],
    );
    return formatTicketNumber(year, rows[0].last);
  }

  /** A new request (R4: linked to calls and/or a parent request), optionally registered at once. */
  async create(input: NewTicketInput, agent: AuthAgent): Promise<TicketRow> {
    const now = this.now();
    const id = randomUUID();
    const row = await this.d.ds.transaction(async (m) => {
      let callerNumber: string | null = null;
      if (input.callerNumber != null && input.callerNumber.trim() !== '') {
        // Stored as calls store it (E.164), so the caller filter and call history find it.
        callerNumber = toE164(input.callerNumber);
        if (!callerNumber) throw new ValidationError('callerNumber', `body field 'callerNumber' is not a phone number`);
      }
      let answeredBy: string | null = null;
      const callIds = [...new Set(input.callIds ?? [])];
      if (callIds.length) {
        const calls: { id: string; caller_number: string | null; called_number: string | null; direction: string; answered_by: string | null }[] =
          await m.query(`SELECT id, caller_number, called_number, direction, answered_by FROM call WHERE id = ANY($1::uuid[])`, [callIds]);
        if (calls.length !== new Set(callIds).size) throw new ValidationError('callIds', `body field 'callIds' names an unknown call`);
        const first = calls.find((c) => c.id === callIds[0])!;
        callerNumber ??= first.direction === 'outbound' ? first.called_number : first.caller_number;
        // R1: the assignee defaults to the agent who answered the call, else the user who registers.
        answeredBy = callIds.map((c) => calls.find((x) => x.id === c)?.answered_by).find((a) => a && this.d.directory.byId(a)) ?? null;
      }
      if (input.parentId) {
        const parent = await m.query(`SELECT caller_number FROM ticket WHERE id = $1`, [input.parentId]);
        if (!parent[0]) throw new ValidationError('parentId', `body field 'parentId' names an unknown request`);
        callerNumber ??= parent[0].caller_number;
      }
      const draft = newDraft({
        id,
        createdAt: now,
        channel: callIds.length ? 'phone' : 'web',
        callerNumber,
        callIds,
        parentId: input.parentId ?? null,
        // An agent who opens it from someone else's call works it too (they found the problem, R4).
        assignees: answeredBy && agent.role === 'agent' && answeredBy !== agent.id ? [answeredBy, agent.id] : [answeredBy ?? agent.id],
        priority: input.priority,
        subject: input.subject,
        description: input.description,
        technicalDetails: input.technicalDetails,
      });
      await m.query(
        `INSERT INTO ticket (id, status, priority, channel, subject, description, technical_details, caller_number, assignees,
                             parent_id, created_at, updated_at)
         VALUES ($1, 'draft', $2, $3, $4, $5, $6, $7, $8::uuid[], $9, $10, $10)`,
        [id, draft.priority, draft.channel, draft.subject, draft.description, draft.technicalDetails, draft.callerNumber, draft.assignees, draft.parentId, now],
      );
      for (const c of callIds) await m.query(`INSERT INTO ticket_call (ticket_id, call_id, linked_at) VALUES ($1, $2, $3)`, [id, c, now]);
      if (input.register) return this.executeIn(m, id, { type: 'register' }, agent, {});
      return (await m.query(`SELECT ${TICKET_SELECT} FROM ticket t WHERE t.id = $1`, [id]))[0];
    });
    this.d.onChange(row);
    return row;
  }

  /**
   * A caller rang about an existing request: the call is linked to it (journaled there) and the
   * call's own draft, if still a draft, is discarded as `linked`. One transaction.
   */
  async linkCall(ticketId: string, callId: string, agent: AuthAgent): Promise<TicketRow> {
    const changed: TicketRow[] = [];
    const row = await this.d.ds.transaction(async (m) => {
      const call = await m.query(`SELECT id FROM call WHERE id = $1`, [callId]);
      if (!call[0]) throw new ValidationError('callId', `body field 'callId' names an unknown call`);
      const target = await this.executeIn(m, ticketId, { type: 'link_call', callId }, agent, { callId });
      const drafts = await m.query(`SELECT id FROM ticket WHERE origin_call_id = $1 AND status = 'draft' AND id <> $2`, [callId, ticketId]);
      for (const d of drafts) {
        changed.push(await this.executeIn(m, d.id, { type: 'discard', reason: 'linked', relatedTicketId: ticketId }, agent, { callId }));
      }
      return target;
    });
    for (const c of changed) this.d.onChange(c);
    this.d.onChange(row);
    return row;
  }
}
