// One call: how it starts (direction, caller, DID), its channels coming and going, how it ends;
// how events change it is in evolve.ts.
// Pure: time comes in as `at`, facts go out through `out`. Routing events to calls (and channels
// that move between calls) is the tracker's job.
import {
  emitCall,
  type CallContext,
  type CallState,
  type ChannelSeed,
  type ChannelState,
  type LegState,
} from './call-state';
import {
  answerLeg,
  callerLeaving,
  closeLegs,
  ensureLeg,
  legChannelGone,
  ownerLeft,
} from './legs';
import type { Call, CallFact, Direction } from './model';
import { normalizeNumber, toE164 } from './numbers';

export interface OpenOptions {
  /** When the call began (a call found live after a reconnect began before `at`). */
  startedAt: Date;
  gap: boolean;
  /** The dialled number reported by `Status` (`DNID`), when known. */
  dnid: string | null;
  /**
   * Whether the seed's `Exten` is the number the channel was created for (a `Newchannel`),
   * rather than wherever the dialplan has taken it since (a live-channel answer).
   */
  extenIsDialled: boolean;
  /** What the tracker's user keeps for the call (see `CallFact`). */
  attached: unknown;
}

/** Open a call at its first channel: decides direction, caller, DID and support line; emits `call.started`. */
export function openCall(ctx: CallContext, seed: ChannelSeed, at: Date, opts: OpenOptions, out: CallFact[]): CallState {
  const cls = ctx.classifier.classify(seed.channel);
  const caller = normalizeNumber(seed.callerIdNum);
  let direction: Direction;
  let did: string | null = null;
  let calledNumber: string | null = null;
  if (cls.role === 'trunk') {
    // The carrier's channel came first: a customer is calling in.
    direction = 'inbound';
    did = didOf(ctx, opts.dnid, opts.extenIsDialled ? seed.exten : null, cls.trunk);
  } else {
    // An agent's phone (or another internal device) came first: it calls out or calls a colleague.
    calledNumber = toE164(opts.dnid) ?? toE164(seed.exten);
    direction = calledNumber !== null ? 'outbound' : 'internal';
  }
  const call: Call = {
    pbx: ctx.pbx,
    linkedid: seed.linkedid,
    direction,
    supportLine: direction === 'inbound' && did !== null && ctx.supportNumbers.has(did),
    callerNumber: caller.e164,
    callerNumberRaw: caller.raw,
    callerName: nameOf(seed.callerIdName, caller.raw),
    did,
    calledNumber,
    queue: null,
    startedAt: opts.startedAt,
    answeredAt: null,
    answeredBy: null,
    owner: null,
    endedAt: null,
    outcome: null,
    hangupCause: null,
    afterHours: ctx.isAfterHours(opts.startedAt),
    // Decided once, as the call begins: blocking a number later leaves its calls in progress alone.
    blocked: direction === 'inbound' && caller.e164 !== null && ctx.isBlocked(caller.e164, opts.startedAt),
    gap: opts.gap,
    legs: [],
    recordings: [],
  };
  const s: CallState = {
    call,
    attached: opts.attached,
    channels: new Map(),
    legs: [],
    answers: 0,
    callerGone: false,
    transferFrom: null,
    originAgent: cls.role === 'agent' ? cls.extension : null,
    synced: true,
    lastCause: null,
  };
  s.channels.set(seed.uniqueid, {
    uniqueid: seed.uniqueid,
    name: seed.channel,
    role: cls.role,
    extension: cls.extension,
    trunk: cls.trunk,
    originator: true,
    leg: null,
  });
  emitCall(out, 'call.started', s);
  return s;
}

/** A call the database still thinks live, after a service restart; its channels come from reconcile. */
export function restoreCall(call: Call, attached: unknown): CallState {
  const copy: Call = { ...call, gap: true, legs: call.legs.map((l) => ({ ...l })), recordings: call.recordings.slice() };
  let answers = 0;
  for (const l of copy.legs) if (l.answeredAt !== null) answers++;
  const legs: LegState[] = copy.legs.map((leg) => ({ leg, channels: 0, ringSeq: answers, stoppingAt: null }));
  return {
    call: copy,
    attached,
    channels: new Map(),
    legs,
    answers,
    callerGone: false,
    transferFrom: null,
    originAgent: copy.direction === 'inbound' ? null : copy.owner,
    synced: false,
    lastCause: null,
  };
}

/** The DID: the number the trunk channel was created for, the `DNID`, or the trunk's configured DID. */
function didOf(ctx: CallContext, dnid: string | null, exten: string | null, trunk: string | null): string | null {
  const fromDnid = toE164(dnid);
  if (fromDnid !== null) return fromDnid;
  if (exten !== null && exten !== 's') {
    const fromExten = toE164(exten);
    if (fromExten !== null) return fromExten;
  }
  return trunk !== null ? (ctx.trunkDids.get(trunk) ?? null) : null;
}

/** A caller name worth showing: not a placeholder, not the number again. */
export function nameOf(name: string | null, rawNumber: string | null): string | null {
  if (name === null || name === rawNumber) return null;
  return normalizeNumber(name).withheld ? null : name;
}

