// Channel names and queue interfaces → technology, peer, and what the channel is to a call:
// the carrier trunk, an agent's phone, a Local channel, or something else.
//
//   SIP/101-00000001, PJSIP/pstn-00000003        device channels: peer + "-<hex id>"
//   SIP/102, PJSIP/102                           queue member interfaces (no id)
//   Local/101@from-internal-0000001c;1 (;2)      Local channel halves: exten@context
//   Local/101@from-queue/n                       Local queue member interface
//   IAX2/101-1234, DAHDI/1-1, DAHDI/i1/79111234567-1a
import { isExtension } from './numbers';

export interface ChannelName {
  /** Channel driver as written: SIP, PJSIP, IAX2, DAHDI, Local… */
  tech: string;
  /** Device channels: the endpoint/peer name. Local channels: the extension dialled. */
  peer: string;
  isLocal: boolean;
  /** Local channels: the dialplan context. */
  localContext: string | null;
  /** Local channels: which half (;1 faces the caller, ;2 runs the dialplan); null in interfaces. */
  localHalf: 1 | 2 | null;
}

/** Channels that are not endpoints: bridges' helpers, recorders, announcers. */
const NON_ENDPOINT_TECHS = new Set([
  'Bridge',
  'Announcer',
  'Recorder',
  'CBAnn',
  'CBRec',
  'Message',
  'Surrogate',
  'Snoop',
  'MulticastRTP',
  'UnicastRTP',
  'AudioSocket',
  'WebSocket',
]);

/** Parse a channel name (as in `Channel:`); null when it has no `Tech/` part. */
export function parseChannelName(name: string): ChannelName | null {
  return parse(name, true);
}

/** Parse a queue member interface or dial target (`SIP/102`, `Local/101@from-queue/n`). */
export function parseInterface(iface: string): ChannelName | null {
  return parse(iface, false);
}

function parse(name: string, isChannel: boolean): ChannelName | null {
  const slash = name.indexOf('/');
  if (slash <= 0 || slash === name.length - 1) return null;
  const tech = name.slice(0, slash);
  let rest = name.slice(slash + 1);
  // Masquerade leftovers such as "SIP/101-00000001<ZOMBIE>".
  const lt = rest.indexOf('<');
  if (lt > 0) rest = rest.slice(0, lt);

  if (tech === 'Local') return parseLocal(rest);

  if (tech === 'DAHDI') {
    // DAHDI/1-1, DAHDI/i1/79111234567-1a: the span/channel is the peer.
    const peer = isChannel ? stripId(rest) : rest;
    return { tech, peer, isLocal: false, localContext: null, localHalf: null };
  }
  // Interfaces may carry a dial string after the peer: PJSIP/101/sip:101@10.0.0.5
  const inner = rest.indexOf('/');
  if (inner >= 0) rest = rest.slice(0, inner);
  const peer = isChannel ? stripId(rest) : rest;
  if (peer === '') return null;
  return { tech, peer, isLocal: false, localContext: null, localHalf: null };
}

function parseLocal(rest: string): ChannelName | null {
  let half: 1 | 2 | null = null;
  // ";1"/";2" (",1" in very old versions) marks a channel; an interface has "/n"-style options.
  const last = rest.length - 2;
  if (last > 0 && (rest[last] === ';' || rest[last] === ',')) {
    const h = rest[last + 1];
    if (h === '1' || h === '2') {
      half = h === '1' ? 1 : 2;
      rest = rest.slice(0, last);
    }
  }
  const opts = rest.indexOf('/');
  if (opts >= 0) rest = rest.slice(0, opts);
  const at = rest.indexOf('@');
  const exten = at >= 0 ? rest.slice(0, at) : rest;
  let context: string | null = at >= 0 ? rest.slice(at + 1) : null;
  if (context !== null && half !== null) context = stripId(context);
  if (exten === '') return null;
  return { tech: 'Local', peer: exten, isLocal: true, localContext: context || null, localHalf: half };
}

/** "101-0000000a" → "101": the driver appends "-<hex or decimal id>" to channel names. */
function stripId(s: string): string {
  const dash = s.lastIndexOf('-');
  if (dash <= 0 || dash === s.length - 1) return s;
  for (let i = dash + 1; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const hex = (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
    if (!hex) return s;
  }
  return s.slice(0, dash);
}

export type ChannelRole = 'trunk' | 'agent' | 'local' | 'other';

export interface ChannelClass {
  role: ChannelRole;
  /**
   * The agent extension this channel stands for: the peer of an agent's phone, or the
   * extension a Local channel dials when it looks like one (`Local/101@from-queue`).
   */
  extension: string | null;
  /** Trunks: the peer name (to look up a configured DID). */
  trunk: string | null;
}

export interface ChannelClassifierOptions {
  /** Peer names of carrier trunks. When absent, see `ChannelClassifier`. */
  trunks?: readonly string[];
  /** DIDs per trunk peer: those peers are trunks too. */
  trunkDids?: Readonly<Record<string, string>>;
}

const OTHER: ChannelClass = Object.freeze({ role: 'other' as const, extension: null, trunk: null });

/**
 * Decides whether a device channel is a trunk or an agent's phone.
 * - With `trunks` configured: a listed peer (or one with a configured DID) is a trunk, every other
 *   device is an agent phone whose extension is its peer name (`PJSIP/ivanov` → `ivanov`).
 * - Without it: a peer that looks like an extension (2–6 digits: `101`, `2001`) is an agent's phone,
 *   any other peer (`pstn`, `beeline-trunk`, `79219416004`, an IP address) is a trunk.
 * DAHDI channels are always trunks (PRI/analogue lines); Local channels are neither.
 */
export class ChannelClassifier {
  private readonly trunks: ReadonlySet<string> | null;
  private readonly trunksWithDid: ReadonlySet<string>;

  constructor(options: ChannelClassifierOptions = {}) {
    this.trunks = options.trunks ? new Set(options.trunks) : null;
    this.trunksWithDid = new Set(Object.keys(options.trunkDids ?? {}));
  }

  classify(name: string): ChannelClass {
    const parsed = parseChannelName(name);
    return parsed === null ? OTHER : this.classifyParsed(parsed);
  }

  classifyParsed(p: ChannelName): ChannelClass {
    if (p.isLocal) return { role: 'local', extension: isExtension(p.peer) ? p.peer : null, trunk: null };
    if (NON_ENDPOINT_TECHS.has(p.tech)) return OTHER;
    if (p.tech === 'DAHDI' || this.isTrunkPeer(p.peer)) return { role: 'trunk', extension: null, trunk: p.peer };
    return { role: 'agent', extension: p.peer, trunk: null };
  }

  /** The agent extension behind a queue member interface (`SIP/102`, `Local/101@from-queue/n`). */
  agentOfInterface(iface: string): string | null {
    const p = parseInterface(iface);
    if (p === null) return null;
    const c = this.classifyParsed(p);
    return c.role === 'agent' || c.role === 'local' ? c.extension : null;
  }

  private isTrunkPeer(peer: string): boolean {
    if (this.trunksWithDid.has(peer)) return true;
    if (this.trunks !== null) return this.trunks.has(peer);
    return !isExtension(peer);
  }
}
