// The process shell: configuration, logger, database (embedded when no DATABASE_URL), listen,
// graceful close. Everything else is built in app.ts.
import closeWithGrace from 'close-with-grace';
import { buildApp } from './app';
import { loadConfig } from './config/config';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './db/embedded';
import { createLogger } from './logger';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  let embedded: EmbeddedDatabase | null = null;
  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    embedded = await startEmbeddedPostgres(config.dataDir, logger);
    databaseUrl = embedded.url;
  }
  const app = await buildApp({ config, logger, databaseUrl });
  closeWithGrace({ delay: 10_000 }, async ({ err, signal }) => {
    if (err) logger.error({ err }, 'stopping after an error');
    else logger.info({ signal }, 'stopping');
    await app.close();
    await embedded?.stop();
  });
  await app.http.listen({ port: config.port, host: config.host ?? '0.0.0.0' });
  await app.startIngest();
}

main().catch((err) => {
  // The logger may not exist yet (bad configuration): write the reason plainly and exit non-zero.
  process.stderr.write(`calldesk failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
