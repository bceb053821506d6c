// The screen pop goes out as soon as the call's draft is stored, not after the write of its ringing
// leg; a panel that (re)connects meanwhile still gets the ringing call in its snapshot.
import t from 'tap';
import pg from 'pg';
import { startDesk } from '../helpers/desk';
import { loadScenario, scenarioFrames } from '../helpers/scenarios';
import { waitFor } from '../helpers/wait';

t.test('the pop carries the stored draft while the write of its leg is held up; a snapshot taken meanwhile waits for that write', async (t) => {
  const { app: h, peer, agents } = await startDesk(t, [['ivanov', '101']]);
  const a101 = agents.ivanov;
  const ws = await h.socket(a101.token);
  await ws.next((m) => m.type === 'snapshot');

  // S1: the support-line call arrives (its draft is made), then 101's phone rings (DialBegin).
  const frames = scenarioFrames(loadScenario('S1-answered'));
  const dial = frames.findIndex((f) => String(f.data).includes('Event: DialBegin'));
  const answer = frames.findIndex((f, i) => i > dial && f.t > frames[dial].t + 1000);
  await peer.replay(frames.slice(0, dial), { speed: 'max' });
  const draft = await waitFor('the draft stored', async () => (await h.app.ds.query(`SELECT id FROM ticket`))[0]);
  await h.app.pipeline.drain();

  // Another session holds the call's row: every write touching the call waits.
  const lock = new pg.Client({ connectionString: h.db.url });
  await lock.connect();
  t.teardown(() => lock.end().catch(() => undefined));
  await lock.query('BEGIN');
  await lock.query('SELECT id FROM call FOR UPDATE');
  await peer.replay(frames.slice(dial, answer), { speed: 'max' });

  const ringing = await ws.next((m) => m.type === 'call.ringing', 5000);
  t.equal(ringing.extension, '101');
  t.equal(ringing.ticket.id, draft.id, 'the pop carries the stored draft');
  t.equal(ringing.caller.number, '+79111234567', "with the caller's history");
  const stored = await h.app.ds.query(`SELECT legs FROM call`);
  t.same(stored[0].legs, [], 'and arrived before the ringing leg was written');

  // The agent reloads the panel now: its snapshot is read once the leg is stored.
  const again = await h.socket(a101.token);
  await new Promise((r) => setTimeout(r, 300));
  t.notOk(again.messages.some((m) => m.type === 'snapshot'), 'no snapshot while the leg is not stored');
  await lock.query('COMMIT');
  const snap = await again.next((m) => m.type === 'snapshot', 5000);
  t.equal(snap.calls.length, 1, 'the ringing call is in the snapshot');
  t.equal(snap.calls[0].legs[0]?.extension, '101');
  t.same(
    snap.drafts.map((d: any) => d.id),
    [draft.id],
  );

  await peer.replay(frames.slice(answer), { speed: 'max' });
  const answered = await ws.next((m) => m.type === 'call.answered', 5000);
  t.equal(answered.ticket.id, draft.id);
  await ws.next((m) => m.type === 'call.ended', 5000);
  const types = ws.messages.map((m) => m.type).filter((x) => x.startsWith('call.'));
  t.same(types, ['call.ringing', 'call.answered', 'call.ended'], 'in order, each once');
});

t.test('where a screen pop waited is on record: a write held up shows as the wait for its own batch, in the metrics too', async (t) => {
  const { app: h, peer, agents } = await startDesk(t, [['ivanov', '101']]);
  const ws = await h.socket(agents.ivanov.token);
  await ws.next((m) => m.type === 'snapshot');
  const waits: { totalMs: number; ownBatchMs: number; behindMs: number; batchCalls: number }[] = [];
  h.app.pipeline.popWatchers.add((w) => waits.push(w));

  // Another session holds the call table: the batch storing the new call and its draft waits.
  const lock = new pg.Client({ connectionString: h.db.url });
  await lock.connect();
  t.teardown(() => lock.end().catch(() => undefined));
  await lock.query('BEGIN');
  await lock.query('LOCK TABLE call IN EXCLUSIVE MODE');
  const frames = scenarioFrames(loadScenario('S1-answered'));
  const dial = frames.findIndex((f) => String(f.data).includes('Event: DialBegin'));
  await peer.replay(frames.slice(0, dial + 1), { speed: 'max' });
  await waitFor('the batch waiting for the lock', async () => {
    const r = await lock.query(`SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()`);
    return r.rowCount! > 0;
  });
  const heldFrom = performance.now();
  await waitFor('the lock held a while', async () => performance.now() - heldFrom >= 200);
  await lock.query('COMMIT');
  const heldMs = performance.now() - heldFrom;

  await ws.next((m) => m.type === 'call.ringing', 5000);
  t.equal(waits.length, 1, 'one pop, one record');
  t.ok(waits[0].ownBatchMs + waits[0].behindMs >= heldMs, `waited ${waits[0].ownBatchMs.toFixed(0)} ms for its batch, the lock was held ${heldMs.toFixed(0)} ms`);
  t.ok(waits[0].batchCalls >= 1, 'the batch that stored its call is named by size');
  t.ok(waits[0].totalMs >= waits[0].ownBatchMs + waits[0].behindMs, 'the stages add up to no more than the whole wait');
  const metrics = (await h.request('GET', '/metrics', null)).body as string;
  t.match(metrics, /calldesk_pop_wait_seconds_count\{stage="own_batch"\} 1/, 'counted in the metrics by stage');
});
