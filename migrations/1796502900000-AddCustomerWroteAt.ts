import type { MigrationInterface, QueryRunner } from 'typeorm';

// When the customer last wrote on a request (their mail, their disagreement on a link's page) that
// no agent has acted on since: «the customer is waiting» in the lists, kept across restarts and
// sign-ins. Nullable without a default: adding it rewrites nothing.
export class AddCustomerWroteAt1796502900000 implements MigrationInterface {
  name = 'AddCustomerWroteAt1796502900000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ticket ADD COLUMN IF NOT EXISTS customer_wrote_at timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ticket DROP COLUMN IF EXISTS customer_wrote_at`);
  }
}
