import type { MigrationInterface, QueryRunner } from 'typeorm';

// The full-text index of the first schema, made redundant by the joint index on (assignees,
// search) of AddAgentSearchIndexes: a multicolumn GIN index answers a condition on any subset of
// its columns alike, and the planner already answered searches on the text alone from the joint
// one. Every request written with text paid for both. Dropped CONCURRENTLY: requests keep being
// written meanwhile.
export class DropRedundantSearchIndex1796502810000 implements MigrationInterface {
  name = 'DropRedundantSearchIndex1796502810000';
  transaction = false;

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX CONCURRENTLY IF EXISTS ticket_search_idx`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX IF NOT EXISTS ticket_search_idx ON ticket USING gin (search)`);
  }
}
