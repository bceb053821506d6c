// A surge of calls about one outage, end to end: five customers call within minutes (recorded
// calls replayed from five numbers by a real AMI peer), the board and the review queue raise a
// surge, a supervisor makes an incident of it, and completing the incident completes the
// customers' registered requests with its solution.
import t from 'tap';
import { serviceWithPbx } from '../../helpers/app';
import { synthesizeCalls } from '../../helpers/scenarios';
import { waitFor } from '../../helpers/wait';

/** `count` recorded support-line calls (the S10 burst's), each from a fresh number, as the PBX sends them. */
const calls = (count: number, first: number) =>
  synthesizeCalls({ count, intervalMs: 50, seed: first, startEpochSec: Math.floor(Date.now() / 1000), uniqueidCounterStart: 1_000_000 + first * 1000, channelCounterStart: 0x100000 + first * 1000 });

t.test('five customers calling within minutes raise a surge; an incident takes in their requests and completes them', async (t) => {
  const { peer, h } = await serviceWithPbx(t);
  const boss = await h.agent('boss', null, 'supervisor');
  const board = async () => (await h.request('GET', '/api/board', boss.token)).body;
  const callOf = async (n: number) => waitFor(`calls stored: ${n}`, async () => {
    const r = await h.request('GET', '/api/calls?live=false&supportLine=true', boss.token);
    return r.body.items.length >= n && r.body.items;
  });

  await peer.replay(calls(4, 1), { speed: 'max' });
  await callOf(4);
  await h.app.pipeline.drain();
  t.equal((await board()).surge, null, 'four callers are no surge');

  await peer.replay(calls(1, 2), { speed: 'max' });
  await callOf(5);
  await h.app.pipeline.drain();
  const surge = await waitFor('the surge on the board', async () => (await board()).surge);
  t.match(surge, { calls: 5, numbers: 5 }, 'five calls from five numbers within ten minutes, with no usual traffic at this hour');
  t.equal(surge.callIds.length, 5);
  const item = (await h.request('GET', '/api/review', boss.token)).body.items.find((i: any) => i.kind === 'surge');
  t.match(item, { detail: { calls: 5, numbers: 5 } }, 'and in the review queue');

  const agent = await h.login('agent101', 'agent101-password');
  const body = { subject: 'Не работает вход в личный кабинет', description: 'Массовые обращения', callIds: surge.callIds };
  t.equal((await h.request('POST', '/api/incidents', agent, body)).status, 403, 'agents may not');
  const unknown = await h.request('POST', '/api/incidents', boss.token, { ...body, callIds: ['6f1c7a52-8f0e-4b43-9d0e-2b8f8c1d2e3f'] });
  t.equal(unknown.status, 400);
  t.match(unknown.body.message, /callIds/);
  const made = await h.request('POST', '/api/incidents', boss.token, body);
  t.equal(made.status, 201);
  const incident = made.body.incident;
  t.match(incident, { status: 'registered', priority: 'critical' });
  t.equal(made.body.linked.length, 5, 'every caller’s draft is the incident’s child');
  const children = (await h.request('GET', `/api/tickets?parentId=${incident.id}`, boss.token)).body.items;
  t.equal(children.length, 5);
  t.ok(children.every((c: any) => c.status === 'draft' && c.parentId === incident.id), 'each customer keeps their own request');
  const childJournal = (await h.request('GET', `/api/tickets/${children[0].id}`, boss.token)).body.journal;
  t.ok(childJournal.some((e: any) => e.kind === 'linked_request' && e.data.relation === 'parent' && e.data.number === incident.number), 'journaled on the child');

  // Two of the customers' requests are registered (here by the supervisor); three stay drafts.
  for (const c of children.slice(0, 2)) {
    const fresh = (await h.request('GET', `/api/tickets/${c.id}`, boss.token)).body;
    t.equal((await h.request('PATCH', `/api/tickets/${c.id}`, boss.token, { version: fresh.version, description: 'Не входит в личный кабинет с утра' })).status, 200);
    const r = await h.request('POST', `/api/tickets/${c.id}/transitions`, boss.token, { to: 'registered' });
    t.equal(r.status, 200, JSON.stringify(r.body).slice(0, 200));
  }
  t.equal((await h.request('POST', `/api/tickets/${incident.id}/complete-children`, boss.token)).status, 409, 'not before the incident itself is completed');
  for (const to of [{ to: 'in_progress' }, { to: 'completed', solution: 'Исправлено на сервере авторизации' }]) {
    t.equal((await h.request('POST', `/api/tickets/${incident.id}/transitions`, boss.token, to)).status, 200);
  }
  const done = await h.request('POST', `/api/tickets/${incident.id}/complete-children`, boss.token);
  t.equal(done.status, 200, JSON.stringify(done.body).slice(0, 300));
  t.same(done.body.completed.sort(), children.slice(0, 2).map((c: any) => c.id).sort(), 'the registered ones completed');
  t.equal(done.body.left.length, 3, 'the drafts left for their agents');
  const completed = (await h.request('GET', `/api/tickets/${children[0].id}`, boss.token)).body;
  t.match(completed, { status: 'completed', solution: 'Исправлено на сервере авторизации' }, 'with the incident’s solution, as a person completing it would');
});

t.test('five callers at an hour that usually has as many is no surge', async (t) => {
  const { peer, h } = await serviceWithPbx(t);
  const boss = await h.agent('boss', null, 'supervisor');
  await peer.replay(calls(5, 3), { speed: 'max' });
  await waitFor('five calls stored', async () => (await h.request('GET', '/api/calls?live=false', boss.token)).body.items.length === 5);
  await h.app.pipeline.drain();
  // The same hour of the past four weeks had as many calls (history older than a replay can make).
  await h.app.ds.query(
    `INSERT INTO call (id, pbx, linkedid, direction, support_line, caller_number, started_at, ended_at, outcome, after_hours, legs, agent_ids)
     SELECT gen_random_uuid(), c.pbx, c.linkedid || '-w' || w, c.direction, c.support_line, c.caller_number,
            c.started_at - make_interval(days => 7 * w), c.ended_at - make_interval(days => 7 * w), c.outcome, c.after_hours, c.legs, c.agent_ids
       FROM call c CROSS JOIN generate_series(1, 4) w`,
  );
  t.equal((await h.request('GET', '/api/board', boss.token)).body.surge, null, 'as usual for this weekday and hour, not an outage');
  t.notOk((await h.request('GET', '/api/review', boss.token)).body.items.some((i: any) => i.kind === 'surge'));
});
