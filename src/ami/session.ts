// One TCP connection to an AMI port, from connect to close: login, actions matched to their answers
// by ActionID, list actions read item by item until their `EventList: Complete` event, Ping keep-alive,
// a bound on a runaway frame, and reading paused on demand. Reconnecting is AmiConnection's job.
import type net from 'node:net';
import { openManager, type AsteriskManager, type ManagerLink } from './asterisk-manager';
import { cleanEvent, eventName, MalformedLog } from './event-check';
import { FrameFeed } from './frame-feed';
import { PingWatch } from './ping-watch';
import { AmiActionError, AmiNotConnectedError, AmiTimeoutError } from './errors';
import type { AmiLogger } from './logger';
import type { RawAmiMessage } from './raw';

export interface AmiSessionOptions {
  host: string;
  port: number;
  username: string;
  secret: string;
  maxFrameBytes: number;
  connectTimeoutMs: number;
  /** Prefix of this session's ActionIDs; answers carrying it are never passed on as events. */
  actionIdPrefix: string;
  logger: AmiLogger;
  /** Every event not answering one of our list actions, synchronously, in arrival order. */
  onEvent(raw: RawAmiMessage, at: Date): void;
  /**
   * The events the consumer uses. Other events (most of a PBX's traffic: VarSet, Newexten…) are
   * dropped as whole frames before the parser, counted through onSkipped. Without it, all are parsed.
   */
  events?: ReadonlySet<string>;
  /** With `events`: the only VarSet frames kept are those setting one of these variables. */
  variables?: ReadonlySet<string>;
  onSkipped?(count: number, at: Date): void;
}

export interface AmiListResult {
  response: RawAmiMessage;
  /** The list's items, without the closing `…Complete` event. */
  events: RawAmiMessage[];
  complete: RawAmiMessage;
}

interface Pending {
  action: string;
  resolve(msg: RawAmiMessage): void;
  reject(err: Error): void;
  /** Set for list actions: each item is handed to `onItem` until the `EventList: Complete` event. */
  list?: { onItem(item: RawAmiMessage): void; response?: RawAmiMessage; onResponse?: () => void };
}

function hasLineBreak(v: unknown): boolean {
  if (v === null || v === undefined) return false;
  if (Array.isArray(v)) return v.some(hasLineBreak);
  if (typeof v === 'object') return Object.entries(v).some(([k, x]) => hasLineBreak(k) || hasLineBreak(x));
  return /[\r\n]/.test(String(v));
}

function actionName(fields: Record<string, unknown>): string {
  for (const k of Object.keys(fields)) if (k.toLowerCase() === 'action') return String(fields[k]);
  return '?';
}

export class AmiSession {
  /** Resolves with why the connection ended, once its socket has closed. */
  readonly closed: Promise<string>;
  private resolveClosed!: (reason: string) => void;
  private manager: AsteriskManager | null = null;
  private link: ManagerLink | null = null;
  private socket: net.Socket | null = null;
  private readonly feed: FrameFeed;
  private readonly malformed: MalformedLog;
  private readonly pending = new Map<string, Pending>();
  private seq = 0;
  private closeReason: string | null = null;
  private lastSocketError: string | null = null;
  private isClosed = false;
  private loggedIn = false;
  private paused = false;
  private readonly pingWatch = new PingWatch({
    isClosed: () => this.isClosed,
    isPaused: () => this.paused,
    lastArrival: () => this.feed.arrival.getTime(),
    ping: () => this.send({ action: 'Ping' }, null),
    silent: (timeoutMs) => {
      this.options.logger.warn({ timeoutMs }, 'AMI silent: no answer to Ping and no data; dropping the connection');
      this.close(`no answer to Ping within ${timeoutMs} ms`);
    },
  });

  constructor(private readonly options: AmiSessionOptions) {
    this.closed = new Promise<string>((resolve) => (this.resolveClosed = resolve));
    this.malformed = new MalformedLog(options.logger);
    this.feed = new FrameFeed({
      maxFrameBytes: options.maxFrameBytes,
      events: options.events,
      variables: options.variables,
      onSkipped: options.onSkipped,
      onRunaway: (bytes) => {
        if (this.closeReason !== null) return;
        this.options.logger.warn({ bytes, maxFrameBytes: options.maxFrameBytes }, 'AMI frame exceeds maxFrameBytes without ending; dropping the connection');
        this.close(`frame larger than ${options.maxFrameBytes} bytes`);
      },
    });
  }

