import type { MigrationInterface, QueryRunner } from 'typeorm';

// What staff did to accounts, blocked numbers and personal data (who, when, to what): read by
// admins. `details` never holds a password or the data an erasure removed.
export class CreateAuditLog1796501110000 implements MigrationInterface {
  name = 'CreateAuditLog1796501110000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE audit_log (
        id bigserial PRIMARY KEY,
        at timestamptz NOT NULL DEFAULT now(),
        actor_id uuid REFERENCES agent (id),
        actor_login text NOT NULL,
        action text NOT NULL,
        target_id text,
        details jsonb NOT NULL DEFAULT '{}'
      )`);
    await q.query(`CREATE INDEX audit_log_at_idx ON audit_log (at DESC, id DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE audit_log`);
  }
}
