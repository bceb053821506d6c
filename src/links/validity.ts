// What a customer link allows now. A link offers some of confirm / disagree / withdraw for one
// request; one decision per link; the request's state must still be the one it was sent for (a
// completion's links belong to that completion); it shows a page until 30 days after the request
// closed. Pure: the link, the request and the time are handed in.
export const LINK_ACTIONS = ['confirm', 'disagree', 'withdraw'] as const;
export type LinkAction = (typeof LINK_ACTIONS)[number];

export const LINK_DAYS_AFTER_CLOSE = 30;

export interface LinkFacts {
  actions: readonly string[];
  /** The completion the links were sent for (confirm / disagree). */
  completedAt: Date | null;
  usedAt: Date | null;
  usedAction: string | null;
}

export interface RequestNow {
  status: string;
  completedAt: Date | null;
  closedAt: Date | null;
}

export type LinkState =
  | { kind: 'expired' }
  | { kind: 'used'; action: string | null }
  | { kind: 'outdated'; status: string }
  | { kind: 'open'; actions: LinkAction[] };

const OPEN = ['registered', 'in_progress', 'completed'];

export function linkState(link: LinkFacts, request: RequestNow, now: Date): LinkState {
  if (request.closedAt && now.getTime() > request.closedAt.getTime() + LINK_DAYS_AFTER_CLOSE * 86_400_000) return { kind: 'expired' };
  if (link.usedAt) return { kind: 'used', action: link.usedAction };
  const actions = LINK_ACTIONS.filter((a) => link.actions.includes(a) && allowedNow(a, link, request));
  return actions.length ? { kind: 'open', actions } : { kind: 'outdated', status: request.status };
}

function allowedNow(action: LinkAction, link: LinkFacts, r: RequestNow): boolean {
  if (action === 'withdraw') return OPEN.includes(r.status);
  // Reopened and completed again: the new completion has its own links.
  return r.status === 'completed' && link.completedAt !== null && r.completedAt !== null && link.completedAt.getTime() === r.completedAt.getTime();
}
