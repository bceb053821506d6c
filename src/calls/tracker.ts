// All live calls of one PBX: routes the PBX's events to calls by Linkedid, follows channels that change
// Linkedid (bridges merged by an attended transfer adopt the oldest one), reconciles with what the
// PBX reports after a (re)connect (reconcile.ts), and forgets a call as soon as it ends. The calls
// themselves are kept in live-calls.ts; what the tracker's user keeps per call rides on them.
import { addChannel, closeGone, openCall, restoreCall } from './call';
import { evolve } from './evolve';
import type { CallEvent, ChannelSnapshot, ListedChannel } from './events';
import { snapshot, type CallContext, type CallState } from './call-state';
import { callContext, type CallTrackerOptions } from './context';
import { HeldStarts } from './held-starts';
import { LiveCalls } from './live-calls';
import type { Call, CallFact } from './model';
import { reconcile } from './reconcile';

export type { CallTrackerOptions } from './context';

/**
 * `A` is what the tracker's user keeps per live call: made by `attach` when a call opens (or is
 * restored), handed back in each of the call's facts, let go of with the call.
 */
export class CallTracker<A = undefined> {
  private readonly ctx: CallContext;
  private readonly calls: LiveCalls;
  /**
   * From (re)connecting until the first reconcile, events of calls we do not know are of calls that
   * went on while we could not see the PBX: they open the call (flagged gap) rather than being
   * dropped, or a call that ends between the login and the live-channel answer would be lost.
   */
  private unsynced = true;
  /**
   * Calls opened part-way while unsynced: what they are (direction, DID, support line) was read off
   * whichever channel showed up first — an agent's leg, say — so it is a guess until the PBX lists
   * the call's first channel at the reconcile, which rebuilds them from it.
   */
  private readonly provisional = new Set<CallState>();
  /** Starts of agent-placed calls to no one yet: see held-starts.ts. */
  private readonly starts = new HeldStarts();

  constructor(
    options: CallTrackerOptions,
    private readonly attach: () => A = () => undefined as A,
  ) {
    this.ctx = callContext(options);
    this.calls = new LiveCalls(this.ctx);
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
    return this.calls.channelCount;
  }

  /** Fold one event in; returns what happened to calls, in order. */
  apply(event: CallEvent, at: Date): CallFact<A>[] {
    return this.facts(this.applyOne(event, at));
  }

  private applyOne(event: CallEvent, at: Date): CallFact[] {
    const out: CallFact[] = [];
    const calls = this.calls;
    let s: CallState | null;
    switch (event.kind) {
      case 'Newchannel': {
        const ch = event.channel;
        s = calls.get(ch.linkedid) ?? null;
        if (s === null) {
          // A call starts at its first channel, whose uniqueid is the linkedid. Anything else of a call
          // we do not know began while we could not see the PBX: reconcile will bring it in.
          if (ch.uniqueid !== ch.linkedid || calls.ofChannel(ch.uniqueid) !== undefined) return out;
          const opts = { startedAt: at, gap: false, dnid: null, extenIsDialled: true, attached: this.attach() };
          s = openCall(this.ctx, ch, at, opts, out);
          calls.add(s, ch.uniqueid);
          if (s.call.direction === 'internal') this.starts.hold(out.pop()!);
          return out;
        }
        s = this.route(ch, at, out, true);
        break;
      }
      case 'Hangup':
        // A channel hanging up leaves the call we follow it in, whatever Linkedid it carries by now.
        s = calls.ofChannel(event.channel.uniqueid) ?? calls.get(event.channel.linkedid) ?? this.openMidway(event.channel, at, out);
        calls.unfollow(event.channel.uniqueid);
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
        if (s !== null && event.transferTarget !== null) calls.moveInto(event.transferTarget, s, at, out);
        break;
      case 'Pickup':
        s = calls.ofChannel(event.target.uniqueid) ?? calls.get(event.target.linkedid) ?? null;
        if (s !== null) this.takePicker(event.picker.uniqueid, s, at, out);
        break;
      case 'Rename':
        // Rename carries no Linkedid: the channel is wherever we already follow it.
        s = calls.ofChannel(event.uniqueid) ?? null;
        break;
      case 'Newstate':
      case 'NewCallerid':
      case 'HangupRequest':
      case 'BridgeEnter':
      case 'QueueCallerJoin':
      case 'QueueCallerAbandon':
      case 'AgentConnect':
      case 'AgentRingNoAnswer':
      case 'RecordingNamed':
      case 'RecordingStarted':
      case 'VoicemailSaved':
      case 'MailboxNotified':
        s = this.route(event.channel, at, out, true);
        break;
      default: {
        const _: never = event;
        return _;
      }
    }
    if (s === null) return out;
    evolve(this.ctx, s, event, at, out);
    if (s.call.endedAt !== null) calls.forget(s);
    return out;
  }

