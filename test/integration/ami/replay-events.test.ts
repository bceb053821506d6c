import t from 'tap';
import { asReceived, loadScenario } from '../../helpers/scenarios';
import { harness } from './harness';

t.test('the client logs in and receives every replayed event of S1 in order with lower-cased keys', async (t) => {
  const h = await harness(t);
  const s1 = loadScenario('S1-answered');
  await h.peer.waitForLogin();
  const result = await h.peer.replay(s1);
  t.equal(result.frames, s1.messages.length, 'the whole capture was replayed');
  t.equal(result.delivered, s1.messages.length, 'every frame reached the client');
  await h.waitFor(() => h.events.length >= s1.messages.length, 'all S1 events');

  t.equal(h.events.length, s1.messages.length, 'no extra events (query answers are not events)');
  t.same(
    h.events.map((e) => e.raw),
    s1.messages.map((m) => asReceived(m.fields)),
    'same events, same order, same values',
  );
  for (const { raw } of h.events) {
    const upper = Object.keys(raw).filter((k) => k !== k.toLowerCase());
    if (upper.length) t.fail(`keys not lower-cased: ${upper.join(', ')}`);
  }
  await h.waitFor(() => h.connected.length > 0, 'onConnected');
  t.equal(h.connected.length, 1, 'onConnected once');
  t.same(h.connected[0].live, [], 'nothing was live at login');
  t.equal(h.conn.status().connected, true);
  t.ok(h.conn.status().lastEventAt instanceof Date);
  t.equal(h.peer.connections, 1, 'one connection all along');
  const names = h.peer.actions.map((a) => a.name);
  t.same(names.slice(0, 3), ['login', 'coreshowchannels', 'status'], 'login, then the reconcile queries');
});
