// A supervisor's «this agent's missed calls this month» is a page of the call log read from the
// missed calls' own index: a few pages per page shown, not the month's every call (it was: the
// agents' index and the month's part of the order index combined, 22–35 ms at a million calls).
// Buffer counts, not times, so the check is exact: here 155 pages with the index, 353 without.
import t from 'tap';
import { callListSql } from '../../src/db/call-queries';
import { migratedDatabase, pagesRead } from '../helpers/db';

const DAYS = 60;
const PER_DAY = 1_350;
const AGENTS = 240;

t.test('an agent’s missed calls of a month are read from the missed calls, not from every call of the month', async (t) => {
  const { ds } = await migratedDatabase(t);
  // Two months of calls, one in six missed, each call rung at one of 240 agents.
  const agents: { id: string }[] = await ds.query(`SELECT gen_random_uuid() AS id FROM generate_series(1, ${AGENTS})`);
  await ds.query(
    `INSERT INTO call (id, pbx, linkedid, direction, support_line, caller_number, did, started_at, ended_at, outcome, after_hours, agent_ids)
     SELECT gen_random_uuid(), 'main', 'c-' || g, 'inbound', true, '+7900' || lpad(g::text, 7, '0'), '+79219416004',
            timestamptz '2026-01-01' + g * interval '${86_400 / PER_DAY} seconds',
            timestamptz '2026-01-01' + g * interval '${86_400 / PER_DAY} seconds' + interval '1 minute',
            CASE WHEN g % 6 = 0 THEN 'missed' ELSE 'answered' END, false, ARRAY[($1::uuid[])[1 + abs(hashint4(g)) % ${AGENTS}]]
       FROM generate_series(1, ${DAYS * PER_DAY}) g`,
    [agents.map((a) => a.id)],
  );
  await ds.query('VACUUM ANALYZE call');

  const agentId = agents[7].id;
  const query = callListSql({ agentId, outcome: 'missed', since: '2026-01-20T00:00:00Z', until: '2026-02-19T00:00:00Z', limit: 50 });
  const expected: { n: number }[] = await ds.query(
    `SELECT count(*)::int AS n FROM call WHERE outcome = 'missed' AND $1::uuid = ANY (agent_ids) AND started_at >= $2 AND started_at < $3`,
    [agentId, '2026-01-20T00:00:00Z', '2026-02-19T00:00:00Z'],
  );
  const rows: { linkedid: string; outcome: string; agent_ids: string[]; started_at: Date }[] = await ds.query(query.sql, query.args);
  t.ok(expected[0].n > 10 && expected[0].n < 50, `the agent missed ${expected[0].n} calls that month`);
  t.equal(rows.length, expected[0].n, 'every one of them (one page holds them)');
  t.ok(rows.every((r) => r.outcome === 'missed' && r.agent_ids.includes(agentId)), 'only the agent’s missed calls');
  const times = rows.map((r) => +r.started_at);
  t.same(times, [...times].sort((a, b) => b - a), 'newest first');
  t.ok(times.every((at) => at >= Date.parse('2026-01-20T00:00:00Z') && at < Date.parse('2026-02-19T00:00:00Z')), 'within the month');

  const pages = await pagesRead(ds, query.sql, query.args);
  t.ok(pages < 220, `the page read ${pages} pages; the month holds ${30 * PER_DAY} calls`);
});
