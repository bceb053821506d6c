// Who gets which socket message when. A push is sent once what it shows is durable, with one
// exception that the screen pop's latency needs: `call.ringing` (and the supervisors'
// `call.started` / `call.updated` before it) goes to this instance's sockets as soon as the call's
// row, its draft and its caller's history are stored — by the draft lane or a batch; an agent is
// never shown a draft that is not stored — without waiting for the batch that stores the new leg. Other instances rebuild pushes from the
// database, so they are told only once that batch is written; a socket's snapshot waits for it
// too (see settled()). Each call's pushes go out in the order its facts happened.
import type { CallFact } from '../calls/model';
import type { PushRef } from '../realtime/fanout';
import type { Audience } from '../realtime/hub';
import type { AgentDirectory } from '../services/agent-directory';
import type { TicketRow } from '../db/rows';
import type { LiveCall } from './live-call';
import { callFactPush, customerPush, ticketPush, type OutgoingPush } from '../realtime/messages';
import type { ServerMessage } from '../wire/socket';

export interface Publisher {
  /**
   * `ref` names the rows the message shows, so other instances can rebuild it. `to`: only this
   * instance's sockets, only the other instances, or (default) both.
   */
  publish(audience: Audience, message: ServerMessage, ref?: PushRef, to?: 'local' | 'remote'): void;
}

export interface Push {
  fact: CallFact;
  key: string;
  ctx: LiveCall;
  /** Already sent to this instance's sockets, ahead of its batch. */
  sent: boolean;
  /** The message sent ahead: the other instances get the same one once the batch is written. */
  early?: OutgoingPush;
  /** A ringing leg's: when the pipeline took it (performance.now()), for the pop's wait record. */
  queuedAt?: number;
}

/**
 * Where one screen pop (`call.ringing`) waited between the pipeline taking its fact and its frame
 * going to the sockets: for the batch in flight (and its own to gather), then for the write of the
 * batch that stored its call, draft and caller history (`batchCalls` calls in it), then to send.
 */
export interface PopWait {
  totalMs: number;
  behindMs: number;
  ownBatchMs: number;
  sendMs: number;
  batchCalls: number;
}

/** The batch after whose write a push became ready to go. */
export interface ReadyBy {
  takenAt: number;
  writtenAt: number;
  calls: number;
}

/** Pushes that may go ahead of the batch storing them (see the top of the file). */
const EARLY = new Set<CallFact['kind']>(['call.started', 'leg.ringing', 'call.updated']);

export class PushProtocol {
  /** Pushes sent ahead of their batch, and how many of those batches are written since. */
  private sentEarly = 0;
  private storedEarly = 0;
  private settledWaiters: { n: number; resolve: () => void }[] = [];

  constructor(
    private readonly publisher: Publisher,
    private readonly directory: AgentDirectory,
    private readonly popWatchers: ReadonlySet<(w: PopWait) => void>,
  ) {}

  /** A push joins the queue of its batch; it goes at once if it may go early and nothing of its call waits. */
  queued(p: Push): void {
    p.ctx.unsent++;
    if (p.ctx.unsent === 1 && this.mayGoEarly(p.ctx, p.fact)) this.sendEarly(p);
  }

  /** After a batch: the queued pushes that may now go early, in order, each call's in its order. */
  sendReady(queued: readonly Push[], by: ReadyBy): void {
    let blocked: Set<string> | null = null;
    for (const p of queued) {
      if (p.sent || blocked?.has(p.key)) continue;
      if (this.mayGoEarly(p.ctx, p.fact)) this.sendEarly(p, by);
      else (blocked ??= new Set()).add(p.key);
    }
  }

  /**
   * A written batch: its pushes to this instance's sockets (unless sent early) and to the other
   * instances, and the requests it changed. Those sent early go to the others first, as they came
   * first here, so that every instance shows a call's frames in the same order.
   */
  written(pushes: readonly Push[], ids: ReadonlyMap<string, string>, changed: readonly TicketRow[], by: ReadyBy): void {
    let early = 0;
    for (const p of pushes) {
      if (!p.sent) continue;
      early++;
      this.send(p.early ?? callFactPush(p.fact, p.ctx, ids.get(p.key) ?? p.ctx.id, this.directory), 'remote');
      p.early = undefined;
    }
    for (const row of changed) this.ticketChanged(row);
    for (const p of pushes) {
      if (p.sent) continue;
      p.ctx.unsent--;
      this.send(callFactPush(p.fact, p.ctx, ids.get(p.key) ?? p.ctx.id, this.directory));
      if (p.queuedAt !== undefined && this.popWatchers.size > 0) this.recordPop(p.queuedAt, by);
    }
    this.earlyDone(early);
  }

  /** Pushes whose batch will never be written here (another instance took their PBX): none is sent. */
  dropped(pushes: readonly Push[]): void {
    let early = 0;
    for (const p of pushes) {
      if (p.sent) early++;
      else p.ctx.unsent--;
      p.early = undefined;
    }
    // Sent ahead, they count as settled: a socket's snapshot must not wait for rows never written here.
    this.earlyDone(early);
  }

  /** `early` pushes sent ahead are done with: whoever waits for them goes on. */
  private earlyDone(early: number): void {
    if (early === 0) return;
    this.storedEarly += early;
    const waiting = this.settledWaiters;
    this.settledWaiters = waiting.filter((w) => w.n > this.storedEarly);
    for (const w of waiting) if (w.n <= this.storedEarly) w.resolve();
  }

  /** Tells whoever should know that a request changed (and, when the customer changed it, what they said). */
  ticketChanged(row: TicketRow): void {
    this.send(ticketPush(row));
    if (row.customer_said) this.send(customerPush(row, row.customer_said));
  }

  /**
   * Resolves once every push sent so far is durable: one sent ahead of its batch (call.ringing)
   * names a leg that is stored only when that batch is written. A socket's snapshot, read from the
   * database, waits for this so that it never misses a pop sent before the socket joined.
   */
  settled(): Promise<void> {
    if (this.storedEarly >= this.sentEarly) return Promise.resolve();
    return new Promise((resolve) => this.settledWaiters.push({ n: this.sentEarly, resolve }));
  }

  private mayGoEarly(ctx: LiveCall, fact: CallFact): boolean {
    return EARLY.has(fact.kind) && ctx.stored && (!fact.call.supportLine || (ctx.ticket !== null && ctx.caller !== null));
  }

  private sendEarly(p: Push, by?: ReadyBy): void {
    p.early = callFactPush(p.fact, p.ctx, p.ctx.id, this.directory);
    this.send(p.early, 'local');
    p.sent = true;
    p.ctx.unsent--;
    this.sentEarly++;
    if (p.queuedAt !== undefined && this.popWatchers.size > 0) this.recordPop(p.queuedAt, by);
  }

  private recordPop(queuedAt: number, by: ReadyBy | undefined): void {
    const now = performance.now();
    const w: PopWait = by
      ? {
          totalMs: now - queuedAt,
          behindMs: Math.max(0, by.takenAt - queuedAt),
          ownBatchMs: by.writtenAt - Math.max(queuedAt, by.takenAt),
          sendMs: now - by.writtenAt,
          batchCalls: by.calls,
        }
      : { totalMs: now - queuedAt, behindMs: 0, ownBatchMs: 0, sendMs: now - queuedAt, batchCalls: 0 };
    for (const watch of this.popWatchers) watch(w);
  }

  private send(push: OutgoingPush, to?: 'local' | 'remote'): void {
    this.publisher.publish(push.audience, push.message, push.ref, to);
  }
}
