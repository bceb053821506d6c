// No call live at a reconnect or restart is lost: S9 (a client connecting mid-call), gaps, restarts.
import t from 'tap';
import type { ListedChannel } from '../../../src/calls/events';
import { readCapture, readTruth } from '../../helpers/jsonl';
import { agentFacts, factsOf, liveChannelsOf, newTracker, replay, SUPPORT } from './replay';

interface Truth {
  captures: { name: string; connected_wall: string }[];
  calls: { support_linkedid: string; start_wall: string; end_wall: string }[];
}
const truth = readTruth<Truth>('S9-reconnect');
const wallOf = (name: string) => truth.captures.find((c) => c.name === name)!.connected_wall;
const linkedid = truth.calls[0].support_linkedid;
const primary = readCapture('S9-reconnect-primary');
const second = readCapture('S9-reconnect');
const primaryBase = Date.parse(wallOf('S9-reconnect-primary'));
const secondBase = Date.parse(wallOf('S9-reconnect'));
/** Where the second client's CoreShowChannels/Status answers end. */
const answersEnd = second.findIndex((r) => r.fields.Event === 'StatusComplete');
const reconcileAt = new Date(secondBase + second[answersEnd].t);
const live = liveChannelsOf(second);
/** The primary stream's index of the first message after the second client connected. */
const splitAt = primary.findIndex((r) => primaryBase + r.t > reconcileAt.getTime());

t.test('a call already live when the service connects is opened with its DID from Status and ends normally (S9)', (t) => {
  const tracker = newTracker();
  const opened = tracker.reconcile(live, reconcileAt);
  t.same(
    opened.map((f) => f.kind),
    ['call.started', 'leg.answered'],
    'the call, then the agent already talking (no ringing to announce)',
  );
  const call = opened[0].call;
  t.equal(call.linkedid, linkedid);
  t.equal(call.direction, 'inbound');
  t.equal(call.did, SUPPORT, 'the DID comes from DNID, not from Exten "dial"');
  t.equal(call.supportLine, true, 'so the draft is created');
  t.equal(call.callerNumber, '+79111234567');
  t.equal(call.gap, true);
  t.ok(Math.abs(call.startedAt.getTime() - Date.parse(truth.calls[0].start_wall)) < 1500, 'started about when it did');
  const answered = opened[1];
  t.equal(answered.kind === 'leg.answered' && answered.extension, '101');
  t.equal(answered.kind === 'leg.answered' && answered.first, true);
  t.equal(answered.call.answeredBy, '101');

  const rest = replay(tracker, second, wallOf('S9-reconnect'), answersEnd + 1).facts;
  t.same(
    rest.map((f) => f.kind),
    ['call.ended'],
  );
  const ended = rest[0].call;
  t.equal(ended.outcome, 'answered');
  t.equal(ended.gap, true);
  t.ok(Math.abs(ended.endedAt!.getTime() - Date.parse(truth.calls[0].end_wall)) < 50);
  t.same(
    ended.legs.map((l) => [l.extension, l.endReason, l.endedAt !== null]),
    [['101', 'answered', true]],
  );
  t.equal(tracker.size, 0);
  t.end();
});

t.test('a call the service already follows is not opened twice when it reconnects', (t) => {
  const tracker = newTracker();
  const before = replay(tracker, primary.slice(0, splitAt), wallOf('S9-reconnect-primary')).facts;
  tracker.markGap(reconcileAt);
  const during = tracker.reconcile(live, reconcileAt);
  t.same(
    during.map((f) => f.kind),
    ['call.updated'],
    'only the gap is reported',
  );
  t.equal(during[0].call.gap, true);
  const after = replay(tracker, primary, wallOf('S9-reconnect-primary'), splitAt).facts;
  const all = factsOf([...before, ...during, ...after], linkedid);
  t.equal(all.filter((f) => f.kind === 'call.started').length, 1);
  t.equal(all.filter((f) => f.kind === 'call.ended').length, 1);
  t.same(agentFacts(all), ['ringing:101', 'answered:101:first']);
  const ended = all.at(-1)!.call;
  t.equal(ended.outcome, 'answered');
  t.equal(ended.gap, true);
  t.end();
});

