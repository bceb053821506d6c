// Changing requests: every command goes through the lifecycle core (`authorize`, `decide`) inside
// one transaction that locks the request, checks its version, takes the journal number when
// registering (gapless: a counter row locked in the same transaction) and appends the journal.
import { contactById, organisationById } from '../db/customers';
import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import type { AuthAgent } from '../auth/sessions';
import { toE164 } from '../calls/numbers';
import type { BusinessCalendar } from '../calendar/business-calendar';
import { IllegalTransition, NotFound, StaleVersion, ValidationError } from '../tickets/errors';
import {
  allowedTransitions,
  authorize,
  availableActions,
  commandForTransition,
  decide,
  relationOf,
  withNumber,
  type PageAction,
  type TicketCommand,
  type TransitionRequest,
} from '../tickets/lifecycle';
import { formatTicketNumber, newDraft, type Actor, type JournalEvent, type Channel, type TicketFields, type TicketState, type TicketStatus } from '../tickets/ticket';
import type { TicketRow } from '../db/rows';
import {
  answeredOneOfItsCalls,
  appendJournal,
  callerOfRequest,
  callExists,
  callsForRequest,
  draftsOfCall,
  insertDraft,
  linkCall,
  lockTicket,
  requestExists,
  rowToState,
  storeState,
  takeJournalNumber,
  ticketRow,
  type JournalEntryInput,
} from '../db/ticket-store';
import { customerSaid } from '../tickets/customer-said';

export type { JournalEntryInput } from '../db/ticket-store';
import type { AgentDirectory } from './agent-directory';
import type { TicketQueries } from '../db/ticket-queries';

export interface TicketServiceDeps {
  ds: DataSource;
  calendar: BusinessCalendar;
  directory: AgentDirectory;
  queries: TicketQueries;
  /** Told after every committed change (pushes `ticket.updated`). */
  onChange: (row: TicketRow) => void;
  /**
   * Told of every accepted change inside its transaction (mails it causes are queued there, so a
   * change is never stored without them, nor they without it); throwing undoes the change.
   */
  withinChange?: (m: EntityManager, change: StoredChange) => Promise<void>;
  now?: () => Date;
}

/** A change as stored: the state before and after, and the journal entries it wrote. */
export interface StoredChange {
  before: TicketState;
  next: TicketState;
  events: readonly JournalEvent[];
  agent: AuthAgent | null;
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
  productVersion?: string;
  /** The customer from the directory (their organisation comes with them). */
  contactId?: string;
  priority?: TicketFields['priority'];
  /** How it came; by default `phone` when it has calls, else `web` (the API's own). */
  channel?: Channel;
  callerNumber?: string | null;
  callIds?: string[];
  parentId?: string | null;
  register?: boolean;
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
   * A command that goes with other work in one transaction: `first` runs before the request is
   * changed (a customer link is locked and spent), and throwing from it changes nothing.
   */
  async executeAfter(id: string, first: (m: EntityManager) => Promise<void>, command: TicketCommand, agent: AuthAgent | null): Promise<TicketRow> {
    const row = await this.d.ds.transaction(async (m) => {
      await first(m);
      return this.executeIn(m, id, command, agent, {});
    });
    this.d.onChange(row);
    return row;
  }

  /**
   * Runs one command inside the caller's transaction (the e-mail intake stores a message and its
   * effect together); the caller publishes the returned row with `published` once committed.
   */
  executeWithin(m: EntityManager, id: string, command: TicketCommand, agent: AuthAgent | null, opts: CommandOptions = {}): Promise<TicketRow> {
    return this.executeIn(m, id, command, agent, opts);
  }

