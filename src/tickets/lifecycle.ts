// The request lifecycle (regulation R1–R11) as a decider: `decide(command, state, ctx)` answers
// with the journal entries and the next state, or a named error. Pure: time, actor and business
// time come in through `ctx`; persistence checks versions, assigns journal numbers and stores.
import {
  type Actor,
  type AssignReason,
  type CloseReason,
  type CustomerDecision,
  type DiscardReason,
  type EditableField,
  type JournalEvent,
  type JournalEventData,
  type JournalEventKind,
  type Priority,
  type StaffCloseReason,
  type TicketFields,
  type TicketState,
  type TicketStatus,
  ASSIGN_REASONS,
  DISCARD_REASONS,
  EDITABLE_FIELDS,
  OPEN_STATUSES,
  PRIORITIES,
  STAFF_CLOSE_REASONS,
  TEXT_LIMITS,
  registrationYear,
} from './ticket';
import { AutoCloseNotDue, Forbidden, IllegalTransition, type TicketError, ValidationError } from './errors';

// ---- Commands ----

export type TicketCommand =
  /** R1: draft → registered; `fields` are last-moment edits sent with the click. */
  | { type: 'register'; fields?: Partial<TicketFields> }
  /** Change content, priority or assignees (journaled per field after registration, R6). */
  | { type: 'edit'; changes: Partial<TicketFields> }
  /** Ownership follows the call: the answering agent, or the transfer target (service-driven). */
  | { type: 'assign'; assignees: string[]; reason: AssignReason }
  | { type: 'start' }
  /** R7: the solution has been delivered. */
  | { type: 'complete'; solution: string }
  /** R8: the customer's reasoned disagreement. */
  | { type: 'reopen'; comment: string }
  /** R9: the customer confirms. */
  | { type: 'confirm'; comment?: string | null }
  /** R11: the customer no longer needs it. */
  | { type: 'withdraw'; comment?: string | null }
  /** Staff close it as a duplicate or an error. */
  | { type: 'close'; reason: StaffCloseReason; comment?: string | null }
  /** R10: silence since completion (the service's job). */
  | { type: 'auto_close' }
  /** R10: the customer was in touch without confirming or disagreeing: the count restarts. */
  | { type: 'customer_contact'; comment?: string | null }
  | { type: 'discard'; reason: DiscardReason; comment?: string | null; relatedTicketId?: string | null }
  /** R2: the number was read out to the customer. */
  | { type: 'mark_number_told' }
  | { type: 'comment'; text: string }
  | { type: 'link_call'; callId: string };

export type TicketCommandType = TicketCommand['type'];

export const COMMAND_TYPES = [
  'register',
  'edit',
  'assign',
  'start',
  'complete',
  'reopen',
  'confirm',
  'withdraw',
  'close',
  'auto_close',
  'customer_contact',
  'discard',
  'mark_number_told',
  'comment',
  'link_call',
] as const satisfies readonly TicketCommandType[];

/** Commands that carry the customer's word (journaled `onBehalfOf: customer`); any agent may relay them. */
export const CUSTOMER_COMMANDS = ['reopen', 'confirm', 'withdraw', 'customer_contact'] as const satisfies readonly TicketCommandType[];

// ---- Transitions ----

export type TransitionCommand = 'register' | 'discard' | 'start' | 'complete' | 'reopen' | 'confirm' | 'withdraw' | 'close' | 'auto_close';

/** One way out of a status: the command, where it leads and the reasons it records. */
export interface Transition {
  command: TransitionCommand;
  to: TicketStatus;
  reasons?: readonly (CloseReason | DiscardReason)[];
}

const WITHDRAW: Transition = { command: 'withdraw', to: 'closed', reasons: ['withdrawn'] };
const STAFF_CLOSE: Transition = { command: 'close', to: 'closed', reasons: STAFF_CLOSE_REASONS };

const TRANSITIONS: Readonly<Record<TicketStatus, readonly Transition[]>> = {
  draft: [
    { command: 'register', to: 'registered' },
    { command: 'discard', to: 'discarded', reasons: DISCARD_REASONS },
  ],
  registered: [{ command: 'start', to: 'in_progress' }, WITHDRAW, STAFF_CLOSE],
  in_progress: [{ command: 'complete', to: 'completed' }, WITHDRAW, STAFF_CLOSE],
  completed: [
    { command: 'reopen', to: 'in_progress' },
    { command: 'confirm', to: 'closed', reasons: ['confirmed'] },
    { command: 'auto_close', to: 'closed', reasons: ['no_reply'] },
    WITHDRAW,
    STAFF_CLOSE,
  ],
  closed: [],
  discarded: [],
};

