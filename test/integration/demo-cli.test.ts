import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, chmodSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';

const ROOT = path.resolve(__dirname, '..', '..');

/** Runs a shell entry point until `ready` shows in its output, sends `signal`, and waits for it to exit. */
async function runUntil(entry: string, env: Record<string, string>, ready: RegExp, signal: NodeJS.Signals) {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
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
  child.kill(signal);
  const end = await Promise.race([exited, new Promise<null>((resolve) => setTimeout(() => resolve(null), 30_000).unref())]);
  if (!end) child.kill('SIGKILL');
  return { out, end };
}

function tempDataDir(t: { teardown(fn: () => unknown): void }): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'calldesk-shell-'));
  chmodSync(dir, 0o777); // run as root, the embedded PostgreSQL runs as `postgres`
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

t.test('npm run demo prints the URL and the logins, and Ctrl-C stops the service before its PostgreSQL', async (t) => {
  const dataDir = tempDataDir(t);
  const { out, end } = await runUntil('src/demo/main.ts', { DATA_DIR: dataDir, PORT: '0' }, /Ctrl-C stops/, 'SIGINT');
  t.match(out, /Open http:\/\/127\.0\.0\.1:\d+\/ and log in/);
  for (const login of ['101', '102', '103', 'supervisor']) t.match(out, new RegExp(`\\n    ${login} +demo-${login} `), `${login} and its password are printed`);
  t.same(end, { code: 0, signal: null }, 'exits 0');
  t.match(out, /Stopping the demo…\n  Stopped\.\n/);
  t.notOk(existsSync(path.join(dataDir, 'demo', 'pg', 'postmaster.pid')), 'its PostgreSQL shut down');
  t.notMatch(out, /"level":50/, 'nothing logged as an error');
});

t.test('npm start stops on SIGTERM: the service closes, then its embedded PostgreSQL', async (t) => {
  const dataDir = tempDataDir(t);
  const { out, end } = await runUntil('src/server.ts', { DATA_DIR: dataDir, PORT: '0', AMI_PORT: '1', LOG_LEVEL: 'info' }, /Server listening/, 'SIGTERM');
  t.same(end, { code: 0, signal: null }, 'exits 0');
  t.match(out, /"signal":"SIGTERM","msg":"stopping"/);
  t.notOk(existsSync(path.join(dataDir, 'pg', 'postmaster.pid')), 'its PostgreSQL shut down');
});
