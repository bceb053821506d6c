// The request lifecycle through the API (R1, R2, R7, R8, R9, R11): each step and the journal
// entries it leaves (who, when, on whose behalf, on which call).
import t from 'tap';
import { DateTime } from 'luxon';
import { ageMs, completed, desk, entries, insertCall, journalOf, move, moveAll, registered } from './fixture';

const moscowYear = () => DateTime.now().setZone('Europe/Moscow').year;

t.test('R1: registration needs a description, numbers the request and defaults priority and assignee', async (t) => {
  const h = await desk(t);
  const draft = await h.request('POST', '/api/tickets', h.ivanov.token, { subject: 'Принтер' });
  t.equal(draft.status, 201);
  t.equal(draft.body.status, 'draft');
  t.equal(draft.body.number, null, 'a draft has an id but no number');

  const refused = await move(h, h.ivanov, draft.body.id, { to: 'registered' });
  t.equal(refused.status, 400);
  t.equal(refused.body.field, 'description');
  t.same(await journalOf(h, draft.body.id), [], 'a refused registration leaves nothing in the journal');

  const patched = await h.request('PATCH', `/api/tickets/${draft.body.id}`, h.ivanov.token, {
    version: draft.body.version,
    description: 'Принтеры не печатают',
    technicalDetails: 'v5.2.1, модуль Склад',
  });
  t.equal(patched.status, 200);
  t.same(await journalOf(h, draft.body.id), [], 'R6: before registration the draft is working notes');

  const done = await move(h, h.ivanov, draft.body.id, { to: 'registered' });
  t.equal(done.status, 200);
  t.match(done.body.number, new RegExp(`^${moscowYear()}-\\d{6}$`));
  t.equal(done.body.number, `${moscowYear()}-000001`);
  t.equal(done.body.priority, 'normal');
  t.same(done.body.assignees, [h.ivanov.id], 'the user who registers is the default assignee');
  t.ok(done.body.registeredAt);

  const journal = await journalOf(h, draft.body.id);
  t.same(journal.map((e) => e.kind), ['registered', 'status_changed']);
  const [reg, status] = journal;
  t.match(reg, {
    actor: { id: h.ivanov.id, login: 'ivanov' },
    onBehalfOf: null,
    data: {
      number: done.body.number,
      subject: 'Принтер',
      description: 'Принтеры не печатают',
      technicalDetails: 'v5.2.1, модуль Склад',
      priority: 'normal',
      assignees: [h.ivanov.id],
    },
  });
  t.ok(ageMs(reg.at) < 10_000 && ageMs(reg.at) >= 0, 'journaled when it happened');
  t.match(status.data, { from: 'draft', to: 'registered' });

  const second = await registered(h, h.petrov, { priority: 'critical' });
  t.equal(second.number, `${moscowYear()}-000002`, 'numbers follow each other');
  t.equal(second.priority, 'critical');
});

t.test('R1: the assignee defaults to the agent who answered the call', async (t) => {
  const h = await desk(t);
  const { callId, draftId } = await insertCall(h, { answeredBy: h.petrov });
  // The supervisor registers the call's draft: it stays petrov's.
  const patched = await h.request('PATCH', `/api/tickets/${draftId}`, h.boss.token, { version: 1, description: 'Ошибка ORA-01017' });
  t.equal(patched.status, 200);
  const reg = await move(h, h.boss, draftId!, { to: 'registered' });
  t.equal(reg.status, 200);
  t.same(reg.body.assignees, [h.petrov.id]);

  // A new request opened from that call by the supervisor also goes to who answered it.
  const created = await h.request('POST', '/api/tickets', h.boss.token, { callIds: [callId], description: 'Вторая проблема', register: true });
  t.equal(created.status, 201);
  t.same(created.body.assignees, [h.petrov.id]);
  t.same(created.body.callIds, [callId]);
  t.equal(created.body.callerNumber, '+79111234567');
  t.equal(created.body.channel, 'phone');
});

t.test('R2: the agent ticks "number told" and the journal records it', async (t) => {
  const h = await desk(t);
  const { callId, draftId } = await insertCall(h, { answeredBy: h.ivanov });
  const early = await h.request('POST', `/api/tickets/${draftId}/number-told`, h.ivanov.token, {});
  t.equal(early.status, 409, 'a draft has no number to tell');
  t.equal(early.body.error, 'illegal_transition');

  await h.request('PATCH', `/api/tickets/${draftId}`, h.ivanov.token, { version: 1, description: 'Не запускается' });
  const reg = await move(h, h.ivanov, draftId!, { to: 'registered', callId });
  t.equal(reg.body.numberTold, false);

  const told = await h.request('POST', `/api/tickets/${draftId}/number-told`, h.ivanov.token, { callId });
  t.equal(told.status, 200);
  t.equal(told.body.numberTold, true);
  const again = await h.request('POST', `/api/tickets/${draftId}/number-told`, h.ivanov.token, {});
  t.equal(again.status, 200);

  const told1 = await entries(h, draftId!, 'number_told');
  t.equal(told1.length, 1, 'ticking twice is one entry');
  t.match(told1[0], { actor: { id: h.ivanov.id }, data: { number: reg.body.number }, callId });

  const stranger = await registered(h, h.ivanov);
  const denied = await h.request('POST', `/api/tickets/${stranger.id}/number-told`, h.petrov.token, {});
  t.equal(denied.status, 403, 'only who works the request ticks it');
});

