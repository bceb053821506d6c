// The results of one run: the checks against the issue's targets, the table printed at the end
// (and kept in bench/LATEST.md), and the JSON written under bench/results/.
import type { BareInsertResult, BareParseResult } from './baselines';
import type { QueryResult } from './queries';
import { CASE_TARGET_MS } from './query-cases';
import { fmt, MB, type Distribution } from './stats';
import type { PopTail } from './pop-tail';
import type { LoopDelay } from './stats';

export interface IngestFigures {
  calls: number;
  events: number;
  ms: number;
  eventsPerSec: number;
  callsPerSec: number;
  serviceCores: number;
  peakPending: number;
  pauses: number;
  peakRssMb: number;
  batches: number;
}

export interface LatencyFigures {
  rate: number;
  seconds: number;
  calls: number;
  /** New calls per second the peer really wrote (below `rate` if the service held it back). */
  achievedRate: number;
  eventsPerSec: number;
  /** How far the peer fell behind its schedule at worst (the service reading slower than offered). */
  peerLagMs: number;
  pop: Distribution;
  /** ping → pong through the service during the phase: the machine's floor for a push. */
  ping: Distribution;
  /**
   * An in-memory relay's pop latency meanwhile (a process of its own that sends each TCP line on
   * as a WebSocket frame, at the same rate): the limit a pop cannot beat on this machine, this load.
   */
  relay: Distribution;
  /** How late each process's event loop ran meanwhile (the service's, the bench's own with its sockets and PBX peer). */
  loopDelay: { service: LoopDelay | null; bench: LoopDelay };
  /** 1-minute load average at the start and the end of the phase (other work on the machine shows here). */
  load: number[];
  rings: number;
  missing: number;
  /** From the last byte written to everything stored and pushed. */
  catchUpMs: number;
  peakPending: number;
  pauses: number;
  metricsPeakQueue: number;
  metricsBackPressure: boolean;
  stored: { calls: number; drafts: number; expectedCalls: number; expectedDrafts: number };
  /** Where the slowest 1 % of pops waited inside the service. */
  tail: PopTail | null;
}

export interface MemoryFigures {
  sockets: number;
  peakLive: number;
  peakRssMb: number;
  startRssMb: number;
  startHeapMb: number;
  endRssMb: number | null;
  endHeapMb: number | null;
  callsBefore: number;
  callsTotal: number | null;
}

export interface StoredCheck {
  calls: number;
  ended: number;
  legs: number;
  drafts: number;
  expectedCalls: number;
  expectedLegs: number;
  expectedDrafts: number;
}

export interface BenchResults {
  startedAt: string;
  finishedAt?: string;
  durationSec?: number;
  mode: 'quick' | 'full';
  machine: Record<string, unknown>;
  code: Record<string, unknown>;
  database: Record<string, unknown>;
  parse?: BareParseResult;
  insert?: BareInsertResult;
  ingest?: IngestFigures;
  latency: LatencyFigures[];
  memory?: MemoryFigures;
  stored?: StoredCheck;
  queries?: QueryResult & { builtNow: boolean; buildMs: number };
  checks: Check[];
  notes: string[];
}

export interface Check {
  name: string;
  pass: boolean;
}

interface Row {
  figure: string;
  value: string;
  baseline: string;
  ratio: string;
  target: string;
  verdict: string;
}

const mark = (pass: boolean | null) => (pass === null ? '' : pass ? '✓' : '✗');
const ms = (x: number) => `${fmt(x, x >= 100 ? 0 : 1)} ms`;
/** The event loops' lateness beside the ping: which process the floor is in. */
const loopLate = (l: LatencyFigures) =>
  `; event loop late at p99: the service's ${l.loopDelay.service ? ms(l.loopDelay.service.p99) : '—'}, the bench's ${ms(l.loopDelay.bench.p99)}`;
const pop = (d: Distribution) => `p50 ${ms(d.p50)} · p95 ${ms(d.p95)} · p99 ${ms(d.p99)} · max ${ms(d.max)}`;