  /** Tells the listeners (`ticket.updated`) of a row changed in a transaction that has committed. */
  published(row: TicketRow): void {
    this.d.onChange(row);
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
      await appendJournal(m, id, now, agent.id, await work(m, state, now));
      return row;
    });
  }

  /** Locks the request, checks the client's version and the call it names; the state as stored. */
  private async lockState(m: EntityManager, id: string, opts: CommandOptions): Promise<{ row: TicketRow; state: TicketState }> {
    const version = await lockTicket(m, id);
    if (version === null) throw new NotFound('request', id);
    if (opts.expectedVersion !== undefined && version !== opts.expectedVersion) throw new StaleVersion(opts.expectedVersion, version);
    if (opts.callId) {
      // The entry will name the call: an unknown one is the client's mistake, not a foreign-key crash.
      if (!(await callExists(m, opts.callId))) throw new ValidationError('callId', `body field 'callId' names an unknown call`);
    }
    const row = await ticketRow(m, id);
    return { row, state: rowToState(row) };
  }

  /** What this user may do to the request now: the request page offers only these. */
  async actionsFor(row: TicketRow, agent: AuthAgent): Promise<PageAction[]> {
    const state = rowToState(row);
    const answered = await answeredOneOfItsCalls(this.d.ds.manager, state.id, agent.id, agent.extension);
    return availableActions(state, relationOf(state, agent.id, answered), { now: this.now(), actor: actorOf(agent), calendar: this.d.calendar });
  }

  /** Who may do what (docs/requests.md) through the core's `authorize`; the service itself (agent null) may do anything. */
  private async checkAccess(m: EntityManager, command: TicketCommand, state: TicketState, agent: AuthAgent | null): Promise<void> {
    if (!agent) return;
    const answered = await answeredOneOfItsCalls(m, state.id, agent.id, agent.extension);
    const denied = authorize(command, state, actorOf(agent), relationOf(state, agent.id, answered));
    if (denied) throw denied;
  }

  private async executeIn(m: EntityManager, id: string, commandOf: CommandOf, agent: AuthAgent | null, opts: CommandOptions, at?: Date): Promise<TicketRow> {
    const { row, state } = await this.lockState(m, id, opts);
    let command = typeof commandOf === 'function' ? commandOf(state.status) : commandOf;
    if (command.type === 'discard' && command.relatedTicketId) {
      if (!(await requestExists(m, command.relatedTicketId))) throw new ValidationError('relatedTicketId', `body field 'relatedTicketId' names an unknown request`);
    }
    if (command.type === 'edit') command = { ...command, changes: await customerOf(m, command.changes) };
    const actor = actorOf(agent);
    await this.checkAccess(m, command, state, agent);
    const now = at ?? this.now();
    let decision = decide(command, state, { now, actor, calendar: this.d.calendar, callId: opts.callId ?? null });
    if (!decision.ok) throw decision.error;
    if (decision.needsNumber) {
      const year = decision.needsNumber.year;
      decision = withNumber(decision, formatTicketNumber(year, await takeJournalNumber(m, year)));
    }
    const next = decision.next;
    if (next.version === state.version && decision.events.length === 0) return row;
    for (const a of next.assignees) if (!this.d.directory.byId(a)) throw new ValidationError('assignees', `body field 'assignees' names an unknown agent ${a}`);
    await storeState(m, next, Math.max(next.version, state.version + 1), now);
    for (const callId of next.callIds) {
      if (!state.callIds.includes(callId)) {
        await linkCall(m, id, callId, now);
      }
    }
    await appendJournal(m, id, now, actor.agentId, decision.events);
    await this.d.withinChange?.(m, { before: state, next: { ...next, number: next.number ?? state.number }, events: decision.events, agent });
    if (next.parentId && decision.events.some((e) => e.kind === 'registered')) {
      // R4: the first request's journal says a new one was split off it, with its number.
      const split = { kind: 'linked_request', data: { ticketId: id, number: next.number, relation: 'child' }, onBehalfOf: null, callId: opts.callId ?? null };
      await appendJournal(m, next.parentId, now, actor.agentId, [split]);
    }
    const stored = await ticketRow(m, id);
    // Whoever was taken off the request hears of it too; its people hear what the customer said.
    const removed = state.assignees.filter((a) => !next.assignees.includes(a));
    const said = customerSaid(decision.events, agent !== null);
    return { ...stored, ...(removed.length ? { former_assignees: removed } : {}), ...(said ? { customer_said: said } : {}) };
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
        const calls = await callsForRequest(m, callIds);
        if (calls.length !== new Set(callIds).size) throw new ValidationError('callIds', `body field 'callIds' names an unknown call`);
        const first = calls.find((c) => c.id === callIds[0])!;
        callerNumber ??= first.direction === 'outbound' ? first.called_number : first.caller_number;
        // R1: the assignee defaults to the agent who answered the call, else the user who registers.
        answeredBy = callIds.map((c) => calls.find((x) => x.id === c)?.answered_by).find((a) => a && this.d.directory.byId(a)) ?? null;
      }
      if (input.parentId) {
        const parentCaller = await callerOfRequest(m, input.parentId);
        if (parentCaller === undefined) throw new ValidationError('parentId', `body field 'parentId' names an unknown request`);
        callerNumber ??= parentCaller;
      }
      const customer: { contactId?: string | null; organisationId?: string | null } = input.contactId ? await customerOf(m, { contactId: input.contactId }) : {};
      const draft = newDraft({
        id,
        createdAt: now,
        contactId: customer.contactId,
        organisationId: customer.organisationId,
        channel: input.channel ?? (callIds.length ? 'phone' : 'web'),
        callerNumber,
        callIds,
        parentId: input.parentId ?? null,
        // An agent who opens it from someone else's call works it too (they found the problem, R4).
        assignees: answeredBy && agent.role === 'agent' && answeredBy !== agent.id ? [answeredBy, agent.id] : [answeredBy ?? agent.id],
        priority: input.priority,
        subject: input.subject,
        description: input.description,
        technicalDetails: input.technicalDetails,
        productVersion: input.productVersion?.trim(),
      });
      await insertDraft(m, draft, now);
      if (input.register) return this.executeIn(m, id, { type: 'register' }, agent, {});
      return ticketRow(m, id);
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
      if (!(await callExists(m, callId))) throw new ValidationError('callId', `body field 'callId' names an unknown call`);
      const target = await this.executeIn(m, ticketId, { type: 'link_call', callId }, agent, { callId });
      const drafts = await draftsOfCall(m, callId, ticketId);
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

/**
 * The customer named in a change checked against the directory: a contact brings their
 * organisation unless one is given.
 */
async function customerOf<T extends { contactId?: string | null; organisationId?: string | null }>(m: EntityManager, changes: T): Promise<T> {
  const out = { ...changes };
  if (changes.contactId) {
    const contact = await contactById(m, changes.contactId);
    if (!contact) throw new ValidationError('contactId', `body field 'contactId' names an unknown contact`);
    if (changes.organisationId === undefined) out.organisationId = contact.organisation_id;
  }
  if (out.organisationId && !(await organisationById(m, out.organisationId))) {
    throw new ValidationError('organisationId', `body field 'organisationId' names an unknown organisation`);
  }
  return out;
}
