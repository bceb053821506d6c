// The bench's AMI traffic: fresh calls synthesised from the real captures (test/helpers/scenarios),
// each ringing its own agents out of the bench's pool, written at full speed or paced in real time.
// The pacer stamps the moment each ringing event goes to the peer, for the screen-pop latency.
import { setTimeout as sleep } from 'node:timers/promises';
import type { ReplayItem } from '../../test/helpers/ami-peer';
import { capturedCalls, listScenarios, synthesizeCalls, synthesizedCallInfo, type CapturedCall } from '../../test/helpers/scenarios';

/**
 * Captures a stream does not copy: the reconnect's query answer, and the pickup, whose picker's own
 * call is absorbed by the call it picks up, so it cannot be copied as a call of its own.
 */
const NOT_COPIED = new Set(['S9-reconnect', 'P17-pickup']);

/** The captured calls every stream copies, round-robin. */
let templates: CapturedCall[] | null = null;
export function benchTemplates(): CapturedCall[] {
  templates ??= capturedCalls(listScenarios().filter((n) => !NOT_COPIED.has(n)));
  return templates;
}

export const FIRST_EXTENSION = 1000;

/** The captures' agents 101/102/103 become three of the pool's extensions, a different three per call. */
export function agentExtension(call: number, captured: 1 | 2 | 3, agents: number): string {
  return String(FIRST_EXTENSION + ((3 * call + captured - 1) % agents));
}

// `101` as a whole token (`SIP/101-…`, `DialString: 101`, `Agent 101`, `SIP/101&SIP/102`), never
// part of a uniqueid, a hex channel suffix or a bridge id.
const CAPTURED_AGENT = /(?<![\w.])10([123])(?![\w])/g;

export function remapAgents(data: string, call: number, agents: number): string {
  return data.replace(CAPTURED_AGENT, (_m, d: string) => agentExtension(call, Number(d) as 1 | 2 | 3, agents));
}

export interface StreamSpec {
  count: number;
  /** Time between two calls' starts in the stream's own clock (ms). */
  intervalMs: number;
  agents: number;
  /** Distinct per stream of one run: numbers and bridge ids come from it. */
  seed: number;
  /** Uniqueid / channel counters: distinct ranges per stream, so no call key repeats in one database. */
  uniqueidStart: number;
  channelStart: number;
}

export interface BenchFrame {
  t: number;
  data: string;
  call: number;
}

/** The stream's frames in order, agents remapped. */
export function* callFrames(spec: StreamSpec): Generator<BenchFrame> {
  for (const f of synthesizeCalls({
    count: spec.count,
    templates: benchTemplates(),
    intervalMs: spec.intervalMs,
    seed: spec.seed,
    uniqueidCounterStart: spec.uniqueidStart,
    channelCounterStart: spec.channelStart,
  })) {
    yield { t: f.t, data: remapAgents(f.data, f.call, spec.agents), call: f.call };
  }
}

/** Bytes built ahead: whole frames, and how many. */
export interface BuiltChunk {
  data: Buffer;
  frames: number;
}

/**
 * The stream's bytes built before the clock starts, in chunks of about `chunkBytes`, so that the
 * measured peer only writes them: a PBX does not synthesise its calls on the machine under test
 * (synthesis costs the bench about as much CPU as the service spends storing the calls). Built a
 * slice at a time: the peer lives in this process and must go on answering the service's Pings
 * meanwhile (a build of 25,000 calls takes ten seconds or more; blocked that long, the peer is
 * rightly taken for dead).
 */
export async function buildStream(spec: StreamSpec, chunkBytes = 64 * 1024): Promise<BuiltChunk[]> {
  const chunks: BuiltChunk[] = [];
  let parts: string[] = [];
  let size = 0;
  const cut = () => {
    chunks.push({ data: Buffer.from(parts.join('')), frames: parts.length });
    parts = [];
    size = 0;
  };
  let sliceStart = performance.now();
  for (const f of callFrames(spec)) {
    parts.push(f.data);
    size += f.data.length;
    if (size < chunkBytes) continue;
    cut();
    if (performance.now() - sliceStart > 20) {
      await new Promise((resolve) => setImmediate(resolve));
      sliceStart = performance.now();
    }
  }
  if (parts.length > 0) cut();
  return chunks;
}

/** The captured call each synthesised call copies, in order (to know what the service must store). */
export function streamTemplates(spec: StreamSpec): CapturedCall[] {
  const out: CapturedCall[] = [];
  for (const info of synthesizedCallInfo({ count: spec.count, templates: benchTemplates(), intervalMs: spec.intervalMs, seed: spec.seed })) {
    out.push(info.template);
  }
  return out;
}

/** Counter ranges wide enough for any stream: a call of the captures uses fewer than 64 ids. */
export class IdRanges {
  private uid = 1_000_000;
  private chan = 0x100000;
  private seed = 1;
  next(count: number): Pick<StreamSpec, 'seed' | 'uniqueidStart' | 'channelStart'> {
    const r = { seed: this.seed++, uniqueidStart: this.uid, channelStart: this.chan };
    this.uid += count * 64;
    this.chan += count * 64;
    return r;
  }
}

