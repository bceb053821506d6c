// The calls now live on one PBX — the only map of them: each call by linkedid, each live channel's
// call by uniqueid, and channels moving from call to call. A call leaves as soon as it ends; what
// the tracker's user keeps per call rides on the call (`CallState.attached`), so it leaves too.
import { addChannel, endCall, removeChannel } from './call';
import type { CallContext, CallState, ChannelSeed } from './call-state';
import type { CallFact } from './model';

const RECENTLY_ENDED_MAX = 1024;

export class LiveCalls {
  /** Live calls by linkedid. */
  private readonly calls = new Map<string, CallState>();
  /** Every live channel's call, by uniqueid. */
  private readonly channelCalls = new Map<string, CallState>();
  /** Linkedids of calls just ended: their late events (a duplicate hang-up) must not reopen them. */
  private readonly recentlyEnded = new Set<string>();

  constructor(private readonly ctx: CallContext) {}

  /** Number of live calls. */
  get size(): number {
    return this.calls.size;
  }

  /** Number of live channels followed (zero when no call is live). */
  get channelCount(): number {
    return this.channelCalls.size;
  }

  get(linkedid: string): CallState | undefined {
    return this.calls.get(linkedid);
  }

  /** The call channel `uniqueid` is followed in. */
  ofChannel(uniqueid: string): CallState | undefined {
    return this.channelCalls.get(uniqueid);
  }

  /** A copy of the list: callers may end calls while they walk it. */
  list(): CallState[] {
    return [...this.calls.values()];
  }

  endedRecently(linkedid: string): boolean {
    return this.recentlyEnded.has(linkedid);
  }

  /** A call just opened (or restored); `uniqueid`, when given, is the channel it was opened at. */
  add(s: CallState, uniqueid: string | null): void {
    this.calls.set(s.call.linkedid, s);
    if (uniqueid !== null) this.channelCalls.set(uniqueid, s);
  }

  /** Channel `uniqueid` is (now) followed in call `s`. */
  follow(uniqueid: string, s: CallState): void {
    this.channelCalls.set(uniqueid, s);
  }

  unfollow(uniqueid: string): void {
    this.channelCalls.delete(uniqueid);
  }

  /** Move channel `seed` (known in some call, or not at all) into call `target`. */
  moveInto(seed: ChannelSeed, target: CallState, at: Date, out: CallFact[]): void {
    const from = this.channelCalls.get(seed.uniqueid);
    if (from === target) return;
    if (from !== undefined) this.leave(from, seed.uniqueid, at, out);
    else if (!target.channels.has(seed.uniqueid)) {
      // Unknown channel: only bring it in if it is an event about this call.
      if (seed.linkedid !== target.call.linkedid) return;
    }
    addChannel(this.ctx, target, seed, at, at, out);
    this.channelCalls.set(seed.uniqueid, target);
  }

  /** Channel `uniqueid` leaves call `from` for another; the call ends if it was its last. */
  leave(from: CallState, uniqueid: string, at: Date, out: CallFact[]): void {
    removeChannel(from, uniqueid, null, at, out);
    if (from.channels.size === 0 && from.synced) {
      endCall(from, at, out);
      this.forget(from);
    }
  }

  /** The call ended: it leaves, remembered for a while as just ended. */
  forget(s: CallState): void {
    this.drop(s);
    // Bounded: the oldest is dropped first (a Set iterates in insertion order).
    this.recentlyEnded.add(s.call.linkedid);
    if (this.recentlyEnded.size > RECENTLY_ENDED_MAX) this.recentlyEnded.delete(this.recentlyEnded.values().next().value!);
  }

  /** Lets go of a live call without ending it (it is about to be opened again). */
  drop(s: CallState): void {
    if (this.calls.get(s.call.linkedid) === s) this.calls.delete(s.call.linkedid);
    for (const id of s.channels.keys()) if (this.channelCalls.get(id) === s) this.channelCalls.delete(id);
  }
}
