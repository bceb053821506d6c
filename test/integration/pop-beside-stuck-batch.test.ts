// A new call's screen pop does not wait for the batch in flight: while a batch is held up (here its
// journal write waits for a lock), the next support-line call is stored with its draft beside it
// and its agent's phone rings with that stored draft. Nothing is lost or doubled once the held-up
// batch goes through.
import t from 'tap';
import pg from 'pg';
import { startDesk } from '../helpers/desk';
import { loadScenario, splitCalls, synthesizeCalls } from '../helpers/scenarios';
import { waitFor } from '../helpers/wait';

const S1_CALL = splitCalls(loadScenario('S1-answered').messages).calls;

/** A fresh copy of the recorded S1 call (its own ids and caller), ringing 101. */
function copyOfS1(nth: number) {
  return [...synthesizeCalls({ count: 1, templates: S1_CALL, seed: 40 + nth, uniqueidCounterStart: 7_000_000 + 100 * nth, channelCounterStart: 0x300000 + 16 * nth, startEpochSec: 1_796_000_000 + nth })];
}

t.test('while a batch is held up, the next call still pops at once with its stored draft', async (t) => {
  const { app: h, peer, agents } = await startDesk(t, [['ivanov', '101']]);
  const ws = await h.socket(agents.ivanov.token);
  await ws.next((m) => m.type === 'snapshot');

  // First call: rings 101 and is answered — answering writes the journal (the draft's owner).
  const first = copyOfS1(1);
  const dial = first.findIndex((f) => f.data.includes('Event: DialBegin'));
  const answer = first.findIndex((f, i) => i > dial && f.t > first[dial].t + 1000);
  await peer.replay(first.slice(0, answer), { speed: 'max' });
  const firstPop = await ws.next((m) => m.type === 'call.ringing', 5000);
  await h.app.pipeline.drain();

  // Another session holds the journal: the batch storing the answer waits for it.
  const lock = new pg.Client({ connectionString: h.db.url });
  await lock.connect();
  t.teardown(() => lock.end().catch(() => undefined));
  await lock.query('BEGIN');
  await lock.query('LOCK TABLE ticket_events IN EXCLUSIVE MODE');
  await peer.replay(first.slice(answer), { speed: 'max' });
  await waitFor('the batch waiting for the journal', async () => {
    const r = await lock.query(`SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()`);
    return r.rowCount! > 0;
  });

  // Second call, while that batch is stuck: its pop comes, with a draft another session can read.
  const second = copyOfS1(2);
  const secondDial = second.findIndex((f) => f.data.includes('Event: DialBegin'));
  await peer.replay(second.slice(0, secondDial + 1), { speed: 'max' });
  const pop = await ws.next((m) => m.type === 'call.ringing' && m.call.id !== firstPop.call.id, 5000);
  t.ok(pop.ticket?.id, 'the pop carries a draft');
  const stored = await lock.query(`SELECT t.id FROM ticket t JOIN call c ON c.id = t.origin_call_id WHERE t.id = $1 AND c.id = $2`, [pop.ticket.id, pop.call.id]);
  t.equal(stored.rowCount, 1, 'stored (committed) with its call before the phone rang');
  t.ok(pop.caller, "with the caller's history");
  const waiting = await lock.query(`SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()`);
  t.ok(waiting.rowCount! > 0, 'the first call’s batch still held up meanwhile');

  await lock.query('COMMIT');
  await peer.replay(second.slice(secondDial + 1), { speed: 'max' });
  await waitFor('both calls ended and stored', async () => {
    await h.app.pipeline.drain();
    return (await h.app.ds.query(`SELECT count(*)::int AS n FROM call WHERE ended_at IS NOT NULL`))[0].n === 2;
  }, 15_000);
  const rows = await h.app.ds.query(`SELECT c.linkedid, count(t.id)::int AS drafts FROM call c LEFT JOIN ticket t ON t.origin_call_id = c.id GROUP BY c.linkedid`);
  t.same(rows.map((r: any) => r.drafts), [1, 1], 'two calls, one draft each');
  const owners = await h.app.ds.query(`SELECT count(*)::int AS n FROM ticket WHERE $1::uuid = ANY(assignees)`, [agents.ivanov.id]);
  t.equal(owners[0].n, 2, 'each draft owned by the agent who answered');
});

t.test('a draft the side write could not store is stored by the next batch, once, and its pop follows', async (t) => {
  const { app: h, peer, agents } = await startDesk(t, [['ivanov', '101']]);
  const ws = await h.socket(agents.ivanov.token);
  await ws.next((m) => m.type === 'snapshot');
  // The first draft written from now on fails (a sequence is not rolled back with its transaction).
  await h.app.ds.query(`CREATE SEQUENCE draft_failures`);
  await h.app.ds.query(`CREATE FUNCTION fail_first_draft() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN IF nextval('draft_failures') = 1 THEN RAISE EXCEPTION 'disk trouble'; END IF; RETURN NEW; END $$`);

  const first = copyOfS1(3);
  const dial = first.findIndex((f) => f.data.includes('Event: DialBegin'));
  const answer = first.findIndex((f, i) => i > dial && f.t > first[dial].t + 1000);
  await peer.replay(first.slice(0, answer), { speed: 'max' });
  const firstPop = await ws.next((m) => m.type === 'call.ringing', 5000);
  await h.app.pipeline.drain();
  await h.app.ds.query(`CREATE TRIGGER fail_first_draft BEFORE INSERT ON ticket FOR EACH ROW EXECUTE FUNCTION fail_first_draft()`);

  const lock = new pg.Client({ connectionString: h.db.url });
  await lock.connect();
  t.teardown(() => lock.end().catch(() => undefined));
  await lock.query('BEGIN');
  await lock.query('LOCK TABLE ticket_events IN EXCLUSIVE MODE');
  await peer.replay(first.slice(answer), { speed: 'max' });
  await waitFor('the batch waiting for the journal', async () => (await lock.query(`SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()`)).rowCount! > 0);

  const second = copyOfS1(4);
  const secondDial = second.findIndex((f) => f.data.includes('Event: DialBegin'));
  await peer.replay(second.slice(0, secondDial + 1), { speed: 'max' });
  await waitFor('the side write failed', async () => (await lock.query(`SELECT is_called FROM draft_failures`)).rows[0].is_called);
  t.notOk(ws.messages.some((m) => m.type === 'call.ringing' && m.call.id !== firstPop.call.id), 'no pop without a stored draft');

  await lock.query('COMMIT');
  const pop = await ws.next((m) => m.type === 'call.ringing' && m.call.id !== firstPop.call.id, 5000);
  const stored = await h.app.ds.query(`SELECT id FROM ticket WHERE id = $1 AND origin_call_id = $2`, [pop.ticket?.id, pop.call.id]);
  t.equal(stored.length, 1, 'the pop carries the draft the next batch stored');
  await peer.replay(second.slice(secondDial + 1), { speed: 'max' });
  await waitFor('both calls ended and stored', async () => {
    await h.app.pipeline.drain();
    return (await h.app.ds.query(`SELECT count(*)::int AS n FROM call WHERE ended_at IS NOT NULL`))[0].n === 2;
  }, 15_000);
  const rows = await h.app.ds.query(`SELECT count(t.id)::int AS drafts FROM call c LEFT JOIN ticket t ON t.origin_call_id = c.id GROUP BY c.id`);
  t.same(rows.map((r: any) => r.drafts), [1, 1], 'two calls, one draft each');
});
