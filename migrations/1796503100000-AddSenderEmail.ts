import type { MigrationInterface, QueryRunner } from 'typeorm';

// The address an e-mailed request came from, on the request itself: the lists name a sender who
// is not in the directory by it (not just «почта»), and replies go there. Written once, when the
// mail opens the request; the requests opened so far take it from their opening mail. Nullable
// without a default: adding it rewrites nothing.
export class AddSenderEmail1796503100000 implements MigrationInterface {
  name = 'AddSenderEmail1796503100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ticket ADD COLUMN IF NOT EXISTS sender_email text`);
    await q.query(
      `UPDATE ticket t SET sender_email = m.from_address
         FROM (SELECT DISTINCT ON (ticket_id) ticket_id, from_address FROM mail_message
                WHERE outcome = 'request' AND ticket_id IS NOT NULL AND from_address IS NOT NULL
                ORDER BY ticket_id, received_at, id) m
        WHERE m.ticket_id = t.id AND t.sender_email IS NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ticket DROP COLUMN IF EXISTS sender_email`);
  }
}
