// How a decision is put together: the next state with its version bumped, journal entries
// stamped with the call they happened on, the rejections. The rules themselves are in decide.ts.
import type { CloseReason, CustomerDecision, DecisionChannel, JournalEvent, JournalEventData, JournalEventKind, TicketState, TicketStatus } from './ticket';
import { IllegalTransition } from './errors';
import { reject, type Accepted, type DecideContext, type Rejected } from './decision';
import { allowedTransitions, type TicketCommandType } from './commands';
import { customerWaitsSince } from './customer-said';

export class DecisionBuilder {
  constructor(
    protected readonly s: TicketState,
    protected readonly ctx: DecideContext,
  ) {}

  protected accept(events: JournalEvent[], patch: Partial<TicketState>): Accepted {
    const next = this.bump(patch);
    const customerWroteAt = customerWaitsSince(this.s.customerWroteAt, events, this.ctx.actor.agentId !== null, next.status, this.ctx.now);
    return { ok: true, events, next: customerWroteAt === next.customerWroteAt ? next : { ...next, customerWroteAt }, needsNumber: null };
  }

  protected unchanged(): Accepted {
    return { ok: true, events: [], next: this.s, needsNumber: null };
  }

  protected bump(patch: Partial<TicketState>): TicketState {
    return { ...this.s, ...patch, version: this.s.version + 1 };
  }

  protected closing(closeReason: CloseReason): Partial<TicketState> {
    return { status: 'closed', closeReason, closedAt: this.ctx.now, autoCloseAt: null };
  }

  protected illegal(command: TicketCommandType): Rejected {
    return reject(new IllegalTransition(command, this.s.status, allowedTransitions(this.s.status)));
  }

  protected callId(): string | null {
    return this.ctx.callId ?? null;
  }

  protected event<K extends JournalEventKind>(kind: K, data: JournalEventData[K]): JournalEvent {
    return { kind, data, onBehalfOf: null, callId: this.callId() } as JournalEvent;
  }

  protected statusChanged(to: TicketStatus, extra: Partial<JournalEventData['status_changed']>): JournalEvent {
    return this.event('status_changed', { from: this.s.status, to, ...extra });
  }

  protected customerDecision(decision: CustomerDecision, comment: string | null, autoCloseAt?: string, channel?: DecisionChannel): JournalEvent {
    const data: JournalEventData['customer_decision'] = {
      decision,
      comment,
      relayedBy: this.ctx.actor.agentId,
      callId: this.callId(),
      ...(autoCloseAt ? { autoCloseAt } : {}),
      ...(channel ? { channel } : {}),
    };
    return { kind: 'customer_decision', data, onBehalfOf: 'customer', callId: this.callId() };
  }
}
