// The connection to one PBX's AMI: connects, logs in, asks which channels are live, streams events,
// and reconnects on its own (capped exponential back-off) until stop(). A PBX that comes back is
// reconnected within about a second; a silent one is found by Ping; bad frames never end the stream.
//
// Ordering around the reconcile (CoreShowChannels + Status after every login):
//   events that arrive before the PBX starts answering CoreShowChannels happened before its snapshot
//   and are passed on at once; from that answer on, events are held, onConnected(live) runs (and is
//   awaited), and then the held events follow in arrival order. The call model thus sees
//   "events before the snapshot → the snapshot → events after it", so a hang-up that races the
//   query ends the call instead of the snapshot reviving it. Events are never reordered or dropped.
import { randomBytes } from 'node:crypto';
import { LiveChannelList } from './live-snapshot';
import { EventGate } from './event-gate';
import { AmiActionError, AmiNotConnectedError } from './errors';
import type { AmiLogger } from './logger';
import type { RawAmiMessage } from './raw';
import { AmiSession, type AmiListResult } from './session';
import type { AmiActionOptions, AmiConnectionOptions, AmiConnectionStatus } from './connection-options';

export type { AmiLogger } from './logger';
export { AmiActionError, AmiNotConnectedError, AmiTimeoutError } from './errors';
export type { AmiListResult } from './session';
export type { AmiActionOptions, AmiConnectionOptions, AmiConnectionStatus } from './connection-options';

const MiB = 1024 * 1024;

export class AmiConnection {
  private readonly log: AmiLogger;
  private readonly pingIntervalMs: number;
  private readonly pingTimeoutMs: number;
  private readonly actionTimeoutMs: number;
  private readonly backoffInitialMs: number;
  private readonly backoffMaxMs: number;
  private running = false;
  private loop: Promise<void> | null = null;
  private session: AmiSession | null = null;
  private connected = false;
  private lastEventAt: Date | null = null;
  private connects = 0;
  private lastError: string | null = null;
  private paused = false;
  /** Events waiting while the reconcile holds the stream or the app has paused us. */
  private readonly gate = new EventGate(
    () => this.paused,
    (raw, at) => this.emit(raw, at),
  );
  private wake: (() => void) | null = null;
  private readonly instance = randomBytes(3).toString('hex');

  constructor(private readonly options: AmiConnectionOptions) {
    this.log = options.logger.child({ module: 'ami', pbx: options.id });
    this.pingIntervalMs = options.pingIntervalMs ?? 2000;
    this.pingTimeoutMs = options.pingTimeoutMs ?? 3000;
    this.actionTimeoutMs = options.actionTimeoutMs ?? 10_000;
    this.backoffInitialMs = options.backoffInitialMs ?? 100;
    this.backoffMaxMs = Math.max(options.backoffMaxMs ?? 1000, this.backoffInitialMs);
  }

