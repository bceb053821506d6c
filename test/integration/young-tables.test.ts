// A new database's tables grow from nothing while the service runs: the foreign-key checks each
// session planned while they were tiny must not go on reading a whole table per row once it is
// large. The ingest has the growing tables analysed as they double, and every session plans again.
import t from 'tap';
import pg from 'pg';
import pino from 'pino';
import { YoungTables } from '../../src/db/young-tables';
import { migratedDatabase } from '../helpers/db';

t.test("once a new database's tables have grown, a long-lived session's foreign-key checks use the index, not a scan per row", async (t) => {
  const { url, ds } = await migratedDatabase(t);
  const young = new YoungTables({ ds, logger: pino({ level: 'silent' }), first: 1000 });
  await young.start();

  // A session of the pool: it links requests to calls while the tables are nearly empty, and keeps its plans.
  const session = new pg.Client({ connectionString: url });
  await session.connect();
  t.teardown(() => session.end());
  await session.query(`INSERT INTO call (id, pbx, linkedid, direction, support_line, started_at, legs, updated_at, after_hours)
    SELECT gen_random_uuid(), 'p', 'c' || g, 'inbound', true, now(), '[]', now(), false FROM generate_series(1, 3000) g`);
  for (let i = 1; i <= 10; i++) {
    await session.query(`WITH r AS (INSERT INTO ticket (id, status, channel, created_at, updated_at) VALUES (gen_random_uuid(), 'draft', 'phone', now(), now()) RETURNING id)
      INSERT INTO ticket_call (ticket_id, call_id, linked_at) SELECT r.id, c.id, now() FROM r, call c WHERE c.linkedid = 'c${i}'`);
  }
  // The tables grow: 3,000 calls, each with its draft, as the ingest stores them.
  await ds.query(`INSERT INTO ticket (id, status, channel, origin_call_id, created_at, updated_at)
    SELECT gen_random_uuid(), 'draft', 'phone', c.id, now(), now() FROM call c`);
  young.written(3000);
  await young.idle();

  const scansOfTicket = async () => {
    // This session's own counts of reads of ticket not yet reported, before and after.
    const counts = async () => (await session.query(`SELECT seq_scan::int AS seq, idx_scan::int AS idx FROM pg_stat_xact_user_tables WHERE relname = 'ticket'`)).rows[0];
    await session.query('BEGIN');
    const before = await counts();
    await session.query(`INSERT INTO ticket_call (ticket_id, call_id, linked_at) SELECT t.id, t.origin_call_id, now() FROM ticket t WHERE t.origin_call_id IS NOT NULL LIMIT 500`);
    const after = await counts();
    await session.query('ROLLBACK');
    return { seq: after.seq - before.seq, idx: after.idx - before.idx };
  };
  const { seq, idx } = await scansOfTicket();
  t.ok(seq <= 1, `the 500 checks read ticket through its index (${seq} scans of the table, the one reading the requests to link; ${idx} index scans)`);
  t.ok(idx >= 500, 'one index lookup per linked request');
});

t.test('a database that already holds many calls is left to autovacuum', async (t) => {
  const { ds } = await migratedDatabase(t);
  await ds.query(`INSERT INTO call (id, pbx, linkedid, direction, support_line, started_at, legs, updated_at, after_hours)
    SELECT gen_random_uuid(), 'p', 'c' || g, 'inbound', true, now(), '[]', now(), false FROM generate_series(1, 2000) g`);
  const young = new YoungTables({ ds, logger: pino({ level: 'silent' }), until: 1000 });
  await young.start();
  const before = (await ds.query(`SELECT pg_stat_get_analyze_count('call'::regclass)::int AS n`))[0].n;
  young.written(100_000);
  await young.idle();
  const after = (await ds.query(`SELECT pg_stat_get_analyze_count('call'::regclass)::int AS n`))[0].n;
  t.equal(after, before, 'no ANALYZE asked');
});
