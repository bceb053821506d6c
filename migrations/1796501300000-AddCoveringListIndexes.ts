import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createIndexesConcurrently, dropIndexes, type IndexDefinition } from './concurrent-indexes';

// Request and call lists at a help desk's size (issue 18): most requests closed, one agent with a
// third of them, filters that match a few hundred of a million rows.
// - The two list orders (R3 priority, newest first) now also hold each request's status and
//   assignees, so a filter on them is tested in the index: a list of one agent's requests reads
//   index entries until a page is found instead of fetching every request on the way (15,000 heap
//   reads for an ordinary agent). The plain indexes on the same keys stay (migrations here only
//   add; see test/integration/migrations.test.ts), though these serve everything those do.
// - Likewise the open requests in R3 order with their assignees («Мои», an agent's open ones): the
//   busy agent's «Мои» read 140,000 index entries before; the open set is OPEN_STATUSES written
//   out (a migration must not change when the code does; the migrations test keeps them equal).
// - A channel has its own index in R3 order: a rare channel's page and count read only its requests.
// - Blocked calls (few or none) had none, so their list read every call to find out.
// Built CONCURRENTLY: the tables keep taking writes meanwhile.
const INDEXES: IndexDefinition[] = [
  ['ticket_list_priority_idx', `ON ticket (priority_rank, created_at, id) INCLUDE (status, assignees)`],
  ['ticket_list_created_idx', `ON ticket (created_at DESC, id DESC) INCLUDE (status, assignees)`],
  ['ticket_open_list_idx', `ON ticket (priority_rank, created_at, id) INCLUDE (assignees) WHERE status IN ('registered', 'in_progress', 'completed')`],
  ['ticket_channel_idx', `ON ticket (channel, priority_rank, created_at, id)`],
  ['call_blocked_idx', `ON call (started_at DESC, id DESC) WHERE blocked`],
];

export class AddCoveringListIndexes1796501300000 implements MigrationInterface {
  name = 'AddCoveringListIndexes1796501300000';
  transaction = false;

  async up(q: QueryRunner): Promise<void> {
    await createIndexesConcurrently(q, INDEXES);
  }

  async down(q: QueryRunner): Promise<void> {
    await dropIndexes(q, INDEXES);
  }
}
