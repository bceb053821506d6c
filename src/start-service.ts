// Starting the service: the database (an embedded PostgreSQL when the configuration has no URL),
// the app, the listener, then the PBX connections. Shared by the process shell (server.ts) and the
// demo (demo/demo.ts), which differ only in where their configuration comes from.
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { buildApp, type CalldeskApp } from './app';
import type { Config } from './config/config';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './db/embedded';

export interface RunningService {
  app: CalldeskApp;
  /** The port actually listened on (the configured one, or the one picked for port 0). */
  port: number;
  /** Closes the app, then the embedded database if it started one (once; later calls wait). */
  stop(): Promise<void>;
}

/**
 * Starts the service. The caller owns the process's signals (close-with-grace) and calls `stop()`
 * on them: an embedded database is stopped by `stop()`, after the app has closed.
 */
export async function startService(config: Config, logger: Logger): Promise<RunningService> {
  let embedded: EmbeddedDatabase | null = null;
  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    embedded = await startEmbeddedPostgres(config.dataDir, logger);
    databaseUrl = embedded.url;
  }
  let app: CalldeskApp | null = null;
  let stopping: Promise<void> | null = null;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      await app?.close();
      await embedded?.stop();
    })());
  try {
    app = await buildApp({ config, logger, databaseUrl });
    await app.http.listen({ port: config.port, host: config.host ?? '0.0.0.0' });
    await app.startIngest();
  } catch (err) {
    // A port in use must not leave a PostgreSQL running behind the failed start.
    await stop().catch(() => undefined);
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new Error(`port ${config.port} is already in use by another program. What to do: stop that program, or set PORT to a free port (PORT=0 picks one).`);
    }
    throw err;
  }
  return { app, port: (app.http.server.address() as AddressInfo).port, stop };
}
