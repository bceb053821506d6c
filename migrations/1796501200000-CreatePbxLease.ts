import type { MigrationInterface, QueryRunner } from 'typeorm';

// The fencing token of each PBX's lease (ingest/pbx-lease.ts). Whoever takes a PBX's advisory lock
// raises its token; every call batch checks, in its own transaction and under a share lock on the
// row, that the token it was given is still the PBX's: a leader that lost the PBX to another
// instance cannot write a late batch, and a new leader's raise waits for batches in flight.
export class CreatePbxLease1796501200000 implements MigrationInterface {
  name = 'CreatePbxLease1796501200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE pbx_lease (
        pbx text PRIMARY KEY,
        token bigint NOT NULL,
        taken_at timestamptz NOT NULL DEFAULT now()
      )`);
    // SQLSTATE CDF01: a stale token (call-store.ts tells it from other failures by this code).
    await q.query(`
      CREATE FUNCTION calldesk_pbx_fence(p text, t bigint) RETURNS void LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM 1 FROM pbx_lease WHERE pbx = p AND token = t FOR SHARE;
        IF NOT FOUND THEN
          RAISE EXCEPTION 'PBX % is ingested by another instance now (lease token % is stale)', p, t
            USING ERRCODE = 'CDF01', DETAIL = p;
        END IF;
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION calldesk_pbx_fence(text, bigint)`);
    await q.query(`DROP TABLE pbx_lease`);
  }
}
