// Reads a V8 .cpuprofile (node --cpu-prof) and lists where the time went: self time by function
// and by file, so a bench run with --profile says what to optimise without opening DevTools.
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber?: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileLine {
  name: string;
  ms: number;
  share: number;
}

function short(url: string): string {
  if (!url) return '(native)';
  const clean = url.replace(/^file:\/\//, '');
  const nm = clean.lastIndexOf('node_modules/');
  if (nm >= 0) return clean.slice(nm + 'node_modules/'.length);
  return path.relative(process.cwd(), clean) || clean;
}

// The service runs from a bundle (dist/…, built by scripts/build.mjs with a linked source map):
// its frames are mapped back to the TypeScript file and line they were built from.
const maps = new Map<string, SourceMap | null>();
function sourceMapOf(url: string): SourceMap | null {
  if (!url.includes('/dist/') || !url.endsWith('.js')) return null;
  if (!maps.has(url)) {
    let map: SourceMap | null = null;
    try {
      const file = url.startsWith('file:') ? fileURLToPath(url) : url;
      if (existsSync(`${file}.map`)) map = new SourceMap(JSON.parse(readFileSync(`${file}.map`, 'utf8')));
    } catch {
      map = null;
    }
    maps.set(url, map);
  }
  return maps.get(url) ?? null;
}

function original(frame: ProfileNode['callFrame']): { url: string; lineNumber: number } {
  const map = sourceMapOf(frame.url);
  if (!map) return frame;
  const e = map.findEntry(frame.lineNumber, frame.columnNumber ?? 0) as { originalSource?: string; originalLine?: number };
  if (!e?.originalSource) return frame;
  const file = e.originalSource.startsWith('file:') ? fileURLToPath(e.originalSource) : path.resolve(path.dirname(frame.url.replace(/^file:\/\//, '')), e.originalSource);
  return { url: file, lineNumber: e.originalLine ?? 0 };
}

export function summarizeProfile(file: string, top = 25): { totalMs: number; byFunction: ProfileLine[]; byFile: ProfileLine[] } {
  const p = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const self = new Map<number, number>();
  for (let i = 0; i < p.samples.length; i++) self.set(p.samples[i], (self.get(p.samples[i]) ?? 0) + (p.timeDeltas[i] ?? 0));
  const byFn = new Map<string, number>();
  const byFile = new Map<string, number>();
  let total = 0;
  for (const n of p.nodes) {
    const us = self.get(n.id) ?? 0;
    if (us === 0) continue;
    total += us;
    const at = original(n.callFrame);
    const f = short(at.url);
    const fn = `${n.callFrame.functionName || '(anonymous)'} ${f}:${at.lineNumber + 1}`;
    byFn.set(fn, (byFn.get(fn) ?? 0) + us);
    byFile.set(f, (byFile.get(f) ?? 0) + us);
  }
  const lines = (m: Map<string, number>) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, ms: us / 1000, share: us / total }));
  return { totalMs: total / 1000, byFunction: lines(byFn), byFile: lines(byFile) };
}

if (require.main === module) {
  for (const f of process.argv.slice(2)) {
    const s = summarizeProfile(f, Number(process.env.TOP ?? 30));
    console.log(`${f}: ${s.totalMs.toFixed(0)} ms sampled`);
    console.log('-- self time by file');
    for (const l of s.byFile) console.log(`${(l.share * 100).toFixed(1).padStart(5)}% ${l.ms.toFixed(0).padStart(7)} ms  ${l.name}`);
    console.log('-- self time by function');
    for (const l of s.byFunction) console.log(`${(l.share * 100).toFixed(1).padStart(5)}% ${l.ms.toFixed(0).padStart(7)} ms  ${l.name}`);
  }
}
