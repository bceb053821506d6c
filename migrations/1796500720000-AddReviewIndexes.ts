import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createIndexesConcurrently, dropIndexes, type IndexDefinition } from './concurrent-indexes';

// The review queue reads each rule's oldest items first; each gets an index holding just its
// candidates in that order, so a large help desk's queue reads a few hundred index entries:
// drafts by age (answered calls without a registered request), open requests with a description
// under the default 20 characters, missed callers by call-back deadline (also the board's count);
// and requests by closing time (the request report's backlog).
// Built CONCURRENTLY: the request table keeps taking writes meanwhile.
const INDEXES: IndexDefinition[] = [
  ['ticket_draft_age_idx', `ON ticket (created_at) WHERE status = 'draft'`],
  ['ticket_thin_idx', `ON ticket (registered_at) WHERE status IN ('registered', 'in_progress') AND char_length(btrim(description)) < 20`],
  ['ticket_callback_due_idx', `ON ticket (callback_due_at) WHERE callback_needed AND status = 'draft'`],
  // The request report's backlog at a period's end counts registrations and closings around it.
  ['ticket_closed_at_idx', `ON ticket (closed_at) WHERE closed_at IS NOT NULL`],
];

export class AddReviewIndexes1796500720000 implements MigrationInterface {
  name = 'AddReviewIndexes1796500720000';
  transaction = false;

  async up(q: QueryRunner): Promise<void> {
    await createIndexesConcurrently(q, INDEXES);
  }

  async down(q: QueryRunner): Promise<void> {
    await dropIndexes(q, INDEXES);
  }
}
