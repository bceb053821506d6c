// All live calls of one PBX: routes the PBX's events to calls by Linkedid, follows channels that change
// Linkedid (bridges merged by an attended transfer adopt the oldest one), reconciles with what the
// PBX reports after a (re)connect, and forgets a call as soon as it ends.
import {
  addChannel,
  closeGone,
  endCall,
  learnDid,
  openCall,
  removeChannel,
  restoreCall,
  syncChannel,
} from './call';
import { evolve } from './evolve';
import type { CallEvent, ChannelSnapshot, ListedChannel } from './events';
import { emitCall, snapshot, type CallContext, type CallState, type ChannelSeed } from './call-state';
import { callContext, type CallTrackerOptions } from './context';
import { liveSeed, pickOriginator, ringStart } from './listed';
import { closeOrphanLegs } from './legs';
import { HeldStarts } from './held-starts';
import type { Call, CallFact } from './model';

export type { CallTrackerOptions } from './context';

const RECENTLY_ENDED_MAX = 1024;

export class CallTracker {
  private readonly ctx: CallContext;
  /** Live calls by linkedid. */
  private readonly calls = new Map<string, CallState>();
  /** Every live channel's call, by uniqueid. */
  private readonly channelCalls = new Map<string, CallState>();
  /**
   * From (re)connecting until the first reconcile, events of calls we do not know are of calls that
   * went on while we could not see the PBX: they open the call (flagged gap) rather than being
   * dropped, or a call that ends between the login and the live-channel answer would be lost.
   */
  private unsynced = true;
  /** Linkedids of calls just ended: their late events (a duplicate hang-up) must not reopen them. */
  private readonly recentlyEnded = new Set<string>();
  /**
   * Calls opened part-way while unsynced: what they are (direction, DID, support line) was read off
   * whichever channel showed up first — an agent's leg, say — so it is a guess until the PBX lists
   * the call's first channel at the reconcile, which rebuilds them from it.
   */
  private readonly provisional = new Set<CallState>();
  /** Starts of agent-placed calls to no one yet: see held-starts.ts. */
  private readonly starts = new HeldStarts();

  constructor(options: CallTrackerOptions) {
    this.ctx = callContext(options);
  }

  get pbx(): string {
    return this.ctx.pbx;
  }

  /** Number of live calls. */
  get size(): number {
    return this.calls.size;
  }

  /** Number of live channels followed (for metrics; zero when no call is live). */
  get channelCount(): number {
    return this.channelCalls.size;
  }

  /** Fold one event in; returns what happened to calls, in order. */
  apply(event: CallEvent, at: Date): CallFact[] {
    return this.starts.release(this.applyOne(event, at));
  }

  private applyOne(event: CallEvent, at: Date): CallFact[] {
    const out: CallFact[] = [];
    let s: CallState | null;
    switch (event.kind) {
      case 'Newchannel': {
        const ch = event.channel;
        s = this.calls.get(ch.linkedid) ?? null;
        if (s === null) {
          // A call starts at its first channel, whose uniqueid is the linkedid. Anything else of a call
          // we do not know began while we could not see the PBX: reconcile will bring it in.
          if (ch.uniqueid !== ch.linkedid || this.channelCalls.has(ch.uniqueid)) return out;
          s = openCall(this.ctx, ch, at, { startedAt: at, gap: false, dnid: null, extenIsDialled: true }, out);
          this.calls.set(ch.linkedid, s);
          this.channelCalls.set(ch.uniqueid, s);
          if (s.call.direction === 'internal') this.starts.hold(out.pop()!);
          return out;
        }
        s = this.route(ch, at, out, true);
        break;
      }
      case 'Hangup':
        // A channel hanging up leaves the call we follow it in, whatever Linkedid it carries by now.
        s = this.channelCalls.get(event.channel.uniqueid) ?? this.calls.get(event.channel.linkedid) ?? this.openMidway(event.channel, at, out);
        this.channelCalls.delete(event.channel.uniqueid);
        break;
      case 'DialBegin':
      case 'DialEnd':
        s = this.route(event.dest, at, out, true);
        break;
      case 'BlindTransfer':
        s = this.routeAny(event.transferee, event.transferer, at, out);
        break;
      case 'AttendedTransfer':
        s = this.routeAny(event.transferee, event.origTransferer, at, out);
        // The target may still be counted in its consultation call: it joins this one now.
        if (s !== null && event.transferTarget !== null) this.moveInto(event.transferTarget, s, at, out);
        break;
      case 'Pickup':
        s = this.channelCalls.get(event.target.uniqueid) ?? this.calls.get(event.target.linkedid) ?? null;
        if (s !== null) this.takePicker(event.picker.uniqueid, s, at, out);
        break;
      case 'Rename':
        // Rename carries no Linkedid: the channel is wherever we already follow it.
        s = this.channelCalls.get(event.uniqueid) ?? null;
        break;
      case 'Newstate':
      case 'NewCallerid':
      case 'HangupRequest':
      case 'BridgeEnter':
      case 'QueueCallerJoin':
      case 'QueueCallerAbandon':
      case 'AgentConnect':
      case 'AgentRingNoAnswer':
        s = this.route(event.channel, at, out, true);
        break;
      default: {
        const _: never = event;
        return _;
      }
    }
    if (s === null) return out;
    evolve(this.ctx, s, event, at, out);
    if (s.call.endedAt !== null) this.forget(s);
    return out;
  }

