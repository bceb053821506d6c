// Who may do what (docs/requests.md), route by route and role by role, enforced by the server.
// Agents read all calls and requests; edit drafts of calls they answered and requests assigned to
// them; relay a customer's decision on any request. Supervisors read and change everything about
// calls and requests, and assign. Admins manage agents and have supervisor rights.
import t from 'tap';
import { AmiPeer } from '../../helpers/ami-peer';
import { buildTestApp, type TestApp } from '../../helpers/app';
import { loadScenario } from '../../helpers/scenarios';
import { rawRequest } from './raw-http';
import { waitFor } from '../../helpers/wait';

type Who = 'none' | 'agent' | 'owner' | 'supervisor' | 'admin';
const WHO: Who[] = ['none', 'agent', 'owner', 'supervisor', 'admin'];

interface World {
  h: TestApp;
  tokens: Record<Exclude<Who, 'none'>, string>;
  ids: Record<Exclude<Who, 'none'>, string>;
  callId: string;
  /** A fresh request assigned to the owner (the agent who answered the call), in the given status. */
  ticket(status: 'draft' | 'registered' | 'in_progress' | 'completed'): Promise<{ id: string; version: number }>;
}

interface Row {
  name: string;
  method: string;
  /** The route as the OpenAPI document names it. */
  route: string;
  /** Path, given a fresh fixture made for each cell (mutating routes must not see each other's effects). */
  path: (w: World) => Promise<string> | string;
  body?: (w: World, fixture: string) => unknown;
  expect: Record<Who, number>;
}

const all = (ok: number): Record<Who, number> => ({ none: 401, agent: ok, owner: ok, supervisor: ok, admin: ok });
const adminOnly = (ok: number): Record<Who, number> => ({ none: 401, agent: 403, owner: 403, supervisor: 403, admin: ok });
const ownerAndStaff = (ok: number): Record<Who, number> => ({ none: 401, agent: 403, owner: ok, supervisor: ok, admin: ok });
const staffOnly = (ok: number): Record<Who, number> => ({ none: 401, agent: 403, owner: 403, supervisor: ok, admin: ok });

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

/** The fixture id of the last path built (each cell builds its own). */
let fixtureVersion = 1;
const ticketPath = (status: 'draft' | 'registered' | 'in_progress' | 'completed', suffix = '') => async (w: World) => {
  const t = await w.ticket(status);
  fixtureVersion = t.version;
  return `/api/tickets/${t.id}${suffix}`;
};

/** A number not blocked yet (each cell blocks its own: a number blocked twice is a 409). */
let numbers = 0;
const nextNumber = () => `+7911555${String(numbers++).padStart(4, '0')}`;

/** A fresh directory entry made by an admin for each cell; its path (plus `suffix`). */
const made = (collection: string, body: object, suffix = '') => async (w: World) => {
  const r = await w.h.request('POST', collection, w.tokens.admin, body);
  if (r.status !== 201) throw new Error(`fixture: ${r.status} ${JSON.stringify(r.body)}`);
  return `${collection}/${r.body.id}${suffix}`;
};

