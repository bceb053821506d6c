import type { MigrationInterface, QueryRunner } from 'typeorm';

// Numbers whose calls are logged but touch no request (no draft, no screen pop, no call-back) and
// count in no figure; `call.blocked` marks such calls as they were decided when they began. One
// active entry per number is kept by the service (an entry ends at `until`; an unblock deletes it).
export class CreateBlockedNumbers1796500600000 implements MigrationInterface {
  name = 'CreateBlockedNumbers1796500600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE blocked_numbers (
        id uuid PRIMARY KEY,
        number text NOT NULL CHECK (number ~ '^\\+[1-9][0-9]{3,14}$'),
        reason text NOT NULL CHECK (btrim(reason) <> ''),
        until timestamptz,
        created_by uuid REFERENCES agent (id),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX blocked_numbers_number_idx ON blocked_numbers (number)`);
    await q.query(`ALTER TABLE call ADD COLUMN blocked boolean NOT NULL DEFAULT false`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE call DROP COLUMN blocked`);
    await q.query(`DROP TABLE blocked_numbers`);
  }
}
