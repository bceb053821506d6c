// Exactly one instance ingests each PBX: the one holding a PostgreSQL advisory lock for it, on a
// connection of its own. When that instance dies its connection closes, the lock is released, and
// another instance takes over within `retryMs`.
// If the lock's connection breaks while we hold it (a database restart), we go on ingesting — the
// PBX is still there, and the pipeline holds what it cannot write — and take the lock back as soon
// as the database answers (every REGAIN_MS, well before a standby's `retryMs`). We stand by only if
// another instance holds it by then, or if the database stays away longer than `graceMs`.
// A standby that lived through an outage gives the holder that head start: once the database
// answers again it waits `retryMs` before its first try, so the holder (retrying every REGAIN_MS)
// takes its lock back first; a holder that died meanwhile is replaced that much later.
// Whoever takes the lock raises the PBX's fencing token, and call batches write only under the
// token their instance holds (db/pbx-lock.ts): a holder that ingested on through an outage while
// another instance took the PBX cannot land a late batch; it finds a new token when it takes the
// lock back and starts afresh from what the database has. The token stays known after the lease is
// lost: whether its batches still land is the database's to say (they do while nobody took the PBX,
// so a shutdown or a long outage loses nothing).
import pg from 'pg';
import { currentToken, takeToken, tryPbxLock, type PbxFences } from '../db/pbx-lock';
import type { Logger } from 'pino';

export interface LeaseHandlers {
  acquired(): Promise<void> | void;
  lost(): Promise<void> | void;
}

const REGAIN_MS = 250;

export class PbxLease {
  private client: pg.Client | null = null;
  private running = false;
  private held = false;
  /** While held: when the lock's connection broke (null while it stands). */
  private brokenAt: number | null = null;
  /** While standing by: the database went away since our last try (the holder gets a head start). */
  private outageSeen = false;
  private wake: (() => void) | null = null;
  /** While held: the fencing token we took the PBX with. */
  private token: string | null = null;

  constructor(
    private readonly pbx: string,
    private readonly databaseUrl: string,
    private readonly handlers: LeaseHandlers,
    private readonly logger: Logger,
    private readonly retryMs = 2000,
    private readonly graceMs = 60_000,
    private readonly fences?: PbxFences,
  ) {}

  get isHeld(): boolean {
    return this.held;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    void this.loop();
  }

  private async loop(): Promise<void> {
    while (this.running) {
      if (this.held && this.brokenAt !== null && Date.now() - this.brokenAt > this.graceMs) {
        await this.release('the database stayed away too long');
      }
      const client = new pg.Client({ connectionString: this.databaseUrl, application_name: `calldesk-lease-${this.pbx}` });
      let broken = false;
      const onBroken = () => {
        broken = true;
        this.wake?.();
      };
      client.on('error', onBroken);
      client.on('end', onBroken);
      try {
        await client.connect();
        this.client = client;
        if (!this.held && this.outageSeen) {
          await this.sleep(this.retryMs, () => broken);
          this.outageSeen = false;
        }
        while (this.running && !broken) {
          if (await tryPbxLock(client, this.pbx)) {
            if (this.held && (await currentToken(client, this.pbx)) !== this.token) await this.release('another instance held the PBX meanwhile');
            if (this.held) {
              this.logger.info({ pbx: this.pbx, outageMs: Date.now() - (this.brokenAt ?? Date.now()) }, 'PBX lease kept through a database outage');
              this.brokenAt = null;
            } else {
              this.token = await takeToken(client, this.pbx);
              this.fences?.set(this.pbx, this.token);
              this.held = true;
              this.logger.info({ pbx: this.pbx }, 'this instance ingests the PBX');
              await this.handlers.acquired();
            }
            await this.sleepUntilBroken(() => broken);
            if (broken && this.running) {
              this.brokenAt = Date.now();
              this.logger.warn({ pbx: this.pbx }, 'PBX lease: database connection broke; ingesting on while taking the lock back');
            }
            break;
          }
          if (this.held) await this.release('another instance holds the PBX now');
          await this.sleep(this.retryMs, () => broken);
        }
      } catch (err) {
        if (!this.held) this.outageSeen = true;
        // Retried every REGAIN_MS while we hold the PBX: said once per outage, not four times a second.
        const quiet = this.held && this.brokenAt !== null && Date.now() - this.brokenAt > REGAIN_MS * 2;
        if (this.running && !quiet) this.logger.warn({ pbx: this.pbx, err: (err as Error).message }, 'PBX lease: database not reachable; retrying');
      }
      this.client = null;
      if (broken && !this.held) this.outageSeen = true;
      await client.end().catch(() => undefined);
      if (this.running) await this.sleep(this.held ? REGAIN_MS : this.retryMs, () => false);
    }
  }

  private async release(why: string): Promise<void> {
    this.held = false;
    this.brokenAt = null;
    this.logger.warn({ pbx: this.pbx, why }, 'lost the PBX lease');
    await this.handlers.lost();
  }

  private sleepUntilBroken(broken: () => boolean): Promise<void> {
    return new Promise((resolve) => {
      if (broken() || !this.running) return resolve();
      this.wake = () => {
        this.wake = null;
        resolve();
      };
    });
  }

  private sleep(ms: number, broken: () => boolean): Promise<void> {
    return new Promise((resolve) => {
      if (broken()) return resolve();
      const timer = setTimeout(() => {
        this.wake = null;
        resolve();
      }, ms);
      this.wake = () => {
        clearTimeout(timer);
        this.wake = null;
        resolve();
      };
    });
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    // Closing the connection releases the lock.
    await this.client?.end().catch(() => undefined);
    if (this.held) {
      this.held = false;
      this.brokenAt = null;
      await this.handlers.lost();
    }
  }
}
