// The reports for supervisors: the call figures of real recorded calls replayed by a real AMI peer
// (at their recorded pace, so the waits are the recording's) against the recordings' ground truth;
// the request figures after requests are moved along through the API; the backlog; bad periods.
import t from 'tap';
import { serviceWithPbx } from '../helpers/app';
import { loadScenario } from '../helpers/scenarios';
import { waitFor } from '../helpers/wait';
import { desk, moveAll, registered } from './tickets/fixture';

const seconds = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / 1000;
const sum = (xs: { calls: number }[]) => xs.reduce((n, x) => n + x.calls, 0);

t.test('calls report: S1 answered, S3 abandoned while ringing, S4 answered from the queue — counts, service level, ASA and AHT as the recordings say', { timeout: 120_000 }, async (t) => {
  const { peer, h } = await serviceWithPbx(t);
  const boss = await h.agent('boss', null, 'supervisor');
  const [s1, s3, s4] = ['S1-answered', 'S3-missed', 'S4-queue'].map((name) => loadScenario(name));
  // Real time: the service stamps events as they arrive, so the replay keeps the recording's pace.
  for (const s of [s1, s3, s4]) await peer.replay(s, { speed: 1 });
  await waitFor('three ended calls stored', async () => {
    const r = await h.request('GET', '/api/calls?live=false', h.adminToken);
    return r.body.items.length === 3;
  }, 30_000);
  await h.app.pipeline.drain();

  const res = await h.request('GET', '/api/reports/calls', boss.token);
  t.equal(res.status, 200);
  const r = res.body;
  t.equal(r.timezone, 'Europe/Moscow');
  t.equal(r.groupBy, 'day', 'by day unless asked');
  t.equal(r.buckets.length, 7, 'the last seven days, today included');
  const truths = [s1, s3, s4].map((s) => s.truth!.calls[0]);
  const answered = truths.filter((c) => c.answered_by !== null).length;
  t.same([answered, truths.length - answered], [2, 1], 'the recordings: two answered, one not');
  t.match(r.total, { calls: 3, answered, missed: 1, abandoned: 1, shortAbandoned: 0 }, 'S3’s caller gave up after 8 s of ringing: abandoned, not a short abandon');

  // Ground truth: S1's wait is the driver's answer time less its start; S4's is what app_queue
  // logged as the caller's hold time (the PBX itself answered at once, the agent 3 s later).
  const c1 = s1.truth!.calls[0] as unknown as { start_wall: string; answered_wall: string; end_wall: string };
  const queueLog = s4.truth!.queue_log as string[];
  const connect = queueLog.find((l) => l.includes('|CONNECT|'))!.split('|');
  const complete = queueLog.find((l) => l.includes('|COMPLETECALLER|'))!.split('|');
  const waits = [seconds(c1.start_wall, c1.answered_wall), Number(connect[5])];
  const talks = [seconds(c1.answered_wall, c1.end_wall), Number(complete[6])];
  const asa = (waits[0] + waits[1]) / 2;
  const aht = (talks[0] + talks[1]) / 2;
  t.ok(Math.abs(r.total.asaSeconds - asa) <= 1, `ASA ${r.total.asaSeconds} s, the recordings say ${asa} s`);
  t.ok(Math.abs(r.total.ahtSeconds - aht) <= 1, `AHT ${r.total.ahtSeconds} s, the recordings say ${aht} s`);
  t.equal(r.total.serviceLevel, 0.667, 'both answered within 20 s, of three calls with an outcome');

  const today = r.buckets[r.buckets.length - 1];
  t.match(today, { calls: 3, answered: 2, missed: 1, abandoned: 1 }, 'all in today’s bucket');
  t.equal(sum(r.buckets), 3, 'and none in the other days');
  t.equal(r.byHourOfDay.length, 24, 'every hour of the day listed');
  t.equal(sum(r.byHourOfDay), 3, 'the hours of the day add up to the calls');

  const agent = (ext: string) => r.byAgent.find((a: any) => a.login === `agent${ext}`);
  t.match(agent('101'), { answered: 1, rang: 3, unanswered: 2 }, '101 answered S1, let S3 and S4 ring');
  t.match(agent('102'), { answered: 1, rang: 2, unanswered: 1 }, '102 answered S4, let S3 ring');
  t.match(agent('103'), { answered: 0, rang: 1, unanswered: 1, asaSeconds: null }, '103 only heard S3');
  t.ok(Math.abs(agent('101').asaSeconds - waits[0]) <= 1, '101’s ASA is S1’s wait');
  t.ok(Math.abs(agent('102').ahtSeconds - talks[1]) <= 1, '102’s AHT is S4’s talk');

  const byHour = await h.request('GET', '/api/reports/calls?groupBy=hour', boss.token);
  t.equal(byHour.body.buckets.length, 7 * 24, 'by hour: the same seven days, hour by hour');
  t.equal(sum(byHour.body.buckets), 3);
  const only102 = await h.request('GET', `/api/reports/calls?agentId=${agent('102').agentId}`, boss.token);
  t.match(only102.body.total, { calls: 2, answered: 1, missed: 1 }, 'one agent’s calls: those that rang them');
});

