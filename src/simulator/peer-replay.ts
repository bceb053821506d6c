// Replaying frames to the peer's clients: a Scenario's captured bytes or any (async) iterable of
// frames, at full speed (batched writes that wait for the client to read) or paced by the frames' times.
import { setTimeout as sleep } from 'node:timers/promises';
import { type AmiFields, type AmiFrame, type Scenario, scenarioFrames, serializeFrame } from './scenarios';

/**
 * A frame to replay: captured bytes, synthesised text, or fields to serialise; `t` in ms. Bytes built
 * ahead may hold several whole frames (`frames` says how many; 1 if not said).
 */
export type ReplayItem = AmiFrame | { t?: number; fields: AmiFields } | { t?: number; data: string | Buffer; frames?: number };

export type ReplaySource = Scenario | Iterable<ReplayItem> | AsyncIterable<ReplayItem>;

export interface ReplayOptions {
  /** Time factor over the frames' `t` (2 = twice as fast); 'max' (default) sends as fast as the client reads. */
  speed?: number | 'max';
  /** Gap compression: no pause between two frames is longer than this (ms, in replay time). */
  maxGapMs?: number;
  /** Wait for a logged-in client (and a peer that is not silent) before the first frame (default true). */
  waitForClient?: boolean;
  /** Hold the replay while no client is logged in, so that no frame is missed (default false: like a PBX, carry on). */
  holdWhileDisconnected?: boolean;
  /** Bytes gathered into one socket write when sending as fast as possible (default 64 KiB). */
  batchBytes?: number;
  /**
   * Follow the channels in what is replayed, to answer a reconnecting client's Status (default
   * true). A stream whose calls all end within it may leave it off: the benchmark's bytes, built
   * ahead, are then only written.
   */
  track?: boolean;
  signal?: AbortSignal;
}

export interface ReplayResult {
  /** Frames taken from the source. */
  frames: number;
  /** Frames written to at least one client. */
  delivered: number;
  bytes: number;
}
/** What replaying needs of the peer. */
export interface ReplayTarget {
  loggedInClients(): number;
  /** Resolves once a logged-in client can be written to (and the peer is not silent). */
  clientReady(signal?: AbortSignal): Promise<void>;
  /** Writes to every logged-in client with events on; false when nobody received it. */
  write(data: string | Buffer, frames: number): boolean;
  /** Resolves once every client's socket buffer has drained. */
  drained(): Promise<void>;
  /** Follows the channels in a frame sent. */
  track(data: string | Buffer, fields: AmiFields | null): void;
}

function isScenario(x: ReplaySource): x is Scenario {
  return typeof x === 'object' && x !== null && 'bytes' in x && 'messages' in x && Buffer.isBuffer((x as Scenario).bytes);
}


/**
 * Replays frames after login: a Scenario's `.ami` bytes verbatim (times from its `.jsonl`), or
 * any (async) iterable of frames such as `synthesizeCalls(...)`. Channels are tracked even while
 * no client is connected, as on a PBX; writes wait for the client to read (socket back-pressure).
 */
export async function replayFrames(peer: ReplayTarget, source: ReplaySource, options: ReplayOptions = {}): Promise<ReplayResult> {
  const speed = options.speed ?? 'max';
  const maxGap = options.maxGapMs ?? Number.POSITIVE_INFINITY;
  const batchBytes = options.batchBytes ?? 64 * 1024;
  const items: Iterable<ReplayItem> | AsyncIterable<ReplayItem> = isScenario(source) ? scenarioFrames(source) : source;
  if (options.waitForClient ?? true) await peer.clientReady(options.signal);

  const result: ReplayResult = { frames: 0, delivered: 0, bytes: 0 };
  const track = options.track ?? true;
  let batch: Array<string | Buffer> = [];
  let batchSize = 0;
  let batchFrames = 0;
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    const data = batch.length === 1 ? batch[0]! : batch.every((b) => typeof b === 'string') ? batch.join('') : Buffer.concat(batch.map((b) => (typeof b === 'string' ? Buffer.from(b) : b)));
    const frames = batchFrames;
    batch = [];
    batchSize = 0;
    batchFrames = 0;
    let written = peer.write(data, frames);
    while (!written && options.holdWhileDisconnected && !options.signal?.aborted) {
      await peer.clientReady(options.signal);
      written = peer.write(data, frames);
    }
    if (written) result.delivered += frames;
    await peer.drained();
  };

  let prevT: number | null = null;
  let clock = 0; // compressed replay time in ms
  const wallStart = performance.now();
  for await (const item of items) {
    if (options.signal?.aborted) break;
    const data = 'data' in item ? item.data : serializeFrame(item.fields);
    const t: number = item.t ?? prevT ?? 0;
    if (speed !== 'max') {
      clock += prevT === null ? 0 : Math.min(Math.max(0, t - prevT), maxGap);
      const wait = wallStart + clock / speed - performance.now();
      if (wait >= 1) {
        await flush();
        // Abortable, so that stopping a slow replay (the demo's) does not wait for the next frame.
        await sleep(wait, undefined, { signal: options.signal }).catch(() => undefined);
        if (options.signal?.aborted) break;
      }
    }
    prevT = t;
    if (options.holdWhileDisconnected && peer.loggedInClients() === 0) {
      await flush();
      await peer.clientReady(options.signal);
    }
    if (track) peer.track(data, 'fields' in item ? item.fields : null);
    const frames = 'frames' in item ? (item.frames ?? 1) : 1;
    batch.push(data);
    batchSize += data.length;
    batchFrames += frames;
    result.frames += frames;
    result.bytes += typeof data === 'string' ? Buffer.byteLength(data) : data.length;
    if (speed !== 'max' || batchSize >= batchBytes) await flush();
  }
  await flush();
  return result;
}
