// When the service cannot start, it says why in words and what to do (DATA_DIR, DATABASE_URL, PORT),
// exits non-zero, and leaves no PostgreSQL behind; a database port taken meanwhile is avoided.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import t from 'tap';
import { placeCluster, rootPlace } from '../../../src/db/pg-place';
import { PgServer } from '../../../src/db/pg-server';
import { embeddedStart, npmStart, privateCheckout, type PrivateCheckout } from '../../helpers/checkout';

const asRoot = process.getuid?.() === 0;
const ROOT = path.resolve(__dirname, '..', '..', '..');
// The bundle `npm start` runs, for the cases started from this checkout.
execFileSync(process.execPath, ['scripts/build.mjs', '--quiet'], { cwd: ROOT });

/** A directory every user may enter, as /srv or /opt are; removed at the end. */
function openDir(t: { teardown(fn: () => unknown): void }): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'calldesk-open-'));
  chmodSync(dir, 0o755);
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function holdPort(t: { teardown(fn: () => unknown): void }): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((resolve) => srv.listen(0, '0.0.0.0', resolve));
  t.teardown(() => new Promise<void>((resolve) => srv.close(() => resolve())));
  return (srv.address() as net.AddressInfo).port;
}

/** Starts, expects an exit 1, and returns what was printed. */
async function failedStart(co: PrivateCheckout, env: Record<string, string>, uid?: number): Promise<string> {
  const s = npmStart(co, env, uid);
  const code = await s.exited;
  if (code !== 1) throw new Error(`expected exit 1, got ${code}:\n${s.output()}`);
  return s.output();
}

function inWords(t: { notMatch(found: string, wanted: RegExp, message: string): unknown }, out: string) {
  t.notMatch(out, /^\s+at /m, 'no stack trace');
  t.notMatch(out, /\b(EACCES|EADDRINUSE|ENOSPC)\b/, 'no bare error code');
}

t.test('the service port taken: says which port and to set PORT, and stops its PostgreSQL', async (t) => {
  const co = privateCheckout(t);
  const port = await holdPort(t);
  const out = await failedStart(co, { PORT: String(port) });
  t.match(out, new RegExp(`port ${port} is already in use by another program.*set PORT`));
  inWords(t, out);
  const started = embeddedStart(out);
  t.ok(started, 'the database had started');
  const c = new pg.Client({ host: '127.0.0.1', port: started!.port, user: 'postgres', database: 'postgres', connectionTimeoutMillis: 5000 });
  c.on('error', () => undefined);
  const err = await c.connect().then(() => null, (e: NodeJS.ErrnoException) => e);
  await c.end().catch(() => undefined);
  t.equal(err?.code, 'ECONNREFUSED', 'and is stopped again');
});

t.test('a data directory from another PostgreSQL major: says so and how to go on', async (t) => {
  const dataDir = path.join(openDir(t), 'var');
  mkdirSync(path.join(dataDir, 'pg'), { recursive: true });
  writeFileSync(path.join(dataDir, 'pg', 'PG_VERSION'), '16\n');
  const out = await failedStart({ dir: ROOT, rootBase: openDir(t) }, { DATA_DIR: dataDir });
  t.match(out, /created by PostgreSQL 16, and calldesk ships PostgreSQL 17/);
  t.match(out, /pg_upgrade.*DATA_DIR.*DATABASE_URL/);
  inWords(t, out);
});

t.test('a DATA_DIR the user may not write: says so and what to do', async (t) => {
  // As root, the service is started by an ordinary user (nobody); otherwise the user is one already.
  const dataDir = asRoot ? path.join(openDir(t), 'var') : '/root/calldesk-var';
  const uid = asRoot ? Number(execFileSync('id', ['-u', 'nobody'])) : undefined;
  const out = await failedStart({ dir: ROOT, rootBase: openDir(t) }, { DATA_DIR: dataDir, HOME: '/tmp' }, uid);
  t.match(out, new RegExp(`could not create the data directory ${dataDir}: it is not writable for this user`));
  t.match(out, /What to do: set DATA_DIR to another directory, or DATABASE_URL/);
  inWords(t, out);
});

t.test('the database port taken before PostgreSQL binds it: another one is used', async (t) => {
  const dir = openDir(t);
  t.teardown(() => rmSync(rootPlace(dir), { recursive: true, force: true }));
  const taken = await holdPort(t);
  const notices: string[] = [];
  const server = new PgServer({ placement: await placeCluster(dir), password: 'pw', port: taken, initdbFlags: ['--no-sync'], log: () => undefined, notice: (m) => notices.push(m) });
  await server.initialise();
  await server.start();
  t.teardown(() => server.stop());
  t.not(server.port, taken, 'PostgreSQL listens on another port');
  t.match(notices.join('\n'), new RegExp(`port ${taken} is taken by another program`), 'and says so');
  const c = new pg.Client({ host: '127.0.0.1', port: server.port, user: 'postgres', password: 'pw', database: 'postgres' });
  await c.connect();
  t.same((await c.query('SELECT 1 AS one')).rows, [{ one: 1 }], 'and answers there');
  await c.end();
});
