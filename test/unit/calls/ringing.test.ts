// How an agent's ringing ends, whatever order the PBX reports it in.
import t from 'tap';
import { FakePbx, type Chan } from './fake-pbx';
import { agentFacts, newTracker } from './replay';

function customer(pbx: FakePbx, caller = '+79111234567'): Chan {
  return pbx.newChannel('SIP/pstn', { callerIdNum: caller, context: 'from-pstn', exten: '+79219416004', state: 'Ring' });
}

function ring(pbx: FakePbx, trunk: Chan, ext: string): Chan {
  const phone = pbx.newChannel(`SIP/${ext}`, { linkedid: trunk.linkedid, callerIdNum: ext, context: 'agents' });
  pbx.dialBegin(trunk, phone, ext);
  return phone;
}

t.test('a busy phone in a ring group stops with busy while another agent answers', (t) => {
  const pbx = new FakePbx();
  const trunk = customer(pbx);
  const a = ring(pbx, trunk, '101');
  const b = ring(pbx, trunk, '102');
  pbx.state(b, 'Ringing').dialEnd(trunk, a, 'BUSY').hangup(a, '17', 'User busy');
  pbx.wait(2000).state(b, 'Up').dialEnd(trunk, b, 'ANSWER').wait(3000).hangup(trunk).hangup(b);
  const facts = pbx.run(newTracker());
  t.same(agentFacts(facts), ['ringing:101', 'ringing:102', 'stopped:101:busy', 'answered:102:first']);
  t.end();
});

t.test('a phone that rings out stops with no_answer and the call is missed', (t) => {
  const pbx = new FakePbx();
  const trunk = customer(pbx);
  const a = ring(pbx, trunk, '101');
  pbx.state(a, 'Ringing').wait(30000).dialEnd(trunk, a, 'NOANSWER').hangup(a).hangup(trunk);
  const facts = pbx.run(newTracker());
  t.same(agentFacts(facts), ['ringing:101', 'stopped:101:no_answer']);
  t.equal(facts.at(-1)!.call.outcome, 'missed');
  t.end();
});

t.test('losing phones cancelled before the winner is seen answering still stop with taken', (t) => {
  const pbx = new FakePbx();
  const trunk = customer(pbx);
  const a = ring(pbx, trunk, '101');
  const b = ring(pbx, trunk, '102');
  pbx.state(a, 'Ringing').state(b, 'Ringing').wait(2000);
  // The order the PBX may use: losers first, winner's answer last.
  pbx.dialEnd(trunk, a, 'CANCEL').dialEnd(trunk, b, 'ANSWER').hangup(a, '16').state(b, 'Up');
  pbx.wait(1000).hangup(trunk).hangup(b);
  const facts = pbx.run(newTracker());
  t.same(agentFacts(facts), ['ringing:101', 'ringing:102', 'answered:102:first', 'stopped:101:taken']);
  const call = facts.at(-1)!.call;
  t.equal(call.legs[0].endedAt?.getTime(), call.legs[1].answeredAt?.getTime(), '101 stopped when it was cancelled');
  t.end();
});

t.test('duplicated and reordered end events give each fact once', (t) => {
  const pbx = new FakePbx();
  const tracker = newTracker();
  const trunk = customer(pbx);
  const a = ring(pbx, trunk, '101');
  const b = ring(pbx, trunk, '102');
  pbx.state(a, 'Ringing').state(b, 'Ringing').wait(2000);
  pbx.state(a, 'Up').dialEnd(trunk, a, 'ANSWER').dialEnd(trunk, a, 'ANSWER');
  pbx.dialEnd(trunk, b, 'CANCEL').dialEnd(trunk, b, 'CANCEL').hangup(b, '26').hangup(b, '26');
  pbx.wait(3000);
  // Hang-up order varies: agent before caller, with a stray duplicate.
  pbx.bridgeLeave(a, 'br').hangup(a).emit('Cdr', { channel: trunk.name }).hangup(a).bridgeLeave(trunk, 'br');
  pbx.hangupRequest(trunk).hangup(trunk).hangup(trunk);
  const facts = pbx.run(tracker);
  t.same(agentFacts(facts), ['ringing:101', 'ringing:102', 'answered:101:first', 'stopped:102:taken']);
  t.equal(facts.filter((f) => f.kind === 'call.ended').length, 1);
  t.equal(tracker.size, 0);
  t.end();
});