t.test('requests report: created, registered, completed, closed by reason, reopened, backlog, by priority and channel', async (t) => {
  const h = await desk(t);
  const older = await registered(h, h.ivanov);
  // Just after the older one's registration (the journal's time), before anything else happened.
  const before = new Date(Date.parse(older.registeredAt) + 1).toISOString();
  const a = await registered(h, h.ivanov);
  await moveAll(h, h.ivanov, a.id, [{ to: 'in_progress' }, { to: 'completed', solution: 'Обновлён драйвер' }, { to: 'closed', reason: 'confirmed' }]);
  const b = await registered(h, h.ivanov);
  await moveAll(h, h.ivanov, b.id, [{ to: 'closed', reason: 'duplicate' }]);
  const c = await registered(h, h.ivanov);
  await moveAll(h, h.ivanov, c.id, [{ to: 'in_progress' }, { to: 'completed', solution: 'Настроен обмен' }, { to: 'in_progress', comment: 'Не помогло' }]);
  const d = await registered(h, h.ivanov);
  await moveAll(h, h.ivanov, d.id, [{ to: 'closed', reason: 'withdrawn' }]);
  await registered(h, h.petrov, { priority: 'high', channel: 'email' });
  const draft = await h.request('POST', '/api/tickets', h.ivanov.token, { description: 'черновик' });
  t.equal(draft.status, 201);

  const res = await h.request('GET', '/api/reports/tickets', h.boss.token);
  t.equal(res.status, 200);
  const r = res.body;
  t.match(r.total, {
    created: 7,
    registered: 6,
    completed: 2,
    closed: 3,
    closedBy: { confirmed: 1, no_reply: 0, withdrawn: 1, duplicate: 1, error: 0 },
    reopened: 1,
    backlogAtStart: 0,
    backlogAtEnd: 3,
  });
  t.equal(r.buckets.length, 7);
  t.same(r.buckets.map((x: any) => x.backlog), [0, 0, 0, 0, 0, 0, 3], 'open at each day’s end: the older one, the reopened one and the new high one');
  t.same(r.byPriority, [{ priority: 'critical', created: 0 }, { priority: 'high', created: 1 }, { priority: 'normal', created: 6 }, { priority: 'low', created: 0 }]);
  t.match(r.byChannel.find((x: any) => x.channel === 'email'), { created: 1 });

  const high = await h.request('GET', '/api/reports/tickets?priority=high', h.boss.token);
  t.match(high.body.total, { created: 1, registered: 1, closed: 0, backlogAtEnd: 1 }, 'filtered by priority');
  const petrov = await h.request('GET', `/api/reports/tickets?assignee=${h.petrov.id}`, h.boss.token);
  t.match(petrov.body.total, { created: 1, backlogAtEnd: 1 }, 'filtered by assignee');

  // A period that ended before the day's work: only the older request was open then.
  const past = await h.request('GET', `/api/reports/tickets?until=${encodeURIComponent(before)}&groupBy=hour`, h.boss.token);
  t.equal(past.status, 200);
  t.match(past.body.total, { registered: 1, created: 1, backlogAtEnd: 1, backlogAtStart: 0 }, 'the backlog of a period near the first registration, counted forward');
  t.equal(past.body.buckets.at(-1).backlog, 1);
  // A period that ended a moment ago: counted back from now, the same three open.
  const late = new Date(Date.now() - 1).toISOString();
  const recent = await h.request('GET', `/api/reports/tickets?until=${encodeURIComponent(late)}&groupBy=hour`, h.boss.token);
  t.match(recent.body.total, { backlogAtEnd: 3 }, 'the backlog of a recent period, counted back from now');
});

t.test('reports refuse agents and strangers, and name the field of a bad period', async (t) => {
  const h = await desk(t);
  for (const path of ['/api/reports/calls', '/api/reports/tickets']) {
    t.equal((await h.request('GET', path, h.ivanov.token)).status, 403, `${path}: agents get 403`);
    t.equal((await h.request('GET', path, null)).status, 401, `${path}: no session, 401`);
    const admin = await h.request('GET', path, h.adminToken);
    t.equal(admin.status, 200, `${path}: admins may`);
    const bad = async (query: string, field: string) => {
      const res = await h.request('GET', `${path}?${query}`, h.boss.token);
      t.equal(res.status, 400, `${query} → 400`);
      t.equal(res.body.field, field, `${query} names ${field}`);
    };
    await bad('groupBy=minute', 'groupBy');
    await bad('groupBy=hour&since=2025-01-01T00:00:00Z&until=2026-01-01T00:00:00Z', 'groupBy');
    await bad('since=2026-02-01T00:00:00Z&until=2026-01-01T00:00:00Z', 'until');
    await bad('since=yesterday', 'since');
  }
  const year = await h.request('GET', '/api/reports/calls?groupBy=month&since=2025-01-01T00:00:00%2B03:00&until=2026-01-01T00:00:00%2B03:00', h.boss.token);
  t.equal(year.body.buckets.length, 12, 'a year by month: twelve buckets');
  t.equal(year.body.buckets[0].start, '2025-01-01T00:00:00.000+03:00', 'buckets start at Moscow midnight');
});
