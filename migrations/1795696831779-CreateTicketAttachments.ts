import type { MigrationInterface, QueryRunner } from 'typeorm';

// R5: screenshots of a request, kept in PostgreSQL so that every instance serves them.
export class CreateTicketAttachments1795696831779 implements MigrationInterface {
  name = 'CreateTicketAttachments1795696831779';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE ticket_attachment (
        id uuid PRIMARY KEY,
        ticket_id uuid NOT NULL REFERENCES ticket (id),
        file_name text NOT NULL,
        -- Detected from the bytes, never taken from the client.
        content_type text NOT NULL CHECK (content_type IN ('image/png', 'image/jpeg', 'image/webp', 'image/gif')),
        size integer NOT NULL CHECK (size > 0),
        sha256 text NOT NULL,
        data bytea NOT NULL,
        uploaded_by uuid REFERENCES agent (id),
        uploaded_at timestamptz NOT NULL DEFAULT now()
      );
      -- Images are compressed already: store them out of line without trying to compress again.
      ALTER TABLE ticket_attachment ALTER COLUMN data SET STORAGE EXTERNAL;
      CREATE INDEX ticket_attachment_ticket_idx ON ticket_attachment (ticket_id, uploaded_at, id);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE ticket_attachment`);
  }
}
