// An esbuild plugin for the service bundles: TypeORM is bundled (not loaded from node_modules) and
// its DriverFactory gets only the PostgreSQL driver. DriverFactory imports every driver TypeORM
// has (MySQL, Oracle, Mongo, SQLite, …: with them TypeORM loads 371 of its files; docs/benchmark.md);
// calldesk runs on PostgreSQL only, so each other driver's module is replaced by a stub whose class
// throws a clear error if ever constructed. Every other package stays external, as before.
//
// With `shared` (the service bundles), TypeORM is bundled once, into its own file beside them (the
// entry `TYPEORM_ENTRY`), and each bundle requires that file: bundled into each of them, it tripled
// the build's time.
//
// A TypeORM upgrade that moves these imports must fail the build, not silently bundle every driver
// again (or none): the plugin checks what it replaced when the build ends (test/unit/project).
import { readFile } from 'node:fs/promises';
import path from 'node:path';

/** The TypeORM driver folder calldesk uses. */
export const KEPT_DRIVER = 'postgres';
/** Fewer stubs than this means DriverFactory changed shape: look at it before building. */
const MIN_STUBBED = 10;

/** The entry point that bundles TypeORM alone (with `shared`). */
export const TYPEORM_ENTRY = 'postgres-only-typeorm:entry';
const ENTRY_NS = 'typeorm-entry';

const bare = /^[^./]/;
const packageName = (spec) => (spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]);
const driverFactory = (file) => /[\\/]node_modules[\\/]typeorm[\\/]driver[\\/]DriverFactory\.js$/.test(file);

/** `shared`: the path, relative to the bundles, of the file the `TYPEORM_ENTRY` entry is written to. */
export function postgresOnlyTypeorm({ shared } = {}) {
  return {
    name: 'postgres-only-typeorm',
    setup(build) {
      const stubbed = new Set();
      let kept = false;
      build.onStart(() => {
        stubbed.clear();
        kept = false;
      });
      // Every package but typeorm stays in node_modules (native addons, files read at run time).
      build.onResolve({ filter: bare }, (args) => {
        if (args.path === TYPEORM_ENTRY) return { path: args.path, namespace: ENTRY_NS };
        if (packageName(args.path) !== 'typeorm') return { path: args.path, external: true };
        if (!shared || args.namespace === ENTRY_NS) return undefined;
        if (args.path !== 'typeorm') return { errors: [{ text: `import "typeorm", not "${args.path}": the bundles share TypeORM's main module only (scripts/postgres-only-typeorm.mjs)` }] };
        return { path: shared, external: true };
      });
      build.onLoad({ filter: /.*/, namespace: ENTRY_NS }, () => ({
        contents: `module.exports = require('typeorm');\n`,
        resolveDir: build.initialOptions.absWorkingDir ?? process.cwd(),
        loader: 'js',
      }));
      build.onResolve({ filter: /^\.\/[^/]+\/[^/]+$/ }, (args) => {
        if (!driverFactory(args.importer)) return undefined;
        const folder = args.path.split('/')[1];
        if (folder === KEPT_DRIVER) {
          kept = true;
          return undefined;
        }
        stubbed.add(folder);
        return { path: args.path, namespace: 'typeorm-driver-stub', pluginData: { folder, exported: path.basename(args.path) } };
      });
      build.onLoad({ filter: /.*/, namespace: 'typeorm-driver-stub' }, ({ pluginData: { folder, exported } }) => ({
        contents:
          `exports.${exported} = class ${exported} { constructor() { throw new Error(` +
          JSON.stringify(`TypeORM's "${folder}" driver is not included in calldesk: calldesk runs on PostgreSQL only (its build keeps TypeORM's "${KEPT_DRIVER}" driver alone; scripts/postgres-only-typeorm.mjs)`) +
          `); } };\n`,
        loader: 'js',
      }));
      // TypeORM's own source maps name sources it does not ship (../src/…); followed, its frames in a
      // profile (bench/lib/profile-summary.ts) would read as calldesk's src/. Mapped as the .js it is.
      build.onLoad({ filter: /[\\/]node_modules[\\/]typeorm[\\/].*\.js$/ }, async (args) => ({
        contents: (await readFile(args.path, 'utf8')).replace(/\/\/# sourceMappingURL=\S+\s*$/, ''),
        loader: 'js',
      }));
      build.onEnd((result) => {
        if (result.errors.length) return;
        if (!kept || stubbed.size < MIN_STUBBED) {
          return {
            errors: [{
            text:
              `postgres-only-typeorm: TypeORM's DriverFactory no longer looks as expected (postgres driver import ${kept ? 'found' : 'NOT found'}, ` +
              `${stubbed.size} other drivers replaced). Read node_modules/typeorm/driver/DriverFactory.js and update scripts/postgres-only-typeorm.mjs.`,
            }],
          };
        }
        return undefined;
      });
    },
  };
}
