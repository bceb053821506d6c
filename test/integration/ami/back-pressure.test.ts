import t from 'tap';
import type { RawAmiMessage } from '../../../src/ami/raw';
import { asReceived, loadScenario } from '../../helpers/scenarios';
import { harness } from './harness';

t.test('pause() stops delivery and resume() restarts it with nothing lost', async (t) => {
  const s10 = loadScenario('S10-burst');
  const got: RawAmiMessage[] = [];
  const pauseAt = 1000;
  const h = await harness(t, {
    client: {
      // Short enough for the pause below to outlast it, not so short that a busy machine's scheduling
      // delay after resume reads as a silent PBX (100 ms did, under a loaded test run).
      pingIntervalMs: 200,
      pingTimeoutMs: 400,
      // Paused from inside onEvent, as the app does when its write queue fills up.
      onEvent: (raw) => {
        got.push(raw);
        if (got.length === pauseAt) h.conn.pause();
      },
    },
  });
  await h.peer.waitForLogin();
  const replay = h.peer.replay(s10);

  await h.waitFor(() => got.length >= pauseAt, 'the first events');
  t.equal(h.conn.status().paused, true, 'status says paused');
  await new Promise((r) => setTimeout(r, 1000)); // longer than the Ping bound (600 ms)
  t.equal(got.length, pauseAt, 'no event is delivered while paused');
  t.equal(h.disconnected.length, 0, 'a paused connection is not taken for a silent one');

  h.conn.resume();
  const result = await replay;
  await h.waitFor(() => got.length >= s10.messages.length, 'every event after resume', 10_000);
  t.equal(result.delivered, s10.messages.length);
  t.equal(got.length, s10.messages.length, 'nothing lost, nothing doubled');
  t.same(got, s10.messages.map((m) => asReceived(m.fields)), 'in order');
  t.equal(h.peer.connections, 1, 'on one connection');
});

t.test('a paused connection does not reconnect until resumed', async (t) => {
  const h = await harness(t);
  await h.peer.waitForLogin();
  await h.waitFor(() => h.connected.length === 1, 'onConnected');
  h.conn.pause();
  h.peer.drop();
  await h.waitFor(() => h.disconnected.length === 1, 'onDisconnected');
  await new Promise((r) => setTimeout(r, 400));
  t.equal(h.peer.connections, 1, 'no new connection while the app cannot take events');
  h.conn.resume();
  await h.waitFor(() => h.connected.length === 2, 'reconnected after resume', 2000);
  t.pass('reconnected after resume');
});
