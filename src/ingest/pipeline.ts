// The hot path after the call model: facts → one batched transaction → pushes to the agents'
// sockets, in the order the facts happened (per call). A push is sent once what it shows is
// durable, with one exception that the screen pop's latency needs: `call.ringing` (and the
// supervisors' `call.updated` before it) goes to this instance's sockets as soon as the call's
// row, its draft and its caller's history are stored — an agent is never shown a draft that is
// not stored — without waiting for the batch that stores the new leg. Other instances rebuild
// pushes from the database, so they are told only once that batch is written; a socket's snapshot
// waits for it too (see settled()).
//
// Batching is "group commit": when nothing is being written, a fact is written at once (lowest
// latency); while a batch is in flight, new facts gather for the next one (highest throughput).
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Call, CallFact } from '../calls/model';
import { callKey, type CallerQuery, type CallStore, type DraftWrite, type TicketOp } from '../db/call-store';
import type { Audience } from '../realtime/hub';
import type { PushRef } from '../realtime/fanout';
import type { AgentDirectory } from '../services/agent-directory';
import type { CallerInfo } from '../services/caller-lookup';
import { callView, type CallRow } from '../views/call-view';
import { ticketView, type TicketRow } from '../views/ticket-view';
import { callToRow } from './call-rows';

export interface Publisher {
  /**
   * `ref` names the rows the message shows, so other instances can rebuild it. `to`: only this
   * instance's sockets, only the other instances, or (default) both.
   */
  publish(audience: Audience, message: { type: string } & Record<string, unknown>, ref?: PushRef, to?: 'local' | 'remote'): void;
}

interface LiveCall {
  id: string;
  ticket: TicketRow | null;
  /** The caller's history, once read (support-line calls). */
  caller: CallerInfo | null;
  /** The caller's history has been asked for. */
  asked: boolean;
  /** The call's answer has been acted on (the caller it reached is done with their call backs). */
  reached: boolean;
  /** A batch holding the call has been written: its row exists. */
  stored: boolean;
  /** Its pushes not yet sent to this instance's sockets. */
  unsent: number;
}

interface Push {
  fact: CallFact;
  key: string;
  ctx: LiveCall;
  /** Already sent to this instance's sockets, ahead of its batch. */
  sent: boolean;
}

/** Pushes that may go ahead of the batch storing them (see the top of the file). */
const EARLY = new Set<CallFact['kind']>(['leg.ringing', 'call.updated']);

/** The latest state of a call touched since the last batch; made a row only when written. */
interface Touched {
  call: Call;
  id: string;
}

// asterisk-manager cuts every value out of the socket chunk it came in (64 KiB at full speed), and
// V8 keeps a whole chunk alive as long as one such slice is: a backlog of facts would hold the
// chunks it was read from (150 MB at 20,000 facts). Copies of the few AMI-made strings a call
// carries cut that tie.
const own = <T extends string | null>(s: T): T => (s === null ? s : ((' ' + s).slice(1) as T));
function detach(call: Call): Call {
  return {
    ...call,
    linkedid: own(call.linkedid),
    callerNumberRaw: own(call.callerNumberRaw),
    callerName: own(call.callerName),
    queue: own(call.queue),
    hangupCause: own(call.hangupCause),
  };
}

