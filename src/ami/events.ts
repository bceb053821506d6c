// The AMI adapter's translator: a raw AMI message → the call model's own event (calls/events.ts),
// or a value saying why not.
// Hot path: most traffic (Newexten, Cdr, RTCP…) is dropped by one Map lookup on the event name
// before any other field is read (and VarSet by its variable's name, already in frame-feed.ts);
// parse failures are values, never exceptions.
import type { CallEvent, ChannelSnapshot, ChannelStateName } from '../calls/events';
import type { RawAmiMessage, RawAmiValue } from './raw';

/** An event the call model has no use for (or a message that is not an event). */
export interface AmiIgnored {
  kind: 'ignored';
}
/** An event the call model needs, but malformed: what was wrong, for logs and metrics. */
export interface AmiInvalid {
  kind: 'invalid';
  event: string;
  reason: string;
}
export type AmiParseResult = CallEvent | AmiIgnored | AmiInvalid;

/** Shared: returned for ~90 % of traffic, so it is not allocated each time. */
export const AMI_IGNORED: AmiIgnored = Object.freeze({ kind: 'ignored' as const });

/** Parse one message as asterisk-manager emits it (lower-cased keys, duplicated keys as arrays). */
export function parseAmiEvent(raw: RawAmiMessage): AmiParseResult {
  const name = first(raw.event);
  if (name === null) return AMI_IGNORED;
  const parse = PARSERS.get(name);
  return parse === undefined ? AMI_IGNORED : parse(raw, name);
}

/** Map a `ChannelStateDesc` (as in CoreShowChannel / Status answers) to a state name. */
export function channelStateFromDesc(desc: string | null | undefined): ChannelStateName {
  if (!desc) return 'unknown';
  return STATE_BY_DESC.get(desc) ?? 'unknown';
}

// ---- field access ------------------------------------------------------------------------

/** A header's value; a duplicated header counts as its first value; `Variable` objects are not values. */
function first(v: RawAmiValue | undefined): string | null {
  const s = typeof v === 'string' ? v : Array.isArray(v) && v.length > 0 ? v[0] : null;
  // A flat copy: a value sliced from the reader's buffer would keep the whole 64 KiB chunk alive
  // for as long as the call model keeps the value (live calls, recently ended linkedids).
  return s === null ? null : (' ' + s).slice(1);
}

/** Like `first`, with AMI's empty and `<unknown>` placeholders as null. */
function opt(v: RawAmiValue | undefined): string | null {
  const s = first(v);
  return s === null || s === '' || s === '<unknown>' ? null : s;
}

interface ChannelKeys {
  channel: string;
  uniqueid: string;
  linkedid: string;
  state: string;
  stateDesc: string;
  callerIdNum: string;
  callerIdName: string;
  connectedLineNum: string;
  context: string;
  exten: string;
}

/** Key names per prefix, built once so parsing never concatenates strings. */
function keysFor(prefix: string): ChannelKeys {
  return {
    channel: `${prefix}channel`,
    uniqueid: `${prefix}uniqueid`,
    linkedid: `${prefix}linkedid`,
    state: `${prefix}channelstate`,
    stateDesc: `${prefix}channelstatedesc`,
    callerIdNum: `${prefix}calleridnum`,
    callerIdName: `${prefix}calleridname`,
    connectedLineNum: `${prefix}connectedlinenum`,
    context: `${prefix}context`,
    exten: `${prefix}exten`,
  };
}

const PLAIN = keysFor('');
const DEST = keysFor('dest');
const TRANSFERER = keysFor('transferer');
const TRANSFEREE = keysFor('transferee');
const ORIG_TRANSFERER = keysFor('origtransferer');
const SECOND_TRANSFERER = keysFor('secondtransferer');
const TRANSFER_TARGET = keysFor('transfertarget');
const TARGET = keysFor('target');

const STATE_BY_CODE = new Map<string, ChannelStateName>([
  ['0', 'down'],
  ['1', 'reserved'],
  ['2', 'offhook'],
  ['3', 'dialing'],
  ['4', 'ring'],
  ['5', 'ringing'],
  ['6', 'up'],
  ['7', 'busy'],
  ['8', 'dialing_offhook'],
  ['9', 'prering'],
]);
const STATE_BY_DESC = new Map<string, ChannelStateName>([
  ['Down', 'down'],
  ['Rsrvd', 'reserved'],
  ['OffHook', 'offhook'],
  ['Dialing', 'dialing'],
  ['Ring', 'ring'],
  ['Ringing', 'ringing'],
  ['Up', 'up'],
  ['Busy', 'busy'],
  ['Dialing Offhook', 'dialing_offhook'],
  ['Pre-ring', 'prering'],
  ['Unknown', 'unknown'],
]);

