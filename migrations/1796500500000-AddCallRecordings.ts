import type { MigrationInterface, QueryRunner } from 'typeorm';

// The recordings (MixMonitor) and voicemail the PBX made of each call, as its AMI events name them:
// [{kind, file, startedAt, mailbox?}]. Calls stored before have none.
export class AddCallRecordings1796500500000 implements MigrationInterface {
  name = 'AddCallRecordings1796500500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE call ADD COLUMN recordings jsonb NOT NULL DEFAULT '[]'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE call DROP COLUMN recordings`);
  }
}
