// A new call's screen pop does not wait for the batch in flight: while a batch is held up (here its
// journal write waits for a lock), the next support-line call is stored with its draft beside it
// and its agent's phone rings with that stored draft. Nothing is lost or doubled once the held-up
// batch goes through — nor when that side write itself fails.
import t, { type Test } from 'tap';
import pg from 'pg';
import { startDesk, type Desk } from '../helpers/desk';
import { loadScenario, splitCalls, synthesizeCalls } from '../helpers/scenarios';
import type { TestSocket } from '../helpers/socket';
import { waitFor } from '../helpers/wait';

const S1_CALL = splitCalls(loadScenario('S1-answered').messages).calls;
/** A queue call: the call changes (it joins the queue) between its start and its first ringing. */
const S4_CALL = splitCalls(loadScenario('S4-queue').messages).calls;
/** A call to another line of the PBX (not the support line: no draft), ringing 103. */
const S7_CALL = splitCalls(loadScenario('S7-other-did').messages).calls;

/** A fresh copy of a recorded call (its own ids and caller). */
function copyOf(templates: typeof S1_CALL, nth: number) {
  return [...synthesizeCalls({ count: 1, templates, seed: 40 + nth, uniqueidCounterStart: 7_000_000 + 100 * nth, channelCounterStart: 0x300000 + 16 * nth, startEpochSec: 1_796_000_000 + nth })];
}

/** A fresh copy of the recorded S1 call, ringing 101. */
const copyOfS1 = (nth: number) => copyOf(S1_CALL, nth);

const waitingForLock = async (db: pg.Client) => (await db.query(`SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()`)).rowCount! > 0;

/**
 * 101's panel, and a first call that rang 101 and was answered while another session holds the
 * journal: the batch storing the answer (it journals the draft's owner) is held up until `lock`
 * commits.
 */
async function firstCallHeldUp(t: Test, nth: number, before?: (d: Desk) => Promise<void>) {
  const d = await startDesk(t, [['ivanov', '101'], ['sidorov', '103']]);
  const ws: TestSocket = await d.app.socket(d.agents.ivanov.token);
  await ws.next((m) => m.type === 'snapshot');
  const first = copyOfS1(nth);
  const dial = first.findIndex((f) => f.data.includes('Event: DialBegin'));
  const answer = first.findIndex((f, i) => i > dial && f.t > first[dial].t + 1000);
  await d.peer.replay(first.slice(0, answer), { speed: 'max' });
  const firstPop = await ws.next((m) => m.type === 'call.ringing', 5000);
  await d.app.app.pipeline.drain();
  await before?.(d);
  const lock = new pg.Client({ connectionString: d.app.db.url });
  await lock.connect();
  t.teardown(() => lock.end().catch(() => undefined));
  await lock.query('BEGIN');
  await lock.query('LOCK TABLE ticket_events IN EXCLUSIVE MODE');
  await d.peer.replay(first.slice(answer), { speed: 'max' });
  await waitFor('the batch waiting for the journal', () => waitingForLock(lock));
  return { ...d, ws, firstPop, lock };
}

/** Ends the second call and checks both calls are stored with one draft each. */
async function bothStoredOnce(t: Test, d: Desk, rest: { data: string }[]) {
  await d.peer.replay(rest, { speed: 'max' });
  await waitFor('both calls ended and stored', async () => {
    await d.app.app.pipeline.drain();
    return (await d.app.app.ds.query(`SELECT count(*)::int AS n FROM call WHERE ended_at IS NOT NULL`))[0].n === 2;
  }, 15_000);
  const rows = await d.app.app.ds.query(`SELECT count(t.id)::int AS drafts FROM call c LEFT JOIN ticket t ON t.origin_call_id = c.id GROUP BY c.id`);
  t.same(rows.map((r: any) => r.drafts), [1, 1], 'two calls, one draft each');
}

