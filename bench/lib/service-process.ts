// The bench's side of the service child: forks bench/service-child.ts and calls it over IPC. The
// child runs as `npm start` runs the service: bundled by scripts/build.mjs (no tsx loader) and with
// the node flags of package.json's `start` script, so that its memory and CPU are the product's.
import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ServiceStats, StartArgs } from '../service-child';
import type { LoopDelay } from './stats';
import type { PopWait } from '../../src/ingest/pipeline';

export type { ServiceStats } from '../service-child';

export interface ServiceProcessOptions {
  /** Directory for a V8 CPU profile of the service (node --cpu-prof), or null. */
  cpuProfileDir: string | null;
}

const ROOT = path.join(__dirname, '..', '..');

/** The node flags `npm start` runs the service with (package.json: `node [flags] dist/service/server.js`). */
export function serviceNodeFlags(): string[] {
  const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  const m = /^node((?: --[a-z0-9-]+(?:=\S+)?)*) dist\/service\/server\.js$/.exec(pkg.scripts.start);
  if (!m) throw new Error(`package.json's start script is not "node [--flags] dist/service/server.js": ${pkg.scripts.start}`);
  return m[1].trim().split(' ').filter(Boolean);
}

/** Bundles the service child the way `npm start` bundles the service (scripts/build.mjs). */
export function buildServiceChild(): string {
  execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'build.mjs'), '--bench', '--quiet'], { stdio: 'inherit' });
  return path.join(ROOT, 'dist', 'service', 'bench-child.js');
}

export class ServiceProcess {
  readonly url: string;
  private constructor(
    private readonly child: ChildProcess,
    url: string,
    private readonly calls: Map<number, { resolve(v: unknown): void; reject(e: Error): void }>,
  ) {
    this.url = url;
  }

  static async start(args: StartArgs, options: ServiceProcessOptions): Promise<ServiceProcess> {
    const entry = buildServiceChild();
    // --expose-gc only lets the bench force a collection before its readings after a phase.
    const execArgv = [...serviceNodeFlags(), '--expose-gc', ...(process.env.BENCH_CHILD_REQUIRE ? ['--require', process.env.BENCH_CHILD_REQUIRE] : [])];
    if (options.cpuProfileDir) execArgv.push('--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`);
    const child = fork(entry, [], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const calls = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
    child.on('message', (m: { id: number; ok: boolean; result?: unknown; error?: string }) => {
      const c = calls.get(m.id);
      if (!c) return;
      calls.delete(m.id);
      if (m.ok) c.resolve(m.result);
      else c.reject(new Error(`service: ${m.error}`));
    });
    child.on('exit', (code) => {
      for (const c of calls.values()) c.reject(new Error(`service process exited (${code})`));
      calls.clear();
    });
    const proc = new ServiceProcess(child, '', calls);
    const { url } = (await proc.call('start', args)) as { url: string };
    (proc as { url: string }).url = url;
    return proc;
  }

  private seq = 0;
  call(cmd: string, args?: unknown): Promise<unknown> {
    const id = ++this.seq;
    return new Promise((resolve, reject) => {
      this.calls.set(id, { resolve, reject });
      this.child.send({ id, cmd, args });
    });
  }

  stats(): Promise<ServiceStats> {
    return this.call('stats') as Promise<ServiceStats>;
  }
  resetPeaks(): Promise<ServiceStats> {
    return this.call('resetPeaks') as Promise<ServiceStats>;
  }
  /** Starts recording where each screen pop waits (until popWaits). */
  recordPops(): Promise<void> {
    return this.call('recordPops') as Promise<void>;
  }
  /**
   * Where each screen pop waited inside the service since recordPops (then forgotten, no longer
   * recorded), and how late the service's event loop ran meanwhile (ms).
   */
  popWaits(): Promise<{ waits: PopWait[]; loopDelay: LoopDelay | null }> {
    return this.call('popWaits') as Promise<{ waits: PopWait[]; loopDelay: LoopDelay | null }>;
  }
  gc(): Promise<ServiceStats> {
    return this.call('gc') as Promise<ServiceStats>;
  }
  /** Waits until the service has taken `events` AMI events and written and pushed all of it. */
  settle(events: number, timeoutMs = 300_000): Promise<{ doneAt: number; events: number }> {
    return this.call('settle', { events, timeoutMs }) as Promise<{ doneAt: number; events: number }>;
  }

  async close(): Promise<void> {
    if (this.child.exitCode !== null) return;
    await this.call('close').catch(() => undefined);
    const exited = once(this.child, 'exit');
    this.child.disconnect();
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000).unref())]);
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
  }
}
