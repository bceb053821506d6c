// A blocked caller is decided where the call begins: from the caller's number in E.164 and the
// call's start, asked of the context (an in-memory set in the service), once.
import t from 'tap';
import { FakePbx } from './fake-pbx';
import { newTracker } from './replay';
import { BlockedSet, checkBlock } from '../../../src/calls/blocking';

const START = Date.UTC(2026, 10, 26, 9, 0, 0);

function inbound(pbx: FakePbx, caller: string) {
  return pbx.newChannel('PJSIP/mts', { callerIdNum: caller, callerIdName: caller, context: 'from-trunk', exten: '+79219416004', state: 'Ring' });
}

t.test('a call from a blocked number is flagged blocked, asked once with its number in E.164 and its start', (t) => {
  const asked: [string, number][] = [];
  const pbx = new FakePbx();
  inbound(pbx, '89111234567');
  const facts = pbx.run(newTracker({ isBlocked: (n, at) => (asked.push([n, at.getTime()]), n === '+79111234567') }), START);
  t.equal(facts[0].kind, 'call.started');
  t.equal(facts[0].call.blocked, true);
  t.equal(facts[0].call.supportLine, true, 'still a support-line call: only what it does differs');
  t.same(asked, [['+79111234567', START]]);
  t.end();
});

t.test('a call from any other number, or with the number withheld, is not blocked', (t) => {
  const pbx = new FakePbx();
  inbound(pbx, '+79213334455');
  inbound(pbx, 'anonymous');
  const asked: string[] = [];
  const facts = pbx.run(newTracker({ isBlocked: (n) => (asked.push(n), n === '+79111234567') }), START);
  t.same(facts.filter((f) => f.kind === 'call.started').map((f) => f.call.blocked), [false, false]);
  t.same(asked, ['+79213334455'], 'a withheld number is never asked about');
  t.end();
});

t.test('a block that ends before the call starts blocks nothing; one that ends after blocks it', (t) => {
  const until = START + 60_000;
  const isBlocked = (n: string, at: Date) => n === '+79111234567' && at.getTime() < until;
  const pbx = new FakePbx();
  inbound(pbx, '+79111234567');
  pbx.wait(120_000);
  inbound(pbx, '+79111234567');
  const started = pbx.run(newTracker({ isBlocked }), START).filter((f) => f.kind === 'call.started');
  t.same(started.map((f) => f.call.blocked), [true, false]);
  t.end();
});

t.test('an agent calling a blocked number out is not blocked: only callers are', (t) => {
  const pbx = new FakePbx();
  const phone = pbx.newChannel('PJSIP/101', { callerIdNum: '101', exten: '89111234567', state: 'Ring' });
  const trunk = pbx.newChannel('PJSIP/mts', { linkedid: phone.linkedid, callerIdNum: '+79111234567', exten: '+79111234567' });
  pbx.dialBegin(phone, trunk, 'PJSIP/89111234567@mts');
  const facts = pbx.run(newTracker({ isBlocked: () => true }), START);
  t.ok(facts.length > 0);
  t.ok(facts.every((f) => f.call.blocked === false));
  t.end();
});

t.test('what a block asks for is checked: a phone number, a reason, an end in the future', (t) => {
  const now = new Date(START);
  t.same(checkBlock({ number: '8 (911) 123-45-67', reason: ' spam ' }, now), { number: '+79111234567', reason: 'spam', until: null });
  t.same(checkBlock({ number: '+79111234567', reason: 'x', until: '2026-12-01T00:00:00Z' }, now).until, new Date('2026-12-01T00:00:00Z'));
  t.throws(() => checkBlock({ number: '101', reason: 'x' }, now), { name: 'ValidationError', field: 'number' });
  t.throws(() => checkBlock({ number: 'hello', reason: 'x' }, now), { name: 'ValidationError', field: 'number' });
  t.throws(() => checkBlock({ number: '+79111234567', reason: '   ' }, now), { name: 'ValidationError', field: 'reason' });
  t.throws(() => checkBlock({ number: '+79111234567', reason: 'x', until: '2026-11-26T08:59:59Z' }, now), { name: 'ValidationError', field: 'until' });
  t.end();
});

t.test('the set of blocks: a number is blocked until its block ends, for good when it has no end', (t) => {
  const set = new BlockedSet();
  const end = new Date(START + 60_000);
  set.replace([{ number: '+79111234567', until: end }, { number: '+79213334455', until: null }]);
  t.equal(set.has('+79111234567', new Date(START)), true);
  t.equal(set.has('+79111234567', end), false, 'not at its end');
  t.equal(set.has('+79213334455', new Date(START + 10 ** 12)), true);
  t.equal(set.has('+79990000000', new Date(START)), false);
  set.replace([]);
  t.equal(set.has('+79213334455', new Date(START)), false, 'an unblock takes effect with the next load');
  t.end();
});
