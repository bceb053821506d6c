// `npm run bench`: the hot path against its limits (issue 5). Runs the real service as a child
// process on real PostgreSQL, a real TCP AMI peer replaying calls synthesised from the captures,
// and real WebSocket clients logged in as the agents those calls ring; prints a table with the
// targets and the baselines measured in the same run, and writes JSON under bench/results/.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import path from 'node:path';
import { bareInsert, bareParse } from './lib/baselines';
import { benchTemplates, buildPaced } from './lib/call-stream';
import { benchDatabaseServer } from './lib/database';
import { parseOptions, PHASES, type BenchOptions } from './lib/options';
import { summarizeProfile } from './lib/profile-summary';
import { measureQueries } from './lib/queries';
import { buildRows, caseTable, markdownTable, terminalTable, type BenchResults, type LatencyFigures } from './lib/report';
import { Rig } from './lib/rig';
import { ensureSeed } from './lib/seed';
import { distribution, loopDelay, LOOP_RESOLUTION_MS, MB, type LoopDelay } from './lib/stats';
import { popTail } from './lib/pop-tail';
import { RelayProbe } from './lib/relay-probe';

const RESULTS = path.join(__dirname, 'results');
const started = Date.now();
const log = (s: string) => process.stdout.write(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${s}\n`);

/** Polls the service's /metrics: the write queue and back-pressure as an operator would see them. */
class MetricsWatch {
  peakQueue = 0;
  backPressure = false;
  private timer: NodeJS.Timeout | null = null;
  constructor(private readonly url: string) {}
  start(): void {
    this.timer = setInterval(() => {
      fetch(`${this.url}/metrics`)
        .then((r) => r.text())
        .then((text) => {
          const q = /^calldesk_write_queue_depth (\S+)$/m.exec(text);
          const b = /^calldesk_backpressure (\S+)$/m.exec(text);
          if (q) this.peakQueue = Math.max(this.peakQueue, Number(q[1]));
          if (b && Number(b[1]) > 0) this.backPressure = true;
        })
        .catch(() => undefined);
    }, 250);
  }
  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }
}

/** Which code was measured: the commit, and whether the working tree differed from it. */
function revision(): Record<string, unknown> {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src', 'migrations'], { encoding: 'utf8' }).trim();
    return { commit: head, uncommittedFiles: dirty ? dirty.split('\n').length : 0 };
  } catch {
    return { commit: 'unknown' };
  }
}

function machine(): Record<string, unknown> {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    // Other work on the machine during the run (1-minute load average at the start; the end is added).
    loadAverage: os.loadavg()[0],
  };
}

/**
 * One screen-pop phase: `rate` new calls a second for `seconds`, their stream built before the
 * clock; beside it the ping through the service, the in-memory relay and both event loops' lateness.
 */
async function latencyPhase(rig: Rig, server: { checkpoint(): Promise<void> }, relay: RelayProbe, rate: number, seconds: number, notes: string[]): Promise<LatencyFigures> {
  log(`screen pop: ${rate} new calls/s for ${seconds} s`);
  const spec = rig.spec(rate * seconds, 1000 / rate);
  const built = await buildPaced(spec);
  await server.checkpoint();
  await rig.service.resetPeaks();
  await rig.service.recordPops();
  rig.sockets.ringArrivals.clear();
  const watch = new MetricsWatch(rig.service.url);
  watch.start();
  rig.sockets.startProbe(50);
  relay.start(1000 / rate);
  const benchLoop = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
  benchLoop.enable();
  const loadBefore = os.loadavg()[0];
  const storedBefore = await rig.stored();
  const r = await rig.paced(spec, built);
  // Pushes follow the last write by a moment: wait for the last pops (bounded).
  for (let waited = 0; waited < 3000 && rig.sockets.ringArrivals.size < r.stamps.size; waited += 20) await new Promise((res) => setTimeout(res, 20));
  watch.stop();
  rig.sockets.stopProbe();
  relay.stop();
  benchLoop.disable();
  const inService = await rig.service.popWaits();
  const storedAfter = await rig.stored();
  const lat: number[] = [];
  let missing = 0;
  for (const [key, at] of r.stamps) {
    const got = rig.sockets.ringArrivals.get(key);
    if (got === undefined) missing++;
    else lat.push(got - at);
  }
  const startSpan = (r.pace.lastCallStartAt - r.pace.firstWriteAt) / 1000;
  const fig: LatencyFigures = {
    rate,
    seconds,
    calls: r.calls,
    achievedRate: (r.calls - 1) / Math.max(startSpan, 1e-3),
    // In the steady state (every call of the captures overlapping its neighbours).
    eventsPerSec: rate * (r.events / r.calls),
    peerLagMs: r.pace.maxLagMs,
    pop: distribution(lat),
    ping: distribution(rig.sockets.pingRtts),
    relay: distribution(relay.latencies),
    load: [loadBefore, os.loadavg()[0]],
    rings: r.stamps.size,
    missing,
    catchUpMs: r.ms - r.peerDoneMs,
    peakPending: r.after.peakPending,
    pauses: r.after.pauses,
    metricsPeakQueue: watch.peakQueue,
    metricsBackPressure: watch.backPressure,
    tail: popTail(inService.waits),
    loopDelay: { service: inService.loopDelay, bench: loopDelay(benchLoop) },
    stored: {
      calls: storedAfter.calls - storedBefore.calls,
      drafts: storedAfter.drafts - storedBefore.drafts,
      expectedCalls: r.expected.calls,
      expectedDrafts: r.expected.drafts,
    },
  };
  if (r.stamps.size !== r.expected.rings) notes.push(`${rate}/s: ${r.stamps.size} ringing events stamped, ${r.expected.rings} legs expected`);
  log(`  p50 ${fig.pop.p50.toFixed(1)} · p95 ${fig.pop.p95.toFixed(1)} · p99 ${fig.pop.p99.toFixed(1)} · max ${fig.pop.max.toFixed(1)} ms; ${missing} missing; peer started ${fig.achievedRate.toFixed(0)} calls/s; backlog ≤ ${fig.peakPending}`);
  log(`  ${r.after.batches - r.before.batches} batches wrote ${r.after.written - r.before.written} call rows for ${r.calls} calls`);
  if (fig.tail) log(`  slowest 1 % inside the service (≥ ${fig.tail.p99Ms.toFixed(1)} ms): ${fig.tail.behindMs.toFixed(1)} ms behind the batch in flight, ${fig.tail.ownBatchMs.toFixed(1)} ms own batch (${fig.tail.batchCalls.toFixed(0)} calls), ${fig.tail.sendMs.toFixed(1)} ms to send`);
  log(`  ping through the service meanwhile: p50 ${fig.ping.p50.toFixed(1)} · p99 ${fig.ping.p99.toFixed(1)} ms; load average ${fig.load.map((x) => x.toFixed(1)).join(' → ')}`);
  const late = (d: LoopDelay | null) => (d ? `p50 ${d.p50.toFixed(1)} · p99 ${d.p99.toFixed(1)} · max ${d.max.toFixed(1)} ms` : '—');
  log(`  event loops late meanwhile: the service's ${late(fig.loopDelay.service)}; the bench's (sockets and PBX peer) ${late(fig.loopDelay.bench)}`);
  log(`  an in-memory relay beside it (TCP line → WebSocket frame, ${rate}/s): p50 ${fig.relay.p50.toFixed(1)} · p99 ${fig.relay.p99.toFixed(1)} · max ${fig.relay.max.toFixed(1)} ms`);
  return fig;
}

async function main(o: BenchOptions): Promise<void> {
  mkdirSync(RESULTS, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const profileDir = o.profile ? path.join(RESULTS, 'profiles', stamp) : null;
  if (profileDir) mkdirSync(profileDir, { recursive: true });
  const results: BenchResults = { startedAt: new Date().toISOString(), mode: o.quick ? 'quick' : 'full', machine: machine(), code: revision(), database: {}, latency: [], checks: [], notes: [] };

  log(`calldesk bench (${results.mode}): ${[...o.phases].join(', ')}`);
  const server = await benchDatabaseServer(process.env.DATABASE_URL);
  results.database = { server: server.label, ...(await server.settings()) };
  log(`PostgreSQL ${results.database.server_version}: ${server.label}, fsync=${results.database.fsync}, synchronous_commit=${results.database.synchronous_commit}`);
  const runDb = `calldesk_bench_run_${process.pid}`;
  try {
    // The seed first: building it is heavy and must not overlap anything measured.
    const seed = !o.phases.has('queries')
      ? null
      : o.seedDatabase
        ? { database: o.seedDatabase, url: server.urlOf(o.seedDatabase), rows: o.seedRows, builtNow: false, buildMs: 0 }
        : await ensureSeed(server, o.seedRows, log);
    if (seed?.builtNow) log(`seed built in ${(seed.buildMs / 1000).toFixed(0)} s`);
    await server.checkpoint();

    if (o.phases.has('parse')) {
      log(`baseline: bare asterisk-manager over ${o.parseCalls.toLocaleString('en-US')} synthesised calls`);
      // Same synthesis, agents and id ranges as the ingestion stream, so the same kind of bytes.
      results.parse = await bareParse({ count: o.parseCalls, intervalMs: 20, agents: o.agents, seed: 999, uniqueidStart: 1_000_000, channelStart: 0x100000 });
      log(`  ${Math.round(results.parse.eventsPerSec).toLocaleString('en-US')} events/s`);
    }

    const needsRig = ['ingest', 'insert', 'latency', 'memory'].some((p) => o.phases.has(p as never));
    if (needsRig) {
      await server.drop(runDb);
      const url = await server.create(runDb);
      log(`service up on a fresh database, ${o.agents} agents and ${o.supervisors} supervisors connected`);
      const rig = await Rig.start({ databaseUrl: url, agents: o.agents, supervisors: o.supervisors, cpuProfileDir: profileDir, logLevel: o.logLevel });
      try {
        // Warm: JIT, pools, and the call model's bounded memory of recently ended calls (1,024) full.
        await rig.fullSpeed(rig.spec(1_500, 20));
        const start = await rig.service.gc();
        const callsBefore = rig.expected.calls;
        log(`  warm: RSS ${(start.rss / MB).toFixed(0)} MB, heap ${(start.heapUsed / MB).toFixed(1)} MB`);
        // Each phase starts with the WAL of the earlier ones written out (a checkpoint billed to
        // whichever phase it happened to fall in made that phase's figure depend on the order).
        await server.checkpoint();

        if (o.phases.has('ingest')) {
          log(`ingestion: ${o.ingestCalls.toLocaleString('en-US')} calls at full speed`);
          await rig.service.resetPeaks();
          const r = await rig.fullSpeed(rig.spec(o.ingestCalls, 20));
          results.ingest = {
            calls: r.calls,
            events: r.events,
            ms: r.ms,
            eventsPerSec: (r.events / r.ms) * 1000,
            callsPerSec: (r.calls / r.ms) * 1000,
            serviceCores: r.serviceCpuMs / r.ms,
            peakPending: r.after.peakPending,
            pauses: r.after.pauses,
            peakRssMb: r.after.peakRss / MB,
            batches: r.after.batches - r.before.batches,
          };
          log(`  ${Math.round(results.ingest.eventsPerSec).toLocaleString('en-US')} events/s, ${Math.round(results.ingest.callsPerSec)} calls/s (peer done after ${(r.peerDoneMs / 1000).toFixed(1)} s, all stored after ${(r.ms / 1000).toFixed(1)} s)`);
        }

        if (o.phases.has('insert')) {
          await server.checkpoint();
          log('baseline: bare PostgreSQL inserts of the stored rows');
          results.insert = await bareInsert(url, 5_000, o.insertMs);
          log(`  ${Math.round(results.insert.rowsPerSec).toLocaleString('en-US')} rows/s`);
        }

        if (o.phases.has('latency')) {
          const relay = await RelayProbe.start();
          try {
            for (let k = 0; k < o.rates.length; k++) results.latency.push(await latencyPhase(rig, server, relay, o.rates[k], o.rateSeconds[k], results.notes));
          } finally {
            await relay.close();
          }
        }

        if (o.phases.has('memory')) {
          await server.checkpoint();
          const agentsOnly = rig.agents.filter((a) => a.role === 'agent');
          const extra = Math.max(0, o.memorySockets - rig.sockets.size);
          await rig.sockets.open(Array.from({ length: extra }, (_, i) => agentsOnly[i % agentsOnly.length]));
          const t = benchTemplates();
          const meanMs = t.reduce((s, c) => s + (c.endT - c.startT), 0) / t.length;
          log(`memory: ${o.memoryCalls.toLocaleString('en-US')} calls, about ${o.memoryLiveCalls} live at once, ${rig.sockets.size} sockets`);
          const before = await rig.service.stats();
          log(`  before: RSS ${(before.rss / MB).toFixed(0)} MB, heap ${(before.heapUsed / MB).toFixed(1)} of ${(before.heapTotal / MB).toFixed(1)} MB, external ${(before.external / MB).toFixed(1)} MB`);
          const collected = await rig.service.gc();
          log(`  after a GC: RSS ${(collected.rss / MB).toFixed(0)} MB, heap ${(collected.heapUsed / MB).toFixed(1)} of ${(collected.heapTotal / MB).toFixed(1)} MB`);
          await rig.service.resetPeaks();
          const r = await rig.fullSpeed(rig.spec(o.memoryCalls, meanMs / o.memoryLiveCalls));
          results.memory = {
            sockets: rig.sockets.size,
            peakLive: r.after.peakLive,
            peakRssMb: r.after.peakRss / MB,
            startRssMb: start.rss / MB,
            startHeapMb: start.heapUsed / MB,
            endRssMb: null,
            endHeapMb: null,
            callsBefore,
            callsTotal: null,
          };
          const p = r.after.atPeak;
          log(`  peak RSS ${results.memory.peakRssMb.toFixed(0)} MB with ${r.after.peakLive} live calls, backlog ≤ ${r.after.peakPending}; at the peak: heap ${(p.heapUsed / MB).toFixed(1)} of ${(p.heapTotal / MB).toFixed(1)} MB, external ${(p.external / MB).toFixed(1)} MB (array buffers ${(p.arrayBuffers / MB).toFixed(1)}), unread by the sockets ${(p.unreadSocketBytes / MB).toFixed(1)} MB`);
          await rig.sockets.closeLast(extra);

          const more = o.churnCalls - (rig.expected.calls - callsBefore);
          if (more > 0) {
            log(`churn: ${more.toLocaleString('en-US')} more calls so that ${o.churnCalls.toLocaleString('en-US')} have come and gone`);
            await rig.fullSpeed(rig.spec(more, 20));
          }
          const end = await rig.service.gc();
          results.memory.endRssMb = end.rss / MB;
          results.memory.endHeapMb = end.heapUsed / MB;
          results.memory.callsTotal = rig.expected.calls;
          if (end.live !== 0) results.notes.push(`${end.live} calls still live in the service after every stream ended`);
          log(`  after ${(rig.expected.calls - callsBefore).toLocaleString('en-US')} calls: RSS ${results.memory.endRssMb.toFixed(0)} MB, heap ${results.memory.endHeapMb.toFixed(1)} MB`);
        }

        if (rig.sockets.reconnects > 0) {
          results.notes.push(`the service dropped ${rig.sockets.reconnects} of the bench's sockets for not reading fast enough (the bench, on the same cores, fell behind); each was opened again at once`);
          log(`  note: ${results.notes[results.notes.length - 1]}`);
        }
        const s = await rig.stored();
        results.stored = { ...s, expectedCalls: rig.expected.calls, expectedLegs: rig.expected.legs, expectedDrafts: rig.expected.drafts };
      } finally {
        await rig.close();
        if (!o.keepDatabase) await server.drop(runDb);
      }
    }

    if (seed) {
      log(`queries: ${o.queryRepeats} requests per filter over ${o.seedRows.toLocaleString('en-US')} calls and requests`);
      await server.checkpoint();
      results.queries = { ...(await measureQueries(seed, o.queryRepeats, profileDir, o.cases)), builtNow: seed.builtNow, buildMs: seed.buildMs };
      log(`  calls p95 ${results.queries.calls.p95.toFixed(1)} ms, tickets p95 ${results.queries.tickets.p95.toFixed(1)} ms, search p95 ${results.queries.search.p95.toFixed(1)} ms, reports p95 ${results.queries.reports.p95.toFixed(1)} ms`);
    }
  } finally {
    await server.stop();
  }

  results.finishedAt = new Date().toISOString();
  results.machine.loadAverage = [results.machine.loadAverage as number, os.loadavg()[0]];
  results.durationSec = (Date.now() - started) / 1000;
  const rows = buildRows(results);
  const header = `calldesk bench, ${results.mode} run of ${results.finishedAt.slice(0, 16).replace('T', ' ')} UTC, ${results.durationSec.toFixed(0)} s`;
  const m = results.machine;
  const db = results.database;
  const code = results.code.uncommittedFiles ? `${results.code.commit} + ${results.code.uncommittedFiles} uncommitted files in src/` : `${results.code.commit}`;
  const load = (m.loadAverage as number[]).map((x) => x.toFixed(1)).join(' → ');
  const where = `${m.cores} × ${m.cpu}, ${m.memoryGb} GB RAM, ${m.os}, Node ${m.node}, load average ${load}; PostgreSQL ${db.server_version} ${db.server} (fsync=${db.fsync}, synchronous_commit=${db.synchronous_commit}); code ${code}`;
  process.stdout.write(`\n${header}\n${where}\n\n${terminalTable(rows)}`);
  if (results.notes.length) process.stdout.write(`\nnotes:\n${results.notes.map((n) => `  - ${n}`).join('\n')}\n`);
  const failed = results.checks.filter((c) => !c.pass);
  process.stdout.write(`\n${results.checks.length - failed.length}/${results.checks.length} targets met${failed.length ? `; not met: ${failed.map((c) => c.name).join('; ')}` : ''}\n`);

  const json = JSON.stringify(results, null, 2);
  writeFileSync(path.join(RESULTS, `bench-${stamp}.json`), json);
  writeFileSync(path.join(RESULTS, 'latest.json'), json);
  const cases = results.queries
    ? `List queries by filter (${results.queries.rows.toLocaleString('en-US')} calls and requests, ${o.queryRepeats} requests each):\n\n${caseTable(results.queries)}\n`
    : '';
  if (results.queries) process.stdout.write(`\n${cases}`);
  const md = `# Latest benchmark\n\n${header}.\n\n${where}.\n\n${markdownTable(rows)}\n${cases}` +
    (results.notes.length ? `Notes:\n${results.notes.map((n) => `- ${n}`).join('\n')}\n\n` : '') +
    `Produced by \`npm run bench\`; what each figure means and why a target is missed: docs/benchmark.md.\n`;
  const complete = !o.quick && PHASES.every((p) => o.phases.has(p));
  writeFileSync(path.join(complete ? __dirname : RESULTS, complete ? 'LATEST.md' : 'LATEST-partial.md'), md);
  log(`results: bench/results/bench-${stamp}.json${complete ? ', table in bench/LATEST.md' : ' (quick or partial run: bench/LATEST.md left as it was)'}`);

  if (profileDir) {
    const profiles = readdirSync(profileDir).filter((f) => f.endsWith('.cpuprofile')).map((f) => path.join(profileDir, f));
    // The service's main thread writes the largest profile of each process.
    for (const f of profiles.sort((a, b) => statSync(b).size - statSync(a).size).slice(0, 2)) {
      const s = summarizeProfile(f, 15);
      process.stdout.write(`\nprofile ${path.relative(process.cwd(), f)} (${s.totalMs.toFixed(0)} ms sampled), self time:\n`);
      for (const l of s.byFunction) process.stdout.write(`  ${(l.share * 100).toFixed(1).padStart(5)}%  ${l.name}\n`);
    }
  }
}

main(parseOptions(process.argv.slice(2))).then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
