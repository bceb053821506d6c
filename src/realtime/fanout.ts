// Pushes reach agents on every instance: each message goes to this instance's sockets at once and,
// through PostgreSQL NOTIFY, to the other instances, which send the same frame. A notification
// carries the message itself; one too large for it (a payload is limited to 8 kB) goes by the ids
// of its rows, which are durable before a push is notified, and is rebuilt from the database.
//
// What gathers while one send is in flight goes in the next, as one statement, and only if another
// instance listens on this database (checked by the same statement, so one that starts listening
// misses nothing sent after). A push waits as its JSON (made once for this instance's sockets) and
// its audience's; notifications are built from them only when sent. While the last send found no
// one listening, each gathered batch first asks whether someone listens now (as that statement
// would have; at most every ASK_EVERY_MS), and is built and sent only if so. The outbox is
// bounded: if the database cannot keep up (or is away), the oldest notifications are dropped and
// logged — other instances' agents miss those pushes, and this instance's own sockets never wait
// for them.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { Logger } from 'pino';
import { LISTENER_NAME, listenForPushes, notifyOthers, othersListen, type Query } from '../db/notify';
import type { ServerMessage } from '../wire/socket';
import type { Audience, Hub } from './hub';

/** What a message is about, so another instance can rebuild it. */
export interface PushRef {
  callId?: string;
  ticketId?: string;
  /** The message carries the caller's history (call.ringing). */
  caller?: boolean;
}

export type Message = ServerMessage;

type WireAudience = { agentIds?: string[]; supervisors?: boolean; everyone?: boolean; ticketId?: string };

/** A message as notified: whole when it fits in a notification, else by reference, to be rebuilt. */
type Wire =
  | { audience: WireAudience; message: Message }
  | {
      audience: WireAudience;
      type: string;
      ref: PushRef;
      /** The message's fields other than call / ticket / caller (small: reason, extension, from, to…). */
      extra: Record<string, unknown>;
    };

export interface Rebuilder {
  call(id: string): Promise<unknown | null>;
  ticket(id: string): Promise<unknown | null>;
  caller(callId: string): Promise<unknown>;
}

/**
 * A push waiting for other instances: its audience's and its message's JSON, put together only when
 * sent; one too large for a notification is made into its by-reference entry at once, so that no
 * message object is held here.
 */
type Pending = { audience: string; text: string } | { entry: string };

/** An audience as notified (agent ids as a plain array). */
function wireAudience(audience: Audience): WireAudience {
  return {
    agentIds: audience.agentIds ? [...audience.agentIds].filter((x): x is string => typeof x === 'string') : undefined,
    supervisors: audience.supervisors,
    everyone: audience.everyone,
    ticketId: audience.ticketId,
  };
}

const REBUILT = new Set(['type', 'call', 'ticket', 'caller']);
/** PostgreSQL's payload limit is 8000 bytes. */
const MAX_PAYLOAD = 7900;
/** Notifications held for other instances at most (a few seconds of a busy PBX's pushes). */
export const MAX_OUTBOX = 20_000;
/**
 * Held at most while the last notification found no one listening: it is asked again first, and
 * under a burst the answer can take a while; most likely no one listens, so a burst's pushes
 * (thousands, kilobytes each) are not kept for it — an instance that starts just then misses the
 * oldest, as it misses those from before it started.
 */
export const MAX_OUTBOX_UNHEARD = 500;
/**
 * While no one listened, whether anyone listens now is asked at most this often (ms): a question
 * reads every backend's status, and a busy PBX publishes pushes on most turns of the event loop
 * (80 questions a second at 100 calls a second). What gathers meanwhile waits for the next answer,
 * which is asked after it was published: an instance listening by then still gets it.
 */
export const ASK_EVERY_MS = 100;

