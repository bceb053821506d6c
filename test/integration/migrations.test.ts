// Migrations on a real PostgreSQL: every one runs up, down and up again, leaving exactly the schema it
// made; and the indexes written for open requests cover the statuses the code calls open.
import t from 'tap';
import type { DataSource } from 'typeorm';
import { migrations } from '../../migrations';
import { createDataSource } from '../../src/db/data-source';
import { runMigrations } from '../../src/db/migrate';
import { OPEN_STATUSES } from '../../src/tickets/ticket';
import { freshDatabase } from '../helpers/db';

/**
 * Every table, column, constraint, index, sequence, view, function, trigger and statistics object in
 * the schema, by name (a function with a digest of its body, a trigger with its definition).
 */
async function schemaObjects(ds: DataSource): Promise<string[]> {
  const rows: { o: string }[] = await ds.query(`
    SELECT c.relkind::text || ' ' || c.relname AS o FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'
    UNION ALL SELECT 'f ' || p.proname || ' ' || md5(p.prosrc) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public'
    UNION ALL SELECT 't ' || g.tgname || ' ' || pg_get_triggerdef(g.oid) FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
              WHERE n.nspname = 'public' AND NOT g.tgisinternal
    UNION ALL SELECT 's ' || s.stxname FROM pg_statistic_ext s JOIN pg_namespace n ON n.oid = s.stxnamespace WHERE n.nspname = 'public'
    UNION ALL SELECT 'c ' || table_name || '.' || column_name || ' ' || data_type FROM information_schema.columns WHERE table_schema = 'public'
    UNION ALL SELECT 'k ' || k.conname FROM pg_constraint k JOIN pg_namespace n ON n.oid = k.connamespace
              WHERE n.nspname = 'public'`);
  return rows.map((r) => r.o).sort();
}

/**
 * Migrations that replace objects of an earlier one rather than only add their own: the objects
 * (kind and name) their down puts back as they were, and nothing else.
 */
const REPLACES: Record<string, string[]> = {
  AssigneeRowsPerStatement1796502600000: ['f ticket_assignee_sync', 't ticket_assignee_insert', 't ticket_assignee_update'],
  DropRedundantTicketIndexes1796502610000: ['i ticket_created_idx', 'i ticket_priority_idx'],
  DropRedundantSearchIndex1796502810000: ['i ticket_search_idx'],
};

/** Kind and name of a schema object line. */
const kindAndName = (o: string) => o.split(' ').slice(0, 2).join(' ');

async function migrated(t: { teardown(fn: () => unknown): void }): Promise<DataSource> {
  const { url } = await freshDatabase(t);
  const ds = createDataSource(url, 2);
  await ds.initialize();
  t.teardown(() => ds.destroy());
  return ds;
}

t.test('every migration runs up, down to the schema it started from, and up again to the same schema', async (t) => {
  const ds = await migrated(t);
  // What is there before any migration (TypeORM's connection may add an extension's functions).
  const bare = await schemaObjects(ds);
  t.same(await runMigrations(ds), migrations.map((m) => new m().name), 'all of them, in order');
  const full = await schemaObjects(ds);
  t.ok(full.includes('i ticket_open_priority_idx') && full.includes('s ticket_callback_status_stats'), 'the latest indexes and statistics are there');

  // Down one at a time, newest first: each leaves a subset of what was there, and the last leaves
  // nothing but TypeORM's own bookkeeping.
  let before = full;
  for (const m of [...migrations].reverse()) {
    await ds.undoLastMigration({ transaction: 'each' });
    const after = await schemaObjects(ds);
    const added = after.filter((o) => !before.includes(o));
    const replaced = REPLACES[new m().name];
    if (replaced) t.same(added.map(kindAndName).sort(), replaced, `${new m().name} down puts back what it replaced, nothing else`);
    else t.same(added, [], `${new m().name} down adds nothing`);
    if (!replaced) t.ok(after.length < before.length, `${new m().name} down removes what it made`);
    if (new m().name === 'AddOpenTicketIndexes1795706149529') {
      t.same(
        before.filter((o) => !after.includes(o)),
        ['i ticket_callback_created_idx', 'i ticket_callback_priority_idx', 'i ticket_open_assignees_idx', 'i ticket_open_priority_idx', 's ticket_callback_status_stats'],
        'AddOpenTicketIndexes down removes its indexes and statistics, nothing else',
      );
    }
    before = after;
  }
  // TypeORM's own table of executed migrations stays.
  const typeorm = /^(r migrations|S migrations_id_seq|[ik] PK_[0-9a-f]+|c migrations\.\w+ .*)$/;
  t.same(before.filter((o) => !typeorm.test(o)), bare, 'the schema from before at the bottom');

  t.same(await runMigrations(ds), migrations.map((m) => new m().name), 'up again');
  t.same(await schemaObjects(ds), full, 'the same schema as the first time');
  t.same(await runMigrations(ds), [], 'nothing left to run');
});

