// What the screen pop shows of a caller, as both the single lookup (caller-lookup.ts) and
// the write batch (call-store.ts) read it: the shape, and the open statuses as an SQL list.
import { OPEN_STATUSES } from '../tickets/ticket';
import type { Caller } from '../wire/caller';

/** What the screen pop shows of a caller (its one declaration: wire/caller.ts). */
export type CallerInfo = Caller;

/** `(…)`: the open statuses as an SQL list. */
export const OPEN_SQL = `(${OPEN_STATUSES.map((s) => `'${s}'`).join(', ')})`;
