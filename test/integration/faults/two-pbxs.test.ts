// Two PBXs at once, the same calls on both (the same linkedids: each call is keyed by its own PBX),
// at a brisk pace. One PBX goes away three times mid-calls; the other carries on untouched. On
// each PBX no call shown is lost or stored twice; health says which PBX is away while it is.
import t from 'tap';
import { AmiPeer } from '../../helpers/ami-peer';
import { freshDatabase } from '../../helpers/db';
import { callsBegun, observe, replayObserved, storedCalls, tally } from './pbx-faults';
import { startService, waitFor } from './service';

t.test('two PBXs, one dropping three times mid-calls: no call lost or doubled on either, health per PBX', async (t) => {
  const steady = await AmiPeer.start();
  const flaky = await AmiPeer.start();
  t.teardown(() => steady.close());
  t.teardown(() => flaky.close());
  const db = await freshDatabase(t);
  // testConfig names them `main` and `pbx2`.
  const s = await startService(t, { databaseUrl: db.url, pbx: [{ host: '127.0.0.1', port: steady.port }, { host: '127.0.0.1', port: flaky.port }] });
  const admin = await s.login('admin', 'admin-password-1');
  for (const ext of ['101', '102', '103']) {
    t.equal((await s.request('POST', '/api/agents', admin, { login: `agent${ext}`, password: `agent${ext}-password`, extension: ext, mustChangePassword: false })).status, 201);
  }
  const obsSteady = observe(steady);
  const obsFlaky = observe(flaky);
  await s.app.startIngest();
  await Promise.all([steady.waitForLogin(), flaky.waitForLogin()]);

  const pace = { count: 80, intervalMs: 200, seed: 71, speed: 2, startEpochSec: Math.floor(Date.now() / 1000) };
  const replays = [replayObserved(steady, pace, obsSteady), replayObserved(flaky, pace, obsFlaky)];
  const healthWhileAway: Array<Record<string, boolean>> = [];
  for (let i = 0; i < 3; i++) {
    // Placed by the replay's progress: 12, 32 and 52 calls in.
    await callsBegun(obsFlaky, 12 + 20 * i);
    const logins = flaky.logins;
    await flaky.close();
    const h = await waitFor('health to say pbx2 is away', async () => {
      const r = await s.request('GET', '/api/health', null);
      return r.body.pbx.find((p: any) => p.id === 'pbx2')?.connected === false && r.body;
    });
    healthWhileAway.push({ status: h.status === 'degraded', ...Object.fromEntries(h.pbx.map((p: any) => [p.id, p.connected])) });
    await callsBegun(obsFlaky, obsFlaky.calls.size + 2);
    await flaky.listen();
    await flaky.waitForLogin(logins + 1, 5000);
  }
  await Promise.all(replays);
  t.same(healthWhileAway, Array(3).fill({ status: true, main: true, pbx2: false }), 'each time: degraded, pbx2 away, main connected');

  await waitFor('every stored call to end', async () => (await s.app.ds.query(`SELECT count(*)::int AS live FROM call WHERE ended_at IS NULL`))[0].live === 0, 20_000);
  for (const [pbx, obs] of [['main', obsSteady], ['pbx2', obsFlaky]] as const) {
    const stored = await storedCalls(s.app.ds, pbx);
    const r = tally(obs, stored);
    t.same({ lost: r.lost, doubled: r.doubled, madeUp: r.madeUp }, { lost: [], doubled: [], madeUp: [] }, `${pbx}: ${r.offered} offered, ${r.shown} shown, ${r.stored} stored, none lost, doubled or made up`);
    if (pbx === 'main') {
      t.equal(r.stored, r.offered, 'main: every call stored');
      t.same(stored.filter((c) => c.gap || (c.outcome !== 'answered' && c.outcome !== 'missed')).map((c) => c.linkedid), [], 'main: untouched by the other PBX going away (no gap, every outcome known)');
    } else {
      t.ok(stored.some((c) => c.gap), 'pbx2: calls across its outages are flagged gap');
    }
  }
  const same = await s.app.ds.query(`SELECT count(*)::int AS n FROM call a JOIN call b ON a.linkedid = b.linkedid AND a.pbx = 'main' AND b.pbx = 'pbx2'`);
  t.ok(same[0].n >= 40, `${same[0].n} linkedids on both PBXs: two calls each, one per PBX`);
  const metrics = await s.request('GET', '/metrics', null);
  t.match(metrics.body, /calldesk_ami_reconnects_total\{pbx="main"\} 1\b/, 'main connected once');
  t.match(metrics.body, /calldesk_ami_reconnects_total\{pbx="pbx2"\} 4\b/, 'pbx2 connected four times');
  t.equal((await s.request('GET', '/api/health', null)).body.status, 'ok', 'health is ok again');
});
