// An agent's request counts come from `ticket_assignee`, kept by triggers per statement: whatever a
// statement does to many requests at once (a call batch registers owners and closes drafts of
// hundreds), the rows must say exactly who has which request in which status.
import t from 'tap';
import { migratedDatabase } from '../../helpers/db';

const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';
const C = '00000000-0000-4000-8000-00000000000c';

t.test("the assignee rows match every request's assignees and status after batch inserts and updates", async (t) => {
  const { ds } = await migratedDatabase(t);

  const truth = `SELECT DISTINCT t.id::text AS ticket, a::text AS agent, t.status FROM ticket t CROSS JOIN LATERAL unnest(t.assignees) a WHERE a IS NOT NULL`;
  const rows = `SELECT ticket_id::text AS ticket, agent_id::text AS agent, status FROM ticket_assignee`;
  const same = async (what: string) => {
    const order = (r: { ticket: string; agent: string }[]) => r.map((x) => JSON.stringify(x)).sort();
    t.same(order(await ds.query(rows)), order(await ds.query(truth)), what);
  };

  // 300 requests in one statement: none, one, two (one twice) agents.
  await ds.query(`
    INSERT INTO ticket (id, status, channel, assignees, created_at, updated_at)
    SELECT gen_random_uuid(), 'draft', 'phone',
           CASE g % 3 WHEN 0 THEN '{}'::uuid[] WHEN 1 THEN ARRAY['${A}']::uuid[] ELSE ARRAY['${A}', '${B}', '${A}']::uuid[] END,
           now(), now()
      FROM generate_series(1, 300) g`);
  await same('after one statement inserted 300 requests');
  t.equal(Number((await ds.query(`SELECT count(*) AS n FROM ticket_assignee WHERE agent_id = '${A}'`))[0].n), 200, 'A has the 200 requests naming A (once each)');

  // One statement: a third change owner, a third change status only, a third change nothing seen by a count.
  await ds.query(`
    UPDATE ticket SET
      assignees = CASE WHEN n % 3 = 0 THEN ARRAY['${C}']::uuid[] ELSE assignees END,
      status = CASE WHEN n % 3 = 1 THEN 'registered' ELSE status END,
      subject = 'touched'
      FROM (SELECT id AS tid, row_number() OVER (ORDER BY id) AS n FROM ticket) x WHERE ticket.id = x.tid`);
  await same('after one statement reassigned some, changed the status of others, and left the rest');

  await ds.query(`UPDATE ticket SET assignees = '{}' WHERE status = 'registered'`);
  await same('after one statement took every agent off the registered requests');
  await ds.query(`DELETE FROM ticket WHERE assignees @> ARRAY['${C}']::uuid[]`);
  await same('after deleting requests');
});