/** The status changes possible from `status` (what a 409 lists). */
export function allowedTransitions(status: TicketStatus): readonly Transition[] {
  return TRANSITIONS[status];
}

/** The body of `POST /api/tickets/:id/transitions`. */
export interface TransitionRequest {
  to: string;
  reason?: string | null;
  comment?: string | null;
  solution?: string | null;
}

/**
 * Reads a transitions request as the command it means in `status` (to `in_progress` is `start` from
 * registered and `reopen` from completed; to `closed` depends on `reason`). Malformed → ValidationError,
 * a target not reachable from `status` → IllegalTransition.
 */
export function commandForTransition(
  request: TransitionRequest,
  status: TicketStatus,
): { ok: true; command: TicketCommand } | { ok: false; error: ValidationError | IllegalTransition } {
  const ok = (command: TicketCommand) => ({ ok: true as const, command });
  const comment = request.comment ?? null;
  switch (request.to) {
    case 'registered':
      return ok({ type: 'register' });
    case 'in_progress':
      return ok(status === 'completed' ? { type: 'reopen', comment: comment ?? '' } : { type: 'start' });
    case 'completed':
      return ok({ type: 'complete', solution: request.solution ?? '' });
    case 'closed':
      switch (request.reason) {
        case 'confirmed':
          return ok({ type: 'confirm', comment });
        case 'withdrawn':
          return ok({ type: 'withdraw', comment });
        case 'no_reply':
          return ok({ type: 'auto_close' });
        case 'duplicate':
        case 'error':
          return ok({ type: 'close', reason: request.reason, comment });
        default:
          return { ok: false, error: new ValidationError('reason', `closing needs a reason: confirmed, withdrawn, duplicate or error`) };
      }
    case 'discarded':
      if (!isOneOf(DISCARD_REASONS, request.reason)) {
        return { ok: false, error: new ValidationError('reason', `discarding needs a reason: ${DISCARD_REASONS.join(', ')}`) };
      }
      return ok({ type: 'discard', reason: request.reason, comment });
    case 'draft':
      return { ok: false, error: new IllegalTransition('register', status, allowedTransitions(status)) };
    default:
      return { ok: false, error: new ValidationError('to', `"${request.to}" is not a status`) };
  }
}

// ---- Deciding ----

/** Business time as the lifecycle needs it; a BusinessCalendar fits. */
export interface BusinessTime {
  /** Support time zone: the journal number's year is the year of registration there. */
  readonly timezone: string;
  /** R10 deadline for a completion (or a customer contact) at that instant. */
  autoCloseAt(at: Date): Date;
}

export interface DecideContext {
  now: Date;
  actor: Actor;
  calendar: BusinessTime;
  /** The call the actor is on (journaled with the entry; for customer decisions, the call they came on). */
  callId?: string | null;
}

export interface Accepted {
  ok: true;
  events: JournalEvent[];
  /** The state to store; equal to the input (same version) when nothing changed. */
  next: TicketState;
  /** Set on registration: persistence takes the next number of this year in the same transaction (`withNumber`). */
  needsNumber: { year: number } | null;
}

export interface Rejected {
  ok: false;
  error: TicketError;
}

export type Decision = Accepted | Rejected;

export function decide(command: TicketCommand, state: TicketState, ctx: DecideContext): Decision {
  const d = new Decider(state, ctx);
  switch (command.type) {
    case 'register':
      return d.register(command.fields ?? {});
    case 'edit':
      return d.edit(command.changes);
    case 'assign':
      return d.assign(command.assignees, command.reason);
    case 'start':
      return d.start();
    case 'complete':
      return d.complete(command.solution);
    case 'reopen':
      return d.reopen(command.comment);
    case 'confirm':
      return d.customerClose(command.type, 'confirmed', 'confirmed', command.comment);
    case 'withdraw':
      return d.customerClose(command.type, 'withdrawn', 'withdrew', command.comment);
    case 'close':
      return d.staffClose(command.reason, command.comment);
    case 'auto_close':
      return d.autoClose();
    case 'customer_contact':
      return d.customerContact(command.comment);
    case 'discard':
      return d.discard(command.reason, command.comment, command.relatedTicketId);
    case 'mark_number_told':
      return d.markNumberTold();
    case 'comment':
      return d.comment(command.text);
    case 'link_call':
      return d.linkCall(command.callId);
    default: {
      const _: never = command;
      return _;
    }
  }
}

