// A new database's busiest tables grow from nothing, and PostgreSQL plans by what it last knew of
// them. The foreign-key checks of every session are planned once and kept for the session's life:
// planned while `ticket` had a page, each check reads the whole table once it has thousands of
// rows (measured: one batch's `ticket_call` checks, 11,000 rows, 52 ms against 2.6 s). Autovacuum
// re-analyses a growing table after a minute or so; while the tables are small, the ingest asks for
// an ANALYZE each time they have doubled, which also makes every session plan them again.
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';

/** The tables a call batch writes, with foreign keys between them. */
const HOT_TABLES = 'call, ticket, ticket_call, ticket_events, ticket_assignee';

export interface YoungTablesOptions {
  ds: DataSource;
  logger: Logger;
  /** Calls stored beyond which autovacuum's pace is enough (default 100,000). */
  until?: number;
  /** The first ANALYZE, in calls stored (default 500). */
  first?: number;
}

export class YoungTables {
  private calls = 0;
  private nextAt = Infinity;
  private analysing: Promise<void> | null = null;

  constructor(private readonly o: YoungTablesOptions) {}

  /** Counts the calls already stored (up to `until`): an older database needs nothing. */
  async start(): Promise<void> {
    const until = this.o.until ?? 100_000;
    const [{ n }] = await this.o.ds.query(`SELECT count(*)::int AS n FROM (SELECT 1 FROM call LIMIT $1) c`, [until]);
    this.calls = n;
    this.nextAt = n >= until ? Infinity : Math.max(this.o.first ?? 500, 2 * n);
  }

  /** A batch stored `calls` calls (new or changed: an upper bound of the growth). */
  written(calls: number): void {
    this.calls += calls;
    if (this.calls < this.nextAt || this.analysing) return;
    this.nextAt = this.calls >= (this.o.until ?? 100_000) ? Infinity : 2 * this.calls;
    this.analysing = this.o.ds
      .query(`ANALYZE ${HOT_TABLES}`)
      .then(
        () => undefined,
        (err: Error) => this.o.logger.warn({ err: err.message }, 'could not analyse the growing tables; autovacuum will'),
      )
      .finally(() => (this.analysing = null));
  }

  /** Resolves when no ANALYZE is running. */
  async idle(): Promise<void> {
    await this.analysing;
  }
}
