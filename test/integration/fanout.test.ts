// Pushes between instances (LISTEN/NOTIFY): a lone instance sends no notifications at all; once a
// second instance listens, every push of a burst of overlapping calls reaches agents on both, each
// call's pushes in the same order on both.
import t from 'tap';
import pg from 'pg';
import { PUSH_CHANNEL } from '../../src/db/notify';
import { AmiPeer } from '../helpers/ami-peer';
import { buildTestApp, secondInstance, type TestSocket } from '../helpers/app';
import { loadScenario, synthesizeCalls } from '../helpers/scenarios';
import { waitFor } from '../helpers/wait';

t.test('alone, an instance notifies nothing; with a second one, every pop of 60 overlapping calls reaches both', async (t) => {
  const peer = await AmiPeer.start({ secret: 'test-secret' });
  t.teardown(() => peer.close());
  const a = await buildTestApp(t, { pbx: [{ host: '127.0.0.1', port: peer.port }] });
  const agents = [];
  for (const ext of ['101', '102', '103']) agents.push(await a.agent(`agent${ext}`, ext));
  await a.app.startIngest();
  await peer.waitForLogin();

  // Something else listening on the channel (not an instance) sees what is notified.
  const spy = new pg.Client({ connectionString: a.db.url, application_name: 'spy' });
  await spy.connect();
  t.teardown(() => spy.end().catch(() => undefined));
  let notifications = 0;
  spy.on('notification', () => notifications++);
  await spy.query(`LISTEN ${PUSH_CHANNEL}`);

  const alone = await a.socket(agents[0].token);
  await alone.next((m) => m.type === 'snapshot');
  await peer.replay(loadScenario('S1-answered'));
  await alone.next((m) => m.type === 'call.ended', 10_000);
  await new Promise((r) => setTimeout(r, 200));
  t.equal(notifications, 0, 'no other instance: no notification sent');

  // Instance B on the same database; each agent has a panel on A and one on B.
  const { app: b, url: bUrl } = await secondInstance(t, a, [{ host: '127.0.0.1', port: peer.port }]);
  await b.startIngest();
  await waitFor('B listening', async () => (await a.app.ds.query(`SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'calldesk-fanout'`)).length === 2);
  const onA: TestSocket[] = [];
  const onB: TestSocket[] = [];
  for (const ag of agents) {
    onA.push(await a.socket(ag.token));
    onB.push(await a.socket(ag.token, bUrl));
  }
  for (const s of [...onA, ...onB]) await s.next((m) => m.type === 'snapshot');

  const count = 60;
  await peer.replay(synthesizeCalls({ count, intervalMs: 5, seed: 11, startEpochSec: Math.floor(Date.now() / 1000) }), { speed: 'max' });
  await waitFor('every call to end', async () => {
    await a.app.pipeline.drain();
    return (await a.app.ds.query(`SELECT count(*)::int AS n FROM call WHERE ended_at IS NOT NULL`))[0].n === count + 1;
  }, 30_000);
  const pops = (s: { messages: any[] }) =>
    s.messages
      .filter((m) => m.type === 'call.ringing' || m.type === 'call.ended')
      .map((m) => `${m.type} ${m.call.id} ${m.extension ?? ''}`)
      .sort();
  const perCall = (s: { messages: any[] }) => {
    const out: Record<string, string[]> = {};
    for (const m of s.messages) if (m.type.startsWith('call.')) (out[m.call.id] ??= []).push(m.type);
    return out;
  };
  // Both panels of each agent have stopped receiving (no message for a second), and B's panels
  // hold as many pops as A's: on a loaded machine B may still be catching up after a quiet second.
  const received = () => [...onA, ...onB].reduce((n, s) => n + s.messages.length, 0);
  const caughtUp = () => onA.every((s, i) => pops(onB[i]).length >= pops(s).length);
  let last = -1;
  let since = Date.now();
  await waitFor('the panels to go quiet, B caught up', () => {
    const n = received();
    if (n !== last) [last, since] = [n, Date.now()];
    return Date.now() - since > 1000 && caughtUp();
  }, 20_000);
  for (let i = 0; i < agents.length; i++) {
    const expected = pops(onA[i]);
    t.ok(expected.length > 0, `agent ${i + 1} got ${expected.length} pops and ends on A`);
    t.same(pops(onB[i]), expected, `agent ${i + 1} got the same on B`);
    t.same(perCall(onB[i]), perCall(onA[i]), `agent ${i + 1}: on B each call's pushes in the same order as on A`);
  }
  t.ok(notifications > 0, `${notifications} notifications once B listens (several pushes each)`);
});
