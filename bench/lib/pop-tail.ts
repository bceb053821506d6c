// Where the slowest screen pops waited, from the service's own record of each pop (PopWait: for
// the batch in flight, for the write of the batch storing the call, to send): the mean of each
// stage over the slowest 1 % — what the 99th percentile is made of.
import type { PopWait } from '../../src/ingest/pipeline';

export interface PopTail {
  pops: number;
  /** The service-side wait at the 99th percentile (from taking the fact to the frame going out). */
  p99Ms: number;
  /** Means over the pops at or above it. */
  behindMs: number;
  ownBatchMs: number;
  sendMs: number;
  batchCalls: number;
  /** Of those, how many waited for a batch at all (the rest went out as their fact came). */
  waitedForBatch: number;
  tail: number;
}

export function popTail(waits: readonly PopWait[]): PopTail | null {
  if (waits.length === 0) return null;
  const sorted = [...waits].sort((a, b) => a.totalMs - b.totalMs);
  const from = Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99));
  const tail = sorted.slice(from);
  const mean = (f: (w: PopWait) => number) => tail.reduce((s, w) => s + f(w), 0) / tail.length;
  return {
    pops: waits.length,
    p99Ms: sorted[from].totalMs,
    behindMs: mean((w) => w.behindMs),
    ownBatchMs: mean((w) => w.ownBatchMs),
    sendMs: mean((w) => w.sendMs),
    batchCalls: mean((w) => w.batchCalls),
    waitedForBatch: tail.filter((w) => w.batchCalls > 0).length,
    tail: tail.length,
  };
}
