// Any number of fresh, overlapping calls synthesised from the captured ones, as a stream of AMI
// frames: each captured call compiled once into a template whose numbers, ids and channels are
// replaced per copy.
import { BRIDGE_ID, CHANNEL, splitCalls, UNIQUEID, type CapturedCall } from './captured-calls';
import { loadScenario, serializeFrame, type AmiFrame } from './scenarios';

/**
 * A captured call compiled once: each message's AMI text cut into literal pieces and slots (indexes
 * into the call's token table) so that a fresh copy costs one string join per message.
 */
interface CallTemplate {
  call: CapturedCall;
  tokens: Token[];
  frames: Array<{ rel: number; parts: Array<string | number> }>;
  /** Index in `tokens` of the first channel's uniqueid (the call's linkedid). */
  linkedSlot: number;
}

type Token =
  | { kind: 'uniqueid'; value: string; rel: number }
  | { kind: 'channel'; value: string; prefix: string }
  | { kind: 'bridge'; value: string }
  | { kind: 'number'; value: string };

const templateCache = new WeakMap<CapturedCall, CallTemplate>();

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

function compile(call: CapturedCall): CallTemplate {
  const cached = templateCache.get(call);
  if (cached) return cached;
  const tokens: Token[] = [];
  const index = new Map<string, number>();
  const add = (t: Token): void => {
    if (!index.has(t.value)) index.set(t.value, tokens.push(t) - 1);
  };
  for (const { t, fields } of call.messages) {
    for (const [key, value] of Object.entries(fields)) {
      if (!value) continue;
      if (/uniqueid$|linkedid$/i.test(key) && UNIQUEID.test(value)) add({ kind: 'uniqueid', value, rel: t - call.startT });
      else if (key === 'BridgeUniqueid' && BRIDGE_ID.test(value)) add({ kind: 'bridge', value });
      const ch = CHANNEL.exec(value);
      if (ch) add({ kind: 'channel', value: `${ch[1]}-${ch[2]}`, prefix: ch[1] });
    }
  }
  if (call.customerNumber) add({ kind: 'number', value: call.customerNumber });
  if (!index.has(call.linkedid)) add({ kind: 'uniqueid', value: call.linkedid, rel: 0 });

  // Longest first so that `…305.1` never shadows `…305.10`; the look-arounds keep tokens whole.
  const alternatives = [...index.keys()].sort((a, b) => b.length - a.length).map(escapeRe);
  const re = new RegExp(`(?<![\\w.])(?:${alternatives.join('|')})(?!\\w)`, 'g');
  const frames = call.messages.map(({ t, fields }) => {
    const text = serializeFrame(fields);
    const parts: Array<string | number> = [];
    let last = 0;
    for (const m of text.matchAll(re)) {
      const at = m.index ?? 0;
      if (at > last) parts.push(text.slice(last, at));
      parts.push(index.get(m[0]) as number);
      last = at + m[0].length;
    }
    if (last < text.length) parts.push(text.slice(last));
    return { rel: t - call.startT, parts };
  });
  const template: CallTemplate = { call, tokens, frames, linkedSlot: index.get(call.linkedid) as number };
  templateCache.set(call, template);
  return template;
}

export interface SynthOptions {
  /** How many calls to produce. */
  count: number;
  /** Captured calls to copy, used round-robin (default: every call of S10-burst). */
  templates?: readonly CapturedCall[];
  /** Time between consecutive calls' starts, ms (default 200, as in S10). */
  intervalMs?: number;
  /** Random extra delay added to each call's start, 0…jitterMs (default 0). */
  jitterMs?: number;
  /** Seeds the number generator and jitter (default 1): same options (with startEpochSec), same stream. */
  seed?: number;
  /** Epoch seconds of the first call's uniqueids (default: now). */
  startEpochSec?: number;
  /** First value of the uniqueid counter (default 1 000 000) and of channel suffixes (default 0x100000). */
  uniqueidCounterStart?: number;
  channelCounterStart?: number;
}

export interface SynthFrame extends AmiFrame {
  data: string;
  /** Index of the synthesised call (0…count-1). */
  call: number;
  linkedid: string;
}

/** What a synthesised call is, for tests that check the call model's output. */
export interface SynthCallInfo {
  call: number;
  linkedid: string;
  template: CapturedCall;
  customerNumber: string | null;
  startT: number;
  channels: string[];
}

// Codes 900–999 are all Russian mobile ranges; 921 is left out so that no caller is the support line.
const OPERATOR_CODES = Array.from({ length: 100 }, (_, i) => 900 + i).filter((c) => c !== 921);
const NUMBER_SPACE = OPERATOR_CODES.length * 10_000_000;
const NUMBER_STEP = 104_729; // a prime coprime with NUMBER_SPACE: i → (STEP·i + seed) mod SPACE is one-to-one

/** The i-th fresh Russian mobile number (10 national digits, unique for i < 990 000 000). */
export function freshMobile(i: number, seed = 1): string {
  const n = (((NUMBER_STEP * i + seed * 7_919) % NUMBER_SPACE) + NUMBER_SPACE) % NUMBER_SPACE;
  const code = OPERATOR_CODES[Math.floor(n / 10_000_000)];
  return `${code}${String(n % 10_000_000).padStart(7, '0')}`;
}

