// The request page offers exactly the actions the rules would accept from this user now; and the
// call-back deadline a missed call's draft gets.
import t from 'tap';
import { availableActions, decide } from '../../../src/tickets/lifecycle';
import { ANNA, BORIS, SVETA, ctx, given, givenDraft } from './ticket-fixture';

const registered = () => given(givenDraft({ description: 'Не печатается счёт' }), { type: 'register' });
const rel = (isAssignee: boolean, answeredTheCall = false) => ({ isAssignee, answeredTheCall });

t.test('the assignee of a registered request may take it into work, comment, withdraw it for the customer — not complete it nor reassign', async (t) => {
  const acts = availableActions(registered(), rel(true), ctx({ actor: ANNA }));
  t.same(acts, ['start', 'withdraw', 'close', 'comment', 'edit', 'link_call', 'mark_number_told']);
});

t.test('another agent may only relay the customer and comment; a supervisor may also assign and close', async (t) => {
  const inWork = given(registered(), { type: 'start' }, { type: 'complete', solution: 'Обновили драйвер' });
  t.same(availableActions(inWork, rel(false), ctx({ actor: BORIS })), ['confirm', 'reopen', 'customer_contact', 'withdraw', 'comment', 'link_call']);
  t.same(availableActions(inWork, rel(false), ctx({ actor: SVETA })), [
    'confirm',
    'reopen',
    'customer_contact',
    'withdraw',
    'close',
    'comment',
    'assign',
    'edit',
    'link_call',
    'mark_number_told',
  ]);
});

t.test('a closed request offers only notes (comment, a linked call, the number told); a draft offers registration and discarding to its owner', async (t) => {
  const closed = given(registered(), { type: 'withdraw' });
  t.same(availableActions(closed, rel(true), ctx({ actor: ANNA })), ['comment', 'link_call', 'mark_number_told']);
  t.same(availableActions(givenDraft(), rel(true), ctx({ actor: ANNA })), ['register', 'discard', 'edit', 'link_call']);
});

t.test('a missed call’s ownerless draft waits for a call back, due after 2 hours of support time; a discard clears it', async (t) => {
  const draft = givenDraft({ assignees: [] });
  // Tue 20 Jan 2026, 10:00 Moscow (the fixture's clock): due 12:00 Moscow.
  const missed = decide({ type: 'mark_missed' }, draft, ctx());
  t.ok(missed.ok);
  if (!missed.ok) return;
  t.equal(missed.next.callbackNeeded, true);
  t.equal(missed.next.callbackDueAt?.toISOString(), '2026-01-20T09:00:00.000Z');
  const done = decide({ type: 'discard', reason: 'callback_done' }, missed.next, ctx({ actor: SVETA }));
  t.ok(done.ok && done.next.callbackDueAt === null && !done.next.callbackNeeded, 'reached: nothing is due');
});
