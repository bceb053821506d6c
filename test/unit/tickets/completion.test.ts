// R7 completion, R8 disagreement, R9 confirmation, R10 silence, R11 withdrawal, staff close, discard.
import t from 'tap';
import { decide } from '../../../src/tickets/lifecycle';
import { AutoCloseNotDue, ValidationError } from '../../../src/tickets/errors';
import { BORIS, SYSTEM, ctx, given, givenDraft, givenIn, msk, ok } from './ticket-fixture';

t.test('R7: completing a request needs the solution, sets completedAt and the R10 deadline', async (t) => {
  const working = givenIn('in_progress');
  const now = msk('2025-12-30T15:00');
  const d = ok(decide({ type: 'complete', solution: '  Переустановить клиент 5.2.2  ' }, working, ctx({ now })));
  t.equal(d.next.status, 'completed');
  t.equal(d.next.solution, 'Переустановить клиент 5.2.2');
  t.same(d.next.completedAt, now);
  t.equal(d.next.autoCloseAt?.toISOString(), '2026-01-16T17:00:00.000Z', 'R10 from Tue 30 Dec 2025: Fri 16 Jan 2026 20:00 Moscow');
  t.same(d.events.map((e) => [e.kind, e.data]), [
    ['solution', { text: 'Переустановить клиент 5.2.2' }],
    ['status_changed', { from: 'in_progress', to: 'completed', autoCloseAt: '2026-01-16T17:00:00.000Z' }],
  ]);
});

t.test('R7: completing without a solution is refused naming "solution"', async (t) => {
  for (const solution of ['', '  ']) {
    const d = decide({ type: 'complete', solution }, givenIn('in_progress'), ctx());
    t.notOk(d.ok);
    if (!d.ok) t.equal((d.error as ValidationError).field, 'solution');
  }
});

t.test('R8: the customer\'s reasoned disagreement reopens the request, journaled as the customer\'s', async (t) => {
  const done = givenIn('completed');
  const d = ok(decide({ type: 'reopen', comment: 'Ошибка осталась на второй кассе' }, done, ctx({ actor: BORIS, callId: 'call-9' })));
  t.equal(d.next.status, 'in_progress');
  t.equal(d.next.autoCloseAt, null, 'the R10 count stops');
  t.equal(d.next.completedAt, null);
  t.equal(d.next.solution, 'Пароль сброшен', 'the previous solution stays on record');
  t.same(d.events, [
    {
      kind: 'customer_decision',
      data: { decision: 'disagreed', comment: 'Ошибка осталась на второй кассе', relayedBy: 'agent-boris', callId: 'call-9' },
      onBehalfOf: 'customer',
      callId: 'call-9',
    },
    { kind: 'status_changed', data: { from: 'completed', to: 'in_progress' }, onBehalfOf: null, callId: 'call-9' },
  ]);
});

t.test('R8: a disagreement without its reason is refused naming "comment"', async (t) => {
  const d = decide({ type: 'reopen', comment: ' ' }, givenIn('completed'), ctx());
  t.notOk(d.ok);
  if (!d.ok) t.equal((d.error as ValidationError).field, 'comment');
});

t.test('R8: a reopened request can be completed again, with a new R10 deadline', async (t) => {
  const again = given(givenIn('completed'), { type: 'reopen', comment: 'Нет' }, [
    { type: 'complete', solution: 'Исправлено в 5.2.3' },
    { now: msk('2026-02-02T12:00') },
  ]);
  t.equal(again.status, 'completed');
  t.equal(again.autoCloseAt?.toISOString(), '2026-02-09T17:00:00.000Z');
});

t.test('R9: the customer\'s confirmation closes the request as confirmed', async (t) => {
  const now = msk('2026-01-21T09:00');
  const d = ok(decide({ type: 'confirm' }, givenIn('completed'), ctx({ now, callId: 'call-5' })));
  t.equal(d.next.status, 'closed');
  t.equal(d.next.closeReason, 'confirmed');
  t.same(d.next.closedAt, now);
  t.equal(d.next.autoCloseAt, null);
  t.same(d.events.map((e) => [e.kind, e.onBehalfOf, e.data]), [
    ['customer_decision', 'customer', { decision: 'confirmed', comment: null, relayedBy: 'agent-anna', callId: 'call-5' }],
    ['status_changed', null, { from: 'completed', to: 'closed', closeReason: 'confirmed' }],
  ]);
});

t.test('R10: a request completed on Tue 30 Dec 2025 closes as no_reply at 20:00 Moscow on Fri 16 Jan 2026, not a second before', async (t) => {
  const done = given(givenIn('in_progress'), [{ type: 'complete', solution: 'x' }, { now: msk('2025-12-30T15:00') }]);
  const early = decide({ type: 'auto_close' }, done, ctx({ actor: SYSTEM, now: new Date('2026-01-16T16:59:59.999Z') }));
  t.notOk(early.ok);
  if (!early.ok) {
    t.type(early.error, AutoCloseNotDue);
    t.equal((early.error as AutoCloseNotDue).dueAt?.toISOString(), '2026-01-16T17:00:00.000Z');
  }
  const due = new Date('2026-01-16T17:00:00.000Z');
  const d = ok(decide({ type: 'auto_close' }, done, ctx({ actor: SYSTEM, now: due, callId: null })));
  t.equal(d.next.status, 'closed');
  t.equal(d.next.closeReason, 'no_reply');
  t.same(d.next.closedAt, due);
  t.same(d.events, [
    {
      kind: 'status_changed',
      data: { from: 'completed', to: 'closed', closeReason: 'no_reply', autoCloseAt: '2026-01-16T17:00:00.000Z' },
      onBehalfOf: null,
      callId: null,
    },
  ]);
});

