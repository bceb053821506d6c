// Queues: the PBX answers the caller itself, members are rung (directly or through Local
// channels), move on when a member does not answer, and callers may give up waiting.
import t from 'tap';
import { FakePbx, type Chan } from './fake-pbx';
import { agentFacts, newTracker } from './replay';

function queuedCaller(pbx: FakePbx, caller = '+79119876543'): Chan {
  const trunk = pbx.newChannel('PJSIP/pstn', { callerIdNum: caller, context: 'from-pstn', exten: '89219416004', state: 'Ring' });
  // The queue answers the caller: the channel is Up long before any agent is.
  pbx.state(trunk, 'Up').queueCallerJoin(trunk, 'support');
  return trunk;
}

/** app_queue ringing a Local member (`Local/101@from-queue/n`), which rings the phone. */
function ringLocalMember(pbx: FakePbx, trunk: Chan, ext: string) {
  const iface = `Local/${ext}@from-queue/n`;
  const [l1, l2] = pbx.local(ext, 'from-queue', trunk.linkedid);
  pbx.agent('AgentCalled', trunk, l1, 'support', iface).dialBegin(trunk, l1, iface);
  const phone = pbx.newChannel(`PJSIP/${ext}`, { linkedid: trunk.linkedid, callerIdNum: ext, exten: ext });
  pbx.dialBegin(l2, phone, `PJSIP/${ext}`).state(phone, 'Ringing').state(l1, 'Ringing');
  return { iface, l1, l2, phone };
}

t.test('a queue that moves on from an agent who does not answer records no_answer, and the next agent answers', (t) => {
  const pbx = new FakePbx();
  const tracker = newTracker();
  const trunk = queuedCaller(pbx);
  pbx.wait(500);
  const first = ringLocalMember(pbx, trunk, '101');
  pbx.wait(6000).agent('AgentRingNoAnswer', trunk, first.l1, 'support', first.iface);
  pbx.dialEnd(trunk, first.l1, 'NOANSWER').hangup(first.l1).dialEnd(first.l2, first.phone, 'CANCEL');
  pbx.hangup(first.phone).hangup(first.l2);
  const second = ringLocalMember(pbx, trunk, '102');
  pbx.wait(6000).agent('AgentRingNoAnswer', trunk, second.l1, 'support', second.iface);
  pbx.dialEnd(trunk, second.l1, 'NOANSWER').hangup(second.l1).hangup(second.phone).hangup(second.l2);
  // Round two: 101 again, and this time they answer.
  const again = ringLocalMember(pbx, trunk, '101');
  pbx.wait(2000).state(again.phone, 'Up').dialEnd(again.l2, again.phone, 'ANSWER').state(again.l1, 'Up');
  const answeredAt = 500 + 6000 + 6000 + 2000;
  pbx.dialEnd(trunk, again.l1, 'ANSWER').queueCallerLeave(trunk, 'support');
  pbx.agent('AgentConnect', trunk, again.l1, 'support', again.iface);
  pbx.wait(20000).hangup(trunk).hangup(again.l1).hangup(again.l2).hangup(again.phone);
  pbx.agent('AgentComplete', trunk, again.l1, 'support', again.iface);

  const facts = pbx.run(tracker, 0);
  t.same(agentFacts(facts), [
    'ringing:101',
    'stopped:101:no_answer',
    'ringing:102',
    'stopped:102:no_answer',
    'ringing:101',
    'answered:101:first',
  ]);
  const call = facts.filter((f) => f.kind === 'call.ended')[0].call;
  t.equal(call.queue, 'support');
  t.same(
    call.legs.map((l) => [l.extension, l.endReason]),
    [
      ['101', 'no_answer'],
      ['102', 'no_answer'],
      ['101', 'answered'],
    ],
    'a new leg each time an agent is rung again',
  );
  t.equal(call.answeredAt?.getTime(), answeredAt, "answered when the agent's phone was");
  t.equal(call.outcome, 'answered');
  t.equal(call.did, '+79219416004');
  t.end();
});

t.test('a caller who gives up in the queue leaves a missed call, although the PBX had answered them', (t) => {
  const pbx = new FakePbx();
  const trunk = queuedCaller(pbx);
  const phones = ['101', '102'].map((ext) => {
    const phone = pbx.newChannel(`SIP/${ext}`, { linkedid: trunk.linkedid, callerIdNum: ext, context: 'agents' });
    pbx.agent('AgentCalled', trunk, phone, 'support', `SIP/${ext}`).dialBegin(trunk, phone, `SIP/${ext}`);
    pbx.state(phone, 'Ringing');
    return phone;
  });
  pbx.wait(8000).queueCallerAbandon(trunk, 'support');
  for (const phone of phones) pbx.dialEnd(trunk, phone, 'CANCEL').dialEnd(trunk, phone, 'CANCEL').hangup(phone);
  pbx.hangup(trunk);

  const facts = pbx.run(newTracker());
  t.same(agentFacts(facts), ['ringing:101', 'ringing:102', 'stopped:101:caller_gone', 'stopped:102:caller_gone']);
  const call = facts.at(-1)!.call;
  t.equal(facts.at(-1)!.kind, 'call.ended');
  t.equal(call.outcome, 'missed');
  t.equal(call.answeredAt, null, "the queue's Answer() is not an agent answering");
  t.equal(call.supportLine, true);
  t.end();
});