/** Fills the number persistence allocated into the registration's state and journal entry. */
export function withNumber(decision: Accepted, number: string): Accepted {
  return {
    ok: true,
    needsNumber: null,
    next: { ...decision.next, number },
    events: decision.events.map((e) => (e.kind === 'registered' ? { ...e, data: { ...e.data, number } } : e)),
  };
}

// Statuses a request has a number in (R2) and may be worked on.
const NUMBERED: readonly TicketStatus[] = ['registered', 'in_progress', 'completed', 'closed'];
const OPEN_FOR_EDIT: readonly TicketStatus[] = ['draft', ...OPEN_STATUSES];
// R11: the customer may withdraw a request that is registered and not yet closed.
const WITHDRAWABLE: readonly TicketStatus[] = OPEN_STATUSES;

class Decider {
  constructor(
    private readonly s: TicketState,
    private readonly ctx: DecideContext,
  ) {}

  register(fields: Partial<TicketFields>): Decision {
    if (this.s.status !== 'draft') return this.illegal('register');
    const checked = checkFields(fields);
    if (checked instanceof ValidationError) return reject(checked);
    // An empty list is no choice at all: R1's default applies.
    if (checked.assignees?.length === 0) delete checked.assignees;
    const content = { ...pickFields(this.s), ...checked };
    if (content.description.trim() === '') {
      return reject(new ValidationError('description', 'R1/R5: a request is registered with a description of the problem'));
    }
    // R1: the agent who answered owns the draft already; else the registering user.
    if (content.assignees.length === 0 && this.ctx.actor.agentId !== null) content.assignees = [this.ctx.actor.agentId];
    if (content.assignees.length === 0) return reject(new ValidationError('assignees', 'R1: a request needs an assignee'));
    const next = this.bump({ ...content, status: 'registered', registeredAt: this.ctx.now });
    return {
      ok: true,
      next,
      needsNumber: { year: registrationYear(this.ctx.now, this.ctx.calendar.timezone) },
      events: [
        this.event('registered', {
          number: null,
          subject: next.subject,
          description: next.description,
          technicalDetails: next.technicalDetails,
          priority: next.priority,
          assignees: [...next.assignees],
          channel: next.channel,
          callerNumber: next.callerNumber,
          callIds: [...next.callIds],
          parentId: next.parentId,
        }),
        this.statusChanged('registered', {}),
      ],
    };
  }

  edit(changes: Partial<TicketFields>): Decision {
    if (!OPEN_FOR_EDIT.includes(this.s.status)) return this.illegal('edit');
    const checked = checkFields(changes);
    if (checked instanceof ValidationError) return reject(checked);
    const registered = this.s.status !== 'draft';
    if (registered && checked.description !== undefined && checked.description.trim() === '') {
      return reject(new ValidationError('description', 'R5: a registered request keeps a description'));
    }
    if (registered && checked.assignees !== undefined && checked.assignees.length === 0) {
      return reject(new ValidationError('assignees', 'R1: a registered request keeps at least one assignee'));
    }
    const events: JournalEvent[] = [];
    const patch: Partial<TicketFields> = {};
    for (const field of EDITABLE_FIELDS) {
      const change = fieldChange(field, this.s, checked);
      if (change === null) continue;
      Object.assign(patch, { [field]: checked[field] });
      events.push(this.event('field_changed', change));
    }
    if (events.length === 0) return this.unchanged();
    // R6: before registration a draft is working notes, not journaled.
    return this.accept(registered ? events : [], patch);
  }

  assign(assignees: string[], reason: AssignReason): Decision {
    if (!OPEN_FOR_EDIT.includes(this.s.status)) return this.illegal('assign');
    if (!isOneOf(ASSIGN_REASONS, reason)) return reject(new ValidationError('reason', `assign reason is ${ASSIGN_REASONS.join(' or ')}`));
    const checked = checkFields({ assignees });
    if (checked instanceof ValidationError) return reject(checked);
    const to = checked.assignees ?? [];
    if (to.length === 0) return reject(new ValidationError('assignees', 'R1: someone must own the request'));
    if (sameSet(to, this.s.assignees)) return this.unchanged();
    // Ownership moving with the call is journaled even on a draft (docs/requests.md, The journal: `assigned`).
    const event = this.event('assigned', { from: [...this.s.assignees], to, reason, callId: this.callId() });
    return this.accept([event], { assignees: to });
  }

