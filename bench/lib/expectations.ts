// What the service must have stored after a stream: each captured call run once through the call
// model (pure, in-process) says whether its copies are support-line calls (a draft each), how many
// legs they have and how many agents they ring. Copies differ only in ids, numbers and agents.
import { parseAmiEvent } from '../../src/ami/events';
import { CallTracker } from '../../src/calls/tracker';
import type { Call } from '../../src/calls/model';
import { toRawAmi } from '../../test/helpers/jsonl';
import type { CapturedCall } from '../../test/helpers/scenarios';

export interface CallExpectation {
  supportLine: boolean;
  legs: number;
  rings: number;
}

const cache = new WeakMap<CapturedCall, CallExpectation>();

export function expectationOf(template: CapturedCall): CallExpectation {
  const hit = cache.get(template);
  if (hit) return hit;
  const tracker = new CallTracker({ pbx: 'main', supportNumbers: ['+79219416004'], isAfterHours: () => false });
  let ended: Call | null = null;
  let rings = 0;
  const at = new Date();
  for (const m of template.messages) {
    const ev = parseAmiEvent(toRawAmi(m.fields));
    if (ev.kind === 'ignored' || ev.kind === 'invalid') continue;
    for (const f of tracker.apply(ev, at)) {
      if (f.kind === 'leg.ringing') rings++;
      if (f.kind === 'call.ended' && f.call.linkedid === template.linkedid) ended = f.call;
    }
  }
  if (!ended) throw new Error(`captured call ${template.linkedid} does not end in the call model`);
  const e = { supportLine: ended.supportLine, legs: ended.legs.length, rings };
  cache.set(template, e);
  return e;
}

export interface StreamExpectation {
  calls: number;
  drafts: number;
  legs: number;
  rings: number;
  events: number;
}

export function expectStream(templates: CapturedCall[]): StreamExpectation {
  const out: StreamExpectation = { calls: 0, drafts: 0, legs: 0, rings: 0, events: 0 };
  for (const t of templates) {
    const e = expectationOf(t);
    out.calls++;
    if (e.supportLine) out.drafts++;
    out.legs += e.legs;
    out.rings += e.rings;
    out.events += t.messages.length;
  }
  return out;
}

export function addExpectations(a: StreamExpectation, b: StreamExpectation): StreamExpectation {
  return { calls: a.calls + b.calls, drafts: a.drafts + b.drafts, legs: a.legs + b.legs, rings: a.rings + b.rings, events: a.events + b.events };
}
