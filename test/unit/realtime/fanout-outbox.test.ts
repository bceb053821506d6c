// The outbox of notifications for other instances is bounded: when the database does not answer,
// this instance's own sockets still get every push at once, and at most MAX_OUTBOX notifications
// wait (the oldest are dropped), instead of growing without end.
import t from 'tap';
import pino from 'pino';
import { Fanout, MAX_OUTBOX } from '../../../src/realtime/fanout';
import { Hub } from '../../../src/realtime/hub';

t.test('a database that never answers: local pushes all delivered, the outbox stops at its bound', async (t) => {
  const hub = new Hub();
  const got: string[] = [];
  hub.add({ agentId: 'a1', role: 'agent', send: (text) => got.push(text) });
  const sent: unknown[][] = [];
  const fanout = new Fanout(
    hub,
    'postgres://unused',
    (_sql, params) => {
      sent.push(params);
      return new Promise(() => undefined); // hangs for ever
    },
    { call: async () => null, ticket: async () => null, caller: async () => null },
    pino({ level: 'silent' }),
  );
  const total = MAX_OUTBOX + 5000;
  for (let i = 0; i < total; i++) fanout.publish({ agentIds: ['a1'] }, { type: 'call.ringing', n: i }, { callId: `c${i}` });
  t.equal(got.length, total, 'every push reached the local socket at once');
  await new Promise((r) => setImmediate(r));
  t.equal(sent.length, 1, 'one statement for the whole outbox');
  const payloads = sent[0][1] as string[];
  t.ok(payloads.every((p) => Buffer.byteLength(p) < 8000), `${payloads.length} notifications, each under 8000 bytes`);
  const wires = payloads.flatMap((p) => JSON.parse(p).m);
  t.equal(wires.length, MAX_OUTBOX, 'at most MAX_OUTBOX held');
  t.equal(wires[0].extra.n, 5000, 'the oldest were dropped');
  t.equal(wires[wires.length - 1].ref.callId, `c${total - 1}`);
  t.equal(fanout.stats.dropped, 5000);
});
