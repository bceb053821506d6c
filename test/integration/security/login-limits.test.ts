// Failed logins are limited per account and per address (429 with Retry-After), counting failures
// only, so that a call centre whose agents share one address still logs in at shift start. The
// counts are kept in the database: instances behind a balancer count together.
import t from 'tap';
import { buildTestApp, secondInstance, type TestApp } from '../../helpers/app';
import { rawRequest } from './raw-http';

function attempt(h: Pick<TestApp, 'url'>, login: string, password: string, headers: Record<string, string> = {}) {
  return rawRequest(h.url, 'POST', '/api/session', {
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ login, password }),
  });
}

t.test('guessing one account is stopped after 5 failures, even with the right password, and only for that account', async (t) => {
  const h = await buildTestApp(t, { connectPbx: false });
  await h.agent('ivanova', '101');
  for (let i = 0; i < 5; i++) t.equal((await attempt(h, 'ivanova', `guess-${i}`)).status, 401, `guess ${i + 1} is refused`);
  const blocked = await attempt(h, 'ivanova', 'ivanova-password');
  t.equal(blocked.status, 429, 'the 6th try is limited, right password or not');
  t.match(blocked.body, { error: 'too_many_requests', message: String });
  t.ok(Number(blocked.headers['retry-after']) > 0, `Retry-After: ${blocked.headers['retry-after']} s`);
  t.equal((await attempt(h, 'IVANOVA', 'ivanova-password')).status, 429, 'the login is matched whatever its case');
  t.equal((await attempt(h, 'admin', 'admin-password-1')).status, 200, 'other accounts from the same address log in');
});

t.test('spraying passwords over many accounts from one address is stopped (per-address limit)', async (t) => {
  const h = await buildTestApp(t, { connectPbx: false });
  await h.request('POST', '/api/agents', h.adminToken, { login: 'fresh', password: 'fresh-password', extension: '101', mustChangePassword: false });
  let limited = -1;
  for (let i = 0; i < 60 && limited < 0; i++) {
    const res = await attempt(h, `nobody${i}`, 'Password1');
    if (res.status === 429) limited = i;
    else t.equal(res.status, 401);
  }
  t.equal(limited, 50, 'the 51st failure from the address is limited');
  t.equal((await attempt(h, 'fresh', 'fresh-password')).status, 429, 'that address waits, for any account not known there');
});

t.test('a forged X-Forwarded-For does not give a guesser fresh addresses', async (t) => {
  const h = await buildTestApp(t, { connectPbx: false });
  let limited = -1;
  for (let i = 0; i < 60 && limited < 0; i++) {
    const res = await attempt(h, `nobody${i}`, 'Password1', { 'x-forwarded-for': `203.0.113.${i}` });
    if (res.status === 429) limited = i;
  }
  t.equal(limited, 50, 'still limited after 50 failures from the real address');
});

t.test('a call centre behind one address logs in at shift start, typos included', async (t) => {
  const h = await buildTestApp(t, { connectPbx: false });
  const count = 60; // more agents than the per-address limit counts failures
  const logins: string[] = [];
  for (let i = 0; i < count; i++) {
    const login = `agent${i}`;
    const res = await h.request('POST', '/api/agents', h.adminToken, { login, password: `${login}-password`, extension: String(200 + i), mustChangePassword: false });
    t.equal(res.status, 201);
    logins.push(login);
  }
  let ok = 0;
  for (const [i, login] of logins.entries()) {
    if (i % 3 === 0) t.equal((await attempt(h, login, 'wrong password')).status, 401, `${login} mistypes once`);
    const res = await attempt(h, login, `${login}-password`);
    if (res.status === 200) ok++;
    else t.fail(`${login}: ${res.status} ${res.text}`);
  }
  t.equal(ok, count, `all ${count} agents logged in from one address`);
});

t.test('behind a configured load balancer (TRUST_PROXY) each client address is counted on its own', async (t) => {
  const h = await buildTestApp(t, { connectPbx: false, config: { trustProxy: '127.0.0.1' } });
  for (let i = 0; i < 50; i++) await attempt(h, `nobody${i}`, 'Password1', { 'x-forwarded-for': '198.51.100.7' });
  t.equal((await attempt(h, 'admin', 'admin-password-1', { 'x-forwarded-for': '198.51.100.7' })).status, 429, 'the guessing client waits (admin never logged in from there)');
  t.equal((await attempt(h, 'admin', 'admin-password-1', { 'x-forwarded-for': '198.51.100.8' })).status, 200, 'another client of the balancer logs in');
});

t.test("a guesser at the call centre's address does not lock out agents who have logged in from there before", async (t) => {
  const h = await buildTestApp(t, { connectPbx: false });
  await h.agent('regular', '101'); // logs in from this address (shift before)
  await h.request('POST', '/api/agents', h.adminToken, { login: 'newcomer', password: 'newcomer-password', extension: '102', mustChangePassword: false });
  for (let i = 0; i < 50; i++) await attempt(h, `nobody${i}`, 'Password1');
  t.equal((await attempt(h, 'newcomer', 'newcomer-password')).status, 429, 'an account never used from this address waits');
  t.equal((await attempt(h, 'regular', 'regular-password')).status, 200, 'an agent known at this address logs in');
  for (let i = 0; i < 5; i++) await attempt(h, 'regular', `guess-${i}`);
  t.equal((await attempt(h, 'regular', 'regular-password')).status, 429, 'the per-account limit still holds for them');
});

t.test('two instances on one database count the failures together', async (t) => {
  const h = await buildTestApp(t, { connectPbx: false });
  const other = await secondInstance(t, h);
  await h.agent('petrov', '101');
  for (let i = 0; i < 3; i++) t.equal((await attempt(h, 'petrov', `guess-a${i}`)).status, 401, `guess ${i + 1} on the first instance`);
  for (let i = 0; i < 2; i++) t.equal((await attempt(other, 'petrov', `guess-b${i}`)).status, 401, `guess ${i + 4} on the second instance`);
  t.equal((await attempt(other, 'petrov', 'petrov-password')).status, 429, 'the 6th try is limited on the second instance');
  t.equal((await attempt(h, 'petrov', 'petrov-password')).status, 429, 'and on the first');
});

t.test('guesses sent all at once do not slip past the limit while their passwords are checked', async (t) => {
  const h = await buildTestApp(t, { connectPbx: false });
  const other = await secondInstance(t, h);
  await h.agent('sidorov', '101');
  const all = await Promise.all(Array.from({ length: 20 }, (_, i) => attempt(i % 2 ? other : h, 'sidorov', `guess-${i}`)));
  const statuses = all.map((r) => r.status).sort();
  t.equal(statuses.filter((s) => s === 401).length, 5, `5 guesses were checked, the rest limited (${statuses.join(' ')})`);
  t.equal(statuses.filter((s) => s === 429).length, 15);
});