function header(data: string, name: string): string | null {
  const key = `\r\n${name}: `;
  const at = data.indexOf(key);
  if (at < 0) return null;
  const from = at + key.length;
  const end = data.indexOf('\r\n', from);
  return data.slice(from, end < 0 ? data.length : end);
}

const AGENT_PHONE = /^[A-Za-z0-9]+\/(\d{2,6})-[0-9a-f]+$/;

/**
 * `linkedid/extension` when this frame is one that makes an agent's phone ring in the call model
 * (DialBegin to an agent's phone, or the phone's channel turning Ringing), else null.
 */
export function ringKey(data: string): string | null {
  let channel: string | null;
  let linkedid: string | null;
  if (data.startsWith('Event: DialBegin\r\n')) {
    channel = header(data, 'DestChannel');
    linkedid = header(data, 'DestLinkedid');
  } else if (data.startsWith('Event: Newstate\r\n') && header(data, 'ChannelStateDesc') === 'Ringing') {
    channel = header(data, 'Channel');
    linkedid = header(data, 'Linkedid');
  } else return null;
  const m = channel ? AGENT_PHONE.exec(channel) : null;
  return m && linkedid ? `${linkedid}/${m[1]}` : null;
}

export interface PaceStats {
  firstWriteAt: number;
  lastWriteAt: number;
  frames: number;
  /** The pacer's worst lateness behind the stream's clock (ms): the peer could not write sooner. */
  maxLagMs: number;
  /** When the first frame of the stream's last call was written: calls started per second = calls / (this − first). */
  lastCallStartAt: number;
}

/** What the paced peer writes at one moment: every frame due in the same millisecond, built ahead. */
export interface PacedChunk {
  /** Due this many ms after the stream starts. */
  t: number;
  data: Buffer;
  frames: number;
  /** The rings it carries (`linkedid/extension`), stamped when it is written. */
  rings: string[];
  /** It carries the first frame of the stream's last call. */
  lastCallStarts: boolean;
}

/**
 * The paced stream built before the clock starts, a chunk per millisecond of the stream's clock:
 * during the phase the bench only waits, stamps and writes. Synthesising (and parsing out the
 * rings) on the fly made the bench allocate tens of megabytes a second, and its own garbage
 * collections (3–30 ms each, every 100–200 ms, once 294 ms) were billed to the pops, the relay and
 * the ping it measures. Built a slice at a time, as buildStream is.
 */
export async function buildPaced(spec: StreamSpec): Promise<PacedChunk[]> {
  const lastCall = spec.count - 1;
  const chunks: PacedChunk[] = [];
  const seen = new Set<string>();
  let current: { t: number; parts: string[]; rings: string[]; lastCallStarts: boolean } | null = null;
  const cut = () => {
    if (!current) return;
    chunks.push({ t: current.t, data: Buffer.from(current.parts.join('')), frames: current.parts.length, rings: current.rings, lastCallStarts: current.lastCallStarts });
    current = null;
  };
  let lastCallSeen = false;
  let sliceStart = performance.now();
  for (const f of callFrames(spec)) {
    const ms = Math.floor(f.t);
    if (current && current.t !== ms) cut();
    current ??= { t: ms, parts: [], rings: [], lastCallStarts: false };
    current.parts.push(f.data);
    if (f.call === lastCall && !lastCallSeen) {
      lastCallSeen = true;
      current.lastCallStarts = true;
    }
    const key = ringKey(f.data);
    if (key !== null && !seen.has(key)) {
      seen.add(key);
      current.rings.push(key);
    }
    if (performance.now() - sliceStart > 20) {
      await new Promise((resolve) => setImmediate(resolve));
      sliceStart = performance.now();
    }
  }
  cut();
  return chunks;
}

/**
 * The built chunks paced in real time (each `t` ms after the start). `stamps` gets, for each ring,
 * the time (performance.now) just before the chunk carrying its ringing event is handed to the
 * peer, which writes it synchronously (replay with `speed: 'max'` and `batchBytes: 1`). A chunk
 * found late goes with whatever else is due by then.
 */
export async function* paced(chunks: readonly PacedChunk[], stamps: Map<string, number>, stats: PaceStats): AsyncGenerator<ReplayItem> {
  const start = performance.now() + 20;
  stats.firstWriteAt = 0;
  stats.lastCallStartAt = 0;
  let i = 0;
  while (i < chunks.length) {
    const due = start + chunks[i].t;
    const wait = due - performance.now();
    if (wait >= 1) await sleep(Math.floor(wait));
    const now = performance.now();
    stats.maxLagMs = Math.max(stats.maxLagMs, now - due);
    let end = i + 1;
    while (end < chunks.length && start + chunks[end].t <= now + 0.5) end++;
    const ready = chunks.slice(i, end);
    i = end;
    const at = performance.now();
    for (const c of ready) {
      for (const key of c.rings) stamps.set(key, at);
      stats.frames += c.frames;
      if (c.lastCallStarts) stats.lastCallStartAt = at;
    }
    if (stats.firstWriteAt === 0) stats.firstWriteAt = at;
    stats.lastWriteAt = at;
    yield { data: ready.length === 1 ? ready[0].data : Buffer.concat(ready.map((c) => c.data)) };
  }
}