  start(): Decision {
    if (this.s.status !== 'registered') return this.illegal('start');
    return this.accept([this.statusChanged('in_progress', {})], { status: 'in_progress' });
  }

  complete(solution: string): Decision {
    if (this.s.status !== 'in_progress') return this.illegal('complete');
    const text = checkText('solution', solution, true, 'R7: completing needs the solution delivered to the customer');
    if (text instanceof ValidationError) return reject(text);
    const autoCloseAt = this.ctx.calendar.autoCloseAt(this.ctx.now);
    return this.accept(
      [this.event('solution', { text }), this.statusChanged('completed', { autoCloseAt: autoCloseAt.toISOString() })],
      { status: 'completed', solution: text, completedAt: this.ctx.now, autoCloseAt },
    );
  }

  reopen(comment: string): Decision {
    if (this.s.status !== 'completed') return this.illegal('reopen');
    const text = checkText('comment', comment, true, 'R8: reopening needs the customer\'s reason');
    if (text instanceof ValidationError) return reject(text);
    return this.accept([this.customerDecision('disagreed', text), this.statusChanged('in_progress', {})], {
      status: 'in_progress',
      completedAt: null,
      autoCloseAt: null,
    });
  }

  customerClose(command: 'confirm' | 'withdraw', closeReason: CloseReason, decision: CustomerDecision, comment?: string | null): Decision {
    const from: readonly TicketStatus[] = command === 'confirm' ? ['completed'] : WITHDRAWABLE;
    if (!from.includes(this.s.status)) return this.illegal(command);
    const text = checkText('comment', comment ?? '', false);
    if (text instanceof ValidationError) return reject(text);
    return this.accept(
      [this.customerDecision(decision, text || null), this.statusChanged('closed', { closeReason })],
      this.closing(closeReason),
    );
  }

  staffClose(reason: StaffCloseReason, comment?: string | null): Decision {
    if (!WITHDRAWABLE.includes(this.s.status)) return this.illegal('close');
    if (!isOneOf(STAFF_CLOSE_REASONS, reason)) {
      return reject(new ValidationError('reason', `staff close a request as ${STAFF_CLOSE_REASONS.join(' or ')}`));
    }
    const text = checkText('comment', comment ?? '', false);
    if (text instanceof ValidationError) return reject(text);
    return this.accept([this.statusChanged('closed', { closeReason: reason, ...(text ? { comment: text } : {}) })], this.closing(reason));
  }

  autoClose(): Decision {
    if (this.s.status !== 'completed') return this.illegal('auto_close');
    const due = this.s.autoCloseAt;
    if (due === null || this.ctx.now.getTime() < due.getTime()) return reject(new AutoCloseNotDue(due));
    return this.accept(
      [this.statusChanged('closed', { closeReason: 'no_reply', autoCloseAt: due.toISOString() })],
      this.closing('no_reply'),
    );
  }

  customerContact(comment?: string | null): Decision {
    if (this.s.status !== 'completed') return this.illegal('customer_contact');
    const text = checkText('comment', comment ?? '', false);
    if (text instanceof ValidationError) return reject(text);
    const autoCloseAt = this.ctx.calendar.autoCloseAt(this.ctx.now);
    const event = this.customerDecision('contacted', text || null, autoCloseAt.toISOString());
    return this.accept([event], { autoCloseAt });
  }

  discard(reason: DiscardReason, comment?: string | null, relatedTicketId?: string | null): Decision {
    if (this.s.status !== 'draft') return this.illegal('discard');
    if (!isOneOf(DISCARD_REASONS, reason)) {
      return reject(new ValidationError('reason', `a draft is discarded as ${DISCARD_REASONS.join(', ')}`));
    }
    const text = checkText('comment', comment ?? '', false);
    if (text instanceof ValidationError) return reject(text);
    const data: Partial<JournalEventData['status_changed']> = { discardReason: reason };
    if (text) data.comment = text;
    if (relatedTicketId) data.relatedTicketId = relatedTicketId;
    // The draft's end is journaled (who dropped it and why) though its content never was.
    return this.accept([this.statusChanged('discarded', data)], {
      status: 'discarded',
      discardReason: reason,
      callbackNeeded: false,
    });
  }

  markNumberTold(): Decision {
    if (!NUMBERED.includes(this.s.status)) return this.illegal('mark_number_told');
    if (this.s.numberTold) return this.unchanged();
    return this.accept([this.event('number_told', { number: this.s.number })], { numberTold: true });
  }

