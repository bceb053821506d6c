// R1 registration, R2 number told, R5 content, R6 journal of registration.
import t from 'tap';
import { decide, withNumber } from '../../../src/tickets/lifecycle';
import { ValidationError } from '../../../src/tickets/errors';
import { ANNA, BORIS, SYSTEM, T0, ctx, given, givenDraft, givenIn, msk, ok } from './ticket-fixture';

t.test('R1: registering a draft with a description journals its content and asks for a number', async (t) => {
  // given Anna's draft with working notes
  const draft = given(givenDraft(), { type: 'edit', changes: { description: 'Не запускается касса', technicalDetails: 'v5.2.1, КАССА-3' } });
  // when she registers it
  const d = ok(decide({ type: 'register' }, draft, ctx()));
  // then
  t.same(d.needsNumber, { year: 2026 });
  t.equal(d.next.status, 'registered');
  t.equal(d.next.number, null, 'the number comes from persistence');
  t.same(d.next.registeredAt, T0);
  t.equal(d.next.priority, 'normal', 'R1: priority defaults to normal');
  t.same(d.next.assignees, ['agent-anna']);
  t.same(d.events.map((e) => e.kind), ['registered', 'status_changed']);
  t.same(d.events[0].data, {
    number: null,
    subject: '',
    description: 'Не запускается касса',
    technicalDetails: 'v5.2.1, КАССА-3',
    priority: 'normal',
    assignees: ['agent-anna'],
    channel: 'phone',
    callerNumber: '+79219416004',
    callIds: ['call-1'],
    parentId: null,
  });
  t.same(d.events[1].data, { from: 'draft', to: 'registered' });
  t.equal(d.events[0].callId, 'call-1');
  t.equal(d.events[0].onBehalfOf, null);
});

t.test('R1: withNumber puts the allocated number in the state and the registration entry', async (t) => {
  const d = withNumber(ok(decide({ type: 'register', fields: { description: 'x' } }, givenDraft(), ctx())), '2026-000042');
  t.equal(d.next.number, '2026-000042');
  t.equal(d.needsNumber, null);
  const reg = d.events.find((e) => e.kind === 'registered');
  t.equal(reg?.kind === 'registered' && reg.data.number, '2026-000042');
});

t.test('R1: the number year is the year of registration in Moscow time', async (t) => {
  // 31 Dec 2025 21:30 UTC is 1 Jan 2026 00:30 in Moscow
  const d = ok(decide({ type: 'register', fields: { description: 'x' } }, givenDraft(), ctx({ now: new Date('2025-12-31T21:30:00Z') })));
  t.same(d.needsNumber, { year: 2026 });
  const before = ok(decide({ type: 'register', fields: { description: 'x' } }, givenDraft(), ctx({ now: new Date('2025-12-31T20:59:59Z') })));
  t.same(before.needsNumber, { year: 2025 });
});

t.test('R1/R5: registration needs a non-empty description', async (t) => {
  for (const description of ['', '   \n ']) {
    const d = decide({ type: 'register', fields: { description } }, givenDraft(), ctx());
    t.notOk(d.ok);
    if (!d.ok) {
      t.type(d.error, ValidationError);
      t.equal((d.error as ValidationError).field, 'description');
    }
  }
  const none = decide({ type: 'register' }, givenDraft(), ctx());
  t.notOk(none.ok, 'a draft nobody typed into cannot be registered');
});

t.test('R1: fields sent with the register click are applied, priority included', async (t) => {
  const d = ok(decide({ type: 'register', fields: { description: 'Всё упало', priority: 'critical', subject: 'Склад' } }, givenDraft(), ctx()));
  t.equal(d.next.priority, 'critical');
  t.equal(d.next.subject, 'Склад');
  t.equal(d.events[0].kind === 'registered' && d.events[0].data.priority, 'critical');
});

