// A real PostgreSQL for each test file: a fresh database on DATABASE_URL's server when given,
// else on an embedded PostgreSQL this test process starts (and removes) itself. A test that stops
// and restarts the database asks for `restartable`: it always gets its own embedded server.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import tap from 'tap';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../../src/db/data-source';
import { runMigrations } from '../../src/db/migrate';
import { placeCluster, rootPlace } from '../../src/db/pg-place';
import { PgServer } from '../../src/db/pg-server';

export interface TestServer {
  /** postgres:// URL of the server's maintenance database. */
  adminUrl: string;
  /** Stops / starts the server (embedded only): to test the database going away. */
  stop?: () => Promise<void>;
  start?: () => Promise<void>;
  close(): Promise<void>;
}

let server: Promise<TestServer> | null = null;

export function testServer(opts: { restartable?: boolean } = {}): Promise<TestServer> {
  const external = process.env.DATABASE_URL;
  if (external && !opts.restartable) return Promise.resolve({ adminUrl: external, close: async () => undefined });
  server ??= (async () => {
    // Placed and run as the service's own embedded database is (src/db/pg-place.ts): as root, by
    // the `postgres` user, in a place it can reach even from a private (0700) checkout.
    const dir = await mkdtemp(path.join(os.tmpdir(), 'calldesk-test-pg-'));
    const placement = await placeCluster(dir);
    const password = randomBytes(9).toString('hex');
    const epg = new PgServer({
      placement,
      password,
      initdbFlags: ['--no-sync'],
      postgresFlags: ['-c', 'fsync=off', '-c', 'max_connections=200'],
      log: () => undefined,
    });
    await epg.initialise();
    await epg.start();
    // One server per test file (process): stopped, and its files removed, when the file ends.
    tap.teardown(async () => {
      await epg.stop();
      await rm(dir, { recursive: true, force: true });
      await rm(rootPlace(dir), { recursive: true, force: true });
    });
    return {
      // The port stays the same across a restart (the first one was free, it is ours again).
      adminUrl: `postgres://postgres:${password}@127.0.0.1:${epg.port}/postgres`,
      stop: () => epg.stop(),
      start: () => epg.start(),
      close: () => epg.stop(),
    };
  })();
  return server;
}

/** A fresh, empty database for one test; dropped at teardown. */
export async function freshDatabase(t: { teardown(fn: () => unknown): void }, opts: { restartable?: boolean } = {}): Promise<{ url: string; server: TestServer }> {
  const srv = await testServer(opts);
  const name = `calldesk_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: srv.adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(srv.adminUrl);
  url.pathname = `/${name}`;
  t.teardown(async () => {
    const c = new pg.Client({ connectionString: srv.adminUrl });
    await c.connect().catch(() => undefined);
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
    await c.end().catch(() => undefined);
  });
  return { url: url.toString(), server: srv };
}

/** A fresh database with every migration run, and a small pool on it (closed with the test). */
export async function migratedDatabase(t: { teardown(fn: () => unknown): void }): Promise<{ url: string; ds: DataSource }> {
  const { url } = await freshDatabase(t);
  const ds = createDataSource(url, 2);
  await ds.initialize();
  t.teardown(() => ds.destroy());
  await runMigrations(ds);
  return { url, ds };
}

/** Shared buffers an EXPLAIN ANALYZE of `sql` touched running it (planning reads the catalog, not the rows). */
export async function pagesRead(db: { query(sql: string, args?: unknown[]): Promise<any> }, sql: string, args: unknown[] = []): Promise<number> {
  const [{ 'QUERY PLAN': [plan] }] = await db.query(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${sql}`, args);
  return plan.Plan['Shared Hit Blocks'] + plan.Plan['Shared Read Blocks'];
}
