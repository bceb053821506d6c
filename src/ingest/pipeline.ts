// The hot path after the call model: facts → one batched transaction → pushes to the agents'
// sockets, in the order the facts happened. A push about a call is sent only once what it
// shows is durable (the screen pop carries a draft that is already stored).
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
import type { CallerInfo, CallerLookup } from '../services/caller-lookup';
import { callView, type CallRow } from '../views/call-view';
import { ticketView, type TicketRow } from '../views/ticket-view';
import { callToRow } from './call-rows';

export interface Publisher {
  /** `ref` names the rows the message shows, so other instances can rebuild it. */
  publish(audience: Audience, message: { type: string } & Record<string, unknown>, ref?: PushRef): void;
}

interface LiveCall {
  id: string;
  ticket: TicketRow | null;
  caller: Promise<CallerInfo> | null;
  /** The call's answer has been acted on (the caller it reached is done with their call backs). */
  reached: boolean;
}

interface Push {
  fact: CallFact;
  key: string;
  /** The call's id when the fact came (its stored id, once known, wins). */
  id: string;
}

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
  resolve(info: CallerInfo): void;
}

export interface PipelineOptions {
  store: CallStore;
  directory: AgentDirectory;
  /** Unused: a caller's history is read with the batch that stores the call (CallStore.writeBatch). */
  callers?: CallerLookup;
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
      ctx = { id: randomUUID(), ticket: null, caller: null, reached: false };
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
        if (call.supportLine && !ctx.caller) ctx.caller = this.lookupCaller(call);
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
    this.pushes.push({ fact, key, id: ctx.id });
    this.updatePressure();
  }

  /**
   * The caller's history for the screen pop: read by the batch that stores the call's start, in the
   * same round trip (a burst of new calls costs no query each), so it is there before any phone
   * rings. Withheld callers have no history: they never match each other.
   */
  private lookupCaller(call: Call): Promise<CallerInfo> {
    const number = call.callerNumber;
    if (number === null) return Promise.resolve({ number, calls: [], openTickets: [] });
    return new Promise<CallerInfo>((resolve) => this.lookups.push({ number, linkedid: call.linkedid, resolve }));
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
      result.callers.forEach((info, i) => lookups[i].resolve(info));
      for (const [key, id] of result.callIds) {
        const ctx = this.live.get(key);
        if (ctx) ctx.id = id;
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
      await this.publishAll(pushes, result.callIds);
      this.updatePressure();
    }
  }

  private async publishAll(pushes: Push[], ids: Map<string, string>): Promise<void> {
    for (const p of pushes) {
      const ctx = this.live.get(p.key);
      const fact = p.fact;
      const id = ids.get(p.key) ?? ctx?.id ?? p.id;
      const ticket = ctx?.ticket ?? null;
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
          this.o.publisher.publish({ supervisors: true }, { type: 'call.started', call }, { callId: id });
          break;
        case 'call.updated':
          this.o.publisher.publish({ supervisors: true }, { type: 'call.updated', call }, { callId: id });
          break;
        case 'leg.ringing': {
          const caller = ctx?.caller ? await ctx.caller : { number: call.callerNumber, calls: [], openTickets: [] };
          this.o.publisher.publish(
            { agentIds: [agentOf(fact.extension)?.id], supervisors: true },
            { type: 'call.ringing', call, ticket: tv, caller, extension: fact.extension },
            { ...rows, caller: true },
          );
          break;
        }
        case 'leg.ring_stopped':
          this.o.publisher.publish({ agentIds: [agentOf(fact.extension)?.id] }, { type: 'call.ring_stopped', call, reason: fact.reason, extension: fact.extension }, { callId: id });
          break;
        case 'leg.answered':
          this.o.publisher.publish({ agentIds: [agentOf(fact.extension)?.id], supervisors: true }, { type: 'call.answered', call, ticket: tv, extension: fact.extension, first: fact.first }, rows);
          break;
        case 'call.transferred':
          this.o.publisher.publish(
            { agentIds: [agentOf(fact.from)?.id, agentOf(fact.to)?.id], supervisors: true },
            { type: 'call.transferred', call, ticket: tv, from: ref(fact.from), to: ref(fact.to) },
            rows,
          );
          break;
        case 'call.ended':
          this.o.publisher.publish({ agentIds: row.agent_ids, supervisors: true }, { type: 'call.ended', call }, { callId: id });
          this.live.delete(p.key);
          if (ticket && this.byTicket.get(ticket.id) === ctx) this.byTicket.delete(ticket.id);
          break;
        default: {
          const _: never = fact;
          return _;
        }
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
