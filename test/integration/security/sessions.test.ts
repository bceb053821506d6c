// Sessions last a shift (at least 12 h, sliding with use), end on logout, and end at once when an
// admin disables the agent or changes their password — open WebSockets included.
import t from 'tap';
import type WebSocket from 'ws';
import { buildTestApp } from '../../helpers/app';
import { rawRequest } from './raw-http';

const HOUR = 3600_000;

function closed(ws: WebSocket, timeoutMs = 5000): Promise<{ code: number; reason: string }> {
  if (ws.readyState === ws.CLOSED) return Promise.resolve({ code: -1, reason: 'already closed' });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the socket stayed open')), timeoutMs);
    ws.once('close', (code, reason) => {
      clearTimeout(timer);
      resolve({ code, reason: reason.toString() });
    });
  });
}

async function expiresAt(h: { app: { ds: { query(sql: string): Promise<any[]> } } }): Promise<number> {
  const rows = await h.app.ds.query(`SELECT expires_at FROM session ORDER BY created_at DESC LIMIT 1`);
  return new Date(rows[0].expires_at).getTime();
}

t.test('a session lasts a whole shift (at least 12 h) and slides with use', async (t) => {
  const h = await buildTestApp(t, { connectPbx: false });
  const before = Date.now();
  const token = await h.login('admin', 'admin-password-1');
  t.ok((await expiresAt(h)) - before >= 12 * HOUR - 1000, 'a fresh session ends 12 h or more from now');

  // Eleven hours into the shift, with one hour left: any use pushes the end 12 h further.
  await h.app.ds.query(`UPDATE session SET last_seen_at = now() - interval '11 hours', expires_at = now() + interval '1 hour'`);
  const used = await h.request('GET', '/api/session', token);
  t.equal(used.status, 200, 'still valid after 11 h');
  t.ok((await expiresAt(h)) - Date.now() >= 12 * HOUR - 60_000, 'and now ends 12 h from its last use');

  // A session past its end is over.
  const late = await h.login('admin', 'admin-password-1');
  await h.app.ds.query(`UPDATE session SET expires_at = now() - interval '1 second'`);
  const refused = await h.request('GET', '/api/session', late);
  t.equal(refused.status, 401, 'an expired session is refused');
  t.match(refused.body, { error: 'unauthorized', message: /log in again/ });
});

t.test('the browser cookie is HttpOnly, SameSite=Strict and lasts the shift', async (t) => {
  const h = await buildTestApp(t, { connectPbx: false });
  const res = await rawRequest(h.url, 'POST', '/api/session', {
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login: 'admin', password: 'admin-password-1' }),
  });
  const cookie = String(res.headers['set-cookie']);
  t.match(cookie, /calldesk_session=/);
  t.match(cookie, /HttpOnly/i, 'not readable by scripts');
  t.match(cookie, /SameSite=Strict/i, 'not sent by other sites');
  const maxAge = Number(/Max-Age=(\d+)/i.exec(cookie)?.[1]);
  t.ok(maxAge >= 12 * 3600, `Max-Age ${maxAge} s covers a shift`);
});

t.test('logging out ends the session at once, and the socket opened with it', async (t) => {
  const h = await buildTestApp(t, { connectPbx: false });
  const a = await h.agent('petrov', '101');
  const other = await h.login('petrov', 'petrov-password'); // the same agent on a second device
  const ws = await h.socket(a.token);
  await ws.next((m) => m.type === 'snapshot');
  const bye = closed(ws.ws);
  const out = await h.request('DELETE', '/api/session', a.token);
  t.equal(out.status, 204);
  t.equal((await h.request('GET', '/api/calls', a.token)).status, 401, 'the token no longer works');
  const end = await bye;
  t.equal(end.code, 4001, 'the socket is closed with a code the panel understands');
  t.match(end.reason, /session/);
  t.equal((await h.request('GET', '/api/calls', other)).status, 200, 'the session on the other device goes on');
  t.equal((await h.request('DELETE', '/api/session', a.token)).status, 401, 'logging out twice is refused, not an error');
});

