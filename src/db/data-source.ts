// The TypeORM DataSource: PostgreSQL through `pg`, the pool and the migrations (migrations/index.ts,
// never `synchronize`). No entities: every statement is typed SQL under src/db/ (rows.ts has the
// stored rows' types).
import { DataSource } from 'typeorm';
import { migrations } from '../../migrations';

export function createDataSource(url: string, poolSize = 10): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    migrations,
    synchronize: false,
    migrationsRun: false,
    migrationsTransactionMode: 'each',
    // Connections are kept when idle (pg's pool closes them after 10 s by default): a new one is a
    // new PostgreSQL backend, whose first full-text search loads the dictionaries (60–70 ms) and
    // whose first statements on each table load its catalog entries — after every quiet spell, the
    // next user would wait for that.
    extra: { max: poolSize, application_name: 'calldesk', idleTimeoutMillis: 0 },
  });
}
