// Whatever a client sends over the WebSocket gets an `error` message or a close with a reason, never
// a crash: the socket (or, for an oversized frame, the service) goes on.
import t from 'tap';
import WebSocket from 'ws';
import { buildTestApp } from '../../helpers/app';

t.test('malformed, unknown and odd messages each get an error and the socket stays open', async (t) => {
  const h = await buildTestApp(t, { connectPbx: false });
  const s = await h.socket(h.adminToken);
  await s.next((m) => m.type === 'snapshot');
  const cases: [string, string | Buffer, string][] = [
    ['not JSON', '{"type": "ping"', 'bad_json'],
    ['empty', '', 'bad_json'],
    ['a number', '42', 'bad_message'],
    ['null', 'null', 'bad_message'],
    ['an array', '[{"type":"ping"}]', 'bad_message'],
    ['no type', '{"kind":"ping"}', 'bad_message'],
    ['a type that is not a string', '{"type":{"$ne":null}}', 'bad_message'],
    ['an unknown type', '{"type":"rm -rf"}', 'unknown_type'],
    ['a very long unknown type', JSON.stringify({ type: 'x'.repeat(50_000) }), 'unknown_type'],
    ['a known type without its field', '{"type":"ticket.open"}', 'bad_message'],
    ['binary', Buffer.from([0xff, 0x00, 0xfe]), 'bad_message'],
    ['a prototype-polluting object', '{"type":"ping","__proto__":{"admin":true}}', 'pong'],
  ];
  for (const [what, data, want] of cases) {
    const before = s.messages.length;
    if (Buffer.isBuffer(data) && what === 'binary') s.ws.send(data, { binary: true });
    else s.ws.send(data, { binary: false });
    const reply = await s.next((m) => s.messages.indexOf(m) >= before && (m.type === 'error' || m.type === 'pong'));
    if (want === 'pong') t.equal(reply.type, 'pong', `${what}: answered as a ping`);
    else {
      t.match(reply, { type: 'error', error: want, message: String }, `${what}: error ${want}`);
      t.ok(reply.message.length < 200, `${what}: a short message`);
    }
  }
  t.equal(Object.prototype.hasOwnProperty.call({}, 'admin'), false, 'nothing polluted');
  for (const [what, data] of [
    ['missing', '{"type":"ticket.open"}'],
    ['of the wrong type', '{"type":"ticket.close","ticketId":42}'],
  ]) {
    const before = s.messages.length;
    s.ws.send(data);
    const reply = await s.next((m) => s.messages.indexOf(m) >= before && m.type === 'error');
    t.match(reply.message, /'ticketId'/, `a field ${what}: the error names it (${reply.message})`);
  }
  s.ws.send('{"type":"ping"}');
  await s.next((m) => m.type === 'pong' && s.messages.filter((x) => x.type === 'pong').length === 2);
  t.equal(s.ws.readyState, WebSocket.OPEN, 'the socket is still open after all of it');

  // Text that is not UTF-8 breaks the protocol itself: the socket is closed as RFC 6455 says (1007).
  const closed = new Promise<number>((resolve) => s.ws.once('close', (code) => resolve(code)));
  s.ws.on('error', () => undefined);
  s.ws.send(Buffer.from([0x7b, 0x22, 0xc3, 0x28, 0x22, 0x7d]), { binary: false });
  t.equal(await closed, 1007, 'invalid UTF-8 in a text frame: closed with 1007 (invalid data)');
  t.equal((await h.request('GET', '/api/health', null)).status, 200, 'the service serves');
});

t.test('an oversized frame closes that socket with a reason; the service and other sockets go on', async (t) => {
  const h = await buildTestApp(t, { connectPbx: false });
  const other = await h.socket(h.adminToken);
  await other.next((m) => m.type === 'snapshot');
  const big = await h.socket(h.adminToken);
  await big.next((m) => m.type === 'snapshot');
  const closed = new Promise<{ code: number; reason: string }>((resolve) => big.ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  big.ws.on('error', () => undefined); // the server ends the connection
  big.ws.send(JSON.stringify({ type: 'ping', pad: 'x'.repeat(100 * 1024) }));
  const end = await closed;
  t.equal(end.code, 1009, 'closed as "message too big"');
  t.match(end.reason, /too big.*64 KiB/, `with a reason: ${end.reason}`);

  // Far bigger than any message: cut off while still arriving, nothing of it is kept.
  const huge = await h.socket(h.adminToken);
  await huge.next((m) => m.type === 'snapshot');
  huge.ws.on('error', () => undefined);
  const hugeClosed = new Promise<number>((resolve) => huge.ws.once('close', (code) => resolve(code)));
  huge.ws.send(Buffer.alloc(8 * 1024 * 1024, 0x61), { binary: false });
  t.equal(await hugeClosed, 1009, 'an 8 MiB frame: closed with 1009');
  other.ws.send('{"type":"ping"}');
  await other.next((m) => m.type === 'pong');
  t.pass('the other socket still answers');
  t.equal((await h.request('GET', '/api/health', null)).status, 200, 'the service serves');
});

t.test('a flood of bad messages does not take the service down', async (t) => {
  const h = await buildTestApp(t, { connectPbx: false });
  const s = await h.socket(h.adminToken);
  await s.next((m) => m.type === 'snapshot');
  for (let i = 0; i < 2000; i++) s.ws.send(i % 2 ? '{oops' : '{"type":"nope"}');
  s.ws.send('{"type":"ping"}');
  await s.next((m) => m.type === 'pong', 10_000);
  t.equal(s.messages.filter((m) => m.type === 'error').length, 2000, 'each bad message got its error');
  t.equal((await h.request('GET', '/api/health', null)).status, 200);
});
