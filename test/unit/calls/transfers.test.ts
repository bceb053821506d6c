// Transfers move the call (and its draft) to another agent; consultations do not.
import t from 'tap';
import { FakePbx, type Chan } from './fake-pbx';
import { agentFacts, factsOf, newTracker } from './replay';

/** A customer's call answered by `ext`; returns the trunk and the agent's channel. */
function answeredCall(pbx: FakePbx, ext = '101'): { trunk: Chan; phone: Chan } {
  const trunk = pbx.newChannel('SIP/pstn', { callerIdNum: '+79111234567', context: 'from-pstn', exten: '79219416004', state: 'Ring' });
  const phone = pbx.newChannel(`SIP/${ext}`, { linkedid: trunk.linkedid, callerIdNum: ext, context: 'agents' });
  pbx.dialBegin(trunk, phone, ext).state(phone, 'Ringing').wait(2000);
  pbx.state(phone, 'Up').dialEnd(trunk, phone, 'ANSWER').state(trunk, 'Up');
  pbx.bridgeEnter(phone, 'br-a').bridgeEnter(trunk, 'br-a').wait(3000);
  return { trunk, phone };
}

function ring(pbx: FakePbx, caller: Chan, ext: string, linkedid = caller.linkedid): Chan {
  const phone = pbx.newChannel(`SIP/${ext}`, { linkedid, callerIdNum: ext, context: 'agents' });
  pbx.dialBegin(caller, phone, ext).state(phone, 'Ringing');
  return phone;
}

t.test('an attended transfer after a consultation call moves the call to the consulted agent', (t) => {
  const pbx = new FakePbx();
  const tracker = newTracker();
  const { trunk, phone: a1 } = answeredCall(pbx);
  pbx.hold(a1);
  // 101's phone places a consultation call to 102: a call of its own (its own Linkedid).
  const a2 = pbx.newChannel('SIP/101', { callerIdNum: '101', context: 'agents', exten: '102', state: 'Ring' });
  const b = ring(pbx, a2, '102');
  pbx.wait(2000).state(b, 'Up').dialEnd(a2, b, 'ANSWER').state(a2, 'Up').bridgeEnter(a2, 'br-b').bridgeEnter(b, 'br-b');
  pbx.wait(4000).bridgeMerge('br-a', 'br-b');
  pbx.attendedTransfer({ orig: a1, second: a2, transferee: trunk, target: b });
  // The merged bridge gives 102's channel the customer call's (older) Linkedid.
  b.linkedid = trunk.linkedid;
  pbx.bridgeLeave(a1, 'br-a').hangup(a1).bridgeLeave(a2, 'br-b').hangup(a2);
  pbx.wait(10000).hangup(trunk).hangup(b);

  const facts = pbx.run(tracker);
  const customer = factsOf(facts, trunk.uniqueid);
  t.same(agentFacts(customer), ['ringing:101', 'answered:101:first', 'answered:102', 'transferred:101>102']);
  const call = customer.at(-1)!.call;
  t.equal(customer.at(-1)!.kind, 'call.ended');
  t.equal(call.answeredBy, '101', 'answered by the first agent');
  t.equal(call.owner, '102', 'owned by the agent it was transferred to');
  t.equal(customer.filter((f) => f.kind === 'call.ended').length, 1);
  t.same(
    call.legs.map((l) => [l.extension, l.endReason, l.endedAt !== null]),
    [
      ['101', 'answered', true],
      ['102', 'answered', true],
    ],
  );

  const consult = factsOf(facts, a2.uniqueid);
  t.equal(consult[0].call.direction, 'internal', 'the consultation is an internal call of its own');
  t.equal(consult[0].call.supportLine, false);
  t.equal(consult.filter((f) => f.kind === 'call.ended').length, 1, 'it ends once, when 101 hangs up');
  t.equal(consult.at(-1)!.call.answeredBy, '102');
  t.equal(tracker.size, 0, 'both calls forgotten');
  t.end();
});

t.test('an attended transfer inside the call (atxfer) moves the call only when completed', (t) => {
  const pbx = new FakePbx();
  const { trunk, phone: a } = answeredCall(pbx);
  pbx.hold(trunk);
  // The transfer feature creates 102's channel in the same call.
  const b = pbx.newChannel('SIP/102', { linkedid: trunk.linkedid, callerIdNum: '102', context: 'agents' });
  pbx.state(b, 'Ringing').wait(2000).state(b, 'Up');
  pbx.wait(3000).attendedTransfer({ orig: a, second: a, transferee: trunk, target: b });
  pbx.hangup(a).wait(10000).hangup(trunk).hangup(b);
  const facts = pbx.run(newTracker());
  t.same(agentFacts(facts), [
    'ringing:101',
    'answered:101:first',
    'ringing:102',
    'answered:102',
    'transferred:101>102',
  ]);
  t.equal(facts.at(-1)!.call.owner, '102');
  t.end();
});