t.test('an agent picking up a colleague’s ringing phone takes the call', (t) => {
  const pbx = new FakePbx();
  const trunk = customer(pbx);
  const a = ring(pbx, trunk, '101');
  pbx.state(a, 'Ringing').wait(3000);
  // Call pickup: 103's channel is moved into 101's ringing channel (same uniqueid).
  pbx.rename(a, 'SIP/103-000000aa').state(a, 'Up').dialEnd(trunk, a, 'ANSWER');
  pbx.wait(5000).hangup(trunk).hangup(a);
  const facts = pbx.run(newTracker());
  t.same(agentFacts(facts), ['ringing:101', 'stopped:101:taken', 'ringing:103', 'answered:103:first']);
  t.equal(facts.at(-1)!.call.answeredBy, '103');
  t.end();
});

t.test('an internal call from one agent to another is internal and answered by the callee', (t) => {
  const pbx = new FakePbx();
  const a = pbx.newChannel('PJSIP/101', { callerIdNum: '101', callerIdName: 'Ivanov', context: 'from-internal', exten: '102', state: 'Ring' });
  const b = pbx.newChannel('PJSIP/102', { linkedid: a.linkedid, callerIdNum: '102', context: 'from-internal', exten: '102' });
  pbx.dialBegin(a, b, 'PJSIP/102').state(b, 'Ringing').wait(1000).state(b, 'Up').dialEnd(a, b, 'ANSWER');
  pbx.state(a, 'Up').wait(2000).hangup(a).hangup(b);
  const facts = pbx.run(newTracker());
  const call = facts.at(-1)!.call;
  t.equal(call.direction, 'internal');
  t.equal(call.supportLine, false);
  t.equal(call.callerNumber, null);
  t.equal(call.callerNumberRaw, '101');
  t.equal(call.callerName, 'Ivanov');
  t.equal(call.answeredBy, '102');
  t.same(agentFacts(facts), ['ringing:102', 'answered:102:first']);
  t.end();
});

t.test('an agent dialling out with a prefix gets the number that went out to the trunk', (t) => {
  const pbx = new FakePbx();
  const a = pbx.newChannel('SIP/101', { callerIdNum: '101', context: 'agents', exten: '989111234567', state: 'Ring' });
  const out = pbx.newChannel('SIP/pstn', { linkedid: a.linkedid, context: 'from-pstn' });
  pbx.dialBegin(a, out, 'pstn/89111234567').state(out, 'Ringing').wait(4000).state(out, 'Up').dialEnd(a, out, 'ANSWER');
  pbx.wait(1000).hangup(a).hangup(out);
  const facts = pbx.run(newTracker());
  t.equal(facts[0].call.direction, 'outbound');
  t.equal(facts.at(-1)!.call.calledNumber, '+79111234567', 'not +989111234567 (Iran)');
  t.end();
});

t.test("a call an agent's phone starts without a number becomes outbound once the trunk is dialled", (t) => {
  const pbx = new FakePbx();
  const a = pbx.newChannel('SIP/101', { callerIdNum: '101', context: 'agents', exten: 's', state: 'Ring' });
  pbx.callerId(a, '79219416004');
  const out = pbx.newChannel('SIP/pstn', { linkedid: a.linkedid, context: 'from-pstn' });
  pbx.dialBegin(a, out, 'pstn/89111234567').state(out, 'Ringing').wait(4000).state(out, 'Up').dialEnd(a, out, 'ANSWER');
  pbx.wait(1000).hangup(a).hangup(out);
  const facts = pbx.run(newTracker());
  const call = facts.at(-1)!.call;
  t.equal(facts[0].call.direction, 'internal', 'not knowable at the first channel');
  t.equal(call.direction, 'outbound');
  t.equal(call.calledNumber, '+79111234567');
  t.equal(call.callerNumberRaw, '101', "the agent's outgoing caller ID (the support number) is not the caller");
  t.equal(call.answeredBy, '101');
  t.equal(call.outcome, 'answered');
  t.equal(call.answeredAt?.getTime(), facts.find((f) => f.kind === 'call.updated' && f.call.answeredAt)?.call.answeredAt?.getTime());
  t.notOk(facts.some((f) => f.call.supportLine));
  t.end();
});

t.test('an outbound call the customer does not answer is missed', (t) => {
  const pbx = new FakePbx();
  const a = pbx.newChannel('SIP/101', { callerIdNum: '101', context: 'agents', exten: '89111234567', state: 'Ring' });
  const out = pbx.newChannel('SIP/pstn', { linkedid: a.linkedid, context: 'from-pstn' });
  pbx.dialBegin(a, out, 'pstn/89111234567').state(out, 'Ringing').wait(30000).dialEnd(a, out, 'NOANSWER');
  pbx.hangup(out).hangup(a);
  const call = pbx.run(newTracker()).at(-1)!.call;
  t.equal(call.outcome, 'missed');
  t.equal(call.answeredBy, null);
  t.equal(call.calledNumber, '+79111234567');
  t.end();
});
