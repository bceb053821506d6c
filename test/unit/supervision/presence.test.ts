// Presence rules: a call outranks a pause, a pause outranks an open panel; waiting callers are
// the support line's unanswered inbound calls, the longest waiting first.
import t from 'tap';
import { agentPresences, waitingCallers, type LiveCallInput } from '../../../src/supervision/presence';

const at = (s: number) => new Date(Date.UTC(2026, 11, 7, 9, 0, s));
const agents = [
  { id: 'a1', name: 'Иванова', extension: '101' },
  { id: 'a2', name: 'Петров', extension: '102' },
  { id: 'a3', name: 'Сидорова', extension: '103' },
  { id: 'a4', name: 'Без телефона', extension: null },
];
const call = (over: Partial<LiveCallInput>): LiveCallInput => ({
  id: 'c1',
  supportLine: true,
  direction: 'inbound',
  callerNumber: '+79111234567',
  calledNumber: null,
  queue: null,
  startedAt: at(0),
  answeredAt: null,
  legs: [],
  ...over,
});

t.test('an agent talking is on a call even while paused; ringing shows whom for; an open panel is available', async (t) => {
  const live = [
    call({ answeredAt: at(5), legs: [{ extension: '101', ringAt: at(1), answeredAt: at(5), endedAt: null }, { extension: '102', ringAt: at(1), answeredAt: null, endedAt: at(5) }] }),
    call({ id: 'c2', callerNumber: '+79213334455', legs: [{ extension: '103', ringAt: at(8), answeredAt: null, endedAt: null }] }),
  ];
  const pauses = new Map([['101', { reason: 'обед', since: at(0) }], ['102', { reason: null, since: at(2) }]]);
  const out = agentPresences({ agents, online: new Map([['a2', at(0)], ['a4', at(3)]]), liveCalls: live, pauses });
  const by = Object.fromEntries(out.map((a) => [a.id, a]));
  t.match(by.a1, { presence: 'on_call', since: at(5), callId: 'c1', withNumber: '+79111234567' });
  t.match(by.a2, { presence: 'paused', pausedReason: null, since: at(2) }, 'a finished leg does not count; the pause does');
  t.match(by.a3, { presence: 'ringing', since: at(8), callId: 'c2', withNumber: '+79213334455' });
  t.match(by.a4, { presence: 'available', since: at(3) });
});

t.test('an agent with no socket, call or pause is offline; an outbound call shows the number called', async (t) => {
  const out = agentPresences({
    agents,
    online: new Map(),
    liveCalls: [call({ direction: 'outbound', supportLine: false, callerNumber: '101', calledNumber: '+74951234567', answeredAt: at(3), legs: [{ extension: '101', ringAt: at(0), answeredAt: at(3), endedAt: null }] })],
    pauses: new Map(),
  });
  t.equal(out[0].withNumber, '+74951234567');
  t.same(out.slice(1).map((a) => a.presence), ['offline', 'offline', 'offline']);
});

t.test('waiting callers: unanswered support-line calls only, the longest waiting first', async (t) => {
  const out = waitingCallers([
    call({ id: 'late', startedAt: at(20) }),
    call({ id: 'answered', answeredAt: at(4) }),
    call({ id: 'other-line', supportLine: false }),
    call({ id: 'early', startedAt: at(1), queue: 'support' }),
  ]);
  t.same(out.map((w) => w.callId), ['early', 'late']);
  t.equal(out[0].queue, 'support');
});
