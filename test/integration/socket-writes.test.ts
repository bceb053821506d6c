// A supervisor's panel gets every push of a burst, each call's in order, while the pushes a socket
// gets in the same tick leave in one write (corked) instead of one write each.
import net from 'node:net';
import t from 'tap';
import { AmiPeer } from '../helpers/ami-peer';
import { buildTestApp } from '../helpers/app';
import { synthesizeCalls } from '../helpers/scenarios';
import { waitFor } from '../helpers/wait';

t.test('a burst of 60 overlapping calls: the supervisor gets every push, in order per call, in far fewer socket writes than messages', async (t) => {
  const peer = await AmiPeer.start({ secret: 'test-secret' });
  t.teardown(() => peer.close());
  const h = await buildTestApp(t, { pbx: [{ host: '127.0.0.1', port: peer.port }] });
  for (const ext of ['101', '102', '103']) await h.agent(`agent${ext}`, ext);
  const boss = await h.agent('boss', null, 'supervisor');
  const ws = await h.socket(boss.token);
  await ws.next((m) => m.type === 'snapshot');
  // Every write the service's side of this socket makes to the kernel.
  const port = (ws.ws as any)._socket.localPort;
  const proto = net.Socket.prototype as any;
  const writeGeneric = proto._writeGeneric;
  let writes = 0;
  proto._writeGeneric = function (this: net.Socket, ...args: unknown[]) {
    if (this.remotePort === port) writes++;
    return writeGeneric.apply(this, args);
  };
  t.teardown(() => (proto._writeGeneric = writeGeneric));
  await h.app.startIngest();
  await peer.waitForLogin();

  const count = 60;
  await peer.replay(synthesizeCalls({ count, intervalMs: 5, seed: 5, startEpochSec: Math.floor(Date.now() / 1000) }), { speed: 'max' });
  await waitFor('every call to end', async () => {
    await h.app.pipeline.drain();
    return (await h.app.ds.query(`SELECT count(*)::int AS n FROM call WHERE ended_at IS NOT NULL`))[0].n === count;
  }, 30_000);
  await waitFor('every call.ended on the panel', () => ws.messages.filter((m) => m.type === 'call.ended').length === count, 10_000);

  const byCall = new Map<string, string[]>();
  for (const m of ws.messages) {
    if (!m.type.startsWith('call.')) continue;
    const list = byCall.get(m.call.id) ?? [];
    list.push(m.type);
    byCall.set(m.call.id, list);
  }
  t.equal(byCall.size, count, 'every call');
  const bad = [...byCall.values()].filter((l) => l[0] !== 'call.started' || l.at(-1) !== 'call.ended' || l.filter((x) => x === 'call.ended').length !== 1);
  t.same(bad, [], 'each call: call.started first, call.ended once and last');
  t.ok([...byCall.values()].every((l) => l.includes('call.ringing')), 'each call rang (call.ringing to supervisors)');
  const messages = ws.messages.length;
  t.ok(writes < messages / 2, `${messages} messages in ${writes} writes`);
});
