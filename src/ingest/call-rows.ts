// A call of the model as a row to store: agents resolved from extensions.
import type { Call, Recording } from '../calls/model';
import type { StoredLeg, StoredRecording } from '../db/rows';
import type { AgentDirectory } from '../services/agent-directory';
import type { CallRow } from '../db/rows';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function callToRow(call: Call, id: string, directory: AgentDirectory): CallRow {
  const agentIds = new Set<string>();
  const legs: StoredLeg[] = call.legs.map((l) => {
    const agentId = directory.byExtension(l.extension)?.id ?? null;
    if (agentId) agentIds.add(agentId);
    const row: StoredLeg = { extension: l.extension, agentId, ringAt: l.ringAt.toISOString(), answeredAt: iso(l.answeredAt), endedAt: iso(l.endedAt), endReason: l.endReason };
    if (l.via) row.via = l.via;
    return row;
  });
  return {
    id,
    pbx: call.pbx,
    linkedid: call.linkedid,
    direction: call.direction,
    support_line: call.supportLine,
    caller_number: call.callerNumber,
    caller_number_raw: call.callerNumberRaw,
    caller_name: call.callerName,
    did: call.did,
    called_number: call.calledNumber,
    queue: call.queue,
    started_at: call.startedAt,
    answered_at: call.answeredAt,
    ended_at: call.endedAt,
    outcome: call.outcome,
    answered_by_extension: call.answeredBy,
    answered_by: directory.byExtension(call.answeredBy)?.id ?? null,
    owner_extension: call.owner,
    after_hours: call.afterHours,
    blocked: call.blocked,
    gap: call.gap,
    hangup_cause: call.hangupCause,
    legs,
    agent_ids: [...agentIds],
    recordings: call.recordings.map(storedRecording),
  };
}

function storedRecording(r: Recording): StoredRecording {
  const row: StoredRecording = { kind: r.kind, file: r.file, startedAt: r.startedAt.toISOString() };
  if (r.mailbox !== undefined) row.mailbox = r.mailbox;
  return row;
}

/** A stored live call back into the model (after a restart). */
export function rowToCall(row: CallRow): Call {
  const d = (v: Date | string | null) => (v === null ? null : new Date(v));
  return {
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
    startedAt: new Date(row.started_at),
    answeredAt: d(row.answered_at),
    answeredBy: row.answered_by_extension,
    owner: row.owner_extension,
    endedAt: d(row.ended_at),
    outcome: row.outcome,
    hangupCause: row.hangup_cause,
    afterHours: row.after_hours,
    blocked: row.blocked,
    gap: row.gap,
    legs: row.legs.map((l) => ({
      extension: l.extension,
      ringAt: new Date(l.ringAt),
      answeredAt: d(l.answeredAt),
      endedAt: d(l.endedAt),
      endReason: l.endReason,
      ...(l.via ? { via: l.via } : {}),
    })),
    recordings: (row.recordings ?? []).map((r) => ({
      kind: r.kind,
      file: r.file,
      startedAt: new Date(r.startedAt),
      ...(r.mailbox !== undefined ? { mailbox: r.mailbox } : {}),
    })),
  };
}
