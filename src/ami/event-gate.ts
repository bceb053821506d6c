// Where PBX events wait, in arrival order, while the reconcile holds the stream (from the
// CoreShowChannels answer until onConnected returns) or the app has paused us. Never reorders or drops.
import type { RawAmiMessage } from './raw';

export class EventGate {
  private queue: Array<[RawAmiMessage, Date] | undefined> = [];
  private queueHead = 0;
  private holding = false;
  private draining = false;

  constructor(
    private readonly isPaused: () => boolean,
    private readonly emit: (raw: RawAmiMessage, at: Date) => void,
  ) {}

  /** An event: passed on at once unless something must wait (or already waits). */
  deliver(raw: RawAmiMessage, at: Date): void {
    if (this.holding || this.isPaused() || this.queueHead < this.queue.length) {
      this.queue.push([raw, at]);
      return;
    }
    this.emit(raw, at);
  }

  /** The reconcile's snapshot begins: later events wait for it. */
  hold(): void {
    this.holding = true;
  }

  /** Ends a reconcile hold and delivers what waited. */
  release(): void {
    this.holding = false;
    this.drain();
  }

  /** Delivers what waited, unless held or paused. */
  drain(): void {
    if (this.draining) return; // resume() called from inside onEvent: the running drain goes on
    this.draining = true;
    try {
      while (this.queueHead < this.queue.length && !this.holding && !this.isPaused()) {
        const item = this.queue[this.queueHead] as [RawAmiMessage, Date];
        this.queue[this.queueHead++] = undefined;
        this.emit(item[0], item[1]);
      }
      if (this.queueHead >= this.queue.length) {
        this.queue = [];
        this.queueHead = 0;
      }
    } finally {
      this.draining = false;
    }
  }
}
