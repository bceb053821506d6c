// R4: one request, one problem. A second problem in the same call, or one found while working a
// request, becomes a new request linked to the first (and to the call); a call about an existing
// request is linked to it and its own draft is discarded as `linked`.
import t from 'tap';
import { desk, entries, getTicket, insertCall, journalOf, move, registered } from './fixture';

t.test('R4: a second problem in the same call becomes a new request linked to the call and the first', async (t) => {
  const h = await desk(t);
  const { callId, draftId } = await insertCall(h, { answeredBy: h.ivanov });
  await h.request('PATCH', `/api/tickets/${draftId}`, h.ivanov.token, { version: 1, description: 'Не печатает принтер' });
  const first = await move(h, h.ivanov, draftId!, { to: 'registered', callId });
  t.equal(first.status, 200);

  const second = await h.request('POST', '/api/tickets', h.ivanov.token, {
    callIds: [callId],
    parentId: draftId,
    description: 'И ещё не открывается отчёт',
    register: true,
  });
  t.equal(second.status, 201);
  t.equal(second.body.parentId, draftId, 'linked to the first request');
  t.same(second.body.callIds, [callId], 'and to the same call');
  t.same(second.body.assignees, [h.ivanov.id]);
  t.equal(second.body.callerNumber, '+79111234567');
  t.not(second.body.number, first.body.number, 'its own number');

  const call = await h.request('GET', `/api/calls/${callId}`, h.boss.token);
  t.same([...call.body.ticketIds].sort(), [draftId, second.body.id].sort(), 'the call lists both requests');
  const detail = await getTicket(h, second.body.id);
  t.same(detail.calls.map((c: any) => c.id), [callId], 'the request shows its call');
  t.match(detail.journal[0], { kind: 'registered', data: { parentId: draftId, callIds: [callId] } });
  t.match(await entries(h, draftId!, 'linked_request'), [
    { actor: { id: h.ivanov.id }, data: { ticketId: second.body.id, number: second.body.number, relation: 'child' } },
  ], "the first request's journal names the new one");
});

t.test('R4: a problem found while working a request becomes a new request linked to it', async (t) => {
  const h = await desk(t);
  const parent = await registered(h, h.ivanov, { callerNumber: '+79213334455' });
  await move(h, h.ivanov, parent.id, { to: 'in_progress' });
  const draft = await h.request('POST', '/api/tickets', h.ivanov.token, { parentId: parent.id, description: 'Отдельно: медленно работает поиск' });
  t.equal(draft.status, 201);
  t.equal(draft.body.parentId, parent.id);
  t.equal(draft.body.callerNumber, '+79213334455', 'the same customer');
  t.same(await entries(h, parent.id, 'linked_request'), [], 'a draft is working notes');
  const reg = await move(h, h.ivanov, draft.body.id, { to: 'registered' });
  t.equal(reg.status, 200);
  t.match(await entries(h, parent.id, 'linked_request'), [{ data: { ticketId: draft.body.id, number: reg.body.number } }]);
  t.equal((await getTicket(h, parent.id)).version, 3, 'the first request itself is unchanged (no version bump)');
});

t.test('R4: a call about an existing request is linked to it and its draft discarded as linked', async (t) => {
  const h = await desk(t);
  const existing = await registered(h, h.ivanov);
  // The customer rings back; Petrov answers and hears "about request N".
  const { callId, draftId } = await insertCall(h, { answeredBy: h.petrov });
  const linked = await h.request('POST', `/api/tickets/${existing.id}/calls`, h.petrov.token, { callId });
  t.equal(linked.status, 200);
  t.same(linked.body.callIds, [callId]);

  t.match((await journalOf(h, existing.id)).at(-1), { kind: 'call_linked', actor: { id: h.petrov.id }, callId, data: { callId } });
  const draft = await getTicket(h, draftId!);
  t.equal(draft.status, 'discarded');
  t.equal(draft.discardReason, 'linked');
  t.equal(draft.number, null);
  t.match(draft.journal, [
    { kind: 'status_changed', actor: { id: h.petrov.id }, callId, data: { from: 'draft', to: 'discarded', discardReason: 'linked', relatedTicketId: existing.id } },
  ]);
  const call = await h.request('GET', `/api/calls/${callId}`, h.boss.token);
  t.ok(call.body.ticketIds.includes(existing.id), 'the call shows the request it was about');

  const again = await h.request('POST', `/api/tickets/${existing.id}/calls`, h.petrov.token, { callId });
  t.equal(again.status, 200);
  t.equal((await entries(h, existing.id, 'call_linked')).length, 1, 'linking twice is one entry');

  // Someone else's call: an agent cannot discard a draft they do not own.
  const other = await insertCall(h, { answeredBy: h.ivanov });
  const denied = await h.request('POST', `/api/tickets/${existing.id}/calls`, h.petrov.token, { callId: other.callId });
  t.equal(denied.status, 403);
  t.equal((await getTicket(h, other.draftId!)).status, 'draft', 'nothing half-done');
  t.equal((await entries(h, existing.id, 'call_linked')).length, 1);
  const bySupervisor = await h.request('POST', `/api/tickets/${existing.id}/calls`, h.boss.token, { callId: other.callId });
  t.equal(bySupervisor.status, 200);
});

t.test('a call the request is journaled on must exist', async (t) => {
  const h = await desk(t);
  const r = await registered(h, h.ivanov);
  const ghost = '6f1c7a52-8f0e-4b43-9d0e-2b8f8c1d2e3f';
  const cases: [string, unknown][] = [
    ['transitions', { to: 'in_progress', callId: ghost }],
    ['comments', { text: 'звонок', callId: ghost }],
    ['number-told', { callId: ghost }],
  ];
  for (const [sub, body] of cases) {
    const res = await h.request('POST', `/api/tickets/${r.id}/${sub}`, h.ivanov.token, body);
    t.equal(res.status, 400, sub);
    t.equal(res.body.field, 'callId');
  }
  t.equal((await getTicket(h, r.id)).version, r.version);
});
