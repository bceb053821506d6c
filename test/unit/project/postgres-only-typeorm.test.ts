// The service bundles hold TypeORM with its PostgreSQL driver alone (scripts/postgres-only-typeorm.mjs):
// no other driver's code is bundled, asking for another database says plainly that calldesk does
// not include it, and a TypeORM whose DriverFactory changed shape stops the build instead of
// silently bundling every driver again.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as esbuild from 'esbuild';
import t from 'tap';

const ROOT = path.resolve(__dirname, '..', '..', '..');
type Plugin = { postgresOnlyTypeorm(): esbuild.Plugin };
const load = <T>(file: string): Promise<T> => import(path.join(ROOT, 'scripts', file)) as Promise<T>;

function tmp(t: { teardown(fn: () => unknown): void }): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'calldesk-typeorm-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

t.test("the service bundles carry TypeORM's PostgreSQL driver and no other", async (t) => {
  const { buildOptions } = await load<{ buildOptions(o?: object): esbuild.BuildOptions }>('build.mjs');
  const { metafile } = await esbuild.build({ ...buildOptions(), metafile: true, write: false });
  const inputs = Object.keys(metafile.inputs);
  const drivers = (ends: RegExp) => [...new Set(inputs.map((f) => /typeorm\/driver\/([^/]+)\/(\w+)\.js$/.exec(f)).filter((m) => m && ends.test(m[2])).map((m) => m![1]))];
  t.same(drivers(/Driver$/), ['postgres'], 'the only driver class bundled is PostgreSQL');
  t.same(drivers(/QueryRunner$/), ['postgres'], 'and the only query runner');
  t.ok(inputs.some((f) => f.endsWith('typeorm/driver/DriverFactory.js')), 'TypeORM itself is bundled (not loaded from node_modules)');
  const holding = Object.entries(metafile.outputs)
    .filter(([out, o]) => out.endsWith('.js') && Object.keys(o.inputs).some((f) => f.includes('node_modules/typeorm/')))
    .map(([out]) => out);
  t.same(holding, ['dist/service/typeorm.js'], 'once, in its own file that the bundles share');
});

t.test('asking the bundled TypeORM for another database says calldesk does not include it', async (t) => {
  const { postgresOnlyTypeorm } = await load<Plugin>('postgres-only-typeorm.mjs');
  const dir = tmp(t);
  const outfile = path.join(dir, 'probe.js');
  await esbuild.build({
    stdin: {
      contents: `const { DataSource } = require('typeorm');
        for (const type of ['mysql', 'postgres']) {
          try { console.log(type, new DataSource({ type, url: 'x://127.0.0.1/none' }).driver.constructor.name); }
          catch (err) { console.log(type, 'refused:', err.message); }
        }`,
      resolveDir: ROOT,
      loader: 'js',
    },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    keepNames: true,
    outfile,
    plugins: [postgresOnlyTypeorm()],
    logLevel: 'silent',
  });
  // Run from the checkout, so that the packages left external (pg, tslib, …) are found.
  const out = execFileSync(process.execPath, [outfile], { cwd: ROOT, env: { ...process.env, NODE_PATH: path.join(ROOT, 'node_modules'), NODE_OPTIONS: '' }, encoding: 'utf8' });
  t.match(out, /^mysql refused: TypeORM's "mysql" driver is not included in calldesk: calldesk runs on PostgreSQL only/m);
  t.match(out, /^postgres PostgresDriver$/m, 'PostgreSQL still gets its driver');
});

t.test("a TypeORM whose DriverFactory no longer imports the drivers as expected stops the build", async (t) => {
  const { postgresOnlyTypeorm } = await load<Plugin>('postgres-only-typeorm.mjs');
  // A TypeORM release that moved the driver imports out of DriverFactory (into one index module).
  const dir = tmp(t);
  const pkg = path.join(dir, 'node_modules', 'typeorm');
  mkdirSync(path.join(pkg, 'driver', 'postgres'), { recursive: true });
  writeFileSync(path.join(pkg, 'package.json'), JSON.stringify({ name: 'typeorm', version: '9.0.0', main: 'index.js' }));
  writeFileSync(path.join(pkg, 'index.js'), `exports.DriverFactory = require('./driver/DriverFactory').DriverFactory;\n`);
  writeFileSync(path.join(pkg, 'driver', 'DriverFactory.js'), `const drivers = require('./drivers');\nexports.DriverFactory = class { create(c) { return new drivers[c.options.type](c); } };\n`);
  writeFileSync(path.join(pkg, 'driver', 'drivers.js'), `exports.postgres = require('./postgres/PostgresDriver').PostgresDriver;\n`);
  writeFileSync(path.join(pkg, 'driver', 'postgres', 'PostgresDriver.js'), `exports.PostgresDriver = class PostgresDriver {};\n`);
  const failed = await esbuild
    .build({ stdin: { contents: `require('typeorm')`, resolveDir: dir }, bundle: true, platform: 'node', write: false, plugins: [postgresOnlyTypeorm()], logLevel: 'silent' })
    .then(() => null, (err: Error) => err);
  t.ok(failed, 'the build fails');
  t.match(failed?.message ?? '', /DriverFactory no longer looks as expected.*update scripts\/postgres-only-typeorm\.mjs/s, 'and says what to look at');
});