  /**
   * After every (re)connect, with what `CoreShowChannels` + `Status` report: open live calls we do
   * not know, bring known ones up to date, close those the PBX no longer has.
   */
  reconcile(live: readonly ListedChannel[], at: Date): CallFact<A>[] {
    const out: CallFact[] = [];
    reconcile({ ctx: this.ctx, calls: this.calls, provisional: this.provisional, attach: this.attach }, live, at, out);
    this.provisional.clear();
    this.unsynced = false;
    return this.facts(out);
  }

  /**
   * Calls the PBX no longer has although we never saw them end (a lost hang-up event): closed
   * as gone (gap, outcome unknown unless an agent answered). The caller decides which, see
   * the periodic check in ingest/pbx-ingest.ts.
   */
  expire(linkedids: Iterable<string>, at: Date): CallFact<A>[] {
    const out: CallFact[] = [];
    for (const id of linkedids) {
      const s = this.calls.get(id);
      if (s === undefined) continue;
      closeGone(s, at, out);
      this.calls.forget(s);
    }
    return this.facts(out);
  }

  /** The connection to the PBX is lost: whatever happens next to live calls may go unseen. */
  markGap(_at: Date): void {
    this.unsynced = true;
    for (const s of this.calls.list()) s.call.gap = true;
  }

  /** After a service restart: calls the database still thinks live. `reconcile` follows. */
  restore(calls: readonly Call[]): void {
    for (const call of calls) {
      if (call.pbx !== this.ctx.pbx || call.endedAt !== null || this.calls.get(call.linkedid) !== undefined) continue;
      this.calls.add(restoreCall(call, this.attach()), null);
    }
  }

  /** Copies of the live calls. */
  liveCalls(): Call[] {
    return this.calls.list().map((s) => snapshot(s.call));
  }

  /** Held starts put in place; every call's `attached` came from `attach`, so the facts carry an `A`. */
  private facts(out: CallFact[]): CallFact<A>[] {
    return this.starts.release(out) as CallFact<A>[];
  }

  /** A call first seen part-way, while unsynced (see `unsynced`); null otherwise. */
  private openMidway(ch: ChannelSnapshot, at: Date, out: CallFact[]): CallState | null {
    if (!this.unsynced || this.calls.endedRecently(ch.linkedid)) return null;
    const opts = { startedAt: at, gap: true, dnid: null, extenIsDialled: false, attached: this.attach() };
    const s = openCall(this.ctx, ch, at, opts, out);
    s.seenMidway = true;
    this.calls.add(s, ch.uniqueid);
    if (ch.uniqueid !== ch.linkedid) this.provisional.add(s);
    return s;
  }

  // ---- routing -------------------------------------------------------------------------------

  /**
   * The call an event about channel `ch` belongs to. A channel seen under a new linkedid moves to
   * that call; a new channel of a known call is registered when `register` (not for hang-ups).
   */
  private route(ch: ChannelSnapshot, at: Date, out: CallFact[], register: boolean): CallState | null {
    const current = this.calls.ofChannel(ch.uniqueid);
    if (current !== undefined) {
      if (current.call.linkedid === ch.linkedid) return current;
      const target = this.calls.get(ch.linkedid);
      if (target === undefined) return current; // a linkedid we do not track: keep it where it is
      this.calls.moveInto(ch, target, at, out);
      return target;
    }
    const s = this.calls.get(ch.linkedid);
    if (s === undefined) return this.openMidway(ch, at, out);
    if (register) {
      addChannel(this.ctx, s, ch, at, at, out);
      this.calls.follow(ch.uniqueid, s);
    }
    return s;
  }

  private routeAny(a: ChannelSnapshot | null, b: ChannelSnapshot | null, at: Date, out: CallFact[]): CallState | null {
    return (a !== null ? this.route(a, at, out, false) : null) ?? (b !== null ? this.route(b, at, out, false) : null);
  }

  /**
   * The picker's phone joins the call it picked up. Its own call to the pickup code, never
   * announced, is absorbed: it was only the way to this call (README, PBX behaviours).
   */
  private takePicker(uniqueid: string, target: CallState, at: Date, out: CallFact[]): void {
    const from = this.calls.ofChannel(uniqueid);
    if (from !== undefined && from !== target) {
      if (from.channels.size === 1 && this.starts.drop(from.call.linkedid)) {
        from.channels.clear();
        this.calls.forget(from);
      } else this.calls.leave(from, uniqueid, at, out);
    }
    this.calls.follow(uniqueid, target);
  }
}
