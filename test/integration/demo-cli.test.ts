import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, chmodSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import { rootPlace } from '../../src/db/pg-place';

const ROOT = path.resolve(__dirname, '..', '..');

/**
 * The command an npm script runs, after its `pre` script (the build): `npm start` and `npm run
 * demo` run a bundle built by scripts/build.mjs, not the TypeScript sources.
 */
function npmScript(name: string): string[] {
  const scripts = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  const pre = scripts[`pre${name}`];
  if (pre) execFileSync('sh', ['-c', pre], { cwd: ROOT, stdio: 'inherit' });
  const argv = scripts[name].split(' ');
  if (argv[0] !== 'node') throw new Error(`npm ${name} does not run node: ${scripts[name]}`);
  return argv.slice(1);
}

/**
 * Runs an npm script's command until `ready` shows in its output, calls `whileUp` with that output,
 * sends `signal`, and waits for it to exit.
 */
async function runUntil(script: string, env: Record<string, string>, ready: RegExp, signal: NodeJS.Signals, whileUp?: (out: string) => Promise<void>) {
  const entry = `npm ${script}`;
  // Without the tests' DATABASE_URL: the commands start their own embedded PostgreSQL, as a user's would.
  const { DATABASE_URL: _, ...own } = process.env;
  const child = spawn(process.execPath, npmScript(script), { cwd: ROOT, env: { ...own, CALLDESK_PG_ROOT_BASE: rootBase, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, sig) => resolve({ code, signal: sig })));
  const started = await Promise.race([
    new Promise<boolean>((resolve) => {
      const check = () => ready.test(out) && (child.stdout.off('data', check), resolve(true));
      child.stdout.on('data', check);
    }),
    exited.then(() => false),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 60_000).unref()),
  ]);
  if (!started) {
    child.kill('SIGKILL');
    throw new Error(`${entry} did not get ready:\n${out}`);
  }
  try {
    await whileUp?.(out);
  } finally {
    child.kill(signal);
  }
  const end = await Promise.race([exited, new Promise<null>((resolve) => setTimeout(() => resolve(null), 30_000).unref())]);
  if (!end) child.kill('SIGKILL');
  return { out, end };
}

// Private (0700, as mkdtemp makes them): run as root, the embedded PostgreSQL's data then goes to
// a place its `postgres` user can reach (here a test's own base instead of /var/lib/calldesk).
const rootBase = mkdtempSync(path.join(os.tmpdir(), 'calldesk-pg-base-'));
chmodSync(rootBase, 0o755);
t.teardown(() => rmSync(rootBase, { recursive: true, force: true }));

function tempDataDir(t: { teardown(fn: () => unknown): void }): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'calldesk-shell-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Where the embedded cluster of `dataDir` lives (pg-place.ts). */
function pgData(dataDir: string): string {
  return process.getuid?.() === 0 ? path.join(rootPlace(dataDir, rootBase), 'pg') : path.join(dataDir, 'pg');
}

t.test('npm run demo prints the URL and the logins, and Ctrl-C stops the service before its PostgreSQL', async (t) => {
  const dataDir = tempDataDir(t);
  const { out, end } = await runUntil('demo', { DATA_DIR: dataDir, PORT: '0' }, /Ctrl-C stops/, 'SIGINT');
  t.match(out, /Open http:\/\/127\.0\.0\.1:\d+\/ and log in/);
  for (const login of ['101', '102', '103', 'supervisor']) t.match(out, new RegExp(`\\n    ${login} +demo-${login} `), `${login} and its password are printed`);
  t.same(end, { code: 0, signal: null }, 'exits 0');
  t.match(out, /Stopping the demo…\n  Stopped\.\n/);
  t.ok(existsSync(path.join(pgData(path.join(dataDir, 'demo')), 'PG_VERSION')), 'its PostgreSQL had its data there');
  t.notOk(existsSync(path.join(pgData(path.join(dataDir, 'demo')), 'postmaster.pid')), 'its PostgreSQL shut down');
  t.notMatch(out, /"level":50/, 'nothing logged as an error');
});

t.test('npm start stops on SIGTERM: the service closes, then its embedded PostgreSQL', async (t) => {
  const dataDir = tempDataDir(t);
  const { out, end } = await runUntil('start', { DATA_DIR: dataDir, PORT: '0', AMI_PORT: '1', LOG_LEVEL: 'info' }, /Server listening/, 'SIGTERM', async (out) => {
    // The bundle finds the files beside the code (the panel's sources, dist/ui) as the sources do.
    const url = /Server listening at (http:\/\/[^"]+)"/.exec(out)?.[1].replace('0.0.0.0', '127.0.0.1');
    t.ok(url, 'the listening address is logged');
    const health = await fetch(`${url}/api/health`);
    t.equal(health.status, 200, 'GET /api/health answers');
    t.equal(((await health.json()) as { version: string }).version, JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version, 'with the release the bundle was built from');
    const page = await fetch(`${url}/`);
    t.equal(page.status, 200, 'the panel is served');
    t.match(await page.text(), /<script defer src="\/assets\/app-[^"]+\.js"/);
  });
  t.same(end, { code: 0, signal: null }, 'exits 0');
  t.match(out, /"signal":"SIGTERM","msg":"stopping"/);
  t.ok(existsSync(path.join(pgData(dataDir), 'PG_VERSION')), 'its PostgreSQL had its data there');
  t.notOk(existsSync(path.join(pgData(dataDir), 'postmaster.pid')), 'its PostgreSQL shut down');
});
