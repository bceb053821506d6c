// What the call rules need to know of their PBX, built once from the tracker's options: support
// numbers and trunk DIDs in E.164, the channel classifier, the support hours.
import type { CallContext } from './call-state';
import { ChannelClassifier } from './channels';
import { toE164 } from './numbers';

export interface CallTrackerOptions {
  /** This PBX's id: calls are keyed by (pbx, linkedid). */
  pbx: string;
  /** Support-line numbers, any form (normalised to E.164). */
  supportNumbers: readonly string[];
  /** DID per trunk peer name, for carriers that deliver calls to `s` (any number form). */
  trunkDids?: Readonly<Record<string, string>>;
  /**
   * Peer names of carrier trunks. When absent a device whose peer looks like an extension
   * (2–6 digits) is an agent's phone and any other peer is a trunk (see `ChannelClassifier`).
   */
  trunks?: readonly string[];
  /** Whether a call starting at this moment is outside support hours. */
  isAfterHours: (at: Date) => boolean;
  /** Whether calls from this E.164 number starting at this moment are blocked (default: none are). */
  isBlocked?: (e164: string, at: Date) => boolean;
}

const NONE_BLOCKED = () => false;

export function callContext(options: CallTrackerOptions): CallContext {
  const supportNumbers = new Set<string>();
  for (const n of options.supportNumbers) {
    const e164 = toE164(n);
    if (e164 !== null) supportNumbers.add(e164);
  }
  const trunkDids = new Map<string, string>();
  for (const [peer, did] of Object.entries(options.trunkDids ?? {})) {
    const e164 = toE164(did);
    if (e164 !== null) trunkDids.set(peer, e164);
  }
  return {
    pbx: options.pbx,
    supportNumbers,
    trunkDids,
    classifier: new ChannelClassifier({ trunks: options.trunks, trunkDids: options.trunkDids }),
    isAfterHours: options.isAfterHours,
    isBlocked: options.isBlocked ?? NONE_BLOCKED,
  };
}
