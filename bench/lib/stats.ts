// Small numeric helpers for the report.

export interface Distribution {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

/** Nearest-rank percentiles (no interpolation: every figure is a latency that really happened). */
export function distribution(values: number[]): Distribution {
  if (values.length === 0) return { n: 0, p50: NaN, p95: NaN, p99: NaN, max: NaN, mean: NaN };
  const v = Float64Array.from(values).sort();
  const at = (p: number) => v[Math.min(v.length - 1, Math.max(0, Math.ceil((p / 100) * v.length) - 1))];
  let sum = 0;
  for (const x of v) sum += x;
  return { n: v.length, p50: at(50), p95: at(95), p99: at(99), max: v[v.length - 1], mean: sum / v.length };
}

export const MB = 1024 * 1024;

export function round(x: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** 12345.6 → "12,346"; small values keep a decimal. */
export function fmt(x: number, digits?: number): string {
  if (!Number.isFinite(x)) return '—';
  const d = digits ?? (Math.abs(x) >= 100 ? 0 : Math.abs(x) >= 10 ? 1 : 2);
  return x.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
}

/** How late an event loop's timers ran (ms): the floor under any push from that process. */
export interface LoopDelay {
  p50: number;
  p99: number;
  max: number;
}

/** Samples taken every this many ms (the histogram's values include the interval itself). */
export const LOOP_RESOLUTION_MS = 2;

/** A histogram from monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS }), as lateness beyond the interval. */
export function loopDelay(h: { percentile(p: number): number; max: number }): LoopDelay {
  const late = (ns: number) => Math.max(0, ns / 1e6 - LOOP_RESOLUTION_MS);
  return { p50: late(h.percentile(50)), p99: late(h.percentile(99)), max: late(h.max) };
}
