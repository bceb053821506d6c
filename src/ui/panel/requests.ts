// The request workspace's data: the lists (views, search, a priority filter), one request found by
// its number, and the actions on it — each through the same API a script would use. Lists and pages
// follow the socket's `ticket.updated`.
import type { Agent } from '../../wire/agent';
import type { Ticket, TicketDetail } from '../../wire/ticket';
import { api, queryString } from './api';
import { moscowDayStart } from './format';
import type { Priority } from './fields';
import { CHANNELS, LIST_VIEWS, PRIORITIES, TICKET_STATUSES, type ListView } from '../../tickets/vocabulary';

export { CHANNELS, LIST_VIEWS as VIEWS } from '../../tickets/vocabulary';
export type View = ListView;

export interface ListQuery {
  view: View;
  q: string;
  priority: Priority | '';
  channel: string;
  assignee: string;
  fixedIn: string;
  /** Created on or after this day (yyyy-mm-dd, Moscow). */
  from: string;
  /** Created on or before this day. */
  to: string;
  /** One status within the view ('' for all of it). */
  status: string;
  /** Whose requests: a contact or an organisation of the directory. */
  contactId: string;
  organisationId: string;
  /** '1': only the requests whose customer wrote and waits for an answer. */
  waits: string;
}

/** The filters besides the view and the search, as they appear in the address. */
const FILTERS = ['priority', 'channel', 'assignee', 'fixedIn', 'from', 'to', 'status', 'contactId', 'organisationId', 'waits'] as const;
const ID = /^[0-9a-f-]{36}$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

export function readListQuery(query: Record<string, string>): ListQuery {
  const oneOf = (xs: readonly string[], v: string | undefined) => (v !== undefined && xs.includes(v) ? v : '');
  const view = (oneOf(LIST_VIEWS, query.view) || 'mine') as View;
  const priority = oneOf(PRIORITIES, query.priority) as Priority | '';
  const channel = oneOf(CHANNELS, query.channel);
  const day = (v: string | undefined) => (v && DAY.test(v) ? v : '');
  const id = (v: string | undefined) => (v && ID.test(v) ? v : '');
  return {
    view,
    q: query.q ?? '',
    priority,
    channel,
    assignee: id(query.assignee),
    fixedIn: query.fixedIn ?? '',
    from: day(query.from),
    to: day(query.to),
    status: oneOf(TICKET_STATUSES, query.status),
    contactId: id(query.contactId),
    organisationId: id(query.organisationId),
    waits: query.waits === '1' ? '1' : '',
  };
}

export function listUrl(q: ListQuery): string {
  const p = new URLSearchParams({ view: q.view });
  if (q.q) p.set('q', q.q);
  for (const f of FILTERS) if (q[f]) p.set(f, q[f]);
  return `/tickets?${p}`;
}

/** The API's parameters for a list (the same for its CSV export). */
export function listParams(q: ListQuery) {
  // The server knows what each view shows («Мои» is the signed-in user's).
  return {
    view: q.view,
    assignee: q.view === 'mine' ? undefined : q.assignee || undefined,
    q: q.q.trim() || undefined,
    priority: q.priority || undefined,
    channel: q.channel || undefined,
    status: q.status || undefined,
    contactId: q.contactId || undefined,
    organisationId: q.organisationId || undefined,
    customerWaits: q.waits ? true : undefined,
    fixedIn: q.fixedIn.trim() || undefined,
    since: q.from ? moscowDayStart(q.from) : undefined,
    until: q.to ? moscowDayStart(q.to, 1) : undefined,
  };
}

export function loadList(q: ListQuery, cursor?: string): Promise<{ items: Ticket[]; nextCursor: string | null; total: { count: number; atLeast: boolean } | null }> {
  return api.tickets({ ...listParams(q), cursor, limit: 50 });
}

/** The list as CSV (supervisors): the same filters, every page. */
export const exportUrl = (q: ListQuery) => `/api/tickets/export.csv?${queryString(listParams(q))}`;

/** Where a request's page is: its number once it has one, else its id (a draft). */
export const requestUrl = (t: Pick<Ticket, 'id' | 'number'>) => `/tickets/${t.number ?? t.id}`;

const NUMBER = /^\d{4}-\d{6}$/;

/** A request by the key in its address (number or id); null when there is none. */
export async function loadRequest(key: string): Promise<TicketDetail | null> {
  let id = key;
  if (NUMBER.test(key)) {
    const found = await api.tickets({ number: key, limit: 1 });
    if (!found.items[0]) return null;
    id = found.items[0].id;
  }
  try {
    return await api.ticket(id);
  } catch (err) {
    if (err && typeof err === 'object' && 'status' in err && (err.status === 404 || err.status === 400)) return null;
    throw err;
  }
}

let colleagues: Promise<Agent[]> | null = null;
/** Everyone who can be assigned (asked once per page load). */
export function loadColleagues(): Promise<Agent[]> {
  colleagues ??= api.agents().catch((err) => {
    colleagues = null;
    throw err;
  });
  return colleagues;
}

/** What the page's buttons do; `text` is the solution, reason or comment typed for them. */
export type PageCommand =
  | { action: 'start' | 'confirm' | 'withdraw' }
  | { action: 'complete' | 'reopen' | 'comment' | 'reply' | 'customer_contact'; text: string }
  | { action: 'close'; reason: 'duplicate' | 'error' }
  | { action: 'assign'; to: string };

export async function runCommand(t: Ticket, c: PageCommand): Promise<void> {
  switch (c.action) {
    case 'start':
      return void (await api.transition(t.id, { to: 'in_progress', version: t.version }));
    case 'complete':
      return void (await api.transition(t.id, { to: 'completed', solution: c.text, version: t.version }));
    case 'confirm':
      return void (await api.transition(t.id, { to: 'closed', reason: 'confirmed' }));
    case 'withdraw':
      return void (await api.transition(t.id, { to: 'closed', reason: 'withdrawn' }));
    case 'reopen':
      return void (await api.transition(t.id, { to: 'in_progress', comment: c.text }));
    case 'close':
      return void (await api.transition(t.id, { to: 'closed', reason: c.reason, version: t.version }));
    case 'comment':
      return void (await api.comment(t.id, c.text));
    case 'reply':
      return void (await api.comment(t.id, c.text, undefined, true));
    case 'customer_contact':
      return void (await api.customerContact(t.id, c.text || undefined));
    case 'assign':
      return void (await api.assign(t.id, t.version, [c.to]));
  }
}

/** The organisation with this name (any case), made when there is none yet; null for a blank name. */
export async function organisationNamed(typed: string): Promise<string | null> {
  const name = typed.trim();
  if (!name) return null;
  const same = (await api.organisations({ q: name, limit: 10 })).items.find((o) => o.name.toLowerCase() === name.toLowerCase());
  return same?.id ?? (await api.createOrganisation({ name })).id;
}

const changeListeners = new Set<(t: Ticket) => void>();

/** Told of every request change the socket brings; returns the way to stop. */
export function onRequestChange(fn: (t: Ticket) => void): () => void {
  changeListeners.add(fn);
  return () => changeListeners.delete(fn);
}

export function requestChanged(t: Ticket): void {
  for (const fn of changeListeners) fn(t);
}
