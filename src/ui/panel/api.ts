// The HTTP API as the panel uses it: the session cookie, plus the header that tells the server a
// change comes from this page and not from a foreign site (CSRF).
import type { TicketMail } from '../../wire/mail';
import type { Agent } from '../../wire/agent';
import type { Attachment } from '../../wire/attachment';
import type { BlockedNumber } from '../../wire/blocked-number';
import type { MailRetryResult, QuarantinedMailBody, RequestMailBody } from '../../wire/mail';
import type { Call } from '../../wire/call';
import type { Caller } from '../../wire/caller';
import type { Contact, Organisation } from '../../wire/customer';
import type { CallReport, TicketReport } from '../../wire/report';
import type { Ticket, TicketDetail } from '../../wire/ticket';
import type { Fields } from './fields';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly body: Record<string, unknown> = {},
  ) {
    super(message);
  }
  /** No answer at all (network down, server restarting): worth retrying. */
  get offline(): boolean {
    return this.status === 0 || this.status === 502 || this.status === 503 || this.status === 504;
  }
}

/** Called when the server says the session is over (401), so the panel can show the login. */
let onUnauthorized: () => void = () => undefined;
export function whenUnauthorized(fn: () => void): void {
  onUnauthorized = fn;
}

/** `body` is sent as JSON, or as it is when it is a file (an upload). */
export async function call<T>(method: string, path: string, body?: unknown, init: { keepalive?: boolean } = {}): Promise<T> {
  const raw = body instanceof Blob;
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      credentials: 'same-origin',
      keepalive: init.keepalive,
      headers: {
        accept: 'application/json',
        ...(method === 'GET' ? {} : { 'x-calldesk-csrf': '1' }),
        ...(raw ? { 'content-type': body.type || 'application/octet-stream' } : body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: raw ? body : body !== undefined ? JSON.stringify(body) : undefined,
    });
  } catch (err) {
    throw new ApiError(0, 'offline', err instanceof Error ? err.message : 'network error');
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let json: any = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    // a proxy's HTML error page, say
  }
  if (!res.ok) {
    if (res.status === 401 && path !== '/api/session') onUnauthorized();
    throw new ApiError(res.status, json?.error ?? 'http_error', json?.message ?? `HTTP ${res.status}`, json ?? {});
  }
  return json as T;
}

export const queryString = (params: Record<string, string | readonly string[] | number | boolean | undefined>) => {
  const s = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined) continue;
    for (const one of Array.isArray(v) ? v : [v]) s.append(k, String(one));
  }
  return s.toString();
};

import { OPEN_STATUSES } from '../../tickets/vocabulary';
export { OPEN_STATUSES };

