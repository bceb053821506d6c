// Real AMI captures as data for the demo, the tests and the benchmark: loading a scenario, cutting
// it into calls by Linkedid, and synthesising any number of fresh, overlapping calls from the
// captured ones as a stream of AMI frames.
import { readFileSync, existsSync, readdirSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { ROOT } from '../paths';

/**
 * The recorded calls (captures/, with their ground truth), kept once: the demo replays them, the
 * tests and the benchmark ask for them by name.
 */
export const FIXTURES_DIR = join(ROOT, 'captures');
/** What the demo replays: the same directory. */
export const DEMO_CAPTURES_DIR = FIXTURES_DIR;

/** One AMI message with its keys as sent (`Event`, `Uniqueid`…), in order. */
export type AmiFields = Record<string, string>;

export interface ScenarioMessage {
  /** Arrival time in ms since the capture's login response. */
  t: number;
  /** Where the message starts in the scenario's `.ami` bytes. */
  offset: number;
  fields: AmiFields;
}

export interface Scenario {
  name: string;
  /** The exact bytes the recording client received after its login response. */
  bytes: Buffer;
  messages: ScenarioMessage[];
  /** The driver's ground truth (`NAME.truth.json`); shape varies per scenario. */
  truth: ScenarioTruth | null;
}

export interface ScenarioTruth {
  scenario: string;
  calls: Array<Record<string, unknown> & { id: string; support_linkedid?: string | null }>;
  [key: string]: unknown;
}

/** A frame ready to be written to an AMI client: `data` ends with the blank line. */
export interface AmiFrame {
  /** When it is due, in ms from the start of the stream. */
  t: number;
  data: string | Buffer;
}

const cache = new Map<string, Scenario>();

function readMaybeGzipped(base: string): Buffer | null {
  if (existsSync(base)) return readFileSync(base);
  if (existsSync(`${base}.gz`)) return gunzipSync(readFileSync(`${base}.gz`));
  return null;
}

/** The scenario names present in the captures directory (`S1-answered`, `S10-burst`…). */
export function listScenarios(dir = FIXTURES_DIR): string[] {
  const names = new Set<string>();
  for (const file of readdirSync(dir)) {
    const m = /^(.+)\.jsonl(?:\.gz)?$/.exec(file);
    if (m) names.add(m[1]);
  }
  return [...names].sort();
}

/** Loads `NAME.ami[.gz]`, `NAME.jsonl[.gz]` and `NAME.truth.json` (cached: treat the result as read-only). */
export function loadScenario(name: string, dir = FIXTURES_DIR): Scenario {
  const key = `${dir}\0${name}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const bytes = readMaybeGzipped(join(dir, `${name}.ami`));
  const jsonl = readMaybeGzipped(join(dir, `${name}.jsonl`));
  if (!bytes || !jsonl) throw new Error(`AMI scenario ${name} not found in ${dir}`);
  const messages: ScenarioMessage[] = [];
  for (const line of jsonl.toString('utf8').split('\n')) {
    if (!line.trim()) continue;
    const row = JSON.parse(line) as { t_ms_since_start: number; byte_offset: number; fields: AmiFields };
    messages.push({ t: row.t_ms_since_start, offset: row.byte_offset, fields: row.fields });
  }
  const truthPath = join(dir, `${name}.truth.json`);
  const truth = existsSync(truthPath) ? (JSON.parse(readFileSync(truthPath, 'utf8')) as ScenarioTruth) : null;
  const scenario: Scenario = { name, bytes, messages, truth };
  cache.set(key, scenario);
  return scenario;
}

/** The scenario's bytes cut at message boundaries, verbatim, each with its capture time. */
export function scenarioFrames(scenario: Scenario): AmiFrame[] {
  const { bytes, messages } = scenario;
  return messages.map((m, i) => ({
    t: m.t,
    data: bytes.subarray(m.offset, i + 1 < messages.length ? messages[i + 1].offset : bytes.length),
  }));
}

/** `Key: Value\r\n…\r\n\r\n`, keys as given. */
export function serializeFrame(fields: AmiFields): string {
  let out = '';
  for (const key in fields) out += `${key}: ${fields[key]}\r\n`;
  return out + '\r\n';
}

/** The inverse of serializeFrame for one frame (keys as sent; a repeated key keeps its last value). */
export function parseFrame(text: string): AmiFields {
  const fields: AmiFields = {};
  for (const line of text.split(/\r?\n/)) {
    if (!line) continue;
    const sep = line.indexOf(': ');
    if (sep < 0) fields[line] = '';
    else fields[line.slice(0, sep)] = line.slice(sep + 2);
  }
  return fields;
}

/**
 * The fields as asterisk-manager hands them over: keys lower-cased, `Variable` turned into an object
 * of name → value, repeated keys into arrays. Lets tests compare a capture with what a client got.
 */
export function asReceived(fields: AmiFields): Record<string, string | string[] | Record<string, string>> {
  const out: Record<string, string | string[] | Record<string, string>> = {};
  for (const [k, v] of Object.entries(fields)) {
    const key = k.trim().toLowerCase();
    if (key === 'variable' || key === 'chanvariable') {
      const eq = v.indexOf('=');
      const obj = (typeof out[key] === 'object' && !Array.isArray(out[key]) ? out[key] : {}) as Record<string, string>;
      if (eq < 0) obj[v] = '';
      else obj[v.slice(0, eq)] = v.slice(eq + 1);
      out[key] = obj;
    } else if (key in out) {
      const prev = out[key];
      out[key] = Array.isArray(prev) ? [...prev, v] : [prev as string, v];
    } else {
      out[key] = v;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Calls

export interface CapturedCall {
  linkedid: string;
  /** Every message of the call in capture order, including its bridges' Create/Destroy and its CDRs. */
  messages: ScenarioMessage[];
  startT: number;
  endT: number;
  /** `inbound` when the first channel's caller is a phone number, `outbound` when an extension dialled one. */
  direction: 'inbound' | 'outbound' | 'unknown';
  /** The customer's number as the PBX shows it (`+79111234567`, `88120000002`…), null when withheld. */
  customerNumber: string | null;
  /** The dialled number of an inbound call, as the trunk's first `Exten` shows it. */
  did: string | null;
  /** Channel names of the call, in order of appearance. */
  channels: string[];
}

export interface SplitResult {
  calls: CapturedCall[];
  /** Messages that belong to no call (FullyBooted, SuccessfulAuth, QueueMemberStatus…). */
  other: ScenarioMessage[];
}

const PHONE = /^(?:\+7|7|8)\d{10}$|^9\d{9}$/;
const EXTENSION = /^\d{2,6}$/;
const UNIQUEID = /^\d+\.\d+$/;
// `SIP/101-0000002d`, `PJSIP/pstn-00000000`, `Local/101@from-internal-0000001c;1`
const CHANNEL = /^([A-Za-z][\w-]*\/[^\s,;]+)-([0-9a-f]{8})(?:;\d)?$/;
const BRIDGE_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function uniqueidOf(f: AmiFields): string | undefined {
  return f.Uniqueid ?? f.UniqueID ?? f.UniqueId;
}

/** Groups messages by call (Linkedid; CDRs through their UniqueID; bridge events through BridgeUniqueid). */
export function splitCalls(messages: readonly ScenarioMessage[]): SplitResult {
  const linkedOfUid = new Map<string, string>();
  const linkedOfBridge = new Map<string, string>();
  for (const { fields: f } of messages) {
    const uid = uniqueidOf(f);
    if (uid && f.Linkedid) linkedOfUid.set(uid, f.Linkedid);
    if (f.DestUniqueid && f.DestLinkedid) linkedOfUid.set(f.DestUniqueid, f.DestLinkedid);
    if (f.BridgeUniqueid && f.Linkedid && !linkedOfBridge.has(f.BridgeUniqueid)) linkedOfBridge.set(f.BridgeUniqueid, f.Linkedid);
  }
  const byLinkedid = new Map<string, ScenarioMessage[]>();
  const other: ScenarioMessage[] = [];
  for (const m of messages) {
    const f = m.fields;
    const uid = uniqueidOf(f);
    const linkedid =
      f.Linkedid ?? (uid ? linkedOfUid.get(uid) : undefined) ?? (f.BridgeUniqueid ? linkedOfBridge.get(f.BridgeUniqueid) : undefined);
    if (!linkedid) {
      other.push(m);
      continue;
    }
    let list = byLinkedid.get(linkedid);
    if (!list) byLinkedid.set(linkedid, (list = []));
    list.push(m);
  }
  const calls = [...byLinkedid].map(([linkedid, msgs]) => describeCall(linkedid, msgs));
  return { calls, other };
}

function describeCall(linkedid: string, messages: ScenarioMessage[]): CapturedCall {
  const first =
    messages.find((m) => m.fields.Event === 'Newchannel' && m.fields.Uniqueid === linkedid) ??
    messages.find((m) => m.fields.Uniqueid === linkedid) ??
    messages[0];
  const caller = first.fields.CallerIDNum ?? '';
  const exten = first.fields.Exten ?? '';
  let direction: CapturedCall['direction'] = 'unknown';
  let customerNumber: string | null = null;
  let did: string | null = null;
  if (PHONE.test(caller)) {
    direction = 'inbound';
    customerNumber = caller;
    did = exten || null;
  } else if (EXTENSION.test(caller) && PHONE.test(exten)) {
    direction = 'outbound';
    customerNumber = exten;
  } else if (first.fields.Context === 'from-pstn' || PHONE.test(exten)) {
    direction = 'inbound'; // withheld caller (`anonymous`)
    did = exten || null;
  }
  const channels: string[] = [];
  const seen = new Set<string>();
  for (const { fields } of messages) {
    for (const key of ['Channel', 'DestChannel']) {
      const ch = fields[key];
      if (ch && !seen.has(ch) && CHANNEL.test(ch)) {
        seen.add(ch);
        channels.push(ch);
      }
    }
  }
  return {
    linkedid,
    messages,
    startT: messages[0].t,
    endT: messages[messages.length - 1].t,
    direction,
    customerNumber,
    did,
    channels,
  };
}

/** The calls of the given scenarios (default: every scenario but S9-reconnect, which is a query answer). */
export function capturedCalls(names?: string[]): CapturedCall[] {
  const list = names ?? listScenarios().filter((n) => n !== 'S9-reconnect');
  return list.flatMap((n) => splitCalls(loadScenario(n).messages).calls);
}

// ---------------------------------------------------------------------------------------------
// Synthesis

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
