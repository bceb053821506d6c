import type { MigrationInterface, QueryRunner } from 'typeorm';

// A password an admin set (a new user, a reset) is a temporary one: its owner changes it at the
// next sign-in. Users who exist already keep theirs.
export class AddPasswordChangeRequired1796500000000 implements MigrationInterface {
  name = 'AddPasswordChangeRequired1796500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE agent ADD COLUMN must_change_password boolean NOT NULL DEFAULT false`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE agent DROP COLUMN must_change_password`);
  }
}
