// R10: a completed request that hears nothing from the customer closes itself at its
// `auto_close_at` (20:00 of the 5th business day). A sweep job runs every minute, once across all
// instances; each request is closed through the lifecycle core, so a customer contact that moved
// the deadline meanwhile is respected.
import type PgBoss from 'pg-boss';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { dueForAutoClose } from '../db/ticket-sweeps';
import type { TicketService } from '../services/ticket-service';

export const AUTO_CLOSE_JOB = 'ticket-auto-close-sweep';

export class AutoCloser {
  constructor(
    private readonly ds: DataSource,
    private readonly tickets: TicketService,
    private readonly logger: Logger,
  ) {}

  /** Closes every request due at `now`; returns the ids closed. */
  async sweep(now: Date): Promise<string[]> {
    const due = await dueForAutoClose(this.ds, now);
    const closed: string[] = [];
    for (const { id } of due) {
      try {
        await this.tickets.execute(id, { type: 'auto_close' }, null, {}, now);
        closed.push(id);
      } catch (err) {
        // Not due any more (the customer was in touch) or already closed by someone: nothing to do.
        const name = (err as Error).name;
        if (name !== 'AutoCloseNotDue' && name !== 'IllegalTransition') this.logger.error({ err, ticketId: id }, 'auto-close failed');
      }
    }
    if (closed.length) this.logger.info({ count: closed.length }, 'requests closed for silence (R10)');
    return closed;
  }

  private boss: PgBoss | null = null;

  async schedule(boss: PgBoss): Promise<void> {
    await boss.createQueue(AUTO_CLOSE_JOB);
    await boss.schedule(AUTO_CLOSE_JOB, '* * * * *', {}, { tz: 'UTC' });
    await boss.work(AUTO_CLOSE_JOB, async () => {
      await this.sweep(new Date());
    });
    this.boss = boss;
  }

  /** Queues a sweep now (it runs on whichever instance picks it up); null when jobs are off. */
  async trigger(): Promise<string | null> {
    return this.boss ? this.boss.send(AUTO_CLOSE_JOB, {}) : null;
  }
}
