import type { MigrationInterface, QueryRunner } from 'typeorm';

// The review queue: who resolved which item, when and why (an item is found by a rule, not
// stored; its resolution is). Indexes so each rule reads only its few candidates at any size, and
// an incident's requests (its children) are found by their parent; requests by registration time
// (the request report's backlog of a period far back counts forward from the first registration).
export class CreateReviewResolutions1796500710000 implements MigrationInterface {
  name = 'CreateReviewResolutions1796500710000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE review_resolution (
        item_id text PRIMARY KEY,
        kind text NOT NULL,
        call_id uuid REFERENCES call (id),
        ticket_id uuid REFERENCES ticket (id),
        note text NOT NULL,
        resolved_by uuid NOT NULL REFERENCES agent (id),
        resolved_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX ticket_events_reopen_idx ON ticket_events (ticket_id)
        WHERE kind = 'status_changed' AND data->>'from' = 'completed' AND data->>'to' <> 'closed';
      CREATE INDEX ticket_open_idx ON ticket (registered_at) WHERE status IN ('registered', 'in_progress');
      CREATE INDEX call_gap_idx ON call (started_at) WHERE gap;
      CREATE INDEX ticket_parent_idx ON ticket (parent_id) WHERE parent_id IS NOT NULL;
      CREATE INDEX ticket_registered_at_idx ON ticket (registered_at) WHERE registered_at IS NOT NULL;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE review_resolution; DROP INDEX ticket_events_reopen_idx; DROP INDEX ticket_open_idx; DROP INDEX call_gap_idx; DROP INDEX ticket_parent_idx; DROP INDEX ticket_registered_at_idx`);
  }
}