t.test('while a batch is held up, the next call still pops at once with its stored draft', async (t) => {
  const d = await firstCallHeldUp(t, 1);
  const second = copyOfS1(2);
  const secondDial = second.findIndex((f) => f.data.includes('Event: DialBegin'));
  await d.peer.replay(second.slice(0, secondDial + 1), { speed: 'max' });
  const pop = await d.ws.next((m) => m.type === 'call.ringing' && m.call.id !== d.firstPop.call.id, 5000);
  t.ok(pop.ticket?.id, 'the pop carries a draft');
  const stored = await d.lock.query(`SELECT t.id FROM ticket t JOIN call c ON c.id = t.origin_call_id WHERE t.id = $1 AND c.id = $2`, [pop.ticket.id, pop.call.id]);
  t.equal(stored.rowCount, 1, 'stored (committed) with its call before the phone rang');
  t.ok(pop.caller, "with the caller's history");
  t.ok(await waitingForLock(d.lock), 'the first call’s batch still held up meanwhile');

  await d.lock.query('COMMIT');
  await bothStoredOnce(t, d, second.slice(secondDial + 1));
  const owned = await d.app.app.ds.query(`SELECT count(*)::int AS n FROM ticket WHERE $1::uuid = ANY(assignees)`, [d.agents.ivanov.id]);
  t.equal(owned[0].n, 2, 'each draft owned by the agent who answered');
});

t.test('a draft the side write could not store is stored by the next batch, once, and its pop follows', async (t) => {
  // The first draft written once the first call is in fails (a sequence is not rolled back with its transaction).
  const d = await firstCallHeldUp(t, 3, async ({ app }) => {
    await app.app.ds.query(`CREATE SEQUENCE draft_failures`);
    await app.app.ds.query(`CREATE FUNCTION fail_first_draft() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF nextval('draft_failures') = 1 THEN RAISE EXCEPTION 'disk trouble'; END IF; RETURN NEW; END $$`);
    await app.app.ds.query(`CREATE TRIGGER fail_first_draft BEFORE INSERT ON ticket FOR EACH ROW EXECUTE FUNCTION fail_first_draft()`);
  });
  const second = copyOfS1(4);
  const secondDial = second.findIndex((f) => f.data.includes('Event: DialBegin'));
  await d.peer.replay(second.slice(0, secondDial + 1), { speed: 'max' });
  await waitFor('the side write failed', async () => (await d.lock.query(`SELECT is_called FROM draft_failures`)).rows[0].is_called);
  t.notOk(d.ws.messages.some((m) => m.type === 'call.ringing' && m.call.id !== d.firstPop.call.id), 'no pop without a stored draft');

  await d.lock.query('COMMIT');
  const pop = await d.ws.next((m) => m.type === 'call.ringing' && m.call.id !== d.firstPop.call.id, 5000);
  const stored = await d.app.app.ds.query(`SELECT id FROM ticket WHERE id = $1 AND origin_call_id = $2`, [pop.ticket?.id, pop.call.id]);
  t.equal(stored.length, 1, 'the pop carries the draft the next batch stored');
  await bothStoredOnce(t, d, second.slice(secondDial + 1));
});

t.test("a call whose draft is in the held-up batch adds nothing to the side write: the next call's pop does not wait for it", async (t) => {
  const d = await startDesk(t, [['ivanov', '101'], ['petrov', '102']]);
  const ws: TestSocket = await d.app.socket(d.agents.ivanov.token);
  await ws.next((m) => m.type === 'snapshot');
  const first = copyOf(S4_CALL, 5);
  const linkedid = /Linkedid: (\S+)/.exec(first.find((f) => f.data.includes('Event: Newchannel'))!.data)![1];
  // The first call's insert waits for a lock the test holds: its batch is held up with its draft in it.
  const lock = new pg.Client({ connectionString: d.app.db.url });
  await lock.connect();
  t.teardown(() => lock.end().catch(() => undefined));
  await lock.query('SELECT pg_advisory_lock(4242)');
  await d.app.app.ds.query(`CREATE FUNCTION hold_call() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN PERFORM pg_advisory_xact_lock(4242); RETURN NEW; END $$`);
  await d.app.app.ds.query(`CREATE TRIGGER hold_call BEFORE INSERT ON call FOR EACH ROW WHEN (NEW.linkedid = '${linkedid}') EXECUTE FUNCTION hold_call()`);
  const started = first.findIndex((f) => f.data.includes('Event: Newchannel')) + 1;
  await d.peer.replay(first.slice(0, started), { speed: 'max' });
  await waitFor('the first call’s batch held up', () => waitingForLock(lock));
  // The rest of the first call's ringing (its queue join first) arrives while its batch is in flight.
  const firstDial = first.findIndex((f) => f.data.includes('Event: DialBegin'));
  await d.peer.replay(first.slice(started, firstDial + 1), { speed: 'max' });

  const second = copyOfS1(6);
  const secondDial = second.findIndex((f) => f.data.includes('Event: DialBegin'));
  await d.peer.replay(second.slice(0, secondDial + 1), { speed: 'max' });
  const pop = await ws.next((m) => m.type === 'call.ringing', 5000);
  t.ok(pop.ticket?.id, 'the second call pops with its draft while the first is held up');
  t.ok(await waitingForLock(lock), 'the first call’s batch still held up meanwhile');

  await lock.query('SELECT pg_advisory_unlock(4242)');
  await d.peer.replay([...first.slice(firstDial + 1)], { speed: 'max' });
  await bothStoredOnce(t, d, second.slice(secondDial + 1));
});

