// The WebSocket checks the session and refuses a browser's foreign Origin (cross-site WebSocket
// hijacking); clients without an Origin header, using a token, are allowed.
import t from 'tap';
import WebSocket from 'ws';
import { buildTestApp } from '../../helpers/app';

function open(url: string, headers: Record<string, string>): Promise<{ ok: true; ws: WebSocket } | { ok: false; status: number }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => resolve({ ok: true, ws }));
    ws.once('unexpected-response', (_req, res) => resolve({ ok: false, status: res.statusCode ?? 0 }));
    ws.once('error', reject);
  });
}

t.test('a browser from a foreign origin is refused, with a token or with the cookie', async (t) => {
  const h = await buildTestApp(t, { connectPbx: false });
  const base = h.url.replace('http', 'ws');
  const withToken = `${base}/ws?token=${h.adminToken}`;
  const cookie = { cookie: `calldesk_session=${h.adminToken}` };
  const cases: [string, string, Record<string, string>, boolean][] = [
    ['a token, no Origin (an API client)', withToken, {}, true],
    ['a token, the same origin', withToken, { origin: h.url }, true],
    ['the cookie, the same origin (the panel)', `${base}/ws`, { ...cookie, origin: h.url }, true],
    ['a token, a foreign origin', withToken, { origin: 'https://evil.example' }, false],
    ['the cookie, a foreign origin', `${base}/ws`, { ...cookie, origin: 'https://evil.example' }, false],
    ['the cookie, a look-alike origin', `${base}/ws`, { ...cookie, origin: `${h.url}.evil.example` }, false],
    ['a token, Origin: null (a sandboxed page)', withToken, { origin: 'null' }, false],
    ['a token, a malformed Origin', withToken, { origin: '::::' }, false],
    ['no session, same origin', `${base}/ws`, { origin: h.url }, false],
    ['a forged token', `${base}/ws?token=forged`, {}, false],
  ];
  for (const [what, url, headers, allowed] of cases) {
    const res = await open(url, headers);
    if (res.ok) {
      const first = await new Promise<any>((resolve) => res.ws.once('message', (d) => resolve(JSON.parse(d.toString()))));
      t.ok(allowed, `${what}: ${allowed ? 'allowed' : 'must be refused'}`);
      t.equal(first.type, 'snapshot', `${what}: the snapshot comes first`);
      res.ws.close();
    } else {
      t.notOk(allowed, `${what}: refused with ${res.status}`);
      t.ok(res.status === 401 || res.status === 403, `${what}: 401 or 403`);
    }
  }
});
