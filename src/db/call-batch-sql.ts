// The statements of one call batch (call-store.ts). Each takes its rows as one JSON document (or
// two) and refers to calls by (pbx, linkedid). Each is prepared on a connection the first time a
// batch there needs it (BATCH_STATEMENTS): later batches only name them, with their JSON in string
// literals (see jsonLiteral there), and PostgreSQL neither parses nor plans them again.
import { OPEN_SQL, callsOfNumberSql } from './caller-sql';
import type { CallRow } from './rows';
import { TICKET_SELECT } from './rows';

/** The calls of a set of keys: a row source of (call_id) plus the JSON's other columns. */
const keyed = (json: string, columns: string) => `
  SELECT c.id AS call_id, u.* FROM json_to_recordset(${json}::json) AS u(pbx text, linkedid text${columns ? ', ' + columns : ''})
    JOIN call c ON c.pbx = u.pbx AND c.linkedid = u.linkedid`;

export const callUpsert = (json: string) => `
  INSERT INTO call (id, pbx, linkedid, direction, support_line, caller_number, caller_number_raw, caller_name, did,
    called_number, queue, started_at, answered_at, ended_at, outcome, answered_by_extension, answered_by, owner_extension,
    after_hours, blocked, gap, hangup_cause, legs, agent_ids, recordings, updated_at)
  SELECT u.id, u.pbx, u.linkedid, u.direction, u.support_line, u.caller_number, u.caller_number_raw, u.caller_name, u.did,
    u.called_number, u.queue, u.started_at, u.answered_at, u.ended_at, u.outcome, u.answered_by_extension, u.answered_by,
    u.owner_extension, u.after_hours, u.blocked, u.gap, u.hangup_cause, u.legs, u.agent_ids, u.recordings, now()
  FROM json_to_recordset(${json}::json) AS u(id uuid, pbx text, linkedid text, direction text, support_line boolean,
    caller_number text, caller_number_raw text, caller_name text, did text, called_number text, queue text,
    started_at timestamptz, answered_at timestamptz, ended_at timestamptz, outcome text, answered_by_extension text,
    answered_by uuid, owner_extension text, after_hours boolean, blocked boolean, gap boolean, hangup_cause text, legs jsonb, agent_ids uuid[],
    recordings jsonb)
  ON CONFLICT (pbx, linkedid) DO UPDATE SET
    direction = EXCLUDED.direction, support_line = EXCLUDED.support_line, caller_number = EXCLUDED.caller_number,
    caller_number_raw = EXCLUDED.caller_number_raw, caller_name = EXCLUDED.caller_name, did = EXCLUDED.did,
    called_number = EXCLUDED.called_number, queue = EXCLUDED.queue,
    started_at = LEAST(call.started_at, EXCLUDED.started_at),
    answered_at = COALESCE(call.answered_at, EXCLUDED.answered_at),
    answered_by_extension = COALESCE(call.answered_by_extension, EXCLUDED.answered_by_extension),
    answered_by = COALESCE(call.answered_by, EXCLUDED.answered_by),
    ended_at = EXCLUDED.ended_at, outcome = EXCLUDED.outcome, owner_extension = EXCLUDED.owner_extension,
    after_hours = EXCLUDED.after_hours, blocked = EXCLUDED.blocked, gap = call.gap OR EXCLUDED.gap, hangup_cause = EXCLUDED.hangup_cause,
    legs = EXCLUDED.legs, agent_ids = EXCLUDED.agent_ids, recordings = EXCLUDED.recordings, updated_at = now()
  RETURNING id, pbx, linkedid`;

