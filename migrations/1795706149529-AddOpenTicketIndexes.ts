import type { MigrationInterface, QueryRunner } from 'typeorm';

// Request lists over a long history (issue 5: GET /api/tickets at 1,000,000 requests).
// - Open requests in R3 order (`status=registered&status=in_progress…`): no index gave priority
//   order for a set of statuses, so PostgreSQL walked ticket_priority_idx past the closed majority
//   (or sorted ~100,000 rows). ticket_open_priority_idx holds the open requests only, in that order.
// - An agent's open requests: the GIN index on `assignees` found all the agent's requests and
//   intersected them with the 150,000 open ones. ticket_open_assignees_idx holds open requests only.
// - Drafts waiting for a call back, by priority (lists) or newest first (the panel): PostgreSQL
//   took `callback_needed` and `status = 'draft'` for independent and intersected both sets, then
//   sorted. Two small partial indexes keep that set in each order, and dependency statistics tell
//   the planner that a request waiting for a call back is a draft.
// The open set is OPEN_STATUSES of src/tickets/ticket.ts, written out here because a migration must
// not change when the code does; test/integration/migrations.test.ts keeps the two equal.
//
// Built CONCURRENTLY, so that an instance migrating a large table does not stop the others from
// writing requests meanwhile: hence no transaction, one statement per query, and an invalid index
// left by an interrupted build dropped first.
const OPEN = `status IN ('registered', 'in_progress', 'completed')`;
const INDEXES: [name: string, definition: string][] = [
  ['ticket_open_priority_idx', `ON ticket (priority_rank, created_at, id) WHERE ${OPEN}`],
  ['ticket_open_assignees_idx', `ON ticket USING gin (assignees) WHERE ${OPEN}`],
  ['ticket_callback_priority_idx', `ON ticket (priority_rank, created_at, id) WHERE callback_needed`],
  ['ticket_callback_created_idx', `ON ticket (created_at DESC, id DESC) WHERE callback_needed`],
];

export class AddOpenTicketIndexes1795706149529 implements MigrationInterface {
  name = 'AddOpenTicketIndexes1795706149529';
  transaction = false;

  async up(q: QueryRunner): Promise<void> {
    for (const [name, definition] of INDEXES) {
      await q.query(`DROP INDEX CONCURRENTLY IF EXISTS ${name}`);
      await q.query(`CREATE INDEX CONCURRENTLY ${name} ${definition}`);
    }
    await q.query(`DROP STATISTICS IF EXISTS ticket_callback_status_stats`);
    await q.query(`CREATE STATISTICS ticket_callback_status_stats (dependencies) ON callback_needed, status FROM ticket`);
    // Statistics are empty until the table is analysed; a large table may wait long for autovacuum.
    await q.query(`ANALYZE ticket`);
  }

  // Also runs inside a transaction (TypeORM reverts in one unless told otherwise): no CONCURRENTLY.
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP STATISTICS IF EXISTS ticket_callback_status_stats`);
    for (const [name] of [...INDEXES].reverse()) await q.query(`DROP INDEX IF EXISTS ${name}`);
  }
}