  /**
   * After every (re)connect, with what `CoreShowChannels` + `Status` report: open live calls we do
   * not know, bring known ones up to date, close those the PBX no longer has.
   */
  reconcile(live: readonly ListedChannel[], at: Date): CallFact[] {
    const out: CallFact[] = [];
    const groups = new Map<string, ListedChannel[]>();
    for (const lc of live) {
      const g = groups.get(lc.linkedid);
      if (g === undefined) groups.set(lc.linkedid, [lc]);
      else g.push(lc);
    }
    // Channels that changed call while we were away.
    for (const lc of live) {
      const s = this.channelCalls.get(lc.uniqueid);
      const target = this.calls.get(lc.linkedid);
      if (s !== undefined && target !== undefined && s !== target) this.moveInto(liveSeed(lc), target, at, out);
    }
    for (const s of [...this.calls.values()]) {
      if (s.call.endedAt !== null) continue; // ended by a move above
      const group = groups.get(s.call.linkedid);
      if (this.provisional.has(s) && group?.some((lc) => lc.uniqueid === s.call.linkedid)) {
        // First seen part-way; its first channel is listed now: opened again from it below.
        this.drop(s);
        continue;
      }
      groups.delete(s.call.linkedid);
      const liveIds = new Set<string>();
      let changed = false;
      if (group !== undefined) {
        for (const lc of group) {
          liveIds.add(lc.uniqueid);
          syncChannel(this.ctx, s, liveSeed(lc), ringStart(lc, at), at, out);
          this.channelCalls.set(lc.uniqueid, s);
          if (lc.uniqueid === s.call.linkedid) changed = learnDid(this.ctx, s, lc.dnid) || changed;
        }
      }
      for (const id of [...s.channels.keys()]) {
        if (liveIds.has(id)) continue;
        removeChannel(s, id, null, at, out);
        this.channelCalls.delete(id);
      }
      if (s.channels.size === 0) {
        closeGone(s, at, out);
        this.forget(s);
        continue;
      }
      s.synced = true;
      closeOrphanLegs(s, at, out);
      // Tell the store what it may have missed (the gap flag, a DID learnt) in one update.
      if (changed || s.call.gap) emitCall(out, 'call.updated', s);
    }
    for (const [linkedid, group] of groups) this.openLive(linkedid, group, at, out);
    this.provisional.clear();
    this.unsynced = false;
    return this.starts.release(out);
  }

  /**
   * Calls the PBX no longer has although we never saw them end (a lost hang-up event): closed
   * as gone (gap, outcome unknown unless an agent answered). The caller decides which, see
   * the periodic check in ingest/pbx-ingest.ts.
   */
  expire(linkedids: Iterable<string>, at: Date): CallFact[] {
    const out: CallFact[] = [];
    for (const id of linkedids) {
      const s = this.calls.get(id);
      if (s === undefined) continue;
      closeGone(s, at, out);
      this.forget(s);
    }
    return this.starts.release(out);
  }

  /** The connection to the PBX is lost: whatever happens next to live calls may go unseen. */
  markGap(_at: Date): void {
    this.unsynced = true;
    for (const s of this.calls.values()) s.call.gap = true;
  }

  /** A call first seen part-way, while unsynced (see `unsynced`); null otherwise. */
  private openMidway(ch: ChannelSnapshot, at: Date, out: CallFact[]): CallState | null {
    if (!this.unsynced || this.recentlyEnded.has(ch.linkedid)) return null;
    const s = openCall(this.ctx, ch, at, { startedAt: at, gap: true, dnid: null, extenIsDialled: false }, out);
    s.seenMidway = true;
    this.calls.set(ch.linkedid, s);
    this.channelCalls.set(ch.uniqueid, s);
    if (ch.uniqueid !== ch.linkedid) this.provisional.add(s);
    return s;
  }

