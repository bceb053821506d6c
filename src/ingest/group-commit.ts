// Batching is "group commit": when nothing is being written, what arrives is written at once
// (lowest latency); while a batch is in flight, new work gathers for the next one (highest
// throughput). A failed batch is kept and retried with backoff: nothing accepted is dropped while
// the database is away.
import type { Logger } from 'pino';
import type { Call } from '../calls/model';
import { pbxOfKey, type BatchResult, type CallerQuery, type CallStore, type DraftWrite, type TicketOp } from '../db/call-store';
import { fencedBy } from '../db/pbx-lock';
import type { AgentDirectory } from '../services/agent-directory';
import type { CallRow } from '../db/rows';
import { callToRow } from './call-rows';
import type { LiveCall } from './live-call';
import type { Push } from './push-protocol';

/** The latest state of a call touched since the last batch; made a row only when written. */
export interface Touched {
  call: Call;
  ctx: LiveCall;
}

export interface Lookup extends CallerQuery {
  ctx: LiveCall;
}

/** What one transaction writes, and the pushes that wait for it. */
export interface Batch {
  /** Only the latest state of each call is written; each push keeps the snapshot it shows. */
  calls: Map<string, Touched>;
  drafts: DraftWrite[];
  /** Calls with a draft in `drafts`. */
  drafting: Set<string>;
  ops: TicketOp[];
  pushes: Push[];
  /** Callers whose history the batch reads. */
  lookups: Lookup[];
  /** When its write began and ended (performance.now(); 0 until then): where a screen pop waited. */
  takenAt: number;
  writtenAt: number;
}

export interface BatchStats {
  dbHealthy: boolean;
  lastBatchMs: number;
  batches: number;
  written: number;
}

const emptyBatch = (): Batch => ({ calls: new Map(), drafts: [], drafting: new Set(), ops: [], pushes: [], lookups: [], takenAt: 0, writtenAt: 0 });

export class GroupCommit {
  /** Where new work gathers. */
  next: Batch = emptyBatch();
  /** The batch being written (its pushes not yet sent unless early). */
  inFlight: Batch | null = null;
  private flushing: Promise<void> | null = null;
  private retryDelay = 100;

  constructor(
    private readonly o: {
      store: CallStore;
      directory: AgentDirectory;
      logger: Logger;
      stats: BatchStats;
      /** A batch is written; runs before the next one is taken. */
      written(batch: Batch, result: BatchResult): void;
      /** A batch failed and went back into `next`. */
      requeued(): void;
      /** Pushes of a PBX another instance took over: never written here (its new leader writes and tells). */
      dropped(pushes: Push[]): void;
      /** Before a batch is written: what it must wait for (the draft lane's write of its calls). */
      before?(batch: Batch): Promise<void> | null;
    },
  ) {}

  /** A batch is being written: new work waits for the next. */
  get busy(): boolean {
    return this.flushing !== null;
  }

  /** Starts writing unless a batch is in flight (the gathered work then goes next). */
  kick(): void {
    if (this.flushing) return;
    this.flushing = this.flushLoop().finally(() => {
      this.flushing = null;
    });
  }

  /** Resolves when everything gathered so far is written. */
  async drain(): Promise<void> {
    // Calls too: a blocked caller's call is stored with no push.
    while (this.flushing || this.next.pushes.length > 0 || this.next.calls.size > 0) {
      if (!this.flushing) this.kick();
      await this.flushing;
    }
  }

  private async flushLoop(): Promise<void> {
    const stats = this.o.stats;
    while (this.next.pushes.length > 0 || this.next.calls.size > 0 || this.next.lookups.length > 0) {
      const batch = this.next;
      this.next = emptyBatch();
      this.inFlight = batch;
      const started = performance.now();
      batch.takenAt = started;
      const ready = this.o.before?.(batch);
      if (ready) await ready;
      let result: BatchResult;
      try {
        const rows: CallRow[] = [];
        for (const t of batch.calls.values()) rows.push(callToRow(t.call, t.ctx.id, this.o.directory));
        result = await this.o.store.writeBatch(rows, batch.drafts, batch.ops, batch.lookups);
      } catch (err) {
        this.inFlight = null;
        const fenced = fencedBy(err);
        if (fenced) {
          // Not a database fault: what we gathered for that PBX is the new leader's to write.
          this.o.logger.warn({ pbx: fenced.pbx }, 'another instance ingests the PBX now: its unwritten calls left to it');
          this.requeue(batch);
          this.o.dropped(this.drop(fenced.pbx));
          continue;
        }
        stats.dbHealthy = false;
        this.o.logger.error({ err: (err as Error).message, pending: batch.pushes.length, retryInMs: this.retryDelay }, 'writing calls failed; will retry');
        this.requeue(batch);
        this.o.requeued();
        await new Promise((r) => setTimeout(r, this.retryDelay));
        this.retryDelay = Math.min(this.retryDelay * 2, 5000);
        continue;
      }
      this.retryDelay = 100;
      stats.dbHealthy = true;
      stats.batches++;
      stats.written += batch.calls.size;
      batch.writtenAt = performance.now();
      stats.lastBatchMs = batch.writtenAt - started;
      this.inFlight = null;
      this.o.written(batch, result);
    }
  }

  /** Takes a PBX's work out of `next`; returns its pushes. */
  private drop(pbx: string): Push[] {
    const next = this.next;
    const ours = (key: string) => pbxOfKey(key) === pbx;
    const gone = new Set<LiveCall>();
    for (const [k, t] of next.calls) {
      if (!ours(k)) continue;
      gone.add(t.ctx);
      next.calls.delete(k);
    }
    for (const k of next.drafting) if (ours(k)) next.drafting.delete(k);
    next.drafts = next.drafts.filter((d) => !ours(d.callKey));
    next.ops = next.ops.filter((o) => !ours(o.callKey));
    next.lookups = next.lookups.filter((l) => !gone.has(l.ctx));
    const dropped = next.pushes.filter((p) => ours(p.key));
    next.pushes = next.pushes.filter((p) => !ours(p.key));
    return dropped;
  }

  /** A failed batch goes back ahead of what gathered meanwhile (a call's newer state wins). */
  private requeue(batch: Batch): void {
    const next = this.next;
    for (const [k, v] of batch.calls) if (!next.calls.has(k)) next.calls.set(k, v);
    next.drafts = batch.drafts.concat(next.drafts);
    for (const k of batch.drafting) next.drafting.add(k);
    next.ops = batch.ops.concat(next.ops);
    next.pushes = batch.pushes.concat(next.pushes);
    next.lookups = batch.lookups.concat(next.lookups);
  }
}