const ROWS: Row[] = [
  { name: 'read who I am', method: 'GET', route: '/api/session', path: () => '/api/session', expect: all(200) },
  { name: 'log out', method: 'DELETE', route: '/api/session', path: () => '/api/session', expect: all(204) },
  {
    // Everyone may change their own password; a wrong current one is the 400 that shows the way in was open.
    name: 'change my password',
    method: 'POST', route: '/api/me/password',
    path: () => '/api/me/password',
    body: () => ({ currentPassword: 'not-my-password', newPassword: 'a-new-password' }),
    expect: all(400),
  },
  { name: 'list agents (admins all, others active colleagues)', method: 'GET', route: '/api/agents', path: () => '/api/agents', expect: all(200) },
  { name: 'read my account', method: 'GET', route: '/api/me', path: () => '/api/me', expect: all(200) },
  {
    name: 'create an agent',
    method: 'POST', route: '/api/agents',
    path: () => '/api/agents',
    body: () => ({ login: `new${Math.random().toString(36).slice(2, 8)}`, password: 'new-agent-password', role: 'agent' }),
    expect: adminOnly(201),
  },
  { name: 'read the audit trail', method: 'GET', route: '/api/audit', path: () => '/api/audit', expect: adminOnly(200) },
  { name: 'change an agent', method: 'PATCH', route: '/api/agents/{id}', path: (w) => `/api/agents/${w.ids.agent}`, body: () => ({ name: 'Renamed' }), expect: adminOnly(200) },
  { name: 'list contacts', method: 'GET', route: '/api/contacts', path: () => '/api/contacts', expect: all(200) },
  { name: 'add a contact', method: 'POST', route: '/api/contacts', path: () => '/api/contacts', body: () => ({ name: 'Сидоров' }), expect: all(201) },
  { name: 'read a contact', method: 'GET', route: '/api/contacts/{id}', path: made('/api/contacts', { name: 'Петров' }), expect: all(200) },
  { name: 'change a contact', method: 'PATCH', route: '/api/contacts/{id}', path: made('/api/contacts', { name: 'Петров' }), body: () => ({ position: 'бухгалтер' }), expect: all(200) },
  { name: 'erase a contact (152-FZ)', method: 'POST', route: '/api/contacts/{id}/erase', path: made('/api/contacts', { name: 'Петров' }, '/erase'), expect: adminOnly(200) },
  { name: 'list organisations', method: 'GET', route: '/api/organisations', path: () => '/api/organisations', expect: all(200) },
  { name: 'add an organisation', method: 'POST', route: '/api/organisations', path: () => '/api/organisations', body: () => ({ name: 'ООО Ромашка' }), expect: all(201) },
  { name: 'read an organisation', method: 'GET', route: '/api/organisations/{id}', path: made('/api/organisations', { name: 'ООО Лютик' }), expect: all(200) },
  { name: 'change an organisation', method: 'PATCH', route: '/api/organisations/{id}', path: made('/api/organisations', { name: 'ООО Лютик' }), body: () => ({ note: 'ключевой клиент' }), expect: all(200) },
  { name: 'list calls', method: 'GET', route: '/api/calls', path: () => '/api/calls', expect: all(200) },
  { name: 'export calls (CSV)', method: 'GET', route: '/api/calls/export.csv', path: () => '/api/calls/export.csv', expect: staffOnly(200) },
  { name: 'export the journal (CSV)', method: 'GET', route: '/api/tickets/journal.csv', path: () => '/api/tickets/journal.csv', expect: staffOnly(200) },
  { name: 'export requests (CSV)', method: 'GET', route: '/api/tickets/export.csv', path: () => '/api/tickets/export.csv', expect: staffOnly(200) },
  { name: 'list blocked numbers', method: 'GET', route: '/api/blocked-numbers', path: () => '/api/blocked-numbers', expect: staffOnly(200) },
  { name: 'block a number', method: 'POST', route: '/api/blocked-numbers', path: () => '/api/blocked-numbers', body: () => ({ number: nextNumber(), reason: 'spam' }), expect: staffOnly(201) },
  {
    name: 'unblock a number',
    method: 'DELETE',
    route: '/api/blocked-numbers/{id}',
    path: (w) => made('/api/blocked-numbers', { number: nextNumber(), reason: 'spam' })(w),
    expect: staffOnly(204),
  },
  { name: 'the calls report', method: 'GET', route: '/api/reports/calls', path: () => '/api/reports/calls', expect: staffOnly(200) },
  { name: 'the requests report', method: 'GET', route: '/api/reports/tickets', path: () => '/api/reports/tickets', expect: staffOnly(200) },
  { name: 'the live board', method: 'GET', route: '/api/board', path: () => '/api/board', expect: staffOnly(200) },
  { name: 'the review queue', method: 'GET', route: '/api/review', path: () => '/api/review', expect: staffOnly(200) },
  {
    // A registered request with a thin description is an item at once.
    name: 'resolve a review item',
    method: 'POST', route: '/api/review/{id}/resolve',
    path: async (w) => {
      const r = await w.h.request('POST', '/api/tickets', w.tokens.admin, { description: 'коротко', register: true });
      if (r.status !== 201) throw new Error(`fixture: ${r.status} ${JSON.stringify(r.body)}`);
      return `/api/review/${encodeURIComponent(`thin_description:${r.body.id}`)}/resolve`;
    },
    body: () => ({ note: 'проверено' }),
    expect: staffOnly(204),
  },
  { name: 'make an incident', method: 'POST', route: '/api/incidents', path: () => '/api/incidents', body: (w) => ({ subject: 'Сбой', description: 'Не входит в кабинет', callIds: [w.callId] }), expect: staffOnly(201) },
  {
    name: "complete an incident's children",
    method: 'POST', route: '/api/tickets/{id}/complete-children',
    path: async (w) => `/api/tickets/${(await w.ticket('completed')).id}/complete-children`,
    expect: staffOnly(200),
  },
  { name: 'read a call', method: 'GET', route: '/api/calls/{id}', path: (w) => `/api/calls/${w.callId}`, expect: all(200) },
  {
    // S1 has no recording: whoever may listen learns that (404), an agent who was not on the call may not ask.
    name: "play a call's recording",
    method: 'GET', route: '/api/calls/{id}/recordings/{n}',
    path: (w) => `/api/calls/${w.callId}/recordings/0`,
    expect: { none: 401, agent: 403, owner: 404, supervisor: 404, admin: 404 },
  },
  { name: 'list requests', method: 'GET', route: '/api/tickets', path: () => '/api/tickets', expect: all(200) },
  { name: "read someone else's request", method: 'GET', route: '/api/tickets/{id}', path: ticketPath('registered'), expect: all(200) },
  { name: "read the mails of someone else's request", method: 'GET', route: '/api/tickets/{id}/mails', path: ticketPath('registered', '/mails'), expect: all(200) },
  { name: "read the customer's mails of someone else's request", method: 'GET', route: '/api/tickets/{id}/mail', path: ticketPath('registered', '/mail'), expect: all(200) },
  {
    // No such attachment: whoever is signed in learns that (404); without a session nothing.
    name: 'download a mail attachment',
    method: 'GET', route: '/api/mail-attachments/{id}',
    path: () => '/api/mail-attachments/00000000-0000-4000-8000-000000000000',
    expect: { none: 401, agent: 404, owner: 404, supervisor: 404, admin: 404 },
  },
  { name: 'open a new request', method: 'POST', route: '/api/tickets', path: () => '/api/tickets', body: () => ({ description: 'a second problem' }), expect: all(201) },
  {
    name: 'edit a draft of a call the owner answered',
    method: 'PATCH', route: '/api/tickets/{id}',
    path: ticketPath('draft'),
    body: () => ({ version: fixtureVersion, description: 'typed during the call' }),
    expect: ownerAndStaff(200),
  },
  {
    name: 'assign a request to someone else',
    method: 'PATCH', route: '/api/tickets/{id}',
    path: ticketPath('registered'),
    body: (w) => ({ version: fixtureVersion, assignees: [w.ids.supervisor] }),
    expect: staffOnly(200),
  },
  { name: 'register a draft', method: 'POST', route: '/api/tickets/{id}/transitions', path: ticketPath('draft', '/transitions'), body: () => ({ to: 'registered' }), expect: ownerAndStaff(200) },
  { name: 'start work on a request', method: 'POST', route: '/api/tickets/{id}/transitions', path: ticketPath('registered', '/transitions'), body: () => ({ to: 'in_progress' }), expect: ownerAndStaff(200) },
  {
    name: 'complete a request',
    method: 'POST', route: '/api/tickets/{id}/transitions',
    path: ticketPath('in_progress', '/transitions'),
    body: () => ({ to: 'completed', solution: 'restart the service' }),
    expect: ownerAndStaff(200),
  },
  {
    name: "relay the customer's confirmation (R9) on anyone's request",
    method: 'POST', route: '/api/tickets/{id}/transitions',
    path: ticketPath('completed', '/transitions'),
    body: () => ({ to: 'closed', reason: 'confirmed' }),
    expect: all(200),
  },
  {
    name: "relay the customer's disagreement (R8) on anyone's request",
    method: 'POST', route: '/api/tickets/{id}/transitions',
    path: ticketPath('completed', '/transitions'),
    body: () => ({ to: 'in_progress', comment: 'the error is still there' }),
    expect: all(200),
  },
  {
    name: "relay the customer's withdrawal (R11) on anyone's request",
    method: 'POST', route: '/api/tickets/{id}/transitions',
    path: ticketPath('registered', '/transitions'),
    body: () => ({ to: 'closed', reason: 'withdrawn' }),
    expect: all(200),
  },
  {
    name: 'close a request as a duplicate',
    method: 'POST', route: '/api/tickets/{id}/transitions',
    path: ticketPath('registered', '/transitions'),
    body: () => ({ to: 'closed', reason: 'duplicate' }),
    expect: ownerAndStaff(200),
  },
  { name: 'discard a draft', method: 'POST', route: '/api/tickets/{id}/transitions', path: ticketPath('draft', '/transitions'), body: () => ({ to: 'discarded', reason: 'test' }), expect: ownerAndStaff(200) },
  { name: 'tick "number told" (R2)', method: 'POST', route: '/api/tickets/{id}/number-told', path: ticketPath('registered', '/number-told'), body: () => ({}), expect: ownerAndStaff(200) },
  { name: 'comment on a registered request', method: 'POST', route: '/api/tickets/{id}/comments', path: ticketPath('registered', '/comments'), body: () => ({ text: 'called back' }), expect: all(200) },
  {
    name: 'record a customer contact (R10)',
    method: 'POST', route: '/api/tickets/{id}/customer-contact',
    path: ticketPath('completed', '/customer-contact'),
    body: () => ({ comment: 'will check tomorrow' }),
    expect: all(200),
  },
  { name: "link the call the owner answered to a request (its draft goes with it)", method: 'POST', route: '/api/tickets/{id}/calls', path: ticketPath('registered', '/calls'), body: (w) => ({ callId: w.callId }), expect: ownerAndStaff(200) },
  { name: 'attach a screenshot (R5)', method: 'POST', route: '/api/tickets/{id}/attachments', path: ticketPath('registered', '/attachments'), body: () => PNG, expect: ownerAndStaff(201) },
  { name: "list a request's screenshots", method: 'GET', route: '/api/tickets/{id}/attachments', path: ticketPath('registered', '/attachments'), expect: all(200) },
  {
    name: 'download a screenshot',
    method: 'GET', route: '/api/tickets/{id}/attachments/{attachmentId}',
    path: async (w) => {
      const base = await ticketPath('registered', '/attachments')(w);
      const up = await rawRequest(w.h.url, 'POST', base, { headers: { authorization: `Bearer ${w.tokens.supervisor}` }, body: PNG });
      return `${base}/${up.body.id}`;
    },
    expect: all(200),
  },
];

