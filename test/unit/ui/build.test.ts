// The panel's build: what the server serves, under its size budget, and no bundler left running.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import t from 'tap';
import { buildUi, ensureUiBuilt } from '../../../src/ui/build';
import { waitFor } from '../../helpers/wait';

function esbuildChildren(): string[] {
  const out = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(process.pid)], { encoding: 'utf8' });
  return out.split('\n').filter((l) => /esbuild/.test(l) && !/<defunct>/.test(l)); // a zombie holds no memory
}

t.test('the panel builds into one script under 100 KB gzipped, and no esbuild process stays behind', async (t) => {
  const outDir = mkdtempSync(path.join(tmpdir(), 'calldesk-ui-'));
  t.teardown(() => rmSync(outDir, { recursive: true, force: true }));
  const [a, b] = await Promise.all([buildUi({ outDir }), buildUi({ outDir })]);
  t.equal(a.js, b.js, 'two builds at once give the same files');
  t.ok(existsSync(path.join(outDir, 'assets', a.js)) && existsSync(path.join(outDir, 'index.html')));
  t.ok(a.jsGzipBytes < 100 * 1024, `script ${Math.round(a.jsGzipBytes / 1024)} KB gzipped`);
  // esbuild's helper is stopped once no build is running.
  await waitFor('no esbuild helper process left', () => esbuildChildren().length === 0, 5000);
  t.pass('no esbuild helper process left');
  const again = await ensureUiBuilt({ outDir });
  t.ok([a.builtAt, b.builtAt].includes(again.builtAt), 'an unchanged panel is not rebuilt');
});
