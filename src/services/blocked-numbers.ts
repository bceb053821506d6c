// Blocked numbers: the use cases (list, block, unblock) and the in-memory set the call model asks
// when a call begins (`isBlocked`, on the hot path: a map look-up, no query). The set holds the
// active entries; it is reloaded when this instance changes them and, through PostgreSQL
// LISTEN/NOTIFY, when any instance does (and on every reconnect of the listener), so a number
// blocked through one instance blocks the calls another ingests. An entry's end is compared with
// the call's start, so an expired entry blocks nothing even before the next reload drops it.
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import { BlockedSet, checkBlock } from '../calls/blocking';
import {
  activeBlockedNumbers,
  BLOCKED_CHANNEL,
  deleteBlockedNumber,
  insertBlockedNumber,
  listBlockedNumbers,
  type BlockedNumberRow,
} from '../db/blocked-numbers';
import { listenForChanges, type ChangeListener } from '../db/change-listener';
import { writeAudit, type Actor } from '../db/audit-log';
import { NotFound } from '../tickets/errors';
import type { BlockedNumber, CreateBlockedNumberBody } from '../wire/blocked-number';

/** The number is blocked already (`id`: its active entry): one active entry per number. */
export class AlreadyBlocked extends Error {
  override readonly name = 'AlreadyBlocked';
  readonly field = 'number';
  constructor(
    readonly number: string,
    readonly id: string,
  ) {
    super(`${number} is blocked already: unblock it first to block it again`);
  }
}

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

export const blockedNumberView = (r: BlockedNumberRow): BlockedNumber => ({
  id: r.id,
  number: r.number,
  reason: r.reason,
  until: iso(r.until),
  active: r.active,
  createdBy: r.created_by ? { id: r.created_by, login: r.created_by_login } : null,
  createdAt: iso(r.created_at)!,
});

export class BlockedNumbers {
  private readonly active = new BlockedSet();
  private listener: ChangeListener | null = null;
  /** A reload in flight, and whether another was asked for meanwhile (it then runs once more). */
  private reloading: Promise<void> | null = null;
  private again = false;

  constructor(
    private readonly ds: DataSource,
    private readonly logger: Logger,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Calls from `e164` starting at `at` are blocked. For the call model: no I/O. */
  readonly isBlocked = (e164: string, at: Date): boolean => this.active.has(e164, at);

  /** Loads the active entries, then follows every instance's changes. */
  async start(databaseUrl: string): Promise<void> {
    await this.reload();
    this.listener = listenForChanges(databaseUrl, BLOCKED_CHANNEL, () => {
      this.reload().catch((err) => this.logger.warn({ err: (err as Error).message }, 'could not reload the blocked numbers'));
    });
  }

  async stop(): Promise<void> {
    await this.listener?.stop();
    this.listener = null;
  }

  /** Reads the active entries again; reloads asked for while one runs are served by one more. */
  reload(): Promise<void> {
    if (this.reloading) {
      this.again = true;
      return this.reloading;
    }
    const run = async () => {
      do {
        this.again = false;
        const rows = await activeBlockedNumbers(this.ds);
        this.active.replace(rows.map((r) => ({ number: r.number, until: r.until === null ? null : new Date(r.until) })));
      } while (this.again);
    };
    this.reloading = run().finally(() => (this.reloading = null));
    return this.reloading;
  }

  async list(all: boolean): Promise<BlockedNumber[]> {
    return (await listBlockedNumbers(this.ds, all)).map(blockedNumberView);
  }

  /** `by` is audited with the entry, in its transaction. */
  async block(input: CreateBlockedNumberBody, by: Actor): Promise<BlockedNumber> {
    const b = checkBlock(input, this.now());
    const made = await this.ds.transaction(async (m) => {
      const r = await insertBlockedNumber(m, { id: randomUUID(), ...b, createdBy: by.id });
      if ('row' in r) await writeAudit(m, by, 'number.blocked', r.row.id, { number: r.row.number, reason: r.row.reason, until: iso(r.row.until) });
      return r;
    });
    if ('activeId' in made) throw new AlreadyBlocked(b.number, made.activeId);
    // This instance's calls are blocked from now on, without waiting for the notification.
    await this.reload();
    return blockedNumberView(made.row);
  }

  /** Returns the number that was blocked; `by` is audited in the same transaction. */
  async unblock(id: string, by: Actor): Promise<string> {
    const number = await this.ds.transaction(async (m) => {
      const gone = await deleteBlockedNumber(m, id);
      if (gone !== null) await writeAudit(m, by, 'number.unblocked', id, { number: gone });
      return gone;
    });
    if (number === null) throw new NotFound('blocked number', id);
    await this.reload();
    return number;
  }
}
