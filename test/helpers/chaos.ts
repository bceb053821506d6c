// The fault tests at load: `npm run chaos` (scripts/chaos.ts) runs the same scenarios with
// CALLDESK_CHAOS=1 — more calls, a faster pace, longer faults — and each scenario reports what it
// measured as one JSON line in CALLDESK_CHAOS_REPORT, printed as a table at the end.
import { appendFileSync } from 'node:fs';

export const atLoad = process.env.CALLDESK_CHAOS === '1';

/** The fast value in `npm test`, the load value under `npm run chaos`. */
export const scaled = <T>(fast: T, load: T): T => (atLoad ? load : fast);

export interface ChaosRow {
  scenario: string;
  calls?: { offered: number; stored: number; lost: number; doubled: number };
  mails?: { in: number; out: number; duplicates: number };
  linkDecisions?: number;
  /** From the end of the fault to the service being whole again (its meaning per scenario in `recovery`). */
  recoveryMs?: number;
  recovery?: string;
}

export function chaosReport(row: ChaosRow): void {
  const file = process.env.CALLDESK_CHAOS_REPORT;
  if (file) appendFileSync(file, JSON.stringify(row) + '\n');
}
