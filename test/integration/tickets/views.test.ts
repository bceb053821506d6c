// The list views the workspace opens with: what each shows, decided by the server.
import t from 'tap';
import { desk, moveAll, registered } from './fixture';

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
