// Opaque keyset cursors: the sort key of the last item, so the next page is an index range scan
// (no OFFSET), stable while rows are added. A bad cursor is the caller's mistake (400 at the edge).
import { ValidationError } from '../tickets/errors';

export function encodeCursor(values: (string | number)[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

export function decodeCursor(cursor: string | undefined, arity: number): (string | number)[] | null {
  if (!cursor) return null;
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(v) && v.length === arity && v.every((x) => typeof x === 'string' || typeof x === 'number')) return v;
  } catch {
    // fall through
  }
  throw new ValidationError('cursor', `querystring field 'cursor' is invalid`);
}

/**
 * SQL for a timestamp exactly as stored (microseconds), for a cursor: a JavaScript Date keeps only
 * milliseconds, and a cursor rounded down repeats or skips the rows at a page's edge.
 */
export const exactTime = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