export function buildRows(r: BenchResults): Row[] {
  const rows: Row[] = [];
  const checks: Check[] = [];
  const check = (name: string, pass: boolean) => {
    checks.push({ name, pass });
    return pass;
  };
  const parseRate = r.parse?.eventsPerSec ?? NaN;
  const commitMs = r.insert ? r.insert.ms / r.insert.rows : NaN;

  if (r.ingest) {
    const i = r.ingest;
    const okRate = check('ingestion ≥ 20,000 AMI events/s, everything stored', i.eventsPerSec >= 20_000 && (r.stored ? storedOk(r.stored) : true));
    const ratio = i.eventsPerSec / parseRate;
    const okRatio = r.parse ? check('ingestion ≥ 1.5 × bare parse rate', ratio >= 1.5) : null;
    rows.push({
      figure: `Ingestion, ${fmt(i.calls, 0)} calls at full speed (every call, leg and draft stored)`,
      value: `${fmt(i.eventsPerSec, 0)} events/s`,
      baseline: r.parse ? `bare asterisk-manager parse ${fmt(parseRate, 0)} events/s` : '—',
      ratio: r.parse ? `${fmt(ratio, 2)}×` : '—',
      target: '≥ 20,000 events/s and ≥ 1.5× parse',
      verdict: mark(okRate && okRatio !== false),
    });
    rows.push({
      figure: '… the same run in calls',
      value: `${fmt(i.callsPerSec, 0)} calls/s`,
      baseline: r.insert ? `bare INSERT per row ${fmt(r.insert.callsPerSec, 0)} calls/s` : '—',
      ratio: r.insert ? `${fmt(i.callsPerSec / r.insert.callsPerSec, 1)}×` : '—',
      target: '',
      verdict: '',
    });
    rows.push({
      figure: '… service CPU, write backlog, pauses, peak RSS',
      value: `${fmt(i.serviceCores, 2)} cores · ${fmt(i.batches, 0)} batches · backlog ≤ ${fmt(i.peakPending, 0)} facts · paused ${i.pauses}× · ${fmt(i.peakRssMb, 0)} MB`,
      baseline: '',
      ratio: '',
      target: '',
      verdict: '',
    });
  }
  for (const l of r.latency) {
    const lost = l.missing > 0 || l.stored.calls < l.stored.expectedCalls || l.stored.drafts < l.stored.expectedDrafts;
    let target = '';
    let verdict: boolean | null = null;
    if (l.rate === 100) {
      target = 'p99 ≤ 10 ms';
      verdict = check('screen pop p99 ≤ 10 ms at 100 new calls/s', l.pop.p99 <= 10 && !lost);
    } else if (l.rate === 300) {
      target = 'nothing lost';
      verdict = check('300 new calls/s: every call, draft and screen pop delivered', !lost);
    }
    rows.push({
      figure: `Screen pop at ${l.rate} new calls/s for ${l.seconds} s, ${fmt(l.eventsPerSec, 0)} events/s offered`,
      value: pop(l.pop),
      baseline: `an in-memory relay meanwhile: p50 ${ms(l.relay.p50)} · p99 ${ms(l.relay.p99)}; ping through the service: p50 ${ms(l.ping.p50)} · p99 ${ms(l.ping.p99)}${r.insert ? `; one bare commit ${ms(commitMs)}` : ''}${loopLate(l)}`,
      ratio: `p99 = ${fmt(l.pop.p99 / l.relay.p99, 1)}× relay p99`,
      target,
      verdict: mark(verdict),
    });
    rows.push({
      figure: `… at ${l.rate}/s: delivered, stored, back-pressure`,
      value:
        `${fmt(l.rings - l.missing, 0)}/${fmt(l.rings, 0)} pops · ${fmt(l.stored.calls, 0)}/${fmt(l.stored.expectedCalls, 0)} calls · ` +
        `${fmt(l.stored.drafts, 0)}/${fmt(l.stored.expectedDrafts, 0)} drafts · peer started ${fmt(l.achievedRate, 0)} calls/s (≤ ${ms(l.peerLagMs)} behind) · ` +
        `backlog ≤ ${fmt(l.peakPending, 0)} (metrics ${fmt(l.metricsPeakQueue, 0)}) · paused ${l.pauses}× · caught up ${ms(l.catchUpMs)} after the last byte · ` +
        `load average ${l.load.map((x) => fmt(x, 1)).join(' → ')}`,
      baseline: '',
      ratio: '',
      target: '',
      verdict: '',
    });
    if (l.tail) {
      rows.push({
        figure: `… at ${l.rate}/s: where the slowest 1 % of pops waited (inside the service, ≥ ${ms(l.tail.p99Ms)})`,
        value:
          `${ms(l.tail.behindMs)} behind the batch in flight · ${ms(l.tail.ownBatchMs)} writing their own batch (${fmt(l.tail.batchCalls, 0)} calls) · ` +
          `${ms(l.tail.sendMs)} to send · ${l.tail.waitedForBatch}/${l.tail.tail} waited for a batch`,
        baseline: '',
        ratio: '',
        target: '',
        verdict: '',
      });
    }
  }
  if (r.memory) {
    const m = r.memory;
    const okPeak = check('≤ 200 MB RSS with 1,000 live calls and 500 sockets', m.peakRssMb <= 200 && m.peakLive >= 1000);
    rows.push({
      figure: `Peak RSS, ${fmt(m.peakLive, 0)} live calls and ${m.sockets} sockets`,
      value: `${fmt(m.peakRssMb, 0)} MB`,
      baseline: `idle, after warm-up ${fmt(m.startRssMb, 0)} MB`,
      ratio: `${fmt(m.peakRssMb / m.startRssMb, 2)}×`,
      target: '≤ 200 MB',
      verdict: mark(okPeak),
    });
    if (m.endRssMb !== null && m.endHeapMb !== null && m.callsTotal !== null) {
      const calls = m.callsTotal - m.callsBefore;
      const heapPerCall = ((m.endHeapMb - m.startHeapMb) * MB) / calls;
      // A per-call leak of even 1 KB would add 50 MB over 50,000 calls; what stays within 20 MB is
      // the bounded kind (the call model's recently ended calls pin up to 1,024 socket chunks).
      const okEnd = check('no growth per finished call', m.endRssMb <= m.startRssMb * 1.25 && m.endHeapMb - m.startHeapMb <= 20);
      rows.push({
        figure: `RSS after ${fmt(calls, 0)} more calls came and went`,
        value: `${fmt(m.endRssMb, 0)} MB (heap ${fmt(m.startHeapMb, 1)} → ${fmt(m.endHeapMb, 1)} MB, ${fmt(heapPerCall, 0)} B/call)`,
        baseline: `start ${fmt(m.startRssMb, 0)} MB`,
        ratio: `${fmt(m.endRssMb / m.startRssMb, 2)}×`,
        target: 'RSS ≤ 1.25× start, heap ≤ +20 MB',
        verdict: mark(okEnd),
      });
    }
  }
  if (r.stored) {
    const s = r.stored;
    check('every call, leg and draft stored', storedOk(s));
    rows.push({
      figure: 'Stored at the end (all phases)',
      value: `${fmt(s.calls, 0)}/${fmt(s.expectedCalls, 0)} calls (${fmt(s.ended, 0)} ended) · ${fmt(s.legs, 0)}/${fmt(s.expectedLegs, 0)} legs · ${fmt(s.drafts, 0)}/${fmt(s.expectedDrafts, 0)} drafts`,
      baseline: '',
      ratio: '',
      target: 'all',
      verdict: mark(storedOk(s)),
    });
  }
  if (r.queries) {
    const q = r.queries;
    // The reports' target is 200 ms (they aggregate a period rather than read one page).
    if (q.reports) {
      const d = q.reports;
      const ok = q.rows >= 1_000_000 ? check(`reports p95 ≤ 200 ms at ${fmt(q.rows, 0)} rows`, d.p95 <= 200) : null;
      const cases = q.cases.filter((c) => c.endpoint === 'reports');
      const worst = cases.slice().sort((a, b) => b.dist.p95 - a.dist.p95)[0];
      rows.push({
        figure: `GET /api/reports/calls and /tickets, ${cases.length} typical periods over ${fmt(q.rows, 0)} calls and requests`,
        value: `p50 ${ms(d.p50)} · p95 ${ms(d.p95)} · max ${ms(d.max)} (slowest: ${worst?.name} p95 ${ms(worst?.dist.p95 ?? NaN)})`,
        baseline: '',
        ratio: '',
        target: ok === null ? 'p95 ≤ 200 ms at 1,000,000 (not this size)' : 'p95 ≤ 200 ms at 1,000,000',
        verdict: mark(ok),
      });
    }
    if (q.export) {
      const e = q.export;
      const ok = q.rows >= 1_000_000 ? check('CSV export: ≥ 50,000 rows/s, ≤ 100 MB RSS growth', e.rowsPerSec >= 50_000 && e.rssGrowthMb <= 100) : null;
      rows.push({
        figure: `CSV export of every call (${fmt(e.rows, 0)} rows, streamed)`,
        value: `${fmt(e.rowsPerSec, 0)} rows/s (${fmt(e.seconds, 1)} s) · RSS +${fmt(e.rssGrowthMb, 0)} MB`,
        baseline: '',
        ratio: '',
        target: '≥ 50,000 rows/s, ≤ +100 MB',
        verdict: mark(ok),
      });
    }
    for (const [endpoint, d] of [['calls', q.calls], ['tickets', q.tickets], ['search', q.search]] as const) {
      // Every filter must meet the target, not the pool of them: the slowest is the one a user waits on.
      // Below a million rows (--quick) the figure is shown but is not the target's measurement.
      const cases = q.cases.filter((c) => c.endpoint === endpoint);
      const worst = cases.slice().sort((a, b) => b.dist.p95 - a.dist.p95)[0];
      const misses = cases.filter((c) => !(c.dist.p95 <= CASE_TARGET_MS[endpoint])).length;
      const what = endpoint === 'search' ? 'GET /api/tickets?q=' : `GET /api/${endpoint}`;
      const ok = q.rows >= 1_000_000 && d ? check(`${what}: every case p95 ≤ 50 ms at ${fmt(q.rows, 0)} rows`, misses === 0) : null;
      if (!d || !worst) continue;
      rows.push({
        figure: `${what}, ${cases.length} filters and views over ${fmt(q.rows, 0)} rows`,
        value: `p50 ${ms(d.p50)} · p95 ${ms(d.p95)} · max ${ms(d.max)} (slowest: ${worst.name} p95 ${ms(worst.dist.p95)}; ${misses} over 50 ms)`,
        baseline: '',
        ratio: '',
        target: ok === null ? 'every case p95 ≤ 50 ms at 1,000,000 (not this size)' : 'every case p95 ≤ 50 ms at 1,000,000',
        verdict: mark(ok),
      });
    }
  }
  if (r.parse) {
    rows.push({
      figure: 'Baseline: bare asterisk-manager, same bytes, same peer',
      value: `${fmt(r.parse.eventsPerSec, 0)} events/s`,
      baseline: '',
      ratio: '',
      target: '',
      verdict: '',
    });
  }
  if (r.insert) {
    rows.push({
      figure: 'Baseline: bare PostgreSQL, same rows, one INSERT per row, one connection',
      value: `${fmt(r.insert.rowsPerSec, 0)} rows/s (${fmt(r.insert.callsPerSec, 0)} calls/s)`,
      baseline: '',
      ratio: '',
      target: '',
      verdict: '',
    });
  }
  r.checks = checks;
  return rows;
}