interface Lookup extends CallerQuery {
  ctx: LiveCall;
}

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
  private readonly live = new Map<string, LiveCall>();
  /** Live calls by the id of their draft, to refresh it when a batch changes the request. */
  private readonly byTicket = new Map<string, LiveCall>();
  private calls = new Map<string, Touched>();
  private drafts: DraftWrite[] = [];
  /** Calls with a draft waiting in `drafts`. */
  private drafting = new Set<string>();
  private ops: TicketOp[] = [];
  private pushes: Push[] = [];
  private flushing: Promise<void> | null = null;
  /** Callers whose history the next batch reads. */
  private lookups: Lookup[] = [];
  private retryDelay = 100;
  /** Pushes sent ahead of their batch, and how many of those batches are written since. */
  private sentEarly = 0;
  private storedEarly = 0;
  private settledWaiters: { n: number; resolve: () => void }[] = [];
  private paused = false;
  private readonly highWater: number;
  readonly stats: PipelineStats = { pending: 0, paused: false, dbHealthy: true, lastBatchMs: 0, batches: 0, written: 0 };

  constructor(private readonly o: PipelineOptions) {
    this.highWater = o.highWater ?? 20_000;
  }

  /** Takes the facts of one AMI event. Synchronous: never blocks the reading of the PBX. */
  accept(facts: CallFact[]): void {
    for (const fact of facts) this.acceptOne(fact);
    if (facts.length > 0) this.kick();
  }

  /** Resolves when everything accepted so far is written and pushed. */
  async drain(): Promise<void> {
    while (this.flushing || this.pushes.length > 0) {
      if (!this.flushing) this.kick();
      await this.flushing;
    }
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

  /** The stored id of a live call, if known. */
  liveCallId(pbx: string, linkedid: string): string | undefined {
    return this.live.get(callKey(pbx, linkedid))?.id;
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
    // Only the latest state of a call is written; each push keeps the snapshot it shows.
    this.calls.set(key, { call, id: ctx.id });
    const at = this.o.now?.() ?? new Date();
    switch (fact.kind) {
      case 'call.started':
      case 'call.updated':
        if (call.supportLine && !ctx.ticket && !this.drafting.has(key)) {
          this.drafts.push({ callKey: key, ticketId: randomUUID(), callerNumber: call.callerNumber, createdAt: call.startedAt });
          this.drafting.add(key);
        }
        if (call.supportLine && !ctx.asked) this.lookupCaller(call, ctx);
        break;
      case 'leg.answered': {
        const agent = this.o.directory.byExtension(fact.extension);
        if (fact.first && agent) this.ops.push({ kind: 'owner', callKey: key, agentId: agent.id, fromAgentId: null, at });
        break;
      }
      case 'call.transferred': {
        const to = this.o.directory.byExtension(fact.to);
        const from = this.o.directory.byExtension(fact.from);
        if (to) this.ops.push({ kind: 'owner', callKey: key, agentId: to.id, fromAgentId: from?.id ?? null, at });
        break;
      }
      case 'call.ended':
        if (call.supportLine && call.outcome === 'missed') this.ops.push({ kind: 'missed', callKey: key, at });
        break;
      case 'leg.ringing':
      case 'leg.ring_stopped':
        break;
      default: {
        const _: never = fact;
        return _;
      }
    }
    if (call.answeredAt !== null && !ctx.reached) {
      // Answered (by an agent, or an agent's call out answered by the customer): that caller is reached.
      ctx.reached = true;
      const reached = call.direction === 'outbound' ? call.calledNumber : call.callerNumber;
      if (reached) this.ops.push({ kind: 'callback_reached', callKey: key, number: reached, at });
    }
    const push: Push = { fact, key, ctx, sent: false };
    this.pushes.push(push);
    ctx.unsent++;
    if (ctx.unsent === 1 && this.mayGoEarly(ctx, fact)) this.sendEarly(push, ctx);
    this.updatePressure();
  }

  /** Whether a push may go to this instance's sockets before its batch: see the top of the file. */
  private mayGoEarly(ctx: LiveCall, fact: CallFact): boolean {
    return EARLY.has(fact.kind) && ctx.stored && (!fact.call.supportLine || (ctx.ticket !== null && ctx.caller !== null));
  }

  private sendEarly(p: Push, ctx: LiveCall): void {
    this.deliver(p, ctx, ctx.id, 'local');
    p.sent = true;
    ctx.unsent--;
    this.sentEarly++;
  }

  /** After a batch: the queued pushes that may now go early, in order, each call's in its order. */
  private sendReady(): void {
    let blocked: Set<string> | null = null;
    for (const p of this.pushes) {
      if (p.sent || blocked?.has(p.key)) continue;
      if (this.mayGoEarly(p.ctx, p.fact)) this.sendEarly(p, p.ctx);
      else (blocked ??= new Set()).add(p.key);
    }
  }

  /**
   * The caller's history for the screen pop: read by the batch that stores the call's start, in the
   * same round trip (a burst of new calls costs no query each), so it is there before any phone
   * rings. Withheld callers have no history: they never match each other.
   */
  private lookupCaller(call: Call, ctx: LiveCall): void {
    ctx.asked = true;
    const number = call.callerNumber;
    if (number === null) ctx.caller = { number, calls: [], openTickets: [] };
    else this.lookups.push({ number, linkedid: call.linkedid, ctx });
  }

  private kick(): void {
    if (this.flushing) return;
    this.flushing = this.flushLoop().finally(() => {
      this.flushing = null;
    });
  }

  private async flushLoop(): Promise<void> {
    while (this.pushes.length > 0 || this.calls.size > 0 || this.lookups.length > 0) {
      const calls = this.calls;
      const drafts = this.drafts;
      const drafting = this.drafting;
      const ops = this.ops;
      const pushes = this.pushes;
      const lookups = this.lookups;
      this.calls = new Map();
      this.lookups = [];
      this.drafts = [];
      this.drafting = new Set();
      this.ops = [];
      this.pushes = [];
      const started = performance.now();
      let result;
      try {
        const rows: CallRow[] = [];
        for (const [key, t] of calls) rows.push(callToRow(t.call, this.live.get(key)?.id ?? t.id, this.o.directory));
        result = await this.o.store.writeBatch(rows, drafts, ops, lookups);
      } catch (err) {
        // Keep everything and try again: nothing accepted is dropped while the database is away.
        this.stats.dbHealthy = false;
        this.o.logger.error({ err: (err as Error).message, pending: pushes.length, retryInMs: this.retryDelay }, 'writing calls failed; will retry');
        for (const [k, v] of calls) if (!this.calls.has(k)) this.calls.set(k, v);
        this.drafts = drafts.concat(this.drafts);
        for (const k of drafting) this.drafting.add(k);
        this.ops = ops.concat(this.ops);
        this.pushes = pushes.concat(this.pushes);
        this.lookups = lookups.concat(this.lookups);
        this.updatePressure();
        await new Promise((r) => setTimeout(r, this.retryDelay));
        this.retryDelay = Math.min(this.retryDelay * 2, 5000);
        continue;
      }
      this.retryDelay = 100;
      this.stats.dbHealthy = true;
      this.stats.batches++;
      this.stats.written += calls.size;
      this.stats.lastBatchMs = performance.now() - started;
      result.callers.forEach((info, i) => (lookups[i].ctx.caller = info));
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
      this.publishAll(pushes, result.callIds);
      this.sendReady();
      this.updatePressure();
    }
  }

  /** A written batch's pushes: to this instance's sockets (unless sent early) and to the other instances. */
  private publishAll(pushes: Push[], ids: Map<string, string>): void {
    let early = 0;
    for (const p of pushes) {
      const ctx = p.ctx;
      const id = ids.get(p.key) ?? ctx.id;
      if (p.sent) early++;
      else ctx.unsent--;
      this.deliver(p, ctx, id, p.sent ? 'remote' : undefined);
      if (p.fact.kind === 'call.ended') {
        if (this.live.get(p.key) === ctx) this.live.delete(p.key);
        if (ctx.ticket && this.byTicket.get(ctx.ticket.id) === ctx) this.byTicket.delete(ctx.ticket.id);
      }
    }
    if (early > 0) {
      this.storedEarly += early;
      const waiting = this.settledWaiters;
      this.settledWaiters = waiting.filter((w) => w.n > this.storedEarly);
      for (const w of waiting) if (w.n <= this.storedEarly) w.resolve();
    }
  }

  /** One push as a message to its audience. */
  private deliver(p: Push, ctx: LiveCall, id: string, to?: 'local' | 'remote'): void {
    const fact = p.fact;
    const publish = (audience: Audience, message: { type: string } & Record<string, unknown>, ref: PushRef) =>
      this.o.publisher.publish(audience, message, ref, to);
    const ticket = ctx.ticket;
    const row = callToRow(fact.call, id, this.o.directory);
    const call = callView(row, ticket ? [ticket.id] : [], this.o.directory);
    const agentOf = (ext: string) => this.o.directory.byExtension(ext);
    const ref = (ext: string) => {
      const a = agentOf(ext);
      return { id: a?.id ?? null, login: a?.login ?? null, extension: ext };
    };
    const tv = ticket ? ticketView(ticket) : null;
    const rows = { callId: id, ticketId: ticket?.id };
    switch (fact.kind) {
      case 'call.started':
        return publish({ supervisors: true }, { type: 'call.started', call }, { callId: id });
      case 'call.updated':
        return publish({ supervisors: true }, { type: 'call.updated', call }, { callId: id });
      case 'leg.ringing': {
        const caller = ctx.caller ?? { number: call.callerNumber, calls: [], openTickets: [] };
        return publish(
          { agentIds: [agentOf(fact.extension)?.id], supervisors: true },
          { type: 'call.ringing', call, ticket: tv, caller, extension: fact.extension },
          { ...rows, caller: true },
        );
      }
      case 'leg.ring_stopped':
        return publish({ agentIds: [agentOf(fact.extension)?.id] }, { type: 'call.ring_stopped', call, reason: fact.reason, extension: fact.extension }, { callId: id });
      case 'leg.answered':
        return publish({ agentIds: [agentOf(fact.extension)?.id], supervisors: true }, { type: 'call.answered', call, ticket: tv, extension: fact.extension, first: fact.first }, rows);
      case 'call.transferred':
        return publish(
          { agentIds: [agentOf(fact.from)?.id, agentOf(fact.to)?.id], supervisors: true },
          { type: 'call.transferred', call, ticket: tv, from: ref(fact.from), to: ref(fact.to) },
          rows,
        );
      case 'call.ended':
        return publish({ agentIds: row.agent_ids, supervisors: true }, { type: 'call.ended', call }, { callId: id });
      default: {
        const _: never = fact;
        return _;
      }
    }
  }

  /** Tells whoever should know that a request changed. */
  publishTicket(row: TicketRow): void {
    const agentIds = row.former_assignees ? [...row.assignees, ...row.former_assignees] : row.assignees;
    this.o.publisher.publish({ agentIds, supervisors: true, ticketId: row.id }, { type: 'ticket.updated', ticket: ticketView(row) }, { ticketId: row.id });
  }

  private updatePressure(): void {
    const pending = this.pushes.length;
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
