// `npm run build` (and `prestart`, `predemo`, `premigrate`): bundles the service's TypeScript with
// esbuild into dist/service/ — server.js (`npm start`), demo.js (`npm run demo`), migrate.js
// (`npm run migrate`) — so the service runs as plain JavaScript on node, without the tsx loader
// (its loader thread, its second V8 heap and its caches cost ≈ 40 MB of RSS; see docs/benchmark.md).
// Packages stay in node_modules (external); only calldesk's own code is bundled. Takes well under
// a second. `--bench` also bundles the benchmark's service child (dist/bench/service-child.js),
// so that the bench measures the service as `npm start` runs it.
//
// Plain JavaScript on purpose: it must run right after `npm install`, before anything is built.
// Files are written under temporary names and renamed into place, so processes sharing a checkout
// (a test run, the bench, a second instance) may build at the same time.
import { randomBytes } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const SERVICE = {
  'service/server': 'src/server.ts',
  'service/demo': 'src/demo/main.ts',
  'service/migrate': 'src/db/migrate-cli.ts',
};
const BENCH = { 'bench/service-child': 'bench/service-child.ts' };

/** Builds the bundles; returns the files written (relative to the root). */
export async function build({ bench = false } = {}) {
  const entries = { ...SERVICE, ...(bench ? BENCH : {}) };
  const result = await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: Object.fromEntries(Object.entries(entries).map(([out, src]) => [out, path.join(ROOT, src)])),
    outdir: path.join(ROOT, 'dist'),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    // Packages are loaded from node_modules as they are (native addons, files they read at run time).
    packages: 'external',
    // Class names stay: TypeORM names migrations by them.
    keepNames: true,
    // Read by stack traces only with --enable-source-maps, and by the bench's profile summary.
    sourcemap: 'linked',
    sourcesContent: false,
    tsconfig: path.join(ROOT, 'tsconfig.json'),
    write: false,
    logLevel: 'warning',
  });
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
