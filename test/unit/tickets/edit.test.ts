// R6: before registration a draft is working notes (no journal); after it, every change is journaled
// as one field_changed entry per field with its old and new value.
import t from 'tap';
import { decide } from '../../../src/tickets/lifecycle';
import { ValidationError } from '../../../src/tickets/errors';
import type { TicketFields } from '../../../src/tickets/ticket';
import { ctx, givenDraft, givenIn, ok } from './ticket-fixture';

t.test('R6: edits of a draft are working notes: state changes, nothing is journaled', async (t) => {
  const draft = givenDraft();
  const d = ok(decide({ type: 'edit', changes: { description: 'Не печатает', priority: 'high', technicalDetails: 'HP 400' } }, draft, ctx()));
  t.same(d.events, []);
  t.equal(d.next.description, 'Не печатает');
  t.equal(d.next.priority, 'high');
  t.equal(d.next.version, draft.version + 1, 'autosave still bumps the version');
});

t.test('R6: a draft may be emptied again (it is only notes)', async (t) => {
  const draft = ok(decide({ type: 'edit', changes: { description: 'x' } }, givenDraft(), ctx())).next;
  const d = ok(decide({ type: 'edit', changes: { description: '' } }, draft, ctx()));
  t.equal(d.next.description, '');
});

t.test('R6: after registration each changed field is one field_changed entry, old → new', async (t) => {
  const registered = givenIn('in_progress');
  const d = ok(
    decide(
      { type: 'edit', changes: { subject: 'Отчёты', description: registered.description, priority: 'critical', technicalDetails: 'ORA-01017, 5.2.1' } },
      registered,
      ctx(),
    ),
  );
  t.same(
    d.events.map((e) => e.data),
    [
      { field: 'subject', from: '', to: 'Отчёты' },
      { field: 'technicalDetails', from: '', to: 'ORA-01017, 5.2.1' },
      { field: 'priority', from: 'high', to: 'critical' },
    ],
    'the unchanged description is not journaled; fields in a fixed order',
  );
  t.ok(d.events.every((e) => e.kind === 'field_changed'));
});

t.test('R6: an edit that changes nothing journals nothing and keeps the version', async (t) => {
  const registered = givenIn('registered');
  const d = ok(decide({ type: 'edit', changes: { priority: registered.priority, assignees: [...registered.assignees] } }, registered, ctx()));
  t.same(d.events, []);
  t.equal(d.next, registered);
});

t.test('R1: a supervisor reassigning is journaled as a field change of assignees', async (t) => {
  const registered = givenIn('registered');
  const d = ok(decide({ type: 'edit', changes: { assignees: ['agent-boris', 'agent-boris'] } }, registered, ctx()));
  t.same(d.events[0].data, { field: 'assignees', from: ['agent-anna'], to: ['agent-boris'] }, 'duplicates collapse');
});

t.test('R1/R5: a registered request keeps a description and an assignee', async (t) => {
  const registered = givenIn('registered');
  const cases: Array<[Partial<TicketFields>, string]> = [
    [{ description: ' ' }, 'description'],
    [{ assignees: [] }, 'assignees'],
  ];
  for (const [changes, field] of cases) {
    const d = decide({ type: 'edit', changes }, registered, ctx());
    t.notOk(d.ok);
    if (!d.ok) {
      t.type(d.error, ValidationError);
      t.equal((d.error as ValidationError).field, field);
    }
  }
});

t.test('the journal: ownership moving with the call is journaled, even on a draft', async (t) => {
  const draft = givenDraft();
  const d = ok(decide({ type: 'assign', assignees: ['agent-boris'], reason: 'transferred' }, draft, ctx({ callId: 'call-1' })));
  t.same(d.next.assignees, ['agent-boris']);
  t.same(d.events, [
    { kind: 'assigned', data: { from: ['agent-anna'], to: ['agent-boris'], reason: 'transferred', callId: 'call-1' }, onBehalfOf: null, callId: 'call-1' },
  ]);
  t.equal(d.next.description, draft.description, 'what was typed so far goes with it');
  const same = ok(decide({ type: 'assign', assignees: ['agent-boris'], reason: 'answered' }, d.next, ctx()));
  t.same(same.events, []);
  const empty = decide({ type: 'assign', assignees: [], reason: 'answered' }, draft, ctx());
  t.notOk(empty.ok);
  const badReason = decide({ type: 'assign', assignees: ['x'], reason: 'whim' as never }, draft, ctx());
  t.notOk(badReason.ok);
});

t.test('calls are linked to a request once; on a draft without a journal entry', async (t) => {
  const registered = givenIn('registered');
  const d = ok(decide({ type: 'link_call', callId: 'call-7' }, registered, ctx({ callId: 'call-7' })));
  t.same(d.next.callIds, ['call-1', 'call-7']);
  t.same(d.events, [{ kind: 'call_linked', data: { callId: 'call-7' }, onBehalfOf: null, callId: 'call-7' }]);
  t.same(ok(decide({ type: 'link_call', callId: 'call-7' }, d.next, ctx())).events, [], 'linking twice is a no-op');
  const draft = ok(decide({ type: 'link_call', callId: 'call-7' }, givenDraft(), ctx()));
  t.same(draft.events, []);
  t.same(draft.next.callIds, ['call-1', 'call-7']);
  t.notOk(decide({ type: 'link_call', callId: ' ' }, registered, ctx()).ok);
});

t.test('R6: a comment is a journal entry with its text; a blank one is refused', async (t) => {
  const registered = givenIn('registered');
  const d = ok(decide({ type: 'comment', text: '  Перезвонил, ждёт логи  ' }, registered, ctx()));
  t.same(d.events, [{ kind: 'comment', data: { text: 'Перезвонил, ждёт логи' }, onBehalfOf: null, callId: 'call-1' }]);
  const blank = decide({ type: 'comment', text: '' }, registered, ctx());
  t.notOk(blank.ok);
  if (!blank.ok) t.equal((blank.error as ValidationError).field, 'text');
});