async function world(t: any): Promise<World> {
  const peer = await AmiPeer.start();
  t.teardown(() => peer.close());
  const h = await buildTestApp(t, { pbx: [{ host: '127.0.0.1', port: peer.port }] });
  const owner = await h.agent('owner101', '101');
  const agent = await h.agent('other102', '102');
  const supervisor = await h.agent('boss', null, 'supervisor');
  const admin = await h.agent('root2', null, 'admin');
  await h.app.startIngest();
  await peer.replay(loadScenario('S1-answered'));
  const callId: string = await waitFor('the S1 call to be stored, ended', async () => {
    const calls = await h.request('GET', '/api/calls', supervisor.token);
    return calls.body.items[0]?.endedAt && calls.body.items[0].id;
  });
  const w: World = {
    h,
    tokens: { agent: agent.token, owner: owner.token, supervisor: supervisor.token, admin: admin.token },
    ids: { agent: agent.id, owner: owner.id, supervisor: supervisor.id, admin: admin.id },
    callId,
    async ticket(status) {
      // Opened from the call by a supervisor: it goes to the agent who answered it (R1).
      const s = supervisor.token;
      const made = await h.request('POST', '/api/tickets', s, { callIds: [callId], description: 'the program fails at start' });
      if (made.status !== 201) throw new Error(`fixture: ${made.status} ${JSON.stringify(made.body)}`);
      let cur = made.body;
      const step = async (body: unknown) => {
        const r = await h.request('POST', `/api/tickets/${cur.id}/transitions`, s, body);
        if (r.status !== 200) throw new Error(`fixture step ${JSON.stringify(body)}: ${r.status} ${JSON.stringify(r.body)}`);
        cur = r.body;
      };
      if (status !== 'draft') await step({ to: 'registered' });
      if (status === 'in_progress' || status === 'completed') await step({ to: 'in_progress' });
      if (status === 'completed') await step({ to: 'completed', solution: 'update to 5.2.1' });
      if (JSON.stringify(cur.assignees) !== JSON.stringify([owner.id])) throw new Error('fixture: not assigned to the owner');
      return { id: cur.id, version: cur.version };
    },
  };
  return w;
}

