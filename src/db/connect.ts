// Connects to PostgreSQL with capped exponential back-off: a database that is still starting
// (or restarting) is waited for, not treated as fatal.
import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';

export async function initializeWithRetry(ds: DataSource, logger: Logger, maxWaitMs = 60_000): Promise<void> {
  const started = Date.now();
  let delay = 100;
  for (;;) {
    try {
      await ds.initialize();
      return;
    } catch (err) {
      if (Date.now() - started > maxWaitMs) throw err;
      logger.warn({ err: (err as Error).message, retryInMs: delay }, 'database not reachable yet');
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 5000);
    }
  }
}