t.test('R1: the assignee defaults to the agent who answered, else to the registering user', async (t) => {
  // answered by Anna (the draft's owner), registered by a supervisor: Anna stays the assignee
  const answered = ok(decide({ type: 'register', fields: { description: 'x' } }, givenDraft(), ctx({ actor: { agentId: 'agent-sveta', role: 'supervisor' } })));
  t.same(answered.next.assignees, ['agent-anna']);
  // a request nobody answered (or created by hand) goes to the user who registers it
  const unanswered = ok(decide({ type: 'register', fields: { description: 'x' } }, givenDraft({ assignees: [] }), ctx({ actor: BORIS })));
  t.same(unanswered.next.assignees, ['agent-boris']);
  // an explicitly empty list is no choice: the default applies
  const emptied = ok(decide({ type: 'register', fields: { description: 'x', assignees: [] } }, givenDraft({ assignees: [] }), ctx({ actor: BORIS })));
  t.same(emptied.next.assignees, ['agent-boris']);
  // explicit assignees win
  const explicit = ok(decide({ type: 'register', fields: { description: 'x', assignees: ['agent-boris', 'agent-anna'] } }, givenDraft(), ctx()));
  t.same(explicit.next.assignees, ['agent-boris', 'agent-anna']);
  // the service cannot default to itself
  const bySystem = decide({ type: 'register', fields: { description: 'x' } }, givenDraft({ assignees: [] }), ctx({ actor: SYSTEM }));
  t.notOk(bySystem.ok);
  if (!bySystem.ok) t.equal((bySystem.error as ValidationError).field, 'assignees');
});

t.test('R1: invalid field values are refused naming the field', async (t) => {
  const cases: Array<[Record<string, unknown>, string]> = [
    [{ description: 'x', priority: 'urgent' }, 'priority'],
    [{ description: 'x', assignees: [''] }, 'assignees'],
    [{ description: 42 }, 'description'],
    [{ description: 'x', subject: 'a'.repeat(501) }, 'subject'],
    [{ description: 'x', number: '2026-000001' }, 'number'],
  ];
  for (const [fields, field] of cases) {
    const d = decide({ type: 'register', fields: fields as never }, givenDraft(), ctx());
    t.notOk(d.ok, `${JSON.stringify(fields).slice(0, 60)} is refused`);
    if (!d.ok) t.equal((d.error as ValidationError).field, field);
  }
});

t.test('R2: the agent ticks "number told" once the request is registered, and it is journaled once', async (t) => {
  const registered = givenIn('registered');
  const d = ok(decide({ type: 'mark_number_told' }, registered, ctx()));
  t.equal(d.next.numberTold, true);
  t.same(d.events, [{ kind: 'number_told', data: { number: '2026-000042' }, onBehalfOf: null, callId: 'call-1' }]);
  const again = ok(decide({ type: 'mark_number_told' }, d.next, ctx()));
  t.same(again.events, [], 'ticking again changes nothing');
  t.equal(again.next.version, d.next.version);
  const draft = decide({ type: 'mark_number_told' }, givenDraft(), ctx());
  t.notOk(draft.ok, 'a draft has no number to tell');
});

t.test('R4: a new problem in the same call becomes a new request linked to the first and to the call', async (t) => {
  const first = givenIn('registered');
  const second = given(
    givenDraft({ id: 'ticket-2', parentId: first.id, callIds: ['call-1'] }),
    { type: 'register', fields: { description: 'И ещё: не приходит почта' } },
  );
  t.equal(second.parentId, 'ticket-1');
  t.same(second.callIds, ['call-1']);
  t.equal(second.status, 'registered');
});

t.test('R6: a draft registered after midnight keeps its creation time', async (t) => {
  const draft = givenDraft({ createdAt: msk('2026-01-19T23:55') });
  const d = ok(decide({ type: 'register', fields: { description: 'x' } }, draft, ctx({ actor: ANNA })));
  t.same(d.next.createdAt, msk('2026-01-19T23:55'));
});
