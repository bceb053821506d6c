// The reports read whole hours older than two days from hourly sums: the same figures as counted
// from the calls and the journal, for every grouping and filter; a later change to an old call or
// request shows in the next report; other thresholds are never read from sums made with others.
import t from 'tap';
import { ReportAggregates } from '../../src/db/report-aggregates';
import { desk, insertCall, moveAll, registered, type Desk } from './tickets/fixture';
import { waitFor } from '../helpers/wait';

const DAY = 86_400_000;
const HOUR = 3_600_000;

/** Calls over four days a week ago: answered by either agent, missed after ringing, abandoned unrung, after hours. */
async function oldCalls(h: Desk, from: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < 36; i++) {
    const who = i % 3 === 0 ? null : i % 3 === 1 ? h.ivanov : h.petrov;
    const { callId } = await insertCall(h, { answeredBy: who, startedAt: new Date(from + i * 2.7 * HOUR + i * 61_000), afterHours: i % 4 === 0 });
    ids.push(callId);
  }
  // Every sixth call rang both agents and rang out; the other missed ones are callers gone unrung.
  await h.app.ds.query(
    `UPDATE call SET legs = jsonb_build_array(
       jsonb_build_object('agentId', $2::text, 'answeredAt', NULL, 'endReason', 'rang_out'),
       jsonb_build_object('agentId', $3::text, 'answeredAt', NULL, 'endReason', 'rang_out')),
       agent_ids = ARRAY[$2::uuid, $3::uuid]
     WHERE id = ANY($1::uuid[]) AND answered_by IS NULL AND extract(epoch FROM started_at)::bigint % 2 = 0`,
    [ids, h.ivanov.id, h.petrov.id],
  );
  await h.app.ds.query(
    `UPDATE call SET legs = jsonb_build_array(jsonb_build_object('agentId', answered_by::text, 'answeredAt', answered_at, 'endReason', 'answered'))
      WHERE id = ANY($1::uuid[]) AND answered_by IS NOT NULL`,
    [ids],
  );
  return ids;
}

/** Requests moved along through the API, then their times (creation, journal) moved a week back. */
async function oldRequests(h: Desk, back: number): Promise<string[]> {
  const a = await registered(h, h.ivanov);
  await moveAll(h, h.ivanov, a.id, [{ to: 'in_progress' }, { to: 'completed', solution: 'Обновлён драйвер' }, { to: 'closed', reason: 'confirmed' }]);
  const b = await registered(h, h.petrov, { priority: 'high', channel: 'email' });
  await moveAll(h, h.petrov, b.id, [{ to: 'closed', reason: 'duplicate' }]);
  const c = await registered(h, h.ivanov, { priority: 'low' });
  await moveAll(h, h.ivanov, c.id, [{ to: 'in_progress' }, { to: 'completed', solution: 'Настроен обмен' }, { to: 'in_progress', comment: 'Не помогло' }]);
  const d = await registered(h, h.petrov);
  const ids = [a.id, b.id, c.id, d.id];
  await h.app.ds.query(
    `UPDATE ticket SET created_at = created_at - $2 * interval '1 millisecond', registered_at = registered_at - $2 * interval '1 millisecond',
            completed_at = completed_at - $2 * interval '1 millisecond', closed_at = closed_at - $2 * interval '1 millisecond'
      WHERE id = ANY($1::uuid[])`,
    [ids, back],
  );
  // The journal is append-only (a trigger refuses updates): history is rewritten past it, as an import would.
  await h.app.ds.transaction(async (em) => {
    await em.query(`SET LOCAL session_replication_role = replica`);
    await em.query(`UPDATE ticket_events SET at = at - $2 * interval '1 millisecond' WHERE ticket_id = ANY($1::uuid[])`, [ids, back]);
  });
  return ids;
}

const iso = (ms: number) => new Date(ms).toISOString();

