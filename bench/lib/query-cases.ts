// What the queries phase asks for: every filter and view of GET /api/calls and GET /api/tickets
// (not a typical one: the slowest filter is the one a user waits on), full-text search for words of
// every frequency alone and with the filters it is used with, and the reports.
import { SEED_SPAN_MS, SEED_START, SEED_WORDS, seedCaller, seedRegistered } from './seed';

export type Endpoint = 'calls' | 'tickets' | 'search' | 'reports';

export interface Case {
  endpoint: Endpoint;
  name: string;
  path: () => string;
  /** Pages after the first, followed by cursor (only those are timed). */
  pages?: number;
  /** Sign in as the busy agent (the «Мои» view), else as a supervisor. */
  asBusyAgent?: boolean;
}

/** The p95 each case must meet at a million rows: a page of a list 50 ms, a report 200 ms. */
export const CASE_TARGET_MS: Record<Endpoint, number> = { calls: 50, tickets: 50, search: 50, reports: 200 };

export interface CaseContext {
  rows: number;
  rnd: () => number;
  /** The seeded agents in extension order; the first is the busy one (SEED_BUSY_AGENT). */
  agents: string[];
}

export function queryCases({ rows, rnd, agents }: CaseContext): Case[] {
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
  const day = 86_400_000;
  const someDay = () => new Date(SEED_START + Math.floor(rnd() * (SEED_SPAN_MS / day - 7)) * day);
  const iso = (d: Date) => d.toISOString();
  const days = (n: number) => {
    const d = someDay();
    return `since=${iso(d)}&until=${iso(new Date(+d + n * day))}`;
  };
  const someG = () => 1 + Math.floor(rnd() * (rows - 1));
  const someCaller = () => encodeURIComponent(seedCaller(someG()));
  const someNumber = () => {
    let g: number;
    do g = someG();
    while (!seedRegistered(g));
    const year = new Date(SEED_START + (g * SEED_SPAN_MS) / rows + 3 * 3600_000).getUTCFullYear();
    // As a caller reads it out: the service finds `2025-42` as `2025-000042`.
    return `${year}-${g}`;
  };
  const busy = agents[0];
  const someAgent = () => pick(agents.slice(1));
  const OPEN = 'status=registered&status=in_progress&status=completed';
  const q = (w: string) => `/api/tickets?q=${encodeURIComponent(w)}`;
  const once = () => q(SEED_WORDS.once(someG()));
  const rare = () => q(SEED_WORDS.rareCode(Math.floor(rnd() * 20_000)));
  const sixth = () => q(SEED_WORDS.oneInSix);
  const common = () => q(pick(SEED_WORDS.common));
  const period = (n: number, groupBy: string) => `${days(n)}&groupBy=${groupBy}`;
  const c = (endpoint: Endpoint, name: string, path: () => string, more: Partial<Case> = {}): Case => ({ endpoint, name, path, ...more });
  return [
    c('calls', 'newest first', () => `/api/calls?limit=50`),
    c('calls', 'pages 2–5 (cursor)', () => `/api/calls?limit=50`, { pages: 4 }),
    c('calls', 'one day', () => `/api/calls?${days(1)}`),
    c('calls', 'by agent', () => `/api/calls?agentId=${someAgent()}`),
    c('calls', 'by the busy agent (a third of all calls)', () => `/api/calls?agentId=${busy}`),
    c('calls', 'missed', () => `/api/calls?outcome=missed`),
    c('calls', 'missed support-line', () => `/api/calls?outcome=missed&supportLine=true`),
    c('calls', 'not the support line', () => `/api/calls?supportLine=false`),
    c('calls', 'by caller number', () => `/api/calls?callerNumber=${someCaller()}`),
    c('calls', 'after hours, one week', () => `/api/calls?afterHours=true&${days(7)}`),
    c('calls', 'agent + missed, one month', () => `/api/calls?agentId=${someAgent()}&outcome=missed&${days(30)}`),
    c('calls', 'queue', () => `/api/calls?queue=support`),
    c('calls', 'outbound', () => `/api/calls?direction=outbound`),
    c('calls', 'blocked (none)', () => `/api/calls?blocked=true`),
    c('calls', 'gaps (none)', () => `/api/calls?gap=true`),
    c('calls', 'live (none)', () => `/api/calls?live=true`),

    c('tickets', 'work queue (priority order)', () => `/api/tickets?limit=50`),
    c('tickets', 'work queue, pages 2–5 (cursor)', () => `/api/tickets?limit=50`, { pages: 4 }),
    c('tickets', 'newest first', () => `/api/tickets?sort=newest`),
    c('tickets', 'view: mine (the busy agent)', () => `/api/tickets?view=mine`, { asBusyAgent: true }),
    c('tickets', 'view: open (with the count)', () => `/api/tickets?view=open`),
    c('tickets', 'view: awaiting confirmation', () => `/api/tickets?view=awaiting`),
    c('tickets', 'view: closed, newest first', () => `/api/tickets?view=closed`),
    c('tickets', 'view: unassigned', () => `/api/tickets?view=unassigned`),
    ...['draft', 'registered', 'in_progress', 'completed', 'closed', 'discarded'].map((s) => c('tickets', `status=${s}`, () => `/api/tickets?status=${s}`)),
    c('tickets', 'open (registered, in progress)', () => `/api/tickets?status=registered&status=in_progress`),
    c('tickets', 'open, pages 2–5 (cursor)', () => `/api/tickets?status=registered&status=in_progress`, { pages: 4 }),
    ...['critical', 'high', 'normal', 'low'].map((p) => c('tickets', `priority=${p}`, () => `/api/tickets?priority=${p}`)),
    c('tickets', 'priority=low, pages 2–5 (cursor)', () => `/api/tickets?priority=low`, { pages: 4 }),
    c('tickets', 'priority=critical, open', () => `/api/tickets?priority=critical&${OPEN}`),
    c('tickets', 'assignee', () => `/api/tickets?assignee=${someAgent()}`),
    c('tickets', 'assignee: the busy agent (a third)', () => `/api/tickets?assignee=${busy}`),
    c('tickets', 'assignee: the busy agent, pages 2–5', () => `/api/tickets?assignee=${busy}`, { pages: 4 }),
    c('tickets', 'assignee, open', () => `/api/tickets?assignee=${someAgent()}&${OPEN}`),
    c('tickets', 'assignee: the busy agent, open', () => `/api/tickets?assignee=${busy}&${OPEN}`),
    c('tickets', 'assignee: the busy agent, closed', () => `/api/tickets?assignee=${busy}&status=closed`),
    c('tickets', 'assignee: the busy agent, newest first', () => `/api/tickets?assignee=${busy}&sort=newest`),
    c('tickets', 'drafts waiting for a call back', () => `/api/tickets?status=draft&callbackNeeded=true`),
    c('tickets', 'waiting for a call back', () => `/api/tickets?callbackNeeded=true`),
    c('tickets', 'by caller number', () => `/api/tickets?callerNumber=${someCaller()}`),
    c('tickets', 'by journal number', () => `/api/tickets?number=${someNumber()}`),
    ...['email', 'web', 'in_person', 'other', 'phone'].map((ch) => c('tickets', `channel=${ch}`, () => `/api/tickets?channel=${ch}`)),
    c('tickets', 'product version', () => `/api/tickets?productVersion=5.${Math.floor(rnd() * 9)}`),
    c('tickets', 'fixed in', () => `/api/tickets?fixedIn=5.${1 + Math.floor(rnd() * 9)}`),
    c('tickets', 'contact (none)', () => `/api/tickets?contactId=${someAgent()}`),
    c('tickets', 'organisation (none)', () => `/api/tickets?organisationId=${someAgent()}`),
    c('tickets', 'incident children (none)', () => `/api/tickets?parentId=${someAgent()}`),
    c('tickets', 'one week', () => `/api/tickets?${days(7)}`),
    c('tickets', 'one week, newest first', () => `/api/tickets?sort=newest&${days(7)}`),

    c('search', 'a word in one request', once),
    c('search', 'a word in one request, newest first', () => `${once()}&sort=newest`),
    c('search', 'a word in one request, open', () => `${once()}&${OPEN}`),
    c('search', 'a code in ~50 requests', rare),
    c('search', 'a code in ~50 requests, closed', () => `${rare()}&view=closed`),
    c('search', 'a code in one request of six (ORA-01017)', sixth),
    c('search', 'ORA-01017, newest first', () => `${sixth()}&sort=newest`),
    c('search', 'ORA-01017, open', () => `${sixth()}&${OPEN}`),
    c('search', 'ORA-01017, closed', () => `${sixth()}&view=closed`),
    c('search', 'ORA-01017, critical', () => `${sixth()}&priority=critical`),
    c('search', 'ORA-01017, pages 2–5', sixth, { pages: 4 }),
    c('search', 'a common word', common),
    c('search', 'a common word, newest first', () => `${common()}&sort=newest`),
    c('search', 'a common word, open', () => `${common()}&${OPEN}`),
    c('search', 'a common word, critical', () => `${common()}&priority=critical`),
    c('search', 'a common word, the busy agent', () => `${common()}&assignee=${busy}`),
    c('search', 'two words (one common, one rare)', () => q(`${pick(SEED_WORDS.common)} ${SEED_WORDS.rareCode(Math.floor(rnd() * 20_000))}`)),
    c('search', 'a word in none', () => q('ничегоподобного')),
    c('search', 'a request number', () => q(someNumber())),

    c('reports', 'calls: a week by day', () => `/api/reports/calls?${period(7, 'day')}`),
    c('reports', 'calls: a month by day', () => `/api/reports/calls?${period(30, 'day')}`),
    c('reports', 'calls: a week by hour, one agent', () => `/api/reports/calls?${period(7, 'hour')}&agentId=${someAgent()}`),
    c('reports', 'requests: a week by day', () => `/api/reports/tickets?${period(7, 'day')}`),
    c('reports', 'requests: a month by week', () => `/api/reports/tickets?${period(30, 'week')}`),
    c('reports', 'requests: a week, critical', () => `/api/reports/tickets?${period(7, 'day')}&priority=critical`),
    c('reports', 'requests: the default week (backlog from all open now)', () => `/api/reports/tickets`),
    c('reports', 'live board (presence, waiting, today, surge)', () => `/api/board`),
    c('reports', 'review queue (every rule)', () => `/api/review`),
  ];
}
