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
 * The PBX's live channels, gathered from the CoreShowChannels and Status answers item by item (a
 * thousand calls list thousands of channels: the parsed items are not kept, only what is read off
 * them). One LiveChannel per channel: every CoreShowChannel item, with the DNID of the Status item
 * for its channel, then Status items for channels that CoreShowChannels did not list (created
 * between the two answers).
 */
export class LiveChannelList {
  private readonly listed: LiveChannel[] = [];
  /** Per channel, the last Status item read: its channel (null when it names no call) and DNID. */
  private readonly status = new Map<string, { live: LiveChannel | null; dnid: string | null }>();

  addCoreShow(item: RawAmiMessage): void {
    const live = fromEvent(item, undefined);
    if (live) this.listed.push(live);
  }

  addStatus(item: RawAmiMessage): void {
    const channel = str(item, 'channel');
    if (channel) this.status.set(channel, { live: fromEvent(item, item), dnid: known(item, 'dnid') });
  }

  channels(): LiveChannel[] {
    const seen = new Set<string>();
    const out = this.listed.map((live) => {
      seen.add(live.channel);
      const s = this.status.get(live.channel);
      return s ? { ...live, dnid: s.dnid } : live;
    });
    for (const [channel, s] of this.status) if (!seen.has(channel) && s.live) out.push(s.live);
    return out;
  }
}