  /** Lets go of a live call without ending it (it is about to be opened again). */
  private drop(s: CallState): void {
    if (this.calls.get(s.call.linkedid) === s) this.calls.delete(s.call.linkedid);
    for (const id of s.channels.keys()) if (this.channelCalls.get(id) === s) this.channelCalls.delete(id);
  }

  /** After a service restart: calls the database still thinks live. `reconcile` follows. */
  restore(calls: readonly Call[]): void {
    for (const call of calls) {
      if (call.pbx !== this.ctx.pbx || call.endedAt !== null || this.calls.has(call.linkedid)) continue;
      this.calls.set(call.linkedid, restoreCall(call));
    }
  }

  /** Copies of the live calls. */
  liveCalls(): Call[] {
    const calls: Call[] = [];
    for (const s of this.calls.values()) calls.push(snapshot(s.call));
    return calls;
  }

  // ---- routing -------------------------------------------------------------------------------

  /**
   * The call an event about channel `ch` belongs to. A channel seen under a new linkedid moves to
   * that call; a new channel of a known call is registered when `register` (not for hang-ups).
   */
  private route(ch: ChannelSnapshot, at: Date, out: CallFact[], register: boolean): CallState | null {
    const current = this.channelCalls.get(ch.uniqueid);
    if (current !== undefined) {
      if (current.call.linkedid === ch.linkedid) return current;
      const target = this.calls.get(ch.linkedid);
      if (target === undefined) return current; // a linkedid we do not track: keep it where it is
      this.moveInto(ch, target, at, out);
      return target;
    }
    const s = this.calls.get(ch.linkedid);
    if (s === undefined) return this.openMidway(ch, at, out);
    if (register) {
      addChannel(this.ctx, s, ch, at, at, out);
      this.channelCalls.set(ch.uniqueid, s);
    }
    return s;
  }

  private routeAny(a: ChannelSnapshot | null, b: ChannelSnapshot | null, at: Date, out: CallFact[]): CallState | null {
    return (a !== null ? this.route(a, at, out, false) : null) ?? (b !== null ? this.route(b, at, out, false) : null);
  }

  /** Move channel `seed` (known in some call, or not at all) into call `target`. */
  private moveInto(seed: ChannelSeed, target: CallState, at: Date, out: CallFact[]): void {
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

  /**
   * The picker's phone joins the call it picked up. Its own call to the pickup code, never
   * announced, is absorbed: it was only the way to this call (README, PBX behaviours).
   */
  private takePicker(uniqueid: string, target: CallState, at: Date, out: CallFact[]): void {
    const from = this.channelCalls.get(uniqueid);
    if (from !== undefined && from !== target) {
      if (from.channels.size === 1 && this.starts.drop(from.call.linkedid)) {
        from.channels.clear();
        this.forget(from);
      } else this.leave(from, uniqueid, at, out);
    }
    this.channelCalls.set(uniqueid, target);
  }

  /** Channel `uniqueid` leaves call `from` for another; the call ends if it was its last. */
  private leave(from: CallState, uniqueid: string, at: Date, out: CallFact[]): void {
    removeChannel(from, uniqueid, null, at, out);
    if (from.channels.size === 0 && from.synced) {
      endCall(from, at, out);
      this.forget(from);
    }
  }

  /** A live call we did not know: opened as it is now, flagged as seen with a gap. */
  private openLive(linkedid: string, group: ListedChannel[], at: Date, out: CallFact[]): void {
    const origin = pickOriginator(linkedid, group, this.ctx);
    const startedAt = ringStart(origin, at);
    const s = openCall(
      this.ctx,
      { ...liveSeed(origin), linkedid },
      at,
      { startedAt, gap: true, dnid: origin.dnid, extenIsDialled: false },
      out,
    );
    this.calls.set(linkedid, s);
    this.channelCalls.set(origin.uniqueid, s);
    for (const lc of group) {
      if (lc === origin) continue;
      addChannel(this.ctx, s, liveSeed(lc), ringStart(lc, at), at, out);
      this.channelCalls.set(lc.uniqueid, s);
    }
  }

  private forget(s: CallState): void {
    if (this.calls.get(s.call.linkedid) === s) this.calls.delete(s.call.linkedid);
    // Bounded: the oldest is dropped first (a Set iterates in insertion order).
    this.recentlyEnded.add(s.call.linkedid);
    if (this.recentlyEnded.size > RECENTLY_ENDED_MAX) this.recentlyEnded.delete(this.recentlyEnded.values().next().value!);
    for (const id of s.channels.keys()) {
      if (this.channelCalls.get(id) === s) this.channelCalls.delete(id);
    }
  }
}
