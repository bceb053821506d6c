// A customer's e-mail on a request: journaled as theirs (channel email), restarting R10 like a
// contact; only the service records it; an e-mailed request is registered unassigned by the service.
import t from 'tap';
import { authorize, decide } from '../../../src/tickets/lifecycle';
import { customerSaid } from '../../../src/tickets/customer-said';
import { IllegalTransition, ValidationError } from '../../../src/tickets/errors';
import { ANNA, SVETA, SYSTEM, ctx, given, givenDraft, givenIn, msk, ok } from './ticket-fixture';

const mail = (text: string, notSolved = false) => ({ type: 'customer_message' as const, text, channel: 'email' as const, messageId: '<m1@romashka.ru>', notSolved });

t.test("a customer's e-mail on a request in progress is journaled as theirs and changes nothing else", async (t) => {
  const working = givenIn('in_progress');
  const d = ok(decide(mail('Прикладываю журнал ошибок'), working, ctx({ actor: SYSTEM, callId: null })));
  t.equal(d.next.status, 'in_progress');
  t.same(d.events, [
    { kind: 'customer_message', data: { text: 'Прикладываю журнал ошибок', channel: 'email', messageId: '<m1@romashka.ru>', notSolved: false }, onBehalfOf: 'customer', callId: null },
  ]);
});

t.test('R10: an e-mail on a completed request restarts the five business days, and "not solved" is flagged', async (t) => {
  const done = givenIn('completed'); // due Tue 27 Jan 20:00
  const d = ok(decide(mail('Всё ещё не работает', true), done, ctx({ actor: SYSTEM, now: msk('2026-01-26T14:00'), callId: null })));
  t.equal(d.next.status, 'completed', 'the customer decides through the assignee (R8), not the mail');
  t.equal(d.next.autoCloseAt?.toISOString(), '2026-02-02T17:00:00.000Z');
  t.match(d.events[0].data, { notSolved: true, autoCloseAt: '2026-02-02T17:00:00.000Z' });
  const inProgress = ok(decide(mail('не работает', true), givenIn('in_progress'), ctx({ actor: SYSTEM })));
  t.match(inProgress.events[0].data, { notSolved: false }, 'only a completed request can be "not solved"');
});

t.test('a closed request takes no e-mail into its journal', async (t) => {
  const d = decide(mail('ещё вопрос'), givenIn('closed'), ctx({ actor: SYSTEM }));
  t.ok(!d.ok && d.error instanceof IllegalTransition);
});

t.test('only the service records a customer e-mail', async (t) => {
  const working = givenIn('in_progress');
  t.ok(authorize(mail('x'), working, ANNA, { isAssignee: true, answeredTheCall: true }));
  t.ok(authorize(mail('x'), working, SVETA, { isAssignee: false, answeredTheCall: false }));
  t.equal(authorize(mail('x'), working, SYSTEM, { isAssignee: false, answeredTheCall: false }), null);
});

t.test('an e-mailed request is registered by the service with no assignee; a phone draft still needs one', async (t) => {
  const emailed = givenDraft({ channel: 'email', assignees: [], callIds: [], originCallId: null, callerNumber: null, description: 'Не печатается' });
  const d = ok(decide({ type: 'register' }, emailed, ctx({ actor: SYSTEM, callId: null })));
  t.equal(d.next.status, 'registered');
  t.same(d.next.assignees, []);
  t.same(d.next.customerWroteAt, ctx().now, 'its customer waits from the start');
  t.equal(ok(decide({ type: 'start' }, { ...d.next, assignees: [ANNA.agentId!] }, ctx({ actor: ANNA }))).next.customerWroteAt, null, 'taken into work: answered');
  const byAgent = givenDraft({ channel: 'email', assignees: [], description: 'Клиент написал на личную почту' });
  t.equal(ok(decide({ type: 'register' }, byAgent, ctx({ actor: ANNA }))).next.customerWroteAt, null, 'an agent typing in a mail has it in hand');
  const phone = given(givenDraft({ assignees: [], description: 'x' }));
  const r = decide({ type: 'register' }, phone, ctx({ actor: SYSTEM }));
  t.ok(!r.ok && r.error instanceof ValidationError && r.error.field === 'assignees');
});

t.test("what the customer said by themselves is picked out for the request's people; the same words relayed by an agent are not news", async (t) => {
  const mailed = ok(decide(mail('Всё ещё не работает: ошибка 1042', true), givenIn('completed'), ctx({ actor: SYSTEM, now: msk('2026-01-26T14:00'), callId: null })));
  t.same(customerSaid(mailed.events, false), { said: 'message', text: 'Всё ещё не работает: ошибка 1042', notSolved: true });
  const byLink = ok(decide({ type: 'reopen', comment: 'Отчёт по-прежнему пустой', channel: 'link' }, givenIn('completed'), ctx({ actor: SYSTEM, callId: null })));
  t.same(customerSaid(byLink.events, false), { said: 'disagreed', text: 'Отчёт по-прежнему пустой', notSolved: false });
  const relayed = ok(decide({ type: 'reopen', comment: 'Отчёт по-прежнему пустой' }, givenIn('completed'), ctx({ actor: ANNA })));
  t.equal(customerSaid(relayed.events, true), null, 'an agent relayed it on a call');
  t.equal(customerSaid(ok(decide({ type: 'start' }, givenIn('registered'), ctx({ actor: ANNA }))).events, true), null);
  const long = ok(decide(mail('а'.repeat(1000)), givenIn('in_progress'), ctx({ actor: SYSTEM, callId: null })));
  t.equal(customerSaid(long.events, false)!.text.length, 300, 'clipped for a note');
});

t.test('the customer waits from their mail or disagreement until an agent acts on the request or it closes; typing in it is not an answer', async (t) => {
  const at = msk('2026-01-21T11:00');
  const waiting = ok(decide(mail('Прикладываю журнал ошибок'), givenIn('in_progress'), ctx({ actor: SYSTEM, now: at, callId: null }))).next;
  t.same(waiting.customerWroteAt, at, 'their mail: they wait');
  const typed = ok(decide({ type: 'edit', changes: { technicalDetails: 'ORA-01017' } }, waiting, ctx({ actor: ANNA }))).next;
  t.same(typed.customerWroteAt, at, 'an edit of the fields answers nobody');
  const answered = ok(decide({ type: 'comment', text: 'Смотрим журнал', toCustomer: true }, waiting, ctx({ actor: ANNA }))).next;
  t.equal(answered.customerWroteAt, null, 'the agent answered');
  const disagreed = ok(decide({ type: 'reopen', comment: 'Отчёт пустой', channel: 'link' }, givenIn('completed'), ctx({ actor: SYSTEM, now: at, callId: null }))).next;
  t.same(disagreed.customerWroteAt, at, 'a disagreement on the link page: they wait');
  const confirmed = ok(decide({ type: 'confirm', comment: null, channel: 'link' }, { ...givenIn('completed'), customerWroteAt: at }, ctx({ actor: SYSTEM, callId: null }))).next;
  t.equal(confirmed.customerWroteAt, null, 'closed: no one waits');
});
