import type { MigrationInterface, QueryRunner } from 'typeorm';

// Counts in fixed windows shared by every instance (the customer-link page's rate limit): a guesser
// spreading tries over the instances behind a balancer meets one count.
export class CreateRateCounts1796501400000 implements MigrationInterface {
  name = 'CreateRateCounts1796501400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE rate_count (key text PRIMARY KEY, count int NOT NULL, reset_at timestamptz NOT NULL)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE rate_count`);
  }
}
