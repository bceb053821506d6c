// Every route rejects invalid bodies, path parameters and query strings with 400 and
// `{error, message, field}` naming the field; bodies over the limits get 413; unknown routes 404;
// all in the same shape, and none of it is a 500.
import t from 'tap';
import { buildTestApp, type TestApp } from '../../helpers/app';
import { rawRequest } from '../security/raw-http';

const UUID = '00000000-0000-4000-8000-00000000abcd';

interface Case {
  method: string;
  path: string;
  body?: unknown;
  /** The field the 400 must name. */
  field: string;
}

function cases(ticket: string, agent: string): Case[] {
  const T = `/api/tickets/${ticket}`;
  return [
    // session
    { method: 'POST', path: '/api/session', body: {}, field: 'login' },
    { method: 'POST', path: '/api/session', body: { login: 'admin' }, field: 'password' },
    { method: 'POST', path: '/api/session', body: { login: { $ne: null }, password: 'x' }, field: 'login' },
    { method: 'POST', path: '/api/session', body: { login: 'admin', password: 'x'.repeat(300) }, field: 'password' },
    { method: 'POST', path: '/api/session', body: { login: 'admin', password: 'x', remember: true }, field: 'remember' },
    // agents
    { method: 'POST', path: '/api/agents', body: { login: 'new' }, field: 'password' },
    { method: 'POST', path: '/api/agents', body: { login: 'a b', password: 'long-enough-1' }, field: 'login' },
    { method: 'POST', path: '/api/agents', body: { login: 'new', password: 'short' }, field: 'password' },
    { method: 'POST', path: '/api/agents', body: { login: 'new', password: 'long-enough-1', role: 'root' }, field: 'role' },
    { method: 'POST', path: '/api/agents', body: { login: 'new', password: 'long-enough-1', extension: '10 1' }, field: 'extension' },
    { method: 'POST', path: '/api/agents', body: { login: 'new', password: 'long-enough-1', isAdmin: true }, field: 'isAdmin' },
    { method: 'PATCH', path: '/api/agents/not-a-uuid', body: { name: 'x' }, field: 'id' },
    { method: 'PATCH', path: `/api/agents/${agent}`, body: { active: 'maybe' }, field: 'active' },
    { method: 'PATCH', path: `/api/agents/${agent}`, body: { name: '' }, field: 'name' },
    // calls
    { method: 'GET', path: '/api/calls?since=yesterday', field: 'since' },
    { method: 'GET', path: '/api/calls?until=2026-13-45T99:00:00Z', field: 'until' },
    { method: 'GET', path: '/api/calls?since=2026-02-01T00:00:00Z&until=2026-01-01T00:00:00Z', field: 'until' },
    { method: 'GET', path: '/api/calls?limit=0', field: 'limit' },
    { method: 'GET', path: '/api/calls?limit=100000', field: 'limit' },
    { method: 'GET', path: '/api/calls?limit=ten', field: 'limit' },
    { method: 'GET', path: '/api/calls?outcome=lost', field: 'outcome' },
    { method: 'GET', path: '/api/calls?agentId=42', field: 'agentId' },
    { method: 'GET', path: '/api/calls?supportLine=maybe', field: 'supportLine' },
    { method: 'GET', path: '/api/calls?callerNumber=call-me', field: 'callerNumber' },
    { method: 'GET', path: '/api/calls/not-a-uuid/recordings/0', field: 'id' },
    { method: 'GET', path: '/api/calls/00000000-0000-4000-8000-000000000001/recordings/first', field: 'n' },
    { method: 'GET', path: '/api/calls/00000000-0000-4000-8000-000000000001/recordings/..%2F..%2Fetc%2Fpasswd', field: 'n' },
    { method: 'GET', path: '/api/calls?cursor=garbage', field: 'cursor' },
    { method: 'GET', path: `/api/calls?cursor=${Buffer.from('[1,2,3]').toString('base64url')}`, field: 'cursor' },
    { method: 'GET', path: '/api/calls?sort=asc', field: 'sort' },
    { method: 'GET', path: '/api/calls/123', field: 'id' },
    { method: 'GET', path: "/api/calls/1'%20OR%20'1'='1", field: 'id' },
    // tickets
    { method: 'GET', path: '/api/tickets?status=open', field: 'status.0' },
    { method: 'GET', path: '/api/tickets?priority=urgent', field: 'priority' },
    { method: 'GET', path: '/api/tickets?assignee=me', field: 'assignee' },
    { method: 'GET', path: '/api/tickets?q=', field: 'q' },
    { method: 'GET', path: `/api/tickets?q=${'a'.repeat(500)}`, field: 'q' },
    { method: 'GET', path: '/api/tickets?cursor=%00%01', field: 'cursor' },
    { method: 'GET', path: '/api/tickets?callerNumber=%2B7', field: 'callerNumber' },
    { method: 'GET', path: '/api/tickets/42', field: 'id' },
    { method: 'POST', path: '/api/tickets', body: { priority: 'urgent' }, field: 'priority' },
    { method: 'POST', path: '/api/tickets', body: { callIds: ['x'] }, field: 'callIds.0' },
    { method: 'POST', path: '/api/tickets', body: { callIds: [UUID] }, field: 'callIds' },
    { method: 'POST', path: '/api/tickets', body: { parentId: UUID }, field: 'parentId' },
    { method: 'POST', path: '/api/tickets', body: { description: 'x'.repeat(200_000) }, field: 'description' },
    { method: 'POST', path: '/api/tickets', body: { description: 'ok', status: 'closed' }, field: 'status' },
    { method: 'POST', path: '/api/tickets', body: [], field: 'body' },
    { method: 'PATCH', path: T, body: { description: 'no version' }, field: 'version' },
    { method: 'PATCH', path: T, body: { version: 0, description: 'x' }, field: 'version' },
    { method: 'PATCH', path: T, body: { version: 1, assignees: [] }, field: 'assignees' },
    { method: 'PATCH', path: T, body: { version: 1, assignees: [UUID] }, field: 'assignees' },
    { method: 'PATCH', path: '/api/tickets/x', body: { version: 1 }, field: 'id' },
    { method: 'POST', path: `${T}/transitions`, body: {}, field: 'to' },
    { method: 'POST', path: `${T}/transitions`, body: { to: 'done' }, field: 'to' },
    { method: 'POST', path: `${T}/transitions`, body: { to: 'discarded' }, field: 'reason' },
    { method: 'POST', path: `${T}/transitions`, body: { to: 'discarded', reason: 'bored' }, field: 'reason' },
    { method: 'POST', path: `${T}/transitions`, body: { to: 'discarded', reason: 'test', callId: UUID }, field: 'callId' },
    { method: 'POST', path: `${T}/number-told`, body: { version: 'one' }, field: 'version' },
    { method: 'POST', path: `${T}/comments`, body: { text: '' }, field: 'text' },
    { method: 'POST', path: `${T}/comments`, body: {}, field: 'text' },
    { method: 'POST', path: `${T}/customer-contact`, body: { comment: { text: 'x' } }, field: 'comment' },
    { method: 'POST', path: `${T}/calls`, body: { callId: 'x' }, field: 'callId' },
    { method: 'POST', path: `${T}/calls`, body: { callId: UUID }, field: 'callId' },
    { method: 'GET', path: `${T}/attachments/not-an-id`, field: 'attachmentId' },
    { method: 'GET', path: '/api/tickets/x/attachments', field: 'id' },
    { method: 'POST', path: `${T}/attachments?fileName=`, body: 'png', field: 'fileName' },
    { method: 'POST', path: `${T}/attachments?callId=x`, body: 'png', field: 'callId' },
  ];
}

