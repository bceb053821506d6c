import type { MigrationInterface, QueryRunner } from 'typeorm';

// «Неразобранные»: registered requests nobody owns, in R3 order. Few or none among a million, so
// without their own index the list reads every registered request to find out.
export class AddUnassignedIndex1796500300000 implements MigrationInterface {
  name = 'AddUnassignedIndex1796500300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX ticket_unassigned_idx ON ticket (priority_rank, created_at, id) WHERE status = 'registered' AND cardinality(assignees) = 0`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX ticket_unassigned_idx`);
  }
}
