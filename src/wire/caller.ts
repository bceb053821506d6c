import { Type, type Static } from '@sinclair/typebox';
import { TicketBody } from './ticket';

/** One of the caller's earlier calls, as the screen pop lists it. */
export const CallerCallBody = Type.Object({
  id: Type.String(),
  startedAt: Type.String(),
  direction: Type.String(),
  outcome: Type.Union([Type.String(), Type.Null()]),
  answeredByExtension: Type.Union([Type.String(), Type.Null()]),
  supportLine: Type.Boolean(),
});

/** What is known of a caller when their call rings: earlier calls and open requests of the number. */
export const CallerBody = Type.Object({
  /** Null for a withheld number: such callers have no history. */
  number: Type.Union([Type.String(), Type.Null()]),
  calls: Type.Array(CallerCallBody),
  openTickets: Type.Array(TicketBody),
});
export type Caller = Static<typeof CallerBody>;