t.test("while a batch is held up, a call to another line (no draft) still rings its agent at once, its call stored", async (t) => {
  const d = await firstCallHeldUp(t, 7);
  const ws: TestSocket = await d.app.socket(d.agents.sidorov.token);
  await ws.next((m) => m.type === 'snapshot');
  const other = copyOf(S7_CALL, 8);
  const dial = other.findIndex((f) => f.data.includes('Event: DialBegin'));
  await d.peer.replay(other.slice(0, dial + 1), { speed: 'max' });
  const pop = await ws.next((m) => m.type === 'call.ringing', 5000);
  t.equal(pop.ticket ?? null, null, 'no draft: not the support line');
  const stored = await d.lock.query(`SELECT 1 FROM call WHERE id = $1`, [pop.call.id]);
  t.equal(stored.rowCount, 1, 'the call is stored (committed) before its phone rang');
  t.ok(await waitingForLock(d.lock), 'the first call’s batch still held up meanwhile');
  await d.lock.query('COMMIT');
});

t.test("while a batch and a new call's own write are both held up, the call after it still pops at once", async (t) => {
  const linkedidOf = (frames: { data: string }[]) => /Linkedid: (\S+)/.exec(frames.find((f) => f.data.includes('Event: Newchannel'))!.data)![1];
  const held = copyOfS1(9);
  // The held call's insert waits for an advisory lock the test holds: the write carrying it is held up.
  const d = await firstCallHeldUp(t, 11, async ({ app }) => {
    await app.app.ds.query(`CREATE FUNCTION hold_call() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN PERFORM pg_advisory_xact_lock(4243); RETURN NEW; END $$`);
    await app.app.ds.query(`CREATE TRIGGER hold_call BEFORE INSERT ON call FOR EACH ROW WHEN (NEW.linkedid = '${linkedidOf(held)}') EXECUTE FUNCTION hold_call()`);
  });
  const hold = new pg.Client({ connectionString: d.app.db.url });
  await hold.connect();
  t.teardown(() => hold.end().catch(() => undefined));
  await hold.query('SELECT pg_advisory_lock(4243)');
  const heldDial = held.findIndex((f) => f.data.includes('Event: DialBegin'));
  await d.peer.replay(held.slice(0, heldDial + 1), { speed: 'max' });
  await waitFor('the held call’s write waiting', async () => (await hold.query(`SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND objid = 4243 AND NOT granted`)).rowCount! > 0);

  const next = copyOfS1(10);
  const nextDial = next.findIndex((f) => f.data.includes('Event: DialBegin'));
  await d.peer.replay(next.slice(0, nextDial + 1), { speed: 'max' });
  const pop = await d.ws.next((m) => m.type === 'call.ringing' && m.call.id !== d.firstPop.call.id, 5000);
  const stored = await d.lock.query(`SELECT c.linkedid FROM ticket t JOIN call c ON c.id = t.origin_call_id WHERE t.id = $1 AND c.id = $2`, [pop.ticket?.id, pop.call.id]);
  t.same(stored.rows.map((r) => r.linkedid), [linkedidOf(next)], 'the call after the held one pops, its draft stored');
  t.ok(await waitingForLock(d.lock), 'the first call’s batch still held up meanwhile');

  await hold.query('SELECT pg_advisory_unlock(4243)');
  await d.lock.query('COMMIT');
  await d.peer.replay([...held.slice(heldDial + 1), ...next.slice(nextDial + 1)], { speed: 'max' });
  await waitFor('all three calls ended and stored', async () => {
    await d.app.app.pipeline.drain();
    return (await d.app.app.ds.query(`SELECT count(*)::int AS n FROM call WHERE ended_at IS NOT NULL`))[0].n === 3;
  }, 15_000);
  const rows = await d.app.app.ds.query(`SELECT count(t.id)::int AS drafts FROM call c LEFT JOIN ticket t ON t.origin_call_id = c.id GROUP BY c.id`);
  t.same(rows.map((r: any) => r.drafts), [1, 1, 1], 'three calls, one draft each');
});
