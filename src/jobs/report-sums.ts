// The reports' hourly sums (db/report-aggregates.ts) kept up to date: once at start (a first start
// on years of calls sums them in the background, reports reading the rows meanwhile) and every
// 10 minutes, once across all instances.
import type PgBoss from 'pg-boss';
import type { Logger } from 'pino';
import type { ReportAggregates } from '../db/report-aggregates';

export const REPORT_SUMS_JOB = 'report-sums-extend';

/** The job, to be scheduled on the queue (job-queue.ts). */
export const scheduleReportSums = (aggregates: ReportAggregates, logger: Logger) => async (boss: PgBoss): Promise<void> => {
  const log = logger.child({ module: 'report-sums' });
  await boss.createQueue(REPORT_SUMS_JOB);
  await boss.schedule(REPORT_SUMS_JOB, '*/10 * * * *', {}, { tz: 'UTC' });
  await boss.work(REPORT_SUMS_JOB, async () => {
    const started = Date.now();
    const covered = await aggregates.extend();
    log.debug({ coveredUntil: covered, ms: Date.now() - started }, 'report sums extended');
  });
  // Once at start, beside the queue: a database going away meanwhile is logged here, not left to
  // the queue's own bookkeeping of a failed job.
  void aggregates.extend().catch((err: Error) => log.warn({ err: err.message }, 'report sums not extended at start; the job retries'));
};
