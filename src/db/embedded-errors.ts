// Why the embedded PostgreSQL could not start, in words a user can act on: what happened, then
// what to do. The service prints the message alone (no stack), so it has to say everything.

const WAYS_OUT = 'set DATA_DIR to another directory, or DATABASE_URL to a PostgreSQL server of your own';

export class EmbeddedDatabaseError extends Error {
  constructor(what: string, todo: string) {
    super(`the embedded PostgreSQL cannot start: ${what}. What to do: ${todo}.`);
    this.name = 'EmbeddedDatabaseError';
  }
}

/** A file-system failure (mkdir, copy, write) while preparing `where`. */
export function fsProblem(err: unknown, where: string, doing: string): Error {
  if (err instanceof EmbeddedDatabaseError) return err;
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    const why = code === 'EROFS' ? 'is on a read-only file system' : 'is not writable for this user';
    return new EmbeddedDatabaseError(`could not ${doing} ${where}: it ${why}`, `${WAYS_OUT}; or run calldesk as the user who owns it`);
  }
  if (code === 'ENOSPC' || code === 'EDQUOT') return diskFull(where);
  return new EmbeddedDatabaseError(`could not ${doing} ${where} (${(err as Error).message})`, WAYS_OUT);
}

function diskFull(where: string): EmbeddedDatabaseError {
  return new EmbeddedDatabaseError(`the disk holding ${where} is full`, `free some space there, or ${WAYS_OUT} on another disk`);
}

/** What initdb or postgres wrote before failing, turned into the reason and the remedy. */
export function serverProblem(output: string, pgData: string, step: string): EmbeddedDatabaseError {
  if (/No space left on device|could not extend file|Disk quota exceeded/i.test(output)) return diskFull(pgData);
  if (/Permission denied/i.test(output)) {
    return new EmbeddedDatabaseError(
      `PostgreSQL was refused access to its files (${lastLine(output, /Permission denied/i)})`,
      `make ${pgData} belong to the user PostgreSQL runs as, run calldesk as an ordinary user, or ${WAYS_OUT}`,
    );
  }
  if (/database files are incompatible with server|initialized by PostgreSQL version/i.test(output)) {
    return new EmbeddedDatabaseError(lastLine(output, /initialized by PostgreSQL version/i) || `${pgData} was made by another PostgreSQL version`, upgradeTodo(pgData));
  }
  const last = lastLine(output) || 'it exited without saying why';
  return new EmbeddedDatabaseError(`${step} failed: ${last}`, `see the lines above; ${WAYS_OUT}`);
}

export function otherMajor(pgData: string, found: string, shipped: string): EmbeddedDatabaseError {
  return new EmbeddedDatabaseError(`the database in ${pgData} was created by PostgreSQL ${found}, and calldesk ships PostgreSQL ${shipped}`, upgradeTodo(pgData));
}

function upgradeTodo(pgData: string): string {
  return `upgrade the data with pg_upgrade (or pg_dump it with the old version and restore it), start fresh by moving ${pgData} away, or ${WAYS_OUT}`;
}

function lastLine(output: string, like?: RegExp): string {
  const lines = output.split('\n').map((l) => l.trim()).filter(Boolean);
  const found = like ? lines.filter((l) => like.test(l)) : lines;
  return (found.at(-1) ?? '').replace(/^\S+ \S+ \S+ \[\d+\] /, '').replace(/^(FATAL|ERROR|LOG):\s+/, '');
}
