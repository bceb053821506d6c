// The request lifecycle (regulation R1–R11) as a decider: `decide(command, state, ctx)` answers
// with the journal entries and the next state, or a named error. Pure: time, actor and business
// time come in through `ctx`; persistence checks versions, assigns journal numbers and stores.
import {
  type AssignReason,
  type CloseReason,
  type CustomerDecision,
  type DecisionChannel,
  type DiscardReason,
  type JournalEvent,
  type JournalEventData,
  type StaffCloseReason,
  type TicketFields,
  type TicketState,
  type TicketStatus,
  ASSIGN_REASONS,
  DISCARD_REASONS,
  EDITABLE_FIELDS,
  OPEN_STATUSES,
  STAFF_CLOSE_REASONS,
  registrationYear,
} from './ticket';
import { AutoCloseNotDue, ValidationError } from './errors';
import { pickFields, fieldChange, checkFields, checkText, sameSet, isOneOf } from './checks';
import { reject, type Decision, type DecideContext } from './decision';
import type { TicketCommand } from './commands';
import { DecisionBuilder } from './decision-builder';

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
      return d.reopen(command.comment, command.channel);
    case 'confirm':
      return d.customerClose(command.type, 'confirmed', 'confirmed', command.comment, command.channel);
    case 'withdraw':
      return d.customerClose(command.type, 'withdrawn', 'withdrew', command.comment, command.channel);
    case 'close':
      return d.staffClose(command.reason, command.comment);
    case 'auto_close':
      return d.autoClose();
    case 'customer_contact':
      return d.customerContact(command.comment);
    case 'customer_message':
      return d.customerMessage(command);
    case 'discard':
      return d.discard(command.reason, command.comment, command.relatedTicketId);
    case 'mark_number_told':
      return d.markNumberTold();
    case 'comment':
      return d.comment(command.text, command.toCustomer === true);
    case 'link_call':
      return d.linkCall(command.callId);
    case 'mark_missed':
      return d.markMissed();
    default: {
      const _: never = command;
      return _;
    }
  }
}

// Statuses a request has a number in (R2) and may be worked on.
const NUMBERED: readonly TicketStatus[] = ['registered', 'in_progress', 'completed', 'closed'];
const OPEN_FOR_EDIT: readonly TicketStatus[] = ['draft', ...OPEN_STATUSES];
// R11: the customer may withdraw a request that is registered and not yet closed.
const WITHDRAWABLE: readonly TicketStatus[] = OPEN_STATUSES;

class Decider extends DecisionBuilder {
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
    // An e-mailed request is registered by the service on arrival and waits in «Неразобранные» until someone takes it.
    const waitsForOwner = this.ctx.actor.role === 'system' && this.s.channel === 'email';
    if (content.assignees.length === 0 && !waitsForOwner) return reject(new ValidationError('assignees', 'R1: a request needs an assignee'));
    // Its customer wrote and no one has answered yet: they wait from the start.
    const next = this.bump({ ...content, status: 'registered', registeredAt: this.ctx.now, ...(waitsForOwner ? { customerWroteAt: this.ctx.now } : {}) });
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

  reopen(comment: string, channel?: DecisionChannel): Decision {
    if (this.s.status !== 'completed') return this.illegal('reopen');
    const text = checkText('comment', comment, true, 'R8: reopening needs the customer\'s reason');
    if (text instanceof ValidationError) return reject(text);
    return this.accept([this.customerDecision('disagreed', text, undefined, channel), this.statusChanged('in_progress', {})], {
      status: 'in_progress',
      completedAt: null,
      autoCloseAt: null,
    });
  }

  customerClose(command: 'confirm' | 'withdraw', closeReason: CloseReason, decision: CustomerDecision, comment?: string | null, channel?: DecisionChannel): Decision {
    const from: readonly TicketStatus[] = command === 'confirm' ? ['completed'] : WITHDRAWABLE;
    if (!from.includes(this.s.status)) return this.illegal(command);
    const text = checkText('comment', comment ?? '', false);
    if (text instanceof ValidationError) return reject(text);
    return this.accept(
      [this.customerDecision(decision, text || null, undefined, channel), this.statusChanged('closed', { closeReason })],
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

  /** The customer's own words (an e-mail); on a completed request they restart R10's count like a contact. */
  customerMessage(c: { text: string; channel: 'email'; messageId: string; notSolved?: boolean }): Decision {
    if (!OPEN_STATUSES.includes(this.s.status as (typeof OPEN_STATUSES)[number])) return this.illegal('customer_message');
    const text = checkText('text', c.text, false);
    if (text instanceof ValidationError) return reject(text);
    const restart = this.s.status === 'completed' ? this.ctx.calendar.autoCloseAt(this.ctx.now) : null;
    const data: JournalEventData['customer_message'] = {
      text,
      channel: c.channel,
      messageId: c.messageId,
      notSolved: this.s.status === 'completed' && c.notSolved === true,
      ...(restart ? { autoCloseAt: restart.toISOString() } : {}),
    };
    const event: JournalEvent = { kind: 'customer_message', data, onBehalfOf: 'customer', callId: null };
    return this.accept([event], restart ? { autoCloseAt: restart } : {});
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
      callbackDueAt: null,
    });
  }

  markNumberTold(): Decision {
    if (!NUMBERED.includes(this.s.status)) return this.illegal('mark_number_told');
    if (this.s.numberTold) return this.unchanged();
    return this.accept([this.event('number_told', { number: this.s.number })], { numberTold: true });
  }

  comment(text: string, toCustomer = false): Decision {
    // A draft's notes belong in its description; discarded drafts are done with.
    if (!NUMBERED.includes(this.s.status)) return this.illegal('comment');
    const checked = checkText('text', text, true, 'a comment needs text');
    if (checked instanceof ValidationError) return reject(checked);
    return this.accept([this.event('comment', toCustomer ? { text: checked, toCustomer: true } : { text: checked })], {});
  }

  linkCall(callId: string): Decision {
    if (this.s.status === 'discarded') return this.illegal('link_call');
    if (typeof callId !== 'string' || callId.trim() === '') return reject(new ValidationError('callId', 'which call?'));
    if (this.s.callIds.includes(callId)) return this.unchanged();
    const event: JournalEvent = { kind: 'call_linked', data: { callId }, onBehalfOf: null, callId };
    return this.accept(this.s.status === 'draft' ? [] : [event], { callIds: [...this.s.callIds, callId] });
  }

  /** Nobody answered: an ownerless draft waits for a call back (not journaled: the call is the record). */
  markMissed(): Decision {
    if (this.s.status !== 'draft' || this.s.callbackNeeded || this.s.assignees.length > 0) return this.unchanged();
    return this.accept([], { callbackNeeded: true, callbackDueAt: this.ctx.calendar.callbackDueAt(this.ctx.now) });
  }
}
