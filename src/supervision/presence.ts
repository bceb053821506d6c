// Who is doing what, for the live board: each agent's presence from their open sockets, the
// PBX's live calls and their queue pauses; and the callers still waiting for an agent.
// Pure: the board service hands in what it read.

export const PRESENCES = ['offline', 'available', 'ringing', 'on_call', 'paused'] as const;
export type Presence = (typeof PRESENCES)[number];

export interface BoardAgentInput {
  id: string;
  name: string;
  extension: string | null;
}

/** A live call as the board needs it. */
export interface LiveCallInput {
  id: string;
  supportLine: boolean;
  direction: string;
  callerNumber: string | null;
  calledNumber: string | null;
  queue: string | null;
  startedAt: Date;
  answeredAt: Date | null;
  legs: { extension: string; ringAt: Date; answeredAt: Date | null; endedAt: Date | null }[];
}

export interface PauseInput {
  reason: string | null;
  since: Date;
}

export interface AgentPresence {
  id: string;
  name: string;
  extension: string | null;
  presence: Presence;
  /** Since when the agent is in this state (null when offline: not known). */
  since: Date | null;
  /** The call that makes the agent ringing or on a call. */
  callId: string | null;
  /** Whom the agent is talking to or being rung for: the other party's number. */
  withNumber: string | null;
  pausedReason: string | null;
}

export interface WaitingCaller {
  callId: string;
  callerNumber: string | null;
  queue: string | null;
  since: Date;
}

export interface PresenceInput {
  agents: BoardAgentInput[];
  /** Agents with an open socket, and since when. */
  online: ReadonlyMap<string, Date>;
  liveCalls: LiveCallInput[];
  /** Queue pauses by extension. */
  pauses: ReadonlyMap<string, PauseInput>;
}

const otherParty = (c: LiveCallInput) => (c.direction === 'outbound' ? c.calledNumber : c.callerNumber);

/** Each agent's presence: on a call, else ringing, else paused, else available (socket open), else offline. */
export function agentPresences(input: PresenceInput): AgentPresence[] {
  const talking = new Map<string, { call: LiveCallInput; since: Date }>();
  const ringing = new Map<string, { call: LiveCallInput; since: Date }>();
  for (const call of input.liveCalls) {
    for (const leg of call.legs) {
      if (leg.endedAt !== null) continue;
      const into = leg.answeredAt !== null ? talking : ringing;
      const since = leg.answeredAt ?? leg.ringAt;
      const known = into.get(leg.extension);
      if (!known || known.since > since) into.set(leg.extension, { call, since });
    }
  }
  return input.agents.map((a) => {
    const base = { id: a.id, name: a.name, extension: a.extension, callId: null, withNumber: null, pausedReason: null };
    const ext = a.extension;
    const onCall = ext ? talking.get(ext) : undefined;
    if (onCall) return { ...base, presence: 'on_call', since: onCall.since, callId: onCall.call.id, withNumber: otherParty(onCall.call) };
    const rung = ext ? ringing.get(ext) : undefined;
    if (rung) return { ...base, presence: 'ringing', since: rung.since, callId: rung.call.id, withNumber: otherParty(rung.call) };
    const pause = ext ? input.pauses.get(ext) : undefined;
    if (pause) return { ...base, presence: 'paused', since: pause.since, pausedReason: pause.reason };
    const online = input.online.get(a.id);
    if (online) return { ...base, presence: 'available', since: online };
    return { ...base, presence: 'offline', since: null };
  });
}

/** Support-line callers no agent has answered yet, the longest waiting first. */
export function waitingCallers(liveCalls: LiveCallInput[]): WaitingCaller[] {
  return liveCalls
    .filter((c) => c.supportLine && c.direction === 'inbound' && c.answeredAt === null)
    .sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime())
    .map((c) => ({ callId: c.id, callerNumber: c.callerNumber, queue: c.queue, since: c.startedAt }));
}
