import t from 'tap';
import { harness } from './harness';

t.test('a runaway line beyond maxFrameBytes drops the connection and the client reconnects', async (t) => {
  const maxFrameBytes = 64 * 1024;
  const h = await harness(t, { client: { maxFrameBytes } });
  await h.peer.waitForLogin();
  await h.waitFor(() => h.connected.length === 1, 'onConnected');

  // Below the bound, in several writes: still just an unfinished frame.
  h.peer.inject('Event: Newchannel\r\nUniqueid: 1.1\r\nValue: ');
  h.peer.inject('x'.repeat(maxFrameBytes / 2));
  await new Promise((r) => setTimeout(r, 100));
  t.equal(h.disconnected.length, 0, 'a long frame under the bound is waited for');

  h.peer.inject('x'.repeat(maxFrameBytes)); // now past the bound, and no line end in sight
  await h.waitFor(() => h.disconnected.length === 1, 'the drop');
  t.match(h.disconnected[0].reason, /frame larger than/, 'the reason says why');
  t.equal(h.events.length, 0, 'nothing of the runaway frame was delivered');

  await h.waitFor(() => h.connected.length === 2, 'reconnected', 2000);
  h.peer.send({ Event: 'Newchannel', Uniqueid: '1.2', Linkedid: '1.2', Channel: 'SIP/pstn-00000001' });
  await h.waitFor(() => h.events.length === 1, 'an event on the new connection');
  t.equal(h.events[0].raw.uniqueid, '1.2', 'the new connection starts clean');
});
