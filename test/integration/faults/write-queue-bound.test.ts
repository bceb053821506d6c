// When writes cannot keep up (here: the database is down while the PBX floods events), the write
// queue stops at its bound: the service stops reading the PBX (back-pressure) and says so in the
// log, in health and in metrics, instead of growing without limit or dropping events. Once writes
// resume, reading resumes and nothing is lost. After a long stall the PBX may drop the connection:
// reconnect and reconcile recover.
import t from 'tap';
import { AmiPeer } from '../../helpers/ami-peer';
import { freshDatabase } from '../../helpers/db';
import { observe, replayObserved, storedCalls } from './pbx-faults';
import { capturedLogger, startService, waitFor } from './service';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const HIGH_WATER = 300;

async function gauge(s: { request(m: string, p: string, tk: null): Promise<{ body: any }> }, name: string): Promise<number> {
  const m = await s.request('GET', '/metrics', null);
  return Number(new RegExp(`^${name} (\\d+)`, 'm').exec(m.body)?.[1] ?? NaN);
}

t.test('the write queue stops at its bound: the PBX waits (log, health, metrics say so) and nothing is lost', async (t) => {
  const peer = await AmiPeer.start();
  t.teardown(() => peer.close());
  const db = await freshDatabase(t, { restartable: true });
  const { logger, lines } = capturedLogger('info');
  const s = await startService(t, { databaseUrl: db.url, pbx: [{ host: '127.0.0.1', port: peer.port }], logger, app: { ingestHighWater: HIGH_WATER } });
  await s.app.startIngest();
  await peer.waitForLogin();

  await db.server.stop!();
  const obs = observe(peer);
  // 60 calls as fast as the service reads: some 7 000 events, far more than the bound.
  const replay = replayObserved(peer, { count: 60, intervalMs: 100, seed: 66, speed: 1000 }, obs);
  let maxPending = 0;
  const sample = setInterval(() => (maxPending = Math.max(maxPending, s.app.pipeline.stats.pending)), 5);
  t.teardown(() => clearInterval(sample));

  await waitFor('back-pressure', () => s.app.pipeline.stats.paused, 15_000);
  const health = (await s.request('GET', '/api/health', null)).body;
  t.equal(health.backPressure, true, 'health says back-pressure');
  t.equal(health.status, 'degraded', 'and degraded');
  t.equal(await gauge(s, 'calldesk_backpressure'), 1, 'metrics: calldesk_backpressure 1');
  t.ok((await gauge(s, 'calldesk_write_queue_depth')) >= HIGH_WATER, 'metrics: the queue depth at its bound');
  t.ok(lines.some((l) => /write queue full: pausing the PBX stream/.test(l)), 'the log says the PBX stream is paused');

  // A long stall: the queue does not grow, the PBX is not read, the connection is kept.
  const framesAtPause = peer.framesSent;
  await sleep(4000);
  t.ok(maxPending <= HIGH_WATER * 2, `the queue stayed bounded (at most ${maxPending} for a bound of ${HIGH_WATER})`);
  t.ok(s.app.pipeline.stats.paused, 'still paused while writes fail');
  t.ok(peer.framesSent - framesAtPause < 2000, `the PBX was left waiting (${peer.framesSent - framesAtPause} frames in 4 s)`);
  t.equal(peer.logins, 1, 'a paused connection is not taken for a dead one');

  await db.server.start!();
  await replay;
  await waitFor('every call written and ended', async () => (await s.app.ds.query(`SELECT count(ended_at)::int AS n FROM call`).catch(() => [{ n: -1 }]))[0].n === obs.all.length, 30_000, 200);
  clearInterval(sample);
  t.ok(maxPending <= HIGH_WATER * 2, `bounded all along (max ${maxPending})`);
  const stored = await storedCalls(s.app.ds);
  t.equal(stored.length, obs.all.length, `all ${obs.all.length} calls logged, none twice`);
  t.same(stored.filter((c) => c.drafts !== 1 || c.gap).map((c) => c.linkedid), [], 'one draft each, no gap: nothing was dropped');
  await waitFor('reading resumed', () => !s.app.pipeline.stats.paused);
  t.equal(await gauge(s, 'calldesk_backpressure'), 0, 'metrics: back-pressure over');
  t.ok(lines.some((l) => /write queue drained: resuming the PBX stream/.test(l)), 'the log says reading resumed');
  t.equal((await s.request('GET', '/api/health', null)).body.backPressure, false, 'health: back-pressure over');
});

t.test('a PBX that drops the stalled connection: once writes resume, reconnect and reconcile recover', async (t) => {
  const peer = await AmiPeer.start();
  t.teardown(() => peer.close());
  const db = await freshDatabase(t, { restartable: true });
  const s = await startService(t, { databaseUrl: db.url, pbx: [{ host: '127.0.0.1', port: peer.port }], app: { ingestHighWater: HIGH_WATER } });
  await s.app.startIngest();
  await peer.waitForLogin();

  await db.server.stop!();
  const obs = observe(peer);
  // Enough calls that the socket buffers fill and the PBX is left holding events when it gives up.
  let dropped = false;
  let holdAt = -1;
  const replay = replayObserved(
    peer,
    {
      count: 250,
      intervalMs: 100,
      seed: 67,
      speed: 1000,
      // Some way after the drop the PBX holds its calls live until the service is back.
      before: async (i) => {
        if (dropped && holdAt < 0) holdAt = i + 1500;
        if (i === holdAt) await peer.waitForAction('coreshowchannels', 2, 20_000);
      },
    },
    obs,
  );
  await waitFor('back-pressure', () => s.app.pipeline.stats.paused, 15_000);
  await sleep(1000);
  const sentBeforeDrop = peer.framesSent;
  peer.drop(); // Asterisk gives up on a client that does not read
  dropped = true;
  await db.server.start!();
  await replay;
  t.ok(peer.framesSent > sentBeforeDrop, 'the PBX went on after dropping us');
  await waitFor('a new login', () => peer.logins >= 2, 20_000);
  await waitFor('every stored call to end', async () => {
    const r = await s.app.ds.query(`SELECT count(*)::int AS n, count(ended_at)::int AS ended FROM call`).catch(() => [{ n: -1, ended: -2 }]);
    return r[0].n === r[0].ended && r[0].n > 0;
  }, 30_000, 200);
  const stored = await storedCalls(s.app.ds);
  const byId = new Map(stored.map((c) => [c.linkedid, c]));
  t.ok(obs.liveAtReconnect.size > 0, `${obs.liveAtReconnect.size} calls were live at the reconnect`);
  t.same([...obs.liveAtReconnect].filter((id) => !byId.has(id)), [], 'every one of them is logged');
  t.same(stored.filter((c) => !obs.all.includes(c.linkedid)).map((c) => c.linkedid), [], 'no call that was never made');
  t.same(stored.filter((c) => c.drafts > 1).map((c) => c.linkedid), [], 'no draft twice');
  t.same([...obs.liveAtReconnect].filter((id) => byId.get(id)?.drafts !== 1), [], 'each call live at the reconnect has its draft');
  const gapped = stored.filter((c) => c.gap);
  t.ok(gapped.length > 0, `${gapped.length} calls live across the drop are flagged gap`);
  t.ok(gapped.every((c) => c.ended_at && ['answered', 'missed', 'unknown'].includes(String(c.outcome))), 'and closed, none left live');
  t.notOk(s.app.pipeline.stats.paused, 'reading resumed');
});
