import type { MigrationInterface, QueryRunner } from 'typeorm';

// The assignee rows (CreateTicketAssignees) kept once per statement instead of once per request.
// A call batch registers owners and closes drafts of hundreds of requests in one UPDATE; the row
// trigger ran two statements per request (0.24 ms each: most of that UPDATE's time at full speed).
// Per statement, the changed requests' rows are replaced in one DELETE and one INSERT, read from
// the statement's transition tables; a request whose assignees and status did not change is left.
export class AssigneeRowsPerStatement1796502600000 implements MigrationInterface {
  name = 'AssigneeRowsPerStatement1796502600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TRIGGER ticket_assignee_update ON ticket;
      DROP TRIGGER ticket_assignee_insert ON ticket;
      DROP FUNCTION ticket_assignee_sync();

      CREATE FUNCTION ticket_assignee_rows_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO ticket_assignee (ticket_id, agent_id, status)
        SELECT DISTINCT n.id, a, n.status FROM inserted n CROSS JOIN LATERAL unnest(n.assignees) a WHERE a IS NOT NULL;
        RETURN NULL;
      END $$;
      CREATE FUNCTION ticket_assignee_rows_updated() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        DELETE FROM ticket_assignee a USING before_update o JOIN after_update n ON n.id = o.id
         WHERE a.ticket_id = o.id AND (o.assignees IS DISTINCT FROM n.assignees OR o.status IS DISTINCT FROM n.status);
        INSERT INTO ticket_assignee (ticket_id, agent_id, status)
        SELECT DISTINCT n.id, a, n.status
          FROM after_update n JOIN before_update o ON o.id = n.id CROSS JOIN LATERAL unnest(n.assignees) a
         WHERE a IS NOT NULL AND (o.assignees IS DISTINCT FROM n.assignees OR o.status IS DISTINCT FROM n.status);
        RETURN NULL;
      END $$;
      CREATE TRIGGER ticket_assignee_insert AFTER INSERT ON ticket
        REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION ticket_assignee_rows_inserted();
      CREATE TRIGGER ticket_assignee_update AFTER UPDATE ON ticket
        REFERENCING OLD TABLE AS before_update NEW TABLE AS after_update
        FOR EACH STATEMENT EXECUTE FUNCTION ticket_assignee_rows_updated();
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TRIGGER ticket_assignee_update ON ticket;
      DROP TRIGGER ticket_assignee_insert ON ticket;
      DROP FUNCTION ticket_assignee_rows_updated();
      DROP FUNCTION ticket_assignee_rows_inserted();

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
      CREATE TRIGGER ticket_assignee_update AFTER UPDATE ON ticket
        FOR EACH ROW WHEN (OLD.assignees IS DISTINCT FROM NEW.assignees OR OLD.status IS DISTINCT FROM NEW.status)
        EXECUTE FUNCTION ticket_assignee_sync();
    `);
  }
}
