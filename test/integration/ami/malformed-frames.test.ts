import t from 'tap';
import { loadScenario, serializeFrame } from '../../helpers/scenarios';
import { harness } from './harness';

t.test('malformed frames are skipped and the next event still arrives on the same connection', async (t) => {
  const h = await harness(t);
  await h.peer.waitForLogin();
  await h.waitFor(() => h.connected.length === 1, 'onConnected');
  const newchannel = loadScenario('S1-answered').messages.find((m) => m.fields.Event === 'Newchannel')!.fields;

  h.peer.inject('this is not AMI at all\r\nnor is this line\r\n\r\n'); // garbage lines
  h.peer.inject('NoSeparatorOnThisLine\r\n\r\n'); // a line without ': '
  h.peer.inject(Buffer.concat([Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xa0, 0xa1]), Buffer.from('\r\n\r\n')])); // invalid UTF-8
  h.peer.inject('Response: Success\r\nActionID: nobody-asked\r\n\r\n'); // an answer to nothing
  h.peer.inject('\r\n\r\n\r\n'); // empty frames
  h.peer.inject(serializeFrame(newchannel));
  await h.waitFor(() => h.events.length >= 1, 'the valid event');
  await new Promise((r) => setTimeout(r, 50));

  t.equal(h.events.length, 1, 'only the valid event came through');
  t.equal(h.events[0].raw.event, 'Newchannel');
  t.equal(h.events[0].raw.uniqueid, newchannel.Uniqueid, 'intact');
  t.equal(h.peer.connections, 1, 'on the same connection');
  t.equal(h.disconnected.length, 0, 'the connection was kept');
  t.ok(h.logs.some((l) => l.includes('skipped')), 'the skipped frames were logged');
});

t.test('an event with a broken line or repeated headers is passed on without crashing the adapter', async (t) => {
  const h = await harness(t);
  await h.peer.waitForLogin();
  await h.waitFor(() => h.connected.length === 1, 'onConnected');
  // asterisk-manager's own dispatcher would throw on a repeated UserEvent header; ours must not.
  h.peer.inject('Event: UserEvent\r\nUserEvent: a\r\nUserEvent: b\r\n\r\n');
  h.peer.inject('Event: Hangup\r\nUniqueid: 1.2\r\nthis line is garbage\r\nCause: 16\r\n\r\n');
  h.peer.inject(Buffer.concat([Buffer.from('Event: Newstate\r\nCallerIDName: '), Buffer.from([0xd0, 0xff]), Buffer.from('\r\n\r\n')]));
  h.peer.inject('Event: Newexten\r\nEvent: Newexten\r\nUniqueid: 1.3\r\n\r\n');
  await h.waitFor(() => h.events.length >= 4, 'four events');

  const [user, hangup, newstate, newexten] = h.events.map((e) => e.raw);
  t.same(user.userevent, ['a', 'b'], 'repeated header kept as an array');
  t.equal(hangup.event, 'Hangup');
  t.equal(hangup.cause, '16', 'the headers after the broken line survive');
  t.notOk('this line is garbage' in hangup, 'the broken line is not a header');
  t.equal(newstate.event, 'Newstate', 'invalid UTF-8 in a value does not lose the event');
  t.equal(newexten.event, 'Newexten', 'a repeated Event header gives one event name');
  t.equal(h.peer.connections, 1);
  t.equal(h.disconnected.length, 0);
});

t.test('a Cyrillic name cut between two reads of the socket arrives whole', async (t) => {
  const h = await harness(t);
  await h.peer.waitForLogin();
  await h.waitFor(() => h.connected.length === 1, 'onConnected');
  const before = Buffer.from('Event: Newstate\r\nCallerIDName: Petrov\r\nUniqueid: 1.3\r\n\r\n');
  const frame = Buffer.from('Event: Newstate\r\nCallerIDName: Иванов Пётр\r\nUniqueid: 1.4\r\n\r\n');
  const cut = frame.indexOf(Buffer.from('Иванов')) + 1; // inside the first letter's two bytes
  // The first part goes behind a whole frame: once that frame's event is out, the part was read
  // (the second part is not even sent yet).
  h.peer.inject(Buffer.concat([before, frame.subarray(0, cut)]));
  await h.waitFor(() => h.events.length >= 1, 'the whole frame before the cut');
  h.peer.inject(frame.subarray(cut));
  await h.waitFor(() => h.events.length >= 2, 'the event');
  t.equal(h.events[1].raw.calleridname, 'Иванов Пётр');
});
