// R6: every action is a journal entry (who, when, what), and the journal cannot be changed, not
// even by SQL sent straight to the database.
import t from 'tap';
import pg from 'pg';
import { desk, insertCall, journalOf, move, registered } from './fixture';

t.test('R6: direct SQL cannot UPDATE, DELETE or TRUNCATE ticket_events', async (t) => {
  const h = await desk(t);
  const r = await registered(h, h.ivanov, { subject: 'Склад' });
  await move(h, h.ivanov, r.id, { to: 'in_progress' });
  const before = await journalOf(h, r.id);
  t.equal(before.length, 3);

  // A client of its own, as someone with psql would connect (here: the database owner).
  const sql = new pg.Client({ connectionString: h.db.url });
  await sql.connect();
  t.teardown(() => sql.end());
  const refused = async (statement: string, params: unknown[] = []) => {
    const err = await sql.query(statement, params).then(() => null, (e: Error & { code?: string }) => e);
    t.ok(err, `refused: ${statement}`);
    t.match(err?.message ?? '', /append-only/);
  };
  await refused(`UPDATE ticket_events SET data = '{"description": "подчищено"}' WHERE ticket_id = $1`, [r.id]);
  await refused(`UPDATE ticket_events SET actor = NULL`);
  await refused(`DELETE FROM ticket_events WHERE ticket_id = $1`, [r.id]);
  await refused(`DELETE FROM ticket_events`);
  await refused(`TRUNCATE ticket_events`);
  await refused(`TRUNCATE ticket CASCADE`);
  const orphan = await sql.query(`DELETE FROM ticket WHERE id = $1`, [r.id]).then(() => null, (e: Error) => e);
  t.ok(orphan, 'a request with a journal cannot be deleted from under it');

  t.same(await journalOf(h, r.id), before, 'the journal is as it was');
  const inserted = await sql.query(
    `INSERT INTO ticket_events (ticket_id, at, actor, kind, data) VALUES ($1, now(), $2, 'comment', '{"text": "дописано"}') RETURNING id`,
    [r.id, h.boss.id],
  );
  t.equal(inserted.rowCount, 1, 'appending is what the journal is for');
});

t.test('R6: a request’s life is in its journal: who, when, what, on whose behalf, on which call', async (t) => {
  const h = await desk(t);
  const { callId, draftId } = await insertCall(h, { answeredBy: h.ivanov });
  const id = draftId!;
  const t0 = Date.now();
  // Typing into the draft is working notes (R6): not journaled until registration journals it once.
  let v = (await h.request('PATCH', `/api/tickets/${id}`, h.ivanov.token, { version: 1, description: 'Не печатает' })).body.version;
  v = (await h.request('PATCH', `/api/tickets/${id}`, h.ivanov.token, { version: v, description: 'Принтеры не печатают', priority: 'high' })).body.version;
  const steps: [string, string, unknown, any][] = [
    ['POST', 'transitions', { to: 'registered', callId }, h.ivanov],
    ['POST', 'number-told', { callId }, h.ivanov],
    ['PATCH', '', { technicalDetails: 'HP LaserJet, драйвер 5.2.1' }, h.ivanov],
    ['POST', 'comments', { text: 'Проверю драйвер' }, h.ivanov],
    ['POST', 'transitions', { to: 'in_progress' }, h.ivanov],
    ['POST', 'transitions', { to: 'completed', solution: 'Обновлён драйвер' }, h.ivanov],
    ['POST', 'transitions', { to: 'in_progress', comment: 'Печатает с полосами', callId }, h.petrov],
    ['POST', 'transitions', { to: 'completed', solution: 'Заменён картридж' }, h.ivanov],
    ['POST', 'transitions', { to: 'closed', reason: 'confirmed', callId }, h.petrov],
  ];
  for (const [method, sub, body, who] of steps) {
    const path = `/api/tickets/${id}${sub ? `/${sub}` : ''}`;
    const res = await h.request(method, path, who.token, method === 'PATCH' ? { version: v, ...(body as object) } : body);
    t.equal(res.status, 200, `${method} ${sub || 'fields'}`);
    v = res.body.version;
  }
  const journal = await journalOf(h, id);
  t.same(
    journal.map((e) => `${e.kind}:${e.actor?.login ?? 'service'}:${e.onBehalfOf ?? '-'}`),
    [
      'registered:ivanov:-',
      'status_changed:ivanov:-',
      'number_told:ivanov:-',
      'field_changed:ivanov:-',
      'comment:ivanov:-',
      'status_changed:ivanov:-',
      'solution:ivanov:-',
      'status_changed:ivanov:-',
      'customer_decision:petrov:customer',
      'status_changed:petrov:-',
      'solution:ivanov:-',
      'status_changed:ivanov:-',
      'customer_decision:petrov:customer',
      'status_changed:petrov:-',
    ],
  );
  t.match(journal[0].data, { description: 'Принтеры не печатают', priority: 'high', callIds: [callId] }, 'the content at registration');
  t.match(journal[3].data, { field: 'technicalDetails', from: '', to: 'HP LaserJet, драйвер 5.2.1' });
  for (const e of journal) {
    t.equal(e.ticketId, id);
    const when = new Date(e.at).getTime();
    t.ok(when >= t0 - 1000 && when <= Date.now(), 'when it happened');
  }
  const ids = journal.map((e) => Number(e.id));
  t.same(ids, [...ids].sort((a, b) => a - b), 'in the order it happened');
  t.same(
    journal.filter((e) => e.callId === callId).map((e) => e.kind),
    ['registered', 'status_changed', 'number_told', 'customer_decision', 'status_changed', 'customer_decision', 'status_changed'],
    'entries made on the call carry it',
  );
});