  comment(text: string): Decision {
    // A draft's notes belong in its description; discarded drafts are done with.
    if (!NUMBERED.includes(this.s.status)) return this.illegal('comment');
    const checked = checkText('text', text, true, 'a comment needs text');
    if (checked instanceof ValidationError) return reject(checked);
    return this.accept([this.event('comment', { text: checked })], {});
  }

  linkCall(callId: string): Decision {
    if (this.s.status === 'discarded') return this.illegal('link_call');
    if (typeof callId !== 'string' || callId.trim() === '') return reject(new ValidationError('callId', 'which call?'));
    if (this.s.callIds.includes(callId)) return this.unchanged();
    const event: JournalEvent = { kind: 'call_linked', data: { callId }, onBehalfOf: null, callId };
    return this.accept(this.s.status === 'draft' ? [] : [event], { callIds: [...this.s.callIds, callId] });
  }

  // ---- helpers ----

  private accept(events: JournalEvent[], patch: Partial<TicketState>): Accepted {
    return { ok: true, events, next: this.bump(patch), needsNumber: null };
  }

  private unchanged(): Accepted {
    return { ok: true, events: [], next: this.s, needsNumber: null };
  }

  private bump(patch: Partial<TicketState>): TicketState {
    return { ...this.s, ...patch, version: this.s.version + 1 };
  }

  private closing(closeReason: CloseReason): Partial<TicketState> {
    return { status: 'closed', closeReason, closedAt: this.ctx.now, autoCloseAt: null };
  }

  private illegal(command: TicketCommandType): Rejected {
    return reject(new IllegalTransition(command, this.s.status, allowedTransitions(this.s.status)));
  }

  private callId(): string | null {
    return this.ctx.callId ?? null;
  }

  private event<K extends JournalEventKind>(kind: K, data: JournalEventData[K]): JournalEvent {
    return { kind, data, onBehalfOf: null, callId: this.callId() } as JournalEvent;
  }

  private statusChanged(to: TicketStatus, extra: Partial<JournalEventData['status_changed']>): JournalEvent {
    return this.event('status_changed', { from: this.s.status, to, ...extra });
  }

  private customerDecision(decision: CustomerDecision, comment: string | null, autoCloseAt?: string): JournalEvent {
    const data: JournalEventData['customer_decision'] = {
      decision,
      comment,
      relayedBy: this.ctx.actor.agentId,
      callId: this.callId(),
      ...(autoCloseAt ? { autoCloseAt } : {}),
    };
    return { kind: 'customer_decision', data, onBehalfOf: 'customer', callId: this.callId() };
  }
}

function reject(error: TicketError): Rejected {
  return { ok: false, error };
}

function pickFields(s: TicketState): TicketFields {
  return {
    subject: s.subject,
    description: s.description,
    technicalDetails: s.technicalDetails,
    priority: s.priority,
    assignees: [...s.assignees],
  };
}

function fieldChange(field: EditableField, s: TicketState, changes: Partial<TicketFields>): JournalEventData['field_changed'] | null {
  switch (field) {
    case 'subject':
    case 'description':
    case 'technicalDetails': {
      const to = changes[field];
      return to === undefined || to === s[field] ? null : { field, from: s[field], to };
    }
    case 'priority': {
      const to = changes.priority;
      return to === undefined || to === s.priority ? null : { field, from: s.priority, to };
    }
    case 'assignees': {
      const to = changes.assignees;
      return to === undefined || sameSet(to, s.assignees) ? null : { field, from: [...s.assignees], to: [...to] };
    }
    default: {
      const _: never = field;
      return _;
    }
  }
}

