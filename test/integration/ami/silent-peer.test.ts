import t from 'tap';
import { loadScenario } from '../../helpers/scenarios';
import { harness } from './harness';

t.test('a silent peer is detected by Ping within the configured bound and reconnected', async (t) => {
  const pingIntervalMs = 200;
  const pingTimeoutMs = 300;
  const h = await harness(t, { client: { pingIntervalMs, pingTimeoutMs } });
  await h.peer.waitForLogin();
  await h.waitFor(() => h.connected.length === 1, 'onConnected');
  // A healthy PBX answers every Ping: three answered, the connection is kept.
  await h.waitFor(() => h.peer.actions.filter((a) => a.name === 'ping').length >= 3, 'three Pings answered', 3000);
  t.equal(h.disconnected.length, 0, 'a PBX that answers Ping is kept');

  const silentAt = Date.now();
  h.peer.silent();
  await h.waitFor(() => h.disconnected.length === 1, 'the client to give up on the silent PBX', 3000);
  const took = h.disconnected[0].at.getTime() - silentAt;
  t.ok(took <= pingIntervalMs + pingTimeoutMs + 300, `detected after ${took} ms (bound ${pingIntervalMs + pingTimeoutMs} ms)`);
  t.match(h.disconnected[0].reason, /Ping/, 'the reason names the Ping');
  t.equal(h.conn.status().connected, false);

  h.peer.silent(false);
  await h.waitFor(() => h.connected.length === 2, 'reconnected once the PBX answers again', 3000);
  t.equal(h.conn.status().connected, true);
});

t.test('a PBX whose Pong queues behind a busy stream is not taken for a silent one', async (t) => {
  const h = await harness(t, { client: { pingIntervalMs: 100, pingTimeoutMs: 200 } });
  await h.peer.waitForLogin();
  await h.waitFor(() => h.connected.length === 1, 'onConnected');
  // Every Pong comes late, but events keep flowing meanwhile (S10 at 5x: about 3 s of traffic).
  h.peer.actionDelays.set('ping', 600);
  const s10 = loadScenario('S10-burst');
  const result = await h.peer.replay(s10, { speed: 5 });
  // Bounded generously: on a machine busy with other suites the replay itself can take twice as long.
  await h.waitFor(
    () => h.events.length === result.frames || h.disconnected.length > 0,
    () => `every event (${h.events.length} of ${result.frames})`,
    20_000,
  );
  t.equal(h.disconnected.length, 0, 'the connection was kept');
  t.ok(h.peer.actions.filter((a) => a.name === 'ping').length >= 2, 'pings went on');
});

t.test('a stall of this process longer than the Ping timeout does not drop a PBX that answered', async (t) => {
  const h = await harness(t, { client: { pingIntervalMs: 100, pingTimeoutMs: 300 } });
  await h.peer.waitForLogin();
  await h.waitFor(() => h.connected.length === 1, 'onConnected');
  // Block the event loop for a second right as a Ping arrives (as a long GC pause or a starved CPU
  // would): the Pong is written at once but can only be read after the stall.
  let stalled = false;
  h.peer.on('action', (name: string) => {
    if (name !== 'ping' || stalled) return;
    stalled = true;
    const until = Date.now() + 1000;
    while (Date.now() < until);
  });
  await h.waitFor(() => stalled, 'a Ping', 2000);
  const pings = h.peer.actions.filter((a) => a.name === 'ping').length;
  await h.waitFor(() => h.peer.actions.filter((a) => a.name === 'ping').length >= pings + 2, 'two more Pings after the stall', 3000);
  t.same(h.disconnected, [], 'the connection was kept');
});