t.test('R7: completing needs the solution delivered and starts the R10 count', async (t) => {
  const h = await desk(t);
  const r = await registered(h, h.ivanov);
  const skip = await move(h, h.ivanov, r.id, { to: 'completed', solution: 'x' });
  t.equal(skip.status, 409, 'registered → completed skips the work');
  await moveAll(h, h.ivanov, r.id, [{ to: 'in_progress' }]);
  const none = await move(h, h.ivanov, r.id, { to: 'completed' });
  t.equal(none.status, 400);
  t.equal(none.body.field, 'solution');
  const blank = await move(h, h.ivanov, r.id, { to: 'completed', solution: '   ' });
  t.equal(blank.status, 400);
  t.equal(blank.body.field, 'solution');

  const done = await move(h, h.ivanov, r.id, { to: 'completed', solution: 'Обновить до 5.2.1' });
  t.equal(done.status, 200);
  t.equal(done.body.status, 'completed');
  t.equal(done.body.solution, 'Обновить до 5.2.1');
  t.ok(done.body.completedAt);
  const due = h.app.calendar.autoCloseAt(new Date(done.body.completedAt));
  t.equal(done.body.autoCloseAt, due.toISOString(), 'R10 deadline from the business calendar');

  const journal = await journalOf(h, r.id);
  t.same(journal.map((e) => e.kind), ['registered', 'status_changed', 'status_changed', 'solution', 'status_changed']);
  t.match(journal[3], { actor: { id: h.ivanov.id }, data: { text: 'Обновить до 5.2.1' } });
  t.match(journal[4].data, { from: 'in_progress', to: 'completed', autoCloseAt: due.toISOString() });
});

t.test("R8: reopening a completed request needs the customer's reason", async (t) => {
  const h = await desk(t);
  const r = await completed(h, h.ivanov);
  const { callId } = await insertCall(h, { answeredBy: h.petrov, draft: false });

  const bare = await move(h, h.petrov, r.id, { to: 'in_progress' });
  t.equal(bare.status, 400);
  t.equal(bare.body.field, 'comment');
  const blank = await move(h, h.petrov, r.id, { to: 'in_progress', comment: '  ' });
  t.equal(blank.status, 400);
  t.equal(blank.body.field, 'comment');

  // Petrov is not its assignee: any agent relays the customer's word.
  const reopened = await move(h, h.petrov, r.id, { to: 'in_progress', comment: 'Всё ещё не печатает', callId });
  t.equal(reopened.status, 200);
  t.equal(reopened.body.status, 'in_progress');
  t.equal(reopened.body.autoCloseAt, null, 'the R10 count stops');
  t.equal(reopened.body.completedAt, null);

  const journal = await journalOf(h, r.id);
  const decision = journal.at(-2);
  t.match(decision, {
    kind: 'customer_decision',
    onBehalfOf: 'customer',
    actor: { id: h.petrov.id },
    callId,
    data: { decision: 'disagreed', comment: 'Всё ещё не печатает', relayedBy: h.petrov.id, callId },
  });
  t.match(journal.at(-1), { kind: 'status_changed', onBehalfOf: null, data: { from: 'completed', to: 'in_progress' } });

  // Worked again and completed again: the cycle may repeat.
  const again = await move(h, h.ivanov, r.id, { to: 'completed', solution: 'Заменён картридж' });
  t.equal(again.status, 200);
  t.ok(again.body.autoCloseAt);
});

