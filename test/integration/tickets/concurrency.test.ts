// Journal numbers stay gapless and unique per year under real concurrent HTTP requests, and two
// people editing one request cannot overwrite each other (409 stale_version).
import t from 'tap';
import { desk, journalOf, move, registered, type Desk, type Person } from './fixture';

const seq = (n: string) => Number(n.split('-')[1]);

async function drafts(h: Desk, who: Person, n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const res = await h.request('POST', '/api/tickets', who.token, { description: `Проблема №${i}` });
    ids.push(res.body.id);
  }
  return ids;
}

t.test('R1: 50 registrations at once get 50 consecutive journal numbers', async (t) => {
  const h = await desk(t);
  const year = new Date().getUTCFullYear(); // not New Year's night in Moscow while this runs: checked below
  const ids = await drafts(h, h.ivanov, 50);
  const results = await Promise.all(ids.map((id) => move(h, h.ivanov, id, { to: 'registered' })));
  t.same(results.map((r) => r.status), Array(50).fill(200), 'all registered');
  const numbers = results.map((r) => r.body.number as string);
  t.equal(new Set(numbers).size, 50, 'unique');
  t.same(numbers.map(seq).sort((a, b) => a - b), Array.from({ length: 50 }, (_, i) => i + 1), '000001 … 000050, no gap');
  t.ok(numbers.every((n) => n.startsWith(`${numbers[0].slice(0, 4)}-`)) && Math.abs(Number(numbers[0].slice(0, 4)) - year) <= 1);

  // And 50 new requests registered as they are created, also at once: 51 … 100.
  const created = await Promise.all(
    Array.from({ length: 50 }, (_, i) => h.request('POST', '/api/tickets', i % 2 ? h.petrov.token : h.boss.token, { description: `Новая №${i}`, register: true })),
  );
  t.same(created.map((r) => r.status), Array(50).fill(201));
  t.same(created.map((r) => seq(r.body.number)).sort((a, b) => a - b), Array.from({ length: 50 }, (_, i) => i + 51));

  // Each registration journaled its own number once.
  const journal = await journalOf(h, ids[17]);
  t.equal(journal.filter((e) => e.kind === 'registered').length, 1);
  t.equal(journal[0].data.number, results[17].body.number);
});

t.test('R1: numbers start again at 000001 in a new Moscow year', async (t) => {
  const h = await desk(t);
  h.app.tickets.clock = () => new Date('2026-12-31T20:59:59.000Z'); // 23:59:59 in Moscow
  const last = await registered(h, h.ivanov);
  t.equal(last.number, '2026-000001');
  h.app.tickets.clock = () => new Date('2026-12-31T21:00:00.000Z'); // midnight in Moscow, still 2026 in UTC
  const [a, b] = await Promise.all([registered(h, h.ivanov), registered(h, h.petrov)]);
  t.same([a.number, b.number].sort(), ['2027-000001', '2027-000002']);
  const next = await registered(h, h.ivanov);
  t.equal(next.number, '2027-000003');
});

t.test('two people editing one request: the second gets 409 stale_version', async (t) => {
  const h = await desk(t);
  const r = await registered(h, h.ivanov, { subject: 'Касса' });
  const both = await h.request('PATCH', `/api/tickets/${r.id}`, h.boss.token, { version: r.version, assignees: [h.ivanov.id, h.petrov.id] });
  t.equal(both.status, 200);
  const v = both.body.version;

  // Both read version v; Ivanov saves first.
  const first = await h.request('PATCH', `/api/tickets/${r.id}`, h.ivanov.token, { version: v, description: 'Касса не открывает смену' });
  t.equal(first.status, 200);
  const second = await h.request('PATCH', `/api/tickets/${r.id}`, h.petrov.token, { version: v, description: 'Касса зависает' });
  t.equal(second.status, 409);
  t.equal(second.body.error, 'stale_version');
  t.equal(second.body.currentVersion, v + 1);
  const now = await h.request('GET', `/api/tickets/${r.id}`, h.petrov.token);
  t.equal(now.body.description, 'Касса не открывает смену', 'nothing overwritten');

  // Truly at once: exactly one wins.
  const racing = await Promise.all([
    h.request('PATCH', `/api/tickets/${r.id}`, h.ivanov.token, { version: v + 1, priority: 'high' }),
    h.request('PATCH', `/api/tickets/${r.id}`, h.petrov.token, { version: v + 1, priority: 'critical' }),
  ]);
  t.same(racing.map((x) => x.status).sort(), [200, 409]);
  const winner = racing.find((x) => x.status === 200)!.body.priority;
  const changes = (await journalOf(h, r.id)).filter((e) => e.kind === 'field_changed' && e.data.field === 'priority');
  t.match(changes, [{ data: { from: 'normal', to: winner } }], 'one change journaled');

  // Transitions honour the version too.
  const stale = await move(h, h.ivanov, r.id, { to: 'in_progress', version: v });
  t.equal(stale.status, 409);
  t.equal(stale.body.error, 'stale_version');
  const fresh = await move(h, h.ivanov, r.id, { to: 'in_progress', version: v + 2 });
  t.equal(fresh.status, 200);
});