/** `national` (10 digits) written in the same form as `like`: `+7…`, `7…`, `8…` or bare. */
export function inSameForm(like: string, national: string): string {
  if (like.startsWith('+7')) return `+7${national}`;
  if (like.length === 11 && like.startsWith('7')) return `7${national}`;
  if (like.length === 11 && like.startsWith('8')) return `8${national}`;
  return national;
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Instance {
  call: number;
  template: CallTemplate;
  start: number;
  values: string[];
  linkedid: string;
  next: number;
}

/**
 * Plans the synthesised calls one by one (the same plan synthesizeCalls streams), without producing
 * their frames: for tests that compare the call model's output with what was sent.
 */
export function* synthesizedCallInfo(options: SynthOptions): Generator<SynthCallInfo> {
  for (const inst of instances(options)) {
    const { template } = inst;
    yield {
      call: inst.call,
      linkedid: inst.linkedid,
      template: template.call,
      customerNumber: numberOf(inst),
      startT: inst.start,
      channels: template.tokens.flatMap((t, i) => (t.kind === 'channel' ? [inst.values[i]] : [])),
    };
  }
}

function numberOf(inst: Instance): string | null {
  const slot = inst.template.tokens.findIndex((t) => t.kind === 'number');
  return slot < 0 ? null : inst.values[slot];
}

function* instances(options: SynthOptions): Generator<Instance> {
  const templates = (options.templates ?? splitCalls(loadScenario('S10-burst').messages).calls).map(compile);
  if (templates.length === 0) throw new Error('synthesizeCalls needs at least one captured call');
  const interval = options.intervalMs ?? 200;
  const jitter = options.jitterMs ?? 0;
  const seed = options.seed ?? 1;
  const random = mulberry32(seed);
  const epoch0 = options.startEpochSec ?? Math.floor(Date.now() / 1000);
  let uidCounter = options.uniqueidCounterStart ?? 1_000_000;
  let chanCounter = options.channelCounterStart ?? 0x100000;
  let bridgeCounter = 0;
  const bridgeSeed = (seed >>> 0).toString(16).padStart(8, '0').slice(-8);
  for (let call = 0; call < options.count; call++) {
    const template = templates[call % templates.length];
    const start = call * interval + (jitter > 0 ? random() * jitter : 0);
    const values = template.tokens.map((tok) => {
      switch (tok.kind) {
        case 'uniqueid':
          return `${epoch0 + Math.floor((start + tok.rel) / 1000)}.${uidCounter++}`;
        case 'channel':
          return `${tok.prefix}-${(chanCounter++ & 0xffffffff).toString(16).padStart(8, '0')}`;
        case 'bridge':
          return `${bridgeSeed}-0000-4000-8000-${(bridgeCounter++).toString(16).padStart(12, '0')}`;
        case 'number':
          return inSameForm(tok.value, freshMobile(call, seed));
        default: {
          const never: never = tok;
          return never;
        }
      }
    });
    yield { call, template, start, values, linkedid: values[template.linkedSlot], next: 0 };
  }
}

/**
 * Streams `count` fresh calls copied from captured ones, started `intervalMs` apart and interleaved
 * by time into one overlapping AMI stream. Each copy gets new uniqueids/linkedid (`<epoch>.<counter>`),
 * new channel suffixes, new bridge ids and a new caller number (a valid Russian mobile in the captured
 * number's form); DIDs, agents and everything else are kept. Memory grows with the calls live at
 * once, not with `count`: a heap merges the active calls.
 */
export function* synthesizeCalls(options: SynthOptions): Generator<SynthFrame> {
  const source = instances(options);
  let pending = source.next();
  const heap: Instance[] = [];
  const due = (i: Instance): number => i.start + i.template.frames[i.next].rel;
  // Ties go to the earlier call so that a call's own frames never reorder.
  const before = (a: Instance, b: Instance): boolean => {
    const da = due(a);
    const db = due(b);
    return da < db || (da === db && a.call < b.call);
  };
  const push = (x: Instance): void => {
    heap.push(x);
    let i = heap.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!before(heap[i], heap[p])) break;
      [heap[i], heap[p]] = [heap[p], heap[i]];
      i = p;
    }
  };
  const sift = (): void => {
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && before(heap[l], heap[m])) m = l;
      if (r < heap.length && before(heap[r], heap[m])) m = r;
      if (m === i) return;
      [heap[i], heap[m]] = [heap[m], heap[i]];
      i = m;
    }
  };
  for (;;) {
    // Admit every call that starts before the earliest pending frame.
    while (!pending.done && (heap.length === 0 || pending.value.start <= due(heap[0]))) {
      push(pending.value);
      pending = source.next();
    }
    if (heap.length === 0) return;
    const inst = heap[0];
    const frame = inst.template.frames[inst.next];
    let data = '';
    for (const p of frame.parts) data += typeof p === 'string' ? p : inst.values[p];
    yield { t: inst.start + frame.rel, data, call: inst.call, linkedid: inst.linkedid };
    inst.next++;
    if (inst.next < inst.template.frames.length) sift();
    else {
      const last = heap.pop() as Instance;
      if (heap.length > 0) {
        heap[0] = last;
        sift();
      }
    }
  }
}
