// The start of a call an agent's phone places to no one yet (a feature code such as *8, voicemail,
// a colleague's number before the PBX dials it) is held back until something happens to that call:
// a pickup absorbs the picker's own short call into the call it takes, so that call must never
// have been announced (and stored) as a call of its own.
import type { CallFact } from './model';

export class HeldStarts {
  /** The held `call.started` of each such call, by linkedid. */
  private readonly held = new Map<string, CallFact>();

  hold(fact: CallFact): void {
    this.held.set(fact.call.linkedid, fact);
  }

  /** The call is absorbed into another: it is never announced. */
  drop(linkedid: string): boolean {
    return this.held.delete(linkedid);
  }

  isHeld(linkedid: string): boolean {
    return this.held.has(linkedid);
  }

  /** `out` with each held start put just before the first fact about its call (which releases it). */
  release(out: CallFact[]): CallFact[] {
    if (this.held.size === 0 || out.length === 0) return out;
    let res: CallFact[] | null = null;
    for (let i = 0; i < out.length; i++) {
      const start = this.held.get(out[i].call.linkedid);
      if (start === undefined) {
        res?.push(out[i]);
        continue;
      }
      this.held.delete(start.call.linkedid);
      res ??= out.slice(0, i);
      res.push(start, out[i]);
    }
    return res ?? out;
  }
}