function stateOf(raw: RawAmiMessage, k: ChannelKeys): ChannelStateName {
  const code = first(raw[k.state]);
  if (code !== null) {
    const s = STATE_BY_CODE.get(code);
    if (s !== undefined) return s;
  }
  return channelStateFromDesc(first(raw[k.stateDesc]));
}

/** The channel snapshot under prefix `k`, or the name of the first missing required key. */
function readChannel(raw: RawAmiMessage, k: ChannelKeys): ChannelSnapshot | string {
  const channel = first(raw[k.channel]);
  if (!channel) return k.channel;
  const uniqueid = first(raw[k.uniqueid]);
  if (!uniqueid) return k.uniqueid;
  const linkedid = first(raw[k.linkedid]);
  if (!linkedid) return k.linkedid;
  return {
    channel,
    uniqueid,
    linkedid,
    state: stateOf(raw, k),
    callerIdNum: opt(raw[k.callerIdNum]),
    callerIdName: opt(raw[k.callerIdName]),
    connectedLineNum: opt(raw[k.connectedLineNum]),
    context: opt(raw[k.context]),
    exten: opt(raw[k.exten]),
  };
}

/** An optional participant (transfer events): absent or incomplete → null. */
function readOptionalChannel(raw: RawAmiMessage, k: ChannelKeys): ChannelSnapshot | null {
  if (raw[k.channel] === undefined) return null;
  const ch = readChannel(raw, k);
  return typeof ch === 'string' ? null : ch;
}

function invalid(event: string, reason: string): AmiInvalid {
  return { kind: 'invalid', event, reason };
}
function missing(event: string, key: string): AmiInvalid {
  return invalid(event, `missing ${key}`);
}

// ---- per-event parsers ---------------------------------------------------------------------

type Parser = (raw: RawAmiMessage, name: string) => AmiParseResult;

function channelEvent(kind: 'Newchannel' | 'Newstate' | 'NewCallerid'): Parser {
  return (raw, name) => {
    const channel = readChannel(raw, PLAIN);
    return typeof channel === 'string' ? missing(name, channel) : { kind, channel };
  };
}

function queueCallerEvent(kind: 'QueueCallerJoin' | 'QueueCallerAbandon'): Parser {
  return (raw, name) => {
    const channel = readChannel(raw, PLAIN);
    if (typeof channel === 'string') return missing(name, channel);
    const queue = first(raw.queue);
    if (!queue) return missing(name, 'queue');
    return { kind, channel, queue };
  };
}

function queueMemberEvent(kind: 'AgentConnect' | 'AgentRingNoAnswer'): Parser {
  return (raw, name) => {
    const channel = readChannel(raw, PLAIN);
    if (typeof channel === 'string') return missing(name, channel);
    const queue = first(raw.queue);
    if (!queue) return missing(name, 'queue');
    const dest = readOptionalChannel(raw, DEST);
    const iface = opt(raw.interface);
    if (dest === null && iface === null) return missing(name, 'interface');
    return { kind, channel, dest, queue, iface };
  };
}

function dialEvent(kind: 'DialBegin' | 'DialEnd'): Parser {
  return (raw, name) => {
    const dest = readChannel(raw, DEST);
    if (typeof dest === 'string') return missing(name, dest);
    // The dialling side is absent when the PBX originates the call itself.
    const caller = readOptionalChannel(raw, PLAIN);
    if (kind === 'DialBegin') return { kind, caller, dest, dialString: opt(raw.dialstring) };
    const dialStatus = first(raw.dialstatus);
    if (!dialStatus) return missing(name, 'dialstatus');
    return { kind, caller, dest, dialStatus };
  };
}

/** The VarSet variables the model uses (all others are dropped unparsed: frame-feed.ts), and what each says. */
const RECORDING_VARIABLES = new Map<string, 'RecordingNamed' | 'VoicemailSaved'>([
  ['MIXMONITOR_FILENAME', 'RecordingNamed'], // MixMonitor's file, set just before MixMonitorStart
  ['VM_MESSAGEFILE', 'VoicemailSaved'], // VoiceMail's message, once saved (no extension)
]);
export const AMI_VARSET_VARIABLES: ReadonlySet<string> = new Set(RECORDING_VARIABLES.keys());

