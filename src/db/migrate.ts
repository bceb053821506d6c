// Runs pending migrations under a PostgreSQL advisory lock, so two instances starting together
// cannot both migrate.
import type { DataSource } from 'typeorm';

const MIGRATION_LOCK = 0x6361_6c6c; // 'call'

export async function runMigrations(ds: DataSource): Promise<string[]> {
  const runner = ds.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    const done = await ds.runMigrations({ transaction: 'each' });
    return done.map((m) => m.name);
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await runner.release();
  }
}
