// Where the checkout (or installation) is: the directory of calldesk's package.json. Found from
// this module's own place, which is src/ when run from source (tests, tsx) and dist/service/ when
// run from the bundle `npm start` builds, so files beside the code (the panel's sources, the demo's
// captures, dist/ui) are found the same way from both.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

export function findRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const pkg = path.join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'calldesk') return dir;
      } catch {
        // not ours: keep looking upwards
      }
    }
    if (path.dirname(dir) === dir) throw new Error(`calldesk's package.json is not above ${from}`);
  }
}

export const ROOT = findRoot(__dirname);
