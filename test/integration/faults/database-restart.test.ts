// PostgreSQL is stopped and started again (the real server) while calls come and go and the PBX
// stays up. Nothing is lost — calls that begin and end while the database is away included — and
// nothing doubled; health says `degraded` meanwhile; the write queue shows in metrics.
import t from 'tap';
import { AmiPeer } from '../../helpers/ami-peer';
import { freshDatabase } from '../../helpers/db';
import { callsBegun, observe, replayObserved, storedCalls } from './pbx-faults';
import { startService, waitFor } from './service';

/** Both instances' lease connections have asked for the PBX's lock (the holder: then for its fencing token) since the server (re)started. */
async function bothAskedForThePbx(query: (sql: string) => Promise<any[]>): Promise<boolean> {
  const rows = await query(
    `SELECT count(*)::int AS n FROM pg_stat_activity
      WHERE datname = current_database() AND application_name = 'calldesk-lease-main'
        AND state = 'idle' AND (query LIKE 'SELECT pg_try_advisory_lock%' OR query LIKE '%pbx_lease%')`,
  ).catch(() => [{ n: 0 }]);
  return rows[0].n >= 2;
}

t.test('a PostgreSQL restart mid-calls: nothing lost, nothing doubled, health degraded meanwhile', async (t) => {
  const peer = await AmiPeer.start();
  t.teardown(() => peer.close());
  const db = await freshDatabase(t, { restartable: true });
  t.ok(db.server.stop && db.server.start, 'the test server can be stopped and started');
  const s = await startService(t, { databaseUrl: db.url, pbx: [{ host: '127.0.0.1', port: peer.port }] });
  const admin = await s.login('admin', 'admin-password-1');
  for (const ext of ['101', '102', '103']) {
    t.equal((await s.request('POST', '/api/agents', admin, { login: `agent${ext}`, password: `agent${ext}-password`, extension: ext, mustChangePassword: false })).status, 201);
  }
  const agentToken = await s.login('agent101', 'agent101-password');
  const socket = await s.socket(agentToken);
  await socket.next((m) => m.type === 'snapshot');
  const obs = observe(peer);
  await s.app.startIngest();
  await peer.waitForLogin();

  const replay = replayObserved(peer, { count: 40, intervalMs: 300, seed: 64 }, obs);
  await callsBegun(obs, 8);
  const downAt = Date.now();
  await db.server.stop!();
  const api = await s.request('GET', '/api/calls', agentToken);
  const during: any[] = [];
  let queued = 0;
  // Away until a call has begun and ended meanwhile, health and metrics sampled all along.
  await waitFor(
    'a call to begin and end while the database is away',
    async () => {
      during.push((await s.request('GET', '/api/health', null)).body);
      const m = await s.request('GET', '/metrics', null);
      queued = Math.max(queued, Number(/calldesk_write_queue_depth (\d+)/.exec(m.body)?.[1] ?? 0));
      return during.length > 5 && [...obs.calls.values()].some((c) => c.firstAt >= downAt && c.ended);
    },
    60_000,
    200,
  );
  await db.server.start!();
  const upAt = Date.now();
  await replay;

  t.ok(during.length > 5, 'health answered while the database was down');
  t.ok(during.every((h) => h.status === 'degraded' && h.db === false), 'and said degraded, database down');
  t.ok(queued > 0, `metrics showed ${queued} facts waiting to be written`);
  t.equal(api.status, 503, 'the API answers 503 while the database is away…');
  t.match(api.body, { error: 'unavailable', message: /database/ }, '…in the usual shape');

  await waitFor('every call to be written and ended', async () => (await s.app.ds.query(`SELECT count(*)::int AS n, count(ended_at)::int AS ended FROM call`).catch(() => [{ n: -1 }]))[0].ended === obs.all.length, 30_000, 200);
  t.comment(`written ${Date.now() - upAt} ms after the database was back`);
  const stored = await storedCalls(s.app.ds);
  const byId = new Map(stored.map((c) => [c.linkedid, c]));
  t.same(obs.all.filter((id) => !byId.has(id)), [], `every one of the ${obs.all.length} calls is logged, those begun and ended while the database was away included`);
  t.equal(stored.length, obs.all.length, 'none twice');
  t.same(stored.filter((c) => c.drafts !== 1).map((c) => `${c.linkedid}: ${c.drafts}`), [], 'one draft per call');
  t.same(stored.filter((c) => c.gap).map((c) => c.linkedid), [], 'no call has a gap: the PBX was watched all along');
  t.same(stored.filter((c) => c.outcome !== 'answered' && c.outcome !== 'missed').map((c) => `${c.linkedid}: ${c.outcome}`), [], 'every outcome is known');
  const health = await waitFor('health ok', async () => {
    const h = await s.request('GET', '/api/health', null);
    return h.body.status === 'ok' && h.body;
  });
  t.equal(health.db, true, 'health is ok again');
  const ended = socket.messages.filter((m) => m.type === 'call.ended').length;
  t.ok(ended > 0, `the agent's panel got ${ended} call.ended pushes, including after the restart`);
});

t.test('after a PostgreSQL restart the instance that was ingesting keeps the PBX; the standby stays standby', async (t) => {
  const peer = await AmiPeer.start();
  t.teardown(() => peer.close());
  const db = await freshDatabase(t, { restartable: true });
  const a = await startService(t, { databaseUrl: db.url, pbx: [{ host: '127.0.0.1', port: peer.port }] });
  await a.app.startIngest();
  await peer.waitForLogin();
  await waitFor('A to hold the PBX', () => a.app.pbx[0].ingesting);
  const b = await startService(t, { databaseUrl: db.url, pbx: [{ host: '127.0.0.1', port: peer.port }] });
  await b.app.startIngest();
  await waitFor('B to ask for the PBX', () => bothAskedForThePbx((q) => a.app.ds.query(q)));
  t.notOk(b.app.pbx[0].ingesting, 'B stands by');

  const obs = observe(peer);
  const replay = replayObserved(peer, { count: 20, intervalMs: 300, seed: 65 }, obs);
  await callsBegun(obs, 6);
  await db.server.stop!();
  await callsBegun(obs, obs.calls.size + 6);
  await db.server.start!();
  await replay;
  // B's lease connection is back and has asked again: it had its chance.
  await waitFor('B to ask for the PBX again', () => bothAskedForThePbx((q) => a.app.ds.query(q)), 15_000);
  t.ok(a.app.pbx[0].ingesting, 'A still ingests');
  t.notOk(b.app.pbx[0].ingesting, 'B still stands by');
  t.equal(peer.logins, 1, 'the PBX saw one login all along');
  await waitFor('every call to be written and ended', async () => (await a.app.ds.query(`SELECT count(ended_at)::int AS ended FROM call`).catch(() => [{ ended: -1 }]))[0].ended === obs.all.length, 30_000, 200);
  const stored = await storedCalls(a.app.ds);
  t.equal(stored.length, obs.all.length, 'every call once');
  t.same(stored.filter((c) => c.drafts !== 1 || c.gap).map((c) => c.linkedid), [], 'one draft each, no gap');
});
