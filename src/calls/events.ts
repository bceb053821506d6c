// The call model's own events: what happened on the PBX, normalised. The AMI adapter
// (ami/events.ts, ami/listed-channels.ts) translates the wire into these; the model knows no wire.

/** Channel state as Asterisk names it (`ChannelState` code / `ChannelStateDesc`). */
export type ChannelStateName =
  | 'down'
  | 'reserved'
  | 'offhook'
  | 'dialing'
  | 'ring' // the channel is placing a call (off-hook, dialled)
  | 'ringing' // the channel's device is ringing
  | 'up'
  | 'busy'
  | 'dialing_offhook'
  | 'prering'
  | 'unknown';

/** A channel as an event shows it (AMI: the snapshot attached to call events, plain or with a `Dest`/`Transferer`… prefix). */
export interface ChannelSnapshot {
  channel: string;
  uniqueid: string;
  linkedid: string;
  state: ChannelStateName;
  callerIdNum: string | null;
  callerIdName: string | null;
  connectedLineNum: string | null;
  context: string | null;
  exten: string | null;
}

export type CallEvent =
  | { kind: 'Newchannel'; channel: ChannelSnapshot }
  | { kind: 'Newstate'; channel: ChannelSnapshot }
  | { kind: 'NewCallerid'; channel: ChannelSnapshot }
  /** The channel (same uniqueid) now has another name: masquerades, call pickup. Carries no Linkedid. */
  | { kind: 'Rename'; uniqueid: string; oldName: string; newName: string }
  /** The channel's far end asked to hang up (sent before the PBX tears the call down). */
  | { kind: 'HangupRequest'; channel: ChannelSnapshot; cause: string | null }
  | { kind: 'Hangup'; channel: ChannelSnapshot; cause: string | null; causeText: string | null }
  /** Joining a bridge can give a channel an older call's Linkedid (merged bridges): it then belongs there. */
  | { kind: 'BridgeEnter'; channel: ChannelSnapshot; bridgeId: string | null }
  /** `caller` is absent when the dialling side is not a channel (AMI Originate). */
  | { kind: 'DialBegin'; caller: ChannelSnapshot | null; dest: ChannelSnapshot; dialString: string | null }
  | { kind: 'DialEnd'; caller: ChannelSnapshot | null; dest: ChannelSnapshot; dialStatus: string }
  | {
      kind: 'BlindTransfer';
      success: boolean;
      transferer: ChannelSnapshot | null;
      transferee: ChannelSnapshot | null;
      extension: string | null;
    }
  | {
      kind: 'AttendedTransfer';
      success: boolean;
      /** Bridge | App | Link | Threeway | Fail */
      destType: string | null;
      origTransferer: ChannelSnapshot | null;
      secondTransferer: ChannelSnapshot | null;
      transferee: ChannelSnapshot | null;
      transferTarget: ChannelSnapshot | null;
    }
  | { kind: 'QueueCallerJoin'; channel: ChannelSnapshot; queue: string }
  | { kind: 'QueueCallerAbandon'; channel: ChannelSnapshot; queue: string }
  /** A queue member answered. `channel` is the queued caller, `dest` the member's channel. */
  | { kind: 'AgentConnect'; channel: ChannelSnapshot; dest: ChannelSnapshot | null; queue: string; iface: string | null }
  /** Call pickup: phone `picker` took the call ringing at `target` (group *8, directed, a queue member's phone). */
  | { kind: 'Pickup'; picker: ChannelSnapshot; target: ChannelSnapshot }
  /** The file the next recording of this channel goes to (AMI: `VarSet MIXMONITOR_FILENAME`). */
  | { kind: 'RecordingNamed'; channel: ChannelSnapshot; file: string }
  /** The PBX started recording this channel (AMI: `MixMonitorStart`, which names no file). */
  | { kind: 'RecordingStarted'; channel: ChannelSnapshot }
  /** The caller on this channel left a voicemail, saved as `file` (AMI: `VarSet VM_MESSAGEFILE`). */
  | { kind: 'VoicemailSaved'; channel: ChannelSnapshot; file: string }
  /** A mailbox got a message from this channel's call (AMI: `MessageWaiting`). */
  | { kind: 'MailboxNotified'; channel: ChannelSnapshot; mailbox: string }
  /** A queue member did not answer in time; the queue moves on. */
  | { kind: 'AgentRingNoAnswer'; channel: ChannelSnapshot; dest: ChannelSnapshot | null; queue: string; iface: string | null };

export type CallEventKind = CallEvent['kind'];

/** A channel the PBX lists as live when asked after a (re)connect. */
export interface ListedChannel {
  channel: string;
  uniqueid: string;
  linkedid: string;
  state: ChannelStateName;
  callerIdNum: string | null;
  callerIdName: string | null;
  connectedLineNum: string | null;
  connectedLineName: string | null;
  context: string | null;
  exten: string | null;
  application: string | null;
  applicationData: string | null;
  /** Seconds the channel has existed, as the PBX says. */
  durationSeconds: number | null;
  bridgeId: string | null;
  /** The dialled number as the channel received it, when known. */
  dnid: string | null;
}
