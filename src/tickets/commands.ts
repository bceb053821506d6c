// The commands a request takes, and the status changes they make (regulation R1–R11).
import {
  type AssignReason,
  type CloseReason,
  type DiscardReason,
  type StaffCloseReason,
  type TicketFields,
  type TicketStatus,
  DISCARD_REASONS,
  STAFF_CLOSE_REASONS,
  type DecisionChannel,
} from './ticket';
import { IllegalTransition, ValidationError } from './errors';
import { isOneOf } from './checks';

// ---- Commands ----

export type TicketCommand =
  /** R1: draft → registered; `fields` are last-moment edits sent with the click. */
  | { type: 'register'; fields?: Partial<TicketFields> }
  /** Change content, priority or assignees (journaled per field after registration, R6). */
  | { type: 'edit'; changes: Partial<TicketFields> }
  /** Ownership follows the call: the answering agent, or the transfer target (service-driven). */
  | { type: 'assign'; assignees: string[]; reason: AssignReason }
  | { type: 'start' }
  /** R7: the solution has been delivered. */
  | { type: 'complete'; solution: string }
  /** R8: the customer's reasoned disagreement. */
  | { type: 'reopen'; comment: string; channel?: DecisionChannel }
  /** R9: the customer confirms. */
  | { type: 'confirm'; comment?: string | null; channel?: DecisionChannel }
  /** R11: the customer no longer needs it. */
  | { type: 'withdraw'; comment?: string | null; channel?: DecisionChannel }
  /** Staff close it as a duplicate or an error. */
  | { type: 'close'; reason: StaffCloseReason; comment?: string | null }
  /** R10: silence since completion (the service's job). */
  | { type: 'auto_close' }
  /** R10: the customer was in touch without confirming or disagreeing: the count restarts. */
  | { type: 'customer_contact'; comment?: string | null }
  /** The customer wrote (an e-mail on the request's thread): journaled as theirs; restarts R10 like a contact. */
  | { type: 'customer_message'; text: string; channel: 'email'; messageId: string; notSolved?: boolean }
  | { type: 'discard'; reason: DiscardReason; comment?: string | null; relatedTicketId?: string | null }
  /** R2: the number was read out to the customer. */
  | { type: 'mark_number_told' }
  /** `toCustomer`: the text goes to the customer by e-mail (an agent's reply). */
  | { type: 'comment'; text: string; toCustomer?: boolean }
  | { type: 'link_call'; callId: string }
  /** A support-line call nobody answered: its ownerless draft waits for a call back (service-driven). */
  | { type: 'mark_missed' };

export type TicketCommandType = TicketCommand['type'];

export const COMMAND_TYPES = [
  'register',
  'edit',
  'assign',
  'start',
  'complete',
  'reopen',
  'confirm',
  'withdraw',
  'close',
  'auto_close',
  'customer_contact',
  'customer_message',
  'discard',
  'mark_number_told',
  'comment',
  'link_call',
] as const satisfies readonly TicketCommandType[];

/** Commands that carry the customer's word (journaled `onBehalfOf: customer`); any agent may relay them. */
export const CUSTOMER_COMMANDS = ['reopen', 'confirm', 'withdraw', 'customer_contact'] as const satisfies readonly TicketCommandType[];

// ---- Transitions ----

export type TransitionCommand = 'register' | 'discard' | 'start' | 'complete' | 'reopen' | 'confirm' | 'withdraw' | 'close' | 'auto_close';

/** One way out of a status: the command, where it leads and the reasons it records. */
export interface Transition {
  command: TransitionCommand;
  to: TicketStatus;
  reasons?: readonly (CloseReason | DiscardReason)[];
}

const WITHDRAW: Transition = { command: 'withdraw', to: 'closed', reasons: ['withdrawn'] };
const STAFF_CLOSE: Transition = { command: 'close', to: 'closed', reasons: STAFF_CLOSE_REASONS };

const TRANSITIONS: Readonly<Record<TicketStatus, readonly Transition[]>> = {
  draft: [
    { command: 'register', to: 'registered' },
    { command: 'discard', to: 'discarded', reasons: DISCARD_REASONS },
  ],
  registered: [{ command: 'start', to: 'in_progress' }, WITHDRAW, STAFF_CLOSE],
  in_progress: [{ command: 'complete', to: 'completed' }, WITHDRAW, STAFF_CLOSE],
  completed: [
    { command: 'reopen', to: 'in_progress' },
    { command: 'confirm', to: 'closed', reasons: ['confirmed'] },
    { command: 'auto_close', to: 'closed', reasons: ['no_reply'] },
    WITHDRAW,
    STAFF_CLOSE,
  ],
  closed: [],
  discarded: [],
};

/** The status changes possible from `status` (what a 409 lists). */
export function allowedTransitions(status: TicketStatus): readonly Transition[] {
  return TRANSITIONS[status];
}

/** The body of `POST /api/tickets/:id/transitions`. */
export interface TransitionRequest {
  to: string;
  reason?: string | null;
  comment?: string | null;
  solution?: string | null;
}

/**
 * Reads a transitions request as the command it means in `status` (to `in_progress` is `start` from
 * registered and `reopen` from completed; to `closed` depends on `reason`). Malformed → ValidationError,
 * a target not reachable from `status` → IllegalTransition.
 */
export function commandForTransition(
  request: TransitionRequest,
  status: TicketStatus,
): { ok: true; command: TicketCommand } | { ok: false; error: ValidationError | IllegalTransition } {
  const ok = (command: TicketCommand) => ({ ok: true as const, command });
  const comment = request.comment ?? null;
  switch (request.to) {
    case 'registered':
      return ok({ type: 'register' });
    case 'in_progress':
      return ok(status === 'completed' ? { type: 'reopen', comment: comment ?? '' } : { type: 'start' });
    case 'completed':
      return ok({ type: 'complete', solution: request.solution ?? '' });
    case 'closed':
      switch (request.reason) {
        case 'confirmed':
          return ok({ type: 'confirm', comment });
        case 'withdrawn':
          return ok({ type: 'withdraw', comment });
        case 'no_reply':
          return ok({ type: 'auto_close' });
        case 'duplicate':
        case 'error':
          return ok({ type: 'close', reason: request.reason, comment });
        default:
          return { ok: false, error: new ValidationError('reason', `closing needs a reason: confirmed, withdrawn, duplicate or error`) };
      }
    case 'discarded':
      if (!isOneOf(DISCARD_REASONS, request.reason)) {
        return { ok: false, error: new ValidationError('reason', `discarding needs a reason: ${DISCARD_REASONS.join(', ')}`) };
      }
      return ok({ type: 'discard', reason: request.reason, comment });
    case 'draft':
      return { ok: false, error: new IllegalTransition('register', status, allowedTransitions(status)) };
    default:
      return { ok: false, error: new ValidationError('to', `"${request.to}" is not a status`) };
  }
}
