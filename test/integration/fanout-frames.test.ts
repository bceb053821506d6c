// A supervisor watching from another instance (behind a load balancer, or a second tab that landed
// elsewhere) sees exactly what a supervisor on the ingesting instance sees: the same frames, in the
// same order, for a whole call — ringing, answer, transfer, the request's changes, the end.
import t from 'tap';
import { AmiPeer } from '../helpers/ami-peer';
import { buildTestApp, secondInstance } from '../helpers/app';
import { loadScenario } from '../helpers/scenarios';
import { waitFor } from '../helpers/wait';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { ServerMessageBody } from '../../src/wire/socket';

// Each message checked against its own type's schema, so a failure names the field.
const byType = new Map(ServerMessageBody.anyOf.map((m) => [m.properties.type.const as string, TypeCompiler.Compile(m)]));
const offContract = (m: any) => {
  const check = byType.get(m.type);
  if (!check) return `${m.type}: not a declared message`;
  const e = check.Errors(m).First();
  return e ? `${m.type}: ${e.path} ${e.message}` : null;
};

const CALL_MESSAGES = new Set(['call.started', 'call.updated', 'call.ringing', 'call.ring_stopped', 'call.answered', 'call.transferred', 'call.ended', 'ticket.updated']);

for (const scenario of ['S1-answered', 'S5-transfer', 'S3-missed']) {
  t.test(`${scenario}: a supervisor on the other instance gets the same frames as one on the ingesting instance`, async (t) => {
    const peer = await AmiPeer.start({ secret: 'test-secret' });
    t.teardown(() => peer.close());
    const a = await buildTestApp(t, { pbx: [{ host: '127.0.0.1', port: peer.port }] });
    await a.app.startIngest();
    await peer.waitForLogin();
    const { app: b, url: bUrl } = await secondInstance(t, a, [{ host: '127.0.0.1', port: peer.port }]);

    for (const [login, ext] of [['ivanova', '101'], ['petrov', '102'], ['sidorova', '103']]) await a.agent(login, ext);
    const boss = await a.agent('boss', null, 'supervisor');
    await b.directory.reload();
    const onA = await a.socket(boss.token);
    const onB = await a.socket(boss.token, bUrl);
    await onA.next((m) => m.type === 'snapshot');
    await onB.next((m) => m.type === 'snapshot');
    // Both instances listen for each other's pushes.
    await waitFor('both instances to listen', async () => {
      const rows = await a.app.ds.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'calldesk-fanout'`);
      return rows[0].n >= 2;
    });

    await peer.replay(loadScenario(scenario));
    const frames = (s: { messages: any[] }) => s.messages.filter((m) => CALL_MESSAGES.has(m.type));
    await onA.next((m) => m.type === 'call.ended', 10_000);
    await onB.next((m) => m.type === 'call.ended', 10_000);
    await waitFor('both supervisors to have every frame', () => frames(onB).length >= frames(onA).length && frames(onA).length > 0, 10_000);
    t.ok(frames(onA).some((m) => m.type === 'ticket.updated' || m.type === 'call.ringing'), 'the call shows its request');
    t.same(frames(onB).map((m) => m.type), frames(onA).map((m) => m.type), 'the same kinds of frames, in the same order');
    t.same(frames(onB), frames(onA), 'the same frames, in the same order');
    // Every frame either side sent, the snapshot and the PBX status included, is what the socket
    // contract (wire/socket.ts) that the panel is typed against declares.
    const off = [...onA.messages, ...onB.messages].map(offContract).filter((x) => x !== null);
    t.same(off, [], 'every frame matches the declared socket messages');
  });
}
