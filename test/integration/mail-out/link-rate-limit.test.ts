// The customer-link page's rate limit counts in PostgreSQL: a person gets through, a guesser is
// stopped, and a guesser spreading tries over two instances meets one count.
import t from 'tap';
import { createDataSource } from '../../../src/db/data-source';
import { runMigrations } from '../../../src/db/migrate';
import { LinkRateLimit } from '../../../src/links/rate-limit';
import { freshDatabase } from '../../helpers/db';

async function database(t: Parameters<typeof freshDatabase>[0]) {
  const db = await freshDatabase(t);
  const ds = createDataSource(db.url, 4);
  await ds.initialize();
  t.teardown(() => ds.destroy());
  await runMigrations(ds);
  return ds;
}

t.test('the rate limit lets a person through and stops a guesser', async (t) => {
  const limit = new LinkRateLimit(await database(t), { requestsPerMinute: 100, unknownPerTenMinutes: 5 });
  const now = Date.parse('2026-12-01T10:00:00Z');
  const at = (ms: number) => new Date(now + ms);
  for (let i = 0; i < 60; i++) t.ok(await limit.allow('10.0.0.1', at(i * 500)), `a person's request ${i + 1}`);
  for (let i = 0; i < 5; i++) {
    t.ok(await limit.allow('10.0.0.2', at(0)));
    await limit.unknown('10.0.0.2', at(0));
  }
  t.notOk(await limit.allow('10.0.0.2', at(0)), 'the sixth unknown token in ten minutes is refused');
  t.ok(await limit.allow('10.0.0.1', at(30_000)), 'others are not affected');
  t.ok(await limit.allow('10.0.0.2', at(601_000)), 'after the window it may try again');
});

t.test('two instances count one guesser together', async (t) => {
  const ds = await database(t);
  const limits = { requestsPerMinute: 100, unknownPerTenMinutes: 6 };
  const [a, b] = [new LinkRateLimit(ds, limits), new LinkRateLimit(ds, limits)];
  const now = new Date('2026-12-01T10:00:00Z');
  for (let i = 0; i < 3; i++) {
    t.ok(await a.allow('10.0.0.9', now));
    await a.unknown('10.0.0.9', now);
    t.ok(await b.allow('10.0.0.9', now));
    await b.unknown('10.0.0.9', now);
  }
  t.notOk(await a.allow('10.0.0.9', now), 'refused on one instance');
  t.notOk(await b.allow('10.0.0.9', now), 'and on the other: six unknown tokens between them');
});
