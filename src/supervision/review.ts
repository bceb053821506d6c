// The review queue's rules: what needs a supervisor's second look, and when. Each kind is found
// by a query (db/review-queries.ts) and, where the rule counts business time, checked here
// against the support calendar. An item's id names its kind and subject, so resolving it is
// remembered and the same cause does not come back; an item also leaves once its cause is gone.

export const REVIEW_KINDS = [
  'answered_without_request',
  'thin_description',
  'critical_not_started',
  'callback_overdue',
  'reopened_twice',
  'call_gap',
  'unassigned',
  'customer_unanswered',
  'mail_quarantined',
  'surge',
] as const;
export type ReviewKind = (typeof REVIEW_KINDS)[number];

export interface ReviewThresholds {
  /** An answered support call's draft still unregistered this long after the hang-up. */
  draftAfterCallMinutes: number;
  /** A registered request's description shorter than this. */
  thinDescriptionChars: number;
  /** A critical request not in progress this many business minutes after registration. */
  criticalStartBusinessMinutes: number;
  /** A registered request with no assignee for this many business minutes. */
  unassignedBusinessMinutes: number;
  /** A customer who wrote (or disagreed) waiting this many business minutes for an agent to act. */
  customerUnansweredBusinessMinutes: number;
  /** Requests reopened this many times. */
  reopenedTimes: number;
  /** Calls with a gap (the PBX unseen for part of them) from this many days back. */
  callGapDays: number;
}

export const DEFAULT_REVIEW_THRESHOLDS: ReviewThresholds = {
  draftAfterCallMinutes: 15,
  thinDescriptionChars: 20,
  criticalStartBusinessMinutes: 30,
  unassignedBusinessMinutes: 60,
  // Two support hours, as a missed caller's call back.
  customerUnansweredBusinessMinutes: 120,
  reopenedTimes: 2,
  callGapDays: 7,
};

/** What an item is about, for the supervisor to judge it without opening it. */
export interface ReviewDetail {
  ticketNumber?: string | null;
  callerNumber?: string | null;
  descriptionLength?: number;
  reopened?: number;
  dueAt?: string;
  calls?: number;
  numbers?: number;
  /** Since when the customer waits for an answer. */
  customerWroteAt?: string;
  /** A quarantined mail's sender and why it could not be read. */
  from?: string | null;
  reason?: string | null;
}

export interface ReviewItem {
  id: string;
  kind: ReviewKind;
  /** Since when it needs a look (when the rule's time ran out, or the cause began). */
  since: Date;
  callId: string | null;
  ticketId: string | null;
  detail: ReviewDetail;
}

/** The item's id: its kind and subject (and, for a count, the count: a third reopening is news again). */
export const reviewItemId = (kind: ReviewKind, subject: string, nth?: number) => `${kind}:${subject}${nth === undefined ? '' : `:${nth}`}`;

export function parseReviewItemId(id: string): { kind: ReviewKind; subject: string } | null {
  const [kind, subject] = id.split(':');
  return (REVIEW_KINDS as readonly string[]).includes(kind) && subject ? { kind: kind as ReviewKind, subject } : null;
}

/** The calendar's answer to "when does this much support time after `start` end?". */
export type AddSupportTime = (start: Date, ms: number) => Date;

/** When a business-time rule's time runs out: `minutes` of support time after `from`. */
export const businessDeadline = (addSupportTime: AddSupportTime, from: Date, minutes: number) => addSupportTime(from, minutes * 60_000);
