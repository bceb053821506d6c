// The channels live in what the peer replayed, kept from the frames themselves, and the answers
// to CoreShowChannels and Status built from them as Asterisk words them.
import { type AmiFields, parseFrame, serializeFrame } from './scenarios';

/** What the peer knows of a live channel from the frames it replayed. */
export interface PeerChannel {
  channel: string;
  uniqueid: string;
  linkedid: string;
  state: string;
  stateDesc: string;
  callerIdNum: string;
  callerIdName: string;
  connectedLineNum: string;
  connectedLineName: string;
  language: string;
  accountCode: string;
  context: string;
  exten: string;
  priority: string;
  application: string;
  appData: string;
  bridgeId: string;
  /** The number the channel was called on: its first `Exten` unless it was created by a Dial (`s`). */
  dnid: string;
  createdAt: number;
}

const CRLF = '\r\n';
// Events whose channel snapshot changes what CoreShowChannels / Status answer.
const TRACKED = new Set([
  'Newchannel',
  'Newstate',
  'Newexten',
  'NewCallerid',
  'NewConnectedLine',
  'NewAccountCode',
  'Rename',
  'Hangup',
  'BridgeEnter',
  'BridgeLeave',
]);


function eventNameOf(data: string | Buffer): string | null {
  const head = typeof data === 'string' ? data.slice(0, 48) : data.toString('latin1', 0, Math.min(48, data.length));
  if (!head.startsWith('Event: ')) return null;
  const end = head.indexOf('\r', 7);
  return end < 0 ? null : head.slice(7, end);
}

function hms(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${pad(Math.floor(s / 3600))}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`;
}

export class PeerChannels {
  private readonly channels = new Map<string, PeerChannel>();

  /** Live channels, in creation order. */
  list(): PeerChannel[] {
    return [...this.channels.values()];
  }

  clear(): void {
    this.channels.clear();
  }

  /** Follows one frame sent (its fields when known, else its text). */
  track(data: string | Buffer, fields: AmiFields | null): void {
    const name = fields ? fields.Event : eventNameOf(data);
    if (!name || !TRACKED.has(name)) return;
    const f = fields ?? parseFrame(typeof data === 'string' ? data : data.toString('utf8'));
    const uid = f.Uniqueid;
    if (!uid) return;
    if (name === 'Hangup') {
      this.channels.delete(uid);
      return;
    }
    let ch = this.channels.get(uid);
    if (!ch) {
      if (name !== 'Newchannel' && !f.Channel) return;
      ch = {
        channel: f.Channel ?? '',
        uniqueid: uid,
        linkedid: f.Linkedid ?? uid,
        state: '',
        stateDesc: '',
        callerIdNum: '',
        callerIdName: '',
        connectedLineNum: '',
        connectedLineName: '',
        language: '',
        accountCode: '',
        context: '',
        exten: '',
        priority: '',
        application: '',
        appData: '',
        bridgeId: '',
        dnid: name === 'Newchannel' && f.Exten && f.Exten !== 's' ? f.Exten : '',
        createdAt: Date.now(),
      };
      this.channels.set(uid, ch);
    }
    if (name === 'Rename') {
      if (f.Newname) ch.channel = f.Newname;
      return;
    }
    if (f.Channel) ch.channel = f.Channel;
    if (f.Linkedid) ch.linkedid = f.Linkedid;
    if (f.ChannelState !== undefined) ch.state = f.ChannelState;
    if (f.ChannelStateDesc !== undefined) ch.stateDesc = f.ChannelStateDesc;
    if (f.CallerIDNum !== undefined) ch.callerIdNum = f.CallerIDNum;
    if (f.CallerIDName !== undefined) ch.callerIdName = f.CallerIDName;
    if (f.ConnectedLineNum !== undefined) ch.connectedLineNum = f.ConnectedLineNum;
    if (f.ConnectedLineName !== undefined) ch.connectedLineName = f.ConnectedLineName;
    if (f.Language !== undefined) ch.language = f.Language;
    if (f.AccountCode !== undefined) ch.accountCode = f.AccountCode;
    if (f.Context !== undefined) ch.context = f.Context;
    if (f.Exten !== undefined) ch.exten = f.Exten;
    if (f.Priority !== undefined) ch.priority = f.Priority;
    if (name === 'Newexten') {
      ch.application = f.Application ?? ch.application;
      ch.appData = f.AppData ?? ch.appData;
    } else if (name === 'BridgeEnter') {
      ch.bridgeId = f.BridgeUniqueid ?? '';
    } else if (name === 'BridgeLeave') {
      ch.bridgeId = '';
    }
  }
}

/** The answer to CoreShowChannels: the live channels, then the list's end. */
export function coreShowChannelsAnswer(live: readonly PeerChannel[], idLine: string, idFields: AmiFields): string {
  const now = Date.now();
  let out = `Response: Success${CRLF}${idLine}EventList: start${CRLF}Message: Channels will follow${CRLF}${CRLF}`;
  for (const ch of live) {
    out += serializeFrame({
      Event: 'CoreShowChannel',
      ...idFields,
      ...channelFields(ch),
      Application: ch.application,
      ApplicationData: ch.appData,
      Duration: hms((now - ch.createdAt) / 1000),
      BridgeId: ch.bridgeId,
    });
  }
  out += `Event: CoreShowChannelsComplete${CRLF}${idLine}EventList: Complete${CRLF}ListItems: ${live.length}${CRLF}${CRLF}`;
  return out;
}

/** The answer to Status (of one channel when `only` names it), DNID included. */
export function statusAnswer(channels: readonly PeerChannel[], idLine: string, idFields: AmiFields, only: string | undefined): string {
  const now = Date.now();
  const live = channels.filter((ch) => !only || ch.channel === only);
  let out = `Response: Success${CRLF}${idLine}EventList: start${CRLF}Message: Channel status will follow${CRLF}${CRLF}`;
  for (const ch of live) {
    out += serializeFrame({
      Event: 'Status',
      Privilege: 'Call',
      ...channelFields(ch),
      Type: ch.channel.split('/')[0] ?? '',
      DNID: ch.dnid,
      EffectiveConnectedLineNum: ch.connectedLineNum,
      EffectiveConnectedLineName: ch.connectedLineName,
      TimeToHangup: '0',
      BridgeID: ch.bridgeId,
      Application: ch.application,
      Data: ch.appData,
      Nativeformats: '(alaw)',
      Readformat: 'alaw',
      Readtrans: '',
      Writeformat: 'alaw',
      Writetrans: '',
      Callgroup: '0',
      Pickupgroup: '0',
      Seconds: String(Math.floor((now - ch.createdAt) / 1000)),
      ...idFields,
    });
  }
  out += `Event: StatusComplete${CRLF}${idLine}EventList: Complete${CRLF}ListItems: ${live.length}${CRLF}Items: ${live.length}${CRLF}${CRLF}`;
  return out;
}

/** The fields Asterisk gives a channel in both CoreShowChannel and Status, in its order. */
function channelFields(ch: PeerChannel): AmiFields {
  return {
    Channel: ch.channel,
    ChannelState: ch.state,
    ChannelStateDesc: ch.stateDesc,
    CallerIDNum: ch.callerIdNum,
    CallerIDName: ch.callerIdName,
    ConnectedLineNum: ch.connectedLineNum,
    ConnectedLineName: ch.connectedLineName,
    Language: ch.language,
    AccountCode: ch.accountCode,
    Context: ch.context,
    Exten: ch.exten,
    Priority: ch.priority,
    Uniqueid: ch.uniqueid,
    Linkedid: ch.linkedid,
  };
}
