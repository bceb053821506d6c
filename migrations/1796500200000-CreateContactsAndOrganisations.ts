import type { MigrationInterface, QueryRunner } from 'typeorm';

// Customers: organisations and their contacts, and the customer of each request. Phones are E.164
// and may repeat (an office's main line); e-mails are stored lower-cased, so they match whatever
// case they are typed in.
export class CreateContactsAndOrganisations1796500200000 implements MigrationInterface {
  name = 'CreateContactsAndOrganisations1796500200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE organisation (
        id uuid PRIMARY KEY,
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 300),
        inn text NOT NULL DEFAULT '' CHECK (inn ~ '^([0-9]{10}|[0-9]{12})?$'),
        note text NOT NULL DEFAULT '',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX organisation_name_idx ON organisation (lower(name) text_pattern_ops);
      CREATE TABLE contact (
        id uuid PRIMARY KEY,
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 300),
        phones text[] NOT NULL DEFAULT '{}',
        emails text[] NOT NULL DEFAULT '{}',
        organisation_id uuid REFERENCES organisation (id),
        position text NOT NULL DEFAULT '',
        note text NOT NULL DEFAULT '',
        erased_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX contact_phones_idx ON contact USING gin (phones);
      CREATE INDEX contact_emails_idx ON contact USING gin (emails);
      CREATE INDEX contact_name_idx ON contact (lower(name) text_pattern_ops);
      CREATE INDEX contact_organisation_idx ON contact (organisation_id);
      ALTER TABLE ticket ADD COLUMN contact_id uuid REFERENCES contact (id);
      ALTER TABLE ticket ADD COLUMN organisation_id uuid REFERENCES organisation (id);
      CREATE INDEX ticket_contact_idx ON ticket (contact_id, priority_rank, created_at, id) WHERE contact_id IS NOT NULL;
      CREATE INDEX ticket_organisation_idx ON ticket (organisation_id, priority_rank, created_at, id) WHERE organisation_id IS NOT NULL;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE ticket DROP COLUMN organisation_id;
      ALTER TABLE ticket DROP COLUMN contact_id;
      DROP TABLE contact;
      DROP TABLE organisation;
    `);
  }
}
