// The words of the request lifecycle: statuses, list views, priorities, reasons, channels. No
// imports, so the browser app uses the very same lists (bundled without any server code).
export const TICKET_STATUSES = ['draft', 'registered', 'in_progress', 'completed', 'closed', 'discarded'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

/**
 * Open requests: registered and not yet closed (a completed one waits for the customer, R7–R10).
 * Migration 1795706149529-AddOpenTicketIndexes indexes exactly this set; a test keeps the two equal.
 */
export const OPEN_STATUSES = ['registered', 'in_progress', 'completed'] as const satisfies readonly TicketStatus[];

/** The request lists' views («Мои», «Неразобранные», «Открытые», «Ожидают подтверждения», «Закрытые»). */
export const LIST_VIEWS = ['mine', 'unassigned', 'open', 'awaiting', 'closed'] as const;
export type ListView = (typeof LIST_VIEWS)[number];

/** R3: worked in this order; `critical` stops the whole system or blocks the customer's work. */
export const PRIORITIES = ['critical', 'high', 'normal', 'low'] as const;
export type Priority = (typeof PRIORITIES)[number];
export const DEFAULT_PRIORITY: Priority = 'normal';

/** Sort rank for R3: lower is worked first. */
export const PRIORITY_RANK: Readonly<Record<Priority, number>> = { critical: 0, high: 1, normal: 2, low: 3 };

/** Orders by R3 priority, most urgent first (for `Array.prototype.sort`). */
export function comparePriority(a: Priority, b: Priority): number {
  return PRIORITY_RANK[a] - PRIORITY_RANK[b];
}

/** Why a request was closed: R9 confirmed, R10 no_reply, R11 withdrawn, and staff's duplicate / error. */
export const CLOSE_REASONS = ['confirmed', 'no_reply', 'withdrawn', 'duplicate', 'error'] as const;
export type CloseReason = (typeof CLOSE_REASONS)[number];
/** The close reasons staff may choose themselves; the others are the customer's or R10's. */
export const STAFF_CLOSE_REASONS = ['duplicate', 'error'] as const satisfies readonly CloseReason[];
export type StaffCloseReason = (typeof STAFF_CLOSE_REASONS)[number];

/** Why a draft was dropped without registration (it never gets a number). */
export const DISCARD_REASONS = [
  'wrong_number',
  'test',
  'duplicate',
  'linked', // the call was about an existing request
  'callback_done', // a missed call whose caller was reached
] as const;
export type DiscardReason = (typeof DISCARD_REASONS)[number];

/** How the customer reached support; e-mail and the web link come in a later milestone. */
/** How the request came: `web` is the API's default (a script, an integration). */
export const CHANNELS = ['phone', 'email', 'in_person', 'other', 'web'] as const;
export type Channel = (typeof CHANNELS)[number];
