// `npm start` runs a bundle that holds TypeORM with its PostgreSQL driver alone
// (scripts/postgres-only-typeorm.mjs): started on a real database it migrates and answers health,
// and never loads TypeORM (with all its drivers) from node_modules. What the bundle holds is
// checked by test/unit/project/postgres-only-typeorm.test.ts.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import { freshDatabase } from '../helpers/db';
import { waitFor } from '../helpers/wait';

const ROOT = path.resolve(__dirname, '..', '..');

t.test('the built server runs on PostgreSQL without loading any other TypeORM driver', async (t) => {
  execFileSync(process.execPath, ['scripts/build.mjs', '--quiet'], { cwd: ROOT });
  const { url } = await freshDatabase(t);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'calldesk-bundle-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  // Writes the loaded modules' files when the service is healthy and asked (SIGUSR2).
  const preload = path.join(dir, 'loaded.cjs');
  const listing = path.join(dir, 'loaded.json');
  writeFileSync(preload, `process.on('SIGUSR2', () => require('fs').writeFileSync(${JSON.stringify(listing)}, JSON.stringify(Object.keys(require.cache))));\n`);
  const { DATABASE_URL: _, NODE_OPTIONS: __, ...env } = process.env;
  const child = spawn(process.execPath, ['--require', preload, 'dist/service/server.js'], {
    cwd: ROOT,
    env: { ...env, DATABASE_URL: url, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', AMI_PORT: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  t.teardown(async () => {
    child.kill('SIGTERM');
    await exited;
  });

  const port = await waitFor('the server listens', () => child.exitCode === null ? /listening at http:\/\/127\.0\.0\.1:(\d+)/.exec(out)?.[1] : Promise.reject(new Error(out)), 60_000);
  const health = await waitFor('health answers', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/api/health`).catch(() => null);
    return res?.status === 200 ? ((await res.json()) as { db: boolean }) : null;
  }, 30_000);
  t.equal(health.db, true, 'the database is reached through the bundled PostgreSQL driver');
  t.match(out, /migrations applied/, 'and the migrations ran through it');

  child.kill('SIGUSR2');
  const loaded = await waitFor('the loaded modules are listed', () => {
    try {
      return JSON.parse(readFileSync(listing, 'utf8')) as string[];
    } catch {
      return null;
    }
  });
  t.same(loaded.filter((f) => f.includes('/node_modules/typeorm/')), [], 'no file of node_modules/typeorm is loaded');

});
