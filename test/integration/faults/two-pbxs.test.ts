// Two PBXs at once, the same calls on both (the same linkedids: each call is keyed by its own PBX),
// at a brisk pace. One PBX goes away three times mid-calls; the other carries on untouched. On
// each PBX no call shown is lost or stored twice; health says which PBX is away while it is.
// Under `npm run chaos`: 1 500 calls on each, 100 calls/s in all.
import t from 'tap';
import { AmiPeer } from '../../helpers/ami-peer';
import { freshDatabase } from '../../helpers/db';
import { callsBegun, observe, replayObserved, storedCalls, tally } from './pbx-faults';
import { startService, waitFor } from './service';
import { chaosReport, scaled } from '../../helpers/chaos';

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

  const pace = { ...scaled({ count: 80, intervalMs: 200, speed: 2 }, { count: 1500, intervalMs: 20, speed: 1 }), seed: 71, startEpochSec: Math.floor(Date.now() / 1000) };
  const [first, every, away] = scaled([12, 20, 2], [300, 400, 50]);
  // Frames pbx2 wrote that the service had not read yet die with the socket (at load, a buffer
  // full): before each drop pbx2 holds its stream until the service has read what it was sent —
  // the drop still comes mid-calls, and "shown" stays what the service was shown.
  let hold: Promise<void> | null = null;
  const replays = [replayObserved(steady, pace, obsSteady), replayObserved(flaky, { ...pace, before: () => hold ?? undefined }, obsFlaky)];
  const caughtUp = async () => {
    const known = new Set([...s.app.pbx[1].tracker.liveCalls()].map((c) => c.linkedid));
    for (const c of await storedCalls(s.app.ds, 'pbx2')) known.add(c.linkedid);
    return [...obsFlaky.calls.values()].every((c) => !c.shown || known.has(c.linkedid));
  };
  const healthWhileAway: Array<Record<string, boolean>> = [];
  const reconnectMs: number[] = [];
  for (let i = 0; i < 3; i++) {
    // Placed by the replay's progress: 12, 32 and 52 calls in (at load: 300, 700, 1 100).
    await callsBegun(obsFlaky, first + every * i);
    const logins = flaky.logins;
    let release!: () => void;
    hold = new Promise((r) => (release = r));
    await waitFor('the service to have read what pbx2 sent', caughtUp, scaled(10_000, 60_000), 100);
    await flaky.close();
    hold = null;
    release();
    const h = await waitFor('health to say pbx2 is away', async () => {
      const r = await s.request('GET', '/api/health', null);
      return r.body.pbx.find((p: any) => p.id === 'pbx2')?.connected === false && r.body;
    });
    healthWhileAway.push({ status: h.status === 'degraded', ...Object.fromEntries(h.pbx.map((p: any) => [p.id, p.connected])) });
    // (A loaded machine may reach the replay's end first.)
    await callsBegun(obsFlaky, Math.min(pace.count, obsFlaky.calls.size + away));
    const back = Date.now();
    await flaky.listen();
    await flaky.waitForLogin(logins + 1, 5000);
    reconnectMs.push(Date.now() - back);
  }
  await Promise.all(replays);
  t.same(healthWhileAway, Array(3).fill({ status: true, main: true, pbx2: false }), 'each time: degraded, pbx2 away, main connected');

  await waitFor('every stored call to end', async () => (await s.app.ds.query(`SELECT count(*)::int AS live FROM call WHERE ended_at IS NULL`))[0].live === 0, scaled(20_000, 180_000), 200);
  const rows = { offered: 0, stored: 0, lost: 0, doubled: 0 };
  for (const [pbx, obs] of [['main', obsSteady], ['pbx2', obsFlaky]] as const) {
    const stored = await storedCalls(s.app.ds, pbx);
    const r = tally(obs, stored);
    rows.offered += r.offered;
    rows.stored += r.stored;
    rows.lost += r.lost.length;
    rows.doubled += r.doubled.length;
    t.same({ lost: r.lost, doubled: r.doubled, madeUp: r.madeUp }, { lost: [], doubled: [], madeUp: [] }, `${pbx}: ${r.offered} offered, ${r.shown} shown, ${r.stored} stored, none lost, doubled or made up`);
    if (pbx === 'main') {
      t.equal(r.stored, r.offered, 'main: every call stored');
      t.same(stored.filter((c) => c.gap || (c.outcome !== 'answered' && c.outcome !== 'missed')).map((c) => c.linkedid), [], 'main: untouched by the other PBX going away (no gap, every outcome known)');
    } else {
      t.ok(stored.some((c) => c.gap), 'pbx2: calls across its outages are flagged gap');
    }
  }
  const same = await s.app.ds.query(`SELECT count(*)::int AS n FROM call a JOIN call b ON a.linkedid = b.linkedid AND a.pbx = 'main' AND b.pbx = 'pbx2'`);
  chaosReport({ scenario: 'two PBXs, one dropping 3×', calls: rows, recoveryMs: Math.max(...reconnectMs), recovery: 'PBX back → logged in again (worst of 3)' });
  t.ok(same[0].n >= pace.count / 2, `${same[0].n} linkedids on both PBXs: two calls each, one per PBX`);
  // The peer sees the login before the service has counted the connection (it lists the live calls first).
  const metrics = await waitFor('pbx2 counted four connections', async () => {
    const r = await s.request('GET', '/metrics', null);
    return /calldesk_ami_reconnects_total\{pbx="pbx2"\} [4-9]\b/.test(r.body) && r;
  });
  t.match(metrics.body, /calldesk_ami_reconnects_total\{pbx="main"\} 1\b/, 'main connected once');
  t.match(metrics.body, /calldesk_ami_reconnects_total\{pbx="pbx2"\} 4\b/, 'pbx2 connected four times');
  t.equal((await s.request('GET', '/api/health', null)).body.status, 'ok', 'health is ok again');
});
