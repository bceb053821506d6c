// The panel as the server hands it out (no browser needed): public, self-contained, within budget.
import t from 'tap';
import { buildTestApp } from '../helpers/app';
import { readUiManifest } from '../../src/ui/build';

t.test('the panel is served at / without a session, loads nothing from elsewhere and stays under 100 KB gzipped', async (t) => {
  const app = await buildTestApp(t, { connectPbx: false });
  const page = await fetch(`${app.url}/`);
  t.equal(page.status, 200);
  t.match(page.headers.get('content-type'), /^text\/html/);
  t.match(page.headers.get('content-security-policy'), /default-src 'self'/);
  const html = await page.text();
  const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]).filter((u) => !u.startsWith('data:'));
  t.equal(assets.length, 2, 'one script and one stylesheet');
  for (const a of assets) {
    t.match(a, /^\/assets\/[\w-]+\.(js|css)$/, 'same origin, hashed');
    const res = await fetch(app.url + a);
    t.equal(res.status, 200, a);
    t.match(res.headers.get('cache-control'), /immutable/);
  }
  t.equal((await fetch(`${app.url}/assets/..%2Fmanifest.json`)).status, 404, 'only the build’s own files');
  t.equal((await fetch(`${app.url}/assets/nope.js`)).status, 404);

  const manifest = await readUiManifest();
  t.ok(manifest && manifest.jsGzipBytes < 100 * 1024, `script is ${manifest?.jsGzipBytes} bytes gzipped`);
});
