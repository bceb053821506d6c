// A capture cut into calls by Linkedid: every message of each call, its times and what it is.
import { listScenarios, loadScenario, type AmiFields, type ScenarioMessage } from './scenarios';

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
export const UNIQUEID = /^\d+\.\d+$/;
// `SIP/101-0000002d`, `PJSIP/pstn-00000000`, `Local/101@from-internal-0000001c;1`
export const CHANNEL = /^([A-Za-z][\w-]*\/[^\s,;]+)-([0-9a-f]{8})(?:;\d)?$/;
export const BRIDGE_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

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
