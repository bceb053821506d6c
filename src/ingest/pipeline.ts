// The hot path after the call model: facts → request effects (request-effects.ts) → one batched
// transaction (group-commit.ts) → pushes to the agents' sockets (push-protocol.ts), in the order
// the facts happened (per call). What ingest knows of each live call (LiveCall) comes with its facts
// from the call model, which keeps it with the call; this file wires the three together.
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { CallFact } from '../calls/model';
import { callKey, type BatchResult, type CallStore } from '../db/call-store';
import type { AgentDirectory } from '../services/agent-directory';
import type { TicketRow } from '../db/rows';
import { DraftLane, type LaneBatch } from './draft-lane';
import { GroupCommit, type Batch, type Lookup, type Touched } from './group-commit';
import { detach, type LiveCall } from './live-call';
import { PushProtocol, type PopWait, type Publisher, type Push } from './push-protocol';
import { requestEffects } from './request-effects';

export type { PopWait, Publisher } from './push-protocol';

export interface PipelineOptions {
  store: CallStore;
  directory: AgentDirectory;
  publisher: Publisher;
  logger: Logger;
  /** Facts waiting to be written beyond which the PBX is asked to wait (back-pressure). */
  highWater?: number;
  onPressure?: (paused: boolean) => void;
  /** A batch or a lane batch is stored, with this many calls. */
  onWritten?: (calls: number) => void;
  now?: () => Date;
}

export interface PipelineStats {
  pending: number;
  paused: boolean;
  dbHealthy: boolean;
  lastBatchMs: number;
  batches: number;
  written: number;
}

export class IngestPipeline {
  private readonly commit: GroupCommit;
  private readonly lane: DraftLane;
  private readonly pushes: PushProtocol;
  private paused = false;
  private readonly highWater: number;
  readonly stats: PipelineStats = { pending: 0, paused: false, dbHealthy: true, lastBatchMs: 0, batches: 0, written: 0 };
  /** Told where each screen pop waited (metrics, the benchmark's tail profile). */
  readonly popWatchers = new Set<(w: PopWait) => void>();

  constructor(private readonly o: PipelineOptions) {
    this.highWater = o.highWater ?? 20_000;
    this.pushes = new PushProtocol(o.publisher, o.directory, this.popWatchers);
    this.commit = new GroupCommit({
      store: o.store,
      directory: o.directory,
      logger: o.logger,
      stats: this.stats,
      written: (batch, result) => this.written(batch, result),
      requeued: () => this.updatePressure(),
      dropped: (pushes) => {
        this.pushes.dropped(pushes);
        this.updatePressure();
      },
      before: (batch) => this.afterLane(batch),
    });
    this.lane = new DraftLane({
      store: o.store,
      directory: o.directory,
      logger: o.logger,
      written: (batch, result) => this.laneWritten(batch, result),
      handedBack: () => this.commit.kick(),
    });
  }

  /** Takes the facts of one AMI event. Synchronous: never blocks the reading of the PBX. */
  accept(facts: CallFact<LiveCall>[]): void {
    for (const fact of facts) this.acceptOne(fact);
    if (facts.length > 0) this.commit.kick();
  }

  /** Resolves when everything accepted so far is written and pushed. */
  drain(): Promise<void> {
    return this.commit.drain();
  }

  /** See PushProtocol.settled. */
  settled(): Promise<void> {
    return this.pushes.settled();
  }

  /** Tells whoever should know that a request changed. */
  publishTicket(row: TicketRow): void {
    this.pushes.ticketChanged(row);
  }

  private acceptOne(given: CallFact<LiveCall>): void {
    const call = detach(given.call);
    const fact = { ...given, call };
    const key = callKey(call.pbx, call.linkedid);
    const ctx = given.attached;
    const batch = this.commit.next;
    batch.calls.set(key, { call, ctx });
    const at = this.o.now?.() ?? new Date();
    // A draft on its way is in the gathering batch, the batch being written, or the lane: a second
    // one would be dropped by the database, but only after waiting for the first one's transaction.
    const drafting = batch.drafting.has(key) || this.commit.inFlight?.drafting.has(key) === true || ctx.laneDraft;
    const progress = { hasDraft: ctx.ticket !== null || drafting, asked: ctx.asked, reached: ctx.reached };
    const effects = requestEffects(fact, key, progress, (ext) => this.o.directory.byExtension(ext)?.id, at);
    // Read with the write that stores the call's start, in the same round trip (a burst of new calls
    // costs no query each), so it is there before any phone rings. Withheld callers have no
    // history: they never match each other.
    let lookup: Lookup | null = null;
    if (effects.askCaller) {
      ctx.asked = true;
      if (call.callerNumber === null) ctx.caller = { number: null, calls: [], openTickets: [] };
      else lookup = { number: call.callerNumber, linkedid: call.linkedid, ctx };
    }
    // A new call's phone may ring only once the call is stored, with its draft on the support line.
    // The lane stores it in a small transaction of its own: in the main batch it would wait for the
    // batch in flight, then for its own, which also carries other calls' changes (and takes a
    // second round trip when they change requests). While the lane's writers are all busy, a call
    // goes with the main batch if that is idle (so a lane held up holds up no one after it), and a
    // burst beyond the lane's room goes with the batches.
    const toLane = (this.lane.free || this.commit.busy) && this.lane.hasRoom && ctx.laneSeq === 0 && !ctx.stored && !call.blocked;
    if (effects.draft) {
      const draft = { callKey: key, ticketId: randomUUID(), callerNumber: call.callerNumber, createdAt: call.startedAt };
      if (toLane) {
        ctx.laneSeq = this.lane.add(key, { call, ctx }, draft, lookup);
        ctx.laneDraft = true;
        lookup = null;
      } else {
        batch.drafts.push(draft);
        batch.drafting.add(key);
      }
    } else if (toLane && fact.kind === 'call.started') {
      ctx.laneSeq = this.lane.add(key, { call, ctx }, null, null);
    }
    if (lookup) batch.lookups.push(lookup);
    if (effects.reached) ctx.reached = true;
    for (const op of effects.ops) batch.ops.push(op);
    // A blocked caller's call is pushed to no one (no pop, not on anyone's live list): only stored.
    if (!call.blocked) {
      const push: Push = { fact, key, ctx, sent: false, queuedAt: fact.kind === 'leg.ringing' ? performance.now() : undefined };
      batch.pushes.push(push);
      this.pushes.queued(push);
    }
    this.updatePressure();
  }

