// Surge rule: enough calls, from enough different numbers, and well above what is usual then.
import t from 'tap';
import { DEFAULT_SURGE_THRESHOLDS, detectSurge, type RecentCall } from '../../../src/supervision/surge';

const at = (m: number) => new Date(Date.UTC(2026, 11, 7, 7, m));
const calls = (numbers: (string | null)[]): RecentCall[] => numbers.map((n, i) => ({ id: `c${i}`, callerNumber: n, startedAt: at(i) }));
const five = ['+79110000001', '+79110000002', '+79110000003', '+79110000004', '+79110000005'];

t.test('five calls from five numbers with nothing usual at this hour is a surge, from its first call', async (t) => {
  const s = detectSurge(calls(five), 0, DEFAULT_SURGE_THRESHOLDS);
  t.match(s, { calls: 5, numbers: 5, since: at(0), callIds: ['c0', 'c1', 'c2', 'c3', 'c4'] });
});

t.test('one customer redialling, or a withheld number, does not make the numbers', async (t) => {
  t.equal(detectSurge(calls([...five.slice(0, 4), five[0], five[0]]), 0, DEFAULT_SURGE_THRESHOLDS), null, 'six calls from four numbers');
  t.equal(detectSurge(calls([...five.slice(0, 4), null]), 0, DEFAULT_SURGE_THRESHOLDS), null, 'a withheld number is not a fifth number');
});

t.test('a busy hour is no surge: the calls must be three times the usual for the weekday and hour', async (t) => {
  t.equal(detectSurge(calls(five), 2, DEFAULT_SURGE_THRESHOLDS), null, '5 < 3 × 2');
  t.ok(detectSurge(calls(five), 1.5, DEFAULT_SURGE_THRESHOLDS), '5 ≥ 3 × 1.5');
  t.equal(detectSurge(calls(five), 0, { ...DEFAULT_SURGE_THRESHOLDS, minCalls: 6 }), null, 'the thresholds are settings');
});
