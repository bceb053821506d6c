// FreePBX-style ring groups reach phones through Local channel pairs, on PJSIP.
import t from 'tap';
import { FakePbx, type Chan } from './fake-pbx';
import { agentFacts, newTracker } from './replay';

/** A customer's call arriving on a PJSIP trunk, as FreePBX's from-pstn sees it. */
function customerCalls(pbx: FakePbx, did = '+79219416004', caller = '+79111234567'): Chan {
  const trunk = pbx.newChannel('PJSIP/beeline', { callerIdNum: caller, callerIdName: caller, context: 'from-pstn', exten: did, state: 'Ring' });
  pbx.varSet(trunk, '__FROM_DID', did);
  return trunk;
}

/** Ring group member `ext`: trunk → Local/ext@from-internal;1, ;2 → PJSIP/ext. */
function ringMember(pbx: FakePbx, trunk: Chan, ext: string): { l1: Chan; l2: Chan; phone: Chan } {
  const [l1, l2] = pbx.local(ext, 'from-internal', trunk.linkedid);
  pbx.dialBegin(trunk, l1, `${ext}@from-internal/n`);
  const phone = pbx.newChannel(`PJSIP/${ext}`, { linkedid: trunk.linkedid, callerIdNum: ext, context: 'from-internal', exten: ext });
  pbx.dialBegin(l2, phone, `PJSIP/${ext}`);
  pbx.state(phone, 'Ringing').state(l2, 'Ringing').state(l1, 'Ringing');
  return { l1, l2, phone };
}

t.test('a ring group through Local channels rings each agent once and the answering agent takes the call', (t) => {
  const pbx = new FakePbx();
  const tracker = newTracker();
  const trunk = customerCalls(pbx);
  const a = ringMember(pbx, trunk, '101');
  const b = ringMember(pbx, trunk, '102');
  pbx.wait(3000);
  // 102 answers: its phone, then its Local pair, then the caller.
  pbx.state(b.phone, 'Up').dialEnd(b.l2, b.phone, 'ANSWER').state(b.l2, 'Up').state(b.l1, 'Up');
  pbx.dialEnd(trunk, b.l1, 'ANSWER').state(trunk, 'Up');
  // Dial cancels the other member: its Local pair first, then (inside ;2) the phone.
  pbx.dialEnd(trunk, a.l1, 'CANCEL').hangup(a.l1, '26').dialEnd(a.l2, a.phone, 'CANCEL');
  pbx.hangup(a.phone, '26', 'Answered elsewhere').hangup(a.l2, '26');
  pbx.bridgeEnter(trunk, 'br-1').bridgeEnter(b.l1, 'br-1').bridgeEnter(b.l2, 'br-2').bridgeEnter(b.phone, 'br-2');
  pbx.localBridge(b.l1, b.l2);
  // The Local pair optimises itself away: the caller ends up bridged with the phone.
  pbx.localOptimization('Begin', b.l1, b.l2, trunk).bridgeLeave(b.l1, 'br-1').bridgeLeave(b.phone, 'br-2');
  pbx.bridgeEnter(b.phone, 'br-1').localOptimization('End', b.l1, b.l2);
  pbx.hangup(b.l1).hangup(b.l2);
  pbx.wait(5000).hangupRequest(trunk).bridgeLeave(trunk, 'br-1').hangup(trunk).bridgeLeave(b.phone, 'br-1').hangup(b.phone);

  const facts = pbx.run(tracker);
  t.same(agentFacts(facts), ['ringing:101', 'ringing:102', 'answered:102:first', 'stopped:101:taken']);
  const ended = facts.filter((f) => f.kind === 'call.ended');
  t.equal(ended.length, 1, 'one call, ended once, although seven channels took part');
  const call = ended[0].call;
  t.equal(call.supportLine, true);
  t.equal(call.answeredBy, '102');
  t.equal(call.owner, '102', 'the Local optimisation does not look like a transfer');
  t.notOk(facts.some((f) => f.kind === 'call.transferred'));
  t.same(
    call.legs.map((l) => [l.extension, l.endReason]),
    [
      ['101', 'taken'],
      ['102', 'answered'],
    ],
  );
  t.equal(call.legs[1].endedAt?.getTime(), call.endedAt?.getTime(), "102's leg lasts until the phone hangs up");
  t.equal(tracker.size, 0);
  t.end();
});

t.test('a Local ring group whose caller gives up ends every ringing phone with caller_gone', (t) => {
  const pbx = new FakePbx();
  const trunk = customerCalls(pbx);
  const a = ringMember(pbx, trunk, '101');
  const b = ringMember(pbx, trunk, '102');
  pbx.wait(9000).hangupRequest(trunk);
  for (const m of [a, b]) {
    pbx.dialEnd(trunk, m.l1, 'CANCEL').hangup(m.l1).dialEnd(m.l2, m.phone, 'CANCEL').hangup(m.phone).hangup(m.l2);
  }
  pbx.hangup(trunk, '0', 'Unknown');
  const facts = pbx.run(newTracker());
  t.same(agentFacts(facts), ['ringing:101', 'ringing:102', 'stopped:101:caller_gone', 'stopped:102:caller_gone']);
  const call = facts.at(-1)!.call;
  t.equal(call.outcome, 'missed');
  t.equal(call.answeredBy, null);
  t.end();
});

t.test('a PJSIP endpoint with two contacts rings as one leg and is answered once', (t) => {
  const pbx = new FakePbx();
  const trunk = customerCalls(pbx);
  const desk = pbx.newChannel('PJSIP/101', { linkedid: trunk.linkedid, callerIdNum: '101', exten: '101' });
  const soft = pbx.newChannel('PJSIP/101', { linkedid: trunk.linkedid, callerIdNum: '101', exten: '101' });
  pbx.dialBegin(trunk, desk, 'PJSIP/101').dialBegin(trunk, soft, 'PJSIP/101');
  pbx.state(desk, 'Ringing').state(soft, 'Ringing').wait(2000);
  pbx.state(soft, 'Up').dialEnd(trunk, desk, 'CANCEL').hangup(desk, '26').dialEnd(trunk, soft, 'ANSWER').state(trunk, 'Up');
  pbx.wait(4000).hangup(trunk).hangup(soft);
  const facts = pbx.run(newTracker());
  t.same(agentFacts(facts), ['ringing:101', 'answered:101:first']);
  t.same(
    facts.at(-1)!.call.legs.map((l) => l.endReason),
    ['answered'],
  );
  t.end();
});
