// What a user may do to a request now, for the request page: each action tried against the very
// rules a real command meets — `authorize`, then `decide` with placeholder arguments. A rejection
// for the arguments (an empty comment, say) still means the action is there to take; only "not
// allowed for you" and "not from this status" take it away. No rule is written twice.
import type { TicketCommand, TicketCommandType } from './commands';
import { decide } from './decide';
import type { DecideContext } from './decision';
import { IllegalTransition } from './errors';
import { authorize, type TicketRelation } from './permissions';
import type { TicketState } from './ticket';

/** The actions a person takes on a request's page, in the order the page offers them. */
export const PAGE_ACTIONS = [
  'register',
  'start',
  'complete',
  'confirm',
  'reopen',
  'customer_contact',
  'withdraw',
  'close',
  'discard',
  'comment',
  'assign',
  'edit',
  'link_call',
  'mark_number_told',
] as const satisfies readonly TicketCommandType[];
export type PageAction = (typeof PAGE_ACTIONS)[number];

function tryOut(action: PageAction, s: TicketState): TicketCommand {
  switch (action) {
    case 'complete':
      return { type: action, solution: '-' };
    case 'reopen':
      return { type: action, comment: '-' };
    case 'close':
      return { type: action, reason: 'duplicate' };
    case 'discard':
      return { type: action, reason: 'duplicate' };
    case 'comment':
      return { type: action, text: '-' };
    case 'assign':
      // A person assigns by editing the assignees (the `assign` command is ownership following a call).
      return { type: 'edit', changes: { assignees: [...s.assignees, '-'] } };
    case 'edit':
      return { type: action, changes: {} };
    case 'link_call':
      return { type: action, callId: '-' };
    default:
      return { type: action };
  }
}

export function availableActions(state: TicketState, relation: TicketRelation, ctx: DecideContext): PageAction[] {
  return PAGE_ACTIONS.filter((action) => {
    const command = tryOut(action, state);
    if (authorize(command, state, ctx.actor, relation)) return false;
    const decision = decide(command, state, ctx);
    return decision.ok || !(decision.error instanceof IllegalTransition);
  });
}
