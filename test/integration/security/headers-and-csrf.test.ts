// Security headers on every answer; a browser's cookie session cannot be ridden by another site
// (CSRF): changes need the x-calldesk-csrf header, which a foreign page cannot send without CORS,
// and no CORS is granted.
import t from 'tap';
import { buildTestApp } from '../../helpers/app';
import { rawRequest } from './raw-http';

async function cookieLogin(url: string): Promise<string> {
  const res = await rawRequest(url, 'POST', '/api/session', {
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login: 'admin', password: 'admin-password-1' }),
  });
  return String(res.headers['set-cookie']).split(';')[0];
}

t.test('security headers are on the API, the panel page and errors', async (t) => {
  const h = await buildTestApp(t, { connectPbx: false });
  const answers = {
    'the panel page': await rawRequest(h.url, 'GET', '/'),
    'an API answer': await rawRequest(h.url, 'GET', '/api/tickets', { headers: { authorization: `Bearer ${h.adminToken}` } }),
    'a 401': await rawRequest(h.url, 'GET', '/api/tickets'),
    'a 404': await rawRequest(h.url, 'GET', '/no/such/page'),
  };
  for (const [what, res] of Object.entries(answers)) {
    t.equal(res.headers['x-content-type-options'], 'nosniff', `${what}: nosniff`);
    t.ok(res.headers['x-frame-options'], `${what}: X-Frame-Options`);
    t.ok(res.headers['strict-transport-security'], `${what}: HSTS`);
    t.equal(res.headers['referrer-policy'], 'no-referrer', `${what}: no referrer`);
    t.equal(res.headers['cross-origin-opener-policy'], 'same-origin', `${what}: COOP`);
    t.notOk(res.headers['x-powered-by'], `${what}: no X-Powered-By`);
    t.notOk(res.headers['access-control-allow-origin'], `${what}: no CORS`);
  }
  const csp = String(answers['the panel page'].headers['content-security-policy']);
  t.match(csp, /default-src 'self'/, 'the panel page has a CSP');
  t.match(csp, /frame-ancestors 'none'/, 'and cannot be framed');
  t.notMatch(csp, /unsafe-inline|unsafe-eval/, 'without unsafe sources');
  t.match(String(answers['an API answer'].headers['cache-control']), /no-store/, 'answers with session data are not cached');
});

t.test('a cookie session needs the CSRF header for every change; a bearer token does not', async (t) => {
  const h = await buildTestApp(t, { connectPbx: false });
  const cookie = await cookieLogin(h.url);
  const json = { 'content-type': 'application/json' };
  const body = JSON.stringify({ description: 'made by a foreign page?' });

  const read = await rawRequest(h.url, 'GET', '/api/tickets', { headers: { cookie } });
  t.equal(read.status, 200, 'reading with the cookie works');

  const forged = await rawRequest(h.url, 'POST', '/api/tickets', { headers: { ...json, cookie, origin: 'https://evil.example' }, body });
  t.equal(forged.status, 403, 'a change with the cookie alone is refused');
  t.match(forged.body, { error: 'forbidden', message: /x-calldesk-csrf/ });
  const form = await rawRequest(h.url, 'POST', '/api/tickets', {
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
    body: 'description=from+a+form',
  });
  t.equal(form.status, 403, 'a cross-site form post is refused');
  const textPlain = await rawRequest(h.url, 'POST', '/api/tickets', { headers: { 'content-type': 'text/plain', cookie }, body });
  t.equal(textPlain.status, 403, 'a "simple" text/plain post is refused');
  const logout = await rawRequest(h.url, 'DELETE', '/api/session', { headers: { cookie } });
  t.equal(logout.status, 403, 'even logging out needs the header (no forced logout)');

  const own = await rawRequest(h.url, 'POST', '/api/tickets', { headers: { ...json, cookie, 'x-calldesk-csrf': '1' }, body });
  t.equal(own.status, 201, 'the panel, sending the header, may change things');
  const bearer = await rawRequest(h.url, 'POST', '/api/tickets', { headers: { ...json, authorization: `Bearer ${h.adminToken}` }, body });
  t.equal(bearer.status, 201, 'an API client with a bearer token needs no header');
  const tickets = await h.request('GET', '/api/tickets', h.adminToken);
  t.equal(tickets.body.items.length, 2, 'only the two allowed requests exist');
});

t.test('no CORS: a foreign origin is granted nothing, preflight included', async (t) => {
  const h = await buildTestApp(t, { connectPbx: false });
  const pre = await rawRequest(h.url, 'OPTIONS', '/api/tickets', {
    headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'x-calldesk-csrf' },
  });
  t.notOk(pre.headers['access-control-allow-origin'], 'no Access-Control-Allow-Origin');
  t.notOk(pre.headers['access-control-allow-headers'], 'the CSRF header is not allowed cross-origin');
  const get = await rawRequest(h.url, 'GET', '/api/tickets', { headers: { origin: 'https://evil.example', authorization: `Bearer ${h.adminToken}` } });
  t.notOk(get.headers['access-control-allow-origin'], 'a foreign page cannot read answers');
});
