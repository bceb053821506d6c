// Agent legs: a phone starts ringing, is answered, or stops ringing for a reason; who owns the call.
// The reason a phone stopped ringing often is not in the event that stops it (a ring group's losers
// get `DialEnd CANCEL` before the winner's `DialEnd ANSWER`; a caller hanging up also gives
// CANCEL), so a cancelled leg waits for the next decisive event: an answer (taken), the caller
// leaving (caller_gone), the queue moving on (no_answer), or its phone channel going away.
import { agentPresent, MAX_LEGS, snapshot, type CallState, type ChannelState, type LegState } from './call-state';
import type { CallFact, LegEndReason } from './model';

export type StopReason = Exclude<LegEndReason, 'answered'>;
/** What an event says about a ringing phone: a reason, or `cancel` (decided later). */
export type StopHint = StopReason | 'cancel';

export function isRinging(ls: LegState): boolean {
  return ls.leg.endReason === null;
}
function isOpen(ls: LegState): boolean {
  return ls.leg.endReason === null || (ls.leg.endReason === 'answered' && ls.leg.endedAt === null);
}

/** The newest leg of `ext` that is still ringing or talking. */
export function openLegOf(s: CallState, ext: string): LegState | null {
  for (let i = s.legs.length - 1; i >= 0; i--) {
    const ls = s.legs[i];
    if (ls.leg.extension === ext && isOpen(ls)) return ls;
  }
  return null;
}

/** Make sure the agent phone `ch` has a leg; emits `leg.ringing` when one starts. */
export function ensureLeg(
  s: CallState,
  ch: ChannelState,
  ringAt: Date,
  at: Date,
  out: CallFact[],
  /** False when the phone is already talking (found so after a reconnect): no ringing to announce. */
  announce = true,
): LegState | null {
  if (ch.leg !== null) return ch.leg;
  const ext = ch.extension;
  if (ext === null) return null;
  const open = openLegOf(s, ext);
  if (open !== null && open.stoppingAt === null && (open.leg.endReason === null || open.channels === 0)) {
    // Another contact of the same endpoint ringing, or a leg restored after a restart.
    open.channels++;
    ch.leg = open;
    return open;
  }
  // Rung again after a cancel nobody explained: that ringing ran out.
  if (open !== null && open.stoppingAt !== null) finishRinging(s, open, 'no_answer', at, out);
  const ls: LegState = {
    leg: { extension: ext, ringAt, answeredAt: null, endedAt: null, endReason: null },
    channels: 1,
    ringSeq: s.answers,
    stoppingAt: null,
  };
  s.legs.push(ls);
  s.call.legs.push(ls.leg);
  if (s.legs.length > MAX_LEGS) dropOldestUnanswered(s);
  ch.leg = ls;
  if (announce) out.push({ kind: 'leg.ringing', call: snapshot(s.call), attached: s.attached, extension: ext });
  return ls;
}

function dropOldestUnanswered(s: CallState): void {
  for (let i = 0; i < s.legs.length; i++) {
    const ls = s.legs[i];
    if (ls.leg.endReason !== null && ls.leg.endReason !== 'answered') {
      s.legs.splice(i, 1);
      s.call.legs.splice(i, 1);
      return;
    }
  }
}

/**
 * An agent answered on leg `ls`. The first agent answer of an inbound/internal call sets
 * `answeredAt/answeredBy/owner`. A later one takes the call over only when the owner has left or a
 * transfer is waiting for its target (an agent answering a consultation does not).
 */
export function answerLeg(s: CallState, ls: LegState, at: Date, out: CallFact[]): void {
  const leg = ls.leg;
  if (leg.answeredAt !== null) return;
  leg.answeredAt = at;
  leg.endReason = 'answered';
  leg.endedAt = null;
  ls.stoppingAt = null;
  s.answers++;
  const call = s.call;
  const ext = leg.extension;
  const first = call.answeredBy === null;
  let transferredFrom: string | null = null;
  if (call.direction === 'outbound') {
    // The customer's answer decides an outbound call; an agent leg here is e.g. click-to-call.
    if (call.owner === null) call.owner = ext;
  } else if (first) {
    call.answeredAt = at;
    call.answeredBy = ext;
    call.owner = ext;
    s.transferFrom = null;
  } else if (ext !== call.owner) {
    const prev = call.owner;
    if (s.transferFrom !== null || prev === null || !agentPresent(s, prev)) {
      transferredFrom = s.transferFrom ?? prev;
      call.owner = ext;
      s.transferFrom = null;
    }
  }
  const firstAnswer = first && call.direction !== 'outbound';
  out.push({ kind: 'leg.answered', call: snapshot(call), attached: s.attached, extension: ext, first: firstAnswer });
  if (transferredFrom !== null && transferredFrom !== ext) {
    out.push({ kind: 'call.transferred', call: snapshot(call), attached: s.attached, from: transferredFrom, to: ext });
  }
  // Phones whose cancel was waiting for an explanation: this answer is it.
  for (const other of s.legs) {
    if (other !== ls && other.stoppingAt !== null && isRinging(other)) finishRinging(s, other, 'taken', at, out);
  }
}