t.test('a consultation the agent abandons leaves the call with the first agent', (t) => {
  const pbx = new FakePbx();
  const { trunk, phone: a } = answeredCall(pbx);
  const b = pbx.newChannel('SIP/102', { linkedid: trunk.linkedid, callerIdNum: '102', context: 'agents' });
  pbx.state(b, 'Ringing').wait(2000).state(b, 'Up').wait(5000).hangup(b);
  const c = pbx.newChannel('SIP/103', { linkedid: trunk.linkedid, callerIdNum: '103', context: 'agents' });
  pbx.state(c, 'Ringing').wait(3000).hangup(c);
  pbx.wait(5000).hangup(trunk).hangup(a);
  const facts = pbx.run(newTracker());
  t.same(agentFacts(facts), [
    'ringing:101',
    'answered:101:first',
    'ringing:102',
    'answered:102',
    'ringing:103',
    'stopped:103:no_answer',
  ]);
  const call = facts.at(-1)!.call;
  t.equal(call.owner, '101');
  t.notOk(facts.some((f) => f.kind === 'call.transferred'));
  t.end();
});

t.test('a blind transfer to a queue hands the call to whichever agent answers there', (t) => {
  const pbx = new FakePbx();
  const { trunk, phone: a } = answeredCall(pbx);
  pbx.blindTransfer(a, trunk, '600', 'br-a').bridgeLeave(trunk, 'br-a').bridgeLeave(a, 'br-a').hangup(a);
  pbx.queueCallerJoin(trunk, 'sales');
  const b = ring(pbx, trunk, '102');
  const c = ring(pbx, trunk, '103');
  pbx.wait(2500).state(c, 'Up').dialEnd(trunk, c, 'ANSWER').dialEnd(trunk, b, 'CANCEL').hangup(b, '26');
  pbx.wait(8000).hangup(trunk).hangup(c);
  const facts = pbx.run(newTracker());
  t.same(agentFacts(facts), [
    'ringing:101',
    'answered:101:first',
    'ringing:102',
    'ringing:103',
    'answered:103',
    'transferred:101>103',
    'stopped:102:taken',
  ]);
  const call = facts.at(-1)!.call;
  t.equal(call.answeredBy, '101');
  t.equal(call.owner, '103');
  t.equal(call.queue, 'sales');
  t.end();
});

t.test('a blind transfer nobody answers stays with the transferring agent, and the ringing stops as caller_gone', (t) => {
  const pbx = new FakePbx();
  const { trunk, phone: a } = answeredCall(pbx);
  pbx.blindTransfer(a, trunk, '102', 'br-a').bridgeLeave(trunk, 'br-a').hangup(a);
  const b = ring(pbx, trunk, '102');
  pbx.wait(7000).hangupRequest(trunk).dialEnd(trunk, b, 'CANCEL').hangup(b).hangup(trunk);
  const facts = pbx.run(newTracker());
  t.same(agentFacts(facts), ['ringing:101', 'answered:101:first', 'ringing:102', 'stopped:102:caller_gone']);
  const call = facts.at(-1)!.call;
  t.equal(call.owner, '101');
  t.equal(call.outcome, 'answered');
  t.end();
});

t.test('a consultation merged into the customer call (no transfer event) becomes the call of the agent left on it', (t) => {
  const pbx = new FakePbx();
  const tracker = newTracker();
  const { trunk, phone: a1 } = answeredCall(pbx);
  const a2 = pbx.newChannel('SIP/101', { callerIdNum: '101', context: 'agents', exten: '102', state: 'Ring' });
  const b = ring(pbx, a2, '102');
  pbx.wait(2000).state(b, 'Up').dialEnd(a2, b, 'ANSWER').state(a2, 'Up');
  pbx.wait(3000).bridgeMerge('br-a', 'br-b');
  // Joining the customer's bridge, 102's channel takes the older Linkedid.
  b.linkedid = trunk.linkedid;
  pbx.bridgeEnter(b, 'br-a').hangup(a2).wait(2000).hangup(a1);
  pbx.wait(10000).hangup(trunk).hangup(b);
  const facts = pbx.run(tracker);
  const customer = factsOf(facts, trunk.uniqueid);
  t.same(agentFacts(customer), ['ringing:101', 'answered:101:first', 'answered:102', 'transferred:101>102']);
  t.equal(customer.at(-1)!.call.owner, '102');
  t.equal(factsOf(facts, a2.uniqueid).filter((f) => f.kind === 'call.ended').length, 1);
  t.equal(tracker.size, 0);
  t.end();
});