t.test('the open-request indexes cover exactly the statuses the code calls open', async (t) => {
  const ds = await migrated(t);
  await runMigrations(ds);
  const rows: { name: string; predicate: string }[] = await ds.query(
    `SELECT c.relname AS name, pg_get_expr(i.indpred, i.indrelid) AS predicate
       FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname IN ('ticket_open_priority_idx', 'ticket_open_assignees_idx', 'ticket_open_list_idx')`,
  );
  t.equal(rows.length, 3, 'all three indexes');
  for (const r of rows) {
    const statuses = [...r.predicate.matchAll(/'([a-z_]+)'::text/g)].map((m) => m[1]).sort();
    t.match(r.predicate, /^\(status = ANY \(ARRAY\[/, `${r.name}: a list of statuses`);
    t.same(statuses, [...OPEN_STATUSES].sort(), `${r.name} holds OPEN_STATUSES`);
  }
});

t.test('two instances starting together on a fresh database: one migrates, the other waits, neither hangs', { timeout: 60_000 }, async (t) => {
  // The waiting instance must not sit inside pg_advisory_lock(): a session waiting there holds a
  // snapshot, and CREATE INDEX CONCURRENTLY in the migrating one waits for every older snapshot.
  const { url } = await freshDatabase(t);
  const [a, b] = [createDataSource(url, 2), createDataSource(url, 2)];
  await Promise.all([a.initialize(), b.initialize()]);
  t.teardown(() => Promise.all([a.destroy(), b.destroy()]));
  const ran = await Promise.all([runMigrations(a), runMigrations(b)]);
  t.same(ran.flat(), migrations.map((m) => new m().name), 'every migration ran once, in order');
  const indexes: { n: number }[] = await a.query(
    `SELECT count(*)::int AS n FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname LIKE 'ticket_%' AND NOT i.indisvalid`,
  );
  t.equal(indexes[0].n, 0, 'no index left invalid');
});


t.test('requests that came by e-mail before the upgrade know the address they came from after it', async (t) => {
  const ds = await migrated(t);
  await runMigrations(ds);
  // Back to the schema before it (and before any migration after it).
  const names = migrations.map((m) => new m().name);
  const later = names.slice(names.indexOf('AddSenderEmail1796503100000'));
  for (let i = 0; i < later.length; i++) await ds.undoLastMigration({ transaction: 'each' });
  const [mailed, phoned] = [crypto.randomUUID(), crypto.randomUUID()];
  await ds.query(`INSERT INTO ticket (id, status, channel, created_at, updated_at) VALUES ($1, 'registered', 'email', now(), now()), ($2, 'registered', 'phone', now(), now())`, [mailed, phoned]);
  // The mail that opened it, then the customer's reply from another address.
  await ds.query(
    `INSERT INTO mail_message (id, mailbox, message_id, from_address, received_at, raw, ticket_id, outcome) VALUES
       (gen_random_uuid(), 'INBOX', 'a@x', 'olga@lesnoe.ru', now() - interval '1 hour', '', $1, 'request'),
       (gen_random_uuid(), 'INBOX', 'b@x', 'olga.home@mail.ru', now(), '', $1, 'reply')`,
    [mailed],
  );
  t.same(await runMigrations(ds), later);
  const rows: { id: string; sender_email: string | null }[] = await ds.query(`SELECT id, sender_email FROM ticket`);
  t.equal(rows.find((r) => r.id === mailed)?.sender_email, 'olga@lesnoe.ru', 'the e-mailed request: the address of the mail that opened it');
  t.equal(rows.find((r) => r.id === phoned)?.sender_email, null, 'a request by phone: none');
});
