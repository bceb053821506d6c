// The live connection: `/ws` with the session cookie, reconnecting by itself with a capped
// back-off. The server sends a snapshot first on every connect, so nothing needs replaying here.
// A ping every 20 s finds a connection that died without closing (a sleeping laptop, a dropped
// proxy): no word from the server for 45 s and the socket is replaced.
import type { ServerMessage } from '../../wire/socket';

export type LinkState = 'connecting' | 'open' | 'down';

export interface LiveSocketOptions {
  onMessage(msg: ServerMessage): void;
  onState(state: LinkState): void;
  /** Asked after a failed attempt: false means the session is over and retrying is pointless. */
  sessionValid(): Promise<boolean>;
  /** The server closed the socket with this code: stop for good, or reconnect at once. */
  onServerClose?(code: number): 'stop' | 'now' | undefined;
}

/** The server's close codes: the session ended (log in again), or it changed (reconnect). */
export const CLOSE_SESSION_ENDED = 4001;
export const CLOSE_SESSION_CHANGED = 4000;

const DELAYS = [300, 1000, 2000, 4000, 5000];
const PING_MS = 20_000;
const SILENCE_MS = 45_000;

export class LiveSocket {
  private ws: WebSocket | null = null;
  private attempt = 0;
  private running = false;
  private retryTimer: number | undefined;
  private pingTimer: number | undefined;
  private lastHeard = 0;
  private everOpened = false;

  constructor(private readonly o: LiveSocketOptions) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.connect();
  }

  stop(): void {
    this.running = false;
    window.clearTimeout(this.retryTimer);
    window.clearInterval(this.pingTimer);
    const ws = this.ws;
    this.ws = null;
    ws?.close(1000, 'bye');
  }

  send(msg: Record<string, unknown>): void {
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(msg));
  }

  /** Drops the connection now and reconnects (used when the page comes back from sleep). */
  reconnectNow(): void {
    if (this.ws) this.lost(this.ws, true);
  }

  private connect(): void {
    if (!this.running) return;
    // After a loss the panel stays "down" (the banner) until a connection is open again.
    if (!this.everOpened) this.o.onState('connecting');
    const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
    const ws = new WebSocket(url);
    this.ws = ws;
    ws.onopen = () => {
      this.attempt = 0;
      this.everOpened = true;
      this.lastHeard = Date.now();
      this.o.onState('open');
      window.clearInterval(this.pingTimer);
      this.pingTimer = window.setInterval(() => this.heartbeat(), PING_MS);
    };
    ws.onmessage = (ev) => {
      this.lastHeard = Date.now();
      let msg: ServerMessage;
      try {
        msg = JSON.parse(String(ev.data));
      } catch {
        console.error('calldesk: a WebSocket message that is not JSON', ev.data);
        return;
      }
      this.o.onMessage(msg);
    };
    ws.onclose = (ev) => {
      if (this.ws !== ws) return;
      const decision = this.o.onServerClose?.(ev.code);
      if (decision === 'stop') {
        this.ws = null;
        this.stop();
        return;
      }
      this.lost(ws, false, decision === 'now');
    };
  }

  // A dead connection's close handshake may take long: a forced loss does not wait for it.
  private lost(ws: WebSocket, force: boolean, now = force): void {
    if (this.ws !== ws) return;
    this.ws = null;
    if (force) ws.close(4000, 'reconnect');
    window.clearInterval(this.pingTimer);
    if (!this.running) return;
    this.o.onState('down');
    const delay = now ? 0 : DELAYS[Math.min(this.attempt, DELAYS.length - 1)];
    this.attempt++;
    window.clearTimeout(this.retryTimer);
    this.retryTimer = window.setTimeout(() => void this.retry(), delay);
  }

  private async retry(): Promise<void> {
    if (!this.running) return;
    // A refused upgrade looks like any other close: ask whether the session still stands.
    if (this.attempt > 1 && !(await this.o.sessionValid().catch(() => true))) {
      this.stop();
      return;
    }
    this.connect();
  }

  private heartbeat(): void {
    if (this.ws && Date.now() - this.lastHeard > SILENCE_MS) {
      this.lost(this.ws, true);
      return;
    }
    this.send({ type: 'ping' });
  }
}
