// `npm run build:ui`: builds the agent panel into dist/ui (the service also does it at start when
// the build is missing or stale) and prints its size against the 100 KB gzipped budget.
import { buildUi } from '../src/ui/build';

const BUDGET = 100 * 1024;

buildUi()
  .then((m) => {
    const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
    process.stdout.write(`dist/ui/assets/${m.js}: ${kb(m.jsBytes)}, ${kb(m.jsGzipBytes)} gzipped (budget ${kb(BUDGET)})\n`);
    if (m.jsGzipBytes > BUDGET) {
      process.stderr.write('the panel script is over its budget\n');
      process.exit(1);
    }
  })
  .catch((err) => {
    process.stderr.write(`building the panel failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
