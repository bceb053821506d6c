// R12: support works business days 08:00–20:00 Moscow time by the Russian production calendar in
// config/calendar; calls outside hours are still logged, and flagged `afterHours` by that calendar.
import t, { type Test } from 'tap';
import { AmiPeer } from '../../helpers/ami-peer';
import { loadScenario } from '../../helpers/scenarios';
import { desk, insertCall } from './fixture';

t.test('R12: support hours follow the production calendar the service loads from config', async (t) => {
  const h = await desk(t);
  const cal = h.app.calendar;
  const open = (iso: string) => cal.isOpen(new Date(iso));
  t.equal(open('2026-01-12T07:59:59+03:00'), false, 'before 08:00');
  t.equal(open('2026-01-12T08:00:00+03:00'), true, 'from 08:00 Moscow time (05:00 UTC)');
  t.equal(open('2026-01-12T19:59:59+03:00'), true);
  t.equal(open('2026-01-12T20:00:00+03:00'), false, 'until 20:00');
  t.equal(open('2026-01-09T10:00:00+03:00'), false, 'Fri 9 Jan 2026: a day off moved from 3 Jan by decree 1466');
  t.equal(open('2025-12-31T10:00:00+03:00'), false, '31 Dec 2025: a day off moved from 5 Jan');
  t.equal(open('2025-11-01T10:00:00+03:00'), true, 'Sat 1 Nov 2025 is a working day');
  t.equal(open('2025-11-03T10:00:00+03:00'), false, 'Mon 3 Nov 2025 is a day off');
  t.equal(open('2026-03-09T10:00:00+03:00'), false, 'Mon 9 Mar 2026: 8 March moved');
  t.equal(open('2026-03-14T10:00:00+03:00'), false, 'an ordinary Saturday');
  t.equal(cal.coverage(2025).source, 'official');
  t.equal(cal.coverage(2026).source, 'official');
});

/** Replays S1 with the calendar asked as if the call had come at `pinned` (the tracker stamps arrival time). */
async function replayAt(t: Test, pinned: string) {
  const peer = await AmiPeer.start({ secret: 'test-secret' });
  t.teardown(() => peer.close());
  const h = await desk(t, { pbx: [{ host: '127.0.0.1', port: peer.port }] });
  const cal = h.app.calendar;
  const isOpen = cal.isOpen.bind(cal);
  const asked: Date[] = [];
  cal.isOpen = (at: Date) => {
    asked.push(at);
    return isOpen(new Date(pinned));
  };
  const ws = await h.socket(h.ivanov.token);
  await ws.next((m) => m.type === 'snapshot');
  await h.app.startIngest();
  await peer.replay(loadScenario('S1-answered'), { speed: 'max' });
  await ws.next((m) => m.type === 'call.ended');
  const calls = await h.request('GET', '/api/calls', h.boss.token);
  t.equal(calls.body.items.length, 1, 'the call is logged');
  return { h, call: calls.body.items[0], asked };
}

t.test('R12: a call on a public holiday is logged and flagged afterHours', async (t) => {
  const { h, call, asked } = await replayAt(t, '2026-01-07T11:00:00+03:00');
  t.equal(call.afterHours, true);
  t.equal(call.supportLine, true);
  t.ok(asked.some((a) => Math.abs(a.getTime() - new Date(call.startedAt).getTime()) < 1000), 'the calendar was asked about the call’s start');
  const draft = await h.request('GET', `/api/tickets/${call.ticketIds[0]}`, h.boss.token);
  t.equal(draft.body.status, 'draft', 'an after-hours support call still gets its draft');
  const flagged = await h.request('GET', '/api/calls?afterHours=true', h.boss.token);
  t.same(flagged.body.items.map((c: any) => c.id), [call.id]);
});

t.test('R12: a call in business hours on a working Saturday is not flagged', async (t) => {
  const { h, call } = await replayAt(t, '2025-11-01T11:00:00+03:00');
  t.equal(call.afterHours, false);
  await insertCall(h, { afterHours: true, draft: false });
  const flagged = await h.request('GET', '/api/calls?afterHours=false', h.boss.token);
  t.same(flagged.body.items.map((c: any) => c.id), [call.id], 'the afterHours filter');
});
