// An embedded PostgreSQL for installations without DATABASE_URL: a real server started by the
// service on a free port (a system PostgreSQL may hold 5432). Where its programs and data live is
// decided by pg-place.ts (as root: a place the `postgres` user can reach, never the checkout opened
// up); running it, and recovering from a crash, by pg-server.ts.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import pg from 'pg';
import type { Logger } from 'pino';
import { fsProblem } from './embedded-errors';
import { placeCluster } from './pg-place';
import { PgServer } from './pg-server';

export { EmbeddedDatabaseError } from './embedded-errors';

export interface EmbeddedDatabase {
  url: string;
  /** The cluster's data directory, as logged. */
  pgData: string;
  stop(): Promise<void>;
}

export async function startEmbeddedPostgres(dataDir: string, logger: Logger, database = 'calldesk'): Promise<EmbeddedDatabase> {
  const log = logger.child({ module: 'embedded-postgres' });
  const placement = await placeCluster(dataDir);
  const { pgData, secretFile } = placement;
  // A password of its own, kept beside the data (not in the checkout's git), so the port is not an open door.
  let password: string;
  try {
    if (existsSync(secretFile)) password = (await readFile(secretFile, 'utf8')).trim();
    else {
      password = randomBytes(18).toString('base64url');
      await writeFile(secretFile, password + '\n', { mode: 0o600 });
    }
  } catch (err) {
    throw fsProblem(err, secretFile, 'keep the database password in');
  }
  const server = new PgServer({ placement, password, log: (m) => log.debug(m.trim()), notice: (m) => log.warn(m) });
  if (!server.initialised) {
    log.info({ dir: pgData, why: placement.reason }, 'initialising embedded PostgreSQL');
    await server.initialise();
  }
  await server.start();
  try {
    const client = new pg.Client({ host: '127.0.0.1', port: server.port, user: 'postgres', password, database: 'postgres' });
    await client.connect();
    try {
      const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
      if (found.rowCount === 0) await client.query(`CREATE DATABASE "${database}"`);
    } finally {
      await client.end();
    }
  } catch (err) {
    await server.stop();
    throw err;
  }
  log.info({ port: server.port, dir: pgData, why: placement.reason }, 'embedded PostgreSQL started');
  return {
    url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${server.port}/${database}`,
    pgData,
    stop: () => server.stop(),
  };
}
