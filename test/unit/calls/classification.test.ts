// Which calls are support-line calls, and who is calling: decided at the call's first channel.
import t from 'tap';
import type { ListedChannel } from '../../../src/calls/events';
import { FakePbx, type Chan } from './fake-pbx';
import { newTracker, SUPPORT } from './replay';

function customer(pbx: FakePbx, o: { trunk?: string; did?: string; caller?: string; name?: string } = {}): Chan {
  return pbx.newChannel(o.trunk ?? 'PJSIP/mts', {
    callerIdNum: o.caller ?? '+79111234567',
    callerIdName: o.name ?? o.caller ?? '+79111234567',
    context: 'from-trunk',
    exten: o.did ?? 's',
    state: 'ring',
  });
}

t.test('a trunk that delivers calls to "s" gets its DID from configuration', (t) => {
  const pbx = new FakePbx();
  customer(pbx, { did: 's' });
  const facts = pbx.run(newTracker({ trunkDids: { mts: '8 (921) 941-60-04' } }));
  t.equal(facts[0].kind, 'call.started');
  t.equal(facts[0].call.did, SUPPORT);
  t.equal(facts[0].call.supportLine, true, 'a support-line draft from the first channel');
  t.end();
});

t.test('a trunk that delivers to "s" without a configured DID learns it from Status after a reconnect', (t) => {
  const pbx = new FakePbx();
  const trunk = customer(pbx, { did: 's' });
  const tracker = newTracker();
  const facts = pbx.run(tracker);
  t.equal(facts[0].call.did, null);
  t.equal(facts[0].call.supportLine, false, 'unknown DID: not a support call (yet)');
  tracker.markGap(new Date(5000));
  const live: ListedChannel[] = [
    {
      channel: trunk.name,
      uniqueid: trunk.uniqueid,
      linkedid: trunk.linkedid,
      state: 'ring',
      callerIdNum: '+79111234567',
      callerIdName: null,
      connectedLineNum: null,
      connectedLineName: null,
      context: 'from-trunk',
      exten: 's',
      application: 'Queue',
      applicationData: 'support',
      durationSeconds: 5,
      bridgeId: null,
      dnid: '79219416004',
    },
  ];
  const after = tracker.reconcile(live, new Date(6000));
  t.same(
    after.map((f) => f.kind),
    ['call.updated'],
  );
  t.equal(after[0].call.did, SUPPORT);
  t.equal(after[0].call.supportLine, true);
  t.equal(after[0].call.gap, true);
  t.end();
});

t.test('the DID in the trunk channel’s first Exten wins over the dialplan taking it elsewhere', (t) => {
  const pbx = new FakePbx();
  const trunk = customer(pbx, { did: '89219416004' });
  // FreePBX's from-trunk jumps to ext-group,600 etc.: Exten changes, the DID does not.
  trunk.exten = '600';
  trunk.context = 'ext-group';
  pbx.state(trunk, 'Ring');
  const facts = pbx.run(newTracker({ trunkDids: { mts: '+78120000000' } }));
  t.equal(facts.at(-1)!.call.did, SUPPORT);
  t.equal(facts.filter((f) => f.kind === 'call.updated').length, 0);
  t.end();
});

t.test('a call to another number of the PBX is logged but is not a support-line call', (t) => {
  const pbx = new FakePbx();
  customer(pbx, { did: '88120000000' });
  const facts = pbx.run(newTracker());
  t.equal(facts[0].call.direction, 'inbound');
  t.equal(facts[0].call.did, '+78120000000');
  t.equal(facts[0].call.supportLine, false);
  t.end();
});

t.test('a customer calling again after a missed call is a new call with the same number', (t) => {
  const pbx = new FakePbx();
  const tracker = newTracker();
  const first = customer(pbx, { did: '+79219416004', caller: '89213334455' });
  pbx.wait(8000).hangup(first, '0');
  pbx.wait(60000);
  const second = customer(pbx, { did: '+79219416004', caller: '+7 921 333-44-55' });
  pbx.wait(8000).hangup(second);
  const ended = pbx.run(tracker).filter((f) => f.kind === 'call.ended');
  t.equal(ended.length, 2);
  t.not(ended[0].call.linkedid, ended[1].call.linkedid);
  t.equal(ended[0].call.callerNumber, '+79213334455');
  t.equal(ended[1].call.callerNumber, '+79213334455', 'any written form gives the same E.164');
  t.same(
    ended.map((f) => f.call.callerNumberRaw),
    ['89213334455', '+7 921 333-44-55'],
    'the raw forms are kept',
  );
  t.same(
    ended.map((f) => f.call.outcome),
    ['missed', 'missed'],
  );
  t.end();
});

t.test('withheld callers have no number, so two of them never look like the same caller', (t) => {
  const pbx = new FakePbx();
  customer(pbx, { did: '+79219416004', caller: 'anonymous', name: 'Anonymous' });
  customer(pbx, { did: '+79219416004', caller: '<unknown>' });
  customer(pbx, { did: '+79219416004', caller: 'Restricted' });
  const started = pbx.run(newTracker()).filter((f) => f.kind === 'call.started');
  t.same(
    started.map((f) => [f.call.callerNumber, f.call.callerName, f.call.supportLine]),
    [
      [null, null, true],
      [null, null, true],
      [null, null, true],
    ],
  );
  t.same(
    started.map((f) => f.call.callerNumberRaw),
    ['anonymous', null, 'Restricted'],
  );
  t.end();
});

t.test('a caller with a real name keeps it', (t) => {
  const pbx = new FakePbx();
  customer(pbx, { did: '+79219416004', caller: '+79111234567', name: 'OOO Romashka' });
  t.equal(pbx.run(newTracker())[0].call.callerName, 'OOO Romashka');
  t.end();
});

t.test('calls starting outside support hours are flagged afterHours', (t) => {
  const pbx = new FakePbx();
  customer(pbx, { did: '+79219416004' });
  const seen: number[] = [];
  const tracker = newTracker({
    isAfterHours: (at) => {
      seen.push(at.getTime());
      return true;
    },
  });
  const facts = pbx.run(tracker, 1_000_000);
  t.equal(facts[0].call.afterHours, true);
  t.same(seen, [1_000_000], 'decided once, at the start, with the clock passed in');
  t.end();
});

t.test('with trunks configured, named PJSIP endpoints are agents and the named trunk is the carrier', (t) => {
  const pbx = new FakePbx();
  const trunk = customer(pbx, { trunk: 'PJSIP/carrier', did: '+79219416004' });
  const phone = pbx.newChannel('PJSIP/ivanov', { linkedid: trunk.linkedid, callerIdNum: 'ivanov' });
  pbx.dialBegin(trunk, phone, 'PJSIP/ivanov').state(phone, 'Ringing').state(phone, 'Up').hangup(trunk).hangup(phone);
  const facts = pbx.run(newTracker({ trunks: ['carrier'] }));
  const call = facts.at(-1)!.call;
  t.equal(call.direction, 'inbound');
  t.equal(call.answeredBy, 'ivanov');
  t.end();
});
