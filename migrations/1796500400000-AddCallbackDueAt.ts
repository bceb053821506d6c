import type { MigrationInterface, QueryRunner } from 'typeorm';

// When a missed support-line call is due to be called back (support time after the call). Drafts
// already waiting get theirs from the next miss; until then they show none.
export class AddCallbackDueAt1796500400000 implements MigrationInterface {
  name = 'AddCallbackDueAt1796500400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ticket ADD COLUMN callback_due_at timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ticket DROP COLUMN callback_due_at`);
  }
}
