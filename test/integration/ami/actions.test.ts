import v8 from 'node:v8';
import vm from 'node:vm';
import t from 'tap';
import { AmiActionError, AmiNotConnectedError, AmiTimeoutError } from '../../../src/ami/client';
import { harness } from './harness';

t.test('action() resolves with the answer, rejects a refused or unanswered action, and keeps the connection', async (t) => {
  const h = await harness(t, { start: false });
  await t.rejects(h.conn.action({ Action: 'Ping' }), AmiNotConnectedError, 'not connected yet');
  h.conn.start();
  await h.waitFor(() => h.connected.length === 1, 'onConnected');

  const pong = await h.conn.action({ Action: 'Ping' });
  t.equal(pong.response, 'Success');
  t.equal(pong.ping, 'Pong');

  await t.rejects(h.conn.action({ Action: 'NoSuchThing' }), AmiActionError, 'an Error response rejects');
  h.peer.respond('Hangup', () => null);
  await t.rejects(h.conn.action({ Action: 'Hangup', Channel: 'SIP/101-00000001' }, { timeoutMs: 200 }), AmiTimeoutError, 'no answer times out');
  await t.rejects(
    h.conn.action({ Action: 'Hangup', Channel: 'SIP/101-00000001\r\nAction: Originate' }),
    TypeError,
    'a header cannot smuggle in a second action',
  );
  await t.rejects(
    h.conn.action({ Action: 'Setvar', Variable: { A: '1\r\nAction: Originate' } }),
    TypeError,
    'nor can a variable value',
  );
  t.notOk(h.peer.actions.some((a) => a.name === 'originate' || a.name === 'setvar'), 'nothing was sent');
  const sent = h.peer.actions.find((a) => a.name === 'hangup');
  t.equal(sent?.fields.Channel, 'SIP/101-00000001', 'the action reached the PBX with its headers');

  h.peer.respond('QueueStatus', (_f, id) => [
    `Response: Success\r\nActionID: ${id}\r\nEventList: start\r\nMessage: Queue status will follow\r\n\r\n`,
    `Event: QueueParams\r\nActionID: ${id}\r\nQueue: support\r\n\r\n`,
    `Event: QueueStatusComplete\r\nActionID: ${id}\r\nEventList: Complete\r\nListItems: 1\r\n\r\n`,
  ]);
  const list = await h.conn.actionList({ Action: 'QueueStatus' });
  t.equal(list.events.length, 1);
  t.equal(list.events[0].queue, 'support');
  t.equal(h.events.length, 0, 'list items are not passed on as events');
  t.equal(h.disconnected.length, 0, 'the connection was kept throughout');
});

// The live-call check lists every channel of the PBX once a minute: thousands at a thousand calls.
// Gathered before use, the parsed list held 60–80 MB at once; read item by item, each item is
// garbage as soon as it is looked at.
t.test('a list read item by item keeps no item: the first is collected before the list ends', async (t) => {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  const h = await harness(t);
  await h.waitFor(() => h.connected.length === 1, 'onConnected');
  const ITEMS = 2_000;
  h.peer.respond('CoreShowChannels', (_f, id) => [
    `Response: Success\r\nActionID: ${id}\r\nEventList: start\r\nMessage: Channels will follow\r\n\r\n`,
    ...Array.from(
      { length: ITEMS },
      (_, i) => `Event: CoreShowChannel\r\nActionID: ${id}\r\nChannel: SIP/trunk-${String(i).padStart(8, '0')}\r\nUniqueid: 1795000000.${i}\r\nLinkedid: 1795000000.${i}\r\n\r\n`,
    ),
    `Event: CoreShowChannelsComplete\r\nActionID: ${id}\r\nEventList: Complete\r\nListItems: ${ITEMS}\r\n\r\n`,
  ]);
  let first: WeakRef<object> | null = null;
  let firstGone: boolean | null = null;
  const seen: string[] = [];
  await h.conn.actionEach({ Action: 'CoreShowChannels' }, (item) => {
    seen.push(item.uniqueid as string);
    if (first === null) first = new WeakRef(item);
    else if (seen.length === ITEMS) {
      gc();
      firstGone = first.deref() === undefined;
    }
  });
  t.equal(seen.length, ITEMS, 'every item was handed over, in order');
  t.equal(seen[ITEMS - 1], `1795000000.${ITEMS - 1}`);
  t.equal(firstGone, true, 'the first item was collected while the last was being read');
  t.equal(h.events.length, 0, 'list items are not passed on as events');
  t.equal(h.disconnected.length, 0, 'the connection was kept');
});
