import type { MigrationInterface, QueryRunner } from 'typeorm';

// The live board's presence: which instance has sockets open for which agent (so every instance
// sees agents connected to another; a crashed instance's rows age out by `seen_at`), and the PBX's
// queue pauses by member extension.
export class CreatePresenceAndPauses1796500700000 implements MigrationInterface {
  name = 'CreatePresenceAndPauses1796500700000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE UNLOGGED TABLE agent_presence (
        instance_id uuid NOT NULL,
        agent_id uuid NOT NULL REFERENCES agent (id) ON DELETE CASCADE,
        since timestamptz NOT NULL,
        seen_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (agent_id, instance_id)
      );
      CREATE TABLE queue_pause (
        pbx text NOT NULL,
        extension text NOT NULL,
        queue text NOT NULL,
        reason text,
        since timestamptz NOT NULL,
        PRIMARY KEY (pbx, extension, queue)
      );
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE queue_pause; DROP TABLE agent_presence`);
  }
}
