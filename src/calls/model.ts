// The call model's public shapes: what the tracker knows about a call and the facts it reports.
// Plain data, no I/O: the edges (db/, realtime/) consume these.

export const DIRECTIONS = ['inbound', 'outbound', 'internal'] as const;
export type Direction = (typeof DIRECTIONS)[number];

export const OUTCOMES = ['answered', 'missed', 'unknown'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** How an agent's ringing (a leg) ended. */
export const LEG_END_REASONS = [
  'answered', // this agent answered
  'taken', // another agent answered while this phone rang
  'no_answer', // rang out / queue moved on (AgentRingNoAnswer, DialStatus NOANSWER)
  'busy', // DialStatus BUSY / CHANUNAVAIL / CONGESTION
  'caller_gone', // the caller hung up / abandoned while it rang
] as const;
export type LegEndReason = (typeof LEG_END_REASONS)[number];

/** One agent phone the call rang (a new leg each time the same agent is rung again). */
export interface Leg {
  extension: string;
  ringAt: Date;
  answeredAt: Date | null;
  /** When this agent's part ended: ringing stopped without answer, or the answered leg hung up / transferred away. */
  endedAt: Date | null;
  /** How the ringing ended; null while still ringing. */
  endReason: LegEndReason | null;
  /** How the agent was reached when not by ringing: `pickup` (took a colleague's ringing call). */
  via?: 'pickup';
}

/** What the PBX recorded of a call: a recording of the conversation, or a voicemail the caller left. */
export const RECORDING_KINDS = ['recording', 'voicemail'] as const;
export type RecordingKind = (typeof RECORDING_KINDS)[number];

export interface Recording {
  kind: RecordingKind;
  /** The file as the PBX names it (its own path; a voicemail's without extension). */
  file: string;
  /** Recording: when MixMonitor started; voicemail: when the PBX said the message was saved. */
  startedAt: Date;
  /** Voicemail: the mailbox it was left in (`100@support`), once the PBX says so. */
  mailbox?: string;
}

export interface Call {
  pbx: string;
  linkedid: string;
  direction: Direction;
  supportLine: boolean;
  /** E.164, or null when withheld / unparseable. */
  callerNumber: string | null;
  callerNumberRaw: string | null;
  callerName: string | null;
  /** E.164 of the dialled number for inbound calls (null when unknown). */
  did: string | null;
  /** For outbound calls: the external number dialled (E.164), else null. */
  calledNumber: string | null;
  queue: string | null;
  startedAt: Date;
  answeredAt: Date | null;
  /** Extension of the first agent who answered. */
  answeredBy: string | null;
  /** Extension of the agent who currently owns the call (last one to answer; changes on transfer). */
  owner: string | null;
  endedAt: Date | null;
  /** null while live. */
  outcome: Outcome | null;
  hangupCause: string | null;
  afterHours: boolean;
  /**
   * The caller's number was blocked when the call began (inbound only): the call is logged but
   * opens no draft, pops up nowhere, reaches no call-back and counts in no figure.
   */
  blocked: boolean;
  /** Part of the call happened while the service could not see the PBX. */
  gap: boolean;
  legs: Leg[];
  /** Recordings and voicemail the PBX made of this call, in the order they started. */
  recordings: Recording[];
}

/** What happened to a call, in the order it happened. Each fact carries the call as it is after the fact. */
export type CallHappening =
  | { kind: 'call.started'; call: Call }
  /** The call's classification/caller/DID changed after start (e.g. DID learned from a later event). */
  | { kind: 'call.updated'; call: Call }
  | { kind: 'leg.ringing'; call: Call; extension: string }
  /** An agent answered. `first` is true for the call's first agent answer. */
  | { kind: 'leg.answered'; call: Call; extension: string; first: boolean }
  /** An agent's phone stopped ringing without being answered by that agent. */
  | { kind: 'leg.ring_stopped'; call: Call; extension: string; reason: Exclude<LegEndReason, 'answered'> }
  /** Ownership moved from one agent to another (blind or attended transfer, or a queue/ring group handing over). */
  | { kind: 'call.transferred'; call: Call; from: string; to: string }
  | { kind: 'call.ended'; call: Call };

/**
 * A fact, with what the tracker's user keeps for the call (`attached`, made by the tracker's
 * `attach` when the call opens): the same object in all of one call's facts, so that user needs no
 * map of live calls of its own.
 */
export type CallFact<A = unknown> = CallHappening & { attached: A };

export type CallFactKind = CallFact['kind'];
