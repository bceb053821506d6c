// "Who may do what" (docs/requests.md): agents work drafts of calls they answered and requests assigned to
// them and relay any customer's decision; supervisors and admins change everything; only the service
// closes for silence (R10).
import t from 'tap';
import { type TicketCommand, type TicketRelation, authorize, relationOf } from '../../../src/tickets/lifecycle';
import { Forbidden } from '../../../src/tickets/errors';
import { ADMIN, ANNA, BORIS, SVETA, SYSTEM, givenDraft, givenIn } from './ticket-fixture';

const STRANGER: TicketRelation = { isAssignee: false, answeredTheCall: false };
const ASSIGNEE: TicketRelation = { isAssignee: true, answeredTheCall: false };
const ANSWERER: TicketRelation = { isAssignee: false, answeredTheCall: true };

const WORK: TicketCommand[] = [
  { type: 'edit', changes: { description: 'x' } },
  { type: 'start' },
  { type: 'complete', solution: 'x' },
  { type: 'close', reason: 'error' },
  { type: 'mark_number_told' },
];
const CUSTOMER: TicketCommand[] = [
  { type: 'reopen', comment: 'x' },
  { type: 'confirm' },
  { type: 'withdraw' },
  { type: 'customer_contact' },
];

t.test('an agent works requests assigned to them, not others\'', async (t) => {
  const registered = givenIn('registered');
  for (const command of WORK) {
    t.equal(authorize(command, registered, ANNA, ASSIGNEE), null, `${command.type} by the assignee`);
    const no = authorize(command, registered, BORIS, STRANGER);
    t.type(no, Forbidden, `${command.type} by another agent`);
    t.equal(no?.name, 'Forbidden');
  }
});

t.test('answering a call does not give an agent a registered request', async (t) => {
  t.type(authorize({ type: 'start' }, givenIn('registered'), BORIS, ANSWERER), Forbidden);
});

t.test('an agent edits, registers and discards a draft of a call they answered', async (t) => {
  const draft = givenDraft({ assignees: [] });
  for (const command of [
    { type: 'edit', changes: { description: 'x' } },
    { type: 'register', fields: { description: 'x' } },
    { type: 'discard', reason: 'wrong_number' },
    { type: 'link_call', callId: 'call-2' },
  ] as TicketCommand[]) {
    t.equal(authorize(command, draft, BORIS, ANSWERER), null, `${command.type} by the agent who answered`);
    t.type(authorize(command, draft, BORIS, STRANGER), Forbidden, `${command.type} by an agent who did not`);
  }
});

t.test('any agent relays a customer\'s decision on any request', async (t) => {
  for (const command of CUSTOMER) t.equal(authorize(command, givenIn('completed'), BORIS, STRANGER), null, command.type);
});

t.test('any agent comments on and links calls to a registered request', async (t) => {
  t.equal(authorize({ type: 'comment', text: 'x' }, givenIn('registered'), BORIS, STRANGER), null);
  t.equal(authorize({ type: 'link_call', callId: 'c' }, givenIn('registered'), BORIS, STRANGER), null);
});

t.test('agents do not assign: supervisors do', async (t) => {
  const registered = givenIn('registered');
  t.type(authorize({ type: 'edit', changes: { assignees: ['agent-boris'] } }, registered, ANNA, ASSIGNEE), Forbidden);
  t.equal(authorize({ type: 'edit', changes: { assignees: ['agent-anna'] } }, registered, ANNA, ASSIGNEE), null, 'unchanged assignees are not assigning');
  t.type(authorize({ type: 'register', fields: { description: 'x', assignees: ['agent-boris'] } }, givenDraft(), ANNA, ASSIGNEE), Forbidden);
  t.equal(authorize({ type: 'register', fields: { description: 'x', assignees: [] } }, givenDraft(), ANNA, ASSIGNEE), null, 'an empty list on register is the default');
  t.type(authorize({ type: 'edit', changes: { assignees: [] } }, givenDraft(), ANNA, ASSIGNEE), Forbidden, 'unassigning is assigning');
  t.type(authorize({ type: 'assign', assignees: ['agent-anna'], reason: 'answered' }, givenDraft(), ANNA, ASSIGNEE), Forbidden);
  t.equal(authorize({ type: 'edit', changes: { assignees: ['agent-boris'] } }, registered, SVETA, STRANGER), null);
  t.equal(authorize({ type: 'assign', assignees: ['agent-boris'], reason: 'transferred' }, givenDraft(), SYSTEM, STRANGER), null);
});

t.test('supervisors and admins may do everything to any request but R10\'s auto-close', async (t) => {
  for (const actor of [SVETA, ADMIN]) {
    for (const command of [...WORK, ...CUSTOMER, { type: 'discard', reason: 'test' } as TicketCommand]) {
      t.equal(authorize(command, givenIn('in_progress'), actor, STRANGER), null, `${actor.role}: ${command.type}`);
    }
    t.type(authorize({ type: 'auto_close' }, givenIn('completed'), actor, STRANGER), Forbidden);
  }
  t.type(authorize({ type: 'auto_close' }, givenIn('completed'), ANNA, ASSIGNEE), Forbidden);
  t.equal(authorize({ type: 'auto_close' }, givenIn('completed'), SYSTEM, STRANGER), null);
});

t.test('relationOf reads assigneeship from the request', async (t) => {
  const registered = givenIn('registered');
  t.same(relationOf(registered, 'agent-anna', false), { isAssignee: true, answeredTheCall: false });
  t.same(relationOf(registered, 'agent-boris', true), { isAssignee: false, answeredTheCall: true });
  t.same(relationOf(registered, null, false), STRANGER);
});
