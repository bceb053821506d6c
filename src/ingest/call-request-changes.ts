// The request changes calls cause (named by request-effects.ts: the answering agent owns the draft,
// a missed call's draft waits for a call back, a call that reaches a caller ends their waiting
// call-back drafts) decided by the request rules, `decide`, like a person's changes: on the drafts
// as loaded under lock, in the order the calls caused them. Pure: the call store loads and stores.
import type { OpDraft, RequestChanges, TicketOp } from '../db/call-store';
import type { TicketCommand } from '../tickets/commands';
import { decide } from '../tickets/decide';
import type { BusinessTime } from '../tickets/decision';
import { SYSTEM_ACTOR, type TicketState } from '../tickets/ticket';

export function decideCallOps(ops: readonly TicketOp[], loaded: OpDraft[], callIdOf: (callKey: string) => string | null, calendar: BusinessTime): RequestChanges {
  const out: RequestChanges = { changed: [], links: [], journal: [] };
  const changedAt = new Map<string, { next: TicketState; at: Date }>();
  const byOrigin = new Map(loaded.filter((d) => d.originKey !== null).map((d) => [d.originKey!, d]));
  const byId = [...loaded].sort((a, b) => (a.state.id < b.state.id ? -1 : a.state.id > b.state.id ? 1 : 0));

  const apply = (draft: OpDraft, command: TicketCommand, at: Date, callId: string | null): void => {
    const d = decide(command, draft.state, { now: at, actor: SYSTEM_ACTOR, calendar, callId });
    if (!d.ok || (d.events.length === 0 && d.next.version === draft.state.version)) return;
    for (const c of d.next.callIds) if (!draft.state.callIds.includes(c)) out.links.push({ ticketId: d.next.id, callId: c, at });
    for (const event of d.events) out.journal.push({ ticketId: d.next.id, at, event });
    draft.state = d.next;
    const entry = changedAt.get(d.next.id);
    if (entry) {
      entry.next = d.next;
      entry.at = at;
    } else {
      const first = { next: d.next, at };
      changedAt.set(d.next.id, first);
      out.changed.push(first);
    }
  };

  for (const op of ops) {
    const callId = callIdOf(op.callKey);
    switch (op.kind) {
      case 'owner': {
        // Ownership follows the call while its request is a draft; once registered, people assign.
        const draft = byOrigin.get(op.callKey);
        if (draft?.state.status === 'draft') apply(draft, { type: 'assign', assignees: [op.agentId], reason: op.fromAgentId ? 'transferred' : 'answered' }, op.at, callId);
        break;
      }
      case 'missed': {
        const draft = byOrigin.get(op.callKey);
        if (draft) apply(draft, { type: 'mark_missed' }, op.at, callId);
        break;
      }
      case 'callback_reached':
        if (callId === null) break;
        for (const draft of byId) {
          const s = draft.state;
          if (s.status !== 'draft' || !s.callbackNeeded || s.callerNumber !== op.number || draft.originKey === op.callKey) continue;
          apply(draft, { type: 'link_call', callId }, op.at, callId);
          apply(draft, { type: 'discard', reason: 'callback_done' }, op.at, callId);
        }
        break;
      default: {
        const _: never = op;
        return _;
      }
    }
  }
  return out;
}