/** Register a channel of the call (created, found live, or moved in) and apply its current state. */
export function addChannel(
  ctx: CallContext,
  s: CallState,
  seed: ChannelSeed,
  ringAt: Date,
  at: Date,
  out: CallFact[],
): ChannelState {
  const known = s.channels.get(seed.uniqueid);
  if (known !== undefined) return known;
  const cls = ctx.classifier.classify(seed.channel);
  const ch: ChannelState = {
    uniqueid: seed.uniqueid,
    name: seed.channel,
    role: cls.role,
    extension: cls.extension,
    trunk: cls.trunk,
    originator: seed.uniqueid === s.call.linkedid,
    leg: null,
  };
  s.channels.set(seed.uniqueid, ch);
  // A restored call learns who placed it when its first channel is found again.
  if (ch.originator && ch.role === 'agent' && s.originAgent === null && s.call.direction !== 'inbound') {
    s.originAgent = ch.extension;
  }
  if (!ch.originator && ch.role === 'trunk' && s.call.direction === 'internal') {
    becomeOutbound(s, toE164(seed.exten) ?? toE164(seed.callerIdNum), out);
  }
  applyState(s, ch, seed.state, ringAt, at, out);
  return ch;
}

/** Bring a known channel in line with a state the PBX reports (after a reconnect). */
export function syncChannel(
  ctx: CallContext,
  s: CallState,
  seed: ChannelSeed,
  ringAt: Date,
  at: Date,
  out: CallFact[],
): void {
  const ch = s.channels.get(seed.uniqueid);
  if (ch === undefined) addChannel(ctx, s, seed, ringAt, at, out);
  else applyState(s, ch, seed.state, ringAt, at, out);
}

/** What a channel's state means for the call: an agent's phone ringing or answered, the customer answering. */
export function applyState(
  s: CallState,
  ch: ChannelState,
  state: ChannelSeed['state'],
  ringAt: Date,
  at: Date,
  out: CallFact[],
): void {
  if (ch.originator) return; // the caller's side going Up is e.g. a queue's Answer(), not an agent
  if (ch.role === 'agent') {
    if (state === 'ringing') ensureLeg(s, ch, ringAt, at, out);
    else if (state === 'up') {
      const ls = ensureLeg(s, ch, ringAt, at, out, false);
      if (ls !== null) answerLeg(s, ls, at, out);
    }
  } else if (ch.role === 'trunk' && state === 'up' && s.call.direction === 'outbound') {
    customerAnswered(s, at, out);
  }
}

/** An internal call reached a trunk: it is an outbound call. */
export function becomeOutbound(s: CallState, calledNumber: string | null, out: CallFact[]): void {
  const call = s.call;
  call.direction = 'outbound';
  call.supportLine = false;
  if (call.calledNumber === null) call.calledNumber = calledNumber;
  // An agent leg answered first (click-to-call rings the agent before the customer):
  // the customer's answer is what answers an outbound call.
  if (call.answeredAt !== null) {
    if (s.originAgent === null) s.originAgent = call.answeredBy;
    call.answeredAt = null;
    call.answeredBy = null;
  }
  emitCall(out, 'call.updated', s);
}

/** The customer answered an outbound call: it is answered by the agent who placed it. */
export function customerAnswered(s: CallState, at: Date, out: CallFact[]): void {
  const call = s.call;
  if (call.answeredAt !== null) return;
  call.answeredAt = at;
  call.answeredBy = s.originAgent ?? call.owner;
  if (call.owner === null) call.owner = call.answeredBy;
  emitCall(out, 'call.updated', s);
}

/** A channel left the call: hung up, gone after a reconnect, or moved to another call. */
export function removeChannel(s: CallState, uniqueid: string, cause: string | null, at: Date, out: CallFact[]): void {
  const ch = s.channels.get(uniqueid);
  if (ch === undefined) return;
  s.channels.delete(uniqueid);
  if (cause !== null) s.lastCause = cause;
  if (ch.originator) {
    if (cause !== null && s.call.hangupCause === null) s.call.hangupCause = cause;
    callerLeaving(s, at, out);
  }
  if (ch.leg !== null) legChannelGone(s, ch, cause, at, out);
  if (ch.role === 'agent' && ch.extension !== null && ch.extension === s.call.owner) ownerLeft(s, out);
}

/** The last channel hung up: the call is over. */
export function endCall(s: CallState, at: Date, out: CallFact[]): void {
  const call = s.call;
  if (call.endedAt !== null) return;
  closeLegs(s, at, out);
  call.endedAt = at;
  call.outcome = call.answeredAt !== null ? 'answered' : s.seenMidway ? 'unknown' : 'missed';
  if (call.hangupCause === null) call.hangupCause = s.lastCause;
  emitCall(out, 'call.ended', s);
}

/** The PBX no longer has the call (seen after a reconnect): close it without knowing how it ended. */
export function closeGone(s: CallState, at: Date, out: CallFact[]): void {
  const call = s.call;
  if (call.endedAt !== null) return;
  closeLegs(s, at, out);
  call.endedAt = at;
  call.gap = true;
  call.outcome = call.answeredAt !== null ? 'answered' : 'unknown';
  if (call.hangupCause === null) call.hangupCause = s.lastCause;
  emitCall(out, 'call.ended', s);
}

/** Learn the DID of an inbound call from a `DNID` (after a reconnect). True when the call changed. */
export function learnDid(ctx: CallContext, s: CallState, dnid: string | null): boolean {
  const call = s.call;
  if (call.direction !== 'inbound' || call.did !== null) return false;
  const did = toE164(dnid);
  if (did === null) return false;
  call.did = did;
  call.supportLine = ctx.supportNumbers.has(did);
  return true;
}
