import type { MigrationInterface, QueryRunner } from 'typeorm';

// Each request's assignees one row each, in list order (issue 18): an agent's list says how many
// requests it has, and at a million requests counting them through the assignees array read every
// one of an ordinary agent's 3,000 requests from the table (128 ms at p95). Here the count is an
// index-only range of the agent's rows. A trigger keeps the rows: requests are written by the use
// cases (src/db/ticket-store.ts) and by the call batches (src/db/call-batch-sql.ts), and the rows
// change in the same statement as the request, so a count never sees a half-made reassignment.
export class CreateTicketAssignees1796502300000 implements MigrationInterface {
  name = 'CreateTicketAssignees1796502300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE ticket_assignee (
        ticket_id uuid NOT NULL REFERENCES ticket (id) ON DELETE CASCADE,
        agent_id uuid NOT NULL,
        status text NOT NULL,
        priority_rank smallint NOT NULL,
        created_at timestamptz NOT NULL,
        PRIMARY KEY (ticket_id, agent_id)
      );
      CREATE INDEX ticket_assignee_list_idx ON ticket_assignee (agent_id, priority_rank, created_at, ticket_id) INCLUDE (status);

      CREATE FUNCTION ticket_assignee_sync() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'UPDATE' THEN
          DELETE FROM ticket_assignee WHERE ticket_id = OLD.id;
        END IF;
        INSERT INTO ticket_assignee (ticket_id, agent_id, status, priority_rank, created_at)
        SELECT DISTINCT NEW.id, a, NEW.status, NEW.priority_rank, NEW.created_at
          FROM unnest(NEW.assignees) a WHERE a IS NOT NULL;
        RETURN NULL;
      END $$;
      CREATE TRIGGER ticket_assignee_insert AFTER INSERT ON ticket
        FOR EACH ROW WHEN (cardinality(NEW.assignees) > 0) EXECUTE FUNCTION ticket_assignee_sync();
      -- Only the changes a list's count or order sees (most updates touch none of these).
      CREATE TRIGGER ticket_assignee_update AFTER UPDATE ON ticket
        FOR EACH ROW WHEN (OLD.assignees IS DISTINCT FROM NEW.assignees OR OLD.status IS DISTINCT FROM NEW.status
                           OR OLD.priority IS DISTINCT FROM NEW.priority OR OLD.created_at IS DISTINCT FROM NEW.created_at)
        EXECUTE FUNCTION ticket_assignee_sync();

      INSERT INTO ticket_assignee (ticket_id, agent_id, status, priority_rank, created_at)
      SELECT DISTINCT t.id, a, t.status, t.priority_rank, t.created_at
        FROM ticket t CROSS JOIN LATERAL unnest(t.assignees) a WHERE a IS NOT NULL;
      ANALYZE ticket_assignee;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TRIGGER ticket_assignee_update ON ticket;
      DROP TRIGGER ticket_assignee_insert ON ticket;
      DROP FUNCTION ticket_assignee_sync();
      DROP TABLE ticket_assignee;
    `);
  }
}
