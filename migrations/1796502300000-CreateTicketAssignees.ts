import type { MigrationInterface, QueryRunner } from 'typeorm';

// Each request's assignees one row each, with its status (issue 18): an agent's list says how many
// requests it has, and at a million requests counting them through the assignees array read every
// one of an ordinary agent's 3,000 requests from the table (128 ms at p95). Here the count is an
// index-only range of the agent's rows (of a status). A trigger keeps the rows: requests are written by the use
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
        PRIMARY KEY (ticket_id, agent_id)
      );
      -- By status too: the busy agent's open requests are a few of their 300,000.
      CREATE INDEX ticket_assignee_agent_idx ON ticket_assignee (agent_id, status);

      CREATE FUNCTION ticket_assignee_sync() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'UPDATE' THEN
          DELETE FROM ticket_assignee WHERE ticket_id = OLD.id;
        END IF;
        INSERT INTO ticket_assignee (ticket_id, agent_id, status)
        SELECT DISTINCT NEW.id, a, NEW.status FROM unnest(NEW.assignees) a WHERE a IS NOT NULL;
        RETURN NULL;
      END $$;
      CREATE TRIGGER ticket_assignee_insert AFTER INSERT ON ticket
        FOR EACH ROW WHEN (cardinality(NEW.assignees) > 0) EXECUTE FUNCTION ticket_assignee_sync();
      -- Only the changes a count sees (most updates touch neither).
      CREATE TRIGGER ticket_assignee_update AFTER UPDATE ON ticket
        FOR EACH ROW WHEN (OLD.assignees IS DISTINCT FROM NEW.assignees OR OLD.status IS DISTINCT FROM NEW.status)
        EXECUTE FUNCTION ticket_assignee_sync();

      INSERT INTO ticket_assignee (ticket_id, agent_id, status)
      SELECT DISTINCT t.id, a, t.status
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
