import { Type, type Static } from '@sinclair/typebox';
import { OUTCOMES, DIRECTIONS, LEG_END_REASONS, RECORDING_KINDS } from '../calls/model';
import { Limit } from './common';

const Str = Type.String();
const NStr = Type.Union([Type.String(), Type.Null()]);
/** An agent as a call sees them: by extension, with the agent it belongs to when one is known. */
export const PhoneAgentBody = Type.Object({ id: NStr, login: NStr, extension: Str });
export type PhoneAgent = Static<typeof PhoneAgentBody>;
const AgentRef = Type.Union([PhoneAgentBody, Type.Null()]);

export const LegBody = Type.Object({
  extension: Str,
  agentId: NStr,
  ringAt: Str,
  answeredAt: NStr,
  endedAt: NStr,
  endReason: Type.Union([...LEG_END_REASONS.map((r) => Type.Literal(r)), Type.Null()]),
  /** Present when the agent took the call by call pickup instead of being rung. */
  via: Type.Optional(Type.Literal('pickup')),
});
export type Leg = Static<typeof LegBody>;

export const RecordingBody = Type.Object({
  kind: Type.Union(RECORDING_KINDS.map((k) => Type.Literal(k))),
  /** The file as the PBX names it (its own path; a voicemail's without extension). */
  file: Str,
  startedAt: Str,
  /** Voicemail: the mailbox the message was left in. */
  mailbox: Type.Optional(Str),
  /**
   * Only in `GET /api/calls/:id`: whether the file is found under RECORDINGS_DIR, so that
   * `GET /api/calls/:id/recordings/:n` plays it (n = its index in `recordings`).
   */
  available: Type.Optional(Type.Boolean()),
});
export type Recording = Static<typeof RecordingBody>;

export const CallBody = Type.Object({
  id: Str,
  pbx: Str,
  linkedid: Str,
  direction: Type.Union(DIRECTIONS.map((d) => Type.Literal(d))),
  supportLine: Type.Boolean(),
  callerNumber: NStr,
  callerNumberRaw: NStr,
  callerName: NStr,
  did: NStr,
  calledNumber: NStr,
  queue: NStr,
  startedAt: Str,
  answeredAt: NStr,
  endedAt: NStr,
  outcome: Type.Union([...OUTCOMES.map((o) => Type.Literal(o)), Type.Null()]),
  answeredBy: AgentRef,
  owner: AgentRef,
  afterHours: Type.Boolean(),
  /** The caller's number was blocked when the call began: logged only (no draft, no pop, no call-back, in no figure). */
  blocked: Type.Boolean(),
  gap: Type.Boolean(),
  hangupCause: NStr,
  legs: Type.Array(LegBody),
  /** Recordings (MixMonitor) and voicemail the PBX made of the call, in the order they started. */
  recordings: Type.Array(RecordingBody),
  ticketIds: Type.Array(Str),
});
export type Call = Static<typeof CallBody>;

export const CallListQuery = Type.Object(
  {
    since: Type.Optional(Type.String({ format: 'date-time' })),
    until: Type.Optional(Type.String({ format: 'date-time' })),
    agentId: Type.Optional(Type.String({ format: 'uuid' })),
    outcome: Type.Optional(Type.Union(OUTCOMES.map((o) => Type.Literal(o)))),
    direction: Type.Optional(Type.Union(DIRECTIONS.map((d) => Type.Literal(d)))),
    callerNumber: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
    supportLine: Type.Optional(Type.Boolean()),
    afterHours: Type.Optional(Type.Boolean()),
    blocked: Type.Optional(Type.Boolean()),
    /** The PBX queue the call waited in. */
    queue: Type.Optional(Type.String({ minLength: 1, maxLength: 80 })),
    /** Part of the call happened while the PBX was out of sight. */
    gap: Type.Optional(Type.Boolean()),
    live: Type.Optional(Type.Boolean()),
    limit: Type.Optional(Limit),
    cursor: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);
export type CallListQuery = Static<typeof CallListQuery>;
