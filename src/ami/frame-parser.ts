// One AMI frame (the lines up to a blank line) read into the message asterisk-manager's reader
// would make of it, exactly: keys trimmed and lower-cased, the value everything after the first
// ": " (untrimmed), a key sent twice becomes an array, `Variable`/`ChanVariable` headers become an
// object of name → value (split at the first "="), a line without ": " is a key with an empty
// value, and the greeting line ("Asterisk Call Manager/…") opening a frame is not a header.
// test/unit/ami/frame-parser.test.ts holds it to the package's reader on every capture.
//
// Reading the frame in place, without the package's line arrays, is what lets the service read a
// busy PBX faster than the package alone can parse it.
import type { RawAmiMessage } from './raw';

const GREETING = 'Asterisk Call Manager';

/**
 * A `Response: …Follows` line: the answer to a Command action, which we never send. The package's
 * reader would swallow every frame after it up to `--END COMMAND--`; here its key is renamed so
 * that the message is skipped as malformed and nothing after it is lost.
 */
const UNASKED_FOLLOWS_KEY = 'x-unasked-response';

/** Lower-cased keys by their spelling on the wire (a PBX uses a few hundred at most). */
const keyCache = new Map<string, string>();
const KEY_CACHE_MAX = 4096;

function lowerKey(raw: string): string {
  const cached = keyCache.get(raw);
  if (cached !== undefined) return cached;
  const key = raw.trim().toLowerCase();
  if (keyCache.size < KEY_CACHE_MAX) keyCache.set(raw, key);
  return key;
}

/** Whether the line at `at` (ending at `end`) is a `Response:` line mentioning "follow" (any case). */
function isFollowsLine(text: string, at: number, end: number): boolean {
  const c = text.charCodeAt(at);
  if (c !== 82 && c !== 114) return false; // R, r
  if (text.slice(at, at + 9).toLowerCase() !== 'response:') return false;
  return text.slice(at + 9, end).toLowerCase().includes('follow');
}

/**
 * The message of the frame starting at `start` whose blank line starts at `blank` (the frame's
 * lines are `start`…`blank`, each ending in "\n" or "\r\n").
 */
export function parseFrame(text: string, start: number, blank: number): RawAmiMessage {
  const item: RawAmiMessage = {};
  let at = start;
  let first = true;
  while (at < blank) {
    const lf = text.indexOf('\n', at);
    const end = text.charCodeAt(lf - 1) === 13 ? lf - 1 : lf;
    if (first && text.startsWith(GREETING, at)) {
      first = false;
      at = lf + 1;
      continue;
    }
    first = false;
    if (end > at) readHeader(item, text, at, end);
    at = lf + 1;
  }
  return item;
}

function readHeader(item: RawAmiMessage, text: string, at: number, end: number): void {
  const sep = text.indexOf(': ', at);
  let key: string;
  let value: string;
  if (sep < 0 || sep >= end) {
    key = lowerKey(text.slice(at, end));
    value = '';
  } else {
    key = isFollowsLine(text, at, end) ? UNASKED_FOLLOWS_KEY : lowerKey(text.slice(at, sep));
    value = text.slice(sep + 2, end);
  }
  if (key === 'variable' || key === 'chanvariable') {
    let vars = item[key];
    if (typeof vars !== 'object' || Array.isArray(vars)) item[key] = vars = {};
    const eq = value.indexOf('=');
    if (eq < 0) vars[value] = '';
    else vars[value.slice(0, eq)] = value.slice(eq + 1);
    return;
  }
  const had = item[key];
  if (had === undefined || !Object.hasOwn(item, key)) item[key] = value;
  else if (Array.isArray(had)) had.push(value);
  else item[key] = [had as string, value];
}
