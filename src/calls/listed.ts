// The channels the PBX lists as live after a (re)connect, as the call model reads them: each as a
// channel seed, when it appeared, and which of a call's channels is its originator.
import type { CallContext, ChannelSeed } from './call-state';
import type { ListedChannel } from './events';

/** A listed channel as a channel seed. */
export function liveSeed(lc: ListedChannel): ChannelSeed {
  return {
    uniqueid: lc.uniqueid,
    linkedid: lc.linkedid,
    channel: lc.channel,
    state: lc.state,
    callerIdNum: lc.callerIdNum,
    callerIdName: lc.callerIdName,
    connectedLineNum: lc.connectedLineNum,
    exten: lc.exten,
  };
}

/** When a live channel appeared: now minus how long the PBX says it has existed. */
export function ringStart(lc: ListedChannel, at: Date): Date {
  const seconds = lc.durationSeconds;
  return seconds !== null && seconds > 0 ? new Date(at.getTime() - seconds * 1000) : at;
}

/** The call's first channel (uniqueid = linkedid); if it is gone, a trunk, else the oldest channel. */
export function pickOriginator(linkedid: string, group: ListedChannel[], ctx: CallContext): ListedChannel {
  let trunk: ListedChannel | null = null;
  let oldest = group[0];
  for (const lc of group) {
    if (lc.uniqueid === linkedid) return lc;
    if (trunk === null && ctx.classifier.classify(lc.channel).role === 'trunk') trunk = lc;
    if ((lc.durationSeconds ?? 0) > (oldest.durationSeconds ?? 0)) oldest = lc;
  }
  return trunk ?? oldest;
}
