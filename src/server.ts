// The process shell: configuration, logger, start (start-service.ts: database, app, listen, PBX),
// graceful close. Everything else is built in app.ts.
import closeWithGrace from 'close-with-grace';
import { loadConfig } from './config/config';
import { createLogger } from './logger';
import { startService } from './start-service';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const starting = startService(config, logger);
  // Installed before the start completes, so that a signal during it still stops what started.
  closeWithGrace({ delay: 10_000 }, async ({ err, signal }) => {
    if (err) logger.error({ err }, 'stopping after an error');
    else logger.info({ signal }, 'stopping');
    const service = await starting.catch(() => null);
    await service?.stop();
  });
  await starting;
}

main().catch((err) => {
  // The logger may not exist yet (bad configuration): write the reason plainly and exit non-zero.
  process.stderr.write(`calldesk failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
