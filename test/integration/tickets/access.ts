// Who may do what (docs/requests.md) as tables: every ticket route as a call with a body it accepts, and a
// checker that runs rows of (who, call, expected status). A full route × role matrix is rows of this.
import type { Test } from 'tap';
import type { Desk, Person } from './fixture';

export interface RouteCall {
  /** How the row reads in test output (`PATCH fields`, `transition start`…). */
  name: string;
  method: 'GET' | 'POST' | 'PATCH';
  path: string;
  /** JSON body, or a function building it when it is run (a PATCH needs the version of that moment). */
  body?: unknown | (() => Promise<unknown>);
  /** Raw bytes instead of JSON (screenshot upload). */
  raw?: Buffer;
}

export interface AccessRow {
  who: Person | null;
  call: RouteCall;
  status: number;
}

/** A PATCH body with the request's current version. */
export function withVersion(h: Desk, id: string, fields: Record<string, unknown>): () => Promise<unknown> {
  return async () => {
    const res = await h.request('GET', `/api/tickets/${id}`, h.boss.token);
    return { version: res.body.version, ...fields };
  };
}

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

/** Every route under /api/tickets, aimed at request `id`, each with a body that is valid as such. */
export function ticketRouteCalls(h: Desk, ids: { ticketId: string; callId: string; attachmentId?: string }): RouteCall[] {
  const base = `/api/tickets/${ids.ticketId}`;
  const calls: RouteCall[] = [
    { name: 'list', method: 'GET', path: '/api/tickets' },
    { name: 'read', method: 'GET', path: base },
    { name: 'create', method: 'POST', path: '/api/tickets', body: { description: 'Новая проблема' } },
    { name: 'edit fields', method: 'PATCH', path: base, body: withVersion(h, ids.ticketId, { subject: 'Новая тема' }) },
    { name: 'transition', method: 'POST', path: `${base}/transitions`, body: { to: 'in_progress' } },
    { name: 'number told', method: 'POST', path: `${base}/number-told`, body: {} },
    { name: 'comment', method: 'POST', path: `${base}/comments`, body: { text: 'Комментарий' } },
    { name: 'customer contact', method: 'POST', path: `${base}/customer-contact`, body: {} },
    { name: 'link call', method: 'POST', path: `${base}/calls`, body: { callId: ids.callId } },
    { name: 'attach screenshot', method: 'POST', path: `${base}/attachments`, raw: PNG },
    { name: 'list screenshots', method: 'GET', path: `${base}/attachments` },
  ];
  if (ids.attachmentId) calls.push({ name: 'download screenshot', method: 'GET', path: `${base}/attachments/${ids.attachmentId}` });
  return calls;
}

/** Runs the rows in order (state carries over) and checks each status. */
export async function expectAccess(t: Test, h: Desk, rows: AccessRow[]): Promise<void> {
  for (const row of rows) {
    const { call } = row;
    const headers: Record<string, string> = row.who ? { authorization: `Bearer ${row.who.token}` } : {};
    let body: BodyInit | undefined;
    if (call.raw) {
      headers['content-type'] = 'application/octet-stream';
      body = new Uint8Array(call.raw);
    } else if (call.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(typeof call.body === 'function' ? await (call.body as () => Promise<unknown>)() : call.body);
    }
    const res = await fetch(h.url + call.path, { method: call.method, headers, body });
    const text = await res.text();
    t.equal(res.status, row.status, `${row.who?.login ?? 'nobody'}: ${call.name} → ${row.status}${res.status === row.status ? '' : ` (${text.slice(0, 200)})`}`);
  }
}
