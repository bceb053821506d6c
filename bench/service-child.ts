// The service under test, in a process of its own (so its RSS and CPU are its own): the real app
// from src/app.ts, driven by the bench over the IPC channel. Started by bench/lib/service-process.ts.
import { Writable } from 'node:stream';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { buildApp, type CalldeskApp } from '../src/app';
import type { PopWait } from '../src/ingest/pipeline';
import { loadConfig } from '../src/config/config';
import { loopDelay as loopDelayOf, LOOP_RESOLUTION_MS, type LoopDelay } from './lib/stats';

export interface StartArgs {
  databaseUrl: string;
  /** The AMI peer's port, or null to serve without a PBX. */
  amiPort: number | null;
  logLevel: string;
  jobs: boolean;
}

export interface ServiceStats {
  at: number;
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  peakRss: number;
  /** What the process held (bytes) when its RSS peaked: where the peak went. */
  atPeak: { heapTotal: number; heapUsed: number; external: number; arrayBuffers: number; unreadSocketBytes: number };
  live: number;
  peakLive: number;
  pending: number;
  peakPending: number;
  paused: boolean;
  /** Times reading of the PBX was paused (back-pressure) since the last reset. */
  pauses: number;
  batches: number;
  written: number;
  amiEvents: number;
  sockets: number;
  cpuUserMs: number;
  cpuSystemMs: number;
  warnings: number;
}

type Request = { id: number; cmd: string; args?: any };

let app: CalldeskApp | null = null;
/**
 * Each screen pop's wait record between `recordPops` and `popWaits` (a latency phase: a few
 * thousand). Not kept otherwise: the memory phase must measure the service, not this list.
 */
let popWaits: PopWait[] = [];
let recordingPops = false;
/** How late the service's event loop ran while pops were recorded (what no push can beat). */
let loopMonitor: IntervalHistogram | null = null;
let warnings = 0;
const peak = { rss: 0, live: 0, pending: 0, pauses: 0, atPeak: { heapTotal: 0, heapUsed: 0, external: 0, arrayBuffers: 0, unreadSocketBytes: 0 } };

/** Bytes the service holds for its WebSocket clients that they have not read yet. */
function unreadSocketBytes(): number {
  let n = 0;
  for (const ws of ((app?.http as { websocketServer?: { clients: Set<{ bufferedAmount: number }> } } | undefined)?.websocketServer?.clients ?? [])) n += ws.bufferedAmount;
  return n;
}

/** Taken only when the RSS reaches a new peak (rare once warm): the heap's and buffers' share of it. */
function notePeak(rss: number): void {
  peak.rss = rss;
  const m = process.memoryUsage();
  peak.atPeak = { heapTotal: m.heapTotal, heapUsed: m.heapUsed, external: m.external, arrayBuffers: m.arrayBuffers, unreadSocketBytes: unreadSocketBytes() };
}
let wasPaused = false;

// Log lines counted (back-pressure warnings tell the bench the PBX was paused); a few are shown.
const logSink = new Writable({
  write(chunk: Buffer, _enc, done) {
    warnings++;
    if (warnings <= 20) process.stderr.write(`[service] ${chunk.toString()}`);
    done();
  },
});

function sample(): void {
  const rss = process.memoryUsage.rss();
  if (rss > peak.rss) notePeak(rss);
  if (!app) return;
  const live = app.pbx[0]?.tracker.size ?? 0;
  if (live > peak.live) peak.live = live;
  const s = app.pipeline.stats;
  if (s.pending > peak.pending) peak.pending = s.pending;
  if (s.paused && !wasPaused) peak.pauses++;
  wasPaused = s.paused;
}
setInterval(sample, 10).unref();

async function amiEvents(a: CalldeskApp): Promise<number> {
  const m = await a.metrics.amiEvents.get();
  return m.values.reduce((n, v) => n + v.value, 0);
}

async function stats(): Promise<ServiceStats> {
  sample();
  const mem = process.memoryUsage();
  const cpu = process.cpuUsage();
  const s = app?.pipeline.stats;
  return {
    at: Date.now(),
    rss: mem.rss,
    heapUsed: mem.heapUsed,
    heapTotal: mem.heapTotal,
    external: mem.external,
    peakRss: peak.rss,
    atPeak: peak.atPeak,
    live: app?.pbx[0]?.tracker.size ?? 0,
    peakLive: peak.live,
    pending: s?.pending ?? 0,
    peakPending: peak.pending,
    paused: s?.paused ?? false,
    pauses: peak.pauses,
    batches: s?.batches ?? 0,
    written: s?.written ?? 0,
    amiEvents: app ? await amiEvents(app) : 0,
    sockets: app?.hub.size ?? 0,
    cpuUserMs: cpu.user / 1000,
    cpuSystemMs: cpu.system / 1000,
    warnings,
  };
}