const varSet: Parser = (raw, name) => {
  // asterisk-manager makes `Variable: NAME` an object { NAME: '' }.
  const v = raw.variable;
  const variable = typeof v === 'string' ? v : v !== undefined && !Array.isArray(v) ? Object.keys(v)[0] : undefined;
  const kind = variable === undefined ? undefined : RECORDING_VARIABLES.get(variable);
  if (kind === undefined) return AMI_IGNORED;
  const channel = readChannel(raw, PLAIN);
  if (typeof channel === 'string') return missing(name, channel);
  const file = opt(raw.value);
  return file === null ? AMI_IGNORED : { kind, channel, file }; // emptied: nothing to list
};

const PARSERS = new Map<string, Parser>([
  ['Newchannel', channelEvent('Newchannel')],
  ['Newstate', channelEvent('Newstate')],
  ['NewCallerid', channelEvent('NewCallerid')],
  [
    'Rename',
    (raw, name) => {
      const oldName = first(raw.channel);
      if (!oldName) return missing(name, 'channel');
      const uniqueid = first(raw.uniqueid);
      if (!uniqueid) return missing(name, 'uniqueid');
      const newName = first(raw.newname);
      if (!newName) return missing(name, 'newname');
      return { kind: 'Rename', uniqueid, oldName, newName };
    },
  ],
  [
    'HangupRequest',
    (raw, name) => {
      const channel = readChannel(raw, PLAIN);
      if (typeof channel === 'string') return missing(name, channel);
      return { kind: 'HangupRequest', channel, cause: opt(raw.cause) };
    },
  ],
  [
    'Hangup',
    (raw, name) => {
      const channel = readChannel(raw, PLAIN);
      if (typeof channel === 'string') return missing(name, channel);
      return { kind: 'Hangup', channel, cause: opt(raw.cause), causeText: opt(raw['cause-txt']) };
    },
  ],
  [
    'BridgeEnter',
    (raw, name) => {
      const channel = readChannel(raw, PLAIN);
      if (typeof channel === 'string') return missing(name, channel);
      return { kind: 'BridgeEnter', channel, bridgeId: opt(raw.bridgeuniqueid) };
    },
  ],
  ['DialBegin', dialEvent('DialBegin')],
  ['DialEnd', dialEvent('DialEnd')],
  [
    'BlindTransfer',
    (raw, name) => {
      const result = first(raw.result);
      if (!result) return missing(name, 'result');
      return {
        kind: 'BlindTransfer',
        success: result === 'Success',
        transferer: readOptionalChannel(raw, TRANSFERER),
        transferee: readOptionalChannel(raw, TRANSFEREE),
        extension: opt(raw.extension),
      };
    },
  ],
  [
    'AttendedTransfer',
    (raw, name) => {
      const result = first(raw.result);
      if (!result) return missing(name, 'result');
      return {
        kind: 'AttendedTransfer',
        success: result === 'Success',
        destType: opt(raw.desttype),
        origTransferer: readOptionalChannel(raw, ORIG_TRANSFERER),
        secondTransferer: readOptionalChannel(raw, SECOND_TRANSFERER),
        transferee: readOptionalChannel(raw, TRANSFEREE),
        transferTarget: readOptionalChannel(raw, TRANSFER_TARGET),
      };
    },
  ],
  [
    'Pickup',
    (raw, name) => {
      const picker = readChannel(raw, PLAIN);
      if (typeof picker === 'string') return missing(name, picker);
      const target = readChannel(raw, TARGET);
      if (typeof target === 'string') return missing(name, target);
      return { kind: 'Pickup', picker, target };
    },
  ],
  ['QueueCallerJoin', queueCallerEvent('QueueCallerJoin')],
  ['QueueCallerAbandon', queueCallerEvent('QueueCallerAbandon')],
  ['AgentConnect', queueMemberEvent('AgentConnect')],
  ['AgentRingNoAnswer', queueMemberEvent('AgentRingNoAnswer')],
  ['VarSet', varSet],
  [
    'MixMonitorStart',
    (raw, name) => {
      const channel = readChannel(raw, PLAIN);
      return typeof channel === 'string' ? missing(name, channel) : { kind: 'RecordingStarted', channel };
    },
  ],
  [
    'MessageWaiting',
    (raw, name) => {
      // Without a channel it is a mailbox's state changing (someone listened): no call's business.
      const channel = readOptionalChannel(raw, PLAIN);
      if (channel === null) return AMI_IGNORED;
      const mailbox = first(raw.mailbox);
      return mailbox ? { kind: 'MailboxNotified', channel, mailbox } : missing(name, 'mailbox');
    },
  ],
]);

/** The events the call model uses: the PBX's others need not be parsed at all. */
export const AMI_EVENT_NAMES: ReadonlySet<string> = new Set(PARSERS.keys());
