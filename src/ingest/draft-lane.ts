// The draft lane: a small write path of its own for what a screen pop waits on — a new call's
// row, and for a support-line call its draft request and its caller's history. The main batch
// (group-commit.ts) may be busy writing a hundred calls; a call that starts meanwhile would wait
// for that batch and then for its own, which carries other calls' changes too. The lane writes
// a new call at once, beside the main batch, in a small transaction of its own, so its agent's
// phone can ring on a stored draft within milliseconds (pipeline.ts decides which call goes where).
//
// The lane only stores; it never retries. What it could not write (database away, PBX taken over
// by another instance) goes back to the main batch, which retries, fences and drops as it always
// did. The main batch writes a call in the lane only after the lane is done with it, so the two
// never wait on each other's row locks and the main batch's later state of the call wins.
import type { Logger } from 'pino';
import type { BatchResult, CallStore, DraftWrite } from '../db/call-store';
import type { AgentDirectory } from '../services/agent-directory';
import { callToRow } from './call-rows';
import type { Lookup, Touched } from './group-commit';

/** What one lane transaction writes. */
export interface LaneBatch {
  seq: number;
  calls: Map<string, Touched>;
  drafts: DraftWrite[];
  lookups: Lookup[];
  takenAt: number;
  writtenAt: number;
}

/** Calls gathered for the lane beyond which new calls go with the main batch (a burst, not a pop). */
const LANE_MAX_CALLS = 4;

/**
 * Lane batches written at once, each on its own connection: a new call is not held up by a lane
 * write that waits (a lock on another call's rows, say) while another connection is free.
 */
const LANE_WRITERS = 2;

export class DraftLane {
  private next: LaneBatch;
  private writers = 0;
  /** Lane batches not finished yet (gathering or being written), with who waits for each. */
  private readonly unfinished = new Map<number, (() => void)[]>();
  /** Batches the lane could not write, for the main batch to take. */
  private failed: LaneBatch[] = [];

  constructor(
    private readonly o: {
      store: CallStore;
      directory: AgentDirectory;
      logger: Logger;
      /** A lane batch is durable: its calls are stored, their drafts and callers known. */
      written(batch: LaneBatch, result: BatchResult): void;
      /** A lane batch failed: the main batch must take it (takeFailed) and is kicked. */
      handedBack(): void;
    },
  ) {
    this.next = this.emptyBatch(1);
  }

  /** A new call given now would be written at once (a writer is free). */
  get free(): boolean {
    return this.writers < LANE_WRITERS;
  }

  /** Whether a new call can go in the lane now (it does not take a burst). */
  get hasRoom(): boolean {
    return this.next.calls.size < LANE_MAX_CALLS;
  }

  /** Takes a new call, with its draft and its caller's question if it has them; returns the lane batch it is in. */
  add(key: string, touched: Touched, draft: DraftWrite | null, lookup: Lookup | null): number {
    const batch = this.next;
    if (batch.calls.size === 0) this.unfinished.set(batch.seq, []);
    batch.calls.set(key, touched);
    if (draft) batch.drafts.push(draft);
    if (lookup) batch.lookups.push(lookup);
    this.startWriters();
    return batch.seq;
  }

  /** Resolves once each lane batch in `seqs` is written or handed back; null if all are. */
  finished(seqs: Iterable<number>): Promise<void> | null {
    const waits: Promise<void>[] = [];
    for (const seq of seqs) {
      const waiting = this.unfinished.get(seq);
      if (waiting) waits.push(new Promise((resolve) => waiting.push(resolve)));
    }
    return waits.length > 0 ? Promise.all(waits).then(() => undefined) : null;
  }

  /** The batches the lane could not write (the main batch writes them now). */
  takeFailed(): LaneBatch[] {
    const failed = this.failed;
    this.failed = [];
    return failed;
  }

  private emptyBatch(seq: number): LaneBatch {
    return { seq, calls: new Map(), drafts: [], lookups: [], takenAt: 0, writtenAt: 0 };
  }

  private startWriters(): void {
    while (this.writers < LANE_WRITERS && this.next.calls.size > 0) {
      const batch = this.next;
      this.next = this.emptyBatch(batch.seq + 1);
      this.writers++;
      void this.write(batch).finally(() => {
        this.writers--;
        this.startWriters();
      });
    }
  }

  private async write(batch: LaneBatch): Promise<void> {
    batch.takenAt = performance.now();
    let result: BatchResult | null = null;
    try {
      const rows = [...batch.calls.values()].map((t) => callToRow(t.call, t.ctx.id, this.o.directory));
      result = await this.o.store.writeBatch(rows, batch.drafts, [], batch.lookups);
    } catch (err) {
      this.o.logger.warn({ err: (err as Error).message, calls: batch.calls.size }, 'draft lane could not write; the main batch takes its calls');
      this.failed.push(batch);
    }
    batch.writtenAt = performance.now();
    if (result) this.o.written(batch, result);
    else this.o.handedBack();
    const waiting = this.unfinished.get(batch.seq) ?? [];
    this.unfinished.delete(batch.seq);
    for (const resolve of waiting) resolve();
  }
}
