// How the PBX's events change a call (`evolve`): callers, dialling, answers, hang-ups,
// transfers, queues, renamed channels. Pure, like call.ts.
import { addChannel, applyState, becomeOutbound, customerAnswered, endCall, nameOf, removeChannel } from './call';
import { emitCall, type CallContext, type CallState, type ChannelState, type LegState } from './call-state';
import type { CallEvent } from './events';
import {
  answerLeg,
  callerLeaving,
  ensureLeg,
  finishRinging,
  isRinging,
  legChannelGone,
  openLegOf,
  ownerLeft,
  stopLeg,
  transferTo,
} from './legs';
import type { CallFact } from './model';
import { normalizeNumber, toE164 } from './numbers';
import { pickedUp } from './pickup';
import { mailboxNotified, recordingNamed, recordingStarted, voicemailSaved } from './recordings';

/** Fold one event into the call it was routed to (its channels are already registered). */
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
      // A phone the queue did not ring took the member's call (pickup): its Pickup event says so.
      if (ls !== null && !answeredElsewhere(ctx, s, event.dest, ls.leg.extension)) answerLeg(s, ls, at, out);
      return;
    }
    case 'Pickup':
      pickedUp(ctx, s, event.picker, event.target, at, out);
      return;
    case 'AgentRingNoAnswer': {
      const ls = queueMemberLeg(ctx, s, event.dest?.uniqueid ?? null, event.iface);
      if (ls !== null) stopLeg(s, ls, 'no_answer', at, out);
      return;
    }
    case 'RecordingNamed':
      recordingNamed(s.channels.get(event.channel.uniqueid), event.file);
      return;
    case 'RecordingStarted':
      recordingStarted(s, s.channels.get(event.channel.uniqueid), at, out);
      return;
    case 'VoicemailSaved':
      voicemailSaved(s, event.file, at, out);
      return;
    case 'MailboxNotified':
      mailboxNotified(s, event.mailbox, out);
      return;
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

/** The queue connected phone `dest`, which is not the member's own phone and not yet on this call. */
function answeredElsewhere(ctx: CallContext, s: CallState, dest: { uniqueid: string; channel: string } | null, member: string): boolean {
  if (dest === null || s.channels.has(dest.uniqueid)) return false;
  const ext = ctx.classifier.classify(dest.channel).extension;
  return ext !== null && ext !== member;
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
