// Builds the agent panel (src/ui/panel) into dist/ui with esbuild: one minified script, one
// stylesheet, both named by content hash, and index.html pointing at them. The build is keyed by a
// hash of its inputs, so `ensureUiBuilt` rebuilds only when a source (or esbuild/preact/uplot) changed.
// Files are written under temporary names and renamed into place: several processes sharing a
// checkout (test runs, a second instance) may build at the same time without serving half a file.
import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { ROOT } from '../paths';
import { VERSION } from '../version';

export const UI_SOURCE_DIR = path.join(ROOT, 'src', 'ui', 'panel');
export const UI_DIST_DIR = path.join(ROOT, 'dist', 'ui');

/** What a build produced; `dist/ui/manifest.json`. */
export interface UiManifest {
  /** Hash of every input; a different one means the build is stale. */
  sourceHash: string;
  /** Asset file names under `assets/`. */
  js: string;
  css: string;
  /** Bytes of the script, raw and gzipped (the budget is 100 KB gzipped). */
  jsBytes: number;
  jsGzipBytes: number;
  builtAt: string;
}

export interface BuildLogger {
  info(obj: object, msg: string): void;
}

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listFiles(full)));
    else out.push(full);
  }
  return out.sort();
}

async function packageVersion(name: string): Promise<string> {
  try {
    const pkg = JSON.parse(await fs.readFile(require.resolve(`${name}/package.json`), 'utf8'));
    return String(pkg.version);
  } catch {
    return 'unknown';
  }
}

/** A hash of the panel's sources, this file, the tool versions and the release. */
export async function uiSourceHash(srcDir = UI_SOURCE_DIR): Promise<string> {
  const hash = createHash('sha256');
  for (const file of await listFiles(srcDir)) {
    hash.update(path.relative(srcDir, file)).update('\0').update(await fs.readFile(file)).update('\0');
  }
  // This file's source, not the running file (the service runs from a bundle of everything).
  hash.update(await fs.readFile(path.join(ROOT, 'src', 'ui', 'build.ts')));
  hash.update(`esbuild@${await packageVersion('esbuild')} preact@${await packageVersion('preact')} uplot@${await packageVersion('uplot')}`);
  // The release goes into the bundle (the footer): a new version is a new build.
  hash.update(`calldesk@${VERSION}`);
  return hash.digest('hex');
}

async function writeAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await fs.writeFile(tmp, data);
  await fs.rename(tmp, file);
}

export async function readUiManifest(outDir = UI_DIST_DIR): Promise<UiManifest | null> {
  try {
    return JSON.parse(await fs.readFile(path.join(outDir, 'manifest.json'), 'utf8')) as UiManifest;
  } catch {
    return null;
  }
}

let buildsRunning = 0;

/** Builds the panel unconditionally. */
export async function buildUi(opts: { srcDir?: string; outDir?: string } = {}): Promise<UiManifest> {
  const srcDir = opts.srcDir ?? UI_SOURCE_DIR;
  const outDir = opts.outDir ?? UI_DIST_DIR;
  const sourceHash = await uiSourceHash(srcDir);
  // Loaded lazily: a server whose panel is already built never needs the bundler.
  const esbuild = await import('esbuild');
  buildsRunning++;
  const result = await esbuild
    .build({
      entryPoints: { app: path.join(srcDir, 'main.ts'), app_styles: path.join(srcDir, 'styles.css') },
      bundle: true,
      minify: true,
      format: 'iife',
      target: ['chrome109', 'firefox115', 'safari15.6'],
      entryNames: '[name]-[hash]',
      outdir: path.join(outDir, 'assets'),
      write: false,
      metafile: false,
      legalComments: 'none',
      charset: 'utf8',
      logLevel: 'silent',
      define: { __CALLDESK_VERSION__: JSON.stringify(VERSION) },
    })
    .finally(() => {
      // esbuild keeps a helper process running after a build (~12 MB); a server builds only once.
      if (--buildsRunning === 0) void esbuild.stop();
    });
  const assets = path.join(outDir, 'assets');
  await fs.mkdir(assets, { recursive: true });
  let js = '';
  let css = '';
  let jsBytes = 0;
  let jsGzipBytes = 0;
  for (const file of result.outputFiles) {
    const name = path.basename(file.path);
    if (name.endsWith('.js')) {
      js = name;
      jsBytes = file.contents.length;
      jsGzipBytes = gzipSync(file.contents, { level: 9 }).length;
    } else if (name.endsWith('.css')) css = name;
    else continue;
    await writeAtomic(path.join(assets, name), file.contents);
  }
  if (!js || !css) throw new Error('the panel build produced no script or no stylesheet');
  const template = await fs.readFile(path.join(srcDir, 'index.html'), 'utf8');
  const html = template.replace('{{css}}', `/assets/${css}`).replace('{{js}}', `/assets/${js}`);
  await writeAtomic(path.join(outDir, 'index.html'), html);
  const manifest: UiManifest = { sourceHash, js, css, jsBytes, jsGzipBytes, builtAt: new Date().toISOString() };
  await writeAtomic(path.join(outDir, 'manifest.json'), JSON.stringify(manifest, null, 2));
  await pruneOldAssets(assets, new Set([js, css]));
  return manifest;
}

// Old hashed assets are kept an hour: a page loaded just before a rebuild still finds its files.
async function pruneOldAssets(dir: string, keep: Set<string>): Promise<void> {
  const hourAgo = Date.now() - 3600_000;
  for (const name of await fs.readdir(dir)) {
    if (keep.has(name)) continue;
    const file = path.join(dir, name);
    const stat = await fs.stat(file).catch(() => null);
    if (stat && stat.mtimeMs < hourAgo) await fs.rm(file, { force: true });
  }
}

/** The current build: reused when its inputs are unchanged, else built now. */
export async function ensureUiBuilt(opts: { srcDir?: string; outDir?: string; logger?: BuildLogger } = {}): Promise<UiManifest> {
  const outDir = opts.outDir ?? UI_DIST_DIR;
  const srcDir = opts.srcDir ?? UI_SOURCE_DIR;
  const hasSources = await fs.access(path.join(srcDir, 'main.ts')).then(() => true, () => false);
  const current = await readUiManifest(outDir);
  // A deployment shipped with dist/ui and without the panel's sources serves what it was given.
  if (!hasSources && current) return current;
  const sourceHash = await uiSourceHash(srcDir);
  if (current && current.sourceHash === sourceHash) {
    const present = await Promise.all([current.js, current.css].map((f) => fs.access(path.join(outDir, 'assets', f)).then(() => true, () => false)));
    if (present.every(Boolean)) return current;
  }
  const started = performance.now();
  const built = await buildUi(opts);
  opts.logger?.info({ js: built.js, jsGzipBytes: built.jsGzipBytes, ms: Math.round(performance.now() - started) }, 'agent panel built');
  return built;
}
