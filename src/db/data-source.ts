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
    extra: { max: poolSize, application_name: 'calldesk' },
  });
}
