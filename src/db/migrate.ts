// Runs pending migrations under a PostgreSQL advisory lock, so two instances starting together
// cannot both migrate.
import { setTimeout as sleep } from 'node:timers/promises';
import type { DataSource } from 'typeorm';

const MIGRATION_LOCK = 0x6361_6c6c; // 'call'
const LOCK_POLL_MS = 100;

export async function runMigrations(ds: DataSource): Promise<string[]> {
  const runner = ds.createQueryRunner();
  await runner.connect();
  try {
    // Polled, not waited for inside pg_advisory_lock(): a statement waiting there holds a snapshot,
    // and CREATE INDEX CONCURRENTLY in the instance that migrates waits for every older snapshot,
    // while that instance's lock waits for its migrations: both would wait forever.
    while (!(await runner.query('SELECT pg_try_advisory_lock($1) AS ok', [MIGRATION_LOCK]))[0].ok) await sleep(LOCK_POLL_MS);
    const done = await ds.runMigrations({ transaction: 'each' });
    return done.map((m) => m.name);
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await runner.release();
  }
}
