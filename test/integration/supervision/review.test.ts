// The review queue over the real service: recorded calls replayed by a real AMI peer, requests
// made through the API, and the request rules' clock walked through business time.
import t from 'tap';
import { buildTestApp, serviceWithPbx } from '../../helpers/app';
import { loadScenario } from '../../helpers/scenarios';
import { waitFor } from '../../helpers/wait';

// Monday 7 December 2026, Moscow (UTC+3): a working day.
const monday = (hhmm: string) => new Date(`2026-12-07T${hhmm}:00+03:00`);

t.test('the review queue finds each rule’s items when their time is up, says why, and lets a supervisor resolve them', async (t) => {
  const { peer, h } = await serviceWithPbx(t);
  const boss = await h.agent('boss', null, 'supervisor');
  const review = async () => {
    const r = await h.request('GET', '/api/review', boss.token);
    t.equal(r.status, 200);
    return r.body.items as any[];
  };
  const ofKind = async (kind: string) => (await review()).filter((i) => i.kind === kind);

  // An answered support call whose draft nobody registered, and a missed one.
  await peer.replay(loadScenario('S1-answered'));
  await peer.replay(loadScenario('S3-missed'));
  await waitFor('both calls ended', async () => (await h.request('GET', '/api/calls?live=false', boss.token)).body.items.length === 2);
  await h.app.pipeline.drain();
  t.same(await ofKind('answered_without_request'), [], 'not before 15 minutes after the hang-up');

  h.app.tickets.clock = () => monday('10:00');
  const created = await h.request('POST', '/api/tickets', h.adminToken, { subject: 'Не печатает', description: 'не работает', priority: 'critical', register: true });
  t.equal(created.status, 201);
  const ticket = created.body;
  // Registered without an assignee, as a request that comes by e-mail will be (through the API,
  // whoever registers takes it).
  await h.app.ds.query(`UPDATE ticket SET assignees = '{}' WHERE id = $1`, [ticket.id]);

  const [answered] = await ofKind('answered_without_request');
  t.ok(answered?.callId && answered?.ticketId, 'the answered call without a request, with its call and draft');
  const [thin] = await ofKind('thin_description');
  t.match(thin, { ticketId: ticket.id, detail: { ticketNumber: ticket.number, descriptionLength: 11 } }, 'a description under 20 characters, at once');
  t.same(await ofKind('critical_not_started'), [], 'a critical request has 30 business minutes to be started');

  h.app.tickets.clock = () => monday('10:31');
  t.equal((await ofKind('critical_not_started'))[0]?.ticketId, ticket.id, 'critical and not started after 30 business minutes');
  t.equal((await ofKind('callback_overdue')).length, 1, 'the missed caller was due a call back by 10:00 (two support hours from the 08:00 opening)');
  t.same(await ofKind('unassigned'), [], 'unassigned for under a business hour');
  h.app.tickets.clock = () => monday('11:01');
  t.equal((await ofKind('unassigned'))[0]?.ticketId, ticket.id, 'no assignee for a business hour');

  // Resolving: with a note, journaled on the request; then it is gone and cannot be resolved twice.
  const empty = await h.request('POST', `/api/review/${encodeURIComponent(thin.id)}/resolve`, boss.token, { note: '  ' });
  t.equal(empty.status, 400);
  t.match(empty.body.message, /note/, 'the field is named');
  const agent = await h.login('agent101', 'agent101-password');
  t.equal((await h.request('POST', `/api/review/${encodeURIComponent(thin.id)}/resolve`, agent, { note: 'ok' })).status, 403, 'agents may not');
  t.equal((await h.request('GET', '/api/review', agent)).status, 403);
  const ok = await h.request('POST', `/api/review/${encodeURIComponent(thin.id)}/resolve`, boss.token, { note: 'Клиент описал подробно в письме' });
  t.equal(ok.status, 204);
  t.same(await ofKind('thin_description'), [], 'resolved: it left the queue');
  const again = await h.request('POST', `/api/review/${encodeURIComponent(thin.id)}/resolve`, boss.token, { note: 'ещё раз' });
  t.equal(again.status, 409, 'a second resolution is refused');
  t.equal((await h.request('POST', '/api/review/thin_description:00000000-0000-0000-0000-000000000000/resolve', boss.token, { note: 'x' })).status, 404);
  const entries = (await h.request('GET', `/api/tickets/${ticket.id}`, boss.token)).body.journal;
  t.ok(entries.some((e: any) => e.kind === 'comment' && /Разбор руководителя.*Клиент описал подробно/.test(e.data.text)), 'the resolution is in the request’s journal');

  // Fixing the cause also takes an item off: starting the critical request.
  t.equal((await h.request('POST', `/api/tickets/${ticket.id}/transitions`, h.adminToken, { to: 'in_progress' })).status, 200);
  t.same(await ofKind('critical_not_started'), [], 'started: no longer an item');
  t.same(await ofKind('unassigned'), [], 'in progress: not waiting for an assignee either');
});

