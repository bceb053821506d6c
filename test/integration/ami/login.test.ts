import t from 'tap';
import { harness } from './harness';

t.test('a refused login is logged clearly without the secret and retried with back-off until it works', async (t) => {
  const secret = 'Wr0ng-Secret-4711';
  const h = await harness(t, { client: { secret } });
  let refusals = 0;
  h.peer.on('login-failed', () => refusals++);
  await h.waitFor(() => refusals >= 4, 'four refused logins', 5000);
  t.equal(h.connected.length, 0, 'never connected');
  t.equal(h.conn.status().connected, false);
  t.match(h.conn.status().lastError, /login refused: Authentication failed/);
  t.ok(h.logs.some((l) => /AMI login refused by the PBX/.test(l)), 'logged as a refused login');
  t.notOk(h.logs.some((l) => l.includes(secret)), 'the secret is never logged');
  const loginTimes = h.peer.actions.filter((a) => a.name === 'login').map((a) => a.at.getTime());
  const gaps = loginTimes.slice(1).map((at, i) => at - loginTimes[i]);
  // The waits double from 100 ms up to 1 s; each gap is at least its wait (plus a login's time,
  // which a loaded machine stretches, so the gaps themselves need not double).
  t.ok(gaps.every((g, i) => g >= Math.min(100 * 2 ** i, 1000) - 10), `back-off grows: ${gaps.join(', ')} ms`);

  h.peer.secret = secret; // the admin fixes the PBX side
  await h.waitFor(() => h.connected.length === 1, 'logged in', 3000);
  t.equal(h.conn.status().connected, true);
});