export class Fanout {
  readonly instanceId = randomUUID();
  private listener: pg.Client | null = null;
  /** The listening connection's backend (not another instance's). */
  private listenerPid = 0;
  /** The notifications received so far, handled. */
  private received: Promise<void> = Promise.resolve();
  /** Pushes waiting to be notified. */
  private outbox: Pending[] = [];
  /** Whether the last notification found another instance listening (until then: assume so). */
  private othersListened = true;
  private flushing = false;
  /** When whether anyone listens was last answered (performance.now()). */
  private askedAt = -Infinity;
  private stopped = false;
  private dropped = 0;
  private readonly head = `{"from":${JSON.stringify(this.instanceId)},"m":[`;
  /** Room for messages in one notification. */
  private readonly budget = MAX_PAYLOAD - this.head.length - 2;
  readonly stats = { notified: 0, dropped: 0 };

  constructor(
    private readonly hub: Hub,
    private readonly databaseUrl: string,
    private readonly query: Query,
    private readonly rebuild: Rebuilder,
    private readonly logger: Logger,
    /** Told of every message received from another instance (e.g. to learn their PBX status). */
    private readonly onRemote?: (message: Message) => void,
    private readonly askEveryMs = ASK_EVERY_MS,
  ) {}

  /**
   * Local sockets now; other instances with the next notify. `to` limits it to one side: the
   * pipeline sends a screen pop here before its leg is stored, and to the others once it is.
   */
  publish(audience: Audience, message: Message, ref?: PushRef, to?: 'local' | 'remote'): void {
    if (to === 'local') {
      this.hub.publish(audience, message);
      return;
    }
    // Serialised once: for this instance's sockets and, inside the notification, for the others'.
    const text = JSON.stringify(message);
    if (to !== 'remote') this.hub.publish(audience, message, text);
    if (!ref && message.type !== 'pbx.status') return;
    if (this.outbox.length >= (this.othersListened ? MAX_OUTBOX : MAX_OUTBOX_UNHEARD)) {
      this.outbox.shift();
      this.stats.dropped++;
      if (this.othersListened) this.dropped++;
    }
    const aud = JSON.stringify(wireAudience(audience));
    // UTF-8 takes at most three bytes per UTF-16 unit: most messages need no counting.
    const size = aud.length + text.length + 24;
    const fits = size * 3 <= this.budget || Buffer.byteLength(aud) + Buffer.byteLength(text) + 24 <= this.budget;
    this.outbox.push(fits ? { audience: aud, text } : { entry: this.byReference(audience, message, ref) });
    if (!this.flushing) {
      this.flushing = true;
      setImmediate(() => void this.flush());
    }
  }

  /** A push as notified: the message itself when it fits, else the ids to rebuild it from. */
  private wire(p: Pending): string {
    // The message itself: the other instances send the very frame this one sent.
    return 'entry' in p ? p.entry : `{"audience":${p.audience},"message":${p.text}}`;
  }

