// The call as the API and the WebSocket show it (README: HTTP API, WebSocket), built from its stored row.
import type { Static } from '@sinclair/typebox';
import type { AgentDirectory } from '../services/agent-directory';
import type { CallBody } from '../wire/call';
import type { CallRow } from '../db/rows';

/** As the API and sockets show it: the wire schema (src/wire/call.ts) is its one declaration. */
export type CallView = Static<typeof CallBody>;

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

function agentRef(directory: AgentDirectory, id: string | null, ext: string | null) {
  if (!ext) return null;
  const a = id ? directory.byId(id) : directory.byExtension(ext);
  return { id: a?.id ?? id ?? null, login: a?.login ?? null, extension: ext };
}

export function callView(row: CallRow, ticketIds: string[], directory: AgentDirectory): CallView {
  return {
    id: row.id,
    pbx: row.pbx,
    linkedid: row.linkedid,
    direction: row.direction,
    supportLine: row.support_line,
    callerNumber: row.caller_number,
    callerNumberRaw: row.caller_number_raw,
    callerName: row.caller_name,
    did: row.did,
    calledNumber: row.called_number,
    queue: row.queue,
    startedAt: iso(row.started_at)!,
    answeredAt: iso(row.answered_at),
    endedAt: iso(row.ended_at),
    outcome: row.outcome,
    answeredBy: agentRef(directory, row.answered_by, row.answered_by_extension),
    owner: agentRef(directory, null, row.owner_extension),
    afterHours: row.after_hours,
    blocked: row.blocked,
    gap: row.gap,
    hangupCause: row.hangup_cause,
    legs: row.legs,
    recordings: row.recordings ?? [],
    ticketIds,
  };
}
