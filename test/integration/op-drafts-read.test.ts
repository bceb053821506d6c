// A batch whose calls change requests first reads, under lock, the drafts those changes may touch:
// each call's own draft and the drafts waiting for a call back from the numbers reached. With
// thousands of drafts in the table that read must still be a few index lookups, not a walk of
// every draft for each batch.
import t from 'tap';
import { opDraftsSelect } from '../../src/db/call-batch-sql';
import { jsonLiteral } from '../../src/db/call-store';
import { migratedDatabase } from '../helpers/db';

t.test("a batch's read of the drafts it may change fetches only those, however many drafts the table holds", async (t) => {
  const { ds } = await migratedDatabase(t);
  await ds.query(`INSERT INTO call (id, pbx, linkedid, direction, support_line, started_at, legs, updated_at, after_hours)
    SELECT gen_random_uuid(), 'p', 'c' || g, 'inbound', true, now(), '[]', now(), false FROM generate_series(1, 5000) g`);
  await ds.query(`INSERT INTO ticket (id, status, channel, origin_call_id, caller_number, callback_needed, created_at, updated_at)
    SELECT gen_random_uuid(), 'draft', 'phone', c.id, '+7900' || lpad(substr(c.linkedid, 2), 7, '0'), substr(c.linkedid, 2)::int % 10 = 0, now(), now() FROM call c`);
  await ds.query('ANALYZE call, ticket');

  const keys = jsonLiteral([{ pbx: 'p', linkedid: 'c7' }, { pbx: 'p', linkedid: 'c8' }]);
  const numbers = jsonLiteral(['+79000000020']);
  const runner = ds.createQueryRunner();
  await runner.connect();
  t.teardown(() => runner.release());
  const fetched = async () => (await runner.query(`SELECT coalesce(idx_tup_fetch, 0)::int + coalesce(seq_tup_read, 0)::int AS n FROM pg_stat_xact_user_tables WHERE relname = 'ticket'`))[0].n;
  await runner.startTransaction();
  const before = await fetched();
  const rows: { caller_number: string; callback_needed: boolean }[] = await runner.query(opDraftsSelect(keys, numbers));
  const read = (await fetched()) - before;
  await runner.rollbackTransaction();

  t.equal(rows.length, 3, "the two calls' drafts and the one waiting for a call back from the number");
  t.ok(read < 50, `${read} rows of ticket read for 3 drafts among 5,000`);
});
