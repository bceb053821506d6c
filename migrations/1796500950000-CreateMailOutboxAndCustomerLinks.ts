import type { MigrationInterface, QueryRunner } from 'typeorm';

// The e-mail channel's outgoing side. `mail_outbox`: every mail calldesk sends, kept (its
// Message-ID with its request, so replies thread to it), sent by whichever instance claims it
// first (FOR UPDATE SKIP LOCKED; a claim is a lease, so a mail claimed by a process that died is
// sent again after it runs out). `customer_link`: the customer's links, known only by the SHA-256
// of their token, bound to one request, its recipient and the actions offered.
export class CreateMailOutboxAndCustomerLinks1796500950000 implements MigrationInterface {
  name = 'CreateMailOutboxAndCustomerLinks1796500950000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE mail_outbox (
        id uuid PRIMARY KEY,
        ticket_id uuid REFERENCES ticket (id),
        kind text NOT NULL,
        automatic boolean NOT NULL,
        recipient text NOT NULL,
        subject text NOT NULL,
        body text NOT NULL,
        message_id text NOT NULL UNIQUE,
        in_reply_to text,
        "references" text[] NOT NULL DEFAULT '{}',
        headers jsonb NOT NULL DEFAULT '{}',
        link_actions text[],
        link_completed_at timestamptz,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        lease_until timestamptz,
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        sent_at timestamptz
      );
      CREATE INDEX mail_outbox_due_idx ON mail_outbox (next_attempt_at) WHERE status IN ('pending', 'sending');
      CREATE INDEX mail_outbox_ticket_idx ON mail_outbox (ticket_id, created_at);
      CREATE INDEX mail_outbox_message_idx ON mail_outbox (message_id);
      CREATE INDEX mail_outbox_recipient_idx ON mail_outbox (recipient, created_at) WHERE automatic;
      CREATE TABLE customer_link (
        token_hash bytea PRIMARY KEY,
        ticket_id uuid NOT NULL REFERENCES ticket (id),
        recipient text NOT NULL,
        actions text[] NOT NULL,
        completed_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        used_at timestamptz,
        used_action text
      );
      CREATE INDEX customer_link_ticket_idx ON customer_link (ticket_id);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE customer_link; DROP TABLE mail_outbox`);
  }
}
