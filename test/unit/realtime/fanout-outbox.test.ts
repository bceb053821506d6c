// The outbox of notifications for other instances is bounded: when the database does not answer,
// this instance's own sockets still get every push at once, and at most MAX_OUTBOX notifications
// wait (the oldest are dropped), instead of growing without end.
import t from 'tap';
import pino from 'pino';
import { Fanout, MAX_OUTBOX, MAX_OUTBOX_UNHEARD } from '../../../src/realtime/fanout';
import { Hub } from '../../../src/realtime/hub';
import type { ServerMessage } from '../../../src/wire/socket';
import { waitFor } from '../../helpers/wait';

/** A message cut to what the outbox looks at (its fields are not read here). */
const loose = (m: object) => m as ServerMessage;

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
  for (let i = 0; i < total; i++) fanout.publish({ agentIds: ['a1'] }, loose({ type: 'call.ringing', n: i }), { callId: `c${i}` });
  t.equal(got.length, total, 'every push reached the local socket at once');
  await new Promise((r) => setImmediate(r));
  t.equal(sent.length, 1, 'one statement for the whole outbox');
  const payloads = sent[0][1] as string[];
  t.ok(payloads.every((p) => Buffer.byteLength(p) < 8000), `${payloads.length} notifications, each under 8000 bytes`);
  const wires = payloads.flatMap((p) => JSON.parse(p).m);
  t.equal(wires.length, MAX_OUTBOX, 'at most MAX_OUTBOX held');
  t.equal(wires[0].message.n, 5000, 'the oldest were dropped');
  t.equal(wires[wires.length - 1].message.n, total - 1);
  t.equal(fanout.stats.dropped, 5000);
});

t.test('a message goes to other instances whole, unless too large for a notification: then by the ids of its rows', async (t) => {
  const sent: unknown[][] = [];
  const fanout = new Fanout(
    new Hub(),
    'postgres://unused',
    async (_sql, params) => {
      sent.push(params);
      return [{ n: 1 }];
    },
    { call: async () => null, ticket: async () => null, caller: async () => null },
    pino({ level: 'silent' }),
  );
  const small = { type: 'call.ringing', call: { id: 'c1' }, extension: '101' };
  const large = { type: 'call.ringing', call: { id: 'c2' }, caller: { calls: 'x'.repeat(9000) }, extension: '102' };
  fanout.publish({ agentIds: ['a1'] }, loose(small), { callId: 'c1', caller: true });
  fanout.publish({ agentIds: ['a2'] }, loose(large), { callId: 'c2', caller: true });
  await new Promise((r) => setImmediate(r));
  const wires = (sent[0][1] as string[]).flatMap((p) => JSON.parse(p).m);
  t.same(wires[0], { audience: { agentIds: ['a1'] }, message: small }, 'the small one whole');
  t.same(wires[1], { audience: { agentIds: ['a2'] }, type: 'call.ringing', ref: { callId: 'c2', caller: true }, extra: { extension: '102' } }, 'the large one by reference');
});

t.test('alone, an instance stops serialising pushes for others: it asks whether anyone listens, and notifies once someone does', async (t) => {
  const statements: { sql: string; params: unknown[] }[] = [];
  let listening = false;
  const fanout = new Fanout(
    new Hub(),
    'postgres://unused',
    async (sql, params) => {
      statements.push({ sql, params });
      if (sql.includes('pg_notify')) return [{ n: listening ? (params[1] as string[]).length : 0 }];
      return [{ yes: listening }];
    },
    { call: async () => null, ticket: async () => null, caller: async () => null },
    pino({ level: 'silent' }),
    undefined,
    0, // asked at every batch: the rate of asking is the next test's
  );
  const push = (n: number) => fanout.publish({ agentIds: ['a1'] }, loose({ type: 'call.ringing', n }), { callId: `c${n}` });
  const settle = () => new Promise((r) => setTimeout(r, 20));
  const notifies = () => statements.filter((s) => s.sql.includes('pg_notify'));

  push(1);
  await settle();
  t.equal(notifies().length, 1, 'the first batch is sent as a notification (whether anyone listens is not known yet)');
  push(2);
  await settle();
  t.equal(notifies().length, 1, 'after one that no one heard: no notification built');
  t.equal(statements.length, 2, 'only the question whether anyone listens');
  listening = true;
  push(3);
  await settle();
  t.equal(notifies().length, 2, 'someone listens now: the batch goes');
  t.same((notifies()[1].params[1] as string[]).flatMap((p) => JSON.parse(p).m.map((w: any) => w.message.n)), [3]);
  push(4);
  await settle();
  t.equal(statements.length, 5, 'and while someone listens, no question first');
  t.equal(fanout.stats.notified, 2);
});