/** An event says the ringing of `ls` stopped (DialEnd, AgentRingNoAnswer…). Duplicates are no-ops. */
export function stopLeg(s: CallState, ls: LegState, hint: StopHint, at: Date, out: CallFact[]): void {
  if (!isRinging(ls)) return;
  if (hint !== 'cancel') {
    finishRinging(s, ls, hint, at, out);
    return;
  }
  if (ls.stoppingAt !== null) return; // the queue's second CANCEL for the same phone
  const reason = explainCancel(s, ls);
  if (reason !== null) finishRinging(s, ls, reason, at, out);
  else ls.stoppingAt = at;
}

/** Why a cancelled phone stopped, when the call already tells. */
function explainCancel(s: CallState, ls: LegState): StopReason | null {
  if (s.answers > ls.ringSeq) return 'taken';
  if (s.callerGone) return 'caller_gone';
  return null;
}

/** The reason when nothing more specific is known: taken, else caller gone, else rang out. */
function fallbackReason(s: CallState, ls: LegState): StopReason {
  return explainCancel(s, ls) ?? 'no_answer';
}

export function finishRinging(s: CallState, ls: LegState, reason: StopReason, at: Date, out: CallFact[]): void {
  if (!isRinging(ls)) return;
  ls.leg.endReason = reason;
  ls.leg.endedAt = ls.stoppingAt ?? at;
  ls.stoppingAt = null;
  out.push({ kind: 'leg.ring_stopped', call: snapshot(s.call), attached: s.attached, extension: ls.leg.extension, reason });
}

/** Q.850 causes on a ringing phone's hang-up that say why it stopped. */
function reasonFromCause(cause: string | null): StopReason | null {
  switch (cause) {
    case '26': // answered elsewhere
      return 'taken';
    case '17': // user busy
    case '21': // call rejected (declined on the phone)
      return 'busy';
    case '18': // no user responding
    case '19': // no answer
      return 'no_answer';
    default:
      return null;
  }
}

/** Phone channel `ch` left the call (hang-up, or moved to another call). */
export function legChannelGone(s: CallState, ch: ChannelState, cause: string | null, at: Date, out: CallFact[]): void {
  const ls = ch.leg;
  if (ls === null) return;
  ch.leg = null;
  ls.channels--;
  if (ls.channels > 0) return; // another contact of the same endpoint still rings / talks
  if (ls.leg.endReason === 'answered') {
    if (ls.leg.endedAt === null) ls.leg.endedAt = at;
    return;
  }
  finishRinging(s, ls, reasonFromCause(cause) ?? fallbackReason(s, ls), at, out);
}

/**
 * The caller hung up or abandoned the queue: phones whose cancel was waiting for a reason stopped
 * because of it, and so will those cancelled next. Phones still ringing are left to their own
 * events (the caller's side leaving an internal call after a transfer does not stop them).
 */
export function callerLeaving(s: CallState, at: Date, out: CallFact[]): void {
  if (s.callerGone) return;
  s.callerGone = true;
  for (const ls of s.legs) {
    if (ls.stoppingAt !== null && isRinging(ls)) finishRinging(s, ls, explainCancel(s, ls) ?? 'caller_gone', at, out);
  }
}

/**
 * The owner's phone left the call. If another agent is on the call (answered a consultation,
 * joined a conference), the call is theirs now; otherwise the next agent to answer takes it.
 */
export function ownerLeft(s: CallState, out: CallFact[]): void {
  const prev = s.call.owner;
  if (prev === null || agentPresent(s, prev)) return;
  for (let i = s.legs.length - 1; i >= 0; i--) {
    const ls = s.legs[i];
    const ext = ls.leg.extension;
    if (ls.leg.endReason === 'answered' && ls.leg.endedAt === null && ext !== prev && agentPresent(s, ext)) {
      s.call.owner = ext;
      s.transferFrom = null;
      out.push({ kind: 'call.transferred', call: snapshot(s.call), attached: s.attached, from: prev, to: ext });
      return;
    }
  }
}

/** Ownership moves to `to` by an explicit transfer (AttendedTransfer). */
export function transferTo(s: CallState, from: string | null, to: string, out: CallFact[]): void {
  const prev = s.call.owner;
  s.transferFrom = null;
  if (prev === to) return;
  s.call.owner = to;
  const by = from ?? prev;
  if (by !== null && by !== to) out.push({ kind: 'call.transferred', call: snapshot(s.call), attached: s.attached, from: by, to });
}

/** Close every leg when the call is over (or gone): ringing ones with the best reason known. */
export function closeLegs(s: CallState, at: Date, out: CallFact[]): void {
  for (const ls of s.legs) {
    if (isRinging(ls)) finishRinging(s, ls, explainCancel(s, ls) ?? 'caller_gone', at, out);
    else if (ls.leg.endedAt === null) ls.leg.endedAt = at;
  }
}

/** Legs no live channel serves any more (after a reconnect or restart): they are over. */
export function closeOrphanLegs(s: CallState, at: Date, out: CallFact[]): void {
  for (const ls of s.legs) {
    if (ls.channels > 0) continue;
    if (isRinging(ls)) finishRinging(s, ls, fallbackReason(s, ls), at, out);
    else if (ls.leg.endedAt === null) ls.leg.endedAt = at;
  }
}
