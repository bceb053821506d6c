// Call pickup: a phone that was not rung takes a colleague's ringing call (Asterisk's `Pickup`).
// The recorded group pickup (P17), directed and queue pickups composed from it, and pickups in
// calls that already went through a transfer or a queue.
import t from 'tap';
import type { CallFact } from '../../../src/calls/model';
import { readCapture, readTruth, type AmiRecord } from '../../helpers/jsonl';
import { FakePbx, type Chan } from './fake-pbx';
import { agentFacts, factsOf, newTracker, replay, type TapTest } from './replay';

const truth = readTruth<{ captures: { connected_wall: string }[]; calls: { support_linkedid: string; answered_wall: string }[] }>('P17-pickup');
const WALL = truth.captures[0].connected_wall;
const LINKEDID = truth.calls[0].support_linkedid;
const PICKER = 'PJSIP/102-00000002';

/** P17 with each record's fields changed by `edit` (null drops the record). */
function composed(edit: (f: Record<string, string>, i: number) => Record<string, string> | Record<string, string>[] | null): AmiRecord[] {
  const out: AmiRecord[] = [];
  readCapture('P17-pickup').forEach((r, i) => {
    const e = edit({ ...r.fields }, i);
    if (e === null) return;
    for (const fields of Array.isArray(e) ? e : [e]) out.push({ t: r.t, fields });
  });
  return out;
}

/** The customer call as P17's truth has it: answered by 102 by pickup, 101 rung and taken, nothing else. */
function takenBy102(t: TapTest, facts: CallFact[]): void {
  t.equal(facts.filter((f) => f.kind === 'call.started').length, 1, "one call: the picker's call to the pickup code is absorbed");
  const call = factsOf(facts, LINKEDID).at(-1)!.call;
  t.equal(call.outcome, 'answered', 'answered, not missed');
  t.equal(call.answeredBy, '102', 'answered by the picker');
  t.equal(call.owner, '102', 'the call (and its draft) belongs to the picker');
  t.ok(Math.abs(call.answeredAt!.getTime() - Date.parse(truth.calls[0].answered_wall)) < 50, 'answered at the pickup');
  t.same(
    call.legs.map((l) => [l.extension, l.endReason, l.via ?? null]),
    [
      ['101', 'taken', null],
      ['102', 'answered', 'pickup'],
    ],
    '101 was rung and the call taken from it; 102 was reached by pickup',
  );
  t.same(agentFacts(facts), ['ringing:101', 'answered:102:first', 'stopped:101:taken'], 'what the screens are told');
}

t.test('a group pickup (*8) of a call ringing at 101 is answered by 102 (P17)', (t) => {
  const tracker = newTracker();
  const { facts, invalid } = replay(tracker, readCapture('P17-pickup'), WALL);
  t.equal(invalid, 0);
  takenBy102(t, facts);
  t.equal(tracker.size, 0, 'nothing is kept once the call ended');
  t.end();
});

t.test('a directed pickup (Pickup(101@agents), a BLF key) is the same pickup', (t) => {
  // The picker dials 101's own pickup code instead of the group's *8; the PBX reports the same Pickup.
  const records = composed((f) => {
    if (f.Channel === PICKER && f.Exten === '*8') f.Exten = '**101';
    if (f.Event === 'Newexten' && f.Channel === PICKER && f.Application === 'AppDial') return [{ ...f, Exten: '**101', Application: 'Pickup', AppData: '101@agents' }, f];
    return f;
  });
  t.ok(records.some((r) => r.fields.Application === 'Pickup'), 'the variant runs Pickup()');
  const tracker = newTracker();
  takenBy102(t, replay(tracker, records, WALL).facts);
  t.equal(tracker.size, 0);
  t.end();
});

