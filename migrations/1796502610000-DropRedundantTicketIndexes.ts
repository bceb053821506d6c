import type { MigrationInterface, QueryRunner } from 'typeorm';

// Two indexes of the first schema that later ones made redundant: each has the key of a list index
// (AddCoveringListIndexes) that also carries status and assignees, and serves every query it
// served. Every request written, and every draft a call batch updates, paid for both (two of the
// dozen index entries a draft costs). Dropped CONCURRENTLY: requests keep being written meanwhile.
const DROPPED = [
  ['ticket_created_idx', 'ON ticket (created_at DESC, id DESC)'],
  ['ticket_priority_idx', 'ON ticket (priority_rank, created_at, id)'],
] as const;

export class DropRedundantTicketIndexes1796502610000 implements MigrationInterface {
  name = 'DropRedundantTicketIndexes1796502610000';
  transaction = false;

  async up(q: QueryRunner): Promise<void> {
    for (const [name] of DROPPED) await q.query(`DROP INDEX CONCURRENTLY IF EXISTS ${name}`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const [name, definition] of DROPPED) await q.query(`CREATE INDEX IF NOT EXISTS ${name} ${definition}`);
  }
}
