// Replays an AMI capture through parseAmiEvent + CallTracker, the way the service will.
import type t from 'tap';
import { parseAmiEvent } from '../../../src/ami/events';
import { listedChannels } from '../../../src/ami/listed-channels';
import type { LiveChannel } from '../../../src/ami/live-channel';
import type { CallEvent, ListedChannel } from '../../../src/calls/events';
import type { Call, CallFact } from '../../../src/calls/model';
import { CallTracker, type CallTrackerOptions } from '../../../src/calls/tracker';
import { readCapture, toRawAmi, type AmiRecord } from '../../helpers/jsonl';

export const SUPPORT = '+79219416004';

/** The type of a tap subtest's `t`. */
export type TapTest = Parameters<Parameters<typeof t.test>[0]>[0];

export function newTracker(options: Partial<CallTrackerOptions> = {}): CallTracker {
  return new CallTracker({
    pbx: 'lab',
    supportNumbers: ['79219416004'],
    isAfterHours: () => false,
    ...options,
  });
}

export interface Replay {
  facts: CallFact[];
  invalid: number;
}

/** Feed records (from `from` on) to the tracker; `at` = capture start + arrival time. */
export function replay(tracker: CallTracker, records: readonly AmiRecord[], connectedWall: string, from = 0): Replay {
  const base = Date.parse(connectedWall);
  const facts: CallFact[] = [];
  let invalid = 0;
  for (let i = from; i < records.length; i++) {
    const r = records[i];
    const parsed = parseAmiEvent(toRawAmi(r.fields));
    if (parsed.kind === 'ignored') continue;
    if (parsed.kind === 'invalid') {
      invalid++;
      continue;
    }
    facts.push(...tracker.apply(parsed, new Date(base + r.t)));
  }
  return { facts, invalid };
}

export function replayCapture(name: string, connectedWall: string, tracker = newTracker()): Replay {
  return replay(tracker, readCapture(name), connectedWall);
}

/** The live channels a `CoreShowChannels` + `Status` answer describes (what the AMI client hands to reconcile). */
export function liveChannelsOf(records: readonly AmiRecord[]): ListedChannel[] {
  const dnids = new Map<string, string>();
  for (const r of records) {
    if (r.fields.Event === 'Status' && r.fields.DNID) dnids.set(r.fields.Uniqueid, r.fields.DNID);
  }
  const live: LiveChannel[] = [];
  for (const r of records) {
    const f = r.fields;
    if (f.Event !== 'CoreShowChannel') continue;
    const [h, m, sec] = (f.Duration ?? '0:0:0').split(':').map(Number);
    live.push({
      channel: f.Channel,
      uniqueid: f.Uniqueid,
      linkedid: f.Linkedid,
      state: f.ChannelStateDesc,
      callerIdNum: f.CallerIDNum || null,
      callerIdName: f.CallerIDName || null,
      connectedLineNum: f.ConnectedLineNum || null,
      connectedLineName: f.ConnectedLineName || null,
      context: f.Context || null,
      exten: f.Exten || null,
      application: f.Application || null,
      applicationData: f.ApplicationData || null,
      durationSeconds: h * 3600 + m * 60 + sec,
      bridgeId: f.BridgeId || null,
      dnid: dnids.get(f.Uniqueid) ?? null,
    });
  }
  return listedChannels(live);
}

/** Facts about one call, in order. */
export function factsOf(facts: readonly CallFact[], linkedid: string): CallFact[] {
  return facts.filter((f) => f.call.linkedid === linkedid);
}

export function endedCall(facts: readonly CallFact[], linkedid: string): Call | undefined {
  return facts.find((f) => f.kind === 'call.ended' && f.call.linkedid === linkedid)?.call;
}

/** `kind:extension[:detail]` per agent fact, for compact assertions. */
export function agentFacts(facts: readonly CallFact[]): string[] {
  const out: string[] = [];
  for (const f of facts) {
    switch (f.kind) {
      case 'leg.ringing':
        out.push(`ringing:${f.extension}`);
        break;
      case 'leg.answered':
        out.push(`answered:${f.extension}${f.first ? ':first' : ''}`);
        break;
      case 'leg.ring_stopped':
        out.push(`stopped:${f.extension}:${f.reason}`);
        break;
      case 'call.transferred':
        out.push(`transferred:${f.from}>${f.to}`);
        break;
      default:
        break;
    }
  }
  return out;
}

/** Apply typed events directly (synthetic scenarios), `at` = base + ms. */
export function applyAll(tracker: CallTracker, events: ReadonlyArray<[number, CallEvent]>, base = 0): CallFact[] {
  const out: CallFact[] = [];
  for (const [ms, e] of events) out.push(...tracker.apply(e, new Date(base + ms)));
  return out;
}