// New drafts and their link to the call; a draft made earlier for the same call (a restart,
// another instance) is kept. The next statement reads back the drafts as stored, either way.
export const draftInsert = (json: string) => `
  WITH ins AS (
    INSERT INTO ticket (id, status, channel, caller_number, origin_call_id, created_at, updated_at)
    SELECT d.id, 'draft', 'phone', d.caller_number, d.call_id, d.created_at, d.created_at
      FROM (${keyed(json, 'id uuid, caller_number text, created_at timestamptz')}) d
    ON CONFLICT (origin_call_id) WHERE origin_call_id IS NOT NULL DO NOTHING
    RETURNING id, origin_call_id, created_at
  )
  INSERT INTO ticket_call (ticket_id, call_id, linked_at) SELECT id, origin_call_id, created_at FROM ins ON CONFLICT DO NOTHING`;

export const draftSelect = (json: string) => `
  SELECT ${TICKET_SELECT} FROM ticket t WHERE t.origin_call_id IN (SELECT call_id FROM (${keyed(json, '')}) k)`;

// Request changes are decided by the request rules between two round trips (call-store.ts): the
// first loads, under lock, every draft the ops may touch — their own calls' drafts and the drafts
// waiting for a call back from the numbers reached — the second stores what was decided.
// Each side through its own index (the call's draft by origin_call_id, the call-back drafts by
// number): as an OR of the two, PostgreSQL walked every draft of the table for each batch.
export const opDraftsSelect = (keys: string, numbers: string) => `
  SELECT ${TICKET_SELECT}, c.pbx AS origin_pbx, c.linkedid AS origin_linkedid
    FROM ticket t LEFT JOIN call c ON c.id = t.origin_call_id
   WHERE t.status = 'draft'
     AND t.id IN (
       SELECT d.id FROM ticket d WHERE d.origin_call_id IN (SELECT call_id FROM (${keyed(keys, '')}) k)
       UNION
       SELECT d.id FROM ticket d
        WHERE d.callback_needed AND d.caller_number = ANY (ARRAY(SELECT value FROM json_array_elements_text(${numbers}::json))))
   ORDER BY t.id
   FOR UPDATE OF t`;

/** The next state of each changed request (the rows are locked: the versions are the ones loaded). */
export const ticketsUpdate = (json: string) => `
  UPDATE ticket t SET number = u.number, status = u.status, priority = u.priority, subject = u.subject,
         description = u.description, technical_details = u.technical_details, solution = u.solution,
         assignees = u.assignees, registered_at = u.registered_at, completed_at = u.completed_at, closed_at = u.closed_at,
         close_reason = u.close_reason, discard_reason = u.discard_reason, auto_close_at = u.auto_close_at,
         number_told = u.number_told, callback_needed = u.callback_needed, callback_due_at = u.callback_due_at,
         version = u.version, updated_at = u.at
    FROM json_to_recordset(${json}::json) AS u(id uuid, number text, status text, priority text, subject text, description text,
         technical_details text, solution text, assignees uuid[], registered_at timestamptz, completed_at timestamptz,
         closed_at timestamptz, close_reason text, discard_reason text, auto_close_at timestamptz, number_told boolean,
         callback_needed boolean, callback_due_at timestamptz, version int, at timestamptz)
   WHERE t.id = u.id`;

export const linksInsert = (json: string) => `
  INSERT INTO ticket_call (ticket_id, call_id, linked_at)
  SELECT u.ticket_id, u.call_id, u.at FROM json_to_recordset(${json}::json) AS u(ticket_id uuid, call_id uuid, at timestamptz)
  ON CONFLICT DO NOTHING`;

export const journalInsert = (json: string) => `
  INSERT INTO ticket_events (ticket_id, at, actor, on_behalf_of, call_id, kind, data)
  SELECT u.ticket_id, u.at, NULL, u.on_behalf_of, u.call_id, u.kind, u.data
    FROM json_to_recordset(${json}::json) AS u(ord int, ticket_id uuid, at timestamptz, on_behalf_of text, call_id uuid, kind text, data jsonb)
   ORDER BY u.ord`;