  /** A batch is durable: what it stored becomes known, then its pushes go out. */
  private written(batch: Batch, result: BatchResult): void {
    this.learn(batch.calls, batch.lookups, result);
    this.o.onWritten?.(batch.calls.size);
    if (result.changedTickets.length > 0) {
      // A request the batch changed is a draft of one of its calls (owner, missed) or of an ended
      // call (a call back): the calls of the batch are where a live draft can be.
      const byTicket = new Map<string, LiveCall>();
      for (const { ctx } of batch.calls.values()) if (ctx.ticket) byTicket.set(ctx.ticket.id, ctx);
      for (const t of result.changedTickets) {
        const ctx = byTicket.get(t.id);
        if (ctx) ctx.ticket = t;
      }
    }
    const by = { takenAt: batch.takenAt, writtenAt: batch.writtenAt, calls: batch.calls.size };
    this.pushes.written(batch.pushes, result.callIds, result.changedTickets, by);
    this.pushes.sendReady(this.commit.next.pushes, by);
    this.updatePressure();
  }

  /** The lane stored new calls and their drafts: their pops may go, wherever their pushes wait. */
  private laneWritten(batch: LaneBatch, result: BatchResult): void {
    this.learn(batch.calls, batch.lookups, result);
    this.o.onWritten?.(batch.calls.size);
    for (const { ctx } of batch.calls.values()) {
      ctx.laneSeq = 0;
      ctx.laneDraft = false;
    }
    const by = { takenAt: batch.takenAt, writtenAt: batch.writtenAt, calls: batch.calls.size };
    const inFlight = this.commit.inFlight;
    this.pushes.sendReady(inFlight ? [...inFlight.pushes, ...this.commit.next.pushes] : this.commit.next.pushes, by);
  }

  /** What a write stored becomes known to its calls: ids, drafts, callers' histories. */
  private learn(calls: ReadonlyMap<string, Touched>, lookups: readonly Lookup[], result: BatchResult): void {
    result.callers.forEach((info, i) => (lookups[i].ctx.caller = info));
    for (const [key, id] of result.callIds) {
      const ctx = calls.get(key)?.ctx;
      if (ctx) {
        ctx.id = id;
        ctx.stored = true;
      }
    }
    for (const [key, t] of result.drafts) {
      const ctx = calls.get(key)?.ctx;
      if (ctx) ctx.ticket = t;
    }
  }

  /**
   * A batch about to be written waits for the lane to be done with its calls (so the two never
   * hold each other's rows), and takes what the lane could not write.
   */
  private afterLane(batch: Batch): Promise<void> | null {
    const seqs = new Set<number>();
    for (const { ctx } of batch.calls.values()) if (ctx.laneSeq > 0) seqs.add(ctx.laneSeq);
    const wait = seqs.size > 0 ? this.lane.finished(seqs) : null;
    if (wait) return wait.then(() => this.takeBack(batch));
    this.takeBack(batch);
    return null;
  }

  private takeBack(batch: Batch): void {
    for (const failed of this.lane.takeFailed()) {
      for (const [key, touched] of failed.calls) {
        if (!batch.calls.has(key)) batch.calls.set(key, touched);
        touched.ctx.laneSeq = 0;
        touched.ctx.laneDraft = false;
      }
      for (const d of failed.drafts) batch.drafting.add(d.callKey);
      batch.drafts.push(...failed.drafts);
      batch.lookups.push(...failed.lookups);
    }
  }

  private updatePressure(): void {
    const pending = this.commit.next.pushes.length;
    this.stats.pending = pending;
    const shouldPause = pending >= this.highWater || (this.paused && pending > this.highWater / 2);
    if (shouldPause !== this.paused) {
      this.paused = shouldPause;
      this.stats.paused = shouldPause;
      this.o.logger.warn({ pending }, shouldPause ? 'write queue full: pausing the PBX stream' : 'write queue drained: resuming the PBX stream');
      this.o.onPressure?.(shouldPause);
    }
  }
}