  get isLoggedIn(): boolean {
    return this.loggedIn && !this.isClosed;
  }

  /** Opens the TCP connection; rejects when it cannot (refused, unreachable, timeout). */
  open(): Promise<void> {
    const link = openManager(this.options, this.feed, (item) => this.route(item));
    const { manager, socket, ready } = link;
    this.manager = manager;
    this.link = link;
    this.socket = socket;
    socket.on('error', (err: NodeJS.ErrnoException) => {
      this.lastSocketError = err.code ?? err.message;
    });
    socket.on('close', () => this.onSocketClosed());
    if (this.paused) link.pause();

    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => this.close(`connect timeout after ${this.options.connectTimeoutMs} ms`), this.options.connectTimeoutMs);
      ready.then(
        () => {
          clearTimeout(timer);
          resolve();
        },
        (err: Error) => this.close(`local socket for asterisk-manager: ${err.message}`),
      );
      void this.closed.then((reason) => {
        clearTimeout(timer);
        reject(new Error(reason));
      });
    });
  }

  /** Logs in with the configured user; rejects with AmiActionError when the PBX refuses. */
  login(timeoutMs: number): Promise<void> {
    const manager = this.manager;
    if (!manager || this.isClosed) return Promise.reject(new AmiNotConnectedError('Login', this.closeReason ?? 'not open'));
    return new Promise<void>((resolve, reject) => {
      const timeout = this.timer(timeoutMs, () => reject(new AmiTimeoutError('Login', timeoutMs)));
      manager.login((err) => {
        timeout.cancel();
        if (err) reject(new AmiActionError('Login', err));
        else {
          this.loggedIn = true;
          resolve();
        }
      });
      void this.closed.then((reason) => {
        timeout.cancel();
        reject(new AmiNotConnectedError('Login', reason));
      });
    });
  }

  /** Sends an action and resolves with its response; `Response: Error` rejects with AmiActionError. */
  action(fields: Record<string, unknown>, timeoutMs: number): Promise<RawAmiMessage> {
    return this.send(fields, timeoutMs);
  }

  /**
   * Sends a list action (CoreShowChannels, Status…) and gathers its items until the event with
   * `EventList: Complete`. `onResponse` runs synchronously when the PBX's first answer arrives,
   * i.e. at the point in the stream where the list begins.
   */
  async list(fields: Record<string, unknown>, timeoutMs: number, onResponse?: () => void): Promise<AmiListResult> {
    const events: RawAmiMessage[] = [];
    const { response, complete } = await this.each(fields, timeoutMs, (item) => events.push(item), onResponse);
    return { response, events, complete };
  }

  /**
   * A list action whose items are handed to `onItem` as they arrive and kept by no one else: a PBX
   * with a thousand calls lists thousands of channels, tens of megabytes once parsed, which a
   * caller that only counts or picks from them need not hold all at once.
   */
  async each(
    fields: Record<string, unknown>,
    timeoutMs: number,
    onItem: (item: RawAmiMessage) => void,
    onResponse?: () => void,
  ): Promise<{ response: RawAmiMessage; complete: RawAmiMessage }> {
    const acc: NonNullable<Pending['list']> = { onItem, onResponse };
    const complete = await this.send(fields, timeoutMs, acc);
    return { response: acc.response ?? {}, complete };
  }

  /** `timeoutMs` null: no timeout of its own (the caller watches, e.g. Ping). */
  private send(fields: Record<string, unknown>, timeoutMs: number | null, list?: Pending['list']): Promise<RawAmiMessage> {
    const action = actionName(fields);
    const manager = this.manager;
    if (!manager || !this.loggedIn || this.isClosed) {
      return Promise.reject(new AmiNotConnectedError(action, this.closeReason ?? 'not logged in'));
    }
    for (const [k, v] of Object.entries(fields)) {
      // A line break in a header would let a value smuggle in a second action.
      if (hasLineBreak(k) || hasLineBreak(v)) {
        return Promise.reject(new TypeError(`AMI action ${action}: header ${k} contains a line break`));
      }
    }
    const id = `${this.options.actionIdPrefix}${++this.seq}`;
    return new Promise<RawAmiMessage>((resolve, reject) => {
      const timeout =
        timeoutMs === null
          ? { cancel: () => undefined }
          : this.timer(timeoutMs, () => {
              this.pending.delete(id);
              reject(new AmiTimeoutError(action, timeoutMs));
            });
      this.pending.set(id, {
        action,
        list,
        resolve: (msg) => {
          timeout.cancel();
          this.pending.delete(id);
          resolve(msg);
        },
        reject: (err) => {
          timeout.cancel();
          this.pending.delete(id);
          reject(err);
        },
      });
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(fields)) if (k.toLowerCase() !== 'actionid') out[k.toLowerCase()] = v;
      out.actionid = id;
      manager.action(out);
    });
  }

  /** Pings every `intervalMs`; a PBX silent for `timeoutMs` is dropped (see PingWatch). */
  startPing(intervalMs: number, timeoutMs: number): void {
    this.pingWatch.start(intervalMs, timeoutMs);
  }

  /** Stops reading the socket (back-pressure); timeouts do not run out while paused. */
  pause(): void {
    this.paused = true;
    this.link?.pause();
  }

  resume(): void {
    this.paused = false;
    this.link?.resume();
  }

  /** Ends the connection (idempotent); `graceful` says goodbye with Logoff first. */
  close(reason: string, graceful = false): void {
    if (this.closeReason === null) this.closeReason = reason;
    const socket = this.socket;
    if (!socket || socket.destroyed) {
      if (!socket) this.onSocketClosed();
      return;
    }
    if (graceful && this.loggedIn && !this.isClosed) {
      // Straight to the PBX: through the package it would still be on its way when the socket ends.
      socket.write(`Action: Logoff\r\nActionID: ${this.options.actionIdPrefix}logoff\r\n\r\n`);
      socket.end();
      setTimeout(() => socket.destroy(), 250).unref();
    } else {
      socket.destroy();
    }
  }

  private onSocketClosed(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.pingWatch.stop();
    const reason =
      this.closeReason ?? (this.lastSocketError ? `socket error ${this.lastSocketError}` : 'connection closed by the PBX');
    for (const p of [...this.pending.values()]) p.reject(new AmiNotConnectedError(p.action, `connection closed: ${reason}`));
    this.pending.clear();
    this.resolveClosed(reason);
  }

  /** A timeout that keeps re-arming while reading is paused (the answer may be sitting unread). */
  private timer(ms: number, fire: () => void): { cancel(): void } {
    let handle: NodeJS.Timeout;
    const arm = (): void => {
      handle = setTimeout(() => (this.paused && !this.isClosed ? arm() : fire()), ms);
    };
    arm();
    return { cancel: () => clearTimeout(handle) };
  }

  /** Every message the parser completes, in arrival order; never throws. */
  private route(item: RawAmiMessage): void {
    try {
      const { response, actionid } = item;
      if (typeof response === 'string') {
        const p = typeof actionid === 'string' ? this.pending.get(actionid) : undefined;
        if (!p) return;
        if (response.toLowerCase() === 'error') p.reject(new AmiActionError(p.action, item));
        else if (p.list) {
          p.list.response = item;
          p.list.onResponse?.();
        } else p.resolve(item);
        return;
      }
      const name = eventName(item);
      if (name === null) return this.malformed.skip(item);
      if (typeof actionid === 'string' && actionid.startsWith(this.options.actionIdPrefix)) {
        const list = this.pending.get(actionid);
        if (list?.list) {
          const eventList = item.eventlist;
          if (typeof eventList === 'string' && eventList.toLowerCase() === 'complete') list.resolve(item);
          else list.list.onItem(item);
        }
        return; // a late answer to one of our own actions is not a PBX event
      }
      this.options.onEvent(cleanEvent(item, name), this.feed.arrival);
    } catch (err) {
      this.options.logger.error({ err }, 'AMI message could not be handled; skipped');
    }
  }
}
