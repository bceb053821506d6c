import type { MigrationInterface, QueryRunner } from 'typeorm';

// Product releases on requests (the customer's installed one; the one that fixes it, to list
// "fixed in release N"), and the channels of requests that came without a call.
export class AddProductVersionsAndChannels1796500100000 implements MigrationInterface {
  name = 'AddProductVersionsAndChannels1796500100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE ticket ADD COLUMN product_version text NOT NULL DEFAULT '' CHECK (length(product_version) <= 64);
      ALTER TABLE ticket ADD COLUMN fixed_in text NOT NULL DEFAULT '' CHECK (length(fixed_in) <= 64);
      CREATE INDEX ticket_fixed_in_idx ON ticket (fixed_in, priority_rank, created_at, id) WHERE fixed_in <> '';
      CREATE INDEX ticket_product_version_idx ON ticket (product_version, priority_rank, created_at, id) WHERE product_version <> '';
      ALTER TABLE ticket DROP CONSTRAINT ticket_channel_check;
      ALTER TABLE ticket ADD CONSTRAINT ticket_channel_check CHECK (channel IN ('phone', 'email', 'in_person', 'other', 'web'));
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE ticket DROP CONSTRAINT ticket_channel_check;
      ALTER TABLE ticket ADD CONSTRAINT ticket_channel_check CHECK (channel IN ('phone', 'email', 'web'));
      ALTER TABLE ticket DROP COLUMN fixed_in;
      ALTER TABLE ticket DROP COLUMN product_version;
    `);
  }
}
