// `npm run build` (and `prestart`, `predemo`, `premigrate`): bundles the service's TypeScript with
// esbuild into dist/service/ — server.js (`npm start`), demo.js (`npm run demo`), migrate.js
// (`npm run migrate`) — so the service runs as plain JavaScript on node, without the tsx loader
// (its loader thread, its second V8 heap and its caches cost ≈ 40 MB of RSS; see docs/benchmark.md).
// Packages stay in node_modules (external) except TypeORM, which is bundled once, with its PostgreSQL
// driver alone, into dist/service/typeorm.js, which the others require (scripts/postgres-only-typeorm.mjs:
// ≈ 370 modules fewer at start; docs/benchmark.md). Takes well under a second. `--bench` also
// bundles the benchmark's service child (dist/service/bench-child.js), so that the bench measures
// the service as `npm start` runs it.
//
// Plain JavaScript on purpose: it must run right after `npm install`, before anything is built.
// Files are written under temporary names and renamed into place, so processes sharing a checkout
// (a test run, the bench, a second instance) may build at the same time.
import { randomBytes } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { postgresOnlyTypeorm, TYPEORM_ENTRY } from './postgres-only-typeorm.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const SERVICE = {
  'service/server': 'src/server.ts',
  'service/demo': 'src/demo/main.ts',
  'service/migrate': 'src/db/migrate-cli.ts',
};
// In dist/service/ too: the bundles require TypeORM from ./typeorm.js beside them.
const BENCH = { 'service/bench-child': 'bench/service-child.ts' };

/**
 * esbuild's options for the bundles (also read by test/unit/project/postgres-only-typeorm.test.ts,
 * which checks what they bundle). `allExternal` builds the service as it was before TypeORM was
 * bundled, into dist/service-all-external/ (for scripts/measure-start.mjs's comparison only).
 */
export function buildOptions({ bench = false, allExternal = false } = {}) {
  const entries = allExternal
    ? { 'service-all-external/server': SERVICE['service/server'] }
    : { ...SERVICE, ...(bench ? BENCH : {}) };
  const files = Object.fromEntries(Object.entries(entries).map(([out, src]) => [out, path.join(ROOT, src)]));
  return {
    absWorkingDir: ROOT,
    entryPoints: allExternal ? files : { ...files, 'service/typeorm': TYPEORM_ENTRY },
    outdir: path.join(ROOT, 'dist'),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    ...(allExternal ? { packages: 'external' } : { plugins: [postgresOnlyTypeorm({ shared: './typeorm.js' })] }),
    // Class names stay: TypeORM names migrations by them.
    keepNames: true,
    // Read by stack traces only with --enable-source-maps, and by the bench's profile summary.
    sourcemap: 'linked',
    sourcesContent: false,
    tsconfig: path.join(ROOT, 'tsconfig.json'),
    write: false,
    logLevel: 'warning',
  };
}

/** Builds the bundles; returns the files written (relative to the root). */
export async function build(options = {}) {
  const result = await esbuild.build(buildOptions(options));
  const written = [];
  for (const file of result.outputFiles) {
    await mkdir(path.dirname(file.path), { recursive: true });
    const tmp = `${file.path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    await writeFile(tmp, file.contents);
    await rename(tmp, file.path);
    written.push(path.relative(ROOT, file.path));
  }
  return written;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  build({ bench: process.argv.includes('--bench') }).then(
    (files) => {
      if (!process.argv.includes('--quiet')) process.stderr.write(`built ${files.filter((f) => f.endsWith('.js')).join(', ')} in ${Date.now() - started} ms\n`);
    },
    (err) => {
      process.stderr.write(`build failed: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
