import type { DataSource, EntityManager } from 'typeorm';

/**
 * Rows of a statement run through TypeORM. For UPDATE/DELETE … RETURNING, TypeORM's postgres
 * driver answers `[rows, affectedCount]` instead of the rows: this evens that out.
 */
export async function rows<T = any>(m: EntityManager | DataSource, sql: string, params: unknown[] = []): Promise<T[]> {
  const result = await m.query(sql, params);
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') return result[0];
  return result;
}

/** The database answers a trivial statement within `timeoutMs` (health checks). */
export async function reachable(ds: DataSource, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([ds.query('SELECT 1'), new Promise((_, rej) => (timer = setTimeout(() => rej(new Error('timeout')), timeoutMs)))]);
    return true;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
