// Every route the service registers, fuzzed from its own JSON schema: each path parameter, query
// field and body field given values of the wrong kind (as judged by an Ajv set up like the
// service's), required fields left out, bodies of the wrong shape. Each is a 400 naming the field
// broken, in the {error, message, field} shape; nothing is ever a 500. A new route is fuzzed the
// day it is added, with no line to write here.
import t from 'tap';
import { buildTestApp, type TestApp } from '../../helpers/app';
import { accepts, BAD_JSON, BAD_TEXT, validValue } from '../../helpers/schema-values';
import { rawRequest } from '../security/raw-http';

type Schema = Record<string, any>;
/** How many of the wrong values each field is tried with. */
const TRIES = 4;

interface Req {
  params: Record<string, unknown>;
  query: Record<string, unknown>;
  body?: unknown;
}

const pathOf = (url: string, params: Record<string, unknown>) =>
  url.replace(/:(\w+)/g, (_, name: string) => encodeURIComponent(String(params[name] ?? 'x')));

function queryOf(query: Record<string, unknown>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) for (const one of [v].flat()) q.append(k, String(one));
  const s = q.toString();
  return s ? `?${s}` : '';
}

async function send(h: TestApp, method: string, url: string, r: Req, rawBody?: string) {
  const body = rawBody ?? (r.body !== undefined ? JSON.stringify(r.body) : undefined);
  return rawRequest(h.url, method, pathOf(url, r.params) + queryOf(r.query), {
    headers: { authorization: `Bearer ${h.adminToken}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body,
  });
}

/** The wrong values for `field` of an object schema, the other fields as in `base`. */
function wrong(schema: Schema, base: Record<string, unknown>, field: string, candidates: unknown[], json = false): unknown[] {
  return candidates.filter((c) => !accepts(schema, { ...base, [field]: c }, json)).slice(0, TRIES);
}

t.test('every route answers wrong parameters, queries and bodies from its schema with 400 naming the field, never 500', async (t) => {
  const h = await buildTestApp(t, { connectPbx: false });
  const routes = h.app.http.routeList.filter((r) => r.method !== 'HEAD' && r.url !== '/ws');
  const misses: string[] = [];
  let sent = 0;
  const expect400 = async (what: string, method: string, url: string, r: Req, fields: string[], rawBody?: string) => {
    const res = await send(h, method, url, r, rawBody);
    sent++;
    // A path parameter over the router's length limit never reaches a route: 414, same shape.
    if (res.status === 414 && res.body?.error === 'uri_too_long' && what.includes(' param ')) return;
    const named = typeof res.body?.field === 'string' ? res.body.field : '';
    const ok = res.status === 400 && res.body?.error === 'bad_request' && fields.includes(named.split('.')[0]) && String(res.body?.message).includes(named);
    if (!ok) misses.push(`${what} → ${res.status} ${res.text.slice(0, 200)}`);
    t.ok(res.status < 500, `${what}: not a ${res.status}`);
  };

  for (const route of routes) {
    const s = (route.schema ?? {}) as Schema;
    const base: Req = {
      params: (s.params ? validValue(s.params) : {}) as Record<string, unknown>,
      query: (s.querystring ? validValue(s.querystring) : {}) as Record<string, unknown>,
      body: s.body ? validValue(s.body) : undefined,
    };
    const name = `${route.method} ${route.url}`;
    for (const [part, schema, value] of [['params', s.params, base.params], ['querystring', s.querystring, base.query], ['body', s.body, base.body]] as const) {
      if (schema && !accepts(schema, value, part === 'body')) misses.push(`${name}: the test could not make a valid ${part} (${JSON.stringify(value)})`);
    }

    for (const p of Object.keys(s.params?.properties ?? {})) {
      // An empty segment is another route (or none): not this parameter's business.
      for (const bad of wrong(s.params, base.params, p, BAD_TEXT.filter(Boolean))) {
        await expect400(`${name} param ${p}=${JSON.stringify(bad).slice(0, 30)}`, route.method, route.url, { ...base, params: { ...base.params, [p]: bad } }, [p]);
      }
    }
    for (const q of Object.keys(s.querystring?.properties ?? {})) {
      for (const bad of wrong(s.querystring, base.query, q, BAD_TEXT)) {
        await expect400(`${name} ?${q}=${JSON.stringify(bad).slice(0, 30)}`, route.method, route.url, { ...base, query: { ...base.query, [q]: bad } }, [q]);
      }
    }
    const body = s.body as Schema | undefined;
    if (body?.type !== 'object') continue;
    const required: string[] = body.required ?? [];
    if (required.length) await expect400(`${name} body {}`, route.method, route.url, { ...base, body: {} }, required);
    for (const shape of ['[]', '"text"', '42', 'null']) await expect400(`${name} body ${shape}`, route.method, route.url, base, ['body', ...required], shape);
    for (const b of Object.keys(body.properties ?? {})) {
      for (const bad of wrong(body, base.body as Record<string, unknown>, b, BAD_JSON, true)) {
        await expect400(`${name} body.${b}=${JSON.stringify(bad).slice(0, 30)}`, route.method, route.url, { ...base, body: { ...(base.body as object), [b]: bad } }, [b]);
      }
    }
  }
  t.ok(sent > 300, `${sent} wrong requests sent over ${routes.length} routes`);
  t.same(misses, [], 'every wrong request was a 400 naming the field');
});

t.test('junk the schemas do not foresee is never a 500 on any route', async (t) => {
  const h = await buildTestApp(t, { connectPbx: false });
  const routes = h.app.http.routeList.filter((r) => r.method !== 'HEAD' && r.url !== '/ws');
  const deep = '['.repeat(5000) + ']'.repeat(5000);
  const bodies = ['{', '{"__proto__":{"polluted":1}}', '{"constructor":{"prototype":{"polluted":1}}}', deep, '\u0000', '{"a":"\ud800"}'];
  const queries = ['?limit[]=1&limit[]=2', '?a[b][c]=1', '?cursor=%E0%A4%A', `?q=${'%25'.repeat(300)}`, '?__proto__[x]=1'];
  for (const route of routes) {
    if (route.url === '/api/session' && route.method === 'DELETE') continue; // would end the session it asks with
    const path = pathOf(route.url, (route.schema as Schema | undefined)?.params ? (validValue((route.schema as Schema).params) as Record<string, unknown>) : {});
    for (const extra of [...queries, '']) {
      for (const body of route.method === 'GET' ? [undefined] : bodies) {
        const res = await rawRequest(h.url, route.method, path + extra, {
          // Framed by its length: Node sends a DELETE's body unframed otherwise.
          headers: { authorization: `Bearer ${h.adminToken}`, ...(body !== undefined ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) } : {}) },
          body,
        }).catch((e) => { throw new Error(`${route.method} ${path}${extra} ${body?.slice(0, 20)}: ${e.message}`); });
        t.ok(res.status < 500, `${route.method} ${path}${extra} ${body?.slice(0, 20) ?? ''}: ${res.status}`);
        // A customer's link page answers its reader in HTML; the API in {error, message}.
        const html = String(res.headers['content-type']).startsWith('text/html');
        if (res.status >= 400 && !html) t.match(res.body, { error: String, message: String }, 'in the {error, message} shape');
      }
    }
  }
  t.equal(({} as Record<string, unknown>).polluted, undefined, 'no prototype was polluted');
});

t.test('a JSON body is taken as typed (no "5" for 5, no single value for a list); query strings are coerced', async (t) => {
  const h = await buildTestApp(t, { connectPbx: false });
  const made = await h.request('POST', '/api/tickets', h.adminToken, { description: 'typed input' });
  const cases: [string, string, unknown, string][] = [
    ['PATCH', `/api/tickets/${made.body.id}`, { version: String(made.body.version), description: 'x' }, 'version'],
    ['POST', '/api/tickets', { description: 'x', callIds: '00000000-0000-4000-8000-000000000001' }, 'callIds'],
    ['POST', '/api/agents', { login: 'typed', password: 'long-enough-1', name: null }, 'name'],
    ['POST', '/api/agents', { login: 12345678, password: 'long-enough-1' }, 'login'],
    ['PATCH', `/api/tickets/${made.body.id}`, { version: made.body.version, priority: 1 }, 'priority'],
  ];
  for (const [method, path, body, field] of cases) {
    const res = await h.request(method, path, h.adminToken, body);
    t.equal(res.status, 400, `${method} ${path} ${JSON.stringify(body)}: 400`);
    t.equal(res.body.field, field, `names ${field}`);
  }
  const after = await h.request('GET', `/api/tickets/${made.body.id}`, h.adminToken);
  t.equal(after.body.version, made.body.version, 'nothing was changed');
  const listed = await h.request('GET', '/api/tickets?limit=5&status=draft', h.adminToken);
  t.equal(listed.status, 200, 'a number and a one-item list in the query string are read as such');
  const calls = await h.request('GET', '/api/calls?limit=5', h.adminToken);
  t.equal(calls.status, 200);
});