t.test('a call that ended while the PBX was out of sight is closed with a gap', (t) => {
  t.test('answered before the gap: outcome answered', (t) => {
    const tracker = newTracker();
    replay(tracker, primary.slice(0, splitAt), wallOf('S9-reconnect-primary'));
    tracker.markGap(reconcileAt);
    const facts = tracker.reconcile([], new Date(reconcileAt.getTime() + 20000));
    t.same(
      facts.map((f) => f.kind),
      ['call.ended'],
    );
    t.equal(facts[0].call.outcome, 'answered');
    t.equal(facts[0].call.gap, true);
    t.equal(facts[0].call.legs[0].endedAt?.getTime(), reconcileAt.getTime() + 20000);
    t.equal(tracker.size, 0);
    t.end();
  });
  t.test('still ringing before the gap: outcome unknown, the ringing stopped', (t) => {
    const tracker = newTracker();
    const ringing = primary.findIndex((r) => r.fields.Event === 'DialState');
    replay(tracker, primary.slice(0, ringing + 1), wallOf('S9-reconnect-primary'));
    tracker.markGap(reconcileAt);
    const facts = tracker.reconcile([], reconcileAt);
    t.same(agentFacts(facts), ['stopped:101:caller_gone']);
    t.equal(facts.at(-1)!.kind, 'call.ended');
    t.equal(facts.at(-1)!.call.outcome, 'unknown', 'it may have been answered while we could not see');
    t.end();
  });
  t.end();
});

t.test('after a restart, a call the database still thinks live is followed again, not duplicated', (t) => {
  const before = newTracker();
  replay(before, primary.slice(0, splitAt), wallOf('S9-reconnect-primary'));
  const stored = before.liveCalls();
  t.equal(stored.length, 1);

  const tracker = newTracker();
  tracker.restore(stored);
  t.equal(tracker.size, 1);
  const during = tracker.reconcile(live, reconcileAt);
  t.same(
    during.map((f) => f.kind),
    ['call.updated'],
    'no second start, no second answer',
  );
  t.equal(during[0].call.gap, true);
  const after = replay(tracker, primary, wallOf('S9-reconnect-primary'), splitAt).facts;
  t.same(
    after.map((f) => f.kind),
    ['call.ended'],
  );
  const ended = after[0].call;
  t.equal(ended.answeredBy, '101');
  t.equal(ended.legs.length, 1, 'the restored leg is the live phone');
  t.equal(ended.outcome, 'answered');
  t.equal(tracker.size, 0);
  t.end();
});

t.test('a restored call the PBX no longer has is closed as unknown, or answered if it was', (t) => {
  const before = newTracker();
  const ringing = primary.findIndex((r) => r.fields.Event === 'DialState');
  replay(before, primary.slice(0, ringing + 1), wallOf('S9-reconnect-primary'));
  const tracker = newTracker();
  tracker.restore(before.liveCalls());
  // Before the reconcile, a hang-up of a channel we have not matched yet must not end it.
  const lastHangup = primary.map((r) => r.fields.Event).lastIndexOf('Hangup');
  const early = replay(tracker, primary.slice(0, lastHangup + 1), wallOf('S9-reconnect-primary'), lastHangup).facts;
  t.same(early, []);
  const facts = tracker.reconcile([], reconcileAt);
  t.same(
    facts.map((f) => f.kind),
    ['leg.ring_stopped', 'call.ended'],
  );
  t.equal(facts.at(-1)!.call.outcome, 'unknown');
  t.end();
});

t.test('a call that ends after the reconnect but before the live-channel answer is still logged', (t) => {
  // Events that arrive between the login and the CoreShowChannels answer are of calls we could not
  // see: the call is opened from them (gap) rather than lost.
  const tracker = newTracker();
  const facts = replay(tracker, primary, wallOf('S9-reconnect-primary'), splitAt).facts;
  const started = facts.filter((f) => f.kind === 'call.started');
  const ended = facts.filter((f) => f.kind === 'call.ended');
  t.equal(started.length, 1, 'opened once');
  t.equal(ended.length, 1, 'ended once');
  t.equal(ended[0].call.gap, true, 'flagged: part of it was unseen');
  t.equal(ended[0].call.outcome, 'unknown', 'whether an agent answered was not seen');
  t.equal(tracker.size, 0);
  t.end();
});