async function send(h: TestApp, c: { method: string; path: string; body?: unknown }, headers: Record<string, string> = {}) {
  return rawRequest(h.url, c.method, c.path, {
    headers: { authorization: `Bearer ${h.adminToken}`, ...(c.body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    body: c.body !== undefined ? JSON.stringify(c.body) : undefined,
  });
}

t.test('every route rejects invalid bodies, parameters and queries with 400 naming the field', async (t) => {
  const h = await buildTestApp(t, { connectPbx: false });
  const ticket = await h.request('POST', '/api/tickets', h.adminToken, { description: 'a request to send bad input to' });
  const agent = await h.agent('target', '150');
  const list = cases(ticket.body.id, agent.id);
  const misses: string[] = [];
  for (const c of list) {
    const res = await send(h, c);
    const what = `${c.method} ${c.path.slice(0, 70)} ${c.body === undefined ? '' : JSON.stringify(c.body).slice(0, 50)}`;
    t.equal(res.status, 400, `${what}: 400`);
    t.equal(res.body?.error, 'bad_request', `${what}: error bad_request`);
    t.equal(res.body?.field, c.field, `${what}: names '${c.field}'`);
    t.ok(typeof res.body?.message === 'string' && res.body.message.includes(c.field.split('.')[0]), `${what}: the message names it too`);
    if (res.status !== 400 || res.body?.field !== c.field) misses.push(`${what} → ${res.status} ${res.text.slice(0, 160)}`);
  }
  if (misses.length) t.comment(misses.join('\n'));
  const after = await h.request('GET', `/api/tickets/${ticket.body.id}`, h.adminToken);
  t.equal(after.body.version, ticket.body.version, 'no invalid request changed anything');
});

t.test('bodies that are not JSON, or not the JSON promised, get 400 or 415 in the same shape', async (t) => {
  const h = await buildTestApp(t, { connectPbx: false });
  const auth = { authorization: `Bearer ${h.adminToken}` };
  const json = { ...auth, 'content-type': 'application/json' };
  const bad: [string, Record<string, string>, string | Buffer, number][] = [
    ['truncated JSON', json, '{"description": "x"', 400],
    ['a bare word', json, 'nul', 400],
    ['invalid UTF-8', json, Buffer.from([0x7b, 0x22, 0x64, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]), 400],
    ['a JSON string', json, '"description"', 400],
    ['nesting 10 000 deep', json, `${'['.repeat(10_000)}${']'.repeat(10_000)}`, 400],
    ['__proto__ keys', json, '{"__proto__": {"role": "admin"}, "description": "x"}', 400],
    ['form data', { ...auth, 'content-type': 'application/x-www-form-urlencoded' }, 'description=x', 415],
    ['XML', { ...auth, 'content-type': 'application/xml' }, '<ticket/>', 415],
    ['an empty JSON body', json, '', 400],
  ];
  for (const [what, headers, body, status] of bad) {
    const res = await rawRequest(h.url, 'POST', '/api/tickets', { headers, body });
    t.equal(res.status, status, `${what}: ${status}`);
    t.match(res.body, { error: String, message: String }, `${what}: {error, message}`);
  }
  const tickets = await h.request('GET', '/api/tickets', h.adminToken);
  t.equal(tickets.body.items.length, 0, 'nothing was created');
  t.equal((await h.request('GET', '/api/health', null)).status, 200, 'still serving');
});

t.test('bodies over the size limits get 413 in the same shape', async (t) => {
  const h = await buildTestApp(t, { connectPbx: false });
  const auth = { authorization: `Bearer ${h.adminToken}` };
  const big = JSON.stringify({ description: 'x'.repeat(2 * 1024 * 1024) });
  const json = await rawRequest(h.url, 'POST', '/api/tickets', { headers: { ...auth, 'content-type': 'application/json' }, body: big });
  t.equal(json.status, 413, 'a 2 MiB JSON body');
  t.match(json.body, { error: 'payload_too_large', message: String });
  const login = await rawRequest(h.url, 'POST', '/api/session', { headers: { 'content-type': 'application/json' }, body: big });
  t.equal(login.status, 413, 'even on the public login route');

  const ticket = await h.request('POST', '/api/tickets', h.adminToken, { description: 'with a screenshot' });
  const png = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(11 * 1024 * 1024)]);
  const upload = await rawRequest(h.url, 'POST', `/api/tickets/${ticket.body.id}/attachments`, { headers: { ...auth, 'content-type': 'image/png' }, body: png });
  t.equal(upload.status, 413, 'an 11 MiB screenshot');
  t.match(upload.body, { error: 'payload_too_large', message: String });
  t.equal((await h.request('GET', '/api/health', null)).status, 200, 'still serving');
});

t.test('unknown routes and methods are 404 in the same {error, message} shape', async (t) => {
  const h = await buildTestApp(t, { connectPbx: false });
  for (const [method, path] of [
    ['GET', '/api/nothing'],
    ['GET', '/api/calls/00000000-0000-4000-8000-000000000000'],
    ['GET', `/api/tickets/${UUID}`],
    ['DELETE', '/api/tickets'],
    ['PUT', '/api/agents'],
    ['GET', '/nothing/here'],
    ['GET', '/assets/../../etc/passwd'],
  ]) {
    const res = await rawRequest(h.url, method, path, { headers: { authorization: `Bearer ${h.adminToken}` } });
    t.equal(res.status, 404, `${method} ${path}: 404`);
    t.match(res.body, { error: 'not_found', message: String }, `${method} ${path}: {error, message}`);
  }
});
