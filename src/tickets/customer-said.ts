// What the customer said on a request by themselves — their e-mail on its thread, their decision on
// the page of a mail's link — so that the request's people are told at once (an agent relaying the
// customer's words on a call is not news to anyone), and whether the customer is still waiting for
// an answer. Pure.
import type { CustomerDecision, JournalEvent, TicketStatus } from './ticket';

export interface CustomerSaid {
  said: 'message' | CustomerDecision;
  /** Their words (the mail's text, the reason of a disagreement), clipped for a note; '' when none. */
  text: string;
  /** A mail to a completed request saying it is not solved (R8: the assignee relays it). */
  notSolved: boolean;
}

const NOTE_TEXT = 300;
const clip = (s: string) => (s.length > NOTE_TEXT ? `${s.slice(0, NOTE_TEXT - 1)}…` : s);

/** The customer's own word among a change's entries, when the change was theirs (no agent made it). */
export function customerSaid(events: readonly JournalEvent[], byAgent: boolean): CustomerSaid | null {
  if (byAgent) return null;
  for (const e of events) {
    if (e.kind === 'customer_message') return { said: 'message', text: clip(e.data.text), notSolved: e.data.notSolved };
    if (e.kind === 'customer_decision' && e.data.channel === 'link') return { said: e.data.decision, text: clip(e.data.comment ?? ''), notSolved: false };
  }
  return null;
}

// What an agent does on a request that answers a waiting customer: a reply or comment, a status
// change, a solution, a decision of the customer relayed. Typing in its fields does not.
const ANSWERS = new Set<JournalEvent['kind']>(['comment', 'status_changed', 'solution', 'customer_decision']);

/**
 * Since when the customer waits after a change: from their mail or their disagreement (by
 * themselves), until an agent acts on the request or it closes.
 */
export function customerWaitsSince(before: Date | null, events: readonly JournalEvent[], byAgent: boolean, status: TicketStatus, now: Date): Date | null {
  if (status === 'closed') return null;
  if (byAgent) return events.some((e) => ANSWERS.has(e.kind)) ? null : before;
  const said = customerSaid(events, false);
  return said && (said.said === 'message' || said.said === 'disagreed') ? now : before;
}
