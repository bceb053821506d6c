// Fixed-window counts in PostgreSQL, shared by instances (src/links/rate-limit.ts decides).
import type { DataSource } from 'typeorm';

/** Counts one under `bump` (a window past `now` starts again at 1) and reads `peek`'s count: both after. */
export async function bumpAndPeek(ds: DataSource, bump: string, windowMs: number, peek: string | null, now: Date): Promise<{ bumped: number; peeked: number }> {
  const [r]: { bumped: number; peeked: number }[] = await ds.query(
    `WITH b AS (
       INSERT INTO rate_count AS c (key, count, reset_at) VALUES ($1, 1, $2)
       ON CONFLICT (key) DO UPDATE SET
         count = CASE WHEN c.reset_at <= $3 THEN 1 ELSE c.count + 1 END,
         reset_at = CASE WHEN c.reset_at <= $3 THEN EXCLUDED.reset_at ELSE c.reset_at END
       RETURNING count)
     SELECT (SELECT count FROM b) AS bumped, coalesce((SELECT count FROM rate_count WHERE key = $4 AND reset_at > $3), 0)::int AS peeked`,
    [bump, new Date(now.getTime() + windowMs), now, peek],
  );
  return r;
}

export async function sweepRateCounts(ds: DataSource, now: Date): Promise<void> {
  await ds.query(`DELETE FROM rate_count WHERE reset_at <= $1`, [now]);
}
