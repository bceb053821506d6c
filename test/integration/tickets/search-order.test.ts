// Search in a long history: a word in most requests, in a few, in one, or only in the requests
// at the end of the list comes back in the list's own order, page after page, with the filters —
// whichever way the service finds the matches (it reads a common word's and a rare word's
// differently, SEARCH_PROBE and SEARCH_SORT_CAP in src/db/ticket-queries.ts).
import t from 'tap';
import { allPages, desk } from './fixture';
import { SEARCH_PROBE, SEARCH_SORT_CAP } from '../../../src/db/ticket-queries';

t.test('a search lists its matches in list order, page after page, for words of every frequency', async (t) => {
  const h = await desk(t);
  // The first SEARCH_PROBE requests in R3 order are critical and never say «позднее»; after them,
  // more than SEARCH_SORT_CAP say it, so it is missing from the first rows yet too common to sort.
  const critical = SEARCH_PROBE;
  const late = SEARCH_SORT_CAP + 100;
  await h.app.ds.query(
    `INSERT INTO ticket (id, number, status, priority, channel, subject, assignees, created_at)
     SELECT gen_random_uuid(), '2026-' || lpad(g::text, 6, '0'),
       CASE WHEN g % 4 = 0 THEN 'closed' ELSE 'registered' END,
       CASE WHEN g <= $1::int THEN 'critical' ELSE 'low' END, 'web',
       'заявка' || CASE WHEN g % 3 = 0 THEN ' частое' ELSE '' END || CASE WHEN g % 100 = 7 THEN ' среднее' ELSE '' END
         || CASE WHEN g = 1234 THEN ' единственное' ELSE '' END || CASE WHEN g > $1 AND g % 25 = 3 THEN ' редкое' ELSE '' END || CASE WHEN g > $1 THEN ' позднее' ELSE '' END,
       CASE WHEN g % 2 = 0 THEN ARRAY[$3::uuid] ELSE '{}'::uuid[] END,
       timestamptz '2026-01-01' + g * interval '1 minute'
     FROM generate_series(1, $1::int + $2::int) g`,
    [critical, late, h.ivanov.id],
  );
  // The statistics a long-running database has (search estimates how common a word is from them).
  await h.app.ds.query(`ANALYZE ticket`);
  const expected = async (word: string, filter = '', order = 'priority_rank, created_at, id') =>
    (await h.app.ds.query(`SELECT id FROM ticket WHERE search @@ plainto_tsquery('simple', $1) ${filter} ORDER BY ${order}`, [word])).map((r: any) => r.id);
  const q = (w: string) => `q=${encodeURIComponent(w)}`;

  for (const word of ['частое', 'среднее', 'редкое', 'единственное', 'позднее']) {
    const all = await expected(word);
    t.ok(all.length > 0, `${word} is in ${all.length} requests`);
    t.same(await allPages(h, q(word)), all, `«${word}»: every match, in R3 order`);
    t.same(await allPages(h, `${q(word)}&sort=newest`), await expected(word, '', 'created_at DESC, id DESC'), `«${word}»: newest first`);
    t.same(await allPages(h, `${q(word)}&status=closed`), await expected(word, `AND status = 'closed'`), `«${word}» among closed ones`);
  }
  t.same(await allPages(h, `${q('частое')}&assignee=${h.ivanov.id}`), await expected('частое', `AND assignees @> ARRAY['${h.ivanov.id}'::uuid]`), 'with an assignee');
  t.same(await allPages(h, `${q('позднее')}&priority=critical`), [], 'a filter no match passes');
  t.same(await allPages(h, q('нигде')), [], 'a word in none');
});

t.test("an agent's search for a common word lists the matches in list order, when few or none are among the agent's critical requests", async (t) => {
  const h = await desk(t);
  // Ivanov's critical requests fill the first SEARCH_PROBE rows of his list: «вторник» is in three
  // of them and in every seventh of the rest; «среда» is in none of his critical ones (in Petrov's,
  // which must not count) and in a few of his others. Both are common among all requests.
  const critical = SEARCH_PROBE + 200;
  await h.app.ds.query(
    `INSERT INTO ticket (id, number, status, priority, channel, subject, assignees, created_at)
     SELECT gen_random_uuid(), '2026-' || lpad(g::text, 6, '0'),
       CASE WHEN g % 3 = 0 THEN 'closed' ELSE 'in_progress' END,
       CASE WHEN g <= $1::int THEN 'critical' WHEN g <= $1::int + 1800 THEN 'high' ELSE 'normal' END, 'web',
       'заявка' || CASE WHEN g IN (300, 901, 1100) OR g > $1 AND g % 7 = 0 THEN ' вторник' ELSE '' END
         || CASE WHEN g % 40 = 1 OR g > $1 AND g % 600 = 2 THEN ' среда' ELSE '' END,
       CASE WHEN g <= $1::int AND g % 40 <> 1 OR g > $1 AND g % 2 = 0 THEN ARRAY[$2::uuid] ELSE ARRAY[$3::uuid] END,
       timestamptz '2026-01-01' + g * interval '1 minute'
     FROM generate_series(1, $1::int + 4800) g`,
    [critical, h.ivanov.id, h.petrov.id],
  );
  await h.app.ds.query(`ANALYZE ticket`);
  const expected = async (word: string, filter: string) =>
    (await h.app.ds.query(`SELECT id FROM ticket WHERE search @@ plainto_tsquery('simple', $1) AND assignees @> ARRAY[$2::uuid] ${filter} ORDER BY priority_rank, created_at, id`, [word, h.ivanov.id])).map(
      (r: any) => r.id,
    );
  const mine = `assignee=${h.ivanov.id}`;
  for (const word of ['вторник', 'среда']) {
    const all = await expected(word, '');
    t.ok(all.length > 5, `«${word}» is in ${all.length} of Ivanov's requests`);
    t.same(await allPages(h, `q=${encodeURIComponent(word)}&${mine}`), all, `«${word}», Ivanov's: every match, in R3 order`);
    t.same(await allPages(h, `q=${encodeURIComponent(word)}&${mine}`, 5), all, `«${word}», Ivanov's: the same, five a page`);
    t.same(await allPages(h, `q=${encodeURIComponent(word)}&${mine}&status=in_progress`), await expected(word, `AND status = 'in_progress'`), `«${word}», Ivanov's in progress`);
    t.same(await allPages(h, `q=${encodeURIComponent(word)}&${mine}&priority=high`), await expected(word, `AND priority = 'high'`), `«${word}», Ivanov's high ones`);
  }
  const first = await h.request('GET', `/api/tickets?q=${encodeURIComponent('вторник')}&${mine}&limit=5`, h.boss.token);
  t.same(
    first.body.items.map((i: any) => i.priority),
    ['critical', 'critical', 'critical', 'high', 'high'],
    'the first page: his three critical matches, then the high ones',
  );
});
