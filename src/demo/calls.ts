// The demo's traffic: the recorded real calls, copied with fresh ids and numbers on every pass and
// started a few seconds apart, as one endless stream for the demo PBX to replay.
import type { ReplayItem } from '../simulator/ami-peer';
import { DEMO_CAPTURES_DIR, loadScenario, splitCalls, synthesizeCalls, type CapturedCall } from '../simulator/scenarios';

/** One recorded call: the scenario and, for a scenario with several, which of its calls. */
export interface DemoCall {
  scenario: string;
  call?: number;
}

// Every other call rings the whole group (S3, S10), so whichever of 101–103 a newcomer signs in as,
// a call pops up within seconds; the rest show each kind of call the product handles once a pass.
export const DEMO_CALLS: readonly DemoCall[] = [
  { scenario: 'S1-answered' }, // rings 101, answered
  { scenario: 'S10-burst', call: 0 }, // rings 101–103, 103 answers
  { scenario: 'S4-queue' }, // queue rings 101+102, 102 answers
  { scenario: 'S3-missed' }, // rings 101–103, nobody answers: a call back
  { scenario: 'S5-transfer' }, // 101 answers, transfers to 102
  { scenario: 'S10-burst', call: 1 }, // 102 answers
  { scenario: 'S8-anonymous' }, // withheld number, 101 answers
  { scenario: 'S10-burst', call: 2 }, // 101 answers
  { scenario: 'S7-other-did' }, // another line of the PBX: logged, no draft
  { scenario: 'S10-burst', call: 4 }, // 103 answers
  { scenario: 'P1-answered' }, // chan_pjsip, 101 answers
  { scenario: 'S11-outbound' }, // 101 calls a customer
];

/** The recorded calls the demo copies, from the demo's own data (not test/). */
export function demoTemplates(calls: readonly DemoCall[] = DEMO_CALLS, dir = DEMO_CAPTURES_DIR): CapturedCall[] {
  return calls.map(({ scenario, call = 0 }) => {
    const found = splitCalls(loadScenario(scenario, dir).messages).calls[call];
    if (!found) throw new Error(`demo data: ${scenario} has no call #${call}`);
    return found;
  });
}

export interface DemoStreamOptions {
  templates: readonly CapturedCall[];
  /** Time between the starts of two calls, ms (recorded time; the replay's speed scales it). */
  intervalMs: number;
  /** Random extra delay before each call, 0…jitterMs. */
  jitterMs: number;
  /** Seeds the numbers: pass n uses seed + n, so no two passes (or runs with other seeds) share callers. */
  seed: number;
  /** Stop after this many passes (default: never). */
  passes?: number;
  /** Called as each pass begins. */
  onPass?: (pass: number) => void;
  /** Epoch seconds for a pass's uniqueids (default: the wall clock when the pass begins). */
  clock?: () => number;
}

// Generous per-pass strides: a pass uses a few hundred uniqueids and channel suffixes at most.
const UNIQUEID_STRIDE = 10_000;
const CHANNEL_STRIDE = 0x1000;

/** Pass after pass of the templates as fresh calls; frame times continue from pass to pass. */
export function* demoCallStream(o: DemoStreamOptions): Generator<ReplayItem> {
  const clock = o.clock ?? (() => Math.floor(Date.now() / 1000));
  let offset = 0;
  for (let pass = 0; o.passes === undefined || pass < o.passes; pass++) {
    o.onPass?.(pass);
    let last = 0;
    for (const frame of synthesizeCalls({
      count: o.templates.length,
      templates: o.templates,
      intervalMs: o.intervalMs,
      jitterMs: o.jitterMs,
      seed: o.seed + pass,
      // A new epoch per pass gives new uniqueids even across runs; the counters keep passes apart within one.
      startEpochSec: clock(),
      uniqueidCounterStart: 1_000_000 + (pass % 100_000) * UNIQUEID_STRIDE,
      channelCounterStart: 0x100000 + (pass % 0xf0000) * CHANNEL_STRIDE,
    })) {
      last = frame.t;
      yield { t: offset + frame.t, data: frame.data };
    }
    // The next pass begins once this one's calls are over, one interval later.
    offset += last + o.intervalMs;
  }
}