function storedOk(s: StoredCheck): boolean {
  return s.calls === s.expectedCalls && s.ended === s.expectedCalls && s.legs === s.expectedLegs && s.drafts === s.expectedDrafts;
}

/** One line per query case: p50, p95, max, its target and whether it is met (at a million rows). */
export function caseTable(q: QueryResult): string {
  const head = `| endpoint | filter | p50 | p95 | max | target (p95) | |\n|---|---|---|---|---|---|---|\n`;
  return (
    head +
    q.cases
      .map((c) => {
        const target = CASE_TARGET_MS[c.endpoint];
        const verdict = q.rows >= 1_000_000 ? mark(c.errors === 0 && c.dist.p95 <= target) : '';
        const errors = c.errors ? ` (${c.errors} errors)` : '';
        return `| ${c.endpoint} | ${c.name}${errors} | ${ms(c.dist.p50)} | ${ms(c.dist.p95)} | ${ms(c.dist.max)} | ≤ ${target} ms | ${verdict} |`;
      })
      .join('\n') +
    '\n'
  );
}

export function markdownTable(rows: Row[]): string {
  const head = '| figure | value | baseline | ratio | target | |\n|---|---|---|---|---|---|\n';
  return head + rows.map((r) => `| ${r.figure} | ${r.value} | ${r.baseline} | ${r.ratio} | ${r.target} | ${r.verdict} |`).join('\n') + '\n';
}

/** A plain-text rendering for the terminal: one block per row, aligned. */
export function terminalTable(rows: Row[]): string {
  const lines: string[] = [];
  for (const r of rows) {
    lines.push(`${r.verdict ? r.verdict + ' ' : '  '}${r.figure}`);
    lines.push(`    ${r.value}`);
    const extra = [r.baseline && `baseline: ${r.baseline}`, r.ratio && `ratio: ${r.ratio}`, r.target && `target: ${r.target}`].filter(Boolean);
    if (extra.length) lines.push(`    ${extra.join(' · ')}`);
  }
  return lines.join('\n') + '\n';
}
