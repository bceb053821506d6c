// What the tracker keeps per live call, beyond the public `Call`: its live channels and how
// each agent's ringing is going. Everything here is bounded by the call's live channels and legs.
import type { ChannelStateName } from './events';
import type { ChannelClassifier, ChannelRole } from './channels';
import type { Call, CallFact, Leg } from './model';

/** Configuration the call rules need; built once by the tracker. */
export interface CallContext {
  pbx: string;
  /** E.164 support numbers. */
  supportNumbers: ReadonlySet<string>;
  /** E.164 DID per trunk peer, for carriers that deliver calls to `s`. */
  trunkDids: ReadonlyMap<string, string>;
  classifier: ChannelClassifier;
  isAfterHours: (at: Date) => boolean;
  /** Whether calls from this E.164 number starting at `at` are blocked (an in-memory look-up: the hot path). */
  isBlocked: (e164: string, at: Date) => boolean;
}

/** A channel as the call model needs it (from an AMI event or a live-channel answer). */
export interface ChannelSeed {
  uniqueid: string;
  linkedid: string;
  channel: string;
  state: ChannelStateName;
  callerIdNum: string | null;
  callerIdName: string | null;
  connectedLineNum: string | null;
  exten: string | null;
}

export interface ChannelState {
  uniqueid: string;
  name: string;
  role: ChannelRole;
  /** Agent extension (agent phones; Local channels that dial one). */
  extension: string | null;
  /** Trunk peer name (trunks). */
  trunk: string | null;
  /** The call's first channel: the caller's side. */
  originator: boolean;
  /** The agent leg this phone channel serves (agent phones that are not the originator). */
  leg: LegState | null;
  /** The file named for this channel's next recording, until the recording starts. */
  recordingFile?: string;
}

export interface LegState {
  /** The object in `call.legs`. */
  leg: Leg;
  /** How many live phone channels serve this leg (a PJSIP endpoint with two contacts rings twice). */
  channels: number;
  /** `CallState.answers` when this leg started ringing: a later answer means it was taken. */
  ringSeq: number;
  /** The PBX cancelled the ringing but the reason (taken? caller gone?) is not known yet. */
  stoppingAt: Date | null;
}

export interface CallState {
  call: Call;
  /** What the tracker's user keeps for this call (see `CallFact`); opaque here. */
  attached: unknown;
  channels: Map<string, ChannelState>;
  /** Parallel to `call.legs`. */
  legs: LegState[];
  /** Agent answers so far in this call. */
  answers: number;
  /** The caller's side hung up / abandoned: ringing that stops now stops because of them. */
  callerGone: boolean;
  /** A transfer with no agent target yet (blind, to an app): the next agent to answer takes over from this one. */
  transferFrom: string | null;
  /** The agent who placed the call (outbound/internal calls from an agent's phone). */
  originAgent: string | null;
  /**
   * False for a call restored after a restart until reconcile has found its live channels:
   * until then a hang-up of the few channels known must not end it.
   */
  synced: boolean;
  /** Cause of the most recent channel hang-up, for calls whose originator we did not see hang up. */
  lastCause: string | null;
  /**
   * The call was first seen part-way (an event of a call we never saw start, after a reconnect):
   * if no answer is seen, whether one happened is unknown rather than `missed`.
   */
  seenMidway?: boolean;
}

/** Legs kept per call. Beyond it, the oldest unanswered ones are dropped (a queue retrying for an hour). */
export const MAX_LEGS = 64;

/** Recordings kept per call (a dialplan re-recording at every transfer stays far below). */
export const MAX_RECORDINGS = 32;

/** A copy of the call, so facts stay true after the call moves on (recordings are never changed in place). */
export function snapshot(call: Call): Call {
  const legs = new Array<Leg>(call.legs.length);
  for (let i = 0; i < legs.length; i++) legs[i] = { ...call.legs[i] };
  return { ...call, legs, recordings: call.recordings.slice() };
}

export function emitCall(out: CallFact[], kind: 'call.started' | 'call.updated' | 'call.ended', s: CallState): void {
  out.push({ kind, call: snapshot(s.call), attached: s.attached });
}

/** Is agent `ext` still on the call with a phone channel? */
export function agentPresent(s: CallState, ext: string): boolean {
  for (const ch of s.channels.values()) {
    if (ch.role === 'agent' && ch.extension === ext) return true;
  }
  return false;
}
