// Without Chromium the panel's tests fail, saying how to install it, instead of being skipped (a
// skipped test passes unnoticed).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import t from 'tap';

t.test('a missing Chromium fails the browser tests with how to install it', async (t) => {
  const run = spawnSync(process.execPath, ['--import=tsx', '-e', "require('./test/helpers/browser.ts')"], {
    cwd: path.join(__dirname, '..', '..'),
    env: { ...process.env, CI: '', CHROMIUM_PATH: '/nonexistent/chromium' }, // outside CI too
    encoding: 'utf8',
  });
  t.not(run.status, 0, 'loading the browser helper fails');
  t.match(run.stderr, /Chromium not found at \/nonexistent\/chromium/);
  t.match(run.stderr, /apt-get install chromium/, 'and says how to install it');
  t.match(run.stderr, /CHROMIUM_PATH/, 'or how to point at one');
});