async function start(a: StartArgs): Promise<{ url: string }> {
  const base = loadConfig({ ADMIN_LOGIN: 'bench-admin', ADMIN_PASSWORD: 'bench-admin-password' });
  const config = {
    ...base,
    port: 0,
    host: '127.0.0.1',
    pbx: a.amiPort === null ? [] : [{ id: 'main', host: '127.0.0.1', port: a.amiPort, username: 'calldesk', secret: 'bench-secret' }],
  };
  const logger = pino({ level: a.logLevel }, logSink);
  app = await buildApp({ config, logger, databaseUrl: a.databaseUrl, jobs: a.jobs });
  app.pipeline.popWatchers.add((w) => {
    if (recordingPops && popWaits.length < 200_000) popWaits.push(w);
  });
  await app.http.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.http.server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}` };
}

/** Resolves once the service has received `events` AMI events and everything is written and pushed. */
async function settle(events: number, timeoutMs: number): Promise<{ doneAt: number; events: number }> {
  const a = app!;
  const until = Date.now() + timeoutMs;
  for (;;) {
    const n = await amiEvents(a);
    if (n >= events) {
      await a.pipeline.drain();
      return { doneAt: Date.now(), events: n };
    }
    if (Date.now() > until) throw new Error(`service received ${n} of ${events} AMI events within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

async function handle(req: Request): Promise<unknown> {
  switch (req.cmd) {
    case 'start':
      return start(req.args as StartArgs);
    case 'reloadDirectory':
      await app!.directory.reload();
      return null;
    case 'startIngest':
      await app!.startIngest();
      return null;
    case 'stats':
      return stats();
    case 'recordPops':
      popWaits = [];
      recordingPops = true;
      loopMonitor = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
      loopMonitor.enable();
      return null;
    case 'popWaits': {
      const taken = popWaits;
      popWaits = [];
      recordingPops = false;
      loopMonitor?.disable();
      const delay: LoopDelay | null = loopMonitor ? loopDelayOf(loopMonitor) : null;
      loopMonitor = null;
      return { waits: taken, loopDelay: delay };
    }
    case 'resetPeaks':
      notePeak(process.memoryUsage.rss());
      peak.live = app?.pbx[0]?.tracker.size ?? 0;
      peak.pending = app?.pipeline.stats.pending ?? 0;
      peak.pauses = 0;
      return stats();
    case 'gc': {
      const gc = (globalThis as { gc?: () => void }).gc;
      for (let i = 0; i < 3; i++) {
        gc?.();
        await new Promise((r) => setTimeout(r, 50));
      }
      return stats();
    }
    case 'settle':
      return settle(req.args.events, req.args.timeoutMs);
    case 'internals': {
      // Sizes of the service's per-call structures: all should be back to zero once calls end.
      const a = app as unknown as { pipeline: Record<string, unknown>; pbx: { tracker: { size: number; channelCount: number } }[] } | null;
      const size = (x: unknown) => (x instanceof Map || x instanceof Set ? x.size : Array.isArray(x) ? x.length : null);
      const pipeline = a ? Object.fromEntries(Object.entries(a.pipeline).map(([k, v]) => [k, size(v)]).filter(([, n]) => n !== null)) : {};
      return { modules: Object.keys(require.cache).length, pipeline, tracker: a?.pbx[0] ? { calls: a.pbx[0].tracker.size, channels: a.pbx[0].tracker.channelCount } : null };
    }
    case 'heapSnapshot':
      return (await import('node:v8')).writeHeapSnapshot(req.args.file);
    case 'close':
      await app?.close();
      app = null;
      return null;
    default:
      throw new Error(`unknown command ${req.cmd}`);
  }
}

process.on('message', (req: Request) => {
  handle(req).then(
    (result) => process.send!({ id: req.id, ok: true, result }),
    (err: Error) => process.send!({ id: req.id, ok: false, error: err.stack ?? err.message }),
  );
});
process.on('disconnect', () => process.exit(0));
