// CSV exports for supervisors: what Russian Excel opens as it is (BOM, `;`, CRLF, Moscow time),
// with the lists' filters, every row of a large export once.
import t from 'tap';
import { desk, registered } from './tickets/fixture';
import { localTime } from '../../src/http/csv';

const lines = (body: string) => body.replace(/^\uFEFF/, '').split('\r\n').filter((l) => l !== '');

t.test('requests as CSV: BOM, semicolons, CRLF, Moscow time, quoted text; supervisors only', async (t) => {
  const h = await desk(t);
  const r = await registered(h, h.ivanov, { subject: 'Отчёт; "срочно"\nвторая строка', channel: 'email', productVersion: '5.2.1' });
  // As if its mail had opened it: the address it came from.
  await h.app.ds.query(`UPDATE ticket SET sender_email = 'petr@gmail.com' WHERE id = $1`, [r.id]);
  const res = await fetch(`${h.url}/api/tickets/export.csv?view=open`, { headers: { authorization: `Bearer ${h.boss.token}` } });
  t.equal(res.status, 200);
  t.match(res.headers.get('content-type'), /^text\/csv; charset=utf-8/);
  t.match(res.headers.get('content-disposition'), /attachment; filename="requests-\d{4}-\d\d-\d\d\.csv"/);
  const bytes = Buffer.from(await res.arrayBuffer());
  t.same([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'a byte-order mark for Excel');
  const body = bytes.toString('utf8');
  t.ok(body.includes('\r\n') && !/[^\r]\n/.test(body.replace(/"[^"]*"/g, '')), 'CRLF line ends outside quoted text');
  const [header] = lines(body);
  t.equal(header.split(';')[0], 'Номер');
  t.match(header, /;Телефон;E-mail;Исполнители;/);
  t.ok(body.includes(';;petr@gmail.com;ivanov;'), 'the address an e-mailed request came from, between its (empty) phone and its assignee');
  t.ok(body.includes('"Отчёт; ""срочно""\nвторая строка"'), 'text with ; " and a line break quoted');
  const created = new Date(r.createdAt);
  const msk = new Date(created.getTime() + 3 * 3600_000);
  const p = (n: number) => String(n).padStart(2, '0');
  const expected = `${p(msk.getUTCDate())}.${p(msk.getUTCMonth() + 1)}.${msk.getUTCFullYear()} ${p(msk.getUTCHours())}:${p(msk.getUTCMinutes())}`;
  t.ok(body.includes(expected), `created at in Moscow time (${expected})`);
  t.ok(body.includes(r.number) && body.includes('email') && body.includes('5.2.1'));

  const asAgent = await fetch(`${h.url}/api/tickets/export.csv`, { headers: { authorization: `Bearer ${h.ivanov.token}` } });
  t.equal(asAgent.status, 403, 'agents do not export');
  const bad = await fetch(`${h.url}/api/tickets/export.csv?cursor=x`, { headers: { authorization: `Bearer ${h.boss.token}` } });
  t.equal(bad.status, 400, 'no paging in an export');
});

t.test('a large export has every row once, read page by page', async (t) => {
  const h = await desk(t);
  await h.app.ds.query(
    `INSERT INTO ticket (id, status, priority, channel, subject, created_at, updated_at)
     SELECT gen_random_uuid(), 'draft', 'normal', 'web', 'bulk ' || g, now() - g * interval '1 second', now() FROM generate_series(1, 12000) g`,
  );
  const res = await fetch(`${h.url}/api/tickets/export.csv?status=draft`, { headers: { authorization: `Bearer ${h.boss.token}` } });
  const rows = lines(await res.text()).slice(1);
  const subjects = rows.map((l) => l.split(';')[4]).filter((s) => s.startsWith('bulk '));
  t.equal(subjects.length, 12000, `all 12,000 (three pages of the database); got ${subjects.length} of ${rows.length}: ${rows.filter((l) => !l.split(";")[4]?.startsWith("bulk ")).slice(0, 3).join(" | ")}`);
  t.equal(new Set(subjects).size, 12000, 'none twice');
});

t.test('a call export of many pages has every call once, newest first, with its requests counted', async (t) => {
  const h = await desk(t);
  const n = 12_345;
  // Started a minute apart, the caller number saying which; every seventh has a request.
  await h.app.ds.query(
    `INSERT INTO call (id, pbx, linkedid, direction, support_line, caller_number, caller_number_raw, started_at, ended_at, outcome, after_hours)
     SELECT gen_random_uuid(), 'main', 'bulk-' || g, 'inbound', true, '+7900' || lpad(g::text, 7, '0'), '+7900' || lpad(g::text, 7, '0'),
            now() - g * interval '1 minute', now() - g * interval '1 minute' + interval '30 seconds', 'missed', false
       FROM generate_series(1, ${n}) g`,
  );
  await h.app.ds.query(
    `INSERT INTO ticket (id, status, channel, caller_number, origin_call_id, created_at, updated_at)
     SELECT gen_random_uuid(), 'draft', 'phone', c.caller_number, c.id, c.started_at, c.started_at FROM call c
      WHERE c.linkedid LIKE 'bulk-%' AND substr(c.linkedid, 6)::int % 7 = 0`,
  );
  await h.app.ds.query(`INSERT INTO ticket_call (ticket_id, call_id, linked_at) SELECT id, origin_call_id, created_at FROM ticket WHERE origin_call_id IS NOT NULL`);
  const res = await fetch(`${h.url}/api/calls/export.csv`, { headers: { authorization: `Bearer ${h.boss.token}` } });
  t.equal(res.status, 200);
  const rows = lines(await res.text()).slice(1).map((l) => l.split(';'));
  const which = rows.map((r) => Number(r[4].slice(5)));
  t.equal(which.length, n, `all ${n} calls`);
  t.same(which, Array.from({ length: n }, (_, i) => i + 1), 'each once, newest first');
  t.ok(rows.every((r, i) => r[13] === ((i + 1) % 7 === 0 ? '1' : '0')), 'each with the number of its requests');
});

t.test('a call export writes start and end in Moscow wall time and the duration in whole seconds', async (t) => {
  const h = await desk(t);
  // Summer and winter of a year when Moscow still changed its clocks, today, and a call still live.
  const calls = [
    { linkedid: 'times-1', started: '2010-07-01T20:59:59.600Z', ended: '2010-07-01T21:02:04.400Z' },
    { linkedid: 'times-2', started: '2010-12-31T21:00:00.000Z', ended: '2010-12-31T21:00:00.499Z' },
    { linkedid: 'times-3', started: '2026-03-08T05:04:03.987654Z', ended: '2026-03-08T06:04:04.487654Z' },
    { linkedid: 'times-4', started: '2026-03-09T09:00:00.000Z', ended: null },
  ];
  for (const c of calls) {
    await h.app.ds.query(
      `INSERT INTO call (id, pbx, linkedid, direction, support_line, caller_number, caller_number_raw, started_at, ended_at, outcome, after_hours)
       VALUES (gen_random_uuid(), 'main', $1, 'inbound', true, '+79001234567', '+79001234567', $2, $3, 'answered', false)`,
      [c.linkedid, c.started, c.ended],
    );
  }
  const res = await fetch(`${h.url}/api/calls/export.csv`, { headers: { authorization: `Bearer ${h.boss.token}` } });
  const rows = lines(await res.text()).slice(1).map((l) => l.split(';'));
  const cut = (r: string[]) => [r[0], r[1], r[10]];
  t.same(rows.map(cut), [
    ['09.03.2026 12:00:00', '', ''],
    ['08.03.2026 08:04:03', '08.03.2026 09:04:04', '3601'],
    ['01.01.2011 00:00:00', '01.01.2011 00:00:00', '0'],
    ['02.07.2010 00:59:59', '02.07.2010 01:02:04', '125'],
  ], 'newest first: start, end, seconds (Moscow summer time in 2010 is UTC+4)');
  t.same(rows.map((r) => r[0]), calls.map((c) => localTime(c.started, 'Europe/Moscow')).reverse(), 'as the other exports write an instant');
});

t.test('calls as CSV with the call log’s filters', async (t) => {
  const h = await desk(t);
  const res = await fetch(`${h.url}/api/calls/export.csv?direction=inbound`, { headers: { authorization: `Bearer ${h.boss.token}` } });
  t.equal(res.status, 200);
  const [header] = lines(await res.text());
  t.same(header.split(';').slice(0, 3), ['Начало', 'Конец', 'Направление']);
  t.equal((await fetch(`${h.url}/api/calls/export.csv`, { headers: { authorization: `Bearer ${h.ivanov.token}` } })).status, 403);
});

t.test('the journal of a period as CSV: every entry once, with its request’s number', async (t) => {
  const h = await desk(t);
  const a = await registered(h, h.ivanov);
  await h.request('POST', `/api/tickets/${a.id}/comments`, h.ivanov.token, { text: 'Перезвонили; ждём "лог"' });
  const res = await fetch(`${h.url}/api/tickets/journal.csv?since=${encodeURIComponent(new Date(Date.now() - 3_600_000).toISOString())}`, {
    headers: { authorization: `Bearer ${h.boss.token}` },
  });
  t.equal(res.status, 200);
  const rows = lines(await res.text());
  t.same(rows[0].split(';'), ['Время', 'Заявка', 'Запись', 'Кто', 'От имени', 'Звонок', 'Подробности']);
  const mine = rows.filter((l) => l.includes(a.number));
  t.ok(mine.some((l) => l.split(';')[2] === 'registered'), 'the registration');
  t.ok(mine.some((l) => l.includes('comment') && l.includes('ivanov')), 'the comment, by whom');
  t.equal((await fetch(`${h.url}/api/tickets/journal.csv`, { headers: { authorization: `Bearer ${h.ivanov.token}` } })).status, 403);
});

t.test('each export also answers at /api/export/<what>.csv with the same rows, and refuses agents there too', async (t) => {
  const h = await desk(t);
  await registered(h, h.ivanov, { subject: 'Экспорт по второму адресу' });
  const get = async (path: string, token: string) => {
    const res = await fetch(`${h.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
    return { status: res.status, body: await res.text() };
  };
  for (const [primary, alias] of [
    ['/api/calls/export.csv', '/api/export/calls.csv'],
    ['/api/tickets/export.csv', '/api/export/tickets.csv'],
    ['/api/tickets/journal.csv', '/api/export/journal.csv'],
  ]) {
    const a = await get(primary, h.boss.token);
    const b = await get(alias, h.boss.token);
    t.equal(b.status, 200, alias);
    t.same(lines(b.body), lines(a.body), `${alias} is ${primary}`);
    t.equal((await get(alias, h.ivanov.token)).status, 403, `${alias}: not for agents`);
  }
});
