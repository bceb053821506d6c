// One call: how it starts (direction, caller, DID), how AMI events change it (`evolve`), how it ends.
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
  finishRinging,
  isRinging,
  legChannelGone,
  openLegOf,
  ownerLeft,
  stopLeg,
  transferTo,
} from './legs';
import type { CallEvent } from './events';
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
    gap: opts.gap,
    legs: [],
  };
  const s: CallState = {
    call,
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
export function restoreCall(call: Call): CallState {
  const copy: Call = { ...call, gap: true, legs: call.legs.map((l) => ({ ...l })) };
  let answers = 0;
  for (const l of copy.legs) if (l.answeredAt !== null) answers++;
  const legs: LegState[] = copy.legs.map((leg) => ({ leg, channels: 0, ringSeq: answers, stoppingAt: null }));
  return {
    call: copy,
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
function nameOf(name: string | null, rawNumber: string | null): string | null {
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
function applyState(
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
function becomeOutbound(s: CallState, calledNumber: string | null, out: CallFact[]): void {
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
function customerAnswered(s: CallState, at: Date, out: CallFact[]): void {
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

/** Fold one AMI event into the call it was routed to (its channels are already registered). */
export function evolve(ctx: CallContext, s: CallState, event: CallEvent, at: Date, out: CallFact[]): void {
  switch (event.kind) {
    case 'Newchannel':
      addChannel(ctx, s, event.channel, at, at, out);
      return;
    case 'Newstate': {
      const ch = s.channels.get(event.channel.uniqueid);
      if (ch !== undefined) applyState(s, ch, event.channel.state, at, at, out);
      return;
    }
    case 'NewCallerid': {
      const ch = s.channels.get(event.channel.uniqueid);
      // Only a customer's caller ID matters; an agent's outgoing caller ID is often set to the support number.
      if (ch?.originator && s.call.direction === 'inbound') {
        updateCaller(s, event.channel.callerIdNum, event.channel.callerIdName, out);
      }
      return;
    }
    case 'Rename': {
      const ch = s.channels.get(event.uniqueid);
      if (ch !== undefined) renamed(ctx, s, ch, event.newName, at, out);
      return;
    }
    case 'HangupRequest': {
      // The far end hung up: said before the PBX cancels the phones it rings, so their reason is known.
      if (s.channels.get(event.channel.uniqueid)?.originator) callerLeaving(s, at, out);
      return;
    }
    case 'Hangup':
      removeChannel(s, event.channel.uniqueid, event.cause, at, out);
      if (s.channels.size === 0 && s.synced) endCall(s, at, out);
      return;
    case 'BridgeEnter':
      return; // routing (a Linkedid change) is all it tells
    case 'DialBegin':
      dialBegin(s, event.dest.uniqueid, event.dest.callerIdNum, event.dialString, at, out);
      return;
    case 'DialEnd':
      dialEnd(s, event.dest.uniqueid, event.dialStatus, at, out);
      return;
    case 'BlindTransfer': {
      if (!event.success) return;
      const from = agentOf(ctx, s, event.transferer) ?? s.call.owner;
      // The target is a dialplan extension (an agent, a queue, a ring group…): whoever answers next takes over.
      if (from !== null) s.transferFrom = from;
      return;
    }
    case 'AttendedTransfer':
      attendedTransfer(ctx, s, event, at, out);
      return;
    case 'QueueCallerJoin':
      if (s.call.queue !== event.queue) {
        s.call.queue = event.queue;
        emitCall(out, 'call.updated', s);
      }
      return;
    case 'QueueCallerAbandon':
      if (s.call.queue === null) s.call.queue = event.queue;
      callerLeaving(s, at, out);
      return;
    case 'AgentConnect': {
      const ls = queueMemberLeg(ctx, s, event.dest?.uniqueid ?? null, event.iface);
      if (ls !== null) answerLeg(s, ls, at, out);
      return;
    }
    case 'AgentRingNoAnswer': {
      const ls = queueMemberLeg(ctx, s, event.dest?.uniqueid ?? null, event.iface);
      if (ls !== null) stopLeg(s, ls, 'no_answer', at, out);
      return;
    }
    default: {
      const _: never = event;
      return _;
    }
  }
}

function updateCaller(s: CallState, num: string | null, name: string | null, out: CallFact[]): void {
  const call = s.call;
  const caller = normalizeNumber(num);
  const callerName = nameOf(name, caller.raw);
  if (caller.raw === call.callerNumberRaw && callerName === call.callerName) return;
  call.callerNumber = caller.e164;
  call.callerNumberRaw = caller.raw;
  call.callerName = callerName;
  emitCall(out, 'call.updated', s);
}

function dialBegin(
  s: CallState,
  destId: string,
  destCallerIdNum: string | null,
  dialString: string | null,
  at: Date,
  out: CallFact[],
): void {
  const ch = s.channels.get(destId);
  if (ch === undefined || ch.originator) return;
  if (ch.role === 'agent') {
    ensureLeg(s, ch, at, at, out);
    return;
  }
  if (ch.role !== 'trunk') return;
  const called = toE164(dialTarget(dialString)) ?? toE164(destCallerIdNum);
  if (s.call.direction === 'internal') becomeOutbound(s, called, out);
  else if (s.call.direction === 'outbound' && called !== null && called !== s.call.calledNumber) {
    // What goes out to the trunk wins over what the agent dialled: a dial prefix ("9", "*")
    // stripped by the dialplan could otherwise read as a foreign number (989… is Iran).
    s.call.calledNumber = called;
    emitCall(out, 'call.updated', s);
  }
}

/** "pstn/89111234567" → "89111234567"; "SIP/pstn/89111234567@host" → "89111234567". */
function dialTarget(dialString: string | null): string | null {
  if (dialString === null) return null;
  let t = dialString.slice(dialString.lastIndexOf('/') + 1);
  const at = t.indexOf('@');
  if (at >= 0) t = t.slice(0, at);
  return t;
}

function dialEnd(s: CallState, destId: string, status: string, at: Date, out: CallFact[]): void {
  const ch = s.channels.get(destId);
  if (ch === undefined || ch.originator) return;
  if (ch.role === 'trunk') {
    if (status === 'ANSWER' && s.call.direction === 'outbound') customerAnswered(s, at, out);
    return;
  }
  if (ch.role !== 'agent') return;
  // One contact of an endpoint that rings on several stopping says nothing about the others.
  if (status !== 'ANSWER' && ch.leg !== null && ch.leg.channels > 1) return;
  switch (status) {
    case 'ANSWER': {
      const ls = ensureLeg(s, ch, at, at, out, false);
      if (ls !== null) answerLeg(s, ls, at, out);
      return;
    }
    case 'BUSY':
    case 'CHANUNAVAIL':
    case 'CONGESTION':
      if (ch.leg !== null) stopLeg(s, ch.leg, 'busy', at, out);
      return;
    case 'NOANSWER':
      if (ch.leg !== null) stopLeg(s, ch.leg, 'no_answer', at, out);
      return;
    default:
      // CANCEL (and anything unexpected): why it stopped is decided by what comes next.
      if (ch.leg !== null) stopLeg(s, ch.leg, 'cancel', at, out);
  }
}

/** The agent extension of a transfer participant, as this call knows it or by its name. */
function agentOf(ctx: CallContext, s: CallState, ch: { uniqueid: string; channel: string } | null): string | null {
  if (ch === null) return null;
  const known = s.channels.get(ch.uniqueid);
  if (known !== undefined) return known.role === 'agent' || known.role === 'local' ? known.extension : null;
  const c = ctx.classifier.classify(ch.channel);
  return c.role === 'agent' || c.role === 'local' ? c.extension : null;
}

function attendedTransfer(
  ctx: CallContext,
  s: CallState,
  e: Extract<CallEvent, { kind: 'AttendedTransfer' }>,
  at: Date,
  out: CallFact[],
): void {
  // A three-way conference keeps the transferer on the call: nothing changes hands.
  if (!e.success || e.destType === 'Threeway') return;
  const owner = s.call.owner;
  const orig = agentOf(ctx, s, e.origTransferer);
  const second = agentOf(ctx, s, e.secondTransferer);
  // The transferer is the owner's phone when it is one of the two, else whichever we can name.
  const from = owner !== null && (orig === owner || second === owner) ? owner : (orig ?? second ?? owner);
  const target = e.transferTarget;
  const to = agentOf(ctx, s, target);
  if (to === null || to === from) {
    // Transferred to an application (queue, IVR) or somewhere unknown: the next agent to answer takes over.
    if (from !== null) s.transferFrom = from;
    return;
  }
  // The target talks to the customer now: its leg is answered if we had not seen it yet.
  const tch = target !== null ? s.channels.get(target.uniqueid) : undefined;
  if (tch !== undefined && tch.role === 'agent' && !tch.originator) {
    const ls = ensureLeg(s, tch, at, at, out, false);
    if (ls !== null) {
      s.transferFrom = from;
      answerLeg(s, ls, at, out);
    }
  }
  transferTo(s, from, to, out);
}

/** The leg of a queue member: its channel's leg, else the member's open leg by interface. */
function queueMemberLeg(ctx: CallContext, s: CallState, destId: string | null, iface: string | null): LegState | null {
  if (destId !== null) {
    const ch = s.channels.get(destId);
    if (ch?.leg) return ch.leg;
    if (ch !== undefined && ch.extension !== null) {
      const ls = openLegOf(s, ch.extension);
      if (ls !== null) return ls;
    }
  }
  const ext = iface !== null ? ctx.classifier.agentOfInterface(iface) : null;
  return ext !== null ? openLegOf(s, ext) : null;
}

/** Same channel, new name: a call pickup or masquerade can put another agent's phone on this leg. */
function renamed(
  ctx: CallContext,
  s: CallState,
  ch: ChannelState,
  newName: string,
  at: Date,
  out: CallFact[],
): void {
  ch.name = newName;
  const cls = ctx.classifier.classify(newName);
  if (cls.role === ch.role && cls.extension === ch.extension) return;
  const prevExt = ch.extension;
  const ls = ch.leg;
  if (ls !== null) {
    // The old agent's phone is no longer on this leg: someone else took the ringing call.
    if (isRinging(ls) && ls.channels <= 1) finishRinging(s, ls, 'taken', at, out);
    legChannelGone(s, ch, null, at, out);
  }
  ch.role = cls.role;
  ch.extension = cls.extension;
  ch.trunk = cls.trunk;
  // A pickup renames a ringing channel; its Newstate Up follows.
  applyState(s, ch, 'ringing', at, at, out);
  if (prevExt !== null && prevExt === s.call.owner) ownerLeft(s, out);
}
