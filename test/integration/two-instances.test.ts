// Several instances behind a load balancer on one database: exactly one ingests the PBX, pushes
// reach agents connected to any instance, and when the ingesting one dies another takes over.
import t from 'tap';
import { AmiPeer } from '../helpers/ami-peer';
import { buildTestApp, secondInstance } from '../helpers/app';
import { loadScenario } from '../helpers/scenarios';
import { waitFor } from '../helpers/wait';

t.test('two instances on one database: one ingests, both push, the other takes over when it dies', async (t) => {
  const peer = await AmiPeer.start({ secret: 'test-secret' });
  t.teardown(() => peer.close());
  const a = await buildTestApp(t, { pbx: [{ host: '127.0.0.1', port: peer.port }] });
  await a.app.startIngest();
  await peer.waitForLogin();

  // Instance B: same database, same PBX configuration.
  const { app: b, url: bUrl } = await secondInstance(t, a, [{ host: '127.0.0.1', port: peer.port }]);
  await b.startIngest();
  // B has asked for the PBX's lease (its lock connection ran the try) and was told no (A's last word was its fencing token).
  await waitFor('B to ask for the PBX', async () => {
    const rows = await b.ds.query(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'calldesk-lease-main' AND state = 'idle' AND (query LIKE 'SELECT pg_try_advisory_lock%' OR query LIKE '%pbx_lease%')`,
    );
    return rows[0].n >= 2;
  });
  t.equal(peer.logins, 1, 'only one instance connects to the PBX');
  t.equal(a.app.pbx[0].ingesting, true);
  t.equal(b.pbx[0].ingesting, false);

  // An agent whose browser landed on instance B.
  const agent = await a.agent('ivanov', '101');
  await b.directory.reload();
  const onB = await a.socket(agent.token, bUrl);
  await onB.next((m) => m.type === 'snapshot');

  await peer.replay(loadScenario('S1-answered'));
  const ringing = await onB.next((m) => m.type === 'call.ringing', 10_000);
  t.equal(ringing.call.callerNumber, '+79111234567', 'the screen pop reaches an agent on the other instance');
  t.equal(ringing.ticket?.status, 'draft', 'with its draft');
  t.ok(Array.isArray(ringing.caller?.calls), 'and what is known of the caller');
  await onB.next((m) => m.type === 'call.ended', 10_000);

  // The ingesting instance dies: B takes the PBX over.
  const before = peer.logins;
  await a.app.close();
  const t0 = Date.now();
  await waitFor('instance B to connect to the PBX', () => peer.logins > before && b.pbx[0].ingesting, 15_000);
  t.ok(Date.now() - t0 < 10_000, `took over in ${Date.now() - t0} ms`);
  await peer.replay(loadScenario('S4-queue'));
  await waitFor('the next call stored', async () => {
    const r = await b.ds.query(`SELECT count(*)::int AS n FROM call WHERE ended_at IS NOT NULL`);
    return r[0].n === 2;
  });
  const counts = await b.ds.query(`SELECT (SELECT count(*)::int FROM call) AS calls, (SELECT count(*)::int FROM ticket) AS tickets`);
  t.same(counts[0], { calls: 2, tickets: 2 }, 'no call or draft doubled');
  await b.close();
});