t.test('R9: the customer’s confirmation closes the request', async (t) => {
  const h = await desk(t);
  const r = await completed(h, h.ivanov);
  const early = await registered(h, h.ivanov);
  const notYet = await move(h, h.ivanov, early.id, { to: 'closed', reason: 'confirmed' });
  t.equal(notYet.status, 409, 'only a completed request can be confirmed');

  const { callId } = await insertCall(h, { answeredBy: h.petrov, draft: false });
  const closed = await move(h, h.petrov, r.id, { to: 'closed', reason: 'confirmed', comment: 'Спасибо, работает', callId });
  t.equal(closed.status, 200);
  t.equal(closed.body.status, 'closed');
  t.equal(closed.body.closeReason, 'confirmed');
  t.ok(closed.body.closedAt);
  t.equal(closed.body.autoCloseAt, null);
  const journal = await journalOf(h, r.id);
  t.match(journal.at(-2), {
    kind: 'customer_decision',
    onBehalfOf: 'customer',
    actor: { id: h.petrov.id },
    callId,
    data: { decision: 'confirmed', comment: 'Спасибо, работает', relayedBy: h.petrov.id },
  });
  t.match(journal.at(-1).data, { from: 'completed', to: 'closed', closeReason: 'confirmed' });

  const after = await move(h, h.ivanov, r.id, { to: 'in_progress', comment: 'ещё раз' });
  t.equal(after.status, 409, 'closed is final');
  t.same(after.body.allowed, []);
});

t.test('R11: the customer withdraws a registered, not yet closed request', async (t) => {
  const h = await desk(t);
  const { callId } = await insertCall(h, { answeredBy: h.petrov, draft: false });
  const reg = await registered(h, h.ivanov);
  const working = await registered(h, h.ivanov);
  await move(h, h.ivanov, working.id, { to: 'in_progress' });
  const done = await completed(h, h.ivanov);
  for (const r of [reg, working, done]) {
    const res = await move(h, h.petrov, r.id, { to: 'closed', reason: 'withdrawn', callId });
    t.equal(res.status, 200, `withdrawn from ${r.status}`);
    t.equal(res.body.closeReason, 'withdrawn');
    const journal = await journalOf(h, r.id);
    t.match(journal.at(-2), { kind: 'customer_decision', onBehalfOf: 'customer', actor: { id: h.petrov.id }, callId, data: { decision: 'withdrew' } });
    t.match(journal.at(-1).data, { to: 'closed', closeReason: 'withdrawn' });
  }
  const twice = await move(h, h.petrov, reg.id, { to: 'closed', reason: 'withdrawn' });
  t.equal(twice.status, 409, 'a closed request cannot be withdrawn');

  const draft = await h.request('POST', '/api/tickets', h.ivanov.token, { description: 'черновик' });
  const fromDraft = await move(h, h.ivanov, draft.body.id, { to: 'closed', reason: 'withdrawn' });
  t.equal(fromDraft.status, 409, 'a draft is not registered: discard it instead');
  t.same(fromDraft.body.allowed.map((a: any) => a.to).sort(), ['discarded', 'registered']);
});

t.test('staff close a request as duplicate or error; drafts are discarded without a number', async (t) => {
  const h = await desk(t);
  const r = await registered(h, h.ivanov);
  const noReason = await move(h, h.ivanov, r.id, { to: 'closed' });
  t.equal(noReason.status, 400);
  t.equal(noReason.body.field, 'reason');
  const byAgent = await move(h, h.ivanov, r.id, { to: 'closed', reason: 'duplicate', comment: 'см. первый' });
  t.equal(byAgent.status, 200);
  t.equal(byAgent.body.closeReason, 'duplicate');
  t.match((await journalOf(h, r.id)).at(-1), { actor: { id: h.ivanov.id }, onBehalfOf: null, data: { closeReason: 'duplicate', comment: 'см. первый' } });

  const silence = await move(h, h.boss, (await completed(h, h.ivanov)).id, { to: 'closed', reason: 'no_reply' });
  t.equal(silence.status, 403, 'R10 is the service’s, not staff’s');

  for (const reason of ['wrong_number', 'test', 'duplicate', 'callback_done']) {
    const { draftId } = await insertCall(h, { answeredBy: h.ivanov });
    const res = await move(h, h.ivanov, draftId!, { to: 'discarded', reason });
    t.equal(res.status, 200, reason);
    t.equal(res.body.status, 'discarded');
    t.equal(res.body.discardReason, reason);
    t.equal(res.body.number, null, 'never numbered');
    t.equal(res.body.closedAt, null, 'a discarded draft was never closed');
    t.match(await journalOf(h, draftId!), [{ kind: 'status_changed', actor: { id: h.ivanov.id }, data: { from: 'draft', to: 'discarded', discardReason: reason } }]);
  }
  const { draftId } = await insertCall(h, { answeredBy: h.ivanov });
  const bad = await move(h, h.ivanov, draftId!, { to: 'discarded' });
  t.equal(bad.status, 400);
  t.equal(bad.body.field, 'reason');
  const notDraft = await move(h, h.ivanov, (await registered(h, h.ivanov)).id, { to: 'discarded', reason: 'test' });
  t.equal(notDraft.status, 409);
});