t.test("a pickup of a queue member's ringing phone answers the queue call for the picker, not for the member", (t) => {
  // The same call through queue `support`: the queue answers the caller first, rings its member 101,
  // and reports the connection (AgentConnect, Interface PJSIP/101) with the picker's channel.
  const trunk = (f: Record<string, string>) => f.Channel === 'PJSIP/pstn-00000000';
  const records = composed((f) => {
    if (trunk(f) && f.Event === 'Newexten' && f.Application === 'Dial') {
      const q = { ...f, Application: 'Queue', AppData: 'support' };
      const up: Record<string, string> = { ...f, Event: 'Newstate', ChannelState: '6', ChannelStateDesc: 'Up' };
      delete up.Application;
      delete up.AppData;
      return [q, up, { ...up, Event: 'QueueCallerJoin', Queue: 'support', Position: '1', Count: '1' }];
    }
    if (trunk(f) && f.Event === 'Newstate' && f.ChannelStateDesc === 'Up') return null; // answered by the queue already
    if (f.Event === 'DialBegin') return { ...f, DialString: 'PJSIP/101' };
    if (f.Event === 'DialEnd' && f.DialStatus === 'ANSWER') {
      const dest: Record<string, string> = {};
      for (const [k, v] of Object.entries(f)) if (k.startsWith('Dest')) dest[k] = v;
      return [f, { ...f, ...dest, Event: 'AgentConnect', Queue: 'support', Interface: 'PJSIP/101', MemberName: 'Agent 101', HoldTime: '3', RingTime: '3' }];
    }
    return f;
  });
  const tracker = newTracker();
  const { facts } = replay(tracker, records, WALL);
  takenBy102(t, facts);
  t.equal(factsOf(facts, LINKEDID).at(-1)!.call.queue, 'support', 'the queue is recorded');
  t.equal(tracker.size, 0);
  t.end();
});

t.test('a phone that is no agent picks up: the call is answered and the leg names its extension', (t) => {
  const records = composed((f) => {
    const s = JSON.stringify(f).replaceAll('PJSIP/102-', 'PJSIP/105-').replaceAll('"102"', '"105"');
    return JSON.parse(s) as Record<string, string>;
  });
  const facts = replay(newTracker(), records, WALL).facts;
  const call = facts.at(-1)!.call;
  t.equal(call.outcome, 'answered');
  t.equal(call.answeredBy, '105');
  t.same(call.legs.map((l) => [l.extension, l.endReason, l.via ?? null]), [
    ['101', 'taken', null],
    ['105', 'answered', 'pickup'],
  ]);
  t.end();
});

/** `ext` dials the pickup code and takes the call ringing at `target` (the P17 order of events). */
function pickUp(pbx: FakePbx, caller: Chan, target: Chan, ext: string): Chan {
  const picker = pbx.newChannel(`PJSIP/${ext}`, { callerIdNum: ext, context: 'agents', exten: '*8', state: 'Ring' });
  pbx.state(picker, 'Up').wait(20).dialEnd(caller, picker, 'ANSWER');
  pbx.pickup(picker, target).hangup(target).bridgeEnter(picker, 'br-p').bridgeEnter(caller, 'br-p');
  return picker;
}

function ring(pbx: FakePbx, caller: Chan, ext: string): Chan {
  const phone = pbx.newChannel(`PJSIP/${ext}`, { linkedid: caller.linkedid, callerIdNum: ext, context: 'agents' });
  pbx.dialBegin(caller, phone, `PJSIP/${ext}`).state(phone, 'Ringing');
  return phone;
}