// Runtime checks: commands may come from HTTP bodies or sockets, whatever the types say.
function checkFields(fields: Partial<TicketFields>): Partial<TicketFields> | ValidationError {
  if (typeof fields !== 'object' || fields === null) return new ValidationError('changes', 'expected an object of fields');
  const out: Partial<TicketFields> = {};
  for (const key of Object.keys(fields)) {
    if (!(EDITABLE_FIELDS as readonly string[]).includes(key)) {
      return new ValidationError(key, `"${key}" cannot be edited (editable: ${EDITABLE_FIELDS.join(', ')})`);
    }
  }
  if (fields.subject !== undefined) {
    const v = checkText('subject', fields.subject, false, undefined, TEXT_LIMITS.subject);
    if (v instanceof ValidationError) return v;
    out.subject = v;
  }
  for (const field of ['description', 'technicalDetails'] as const) {
    const value = fields[field];
    if (value === undefined) continue;
    if (typeof value !== 'string') return new ValidationError(field, `${field} must be text`);
    if (value.length > TEXT_LIMITS.text) return new ValidationError(field, `${field} is longer than ${TEXT_LIMITS.text} characters`);
    out[field] = value; // kept as typed: the agent's text, including line breaks
  }
  if (fields.priority !== undefined) {
    if (!isOneOf(PRIORITIES, fields.priority)) {
      return new ValidationError('priority', `priority is one of ${PRIORITIES.join(', ')}`);
    }
    out.priority = fields.priority as Priority;
  }
  if (fields.assignees !== undefined) {
    const a = fields.assignees;
    if (!Array.isArray(a) || a.some((x) => typeof x !== 'string' || x.trim() === '')) {
      return new ValidationError('assignees', 'assignees are a list of agent ids');
    }
    out.assignees = [...new Set(a)];
  }
  return out;
}

/** Trimmed text, or a ValidationError when required and blank, or not text, or too long. */
function checkText(field: string, value: unknown, required: boolean, blankMessage?: string, max: number = TEXT_LIMITS.text): string | ValidationError {
  if (typeof value !== 'string') return new ValidationError(field, `${field} must be text`);
  const text = value.trim();
  if (required && text === '') return new ValidationError(field, blankMessage ?? `${field} is required`);
  if (text.length > max) return new ValidationError(field, `${field} is longer than ${max} characters`);
  return text;
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const sa = new Set(a);
  const sb = new Set(b);
  return sa.size === sb.size && [...sa].every((x) => sb.has(x));
}

function isOneOf<T extends string>(list: readonly T[], value: unknown): value is T {
  return typeof value === 'string' && (list as readonly string[]).includes(value);
}

// ---- Who may do what (docs/requests.md) ----

/** How the acting agent stands to the request. */
export interface TicketRelation {
  /** The agent is one of its assignees. */
  isAssignee: boolean;
  /** The agent answered a call the draft belongs to. */
  answeredTheCall: boolean;
}

export function relationOf(ticket: TicketState, agentId: string | null, answeredTheCall: boolean): TicketRelation {
  return { isAssignee: agentId !== null && ticket.assignees.includes(agentId), answeredTheCall };
}

/**
 * Whether `actor` may run `command` on `ticket`; null when allowed. Supervisors and admins may do
 * everything but R10's auto-close, which only the service does. Agents: edit and work drafts of calls
 * they answered and requests assigned to them; relay a customer's decision, comment on and link calls
 * to any registered request; never change assignees (supervisors assign).
 */
export function authorize(command: TicketCommand, ticket: TicketState, actor: Actor, relation: TicketRelation): Forbidden | null {
  const role = actor.role;
  if (role === 'system') return null;
  if (command.type === 'auto_close') {
    return new Forbidden(command.type, role, 'R10: only the service closes a request for silence; staff close as duplicate or error');
  }
  if (role === 'supervisor' || role === 'admin') return null;
  const owns = relation.isAssignee || (ticket.status === 'draft' && relation.answeredTheCall);
  const ownsMessage = ticket.status === 'draft'
    ? 'agents work drafts of calls they answered or that are assigned to them'
    : 'agents work requests assigned to them';
  switch (command.type) {
    case 'reopen':
    case 'confirm':
    case 'withdraw':
    case 'customer_contact':
      return null; // any agent relays the customer's word
    case 'comment':
    case 'link_call':
      return ticket.status === 'draft' && !owns ? new Forbidden(command.type, role, ownsMessage) : null;
    case 'assign':
      return new Forbidden(command.type, role, 'supervisors assign requests');
    case 'register':
    case 'edit': {
      const fields = command.type === 'register' ? command.fields : command.changes;
      // On register an empty list means "the default" (see decide), not unassigning.
      const noChoice = command.type === 'register' && fields?.assignees?.length === 0;
      if (fields?.assignees !== undefined && !noChoice && !sameSet(fields.assignees, ticket.assignees)) {
        return new Forbidden(command.type, role, 'supervisors assign requests');
      }
      return owns ? null : new Forbidden(command.type, role, ownsMessage);
    }
    case 'start':
    case 'complete':
    case 'close':
    case 'discard':
    case 'mark_number_told':
      return owns ? null : new Forbidden(command.type, role, ownsMessage);
    default: {
      const _: never = command;
      return _;
    }
  }
}
