// What the screen pop shows of a caller, as both the single lookup (caller-lookup.ts) and
// the write batch (call-store.ts) read it: the shape, and the open statuses as an SQL list.
import { OPEN_STATUSES } from '../tickets/ticket';
import type { Caller } from '../wire/caller';

/** What the screen pop shows of a caller (its one declaration: wire/caller.ts). */
export type CallerInfo = Caller;

/** `(…)`: the open statuses as an SQL list. */
export const OPEN_SQL = `(${OPEN_STATUSES.map((s) => `'${s}'`).join(', ')})`;

/**
 * The ten latest calls from or to a number, but the one given (`linkedid`): SQL for a row source
 * whose `number` and `linkedid` are the expressions given. Each side is read through its own index
 * (number, started_at) and only then merged: `caller_number = n OR called_number = n` sorted by
 * time would let the planner walk every call newest first looking for the number — for a caller
 * who never called before, the whole table (a burst of new callers made that quadratic).
 */
export function callsOfNumberSql(number: string, linkedid: string): string {
  const side = (column: string) => `(SELECT id, linkedid, started_at, direction, outcome, answered_by_extension, support_line FROM call
           WHERE ${column} = ${number} ORDER BY started_at DESC LIMIT 11)`;
  return `SELECT id, started_at, direction, outcome, answered_by_extension, support_line
      FROM (${side('caller_number')} UNION ${side('called_number')}) AS either
     WHERE linkedid IS DISTINCT FROM ${linkedid}
     ORDER BY started_at DESC LIMIT 10`;
}
