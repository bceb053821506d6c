// PostgreSQL out of disk space (SQLSTATE 53100 disk_full: "could not extend file"): attachments
// and raw mail are stored in the database, so a full disk is met on their writes first.
export function isDiskFull(err: unknown): boolean {
  const e = err as { code?: unknown; driverError?: { code?: unknown } } | null;
  return !!e && typeof e === 'object' && (e.driverError?.code ?? e.code) === '53100';
}
