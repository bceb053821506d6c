// What deciding answers: the journal entries and next state, or a named error; and what it needs.
import { type Actor, type JournalEvent, type TicketState } from './ticket';
import { type TicketError } from './errors';

// ---- Deciding ----

/** Business time as the lifecycle needs it; a BusinessCalendar fits. */
export interface BusinessTime {
  /** Support time zone: the journal number's year is the year of registration there. */
  readonly timezone: string;
  /** R10 deadline for a completion (or a customer contact) at that instant. */
  autoCloseAt(at: Date): Date;
  /** When a call missed at that instant is due to be called back (support time). */
  callbackDueAt(at: Date): Date;
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

/** Fills the number persistence allocated into the registration's state and journal entry. */
export function withNumber(decision: Accepted, number: string): Accepted {
  return {
    ok: true,
    needsNumber: null,
    next: { ...decision.next, number },
    events: decision.events.map((e) => (e.kind === 'registered' ? { ...e, data: { ...e.data, number } } : e)),
  };
}
export function reject(error: TicketError): Rejected {
  return { ok: false, error };
}