t.test('the review thresholds come from the configuration: a shorter minimum description', async (t) => {
  const h = await buildTestApp(t, { connectPbx: false, config: { supervision: { review: { thinDescriptionChars: 5 } } } });
  const mk = (description: string) => h.request('POST', '/api/tickets', h.adminToken, { description, register: true });
  const ok = await mk('коротко');
  const thin = await mk('абв');
  const items = (await h.request('GET', '/api/review', h.adminToken)).body.items.filter((i: any) => i.kind === 'thin_description');
  t.same(items.map((i: any) => i.ticketId), [thin.body.id], `under 5 characters only (not ${ok.body.number})`);
});

t.test('a customer left without an answer for two support hours is an item; answering takes it off; writing again is news again', async (t) => {
  const h = await buildTestApp(t, { connectPbx: false });
  const boss = await h.agent('boss', null, 'supervisor');
  const ofKind = async () => ((await h.request('GET', '/api/review', boss.token)).body.items as any[]).filter((i) => i.kind === 'customer_unanswered');
  h.app.tickets.clock = () => monday('09:00');
  const req = (await h.request('POST', '/api/tickets', h.adminToken, { subject: 'Не печатает', description: 'Касса не печатает чеки после обновления', register: true })).body;
  // The customer writes at 10:00 (as their mail on the thread would).
  const wrote = async (at: Date) => h.app.ds.query(`UPDATE ticket SET customer_wrote_at = $2 WHERE id = $1`, [req.id, at]);
  await wrote(monday('10:00'));

  h.app.tickets.clock = () => monday('11:59');
  t.same(await ofKind(), [], 'under two support hours: not yet');
  h.app.tickets.clock = () => monday('12:01');
  const [item] = await ofKind();
  t.match(item, { ticketId: req.id, since: monday('12:00').toISOString(), detail: { ticketNumber: req.number, customerWroteAt: monday('10:00').toISOString() } }, 'waiting two support hours');

  // An agent answers: the request no longer waits, the item goes.
  t.equal((await h.request('POST', `/api/tickets/${req.id}/comments`, h.adminToken, { text: 'Проверяем драйвер принтера' })).status, 200);
  t.same(await ofKind(), [], 'answered: off the queue');

  // The customer writes again at 19:00: two support hours end at 09:00 the next day (20:00 closes).
  await wrote(monday('19:00'));
  h.app.tickets.clock = () => new Date('2026-12-08T08:59:00+03:00');
  t.same(await ofKind(), [], 'the night does not count');
  h.app.tickets.clock = () => new Date('2026-12-08T09:01:00+03:00');
  const [again] = await ofKind();
  t.ok(again && again.id !== item.id, 'a new item for the new wait');
  t.equal((await h.request('POST', `/api/review/${encodeURIComponent(again.id)}/resolve`, boss.token, { note: 'Позвонил клиенту сам' })).status, 204);
  t.same(await ofKind(), [], 'resolved: gone while this wait lasts');
});
