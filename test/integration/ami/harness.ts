// A peer and a connected AmiConnection with everything they report collected, torn down with the test.
import { Writable } from 'node:stream';
import pino from 'pino';
import { AmiConnection, type AmiConnectionOptions } from '../../../src/ami/client';
import type { LiveChannel } from '../../../src/ami/live-channel';
import type { RawAmiMessage } from '../../../src/ami/raw';
import { AmiPeer, type AmiPeerOptions } from '../../helpers/ami-peer';

export interface Harness {
  peer: AmiPeer;
  conn: AmiConnection;
  events: Array<{ raw: RawAmiMessage; at: Date }>;
  connected: Array<{ live: LiveChannel[]; at: Date }>;
  disconnected: Array<{ at: Date; reason: string }>;
  /** Every log line the connection wrote (pino JSON). */
  logs: string[];
  /** Failed connection attempts in the current streak, as the connection logged them. */
  failures(): number;
  /** Polls until `done()` holds; rejects after `timeoutMs`. */
  waitFor(done: () => boolean, what: string | (() => string), timeoutMs?: number): Promise<void>;
}

export interface HarnessOptions {
  peer?: AmiPeerOptions;
  client?: Partial<AmiConnectionOptions>;
  /** Start the connection right away (default true). */
  start?: boolean;
}

export async function harness(t: { teardown(fn: () => unknown): void }, options: HarnessOptions = {}): Promise<Harness> {
  const peer = await AmiPeer.start(options.peer);
  const logs: string[] = [];
  const logger = pino(
    { level: 'debug' },
    new Writable({
      write(chunk: Buffer, _enc, cb) {
        logs.push(chunk.toString());
        cb();
      },
    }),
  );
  const h: Harness = {
    peer,
    conn: undefined as unknown as AmiConnection,
    events: [],
    connected: [],
    disconnected: [],
    logs,
    failures() {
      const last = logs.filter((l) => l.includes('attempt failed')).pop();
      return last ? (JSON.parse(last) as { failures: number }).failures : 0;
    },
    async waitFor(done, what, timeoutMs = 5000) {
      const until = Date.now() + timeoutMs;
      while (!done()) {
        if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${typeof what === 'string' ? what : what()}`);
        await new Promise((r) => setTimeout(r, 5));
      }
    },
  };
  h.conn = new AmiConnection({
    id: 'pbx-test',
    host: peer.host,
    port: peer.port,
    username: peer.username,
    secret: peer.secret,
    logger,
    pingIntervalMs: 500,
    pingTimeoutMs: 500,
    onEvent: (raw, at) => h.events.push({ raw, at }),
    onConnected: (live, at) => {
      h.connected.push({ live, at });
    },
    onDisconnected: (at, reason) => h.disconnected.push({ at, reason }),
    ...options.client,
  });
  t.teardown(async () => {
    await h.conn.stop();
    await peer.close();
  });
  if (options.start ?? true) h.conn.start();
  return h;
}
