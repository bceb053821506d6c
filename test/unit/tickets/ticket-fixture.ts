// Given/when/then helpers for the request lifecycle: fixed clocks, actors, and requests brought to
// each status by the commands themselves (never by hand-built state).
import y2025 from '../../../config/calendar/2025.json';
import y2026 from '../../../config/calendar/2026.json';
import { BusinessCalendar } from '../../../src/calendar/business-calendar';
import { parseCalendarYear } from '../../../src/calendar/calendar-data';
import { type Accepted, type DecideContext, type Decision, type TicketCommand, decide, withNumber } from '../../../src/tickets/lifecycle';
import { type Actor, type TicketState, type TicketStatus, SYSTEM_ACTOR, newDraft } from '../../../src/tickets/ticket';

export const calendar = new BusinessCalendar({
  years: [parseCalendarYear(y2025, '2025.json'), parseCalendarYear(y2026, '2026.json')],
});

/** Moscow wall time → instant (Moscow is UTC+3 all year). */
export function msk(local: string): Date {
  return new Date(`${local}:00+03:00`);
}

/** Tue 20 Jan 2026, 10:00 Moscow: an ordinary working morning. */
export const T0 = msk('2026-01-20T10:00');

export const ANNA: Actor = { agentId: 'agent-anna', role: 'agent' };
export const BORIS: Actor = { agentId: 'agent-boris', role: 'agent' };
export const SVETA: Actor = { agentId: 'agent-sveta', role: 'supervisor' };
export const ADMIN: Actor = { agentId: 'agent-admin', role: 'admin' };
export const SYSTEM = SYSTEM_ACTOR;

export function ctx(over: Partial<DecideContext> = {}): DecideContext {
  return { now: T0, actor: ANNA, calendar, callId: 'call-1', ...over };
}

/** A draft opened by call-1 from +79219416004 and answered by Anna (so she owns it). */
export function givenDraft(over: Partial<Parameters<typeof newDraft>[0]> = {}): TicketState {
  return newDraft({
    id: 'ticket-1',
    createdAt: msk('2026-01-20T09:58'),
    callerNumber: '+79219416004',
    callIds: ['call-1'],
    originCallId: 'call-1',
    assignees: ['agent-anna'],
    ...over,
  });
}

export function ok(decision: Decision): Accepted {
  if (!decision.ok) throw new Error(`expected the command to be accepted, got ${decision.error.name}: ${decision.error.message}`);
  return decision;
}

/** Runs commands in order, as persistence would (numbering the registration), and returns the state. */
export function given(state: TicketState, ...steps: Array<TicketCommand | [TicketCommand, Partial<DecideContext>]>): TicketState {
  let s = state;
  for (const step of steps) {
    const [command, over] = Array.isArray(step) ? step : [step, {}];
    let d = ok(decide(command, s, ctx(over)));
    if (d.needsNumber) d = withNumber(d, `${d.needsNumber.year}-000042`);
    s = d.next;
  }
  return s;
}

const REGISTER: TicketCommand = { type: 'register', fields: { description: 'Отчёт не строится: ORA-01017', priority: 'high' } };

/** A request brought to `status` through its commands; `completed` at T0 + 1h. */
export function givenIn(status: TicketStatus): TicketState {
  const d = givenDraft();
  switch (status) {
    case 'draft':
      return d;
    case 'registered':
      return given(d, REGISTER);
    case 'in_progress':
      return given(d, REGISTER, { type: 'start' });
    case 'completed':
      return given(d, REGISTER, { type: 'start' }, [{ type: 'complete', solution: 'Пароль сброшен' }, { now: msk('2026-01-20T11:00') }]);
    case 'closed':
      return given(d, REGISTER, { type: 'withdraw' });
    case 'discarded':
      return given(d, { type: 'discard', reason: 'test' });
    default: {
      const _: never = status;
      return _;
    }
  }
}
