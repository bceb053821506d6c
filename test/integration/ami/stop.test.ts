import t from 'tap';
import { harness } from './harness';

t.test('stop() ends the loop, logs off and closes the socket', async (t) => {
  const h = await harness(t);
  await h.peer.waitForLogin();
  await h.waitFor(() => h.connected.length === 1, 'onConnected');
  await h.conn.stop();
  t.ok(h.peer.actions.some((a) => a.name === 'logoff'), 'said Logoff');
  await h.peer.waitForNoClient(2000);
  t.equal(h.peer.openClients, 0, 'the socket is closed');
  t.equal(h.disconnected.length, 1, 'onDisconnected');
  t.equal(h.disconnected[0].reason, 'stopped');
  t.equal(h.conn.status().connected, false);
  await new Promise((r) => setTimeout(r, 300)); // three first back-offs: nothing may happen
  t.equal(h.peer.connections, 1, 'and does not come back');
});

t.test('stop() during an outage ends the retry loop at once', async (t) => {
  const h = await harness(t);
  await h.peer.waitForLogin();
  await h.waitFor(() => h.connected.length === 1, 'onConnected');
  await h.peer.close();
  await h.waitFor(() => h.failures() >= 5, 'the loop retrying with its back-off capped', 10_000);
  const started = Date.now();
  await h.conn.stop();
  t.ok(Date.now() - started < 100, `stopped in ${Date.now() - started} ms`);
  await h.peer.listen();
  await new Promise((r) => setTimeout(r, 1200)); // longer than the capped back-off: nothing may happen
  t.equal(h.peer.connections, 1, 'no attempt after stop()');
});

t.test('stop() before any connection succeeded resolves and leaves nothing running', async (t) => {
  const h = await harness(t);
  await h.peer.close();
  const h2 = await harness(t, { start: false });
  await h2.peer.close();
  h2.conn.start();
  await h2.waitFor(() => h2.failures() >= 2, 'two failed tries');
  await h2.conn.stop();
  t.equal(h2.connected.length, 0);
  t.equal(h2.disconnected.length, 0, 'onDisconnected only after a login');
  await h.conn.stop();
});