t.test('a pickup after a blind transfer keeps every earlier leg and hands the call over from the transferer', (t) => {
  const pbx = new FakePbx();
  const trunk = pbx.newChannel('PJSIP/pstn', { callerIdNum: '+79111234567', context: 'from-pstn', exten: '79219416004', state: 'Ring' });
  const a = ring(pbx, trunk, '101');
  pbx.wait(2000).state(a, 'Up').dialEnd(trunk, a, 'ANSWER').state(trunk, 'Up').wait(3000);
  pbx.blindTransfer(a, trunk, '103', 'br-a').hangup(a);
  const c = ring(pbx, trunk, '103');
  pbx.wait(3000);
  const picker = pickUp(pbx, trunk, c, '102');
  picker.linkedid = trunk.linkedid;
  pbx.wait(5000).hangup(trunk).hangup(picker);
  const facts = factsOf(pbx.run(newTracker()), trunk.uniqueid);
  const call = facts.at(-1)!.call;
  t.same(
    call.legs.map((l) => [l.extension, l.endReason, l.via ?? null]),
    [
      ['101', 'answered', null],
      ['103', 'taken', null],
      ['102', 'answered', 'pickup'],
    ],
    'every leg, each ended the way it did',
  );
  t.equal(call.answeredBy, '101', 'answered by the first agent');
  t.equal(call.owner, '102', 'owned by the picker');
  t.ok(agentFacts(facts).includes('transferred:101>102'), 'the transferer hands the call (and its draft) to the picker');
  t.end();
});

t.test('a pickup during a queue ring keeps the legs of the phones the queue rang', (t) => {
  const pbx = new FakePbx();
  const trunk = pbx.newChannel('PJSIP/pstn', { callerIdNum: '+79111234567', context: 'from-pstn', exten: '79219416004', state: 'Ring' });
  pbx.state(trunk, 'Up').queueCallerJoin(trunk, 'support');
  const a = ring(pbx, trunk, '101');
  pbx.wait(6000).dialEnd(trunk, a, 'NOANSWER').agent('AgentRingNoAnswer', trunk, a, 'support', 'PJSIP/101').hangup(a);
  const b = ring(pbx, trunk, '103');
  const c = ring(pbx, trunk, '104');
  pbx.wait(2000);
  const picker = pickUp(pbx, trunk, b, '102');
  pbx.agent('AgentConnect', trunk, picker, 'support', 'PJSIP/103').dialEnd(trunk, c, 'CANCEL').hangup(c);
  picker.linkedid = trunk.linkedid;
  pbx.wait(5000).hangup(trunk).hangup(picker);
  const facts = factsOf(pbx.run(newTracker()), trunk.uniqueid);
  const call = facts.at(-1)!.call;
  t.same(
    call.legs.map((l) => [l.extension, l.endReason, l.via ?? null]),
    [
      ['101', 'no_answer', null],
      ['103', 'taken', null],
      ['104', 'taken', null],
      ['102', 'answered', 'pickup'],
    ],
  );
  t.equal(call.answeredBy, '102');
  t.equal(call.outcome, 'answered');
  t.end();
});

t.test("an agent's call to the pickup code that finds nothing to pick up is still logged, once it ends", (t) => {
  const pbx = new FakePbx();
  const own = pbx.newChannel('PJSIP/102', { callerIdNum: '102', context: 'agents', exten: '*8', state: 'Ring' });
  pbx.state(own, 'Up').wait(1000);
  const tracker = newTracker();
  t.same(pbx.run(tracker), [], 'nothing announced while it reaches no one');
  const n = pbx.messages.length;
  pbx.hangup(own);
  const facts = pbx.run(tracker, undefined, n);
  t.same(
    facts.map((f) => [f.kind, f.call.direction]),
    [
      ['call.started', 'internal'],
      ['call.ended', 'internal'],
    ],
    'started, then ended: logged as the internal call it was',
  );
  t.equal(tracker.size, 0);
  t.end();
});

t.test("an agent's call still held back is announced by the reconcile after a reconnect", (t) => {
  const pbx = new FakePbx();
  const own = pbx.newChannel('PJSIP/102', { callerIdNum: '102', context: 'agents', exten: '*97', state: 'Ring' });
  pbx.state(own, 'Up');
  const tracker = newTracker();
  tracker.reconcile([], new Date(0)); // connected: nothing live yet
  pbx.run(tracker);
  tracker.markGap(new Date());
  const facts = tracker.reconcile([], new Date());
  t.same(facts.map((f) => f.kind), ['call.started', 'call.ended'], 'gone while we could not see: started, then closed');
  t.end();
});
