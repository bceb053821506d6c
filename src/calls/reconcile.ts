// After every (re)connect, the live calls are brought in line with what `CoreShowChannels` +
// `Status` report: live calls we did not know are opened, known ones brought up to date, those the
// PBX no longer has closed.
import { addChannel, closeGone, learnDid, openCall, removeChannel, syncChannel } from './call';
import { emitCall, type CallContext, type CallState } from './call-state';
import type { ListedChannel } from './events';
import { closeOrphanLegs } from './legs';
import { liveSeed, pickOriginator, ringStart } from './listed';
import type { LiveCalls } from './live-calls';
import type { CallFact } from './model';

export interface ReconcileInput {
  ctx: CallContext;
  calls: LiveCalls;
  /** Calls opened part-way while unsynced, from a channel that may not be their first (see tracker.ts). */
  provisional: ReadonlySet<CallState>;
  /** Makes what the tracker's user keeps for a call it has not seen yet. */
  attach: () => unknown;
}

export function reconcile(input: ReconcileInput, live: readonly ListedChannel[], at: Date, out: CallFact[]): void {
  const { ctx, calls, provisional } = input;
  const groups = new Map<string, ListedChannel[]>();
  for (const lc of live) {
    const g = groups.get(lc.linkedid);
    if (g === undefined) groups.set(lc.linkedid, [lc]);
    else g.push(lc);
  }
  // Channels that changed call while we were away.
  for (const lc of live) {
    const s = calls.ofChannel(lc.uniqueid);
    const target = calls.get(lc.linkedid);
    if (s !== undefined && target !== undefined && s !== target) calls.moveInto(liveSeed(lc), target, at, out);
  }
  /** What was kept for calls opened again from their first channel: they stay the same call. */
  const reopened = new Map<string, unknown>();
  for (const s of calls.list()) {
    if (s.call.endedAt !== null) continue; // ended by a move above
    const group = groups.get(s.call.linkedid);
    if (provisional.has(s) && group?.some((lc) => lc.uniqueid === s.call.linkedid)) {
      // First seen part-way; its first channel is listed now: opened again from it below.
      calls.drop(s);
      reopened.set(s.call.linkedid, s.attached);
      continue;
    }
    groups.delete(s.call.linkedid);
    const liveIds = new Set<string>();
    let changed = false;
    if (group !== undefined) {
      for (const lc of group) {
        liveIds.add(lc.uniqueid);
        syncChannel(ctx, s, liveSeed(lc), ringStart(lc, at), at, out);
        calls.follow(lc.uniqueid, s);
        if (lc.uniqueid === s.call.linkedid) changed = learnDid(ctx, s, lc.dnid) || changed;
      }
    }
    for (const id of [...s.channels.keys()]) {
      if (liveIds.has(id)) continue;
      removeChannel(s, id, null, at, out);
      calls.unfollow(id);
    }
    if (s.channels.size === 0) {
      closeGone(s, at, out);
      calls.forget(s);
      continue;
    }
    s.synced = true;
    closeOrphanLegs(s, at, out);
    // Tell the store what it may have missed (the gap flag, a DID learnt) in one update.
    if (changed || s.call.gap) emitCall(out, 'call.updated', s);
  }
  for (const [linkedid, group] of groups) {
    const attached = reopened.has(linkedid) ? reopened.get(linkedid) : input.attach();
    openLive(ctx, calls, linkedid, group, attached, at, out);
  }
}

/** A live call we did not know: opened as it is now, flagged as seen with a gap. */
function openLive(ctx: CallContext, calls: LiveCalls, linkedid: string, group: ListedChannel[], attached: unknown, at: Date, out: CallFact[]): void {
  const origin = pickOriginator(linkedid, group, ctx);
  const startedAt = ringStart(origin, at);
  const s = openCall(ctx, { ...liveSeed(origin), linkedid }, at, { startedAt, gap: true, dnid: origin.dnid, extenIsDialled: false, attached }, out);
  calls.add(s, origin.uniqueid);
  for (const lc of group) {
    if (lc === origin) continue;
    addChannel(ctx, s, liveSeed(lc), ringStart(lc, at), at, out);
    calls.follow(lc.uniqueid, s);
  }
}
