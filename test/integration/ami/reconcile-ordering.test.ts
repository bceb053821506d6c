import t from 'tap';
import { harness } from './harness';

const ev = (name: string, uid: string): Record<string, string> => ({ Event: name, Channel: `SIP/pstn-${uid}`, Uniqueid: uid, Linkedid: uid });

t.test('events before the snapshot come before onConnected, events during the reconcile wait for it, in order', async (t) => {
  const timeline: string[] = [];
  const h = await harness(t, {
    start: false,
    client: {
      onEvent: (raw) => timeline.push(`${String(raw.event)} ${String(raw.uniqueid)}`),
      onConnected: async (live) => {
        timeline.push(`onConnected(${live.length})`);
        // While the app stores the snapshot, the PBX goes on: these must wait too.
        h.peer.send(ev('Newstate', 'C'));
        await new Promise((r) => setTimeout(r, 100));
        timeline.push('onConnected done');
      },
    },
  });
  h.peer.actionDelays.set('coreshowchannels', 150);
  h.peer.actionDelays.set('status', 150);
  h.peer.on('login', () => h.peer.send(ev('Newchannel', 'A'))); // before the snapshot is taken
  h.peer.on('action', (name: string) => {
    // After CoreShowChannels has been answered, before Status has.
    if (name === 'status') setTimeout(() => h.peer.send(ev('Newchannel', 'B')), 200);
  });
  h.conn.start();
  await h.waitFor(() => timeline.includes('Newstate C'), 'all three events');
  // B is in the snapshot too: Status, answered after B was created, lists it (CoreShowChannels did not).
  t.same(timeline, ['Newchannel A', 'onConnected(2)', 'onConnected done', 'Newchannel B', 'Newstate C']);
});
