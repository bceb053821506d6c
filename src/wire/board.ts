// The supervisors' live board: each agent's presence, the callers waiting, today's figures.
import { Type, type Static } from '@sinclair/typebox';
import { PRESENCES } from '../supervision/presence';
import { Iso, Nullable, NullableIso } from './common';

const NStr = Nullable(Type.String());

export const BoardAgentBody = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    extension: NStr,
    presence: Type.Union(PRESENCES.map((p) => Type.Literal(p))),
    /** Since when the agent is in this state; null when offline. */
    since: NullableIso,
    /** The call the agent is ringing for or talking on. */
    callId: NStr,
    /** The other party's number on that call. */
    withNumber: NStr,
    /** The PBX that call is on. */
    callPbx: NStr,
    /** The PBX's queue pause reason, when paused. */
    pausedReason: NStr,
  },
  { additionalProperties: false },
);

export const WaitingCallerBody = Type.Object(
  { callId: Type.String(), callerNumber: NStr, queue: NStr, since: Iso, /** The PBX the caller is on. */ pbx: Type.String() },
  { additionalProperties: false },
);

const Count = Type.Integer({ minimum: 0 });
const Seconds = Nullable(Type.Number({ minimum: 0 }));

/** Today's support-line calls (the support time zone's calendar day; blocked numbers excluded). */
export const TodayBody = Type.Object(
  {
    calls: Count,
    answered: Count,
    missed: Count,
    abandoned: Count,
    shortAbandoned: Count,
    /** Answered within the service-level threshold ÷ (answered + missed − short abandons), 0…1. */
    serviceLevel: Nullable(Type.Number({ minimum: 0, maximum: 1 })),
    asaSeconds: Seconds,
    ahtSeconds: Seconds,
    /** Missed callers waiting for a call back, and how many of them are past due. */
    callbacksDue: Count,
    callbacksOverdue: Count,
    /** Requests whose customer wrote and waits for an agent to act (any day), and since when the longest has waited. */
    customersWaiting: Count,
    customersWaitingSince: NullableIso,
  },
  { additionalProperties: false },
);

/** One PBX's part of the board: is it connected, its calls now and today. */
export const BoardPbxBody = Type.Object(
  {
    /** The PBX's id in the configuration (`pbx[].id`). */
    id: Type.String(),
    /** The AMI connection is up (as the instance ingesting this PBX last said). */
    connected: Type.Boolean(),
    /** The last event read from it, by this instance; null before any (or when another instance reads it). */
    lastEventAt: NullableIso,
    /** Calls going on through it now (any direction; blocked callers left out). */
    liveCalls: Count,
    /** Its callers waiting for an answer (listed in the board's `waiting`, with their `pbx`). */
    waiting: Count,
    /** Today's support-line calls through it (call backs and waiting customers are per request, so only in `today`). */
    today: Type.Omit(TodayBody, ['callbacksDue', 'callbacksOverdue', 'customersWaiting', 'customersWaitingSince'], { additionalProperties: false }),
  },
  { additionalProperties: false },
);

export const BoardBody = Type.Object(
  {
    agents: Type.Array(BoardAgentBody),
    /** Every PBX's waiting callers, oldest first. */
    waiting: Type.Array(WaitingCallerBody),
    /** Every PBX's calls together. */
    today: TodayBody,
    /** Each configured PBX, in the configuration's order. */
    pbx: Type.Array(BoardPbxBody),
    /** Many customers calling at once (an outage?), or null. */
    surge: Nullable(Type.Object({ since: Iso, calls: Count, numbers: Count, callIds: Type.Array(Type.String()) }, { additionalProperties: false })),
    at: Iso,
  },
  { additionalProperties: false },
);
export type Board = Static<typeof BoardBody>;
export type BoardAgent = Static<typeof BoardAgentBody>;
export type BoardPbx = Static<typeof BoardPbxBody>;
