// PostgreSQL slow: a long lock on the call table (a migration, a vacuum full, a stuck report) holds
// every call batch while the PBX floods events. The service neither drops nor buffers without
// bound: the write queue fills to its bound, it stops reading the PBX (back-pressure), health says
// so; once the lock goes, the queue drains, reading resumes and every call is there once.
// Under `npm run chaos`: 3 000 calls at 100 calls/s, the lock held 10 s in the middle.
import pg from 'pg';
import t from 'tap';
import { AmiPeer } from '../../helpers/ami-peer';
import { freshDatabase } from '../../helpers/db';
import { callsBegun, observe, replayObserved, storedCalls, tally } from './pbx-faults';
import { atLoad, chaosReport, scaled } from '../../helpers/chaos';
import { capturedLogger, startService, waitFor } from './service';

const HIGH_WATER = scaled(300, 2000);

t.test('a lock held on the call table: back-pressure, health says so, nothing dropped, writes recover', async (t) => {
  const peer = await AmiPeer.start();
  t.teardown(() => peer.close());
  const db = await freshDatabase(t);
  const { logger, lines } = capturedLogger('info');
  const s = await startService(t, { databaseUrl: db.url, pbx: [{ host: '127.0.0.1', port: peer.port }], logger, app: { ingestHighWater: HIGH_WATER } });
  await s.app.startIngest();
  await peer.waitForLogin();

  const locker = new pg.Client({ connectionString: db.url });
  await locker.connect();
  t.teardown(() => locker.end());
  const obs = observe(peer);
  // Fast: the flood starts against the lock. At load: the lock comes 5 s into a steady stream.
  const load = scaled({ count: 60, intervalMs: 100, speed: 1000 }, { count: 3000, intervalMs: 10, speed: 1 });
  const lock = async () => {
    // Reads go on; every write to `call` waits.
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE call IN EXCLUSIVE MODE');
    return Date.now();
  };
  let lockedAt = atLoad ? 0 : await lock();
  const replay = replayObserved(peer, { ...load, seed: 73 }, obs);
  if (atLoad) {
    await callsBegun(obs, 500);
    lockedAt = await lock();
  }
  let maxPending = 0;
  const sample = setInterval(() => (maxPending = Math.max(maxPending, s.app.pipeline.stats.pending)), 5);
  t.teardown(() => clearInterval(sample));

  await waitFor('back-pressure', () => s.app.pipeline.stats.paused, 15_000);
  const health = (await s.request('GET', '/api/health', null)).body;
  t.match(health, { status: 'degraded', backPressure: true, db: true }, 'health: degraded by back-pressure, the database still answers');
  t.ok(lines.some((l) => /write queue full: pausing the PBX stream/.test(l)), 'the log says the PBX stream is paused');
  const waiting = await locker.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`);
  t.ok(waiting.rows[0].n >= 1, 'a call batch is waiting for the lock');

  // At load the fault is a 10 s lock, whatever happens meanwhile.
  if (atLoad) await new Promise((r) => setTimeout(r, lockedAt + 10_000 - Date.now()));
  await locker.query('COMMIT');
  const releasedAt = Date.now();
  const releasedAfter = releasedAt - lockedAt;
  await waitFor('reading to resume', () => !s.app.pipeline.stats.paused, scaled(15_000, 60_000));
  const recoveryMs = Date.now() - releasedAt;
  await replay;
  await waitFor('every call written and ended', async () => (await s.app.ds.query(`SELECT count(ended_at)::int AS n FROM call`))[0].n === obs.all.length, scaled(30_000, 180_000), 200);
  clearInterval(sample);
  t.ok(maxPending <= HIGH_WATER * 2, `the queue stayed bounded (at most ${maxPending} for a bound of ${HIGH_WATER}) through ${releasedAfter} ms of lock`);
  const r = tally(obs, await storedCalls(s.app.ds));
  chaosReport({ scenario: `PostgreSQL slow (call table locked ${(releasedAfter / 1000).toFixed(0)} s)`, calls: { offered: r.offered, stored: r.stored, lost: r.lost.length, doubled: r.doubled.length }, recoveryMs, recovery: 'lock released → PBX read again' });
  t.same({ lost: r.lost, doubled: r.doubled, madeUp: r.madeUp, stored: r.stored }, { lost: [], doubled: [], madeUp: [], stored: obs.all.length }, `all ${obs.all.length} calls stored once`);
  t.same((await storedCalls(s.app.ds)).filter((c) => c.gap).map((c) => c.linkedid), [], 'no gap: the PBX was only made to wait');
  t.equal(peer.logins, 1, 'the PBX connection was kept');
  t.ok(lines.some((l) => /write queue drained: resuming the PBX stream/.test(l)), 'the log says reading resumed');
  t.equal((await s.request('GET', '/api/health', null)).body.status, 'ok', 'health is ok again');
});
