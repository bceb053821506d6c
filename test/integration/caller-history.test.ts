// What the screen pop shows of a caller — their ten latest other calls, either way — comes from the
// number's own indexes: a first-time caller costs a few index pages however many calls are stored,
// not a walk through every call (it did: a burst of new callers made ingestion quadratic, and one
// pop's lookup grew with the table). Buffer counts, not times, so the check is exact.
import t from 'tap';
import { callerCalls } from '../../src/db/call-batch-sql';
import { callsOfNumberSql } from '../../src/db/caller-sql';
import { CallerLookup } from '../../src/db/caller-lookup';
import { pagesRead } from '../helpers/db';
import { desk } from './tickets/fixture';

const STORED = 30_000;

t.test('a caller’s history is read from the number’s indexes, whatever the number of calls stored', async (t) => {
  const h = await desk(t);
  const db = h.app.ds;
  // One returning caller (15 calls in, 3 calls out to them); statistics taken then, as on a young
  // database; then a burst of calls from new numbers arrives before the statistics catch up
  // (autovacuum held off so that they do not catch up during the test).
  await db.query('ALTER TABLE call SET (autovacuum_enabled = false)');
  await db.query(
    `INSERT INTO call (id, pbx, linkedid, direction, support_line, caller_number, did, called_number, started_at, ended_at, outcome, after_hours)
     SELECT gen_random_uuid(), 'main', 'back-' || g, CASE WHEN g % 6 = 0 THEN 'outbound' ELSE 'inbound' END, true,
            CASE WHEN g % 6 = 0 THEN NULL ELSE '+79110000000' END, '+79219416004', CASE WHEN g % 6 = 0 THEN '+79110000000' END,
            now() - (g * 97 || ' minutes')::interval, now() - (g * 97 || ' minutes')::interval + interval '1 minute', 'answered', false
       FROM generate_series(1, 18) g`,
  );
  await db.query('ANALYZE call');
  await db.query(
    `INSERT INTO call (id, pbx, linkedid, direction, support_line, caller_number, did, called_number, started_at, ended_at, outcome, after_hours)
     SELECT gen_random_uuid(), 'main', 'old-' || g, 'inbound', true, '+7900' || lpad(g::text, 7, '0'), '+79219416004', NULL,
            now() - (g || ' minutes')::interval, now() - (g || ' minutes')::interval + interval '1 minute', 'answered', false
       FROM generate_series(1, ${STORED}) g`,
  );

  const batch = (number: string, linkedid: string) => callerCalls(`'${JSON.stringify([{ i: 0, number, linkedid }])}'`);
  const firstTime = await pagesRead(db, batch('+79995550000', 'now-1'));
  t.ok(firstTime < 100, `a first-time caller's history in the write batch read ${firstTime} pages of ${STORED} calls`);
  const single = await pagesRead(db, callsOfNumberSql('$1', '$2::text'), ['+79995550000', 'now-1']);
  t.ok(single < 100, `the same for the single lookup: ${single} pages`);
  const returning = await pagesRead(db, batch('+79110000000', 'back-1'));
  t.ok(returning < 100, `a returning caller's: ${returning} pages`);

  // And what it shows: the ten latest other calls, both ways, newest first, the current one left out.
  const info = await new CallerLookup(db).lookup('+79110000000', 'back-1');
  const rows: { linkedid: string }[] = await db.query(
    `SELECT linkedid FROM call WHERE id = ANY($1::uuid[]) ORDER BY started_at DESC`,
    [info.calls.map((c) => c.id)],
  );
  t.same(rows.map((r) => r.linkedid), [2, 3, 4, 5, 6, 7, 8, 9, 10, 11].map((g) => `back-${g}`));
  t.ok(info.calls.some((c) => c.direction === 'outbound'), 'calls out to the number count too');
  const times = info.calls.map((c) => c.startedAt);
  t.same(times, [...times].sort().reverse(), 'newest first');
});
