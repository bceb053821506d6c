// The bench's PostgreSQL: the product's own embedded server (src/db/embedded.ts, durable settings,
// data under var/bench/ so the seeded million rows survive between runs), or the server of
// DATABASE_URL. Each run writes into a fresh database that it drops at the end; the seed database
// is built once per size and kept.
import pino from 'pino';
import pg from 'pg';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../src/db/embedded';

export interface BenchDatabaseServer {
  /** Which server: `embedded (var/bench)` or the DATABASE_URL host. */
  label: string;
  urlOf(database: string): string;
  create(database: string): Promise<string>;
  drop(database: string): Promise<void>;
  exists(database: string): Promise<boolean>;
  settings(): Promise<Record<string, string>>;
  /** Writes out the WAL so far, so that one phase's writes are not flushed on the next one's time. */
  checkpoint(): Promise<void>;
  stop(): Promise<void>;
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export async function benchDatabaseServer(databaseUrl: string | undefined): Promise<BenchDatabaseServer> {
  let embedded: EmbeddedDatabase | null = null;
  let adminUrl: string;
  let label: string;
  if (databaseUrl) {
    adminUrl = databaseUrl;
    label = `DATABASE_URL (${new URL(databaseUrl).host})`;
  } else {
    embedded = await startEmbeddedPostgres('var/bench', pino({ level: 'silent' }), 'calldesk_bench');
    adminUrl = embedded.url;
    label = 'embedded (var/bench, product defaults)';
  }
  const admin = async <T>(run: (c: pg.Client) => Promise<T>): Promise<T> => {
    const c = new pg.Client({ connectionString: adminUrl });
    await c.connect();
    try {
      return await run(c);
    } finally {
      await c.end();
    }
  };
  const ident = (name: string) => {
    if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`bad database name ${name}`);
    return `"${name}"`;
  };
  return {
    label,
    urlOf: (database) => withDatabase(adminUrl, database),
    async create(database) {
      await admin((c) => c.query(`CREATE DATABASE ${ident(database)}`));
      return withDatabase(adminUrl, database);
    },
    async drop(database) {
      await admin((c) => c.query(`DROP DATABASE IF EXISTS ${ident(database)} WITH (FORCE)`));
    },
    async exists(database) {
      return admin(async (c) => (await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [database])).rowCount === 1);
    },
    async checkpoint() {
      await admin((c) => c.query('CHECKPOINT'));
    },
    async settings() {
      return admin(async (c) => {
        const r = await c.query(
          `SELECT name, setting FROM pg_settings WHERE name IN ('server_version', 'fsync', 'synchronous_commit', 'shared_buffers', 'wal_level', 'max_connections')`,
        );
        return Object.fromEntries(r.rows.map((x: { name: string; setting: string }) => [x.name, x.setting]));
      });
    },
    async stop() {
      await embedded?.stop();
    },
  };
}