t.test('alone, a burst while it asks whether anyone listens keeps only the newest few pushes for others', async (t) => {
  let answer: (yes: boolean) => void = () => undefined;
  const notified: string[][] = [];
  const fanout = new Fanout(
    new Hub(),
    'postgres://unused',
    async (sql, params) => {
      if (sql.includes('pg_notify')) {
        notified.push(params[1] as string[]);
        return [{ n: 0 }]; // no one heard the first
      }
      return [{ yes: await new Promise<boolean>((r) => (answer = r)) }]; // the question waits behind the burst
    },
    { call: async () => null, ticket: async () => null, caller: async () => null },
    pino({ level: 'silent' }),
    undefined,
    0,
  );
  const push = (n: number) => fanout.publish({ agentIds: ['a1'] }, loose({ type: 'call.ringing', n }), { callId: `c${n}` });
  push(0);
  await new Promise((r) => setTimeout(r, 20));
  push(1); // the question is asked for this one
  await new Promise((r) => setTimeout(r, 20));
  const burst = 5000;
  for (let i = 2; i < 2 + burst; i++) push(i);
  answer(false);
  await new Promise((r) => setTimeout(r, 20));
  answer(true); // someone listens when the burst's question is answered
  await new Promise((r) => setTimeout(r, 20));
  const last = notified[notified.length - 1].flatMap((p) => JSON.parse(p).m.map((w: any) => w.message.n));
  t.equal(last.length, MAX_OUTBOX_UNHEARD, `at most ${MAX_OUTBOX_UNHEARD} of the burst were kept`);
  t.equal(last[last.length - 1], 1 + burst, 'the newest among them');
});

t.test('alone under a stream of pushes, it asks whether anyone listens once per interval, not once per batch; a push after someone listens still goes', async (t) => {
  let questions = 0;
  let listening = false;
  const notified: number[] = [];
  const fanout = new Fanout(
    new Hub(),
    'postgres://unused',
    async (sql, params) => {
      if (sql.includes('pg_notify')) {
        if (listening) for (const p of params[1] as string[]) notified.push(...JSON.parse(p).m.map((w: any) => w.message.n));
        return [{ n: listening ? 1 : 0 }];
      }
      questions++;
      return [{ yes: listening }];
    },
    { call: async () => null, ticket: async () => null, caller: async () => null },
    pino({ level: 'silent' }),
    undefined,
    50,
  );
  const push = (n: number) => fanout.publish({ agentIds: ['a1'] }, loose({ type: 'call.ringing', n }), { callId: `c${n}` });
  // A batch on every turn of the event loop, as a busy PBX's pushes come.
  const started = performance.now();
  let n = 0;
  while (performance.now() - started < 300) {
    push(n++);
    await new Promise((r) => setImmediate(r));
  }
  const elapsed = performance.now() - started;
  t.ok(n > 100, `${n} batches published`);
  t.ok(questions <= elapsed / 50 + 2, `${questions} questions in ${elapsed.toFixed(0)} ms (one per 50 ms at most)`);
  listening = true;
  const first = n;
  push(n++);
  await waitFor('the push notified', () => notified.includes(first), 2000, 5);
  t.pass('the push published once someone listens reaches them');
});
