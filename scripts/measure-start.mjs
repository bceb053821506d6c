// `node scripts/measure-start.mjs [runs]`: what starting the built service costs, as `npm start`
// runs it (node with the same flags, dist/service/server.js), beside the same service built with
// every package external (TypeORM loaded from node_modules with all its drivers), runs alternating
// so that the machine's load falls on both alike. For each run: the time from spawning
// the process to the first 200 from /api/health, the process's CPU time until then (steadier than
// wall time on a busy machine), the RSS (VmRSS) once healthy, and how many modules node loaded
// (require.cache; CPU and modules are read by a preload on SIGUSR2 and written to stderr). Needs
// DATABASE_URL (migrated on the first run). Prints the medians. Builds first.
//
// Plain JavaScript: it measures the bundle, so it must not itself run under tsx.
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from './build.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const runs = Number(process.argv[2] ?? 7);
if (!process.env.DATABASE_URL) {
  process.stderr.write('set DATABASE_URL\n');
  process.exit(2);
}
await build();
await build({ allExternal: true });

// Counts the modules loaded when asked (SIGUSR2), from inside the measured process.
const dir = mkdtempSync(path.join(tmpdir(), 'calldesk-start-'));
const preload = path.join(dir, 'count.cjs');
writeFileSync(
  preload,
  `process.on('SIGUSR2', () => { const k = Object.keys(require.cache); const c = process.cpuUsage(); process.stderr.write('MODULES ' + JSON.stringify({ cpuMs: (c.user + c.system) / 1000, all: k.length, typeorm: k.filter((f) => f.includes('/node_modules/typeorm/')).length, drivers: k.filter((f) => /\\/typeorm\\/driver\\/[^/]+\\//.test(f)).map((f) => f.split('/typeorm/driver/')[1].split('/')[0]).filter((d, i, a) => a.indexOf(d) === i) }) + '\\n'); });\n`,
);

// The flags `npm start` gives node (`node --a --b=1 dist/service/server.js`): measured as it runs.
const startFlags = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts.start.split(' ').filter((w) => w.startsWith('--'));

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function once(bundle) {
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, [...startFlags, '--require', preload, bundle], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  let out = '';
  child.stderr.on('data', (d) => (err += d));
  child.stdout.on('data', (d) => (out += d));
  for (;;) {
    if (child.exitCode !== null) throw new Error(`service exited: ${err}`);
    // PORT=0: the port it picked, from its "Server listening at" line.
    const port = /listening at http:\/\/127\.0\.0\.1:(\d+)/.exec(out)?.[1];
    const ok = port && (await fetch(`http://127.0.0.1:${port}/api/health`).then((r) => r.status === 200, () => false));
    if (ok) break;
    await new Promise((r) => setTimeout(r, 5));
  }
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))[1]);
  child.kill('SIGUSR2');
  while (!err.includes('MODULES ')) await new Promise((r) => setTimeout(r, 5));
  const modules = JSON.parse(/MODULES (.*)\n/.exec(err)[1]);
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  return { ms, rssMb: rssKb / 1024, cpuMs: modules.cpuMs, modules };
}

const bundles = { 'bundled, postgres driver only': 'dist/service/server.js', 'all packages external': 'dist/service-all-external/server.js' };
const results = Object.fromEntries(Object.keys(bundles).map((k) => [k, []]));
for (let i = 0; i < runs; i++) {
  for (const [name, bundle] of Object.entries(bundles)) results[name].push(await once(bundle));
}
for (const [name, rs] of Object.entries(results)) {
  const m = rs[0].modules;
  process.stdout.write(
    `${name} (${runs} runs)\n  start to health ok: median ${median(rs.map((r) => r.ms)).toFixed(0)} ms (${rs.map((r) => r.ms.toFixed(0)).join(', ')})\n` +
      `  CPU time (user + system) to health ok: median ${median(rs.map((r) => r.cpuMs)).toFixed(0)} ms\n` +
      `  RSS when healthy: median ${median(rs.map((r) => r.rssMb)).toFixed(1)} MB\n` +
      `  modules loaded: ${m.all} (files of node_modules/typeorm: ${m.typeorm}; its driver folders: ${m.drivers.join(', ') || 'none'})\n`,
  );
}
