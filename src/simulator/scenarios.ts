// Real AMI captures as data for the demo, the tests and the benchmark: loading a scenario and its
// frames. Cutting it into calls: captured-calls.ts; synthesising fresh calls: synthesis.ts.
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
