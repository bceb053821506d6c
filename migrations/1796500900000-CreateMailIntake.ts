import type { MigrationInterface, QueryRunner } from 'typeorm';

// The e-mail channel's intake: where reading each mailbox got to (UIDVALIDITY + last UID, so every
// message is read once across restarts), every message read with its raw bytes and what became of
// it (one per Message-ID per mailbox), its attachments, and addresses that bounced.
export class CreateMailIntake1796500900000 implements MigrationInterface {
  name = 'CreateMailIntake1796500900000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE mail_mailbox (
        mailbox text PRIMARY KEY,
        uidvalidity bigint NOT NULL,
        last_uid bigint NOT NULL DEFAULT 0,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE mail_message (
        id uuid PRIMARY KEY,
        mailbox text NOT NULL,
        uid bigint,
        message_id text NOT NULL,
        from_address text,
        subject text NOT NULL DEFAULT '',
        received_at timestamptz NOT NULL DEFAULT now(),
        raw bytea NOT NULL,
        ticket_id uuid REFERENCES ticket (id),
        outcome text NOT NULL CHECK (outcome IN ('request', 'reply', 'bounce', 'ignored', 'quarantined', 'dropped')),
        reason text,
        auto_reply_allowed boolean NOT NULL DEFAULT false
      )`);
    await q.query(`CREATE UNIQUE INDEX mail_message_id_uq ON mail_message (mailbox, message_id)`);
    await q.query(`CREATE INDEX mail_message_message_id_idx ON mail_message (message_id) WHERE ticket_id IS NOT NULL`);
    await q.query(`CREATE INDEX mail_message_ticket_idx ON mail_message (ticket_id) WHERE ticket_id IS NOT NULL`);
    await q.query(`CREATE INDEX mail_message_quarantine_idx ON mail_message (received_at) WHERE outcome = 'quarantined'`);
    await q.query(`
      CREATE TABLE mail_attachment (
        id uuid PRIMARY KEY,
        message_id uuid NOT NULL REFERENCES mail_message (id) ON DELETE CASCADE,
        filename text NOT NULL,
        content_type text NOT NULL,
        size integer NOT NULL,
        content bytea
      )`);
    await q.query(`CREATE INDEX mail_attachment_message_idx ON mail_attachment (message_id)`);
    await q.query(`
      CREATE TABLE mail_bounced_address (
        address text PRIMARY KEY,
        ticket_id uuid REFERENCES ticket (id),
        reason text NOT NULL,
        bounced_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE mail_bounced_address`);
    await q.query(`DROP TABLE mail_attachment`);
    await q.query(`DROP TABLE mail_message`);
    await q.query(`DROP TABLE mail_mailbox`);
  }
}
