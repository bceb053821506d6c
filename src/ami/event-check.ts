// The last checks on a parsed event before it leaves the AMI edge: a string `event`, no key no AMI
// header can have (debris of a broken line); messages without Event or Response are counted and
// logged at most once a second.
import type { AmiLogger } from './logger';
import type { RawAmiMessage } from './raw';

// Header names are printable ASCII without ':' — anything else is debris of a broken line.
const HEADER_NAME = /^[\x21-\x39\x3b-\x7e]+$/;
const goodKeys = new Set<string>();

function validKey(key: string): boolean {
  if (goodKeys.has(key)) return true;
  if (!HEADER_NAME.test(key)) return false;
  if (goodKeys.size < 10_000) goodKeys.add(key);
  return true;
}

/** The event with a string `event` and without keys that no AMI header can have. */
export function cleanEvent(item: RawAmiMessage, name: string): RawAmiMessage {
  let out = item;
  if (Object.getPrototypeOf(item) !== Object.prototype) out = Object.assign({}, item);
  for (const key of Object.keys(out)) {
    if (validKey(key)) continue;
    if (out === item) out = { ...item };
    delete out[key];
  }
  if (out.event !== name) {
    if (out === item) out = { ...item };
    out.event = name;
  }
  return out;
}

/** The event's name: `event`, or the first of several; null when there is none. */
export function eventName(item: RawAmiMessage): string | null {
  const raw = item.event;
  return typeof raw === 'string' ? raw : Array.isArray(raw) && typeof raw[0] === 'string' ? raw[0] : null;
}

export class MalformedLog {
  private skipped = 0;
  private lastLog = 0;

  constructor(private readonly logger: AmiLogger) {}

  skip(item: RawAmiMessage): void {
    this.skipped++;
    const now = Date.now();
    if (now - this.lastLog < 1000) return;
    this.lastLog = now;
    const keys = Object.keys(item).slice(0, 5).map((k) => k.slice(0, 40));
    this.logger.warn({ skipped: this.skipped, keys }, 'AMI frame without Event or Response skipped');
    this.skipped = 0;
  }
}