t.test('R10: a request completed on Fri 31 Oct 2025 closes at 20:00 Moscow on Mon 10 Nov 2025', async (t) => {
  const done = given(givenIn('in_progress'), [{ type: 'complete', solution: 'x' }, { now: msk('2025-10-31T19:30') }]);
  t.equal(done.autoCloseAt?.toISOString(), '2025-11-10T17:00:00.000Z');
});

t.test('R10: a request completed after 20:00 counts from the day of completion', async (t) => {
  const done = given(givenIn('in_progress'), [{ type: 'complete', solution: 'x' }, { now: msk('2026-03-04T21:30') }]);
  t.equal(done.autoCloseAt?.toISOString(), '2026-03-12T17:00:00.000Z');
});

t.test('R10: auto-close only applies to a request still completed', async (t) => {
  const reopened = given(givenIn('completed'), { type: 'reopen', comment: 'Нет' });
  const d = decide({ type: 'auto_close' }, reopened, ctx({ actor: SYSTEM, now: msk('2026-06-01T12:00') }));
  t.notOk(d.ok);
  if (!d.ok) t.equal(d.error.name, 'IllegalTransition');
});

t.test('R10: a customer contact that is neither confirmation nor disagreement restarts the count from its day', async (t) => {
  const done = givenIn('completed'); // completed Tue 20 Jan 2026 11:00 → due Tue 27 Jan 20:00
  t.equal(done.autoCloseAt?.toISOString(), '2026-01-27T17:00:00.000Z');
  const contact = msk('2026-01-26T14:00'); // Mon
  const d = ok(decide({ type: 'customer_contact', comment: 'Ещё не проверили' }, done, ctx({ now: contact, callId: 'call-3' })));
  t.equal(d.next.status, 'completed');
  t.equal(d.next.autoCloseAt?.toISOString(), '2026-02-02T17:00:00.000Z', 'Mon 26 Jan → Tue 27 … Mon 2 Feb');
  t.same(d.next.completedAt, done.completedAt, 'completion time stays');
  t.same(d.events, [
    {
      kind: 'customer_decision',
      data: { decision: 'contacted', comment: 'Ещё не проверили', relayedBy: 'agent-anna', callId: 'call-3', autoCloseAt: '2026-02-02T17:00:00.000Z' },
      onBehalfOf: 'customer',
      callId: 'call-3',
    },
  ]);
  // the old deadline no longer closes it
  const old = decide({ type: 'auto_close' }, d.next, ctx({ actor: SYSTEM, now: new Date('2026-01-27T17:00:00Z') }));
  t.notOk(old.ok);
});

t.test('R11: the customer may withdraw a registered, in-progress or completed request', async (t) => {
  for (const status of ['registered', 'in_progress', 'completed'] as const) {
    const d = ok(decide({ type: 'withdraw', comment: 'Сами разобрались' }, givenIn(status), ctx()));
    t.equal(d.next.status, 'closed', `from ${status}`);
    t.equal(d.next.closeReason, 'withdrawn');
    t.equal(d.next.autoCloseAt, null);
    t.same(d.events.map((e) => [e.kind, e.onBehalfOf]), [['customer_decision', 'customer'], ['status_changed', null]]);
    t.equal(d.events[0].kind === 'customer_decision' && d.events[0].data.decision, 'withdrew');
  }
});

t.test('staff close a request as duplicate or error, with an optional comment', async (t) => {
  const d = ok(decide({ type: 'close', reason: 'duplicate', comment: 'Дубль 2026-000041' }, givenIn('registered'), ctx()));
  t.equal(d.next.closeReason, 'duplicate');
  t.same(d.events.map((e) => [e.kind, e.onBehalfOf, e.data]), [
    ['status_changed', null, { from: 'registered', to: 'closed', closeReason: 'duplicate', comment: 'Дубль 2026-000041' }],
  ]);
  const bad = decide({ type: 'close', reason: 'confirmed' as never }, givenIn('registered'), ctx());
  t.notOk(bad.ok, 'staff cannot close as the customer\'s confirmation');
  if (!bad.ok) t.equal((bad.error as ValidationError).field, 'reason');
});

t.test('a draft is discarded with its reason, never numbered', async (t) => {
  const missed = givenDraft({ assignees: [], callbackNeeded: true });
  const d = ok(decide({ type: 'discard', reason: 'callback_done', relatedTicketId: null }, missed, ctx({ actor: SYSTEM, callId: 'call-8' })));
  t.equal(d.next.status, 'discarded');
  t.equal(d.next.discardReason, 'callback_done');
  t.equal(d.next.number, null);
  t.equal(d.next.callbackNeeded, false);
  t.equal(d.needsNumber, null);
  t.same(d.events, [{ kind: 'status_changed', data: { from: 'draft', to: 'discarded', discardReason: 'callback_done' }, onBehalfOf: null, callId: 'call-8' }]);
  const linked = ok(decide({ type: 'discard', reason: 'linked', relatedTicketId: 'ticket-0', comment: 'звонил по старой' }, givenDraft(), ctx()));
  t.same(linked.events[0].data, { from: 'draft', to: 'discarded', discardReason: 'linked', comment: 'звонил по старой', relatedTicketId: 'ticket-0' });
  const bad = decide({ type: 'discard', reason: 'no_reply' as never }, givenDraft(), ctx());
  t.notOk(bad.ok);
  if (!bad.ok) t.equal((bad.error as ValidationError).field, 'reason');
});
