// R3 lists (priority first, then age) and finding requests: full-text `q` in Russian word forms
// and Latin codes and versions, combined with the other filters, page by page.
import t from 'tap';
import { desk, insertCall, move, registered, type Desk } from './fixture';

const ids = (res: { body: any }) => res.body.items.map((i: any) => i.id);
const list = (h: Desk, query: string) => h.request('GET', `/api/tickets${query}`, h.boss.token);

t.test('R3: lists are sorted by priority, then by age', async (t) => {
  const h = await desk(t);
  const made: Record<string, string> = {};
  // Made in an order that is neither priority nor age order.
  for (const [name, priority] of [['n1', 'normal'], ['l1', 'low'], ['c1', 'critical'], ['h1', 'high'], ['n2', 'normal'], ['c2', 'critical']]) {
    made[name] = (await registered(h, h.ivanov, { priority, subject: name })).id;
  }
  const all = await list(h, '');
  t.equal(all.status, 200);
  t.same(ids(all), ['c1', 'c2', 'h1', 'n1', 'n2', 'l1'].map((n) => made[n]), 'critical first, oldest first within a priority');

  // Raising a priority moves it up.
  const n2 = (await h.request('GET', `/api/tickets/${made.n2}`, h.boss.token)).body;
  await h.request('PATCH', `/api/tickets/${made.n2}`, h.boss.token, { version: n2.version, priority: 'critical' });
  t.same(ids(await list(h, '')).slice(0, 3), [made.c1, made.n2, made.c2], 'n2 is older than c2');

  // Pages follow the same order without repeats or holes.
  const seen: string[] = [];
  let cursor: string | null = null;
  do {
    const page: { body: any } = await list(h, `?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
    t.ok(page.body.items.length <= 2);
    seen.push(...ids(page));
    cursor = page.body.nextCursor;
  } while (cursor);
  t.same(seen, ids(await list(h, '')));

  t.same(ids(await list(h, '?sort=newest')), [made.c2, made.n2, made.h1, made.c1, made.l1, made.n1], 'newest first on request');
  t.same(ids(await list(h, '?priority=critical')), [made.c1, made.n2, made.c2]);
});

t.test('q finds Russian words in any form and Latin codes and versions', async (t) => {
  const h = await desk(t);
  const printers = await registered(h, h.ivanov, { subject: 'Принтеры не печатают', description: 'В бухгалтерии все принтеры встали' });
  const oracle = await registered(h, h.ivanov, { description: 'Не входит в систему', technicalDetails: 'ORA-01017: invalid username/password' });
  const version = await registered(h, h.ivanov, { description: 'После обновления до 5.2.1 не открываются отчёты', technicalDetails: 'модуль Отчёты, АРМ-12' });
  const other = await registered(h, h.ivanov, { description: 'Ошибка ORA-12541 и версия 5.2.10', technicalDetails: 'сервер БД' });

  const found = async (q: string) => ids(await list(h, `?q=${encodeURIComponent(q)}`)).sort();
  const only = (...rs: any[]) => rs.map((r) => r.id).sort();
  t.same(await found('принтер'), only(printers), '"принтер" finds "принтеры"');
  t.same(await found('принтеров'), only(printers), 'another case of the same word');
  t.same(await found('печатает'), only(printers), 'a verb in another person');
  t.same(await found('бухгалтерия'), only(printers));
  t.same(await found('отчёт'), only(version), 'from the description and technical details');
  t.same(await found('ORA-01017'), only(oracle), 'an Oracle error code, whole');
  t.same(await found(oracle.number), only(oracle), 'its number');
  t.same(await found(oracle.number.replace(/-0+/, '-')), only(oracle), 'its number without the zeros');
  t.same(await found('ora-01017'), only(oracle), 'in any case');
  t.same(await found('ORA-12541'), only(other), 'not a neighbouring code');
  t.same(await found('5.2.1'), only(version), 'a version, not 5.2.10');
  t.same(await found('5.2.10'), only(other));
  t.same(await found('АРМ-12'), only(version));
  t.same(await found('принтеры ORA-01017'), [], 'all words must match');
  t.same(await found('"не печатают"'), only(printers), 'a quoted phrase');
  t.same(await found('не'), only(printers, oracle, version), 'a stop word alone still finds the plain word');
  t.same(await found('ничего такого'), []);
});

t.test('q combines with status, priority, assignee, number, caller and time filters', async (t) => {
  const h = await desk(t);
  const a = await registered(h, h.ivanov, { description: 'Принтер не печатает', priority: 'high', callerNumber: '+79111234567' });
  const b = await registered(h, h.petrov, { description: 'Принтер замял бумагу', callerNumber: '+79213334455' });
  const c = await registered(h, h.petrov, { description: 'Принтер снова не печатает', priority: 'high' });
  await move(h, h.petrov, c.id, { to: 'in_progress' });
  const draft = await h.request('POST', '/api/tickets', h.ivanov.token, { description: 'Принтер, черновик' });

  const q = (extra: string) => list(h, `?q=${encodeURIComponent('принтер')}${extra}`).then((r) => {
    t.equal(r.status, 200, extra);
    return ids(r).sort();
  });
  t.same(await q(''), [a.id, b.id, c.id, draft.body.id].sort());
  t.same(await q('&status=registered'), [a.id, b.id].sort());
  t.same(await q('&status=registered&status=in_progress'), [a.id, b.id, c.id].sort(), 'several statuses');
  t.same(await q('&priority=high'), [a.id, c.id].sort());
  t.same(await q(`&assignee=${h.petrov.id}`), [b.id, c.id].sort());
  t.same(await q(`&number=${b.number}`), [b.id]);
  const [year, seq] = b.number.split('-');
  t.same(await q(`&number=${year}-${Number(seq)}`), [b.id], 'the number as read out, without leading zeros');
  t.same(await q(`&number=${encodeURIComponent(` ${b.number} `)}`), [b.id]);
  t.same(await q(`&callerNumber=${encodeURIComponent('8 (911) 123-45-67')}`), [a.id], 'the caller in any Russian form');
  t.same(await q(`&priority=high&assignee=${h.petrov.id}&status=in_progress`), [c.id]);
  const after = new Date(Date.now() + 60_000).toISOString();
  t.same(await q(`&since=${after}`), []);
  t.same(await q(`&until=${after}`), [a.id, b.id, c.id, draft.body.id].sort());
  const backwards = await list(h, `?since=${after}&until=${new Date().toISOString()}`);
  t.equal(backwards.status, 400, 'until before since');
  t.equal(backwards.body.field, 'until');

  // A call-back list: missed calls' drafts waiting for a call back.
  const missed = await insertCall(h, { answeredBy: null, callerNumber: '+79095551234' });
  const callbacks = await list(h, '?callbackNeeded=true');
  t.same(ids(callbacks), [missed.draftId]);
});
