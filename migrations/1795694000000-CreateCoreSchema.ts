import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateCoreSchema1795694000000 implements MigrationInterface {
  name = 'CreateCoreSchema1795694000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE agent (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        login text NOT NULL,
        name text NOT NULL,
        role text NOT NULL CHECK (role IN ('agent', 'supervisor', 'admin')),
        extension text,
        password_hash text NOT NULL,
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE UNIQUE INDEX agent_login_uq ON agent (lower(login));
      CREATE UNIQUE INDEX agent_extension_uq ON agent (extension) WHERE extension IS NOT NULL AND active;

      CREATE TABLE session (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        token_hash text NOT NULL UNIQUE,
        agent_id uuid NOT NULL REFERENCES agent (id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_seen_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz
      );
      CREATE INDEX session_agent_idx ON session (agent_id);

      CREATE TABLE call (
        id uuid PRIMARY KEY,
        pbx text NOT NULL,
        linkedid text NOT NULL,
        direction text NOT NULL CHECK (direction IN ('inbound', 'outbound', 'internal')),
        support_line boolean NOT NULL,
        caller_number text,
        caller_number_raw text,
        caller_name text,
        did text,
        called_number text,
        queue text,
        started_at timestamptz NOT NULL,
        answered_at timestamptz,
        ended_at timestamptz,
        outcome text CHECK (outcome IN ('answered', 'missed', 'unknown')),
        answered_by_extension text,
        answered_by uuid REFERENCES agent (id),
        owner_extension text,
        after_hours boolean NOT NULL,
        gap boolean NOT NULL DEFAULT false,
        hangup_cause text,
        legs jsonb NOT NULL DEFAULT '[]',
        agent_ids uuid[] NOT NULL DEFAULT '{}',
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT call_pbx_linkedid_uq UNIQUE (pbx, linkedid)
      );
      CREATE INDEX call_started_idx ON call (started_at DESC, id DESC);
      CREATE INDEX call_caller_idx ON call (caller_number, started_at DESC) WHERE caller_number IS NOT NULL;
      CREATE INDEX call_called_idx ON call (called_number, started_at DESC) WHERE called_number IS NOT NULL;
      CREATE INDEX call_live_idx ON call (pbx) WHERE ended_at IS NULL;
      CREATE INDEX call_agents_idx ON call USING gin (agent_ids);

      CREATE TABLE journal_counter (
        year integer PRIMARY KEY,
        last integer NOT NULL
      );

      CREATE TABLE ticket (
        id uuid PRIMARY KEY,
        number text UNIQUE,
        status text NOT NULL CHECK (status IN ('draft', 'registered', 'in_progress', 'completed', 'closed', 'discarded')),
        priority text NOT NULL DEFAULT 'normal' CHECK (priority IN ('critical', 'high', 'normal', 'low')),
        channel text NOT NULL CHECK (channel IN ('phone', 'email', 'web')),
        subject text NOT NULL DEFAULT '',
        description text NOT NULL DEFAULT '',
        technical_details text NOT NULL DEFAULT '',
        solution text,
        caller_number text,
        assignees uuid[] NOT NULL DEFAULT '{}',
        parent_id uuid REFERENCES ticket (id),
        origin_call_id uuid REFERENCES call (id),
        callback_needed boolean NOT NULL DEFAULT false,
        number_told boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        registered_at timestamptz,
        completed_at timestamptz,
        closed_at timestamptz,
        close_reason text CHECK (close_reason IN ('confirmed', 'no_reply', 'withdrawn', 'duplicate', 'error')),
        discard_reason text CHECK (discard_reason IN ('wrong_number', 'test', 'duplicate', 'linked', 'callback_done')),
        auto_close_at timestamptz,
        version integer NOT NULL DEFAULT 1,
        updated_at timestamptz NOT NULL DEFAULT now(),
        -- R3: lists are worked in priority order (critical first), then by age.
        priority_rank smallint GENERATED ALWAYS AS (
          CASE priority WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'normal' THEN 2 ELSE 3 END
        ) STORED,
        search tsvector GENERATED ALWAYS AS (
          to_tsvector('russian', coalesce(subject, '') || ' ' || coalesce(description, '') || ' ' || coalesce(technical_details, ''))
          || to_tsvector('simple', coalesce(subject, '') || ' ' || coalesce(description, '') || ' ' || coalesce(technical_details, ''))
        ) STORED
      );
      -- Exactly one draft per support-line call, whoever sees the call first.
      CREATE UNIQUE INDEX ticket_origin_call_uq ON ticket (origin_call_id) WHERE origin_call_id IS NOT NULL;
      CREATE INDEX ticket_created_idx ON ticket (created_at DESC, id DESC);
      CREATE INDEX ticket_status_idx ON ticket (status, priority_rank, created_at, id);
      CREATE INDEX ticket_priority_idx ON ticket (priority_rank, created_at, id);
      CREATE INDEX ticket_caller_idx ON ticket (caller_number) WHERE caller_number IS NOT NULL;
      CREATE INDEX ticket_callback_idx ON ticket (caller_number) WHERE callback_needed;
      CREATE INDEX ticket_assignees_idx ON ticket USING gin (assignees);
      CREATE INDEX ticket_search_idx ON ticket USING gin (search);

      CREATE TABLE ticket_call (
        ticket_id uuid NOT NULL REFERENCES ticket (id),
        call_id uuid NOT NULL REFERENCES call (id),
        linked_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (ticket_id, call_id)
      );
      CREATE INDEX ticket_call_call_idx ON ticket_call (call_id);

      CREATE TABLE ticket_events (
        id bigserial PRIMARY KEY,
        ticket_id uuid NOT NULL REFERENCES ticket (id),
        at timestamptz NOT NULL DEFAULT now(),
        actor uuid REFERENCES agent (id),
        on_behalf_of text,
        call_id uuid REFERENCES call (id),
        kind text NOT NULL,
        data jsonb NOT NULL DEFAULT '{}'
      );
      CREATE INDEX ticket_events_ticket_idx ON ticket_events (ticket_id, id);

      -- R6: journal entries are never edited or deleted, not even by direct SQL.
      CREATE FUNCTION ticket_events_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'ticket_events is append-only: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$;
      CREATE TRIGGER ticket_events_no_update BEFORE UPDATE OR DELETE ON ticket_events
        FOR EACH ROW EXECUTE FUNCTION ticket_events_immutable();
      CREATE TRIGGER ticket_events_no_truncate BEFORE TRUNCATE ON ticket_events
        FOR EACH STATEMENT EXECUTE FUNCTION ticket_events_immutable();
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE ticket_events; DROP FUNCTION ticket_events_immutable();
      DROP TABLE ticket_call; DROP TABLE ticket; DROP TABLE journal_counter;
      DROP TABLE call; DROP TABLE session; DROP TABLE agent;
    `);
  }
}
