// An agent's search for a word that is common among all requests but rare among the agent's own:
// the service finds the agent's few from the agent-word index (pairs of agent and word,
// migrations/1796502800000-AddAgentWordIndex.ts) rather than from the agent's whole list. Whatever
// the text — a word in any of its forms, a stop word, two words, a code — the list is the agent's
// requests with it, in list order, and it follows the requests' text and assignees as they change.
import t from 'tap';
import { allPages, desk } from './fixture';
import { SEARCH_PROBE } from '../../../src/db/ticket-queries';

t.test("an agent's search for a word common among all requests but rare among theirs lists each of theirs, in list order", async (t) => {
  const h = await desk(t);
  // Ivanov has the even requests, Petrov the odd ones. Ivanov's first SEARCH_PROBE + 100 are
  // critical. Petrov's say «ошибка при печати» (every one); a few of Ivanov's others say «печати» or
  // «печатью» (the same word in another form), «при», or carry the code ORA-01017: too few for his
  // list to be walked, in any thousand of it.
  const critical = 2 * (SEARCH_PROBE + 100);
  await h.app.ds.query(
    `INSERT INTO ticket (id, number, status, priority, channel, subject, technical_details, assignees, created_at)
     SELECT gen_random_uuid(), '2026-' || lpad(g::text, 6, '0'),
       CASE WHEN g % 3 = 0 THEN 'closed' ELSE 'in_progress' END,
       CASE WHEN g <= $1::int THEN 'critical' WHEN g % 5 = 0 THEN 'high' ELSE 'normal' END, 'web',
       'заявка' || CASE WHEN g % 2 = 1 THEN ' ошибка при печати'
                        WHEN g > $1 AND g % 1300 = 2 THEN ' ошибка печати'
                        WHEN g > $1 AND g % 1700 = 4 THEN ' сбой с печатью'
                        WHEN g > $1 AND g % 1100 = 6 THEN ' при запуске'
                        ELSE '' END,
       CASE WHEN g % 2 = 1 OR g > $1 AND g % 800 = 8 THEN 'ORA-01017' ELSE '' END,
       CASE WHEN g % 2 = 0 THEN ARRAY[$2::uuid] ELSE ARRAY[$3::uuid] END,
       timestamptz '2026-01-01' + g * interval '1 minute'
     FROM generate_series(1, $1::int + 6000) g`,
    [critical, h.ivanov.id, h.petrov.id],
  );
  await h.app.ds.query(`ANALYZE ticket`);
  const expected = async (text: string, filter = '') =>
    (
      await h.app.ds.query(
        `SELECT id FROM ticket WHERE search @@ (websearch_to_tsquery('russian', $1) || websearch_to_tsquery('simple', $1)) AND assignees @> ARRAY[$2::uuid] ${filter}
          ORDER BY priority_rank, created_at, id`,
        [text, h.ivanov.id],
      )
    ).map((r: any) => r.id);
  const mine = `assignee=${h.ivanov.id}`;
  const search = (text: string, more = '', limit?: number) => allPages(h, `q=${encodeURIComponent(text)}&${mine}${more}`, limit);

  for (const text of ['печати', 'печатью', 'при', 'ошибка печати', 'ORA-01017']) {
    const all = await expected(text);
    t.ok(all.length > 0 && all.length < 50, `«${text}» is in ${all.length} of Ivanov's requests`);
    t.same(await search(text), all, `«${text}», Ivanov's: every match, in R3 order`);
    t.same(await search(text, '', 3), all, `«${text}», Ivanov's: the same, three a page`);
    t.same(await search(text, '&status=in_progress'), await expected(text, `AND status = 'in_progress'`), `«${text}», Ivanov's in progress`);
  }
  t.ok((await expected('печати')).length > (await expected('ошибка печати')).length, '«печати» finds «печатью» too');

  // The index follows the requests: one of Ivanov's goes to Petrov, one of his gets the word.
  const [moved] = await expected('печати');
  const [gained] = (await h.app.ds.query(`SELECT id FROM ticket WHERE assignees @> ARRAY[$1::uuid] AND subject = 'заявка' ORDER BY created_at DESC LIMIT 1`, [h.ivanov.id])).map((r: any) => r.id);
  await h.app.ds.query(`UPDATE ticket SET assignees = ARRAY[$2::uuid] WHERE id = $1`, [moved, h.petrov.id]);
  await h.app.ds.query(`UPDATE ticket SET description = 'не идёт печать, ошибка печати' WHERE id = $1`, [gained]);
  const now = await search('печати');
  t.notOk(now.includes(moved), 'a request reassigned to Petrov is no longer among Ivanov’s');
  t.ok(now.includes(gained), 'a request whose description gained the word is found');
  t.same(now, await expected('печати'), 'and the list is exactly his requests with the word');
});
