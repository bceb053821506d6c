// Changes made through the API (or by the R10 job) reach the screens of the request's assignees
// and supervisors as `ticket.updated`.
import t from 'tap';
import { completed, desk, registered } from './fixture';

t.test('a supervisor’s change and an auto-close reach the assignee as ticket.updated', async (t) => {
  const h = await desk(t);
  const r = await registered(h, h.ivanov);
  const ivanov = await h.socket(h.ivanov.token);
  const boss = await h.socket(h.boss.token);
  const petrov = await h.socket(h.petrov.token);
  await Promise.all([ivanov, boss, petrov].map((s) => s.next((m) => m.type === 'snapshot')));

  const edit = await h.request('PATCH', `/api/tickets/${r.id}`, h.boss.token, { version: r.version, priority: 'critical' });
  t.equal(edit.status, 200);
  const pushed = await ivanov.next((m) => m.type === 'ticket.updated' && m.ticket.id === r.id);
  t.equal(pushed.ticket.priority, 'critical');
  t.equal(pushed.ticket.version, edit.body.version);
  await boss.next((m) => m.type === 'ticket.updated' && m.ticket.id === r.id);

  const done = await completed(h, h.ivanov);
  await h.app.autoCloser.sweep(new Date(done.autoCloseAt));
  const closed = await ivanov.next((m) => m.type === 'ticket.updated' && m.ticket.id === done.id && m.ticket.status === 'closed');
  t.equal(closed.ticket.closeReason, 'no_reply');
  t.notOk(petrov.messages.some((m) => m.type === 'ticket.updated'), 'not to agents it does not concern');
});

t.test('an agent taken off a request is told, and then hears no more of it', async (t) => {
  const h = await desk(t);
  const r = await registered(h, h.ivanov);
  const ivanov = await h.socket(h.ivanov.token);
  await ivanov.next((m) => m.type === 'snapshot');
  const moved = await h.request('PATCH', `/api/tickets/${r.id}`, h.boss.token, { version: r.version, assignees: [h.petrov.id] });
  t.equal(moved.status, 200);
  const told = await ivanov.next((m) => m.type === 'ticket.updated' && m.ticket.id === r.id);
  t.same(told.ticket.assignees, [h.petrov.id], 'the removed assignee sees the request go to someone else');
  const count = ivanov.messages.filter((m) => m.type === 'ticket.updated').length;
  await h.request('PATCH', `/api/tickets/${r.id}`, h.boss.token, { version: moved.body.version, priority: 'high' });
  await new Promise((r) => setTimeout(r, 300));
  t.equal(ivanov.messages.filter((m) => m.type === 'ticket.updated').length, count, 'later changes go to the new assignee only');
});