t.test('after the reconcile, events of a call never seen are not a call', (t) => {
  const tracker = newTracker();
  tracker.reconcile([], new Date(Date.UTC(2026, 10, 26, 10, 0, 0)));
  const mid = replay(tracker, primary, wallOf('S9-reconnect-primary'), splitAt).facts;
  t.same(mid, []);
  t.equal(tracker.size, 0);
  t.end();
});

t.test('calls restored for another PBX are left to that PBX', (t) => {
  const before = newTracker();
  replay(before, primary.slice(0, splitAt), wallOf('S9-reconnect-primary'));
  const other = newTracker({ pbx: 'other' });
  other.restore(before.liveCalls());
  t.equal(other.size, 0);
  t.end();
});

t.test('calls found live after a restart are classified like calls seen from their start', (t) => {
  const at = new Date(Date.UTC(2026, 10, 26, 10, 0, 0));
  const ch = (o: Partial<ListedChannel> & Pick<ListedChannel, 'channel' | 'uniqueid' | 'linkedid' | 'state'>): ListedChannel => ({
    callerIdNum: null,
    callerIdName: null,
    connectedLineNum: null,
    connectedLineName: null,
    context: null,
    exten: null,
    application: null,
    applicationData: null,
    durationSeconds: null,
    bridgeId: null,
    dnid: null,
    ...o,
  });
  const live: ListedChannel[] = [
    // A customer waiting in a queue (answered by the PBX), 101 ringing through a Local member.
    ch({ channel: 'PJSIP/pstn-00000010', uniqueid: '100.1', linkedid: '100.1', state: 'up', callerIdNum: '89111234567', exten: 'queue', dnid: '+79219416004', durationSeconds: 20 }),
    ch({ channel: 'Local/101@from-queue-00000001;1', uniqueid: '100.2', linkedid: '100.1', state: 'ringing', durationSeconds: 5 }),
    ch({ channel: 'Local/101@from-queue-00000001;2', uniqueid: '100.3', linkedid: '100.1', state: 'ringing', durationSeconds: 5 }),
    ch({ channel: 'PJSIP/101-00000011', uniqueid: '100.4', linkedid: '100.1', state: 'ringing', durationSeconds: 5 }),
    // 102 talking to a customer it called.
    ch({ channel: 'PJSIP/102-00000012', uniqueid: '200.1', linkedid: '200.1', state: 'up', callerIdNum: '102', exten: '89111234567', dnid: '89111234567', durationSeconds: 30 }),
    ch({ channel: 'PJSIP/pstn-00000013', uniqueid: '200.2', linkedid: '200.1', state: 'up', callerIdNum: '89111234567', durationSeconds: 28 }),
    // 103 calling 104, ringing.
    ch({ channel: 'PJSIP/103-00000014', uniqueid: '300.1', linkedid: '300.1', state: 'ring', callerIdNum: '103', exten: '104', durationSeconds: 3 }),
    ch({ channel: 'PJSIP/104-00000015', uniqueid: '300.2', linkedid: '300.1', state: 'ringing', durationSeconds: 3 }),
  ];
  const tracker = newTracker();
  const facts = tracker.reconcile(live, at);
  t.same(
    facts.map((f) => `${f.call.linkedid} ${f.kind}`),
    ['100.1 call.started', '100.1 leg.ringing', '200.1 call.started', '200.1 call.updated', '300.1 call.started', '300.1 leg.ringing'],
  );
  const queued = facts[1].call;
  t.match(queued, { direction: 'inbound', supportLine: true, callerNumber: '+79111234567', did: SUPPORT, answeredBy: null, gap: true });
  t.equal(queued.startedAt.getTime(), at.getTime() - 20000);
  t.same(
    queued.legs.map((l) => [l.extension, l.ringAt.getTime()]),
    [['101', at.getTime() - 5000]],
    'one leg for the phone, none for its Local pair',
  );
  const outbound = facts[3].call;
  t.match(outbound, { direction: 'outbound', supportLine: false, calledNumber: '+79111234567', answeredBy: '102', owner: '102' });
  const internal = facts[5].call;
  t.match(internal, { direction: 'internal', callerNumberRaw: '103', answeredBy: null });
  t.equal(tracker.size, 3);
  t.equal(tracker.channelCount, 8);
  t.end();
});