t.test('every route × role gets what docs/requests.md says', async (t) => {
  const w = await world(t);
  const results: string[] = [];
  for (const row of ROWS) {
    for (const who of WHO) {
      const path = await row.path(w);
      let token: string | null = null;
      if (who !== 'none') {
        // Logging out must not end the session the other rows use: a throwaway session for that row.
        token = row.method === 'DELETE' ? await w.h.login(...loginOf(w, who)) : w.tokens[who];
      }
      const body = row.body?.(w, path);
      const raw = Buffer.isBuffer(body); // an upload's bytes go as they are
      const res = await rawRequest(w.h.url, row.method, path, {
        headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': raw ? 'application/octet-stream' : 'application/json' } : {}) },
        body: body !== undefined ? (raw ? body : JSON.stringify(body)) : undefined,
      });
      const want = row.expect[who];
      if (res.status !== want) results.push(`${row.name} as ${who}: ${res.status} ${res.text.slice(0, 160)}`);
      t.equal(res.status, want, `${row.name} (${row.method}) as ${who}`);
      if (res.status >= 400) t.match(res.body, { error: String, message: String }, `${row.name} as ${who}: {error, message}`);
    }
  }
  if (results.length) t.comment(results.join('\n'));
});

t.test('every API route is in the table above', async (t) => {
  const h = await buildTestApp(t, { connectPbx: false });
  const doc: any = await (await fetch(`${h.url}/docs/json`)).json();
  const inTable = new Set(ROWS.map((r) => `${r.method} ${r.route}`));
  inTable.add('GET /api/health');
  inTable.add('POST /api/session');
  // A customer's link page: no session, no role (test/integration/mail-out/customer-links.test.ts).
  inTable.add('GET /r/{token}');
  inTable.add('POST /r/{token}');
  for (const [path, ops] of Object.entries<Record<string, unknown>>(doc.paths)) {
    for (const method of Object.keys(ops)) {
      t.ok(inTable.has(`${method.toUpperCase()} ${path}`), `${method.toUpperCase()} ${path} has a row`);
    }
  }
});

t.test('the live WebSocket needs a session; every role gets its snapshot', async (t) => {
  const w = await world(t);
  const refused = await rawRequest(w.h.url, 'GET', '/ws', { headers: { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==' } });
  t.equal(refused.status, 401, 'no session, no socket');
  for (const who of ['agent', 'owner', 'supervisor', 'admin'] as const) {
    const ws = await w.h.socket(w.tokens[who]);
    const snap = await ws.next((m) => m.type === 'snapshot');
    t.ok(Array.isArray(snap.calls) && Array.isArray(snap.drafts), `${who} gets a snapshot`);
    ws.close();
  }
});

function loginOf(w: World, who: Exclude<Who, 'none'>): [string, string] {
  const login = { agent: 'other102', owner: 'owner101', supervisor: 'boss', admin: 'root2' }[who];
  return [login, `${login}-password`];
}
