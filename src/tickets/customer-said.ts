// What the customer said on a request by themselves — their e-mail on its thread, their decision on
// the page of a mail's link — so that the request's people are told at once (an agent relaying the
// customer's words on a call is not news to anyone). Pure.
import type { CustomerDecision, JournalEvent } from './ticket';

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