t.test('reports over summed hours give the figures counted from the calls and the journal, and follow later changes', { timeout: 120_000 }, async (t) => {
  const h = await desk(t);
  const weekAgo = Math.floor((Date.now() - 8 * DAY) / HOUR) * HOUR;
  const calls = await oldCalls(h, weekAgo);
  const tickets = await oldRequests(h, 6 * DAY);
  const get = async (path: string) => {
    const res = await h.request('GET', path, h.boss.token);
    t.equal(res.status, 200, path);
    return res.body;
  };
  // Odd edges on purpose: half-hours are read from the rows around the summed whole hours.
  const periods = [
    `/api/reports/calls?since=${iso(weekAgo - 30 * 60_000)}&until=${iso(weekAgo + 5 * DAY + 30 * 60_000)}&groupBy=day`,
    `/api/reports/calls?since=${iso(weekAgo)}&until=${iso(weekAgo + 2 * DAY)}&groupBy=hour`,
    `/api/reports/calls?since=${iso(weekAgo)}&until=${iso(Date.now())}&afterHours=true`,
    `/api/reports/calls?since=${iso(weekAgo)}&until=${iso(Date.now())}&agentId=${h.petrov.id}`,
    `/api/reports/tickets?since=${iso(weekAgo)}&until=${iso(Date.now())}&groupBy=day`,
    `/api/reports/tickets?since=${iso(weekAgo)}&until=${iso(Date.now())}&priority=high`,
    `/api/reports/tickets?since=${iso(weekAgo)}&until=${iso(Date.now())}&channel=email&groupBy=week`,
    `/api/reports/tickets?since=${iso(weekAgo)}&until=${iso(Date.now())}&assignee=${h.ivanov.id}`,
    // Ends in the summed past, mid-day: the backlog then comes from summed days, hours and entries.
    `/api/reports/tickets?since=${iso(weekAgo)}&until=${iso(weekAgo + 3 * DAY + 7 * HOUR)}&groupBy=day`,
  ];
  const fromRows = [];
  for (const p of periods) fromRows.push(await get(p));
  t.ok(fromRows[0].total.calls > 30 && fromRows[4].total.registered === 4, 'the old calls and requests are in the period');

  const covered = await h.app.reportSums.extend();
  t.ok(covered && covered.getTime() > weekAgo + 5 * DAY, 'the hours older than two days are summed');
  const [{ n }] = await h.app.ds.query(`SELECT count(*)::int AS n FROM call_figures_hourly`);
  t.ok(n > 20, 'one row per hour with calls');
  for (const [i, p] of periods.entries()) t.same(await get(p), fromRows[i], `the same figures from the sums: ${p.split('?')[0]} ${p.split('&').slice(2).join('&')}`);

  // The figures above did come from the sums: a sum tampered with shows (and is put back).
  await h.app.ds.query(`UPDATE call_figures_hourly SET calls = calls + 1000`);
  t.ok((await get(periods[0])).total.calls >= 1000, 'the report reads the sums');
  await h.app.ds.query(`UPDATE call_figures_hourly SET calls = calls - 1000`);

  // Changes to summed hours: a caller blocked after the fact leaves the figures; a request re-prioritised moves.
  const before = fromRows[0].total.calls;
  await h.app.ds.query(`UPDATE call SET blocked = true WHERE id = $1`, [calls[1]]);
  t.equal((await get(periods[0])).total.calls, before - 1, 'an old call changed after summing counts as it is now');
  await h.app.ds.query(`UPDATE ticket SET priority = 'high' WHERE id = $1`, [tickets[0]]);
  const high = await get(periods[5]);
  t.match(high.total, { created: 2, registered: 2, closed: 2, closedBy: { confirmed: 1, duplicate: 1 } }, 'an old request made high counts as high, with its journal');

  // Other thresholds (another configuration) never read sums made with these.
  const strict = new ReportAggregates(h.app.ds, { shortAbandonSeconds: 5, serviceLevelSeconds: 1 });
  t.equal(await strict.refresh(), null, 'sums of other thresholds are dropped, not read');
  t.equal(await h.app.reportSums.refresh(), null, 'and these thresholds start over');
  t.ok(await h.app.reportSums.extend(), 'summed again');
  t.equal((await get(periods[0])).total.calls, before - 1);
});

t.test('a mass change of old calls leaves no dead markers for every later report to read', async (t) => {
  const h = await desk(t);
  const db = h.app.ds;
  // Autovacuum held off: PostgreSQL would clear them some time later, and each report read them meanwhile.
  await db.query('ALTER TABLE report_dirty_hour SET (autovacuum_enabled = false)');
  const imported = `INSERT INTO call (id, pbx, linkedid, direction, support_line, caller_number, did, started_at, ended_at, outcome, after_hours)
    SELECT gen_random_uuid(), 'main', $1 || g, 'inbound', true, '+7900' || lpad(g::text, 7, '0'), '+79219416004',
           now() - interval '30 days' + (g || ' seconds')::interval, now() - interval '30 days' + (g || ' seconds')::interval + interval '1 minute', 'answered', false
      FROM generate_series(1, 20000) g`;
  await db.query(imported, ['import-a-']);
  const markers = async () => (await db.query(`SELECT count(*)::int AS n, pg_relation_size('report_dirty_hour') AS bytes FROM report_dirty_hour`))[0];
  t.ok((await markers()).bytes > 0, 'the import marked its hours');
  await h.app.reportSums.extend();
  t.same(await markers(), { n: 0, bytes: '0' }, 'summing history took the markers and left no dead rows');

  // Old calls changed after the summing: the next report re-sums their hours and the same holds.
  await db.query(`UPDATE call SET outcome = 'missed' WHERE linkedid LIKE 'import-a-%'`);
  t.ok((await markers()).n >= 20000, 'the change marked its hours');
  const since = new Date(Date.now() - 40 * DAY).toISOString();
  const report = await h.request('GET', `/api/reports/calls?since=${since}&until=${new Date().toISOString()}&groupBy=day`, h.boss.token);
  t.equal(report.status, 200, 'a report');
  await waitFor('the markers taken by the report vacuumed', async () => (await markers()).bytes === '0');
  t.equal((await markers()).n, 0);
});
