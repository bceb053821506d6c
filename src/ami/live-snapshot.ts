// Turns the answers to CoreShowChannels and Status (asked after every login) into LiveChannel[]:
// CoreShowChannels lists the channels; Status adds what it alone carries, the DNID (the DID when the
// trunk's Exten has already moved on to `dial`, `s`…), matched by channel name.
import type { LiveChannel } from './live-channel';
import type { RawAmiMessage } from './raw';

function str(msg: RawAmiMessage, key: string): string | null {
  const v = msg[key];
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return v[0] ?? null;
  return null;
}

/** Empty and Asterisk's `<unknown>` placeholder mean "not known". */
function known(msg: RawAmiMessage, key: string): string | null {
  const v = str(msg, key);
  return v === null || v === '' || v === '<unknown>' ? null : v;
}

/** `HH:MM:SS` (CoreShowChannel) or plain seconds (Status). */
function seconds(duration: string | null, plain: string | null): number | null {
  if (duration) {
    const m = /^(\d+):(\d{1,2}):(\d{1,2})$/.exec(duration);
    if (m) return Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]);
  }
  if (plain && /^\d+$/.test(plain)) return Number(plain);
  return null;
}

/** The call (linkedid) a CoreShowChannel or Status item's channel belongs to; null for an item that names no channel. */
export function listedCall(msg: RawAmiMessage): string | null {
  const uniqueid = str(msg, 'uniqueid');
  if (!str(msg, 'channel') || !uniqueid) return null;
  return known(msg, 'linkedid') ?? uniqueid;
}

function fromEvent(msg: RawAmiMessage, dnidSource: RawAmiMessage | undefined): LiveChannel | null {
  const linkedid = listedCall(msg);
  if (linkedid === null) return null;
  return {
    channel: str(msg, 'channel')!,
    uniqueid: str(msg, 'uniqueid')!,
    linkedid,
    state: str(msg, 'channelstatedesc') ?? '',
    callerIdNum: known(msg, 'calleridnum'),
    callerIdName: known(msg, 'calleridname'),
    connectedLineNum: known(msg, 'connectedlinenum'),
    connectedLineName: known(msg, 'connectedlinename'),
    context: known(msg, 'context'),
    exten: known(msg, 'exten'),
    application: known(msg, 'application'),
    applicationData: known(msg, 'applicationdata') ?? known(msg, 'data'),
    durationSeconds: seconds(str(msg, 'duration'), str(msg, 'seconds')),
    bridgeId: known(msg, 'bridgeid'),
    dnid: dnidSource ? known(dnidSource, 'dnid') : null,
  };
}

/**
 * One LiveChannel per channel: every CoreShowChannel item, then Status items for channels that
 * CoreShowChannels did not list (created between the two answers).
 */
export function mergeLiveChannels(coreShow: readonly RawAmiMessage[], status: readonly RawAmiMessage[]): LiveChannel[] {
  const statusByChannel = new Map<string, RawAmiMessage>();
  for (const s of status) {
    const ch = str(s, 'channel');
    if (ch) statusByChannel.set(ch, s);
  }
  const out: LiveChannel[] = [];
  const listed = new Set<string>();
  for (const c of coreShow) {
    const ch = str(c, 'channel');
    const live = fromEvent(c, ch ? statusByChannel.get(ch) : undefined);
    if (!live) continue;
    listed.add(live.channel);
    out.push(live);
  }
  for (const [ch, s] of statusByChannel) {
    if (listed.has(ch)) continue;
    const live = fromEvent(s, s);
    if (live) out.push(live);
  }
  return out;
}
