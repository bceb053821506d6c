// Who may do what to a request, by role and by relation to it (the service itself may do anything).
import { type Actor, type TicketState } from './ticket';
import { Forbidden } from './errors';
import { sameSet } from './checks';
import { type TicketCommand } from './commands';

// ---- Who may do what (docs/requests.md) ----

/** How the acting agent stands to the request. */
export interface TicketRelation {
  /** The agent is one of its assignees. */
  isAssignee: boolean;
  /** The agent answered a call the draft belongs to. */
  answeredTheCall: boolean;
}

export function relationOf(ticket: TicketState, agentId: string | null, answeredTheCall: boolean): TicketRelation {
  return { isAssignee: agentId !== null && ticket.assignees.includes(agentId), answeredTheCall };
}

/**
 * Whether `actor` may run `command` on `ticket`; null when allowed. Supervisors and admins may do
 * everything but R10's auto-close, which only the service does. Agents: edit and work drafts of calls
 * they answered and requests assigned to them; relay a customer's decision, comment on and link calls
 * to any registered request; never change assignees (supervisors assign).
 */
export function authorize(command: TicketCommand, ticket: TicketState, actor: Actor, relation: TicketRelation): Forbidden | null {
  const role = actor.role;
  if (role === 'system') return null;
  if (command.type === 'auto_close') {
    return new Forbidden(command.type, role, 'R10: only the service closes a request for silence; staff close as duplicate or error');
  }
  if (command.type === 'mark_missed') return new Forbidden(command.type, role, 'only the service marks a call as missed');
  if (command.type === 'customer_message') return new Forbidden(command.type, role, "only the e-mail intake records a customer's mail");
  if (role === 'supervisor' || role === 'admin') return null;
  const owns = relation.isAssignee || (ticket.status === 'draft' && relation.answeredTheCall);
  const ownsMessage = ticket.status === 'draft'
    ? 'agents work drafts of calls they answered or that are assigned to them'
    : 'agents work requests assigned to them';
  switch (command.type) {
    case 'reopen':
    case 'confirm':
    case 'withdraw':
    case 'customer_contact':
      return null; // any agent relays the customer's word
    case 'comment':
    case 'link_call':
      return ticket.status === 'draft' && !owns ? new Forbidden(command.type, role, ownsMessage) : null;
    case 'assign':
      return new Forbidden(command.type, role, 'supervisors assign requests');
    case 'register':
    case 'edit': {
      const fields = command.type === 'register' ? command.fields : command.changes;
      // On register an empty list means "the default" (see decide), not unassigning.
      const noChoice = command.type === 'register' && fields?.assignees?.length === 0;
      if (fields?.assignees !== undefined && !noChoice && !sameSet(fields.assignees, ticket.assignees)) {
        return new Forbidden(command.type, role, 'supervisors assign requests');
      }
      return owns ? null : new Forbidden(command.type, role, ownsMessage);
    }
    case 'start':
    case 'complete':
    case 'close':
    case 'discard':
    case 'mark_number_told':
      return owns ? null : new Forbidden(command.type, role, ownsMessage);
    default: {
      const _: never = command;
      return _;
    }
  }
}
