// Two instances, one PBX. The leader (A) is cut off from the database and then from the PBX while
// calls go on: it keeps what it saw but cannot write it. The standby (B) takes the PBX over and
// writes the calls to their end. When A reaches the database again, its late batch — older states
// of those calls — must not land: the PBX's fencing token moved on when B took it (the batch
// checks the token in its own transaction). Without the fence, calls B had ended came back live.
// Under `npm run chaos`: 1 000 calls at 100 calls/s.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import t from 'tap';
import { AmiPeer } from '../../helpers/ami-peer';
import { freshDatabase } from '../../helpers/db';
import { tcpLink } from '../../helpers/tcp-link';
import { gatesAt, observe, replayObserved, storedCalls, tally } from './pbx-faults';
import { chaosReport, scaled } from '../../helpers/chaos';
import { capturedLogger, startService, waitFor } from './service';

t.test('a leader cut off mid-calls cannot land its late batch after the standby took the PBX over', async (t) => {
  const peer = await AmiPeer.start();
  t.teardown(() => peer.close());
  // A reaches the PBX through a path the test can cut.
  const link = await tcpLink({ host: '127.0.0.1', port: peer.port });
  t.teardown(() => link.close());
  const db = await freshDatabase(t);
  const admin = new pg.Client({ connectionString: db.url });
  await admin.connect();
  t.teardown(() => admin.end());
  // A logs in to the database as a role of its own, so it alone can be shut out.
  const role = `calldesk_a_${randomBytes(4).toString('hex')}`;
  const password = randomBytes(9).toString('hex');
  await admin.query(`CREATE ROLE ${role} LOGIN SUPERUSER PASSWORD '${password}'`);
  const shutOutA = async (out: boolean) => {
    await admin.query(`ALTER ROLE ${role} ${out ? 'NOLOGIN' : 'LOGIN'}`);
    if (out) await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1`, [role]);
  };
  t.teardown(async () => {
    await shutOutA(true).catch(() => undefined);
    await admin.query(`DROP ROLE IF EXISTS ${role}`).catch(() => undefined);
  });
  const aUrl = new URL(db.url);
  aUrl.username = role;
  aUrl.password = password;

  // B is built first (it runs the migrations: A's role owns nothing), A leads.
  const b = await startService(t, { databaseUrl: db.url, pbx: [{ host: '127.0.0.1', port: peer.port }] });
  const aLog = capturedLogger('info');
  const a = await startService(t, { databaseUrl: aUrl.toString(), pbx: [{ host: '127.0.0.1', port: link.port }], logger: aLog.logger, app: { jobs: false } });
  const adminToken = await b.login('admin', 'admin-password-1');
  for (const ext of ['101', '102', '103']) {
    t.equal((await b.request('POST', '/api/agents', adminToken, { login: `agent${ext}`, password: `agent${ext}-password`, extension: ext, mustChangePassword: false })).status, 201);
  }
  const obs = observe(peer);
  await a.app.startIngest();
  await peer.waitForLogin();
  await b.app.startIngest();
  t.ok(a.app.pbx[0].ingesting && !b.app.pbx[0].ingesting, 'A ingests the PBX, B stands by');

  const { gates: [cutDb, cutPbx], before } = gatesAt(0.35, 0.5);
  const replay = replayObserved(peer, { ...scaled({ count: 16, intervalMs: 250, speed: 10 }, { count: 1000, intervalMs: 10, speed: 1 }), seed: 67, before }, obs);

  await cutDb.reached;
  const begun = [...obs.calls.values()].filter((c) => c.startSeen).length;
  await waitFor('A to have written every call begun', async () => (await admin.query(`SELECT count(*)::int AS n FROM call`)).rows[0].n === begun);
  await a.app.pipeline.drain();
  const liveAtCut = await admin.query(`SELECT count(*)::int AS n FROM call WHERE ended_at IS NULL`);
  t.ok(liveAtCut.rows[0].n >= 2, `${liveAtCut.rows[0].n} calls live when A loses the database`);

  await shutOutA(true);
  cutDb.open();
  await cutPbx.reached;
  await waitFor('A to hold calls it cannot write', () => a.app.pipeline.stats.pending > 0);
  t.ok(a.app.pbx[0].ingesting, 'A still believes it leads (the lease grace)');
  link.cut();
  const cutAt = Date.now();

  await waitFor('B to take the PBX over', () => b.app.pbx[0].ingesting, 10_000);
  await waitFor('B to reach the PBX', async () => (await b.request('GET', '/api/health', null)).body.pbx[0].connected);
  const takeOverMs = Date.now() - cutAt;
  cutPbx.open();
  await replay;
  await waitFor(
    'B to have every call ended',
    async () => (await admin.query(`SELECT count(*)::int AS n FROM call WHERE ended_at IS NULL`)).rows[0].n === 0,
    scaled(20_000, 180_000),
    200,
  );
  const written = (await admin.query(`SELECT linkedid, ended_at, outcome, updated_at FROM call ORDER BY linkedid`)).rows;

  // A reaches the database again with its late batch.
  await shutOutA(false);
  await waitFor('A to stand by', () => !a.app.pbx[0].ingesting, 10_000);
  await waitFor('A to be done with its late batch', () => a.app.pipeline.stats.pending === 0, 10_000);
  await a.app.pipeline.drain();

  const after = (await admin.query(`SELECT linkedid, ended_at, outcome, updated_at FROM call ORDER BY linkedid`)).rows;
  t.same(after.filter((c) => c.ended_at === null).map((c) => c.linkedid), [], 'no call B ended came back live');
  t.same(after, written, "not one of A's late writes landed");
  const r = tally(obs, await storedCalls(b.app.ds));
  chaosReport({ scenario: 'leader cut off, standby takes over', calls: { offered: r.offered, stored: r.stored, lost: r.lost.length, doubled: r.doubled.length }, recoveryMs: takeOverMs, recovery: 'leader cut off → standby reads the PBX (lost: seen only by the cut-off leader)' });
  t.ok(aLog.lines.some((l) => l.includes('another instance ingests the PBX now')), 'A said it left those calls to the new leader');
  t.ok(b.app.pbx[0].ingesting && !a.app.pbx[0].ingesting, 'B ingests the PBX, A stands by');
});
