// Every route but the public ones (README: HTTP API) needs a session, however its path is spelled.
import t from 'tap';
import { buildTestApp } from '../../helpers/app';
import { percentEncoded, rawRequest } from './raw-http';

const SOME_ID = '00000000-0000-4000-8000-000000000001';

/** The API's routes as its OpenAPI document lists them, with `{id}` filled in. */
async function apiRoutes(url: string): Promise<{ method: string; path: string }[]> {
  const doc: any = await (await fetch(`${url}/docs/json`)).json();
  const out: { method: string; path: string }[] = [];
  for (const [path, ops] of Object.entries<Record<string, unknown>>(doc.paths)) {
    for (const method of Object.keys(ops)) out.push({ method: method.toUpperCase(), path: path.replace('{id}', SOME_ID) });
  }
  return out;
}

// A customer's link page: the token in its path is the key (README: Outgoing mail).
const PUBLIC = new Set(['GET /api/health', 'POST /api/session', 'GET /r/{token}', 'POST /r/{token}']);

t.test('every route but the public ones answers 401 without a session, however its path is spelled', async (t) => {
  const h = await buildTestApp(t, { connectPbx: false });
  // Something to leak if the check were skipped.
  const made = await h.request('POST', '/api/tickets', h.adminToken, { description: 'secret problem' });
  t.equal(made.status, 201);
  const routes = (await apiRoutes(h.url)).filter((r) => !PUBLIC.has(`${r.method} ${r.path}`));
  routes.push({ method: 'GET', path: '/ws' });
  for (const r of [...routes]) if (r.method === 'GET') routes.push({ method: 'HEAD', path: r.path });
  t.ok(routes.length >= 15, `${routes.length} routes need a session`);
  for (const r of routes) {
    const path = r.path.replace(SOME_ID, made.body.id);
    for (const spelled of [path, percentEncoded(path), `${path}?token=`]) {
      const res = await rawRequest(h.url, r.method, spelled, {
        headers: { 'content-type': 'application/json' },
        body: ['POST', 'PATCH'].includes(r.method) ? JSON.stringify({ version: 1, description: 'changed', text: 'x', to: 'registered' }) : undefined,
      });
      t.equal(res.status, 401, `${r.method} ${spelled} needs a session`);
      if (r.method !== 'HEAD') t.equal(res.body?.error, 'unauthorized', `${r.method} ${spelled}: {error, message}`);
    }
  }
  const after = await h.request('GET', `/api/tickets/${made.body.id}`, h.adminToken);
  t.equal(after.body.description, 'secret problem', 'nothing was changed without a session');
  t.equal(after.body.version, made.body.version);
});

t.test('a forged, expired-looking or foreign token is refused like none', async (t) => {
  const h = await buildTestApp(t, { connectPbx: false });
  for (const auth of ['Bearer ', 'Bearer not-a-token', `Bearer ${h.adminToken}x`, `Basic ${Buffer.from('admin:admin-password-1').toString('base64')}`]) {
    const res = await rawRequest(h.url, 'GET', '/api/agents', { headers: { authorization: auth } });
    t.equal(res.status, 401, `"${auth.slice(0, 20)}…" is no session`);
  }
  const cookie = await rawRequest(h.url, 'GET', '/api/agents', { headers: { cookie: 'calldesk_session=forged' } });
  t.equal(cookie.status, 401, 'a forged cookie is no session');
});

t.test('the public routes answer without a session', async (t) => {
  const h = await buildTestApp(t, { connectPbx: false });
  const health = await rawRequest(h.url, 'GET', '/api/health');
  t.equal(health.status, 200, 'GET /api/health');
  const login = await rawRequest(h.url, 'POST', '/api/session', {
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login: 'admin', password: 'admin-password-1' }),
  });
  t.equal(login.status, 200, 'POST /api/session');
  for (const path of ['/', '/docs', '/docs/json', '/metrics']) {
    const res = await rawRequest(h.url, 'GET', path);
    t.equal(res.status, 200, `GET ${path}`);
  }
  const unknown = await rawRequest(h.url, 'GET', '/api/no-such-route');
  t.equal(unknown.status, 404, 'an unknown route is 404, with or without a session');
  t.match(unknown.body, { error: 'not_found', message: String });
});
