// `npm run migrate`: applies pending migrations to the configured database and exits.
import { loadConfig } from '../config/config';
import { createLogger } from '../logger';
import { initializeWithRetry } from './connect';
import { createDataSource } from './data-source';
import { startEmbeddedPostgres } from './embedded';
import { runMigrations } from './migrate';

async function main() {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const embedded = config.databaseUrl ? null : await startEmbeddedPostgres(config.dataDir, logger);
  const ds = createDataSource(config.databaseUrl ?? embedded!.url, 2);
  await initializeWithRetry(ds, logger);
  const ran = await runMigrations(ds);
  logger.info({ migrations: ran }, ran.length ? 'migrations applied' : 'database is up to date');
  await ds.destroy();
  await embedded?.stop();
}

main().catch((err) => {
  process.stderr.write(`migration failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
