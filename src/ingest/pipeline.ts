// The hot path after the call model: facts → request effects (request-effects.ts) → one batched
// transaction (group-commit.ts) → pushes to the agents' sockets (push-protocol.ts), in the order
// the facts happened (per call). This file keeps what ingest knows of each live call and wires
// the three together.
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { CallFact } from '../calls/model';
import { callKey, type BatchResult, type CallStore } from '../db/call-store';
import type { AgentDirectory } from '../services/agent-directory';
import type { TicketRow } from '../views/ticket-view';
import { GroupCommit, type Batch } from './group-commit';
import { detach, type LiveCall } from './live-call';
import { PushProtocol, type Publisher, type Push } from './push-protocol';
import { requestEffects } from './request-effects';

export type { Publisher } from './push-protocol';

export interface PipelineOptions {
  store: CallStore;
  directory: AgentDirectory;
  publisher: Publisher;
  logger: Logger;
  /** Facts waiting to be written beyond which the PBX is asked to wait (back-pressure). */
  highWater?: number;
  onPressure?: (paused: boolean) => void;
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
  /** Calls whose last push is not yet published, by call key. */
  private readonly live = new Map<string, LiveCall>();
  /** Live calls by the id of their draft, to refresh it when a batch changes the request. */
  private readonly byTicket = new Map<string, LiveCall>();
  private readonly commit: GroupCommit;
  private readonly pushes: PushProtocol;
  private paused = false;
  private readonly highWater: number;
  readonly stats: PipelineStats = { pending: 0, paused: false, dbHealthy: true, lastBatchMs: 0, batches: 0, written: 0 };

  constructor(private readonly o: PipelineOptions) {
    this.highWater = o.highWater ?? 20_000;
    this.pushes = new PushProtocol(o.publisher, o.directory);
    this.commit = new GroupCommit({
      store: o.store,
      directory: o.directory,
      logger: o.logger,
      stats: this.stats,
      written: (batch, result) => this.written(batch, result),
      requeued: () => this.updatePressure(),
    });
  }

  /** Takes the facts of one AMI event. Synchronous: never blocks the reading of the PBX. */
  accept(facts: CallFact[]): void {
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

  private acceptOne(given: CallFact): void {
    const call = detach(given.call);
    const fact = { ...given, call };
    const key = callKey(call.pbx, call.linkedid);
    let ctx = this.live.get(key);
    if (!ctx) {
      ctx = { id: randomUUID(), ticket: null, caller: null, asked: false, reached: false, stored: false, unsent: 0 };
      this.live.set(key, ctx);
    }
    const batch = this.commit.next;
    batch.calls.set(key, { call, ctx });
    const at = this.o.now?.() ?? new Date();
    const progress = { hasDraft: ctx.ticket !== null || batch.drafting.has(key), asked: ctx.asked, reached: ctx.reached };
    const effects = requestEffects(fact, key, progress, (ext) => this.o.directory.byExtension(ext)?.id, at);
    if (effects.draft) {
      batch.drafts.push({ callKey: key, ticketId: randomUUID(), callerNumber: call.callerNumber, createdAt: call.startedAt });
      batch.drafting.add(key);
    }
    if (effects.askCaller) {
      // Read by the batch that stores the call's start, in the same round trip (a burst of new calls
      // costs no query each), so it is there before any phone rings. Withheld callers have no
      // history: they never match each other.
      ctx.asked = true;
      if (call.callerNumber === null) ctx.caller = { number: null, calls: [], openTickets: [] };
      else batch.lookups.push({ number: call.callerNumber, linkedid: call.linkedid, ctx });
    }
    if (effects.reached) ctx.reached = true;
    for (const op of effects.ops) batch.ops.push(op);
    const push: Push = { fact, key, ctx, sent: false };
    batch.pushes.push(push);
    this.pushes.queued(push);
    this.updatePressure();
  }

  /** A batch is durable: what it stored becomes known, then its pushes go out. */
  private written(batch: Batch, result: BatchResult): void {
    result.callers.forEach((info, i) => (batch.lookups[i].ctx.caller = info));
    for (const [key, id] of result.callIds) {
      const ctx = this.live.get(key);
      if (ctx) {
        ctx.id = id;
        ctx.stored = true;
      }
    }
    for (const [key, t] of result.drafts) {
      const ctx = this.live.get(key);
      if (ctx) {
        ctx.ticket = t;
        this.byTicket.set(t.id, ctx);
      }
    }
    for (const t of result.changedTickets) {
      const ctx = this.byTicket.get(t.id);
      if (ctx) ctx.ticket = t;
      this.publishTicket(t);
    }
    this.pushes.written(batch.pushes, result.callIds);
    for (const p of batch.pushes) if (p.fact.kind === 'call.ended') this.forget(p);
    this.pushes.sendReady(this.commit.next.pushes);
    this.updatePressure();
  }

  /** The call's last push is out: ingest lets go of it. */
  private forget(p: Push): void {
    const ctx = p.ctx;
    if (this.live.get(p.key) === ctx) this.live.delete(p.key);
    if (ctx.ticket && this.byTicket.get(ctx.ticket.id) === ctx) this.byTicket.delete(ctx.ticket.id);
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
