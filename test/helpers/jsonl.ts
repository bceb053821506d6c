// Loads the AMI captures in captures/: `.jsonl` / `.jsonl.gz` records and `.truth.json`.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { RawAmiMessage } from '../../src/ami/raw';

export const AMI_FIXTURES = join(__dirname, '..', '..', 'captures');

export interface AmiRecord {
  /** Milliseconds since the capture's login response. */
  t: number;
  /** The message's fields with the keys as sent (`Event`, `Channel`, …). */
  fields: Record<string, string>;
}

/** The records of capture `name` (e.g. `S1-answered`, `S10-burst`). */
export function readCapture(name: string): AmiRecord[] {
  let text: string;
  try {
    text = readFileSync(join(AMI_FIXTURES, `${name}.jsonl`), 'utf8');
  } catch {
    text = gunzipSync(readFileSync(join(AMI_FIXTURES, `${name}.jsonl.gz`))).toString('utf8');
  }
  const records: AmiRecord[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const r = JSON.parse(line) as { t_ms_since_start: number; fields: Record<string, string> };
    records.push({ t: r.t_ms_since_start, fields: r.fields });
  }
  return records;
}

/** A message as asterisk-manager emits it: keys lower-cased, `Variable` headers folded into an object. */
export function toRawAmi(fields: Record<string, string>): RawAmiMessage {
  const raw: RawAmiMessage = {};
  for (const [key, value] of Object.entries(fields)) {
    const k = key.toLowerCase();
    if (k === 'variable' || k === 'chanvariable') {
      const eq = value.indexOf('=');
      const vars = (typeof raw[k] === 'object' && !Array.isArray(raw[k]) ? raw[k] : {}) as Record<string, string>;
      vars[eq >= 0 ? value.slice(0, eq) : value] = eq >= 0 ? value.slice(eq + 1) : '';
      raw[k] = vars;
    } else {
      raw[k] = value;
    }
  }
  return raw;
}

export function readTruth<T = unknown>(name: string): T {
  return JSON.parse(readFileSync(join(AMI_FIXTURES, `${name}.truth.json`), 'utf8')) as T;
}
