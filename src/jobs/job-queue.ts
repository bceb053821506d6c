// Background jobs on PostgreSQL (pg-boss): a job runs once even with several instances, and jobs
// due while the service was down run when it is back.
import PgBoss from 'pg-boss';
import type { Logger } from 'pino';

/** Starts the queue and has each job schedule itself on it. */
export async function startJobQueue(databaseUrl: string, logger: Logger, jobs: ((boss: PgBoss) => Promise<void>)[] = []): Promise<PgBoss> {
  const boss = new PgBoss({ connectionString: databaseUrl, schema: 'pgboss', application_name: 'calldesk-jobs', max: 4 });
  const log = logger.child({ module: 'jobs' });
  boss.on('error', (err) => log.error({ err: err.message }, 'job queue error'));
  await boss.start();
  for (const schedule of jobs) await schedule(boss);
  return boss;
}
