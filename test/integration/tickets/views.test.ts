// The list views the workspace opens with: what each shows, decided by the server.
import t from 'tap';
import { desk, insertCall, moveAll, registered } from './fixture';

t.test('«Мои», «Открытые», «Ожидают подтверждения», «Закрытые» show what their names say', async (t) => {
  const h = await desk(t);
  await registered(h, h.ivanov, { subject: 'mine, new' });
  const mineWorked = await registered(h, h.ivanov, { subject: 'mine, in progress' });
  await moveAll(h, h.ivanov, mineWorked.id, [{ to: 'in_progress' }]);
  const mineDone = await registered(h, h.ivanov, { subject: 'mine, completed' });
  await moveAll(h, h.ivanov, mineDone.id, [{ to: 'in_progress' }, { to: 'completed', solution: 'Переустановили драйвер' }]);
  const mineClosed = await registered(h, h.ivanov, { subject: 'mine, closed' });
  await moveAll(h, h.ivanov, mineClosed.id, [{ to: 'closed', reason: 'withdrawn' }]);
  await registered(h, h.petrov, { subject: 'theirs' });

  const view = async (v: string, who = h.ivanov) => {
    const res = await h.request('GET', `/api/tickets?view=${v}`, who.token);
    t.equal(res.status, 200);
    return new Set(res.body.items.map((i: any) => i.subject));
  };
  t.same(await view('mine'), new Set(['mine, new', 'mine, in progress', 'mine, completed']), '«Мои»: not closed, assigned to me');
  t.same(await view('mine', h.petrov), new Set(['theirs']), 'each their own');
  t.same(await view('open'), new Set(['mine, new', 'mine, in progress', 'mine, completed', 'theirs']), '«Открытые»: every request not closed');
  t.same(await view('awaiting'), new Set(['mine, completed']), '«Ожидают подтверждения»: completed');
  t.same(await view('closed'), new Set(['mine, closed']), '«Закрытые»');
  t.same(await view('unassigned'), new Set(), '«Неразобранные»: none while every registered request has an owner');
  const first = await h.request('GET', '/api/tickets?view=open&limit=2', h.ivanov.token);
  t.same(first.body.total, { count: 4, atLeast: false }, 'the first page says how many there are');
  const second = await h.request('GET', `/api/tickets?view=open&limit=2&cursor=${first.body.nextCursor}`, h.ivanov.token);
  t.equal(second.body.items.length, 2);
  t.equal(second.body.total, null, 'later pages do not count again');
  const bad = await h.request('GET', '/api/tickets?view=everything', h.ivanov.token);
  t.equal(bad.status, 400);
});

t.test('an agent’s list says how many requests they have, and the count follows every reassignment, status change and call draft', async (t) => {
  const h = await desk(t);
  const total = async (path: string, who = h.boss) => (await h.request('GET', path, who.token)).body.total;
  const a = await registered(h, h.ivanov, { subject: 'first' });
  const b = await registered(h, h.ivanov, { subject: 'second' });
  await registered(h, h.petrov, { subject: 'theirs' });
  t.same(await total(`/api/tickets?assignee=${h.ivanov.id}`), { count: 2, atLeast: false }, 'both of Ivanov’s');

  // Handed over to both, then to Petrov alone.
  const both = await h.request('PATCH', `/api/tickets/${a.id}`, h.boss.token, { version: a.version, assignees: [h.ivanov.id, h.petrov.id] });
  t.equal(both.status, 200);
  t.same(await total(`/api/tickets?assignee=${h.petrov.id}`), { count: 2, atLeast: false }, 'shared: counted for Petrov too');
  t.same(await total(`/api/tickets?assignee=${h.ivanov.id}`), { count: 2, atLeast: false }, 'and still for Ivanov');
  const moved = await h.request('PATCH', `/api/tickets/${a.id}`, h.boss.token, { version: both.body.version, assignees: [h.petrov.id] });
  t.equal(moved.status, 200);
  t.same(await total(`/api/tickets?assignee=${h.ivanov.id}`), { count: 1, atLeast: false }, 'handed over: no longer Ivanov’s');
  t.same(await total(`/api/tickets?assignee=${h.petrov.id}`), { count: 2, atLeast: false });

  // The status filter and «Мои» count the present status.
  await moveAll(h, h.ivanov, b.id, [{ to: 'closed', reason: 'withdrawn' }]);
  t.same(await total(`/api/tickets?assignee=${h.ivanov.id}&status=closed`), { count: 1, atLeast: false }, 'closed: counted as closed');
  t.same(await total(`/api/tickets?assignee=${h.ivanov.id}&status=registered`), { count: 0, atLeast: false }, 'and no longer as registered');
  t.same(await total('/api/tickets?view=mine', h.ivanov), { count: 0, atLeast: false }, '«Мои» counts open ones only');
  t.same(await total('/api/tickets?view=mine', h.petrov), { count: 2, atLeast: false });

  // A call's draft owned by the agent who answered it.
  const call = await insertCall(h, { answeredBy: h.ivanov });
  t.ok(call.draftId, 'the call opened a draft');
  t.same(await total(`/api/tickets?assignee=${h.ivanov.id}`), { count: 2, atLeast: false }, 'the answered call’s draft is counted');
  t.same(await total(`/api/tickets?assignee=${h.ivanov.id}&status=draft`), { count: 1, atLeast: false });
});