t.test('disabling an agent ends all their sessions and sockets; enabling them again does not revive them', async (t) => {
  const h = await buildTestApp(t, { connectPbx: false });
  const a = await h.agent('sidorov', '102');
  const ws = await h.socket(a.token);
  await ws.next((m) => m.type === 'snapshot');
  const bye = closed(ws.ws);
  t.equal((await h.request('PATCH', `/api/agents/${a.id}`, h.adminToken, { active: false })).status, 200);
  t.equal((await h.request('GET', '/api/tickets', a.token)).status, 401, 'the token no longer works');
  t.equal((await bye).code, 4001, 'the open socket is closed');
  const login = await h.request('POST', '/api/session', null, { login: 'sidorov', password: 'sidorov-password' });
  t.equal(login.status, 401, 'a disabled agent cannot log in');
  t.equal((await h.request('PATCH', `/api/agents/${a.id}`, h.adminToken, { active: true })).status, 200);
  t.equal((await h.request('GET', '/api/tickets', a.token)).status, 401, 'the old session stays ended');
  t.equal((await h.request('POST', '/api/session', null, { login: 'sidorov', password: 'sidorov-password' })).status, 200, 'a new login works');
});

t.test("an admin changing an agent's password ends the agent's sessions", async (t) => {
  const h = await buildTestApp(t, { connectPbx: false });
  const a = await h.agent('kozlov', '103');
  const ws = await h.socket(a.token);
  await ws.next((m) => m.type === 'snapshot');
  const bye = closed(ws.ws);
  t.equal((await h.request('PATCH', `/api/agents/${a.id}`, h.adminToken, { password: 'a-brand-new-password' })).status, 200);
  t.equal((await h.request('GET', '/api/calls', a.token)).status, 401);
  t.equal((await bye).code, 4001);
  t.equal((await h.request('POST', '/api/session', null, { login: 'kozlov', password: 'kozlov-password' })).status, 401, 'the old password is refused');
  t.equal((await h.request('POST', '/api/session', null, { login: 'kozlov', password: 'a-brand-new-password' })).status, 200);
});

t.test('a role change reaches an open socket: it is closed so the panel reconnects with the new role', async (t) => {
  const h = await buildTestApp(t, { connectPbx: false });
  const a = await h.agent('smirnov', '104', 'admin');
  const ws = await h.socket(a.token);
  await ws.next((m) => m.type === 'snapshot');
  const bye = closed(ws.ws);
  t.equal((await h.request('PATCH', `/api/agents/${a.id}`, h.adminToken, { role: 'agent' })).status, 200);
  const end = await bye;
  t.equal(end.code, 4000, 'closed as "reconnect"');
  const newAgent = { login: 'volkov', password: 'volkov-password' };
  t.equal((await h.request('POST', '/api/agents', a.token, newAgent)).status, 403, 'the new role applies to requests at once');
});

t.test('logging in always starts a new session id: a planted or earlier cookie is never carried on (no fixation)', async (t) => {
  const h = await buildTestApp(t, { connectPbx: false });
  const login = (headers: Record<string, string>, body = JSON.stringify({ login: 'admin', password: 'admin-password-1' }), type = 'application/json') =>
    rawRequest(h.url, 'POST', '/api/session', { headers: { 'content-type': type, ...headers }, body });
  const cookieOf = (res: { headers: Record<string, unknown> }) => /calldesk_session=([^;]+)/.exec(String(res.headers['set-cookie']))?.[1];
  const whoAmI = (token: string) => rawRequest(h.url, 'GET', '/api/session', { headers: { cookie: `calldesk_session=${token}` } });

  const planted = 'attacker-chosen-session-id';
  const first = await login({ cookie: `calldesk_session=${planted}` });
  t.equal(first.status, 200);
  const a = cookieOf(first)!;
  t.not(a, planted, 'the planted id is not taken on');
  t.equal((await whoAmI(planted)).status, 401, 'the planted id is no session after the login');
  t.equal((await whoAmI(a)).status, 200, 'the new one is');

  const again = await login({ cookie: `calldesk_session=${a}` });
  const b = cookieOf(again)!;
  t.not(b, a, 'logging in again gives another id');
  t.equal((await whoAmI(a)).status, 401, 'and ends the session the browser came with');
  t.equal((await whoAmI(b)).status, 200);

  // Login CSRF: a foreign page cannot post the login form to sign the browser into another account.
  const form = await login({ origin: 'https://evil.example' }, 'login=admin&password=admin-password-1', 'application/x-www-form-urlencoded');
  t.equal(form.status, 415, 'a cross-site form post to the login is refused');
  t.equal(cookieOf(form), undefined, 'and sets no cookie');
});
