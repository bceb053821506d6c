import type { MigrationInterface, QueryRunner } from 'typeorm';

// The request report counts journal entries of a period (registrations and status changes: done,
// closed by reason, reopened). The journal had no index by time, so every report would read all of
// it. Only those two kinds are indexed: comments, field changes and the like are never counted.
// Built CONCURRENTLY: a large journal keeps taking entries while the index is built.
export class AddJournalReportIndex1796500800000 implements MigrationInterface {
  name = 'AddJournalReportIndex1796500800000';
  transaction = false;

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX CONCURRENTLY IF EXISTS ticket_events_status_at_idx`);
    await q.query(`CREATE INDEX CONCURRENTLY ticket_events_status_at_idx ON ticket_events (at) WHERE kind IN ('registered', 'status_changed')`);
  }

  // Reverted inside a transaction (TypeORM's default): no CONCURRENTLY.
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS ticket_events_status_at_idx`);
  }
}
