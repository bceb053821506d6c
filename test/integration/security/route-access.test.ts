// Every route the service registers has a line in src/http/route-rules.ts, and the server does what
// that line says: 401 without a session, 403 for a role it does not name, through for the others.
// (What each role may do inside a route, with real data, is route-roles.test.ts.)
import Fastify from 'fastify';
import t from 'tap';
import { buildTestApp } from '../../helpers/app';
import { installAuth } from '../../../src/http/auth';
import { accessOf, ROLES_WITH } from '../../../src/http/route-rules';
import type { SessionService } from '../../../src/auth/sessions';
import { rawRequest } from './raw-http';

const PARAMS: Record<string, string> = {
  id: '00000000-0000-4000-8000-000000000001',
  attachmentId: '00000000-0000-4000-8000-000000000002',
  n: '0',
  token: 'a'.repeat(43),
  file: 'nothing.js',
  key: 'T-1',
};

const fill = (url: string) => url.replace(/:(\w+)/g, (_, name: string) => PARAMS[name] ?? 'x');

t.test('a route without a line in the rules table cannot be registered', async (t) => {
  const app = Fastify();
  installAuth(app, {} as SessionService);
  app.get('/api/health', async () => ({}));
  t.throws(() => app.get('/api/something-new', async () => ({})), /something-new has no line in src\/http\/route-rules\.ts/);
  await app.close();
});

t.test('every registered route answers as its line in the rules table says, for no session and every role', async (t) => {
  const h = await buildTestApp(t, { connectPbx: false });
  const tokens = {
    agent: (await h.agent('plain', '101')).token,
    supervisor: (await h.agent('boss', null, 'supervisor')).token,
    admin: h.adminToken,
  };
  const logins = { agent: 'plain', supervisor: 'boss', admin: 'admin' };
  const routes = h.app.http.routeList.filter((r) => r.method !== 'HEAD').map((r) => `${r.method} ${r.url}`);
  t.ok(routes.length >= 70, `${routes.length} routes walked`);
  for (const route of routes) {
    const [method, url] = route.split(' ');
    const access = accessOf(method, url)!;
    const path = fill(url);
    const none = await rawRequest(h.url, method, path);
    if (access === 'public') t.not(none.status, 401, `${route} is public`);
    else t.equal(none.status, 401, `${route} needs a session`);
    if (access === 'public') continue;
    for (const role of ['agent', 'supervisor', 'admin'] as const) {
      // Logging out ends the session asked with: a throwaway one for that route.
      const token = route === 'DELETE /api/session' ? await h.login(logins[role], role === 'admin' ? 'admin-password-1' : `${logins[role]}-password`) : tokens[role];
      const res = await rawRequest(h.url, method, path, { headers: { authorization: `Bearer ${token}` } });
      if (ROLES_WITH[access].includes(role)) t.notOk([401, 403].includes(res.status), `${route} lets ${role} through (${res.status})`);
      else {
        t.equal(res.status, 403, `${route} is refused to ${role}`);
        t.equal(res.body?.error, 'forbidden');
      }
    }
  }
});