  /** Starts the connect loop (idempotent); it runs until stop(). */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run().catch((err: unknown) => {
      this.log.error({ err }, 'AMI connection loop failed');
    });
  }

  /** Ends the loop, says Logoff and closes the socket; resolves once everything has stopped. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    this.session?.close('stopped', true);
    await this.loop;
    this.loop = null;
  }

  /** Stops reading from the PBX (the app's write queue is full); events already read wait too. */
  pause(): void {
    if (this.paused) return;
    this.paused = true;
    this.session?.pause();
    this.log.debug({}, 'AMI reading paused (back-pressure)');
  }

  /** Delivers what waited and reads on. */
  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    this.session?.resume();
    this.log.debug({}, 'AMI reading resumed');
    this.gate.drain();
    this.wake?.();
  }

  status(): AmiConnectionStatus {
    return {
      id: this.options.id,
      connected: this.connected,
      lastEventAt: this.lastEventAt,
      paused: this.paused,
      connects: this.connects,
      lastError: this.lastError,
    };
  }

  /** Sends any action on the current connection; rejects when not connected, refused or unanswered. */
  action(fields: Record<string, unknown>, options: AmiActionOptions = {}): Promise<RawAmiMessage> {
    return this.onSession(fields, (session) => session.action(fields, options.timeoutMs ?? this.actionTimeoutMs));
  }

  /** Sends a list action (e.g. `QueueStatus`) and resolves with its items once complete. */
  actionList(fields: Record<string, unknown>, options: AmiActionOptions = {}): Promise<AmiListResult> {
    return this.onSession(fields, (session) => session.list(fields, options.timeoutMs ?? this.actionTimeoutMs));
  }

  /** Sends a list action and hands each item to `onItem` as it arrives (none is kept); resolves once complete. */
  actionEach(fields: Record<string, unknown>, onItem: (item: RawAmiMessage) => void, options: AmiActionOptions = {}): Promise<void> {
    return this.onSession(fields, (session) => session.each(fields, options.timeoutMs ?? this.actionTimeoutMs, onItem)).then(() => undefined);
  }

  /** Runs an action on the current session; rejects at once when there is none logged in. */
  private onSession<T>(fields: Record<string, unknown>, run: (session: AmiSession) => Promise<T>): Promise<T> {
    const session = this.session;
    if (!session?.isLoggedIn) return Promise.reject(new AmiNotConnectedError(String(fields.action ?? fields.Action ?? '?'), 'not connected'));
    return run(session);
  }

  // ---------------------------------------------------------------------------------------------

  private async run(): Promise<void> {
    let delay = this.backoffInitialMs;
    let failures = 0;
    let attempt = 0;
    while (this.running) {
      // A paused app cannot take events, and a paused socket cannot finish a login: wait for resume.
      if (this.paused) {
        await this.sleep(Number.POSITIVE_INFINITY);
        continue;
      }
      const session = new AmiSession({
        host: this.options.host,
        port: this.options.port,
        username: this.options.username,
        secret: this.options.secret,
        maxFrameBytes: this.options.maxFrameBytes ?? MiB,
        connectTimeoutMs: this.options.connectTimeoutMs ?? 5000,
        actionIdPrefix: `calldesk-${this.instance}-${++attempt}-`,
        logger: this.log,
        onEvent: (raw, at) => {
          this.lastEventAt = at;
          this.gate.deliver(raw, at);
        },
        events: this.options.events,
        variables: this.options.variables,
        onSkipped: this.options.onSkipped,
      });
      this.session = session;
      let loggedIn = false;
      try {
        await session.open();
        await session.login(this.actionTimeoutMs);
        loggedIn = true;
        this.connected = true;
        this.connects++;
        failures = 0;
        this.log.info({ host: this.options.host, port: this.options.port, connects: this.connects }, 'AMI logged in');
        session.startPing(this.pingIntervalMs, this.pingTimeoutMs);
        await this.reconcile(session);
      } catch (err) {
        failures++;
        const reason = this.describe(err);
        if (this.running) this.logFailure(err, reason, failures, loggedIn);
        session.close(reason);
      }
      const reason = await session.closed;
      this.session = null;
      this.lastError = reason;
      if (loggedIn) {
        this.connected = false;
        this.gate.release();
        if (this.running) this.log.warn({ reason }, 'AMI connection ended');
        else this.log.info({ reason }, 'AMI connection closed');
        try {
          this.options.onDisconnected(new Date(), reason);
        } catch (err) {
          this.log.error({ err }, 'onDisconnected failed');
        }
        delay = this.backoffInitialMs;
      }
      if (!this.running) break;
      await this.sleep(delay);
      delay = Math.min(delay * 2, this.backoffMaxMs);
    }
  }

  /** CoreShowChannels + Status, merged, handed to onConnected; events after the snapshot wait for it. */
  private async reconcile(session: AmiSession): Promise<void> {
    const timeout = this.actionTimeoutMs;
    const list = new LiveChannelList();
    const [core, status] = await Promise.allSettled([
      session.each({ action: 'CoreShowChannels' }, timeout, (item) => list.addCoreShow(item), () => {
        this.gate.hold();
      }),
      session.each({ action: 'Status' }, timeout, (item) => list.addStatus(item)),
    ]);
    try {
      if (core.status === 'rejected') {
        if (core.reason instanceof AmiActionError) {
          // Reconnecting would not help: the AMI user lacks the permission. Stream events without it.
          this.log.error(
            { err: core.reason.message },
            'PBX refused CoreShowChannels: live calls cannot be reconciled (check the AMI user read/write permissions)',
          );
          return;
        }
        throw core.reason;
      }
      if (status.status === 'rejected') {
        if (!(status.reason instanceof AmiActionError)) throw status.reason;
        this.log.warn({ err: status.reason.message }, 'PBX refused Status: live channels come without DNID');
      }
      const live = list.channels();
      this.log.info({ live: live.length }, 'AMI live channels after login');
      // Events wait for onConnected: say so if it takes long, but never cut it short.
      const slow = setTimeout(() => this.log.warn({ waitingMs: timeout }, 'onConnected is slow; AMI events are held until it returns'), timeout);
      try {
        await this.options.onConnected(live, new Date());
      } catch (err) {
        this.log.error({ err }, 'onConnected failed');
      } finally {
        clearTimeout(slow);
      }
    } finally {
      this.gate.release();
    }
  }

  private emit(raw: RawAmiMessage, at: Date): void {
    try {
      this.options.onEvent(raw, at);
    } catch (err) {
      this.log.error({ err, event: raw.event }, 'onEvent failed');
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = Number.isFinite(ms) ? setTimeout(done, ms) : null;
      function done(): void {
        if (timer) clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        this.wake = null;
        done();
      };
    });
  }

  private describe(err: unknown): string {
    if (err instanceof AmiActionError) return `login refused: ${typeof err.response.message === 'string' ? err.response.message : 'error'}`;
    if (err instanceof Error) return err.message;
    return String(err);
  }

  /** Clear but not flooding: the first failure of a streak, then one in thirty (about twice a minute). */
  private logFailure(err: unknown, reason: string, failures: number, loggedIn: boolean): void {
    const loud = failures === 1 || failures % 30 === 0;
    const ctx = { host: this.options.host, port: this.options.port, username: this.options.username, failures, reason };
    if (err instanceof AmiActionError && err.action === 'Login') {
      if (loud) this.log.error(ctx, 'AMI login refused by the PBX (check AMI user and secret); retrying');
    } else if (loggedIn) {
      this.log.warn(ctx, 'AMI reconcile after login failed; reconnecting');
    } else if (loud) {
      this.log.warn(ctx, 'AMI connection attempt failed; retrying');
    } else {
      this.log.debug(ctx, 'AMI connection attempt failed; retrying');
    }
  }
}
