// Pushes reach agents on every instance: each message goes to this instance's sockets at once and,
// through PostgreSQL NOTIFY, to the other instances, which rebuild it from the database. The
// notification carries ids, not payloads (a payload is limited to 8 kB; the rows are durable
// before any push is sent, so every instance reads the same thing).
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { Logger } from 'pino';
import type { Audience, Hub } from './hub';

export const PUSH_CHANNEL = 'calldesk_push';

/** What a message is about, so another instance can rebuild it. */
export interface PushRef {
  callId?: string;
  ticketId?: string;
  /** The message carries the caller's history (call.ringing). */
  caller?: boolean;
}

export type Message = { type: string } & Record<string, unknown>;

interface Wire {
  audience: { agentIds?: string[]; supervisors?: boolean; everyone?: boolean; ticketId?: string };
  type: string;
  ref: PushRef;
  /** The message's fields other than call / ticket / caller (small: reason, extension, from, to…). */
  extra: Record<string, unknown>;
}

export interface Rebuilder {
  call(id: string): Promise<unknown | null>;
  ticket(id: string): Promise<unknown | null>;
  caller(callId: string): Promise<unknown>;
}

const REBUILT = new Set(['type', 'call', 'ticket', 'caller']);
const MAX_PAYLOAD = 7900;

export class Fanout {
  readonly instanceId = randomUUID();
  private listener: pg.Client | null = null;
  private outbox: Wire[] = [];
  private flushing = false;
  private stopped = false;

  constructor(
    private readonly hub: Hub,
    private readonly databaseUrl: string,
    private readonly notify: (channel: string, payload: string) => Promise<unknown>,
    private readonly rebuild: Rebuilder,
    private readonly logger: Logger,
    /** Told of every message received from another instance (e.g. to learn their PBX status). */
    private readonly onRemote?: (message: Message) => void,
  ) {}

  /** Local sockets now; other instances after the next notify (batched per tick). */
  publish(audience: Audience, message: Message, ref?: PushRef): void {
    this.hub.publish(audience, message);
    if (!ref && !['pbx.status'].includes(message.type)) return;
    const extra: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(message)) if (!REBUILT.has(k)) extra[k] = v;
    this.outbox.push({
      audience: {
        agentIds: audience.agentIds ? [...audience.agentIds].filter((x): x is string => typeof x === 'string') : undefined,
        supervisors: audience.supervisors,
        everyone: audience.everyone,
        ticketId: audience.ticketId,
      },
      type: message.type,
      ref: ref ?? {},
      extra,
    });
    if (!this.flushing) {
      this.flushing = true;
      setImmediate(() => void this.flush());
    }
  }

  private async flush(): Promise<void> {
    while (this.outbox.length > 0 && !this.stopped) {
      const batch = this.outbox.splice(0, this.outbox.length);
      // Several messages per notification, each notification under PostgreSQL's payload limit.
      let chunk: Wire[] = [];
      let size = 0;
      const send = async () => {
        if (chunk.length === 0) return;
        const payload = JSON.stringify({ from: this.instanceId, m: chunk });
        chunk = [];
        size = 0;
        await this.notify(PUSH_CHANNEL, payload).catch((err) => this.logger.warn({ err: (err as Error).message }, 'notify failed: other instances miss a push'));
      };
      for (const w of batch) {
        const len = JSON.stringify(w).length;
        if (len > MAX_PAYLOAD) {
          this.logger.warn({ type: w.type }, 'push too large to notify; other instances miss it');
          continue;
        }
        if (size + len > MAX_PAYLOAD) await send();
        chunk.push(w);
        size += len;
      }
      await send();
    }
    this.flushing = false;
  }

  /** Listens for other instances' pushes; reconnects when the database comes back. */
  async listen(): Promise<void> {
    while (!this.stopped) {
      const client = new pg.Client({ connectionString: this.databaseUrl, application_name: 'calldesk-fanout' });
      try {
        await client.connect();
        await client.query(`LISTEN ${PUSH_CHANNEL}`);
        this.listener = client;
        client.on('notification', (n) => void this.receive(n.payload));
        await new Promise<void>((resolve) => {
          client.once('error', () => resolve());
          client.once('end', () => resolve());
        });
      } catch {
        // the database is away: retry below
      }
      this.listener = null;
      await client.end().catch(() => undefined);
      if (!this.stopped) await new Promise((r) => setTimeout(r, 1000));
    }
  }

  private async receive(payload: string | undefined): Promise<void> {
    if (!payload) return;
    let parsed: { from: string; m: Wire[] };
    try {
      parsed = JSON.parse(payload);
    } catch {
      return;
    }
    if (parsed.from === this.instanceId) return;
    for (const w of parsed.m) {
      try {
        const message: Message = { type: w.type, ...w.extra };
        if (w.ref.callId) message.call = await this.rebuild.call(w.ref.callId);
        if (w.ref.ticketId) message.ticket = await this.rebuild.ticket(w.ref.ticketId);
        if (w.ref.caller && w.ref.callId) message.caller = await this.rebuild.caller(w.ref.callId);
        if ((w.ref.callId && !message.call) || (w.ref.ticketId && !message.ticket && w.type === 'ticket.updated')) continue;
        if (w.ref.ticketId && message.ticket === null) message.ticket = null;
        this.onRemote?.(message);
        this.hub.publish(w.audience, message);
      } catch (err) {
        this.logger.warn({ err: (err as Error).message, type: w.type }, 'could not rebuild a push from another instance');
      }
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.listener?.end().catch(() => undefined);
  }
}
