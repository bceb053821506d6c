// What a call does to the support requests, decided without a database: drafts, the caller's
// history for the pop, the owner, a missed call, a caller reached.
import t from 'tap';
import type { Call, CallHappening } from '../../../src/calls/model';
import { requestEffects, type CallProgress } from '../../../src/ingest/request-effects';

const at = new Date('2026-11-26T10:00:00Z');
const agents: Record<string, string> = { '101': 'agent-101', '102': 'agent-102' };
const agentIdOf = (ext: string | null) => (ext ? agents[ext] : undefined);
const fresh: CallProgress = { hasDraft: false, asked: false, reached: false };

function call(o: Partial<Call> = {}): Call {
  return {
    pbx: 'pbx1', linkedid: '1.1', direction: 'inbound', supportLine: true, callerNumber: '+79111234567', callerNumberRaw: '89111234567',
    callerName: null, did: '+79219416004', calledNumber: null, queue: null, startedAt: at, answeredAt: null, answeredBy: null, owner: null,
    endedAt: null, outcome: null, hangupCause: null, afterHours: false, blocked: false, gap: false, legs: [], recordings: [], ...o,
  };
}

t.test('a support-line call that starts gets a draft and its caller is looked up, once', (t) => {
  const fact: CallHappening = { kind: 'call.started', call: call() };
  t.match(requestEffects(fact, 'k', fresh, agentIdOf, at), { draft: true, askCaller: true, ops: [] });
  t.match(requestEffects({ ...fact, kind: 'call.updated' }, 'k', { hasDraft: true, asked: true, reached: false }, agentIdOf, at), { draft: false, askCaller: false });
  t.end();
});

t.test('a call that is not on the support line asks nothing of the requests', (t) => {
  t.same(requestEffects({ kind: 'call.started', call: call({ supportLine: false }) }, 'k', fresh, agentIdOf, at), { draft: false, askCaller: false, reached: false, ops: [] });
  t.end();
});

t.test('the first agent to answer owns the draft and the caller counts as reached', (t) => {
  const answered = call({ answeredAt: at, answeredBy: '101' });
  const e = requestEffects({ kind: 'leg.answered', call: answered, extension: '101', first: true }, 'k', fresh, agentIdOf, at);
  t.same(e.ops, [
    { kind: 'owner', callKey: 'k', agentId: 'agent-101', fromAgentId: null, at },
    { kind: 'callback_reached', callKey: 'k', number: '+79111234567', at },
  ]);
  t.equal(e.reached, true);
  const again = requestEffects({ kind: 'leg.answered', call: answered, extension: '102', first: false }, 'k', { ...fresh, reached: true }, agentIdOf, at);
  t.same(again.ops, [], 'a later answer changes no owner and reaches nobody twice');
  t.end();
});

t.test('a transfer hands the draft to the agent it went to', (t) => {
  const e = requestEffects({ kind: 'call.transferred', call: call({ answeredAt: at }), from: '101', to: '102' }, 'k', { ...fresh, reached: true }, agentIdOf, at);
  t.same(e.ops, [{ kind: 'owner', callKey: 'k', agentId: 'agent-102', fromAgentId: 'agent-101', at }]);
  t.same(requestEffects({ kind: 'call.transferred', call: call(), from: '101', to: '555' }, 'k', fresh, agentIdOf, at).ops, [], 'not to a number without an agent');
  t.end();
});

t.test('a missed support-line call leaves its draft waiting for a call back', (t) => {
  const e = requestEffects({ kind: 'call.ended', call: call({ endedAt: at, outcome: 'missed' }) }, 'k', { hasDraft: true, asked: true, reached: false }, agentIdOf, at);
  t.same(e.ops, [{ kind: 'missed', callKey: 'k', at }]);
  t.end();
});

t.test('an agent\'s call out answered by the customer reaches the number called', (t) => {
  const out = call({ direction: 'outbound', supportLine: false, callerNumber: null, calledNumber: '+79117654321', answeredAt: at });
  t.same(requestEffects({ kind: 'call.updated', call: out }, 'k', fresh, agentIdOf, at).ops, [{ kind: 'callback_reached', callKey: 'k', number: '+79117654321', at }]);
  t.end();
});

t.test('a blocked caller’s call asks nothing of the requests: no draft, no history, no owner, no call-back', (t) => {
  const none = { draft: false, askCaller: false, reached: false, ops: [] };
  const blocked = call({ blocked: true });
  t.same(requestEffects({ kind: 'call.started', call: blocked }, 'k', fresh, agentIdOf, at), none);
  const answered = call({ blocked: true, answeredAt: at, answeredBy: '101' });
  t.same(requestEffects({ kind: 'leg.answered', call: answered, extension: '101', first: true }, 'k', fresh, agentIdOf, at), none);
  t.same(requestEffects({ kind: 'call.ended', call: call({ blocked: true, endedAt: at, outcome: 'missed' }) }, 'k', fresh, agentIdOf, at), none);
  t.end();
});
