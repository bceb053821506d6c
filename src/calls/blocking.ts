// Blocked numbers as the call model sees them: what a block is (a number in E.164, a reason, an end
// or none), and the set of active blocks a call's start is judged against. Pure: the service
// (services/blocked-numbers.ts) loads the entries and keeps the set current on every instance.
import { ValidationError } from '../tickets/errors';
import { toE164 } from './numbers';

export interface Block {
  number: string;
  reason: string;
  /** When the block ends; null: until unblocked. */
  until: Date | null;
}

/** What a block asks for, checked: the number in E.164, a reason, an end in the future if any. */
export function checkBlock(input: { number: string; reason: string; until?: string | null }, now: Date): Block {
  const number = toE164(input.number);
  if (number === null) throw new ValidationError('number', `body field 'number' is not a phone number`);
  const reason = input.reason.trim();
  if (reason === '') throw new ValidationError('reason', `body field 'reason' must not be empty`);
  const until = input.until ? new Date(input.until) : null;
  if (until !== null && until.getTime() <= now.getTime()) throw new ValidationError('until', `body field 'until' is in the past: a block ends in the future`);
  return { number, reason, until };
}

/** The active blocks by number: a call is blocked when its caller's block has not ended as it starts. */
export class BlockedSet {
  /** E.164 → when its block ends (null: until unblocked). */
  private ends = new Map<string, Date | null>();

  /** The entries as now stored (one active per number; were there two, the longer holds). */
  replace(entries: Iterable<{ number: string; until: Date | null }>): void {
    const next = new Map<string, Date | null>();
    for (const { number, until } of entries) {
      const known = next.get(number);
      if (known === undefined || (known !== null && (until === null || until > known))) next.set(number, until);
    }
    this.ends = next;
  }

  /** Calls from `e164` starting at `at` are blocked (an expired entry blocks nothing, reloaded or not). */
  has(e164: string, at: Date): boolean {
    const until = this.ends.get(e164);
    if (until === undefined) return false;
    return until === null || until.getTime() > at.getTime();
  }

  get size(): number {
    return this.ends.size;
  }
}
