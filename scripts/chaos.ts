// `npm run chaos`: the fault scenarios of test/integration/faults at load (not part of npm test;
// minutes long). Runs the same test files as `npm test` with CALLDESK_CHAOS=1 — 100 calls/s, longer
// faults (test/helpers/chaos.ts) — one at a time, then prints what each scenario measured: calls
// offered, stored, lost, doubled; mails in/out and duplicates; link decisions; recovery time.
// `npm run chaos -- two-pbxs` runs only the files whose name contains the word.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ChaosRow } from '../test/helpers/chaos';

const SCENARIOS = [
  'test/integration/faults/two-pbxs.test.ts',
  'test/integration/faults/stale-leader-fenced.test.ts',
  'test/integration/faults/database-slow.test.ts',
  'test/integration/faults/disk-full.test.ts',
  'test/integration/faults/service-kill.test.ts',
];

const only = process.argv.slice(2);
const files = SCENARIOS.filter((f) => existsSync(f) && (only.length === 0 || only.some((w) => f.includes(w))));
const dir = mkdtempSync(path.join(os.tmpdir(), 'calldesk-chaos-'));
const report = path.join(dir, 'report.jsonl');
const started = Date.now();
const run = spawnSync('npx', ['tap', '--jobs=1', '--timeout=1200', '--reporter=terse', ...files], {
  stdio: 'inherit',
  env: { ...process.env, CALLDESK_CHAOS: '1', CALLDESK_CHAOS_REPORT: report },
});

const rows: ChaosRow[] = existsSync(report) ? readFileSync(report, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)) : [];
rmSync(dir, { recursive: true, force: true });
const dash = '–';
const table = [
  ['scenario', 'calls offered', 'stored', 'lost', 'doubled', 'mails in/out', 'mail dup.', 'link decisions', 'recovery', 'recovery is'],
  ...rows.map((r) => [
    r.scenario,
    r.calls ? String(r.calls.offered) : dash,
    r.calls ? String(r.calls.stored) : dash,
    r.calls ? String(r.calls.lost) : dash,
    r.calls ? String(r.calls.doubled) : dash,
    r.mails ? `${r.mails.in}/${r.mails.out}` : dash,
    r.mails ? String(r.mails.duplicates) : dash,
    r.linkDecisions !== undefined ? String(r.linkDecisions) : dash,
    r.recoveryMs !== undefined ? `${(r.recoveryMs / 1000).toFixed(1)} s` : dash,
    r.recovery ?? '',
  ]),
];
const widths = table[0].map((_, i) => Math.max(...table.map((row) => row[i].length)));
process.stdout.write('\n' + table.map((row) => row.map((c, i) => (i > 0 && i < 9 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd()).join('\n') + '\n');
process.stdout.write(`\n${rows.length} of ${files.length} scenarios reported in ${((Date.now() - started) / 60_000).toFixed(1)} min; the tests ${run.status === 0 ? 'passed' : 'FAILED (see above)'}\n`);
process.exitCode = run.status === 0 && rows.length >= files.length ? 0 : 1;
