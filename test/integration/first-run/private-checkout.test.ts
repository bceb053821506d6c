// `npm install && npm start` in a private (0700) checkout, as root does in /root: the embedded
// PostgreSQL starts (as root, run by `postgres` from a place it can reach), the checkout stays
// closed, a second start finds the same data, and a crash (kill -9) is recovered from by itself.
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { chown, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import t from 'tap';
import { embeddedStart, listening, npmStart, privateCheckout } from '../../helpers/checkout';

const asRoot = process.getuid?.() === 0;

async function sql(out: string, password: string, text: string) {
  const c = new pg.Client({ host: '127.0.0.1', port: embeddedStart(out)!.port, user: 'postgres', password, database: 'calldesk' });
  await c.connect();
  try {
    return (await c.query(text)).rows;
  } finally {
    await c.end();
  }
}

t.test('a private checkout: npm start serves /api/health, keeps its data across restarts and crashes', async (t) => {
  const co = privateCheckout(t);
  const first = npmStart(co);
  const url = await listening(first);
  const health = await fetch(`${url}/api/health`);
  t.equal(health.status, 200, 'GET /api/health answers on the embedded database');
  const started = embeddedStart(first.output());
  t.ok(started, 'the start of the embedded database is logged');
  const pgData = started!.dir;
  if (asRoot) {
    t.ok(pgData.startsWith(co.rootBase + path.sep), `as root, the data lives outside the private checkout (${pgData})`);
    t.equal(statSync(pgData).uid, Number(execFileSync('id', ['-u', 'postgres'])), 'owned by the postgres user');
    const programs = readdirSync(co.rootBase).filter((d) => d.startsWith('postgresql-'));
    t.equal(programs.length, 1, 'the PostgreSQL programs, closed in the checkout, are copied out once');
    t.equal(statSync(path.join(co.rootBase, programs[0], 'bin', 'postgres')).uid, statSync(pgData).uid, 'for the postgres user');
  } else {
    t.equal(pgData, path.join(co.dir, 'var', 'pg'), 'as an ordinary user, the data lives in DATA_DIR (./var)');
  }
  t.equal(statSync(co.dir).mode & 0o777, 0o700, 'the checkout is still closed to other users');
  const password = (await readFile(path.join(path.dirname(pgData), 'pg-password'), 'utf8')).trim();
  await sql(first.output(), password, 'CREATE TABLE kept_across_restarts (x int); INSERT INTO kept_across_restarts VALUES (42)');

  // A crash: calldesk killed outright; its PostgreSQL is left running on the data, holding its lock.
  first.child.kill('SIGKILL');
  await first.exited;
  const second = npmStart(co);
  const url2 = await listening(second);
  t.equal((await fetch(`${url2}/api/health`)).status, 200, 'after kill -9, the next start serves again by itself');
  t.equal(embeddedStart(second.output())!.dir, pgData, 'on the same data directory');
  t.notMatch(second.output(), /initialising embedded PostgreSQL/, 'without making a new database');
  t.same(await sql(second.output(), password, 'SELECT x FROM kept_across_restarts'), [{ x: 42 }], 'what was written before the crash is there');

  second.child.kill('SIGTERM');
  t.equal(await second.exited, 0, 'SIGTERM stops it cleanly');
  t.notOk(await readFile(path.join(pgData, 'postmaster.pid')).catch(() => null), 'its PostgreSQL shut down');
});

t.test('a lock file whose pid now belongs to another program does not stop the start', async (t) => {
  const co = privateCheckout(t);
  const first = npmStart(co);
  await listening(first);
  const pgData = embeddedStart(first.output())!.dir;
  first.child.kill('SIGTERM');
  await first.exited;
  // What a crash leaves after a reboot: postmaster.pid naming a pid some other process has now (ours).
  const lock = path.join(pgData, 'postmaster.pid');
  await writeFile(lock, `${process.pid}\n${pgData}\n1700000000\n5432\n\n127.0.0.1\n  5432001         0\nready   \n`, { mode: 0o600 });
  if (asRoot) await chown(lock, statSync(pgData).uid, statSync(pgData).gid);
  const second = npmStart(co);
  const url = await listening(second);
  t.equal((await fetch(`${url}/api/health`)).status, 200, 'the service starts on its data');
  t.match(second.output(), /stale lock file/, 'and says what it cleared');
  second.child.kill('SIGTERM');
  t.equal(await second.exited, 0, 'and stops cleanly');
  t.notOk(await readFile(lock).catch(() => null), 'its PostgreSQL shut down');
});