export const api = {
  login: (login: string, password: string) => call<{ token: string; agent: Agent }>('POST', '/api/session', { login, password }),
  whoami: () => call<{ agent: Agent | null }>('GET', '/api/session'),
  logout: () => call<void>('DELETE', '/api/session'),
  ticket: (id: string) => call<TicketDetail>('GET', `/api/tickets/${id}`),
  ticketMails: (id: string) => call<{ items: TicketMail[] }>('GET', `/api/tickets/${id}/mails`),
  /** The mails the request came with (the customer's), with their attachments. */
  customerMails: (id: string) => call<{ items: RequestMailBody[] }>('GET', `/api/tickets/${id}/mail`),
  changePassword: (currentPassword: string, newPassword: string) => call<void>('POST', '/api/me/password', { currentPassword, newPassword }),
  /** Admins: every account; others: the active colleagues. */
  agents: () => call<Agent[]>('GET', '/api/agents'),
  createAgent: (body: { login: string; name: string; role: Agent['role']; extension: string | null; password: string; mustChangePassword: boolean }) =>
    call<Agent>('POST', '/api/agents', body),
  patchAgent: (id: string, body: Partial<Pick<Agent, 'name' | 'role' | 'extension' | 'active' | 'mustChangePassword'>> & { password?: string }) =>
    call<Agent>('PATCH', `/api/agents/${id}`, body),
  assign: (id: string, version: number, assignees: string[]) => call<Ticket>('PATCH', `/api/tickets/${id}`, { version, assignees }),
  customerContact: (id: string, comment?: string) => call<Ticket>('POST', `/api/tickets/${id}/customer-contact`, { comment }),
  tickets: (params: Record<string, string | readonly string[] | number | boolean | undefined>) =>
    call<{ items: Ticket[]; nextCursor: string | null; total: { count: number; atLeast: boolean } | null }>('GET', `/api/tickets?${queryString(params)}`),
  callById: (id: string) => call<Call>('GET', `/api/calls/${id}`),
  calls: (params: Record<string, string | readonly string[] | number | boolean | undefined>) =>
    call<{ items: Call[]; nextCursor: string | null }>('GET', `/api/calls?${queryString(params)}`),
  patch: (id: string, version: number, changes: Partial<Fields>, keepalive = false) =>
    call<Ticket>('PATCH', `/api/tickets/${id}`, { version, ...changes }, { keepalive }),
  transition: (id: string, body: { to: string; reason?: string; comment?: string; solution?: string; version?: number; callId?: string }) =>
    call<Ticket>('POST', `/api/tickets/${id}/transitions`, body),
  numberTold: (id: string) => call<Ticket>('POST', `/api/tickets/${id}/number-told`, {}),
  create: (body: {
    callIds?: string[];
    parentId?: string | null;
    channel?: string;
    callerNumber?: string | null;
    subject?: string;
    description?: string;
    technicalDetails?: string;
    productVersion?: string;
    contactId?: string;
    priority?: string;
    register?: boolean;
  }) => call<Ticket>('POST', '/api/tickets', body),
  linkCall: (id: string, callId: string) => call<Ticket>('POST', `/api/tickets/${id}/calls`, { callId }),
  attachments: (id: string) => call<{ items: Attachment[] }>('GET', `/api/tickets/${id}/attachments`),
  attach: (id: string, file: Blob, fileName?: string, callId?: string | null) =>
    call<Attachment>('POST', `/api/tickets/${id}/attachments?${queryString({ fileName: fileName || undefined, callId: callId ?? undefined })}`, file),
  contacts: (params: { q?: string; phone?: string; organisationId?: string; limit?: number }) => call<{ items: Contact[] }>('GET', `/api/contacts?${queryString(params)}`),
  contact: (id: string) => call<Contact>('GET', `/api/contacts/${id}`),
  createContact: (body: { name: string; phones?: string[]; emails?: string[]; organisationId?: string | null; position?: string }) => call<Contact>('POST', '/api/contacts', body),
  patchContact: (id: string, body: Partial<Pick<Contact, 'name' | 'phones' | 'emails' | 'organisationId' | 'position' | 'note'>>) => call<Contact>('PATCH', `/api/contacts/${id}`, body),
  eraseContact: (id: string) => call<Contact>('POST', `/api/contacts/${id}/erase`, {}),
  organisations: (params: { q?: string; limit?: number }) => call<{ items: Organisation[] }>('GET', `/api/organisations?${queryString(params)}`),
  organisation: (id: string) => call<Organisation>('GET', `/api/organisations/${id}`),
  createOrganisation: (body: { name: string; inn?: string }) => call<Organisation>('POST', '/api/organisations', body),
  patchOrganisation: (id: string, body: Partial<Pick<Organisation, 'name' | 'inn' | 'note'>>) => call<Organisation>('PATCH', `/api/organisations/${id}`, body),
  setCustomer: (id: string, version: number, contactId: string | null) => call<Ticket>('PATCH', `/api/tickets/${id}`, { version, contactId }),
  blockedNumbers: (all: boolean) => call<{ items: BlockedNumber[] }>('GET', `/api/blocked-numbers?${queryString({ all: all || undefined })}`),
  blockNumber: (body: { number: string; reason: string; until?: string | null }) => call<BlockedNumber>('POST', '/api/blocked-numbers', body),
  unblockNumber: (id: string) => call<void>('DELETE', `/api/blocked-numbers/${id}`),
  quarantinedMail: () => call<{ items: QuarantinedMailBody[] }>('GET', '/api/admin/mail'),
  retryMail: (id: string) => call<MailRetryResult>('POST', `/api/admin/mail/${id}/retry`, {}),
  dropMail: (id: string) => call<void>('DELETE', `/api/admin/mail/${id}`),
  reportCalls: (params: { since?: string; until?: string; groupBy?: string }) => call<CallReport>('GET', `/api/reports/calls?${queryString(params)}`),
  reportTickets: (params: { since?: string; until?: string; groupBy?: string }) => call<TicketReport>('GET', `/api/reports/tickets?${queryString(params)}`),
  comment: (id: string, text: string, callId?: string, toCustomer?: boolean) => call<Ticket>('POST', `/api/tickets/${id}/comments`, { text, callId, toCustomer }),
};

/** What is known of a caller, asked for when no ringing event brought it (a reload mid-call). */
export async function lookupCaller(number: string | null, exceptCallId?: string): Promise<Caller> {
  if (!number) return { number: null, calls: [], openTickets: [] };
  const [calls, tickets] = await Promise.all([
    api.calls({ callerNumber: number, limit: 11 }),
    api.tickets({ callerNumber: number, status: OPEN_STATUSES, limit: 20, sort: 'newest' }),
  ]);
  const open = tickets.items.slice().sort((a, b) => Number(b.status === 'completed') - Number(a.status === 'completed'));
  return {
    number,
    calls: calls.items
      .filter((c) => c.id !== exceptCallId)
      .slice(0, 10)
      .map((c) => ({
        id: c.id,
        startedAt: c.startedAt,
        direction: c.direction,
        outcome: c.outcome,
        answeredByExtension: c.answeredBy?.extension ?? null,
        supportLine: c.supportLine,
      })),
    openTickets: open,
  };
}
