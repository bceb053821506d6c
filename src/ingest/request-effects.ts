// Call → request: what a call fact asks of the support requests (a draft to open, a caller's
// history to read, ticket ops), decided from the fact and what is already known of the call.
// Pure: the pipeline carries the effects out.
import type { CallHappening } from '../calls/model';
import type { TicketOp } from '../db/call-store';

/** What the pipeline already did for a call. */
export interface CallProgress {
  /** A draft is stored or on its way. */
  hasDraft: boolean;
  /** The caller's history was asked for. */
  asked: boolean;
  /** The call's answer was acted on. */
  reached: boolean;
}

export interface RequestEffects {
  /** Open the call's draft request. */
  draft: boolean;
  /** Read the caller's history for the screen pop. */
  askCaller: boolean;
  /** The call is now answered: the caller it reached is done with their call backs (in `ops`). */
  reached: boolean;
  ops: TicketOp[];
}

/** The agent behind an extension, if any. */
export type AgentIdOf = (extension: string | null) => string | undefined;

export function requestEffects(fact: CallHappening, callKey: string, progress: CallProgress, agentIdOf: AgentIdOf, at: Date): RequestEffects {
  const call = fact.call;
  const effects: RequestEffects = { draft: false, askCaller: false, reached: false, ops: [] };
  // A blocked caller's call is only logged: no draft, no history for a pop, no owner, no call-back
  // (neither a new one when missed nor the caller's earlier ones closed when answered).
  if (call.blocked) return effects;
  switch (fact.kind) {
    case 'call.started':
    case 'call.updated':
      effects.draft = call.supportLine && !progress.hasDraft;
      effects.askCaller = call.supportLine && !progress.asked;
      break;
    case 'leg.answered': {
      const agentId = agentIdOf(fact.extension);
      if (fact.first && agentId) effects.ops.push({ kind: 'owner', callKey, agentId, fromAgentId: null, at });
      break;
    }
    case 'call.transferred': {
      const to = agentIdOf(fact.to);
      if (to) effects.ops.push({ kind: 'owner', callKey, agentId: to, fromAgentId: agentIdOf(fact.from) ?? null, at });
      break;
    }
    case 'call.ended':
      if (call.supportLine && call.outcome === 'missed') effects.ops.push({ kind: 'missed', callKey, at });
      break;
    case 'leg.ringing':
    case 'leg.ring_stopped':
      break;
    default: {
      const _: never = fact;
      return _;
    }
  }
  if (call.answeredAt !== null && !progress.reached) {
    // Answered (by an agent, or an agent's call out answered by the customer): that caller is reached.
    effects.reached = true;
    const number = call.direction === 'outbound' ? call.calledNumber : call.callerNumber;
    if (number) effects.ops.push({ kind: 'callback_reached', callKey, number, at });
  }
  return effects;
}
