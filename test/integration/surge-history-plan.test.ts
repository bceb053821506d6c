// «More calls than usual» compares the last ten minutes with the same minutes of past weeks. Each
// past week is a range of the start-time index: the comparison reads a few pages however many calls
// are stored (written as a join, the planner read every call instead — about a second at a million
// calls of the bench's seed, on every read of the review queue). Buffer counts, not times: here 30
// pages. The join's bad plan depends on the table's statistics and did not appear at this size, so
// this holds the result and the bound; the seed's EXPLAIN went from 1,339 ms to 3 ms.
import t from 'tap';
import { SURGE_HISTORY_SQL } from '../../src/db/board-queries';
import { migratedDatabase, pagesRead } from '../helpers/db';

t.test('the usual count of past weeks is read from their windows alone, not from every call', async (t) => {
  const { ds } = await migratedDatabase(t);
  // Ten weeks of support-line calls, one a minute; three extra calls in each past week’s window.
  const now = new Date('2026-03-11T12:00:00Z');
  await ds.query(
    `INSERT INTO call (id, pbx, linkedid, direction, support_line, caller_number, did, started_at, ended_at, outcome, after_hours)
     SELECT gen_random_uuid(), 'main', 'c-' || g, 'inbound', true, '+7900' || lpad(g::text, 7, '0'), '+79219416004',
            $1::timestamptz - g * interval '1 minute', $1::timestamptz - g * interval '1 minute' + interval '30 seconds', 'answered', false
       FROM generate_series(1, 70 * 24 * 60) g`,
    [now],
  );
  await ds.query(
    `INSERT INTO call (id, pbx, linkedid, direction, support_line, caller_number, did, started_at, ended_at, outcome, after_hours)
     SELECT gen_random_uuid(), 'main', 'extra-' || w || '-' || i, 'inbound', true, '+7911000000' || i, '+79219416004',
            $1::timestamptz - make_interval(days => 7 * w) - interval '90 seconds' - i * interval '1 second',
            $1::timestamptz - make_interval(days => 7 * w), 'answered', false
       FROM generate_series(1, 4) w, generate_series(1, 3) i`,
    [now],
  );
  await ds.query('VACUUM ANALYZE call');

  const args = [now, 10, 4];
  const [{ n }] = await ds.query(SURGE_HISTORY_SQL, args);
  t.equal(n, 4 * (10 + 3), 'ten calls of the minute-by-minute flow and three extra, in each of four weeks');
  const pages = await pagesRead(ds, SURGE_HISTORY_SQL, args);
  t.ok(pages < 100, `the count read ${pages} pages of ${70 * 24 * 60} calls`);
});