export const ticketsSelect = (json: string) => `
  SELECT ${TICKET_SELECT} FROM ticket t WHERE t.id IN (SELECT value::uuid FROM json_array_elements_text(${json}::json))`;

// The callers' histories, all at once, as db/caller-lookup.ts answers for one number:
// their ten latest other calls, and their open requests (completed ones first, they wait for the
// caller's confirmation).
export const callerCalls = (json: string) => `
  SELECT u.i, c.id, c.started_at, c.direction, c.outcome, c.answered_by_extension, c.support_line
    FROM json_to_recordset(${json}::json) AS u(i int, number text, linkedid text)
    CROSS JOIN LATERAL (${callsOfNumberSql('u.number', 'u.linkedid')}) c
   ORDER BY u.i, c.started_at DESC`;

export const callerTickets = (json: string) => `
  SELECT u.i, x.* FROM json_to_recordset(${json}::json) AS u(i int, number text)
    CROSS JOIN LATERAL (
      SELECT ${TICKET_SELECT}, (t.status = 'completed') AS waiting FROM ticket t
       WHERE t.caller_number = u.number AND t.status IN ${OPEN_SQL}
       ORDER BY (t.status = 'completed') DESC, t.created_at DESC LIMIT 20) x
   ORDER BY u.i, x.waiting DESC, x.created_at DESC`;

/** A call row as the upsert's JSON reads it (legs and recordings stay JSON arrays; agent ids become uuid[]). */
export function callJson(c: CallRow) {
  return {
    id: c.id, pbx: c.pbx, linkedid: c.linkedid, direction: c.direction, support_line: c.support_line, caller_number: c.caller_number,
    caller_number_raw: c.caller_number_raw, caller_name: c.caller_name, did: c.did, called_number: c.called_number, queue: c.queue,
    started_at: c.started_at, answered_at: c.answered_at, ended_at: c.ended_at, outcome: c.outcome,
    answered_by_extension: c.answered_by_extension, answered_by: c.answered_by, owner_extension: c.owner_extension,
    after_hours: c.after_hours, blocked: c.blocked, gap: c.gap, hangup_cause: c.hangup_cause, legs: c.legs, agent_ids: c.agent_ids,
    recordings: c.recordings,
  };
}

/** A statement of the batch as prepared on a connection: its name, and how many JSON documents it takes. */
export interface BatchStatement {
  name: string;
  params: number;
  sql: string;
}

const prepared = (name: string, build: (...json: string[]) => string): BatchStatement => {
  const params = build.length;
  return { name: `calldesk_batch_${name}`, params, sql: build(...Array.from({ length: params }, (_, i) => `$${i + 1}`)) };
};

export const BATCH_STATEMENTS = {
  callUpsert: prepared('call_upsert', callUpsert),
  draftInsert: prepared('draft_insert', draftInsert),
  draftSelect: prepared('draft_select', draftSelect),
  opDraftsSelect: prepared('op_drafts_select', opDraftsSelect),
  ticketsUpdate: prepared('tickets_update', ticketsUpdate),
  linksInsert: prepared('links_insert', linksInsert),
  journalInsert: prepared('journal_insert', journalInsert),
  ticketsSelect: prepared('tickets_select', ticketsSelect),
  callerCalls: prepared('caller_calls', callerCalls),
  callerTickets: prepared('caller_tickets', callerTickets),
} satisfies Record<string, BatchStatement>;

/** Prepares a statement of the batch on the connection it runs on (once per connection). */
export const prepare = (s: BatchStatement) => `PREPARE ${s.name}(${Array(s.params).fill('json').join(', ')}) AS ${s.sql}`;

/** A prepared batch statement run with its JSON documents (SQL string literals). */
export const execute = (s: BatchStatement, ...literals: string[]) => {
  if (literals.length !== s.params) throw new Error(`${s.name} takes ${s.params} documents, given ${literals.length}`);
  return `EXECUTE ${s.name}(${literals.join(', ')})`;
};
