// The PBX connection drops five times while overlapping support calls come and go (the peer
// closes the socket; sometimes it also refuses new connections for a while). The service
// reconnects within about a second of the PBX being back and reconciles; every call the PBX showed
// — by an event or as live at a reconnect — is logged once, with one draft; calls that started in a
// gap are opened with their draft, calls that ended in one are closed and flagged `gap`.
import t from 'tap';
import { AmiPeer } from '../../helpers/ami-peer';
import { freshDatabase } from '../../helpers/db';
import { aCallBegunAndEndedSince, callsBegun, observe, replayObserved, storedCalls } from './pbx-faults';
import { startService, waitFor } from './service';

t.test('five PBX connection drops during overlapping calls: reconnect within a second, every call shown logged once', async (t) => {
  const peer = await AmiPeer.start();
  t.teardown(() => peer.close());
  const db = await freshDatabase(t);
  const s = await startService(t, { databaseUrl: db.url, pbx: [{ host: '127.0.0.1', port: peer.port }] });
  const admin = await s.login('admin', 'admin-password-1');
  for (const ext of ['101', '102', '103']) {
    const r = await s.request('POST', '/api/agents', admin, { login: `agent${ext}`, password: `agent${ext}-password`, extension: ext, mustChangePassword: false });
    t.equal(r.status, 201);
  }
  const obs = observe(peer);
  await s.app.startIngest();
  await peer.waitForLogin();

  const replay = replayObserved(peer, { count: 80, intervalMs: 400, seed: 61 }, obs);
  const reconnectMs: number[] = [];
  const healthWhileDown: string[] = [];
  for (let i = 0; i < 5; i++) {
    // A drop every few calls: six more begin between one reconnect and the next drop.
    await callsBegun(obs, obs.calls.size + 6);
    const logins = peer.logins;
    if (i % 2 === 0) {
      // The PBX goes away for a while: the socket closes and connections are refused.
      const downAt = Date.now();
      await peer.close();
      await waitFor('health to say the PBX is down', async () => {
        const h = await s.request('GET', '/api/health', null);
        return h.body.pbx[0].connected === false && h.body;
      }).then((h: any) => healthWhileDown.push(h.status));
      // Away while two calls begin unseen; the third outage outlasts whole calls: those begin and
      // end unseen (invisible to AMI).
      await (i === 2 ? aCallBegunAndEndedSince(obs, downAt) : callsBegun(obs, obs.calls.size + 2));
      const back = Date.now();
      await peer.listen();
      await peer.waitForLogin(logins + 1, 5000);
      reconnectMs.push(Date.now() - back);
    } else {
      // The PBX drops the socket but keeps listening.
      const back = Date.now();
      peer.drop();
      await peer.waitForLogin(logins + 1, 5000);
      reconnectMs.push(Date.now() - back);
    }
  }
  await replay;

  t.equal(reconnectMs.length, 5, 'five drops');
  for (const [i, ms] of reconnectMs.entries()) t.ok(ms <= 1500, `drop ${i + 1}: logged in again ${ms} ms after the PBX was back`);
  t.same(healthWhileDown, ['degraded', 'degraded', 'degraded'], 'health said degraded while the PBX was away');

  // Every call ends on the PBX: wait until the service has them all ended.
  await waitFor(
    'every stored call to end',
    async () => {
      const rows = await s.app.ds.query(`SELECT count(*)::int AS live FROM call WHERE ended_at IS NULL`);
      return rows[0].live === 0;
    },
    20_000,
  );
  const stored = await storedCalls(s.app.ds);
  const byId = new Map(stored.map((c) => [c.linkedid, c]));
  const all = new Set(obs.all);

  const shown = [...obs.calls.values()].filter((c) => c.shown).map((c) => c.linkedid);
  const expected = new Set([...shown, ...obs.liveAtReconnect]);
  const missing = [...expected].filter((id) => !byId.has(id));
  t.same(missing, [], `every call the PBX showed is logged (${expected.size} of ${all.size} synthesised)`);
  t.ok(expected.size >= 45, 'most calls were shown despite the drops');
  const invisible = obs.all.filter((id) => !expected.has(id));
  t.ok(invisible.length > 0, `${invisible.length} calls began and ended inside the long outage: invisible to AMI`);
  t.same(invisible.filter((id) => byId.has(id)), [], 'and not logged (nothing is made up)');
  t.same(stored.filter((c) => !all.has(c.linkedid)).map((c) => c.linkedid), [], 'no call that was never made');
  t.equal(new Set(stored.map((c) => c.linkedid)).size, stored.length, 'no call twice');
  t.same(stored.filter((c) => c.support_line && c.drafts !== 1).map((c) => `${c.linkedid}: ${c.drafts}`), [], 'each support call has exactly one draft');
  const tickets = await s.app.ds.query(`SELECT count(*)::int AS n FROM ticket`);
  t.equal(tickets[0].n, stored.filter((c) => c.support_line).length, 'no draft without its call, none twice');

  const startedInGap = [...obs.calls.values()].filter((c) => !c.startSeen && byId.has(c.linkedid));
  const endedInGap = [...obs.calls.values()].filter((c) => !c.endSeen && byId.has(c.linkedid));
  t.ok(startedInGap.length > 0, `${startedInGap.length} calls started while the PBX was away`);
  t.ok(endedInGap.length > 0, `${endedInGap.length} calls ended while the PBX was away`);
  for (const c of startedInGap) {
    const row = byId.get(c.linkedid)!;
    t.ok(row.gap && row.drafts === 1, `started in a gap: ${c.linkedid} opened with its draft, flagged gap`);
  }
  for (const c of endedInGap) {
    const row = byId.get(c.linkedid)!;
    t.ok(row.gap && row.ended_at !== null && ['answered', 'missed', 'unknown'].includes(String(row.outcome)), `ended in a gap: ${c.linkedid} closed (${row.outcome}), flagged gap`);
  }
  // Calls the drops never touched are exact: no gap flag, a known outcome.
  const untouched = [...obs.calls.values()].filter((c) => c.allSeen && !obs.outages.some(([a, b]) => a <= c.lastAt && b >= c.firstAt));
  t.ok(untouched.length >= 5, `${untouched.length} calls lived between drops`);
  for (const c of untouched) {
    const row = byId.get(c.linkedid);
    t.ok(row && !row.gap && (row.outcome === 'answered' || row.outcome === 'missed'), `untouched: ${c.linkedid} exact (${row?.outcome}, gap ${row?.gap})`);
  }
  const metrics = await s.request('GET', '/metrics', null);
  t.match(metrics.body, /calldesk_ami_reconnects_total\{pbx="main"\} 6\b/, 'metrics count the first connect and five reconnects');
  t.equal((await s.request('GET', '/api/health', null)).body.status, 'ok', 'health is ok again');
});
