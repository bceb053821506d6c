import t from 'tap';
import { startDesk } from '../helpers/desk';
import { loadScenario } from '../helpers/scenarios';

t.test('an answered support call pops up on the ringing agent, who owns its durable draft', async (t) => {
  const { app: h, peer, agents } = await startDesk(t, [['ivanov', '101']]);
  const a101 = agents.ivanov;
  const ws = await h.socket(a101.token);
  await ws.next((m) => m.type === 'snapshot');
  await peer.replay(loadScenario('S1-answered'), { speed: 'max' });

  const ringing = await ws.next((m) => m.type === 'call.ringing');
  t.equal(ringing.call.callerNumber, '+79111234567');
  t.equal(ringing.call.supportLine, true);
  t.equal(ringing.ticket.status, 'draft');
  const answered = await ws.next((m) => m.type === 'call.answered');
  t.equal(answered.call.answeredBy.extension, '101');
  await ws.next((m) => m.type === 'call.ended');

  const calls = await h.request('GET', '/api/calls', a101.token);
  t.equal(calls.status, 200);
  t.equal(calls.body.items.length, 1);
  const call = calls.body.items[0];
  t.equal(call.outcome, 'answered');
  t.equal(call.answeredBy.id, a101.id);
  t.equal(call.legs.length, 1);
  t.equal(call.legs[0].endReason, 'answered');
  const ticket = await h.request('GET', `/api/tickets/${call.ticketIds[0]}`, a101.token);
  t.same(ticket.body.assignees, [a101.id]);
  t.equal(ticket.body.status, 'draft');
});
