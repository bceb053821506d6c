// calldesk runs on the Node the README names (package.json "engines"): every installed package must
// accept it too, or `npm ci` warns (EBADENGINE) and a package may one day use what that Node lacks.
// cookie@2 (through fastify's light-my-request and @fastify/cookie 11.1) declared Node >= 22; the
// lockfile keeps cookie 1 by pinning @fastify/cookie 11.0.2 and light-my-request 6.6.0 (overrides).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import semver from 'semver';
import t from 'tap';

const ROOT = path.join(__dirname, '..', '..', '..');
const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const lock = JSON.parse(readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8'));

t.test('every package in the lockfile accepts the oldest Node calldesk supports', async (t) => {
  const oldest = semver.minVersion(manifest.engines.node);
  t.ok(oldest, `package.json engines.node is a range: ${manifest.engines.node}`);
  const refusing = Object.entries<{ engines?: { node?: string } }>(lock.packages)
    .filter(([name, meta]) => name !== '' && typeof meta.engines?.node === 'string')
    .filter(([, meta]) => !semver.satisfies(oldest!, meta.engines!.node!))
    .map(([name, meta]) => `${name} wants node ${meta.engines!.node}`);
  t.same(refusing, [], `all accept Node ${oldest}`);
});
