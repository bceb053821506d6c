import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createIndexesConcurrently, dropIndexes, type IndexDefinition } from './concurrent-indexes';

// The request report counts journal entries of a period (registrations and status changes: done,
// closed by reason, reopened), and the backlog at the period's end counted back from now (open now,
// less registrations since, plus closings since). The journal had no index by time, so every report
// would read all of it.
// - ticket_events_status_at_idx: the kinds a report counts, by time (comments, field changes and the
//   like are never counted).
// - registrations and closings alone, by time: the backlog counts them from a period's end to now
//   from the index only (the journal is append-only, so its pages stay all-visible once vacuumed).
// Built CONCURRENTLY: a large journal keeps taking entries while the indexes are built.
const INDEXES: IndexDefinition[] = [
  ['ticket_events_status_at_idx', `ON ticket_events (at) WHERE kind IN ('registered', 'status_changed')`],
  ['ticket_events_registered_at_idx', `ON ticket_events (at) WHERE kind = 'registered'`],
  ['ticket_events_closed_at_idx', `ON ticket_events (at) WHERE kind = 'status_changed' AND data->>'to' = 'closed'`],
];

export class AddJournalReportIndex1796500800000 implements MigrationInterface {
  name = 'AddJournalReportIndex1796500800000';
  transaction = false;

  async up(q: QueryRunner): Promise<void> {
    await createIndexesConcurrently(q, INDEXES);
  }

  // Reverted inside a transaction (TypeORM's default): no CONCURRENTLY.
  async down(q: QueryRunner): Promise<void> {
    await dropIndexes(q, INDEXES);
  }
}
