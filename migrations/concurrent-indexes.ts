import type { QueryRunner } from 'typeorm';

/** An index: its name and what follows `CREATE INDEX <name>`. */
export type IndexDefinition = [name: string, definition: string];

/**
 * Builds indexes without blocking writes (the migration must set `transaction = false`); an index
 * a crashed earlier try left invalid is dropped and built again.
 */
export async function createIndexesConcurrently(q: QueryRunner, indexes: readonly IndexDefinition[]): Promise<void> {
  for (const [name, definition] of indexes) {
    await q.query(`DROP INDEX CONCURRENTLY IF EXISTS ${name}`);
    await q.query(`CREATE INDEX CONCURRENTLY ${name} ${definition}`);
  }
}

/** Drops them, last first (reverting runs inside a transaction: no CONCURRENTLY). */
export async function dropIndexes(q: QueryRunner, indexes: readonly IndexDefinition[]): Promise<void> {
  for (const [name] of [...indexes].reverse()) await q.query(`DROP INDEX IF EXISTS ${name}`);
}
