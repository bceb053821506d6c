// The user guide shows the panel as the browser tests leave it: every picture it shows is one a
// browser test takes (`screenshot(page, 'NAME')`, written to docs/screenshots by `npm run
// docs:screenshots`), and docs/screenshots holds no picture that no test takes any more.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import t from 'tap';

const ROOT = path.join(__dirname, '..', '..', '..');
const guide = readFileSync(path.join(ROOT, 'docs', 'user-guide.ru.md'), 'utf8');
const shown = [...guide.matchAll(/\]\(screenshots\/([^)]+)\.png\)/g)].map((m) => m[1]);
const browserTests = path.join(ROOT, 'test', 'browser');
const taken = new Set(
  readdirSync(browserTests)
    .filter((f) => f.endsWith('.test.ts'))
    .flatMap((f) => [...readFileSync(path.join(browserTests, f), 'utf8').matchAll(/screenshot\([^,]+,\s*'([^']+)'\)/g)].map((m) => m[1])),
);

t.test('every picture in the user guide is taken by a browser test and is in docs/screenshots', async (t) => {
  t.ok(shown.length > 0, 'the guide shows the panel');
  t.same(shown.filter((name) => !taken.has(name)), [], 'no picture that no browser test takes');
  t.same(shown.filter((name) => !existsSync(path.join(ROOT, 'docs', 'screenshots', `${name}.png`))), [], 'each one is in docs/screenshots (npm run docs:screenshots)');
});

t.test('docs/screenshots holds only pictures the browser tests take', async (t) => {
  const files = readdirSync(path.join(ROOT, 'docs', 'screenshots')).filter((f) => f.endsWith('.png'));
  t.same(files.filter((f) => !taken.has(f.replace(/\.png$/, ''))), []);
});
