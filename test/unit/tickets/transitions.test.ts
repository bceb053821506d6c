// Every status × every command: the legal ones move the request where docs/requests.md says, the illegal
// ones answer IllegalTransition listing what is allowed from the current status (→ HTTP 409).
import t from 'tap';
import { type TicketCommand, allowedTransitions, decide } from '../../../src/tickets/lifecycle';
import { IllegalTransition } from '../../../src/tickets/errors';
import { TICKET_STATUSES, type TicketStatus } from '../../../src/tickets/ticket';
import { ctx, givenIn, msk, SYSTEM } from './ticket-fixture';

const LATER = msk('2026-03-01T12:00'); // well past any R10 deadline of the fixtures

const COMMANDS: Record<string, { command: TicketCommand; over?: Parameters<typeof ctx>[0] }> = {
  register: { command: { type: 'register', fields: { description: 'Не печатается накладная' } } },
  discard: { command: { type: 'discard', reason: 'wrong_number' } },
  start: { command: { type: 'start' } },
  complete: { command: { type: 'complete', solution: 'Обновить драйвер принтера' } },
  reopen: { command: { type: 'reopen', comment: 'Всё ещё не печатается' } },
  confirm: { command: { type: 'confirm' } },
  withdraw: { command: { type: 'withdraw' } },
  close: { command: { type: 'close', reason: 'duplicate' } },
  auto_close: { command: { type: 'auto_close' }, over: { now: LATER, actor: SYSTEM } },
  edit: { command: { type: 'edit', changes: { technicalDetails: 'v5.2.1' } } },
  assign: { command: { type: 'assign', assignees: ['agent-boris'], reason: 'transferred' } },
  customer_contact: { command: { type: 'customer_contact', comment: 'Спросил, когда будет ответ' } },
  mark_number_told: { command: { type: 'mark_number_told' } },
  comment: { command: { type: 'comment', text: 'Связался с клиентом' } },
  link_call: { command: { type: 'link_call', callId: 'call-2' } },
};

// The expected outcome of each command per status: the status it leads to, or null for illegal.
const EXPECTED: Record<TicketStatus, Record<keyof typeof COMMANDS, TicketStatus | null>> = {
  draft: {
    register: 'registered', discard: 'discarded', start: null, complete: null, reopen: null, confirm: null,
    withdraw: null, close: null, auto_close: null,
    edit: 'draft', assign: 'draft', customer_contact: null, mark_number_told: null, comment: null, link_call: 'draft',
  },
  registered: {
    register: null, discard: null, start: 'in_progress', complete: null, reopen: null, confirm: null,
    withdraw: 'closed', close: 'closed', auto_close: null,
    edit: 'registered', assign: 'registered', customer_contact: null, mark_number_told: 'registered', comment: 'registered', link_call: 'registered',
  },
  in_progress: {
    register: null, discard: null, start: null, complete: 'completed', reopen: null, confirm: null,
    withdraw: 'closed', close: 'closed', auto_close: null,
    edit: 'in_progress', assign: 'in_progress', customer_contact: null, mark_number_told: 'in_progress', comment: 'in_progress', link_call: 'in_progress',
  },
  completed: {
    register: null, discard: null, start: null, complete: null, reopen: 'in_progress', confirm: 'closed',
    withdraw: 'closed', close: 'closed', auto_close: 'closed',
    edit: 'completed', assign: 'completed', customer_contact: 'completed', mark_number_told: 'completed', comment: 'completed', link_call: 'completed',
  },
  closed: {
    register: null, discard: null, start: null, complete: null, reopen: null, confirm: null,
    withdraw: null, close: null, auto_close: null,
    edit: null, assign: null, customer_contact: null, mark_number_told: 'closed', comment: 'closed', link_call: 'closed',
  },
  discarded: {
    register: null, discard: null, start: null, complete: null, reopen: null, confirm: null,
    withdraw: null, close: null, auto_close: null,
    edit: null, assign: null, customer_contact: null, mark_number_told: null, comment: null, link_call: null,
  },
};

for (const status of TICKET_STATUSES) {
  t.test(`from ${status}`, async (t) => {
    for (const [name, { command, over }] of Object.entries(COMMANDS)) {
      const expected = EXPECTED[status][name];
      const state = givenIn(status);
      const d = decide(command, state, ctx(over));
      if (expected === null) {
        t.notOk(d.ok, `${name} is illegal from ${status}`);
        if (d.ok) continue;
        t.type(d.error, IllegalTransition, `${name} from ${status} answers IllegalTransition`);
        const e = d.error as IllegalTransition;
        t.same(e.allowed, allowedTransitions(status), `${name} from ${status} lists the allowed transitions`);
        t.equal(e.status, status);
        t.equal(e.command, command.type);
      } else {
        t.ok(d.ok, `${name} is legal from ${status}${d.ok ? '' : `: ${d.error.message}`}`);
        if (!d.ok) continue;
        t.equal(d.next.status, expected, `${name} leads from ${status} to ${expected}`);
        t.equal(d.next.version, state.version + 1, `${name} bumps the version`);
        const changes = d.events.filter((e) => e.kind === 'status_changed');
        t.equal(changes.length, expected === status ? 0 : 1, `${name}: one status_changed per status change`);
      }
    }
  });
}

t.test('allowedTransitions follows the transitions of docs/requests.md', async (t) => {
  const to = (s: TicketStatus) => allowedTransitions(s).map((a) => `${a.command}→${a.to}${a.reasons ? `(${a.reasons.join('|')})` : ''}`);
  t.same(to('draft'), ['register→registered', 'discard→discarded(wrong_number|test|duplicate|linked|callback_done)']);
  t.same(to('registered'), ['start→in_progress', 'withdraw→closed(withdrawn)', 'close→closed(duplicate|error)']);
  t.same(to('in_progress'), ['complete→completed', 'withdraw→closed(withdrawn)', 'close→closed(duplicate|error)']);
  t.same(to('completed'), [
    'reopen→in_progress',
    'confirm→closed(confirmed)',
    'auto_close→closed(no_reply)',
    'withdraw→closed(withdrawn)',
    'close→closed(duplicate|error)',
  ]);
  t.same(to('closed'), []);
  t.same(to('discarded'), []);
});

t.test('an illegal transition says what is allowed in its message', async (t) => {
  const d = decide({ type: 'complete', solution: 'x' }, givenIn('registered'), ctx());
  t.notOk(d.ok);
  if (!d.ok) {
    t.equal(d.error.name, 'IllegalTransition');
    t.match(d.error.message, /cannot complete a registered request; allowed from registered: start → in_progress, withdraw → closed, close → closed/);
  }
});