  /** One too large for a notification (a caller with a long history) goes by its rows' ids, rebuilt there. */
  private byReference(audience: Audience, message: Message, ref: PushRef | undefined): string {
    const extra: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(message)) if (!REBUILT.has(k)) extra[k] = v;
    return JSON.stringify({ audience: wireAudience(audience), type: message.type, ref: ref ?? {}, extra } satisfies Wire);
  }

  private async flush(): Promise<void> {
    while (this.outbox.length > 0 && !this.stopped) {
      if (this.dropped > 0) {
        this.logger.warn({ dropped: this.dropped }, 'notifications outbox full: other instances miss the oldest pushes');
        this.dropped = 0;
      }
      if (!this.othersListened) {
        const wait = this.askedAt + this.askEveryMs - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        if (this.stopped) break;
      }
      const pending = this.outbox;
      this.outbox = [];
      try {
        if (!this.othersListened) {
          this.askedAt = performance.now();
          if (!(await othersListen(this.query, this.listenerPid))) continue;
        }
      } catch (err) {
        this.logger.warn({ err: (err as Error).message, messages: pending.length }, 'notify failed: other instances miss these pushes');
        continue;
      }
      const batch = pending.map((p) => this.wire(p));
      // Several messages per notification, each notification under PostgreSQL's payload limit.
      const payloads: string[] = [];
      let chunk: string[] = [];
      let size = 0;
      const budget = this.budget;
      for (const w of batch) {
        const len = Buffer.byteLength(w) + 1;
        if (len > budget) {
          this.logger.warn({ bytes: len }, 'push too large to notify; other instances miss it');
          continue;
        }
        if (size + len > budget) {
          payloads.push(this.head + chunk.join(',') + ']}');
          chunk = [];
          size = 0;
        }
        chunk.push(w);
        size += len;
      }
      if (chunk.length > 0) payloads.push(this.head + chunk.join(',') + ']}');
      if (payloads.length === 0) continue;
      try {
        const notified = await notifyOthers(this.query, payloads, this.listenerPid);
        this.othersListened = notified > 0;
        this.askedAt = performance.now();
        this.stats.notified += notified;
      } catch (err) {
        this.logger.warn({ err: (err as Error).message, messages: batch.length }, 'notify failed: other instances miss these pushes');
      }
    }
    this.flushing = false;
  }

  /** Listens for other instances' pushes; reconnects when the database comes back. */
  async listen(): Promise<void> {
    while (!this.stopped) {
      const client = new pg.Client({ connectionString: this.databaseUrl, application_name: LISTENER_NAME });
      // Listened to from the start and for good: a database that goes away while the client
      // connects, or an error after the first, must not become an uncaught exception.
      const gone = new Promise<void>((resolve) => {
        client.on('error', () => resolve());
        client.once('end', () => resolve());
      });
      try {
        await client.connect();
        this.listenerPid = await listenForPushes(client);
        this.listener = client;
        // One at a time, in arrival order: a message is rebuilt with queries, and the next must
        // not overtake it (a ring_stopped before its ringing).
        client.on('notification', (n) => {
          this.received = this.received.then(() => this.receive(n.payload));
        });
        await gone;
      } catch {
        // the database is away: retry below
      }
      this.listener = null;
      await client.end().catch(() => undefined);
      if (!this.stopped) await new Promise((r) => setTimeout(r, 1000));
    }
  }

  private async receive(payload: string | undefined): Promise<void> {
    // This instance's own notifications come back too: skipped unparsed.
    if (!payload || payload.startsWith(this.head)) return;
    let parsed: { from: string; m: Wire[] };
    try {
      parsed = JSON.parse(payload);
    } catch {
      return;
    }
    if (parsed.from === this.instanceId) return;
    for (const w of parsed.m) {
      try {
        if ('message' in w) {
          this.onRemote?.(w.message);
          this.hub.publish(w.audience, w.message);
          continue;
        }
        // The same fields as the message sent, from the same views (realtime/messages.ts builds from them too).
        const message: Record<string, unknown> = { type: w.type, ...w.extra };
        if (w.ref.callId) message.call = await this.rebuild.call(w.ref.callId);
        if (w.ref.ticketId) message.ticket = await this.rebuild.ticket(w.ref.ticketId);
        if (w.ref.caller && w.ref.callId) message.caller = await this.rebuild.caller(w.ref.callId);
        if ((w.ref.callId && !message.call) || (w.ref.ticketId && !message.ticket && (w.type === 'ticket.updated' || w.type === 'ticket.customer'))) continue;
        if (w.ref.ticketId && message.ticket === null) message.ticket = null;
        this.onRemote?.(message as Message);
        this.hub.publish(w.audience, message as Message);
      } catch (err) {
        this.logger.warn({ err: (err as Error).message, type: 'type' in w ? w.type : w.message.type }, 'could not rebuild a push from another instance');
      }
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.listener?.end().catch(() => undefined);
  }
}
