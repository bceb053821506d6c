// The Ping keep-alive of one AMI session. The connection is dropped when the Pong is missing *and*
// nothing at all has arrived for `timeoutMs`: under a heavy stream the Pong queues behind the
// events, and a PBX that is still talking is not silent.

export interface PingTarget {
  isClosed(): boolean;
  /** Reading is paused: nothing can be read, so no verdict. */
  isPaused(): boolean;
  /** When data last arrived (ms since the epoch). */
  lastArrival(): number;
  /** Sends Ping; resolves with the Pong, rejects when the connection closes. */
  ping(): Promise<unknown>;
  /** No Pong and no data within `timeoutMs`. */
  silent(timeoutMs: number): void;
}

export class PingWatch {
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly target: PingTarget) {}

  /** Pings every `intervalMs` (once started, further calls do nothing). */
  start(intervalMs: number, timeoutMs: number): void {
    const t = this.target;
    const schedule = (): void => {
      this.timer = setTimeout(ping, intervalMs);
    };
    const ping = (): void => {
      this.timer = null;
      if (t.isClosed()) return;
      if (t.isPaused()) return schedule();
      let answered = false;
      const watch = (ms: number): void => {
        const due = Date.now() + ms;
        this.timer = setTimeout(() => {
          this.timer = null;
          if (answered || t.isClosed()) return;
          if (t.isPaused()) return watch(timeoutMs);
          const now = Date.now();
          // Fired late: this process was stalled (GC, CPU), so the answer may be sitting unread in
          // the socket. A stalled reader cannot judge the PBX silent: give it a fresh window.
          if (now - due > timeoutMs / 2) return watch(timeoutMs);
          const quiet = now - t.lastArrival();
          if (quiet < timeoutMs) return watch(timeoutMs - quiet);
          t.silent(timeoutMs);
        }, ms);
      };
      watch(timeoutMs);
      t.ping().then(
        () => {
          answered = true;
          if (this.timer) clearTimeout(this.timer);
          if (!t.isClosed()) schedule();
        },
        () => undefined, // the connection closed: nothing to schedule
      );
    };
    if (!this.timer) schedule();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
